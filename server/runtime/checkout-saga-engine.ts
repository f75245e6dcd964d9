import { env } from "@/server/env";
import { sagaMetrics } from "@/server/metrics/saga-metrics";
import { enqueueMany } from "@/server/queues/define-queue";
import { sagaStepJobId, sagaStepQueueOf, type SagaStepQueue } from "@/server/queues/saga-queue";
import { sagaStepQueues } from "@/server/queues/saga-queue-partitions";
import { checkoutSaga } from "@/server/retail/checkout/checkout-saga";
import { createSagaEngine, type SagaScheduler, type ScheduledJob } from "@/server/saga/saga-engine";
import { announceSagaChanges } from "./live-changes";
import { outboxWakeUp } from "./outbox-transport";

/**
 * Schedules saga jobs on BullMQ, one job per step under its deterministic id, with the step's retry policy, each on its
 * saga's partition (sagaStepQueueOf) among this process's partitions (resolved at its start, or here on first use: on
 * a Redis Cluster the count may have to be asked of the cluster). One bulk add per partition: BullMQ sends a bulk add
 * as one pipeline, which ioredis' Cluster client sends only when all its keys share one slot, i.e. one hash tag, one
 * queue. A partition that fails leaves its jobs to the recovery sweep (the engine logs it), as one queue's failure
 * always did.
 */
const bullmqSagaScheduler: SagaScheduler = {
  async schedule(jobs) {
    const queues = await sagaStepQueues();
    const byQueue = new Map<SagaStepQueue, ScheduledJob[]>();
    for (const scheduled of jobs) {
      const queue = sagaStepQueueOf(scheduled.job.sagaId, queues);
      const group = byQueue.get(queue);
      if (group) group.push(scheduled);
      else byQueue.set(queue, [scheduled]);
    }
    await Promise.all(
      [...byQueue].map(([queue, group]) =>
        enqueueMany(
          queue,
          "run-step",
          group.map(({ job, retry }) => ({
            payload: job,
            options: {
              jobId: sagaStepJobId(job),
              attempts: retry.attempts,
              backoff: { type: "exponential", delay: retry.backoffMs },
            },
          })),
        ),
      ),
    );
  },
};

/** How long a checkout's unicorns stay set aside for payment (taken at start, released when it expires). */
export const reservationTtlMs = env.RESERVATION_TTL_SECONDS * 1_000;

/**
 * The process's saga engine: the checkout saga, scheduled on BullMQ, each committed change announced on the saga's
 * live channel (see live-changes.ts). The web process uses it to start checkouts and for operators' actions; the
 * checkout worker runs its steps and its recovery sweep.
 */
export const sagaEngine = createSagaEngine({
  sagas: [checkoutSaga({ reservationTtlMs, pointsReplyTimeoutMs: env.POINTS_REPLY_TIMEOUT_MS })],
  scheduler: bullmqSagaScheduler,
  recoverAfterMs: env.SAGA_RECOVER_AFTER_MS,
  faultsEnabled: env.SHOP_MODE !== "normal",
  onSagasChanged: announceSagaChanges,
  // A points command is waited on: the relay publishes it now rather than at its next poll.
  onMessagesSent: () => outboxWakeUp.fire(),
  // Starts, ends and step run times, counted for GET /api/metrics (server/metrics).
  observer: sagaMetrics,
});
