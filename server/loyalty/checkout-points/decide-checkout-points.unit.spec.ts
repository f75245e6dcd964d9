import { describe, expect, it } from "vitest";
import type { PointsCommand, PointsReply } from "@/server/contracts/checkout-points-messages";
import type { PointEvent } from "@/server/loyalty/points/point-events";
import { evolvePoints, initialPointsState, type PointsState } from "@/server/loyalty/points/points-state";
import type { RedemptionRule } from "@/server/loyalty/rules/redemption-rule";
import { SEEDED_REDEMPTION_RULE } from "@/server/loyalty/rules/seeded-redemption-rule";
import { earned, expired } from "@/server/testing/loyalty-points";
import { decideCheckoutPoints, type CheckoutCommandKind, type StoredOutcomes } from "./decide-checkout-points";

const at = (iso: string) => new Date(`${iso}Z`);
const NOW = at("2026-12-04T12:00:00");
const CHECKOUT = "3f2a9c1e-0000-4000-8000-000000000001";
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000002";
const SOON = at("2026-12-10T00:00:00");
const LATER = at("2027-06-01T00:00:00");

const redeem = (points: number, amountCents = 120_00): PointsCommand => ({
  type: "RedeemPointsForCheckout",
  checkoutId: CHECKOUT,
  customerId: CUSTOMER,
  points,
  amountCents,
  sentAt: NOW.toISOString(),
});
const restore: PointsCommand = { type: "RestorePointsForCheckout", checkoutId: CHECKOUT, customerId: CUSTOMER, sentAt: NOW.toISOString() };

/** A customer's points and the checkout's stored outcomes; each decision is applied as the handler would. */
function given(events: PointEvent[], rule: RedemptionRule = SEEDED_REDEMPTION_RULE) {
  let state: PointsState = events.reduce(evolvePoints, initialPointsState());
  const stored = new Map<CheckoutCommandKind, PointsReply>();
  return {
    stored: stored as StoredOutcomes,
    when(command: PointsCommand, now: Date = NOW) {
      const decision = decideCheckoutPoints(command, { state, stored, rule, now });
      for (const { command: kind, reply } of decision.outcomes) stored.set(kind, reply);
      state = decision.events.reduce(evolvePoints, state);
      return { ...decision, state };
    },
  };
}

const lots = () => [earned("soon", 100, at("2026-12-01T00:00:00"), SOON), earned("later", 300, at("2026-12-02T00:00:00"), LATER)];

describe("RedeemPointsForCheckout", () => {
  it("uses the first-expiring lots first and replies with the discount and each lot's expiry", () => {
    const { reply, events, outcomes } = given(lots()).when(redeem(250));
    expect(reply).toEqual({
      type: "PointsRedeemedForCheckout",
      checkoutId: CHECKOUT,
      customerId: CUSTOMER,
      points: 250,
      discountCents: 12_50,
      lots: [
        { lotId: "soon", points: 100, expiresAt: SOON.toISOString() },
        { lotId: "later", points: 150, expiresAt: LATER.toISOString() },
      ],
      repliedAt: NOW.toISOString(),
    });
    expect(events).toEqual([
      {
        type: "PointsRedeemed",
        data: { redemptionId: `checkout:${CHECKOUT}`, points: 250, lots: [{ lotId: "soon", points: 100 }, { lotId: "later", points: 150 }], redeemedAt: NOW, checkoutId: CHECKOUT },
      },
    ]);
    expect(outcomes).toEqual([{ command: "RedeemPointsForCheckout", reply }]);
  });

  it("values the points by the rule in force, rounding down", () => {
    const rule = { pointsPerStep: 100, centsPerStep: 150, maxDiscountPercent: 50 }; // 1.5 cents a point
    expect(given(lots(), rule).when(redeem(3)).reply).toMatchObject({ points: 3, discountCents: 4 });
  });

  it("never spends an expired lot, or one whose expiry has come", () => {
    const history = [...lots(), earned("dead", 500, at("2026-01-01T00:00:00"), at("2026-06-01T00:00:00")), expired("dead", 500, at("2026-06-01T00:00:00"))];
    const afterSoon = at("2026-12-10T00:00:00");
    const { reply } = given(history).when(redeem(300), afterSoon);
    expect(reply).toMatchObject({ type: "PointsRedeemedForCheckout", lots: [{ lotId: "later", points: 300 }] });
    expect(given(history).when(redeem(301), afterSoon).reply).toMatchObject({
      type: "PointsRedemptionRefused",
      reason: "You have 300 points; you asked to use 301.",
    });
  });

  it.each([
    ["more than the customer has", redeem(450), "You have 400 points; you asked to use 450."],
    ["more than half the order", redeem(400, 30_00), "You have 400 points; this order can use at most 300."],
    ["any points on an order too small for one", redeem(1, 9), "You have 400 points; this order is too small to use any."],
  ])("refuses %s, in words the shopper can read, and writes nothing but the outcome", (_, command, reason) => {
    const { reply, events, outcomes } = given(lots()).when(command);
    expect(reply).toEqual({ type: "PointsRedemptionRefused", checkoutId: CHECKOUT, customerId: CUSTOMER, reason, repliedAt: NOW.toISOString() });
    expect(events).toEqual([]);
    expect(outcomes).toEqual([{ command: "RedeemPointsForCheckout", reply }]);
  });

  it("refuses points worth less than a cent", () => {
    const rule = { pointsPerStep: 3, centsPerStep: 1, maxDiscountPercent: 50 };
    expect(given(lots(), rule).when(redeem(2)).reply).toMatchObject({ reason: "2 points are worth less than a cent; use at least 3." });
  });

  it("a command delivered again gets the stored reply, and the rule changing since does not change the discount", () => {
    const customer = given(lots());
    const first = customer.when(redeem(250));
    const again = decideCheckoutPoints(redeem(250), {
      state: first.state,
      stored: customer.stored,
      rule: { pointsPerStep: 100, centsPerStep: 100, maxDiscountPercent: 50 },
      now: at("2026-12-05T00:00:00"),
    });
    expect(again).toEqual({ reply: first.reply, events: [], outcomes: [] });
  });

  it("a refusal stays a refusal, even once the customer has the points", () => {
    const customer = given(lots());
    const refused = customer.when(redeem(450)).reply;
    const richer = [...lots(), earned("new", 1_000, NOW, LATER)].reduce(evolvePoints, initialPointsState());
    const again = decideCheckoutPoints(redeem(450), { state: richer, stored: customer.stored, rule: SEEDED_REDEMPTION_RULE, now: NOW });
    expect(again).toEqual({ reply: refused, events: [], outcomes: [] });
  });
});

describe("RestorePointsForCheckout", () => {
  it("gives the redemption back to its lots and replies with the points", () => {
    const customer = given(lots());
    customer.when(redeem(250));
    const { reply, events, state } = customer.when(restore);
    expect(reply).toEqual({ type: "PointsRestoredForCheckout", checkoutId: CHECKOUT, customerId: CUSTOMER, points: 250, repliedAt: NOW.toISOString() });
    expect(events.map((event) => event.type)).toEqual(["PointsRestored"]);
    expect(state.lots.map((lot) => lot.remaining)).toEqual([100, 300]);
  });

  it("twice gives back once, and answers the same", () => {
    const customer = given(lots());
    customer.when(redeem(250));
    const first = customer.when(restore);
    const second = customer.when(restore);
    expect(second).toMatchObject({ reply: first.reply, events: [], outcomes: [] });
    expect(second.state.lots.map((lot) => lot.remaining)).toEqual([100, 300]);
  });

  it("after a refusal gives back nothing", () => {
    const customer = given(lots());
    customer.when(redeem(450));
    const { reply, events, outcomes } = customer.when(restore);
    expect(reply).toMatchObject({ type: "PointsRestoredForCheckout", points: 0 });
    expect(events).toEqual([]);
    expect(outcomes.map((outcome) => outcome.command)).toEqual(["RestorePointsForCheckout"]);
  });

  it("before the redemption: records a refusal for it, so the late redeem command redeems nothing", () => {
    const customer = given(lots());
    const restored = customer.when(restore);
    expect(restored.reply).toMatchObject({ type: "PointsRestoredForCheckout", points: 0 });
    expect(restored.outcomes.map((outcome) => outcome.command)).toEqual(["RedeemPointsForCheckout", "RestorePointsForCheckout"]);

    const late = customer.when(redeem(250));
    expect(late.reply).toEqual({
      type: "PointsRedemptionRefused",
      checkoutId: CHECKOUT,
      customerId: CUSTOMER,
      reason: "The checkout was cancelled before the points were used.",
      repliedAt: NOW.toISOString(),
    });
    expect(late.events).toEqual([]);
    expect(late.state.lots.map((lot) => lot.remaining)).toEqual([100, 300]);
  });
});
