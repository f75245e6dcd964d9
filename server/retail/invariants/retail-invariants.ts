import { redeemPointsStepId } from "@/server/retail/checkout/checkout-steps";
import { sql, type SqlClient } from "@/server/sql";

/**
 * What must hold for Retail at every commit, however many checkouts are in flight: each rule is one query, and each
 * names the rows that break it. Used by the standing auditor (run-invariant-audit.ts) and by the tests'
 * checkInvariants, which adds what only a test can know (the stock before it started, no saga still running).
 */
export type InvariantViolation = { rule: string; subject: string; detail: string };
export type InvariantCheck = { rule: string; checked: number };
export type RetailAudit = { checks: InvariantCheck[]; violations: InvariantViolation[] };

export async function auditRetailInvariants(client: SqlClient): Promise<RetailAudit> {
  const results = [await stock(client), await wallets(client), await finishedCheckouts(client), await moneyConserved(client)];
  return { checks: results.map((result) => result.check), violations: results.flatMap((result) => result.violations) };
}

type RuleResult = { check: InvariantCheck; violations: InvariantViolation[] };

/** Never negative, never more reserved than on hand, and reserved = the reservations still held. */
async function stock(client: SqlClient): Promise<RuleResult> {
  const [row] = await client.rows<{ products: number; broken: { id: string; on_hand: number; reserved: number; held: number }[] }>(sql`
    SELECT (SELECT count(*)::int FROM inventory) AS products,
           COALESCE((SELECT json_agg(json_build_object('id', product_id, 'on_hand', on_hand, 'reserved', reserved, 'held', held))
                       FROM (SELECT i.product_id, i.on_hand, i.reserved,
                                    COALESCE((SELECT sum(quantity) FROM reservations r
                                               WHERE r.product_id = i.product_id AND r.status = 'held'), 0)::int AS held
                               FROM inventory i) levels
                      WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand OR reserved <> held), '[]') AS broken`);
  return {
    check: { rule: "stock", checked: row?.products ?? 0 },
    violations: (row?.broken ?? []).map((product) => ({
      rule: "stock",
      subject: `product ${product.id}`,
      detail: `on_hand ${product.on_hand}, reserved ${product.reserved}, held reservations ${product.held}`,
    })),
  };
}

/** Each wallet's balance is the sum of its ledger, and never negative. */
async function wallets(client: SqlClient): Promise<RuleResult> {
  const [row] = await client.rows<{ wallets: number; broken: { id: string; balance: number; ledger: number }[] }>(sql`
    SELECT (SELECT count(*)::int FROM wallets) AS wallets,
           COALESCE((SELECT json_agg(json_build_object('id', id, 'balance', balance_cents, 'ledger', ledger))
                       FROM (SELECT w.id, w.balance_cents, COALESCE(sum(e.amount_cents), 0)::int AS ledger
                               FROM wallets w LEFT JOIN wallet_entries e ON e.wallet_id = w.id
                              GROUP BY w.id, w.balance_cents
                             HAVING w.balance_cents <> COALESCE(sum(e.amount_cents), 0) OR w.balance_cents < 0) b), '[]') AS broken`);
  return {
    check: { rule: "wallet balance = ledger", checked: row?.wallets ?? 0 },
    violations: (row?.broken ?? []).map((wallet) => ({
      rule: "wallet balance = ledger",
      subject: `wallet ${wallet.id}`,
      detail: `balance ${wallet.balance} but the ledger sums to ${wallet.ledger}`,
    })),
  };
}

type CheckoutRow = {
  id: string;
  status: string;
  amount_cents: number;
  debits: number;
  debited: number;
  refunds: number;
  refunded: number;
  orders: number;
  order_total: number | null;
  order_paid: number | null;
  order_discount: number | null;
  /** What the points Loyalty redeemed for it took off, if it redeemed any, and whether they were given back. */
  points_discount: number | null;
  points_restored: boolean;
  events: number;
  reservation: string | null;
};

/**
 * Exactly once, per checkout: at most one debit and one refund; a completed one has one order of its amount, one
 * debit of what the order says was paid (the amount less what points took off), no refund, its reservation sold and
 * one PurchaseCompleted; a compensated one gave back what it took (money and points) and holds no stock. Checkouts
 * still in flight are only held to "at most once".
 */
async function finishedCheckouts(client: SqlClient): Promise<RuleResult> {
  // Set-based, so that the audit grows with the shop rather than with its square: the PurchaseCompleted events are
  // counted per order once (their order id is inside the payload, with no index to look one up by), then joined. A
  // per-checkout subquery over the outbox took 13 s at 2,000 checkouts and ran out of statement time beyond.
  const rows = await client.rows<CheckoutRow>(sql`
    WITH purchase_events AS (
      SELECT payload->>'orderId' AS order_id, count(*)::int AS events
        FROM outbox_messages WHERE event_type = 'PurchaseCompleted' GROUP BY 1)
    SELECT c.id, s.status::text AS status, c.amount_cents,
           count(e.id) FILTER (WHERE e.kind = 'debit')::int AS debits,
           COALESCE(-sum(e.amount_cents) FILTER (WHERE e.kind = 'debit'), 0)::int AS debited,
           count(e.id) FILTER (WHERE e.kind = 'refund')::int AS refunds,
           COALESCE(sum(e.amount_cents) FILTER (WHERE e.kind = 'refund'), 0)::int AS refunded,
           count(DISTINCT o.id)::int AS orders,
           min(o.total_cents) AS order_total,
           min(o.paid_cents) AS order_paid,
           min(o.discount_cents) AS order_discount,
           (s.step_outputs->${redeemPointsStepId}::text->>'discountCents')::int AS points_discount,
           EXISTS (SELECT 1 FROM saga_step_executions x
                    WHERE x.saga_id = c.id AND x.step = ${redeemPointsStepId} AND x.phase = 'compensation'
                      AND x.status = 'succeeded') AS points_restored,
           COALESCE(min(pe.events), 0)::int AS events,
           (SELECT r.status::text FROM reservations r WHERE r.checkout_id = c.id) AS reservation
      FROM checkouts c
      JOIN saga_instances s ON s.id = c.id
      LEFT JOIN wallet_entries e ON e.idempotency_key IN ('saga:' || c.id || ':debit', 'saga:' || c.id || ':refund')
      -- At most one order per checkout (a unique index), so these joins never multiply the entries above.
      LEFT JOIN orders o ON o.checkout_id = c.id
      LEFT JOIN purchase_events pe ON pe.order_id = o.id::text
     GROUP BY c.id, s.status, c.amount_cents, s.step_outputs`);
  const violations: InvariantViolation[] = [];
  for (const c of rows) {
    const broken = (detail: string) => violations.push({ rule: "checkout exactly once", subject: `checkout ${c.id} (${c.status})`, detail });
    if (c.debits > 1 || c.refunds > 1) broken(`${c.debits} debits and ${c.refunds} refunds`);
    if (c.refunds > c.debits) broken("refunded without a debit");
    if (c.status === "completed") {
      if (c.orders !== 1 || c.order_total !== c.amount_cents) broken(`completed with ${c.orders} orders totalling ${c.order_total}`);
      if (c.debits !== 1 || c.debited !== c.order_paid || c.refunds !== 0) {
        broken(`completed with ${c.debits} debits of ${c.debited} cents (the order says ${c.order_paid} paid) and ${c.refunds} refunds`);
      }
      if ((c.order_discount ?? 0) !== (c.points_discount ?? 0)) broken(`completed with ${c.order_discount} off, but its points took ${c.points_discount} off`);
      if (c.reservation !== "sold") broken(`completed, but its reservation is ${c.reservation}`);
      if (c.events !== 1) broken(`completed with ${c.events} PurchaseCompleted events`);
    } else if (c.orders > 0) {
      broken(`${c.orders} orders, but the saga is ${c.status}`);
    }
    if (c.status === "compensated") {
      if (c.refunded !== c.debited) broken(`compensated, but refunded ${c.refunded} of ${c.debited} cents`);
      if (c.reservation === "held" || c.reservation === "sold") broken(`compensated, but its reservation is ${c.reservation}`);
      if (c.points_discount !== null && !c.points_restored) broken("compensated, but the points it redeemed were never given back");
    }
  }
  return { check: { rule: "checkout exactly once", checked: rows.length }, violations };
}

/** Money is conserved: over every finished checkout, what was taken = what confirmed orders were paid + what went back. */
async function moneyConserved(client: SqlClient): Promise<RuleResult> {
  const [row] = await client.rows<{ finished: number; debited: number; refunded: number; ordered: number }>(sql`
    SELECT count(DISTINCT c.id)::int AS finished,
           COALESCE((SELECT -sum(e.amount_cents) FROM wallet_entries e JOIN checkouts c2 ON e.idempotency_key = 'saga:' || c2.id || ':debit'
                      JOIN saga_instances s2 ON s2.id = c2.id WHERE s2.status IN ('completed', 'compensated')), 0)::bigint AS debited,
           COALESCE((SELECT sum(e.amount_cents) FROM wallet_entries e JOIN checkouts c2 ON e.idempotency_key = 'saga:' || c2.id || ':refund'
                      JOIN saga_instances s2 ON s2.id = c2.id WHERE s2.status IN ('completed', 'compensated')), 0)::bigint AS refunded,
           COALESCE((SELECT sum(o.paid_cents) FROM orders o), 0)::bigint AS ordered
      FROM checkouts c JOIN saga_instances s ON s.id = c.id WHERE s.status IN ('completed', 'compensated')`);
  const { finished = 0, debited = 0, refunded = 0, ordered = 0 } = row ?? {};
  const [taken, back, sold] = [Number(debited), Number(refunded), Number(ordered)];
  return {
    check: { rule: "money conserved", checked: finished },
    violations:
      taken === sold + back
        ? []
        : [{ rule: "money conserved", subject: "all finished checkouts", detail: `debits ${taken} ≠ paid for confirmed orders ${sold} + refunds ${back}` }],
  };
}
