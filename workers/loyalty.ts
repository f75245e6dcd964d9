import { env } from "@/server/env";
import { awardPurchasePoints } from "@/server/loyalty/award-purchase-points";
import { answerPointsCommand } from "@/server/loyalty/checkout-points/answer-points-command";
import { expireDueLots } from "@/server/loyalty/expire-due-lots";
import { projectPointEvents } from "@/server/loyalty/projections/project-point-events";
import { rebuildProjections } from "@/server/loyalty/projections/rebuild-projections";
import { reconcilePurchases } from "@/server/loyalty/reconcile-purchases";
import { readPurchaseFeed } from "@/server/retail/outbox/purchase-feed";
import { createQueueWorker } from "@/server/queues/create-queue-worker";
import { loyaltyMaintenanceQueue } from "@/server/queues/loyalty-maintenance-queue";
import { pointsCommandsQueue } from "@/server/queues/points-commands-queue";
import { purchaseEventsQueue } from "@/server/queues/purchase-events-queue";
import { sendPointsReply } from "@/server/runtime/points-replies-transport";
import { startPeriodicTask } from "./periodic-task";
import { runWorkerProcess } from "./run-worker-process";

/**
 * The Loyalty worker process: awards points for Retail's PurchaseCompleted events, answers the checkout saga's points
 * commands (redeem, restore) on the points-replies queue, keeps the projections up to date,
 * expires lots whose time has come, reconciles purchases whose message never arrived, and rebuilds the projections
 * when an operator asks. Any number of these can run at once.
 */
runWorkerProcess({
  name: "loyalty-worker",
  start: async () => {
    const purchases = createQueueWorker(
      purchaseEventsQueue,
      {
        "purchase-completed": (purchase) =>
          awardPurchasePoints({ purchase, lotLifetimeDays: env.LOYALTY_LOT_LIFETIME_DAYS, now: new Date() }),
      },
      {
        concurrency: env.LOYALTY_WORKER_CONCURRENCY,
        lockDuration: env.QUEUE_LOCK_DURATION_MS,
        stalledInterval: env.QUEUE_LOCK_DURATION_MS,
      },
    );
    // A command's job completes only once its reply is on the replies queue: a worker that dies in between handles it
    // again, finds the stored outcome and sends the same reply (same job id).
    const commands = createQueueWorker(
      pointsCommandsQueue,
      { "points-command": (command) => answerPointsCommand({ command, now: new Date(), sendReply: sendPointsReply }) },
      {
        concurrency: env.LOYALTY_COMMAND_CONCURRENCY,
        lockDuration: env.QUEUE_LOCK_DURATION_MS,
        stalledInterval: env.QUEUE_LOCK_DURATION_MS,
      },
    );
    // One rebuild at a time, however many loyalty workers run (the rebuild also holds every projection's checkpoint).
    const maintenance = createQueueWorker(
      loyaltyMaintenanceQueue,
      { "rebuild-projections": () => rebuildProjections() },
      { concurrency: 1, lockDuration: env.QUEUE_LOCK_DURATION_MS, stalledInterval: env.QUEUE_LOCK_DURATION_MS },
    );
    await Promise.all([purchases.waitUntilReady(), commands.waitUntilReady(), maintenance.waitUntilReady()]);
    const projections = startPeriodicTask("loyalty projections", env.LOYALTY_PROJECTION_INTERVAL_MS, () =>
      projectPointEvents(),
    );
    const expiry = startPeriodicTask("lot expiry", env.LOYALTY_EXPIRY_INTERVAL_MS, () =>
      expireDueLots({ now: new Date() }),
    );
    // Retail's published feed is handed in here: Loyalty's code never reaches into Retail's.
    const reconciliation = startPeriodicTask("purchase reconciliation", env.LOYALTY_RECONCILE_INTERVAL_MS, () =>
      reconcilePurchases({
        feed: readPurchaseFeed,
        lotLifetimeDays: env.LOYALTY_LOT_LIFETIME_DAYS,
        now: new Date(),
        settleMs: env.LOYALTY_RECONCILE_SETTLE_MS,
      }),
    );
    return [purchases, commands, maintenance, projections, expiry, reconciliation];
  },
});
