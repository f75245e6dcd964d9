-- CreateEnum
CREATE TYPE "loyalty_rule_kind" AS ENUM ('threshold', 'percentage', 'multiplier');

-- CreateTable
CREATE TABLE "loyalty_point_events" (
    "position" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "stream_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "caused_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_point_events_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "loyalty_processed_messages" (
    "message_id" TEXT NOT NULL,
    "stream_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_processed_messages_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "loyalty_campaign_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "loyalty_rule_kind" NOT NULL,
    "settings" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "active_from" TIMESTAMPTZ(3),
    "active_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_campaign_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_balances" (
    "customer_id" UUID NOT NULL,
    "available_points" INTEGER NOT NULL,
    "last_version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_balances_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "loyalty_lots" (
    "lot_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "points" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "earned_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "expired" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "loyalty_lots_pkey" PRIMARY KEY ("lot_id")
);

-- CreateTable
CREATE TABLE "loyalty_history" (
    "customer_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "points_delta" INTEGER NOT NULL,
    "balance_after" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "loyalty_history_pkey" PRIMARY KEY ("customer_id","version")
);

-- CreateTable
CREATE TABLE "loyalty_projection_checkpoints" (
    "projection" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_projection_checkpoints_pkey" PRIMARY KEY ("projection")
);

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_point_events_event_id_key" ON "loyalty_point_events"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_point_events_stream_id_version_key" ON "loyalty_point_events"("stream_id", "version");

-- CreateIndex
CREATE INDEX "loyalty_lots_customer_id_expires_at_idx" ON "loyalty_lots"("customer_id", "expires_at");



-- Hand-written: what Prisma's schema language cannot express.

ALTER TABLE "loyalty_point_events"
  ADD CONSTRAINT "loyalty_point_events_version_positive" CHECK ("version" >= 1);

-- No code path changes or removes an event: the log is the truth every projection is rebuilt from.
CREATE FUNCTION "refuse_point_event_rewrite"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'loyalty_point_events is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "loyalty_point_events_append_only"
  BEFORE UPDATE OR DELETE ON "loyalty_point_events"
  FOR EACH ROW EXECUTE FUNCTION "refuse_point_event_rewrite"();

ALTER TABLE "loyalty_lots"
  ADD CONSTRAINT "loyalty_lots_remaining_within_points" CHECK ("remaining" >= 0 AND "remaining" <= "points"),
  ADD CONSTRAINT "loyalty_lots_expire_after_earned" CHECK ("expires_at" > "earned_at");

ALTER TABLE "loyalty_balances"
  ADD CONSTRAINT "loyalty_balances_not_negative" CHECK ("available_points" >= 0);

-- The expiry process looks for lots whose time has come and that still hold points.
CREATE INDEX "loyalty_lots_due_idx" ON "loyalty_lots" ("expires_at") WHERE NOT "expired" AND "remaining" > 0;

INSERT INTO "loyalty_projection_checkpoints" ("projection") VALUES
  ('available-balance'), ('point-lots'), ('point-history');
