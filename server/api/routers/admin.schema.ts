import { z } from "zod";
import { saneInstant, storableText } from "@/server/safe-input";
import { BULK_PICK_LIMIT } from "@/server/admin/sagas/bulk-retry-compensations";
import { sagaListFilterSchema } from "@/server/admin/sagas/saga-list-filter";
import { auditCursorSchema, auditFilterFields, DATE_ORDER_MESSAGE, isBackwardsRange } from "@/server/admin/audit/audit-filter";
import { PROJECTION_NAMES } from "@/server/loyalty/projections/projection-checkpoints";

export const sagaListInput = z.object({
  filter: sagaListFilterSchema.default({}),
  cursor: z.object({ createdAt: saneInstant("The cursor's createdAt is a date and time."), id: z.uuid() }).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const sagaIdInput = z.object({ sagaId: z.uuid("That is not a saga id.") });

export const outboxEventInput = z.object({ eventId: z.uuid("That is not an event id.") });

export const parkedStreamInput = z.object({
  projection: z.enum(PROJECTION_NAMES, { error: "That is not a loyalty projection." }),
  customerId: z.uuid("That is not a customer id."),
});

/**
 * Either the sagas an operator picked (`sagaIds`) or every one matching the list's filter (`filter`, the contract
 * since the first bulk retry; neither given = no filter), never both: one request, one meaning.
 */
export const bulkRetryInput = z
  .object({
    filter: sagaListFilterSchema.optional(),
    sagaIds: z
      .array(z.uuid("Each picked saga must be a saga id."), { error: "Give the picked sagas as a list of saga ids." })
      .min(1, "Pick at least one saga to retry.")
      .max(BULK_PICK_LIMIT, `Pick at most ${BULK_PICK_LIMIT} sagas at once.`)
      .optional(),
  })
  .refine((input) => !(input.filter && input.sagaIds), {
    message: "Retry either the picked sagas or all matching the filter, not both.",
    path: ["sagaIds"],
  });

export const bulkRetryCountInput = z.object({ filter: sagaListFilterSchema.default({}) });

export const simulatorStartInput = z.object({
  shoppers: z
    .number({ error: "Enter how many shoppers, as a number." })
    .int("Shoppers are whole people.")
    .min(1, "Send at least 1 shopper.")
    .max(2_000, "The simulator sends at most 2,000 shoppers."),
});

const dateOrder = { message: DATE_ORDER_MESSAGE, path: ["to"] };

export const auditListInput = z
  .object({
    ...auditFilterFields,
    action: z.string().trim().min(1).max(60).refine(...storableText).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((input) => !isBackwardsRange(input), dateOrder)
  .default({ limit: 50 });

/** The audit page's form: the whole log, filtered, a page at a time (`cursor` from the page before). */
export const auditPageInput = z
  .object({
    ...auditFilterFields,
    cursor: auditCursorSchema.nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((input) => !isBackwardsRange(input), dateOrder);

export const simulatorStatusInput = z.object({ runId: z.uuid("That is not a simulation run id.") });
