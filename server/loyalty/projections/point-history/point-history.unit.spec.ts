import { describe, expect, it } from "vitest";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { credited, deducted, earned, expired, redeemed, restored, stored } from "@/server/testing/loyalty-points";
import { evolvePointHistory, type PointHistoryRow } from "./index";

const NOW = new Date("2026-11-30T17:00:00Z");
const NEXT_YEAR = new Date("2027-11-30T17:00:00Z");
const ORDER_ID = "3f2a9c1e-0000-4000-8000-000000000000";

/** A customer's history as the table holds it: each row evolvePointHistory adds after the last. */
function historyOf(events: readonly StoredPointEvent[]): PointHistoryRow[] {
  const rows: PointHistoryRow[] = [];
  for (const stored of events) {
    const row = evolvePointHistory(rows.at(-1) ?? null, stored);
    if (row) rows.push(row);
  }
  return rows;
}

describe("point history", () => {
  const log = [
    stored(1, earned("a", 200, NOW, NEXT_YEAR, ORDER_ID), NOW),
    stored(2, redeemed("r", [{ lotId: "a", points: 50 }], NOW), NOW),
    stored(3, credited("b", 1, "Sorry for the wait", NOW, NEXT_YEAR), NOW),
    stored(4, deducted("c", [{ lotId: "a", points: 10 }], "Returned item", NOW), NOW),
    stored(5, expired("a", 140, NEXT_YEAR), NEXT_YEAR),
  ];

  it("names a purchase by its checkout's number, the one the shopper reads everywhere, once the purchase carries it", () => {
    const purchase = earned("d", 100, NOW, NEXT_YEAR, ORDER_ID);
    if (purchase.type !== "PointsEarned") throw new Error("earned() makes a PointsEarned");
    const withCheckout = { ...purchase, data: { ...purchase.data, checkoutId: "5a1e0b2c-0000-4000-8000-000000000000" } };
    expect(historyOf([stored(1, withCheckout, NOW)])[0]!.description).toBe("Earned 100 points for order #5A1E0B2C");
  });

  it("is one row per event, in plain words, with a running balance", () => {
    const rows = historyOf(log);
    const lines = rows.map((row) => [row.version, row.pointsDelta, row.balanceAfter, row.description]);
    expect(lines).toEqual([
      [1, 200, 200, "Earned 200 points for order #3F2A9C1E"],
      [2, -50, 150, "Redeemed 50 points"],
      [3, 1, 151, "Added 1 point: Sorry for the wait"],
      [4, -10, 141, "Deducted 10 points: Returned item"],
      [5, -140, 1, "140 points expired"],
    ]);
  });

  it("names the checkout points were used at and given back from, and a lot that expires again", () => {
    const checkoutId = "5a1e0b2c-0000-4000-8000-000000000000";
    const rows = historyOf([
      stored(1, earned("a", 300, NOW, NEXT_YEAR, ORDER_ID), NOW),
      stored(2, { type: "PointsRedeemed", data: { redemptionId: "r", points: 250, lots: [{ lotId: "a", points: 250 }], redeemedAt: NOW, checkoutId } }, NOW),
      stored(3, restored("r", [{ lotId: "a", points: 250 }], NEXT_YEAR, checkoutId), NEXT_YEAR),
      stored(4, expired("a", 300, NEXT_YEAR), NEXT_YEAR),
      stored(5, restored("other", [{ lotId: "a", points: 5 }], NEXT_YEAR), NEXT_YEAR),
    ]);
    expect(rows.map((row) => [row.pointsDelta, row.balanceAfter, row.description])).toEqual([
      [300, 300, "Earned 300 points for order #3F2A9C1E"],
      [-250, 50, "Used 250 points on order #5A1E0B2C"],
      [250, 300, "Points given back: order #5A1E0B2C"],
      [-300, 0, "300 points expired"],
      [5, 5, "Points given back: 5 points"],
    ]);
  });

  it("skips an event it already has (redelivery)", () => {
    const rows = historyOf([...log, log[1]!]);
    expect(rows).toHaveLength(5);
  });
});
