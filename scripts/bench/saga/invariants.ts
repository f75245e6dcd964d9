import type pg from "pg";
import type { InvariantResult } from "../lib/report";
import { moneyInvariants, sagasByStatus } from "../lib/shop-invariants";

/**
 * After every level: each saga the bench started completed, with exactly one order, checkout and outbox message; stock
 * and money add up across the whole database.
 */
export async function checkSagaInvariants(
  client: pg.Client,
  expected: { startedSagaIds: number; stock: number; usesPoints: boolean },
): Promise<InvariantResult[]> {
  const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    ((await client.query<T>(sql, params)).rows[0] ?? {}) as T;
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });

  const { byStatus, total, active } = await sagasByStatus(client);
  check("no saga left running", active === 0, `${active} running or compensating of ${total}`);
  check("every saga completed", byStatus.completed === total, JSON.stringify(byStatus));
  check("the database has every saga the bench started", total === expected.startedSagaIds, `${total} in PostgreSQL, ${expected.startedSagaIds} started`);

  const orders = await one<{ orders: string; units: string; checkouts: string; outbox: string; sold: string; held: string }>(
    `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT coalesce(sum(quantity), 0) FROM orders) AS units,
            (SELECT count(*) FROM checkouts) AS checkouts,
            (SELECT count(*) FROM outbox_messages WHERE event_type = 'PurchaseCompleted') AS outbox,
            (SELECT count(*) FROM reservations WHERE status = 'sold') AS sold,
            (SELECT count(*) FROM reservations WHERE status = 'held') AS held`,
  );
  check("one order per completed saga", Number(orders.orders) === byStatus.completed, `${orders.orders} orders`);
  check("one checkout per saga", Number(orders.checkouts) === total, `${orders.checkouts} checkouts`);
  check("one PurchaseCompleted in the outbox per order", Number(orders.outbox) === Number(orders.orders), `${orders.outbox} outbox messages`);
  check("every reservation sold, none held", Number(orders.sold) === Number(orders.orders) && Number(orders.held) === 0, `${orders.sold} sold, ${orders.held} held`);

  const stock = await one<{ bad: string; reserved: string; sold_units: string }>(
    `SELECT count(*) FILTER (WHERE i.on_hand <> $1::int - coalesce(o.units, 0)) AS bad, coalesce(sum(i.reserved), 0) AS reserved,
            coalesce(sum($1::int - i.on_hand), 0) AS sold_units
       FROM inventory i LEFT JOIN (SELECT product_id, sum(quantity) AS units FROM orders GROUP BY product_id) o USING (product_id)`,
    [expected.stock],
  );
  check(
    "stock: on_hand = initial − units ordered, nothing reserved",
    Number(stock.bad) === 0 && Number(stock.reserved) === 0 && Number(stock.sold_units) === Number(orders.units),
    `${stock.bad} products off, ${stock.reserved} reserved, ${stock.sold_units} units left stock, ${orders.units} ordered`,
  );

  if (expected.usesPoints) {
    const points = await one<{ asked: string; used: string; off: string }>(
      `SELECT count(*) FILTER (WHERE c.points_requested > 0) AS asked, count(*) FILTER (WHERE o.points_used > 0) AS used,
              count(*) FILTER (WHERE c.points_requested > 0 AND o.points_used <> c.points_requested) AS off
         FROM checkouts c LEFT JOIN orders o ON o.checkout_id = c.id`,
    );
    check(
      "every checkout that asked for points used them (the customers have plenty)",
      Number(points.off) === 0 && points.used === points.asked,
      `${points.asked} asked, ${points.used} orders used points, ${points.off} used other than asked`,
    );
  }

  const { ledger, money } = await moneyInvariants(client);
  results.push(ledger, money);
  return results;
}
