import type { z } from "zod";
import { DomainError } from "@/server/errors";

/** Parses a rule (campaign or redemption) with its schema, or refuses it with LOYALTY_RULE_INVALID naming the field. */
export function parseRuleOrRefuse<T>(schema: z.ZodType<T, unknown>, input: unknown, fallbackMessage: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new DomainError("LOYALTY_RULE_INVALID", first?.message ?? fallbackMessage, {
    field: first?.path.join("."),
    cause: parsed.error,
  });
}
