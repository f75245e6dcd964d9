import { describe, expect, it } from "vitest";
import { cancelWords, redriveWords, retryWords } from "@/app/admin/_lib/saga-action-words";
import { checkoutSaga } from "@/server/retail/checkout/checkout-saga";
import type { SagaDefinition } from "@/server/saga/saga-definition";
import { planSagaActions, type SagaAsItStands } from "./saga-action-plan";

const definition = checkoutSaga({ reservationTtlMs: 60_000, pointsReplyTimeoutMs: 30_000 }) as SagaDefinition;
const now = new Date("2026-12-06T21:00:00.000Z");
const input = (pointsToUse = 0) => ({
  checkoutId: "00000000-0000-4000-8000-000000000003",
  productName: "Pocket Unicorn",
  customerId: "00000000-0000-4000-8000-000000000001",
  productId: "00000000-0000-4000-8000-000000000002",
  quantity: 1,
  unitPriceCents: 1_999,
  amountCents: 1_999,
  pointsToUse,
});
const saga = (over: Partial<SagaAsItStands>): SagaAsItStands => ({ status: "running", currentStep: null, input: input(), awaitingReplyUntil: null, ...over });

describe("what each operator action would run", () => {
  it("retries the compensation that gave up (current_step), never the step whose action failed", () => {
    // complete-order failed (failed_step); undoing debit-wallet then gave up: the refund is what runs again.
    const plan = planSagaActions({ definition, saga: saga({ status: "needs_attention", currentStep: "debit-wallet" }), now });
    expect(plan.retry).toEqual({ step: "debit-wallet", then: ["reserve-stock"] });
    expect(plan.redrive).toBeNull();
    expect(plan.cancel).toBeNull();
    expect(retryWords(plan.retry!)).toBe("Undo debit-wallet: refund runs again, then Undo reserve-stock: release stock.");
  });

  it("passes over steps that do not apply (no points used) and names the last undo", () => {
    const plan = planSagaActions({ definition, saga: saga({ status: "needs_attention", currentStep: "reserve-stock" }), now });
    expect(retryWords(plan.retry!)).toBe("Undo reserve-stock: release stock runs again, and the saga is then fully undone.");
    const withPoints = planSagaActions({
      definition,
      saga: saga({ status: "needs_attention", currentStep: "debit-wallet", input: input(100) }),
      now,
    });
    expect(withPoints.retry?.then).toEqual(["redeem-points", "reserve-stock"]);
  });

  it("cancels by undoing what came before the current step, or the step itself while it waits for its reply", () => {
    const paying = planSagaActions({ definition, saga: saga({ currentStep: "debit-wallet" }), now });
    expect(paying.cancel).toEqual({ undoes: ["reserve-stock"] });
    expect(cancelWords(paying.cancel!)).toBe("What it did so far is undone: Undo reserve-stock: release stock runs.");
    // reserve-stock began at checkout.start (units held): cancelling before it ran still releases them.
    expect(planSagaActions({ definition, saga: saga({ currentStep: "reserve-stock" }), now }).cancel).toEqual({ undoes: ["reserve-stock"] });
    const awaiting = saga({ currentStep: "redeem-points", input: input(100), awaitingReplyUntil: new Date(now.getTime() + 5_000) });
    expect(planSagaActions({ definition, saga: awaiting, now }).cancel).toEqual({ undoes: ["redeem-points", "reserve-stock"] });
    expect(cancelWords({ undoes: ["debit-wallet", "reserve-stock"] })).toBe(
      "What it did so far is undone: Undo debit-wallet: refund, then Undo reserve-stock: release stock run, in that order.",
    );
  });

  it("redrives the current step in its phase, and says a step waiting for its reply will not move before its wait ends", () => {
    const compensating = planSagaActions({ definition, saga: saga({ status: "compensating", currentStep: "debit-wallet" }), now });
    expect(compensating.redrive).toEqual({ step: "debit-wallet", phase: "compensation" });
    expect(redriveWords(compensating.redrive!)).toBe("Undo debit-wallet: refund (compensation) is enqueued again.");
    const until = new Date("2026-12-06T21:00:05.000Z");
    const waiting = planSagaActions({ definition, saga: saga({ currentStep: "redeem-points", input: input(100), awaitingReplyUntil: until }), now });
    expect(waiting.redrive).toEqual({ step: "redeem-points", waitingUntil: until });
    expect(redriveWords(waiting.redrive!, "UTC")).toBe(
      "redeem-points is waiting for a reply until 6 Dec 2026, 21:00:05 UTC: a redrive does nothing before then.",
    );
    // Its wait is over: a redrive enqueues it (it then fails its wait and compensates).
    expect(planSagaActions({ definition, saga: saga({ currentStep: "redeem-points", input: input(100), awaitingReplyUntil: until }), now: new Date(until.getTime() + 1) }).redrive)
      .toEqual({ step: "redeem-points", phase: "action" });
  });

  it("offers nothing on a saga that finished", () => {
    for (const status of ["completed", "compensated"] as const) {
      expect(planSagaActions({ definition, saga: saga({ status, currentStep: null }), now })).toEqual({ retry: null, redrive: null, cancel: null });
    }
  });
});
