/**
 * `npm run bench:admin` — the admin monitor's queries with a million sagas in the table.
 *
 * Recreates its own database, fills it with N sagas (default 1,000,000; mostly completed, some compensated, a few
 * needing attention or running) and their checkouts across 10,000 customers, then times each query the monitor runs —
 * the real functions from server/admin — five times after a warm-up, and prints the median and the slowest.
 *
 *   npm run bench:admin -- --sagas 1000000 --database-url postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_admin
 *   npm run bench:admin -- --help
 *
 * admin-monitor/options.ts reads the command line, seed-sagas.ts fills the table, run.ts times the queries,
 * report.ts prints the table and writes the JSON.
 */
import { parseAdminMonitorOptions } from "./admin-monitor/options";
import { reportAdminMonitor } from "./admin-monitor/report";
import { recreateAdminDatabase, seedSagas } from "./admin-monitor/seed-sagas";
import { runBench } from "./lib/bench-main";

runBench("Admin monitor", async () => {
  const startedAt = new Date();
  const options = parseAdminMonitorOptions();
  Object.assign(process.env, { DATABASE_URL: options.databaseUrl, REDIS_URL: "redis://127.0.0.1:6379/5", LOG_LEVEL: "silent" });
  await recreateAdminDatabase(options);
  // The app's modules read the environment as they load: only now.
  await seedSagas(options.sagas);
  const { timeMonitorQueries } = await import("./admin-monitor/run");
  const results = await timeMonitorQueries(options.sagas);
  reportAdminMonitor({ startedAt, sagas: options.sagas, results });
  const { disconnectDb } = await import("@/server/db");
  await disconnectDb();
});
