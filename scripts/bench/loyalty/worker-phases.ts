import fs from "node:fs";
import type { PurchaseCompleted } from "@/server/retail/checkout/purchase-completed";
import { enqueue, openQueueOn } from "@/server/queues/define-queue";
import { getReadyProducerConnection } from "@/server/queues/connections";
import { purchaseEventsQueue } from "@/server/queues/purchase-events-queue";
import type { ManagedChild } from "../lib/bench-children";
import { REPO_ROOT, workerCommand, type AppEnv } from "../lib/bench-env";
import { startWorkers, statementCounterEnv } from "../lib/bench-workers";
import { step, type InvariantResult } from "../lib/report";
import { checkLogOrder } from "./check-log-order";
import { checkPurchases, expectedPoints } from "./check-purchases";
import type { LoyaltyOptions } from "./options";
import type { LoyaltyBench } from "./prepare";
import { customerPool, newPurchase, type CustomerPool } from "./purchases";
import type { LoyaltyReport } from "./report";
import { measureLagAtRate } from "./steady-lag";
import { measureThroughput, type PhaseProbe } from "./throughput";

type WorkerPhases = {
  options: LoyaltyOptions;
  appEnv: AppEnv;
  logDir: string;
  counterDir: string;
  bench: LoyaltyBench;
  probe: PhaseProbe;
  /** Filled with the workers once they run (the probe reads their CPU). */
  workers: ManagedChild[];
};

/**
 * Phases 1 and 2 with loyalty worker process(es) started as production does: throughput, then lag at each rate;
 * then checks that every purchase published was handled exactly once, and stops the workers.
 */
export async function runWorkerPhases(phases: WorkerPhases): Promise<Pick<LoyaltyReport, "throughput" | "lag" | "workerLog"> & { invariants: InvariantResult[] }> {
  const { options, bench } = phases;
  const command = workerCommand(REPO_ROOT, "worker:loyalty");
  step(`Starting ${options.workers} loyalty worker process(es): ${command.display}`);
  const { workers, stoppingOnPurpose } = await startWorkers({
    count: options.workers,
    command,
    cwd: REPO_ROOT,
    env: {
      ...phases.appEnv,
      LOG_LEVEL: "info",
      DATABASE_POOL_SIZE: String(options.workerPool),
      LOYALTY_WORKER_CONCURRENCY: String(options.concurrency),
      ...options.workerEnv,
      ...(options.countStatements ? statementCounterEnv(phases.counterDir, options.workerEnv) : {}),
    },
    logDir: phases.logDir,
  });
  phases.workers.push(...workers);
  await getReadyProducerConnection();

  const pool = customerPool(options.mix);
  const published: PurchaseCompleted[] = [];
  const publish = async (purchase: PurchaseCompleted) => {
    published.push(purchase);
    await enqueue(purchaseEventsQueue, "purchase-completed", purchase, { jobId: purchase.eventId });
  };
  const throughput = await throughputPhase(phases, pool, publish);
  const lag = [];
  if (options.lag) {
    for (const rate of options.rates) {
      step(`Lag at ${rate} purchases/s for ${options.rateDurationS} s`);
      const result = await measureLagAtRate({
        ratePerSecond: rate,
        seconds: options.rateDurationS,
        newPurchase: () => newPurchase(pool, options.mix, { allowSmall: false }),
        publish,
        poller: bench.poller,
        pollMs: options.pollMs,
        drainTimeoutMs: 60_000,
        probe: phases.probe,
      });
      lag.push(result);
      console.log(`  visible in the history after p50 ${result.visibleMs.p50} ms, p95 ${result.visibleMs.p95} ms (${result.observed}/${result.published})`);
    }
  }

  step("Checking the worker phases");
  const invariants = await checkWorkerPhases(bench, published);
  stoppingOnPurpose();
  await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 35_000 })));
  const workerLog = countInLogs(workers);
  console.log(`  workers stopped; their logs: ${workerLog.retriedJobs} job retries, ${workerLog.failedJobs} jobs failed for good`);
  return { throughput, lag, workerLog, invariants };
}

/** Phase 1: every purchase published as fast as possible, timed until appended and projected. */
async function throughputPhase(phases: WorkerPhases, pool: CustomerPool, publish: (purchase: PurchaseCompleted) => Promise<void>) {
  const { options } = phases;
  const purchases = Array.from({ length: options.purchases }, () => newPurchase(pool, options.mix));
  const eventsExpected = purchases.filter((purchase) => expectedPoints(purchase) > 0).length;
  step(
    `Throughput: ${options.purchases} purchases as fast as possible (${options.mix.customers} customers + ${options.mix.hotCustomers} hot ` +
      `ones with ${Math.round(options.mix.hotShare * 100)} % of purchases; ${eventsExpected} earn points)`,
  );
  const throughput = await measureThroughput({
    purchases,
    eventsExpected,
    publish,
    publishInFlight: options.publishInFlight,
    poller: phases.bench.poller,
    probe: phases.probe,
    timeoutMs: options.timeoutS * 1000,
  });
  console.log(
    `  ${throughput.perSecond.appended ?? "–"} events appended/s, ${throughput.perSecond.projected ?? "–"} projected/s` +
      (throughput.finished ? "" : `  ✗ not finished after ${options.timeoutS} s`),
  );
  return throughput;
}

/** Every purchase handled once, read models right, the log read back in order; nothing failed or left in the queue. */
async function checkWorkerPhases(bench: LoyaltyBench, published: readonly PurchaseCompleted[]): Promise<InvariantResult[]> {
  const queue = openQueueOn(purchaseEventsQueue, await getReadyProducerConnection());
  const counts = await queue.getJobCounts("failed", "waiting", "delayed", "active");
  await queue.close();
  return [
    ...(await checkPurchases(bench.admin, published, {
      failed: counts.failed ?? 0,
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0),
    })),
    // The projection processor reads in batches of 500.
    await checkLogOrder(bench.admin, { limit: 200_000, batchSize: 500 }),
  ];
}

/** Retries, jobs failed for good and errors, as the workers logged them. */
function countInLogs(workers: readonly ManagedChild[]): NonNullable<LoyaltyReport["workerLog"]> {
  const logText = workers.map((worker) => (worker.logFile ? fs.readFileSync(worker.logFile, "utf8") : "")).join("\n");
  return {
    retriedJobs: (logText.match(/"msg":"Job failed, will retry"/g) ?? []).length,
    failedJobs: (logText.match(/"msg":"Job failed"/g) ?? []).length,
    errors: (logText.match(/"level":50/g) ?? []).length,
  };
}
