/**
 * What can be asked of a customer's points, imperative (emmett's `{ type, data }`). The clock is not in here: the
 * decider gets `now` beside the command.
 */

/** Award a purchase's points as a new lot. Points come from the campaign rules, worked out beforehand. */
export type EarnPoints = {
  type: "EarnPoints";
  data: { lotId: string; orderId: string; checkoutId?: string; points: number; ruleIds: string[]; earnedAt: Date; expiresAt: Date };
};

/**
 * Spend points, first-expiring lots first. `redemptionId` makes a retried request harmless; `checkoutId` names the
 * checkout the points pay for, when they do.
 */
export type RedeemPoints = { type: "RedeemPoints"; data: { redemptionId: string; points: number; checkoutId?: string } };

/**
 * Give a redemption back to the lots it came from. Harmless to ask twice, or for a redemption that never happened
 * (nothing to give back).
 */
export type RestorePoints = { type: "RestorePoints"; data: { redemptionId: string } };

/** Record that a lot's expiry has come; asked by the expiry process, harmless to ask twice or too early. */
export type ExpireLot = { type: "ExpireLot"; data: { lotId: string } };

/**
 * Staff change a balance by hand: points > 0 credits a new lot (expiring at `expiresAt`, or `lotLifetimeDays` from
 * now, or after the standard lifetime), points < 0 deducts like a redemption.
 */
export type AdjustPoints = {
  type: "AdjustPoints";
  data: {
    adjustmentId: string;
    points: number;
    reason: string;
    adjustedBy: string;
    expiresAt?: Date;
    lotLifetimeDays?: number;
  };
};

export type PointCommand = EarnPoints | RedeemPoints | RestorePoints | ExpireLot | AdjustPoints;
export type PointCommandType = PointCommand["type"];
