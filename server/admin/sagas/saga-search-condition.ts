import { sql, sqlPool, type SqlQuery } from "@/server/sql";
import { classifySagaSearch, uuidRangeOfPrefix } from "./saga-search";

/**
 * Past this many customers (or products) matching a text search, they are not listed into the query: the fragment is
 * common, so walking the sagas newest first finds a page of matches at once, and a subquery lets the planner do that.
 */
const LISTED_MATCHES_LIMIT = 1_000;

/**
 * The condition a search adds to the saga list, or null when nothing can match (then no list query runs at all).
 * Each kind is shaped for an index (see saga-search.ts for the kinds):
 * - ids and prefixes: `s.id = ANY (…)` over a short array of saga ids found through the primary keys of
 *   saga_instances and orders (a prefix is a range of uuids);
 * - text: first looked up in the trigram indexes on customers.email and products.name (migration
 *   20261206100000_saga_search), then a condition over `checkouts c` alone (`onCheckouts`), with the few matching
 *   customer and product ids as parameters, so the planner knows how many there are.
 */
export async function sagaSearchCondition(search: string): Promise<{ where: SqlQuery; onCheckouts: boolean } | null> {
  const classified = classifySagaSearch(search);
  switch (classified.kind) {
    case "id":
      return {
        where: sql`s.id = ANY (ARRAY(
          SELECT ${classified.id}::uuid UNION ALL SELECT checkout_id FROM orders WHERE id = ${classified.id}::uuid))`,
        onCheckouts: false,
      };
    case "idPrefix": {
      const { from, before } = uuidRangeOfPrefix(classified.prefix);
      const inRange = sql`id >= ${from}::uuid${before === null ? sql`` : sql` AND id < ${before}::uuid`}`;
      return {
        where: sql`s.id = ANY (ARRAY(
          SELECT id FROM saga_instances WHERE ${inRange} UNION SELECT checkout_id FROM orders WHERE ${inRange}))`,
        onCheckouts: false,
      };
    }
    case "text": {
      const where = await textCondition(classified.text);
      return where === null ? null : { where, onCheckouts: true };
    }
    case "invalid":
      // The filter schema refuses these before any query; a caller that skipped it gets no match, not everything.
      return null;
  }
}

/**
 * The newest checkouts matching a condition over `checkouts c`, as the saga list's condition: when the search is the
 * whole filter, the page is found in checkouts alone (one index, no join per candidate) and only its sagas are read.
 * A checkout's created_at is its saga's (both are inserted in one transaction: start-checkout.ts), so this is the
 * list's own order, and its cursor applies.
 */
export function newestMatchingCheckouts(where: SqlQuery, options: { cursor?: { createdAt: Date; id: string } | null; limit: number }): SqlQuery {
  const after = options.cursor ? sql`AND (c.created_at, c.id) < (${options.cursor.createdAt}::timestamptz, ${options.cursor.id}::uuid)` : sql``;
  return sql`s.id = ANY (ARRAY(
    SELECT c.id FROM checkouts c WHERE ${where} ${after} ORDER BY c.created_at DESC, c.id DESC LIMIT ${options.limit}))`;
}

async function textCondition(text: string): Promise<SqlQuery | null> {
  const pattern = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const customers = sql`SELECT id FROM customers WHERE email LIKE ${pattern}`;
  const products = sql`SELECT id FROM products WHERE name ILIKE ${pattern}`;
  const [customerIds, productIds] = await Promise.all([
    sqlPool.rows<{ id: string }>(sql`${customers} LIMIT ${LISTED_MATCHES_LIMIT + 1}`),
    sqlPool.rows<{ id: string }>(sql`${products} LIMIT ${LISTED_MATCHES_LIMIT + 1}`),
  ]);
  const conditions = [matching(sql`c.customer_id`, customerIds, customers), matching(sql`c.product_id`, productIds, products)].filter(
    (condition) => condition !== null,
  );
  if (conditions.length === 0) return null;
  return conditions.length === 1 ? conditions[0]! : sql`(${conditions[0]!} OR ${conditions[1]!})`;
}

/** `column` among the ids found: one (an index answers it in order), a few (as a parameter), or many (a subquery). */
function matching(column: SqlQuery, ids: { id: string }[], all: SqlQuery): SqlQuery | null {
  if (ids.length === 0) return null;
  if (ids.length === 1) return sql`${column} = ${ids[0]!.id}::uuid`;
  if (ids.length > LISTED_MATCHES_LIMIT) return sql`${column} IN (${all})`;
  return sql`${column} = ANY (${ids.map((row) => row.id)}::uuid[])`;
}
