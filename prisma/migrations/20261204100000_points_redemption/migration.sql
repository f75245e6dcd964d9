-- What points are worth when they pay for part of a checkout (server/loyalty/rules/redemption-rule.ts): one row,
-- seeded with the launch rule (100 points = $5.00, at most 50% of an order) and changed by admins, audited.
-- CreateTable
CREATE TABLE "loyalty_redemption_rule" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "points_per_step" INTEGER NOT NULL,
    "cents_per_step" INTEGER NOT NULL,
    "max_discount_percent" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_redemption_rule_pkey" PRIMARY KEY ("id")
);

-- The reply each checkout points command got (server/loyalty/checkout-points/): a command delivered again is answered
-- from here, and a refusal stays a refusal.
-- CreateTable
CREATE TABLE "loyalty_checkout_outcomes" (
    "checkout_id" UUID NOT NULL,
    "command" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "reply" JSONB NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_checkout_outcomes_pkey" PRIMARY KEY ("checkout_id","command")
);


-- By hand: what Prisma's schema cannot say. The rule's bounds are redemptionRuleSchema's, so no row can hold a rule
-- the code would refuse to apply.
ALTER TABLE "loyalty_redemption_rule"
    ADD CONSTRAINT "loyalty_redemption_rule_one_row" CHECK ("id" = 1),
    ADD CONSTRAINT "loyalty_redemption_rule_points_per_step" CHECK ("points_per_step" BETWEEN 1 AND 1000000),
    ADD CONSTRAINT "loyalty_redemption_rule_cents_per_step" CHECK ("cents_per_step" BETWEEN 1 AND 1000000),
    ADD CONSTRAINT "loyalty_redemption_rule_max_discount_percent" CHECK ("max_discount_percent" BETWEEN 1 AND 99),
    ADD CONSTRAINT "loyalty_redemption_rule_point_at_most_a_dollar" CHECK ("cents_per_step" <= "points_per_step" * 100);

ALTER TABLE "loyalty_checkout_outcomes"
    ADD CONSTRAINT "loyalty_checkout_outcomes_command" CHECK ("command" IN ('RedeemPointsForCheckout', 'RestorePointsForCheckout'));

-- The launch rule, so that a migrated shop redeems by it before anyone seeds (seeding sets it again).
INSERT INTO "loyalty_redemption_rule" ("id", "points_per_step", "cents_per_step", "max_discount_percent")
VALUES (1, 100, 500, 50);
