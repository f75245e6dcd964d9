import { describe, expect, it } from "vitest";
import { instantOfLocalInput, localInputValueOf } from "./local-time-input";

describe("datetime-local values", () => {
  it("round-trip an instant through the reader's local time", () => {
    const date = new Date(2026, 10, 30, 9, 5);
    expect(localInputValueOf(date)).toBe("2026-11-30T09:05");
    expect(instantOfLocalInput("2026-11-30T09:05")).toEqual(date);
  });

  it("refuse what is not a local date and time", () => {
    expect(instantOfLocalInput("")).toBeUndefined();
    expect(instantOfLocalInput("yesterday")).toBeUndefined();
    expect(instantOfLocalInput("2026-13-45T99:99")).toBeUndefined();
  });
});
