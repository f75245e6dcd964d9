import { z } from "zod";
import { JOB_STATES } from "@/server/admin/queues/queue-job-view";
import { storableText } from "@/server/safe-input";

// A queue name is checked against the registry by the domain (an unknown one is a 404 naming the queues there are);
// here only that it is a name at all.
const queueName = z
  .string({ error: "Name the queue." })
  .trim()
  .min(1, "Name the queue.")
  .max(100, "No queue has a name that long.")
  .refine(...storableText);

// BullMQ's ids: its own integers, or ours (a saga step's `<sagaId>_<step>_<phase>`, an outbox event's uuid).
const jobId = z
  .string({ error: "Give the job's id." })
  .trim()
  .min(1, "Give the job's id.")
  .max(200, "No job has an id that long.")
  .refine((id) => !id.includes(":"), "A job id has no ':' in it.")
  .refine(...storableText);

export const queueJobsInput = z.object({
  queue: queueName,
  state: z.enum(JOB_STATES, { error: `The state is one of ${JOB_STATES.join(", ")}.` }).default("failed"),
  page: z.number().int("Pages are whole numbers.").min(1, "Pages start at 1.").max(10_000, "That page is too far.").default(1),
});

export const queueJobInput = z.object({ queue: queueName, jobId });
