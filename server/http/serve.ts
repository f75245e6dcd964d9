import cluster from "node:cluster";
import { parseArgs } from "node:util";
import { z } from "zod";
import { logger } from "@/server/logger";
import { logSagaQueuePartitions } from "@/server/queues/saga-queue-partitions";
import { startShopServer } from "./shop-server";

/**
 * The web process: `node --import tsx server/http/serve.ts --port 3000 [--hostname 0.0.0.0] [--processes N]`.
 * With more than one process, Node's cluster module shares the one port between them (the primary only accepts
 * connections and hands them out), and a process that dies is started again.
 */
const optionsSchema = z.object({
  port: z.coerce.number({ error: "--port must be a number" }).int().min(1).max(65_535, "--port must be a port (1–65535)"),
  hostname: z.string().min(1, "--hostname must name an interface, e.g. 0.0.0.0"),
  processes: z.coerce.number({ error: "--processes must be a number" }).int().min(1).max(16, "--processes must be 1–16"),
});

/** The command line, checked: a wrong one stops the process with a sentence, not a stack trace. */
function readOptions(): z.infer<typeof optionsSchema> {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: "string", default: process.env.PORT ?? "3000" },
        hostname: { type: "string", default: "0.0.0.0" },
        processes: { type: "string", default: process.env.WEB_PROCESSES ?? "1" },
      },
    });
    const parsed = optionsSchema.safeParse(values);
    if (parsed.success) return parsed.data;
    throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  } catch (error) {
    console.error(`serve.ts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

const options = readOptions();

const READY = "Web server ready";

if (options.processes > 1 && cluster.isPrimary) {
  superviseWebProcesses(options.processes);
} else {
  // The saga step queue's partitions, logged beside the workers' (every process of a shop must show the same count).
  // Unlike a worker, the web process starts without them: pages and sign-ins need no queue, and the first checkout
  // asks the Redis Cluster again (answering 503 until it can be read).
  const partitions = logSagaQueuePartitions(logger).catch((error: unknown) =>
    logger.error({ err: error }, "Saga step queue partitions not known yet: asked again on the first checkout"),
  );
  Promise.all([startShopServer(options), partitions]).then(
    ([server]) => {
      logger.info({ port: options.port, hostname: options.hostname }, READY);
      const stop = () => server.close(() => process.exit(0));
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    },
    (error: unknown) => {
      logger.fatal({ err: error }, "The web server could not start");
      process.exit(1);
    },
  );
}

/** Starts N web processes and starts again any that dies, waiting longer each time one dies soon after starting. */
function superviseWebProcesses(count: number) {
  let stopping = false;
  let restartDelayMs = 250;
  for (let index = 0; index < count; index += 1) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    logger.error({ workerPid: worker.process.pid, code, signal, restartInMs: restartDelayMs }, "A web process died; starting another");
    setTimeout(() => cluster.fork(), restartDelayMs);
    restartDelayMs = Math.min(restartDelayMs * 2, 10_000);
  });
  cluster.on("listening", () => {
    restartDelayMs = 250;
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  logger.info({ processes: count, port: options.port }, "Web processes starting");
}
