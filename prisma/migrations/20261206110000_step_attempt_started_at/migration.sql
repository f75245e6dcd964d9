-- When the latest attempt of a step (action or compensation) began, set by the engine at each delivery it counts as an
-- attempt: the monitor shows a step's own run time (finished_at - attempt_started_at) apart from the time it spent
-- failing earlier attempts and waiting to be retried (attempt_started_at - started_at). Rows written before this
-- column existed keep it NULL, and the monitor then shows the whole span as before.
-- AlterTable
ALTER TABLE "saga_step_executions" ADD COLUMN     "attempt_started_at" TIMESTAMPTZ(3);
