import { env } from "@/server/env";
import { publishSharedMetrics } from "@/server/metrics/publish-shared-metrics";
import { replaySampleCheck } from "@/server/loyalty/projections/audit-replay-sample";
import { sagaEngine } from "@/server/runtime/checkout-saga-engine";
import { outboxRedisLossMarker, outboxWakeUp, publishOutboxEvent } from "@/server/runtime/outbox-transport";
import { createQueueWorker } from "@/server/queues/create-queue-worker";
import { createDeliveryBatcher } from "@/server/queues/delivery-batcher";
import { pointsRepliesQueue } from "@/server/queues/points-replies-queue";
import { concurrencyPerPartition, sagaStepQueuesFor } from "@/server/queues/saga-queue";
import { logSagaQueuePartitions } from "@/server/queues/saga-queue-partitions";
import { QUEUE_DEPTH_SAMPLE_MS, sampleQueueDepth } from "@/server/queues/sample-queue-depth";
import { pointsReplyDelivery } from "@/server/retail/checkout/points-reply-delivery";
import { runInvariantAudit } from "@/server/retail/invariants/run-invariant-audit";
import { relayOutbox } from "@/server/retail/outbox/relay-outbox";
import { republishAfterRedisLoss } from "@/server/retail/outbox/republish-after-redis-loss";
import type { SagaJob } from "@/server/saga/saga-store";
import type { SagaReply } from "@/server/saga/saga-step-runner";
import { startPeriodicTask } from "./periodic-task";
import { runWorkerProcess } from "./run-worker-process";

/**
 * The checkout worker process: runs saga step jobs, hands Loyalty's replies to the sagas waiting for them, sweeps for
 * lost jobs, expired reservations and waits that are over, relays the outbox (publishing recent messages again when
 * Redis lost its data), audits the invariants and samples the queues' depth. Any number of these can run at once, each
 * consuming every partition of the step queue (SAGA_QUEUE_PARTITIONS, or one per Redis Cluster master).
 */
const OUTBOX_BATCH = 100;

runWorkerProcess({
  name: "checkout-worker",
  start: async (log) => {
    // First, before any Worker: which queues to consume. On a Redis Cluster with no SAGA_QUEUE_PARTITIONS this asks the
    // cluster for its masters, and a cluster that cannot be read stops the start (the supervisor tries again) rather
    // than consume a guess. The count is logged so that an operator can see every process agrees.
    const sagaStepQueues = sagaStepQueuesFor((await logSagaQueuePartitions(log)).partitions);
    // Steps delivered while others run go together, one transaction per batch (see saga-step-runner.ts).
    const runStep = createDeliveryBatcher((jobs: SagaJob[]) => sagaEngine.runStepJobs(jobs), {
      maxBatchSize: env.CHECKOUT_BATCH_SIZE,
      maxInFlight: env.CHECKOUT_BATCHES_IN_FLIGHT,
    });
    // One BullMQ Worker per partition of the step queue, all feeding the same batches: the process takes about
    // CHECKOUT_WORKER_CONCURRENCY jobs at once in all, however many partitions there are.
    const perPartition = concurrencyPerPartition(env.CHECKOUT_WORKER_CONCURRENCY, sagaStepQueues.length);
    const stepWorkers = sagaStepQueues.map((queue) =>
      createQueueWorker(
        queue,
        { "run-step": (job) => runStep(job) },
        {
          concurrency: perPartition,
          lockDuration: env.QUEUE_LOCK_DURATION_MS,
          stalledInterval: env.QUEUE_LOCK_DURATION_MS,
        },
      ),
    );
    // Replies go together too, one batch at a time (each holds a connection; the steps' batches need theirs).
    const deliverReply = createDeliveryBatcher((replies: SagaReply[]) => sagaEngine.deliverReplies(replies), {
      maxBatchSize: env.CHECKOUT_BATCH_SIZE,
      maxInFlight: 1,
    });
    const replyWorker = createQueueWorker(
      pointsRepliesQueue,
      { "points-reply": (reply) => deliverReply(pointsReplyDelivery(reply)) },
      {
        concurrency: env.CHECKOUT_WORKER_CONCURRENCY,
        lockDuration: env.QUEUE_LOCK_DURATION_MS,
        stalledInterval: env.QUEUE_LOCK_DURATION_MS,
      },
    );
    await Promise.all([...stepWorkers, replyWorker].map((worker) => worker.waitUntilReady()));
    const sweep = startPeriodicTask("saga recovery sweep", env.SAGA_SWEEP_INTERVAL_MS, () => sagaEngine.sweep());
    const relay = startPeriodicTask("outbox relay", env.OUTBOX_RELAY_INTERVAL_MS, async () => {
      await republishAfterRedisLoss(outboxRedisLossMarker);
      // Drain a backlog in full batches rather than one batch per interval.
      while ((await relayOutbox({ publish: publishOutboxEvent, batchSize: OUTBOX_BATCH })).claimed === OUTBOX_BATCH);
    });
    // A step waits on the message it just sent (Loyalty's points commands): publish it now.
    outboxWakeUp.listen(() => relay.runSoon());
    // Loyalty's projections = replay sample joins Retail's audit here: neither context's code reaches into the other.
    const audit = startPeriodicTask("invariant audit", env.INVARIANT_AUDIT_INTERVAL_MS, () =>
      runInvariantAudit({ alsoCheck: [replaySampleCheck] }),
    );
    // The queues page's depth chart: every 15 s, into PostgreSQL (one row per queue and slot however many workers run).
    const depth = startPeriodicTask("queue depth sample", QUEUE_DEPTH_SAMPLE_MS, () => sampleQueueDepth());
    // The step durations and saga ends this process counted, added to the totals GET /api/metrics reads (server/metrics).
    const publishing = startPeriodicTask("metrics publish", env.METRICS_PUBLISH_INTERVAL_MS, publishSharedMetrics);
    // On shutdown, once the step workers have finished their jobs (close() is shared), one last publish.
    const metrics = {
      close: async () => {
        await Promise.allSettled([...stepWorkers, replyWorker].map((worker) => worker.close()));
        await publishing.close();
        // Redis away: these last seconds' figures are lost, which is no reason to call the shutdown unclean.
        await publishSharedMetrics().catch(() => undefined);
      },
    };
    return [...stepWorkers, replyWorker, sweep, relay, audit, depth, metrics];
  },
});
