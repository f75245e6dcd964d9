import type pg from "pg";
import type { PgCheckoutOptions } from "./options";

/** Units of each product: no level of any run can sell them out (the spread case's stock row never refuses). */
export const STOCK_PER_PRODUCT = 1_000_000_000;
/** $10M per wallet: a million checkouts each, far inside the 32-bit balance column. */
const WALLET_CENTS = 1_000_000_000;

/**
 * The bench database (migrated by the shop's own migrate script first, so the tables, indexes, CHECKs and triggers
 * are exactly the shop's) emptied, then products and customers whose ids are made from a number as
 * checkout.sql makes them (`…-8000-<hex n>` customers, `…-9000-<hex n>` products): pgbench can name them without a
 * lookup.
 */
export async function preparePgCheckout(client: pg.Client, options: PgCheckoutOptions): Promise<void> {
  // CASCADE: every table that refers to these (sagas' and Loyalty's are not touched by the bench) is emptied too.
  await client.query("TRUNCATE customers, products, inventory, wallets, wallet_entries, checkouts, reservations, orders, outbox_messages CASCADE");
  await client.query(
    `INSERT INTO products (id, slug, name, description, colour, list_price_cents, sale_price_cents)
     SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'bench-unicorn-' || i, 'Bench Unicorn ' || i,
            'A unicorn for load tests.', '#f0abfc', 2000, 1000
       FROM generate_series(1, $1::int) AS i`,
    [Math.max(options.products, 1)],
  );
  await client.query("INSERT INTO inventory (product_id, on_hand) SELECT id, $1::int FROM products", [STOCK_PER_PRODUCT]);
  await client.query(
    `WITH c AS (
       INSERT INTO customers (id, email, name, password_hash)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'pg-checkout-' || i || '@bench.test',
              'Bench Shopper ' || i, '!no-password'
         FROM generate_series(1, $1::int) AS i
       RETURNING id),
     w AS (INSERT INTO wallets (customer_id, balance_cents) SELECT id, $2::int FROM c RETURNING id, balance_cents)
     INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description)
     SELECT id, 'deposit', balance_cents, balance_cents, 'bench-opening:' || id, 'Bench opening balance' FROM w`,
    [options.customers, WALLET_CENTS],
  );
  await client.query("VACUUM ANALYZE customers, products, inventory, wallets, wallet_entries, checkouts, orders, outbox_messages");
}

/** Between cases and levels: the dead row versions a level leaves (autovacuum may be off) must not slow the next. */
export async function vacuumBenchTables(client: pg.Client): Promise<void> {
  await client.query("VACUUM ANALYZE inventory, wallets, wallet_entries, checkouts, orders, outbox_messages");
}
