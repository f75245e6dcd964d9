import type pg from "pg";
import type { InvariantResult } from "../lib/report";
import { moneyInvariants, sagasByStatus } from "../lib/shop-invariants";
import { EXPECTED_PRICE_CENTS, EXPECTED_STOCK, otherProductsStock } from "./shoppers";

/**
 * After the sale: exactly 5 sold, to exactly the shoppers told so, every shopper answered, no other product touched,
 * money and stock adding up, and no saga left running or needing attention.
 */
export async function checkFlashSaleInvariants(
  client: pg.Client,
  expected: { productId: string; otherStockBefore: Record<string, number>; buyers: string[]; started: number; unanswered: number },
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    ((await client.query<T>(sql, params)).rows[0] ?? {}) as T;

  check("sold exactly 5 (as the shoppers saw it)", expected.buyers.length === EXPECTED_STOCK, `${expected.buyers.length} shoppers were told their order completed`);
  check("every shopper got a final answer in time", expected.unanswered === 0, `${expected.unanswered} without one`);

  const stock = await one<{ on_hand: number; reserved: number }>("SELECT on_hand, reserved FROM inventory WHERE product_id = $1::uuid", [
    expected.productId,
  ]);
  check("Classic Unicorn stock: on_hand 0, reserved 0", stock.on_hand === 0 && stock.reserved === 0, `on_hand ${stock.on_hand}, reserved ${stock.reserved}`);
  const others = await otherProductsStock(client);
  check("other products untouched", JSON.stringify(others) === JSON.stringify(expected.otherStockBefore), `${Object.keys(others).length} products`);

  const orders = await client.query<{ customer_id: string; product_id: string; quantity: number; total_cents: number }>(
    "SELECT customer_id::text, product_id::text, quantity, total_cents FROM orders ORDER BY customer_id",
  );
  const orderCustomers = orders.rows.map((row) => row.customer_id).sort();
  check(
    "5 orders of 1 Classic Unicorn at $120.00, to 5 different shoppers",
    orders.rows.length === EXPECTED_STOCK &&
      orders.rows.every((row) => row.product_id === expected.productId && row.quantity === 1 && row.total_cents === EXPECTED_PRICE_CENTS) &&
      new Set(orderCustomers).size === EXPECTED_STOCK,
    `${orders.rows.length} orders`,
  );
  check(
    "the orders belong to exactly the shoppers told they bought one",
    JSON.stringify(orderCustomers) === JSON.stringify([...expected.buyers].sort()),
    `${orderCustomers.length} order owners vs ${expected.buyers.length} told`,
  );

  const { ledger, money } = await moneyInvariants(client);
  results.push(money, ledger);

  const { byStatus, active } = await sagasByStatus(client);
  check("no saga left running", active === 0, JSON.stringify(byStatus));
  check("no saga needs attention", byStatus.needs_attention === 0, `${byStatus.needs_attention}`);
  const checkouts = await one<{ checkouts: string; held: string; sold: string }>(
    `SELECT (SELECT count(*) FROM checkouts) AS checkouts, (SELECT count(*) FROM reservations WHERE status = 'held') AS held,
            (SELECT count(*) FROM reservations WHERE status = 'sold') AS sold`,
  );
  check(
    "one checkout per started answer; 5 reservations sold, none held",
    Number(checkouts.checkouts) === expected.started && Number(checkouts.sold) === EXPECTED_STOCK && Number(checkouts.held) === 0,
    `${checkouts.checkouts} checkouts for ${expected.started} started; ${checkouts.sold} sold, ${checkouts.held} held`,
  );
  return results;
}
