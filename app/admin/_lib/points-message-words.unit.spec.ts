import { describe, expect, it } from "vitest";
import { commandWords, replyWords } from "./points-message-words";

const checkout = { checkoutId: "3f2a9c1e-0000-4000-8000-000000000001", customerId: "3f2a9c1e-0000-4000-8000-000000000002" };
const at = "2026-12-03T12:00:00.000Z";

describe("the points messages in the monitor's words", () => {
  it("names the commands a checkout sent", () => {
    expect(commandWords({ type: "RedeemPointsForCheckout", ...checkout, points: 250, amountCents: 12_000, sentAt: at })).toBe(
      "Redeem 250 points towards $120.00",
    );
    expect(commandWords({ type: "RestorePointsForCheckout", ...checkout, sentAt: at })).toBe("Restore whatever this checkout redeemed");
  });

  it("says what Loyalty answered", () => {
    const lot = { points: 125, expiresAt: at };
    expect(
      replyWords({
        type: "PointsRedeemedForCheckout",
        ...checkout,
        points: 250,
        discountCents: 1_250,
        lots: [{ lotId: "a", ...lot }, { lotId: "b", ...lot }],
        repliedAt: at,
      }),
    ).toBe("Redeemed 250 points from 2 lots: $12.50 off");
    expect(replyWords({ type: "PointsRedemptionRefused", ...checkout, reason: "You have 120 points.", repliedAt: at })).toBe(
      "Refused: You have 120 points.",
    );
    expect(replyWords({ type: "PointsRestoredForCheckout", ...checkout, points: 250, repliedAt: at })).toBe("Restored 250 points");
    expect(replyWords({ type: "PointsRestoredForCheckout", ...checkout, points: 0, repliedAt: at })).toBe(
      "Nothing to restore: no points had been redeemed",
    );
  });

  it("has no words for anything else: another saga's messages, or none", () => {
    expect(commandWords({ type: "ShipParcel" })).toBeNull();
    expect(replyWords(null)).toBeNull();
  });
});
