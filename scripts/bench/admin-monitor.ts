/**
 * `npm run bench:admin` — the admin monitor's queries with a million sagas in the table.
 *
 * Recreates its own database, fills it with N sagas (default 1,000,000; mostly completed, some compensated, a few
 * needing attention or running) and their checkouts across 10,000 customers, then times each query the monitor runs —
 * the real functions from server/admin — five times after a warm-up, and prints the median and the slowest.
 *
 *   npm run bench:admin -- --sagas 1000000 --database-url postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_admin
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations } from "@/scripts/db/apply-migrations";
import { recreateDatabase } from "@/server/testing/test-databases";
import { machineInfo, table, writeResults } from "./lib/report";

const { values: args } = parseArgs({
  options: {
    sagas: { type: "string", default: "1000000" },
    "database-url": { type: "string", default: "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_admin" },
  },
});
const SAGAS = Number(args.sagas);
const DATABASE_URL = args["database-url"]!;
const CHUNK = 100_000;

async function main() {
  const startedAt = new Date();
  if (!Number.isSafeInteger(SAGAS) || SAGAS < 1_000) throw new Error("--sagas must be a whole number, at least 1,000");
  if (!/\/unicorn_retail_bench[a-z_]*$/.test(DATABASE_URL)) throw new Error("--database-url must name a unicorn_retail_bench* database: it is dropped and recreated");
  Object.assign(process.env, { DATABASE_URL, REDIS_URL: "redis://127.0.0.1:6379/5", LOG_LEVEL: "silent" });

  console.log(`▸ Recreating ${DATABASE_URL.split("/").pop()} and migrating`);
  await recreateDatabase(DATABASE_URL);
  await applyMigrations({ databaseUrl: DATABASE_URL, migrationsDir: path.join(process.cwd(), "prisma/migrations") });

  const { sql, sqlPool } = await import("@/server/sql");
  const { disconnectDb } = await import("@/server/db");
  const admin = await import("@/server/admin/sagas/list-sagas");
  const { sagaThroughputLastHour } = await import("@/server/admin/sagas/saga-throughput");

  console.log(`▸ Inserting ${SAGAS.toLocaleString("en-US")} sagas and their checkouts`);
  await sqlPool.count(sql`
    INSERT INTO customers (id, email, name, password_hash)
    SELECT gen_random_uuid(), 'shopper' || g || '@bench.test', 'Shopper ' || g, 'not-a-hash' FROM generate_series(0, 9999) g`);
  await sqlPool.count(sql`
    INSERT INTO products (id, slug, name, description, colour, list_price_cents, sale_price_cents)
    VALUES (gen_random_uuid(), 'bench-unicorn', 'Bench Unicorn', 'For the benchmark', 'white', 24000, 12000)`);
  for (let from = 1; from <= SAGAS; from += CHUNK) {
    const to = Math.min(SAGAS, from + CHUNK - 1);
    // One saga a second back in time; every 1000th needs attention, every 50th was compensated, every 5000th runs.
    await sqlPool.count(sql`
      WITH customer AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM customers),
      saga AS (
        INSERT INTO saga_instances (id, saga_type, status, current_step, input, created_at, updated_at, finished_at)
        SELECT gen_random_uuid(), 'checkout',
               (CASE WHEN g % 1000 = 0 THEN 'needs_attention' WHEN g % 50 = 0 THEN 'compensated'
                     WHEN g % 5000 = 1 THEN 'running' ELSE 'completed' END)::saga_status,
               NULL, '{}'::jsonb, now() - make_interval(secs => g), now() - make_interval(secs => g),
               CASE WHEN g % 5000 = 1 THEN NULL ELSE now() - make_interval(secs => g) END
          FROM generate_series(${from}::int, ${to}::int) g
        RETURNING id, created_at
      )
      INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, idempotency_key, created_at)
      SELECT saga.id, customer.id, (SELECT id FROM products LIMIT 1), 1, 12000, 12000, saga.id::text, saga.created_at
        FROM saga JOIN customer ON customer.n = abs(hashtext(saga.id::text)) % 10000`);
    process.stdout.write(`\r  ${to.toLocaleString("en-US")} of ${SAGAS.toLocaleString("en-US")}`);
  }
  console.log("\n▸ VACUUM ANALYZE (this cluster runs with autovacuum off)");
  await sqlPool.count({ text: "VACUUM ANALYZE saga_instances", values: [] });
  await sqlPool.count({ text: "VACUUM ANALYZE checkouts", values: [] });

  const [someone] = await sqlPool.rows<{ id: string; email: string }>(sql`SELECT id, email FROM customers LIMIT 1`);
  const [middle] = await sqlPool.rows<{ id: string; created_at: Date }>(sql`
    SELECT id, created_at FROM saga_instances ORDER BY created_at LIMIT 1 OFFSET ${Math.floor(SAGAS / 2)}`);
  const sixDaysAgo = Date.now() - 6 * 86_400_000;
  const queries: [string, () => Promise<unknown>][] = [
    ["list: newest first, page 1", () => admin.listSagas({ filter: {}, limit: 25 })],
    ["list: a page in the middle (keyset cursor)", () => admin.listSagas({ filter: {}, limit: 25, cursor: { createdAt: middle!.created_at, id: middle!.id } })],
    ["list: status completed", () => admin.listSagas({ filter: { status: "completed" }, limit: 25 })],
    ["list: status needs attention", () => admin.listSagas({ filter: { status: "needs_attention" }, limit: 25 })],
    ["list: status running", () => admin.listSagas({ filter: { status: "running" }, limit: 25 })],
    ["list: one customer", () => admin.listSagas({ filter: { customerId: someone!.id }, limit: 25 })],
    ["list: search by email", () => admin.listSagas({ filter: { search: someone!.email }, limit: 25 })],
    ["list: search by saga id", () => admin.listSagas({ filter: { search: middle!.id }, limit: 25 })],
    ["list: one hour, six days ago", () => admin.listSagas({ filter: { from: new Date(sixDaysAgo - 3_600_000), to: new Date(sixDaysAgo) }, limit: 25 })],
    ["needs attention (pinned, with total)", () => admin.listSagasNeedingAttention()],
    ["counts per status", () => admin.countSagasByStatus()],
    ["finished per minute, last hour", () => sagaThroughputLastHour()],
  ];
  console.log("▸ Timing each query (1 warm-up, then 5 runs)");
  const results = [];
  for (const [label, run] of queries) {
    await run();
    const times: number[] = [];
    for (let index = 0; index < 5; index++) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results.push({ query: label, medianMs: Number(times[2]!.toFixed(1)), maxMs: Number(times[4]!.toFixed(1)) });
  }
  console.log(`\nAdmin monitor queries with ${SAGAS.toLocaleString("en-US")} sagas (ms)`);
  console.log(table(["query", "median", "slowest"], results.map((r) => [r.query, String(r.medianMs), String(r.maxMs)]), { alignLeft: true }));
  const file = writeResults("admin-monitor", startedAt, { startedAt, sagas: SAGAS, machine: machineInfo(), results });
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  await disconnectDb();
}

main().catch((error: unknown) => {
  console.error(`bench:admin failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
