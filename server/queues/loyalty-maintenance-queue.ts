import { z } from "zod";
import { defineQueue } from "./define-queue";

/**
 * Long Loyalty chores an operator asks for, run by a loyalty worker rather than the web process that took the
 * request: rebuilding the projections replays every event, which can take a minute.
 */
export const loyaltyMaintenanceQueue = defineQueue({
  name: "loyalty-maintenance",
  jobs: { "rebuild-projections": z.object({ requestedBy: z.string().min(1) }) },
  // One attempt: a failed rebuild changed nothing (it swaps only at the end), and the operator decides to try again.
  defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } },
});

/** The one job id of a rebuild: asking again while one waits or runs adds nothing. */
export const REBUILD_PROJECTIONS_JOB_ID = "rebuild-projections";
