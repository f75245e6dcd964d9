import { describe, expect, it } from "vitest";
import type { LoadResult } from "../lib/http-load";
import { compareToStatic, describeComparison } from "./compare";

const at = (requestsPerSecond: number | null): LoadResult => ({
  tool: "autocannon",
  requests: 0,
  requestsSent: 0,
  seconds: 1,
  requestsPerSecond,
  latencyMs: { p50: null, p99: null },
  unexpectedStatuses: {},
  socketErrors: 0,
});

describe("compareToStatic", () => {
  it("divides by the static asset's req/s and marks the target", () => {
    expect(compareToStatic(at(600), at(1_000), 0.5)).toEqual({ ratio: 0.6, meetsTarget: true });
    expect(compareToStatic(at(200), at(1_000), 0.25)).toEqual({ ratio: 0.2, meetsTarget: false });
    expect(compareToStatic(at(500), at(1_000), 0.5)).toEqual({ ratio: 0.5, meetsTarget: true });
  });

  it("has no target for the static asset, and no ratio without both rates", () => {
    expect(compareToStatic(at(1_000), at(1_000), null)).toEqual({ ratio: 1, meetsTarget: null });
    expect(compareToStatic(at(600), null, 0.5)).toEqual({ ratio: null, meetsTarget: null });
    expect(compareToStatic(null, at(1_000), 0.5)).toEqual({ ratio: null, meetsTarget: null });
    expect(compareToStatic(at(600), at(0), 0.5)).toEqual({ ratio: null, meetsTarget: null });
  });

  it("reads as a ratio with its mark", () => {
    expect(describeComparison({ ratio: 0.4234, meetsTarget: false })).toBe("0.42 ✗");
    expect(describeComparison({ ratio: 0.61, meetsTarget: true })).toBe("0.61 ✓");
    expect(describeComparison({ ratio: 1, meetsTarget: null })).toBe("1.00");
    expect(describeComparison({ ratio: null, meetsTarget: null })).toBe("–");
  });
});
