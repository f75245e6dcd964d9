import { describe, expect, it, vi } from "vitest";
import {
  databaseTroubleSince,
  isDatabaseKnownAway,
  reportDatabaseUnavailable,
  watchForDatabaseReturn,
} from "./database-availability";

describe("database availability", () => {
  it("is away from a report until the probe succeeds, probing at once and then at the interval, one at a time", async () => {
    vi.useFakeTimers();
    try {
      let failuresLeft = 2;
      const probe = vi.fn(async () => {
        if (failuresLeft-- > 0) throw new Error("connect ECONNREFUSED");
      });
      watchForDatabaseReturn({ probe, intervalMs: 1_000 });
      const before = Date.now();
      expect(isDatabaseKnownAway()).toBe(false);

      reportDatabaseUnavailable();
      reportDatabaseUnavailable(); // a second page meeting the outage starts no second probe
      expect(isDatabaseKnownAway()).toBe(true);
      expect(databaseTroubleSince(before)).toBe(true);
      await vi.advanceTimersByTimeAsync(0);
      expect(probe).toHaveBeenCalledTimes(1);

      await vi.advanceTimersByTimeAsync(1_000);
      expect(probe).toHaveBeenCalledTimes(2);
      expect(isDatabaseKnownAway()).toBe(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(probe).toHaveBeenCalledTimes(3);
      expect(isDatabaseKnownAway()).toBe(false);

      // Back: nothing more is probed, and only a request older than the report still counts it.
      await vi.advanceTimersByTimeAsync(5_000);
      expect(probe).toHaveBeenCalledTimes(3);
      expect(databaseTroubleSince(before)).toBe(true);
      expect(databaseTroubleSince(Date.now() + 1)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
