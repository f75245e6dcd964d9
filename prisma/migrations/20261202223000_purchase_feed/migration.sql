-- Retail's published feed of PurchaseCompleted events (server/retail/outbox/purchase-feed.ts) is read in
-- (created_at, id) order by consumers that must see every purchase; Loyalty keeps how far it has checked the feed.
CREATE INDEX "outbox_messages_feed_idx" ON "outbox_messages" ("event_type", "created_at", "id");

CREATE TABLE "loyalty_feed_checkpoints" (
    "feed" TEXT NOT NULL,
    "position" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_feed_checkpoints_pkey" PRIMARY KEY ("feed")
);
