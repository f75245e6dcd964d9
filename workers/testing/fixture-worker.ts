import { setTimeout as sleep } from "node:timers/promises";
import { logger } from "@/server/logger";
import { createQueueWorker } from "@/server/queues/create-queue-worker";
import { defineFixtureQueue } from "@/workers/testing/fixture-queue";
import { runWorkerProcess } from "@/workers/run-worker-process";

/**
 * A worker process for workers/run-worker-process.int.spec.ts:
 * `tsx workers/testing/fixture-worker.ts <queue-name> [--fail-start] [--short-shutdown-limit]`. The queue name comes as
 * an argument so that each test run uses a queue of its own; `--fail-start` makes start() fail after opening the
 * worker, and `--short-shutdown-limit` gives the shutdown 300 ms.
 */
const [queueName, ...flags] = process.argv.slice(2);
if (!queueName) throw new Error("Usage: tsx workers/testing/fixture-worker.ts <queue-name> [flags]");
const fixtureQueue = defineFixtureQueue(queueName);

runWorkerProcess({
  name: "fixture-worker",
  shutdownTimeoutMs: flags.includes("--short-shutdown-limit") ? 300 : undefined,
  start: async () => {
    const worker = createQueueWorker(fixtureQueue, {
      wait: async ({ waitMs }, job) => {
        // The test waits for this line before it sends SIGTERM.
        logger.info({ jobId: job.id }, "Fixture job started");
        await sleep(waitMs);
        return { waitedMs: waitMs };
      },
    });
    // "started" then means the worker is connected and fetching jobs.
    await worker.waitUntilReady();
    if (flags.includes("--fail-start")) throw new Error("Fixture start failed on purpose");
    return [worker];
  },
});
