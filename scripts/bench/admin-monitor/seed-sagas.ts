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

/** Shoppers' first and last names: emails like `pat.okafor37@mail.test`, so a search for `pat` finds a realistic few. */
const FIRST_NAMES = ["ada", "pat", "sam", "lee", "kim", "alex", "jo", "mo", "noor", "ravi", "yuki", "ines", "omar", "lena", "tariq", "zoe", "ivan", "mei", "luca", "amara"];
const LAST_NAMES = ["okafor", "smith", "garcia", "nguyen", "kowalski", "haddad", "silva", "ito", "brown", "muller", "rossi", "khan", "dubois", "novak", "jensen", "park", "costa", "adeyemi", "larsen", "moreau"];
/** 23 unicorns share almost every checkout; one more, the limited edition, is in one checkout in a thousand. */
const PRODUCTS = 24;
const LIMITED_EDITION = "Moonlit Limited Edition Unicorn";

/**
 * 10,000 customers, 24 products, and `sagas` sagas with their checkouts (and an order for each completed one), in
 * chunks; then VACUUM ANALYZE.
 */
export async function seedSagas(sagas: number): Promise<void> {
  const { sql, sqlIdentifier, sqlPool } = await import("@/server/sql");
  console.log(`▸ Inserting ${sagas.toLocaleString("en-US")} sagas, their checkouts and orders`);
  await sqlPool.count(sql`
    INSERT INTO customers (id, email, name, password_hash)
    SELECT gen_random_uuid(), f.name || '.' || l.name || g || '@mail.test', initcap(f.name) || ' ' || initcap(l.name), 'not-a-hash'
      FROM generate_series(0, 9999) g
      JOIN unnest(${FIRST_NAMES}::text[]) WITH ORDINALITY f(name, n) ON f.n = g % ${FIRST_NAMES.length} + 1
      JOIN unnest(${LAST_NAMES}::text[]) WITH ORDINALITY l(name, n) ON l.n = (g / ${FIRST_NAMES.length}) % ${LAST_NAMES.length} + 1`);
  await sqlPool.count(sql`
    INSERT INTO products (id, slug, name, description, colour, list_price_cents, sale_price_cents)
    SELECT gen_random_uuid(), 'bench-unicorn-' || g, CASE WHEN g = 0 THEN ${LIMITED_EDITION} ELSE 'Bench Unicorn No. ' || g END,
           'For the benchmark', 'white', 24000, 12000
      FROM generate_series(0, ${PRODUCTS - 1}) g`);
  for (let from = 1; from <= sagas; from += CHUNK) {
    const to = Math.min(sagas, from + CHUNK - 1);
    await sqlPool.count(sql`
      WITH customer AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM customers),
      product AS (SELECT id, name, row_number() OVER (ORDER BY slug) - 1 AS n FROM products),
      saga AS (
        INSERT INTO saga_instances (id, saga_type, status, current_step, input, created_at, updated_at, finished_at)
        SELECT gen_random_uuid(), 'checkout',
               (CASE WHEN g % 1000 = 0 THEN ${STATUS_OF.needsAttention}::text WHEN g % 50 = 0 THEN ${STATUS_OF.compensated}::text
                     WHEN g % 5000 = 1 THEN ${STATUS_OF.running}::text ELSE ${STATUS_OF.completed}::text END)::saga_status,
               NULL, '{}'::jsonb, now() - make_interval(secs => g), now() - make_interval(secs => g),
               CASE WHEN g % 5000 = 1 THEN NULL ELSE now() - make_interval(secs => g) END
          FROM generate_series(${from}::int, ${to}::int) g
        RETURNING id, status, created_at
      ),
      bought AS (
        -- bench-unicorn-0, the limited edition, for one saga in a thousand; the other 23 evenly.
        SELECT saga.*, customer.id AS customer_id,
               CASE WHEN abs(hashtext(saga.id::text || 'p')) % 1000 = 0 THEN 0 ELSE 1 + abs(hashtext(saga.id::text || 'p')) % ${PRODUCTS - 1} END AS product_n
          FROM saga JOIN customer ON customer.n = abs(hashtext(saga.id::text)) % 10000
      ),
      checkout AS (
        INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, idempotency_key, created_at)
        SELECT bought.id, bought.customer_id, product.id, 1, 12000, 12000, bought.id::text, bought.created_at
          FROM bought JOIN product ON product.n = bought.product_n
        RETURNING id
      )
      INSERT INTO orders (id, checkout_id, customer_id, product_id, product_name, quantity, unit_price_cents, total_cents, paid_cents, created_at)
      SELECT gen_random_uuid(), bought.id, bought.customer_id, product.id, product.name, 1, 12000, 12000, 12000, bought.created_at
        FROM bought JOIN product ON product.n = bought.product_n
       WHERE bought.status = ${STATUS_OF.completed}::saga_status AND bought.id IN (SELECT id FROM checkout)`);
    process.stdout.write(`\r  ${to.toLocaleString("en-US")} of ${sagas.toLocaleString("en-US")}`);
  }
  console.log("\n▸ VACUUM ANALYZE (this cluster runs with autovacuum off)");
  for (const table of ["saga_instances", "checkouts", "orders", "customers", "products"] as const) {
    await sqlPool.count(sql`VACUUM ANALYZE ${sqlIdentifier(table)}`);
  }
}
