import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startLocalRedisCluster, type LocalRedisCluster } from "@/server/testing/redis-cluster";
import { REPO_ROOT, RESULTS_DIR } from "../lib/bench-env";
import { fmt, step, table } from "../lib/report";
import type { LevelResult } from "./level-result";

/**
 * `bench:saga -- --redis-cluster`: the same bench twice in one run, one Redis then a Redis Cluster, each pass a
 * process of its own (the app reads its Redis from the environment as it loads, so one process has one topology),
 * then one table with both. The cluster is the one REDIS_CLUSTER_NODES names, or one started here (3 masters with
 * a replica each on 127.0.0.1:7021–7026, by scripts/cluster/up.sh) and stopped after.
 */

const OWN_CLUSTER_FIRST_PORT = 7021;

type Pass = { topology: string; levels: LevelResult[]; ok: boolean };

export async function runOnBothTopologies(): Promise<void> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--redis-cluster");
  let cluster: LocalRedisCluster | null = null;
  const passes: Pass[] = [];
  try {
    passes.push(await runPass("one Redis", args));
    let nodes = process.env.REDIS_CLUSTER_NODES;
    if (!nodes) {
      step(`Starting a Redis Cluster (3 masters, a replica each) on 127.0.0.1:${OWN_CLUSTER_FIRST_PORT}–${OWN_CLUSTER_FIRST_PORT + 5}`);
      cluster = await startLocalRedisCluster({ firstPort: OWN_CLUSTER_FIRST_PORT });
      nodes = cluster.nodes;
    }
    passes.push(await runPass(`Redis Cluster (${nodes.split(",").length} nodes)`, [...args, "--cluster-nodes", nodes]));
  } finally {
    await cluster?.stop();
  }
  printComparison(passes);
  if (!passes.every((pass) => pass.ok)) process.exitCode = 1;
}

/** One pass of the bench in a child process, its output shown as it comes; its results read from latest-saga.json. */
async function runPass(topology: string, args: string[]): Promise<Pass> {
  step(`Pass on ${topology}: npm run bench:saga -- ${args.join(" ")}`);
  const resultsFile = path.join(RESULTS_DIR, "latest-saga.json");
  const before = fs.existsSync(resultsFile) ? fs.statSync(resultsFile).mtimeMs : 0;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts/bench/saga.ts"), ...args], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, REDIS_CLUSTER_NODES: "" },
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (!fs.existsSync(resultsFile) || fs.statSync(resultsFile).mtimeMs === before) {
    throw new Error(`The pass on ${topology} ended (exit ${code}) without writing its results`);
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, "utf8")) as { levels: LevelResult[]; ok: boolean };
  return { topology, levels: results.levels, ok: code === 0 && results.ok };
}

function printComparison(passes: readonly Pass[]): void {
  console.log("\nOne Redis next to a Redis Cluster, same run (latency: start call → saga finished; ms)");
  console.log(
    table(
      ["topology", "clients", "sagas/s", "p50", "p95", "p99", "errors"],
      passes.flatMap((pass) =>
        pass.levels.map((level) => [
          pass.topology,
          String(level.clients),
          fmt(level.sagasPerSecond),
          fmt(level.latencyMs.p50),
          fmt(level.latencyMs.p95),
          fmt(level.latencyMs.p99),
          String(level.startErrors + Object.values(level.notCompleted).reduce((sum, count) => sum + count, 0)),
        ]),
      ),
      { leftColumns: 1 },
    ),
  );
  const file = path.join(RESULTS_DIR, "latest-saga-topologies.json");
  fs.writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), passes }, null, 2)}\n`);
  console.log(`\n  ${path.relative(REPO_ROOT, file)}`);
}
