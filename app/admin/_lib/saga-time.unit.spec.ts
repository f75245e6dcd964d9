import { describe, expect, it } from "vitest";
import { formatInstant, stepTiming, stepTimingWords, type StepTimes } from "./saga-time";

const at = (iso: string) => new Date(iso);

function run(times: Partial<StepTimes>): StepTimes {
  return { attempts: 1, startedAt: at("2026-12-06T21:00:00.000Z"), attemptStartedAt: null, finishedAt: null, awaitingSince: null, repliedAt: null, ...times };
}

describe("saga times", () => {
  it("writes every instant to the second, with the zone it is in", () => {
    const instant = at("2026-12-06T21:04:17.450Z");
    expect(formatInstant(instant, "UTC")).toBe("6 Dec 2026, 21:04:17 UTC");
    expect(formatInstant(instant, "Europe/Paris")).toBe("6 Dec 2026, 22:04:17 CET");
    expect(formatInstant(instant, "Asia/Kolkata")).toBe("7 Dec 2026, 02:34:17 GMT+5:30");
  });

  it("splits a retried step's time into its last attempt's run and the wait before it", () => {
    // A refund that failed twice, waited (backoff and attempts) 1 min 44 s, then ran its last attempt in 0.3 s.
    const refund = run({
      attempts: 3,
      attemptStartedAt: at("2026-12-06T21:01:44.000Z"),
      finishedAt: at("2026-12-06T21:01:44.300Z"),
    });
    const timing = stepTiming(refund);
    expect(timing).toEqual({ ran: 300, waitedBefore: 104_000, waitedForReply: null, total: 104_300 });
    expect(stepTimingWords(timing!, "a reply")).toBe("ran 300 ms · waited 1 min 44 s before its last attempt");
  });

  it("says only the run time of a step that ran once", () => {
    const once = run({ attemptStartedAt: at("2026-12-06T21:00:00.000Z"), finishedAt: at("2026-12-06T21:00:00.042Z") });
    expect(stepTimingWords(stepTiming(once)!, "a reply")).toBe("ran 42 ms");
  });

  it("shows a step's wait for its reply apart from its own work", () => {
    const redeem = run({
      attemptStartedAt: at("2026-12-06T21:00:00.000Z"),
      awaitingSince: at("2026-12-06T21:00:00.020Z"),
      repliedAt: at("2026-12-06T21:00:01.220Z"),
      finishedAt: at("2026-12-06T21:00:01.230Z"),
    });
    expect(stepTiming(redeem)).toMatchObject({ ran: 30, waitedForReply: 1_200 });
    expect(stepTimingWords(stepTiming(redeem)!, "Loyalty")).toBe("ran 30 ms · waited 1.20 s for Loyalty");
    // No reply by its deadline: the wait lasted until the step gave up.
    const unanswered = run({ ...redeem, repliedAt: null, finishedAt: at("2026-12-06T21:00:30.020Z") });
    expect(stepTimingWords(stepTiming(unanswered)!, "Loyalty")).toBe("ran 20 ms · waited 30.0 s for Loyalty");
  });

  it("does not count a wait from an earlier attempt as this attempt's", () => {
    const resent = run({
      attempts: 2,
      awaitingSince: at("2026-12-06T21:00:00.010Z"),
      attemptStartedAt: at("2026-12-06T21:00:30.000Z"),
      finishedAt: at("2026-12-06T21:00:30.050Z"),
    });
    expect(stepTiming(resent)).toMatchObject({ ran: 50, waitedBefore: 30_000, waitedForReply: null });
  });

  it("falls back to the whole span for rows older than attempt_started_at, and has nothing to say before a step ends", () => {
    const old = run({ attempts: 2, finishedAt: at("2026-12-06T21:00:03.200Z") });
    expect(stepTimingWords(stepTiming(old)!, "a reply")).toBe("took 3.20 s");
    expect(stepTiming(run({ attemptStartedAt: at("2026-12-06T21:00:00.000Z") }))).toBeNull();
  });
});
