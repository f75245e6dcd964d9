import path from "node:path";
import { applyMigrations } from "@/scripts/db/apply-migrations";
import type { SagaStatus } from "@/server/saga/saga-status";
import { recreateDatabase } from "@/server/testing/test-databases";
import type { AdminMonitorOptions } from "./options";

const CHUNK = 100_000;
/** One saga a second back in time; every 1000th needs attention, every 50th was compensated, every 5000th runs. */
const STATUS_OF = {
  needsAttention: "needs_attention",
  compensated: "compensated",
  running: "running",
  completed: "completed",
} as const satisfies Record<string, SagaStatus>;

/** Recreates and migrates the bench's database (the app's modules may load once this is done). */
export async function recreateAdminDatabase(options: AdminMonitorOptions): Promise<void> {
  console.log(`▸ Recreating ${options.databaseUrl.split("/").pop()} and migrating`);
  await recreateDatabase(options.databaseUrl);
  await applyMigrations({ databaseUrl: options.databaseUrl, migrationsDir: path.join(process.cwd(), "prisma/migrations") });
}

/** 10,000 customers, one product, and `sagas` sagas with their checkouts, in chunks; then VACUUM ANALYZE. */
export async function seedSagas(sagas: number): Promise<void> {
  const { sql, sqlPool } = await import("@/server/sql");
  console.log(`▸ Inserting ${sagas.toLocaleString("en-US")} sagas and their checkouts`);
  await sqlPool.count(sql`
    INSERT INTO customers (id, email, name, password_hash)
    SELECT gen_random_uuid(), 'shopper' || g || '@bench.test', 'Shopper ' || g, 'not-a-hash' FROM generate_series(0, 9999) g`);
  await sqlPool.count(sql`
    INSERT INTO products (id, slug, name, description, colour, list_price_cents, sale_price_cents)
    VALUES (gen_random_uuid(), 'bench-unicorn', 'Bench Unicorn', 'For the benchmark', 'white', 24000, 12000)`);
  for (let from = 1; from <= sagas; from += CHUNK) {
    const to = Math.min(sagas, from + CHUNK - 1);
    await sqlPool.count(sql`
      WITH customer AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM customers),
      saga AS (
        INSERT INTO saga_instances (id, saga_type, status, current_step, input, created_at, updated_at, finished_at)
        SELECT gen_random_uuid(), 'checkout',
               (CASE WHEN g % 1000 = 0 THEN ${STATUS_OF.needsAttention}::text WHEN g % 50 = 0 THEN ${STATUS_OF.compensated}::text
                     WHEN g % 5000 = 1 THEN ${STATUS_OF.running}::text ELSE ${STATUS_OF.completed}::text END)::saga_status,
               NULL, '{}'::jsonb, now() - make_interval(secs => g), now() - make_interval(secs => g),
               CASE WHEN g % 5000 = 1 THEN NULL ELSE now() - make_interval(secs => g) END
          FROM generate_series(${from}::int, ${to}::int) g
        RETURNING id, created_at
      )
      INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, idempotency_key, created_at)
      SELECT saga.id, customer.id, (SELECT id FROM products LIMIT 1), 1, 12000, 12000, saga.id::text, saga.created_at
        FROM saga JOIN customer ON customer.n = abs(hashtext(saga.id::text)) % 10000`);
    process.stdout.write(`\r  ${to.toLocaleString("en-US")} of ${sagas.toLocaleString("en-US")}`);
  }
  console.log("\n▸ VACUUM ANALYZE (this cluster runs with autovacuum off)");
  await sqlPool.count(sql`VACUUM ANALYZE saga_instances`);
  await sqlPool.count(sql`VACUUM ANALYZE checkouts`);
}
