import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { decidePoints } from "@/server/loyalty/points/decide-points";
import type { PointCommand } from "@/server/loyalty/points/point-commands";
import { availablePoints, evolvePoints, initialPointsState, type PointsState } from "@/server/loyalty/points/points-state";
import { storedPointEventSchema, type StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { lotsDueForExpiry } from "@/server/testing/loyalty-points";
import { balanceAt } from "./balance-at";
import { foldReadModels, newReadModelFold, type ReadModelFold } from "./fold-read-models";
import type { PointHistoryRow } from "./point-history";

/**
 * Model-based property test: random customer histories (earn, redeem, give back, adjust, expire, time passing) run through the
 * decider exactly as the event store would, checking the read models against the decider after every step. The read
 * models are folded with foldReadModels, the rebuild's own fold of each projection's evolve.
 */

const HOUR = 60 * 60 * 1000;
const START = new Date("2026-11-30T05:00:00Z").getTime();
const CUSTOMER = "customer-1";

type Step =
  | { kind: "earn"; points: number; lifetimeHours: number; reuseLot: number | null }
  | { kind: "redeem"; points: number; reuseId: number | null; forCheckout: boolean }
  | { kind: "restore"; pick: number | null }
  | { kind: "adjust"; points: number; lifetimeDays: number }
  | { kind: "expire"; pick: number }
  | { kind: "expireDue" }
  | { kind: "tick"; hours: number };

// Reuse of an earlier lot or redemption id now and then (freq 5: about one in five) exercises idempotency.
const sometimesAnEarlierOne = fc.option(fc.nat(), { freq: 5 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("earn"),
      points: fc.integer({ min: 0, max: 200 }),
      lifetimeHours: fc.integer({ min: 1, max: 2000 }),
      reuseLot: sometimesAnEarlierOne,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("redeem"),
      points: fc.integer({ min: 1, max: 300 }),
      reuseId: sometimesAnEarlierOne,
      forCheckout: fc.boolean(),
    }),
  },
  // Give back an earlier redemption (now and then again, or one that never happened: null), often after its lots expired.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("restore"), pick: fc.option(fc.nat(), { freq: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("adjust"),
      points: fc.integer({ min: -150, max: 150 }).filter((n) => n !== 0),
      lifetimeDays: fc.integer({ min: 1, max: 60 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expire"), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "expireDue" as const }) },
  // Up to ~2 months at a time, so lots (1 hour to ~3 months) expire in the middle of histories.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("tick"), hours: fc.integer({ min: 0, max: 1500 }) }) },
);

type World = {
  now: Date;
  state: PointsState;
  log: StoredPointEvent[];
  readModels: ReadModelFold;
  history: PointHistoryRow[];
  lotIds: string[];
  redemptionIds: string[];
  restoredIds: Set<string>;
  counter: number;
};

function commandsFor(step: Step, world: World): PointCommand[] {
  const id = (prefix: string) => `${prefix}-${(world.counter += 1)}`;
  const pick = <T,>(items: T[], index: number | null) =>
    index === null || items.length === 0 ? undefined : items[index % items.length];
  switch (step.kind) {
    case "earn": {
      const lotId = pick(world.lotIds, step.reuseLot) ?? id("lot");
      const expiresAt = new Date(world.now.getTime() + step.lifetimeHours * HOUR);
      const data = { lotId, orderId: `order-${lotId}`, points: step.points, ruleIds: [], earnedAt: world.now, expiresAt };
      return [{ type: "EarnPoints", data }];
    }
    case "redeem": {
      const redemptionId = pick(world.redemptionIds, step.reuseId) ?? id("redemption");
      const forCheckout = step.forCheckout ? { checkoutId: `checkout-of-${redemptionId}` } : {};
      return [{ type: "RedeemPoints", data: { redemptionId, points: step.points, ...forCheckout } }];
    }
    case "restore":
      return [{ type: "RestorePoints", data: { redemptionId: pick(world.redemptionIds, step.pick) ?? "never-redeemed" } }];
    case "adjust": {
      const lifetime = step.points > 0 ? { lotLifetimeDays: step.lifetimeDays } : {};
      const data = { adjustmentId: id("adjustment"), points: step.points, reason: "Goodwill", adjustedBy: "staff", ...lifetime };
      return [{ type: "AdjustPoints", data }];
    }
    case "expire": {
      const lotId = pick(world.lotIds, step.pick);
      return lotId ? [{ type: "ExpireLot", data: { lotId } }] : [];
    }
    case "expireDue":
      return lotsDueForExpiry(world.state, world.now).map((lotId) => ({ type: "ExpireLot", data: { lotId } }));
    case "tick":
      world.now = new Date(world.now.getTime() + step.hours * HOUR);
      return [];
  }
}

function handle(world: World, command: PointCommand): void {
  let events;
  try {
    events = decidePoints(command, world.state, { now: world.now });
  } catch (error) {
    // Refusals are fine (more than the balance, a reused id for another amount); anything else is a bug.
    if (error instanceof DomainError && ["INSUFFICIENT_POINTS", "IDEMPOTENCY_CONFLICT"].includes(error.code)) return;
    throw error;
  }
  if (command.type === "RedeemPoints") world.redemptionIds.push(command.data.redemptionId);
  for (const event of events) {
    if (event.type === "PointsEarned") world.lotIds.push(event.data.lotId);
    const taken = event.type === "PointsRedeemed" || event.type === "PointsAdjusted" ? (event.data.lots ?? []) : [];
    for (const { lotId } of taken) {
      const lot = world.state.lots.find((candidate) => candidate.lotId === lotId);
      expect(lot && !lot.expired && lot.expiresAt.getTime() > world.now.getTime()).toBe(true); // never spend expired
    }
    if (event.type === "PointsRestored") {
      expect(world.restoredIds.has(event.data.redemptionId)).toBe(false); // given back once
      world.restoredIds.add(event.data.redemptionId);
    }
    const version = world.log.length + 1;
    const stored = { streamId: CUSTOMER, version, eventId: `e-${version}`, occurredAt: world.now, event };
    world.log.push(stored);
    world.state = evolvePoints(world.state, event);
    const row = foldReadModels(world.readModels, stored);
    if (row) world.history.push(row);
  }
  // No point is spendable after its lot's expiry: what went back to a dead lot died in the same decision.
  const givenBack = events.flatMap((event) => (event.type === "PointsRestored" ? event.data.lots : []));
  for (const { lotId } of givenBack) {
    const lot = world.state.lots.find((candidate) => candidate.lotId === lotId)!;
    if (lot.expired || lot.expiresAt.getTime() <= world.now.getTime()) expect(lot).toMatchObject({ expired: true, remaining: 0 });
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe("points: decider and projections agree on any history", () => {
  it("holds the invariants after every step and when replayed from scratch", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const world: World = {
          now: new Date(START),
          state: initialPointsState(),
          log: [],
          readModels: newReadModelFold(),
          history: [],
          lotIds: [],
          redemptionIds: [],
          restoredIds: new Set(),
          counter: 0,
        };
        for (const step of steps) {
          for (const command of commandsFor(step, world)) handle(world, command);
          const shown = world.readModels.balance?.availablePoints ?? 0;
          const lots = [...world.readModels.lots.values()];
          // (a) never negative, in the decider or in the projection
          expect(availablePoints(world.state, world.now)).toBeGreaterThanOrEqual(0);
          expect(shown).toBeGreaterThanOrEqual(0);
          expect(world.state.lots.every((lot) => lot.remaining >= 0 && lot.remaining <= lot.points)).toBe(true);
          // (c) the balance is the unspent points of lots not yet expired by an event, however it is counted
          expect(shown).toBe(sum(world.state.lots.filter((lot) => !lot.expired).map((lot) => lot.remaining)));
          expect(shown).toBe(sum(lots.filter((lot) => !lot.expired).map((lot) => lot.remaining)));
          expect(world.history.at(-1)?.balanceAfter ?? 0).toBe(shown);
          // The decider can never spend more than the summary shows.
          expect(availablePoints(world.state, world.now)).toBeLessThanOrEqual(shown);
        }
        // (b) incremental projections equal a rebuild from the whole log
        const rebuilt = newReadModelFold();
        const rebuiltHistory = world.log.flatMap((stored) => foldReadModels(rebuilt, stored) ?? []);
        expect(rebuilt.balance).toEqual(world.readModels.balance);
        expect([...rebuilt.lots.values()]).toEqual([...world.readModels.lots.values()]);
        expect(rebuiltHistory).toEqual(world.history);
        expect(world.log.map((stored) => stored.event).reduce(evolvePoints, initialPointsState())).toEqual(world.state);
        // (d) time travel to now gives what the decider would let the customer spend
        expect(balanceAt(world.log, world.now)).toBe(availablePoints(world.state, world.now));
        // Every event the decider wrote reads back through the schema, dates and all.
        const readBack = world.log.map((stored) => storedPointEventSchema.parse(JSON.parse(JSON.stringify(stored))));
        expect(readBack).toEqual(world.log);
      }),
      { numRuns: 200 },
    );
  });
});
