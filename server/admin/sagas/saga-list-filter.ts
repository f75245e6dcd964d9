import { z } from "zod";
import { SAGA_STATUSES } from "@/server/saga/saga-status";
import { sql, type SqlQuery } from "@/server/sql";

/** What the saga list can be narrowed to; the bulk retry applies to the same filter. */
export const sagaListFilterSchema = z.object({
  status: z.enum(SAGA_STATUSES, { error: "Pick one of the saga statuses." }).optional(),
  sagaType: z.string().trim().min(1).max(100).optional(),
  customerId: z.uuid("That is not a customer id.").optional(),
  from: z.coerce.date({ error: "Give the start as a date and time." }).optional(),
  to: z.coerce.date({ error: "Give the end as a date and time." }).optional(),
  /** A saga id, an order id, or a customer's email address. */
  search: z.string().trim().max(200).optional(),
});

export type SagaListFilter = z.infer<typeof sagaListFilterSchema>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The conditions of a filter, over `saga_instances s` joined to `checkouts c` (the checkout shares the saga's id):
 * only those the filter sets, so each filter gets a plan that can use its index.
 */
export function sagaListConditions(filter: SagaListFilter): SqlQuery[] {
  const conditions: SqlQuery[] = [];
  if (filter.status) conditions.push(sql`s.status = ${filter.status}::saga_status`);
  if (filter.sagaType) conditions.push(sql`s.saga_type = ${filter.sagaType}`);
  if (filter.customerId) conditions.push(sql`c.customer_id = ${filter.customerId}::uuid`);
  if (filter.from) conditions.push(sql`s.created_at >= ${filter.from}::timestamptz`);
  if (filter.to) conditions.push(sql`s.created_at < ${filter.to}::timestamptz`);
  const search = filter.search;
  if (search && uuidPattern.test(search)) {
    const id = search.toLowerCase();
    conditions.push(sql`(s.id = ${id}::uuid OR s.id = (SELECT checkout_id FROM orders WHERE id = ${id}::uuid))`);
  } else if (search) {
    conditions.push(sql`c.customer_id = (SELECT id FROM customers WHERE email = ${search.toLowerCase()})`);
  }
  return conditions;
}
