import { describe, expect, it } from "vitest";
import { earned, expired, redeemed } from "@/server/testing/loyalty-points";
import { decidePoints } from "./decide-points";
import type { PointCommand } from "./point-commands";
import type { PointEvent } from "./point-events";
import { availablePoints, evolvePoints, initialPointsState, spendableLots } from "./points-state";

const at = (iso: string) => new Date(`${iso}Z`);
const NOW = at("2026-12-04T12:00:00");
const SOON = at("2026-12-10T00:00:00");
const LATER = at("2027-06-01T00:00:00");
const CHECKOUT = "3f2a9c1e-0000-4000-8000-000000000000";

const restore = (redemptionId = "r1"): PointCommand => ({ type: "RestorePoints", data: { redemptionId } });
const redeem = (points: number, redemptionId = "r1"): PointCommand => ({ type: "RedeemPoints", data: { redemptionId, points, checkoutId: CHECKOUT } });

/** The events so far, then each command in turn (at its own moment), every decision applied: the log and the state. */
function run(history: PointEvent[], ...commands: [PointCommand, Date][]) {
  let state = history.reduce(evolvePoints, initialPointsState());
  const decisions: PointEvent[][] = [];
  for (const [command, now] of commands) {
    const events = decidePoints(command, state, { now });
    decisions.push(events);
    state = events.reduce(evolvePoints, state);
  }
  return { state, decisions };
}

const twoLots = [earned("soon", 100, at("2026-12-01T00:00:00"), SOON), earned("later", 200, at("2026-12-02T00:00:00"), LATER)];

describe("RestorePoints", () => {
  it("gives each lot back what the redemption took from it, and the lots keep their own expiry", () => {
    const { state, decisions } = run(twoLots, [redeem(150), NOW], [restore(), NOW]);
    expect(decisions[0]).toEqual([
      { type: "PointsRedeemed", data: { redemptionId: "r1", points: 150, lots: [{ lotId: "soon", points: 100 }, { lotId: "later", points: 50 }], redeemedAt: NOW, checkoutId: CHECKOUT } },
    ]);
    expect(decisions[1]).toEqual([
      { type: "PointsRestored", data: { redemptionId: "r1", points: 150, lots: [{ lotId: "soon", points: 100 }, { lotId: "later", points: 50 }], restoredAt: NOW, checkoutId: CHECKOUT } },
    ]);
    expect(state.lots.map(({ lotId, remaining, expiresAt, expired }) => ({ lotId, remaining, expiresAt, expired }))).toEqual([
      { lotId: "soon", remaining: 100, expiresAt: SOON, expired: false },
      { lotId: "later", remaining: 200, expiresAt: LATER, expired: false },
    ]);
    // Spent again first-expiring first, as before the redemption.
    expect(decidePoints(redeem(120, "r2"), state, { now: NOW })[0]).toMatchObject({ data: { lots: [{ lotId: "soon", points: 100 }, { lotId: "later", points: 20 }] } });
  });

  it("expires at once what goes back to a lot whose expiry has passed, LotExpired not yet recorded", () => {
    const afterExpiry = at("2026-12-11T00:00:00");
    const { state, decisions } = run(twoLots, [redeem(150), NOW], [restore(), afterExpiry]);
    expect(decisions[1]).toEqual([
      { type: "PointsRestored", data: expect.objectContaining({ points: 150, restoredAt: afterExpiry }) },
      { type: "LotExpired", data: { lotId: "soon", points: 100, expiredAt: SOON } },
    ]);
    expect(availablePoints(state, afterExpiry)).toBe(200);
    expect(spendableLots(state, afterExpiry).map((lot) => lot.lotId)).toEqual(["later"]);
  });

  it("expires them again in a lot already expired by LotExpired, dated at the lot's own expiry", () => {
    const afterExpiry = at("2026-12-11T00:00:00");
    const history = [...twoLots, redeemed("r1", [{ lotId: "soon", points: 60 }], NOW), expired("soon", 40, SOON)];
    const { state, decisions } = run(history, [restore(), afterExpiry]);
    expect(decisions[0]).toEqual([
      { type: "PointsRestored", data: { redemptionId: "r1", points: 60, lots: [{ lotId: "soon", points: 60 }], restoredAt: afterExpiry } },
      { type: "LotExpired", data: { lotId: "soon", points: 60, expiredAt: SOON } },
    ]);
    expect(state.lots.find((lot) => lot.lotId === "soon")).toMatchObject({ remaining: 0, expired: true });
    expect(availablePoints(state, afterExpiry)).toBe(200);
    // The expiry process finds nothing left to expire.
    expect(decidePoints({ type: "ExpireLot", data: { lotId: "soon" } }, state, { now: afterExpiry })).toEqual([]);
  });

  it("at exactly the lot's expiry the points given back are already dead", () => {
    const { decisions } = run(twoLots, [redeem(100), NOW], [restore(), SOON]);
    expect(decisions[1]!.map((event) => event.type)).toEqual(["PointsRestored", "LotExpired"]);
  });

  it("restores a redemption once, however often it is asked", () => {
    const { state, decisions } = run(twoLots, [redeem(150), NOW], [restore(), NOW], [restore(), NOW]);
    expect(decisions[2]).toEqual([]);
    expect(availablePoints(state, NOW)).toBe(300);
  });

  it("gives back nothing for a redemption that never happened, and a repeated redeem after a restore redeems nothing", () => {
    expect(run(twoLots, [restore("never"), NOW]).decisions[0]).toEqual([]);
    const { state, decisions } = run(twoLots, [redeem(150), NOW], [restore(), NOW], [redeem(150), NOW]);
    expect(decisions[2]).toEqual([]);
    expect(availablePoints(state, NOW)).toBe(300);
  });

  it("refuses an empty redemption id", () => {
    expect(() => run(twoLots, [restore(" "), NOW])).toThrow("A redemptionId is required.");
  });
});
