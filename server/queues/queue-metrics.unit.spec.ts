import { describe, expect, it } from "vitest";
import { keptInWords } from "./queue-health";
import { finishedInLastHour, type BullMetrics } from "./queue-metrics";

const at = (iso: string) => new Date(iso);
const metrics = (meta: BullMetrics["meta"], data: number[] = []): BullMetrics => ({ meta, data });

describe("jobs finished in the last hour, from BullMQ's metrics", () => {
  it("is 0 before any job finished", () => {
    expect(finishedInLastHour(metrics({ count: 0, prevTS: 0, prevCount: 0 }), at("2026-12-06T12:00:00Z"))).toBe(0);
  });

  it("counts the first job, which BullMQ only remembers in its running total", () => {
    const first = metrics({ count: 1, prevTS: at("2026-12-06T12:00:10Z").getTime(), prevCount: 0 });
    expect(finishedInLastHour(first, at("2026-12-06T12:00:30Z"))).toBe(1);
  });

  it("adds the minute of the last push to the minutes before it that are still within the hour", () => {
    // 7 jobs since the push at 12:30; before it, newest first: 12:29 → 5, 12:28 → 0, … and 100 in each older minute.
    const data = [5, 0, ...Array.from({ length: 100 }, () => 100)];
    const recent = metrics({ count: 10_000, prevTS: at("2026-12-06T12:30:05Z").getTime(), prevCount: 9_993 }, data);
    // At 12:30 the hour is 11:31…12:30: the push minute and the 59 minutes before it (data[0..58]).
    expect(finishedInLastHour(recent, at("2026-12-06T12:30:40Z"))).toBe(7 + 5 + 0 + 57 * 100);
    // Ten minutes later, ten of those older minutes have left the hour.
    expect(finishedInLastHour(recent, at("2026-12-06T12:40:40Z"))).toBe(7 + 5 + 0 + 47 * 100);
    // An hour after the last job, nothing finished in the last hour.
    expect(finishedInLastHour(recent, at("2026-12-06T13:30:00Z"))).toBe(0);
  });
});

describe("how long a queue keeps its completed jobs, in words", () => {
  it("says what each removeOnComplete means", () => {
    expect(keptInWords(true)).toBe("removed at once");
    expect(keptInWords(undefined)).toBe("kept until removed");
    expect(keptInWords({ age: 86_400 })).toBe("kept 24 h");
    expect(keptInWords({ age: 86_400, count: 10_000 })).toBe("kept 24 h, at most 10,000");
    expect(keptInWords({ age: 7 * 86_400 })).toBe("kept 7 days");
    expect(keptInWords(500)).toBe("the last 500 kept");
  });
});
