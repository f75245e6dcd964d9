-- The relay retries each event on its own schedule and never waits behind one it cannot publish: `next_attempt_at`
-- is when an event is due (written: at once; failed: later, backing off; claimed by a relay: after its lease, in
-- case that relay dies; republished after a Redis loss: paced), and an event that failed every attempt is set aside
-- as a dead letter (`dead_lettered_at`, with `last_error`) for an operator to redrive.
ALTER TABLE "outbox_messages"
  ADD COLUMN "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  ADD COLUMN "dead_lettered_at" TIMESTAMPTZ(3),
  ADD COLUMN "last_error" TEXT;

UPDATE "outbox_messages" SET "next_attempt_at" = "created_at";

DROP INDEX "outbox_messages_unpublished_idx";
CREATE INDEX "outbox_messages_due_idx" ON "outbox_messages" ("next_attempt_at")
  WHERE "published_at" IS NULL AND "dead_lettered_at" IS NULL;
CREATE INDEX "outbox_messages_dead_letters_idx" ON "outbox_messages" ("dead_lettered_at" DESC)
  WHERE "dead_lettered_at" IS NOT NULL;
