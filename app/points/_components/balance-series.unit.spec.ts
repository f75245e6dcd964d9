import { describe, expect, it } from "vitest";
import type { PointHistoryRow } from "@/server/loyalty/projections/point-history";
import { balanceSeries, pointsAxisTicks, seriesTotals } from "./balance-series";

function entry(version: number, type: PointHistoryRow["type"], pointsDelta: number, balanceAfter: number): PointHistoryRow {
  return {
    customerId: "3f2a9c1e-0000-4000-8000-000000000001",
    eventId: `event-${version}`,
    version,
    type,
    pointsDelta,
    balanceAfter,
    occurredAt: new Date(Date.UTC(2026, 10, version)),
    description: `event ${version}`,
  };
}

describe("balanceSeries", () => {
  const newestFirst = [
    entry(5, "PointsAdjusted", -10, 230),
    entry(4, "LotExpired", -40, 240),
    entry(3, "PointsRedeemed", -60, 280),
    entry(2, "PointsAdjusted", 240, 340),
    entry(1, "PointsEarned", 100, 100),
  ];

  it("puts the steps oldest first, each with the balance after it", () => {
    expect(balanceSeries(newestFirst).map((step) => [step.version, step.balance])).toEqual([
      [1, 100],
      [2, 340],
      [3, 280],
      [4, 240],
      [5, 230],
    ]);
  });

  it("splits each change into earned (credits too), redeemed (deductions too) and expired, outgoing negative", () => {
    expect(balanceSeries(newestFirst).map(({ earned, redeemed, expired }) => [earned, redeemed, expired])).toEqual([
      [100, 0, 0],
      [240, 0, 0],
      [0, -60, 0],
      [0, 0, -40],
      [0, -10, 0],
    ]);
  });

  it("adds the changes up as positive totals", () => {
    expect(seriesTotals(balanceSeries(newestFirst))).toEqual({ earned: 340, givenBack: 0, redeemed: 70, expired: 40 });
  });

  it("counts points a failed checkout gave back apart: not earned, and not spent after all", () => {
    const restored = entry(2, "PointsRestored", 250, 250);
    const steps = balanceSeries([restored, entry(1, "PointsRedeemed", -250, 0)]);
    expect(steps.map(({ earned, givenBack, redeemed }) => [earned, givenBack, redeemed])).toEqual([
      [0, 0, -250],
      [0, 250, 0],
    ]);
    expect(seriesTotals(steps)).toEqual({ earned: 0, givenBack: 250, redeemed: 250, expired: 0 });
  });

  it("has no steps and zero totals for a customer with no history", () => {
    expect(balanceSeries([])).toEqual([]);
    expect(seriesTotals([])).toEqual({ earned: 0, givenBack: 0, redeemed: 0, expired: 0 });
  });
});

describe("pointsAxisTicks", () => {
  const steps = (balances: number[], out = 0) =>
    balances.map((balance, index) => ({ ...balanceSeries([entry(index + 1, "PointsEarned", 1, balance)])[0]!, redeemed: out }));

  it.each([
    [[100], [0, 50, 100]],
    [[250], [0, 100, 200, 300]],
    [[200], [0, 50, 100, 150, 200]],
    [[1, 2, 3], [0, 1, 2, 3]],
    [[12_345], [0, 5_000, 10_000, 15_000]],
  ])("balances %j → %j", (balances, ticks) => {
    expect(pointsAxisTicks(steps(balances))).toEqual(ticks);
  });

  it("reaches below zero when points went out", () => {
    expect(pointsAxisTicks(steps([250], -100))).toEqual([-100, 0, 100, 200, 300]);
  });

  it("has a scale even with nothing to show", () => {
    expect(pointsAxisTicks([])).toEqual([0, 1]);
  });
});
