import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { BenchConfigError, childEnv, REPO_ROOT, type AppEnv } from "./bench-env";
import { runToCompletion } from "./bench-children";

/** Preparing the bench's own database and Redis database. */

/** Creates the database if needed and applies the migrations, with the project's own migrate script. */
export async function migrateBenchDatabase(appEnv: AppEnv, logDir: string, cwd = REPO_ROOT): Promise<void> {
  await runToCompletion({
    name: "migrate",
    command: path.join(cwd, "node_modules", ".bin", "tsx"),
    args: ["scripts/db/migrate.ts"],
    cwd,
    env: childEnv(appEnv),
    logFile: path.join(logDir, "migrate.log"),
    timeoutMs: 120_000,
  });
}

/**
 * The bench database migrated and seeded (keeping what is there) by the app's own scripts, in child processes: what
 * `next build` needs to prerender the catalog, without touching this process's pool.
 */
export async function seedBenchDatabaseForBuild(appEnv: AppEnv, logDir: string, cwd: string): Promise<void> {
  await migrateBenchDatabase(appEnv, logDir, cwd);
  await runToCompletion({
    name: "seed",
    command: path.join(cwd, "node_modules", ".bin", "tsx"),
    args: ["scripts/db/seed.ts"],
    cwd,
    env: childEnv(appEnv),
    logFile: path.join(logDir, "seed.log"),
    timeoutMs: 120_000,
  });
}

/**
 * The bench database migrated and back to the Cyber Monday state with the app's own seed (resetShop), and the bench's
 * Redis database emptied. Call once this process's environment is the bench's: the app's modules read it as they load.
 */
export async function resetBenchShop(appEnv: AppEnv, options: { redisUrl: string; logDir: string; cwd: string }): Promise<void> {
  await migrateBenchDatabase(appEnv, options.logDir, options.cwd);
  const { resetShop } = await import("@/prisma/seed/seed-shop");
  const { disconnectDb } = await import("@/server/db");
  await resetShop((message) => console.log(`  ✓ ${message}`));
  await disconnectDb();
  await flushBenchRedis(options.redisUrl);
}

/**
 * One benchmark at a time per bench database: two would empty each other's data and share the CPU. Takes a session
 * advisory lock (on the server's `postgres` database, so that dropping the bench database cannot break it) and holds
 * it until this process exits; PostgreSQL releases it even if the process is killed.
 */
export async function lockBenchDatabase(databaseUrl: string, databaseName: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString(), application_name: `bench lock ${databaseName}` });
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [
    `unicorn-retail-bench:${databaseName}`,
  ]);
  if (!rows[0]?.locked) {
    await client.end();
    throw new BenchConfigError(`Another benchmark is using ${databaseName} right now; wait for it to finish`);
  }
  // A restart of PostgreSQL (the chaos run does one on purpose) ends this connection and so releases the lock; without a
  // listener its 'error' event would end the whole run.
  client.on("error", (error) => console.warn(`  (the bench lock's connection ended: ${error.message}; the run goes on unlocked)`));
  // The lock lives as long as this connection; an idle connection must not end the process's event loop early.
  (client as unknown as { connection: { stream: { unref?: () => void } } }).connection.stream.unref?.();
  return client;
}

/** Empties the bench's Redis database (and only that one: the URL names it). */
export async function flushBenchRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** The local port of a connected client: how its backend is told apart in /proc. */
export function clientPort(client: pg.Client): number {
  return (client as unknown as { connection: { stream: { localPort?: number } } }).connection.stream.localPort ?? 0;
}

/** A plain pg client for the bench's own bookkeeping (polling, counters, checks); marked so it is never counted. */
export async function benchClient(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench" });
  (client as unknown as { benchInternal: boolean }).benchInternal = true;
  await client.connect();
  return client;
}

/**
 * Counts, in this process, the statements sent through `pg` by the app's code (the bench's own clients excluded):
 * the in-process twin of pg-query-counter.cjs, for the saga starts the bench makes itself.
 */
export function countStatementsInThisProcess(): () => { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  let total = 0;
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function countedQuery(this: { benchInternal?: boolean }, ...args: unknown[]) {
    if (!this.benchInternal) {
      const config = args[0];
      const text = typeof config === "string" ? config : (config as { text?: unknown } | undefined)?.text;
      const kind = typeof text === "string" ? (/^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "?") : "?";
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      total += 1;
    }
    return original.apply(this, args);
  };
  return () => ({ total, byKind: { ...byKind } });
}

/**
 * Times, in this process, every statement the app's code sends through `pg` (the bench's own clients excluded), by
 * `keyOf(text)`: the await of each, i.e. the round trip, PostgreSQL's work and pg's parsing of the rows. Call the
 * returned function to stop and read the totals.
 */
export function timeStatementsInThisProcess(
  keyOf: (text: string) => string,
): () => Map<string, { calls: number; ms: number }> {
  const timings = new Map<string, { calls: number; ms: number }>();
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  const record = (key: string, started: number) => {
    const entry = timings.get(key) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += performance.now() - started;
    timings.set(key, entry);
  };
  prototype.query = function timedQuery(this: { benchInternal?: boolean }, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === "string" ? config : (config as { text?: unknown } | undefined)?.text;
    if (this.benchInternal || typeof text !== "string") return original.apply(this, args);
    const key = keyOf(text);
    const started = performance.now();
    // pg.Pool passes a callback; clients called directly return a promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...results: unknown[]) => {
        record(key, started);
        return (callback as (...values: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      void (result as Promise<unknown>).then(
        () => record(key, started),
        () => record(key, started),
      );
    }
    return result;
  };
  return () => {
    prototype.query = original;
    return timings;
  };
}

/** Customers with a wallet holding `balanceCents`, and the deposit that explains it in the ledger; returns their ids. */
export async function insertCustomersWithWallets(
  client: pg.Client,
  options: { count: number; balanceCents: number; emailPrefix: string },
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `WITH c AS (
       INSERT INTO customers (email, name, password_hash)
       SELECT $3 || '-' || i || '@bench.test', 'Bench Shopper ' || i, '!no-password'
         FROM generate_series(1, $1::int) AS i
       RETURNING id, email),
     w AS (
       INSERT INTO wallets (customer_id, balance_cents) SELECT id, $2::int FROM c RETURNING id, balance_cents),
     e AS (
       INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description)
       SELECT id, 'deposit', balance_cents, balance_cents, 'bench-opening:' || id, 'Bench opening balance' FROM w)
     SELECT id::text FROM c ORDER BY email`,
    [options.count, options.balanceCents, options.emailPrefix],
  );
  return rows.map((row) => row.id);
}

/**
 * A session for each customer, written as auth.signIn writes it (a random token, its SHA-256) in one statement:
 * signed in outside a bench's timed part. Returns each customer's session cookie, in the order given.
 */
export async function signInCustomers(client: pg.Client, customerIds: readonly string[]): Promise<string[]> {
  const tokens = customerIds.map(() => randomBytes(32).toString("base64url"));
  await client.query(
    `INSERT INTO customer_sessions (token_hash, customer_id, expires_at)
     SELECT token_hash, customer_id, now() + interval '1 day' FROM unnest($1::bytea[], $2::uuid[]) AS s(token_hash, customer_id)`,
    [tokens.map((token) => createHash("sha256").update(token).digest()), customerIds],
  );
  return tokens.map((token) => `unicorn_session=${token}`);
}

/** The PostgreSQL settings that shape the figures, stored with the results. */
export async function postgresSettings(client: pg.Client): Promise<Record<string, string>> {
  const names = ["server_version", "max_connections", "shared_buffers", "synchronous_commit", "fsync", "autovacuum", "wal_level"];
  const { rows } = await client.query<{ name: string; setting: string }>(
    "SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name",
    [names],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
}
