-- A saga step may send a message in its transaction and wait for the reply (server/saga: "wait for a reply"): the
-- saga row says until when (its recovery sweep wakes it then), the step execution keeps what was sent and received.
-- AlterEnum
ALTER TYPE "step_execution_status" ADD VALUE 'awaiting';

-- AlterTable
ALTER TABLE "saga_instances" ADD COLUMN     "awaiting_reply_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "saga_step_executions" ADD COLUMN     "awaiting_since" TIMESTAMPTZ(3),
ADD COLUMN     "awaiting_until" TIMESTAMPTZ(3),
ADD COLUMN     "replied_at" TIMESTAMPTZ(3),
ADD COLUMN     "reply" JSONB,
ADD COLUMN     "reply_from" TEXT,
ADD COLUMN     "sent_message" JSONB;

