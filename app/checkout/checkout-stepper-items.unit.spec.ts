import { describe, expect, it } from "vitest";
import { activityOf, stepperOf, type StepperStatus } from "./checkout-stepper-items";

type Step = StepperStatus["steps"][number];
const action = (step: string, status: Step["status"]): Step => ({ step, phase: "action", status, attempts: 1 });
const undo = (step: string, status: Step["status"]): Step => ({ step, phase: "compensation", status, attempts: 1 });
const activity = (status: Partial<StepperStatus>) => activityOf(stepperOf({ status: "running", steps: [], pointsRequested: 0, ...status }));

describe("activityOf: what the page times to say a step takes longer than usual", () => {
  it("names the step under way, recorded yet or not", () => {
    expect(activity({})).toBe("reserve-stock do");
    expect(activity({ steps: [action("reserve-stock", "succeeded")] })).toBe("debit-wallet do");
    expect(activity({ pointsRequested: 100, steps: [action("reserve-stock", "succeeded"), action("redeem-points", "running")] })).toBe(
      "redeem-points do",
    );
  });

  it("is the same wait while the step is retried", () => {
    expect(activity({ steps: [action("reserve-stock", "retrying")] })).toBe("reserve-stock do");
  });

  it("names the step being undone, and nothing once the checkout has finished", () => {
    expect(activity({ status: "compensating", steps: [action("reserve-stock", "succeeded"), undo("reserve-stock", "running")] })).toBe(
      "reserve-stock undo",
    );
    expect(activity({ status: "completed", steps: [action("reserve-stock", "succeeded")] })).toBeNull();
  });

  it("is nothing while running with every step done", () => {
    const done = ["reserve-stock", "debit-wallet", "complete-order"].map((step) => action(step, "succeeded"));
    expect(activity({ steps: done })).toBeNull();
  });
});
