import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { describe, it, expect, afterEach } from "vitest";
import type { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { env } from "@/server/env";
import { closeProducerConnection } from "@/server/queues/connections";
import { createQueueWorker, type RawJob } from "@/server/queues/create-queue-worker";
import { closeQueues, defineQueue, enqueue, openQueueOn, type JobPayload } from "@/server/queues/define-queue";

// A queue of this run's own: Redis database 1 is shared by every integration test file.
const greetings = defineQueue({
  name: `test-round-trip-${randomUUID()}`,
  jobs: {
    greet: z.object({ name: z.string().min(1), times: z.number().int().positive() }),
  },
});
type GreetPayload = JobPayload<typeof greetings, "greet">;

const workers: Worker[] = [];
const rawConnections: Redis[] = [];

/** A plain BullMQ Queue on a connection of its own: it can add what enqueue would refuse, and inspect jobs. */
function rawQueue(): Queue {
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  rawConnections.push(connection);
  return openQueueOn(greetings, connection);
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close()));
  await closeQueues();
  await closeProducerConnection();
  const queue = rawQueue();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all(rawConnections.splice(0).map((connection) => connection.quit()));
});

describe("queue round trip", () => {
  it("processes an enqueued job with its typed payload", async () => {
    const received: GreetPayload[] = [];
    const worker = createQueueWorker(greetings, {
      greet: async (payload) => {
        received.push(payload);
        return `hello ${payload.name} x${payload.times}`;
      },
    });
    workers.push(worker);
    const completed = once(worker, "completed") as Promise<[RawJob, unknown]>;

    const { jobId } = await enqueue(greetings, "greet", { name: "Ada", times: 2 });

    const [job, result] = await completed;
    expect(job.id).toBe(jobId);
    expect(result).toBe("hello Ada x2");
    expect(received).toEqual([{ name: "Ada", times: 2 }]);
  });

  it("fails a job with a bad payload at once, without retries, and never runs the handler", async () => {
    let handlerRuns = 0;
    const worker = createQueueWorker(greetings, {
      greet: async () => {
        handlerRuns += 1;
      },
    });
    workers.push(worker);
    const failed = once(worker, "failed") as Promise<[RawJob | undefined, Error]>;

    const queue = rawQueue();
    const added = await queue.add("greet", { name: 42 }, { attempts: 3 });

    const [job, error] = await failed;
    expect(job?.id).toBe(added.id);
    expect(error.name).toBe("UnrecoverableError");
    expect(error.message).toMatch(/Invalid payload for job "greet".*name: /);
    const stored = await queue.getJob(added.id ?? "");
    expect(await stored?.getState()).toBe("failed");
    expect(stored?.attemptsMade).toBe(1);
    expect(handlerRuns).toBe(0);
    await queue.close();
  });

  it("fails a job whose name the queue does not define, without retries", async () => {
    const worker = createQueueWorker(greetings, { greet: async () => undefined });
    workers.push(worker);
    const failed = once(worker, "failed") as Promise<[RawJob | undefined, Error]>;

    const queue = rawQueue();
    await queue.add("shout", { name: "Ada", times: 1 }, { attempts: 3 });

    const [job, error] = await failed;
    expect(error.message).toMatch(/has no job named "shout"/);
    expect(job?.attemptsMade).toBe(1);
    await queue.close();
  });

  it("adds one job when the same custom job id is enqueued twice while the first still exists", async () => {
    // No worker: the first job stays waiting, so it certainly still exists.
    const first = await enqueue(greetings, "greet", { name: "Ada", times: 1 }, { jobId: "greet-ada" });
    const second = await enqueue(greetings, "greet", { name: "Grace", times: 9 }, { jobId: "greet-ada" });

    expect(second.jobId).toBe(first.jobId);
    const queue = rawQueue();
    expect(await queue.getJobCountByTypes("waiting", "active", "completed", "failed", "delayed")).toBe(1);
    const stored = await queue.getJob("greet-ada");
    expect(stored?.data).toEqual({ name: "Ada", times: 1 });
    await queue.close();
  });
});
