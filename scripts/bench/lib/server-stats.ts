import fs from "node:fs";
import path from "node:path";
import type { Redis } from "ioredis";
import type pg from "pg";

/**
 * Counters read from PostgreSQL, Redis and the preloaded statement counter (pg-query-counter.cjs) before and after a
 * measurement, to turn into "per saga" figures.
 *
 * Caveats: PostgreSQL backends publish their statistics about once a second, so each snapshot lags by up to ~1 s (both
 * ends alike); pg_stat_wal and Redis' INFO cover the whole server, so anyone else's load on this machine shows too.
 */

export type PgCounters = {
  xactCommit: number;
  xactRollback: number;
  tupInserted: number;
  tupUpdated: number;
  tupDeleted: number;
  tupFetched: number;
  tupReturned: number;
  deadlocks: number;
  walRecords: number;
  walBytes: number;
  walFpi: number;
  walWrite: number;
  walSync: number;
};

export async function pgCounters(client: pg.Client): Promise<PgCounters> {
  const { rows } = await client.query<Record<string, string>>(`
    SELECT d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted, d.tup_fetched, d.tup_returned,
           d.deadlocks, w.wal_records, w.wal_bytes, w.wal_fpi, w.wal_write, w.wal_sync
      FROM pg_stat_database d, pg_stat_wal w
     WHERE d.datname = current_database()`);
  const row = rows[0] ?? {};
  const number = (key: string) => Number(row[key] ?? 0);
  return {
    xactCommit: number("xact_commit"),
    xactRollback: number("xact_rollback"),
    tupInserted: number("tup_inserted"),
    tupUpdated: number("tup_updated"),
    tupDeleted: number("tup_deleted"),
    tupFetched: number("tup_fetched"),
    tupReturned: number("tup_returned"),
    deadlocks: number("deadlocks"),
    walRecords: number("wal_records"),
    walBytes: number("wal_bytes"),
    walFpi: number("wal_fpi"),
    walWrite: number("wal_write"),
    walSync: number("wal_sync"),
  };
}

export type RedisCounters = { totalCommands: number; calls: Record<string, number>; usec: Record<string, number> };

export async function redisCounters(redis: Redis): Promise<RedisCounters> {
  const [stats, commandStats] = await Promise.all([redis.info("stats"), redis.info("commandstats")]);
  const total = /total_commands_processed:(\d+)/.exec(stats);
  const calls: Record<string, number> = {};
  const usec: Record<string, number> = {};
  for (const match of commandStats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    calls[match[1] as string] = Number(match[2]);
    usec[match[1] as string] = Number(match[3]);
  }
  return { totalCommands: Number(total?.[1] ?? 0), calls, usec };
}

/** Statement counts written by pg-query-counter.cjs, summed over the files of `dir` whose name starts with `prefix`. */
export function statementCounts(dir: string, prefix: string): { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  let total = 0;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith(".json"));
  } catch {
    return { total, byKind };
  }
  for (const name of names) {
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as { total: number; counts: Record<string, number> };
      total += data.total;
      for (const [kind, count] of Object.entries(data.counts)) byKind[kind] = (byKind[kind] ?? 0) + count;
    } catch {
      // Being rewritten right now; the next snapshot has it.
    }
  }
  return { total, byKind };
}

export function diffCounts<T extends Record<string, number>>(start: T, end: T): T {
  const result: Record<string, number> = {};
  for (const key of new Set([...Object.keys(start), ...Object.keys(end)])) result[key] = (end[key] ?? 0) - (start[key] ?? 0);
  return result as T;
}

/** `counts` divided by `per`, two decimals, dropping zeros. */
export function perUnit(counts: Record<string, number>, per: number): Record<string, number> {
  const result: Record<string, number> = {};
  if (per <= 0) return result;
  for (const [key, value] of Object.entries(counts)) {
    if (value !== 0) result[key] = Math.round((value / per) * 100) / 100;
  }
  return result;
}
