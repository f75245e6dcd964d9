-- One checkout as ONE transaction, for pgbench (run by scripts/bench/pg-checkout/run.ts): what the saga's writes
-- cost PostgreSQL with no saga around them. The same tables, indexes, constraints and triggers as the shop (the
-- bench database is migrated by scripts/db/migrate.ts), the same statement shapes as start-checkout.ts,
-- move-money.ts and complete-order-step.ts, one round trip each. (No ":word" inside a string literal: in prepared mode
-- pgbench takes it for a variable.) Ids are made from numbers (prepare.ts seeds
-- customers and products with them), so no lookup is needed.
--   -D customers=N  customers to pick the shopper from (each has a wallet)
--   -D products=N   products to pick from; products=1 is the hot row: every transaction updates the same stock row
\set customer random(1, :customers)
\set product random(1, :products)
\set key random(1, 9223372036854775807)
BEGIN;
-- The checkout (checkout.start's insert).
INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, idempotency_key)
VALUES ((lpad(to_hex(:client_id::bigint), 16, '0') || lpad(to_hex(:key::bigint), 16, '0'))::uuid,
        ('00000000-0000-4000-8000-' || lpad(to_hex(:customer::bigint), 12, '0'))::uuid,
        ('00000000-0000-4000-9000-' || lpad(to_hex(:product::bigint), 12, '0'))::uuid,
        1, 1000, 1000, 'pgbench-' || :client_id::text || '-' || :key::text);
-- The payment (moveMoney's statement: the wallet locked, the balance moved only within bounds, the ledger entry).
WITH wallet AS (
  SELECT id, balance_cents FROM wallets
   WHERE customer_id = ('00000000-0000-4000-8000-' || lpad(to_hex(:customer::bigint), 12, '0'))::uuid FOR UPDATE
), earlier AS (
  SELECT id FROM wallet_entries WHERE idempotency_key = 'pgbench-' || :client_id::text || '-' || :key::text || '-debit'
), fresh AS (
  SELECT wallet.id, wallet.balance_cents - 1000 AS balance_after FROM wallet
   WHERE NOT EXISTS (SELECT 1 FROM earlier) AND wallet.balance_cents - 1000 >= 0
), updated AS (
  UPDATE wallets SET balance_cents = fresh.balance_after FROM fresh WHERE wallets.id = fresh.id RETURNING wallets.id
)
INSERT INTO wallet_entries (wallet_id, kind, amount_cents, balance_after_cents, idempotency_key, description, created_at)
SELECT fresh.id, 'debit', -1000, fresh.balance_after, 'pgbench-' || :client_id::text || '-' || :key::text || '-debit',
       '1 × Bench Unicorn', statement_timestamp()
  FROM fresh;
-- The order and its PurchaseCompleted event in the outbox (complete-order's statement, less the reservation).
WITH placed AS (
  INSERT INTO orders (checkout_id, customer_id, product_id, product_name, quantity, unit_price_cents, total_cents,
                      points_used, discount_cents, paid_cents)
  VALUES ((lpad(to_hex(:client_id::bigint), 16, '0') || lpad(to_hex(:key::bigint), 16, '0'))::uuid,
          ('00000000-0000-4000-8000-' || lpad(to_hex(:customer::bigint), 12, '0'))::uuid,
          ('00000000-0000-4000-9000-' || lpad(to_hex(:product::bigint), 12, '0'))::uuid,
          'Bench Unicorn', 1, 1000, 1000, 0, 0, 1000)
  RETURNING id, checkout_id, customer_id, product_id
)
INSERT INTO outbox_messages (id, event_type, payload)
SELECT gen_random_uuid(), 'PurchaseCompleted',
       jsonb_build_object('type', 'PurchaseCompleted', 'orderId', id, 'checkoutId', checkout_id, 'customerId', customer_id,
                          'amountCents', 1000, 'occurredAt', now(),
                          'items', jsonb_build_array(jsonb_build_object('productId', product_id, 'name', 'Bench Unicorn',
                                                                        'quantity', 1, 'unitPriceCents', 1000)))
  FROM placed;
-- The stock, last: the shop's batches take the hot inventory row last too (sharedRow hot), so that its lock is held
-- only from here to the commit.
UPDATE inventory SET on_hand = on_hand - 1, updated_at = now()
 WHERE product_id = ('00000000-0000-4000-9000-' || lpad(to_hex(:product::bigint), 12, '0'))::uuid AND on_hand - reserved >= 1;
COMMIT;
