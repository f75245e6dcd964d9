import { describe, expect, it } from "vitest";
import { throughputSentence, throughputTotals } from "./throughput-summary";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute));

describe("throughput totals", () => {
  it("adds up the hour and finds its busiest minute (the first of equals)", () => {
    const totals = throughputTotals([
      { minute: at(0), completed: 0, compensated: 0 },
      { minute: at(1), completed: 3, compensated: 1 },
      { minute: at(2), completed: 40, compensated: 0 },
      { minute: at(3), completed: 38, compensated: 2 },
    ]);
    expect(totals).toEqual({ completed: 81, compensated: 3, busiest: { minute: at(2), finished: 40 } });
    expect(throughputSentence(totals)).toBe(
      "In the last hour: 81 completed and 3 compensated; the busiest minute finished 40 sagas.",
    );
  });

  it("says so when nothing finished", () => {
    const totals = throughputTotals([{ minute: at(0), completed: 0, compensated: 0 }]);
    expect(totals.busiest).toBeNull();
    expect(throughputSentence(totals)).toBe("No saga finished in the last hour.");
  });
});
