import { benchClient, migrateBenchDatabase, postgresSettings } from "../lib/bench-db";
import { beginBenchRun, type BenchRun } from "../lib/bench-run";
import { installCleanup } from "../lib/bench-children";
import { printInvariants, step, type InvariantResult } from "../lib/report";
import { checkPgCheckoutInvariants } from "./invariants";
import { runLevel, SCRIPT, type PgCheckoutLevel } from "./level";
import type { PgCheckoutOptions } from "./options";
import { ensurePgbench } from "./pgbench";
import { preparePgCheckout, vacuumBenchTables } from "./prepare";
import { printLevelLine } from "./report";

export type PgCheckoutRun = {
  run: BenchRun;
  pgbench: string;
  postgres: Record<string, string>;
  levels: PgCheckoutLevel[];
  invariants: InvariantResult[];
  ok: boolean;
};

/** Prepares the database, then runs every case at every level, then checks the books. */
export async function runPgCheckout(options: PgCheckoutOptions): Promise<PgCheckoutRun> {
  const run = await beginBenchRun("pg-checkout", { databaseUrl: options.databaseUrl });
  installCleanup({ timeLimitMs: (options.cases.length * options.levels.length * (options.durationS + 15) + 300) * 1000 });
  const pgbench = ensurePgbench();
  step(`Preparing ${run.databaseName}: the shop's migrations, ${options.customers.toLocaleString("en")} customers, ${options.products} products`);
  // The shop's own migrate script creates the database when it is missing.
  await migrateBenchDatabase({ DATABASE_URL: options.databaseUrl }, run.logDir);
  const client = await benchClient(options.databaseUrl);
  try {
    await preparePgCheckout(client, options);
    const postgres = await postgresSettings(client);
    step(`pgbench ${SCRIPT.replace(/.*scripts\//, "scripts/")}, ${options.durationS} s per level after 2 s of warm-up`);
    const levels: PgCheckoutLevel[] = [];
    for (const kase of options.cases) {
      for (const clients of options.levels) {
        await vacuumBenchTables(client);
        const level = await runLevel({ pgbench, settings: options, kase, clients, counters: client, databaseName: run.databaseName, logDir: run.logDir });
        printLevelLine(level);
        levels.push(level);
      }
    }
    step("Checking the books");
    const invariants = await checkPgCheckoutInvariants(client);
    const ok = printInvariants(invariants);
    return { run, pgbench, postgres, levels, invariants, ok };
  } finally {
    await client.end();
  }
}
