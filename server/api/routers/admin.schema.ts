import { z } from "zod";
import { sagaListFilterSchema } from "@/server/admin/sagas/saga-list-filter";

export const sagaListInput = z.object({
  filter: sagaListFilterSchema.default({}),
  cursor: z.object({ createdAt: z.coerce.date(), id: z.uuid() }).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const sagaIdInput = z.object({ sagaId: z.uuid("That is not a saga id.") });

export const bulkRetryInput = z.object({ filter: sagaListFilterSchema.default({}) });
