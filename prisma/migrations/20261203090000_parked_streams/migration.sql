-- A projection that cannot apply one customer's event parks that customer's stream for that projection and goes on
-- with every other stream (server/loyalty/projections/parked-streams.ts); an admin's retry replays the stream and
-- removes the row. The error is what the admin monitor shows.
CREATE TABLE "loyalty_parked_streams" (
    "projection" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "parked_at_position" BIGINT NOT NULL,
    "error" TEXT NOT NULL,
    "parked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_parked_streams_pkey" PRIMARY KEY ("projection","customer_id")
);

-- Where the standing auditor's projections = replay sample goes on from: the last customer it compared
-- (server/loyalty/projections/audit-replay-sample.ts). One row; none before the first run.
CREATE TABLE "loyalty_replay_sample_cursor" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "after_customer_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_replay_sample_cursor_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "loyalty_replay_sample_cursor_one_row" CHECK ("id" = 1)
);
