import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { logger } from "@/server/logger";

/**
 * Keeps the shop's worker processes running (`npm run shop`):
 *
 *   node --import tsx workers/supervise.ts checkout loyalty
 *
 * starts workers/<name>.ts for each name (a name given twice starts two of that worker), and starts again one that exits, however it exited: after half a second,
 * doubling up to 30 s while it keeps dying soon after starting, and back to half a second once it has stayed up
 * ten seconds (long enough to have started and taken jobs: what ended it then was not its start). A worker whose liveness file (touched every 2 s by its own event loop, see run-worker-process.ts) is older
 * than WORKER_LIVENESS_TIMEOUT_MS is frozen or stuck: it is killed, and so restarted. SIGINT or SIGTERM stops every
 * worker (each finishes its active jobs first) and then the supervisor; a second signal kills them at once.
 */
const WORKERS = ["checkout", "loyalty"] as const;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const STABLE_AFTER_MS = 10_000;
const START_GRACE_MS = 60_000;
const LIVENESS_TIMEOUT_MS = Number(process.env.WORKER_LIVENESS_TIMEOUT_MS ?? 20_000);

type Supervised = { name: string; livenessFile: string; child: ChildProcess | null; startedAt: number; delayMs: number };

const log = logger.child({ process: "worker-supervisor" });
const names = process.argv.slice(2);
const unknown = names.filter((name) => !(WORKERS as readonly string[]).includes(name));
if (names.length === 0 || unknown.length > 0) {
  console.error(`Usage: node --import tsx workers/supervise.ts <worker>... (workers: ${WORKERS.join(", ")}); not: ${unknown.join(", ") || "(none)"}`);
  process.exit(2);
}

let stopping = false;
const supervised: Supervised[] = names.map((name, index) => ({
  name,
  livenessFile: path.join(os.tmpdir(), `unicorn-retail-${process.pid}-${index}-${name}.alive`),
  child: null,
  startedAt: 0,
  delayMs: FIRST_DELAY_MS,
}));

function start(worker: Supervised): void {
  fs.rmSync(worker.livenessFile, { force: true });
  worker.startedAt = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, `${worker.name}.ts`)], {
    stdio: "inherit",
    env: { ...process.env, WORKER_LIVENESS_FILE: worker.livenessFile },
  });
  worker.child = child;
  log.info({ worker: worker.name, workerPid: child.pid }, "Worker started");
  child.on("exit", (code, signal) => {
    worker.child = null;
    if (stopping) return void stopWhenAllGone();
    if (Date.now() - worker.startedAt >= STABLE_AFTER_MS) worker.delayMs = FIRST_DELAY_MS;
    log.error({ worker: worker.name, code, signal, restartInMs: worker.delayMs }, "A worker exited; starting it again");
    setTimeout(() => stopping || start(worker), worker.delayMs);
    worker.delayMs = Math.min(worker.delayMs * 2, MAX_DELAY_MS);
  });
}

/** The age of a worker's last heartbeat, or null while it has none yet and is still within its time to start. */
function heartbeatAgeMs(worker: Supervised): number | null {
  try {
    return Date.now() - fs.statSync(worker.livenessFile).mtimeMs;
  } catch {
    const sinceStart = Date.now() - worker.startedAt;
    return sinceStart > START_GRACE_MS ? sinceStart : null;
  }
}

const livenessCheck = setInterval(() => {
  for (const worker of supervised) {
    const age = worker.child ? heartbeatAgeMs(worker) : null;
    if (age === null || age <= LIVENESS_TIMEOUT_MS) continue;
    log.error({ worker: worker.name, workerPid: worker.child?.pid, silentForMs: age }, "A worker stopped answering; killing it");
    worker.child?.kill("SIGKILL");
  }
}, 1_000);

function stopWhenAllGone(): void {
  if (supervised.some((worker) => worker.child)) return;
  clearInterval(livenessCheck);
  for (const worker of supervised) fs.rmSync(worker.livenessFile, { force: true });
  log.info("Every worker stopped");
  process.exit(0);
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) {
    log.warn({ signal }, "Second signal: killing every worker now");
    for (const worker of supervised) worker.child?.kill("SIGKILL");
    process.exit(130);
  }
  stopping = true;
  log.info({ signal }, "Stopping every worker");
  for (const worker of supervised) worker.child?.kill("SIGTERM");
  stopWhenAllGone();
}

process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const worker of supervised) start(worker);
