import { z } from "zod";

/**
 * The messages between Retail's checkout saga and Loyalty when a shopper pays part of a purchase with points: the
 * published language of the two contexts, and all either knows of the other here (Retail never imports Loyalty's
 * code nor reads its tables, and Loyalty never Retail's). Plain JSON, no transforms: each side parses what the other
 * wrote.
 *
 * Retail sends a command through its outbox, in the transaction that moves the saga; Loyalty handles it exactly
 * once, keyed by `checkoutId` (a command delivered twice gets the same reply twice), and answers with a reply that
 * resumes the saga. A reply to a saga that is no longer waiting for it does nothing.
 *
 *   RedeemPointsForCheckout  → PointsRedeemedForCheckout | PointsRedemptionRefused
 *   RestorePointsForCheckout → PointsRestoredForCheckout
 */

const checkout = { checkoutId: z.uuid(), customerId: z.uuid() };
const positiveInt = z.number().int().positive();

/** Use `points` of the customer's (first-expiring first) towards an order of `amountCents` (its price before any discount). */
export const redeemPointsForCheckoutSchema = z.object({
  type: z.literal("RedeemPointsForCheckout"),
  ...checkout,
  points: positiveInt,
  amountCents: positiveInt,
  sentAt: z.iso.datetime(),
});

/**
 * Give back whatever the checkout's redemption took, to the lots it came from. Safe whether or not the redemption
 * happened: restoring one that never happened records that it never may (a late redeem command then redeems nothing).
 */
export const restorePointsForCheckoutSchema = z.object({
  type: z.literal("RestorePointsForCheckout"),
  ...checkout,
  sentAt: z.iso.datetime(),
});

export const pointsCommandSchema = z.discriminatedUnion("type", [redeemPointsForCheckoutSchema, restorePointsForCheckoutSchema]);

const lotUsedSchema = z.object({ lotId: z.string().min(1), points: positiveInt, expiresAt: z.iso.datetime() });

/** The points are used: `discountCents` comes off the order's price; `lots` says which lots paid, first-expiring first. */
export const pointsRedeemedForCheckoutSchema = z.object({
  type: z.literal("PointsRedeemedForCheckout"),
  ...checkout,
  points: positiveInt,
  discountCents: positiveInt,
  lots: z.array(lotUsedSchema).min(1),
  repliedAt: z.iso.datetime(),
});

/** Nothing was used, and why, in words the shopper can read ("You have 120 points; this order can use at most 100."). */
export const pointsRedemptionRefusedSchema = z.object({
  type: z.literal("PointsRedemptionRefused"),
  ...checkout,
  reason: z.string().min(1).max(500),
  repliedAt: z.iso.datetime(),
});

/** What the redemption took is back in its lots (`points` 0 when there was nothing to give back). */
export const pointsRestoredForCheckoutSchema = z.object({
  type: z.literal("PointsRestoredForCheckout"),
  ...checkout,
  points: z.number().int().nonnegative(),
  repliedAt: z.iso.datetime(),
});

export const pointsReplySchema = z.discriminatedUnion("type", [
  pointsRedeemedForCheckoutSchema,
  pointsRedemptionRefusedSchema,
  pointsRestoredForCheckoutSchema,
]);

export type RedeemPointsForCheckout = z.infer<typeof redeemPointsForCheckoutSchema>;
export type RestorePointsForCheckout = z.infer<typeof restorePointsForCheckoutSchema>;
export type PointsCommand = z.infer<typeof pointsCommandSchema>;
export type PointsRedeemedForCheckout = z.infer<typeof pointsRedeemedForCheckoutSchema>;
export type PointsRedemptionRefused = z.infer<typeof pointsRedemptionRefusedSchema>;
export type PointsRestoredForCheckout = z.infer<typeof pointsRestoredForCheckoutSchema>;
export type PointsReply = z.infer<typeof pointsReplySchema>;
