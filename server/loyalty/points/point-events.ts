import { z } from "zod";

/**
 * The Loyalty context's events: one stream per customer, past tense, never changed once written.
 *
 * Shape: `{ type, data }` (emmett's). In memory every moment is a `Date`; the event store writes `data` as JSON, so
 * dates travel as ISO 8601 strings, and `pointEventSchema` turns them back into `Date`s when a row is read. Always
 * parse rows through it: it also rejects data no decider could have produced (a redemption whose lots do not add up).
 */

/** A moment: a `Date`, or an ISO 8601 string with an offset as JSON stores it. Always a `Date` once parsed. */
export const instantSchema = z.union([z.date(), z.iso.datetime({ offset: true }).transform((text) => new Date(text))]);

const idSchema = z.string().min(1);
const positivePoints = z.number().int().positive();

/** Points taken from one lot by a redemption or a deduction. */
export const lotPointsSchema = z.object({ lotId: idSchema, points: positivePoints });
export type LotPoints = z.infer<typeof lotPointsSchema>;

const sumOf = (lots: readonly LotPoints[]) => lots.reduce((sum, lot) => sum + lot.points, 0);

/** What PointsRedeemed and PointsRestored both carry: a redemption's points and the lots they came from. */
const redemptionData = z.object({
  redemptionId: idSchema,
  points: positivePoints,
  lots: z.array(lotPointsSchema).min(1),
  /** The checkout the points paid part of, when Retail's checkout saga asked. */
  checkoutId: idSchema.optional(),
});

/** The refinement both apply: the lots add up to the points. */
const lotsAddUp = (message: string): [(data: { lots: LotPoints[]; points: number }) => boolean, { message: string; path: string[] }] => [
  (data) => sumOf(data.lots) === data.points,
  { message, path: ["lots"] },
];

/** A purchase earned a lot of points, spendable until `expiresAt` (exclusive). */
export const pointsEarnedSchema = z.object({
  type: z.literal("PointsEarned"),
  data: z
    .object({
      lotId: idSchema,
      points: positivePoints,
      earnedAt: instantSchema,
      expiresAt: instantSchema,
      orderId: idSchema,
      /** The checkout the order came from, whose number the shopper reads (absent from lots earned before it was kept). */
      checkoutId: idSchema.optional(),
      ruleIds: z.array(idSchema),
    })
    .refine((data) => data.expiresAt > data.earnedAt, {
      message: "A lot must expire after it is earned.",
      path: ["expiresAt"],
    }),
});

/**
 * The customer spent points; `lots` records which lots paid, first-expiring first. `checkoutId` is set when the
 * points paid part of a checkout (Retail's checkout saga asked), so the history can name it.
 */
export const pointsRedeemedSchema = z.object({
  type: z.literal("PointsRedeemed"),
  data: redemptionData.extend({ redeemedAt: instantSchema }).refine(...lotsAddUp("The lots must add up to the points redeemed.")),
});

/**
 * A redemption was given back (its checkout was cancelled): each lot gets back what the redemption took from it, with
 * the lot's own expiry. Points going back to a lot whose expiry has passed expire at once: the same decision records
 * LotExpired for them.
 */
export const pointsRestoredSchema = z.object({
  type: z.literal("PointsRestored"),
  data: redemptionData.extend({ restoredAt: instantSchema }).refine(...lotsAddUp("The lots must add up to the points given back.")),
});

/**
 * A lot's unspent points expired. `points` is what was left in it; `expiredAt` is the lot's own expiry (when the
 * points stopped being spendable), which may be earlier than the moment the expiry process recorded it.
 */
export const lotExpiredSchema = z.object({
  type: z.literal("LotExpired"),
  data: z.object({ lotId: idSchema, points: positivePoints, expiredAt: instantSchema }),
});

/**
 * Staff changed a balance by hand. A credit (points > 0) opens a new lot (`lotId`, `expiresAt`); a deduction
 * (points < 0) takes points first-expiring first, like a redemption, and records them in `lots`.
 */
export const pointsAdjustedSchema = z.object({
  type: z.literal("PointsAdjusted"),
  data: z
    .object({
      adjustmentId: idSchema,
      points: z.number().int().refine((points) => points !== 0, "An adjustment changes the balance."),
      reason: z.string().trim().min(1),
      adjustedBy: idSchema,
      adjustedAt: instantSchema,
      lotId: idSchema.optional(),
      expiresAt: instantSchema.optional(),
      lots: z.array(lotPointsSchema).min(1).optional(),
    })
    .refine(
      (data) =>
        data.points > 0
          ? data.lotId !== undefined && data.expiresAt !== undefined && data.expiresAt > data.adjustedAt && !data.lots
          : data.lots !== undefined && sumOf(data.lots) === -data.points && data.lotId === undefined && !data.expiresAt,
      { message: "A credit opens one lot with a later expiry; a deduction lists the lots it took, adding up to it." },
    ),
});

/** Any Loyalty points event, parsed from its `{ type, data }` row. */
export const pointEventSchema = z.discriminatedUnion("type", [
  pointsEarnedSchema,
  pointsRedeemedSchema,
  pointsRestoredSchema,
  lotExpiredSchema,
  pointsAdjustedSchema,
]);

export type PointsEarned = z.infer<typeof pointsEarnedSchema>;
export type PointsRedeemed = z.infer<typeof pointsRedeemedSchema>;
export type PointsRestored = z.infer<typeof pointsRestoredSchema>;
export type LotExpired = z.infer<typeof lotExpiredSchema>;
export type PointsAdjusted = z.infer<typeof pointsAdjustedSchema>;
export type PointEvent = z.infer<typeof pointEventSchema>;
export type PointEventType = PointEvent["type"];
