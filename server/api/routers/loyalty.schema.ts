import { z } from "zod";
import { MAX_INT32, saneInstant, storableText } from "@/server/safe-input";
import { campaignRuleDraftSchema, campaignRuleEditSchema } from "@/server/loyalty/rules/campaign-rule";
import { redemptionRuleSchema } from "@/server/loyalty/rules/redemption-rule";
import { emailSchema } from "./auth.schema";
import { idempotencyKeySchema } from "./wallet.schema";

/** The largest redemption asked for in one go; a typo of extra zeros gets a clear answer, not an overflow. */
const MAX_REDEEM_POINTS = 1_000_000;

export const historyInput = z
  .object({
    cursor: z.number().int("The cursor is a whole number.").positive().max(MAX_INT32, "That is not a history cursor.").nullish(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .default({ limit: 20 });

export const balanceAtInput = z.object({
  at: saneInstant("Give the moment as a date and time, like 2026-11-01T00:00:00Z."),
});

/** Whole points, from `min` to the most one request may use ("Redeem at most 1,000,000 points at a time."). */
function wholePoints(min: { points: number; message: string }, verb: string) {
  return z
    .number({ error: "Enter the points as a number." })
    .int("Points are whole numbers.")
    .min(min.points, min.message)
    .max(MAX_REDEEM_POINTS, `${verb} at most ${MAX_REDEEM_POINTS.toLocaleString("en-US")} points at a time.`);
}

export const redeemInput = z.object({
  points: wholePoints({ points: 1, message: "Redeem at least 1 point." }, "Redeem"),
  idempotencyKey: idempotencyKeySchema,
});

/** Points to use on an order (0: none), as a checkout's pointsToUse or a quote's. */
export const pointsToUseSchema = wholePoints({ points: 0, message: "Points can't be negative." }, "Use");

export const quoteInput = z.object({
  points: pointsToUseSchema,
  amountCents: z
    .number({ error: "Give the order's amount in cents." })
    .int("Give the amount in whole cents.")
    .positive("The order's amount must be more than 0.")
    .max(MAX_INT32, "That amount is too large."),
});

export const createRuleInput = campaignRuleDraftSchema;

export const redemptionRuleInput = redemptionRuleSchema;

export const updateRuleInput = campaignRuleEditSchema;

export const ruleIdInput = z.object({ id: z.uuid("That is not a campaign rule id.") });

export const ruleVersionsInput = z.object({
  ids: z.array(z.uuid("That is not a campaign rule id.")).min(1, "Name at least one rule.").max(100, "Ask for at most 100 rules at once."),
});

export const setRuleEnabledInput = z.object({
  id: z.uuid("That is not a campaign rule id."),
  enabled: z.boolean(),
});

export const adjustPointsInput = z.object({
  customerEmail: emailSchema,
  points: z
    .number({ error: "Enter the points as a number." })
    .int("Points are whole numbers.")
    .refine((points) => points !== 0, "Adjust by at least 1 point (negative to deduct).")
    .refine((points) => Math.abs(points) <= MAX_REDEEM_POINTS, `Adjust by at most ${MAX_REDEEM_POINTS.toLocaleString("en-US")} points at a time.`),
  reason: z
    .string({ error: "Say why the points are being adjusted." })
    .trim()
    .min(3, "Say why the points are being adjusted (3 characters or more).")
    .max(200, "Keep the reason under 200 characters.")
    .refine(...storableText),
  idempotencyKey: idempotencyKeySchema,
});
