import * as admin from "@/server/admin/sagas/list-sagas";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { sql, sqlPool } from "@/server/sql";

/** One search the bench times, and what it must find (a search that is fast but finds nothing proves nothing). */
export type SearchQuery = { label: string; run: () => Promise<unknown>; check: () => Promise<boolean> };

/**
 * A search by each form a person sees of a completed purchase in the middle of the table (full id, prefixes, the
 * shopper's order number with and without `#`, the order's id, part of an email, a product name), and near misses
 * that must find nothing.
 */
export async function searchQueries(sagas: number): Promise<SearchQuery[]> {
  const [purchase] = await sqlPool.rows<{ sagaId: string; orderId: string; email: string }>(sql`
    SELECT s.id AS "sagaId", o.id AS "orderId", cu.email FROM saga_instances s
      JOIN orders o ON o.checkout_id = s.id JOIN customers cu ON cu.id = o.customer_id
     ORDER BY s.created_at LIMIT 1 OFFSET ${Math.floor(sagas / 2)}`);
  const { sagaId, orderId, email } = purchase!;
  const orderNumber = orderNumberOfCheckout(sagaId);
  const list = (search: string) => admin.listSagas({ filter: { search }, limit: 25 });
  const finds = (search: string, id = sagaId) => async () => (await list(search)).sagas.some((saga) => saga.id === id);
  const findsSome = (search: string) => async () => (await list(search)).sagas.length > 0;
  const findsEmail = (search: string) => async () => {
    const { sagas: found } = await list(search);
    return found.length > 0 && found.every((saga) => saga.customerEmail?.includes(search.toLowerCase()));
  };
  const findsNone = (search: string) => async () => (await list(search)).sagas.length === 0;
  const emailPart = email.split("@")[0]!.replace(/\d+$/, ""); // "pat.okafor": the sagas of a few customers
  const query = (label: string, search: string, check: (search: string) => () => Promise<boolean>): SearchQuery => ({
    label: `search: ${label} (${search})`,
    run: () => list(search),
    check: check(search),
  });
  return [
    query("full saga id", sagaId, finds),
    query("full id, upper case, no dashes", sagaId.replaceAll("-", "").toUpperCase(), finds),
    query("8-character prefix", sagaId.slice(0, 8), finds),
    query("6-character prefix", sagaId.slice(0, 6), finds),
    query("checkout reference, upper case", orderNumber.slice(1), finds),
    query("order number with #", orderNumber, finds),
    query("full order id", orderId, finds),
    query("whole email", email.toUpperCase(), findsEmail),
    query("part of an email, a few customers", emailPart, findsEmail),
    query("part of an email, many customers", "pat", findsEmail),
    query("product name, rare", "limited edition", findsSome),
    query("product name, common", "unicorn no. 7", findsSome),
    query("near miss: prefix of no saga", nearMissPrefix(sagaId), findsNone),
    query("near miss: unknown email part", "patx", findsNone),
  ];
}

/** The saga's 8-character prefix with its last digit changed: close, and (almost surely) no saga's. */
function nearMissPrefix(sagaId: string): string {
  const last = Number.parseInt(sagaId[7]!, 16);
  return sagaId.slice(0, 7) + ((last + 8) % 16).toString(16);
}
