import { z } from "zod";

import { SAGA_STATUSES } from "@/server/saga/saga-status";

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
 * The WHERE clause for a filter, over `saga_instances s` joined to `checkouts c` (the checkout shares the saga's id).
 * Built as text with numbered parameters, so each filter gets a plan that can use its index.
 */
export function sagaListWhere(filter: SagaListFilter, values: unknown[]): string[] {
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (filter.status) where.push(`s.status = ${param(filter.status)}::saga_status`);
  if (filter.sagaType) where.push(`s.saga_type = ${param(filter.sagaType)}`);
  if (filter.customerId) where.push(`c.customer_id = ${param(filter.customerId)}::uuid`);
  if (filter.from) where.push(`s.created_at >= ${param(filter.from)}::timestamptz`);
  if (filter.to) where.push(`s.created_at < ${param(filter.to)}::timestamptz`);
  const search = filter.search;
  if (search && uuidPattern.test(search)) {
    const id = param(search.toLowerCase());
    where.push(`(s.id = ${id}::uuid OR s.id = (SELECT checkout_id FROM orders WHERE id = ${id}::uuid))`);
  } else if (search) {
    where.push(`c.customer_id = (SELECT id FROM customers WHERE email = ${param(search.toLowerCase())})`);
  }
  return where;
}
