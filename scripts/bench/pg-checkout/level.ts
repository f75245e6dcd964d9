import path from "node:path";
import type pg from "pg";
import { startBenchChild } from "../lib/bench-children";
import { cpuBetween, cpuSnapshot, type CpuUsage } from "../lib/proc-cpu";
import { createProgress, round, summarize, type Summary } from "../lib/report";
import { pgCounters, type PgCounters } from "../lib/server-stats";
import type { PgCheckoutCase, PgCheckoutOptions } from "./options";
import { parseStatementLatencies, parseSummary, readTransactionLog, type StatementLatency } from "./pgbench";

/** Unmeasured seconds at the start of each level: connecting, preparing the statements, filling the caches. */
const WARMUP_S = 2;
export const SCRIPT = path.join(__dirname, "checkout.sql");

export type PgCheckoutLevel = {
  case: PgCheckoutCase;
  clients: number;
  /** Products the checkouts picked from: 1 in the hot case (every transaction on the same stock row). */
  products: number;
  seconds: number;
  checkouts: number;
  checkoutsPerSecond: number;
  /** Transactions pgbench counted as failed (errors); pgbench's own tps over its whole run, warm-up included. */
  failed: number;
  pgbenchTps: number;
  latencyMs: Summary;
  /** Average latency of each statement of the one-transaction checkout (pgbench -r, whole run). */
  statementsMs: StatementLatency[];
  cpu: CpuUsage & { cpuMsPerCheckout: Record<string, number | null> };
  /** PostgreSQL's counters per checkout: commits, rows written, WAL (server-wide, so others' load shows too). */
  perCheckout: { xactCommit: number | null; tupInserted: number | null; tupUpdated: number | null; walBytes: number | null; walSync: number | null };
};

/** One level: pgbench with `clients` connections for the warm-up plus `--duration` seconds, measured after the warm-up. */
export async function runLevel(options: {
  pgbench: string;
  settings: PgCheckoutOptions;
  kase: PgCheckoutCase;
  clients: number;
  counters: pg.Client;
  databaseName: string;
  logDir: string;
}): Promise<PgCheckoutLevel> {
  const { settings, kase, clients } = options;
  const products = kase === "hot" ? 1 : settings.products;
  const prefix = path.join(options.logDir, `pgbench-${kase}-c${clients}`);
  const progress = createProgress();
  const child = startBenchChild({
    name: `pgbench ${kase} C=${clients}`,
    command: options.pgbench,
    args: [
      "-n", // no vacuum of pgbench's own tables: there are none
      "-M", "prepared", // as the shop's sql tag: named prepared statements
      "-f", SCRIPT,
      "-c", String(clients),
      "-j", String(Math.min(settings.threads, clients)),
      "-T", String(WARMUP_S + settings.durationS),
      "-D", `customers=${settings.customers}`,
      "-D", `products=${products}`,
      "-P", "1",
      "-r",
      "-l", `--log-prefix=${prefix}`,
      settings.databaseUrl,
    ],
    cwd: options.logDir,
    env: { ...process.env },
    logFile: path.join(options.logDir, `output-${kase}-c${clients}.txt`),
    onLine: (line) => {
      const match = /^progress: ([\d.]+) s, ([\d.]+) tps, lat ([\d.]+) ms/.exec(line);
      if (match) progress.update(`  ${kase} C=${clients}: ${match[1]} s, ${match[2]} checkouts/s, ${match[3]} ms average`);
    },
  });
  const snapshot = () => cpuSnapshot({ roots: { pgbench: child.pid }, databaseName: options.databaseName });
  type Mark = { cpu: ReturnType<typeof snapshot>; pg: PgCounters; atMs: number };
  const mark = async (): Promise<Mark> => {
    const cpu = snapshot();
    const atMs = Date.now();
    return { cpu, pg: await pgCounters(options.counters), atMs };
  };
  // The end is marked just before pgbench stops (its processes are gone after): its CPU and the counters up to then.
  const before = after(WARMUP_S * 1000, mark);
  const end = after((WARMUP_S + settings.durationS) * 1000 - 150, mark);
  const exit = await child.exited;
  progress.done();
  const output = child.tail(400);
  if (exit.code !== 0) {
    void Promise.allSettled([before, end]);
    throw new Error(`pgbench failed (exit ${exit.code ?? exit.signal}):\n${child.tail(30)}`);
  }
  const [start, stop] = await Promise.all([before, end]);
  const summary = parseSummary(output);
  const seconds = (stop.atMs - start.atMs) / 1000;
  const latencies = readTransactionLog(prefix, { fromMs: start.atMs, toMs: stop.atMs });
  const checkouts = latencies.length;
  const cpu = cpuBetween(start.cpu, stop.cpu);
  const per = (delta: number) => (checkouts > 0 ? round(delta / checkouts, 2) : null);
  const delta = (key: keyof PgCounters) => stop.pg[key] - start.pg[key];
  return {
    case: kase,
    clients,
    products,
    seconds: round(seconds, 2) ?? 0,
    checkouts,
    checkoutsPerSecond: round(checkouts / seconds) ?? 0,
    failed: summary.failed,
    pgbenchTps: summary.tps,
    latencyMs: summarize(latencies),
    statementsMs: parseStatementLatencies(output),
    cpu: {
      ...cpu,
      cpuMsPerCheckout: Object.fromEntries(
        Object.entries(cpu.percentByGroup).map(([group, percent]) => [group, checkouts > 0 ? round((percent / 100) * seconds * 1000 / checkouts, 3) : null]),
      ),
    },
    perCheckout: {
      xactCommit: per(delta("xactCommit")),
      tupInserted: per(delta("tupInserted")),
      tupUpdated: per(delta("tupUpdated")),
      walBytes: per(delta("walBytes")),
      walSync: per(delta("walSync")),
    },
  };
}

/** `mark()` run `ms` from now. */
function after<T>(ms: number, mark: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => void mark().then(resolve, reject), ms));
}
