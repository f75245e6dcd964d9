import { z } from "zod";
import type { SagaScheduler } from "@/server/saga/saga-engine";
import { defineQueue, enqueueMany } from "./define-queue";

/** One job per saga step or compensation. PostgreSQL keeps the history, so Redis keeps no finished jobs. */
export const sagaStepQueue = defineQueue({
  name: "saga-steps",
  jobs: {
    "run-step": z.object({
      // Lower case, as PostgreSQL writes uuids: the engine matches a batch's jobs to its sagas' rows by id.
      sagaId: z.uuid().toLowerCase(),
      sagaType: z.string().min(1),
      step: z.string().min(1),
      phase: z.enum(["action", "compensation"]),
    }),
  },
  // A job id de-duplicates only while the job exists: removing finished jobs lets the recovery sweep schedule a
  // step again under the same id, and the engine's row lock makes a repeated delivery harmless.
  defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
});

/** Schedules saga jobs on BullMQ with the deterministic id `<sagaId>_<step>_<phase>`. */
export const bullmqSagaScheduler: SagaScheduler = {
  async schedule(jobs) {
    await enqueueMany(
      sagaStepQueue,
      "run-step",
      jobs.map(({ job, retry }) => ({
        payload: job,
        options: {
          jobId: `${job.sagaId}_${job.step}_${job.phase}`,
          attempts: retry.attempts,
          backoff: { type: "exponential", delay: retry.backoffMs },
        },
      })),
    );
  },
};
