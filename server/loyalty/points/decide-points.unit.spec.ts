import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { expired, lotsDueForExpiry } from "@/server/testing/loyalty-points";
import { decidePoints } from "./decide-points";
import { MAX_BALANCE_POINTS, MAX_POINTS_PER_EVENT } from "./point-limits";
import type { AdjustPoints, PointCommand } from "./point-commands";
import type { PointEvent } from "./point-events";
import { availablePoints, evolvePoints, initialPointsState } from "./points-state";

const at = (iso: string) => new Date(`${iso}Z`);
const NOW = at("2026-06-15T12:00:00");

/** A lot earned from an order; the order id is the lot id with a prefix, so tests only name the lot. */
const earned = (lotId: string, points: number, earnedAt: string, expiresAt: string): PointEvent => ({
  type: "PointsEarned",
  data: { lotId, points, earnedAt: at(earnedAt), expiresAt: at(expiresAt), orderId: `order-${lotId}`, ruleIds: [] },
});

const redeemed = (lotId: string, points: number): PointEvent => ({
  type: "PointsRedeemed",
  data: { redemptionId: `r-${lotId}`, points, lots: [{ lotId, points }], redeemedAt: at("2026-02-01T00:00:00") },
});

/** Emmett-style given/when/then: the events so far, the command, and the clock. */
function given(...events: PointEvent[]) {
  const state = events.reduce(evolvePoints, initialPointsState());
  return {
    state,
    when: (command: PointCommand, now: Date = NOW) => decidePoints(command, state, { now }),
  };
}

function caught(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

const redeem = (points: number, redemptionId = "r1"): PointCommand => ({ type: "RedeemPoints", data: { redemptionId, points } });
const adjust = (data: Partial<AdjustPoints["data"]> & { points: number }): PointCommand => ({
  type: "AdjustPoints",
  data: { adjustmentId: "adj-1", reason: "Goodwill for a late delivery", adjustedBy: "staff-1", ...data },
});

describe("EarnPoints", () => {
  const command = (points: number, expiresAt = at("2027-06-15T12:00:00")): PointCommand => ({
    type: "EarnPoints",
    data: { lotId: "lot-1", orderId: "order-1", points, ruleIds: ["rule-1"], earnedAt: NOW, expiresAt },
  });

  it("caps a purchase's points at what one event may carry, and at what a customer may hold", () => {
    const [capped] = given().when(command(3_000_000_000));
    expect(capped).toMatchObject({ type: "PointsEarned", data: { points: MAX_POINTS_PER_EVENT } });

    const nearlyFull = Array.from({ length: MAX_BALANCE_POINTS / MAX_POINTS_PER_EVENT }, (_, index) =>
      earned(`full-${index}`, MAX_POINTS_PER_EVENT, "2026-06-01T00:00:00", "2027-06-01T00:00:00"),
    );
    nearlyFull[0] = earned("full-0", MAX_POINTS_PER_EVENT - 40, "2026-06-01T00:00:00", "2027-06-01T00:00:00");
    expect(given(...nearlyFull).when(command(100))).toMatchObject([{ data: { points: 40 } }]);
    expect(given(...nearlyFull, earned("last-40", 40, "2026-06-01T00:00:00", "2027-06-01T00:00:00")).when(command(100))).toEqual([]);
  });

  it("opens a lot with the points the rules gave", () => {
    expect(given().when(command(100))).toEqual([
      {
        type: "PointsEarned",
        data: { lotId: "lot-1", orderId: "order-1", points: 100, ruleIds: ["rule-1"], earnedAt: NOW, expiresAt: at("2027-06-15T12:00:00") },
      },
    ]);
  });

  it("earns nothing, and records nothing, for 0 points", () => {
    expect(given().when(command(0))).toEqual([]);
  });

  it("is idempotent: the same lot id again (a redelivered purchase) earns nothing more", () => {
    expect(given(earned("lot-1", 100, "2026-06-15T12:00:00", "2027-06-15T12:00:00")).when(command(100))).toEqual([]);
  });

  it.each([-1, 1.5, Number.NaN])("refuses %s points", (points) => {
    expect(caught(() => given().when(command(points)))).toMatchObject({ code: "VALIDATION", field: "points" });
  });

  it("refuses a lot that expires when it is earned", () => {
    expect(caught(() => given().when(command(10, NOW)))).toMatchObject({ code: "VALIDATION", field: "expiresAt" });
  });
});

describe("RedeemPoints", () => {
  // Earned out of expiry order, so FIFO by expiry is not the same as FIFO by earning.
  const history = [
    earned("late", 100, "2026-01-01T00:00:00", "2027-01-01T00:00:00"),
    earned("soon", 30, "2026-02-01T00:00:00", "2026-07-01T00:00:00"),
    earned("middle", 50, "2026-03-01T00:00:00", "2026-09-01T00:00:00"),
  ];

  it("spends the lot that expires first first, across several lots", () => {
    expect(given(...history).when(redeem(60))).toEqual([
      {
        type: "PointsRedeemed",
        data: { redemptionId: "r1", points: 60, lots: [{ lotId: "soon", points: 30 }, { lotId: "middle", points: 30 }], redeemedAt: NOW },
      },
    ]);
  });

  it("on equal expiry, spends the earlier-earned lot first, then by lot id", () => {
    const events = [
      earned("b", 10, "2026-02-01T00:00:00", "2026-12-01T00:00:00"),
      earned("a", 10, "2026-02-01T00:00:00", "2026-12-01T00:00:00"),
      earned("c", 10, "2026-01-01T00:00:00", "2026-12-01T00:00:00"),
    ];
    const [event] = given(...events).when(redeem(25));
    expect(event?.type === "PointsRedeemed" && event.data.lots).toEqual([
      { lotId: "c", points: 10 },
      { lotId: "a", points: 10 },
      { lotId: "b", points: 5 },
    ]);
  });

  it("continues from what earlier redemptions left", () => {
    const first = given(...history).when(redeem(20, "r1"));
    const [event] = given(...history, ...first).when(redeem(20, "r2"));
    expect(event?.type === "PointsRedeemed" && event.data.lots).toEqual([{ lotId: "soon", points: 10 }, { lotId: "middle", points: 10 }]);
  });

  it("redeems exactly the whole balance", () => {
    const [event] = given(...history).when(redeem(180));
    expect(event?.type === "PointsRedeemed" && event.data.points).toBe(180);
  });

  it("refuses one point more than the balance, saying how many there are", () => {
    const error = caught(() => given(...history).when(redeem(181)));
    expect(error.code).toBe("INSUFFICIENT_POINTS");
    expect(error.message).toBe("You have 180 points available; you asked to redeem 181 points.");
  });

  it("never spends a lot whose expiry has come, even before its LotExpired is recorded", () => {
    const afterSoon = at("2026-07-01T00:00:00"); // "soon" expires at exactly this instant
    const [event] = given(...history).when(redeem(60), afterSoon);
    expect(event?.type === "PointsRedeemed" && event.data.lots).toEqual([{ lotId: "middle", points: 50 }, { lotId: "late", points: 10 }]);
    expect(caught(() => given(...history).when(redeem(151), afterSoon)).message).toBe(
      "You have 150 points available; you asked to redeem 151 points.",
    );
  });

  it("never spends an expired lot", () => {
    const events = [...history, expired("soon", 30, at("2026-07-01T00:00:00"))];
    expect(caught(() => given(...events).when(redeem(151), at("2026-07-02T00:00:00"))).code).toBe("INSUFFICIENT_POINTS");
  });

  it("refuses with nothing to spend at all", () => {
    expect(caught(() => given().when(redeem(1))).message).toBe("You have 0 points available; you asked to redeem 1 point.");
  });

  it("is idempotent per redemption id, and refuses the id reused for another amount", () => {
    const first = given(...history).when(redeem(60));
    expect(given(...history, ...first).when(redeem(60))).toEqual([]);
    expect(caught(() => given(...history, ...first).when(redeem(61))).code).toBe("IDEMPOTENCY_CONFLICT");
  });

  it("refuses an empty redemption id", () => {
    expect(caught(() => given(...history).when(redeem(5, " ")))).toMatchObject({ code: "VALIDATION", field: "redemptionId" });
  });

  it.each([0, -5, 2.5])("refuses to redeem %s points", (points) => {
    const error = caught(() => given(...history).when(redeem(points)));
    expect(error).toMatchObject({ code: "VALIDATION", field: "points", message: "Redeem a whole number of points, 1 or more." });
  });
});

describe("ExpireLot", () => {
  const lot = earned("lot-1", 100, "2026-01-01T00:00:00", "2026-06-01T00:00:00");
  const expire: PointCommand = { type: "ExpireLot", data: { lotId: "lot-1" } };

  it("expires what is left once the expiry has come, dated at the lot's expiry", () => {
    const spent = redeemed("lot-1", 40);
    expect(given(lot, spent).when(expire)).toEqual([
      { type: "LotExpired", data: { lotId: "lot-1", points: 60, expiredAt: at("2026-06-01T00:00:00") } },
    ]);
  });

  it("is due at exactly expiresAt", () => {
    expect(given(lot).when(expire, at("2026-06-01T00:00:00"))).toHaveLength(1);
  });

  it("does nothing before the expiry", () => {
    expect(given(lot).when(expire, at("2026-05-31T23:59:59.999"))).toEqual([]);
  });

  it("does nothing the second time (idempotent)", () => {
    const once = given(lot).when(expire);
    expect(given(lot, ...once).when(expire)).toEqual([]);
  });

  it("does nothing for a lot fully spent, or unknown", () => {
    const spent = redeemed("lot-1", 100);
    expect(given(lot, spent).when(expire)).toEqual([]);
    expect(given().when(expire)).toEqual([]);
  });

  it("lotsDueForExpiry lists lots past expiry that still hold points, soonest first", () => {
    const { state } = given(
      earned("later", 5, "2026-01-01T00:00:00", "2026-06-10T00:00:00"),
      lot,
      earned("future", 5, "2026-01-01T00:00:00", "2026-06-20T00:00:00"),
    );
    expect(lotsDueForExpiry(state, NOW)).toEqual(["lot-1", "later"]);
    const expired = decidePoints(expire, state, { now: NOW });
    expect(lotsDueForExpiry(expired.reduce(evolvePoints, state), NOW)).toEqual(["later"]);
  });
});

describe("AdjustPoints", () => {
  const history = [
    earned("soon", 30, "2026-02-01T00:00:00", "2026-07-01T00:00:00"),
    earned("late", 100, "2026-01-01T00:00:00", "2027-01-01T00:00:00"),
  ];

  it("refuses an adjustment beyond what one event may carry, or a credit past what a customer may hold", () => {
    expect(caught(() => given(...history).when(adjust({ points: 3_000_000_000 })))).toMatchObject({ code: "VALIDATION", field: "points" });
    expect(caught(() => given(...history).when(adjust({ points: -(MAX_POINTS_PER_EVENT + 1) })))).toMatchObject({ code: "VALIDATION" });
    const full = Array.from({ length: MAX_BALANCE_POINTS / MAX_POINTS_PER_EVENT }, (_, index) =>
      earned(`full-${index}`, MAX_POINTS_PER_EVENT, "2026-06-01T00:00:00", "2027-06-01T00:00:00"),
    );
    expect(caught(() => given(...full).when(adjust({ points: 1 }))).message).toBe("A customer can hold at most 1,000,000,000 points.");
  });

  it("a credit opens a new lot, named after the adjustment, expiring after the standard lifetime", () => {
    const events = given(...history).when(adjust({ points: 25 }));
    expect(events).toEqual([
      {
        type: "PointsAdjusted",
        data: {
          adjustmentId: "adj-1",
          points: 25,
          reason: "Goodwill for a late delivery",
          adjustedBy: "staff-1",
          adjustedAt: NOW,
          lotId: "adj-1",
          expiresAt: at("2027-06-15T12:00:00"),
        },
      },
    ]);
    expect(availablePoints(events.reduce(evolvePoints, given(...history).state), NOW)).toBe(155);
  });

  it("a credit can set its lifetime in days or its expiry date", () => {
    const [byDays] = given().when(adjust({ points: 5, lotLifetimeDays: 30 }));
    expect(byDays?.type === "PointsAdjusted" && byDays.data.expiresAt).toEqual(at("2026-07-15T12:00:00"));
    const [byDate] = given().when(adjust({ points: 5, expiresAt: at("2026-08-01T00:00:00") }));
    expect(byDate?.type === "PointsAdjusted" && byDate.data.expiresAt).toEqual(at("2026-08-01T00:00:00"));
  });

  it("a deduction takes points first-expiring first and records the lots", () => {
    const [event] = given(...history).when(adjust({ points: -40 }));
    expect(event?.type === "PointsAdjusted" && event.data.lots).toEqual([{ lotId: "soon", points: 30 }, { lotId: "late", points: 10 }]);
  });

  it("refuses a deduction beyond the balance", () => {
    const error = caught(() => given(...history).when(adjust({ points: -131 })));
    expect(error.code).toBe("INSUFFICIENT_POINTS");
    expect(error.message).toBe("The customer has 130 points available; deducting 131 points would take them below zero.");
  });

  it("is idempotent per adjustment id", () => {
    const first = given(...history).when(adjust({ points: -10 }));
    expect(given(...history, ...first).when(adjust({ points: -10 }))).toEqual([]);
    expect(caught(() => given(...history, ...first).when(adjust({ points: 10 }))).code).toBe("IDEMPOTENCY_CONFLICT");
  });

  it.each([
    [{ points: 0 }, "points"],
    [{ points: 1.5 }, "points"],
    [{ points: 5, reason: "   " }, "reason"],
    [{ points: 5, adjustedBy: "" }, "adjustedBy"],
    [{ points: 5, lotLifetimeDays: 0 }, "lotLifetimeDays"],
    [{ points: 5, expiresAt: NOW }, "expiresAt"],
    [{ points: 5, expiresAt: at("2027-01-01T00:00:00"), lotLifetimeDays: 3 }, "expiresAt"],
    [{ points: -5, lotLifetimeDays: 3 }, "expiresAt"],
  ] as const)("refuses %j (field %s)", (data, field) => {
    expect(caught(() => given(...history).when(adjust(data)))).toMatchObject({ code: "VALIDATION", field });
  });
});
