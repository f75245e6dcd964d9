-- The queues page's last hour: how deep each job queue was (sampled every 15 s by the checkout workers, pruned after
-- two hours, so the table stays at a few thousand rows), and how long saga steps took.

-- CreateTable
CREATE TABLE "queue_depth_samples" (
    "queue" TEXT NOT NULL,
    "sampled_at" TIMESTAMPTZ(3) NOT NULL,
    "waiting" INTEGER NOT NULL,
    "active" INTEGER NOT NULL,
    "delayed" INTEGER NOT NULL,

    -- One sample per queue and 15-second slot: every checkout worker samples, the first one's row is kept.
    CONSTRAINT "queue_depth_samples_pkey" PRIMARY KEY ("queue","sampled_at")
);

-- The pruning and the last-hour read go by time across all queues.
CREATE INDEX "queue_depth_samples_sampled_at_idx" ON "queue_depth_samples"("sampled_at");

-- Step latency over the last hour reads the executions finished since then, not the whole (growing) table.
CREATE INDEX "saga_step_executions_finished_at_idx" ON "saga_step_executions"("finished_at");

-- By hand: what Prisma cannot express.
ALTER TABLE "queue_depth_samples"
  ADD CONSTRAINT "queue_depth_samples_counts_not_negative" CHECK ("waiting" >= 0 AND "active" >= 0 AND "delayed" >= 0);
