import { z } from "zod";
import { saneInstant, storableText } from "@/server/safe-input";
import { SAGA_STATUSES } from "@/server/saga/saga-status";

/** What the saga list can be narrowed to; the bulk retry applies to the same filter. */
export const sagaListFilterSchema = z.object({
  status: z.enum(SAGA_STATUSES, { error: "Pick one of the saga statuses." }).optional(),
  sagaType: z.string().trim().min(1).max(100).refine(...storableText).optional(),
  customerId: z.uuid("That is not a customer id.").optional(),
  from: saneInstant("Give the start as a date and time.").optional(),
  to: saneInstant("Give the end as a date and time.").optional(),
  /** A saga id, an order id, or a customer's email address. */
  search: z.string().trim().max(200).refine(...storableText).optional(),
});

export type SagaListFilter = z.infer<typeof sagaListFilterSchema>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A search for a saga or order id (anything else searched for is a customer's email). */
export function isSagaSearchId(search: string): boolean {
  return uuidPattern.test(search);
}
