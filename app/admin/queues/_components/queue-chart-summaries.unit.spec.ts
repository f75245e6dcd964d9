import { describe, expect, it } from "vitest";
import { durationInWords, latencySentence, queueDepthSummaries, stepLabel } from "./queue-chart-summaries";

const at = (time: string) => new Date(`2026-12-06T${time}Z`);

describe("the queue charts' text alternatives", () => {
  it("gives each queue's latest depth and its peak, and none for a queue never sampled", () => {
    const slots = [
      { at: at("12:00:00"), depths: { "saga-steps": 4, "points-replies": 0 } },
      { at: at("12:00:15"), depths: { "saga-steps": 9, "points-replies": 1 } },
      { at: at("12:00:30"), depths: { "saga-steps": 2, "points-replies": 0 } },
    ];
    expect(queueDepthSummaries(["saga-steps", "points-replies", "purchase-events"], slots)).toEqual([
      { queue: "saga-steps", latest: 2, peak: 9, peakAt: at("12:00:15") },
      { queue: "points-replies", latest: 0, peak: 1, peakAt: at("12:00:15") },
      { queue: "purchase-events", latest: 0, peak: 0, peakAt: null },
    ]);
    expect(queueDepthSummaries(["saga-steps"], [])).toEqual([{ queue: "saga-steps", latest: null, peak: 0, peakAt: null }]);
  });

  it("says durations as an operator reads them", () => {
    expect(durationInWords(85)).toBe("85 ms");
    expect(durationInWords(1250)).toBe("1.25 s");
    expect(durationInWords(2000)).toBe("2 s");
    expect(durationInWords(19_050)).toBe("19.1 s");
    expect(durationInWords(125_000)).toBe("2 min 5 s");
    expect(durationInWords(120_000)).toBe("2 min");
  });

  it("names the slowest step at the 95th percentile, undo steps as such", () => {
    expect(stepLabel({ step: "reserve-stock", phase: "compensation" })).toBe("reserve-stock (undo)");
    expect(latencySentence([])).toBe("No saga step finished in the last hour.");
    expect(
      latencySentence([
        { step: "reserve-stock", phase: "action", runs: 20, p50Ms: 100, p95Ms: 300 },
        { step: "debit-wallet", phase: "compensation", runs: 3, p50Ms: 900, p95Ms: 1250 },
      ]),
    ).toBe("23 step runs finished in the last hour; the slowest at the 95th percentile is debit-wallet (undo) at 1.25 s.");
  });
});
