/**
 * `npm run bench:saga` — throughput and latency of the checkout saga, straight at the engine (no HTTP).
 *
 * Prepares its own database (migrate, empty, many products with effectively unlimited stock, customers with large
 * wallets), starts checkout worker processes exactly as production does (the `worker:checkout` npm script, e.g.
 * `node --import tsx workers/checkout.ts`), then for each concurrency level runs C virtual clients in a closed loop —
 * start a checkout with `startCheckout` (what the web process does) → wait until its saga is finished → next — and
 * reports completed sagas/s, end-to-end latency, and where the time and the work go (CPU per process, statements,
 * transactions, WAL, Redis commands per saga). Ends with an invariant check over the whole database; exits non-zero
 * if one is broken.
 *
 *   npm run bench:saga -- --levels 8,32,64,128 --duration 15 --workers 1 --concurrency 48 --worker-pool 5
 *   npm run bench:saga -- --redis-cluster --levels 32 --duration 8   # one Redis, then a Redis Cluster, compared
 *   npm run bench:saga -- --partitions 3            (SAGA_QUEUE_PARTITIONS=3 everywhere)
 *   npm run bench:saga -- --partitions 1,2,3        (the whole bench once per count, then a comparison)
 *   npm run bench:saga -- --help
 *
 * saga/options.ts reads the command line, saga/run.ts drives the load (saga/level.ts, one concurrency level),
 * saga/report.ts prints the tables and writes the JSON; saga/partitions.ts runs and compares several partition counts.
 */
import { runBench } from "./lib/bench-main";
import { parseSagaOptions } from "./saga/options";
import { comparePartitions } from "./saga/partitions";
import { reportSaga } from "./saga/report";
import { runSaga } from "./saga/run";
import { runOnBothTopologies } from "./saga/topologies";

runBench("Saga", async () => {
  const options = parseSagaOptions();
  // --redis-cluster: this process only runs the two passes (one Redis, then a cluster) and compares them.
  if (options.redisCluster) return runOnBothTopologies();
  if (options.partitions && options.partitions.length > 1) return comparePartitions(options.partitions);
  reportSaga(options, await runSaga(options));
});
