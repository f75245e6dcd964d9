import { describe, expect, it } from "vitest";
import { pointEventSchema, type PointEvent } from "./point-events";
import { storedPointEventSchema } from "./stored-point-event";

const earned: PointEvent = {
  type: "PointsEarned",
  data: {
    lotId: "lot-1",
    points: 100,
    earnedAt: new Date("2026-11-30T15:00:00Z"),
    expiresAt: new Date("2027-11-30T15:00:00Z"),
    orderId: "order-1",
    ruleIds: ["rule-1"],
  },
};

/** What the event store hands back: JSON, so dates are strings. */
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("pointEventSchema", () => {
  it("reads an event back from JSON with its dates as Dates again", () => {
    expect(pointEventSchema.parse(throughJson(earned))).toEqual(earned);
  });

  it("reads a stored envelope back", () => {
    const stored = { streamId: "customer-1", version: 1, eventId: "e-1", occurredAt: new Date("2026-11-30T15:00:01Z"), event: earned };
    expect(storedPointEventSchema.parse(throughJson(stored))).toEqual(stored);
  });

  it("refuses a redemption whose lots do not add up to its points", () => {
    const redeemed = {
      type: "PointsRedeemed",
      data: { redemptionId: "r", points: 50, lots: [{ lotId: "lot-1", points: 40 }], redeemedAt: "2026-12-01T00:00:00Z" },
    };
    expect(pointEventSchema.safeParse(redeemed).success).toBe(false);
  });

  it("refuses a lot that expires before it is earned, and zero points", () => {
    expect(pointEventSchema.safeParse({ ...earned, data: { ...earned.data, expiresAt: earned.data.earnedAt } }).success).toBe(false);
    expect(pointEventSchema.safeParse({ ...earned, data: { ...earned.data, points: 0 } }).success).toBe(false);
  });

  it("accepts a credit with its lot and a deduction with its lots, and refuses them mixed up", () => {
    const common = { adjustmentId: "a", reason: "Goodwill", adjustedBy: "staff", adjustedAt: "2026-12-01T00:00:00Z" };
    const credit = { type: "PointsAdjusted", data: { ...common, points: 10, lotId: "a", expiresAt: "2027-12-01T00:00:00Z" } };
    const deduction = { type: "PointsAdjusted", data: { ...common, points: -10, lots: [{ lotId: "lot-1", points: 10 }] } };
    expect(pointEventSchema.safeParse(credit).success).toBe(true);
    expect(pointEventSchema.safeParse(deduction).success).toBe(true);
    expect(pointEventSchema.safeParse({ ...credit, data: { ...credit.data, points: -10 } }).success).toBe(false);
    expect(pointEventSchema.safeParse({ ...deduction, data: { ...deduction.data, points: -11 } }).success).toBe(false);
    expect(pointEventSchema.safeParse({ ...deduction, data: { ...deduction.data, reason: " " } }).success).toBe(false);
  });

  it("refuses an unknown type", () => {
    expect(pointEventSchema.safeParse({ type: "PointsGifted", data: {} }).success).toBe(false);
  });
});
