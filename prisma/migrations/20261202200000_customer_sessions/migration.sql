-- Who is signed in, kept by the shop rather than sealed into the cookie: the cookie carries a random token, this
-- table its SHA-256 (the table alone signs nobody in). Signing out deletes the row, so an old cookie opens nothing:
-- a sealed cookie could not be taken back before it expired. Deleting an account deletes its sessions.
CREATE TABLE "customer_sessions" (
    "token_hash" BYTEA NOT NULL,
    "customer_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_sessions_pkey" PRIMARY KEY ("token_hash")
);

CREATE INDEX "customer_sessions_customer_id_idx" ON "customer_sessions"("customer_id");

ALTER TABLE "customer_sessions" ADD CONSTRAINT "customer_sessions_customer_id_fkey"
  FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
