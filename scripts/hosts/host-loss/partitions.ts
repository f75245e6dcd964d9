import fs from "node:fs";
import path from "node:path";

/** The saga step queue partitions one process logged as it started ("Saga step queue partitions resolved"). */
export type PartitionsLogged = { process: string; partitions: number | null; source: string | null };

const RESOLVED = "Saga step queue partitions resolved";

/**
 * What each host's web server and checkout worker logged of their partitions, from their log files: every process of
 * a shop must use the same count (on a Redis Cluster with SAGA_QUEUE_PARTITIONS unset, each asked the cluster for
 * its masters), or sagas would be sent where no worker of the others looks.
 */
export function partitionsLogged(logDir: string, hosts: number): PartitionsLogged[] {
  return Array.from({ length: hosts }, (_, index) => index + 1).flatMap((n) =>
    ["web", "checkout"].map((name) => {
      const process = `host-${n} ${name}`;
      const file = path.join(logDir, `host-${n}-${name}.log`);
      const line = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").map(parseLine).find((entry) => entry?.msg === RESOLVED) : undefined;
      return {
        process,
        partitions: typeof line?.sagaQueuePartitions === "number" ? line.sagaQueuePartitions : null,
        source: typeof line?.source === "string" ? line.source : null,
      };
    }),
  );
}

function parseLine(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text.slice(text.indexOf("{")));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
