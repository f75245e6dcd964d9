import fs from "node:fs";
import { disconnectDb } from "@/server/db";
import { logger } from "@/server/logger";
import { closeProducerConnection } from "@/server/queues/connections";
import { closeQueues } from "@/server/queues/define-queue";

/** Anything a worker process must stop before it exits: BullMQ Workers, wrapped intervals, … */
export interface Closeable {
  close(): Promise<void>;
}

export interface RunWorkerProcessOptions {
  /** Names the process in every log line. */
  name: string;
  /** Starts the process's work (logging to `log`, the process's logger) and returns what to close on shutdown. */
  start: (log: typeof logger) => Promise<Closeable[]>;
  /**
   * How long a shutdown may take before the process gives up and exits 1. BullMQ's worker.close() waits for active
   * jobs; a job cut off by the exit stays `active` until another worker's stalled check moves it back to `wait`.
   */
  shutdownTimeoutMs?: number;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
// 128 + SIGINT: the conventional code for "interrupted", used when a second signal cuts a shutdown short.
const EXIT_INTERRUPTED = 130;

/**
 * The start/shutdown skeleton of every worker process: start, then on SIGTERM/SIGINT close what start returned, then
 * the producer queues and connection, then the database, and exit 0. A second signal exits at once (130); a failed
 * start, a failed close or a shutdown slower than the limit exits 1.
 */
export function runWorkerProcess(options: RunWorkerProcessOptions): void {
  const log = logger.child({ process: options.name });
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  let shuttingDown = false;

  log.info("Worker process starting");
  // A signal may arrive while start() still runs; the shutdown then waits for it, to close what it opened.
  const started = options.start(log).then(
    (closeables) => {
      beatHeart();
      log.info({ closeables: closeables.length }, "Worker process started");
      return closeables;
    },
    async (error: unknown) => {
      log.fatal({ err: error }, "Worker process failed to start");
      await closeSharedResources(log);
      process.exit(1);
    },
  );

  const shutDown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log.warn({ signal }, "Second signal during shutdown: exiting now");
      process.exit(EXIT_INTERRUPTED);
    }
    shuttingDown = true;
    log.info({ signal }, "Worker process stopping");
    const timer = setTimeout(() => {
      log.error({ shutdownTimeoutMs }, "Worker process shutdown took too long: exiting");
      process.exit(1);
    }, shutdownTimeoutMs);

    const closeables = await started;
    // Workers first: jobs still finishing may enqueue follow-up jobs and write to the database.
    const results = await Promise.allSettled(closeables.map((closeable) => closeable.close()));
    const failures = results.filter((result) => result.status === "rejected");
    for (const failure of failures) log.error({ err: failure.reason }, "Could not close cleanly");
    const sharedClosed = await closeSharedResources(log);

    clearTimeout(timer);
    const clean = failures.length === 0 && sharedClosed;
    log.info({ clean }, "Worker process stopped");
    process.exit(clean ? 0 : 1);
  };

  process.on("SIGTERM", (signal) => void shutDown(signal));
  process.on("SIGINT", (signal) => void shutDown(signal));
}

/**
 * The liveness file a supervisor gave (WORKER_LIVENESS_FILE, see workers/supervise.ts), touched every few seconds by a
 * timer of this process's own event loop: a worker stuck in a loop or frozen stops touching it, and is restarted.
 */
const HEARTBEAT_MS = 2_000;
function beatHeart(): void {
  const file = process.env.WORKER_LIVENESS_FILE;
  if (!file) return;
  const touch = () => fs.writeFileSync(file, `${process.pid} ${Date.now()}\n`);
  touch();
  setInterval(touch, HEARTBEAT_MS).unref();
}

/** Closes the producer queues, the producer connection and the database pool; false when one of them failed. */
async function closeSharedResources(log: typeof logger): Promise<boolean> {
  try {
    await closeQueues();
    await closeProducerConnection();
    await disconnectDb();
    return true;
  } catch (error) {
    log.error({ err: error }, "Could not close shared connections cleanly");
    return false;
  }
}
