import { z } from "zod";
import { defineQueue } from "./define-queue";

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

/** The deterministic job id of a saga step, `<sagaId>_<step>_<phase>`: a step scheduled twice is one job. */
export function sagaStepJobId(job: { sagaId: string; step: string; phase: string }): string {
  return `${job.sagaId}_${job.step}_${job.phase}`;
}
