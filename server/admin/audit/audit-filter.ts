import { z } from "zod";
import { saneInstant, storableText } from "@/server/safe-input";

/**
 * What the whole audit log (/admin/audit) can be narrowed to. Safe to import in the browser: the filter form checks
 * the same fields before it asks, so the two cannot drift.
 */
export const auditFilterFields = {
  /** An email or any part of it ("ada", "@unicorn.test"), case-insensitive. */
  actor: z.string().trim().min(1).max(200, "Keep the actor to 200 characters.").refine(...storableText).optional(),
  action: z.string().trim().min(1).max(60, "That is not an audit action.").refine(...storableText).optional(),
  /** Lines at or after `from`, and before `to`. */
  from: saneInstant("Give the start as a date and time.").optional(),
  to: saneInstant("Give the end as a date and time.").optional(),
  /** One target's lines: a saga id, a rule's lineage id, "<queueName>/<jobId>"… */
  targetId: z.string().trim().min(1).max(300, "That is not a target id.").refine(...storableText).optional(),
};

export const DATE_ORDER_MESSAGE = "The end must be after the start.";

/** True when the range is empty or backwards (the end at or before the start). */
export function isBackwardsRange(range: { from?: Date; to?: Date }): boolean {
  return range.from !== undefined && range.to !== undefined && range.to.getTime() <= range.from.getTime();
}

export const auditFilterSchema = z
  .object(auditFilterFields)
  .refine((filter) => !isBackwardsRange(filter), { message: DATE_ORDER_MESSAGE, path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** Where a page of the log ends: the next page starts just after this line (newest first, ties broken by id). */
export const auditCursorSchema = z.object({ createdAt: saneInstant("The cursor's createdAt is a date and time."), id: z.uuid() });
export type AuditCursor = z.infer<typeof auditCursorSchema>;
