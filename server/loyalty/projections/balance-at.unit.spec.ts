import { describe, expect, it } from "vitest";
import { earned, expired, redeemed, stored } from "@/server/testing/loyalty-points";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { evolveAvailableBalance, type AvailableBalance } from "./available-balance";
import { balanceAt } from "./balance-at";

const at = (iso: string) => new Date(`${iso}Z`);
const log: StoredPointEvent[] = [
  stored(1, earned("a", 100, at("2026-01-10T00:00:00"), at("2026-06-01T00:00:00")), at("2026-01-10T00:00:00")),
  stored(2, redeemed("r", [{ lotId: "a", points: 30 }], at("2026-02-10T00:00:00")), at("2026-02-10T00:00:00")),
  // The expiry process ran two days late.
  stored(3, expired("a", 70, at("2026-06-01T00:00:00")), at("2026-06-03T00:00:00")),
];

describe("balanceAt", () => {
  it.each([
    ["2026-01-09T23:59:59", 0],
    ["2026-01-10T00:00:00", 100],
    ["2026-02-10T00:00:00", 70],
    ["2026-05-31T23:59:59.999", 70],
    ["2026-06-01T00:00:00", 0], // expired at its expiry, though recorded later
    ["2026-07-01T00:00:00", 0],
  ])("at %s → %i points", (iso, points) => {
    expect(balanceAt(log, at(iso))).toBe(points);
  });

  it("does not depend on the order the events are given in", () => {
    expect(balanceAt([...log].reverse(), at("2026-03-01T00:00:00"))).toBe(70);
  });
});

describe("available balance projection", () => {
  it("counts a lot until its LotExpired arrives, and skips a redelivered event", () => {
    const [first, second, third] = log as [StoredPointEvent, StoredPointEvent, StoredPointEvent];
    const afterTwo = [first, second, second].reduce<AvailableBalance | null>(evolveAvailableBalance, null);
    expect(afterTwo).toEqual({ customerId: "customer-1", availablePoints: 70, lastVersion: 2 });
    expect(evolveAvailableBalance(afterTwo, third)).toEqual({ customerId: "customer-1", availablePoints: 0, lastVersion: 3 });
  });
});
