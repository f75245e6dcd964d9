-- The standing invariant auditor's runs (server/retail/invariants/run-invariant-audit.ts): what each checked and
-- every violation it found, with the rows named. The admin monitor shows the latest; a violation is pinned there.
CREATE TABLE "invariant_audits" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "checks" JSONB NOT NULL,
    "violations" JSONB NOT NULL,

    CONSTRAINT "invariant_audits_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "invariant_audits_finished_at_idx" ON "invariant_audits"("finished_at" DESC);
