import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { REPO_ROOT } from "../bench/lib/bench-env";
import { errorMessage } from "../bench/lib/report";

/**
 * The faults of the chaos run, each done the way it happens in production: a worker killed with SIGKILL (its jobs
 * stall and are redelivered), PostgreSQL restarted (every connection ended with 57P01), Redis wiped and restarted (every
 * job, lock and marker lost), and jobs delivered twice (a copy under another job id, as a redelivery would bring).
 */

const run = promisify(execFile);

export const FAULT_KINDS = ["worker killed (kill -9)", "PostgreSQL restarted", "Redis wiped", "Redis restarted", "jobs delivered twice"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type PlannedFault = { kind: FaultKind; atMs: number };
export type InjectedFault = PlannedFault & { doneMs: number; detail: string; failed?: string };

export type FaultTargets = {
  /** The pid of workers/supervise.ts, whose children are the workers. */
  supervisorPid: number;
  databaseUrl: string;
  redisUrl: string;
  flushAll: boolean;
  /** Really restart the servers (root only); otherwise cut their connections, which a restart also does. */
  restartServers: boolean;
};

/**
 * When each fault happens, ms into the load: a worker killed every `killEveryS`, and in every minute of the run (the
 * whole run when shorter) one PostgreSQL restart, one Redis wipe, one Redis restart and three rounds of jobs delivered
 * twice; none in the last 10 % of the run, so that the shop has a moment to show it recovered.
 */
export function planFaults(durationS: number, killEveryS: number): PlannedFault[] {
  const durationMs = durationS * 1_000;
  const cycles = Math.max(1, Math.floor(durationS / 60));
  const cycleMs = durationMs / cycles;
  const plan: PlannedFault[] = [];
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    const at = (share: number) => Math.round(cycle * cycleMs + cycleMs * share * (cycle === cycles - 1 ? 0.9 : 1));
    plan.push(
      { kind: "jobs delivered twice", atMs: at(0.15) },
      { kind: "PostgreSQL restarted", atMs: at(0.25) },
      { kind: "Redis wiped", atMs: at(0.45) },
      { kind: "jobs delivered twice", atMs: at(0.55) },
      { kind: "Redis restarted", atMs: at(0.7) },
      { kind: "jobs delivered twice", atMs: at(0.85) },
    );
  }
  for (let atMs = killEveryS * 1_000; atMs < durationMs * 0.9; atMs += killEveryS * 1_000) {
    plan.push({ kind: "worker killed (kill -9)", atMs });
  }
  return plan.sort((a, b) => a.atMs - b.atMs);
}

/** Does one fault now; says what it did (never throws: a fault that could not be done is reported as such). */
export async function injectFault(kind: FaultKind, targets: FaultTargets): Promise<{ detail: string; failed?: string }> {
  try {
    switch (kind) {
      case "worker killed (kill -9)":
        return { detail: await killRandomWorker(targets.supervisorPid) };
      case "PostgreSQL restarted":
        return { detail: await restartPostgres(targets) };
      case "Redis wiped":
        return { detail: await withRedis(targets.redisUrl, (redis) => wipeRedis(redis, targets.flushAll)) };
      case "Redis restarted":
        return { detail: await restartRedis(targets) };
      case "jobs delivered twice":
        return { detail: await deliverTwice(targets.redisUrl) };
    }
  } catch (error) {
    return { detail: "not done", failed: errorMessage(error) };
  }
}

/** The supervisor's worker processes: their pids and which worker each runs. */
export function workerProcesses(supervisorPid: number): { pid: number; worker: string }[] {
  const children = fs.readFileSync(`/proc/${supervisorPid}/task/${supervisorPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return children.flatMap((pid) => {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const script = args.find((arg) => arg.includes(`workers${path.sep}`));
      return script ? [{ pid: Number(pid), worker: path.basename(script, ".ts") }] : [];
    } catch {
      return []; // It exited meanwhile.
    }
  });
}

/** Kills one of the running workers; when every one is down (the supervisor is starting them again), the next up. */
async function killRandomWorker(supervisorPid: number): Promise<string> {
  const deadline = performance.now() + 30_000;
  let workers = workerProcesses(supervisorPid);
  while (workers.length === 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    workers = workerProcesses(supervisorPid);
  }
  const victim = workers[Math.floor(Math.random() * workers.length)];
  if (!victim) throw new Error("no worker was running for 30 s (the supervisor did not start them again)");
  process.kill(victim.pid, "SIGKILL");
  return `${victim.worker} worker pid ${victim.pid}`;
}

async function restartPostgres(targets: FaultTargets): Promise<string> {
  if (targets.restartServers) {
    const version = fs.readdirSync("/etc/postgresql").sort((a, b) => Number(a) - Number(b)).at(-1);
    if (!version) throw new Error("no cluster in /etc/postgresql");
    const started = performance.now();
    await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { timeout: 60_000 });
    return `pg_ctlcluster ${version} main restart (${Math.round(performance.now() - started)} ms)`;
  }
  const client = new pg.Client({ connectionString: targets.databaseUrl, application_name: "chaos" });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return `terminated ${rowCount} backends of the chaos database (not root: no restart)`;
  } finally {
    await client.end();
  }
}

async function wipeRedis(redis: Redis, flushAll: boolean): Promise<string> {
  const keys = await redis.dbsize();
  await (flushAll ? redis.flushall() : redis.flushdb());
  return `${flushAll ? "FLUSHALL" : "FLUSHDB"} (${keys} keys in the shop's database)`;
}

async function restartRedis(targets: FaultTargets): Promise<string> {
  if (targets.restartServers) {
    const started = performance.now();
    await withRedis(targets.redisUrl, async (redis) => {
      await redis.shutdown("NOSAVE").catch(() => undefined); // The connection closes as the server stops.
    });
    await run("bash", [path.join(REPO_ROOT, "scripts", "ensure-services.sh")], { timeout: 60_000 });
    return `SHUTDOWN NOSAVE, started again by ensure-services.sh (${Math.round(performance.now() - started)} ms)`;
  }
  // What a restart does to the shop without stopping the server others use: every connection of the shop's database
  // cut, and its data gone (nothing is kept on disk).
  return withRedis(targets.redisUrl, async (redis) => {
    const db = Number(new URL(targets.redisUrl).pathname.slice(1));
    const ids = (await redis.client("LIST") as string)
      .split("\n")
      .filter((line) => line.includes(` db=${db} `) && !line.includes(" name=chaos "))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => Boolean(id));
    for (const id of ids) await redis.client("KILL", "ID", id);
    await redis.flushdb();
    return `cut ${ids.length} connections and FLUSHDB (not root: no restart)`;
  });
}

/**
 * Copies of recent jobs (finished and in flight) added again under new ids: what a redelivery after a lost lock, or a
 * producer retrying an add whose answer was lost, brings to a worker. The handlers must do nothing twice.
 */
async function deliverTwice(redisUrl: string): Promise<string> {
  // Imported here: the app's modules read the environment as they load, which is the chaos shop's only by now.
  const { sagaStepQueues } = await import("@/server/queues/saga-queue-partitions");
  const { purchaseEventsQueue } = await import("@/server/queues/purchase-events-queue");
  const connection = chaosRedis(redisUrl);
  const copied: string[] = [];
  try {
    for (const name of [...(await sagaStepQueues()).map((queue) => queue.name), purchaseEventsQueue.name]) {
      const { queueConnectionOptions } = await import("@/server/queues/define-queue");
      const queue = new Queue(name, queueConnectionOptions(name, connection));
      const jobs = [...(await queue.getJobs(["completed"], 0, 4)), ...(await queue.getJobs(["active", "waiting"], 0, 4))];
      for (const job of jobs) {
        await queue.add(job.name, job.data, { jobId: `${job.id}-again-${Date.now()}`, attempts: 5, backoff: { type: "fixed", delay: 500 } });
      }
      copied.push(`${jobs.length} of ${name}`);
      await queue.close();
    }
  } finally {
    connection.disconnect();
  }
  return copied.join(", ");
}

function chaosRedis(redisUrl: string): Redis {
  const redis = new Redis(redisUrl, { connectionName: "chaos", maxRetriesPerRequest: 1, connectTimeout: 5_000, lazyConnect: true });
  redis.on("error", () => undefined); // Reported through the command that failed.
  return redis;
}

async function withRedis<T>(redisUrl: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = chaosRedis(redisUrl);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}
