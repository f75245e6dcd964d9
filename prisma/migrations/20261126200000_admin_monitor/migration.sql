-- AlterEnum
ALTER TYPE "customer_role" ADD VALUE 'support';

-- AlterTable
ALTER TABLE "saga_step_executions" ADD COLUMN     "error_stack" TEXT;

-- CreateTable
CREATE TABLE "admin_audit_log" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor_id" UUID NOT NULL,
    "actor_email" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_id" TEXT,
    "outcome" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flash_sale_simulations" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "shoppers" INTEGER NOT NULL,
    "units_on_sale" INTEGER NOT NULL,
    "customer_ids" UUID[],
    "started_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answered" INTEGER NOT NULL DEFAULT 0,
    "turned_away" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "flash_sale_simulations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "admin_audit_log_created_at_idx" ON "admin_audit_log"("created_at" DESC);

-- CreateIndex
CREATE INDEX "admin_audit_log_target_id_created_at_idx" ON "admin_audit_log"("target_id", "created_at" DESC);


-- Hand-written: the admin monitor's list, newest first, for any status but "completed". Completed sagas (most of
-- them) are listed through the created_at index; this partial index keeps the rare statuses (needs attention,
-- compensated, running) fast among a million sagas, and is not touched once a saga completes.
CREATE INDEX "saga_instances_not_completed_status_created_at_idx" ON "saga_instances" ("status", "created_at" DESC)
  WHERE "status" <> 'completed';

-- The monitor's chart of sagas finished per minute: only finished sagas are indexed, each once, when it finishes.
CREATE INDEX "saga_instances_finished_at_idx" ON "saga_instances" ("finished_at") WHERE "finished_at" IS NOT NULL;
