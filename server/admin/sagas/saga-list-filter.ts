import { z } from "zod";
import { saneInstant, storableText } from "@/server/safe-input";
import { SAGA_STATUSES } from "@/server/saga/saga-status";
import { classifySagaSearch } from "./saga-search";

/** Said beside the end time, by the page and by the API alike. */
export const DATES_OUT_OF_ORDER_MESSAGE = "The end must be after the start.";

/** What the saga list can be narrowed to; the bulk retry applies to the same filter. */
export const sagaListFilterSchema = z
  .object({
    status: z.enum(SAGA_STATUSES, { error: "Pick one of the saga statuses." }).optional(),
    sagaType: z.string().trim().min(1).max(100).refine(...storableText).optional(),
    customerId: z.uuid("That is not a customer id (it looks like 3f2a9c1b-…). To find a customer by email, use Search.").optional(),
    from: saneInstant("Give the start as a date and time.").optional(),
    to: saneInstant("Give the end as a date and time.").optional(),
    /**
     * Any id a person sees of a purchase (in full or its first 6+ hex digits, the order number with or without `#`),
     * part of a customer's email or of a product's name: saga-search.ts classifies it, and refuses what it cannot be.
     */
    search: z
      .string()
      .trim()
      .max(200)
      .refine(...storableText)
      .superRefine((search, context) => {
        const classified = classifySagaSearch(search);
        if (classified.kind === "invalid") context.addIssue({ code: "custom", message: classified.message });
      })
      .optional(),
  })
  // An empty range is a mistake to say, not a filter to run (it would list nothing and look like "no sagas").
  .refine((filter) => !(filter.from && filter.to && filter.to <= filter.from), { message: DATES_OUT_OF_ORDER_MESSAGE, path: ["to"] });

export type SagaListFilter = z.infer<typeof sagaListFilterSchema>;
