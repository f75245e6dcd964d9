import { randomUUID } from "node:crypto";
import path from "node:path";
import { describe, it, expect, afterEach } from "vitest";
import { Redis } from "ioredis";
import { closeProducerConnection } from "@/server/queues/connections";
import { closeQueues, enqueue, openQueueOn } from "@/server/queues/define-queue";
import { parseLogLine, type ExitStatus, type LogLine } from "@/server/testing/checkout-workers";
import { startChild, withTimeout as failAfter, type SupervisedChild } from "@/server/testing/child-process";
import { integrationServices } from "@/server/testing/test-databases";

const { databaseUrl: INTEGRATION_DATABASE_URL, redisUrl: INTEGRATION_REDIS_URL } = integrationServices();
import { defineFixtureQueue } from "@/workers/testing/fixture-queue";

const TSX = path.join(process.cwd(), "node_modules/.bin/tsx");
const FIXTURE = path.join(process.cwd(), "workers/testing/fixture-worker.ts");
// Bounds for each wait: generous for a cold tsx start on a busy machine, yet far below the test timeout.
const WAIT_MS = 20_000;

/** A fixture worker process, its JSON log lines as they arrive, and its exit. */
interface RunningWorker {
  child: SupervisedChild;
  logs: LogLine[];
  exited: Promise<ExitStatus>;
  waitForLog(msg: string): Promise<LogLine>;
}

const running: RunningWorker[] = [];
const queueName = `test-worker-process-${randomUUID()}`;
const fixtureQueue = defineFixtureQueue(queueName);

function startFixtureWorker(...flags: string[]): RunningWorker {
  const logs: LogLine[] = [];
  const child = startChild({
    name: "fixture worker",
    command: TSX,
    args: [FIXTURE, queueName, ...flags],
    env: {
      ...process.env,
      NODE_ENV: "test",
      REDIS_URL: INTEGRATION_REDIS_URL,
      DATABASE_URL: INTEGRATION_DATABASE_URL,
      LOG_LEVEL: "info",
    },
    onLine: (text) => logs.push(parseLogLine(text)),
  });
  const waitForLog = (msg: string) =>
    child.waitFor(() => logs.find((line) => line.msg === msg), { timeoutMs: WAIT_MS, waitingFor: `log line "${msg}"` });
  const worker = { child, logs, exited: child.exited, waitForLog };
  running.push(worker);
  return worker;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return failAfter(promise, WAIT_MS, () => what);
}

afterEach(async () => {
  for (const worker of running.splice(0)) {
    if (worker.child.isRunning()) {
      worker.child.killGroup();
      await worker.exited;
    }
  }
  await closeQueues();
  await closeProducerConnection();
  const connection = new Redis(INTEGRATION_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = openQueueOn(queueName, connection);
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
});

describe("runWorkerProcess", () => {
  it("starts, and on SIGTERM stops cleanly with exit code 0", async () => {
    const worker = startFixtureWorker();
    await worker.waitForLog("Worker process started");

    worker.child.signal("SIGTERM");

    expect(await withTimeout(worker.exited, "the process to exit")).toEqual({ code: 0, signal: null });
    const messages = worker.logs.map((line) => line.msg);
    expect(messages).toContain("Worker process stopping");
    expect(worker.logs.find((line) => line.msg === "Worker process stopped")).toMatchObject({ clean: true });
  });

  it("lets a job that is active when SIGTERM arrives complete before it exits", async () => {
    const worker = startFixtureWorker();
    await worker.waitForLog("Worker process started");
    const { jobId } = await enqueue(fixtureQueue, "wait", { waitMs: 500 }, { jobId: `wait-${randomUUID()}` });
    const jobStarted = await worker.waitForLog("Fixture job started");
    expect(jobStarted.jobId).toBe(jobId);

    worker.child.signal("SIGTERM");

    expect(await withTimeout(worker.exited, "the process to exit")).toEqual({ code: 0, signal: null });
    const connection = new Redis(INTEGRATION_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = openQueueOn(queueName, connection);
    const job = await queue.getJob(jobId);
    expect(await job?.getState()).toBe("completed");
    expect(job?.returnvalue).toEqual({ waitedMs: 500 });
    await queue.close();
    await connection.quit();
  });

  it("exits at once with code 130 on a second signal during shutdown", async () => {
    const worker = startFixtureWorker();
    await worker.waitForLog("Worker process started");
    await enqueue(fixtureQueue, "wait", { waitMs: 10_000 });
    await worker.waitForLog("Fixture job started");

    worker.child.signal("SIGTERM");
    await worker.waitForLog("Worker process stopping");
    worker.child.signal("SIGTERM");

    expect(await withTimeout(worker.exited, "the process to exit")).toEqual({ code: 130, signal: null });
    expect(worker.logs.map((line) => line.msg)).not.toContain("Worker process stopped");
  });

  it("exits with code 1 when start fails", async () => {
    const worker = startFixtureWorker("--fail-start");

    expect(await withTimeout(worker.exited, "the process to exit")).toEqual({ code: 1, signal: null });
    expect(worker.logs.find((line) => line.msg === "Worker process failed to start")).toMatchObject({
      err: { message: "Fixture start failed on purpose" },
    });
  });

  it("exits with code 1 when the shutdown takes longer than its limit", async () => {
    const worker = startFixtureWorker("--short-shutdown-limit");
    await worker.waitForLog("Worker process started");
    await enqueue(fixtureQueue, "wait", { waitMs: 10_000 });
    await worker.waitForLog("Fixture job started");

    worker.child.signal("SIGTERM");

    expect(await withTimeout(worker.exited, "the process to exit")).toEqual({ code: 1, signal: null });
    expect(worker.logs.find((line) => line.msg === "Worker process shutdown took too long: exiting")).toMatchObject({
      shutdownTimeoutMs: 300,
    });
  });
});
