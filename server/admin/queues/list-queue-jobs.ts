import { toJobSummary, type JobBrowserState, type QueueJobSummary } from "./queue-job-view";
import { withKnownQueue } from "./known-queue";

export const QUEUE_JOBS_PAGE_SIZE = 25;

export type QueueJobsPage = {
  queue: string;
  state: JobBrowserState;
  jobs: QueueJobSummary[];
  /** Jobs in this state right now (the pages are read one at a time, so a busy queue moves between them). */
  total: number;
  page: number;
  pageSize: number;
};

/** One page of a queue's jobs in one state, newest first (as Bull Board lists them). */
export function listQueueJobs(options: { queue: string; state: JobBrowserState; page: number }): Promise<QueueJobsPage> {
  const { queue: name, state, page } = options;
  const start = (page - 1) * QUEUE_JOBS_PAGE_SIZE;
  return withKnownQueue(name, async (queue) => {
    const [jobs, total] = await Promise.all([
      queue.getJobs([state], start, start + QUEUE_JOBS_PAGE_SIZE - 1, false),
      queue.getJobCountByTypes(state),
    ]);
    // A job removed between BullMQ's listing and its read comes back empty: leave it out.
    const present = jobs.filter((job) => job?.id !== undefined);
    return { queue: name, state, jobs: present.map(toJobSummary), total, page, pageSize: QUEUE_JOBS_PAGE_SIZE };
  });
}
