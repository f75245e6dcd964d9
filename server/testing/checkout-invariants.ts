import pg from "pg";
import { db } from "@/server/db";
import { auditRetailInvariants } from "@/server/retail/invariants/retail-invariants";
import { sqlPool } from "@/server/sql";
import { integrationServices } from "./test-databases";

/**
 * What must hold for the shop as a whole after any mix of checkouts, failures and crashes. Each check reads
 * PostgreSQL directly and names what is wrong, so a failing test says which rule broke and where.
 */

export type StockSnapshot = ReadonlyMap<string, number>;

/** on_hand of every product now: pass it to checkInvariants at the end to count the units sold. */
export async function snapshotStock(): Promise<StockSnapshot> {
  const rows = await db.inventory.findMany({ select: { productId: true, onHand: true } });
  return new Map(rows.map((row) => [row.productId, row.onHand]));
}

export type InvariantSummary = {
  violations: string[];
  sagas: Record<string, number>;
  orders: number;
  unitsSold: number;
  debits: number;
  refunds: number;
  debitedCents: number;
  refundedCents: number;
  /** What confirmed orders cost before points, and what their wallets paid (less what points took off). */
  orderTotalCents: number;
  orderPaidCents: number;
};

/**
 * Checks every invariant; returns the violations (empty when all hold) with a summary. Use as
 * `expect((await checkInvariants(initial)).violations).toEqual([])`.
 */
export async function checkInvariants(
  initialStock: StockSnapshot,
  options: { allowNeedsAttention?: boolean; allowActiveSagas?: boolean } = {},
): Promise<InvariantSummary> {
  const violations: string[] = [];

  // Stock: sold = ordered = gone since the test began (never negative and reserved = held: the standing audit, below).
  const stock = await db.$queryRaw<
    { product_id: string; on_hand: number; sold_reserved: number; ordered: number }[]
  >`
    SELECT i.product_id, i.on_hand,
           COALESCE((SELECT SUM(quantity) FROM reservations r WHERE r.product_id = i.product_id AND r.status = 'sold'), 0)::int AS sold_reserved,
           COALESCE((SELECT SUM(quantity) FROM orders o WHERE o.product_id = i.product_id), 0)::int AS ordered
      FROM inventory i`;
  let unitsSold = 0;
  for (const row of stock) {
    const initial = initialStock.get(row.product_id);
    if (row.ordered !== row.sold_reserved) {
      violations.push(`product ${row.product_id}: orders hold ${row.ordered} units but sold reservations ${row.sold_reserved}`);
    }
    if (initial === undefined) {
      violations.push(`product ${row.product_id}: no initial stock recorded`);
    } else if (initial - row.on_hand !== row.ordered) {
      violations.push(`product ${row.product_id}: on_hand went ${initial} → ${row.on_hand}, but orders hold ${row.ordered} units`);
    }
    unitsSold += row.ordered;
  }

  // Each wallet's balance = its ledger, never negative: the standing audit, below.

  // Per checkout: money, reservation, order, outbox and saga agree with each other.
  const checkouts = await db.$queryRaw<
    {
      id: string;
      customer_id: string;
      amount_cents: number;
      discount_cents: number;
      saga_status: string | null;
      debits: number;
      debited: number;
      debit_wallet_ok: boolean;
      refunds: number;
      refunded: number;
      orders: number;
      order_id: string | null;
      order_total: number | null;
      order_discount: number | null;
      order_paid: number | null;
      order_customer_ok: boolean | null;
      events: number;
      reservation_status: string | null;
    }[]
  >`
    SELECT c.id, c.customer_id, c.amount_cents, s.status::text AS saga_status,
           COALESCE((s.step_outputs->'redeem-points'->>'discountCents')::int, 0) AS discount_cents,
           (SELECT COUNT(*) FROM wallet_entries e WHERE e.idempotency_key = 'saga:' || c.id || ':debit')::int AS debits,
           COALESCE((SELECT -SUM(amount_cents) FROM wallet_entries e WHERE e.idempotency_key = 'saga:' || c.id || ':debit'), 0)::int AS debited,
           NOT EXISTS (SELECT 1 FROM wallet_entries e JOIN wallets w ON w.id = e.wallet_id
                        WHERE e.idempotency_key = 'saga:' || c.id || ':debit' AND w.customer_id <> c.customer_id) AS debit_wallet_ok,
           (SELECT COUNT(*) FROM wallet_entries e WHERE e.idempotency_key = 'saga:' || c.id || ':refund')::int AS refunds,
           COALESCE((SELECT SUM(amount_cents) FROM wallet_entries e WHERE e.idempotency_key = 'saga:' || c.id || ':refund'), 0)::int AS refunded,
           (SELECT COUNT(*) FROM orders o WHERE o.checkout_id = c.id)::int AS orders,
           o.id AS order_id, o.total_cents AS order_total, o.discount_cents AS order_discount, o.paid_cents AS order_paid,
           (o.customer_id = c.customer_id) AS order_customer_ok,
           (SELECT COUNT(*) FROM outbox_messages m
             WHERE m.event_type = 'PurchaseCompleted' AND m.payload->>'orderId' = o.id::text)::int AS events,
           r.status::text AS reservation_status
      FROM checkouts c
      LEFT JOIN saga_instances s ON s.id = c.id
      LEFT JOIN orders o ON o.checkout_id = c.id
      LEFT JOIN reservations r ON r.checkout_id = c.id`;
  const sagas: Record<string, number> = {};
  let debits = 0;
  let refunds = 0;
  let debitedCents = 0;
  let refundedCents = 0;
  let orderTotalCents = 0;
  let orderPaidCents = 0;
  for (const c of checkouts) {
    // What the wallet pays: the amount less what the points Loyalty redeemed for it took off.
    const toPay = c.amount_cents - c.discount_cents;
    const where = `checkout ${c.id} (${c.saga_status ?? "no saga"})`;
    sagas[c.saga_status ?? "missing"] = (sagas[c.saga_status ?? "missing"] ?? 0) + 1;
    debits += c.debits;
    refunds += c.refunds;
    debitedCents += c.debited;
    refundedCents += c.refunded;
    orderTotalCents += c.order_total ?? 0;
    orderPaidCents += c.order_paid ?? 0;
    if (c.saga_status === null) violations.push(`${where}: no saga`);
    if (c.debits > 1 || c.refunds > 1) violations.push(`${where}: ${c.debits} debits, ${c.refunds} refunds`);
    if (c.debits === 1 && c.debited !== toPay) violations.push(`${where}: debited ${c.debited}, not ${toPay}`);
    if (c.refunds === 1 && c.refunded !== c.debited) violations.push(`${where}: refunded ${c.refunded} of ${c.debited}`);
    if (c.refunds > c.debits) violations.push(`${where}: refunded without a debit`);
    if (!c.debit_wallet_ok) violations.push(`${where}: debited from another customer's wallet`);
    if (c.orders > 0) {
      if (c.saga_status !== "completed") violations.push(`${where}: has an order but the saga is not completed`);
      if (c.debits !== 1 || c.refunds !== 0) violations.push(`${where}: confirmed order with ${c.debits} debits and ${c.refunds} refunds`);
      if (c.order_total !== c.amount_cents) violations.push(`${where}: order total ${c.order_total}, checkout amount ${c.amount_cents}`);
      if (c.order_discount !== c.discount_cents || c.order_paid !== toPay) {
        violations.push(`${where}: order took ${c.order_discount} off and was paid ${c.order_paid}, its points took ${c.discount_cents} off`);
      }
      if (!c.order_customer_ok) violations.push(`${where}: the order belongs to another customer`);
      if (c.events !== 1) violations.push(`${where}: confirmed order with ${c.events} PurchaseCompleted events`);
      if (c.reservation_status !== "sold") violations.push(`${where}: confirmed order but reservation ${c.reservation_status}`);
    } else {
      if (c.saga_status === "completed") violations.push(`${where}: completed without an order`);
      if (c.saga_status === "compensated" && c.debits !== c.refunds) {
        violations.push(`${where}: compensated with ${c.debits} debits and ${c.refunds} refunds`);
      }
      if (c.saga_status === "compensated" && c.reservation_status === "held") violations.push(`${where}: compensated but still holds stock`);
      if (c.reservation_status === "sold") violations.push(`${where}: reservation sold without an order`);
    }
    if (c.saga_status === "needs_attention" && !options.allowNeedsAttention) violations.push(`${where}: needs attention`);
    if ((c.saga_status === "running" || c.saga_status === "compensating") && !options.allowActiveSagas) {
      violations.push(`${where}: still active`);
    }
  }

  // Money is conserved: what checkouts took is exactly what confirmed orders were paid plus what went back.
  if (debitedCents !== orderPaidCents + refundedCents) {
    violations.push(`debits ${debitedCents} ≠ paid for confirmed orders ${orderPaidCents} + refunds ${refundedCents}`);
  }
  const [ledgerTotals] = await db.$queryRaw<{ debited: number; refunded: number }[]>`
    SELECT COALESCE(-SUM(amount_cents) FILTER (WHERE kind = 'debit'), 0)::int AS debited,
           COALESCE(SUM(amount_cents) FILTER (WHERE kind = 'refund'), 0)::int AS refunded
      FROM wallet_entries`;
  if (ledgerTotals && (ledgerTotals.debited !== debitedCents || ledgerTotals.refunded !== refundedCents)) {
    violations.push(
      `the ledger holds debits ${ledgerTotals.debited} and refunds ${ledgerTotals.refunded} that are not all a checkout's`,
    );
  }

  // Nothing hangs loose: every saga has a checkout, every order and event has its checkout.
  const [loose] = await db.$queryRaw<{ orphan_sagas: number; orphan_events: number; events: number; orders: number }[]>`
    SELECT (SELECT COUNT(*) FROM saga_instances s WHERE NOT EXISTS (SELECT 1 FROM checkouts c WHERE c.id = s.id))::int AS orphan_sagas,
           (SELECT COUNT(*) FROM outbox_messages m WHERE m.event_type = 'PurchaseCompleted'
               AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id::text = m.payload->>'orderId'))::int AS orphan_events,
           (SELECT COUNT(*) FROM outbox_messages WHERE event_type = 'PurchaseCompleted')::int AS events,
           (SELECT COUNT(*) FROM orders)::int AS orders`;
  if (loose && loose.orphan_sagas > 0) violations.push(`${loose.orphan_sagas} sagas without a checkout`);
  if (loose && loose.orphan_events > 0) violations.push(`${loose.orphan_events} outbox events without an order`);
  if (loose && loose.events !== loose.orders) violations.push(`${loose.events} outbox events for ${loose.orders} orders`);

  // The standing auditor the workers run must agree: every test of the invariants is also a test of it.
  for (const broken of (await auditRetailInvariants(sqlPool)).violations) {
    violations.push(`the standing audit: ${broken.rule}: ${broken.subject}: ${broken.detail}`);
  }

  return {
    violations,
    sagas,
    orders: loose?.orders ?? 0,
    unitsSold,
    debits,
    refunds,
    debitedCents,
    refundedCents,
    orderTotalCents,
    orderPaidCents,
  };
}

export type InventorySample = { at: number; onHand: number; reserved: number };

export type InventorySampler = {
  /** Stops sampling; resolves with every sample taken. */
  stop(): Promise<InventorySample[]>;
};

/**
 * Reads a product's inventory row every `intervalMs` on a connection of its own (so the app's pool under load does not
 * slow the sampling), recording every sample: a run can then show stock never went below zero at any moment.
 */
export async function sampleInventory(productId: string, intervalMs = 20): Promise<InventorySampler> {
  const client = new pg.Client({ connectionString: integrationServices().databaseUrl });
  await client.connect();
  const samples: InventorySample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const result = await client.query<{ on_hand: number; reserved: number }>(
        "SELECT on_hand, reserved FROM inventory WHERE product_id = $1",
        [productId],
      );
      const row = result.rows[0];
      if (row) samples.push({ at: Date.now(), onHand: row.on_hand, reserved: row.reserved });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      try {
        await loop;
      } finally {
        await client.end();
      }
      return samples;
    },
  };
}
