import { z } from "zod";
import { defineQueue } from "@/server/queues/define-queue";

/** A test-only queue whose one job waits a while, so a test can signal the process while the job is active. */
export function defineFixtureQueue(name: string) {
  return defineQueue({
    name,
    jobs: {
      wait: z.object({ waitMs: z.number().int().min(0).max(10_000) }),
    },
  });
}
