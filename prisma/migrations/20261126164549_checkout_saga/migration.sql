-- CreateEnum
CREATE TYPE "saga_status" AS ENUM ('running', 'completed', 'compensating', 'compensated', 'needs_attention');

-- CreateEnum
CREATE TYPE "saga_phase" AS ENUM ('action', 'compensation');

-- CreateEnum
CREATE TYPE "step_execution_status" AS ENUM ('running', 'succeeded', 'retrying', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "saga_fault_kind" AS ENUM ('fail_permanently', 'fail_transiently', 'delay_before', 'delay_after_commit');

-- CreateEnum
CREATE TYPE "reservation_status" AS ENUM ('held', 'released', 'sold');

-- CreateTable
CREATE TABLE "saga_instances" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "saga_type" TEXT NOT NULL,
    "status" "saga_status" NOT NULL DEFAULT 'running',
    "current_step" TEXT,
    "input" JSONB NOT NULL,
    "step_outputs" JSONB NOT NULL DEFAULT '{}',
    "failure_reason" TEXT,
    "failed_step" TEXT,
    "deadline_at" TIMESTAMPTZ(3),
    "next_job_due_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "saga_instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "saga_step_executions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "saga_id" UUID NOT NULL,
    "step" TEXT NOT NULL,
    "phase" "saga_phase" NOT NULL,
    "status" "step_execution_status" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "output" JSONB,

    CONSTRAINT "saga_step_executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "saga_faults" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "saga_type" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "phase" "saga_phase" NOT NULL,
    "kind" "saga_fault_kind" NOT NULL,
    "remaining" INTEGER,
    "delay_ms" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saga_faults_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkouts" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_cents" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reservations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkout_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "reservation_status" NOT NULL DEFAULT 'held',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkout_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "product_name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_cents" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "publish_attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "saga_instances_status_next_job_due_at_idx" ON "saga_instances"("status", "next_job_due_at");

-- CreateIndex
CREATE INDEX "saga_instances_status_deadline_at_idx" ON "saga_instances"("status", "deadline_at");

-- CreateIndex
CREATE INDEX "saga_instances_created_at_idx" ON "saga_instances"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "saga_step_executions_saga_id_step_phase_key" ON "saga_step_executions"("saga_id", "step", "phase");

-- CreateIndex
CREATE INDEX "saga_faults_saga_type_step_phase_idx" ON "saga_faults"("saga_type", "step", "phase");

-- CreateIndex
CREATE INDEX "checkouts_customer_id_created_at_idx" ON "checkouts"("customer_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "checkouts_customer_id_idempotency_key_key" ON "checkouts"("customer_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "reservations_checkout_id_key" ON "reservations"("checkout_id");

-- CreateIndex
CREATE UNIQUE INDEX "orders_checkout_id_key" ON "orders"("checkout_id");

-- CreateIndex
CREATE INDEX "orders_customer_id_created_at_idx" ON "orders"("customer_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "saga_step_executions" ADD CONSTRAINT "saga_step_executions_saga_id_fkey" FOREIGN KEY ("saga_id") REFERENCES "saga_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_checkout_id_fkey" FOREIGN KEY ("checkout_id") REFERENCES "checkouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_checkout_id_fkey" FOREIGN KEY ("checkout_id") REFERENCES "checkouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: what Prisma's schema language cannot express.
ALTER TABLE "saga_step_executions"
  ADD CONSTRAINT "saga_step_executions_attempts_not_negative" CHECK ("attempts" >= 0);

ALTER TABLE "saga_faults"
  ADD CONSTRAINT "saga_faults_remaining_not_negative" CHECK ("remaining" IS NULL OR "remaining" >= 0),
  ADD CONSTRAINT "saga_faults_delay_not_negative" CHECK ("delay_ms" >= 0);

ALTER TABLE "checkouts"
  ADD CONSTRAINT "checkouts_quantity_positive" CHECK ("quantity" > 0),
  ADD CONSTRAINT "checkouts_amount_is_price_times_quantity" CHECK ("amount_cents" = "unit_price_cents" * "quantity" AND "amount_cents" > 0);

ALTER TABLE "reservations"
  ADD CONSTRAINT "reservations_quantity_positive" CHECK ("quantity" > 0);

ALTER TABLE "orders"
  ADD CONSTRAINT "orders_quantity_positive" CHECK ("quantity" > 0),
  ADD CONSTRAINT "orders_total_is_price_times_quantity" CHECK ("total_cents" = "unit_price_cents" * "quantity" AND "total_cents" > 0);

-- The relay reads only what is still unpublished: keep that index small however long the outbox grows.
CREATE INDEX "outbox_messages_unpublished_idx" ON "outbox_messages" ("created_at") WHERE "published_at" IS NULL;
