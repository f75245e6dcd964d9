import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startChild, type SupervisedChild } from "@/server/testing/child-process";
import { integrationServices } from "@/server/testing/test-databases";

/** `npm run shop`'s worker supervisor, as a process of its own over a real loyalty worker. */
let supervisor: SupervisedChild | undefined;
const lines: string[] = [];

afterEach(async () => {
  if (supervisor?.isRunning()) supervisor.killGroup();
  await supervisor?.gone();
  supervisor = undefined;
  lines.length = 0;
});

function startSupervisor() {
  const { databaseUrl, redisUrl } = integrationServices();
  supervisor = startChild({
    name: "worker-supervisor",
    command: process.execPath,
    args: ["--import", "tsx", path.join(process.cwd(), "workers/supervise.ts"), "loyalty"],
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, LOG_LEVEL: "info", WORKER_LIVENESS_TIMEOUT_MS: "3000" },
    onLine: (line) => lines.push(line),
  });
  return supervisor;
}

/** The pids of the workers that have said they started, in order. */
function startedWorkers(): number[] {
  return lines.filter((line) => line.includes('"Worker process started"')).map((line) => (JSON.parse(line) as { pid: number }).pid);
}

async function waitForStartedWorkers(child: SupervisedChild, count: number): Promise<number[]> {
  return child.waitFor(() => (startedWorkers().length >= count ? startedWorkers() : undefined), {
    timeoutMs: 45_000,
    waitingFor: `${count} worker starts`,
    details: () => lines.slice(-20).join("\n"),
  });
}

describe("the worker supervisor", () => {
  // Three worker starts, each a few seconds on a machine busy with the other test files.
  it("starts a worker again after kill -9, and after it froze (its heartbeat went stale)", { timeout: 120_000 }, async () => {
    const child = startSupervisor();
    const [first] = await waitForStartedWorkers(child, 1);

    process.kill(first!, "SIGKILL");
    const [, second] = await waitForStartedWorkers(child, 2);
    expect(second).not.toBe(first);
    expect(lines.some((line) => line.includes("A worker exited; starting it again") && line.includes('"signal":"SIGKILL"'))).toBe(true);

    process.kill(second!, "SIGSTOP");
    const [, , third] = await waitForStartedWorkers(child, 3);
    expect(third).not.toBe(second);
    expect(lines.some((line) => line.includes("A worker stopped answering; killing it"))).toBe(true);
  });

  it("stops its workers cleanly on SIGTERM, and exits 0", { timeout: 60_000 }, async () => {
    const child = startSupervisor();
    const [worker] = await waitForStartedWorkers(child, 1);

    child.signal("SIGTERM");

    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(lines.some((line) => line.includes('"Worker process stopped"') && line.includes('"clean":true'))).toBe(true);
    expect(() => process.kill(worker!, 0)).toThrow();
  });

  it("refuses a worker it does not know, saying which", async () => {
    const child = startChild({
      name: "worker-supervisor-bad-args",
      command: process.execPath,
      args: ["--import", "tsx", path.join(process.cwd(), "workers/supervise.ts"), "loyalty", "payroll"],
      env: process.env,
      onLine: (line) => lines.push(line),
    });
    expect(await child.exited).toEqual({ code: 2, signal: null });
    expect(lines.join("\n")).toMatch(/workers: checkout, loyalty\); not: payroll/);
  });
});
