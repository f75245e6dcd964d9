import { describe, expect, it } from "vitest";
import { amountToPay } from "./amount-to-pay";
import { redeemPointsStepId, reserveStockStepId } from "./checkout-steps";

describe("what the wallet pays for a checkout", () => {
  it("is the whole amount when no points were used", () => {
    expect(amountToPay({ amountCents: 12_000 }, { [reserveStockStepId]: { reservationId: "r" } })).toEqual({
      pointsUsed: 0,
      discountCents: 0,
      paidCents: 12_000,
    });
  });

  it("is the amount less what the redeemed points took off ($120 with $12.50 of points: $107.50)", () => {
    const redeemed = { pointsUsed: 250, discountCents: 1_250, lots: [{ lotId: "lot-1", points: 250, expiresAt: "2027-01-01T00:00:00.000Z" }] };
    expect(amountToPay({ amountCents: 12_000 }, { [redeemPointsStepId]: redeemed })).toEqual({
      pointsUsed: 250,
      discountCents: 1_250,
      paidCents: 10_750,
    });
  });
});
