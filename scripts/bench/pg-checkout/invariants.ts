import type pg from "pg";
import type { InvariantResult } from "../lib/report";
import { STOCK_PER_PRODUCT } from "./prepare";

/**
 * After every level: the one-transaction checkouts left the shop's books as a saga's would — each checkout has its
 * order, its debit and its event; stock fell by what was sold; every wallet's balance is its ledger's sum.
 */
export async function checkPgCheckoutInvariants(client: pg.Client): Promise<InvariantResult[]> {
  const { rows } = await client.query<{
    checkouts: number; orders: number; debits: number; events: number; sold: number; stock_off: number; wallets_off: number;
  }>(`
    SELECT (SELECT count(*)::int FROM checkouts) AS checkouts,
           (SELECT count(*)::int FROM orders) AS orders,
           (SELECT count(*)::int FROM wallet_entries WHERE kind = 'debit') AS debits,
           (SELECT count(*)::int FROM outbox_messages WHERE event_type = 'PurchaseCompleted') AS events,
           (SELECT COALESCE(sum(${STOCK_PER_PRODUCT}::bigint - on_hand), 0)::int FROM inventory) AS sold,
           (SELECT count(*)::int FROM inventory i
             WHERE i.on_hand <> ${STOCK_PER_PRODUCT} - (SELECT count(*) FROM orders o WHERE o.product_id = i.product_id)) AS stock_off,
           (SELECT count(*)::int FROM wallets w
             WHERE w.balance_cents <> (SELECT sum(e.amount_cents) FROM wallet_entries e WHERE e.wallet_id = w.id)) AS wallets_off`);
  const row = rows[0]!;
  return [
    {
      name: "one order, one debit, one event per checkout",
      ok: row.orders === row.checkouts && row.debits === row.checkouts && row.events === row.checkouts,
      detail: `${row.checkouts} checkouts, ${row.orders} orders, ${row.debits} debits, ${row.events} PurchaseCompleted events`,
    },
    {
      name: "stock fell by what was sold",
      ok: row.stock_off === 0 && row.sold === row.orders,
      detail: `${row.sold} units off the shelves for ${row.orders} orders; ${row.stock_off} products disagree`,
    },
    { name: "wallet balance = ledger", ok: row.wallets_off === 0, detail: `${row.wallets_off} wallets disagree with their ledger` },
  ];
}
