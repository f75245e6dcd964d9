import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineSaga, maxAttemptsOf, type SagaStep } from "./saga-definition";
import * as plan from "./saga-plan";
import { isFinished } from "./saga-status";

const noop = async () => ({ output: null });
const undo = async () => {};
const step = (name: string, compensates: boolean): SagaStep<unknown> => ({
  name,
  action: noop,
  ...(compensates ? { compensation: undo } : {}),
});

// Shaped like checkout: two undoable steps, then a final one with nothing to undo.
const saga = defineSaga({
  type: "test",
  inputSchema: z.unknown(),
  steps: [step("reserve", true), step("pay", true), step("confirm", false)],
  deadlineReason: "too slow",
});

describe("saga plan: forward", () => {
  it("starts with the first action", () => {
    expect(plan.start(saga, {})).toEqual({ status: "running", currentStep: "reserve", next: { step: "reserve", phase: "action" } });
  });

  it("moves to the next action after each success", () => {
    expect(plan.afterAction(saga, "reserve", {}).next).toEqual({ step: "pay", phase: "action" });
    expect(plan.afterAction(saga, "pay", {}).next).toEqual({ step: "confirm", phase: "action" });
  });

  it("completes after the last action, with nothing left to schedule", () => {
    expect(plan.afterAction(saga, "confirm", {})).toEqual({ status: "completed", currentStep: null, next: null });
  });
});

describe("saga plan: compensation runs in reverse, only for steps that committed", () => {
  it("a failure at the last step undoes pay, then reserve", () => {
    const first = plan.compensateBefore(saga, "confirm", {});
    expect(first).toEqual({ status: "compensating", currentStep: "pay", next: { step: "pay", phase: "compensation" } });
    const second = plan.afterCompensation(saga, "pay", {});
    expect(second.next).toEqual({ step: "reserve", phase: "compensation" });
    expect(plan.afterCompensation(saga, "reserve", {})).toEqual({ status: "compensated", currentStep: null, next: null });
  });

  it("a failure at pay undoes only reserve (pay itself never committed)", () => {
    expect(plan.compensateBefore(saga, "pay", {}).next).toEqual({ step: "reserve", phase: "compensation" });
  });

  it("a failure at the first step has nothing to undo", () => {
    expect(plan.compensateBefore(saga, "reserve", {})).toEqual({ status: "compensated", currentStep: null, next: null });
  });

  it("a failure at a first step the start already began undoes that step itself (checkout.start holds the units)", () => {
    const heldAtStart = defineSaga({
      type: "held",
      inputSchema: z.unknown(),
      steps: [{ ...step("reserve", true), begunAtStart: true }, step("pay", true)],
      deadlineReason: "x",
    });
    expect(plan.compensateBefore(heldAtStart, "reserve", {})).toEqual({
      status: "compensating",
      currentStep: "reserve",
      next: { step: "reserve", phase: "compensation" },
    });
    expect(plan.compensateBefore(heldAtStart, "pay", {}).next).toEqual({ step: "reserve", phase: "compensation" });
  });

  it("skips earlier steps that declare no compensation", () => {
    const mixed = defineSaga({
      type: "mixed",
      inputSchema: z.unknown(),
      steps: [step("a", true), step("b", false), step("c", false)],
      deadlineReason: "x",
    });
    expect(plan.compensateBefore(mixed, "c", {}).next).toEqual({ step: "a", phase: "compensation" });
  });

  it("a compensation that cannot finish leaves the saga for an operator", () => {
    expect(plan.needsAttention("pay")).toEqual({ status: "needs_attention", currentStep: "pay", next: null });
    // …until an operator retries that compensation.
    expect(plan.retryCompensation("pay")).toEqual({
      status: "compensating",
      currentStep: "pay",
      next: { step: "pay", phase: "compensation" },
    });
    expect(isFinished("needs_attention")).toBe(true);
  });
});

// Shaped like checkout with points: an optional step that waits for a reply, between reserving and paying.
const withPoints = defineSaga<{ points: number }>({
  type: "points",
  inputSchema: z.object({ points: z.number() }),
  steps: [step("reserve", true), { ...step("redeem", true), appliesTo: (input: { points: number }) => input.points > 0 }, step("pay", true), step("confirm", false)],
  deadlineReason: "x",
});
const some = { points: 250 };
const none = { points: 0 };

describe("saga plan: steps that apply to some inputs only", () => {
  it("runs the step for an input it applies to, both ways", () => {
    expect(plan.afterAction(withPoints, "reserve", some).next).toEqual({ step: "redeem", phase: "action" });
    expect(plan.afterAction(withPoints, "redeem", some).next).toEqual({ step: "pay", phase: "action" });
    expect(plan.compensateBefore(withPoints, "confirm", some).next).toEqual({ step: "pay", phase: "compensation" });
    expect(plan.afterCompensation(withPoints, "pay", some).next).toEqual({ step: "redeem", phase: "compensation" });
    expect(plan.compensateBefore(withPoints, "pay", some).next).toEqual({ step: "redeem", phase: "compensation" });
  });

  it("passes over it for an input it does not apply to, going forward and compensating", () => {
    expect(plan.afterAction(withPoints, "reserve", none).next).toEqual({ step: "pay", phase: "action" });
    expect(plan.afterCompensation(withPoints, "pay", none).next).toEqual({ step: "reserve", phase: "compensation" });
    expect(plan.compensateBefore(withPoints, "pay", none).next).toEqual({ step: "reserve", phase: "compensation" });
  });

  it("starts at the first step that applies, and refuses an input no step applies to", () => {
    const optionalFirst = defineSaga<{ points: number }>({
      type: "optional-first",
      inputSchema: z.object({ points: z.number() }),
      steps: [{ ...step("redeem", true), appliesTo: (input: { points: number }) => input.points > 0 }, step("pay", false)],
      deadlineReason: "x",
    });
    expect(plan.start(optionalFirst, none).next).toEqual({ step: "pay", phase: "action" });
    expect(plan.start(optionalFirst, some).next).toEqual({ step: "redeem", phase: "action" });
    const onlyOptional = defineSaga<{ points: number }>({
      ...optionalFirst,
      type: "only-optional",
      steps: [{ ...step("redeem", true), appliesTo: (input: { points: number }) => input.points > 0 }],
    });
    expect(() => plan.start(onlyOptional, none)).toThrow(/no step for this input/);
  });
});

describe("saga plan: a step waiting for a reply", () => {
  it("stays at the step, in its phase's status, with nothing scheduled", () => {
    expect(plan.awaitReply("running", "redeem")).toEqual({ status: "running", currentStep: "redeem", next: null });
    expect(plan.awaitReply("compensating", "redeem")).toEqual({ status: "compensating", currentStep: "redeem", next: null });
  });

  it("whose wait failed is undone itself first: what it asked for may have been done", () => {
    expect(plan.compensateAfterWait(withPoints, "redeem", some)).toEqual({
      status: "compensating",
      currentStep: "redeem",
      next: { step: "redeem", phase: "compensation" },
    });
    // …whereas a refusal (a failed action) undoes only what came before it.
    expect(plan.compensateBefore(withPoints, "redeem", some).next).toEqual({ step: "reserve", phase: "compensation" });
  });

  it("takes the reply of its phase; a compensation that gave up (needs attention) still takes its reply", () => {
    expect(plan.replyPhaseFor("running")).toBe("action");
    expect(plan.replyPhaseFor("compensating")).toBe("compensation");
    expect(plan.replyPhaseFor("needs_attention")).toBe("compensation");
    expect(plan.replyPhaseFor("completed")).toBeNull();
    expect(plan.replyPhaseFor("compensated")).toBeNull();
  });
});

describe("statuses", () => {
  it.each([
    ["running", "action", false],
    ["compensating", "compensation", false],
    ["completed", null, true],
    ["compensated", null, true],
    ["needs_attention", null, true],
  ] as const)("%s runs %s and finished=%s", (status, phase, finished) => {
    expect(plan.phaseFor(status)).toBe(phase);
    expect(isFinished(status)).toBe(finished);
  });
});

describe("definitions", () => {
  it("refuses step names that cannot be part of a job id", () => {
    expect(() =>
      defineSaga({ type: "bad", inputSchema: z.unknown(), steps: [step("a:b", false)], deadlineReason: "x" }),
    ).toThrow(/lower-case words/);
  });

  it("refuses two steps with one name", () => {
    expect(() =>
      defineSaga({ type: "dup", inputSchema: z.unknown(), steps: [step("a", false), step("a", false)], deadlineReason: "x" }),
    ).toThrow(/two steps/);
  });

  it("gives compensations many more attempts than actions", () => {
    const s = step("a", true);
    expect(maxAttemptsOf(s, "compensation")).toBeGreaterThan(maxAttemptsOf(s, "action") * 2);
  });
});
