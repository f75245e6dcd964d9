import { describe, expect, it } from "vitest";
import { awaitedBy, countOf, formatDuration, shortSagaId, stepRunName } from "./saga-words";

describe("saga words", () => {
  it("names compensations by what they undo", () => {
    expect(stepRunName("reserve-stock", "action")).toBe("reserve-stock");
    expect(stepRunName("debit-wallet", "compensation")).toBe("Undo debit-wallet: refund");
    expect(stepRunName("reserve-stock", "compensation")).toBe("Undo reserve-stock: release stock");
    expect(stepRunName("ship-parcel", "compensation")).toBe("Undo ship-parcel");
    expect(stepRunName("redeem-points", "compensation")).toBe("Undo redeem-points: restore points");
  });

  it("says who a step awaiting a reply waits for", () => {
    expect(awaitedBy("redeem-points")).toBe("Loyalty");
    expect(awaitedBy("ship-parcel")).toBe("a reply");
  });

  it("formats durations for people", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(850.4)).toBe("850 ms");
    expect(formatDuration(1_234)).toBe("1.23 s");
    expect(formatDuration(12_400)).toBe("12.4 s");
    expect(formatDuration(192_000)).toBe("3 min 12 s");
  });

  it("counts in the singular for one and the plural for the rest", () => {
    expect(countOf(0, "saga")).toBe("0 sagas");
    expect(countOf(1, "saga")).toBe("1 saga");
    expect(countOf(2, "picked saga")).toBe("2 picked sagas");
    expect(countOf(1_200, "saga")).toBe("1,200 sagas");
  });

  it("shortens saga ids", () => {
    expect(shortSagaId("3f2a9c1b-0000-4000-8000-000000000000")).toBe("3f2a9c1b");
  });
});
