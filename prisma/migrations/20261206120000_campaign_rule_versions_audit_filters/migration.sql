-- Campaign rules get versions: an edit adds a new row (version + 1, same lineage) and points the old one at it
-- (superseded_by), so a PointsEarned event's ruleIds keep naming the version it was awarded under. A retired rule
-- keeps its row too (retired_at), and is never evaluated again.
ALTER TABLE "loyalty_campaign_rules"
    ADD COLUMN "lineage_id" UUID,
    ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN "superseded_by" UUID,
    ADD COLUMN "retired_at" TIMESTAMPTZ(3);

-- Every existing rule is the first version of its own lineage.
UPDATE "loyalty_campaign_rules" SET "lineage_id" = "id";
ALTER TABLE "loyalty_campaign_rules" ALTER COLUMN "lineage_id" SET NOT NULL;

-- A rule inserted without a lineage (the seed, a test's fixture) starts its own: its lineage is its id.
CREATE FUNCTION "loyalty_campaign_rule_lineage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."lineage_id" := coalesce(NEW."lineage_id", NEW."id");
    RETURN NEW;
END;
$$;
CREATE TRIGGER "loyalty_campaign_rules_lineage" BEFORE INSERT ON "loyalty_campaign_rules"
    FOR EACH ROW EXECUTE FUNCTION "loyalty_campaign_rule_lineage"();

-- Deleting a newer version (a test putting the rules back) makes the one before it current again.
ALTER TABLE "loyalty_campaign_rules" ADD CONSTRAINT "loyalty_campaign_rules_superseded_by_fkey"
    FOREIGN KEY ("superseded_by") REFERENCES "loyalty_campaign_rules"("id") ON DELETE SET NULL
    -- Checked at commit: an edit points the old version at the new one before inserting it (see the partial index).
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "loyalty_campaign_rules" ADD CONSTRAINT "loyalty_campaign_rules_version_check" CHECK ("version" >= 1);

CREATE UNIQUE INDEX "loyalty_campaign_rules_lineage_id_version_key" ON "loyalty_campaign_rules"("lineage_id", "version");
-- One current version per lineage: two edits racing cannot both add one.
CREATE UNIQUE INDEX "loyalty_campaign_rules_current_key" ON "loyalty_campaign_rules"("lineage_id") WHERE "superseded_by" IS NULL;

-- The audit log's filters: newest first by action, and a stable keyset order (created_at, id) for its pages.
CREATE INDEX "admin_audit_log_created_at_id_idx" ON "admin_audit_log"("created_at" DESC, "id" DESC);
CREATE INDEX "admin_audit_log_action_created_at_id_idx" ON "admin_audit_log"("action", "created_at" DESC, "id" DESC);
