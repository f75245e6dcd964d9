import { JOB_STATES, type JobBrowserState } from "@/server/admin/queues/queue-job-view";

export { JOB_STATES, type JobBrowserState };

/** What each state is called on the page, and what an empty list of it says. */
export const STATE_WORDS: Record<JobBrowserState, { label: string; none: string }> = {
  waiting: { label: "Waiting", none: "No job is waiting." },
  active: { label: "Active", none: "No job is running." },
  delayed: { label: "Delayed", none: "No job is delayed." },
  completed: { label: "Completed", none: "No completed job is kept." },
  failed: { label: "Failed", none: "No failed job is kept." },
};

/** The state named in an address (`?state=`), failed when none is named, null for one that is not a state. Pure. */
export function jobStateFrom(raw: string | string[] | undefined): JobBrowserState | null {
  if (raw === undefined) return "failed";
  return typeof raw === "string" && (JOB_STATES as readonly string[]).includes(raw) ? (raw as JobBrowserState) : null;
}

/** The page number in an address (`?page=`), 1 when none or nonsense is given. Pure. */
export function jobPageFrom(raw: string | string[] | undefined): number {
  const page = typeof raw === "string" && /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
  return page >= 1 ? page : 1;
}

/** The job browser's list of a queue's jobs in one state. */
export function queueJobsHref(queue: string, state: JobBrowserState, page = 1): string {
  return `/admin/queues/${encodeURIComponent(queue)}?state=${state}${page > 1 ? `&page=${page}` : ""}`;
}

/** One job's page (the audit log's target `<queue>/<jobId>` links here). */
export function queueJobHref(queue: string, jobId: string): string {
  return `/admin/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}`;
}

/** "2 of 3 attempts". Pure. */
export function attemptsInWords(made: number, allowed: number): string {
  return `${made} of ${allowed} ${allowed === 1 ? "attempt" : "attempts"}`;
}
