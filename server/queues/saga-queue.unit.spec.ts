import { describe, expect, it } from "vitest";
import { parseJobPayload } from "./define-queue";
import { sagaStepQueue } from "./saga-queue";

describe("the saga step queue", () => {
  it("reads a saga id in lower case, as PostgreSQL writes it, so a batch finds the saga's row", () => {
    const payload = parseJobPayload(sagaStepQueue, "run-step", {
      sagaId: "5A3C8E2E-1B7B-4C5E-9F1A-2B3C4D5E6F70",
      sagaType: "checkout",
      step: "reserve-stock",
      phase: "action",
    });

    expect(payload.sagaId).toBe("5a3c8e2e-1b7b-4c5e-9f1a-2b3c4d5e6f70");
  });
});
