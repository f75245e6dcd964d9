import { describe, expect, it } from "vitest";
import { credited, deducted, earned, expired, redeemed, restored, stored } from "@/server/testing/loyalty-points";
import { expiringSoon, foldPointLots, pointsValidThisWeek, startOfWeek, type PointLotRow } from "./index";

const at = (iso: string) => new Date(`${iso}Z`);
// Wednesday of the ISO week that starts Monday 2026-11-30 (Cyber Monday).
const NOW = at("2026-12-02T12:00:00");

const lot = (lotId: string, fields: Partial<PointLotRow>): PointLotRow => ({
  lotId,
  customerId: "customer-1",
  points: 100,
  remaining: 100,
  earnedAt: at("2026-12-01T00:00:00"),
  expiresAt: at("2027-12-01T00:00:00"),
  expired: false,
  ...fields,
});

describe("startOfWeek", () => {
  it.each([
    ["2026-12-02T12:00:00", "2026-11-30T00:00:00"], // Wednesday
    ["2026-11-30T00:00:00", "2026-11-30T00:00:00"], // Monday midnight is the start itself
    ["2026-12-06T23:59:59.999", "2026-11-30T00:00:00"], // Sunday night still belongs to it
    ["2027-01-01T08:00:00", "2026-12-28T00:00:00"], // across a year boundary
  ])("%s → %s", (now, monday) => {
    expect(startOfWeek(at(now))).toEqual(at(monday));
  });
});

describe("pointsValidThisWeek", () => {
  it("adds the unspent points of lots earned since Monday that are still spendable", () => {
    const lots = [
      lot("monday", { earnedAt: at("2026-11-30T00:00:00"), remaining: 60 }),
      lot("today", { earnedAt: at("2026-12-02T09:00:00") }),
      lot("last-sunday", { earnedAt: at("2026-11-29T23:59:59.999") }),
      lot("expired", { expired: true, remaining: 0 }),
      lot("past-expiry", { expiresAt: at("2026-12-02T12:00:00") }), // not yet recorded, but its expiry has come
    ];
    expect(pointsValidThisWeek(lots, NOW)).toBe(160);
  });
});

describe("expiringSoon", () => {
  it("lists lots with points left expiring within 30 days, soonest first", () => {
    const lots = [
      lot("in-30-days", { expiresAt: at("2027-01-01T12:00:00"), remaining: 5 }),
      lot("tomorrow", { expiresAt: at("2026-12-03T12:00:00"), remaining: 40 }),
      lot("in-31-days", { expiresAt: at("2027-01-02T12:00:00") }),
      lot("now", { expiresAt: NOW }),
      lot("spent", { expiresAt: at("2026-12-04T00:00:00"), remaining: 0 }),
      lot("expired", { expiresAt: at("2026-12-04T00:00:00"), expired: true }),
    ];
    expect(expiringSoon(lots, NOW)).toEqual([
      { lotId: "tomorrow", points: 40, expiresAt: at("2026-12-03T12:00:00") },
      { lotId: "in-30-days", points: 5, expiresAt: at("2027-01-01T12:00:00") },
    ]);
    expect(expiringSoon(lots, NOW, 1).map((row) => row.lotId)).toEqual(["tomorrow"]);
  });
});

describe("evolvePointLots (folded with foldPointLots)", () => {
  it("gives restored points back to their lots, and a lot expired before expires again", () => {
    const expiry = at("2026-12-31T00:00:00");
    const events = [
      stored(1, earned("a", 100, NOW, expiry), NOW),
      stored(2, earned("b", 50, NOW, at("2027-06-01T00:00:00")), NOW),
      stored(3, redeemed("r", [{ lotId: "a", points: 80 }, { lotId: "b", points: 10 }], NOW), NOW),
      stored(4, expired("a", 20, expiry), expiry),
      stored(5, restored("r", [{ lotId: "a", points: 80 }, { lotId: "b", points: 10 }], expiry), expiry),
    ];
    const lots = foldPointLots(new Map(), events);
    expect(lots.get("a")).toMatchObject({ remaining: 80, expired: true, expiresAt: expiry });
    expect(lots.get("b")).toMatchObject({ remaining: 50, expired: false });
    foldPointLots(lots, [stored(6, expired("a", 80, expiry), expiry)]);
    expect(lots.get("a")).toMatchObject({ remaining: 0, expired: true });
  });

  it("opens lots, takes redemptions and deductions from them, and marks expiry", () => {
    const events = [
      stored(1, earned("a", 100, NOW, at("2027-01-01T00:00:00")), NOW),
      stored(2, credited("b", 20, "Goodwill", NOW, at("2026-12-31T00:00:00")), NOW),
      stored(3, redeemed("r", [{ lotId: "b", points: 20 }, { lotId: "a", points: 10 }], NOW), NOW),
      stored(4, deducted("c", [{ lotId: "a", points: 5 }], "Correction", NOW), NOW),
      stored(5, expired("a", 85, at("2027-01-01T00:00:00")), at("2027-01-01T00:00:01")),
    ];
    const rows = [...foldPointLots(new Map(), events).values()];
    expect(rows.map(({ lotId, remaining, expired }) => ({ lotId, remaining, expired }))).toEqual([
      { lotId: "a", remaining: 0, expired: true },
      { lotId: "b", remaining: 0, expired: false },
    ]);
  });
});
