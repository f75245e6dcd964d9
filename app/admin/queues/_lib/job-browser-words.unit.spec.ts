import { describe, expect, it } from "vitest";
import { attemptsInWords, jobPageFrom, jobStateFrom, queueJobHref, queueJobsHref } from "./job-browser-words";

describe("the job browser's addresses and words", () => {
  it("reads the state and page from the address, refusing a state that is none", () => {
    expect(jobStateFrom(undefined)).toBe("failed");
    expect(jobStateFrom("delayed")).toBe("delayed");
    expect(jobStateFrom("stuck")).toBeNull();
    expect(jobStateFrom(["failed", "waiting"])).toBeNull();
    expect(jobPageFrom("3")).toBe(3);
    expect(jobPageFrom("0")).toBe(1);
    expect(jobPageFrom("-2")).toBe(1);
    expect(jobPageFrom("1e9")).toBe(1);
    expect(jobPageFrom(undefined)).toBe(1);
  });

  it("links a queue's list and a job's page", () => {
    expect(queueJobsHref("points-replies", "failed")).toBe("/admin/queues/points-replies?state=failed");
    expect(queueJobsHref("points-replies", "waiting", 2)).toBe("/admin/queues/points-replies?state=waiting&page=2");
    expect(queueJobHref("saga-steps", "a b")).toBe("/admin/queues/saga-steps/jobs/a%20b");
  });

  it("counts attempts in words", () => {
    expect(attemptsInWords(1, 1)).toBe("1 of 1 attempt");
    expect(attemptsInWords(2, 10)).toBe("2 of 10 attempts");
  });
});
