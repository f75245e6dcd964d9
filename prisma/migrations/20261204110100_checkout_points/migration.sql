-- Points pay for part of a purchase: a checkout records the points its shopper asked to use, an order the points
-- used, what they took off, and what the wallet paid (Loyalty earns on that).
-- AlterTable
ALTER TABLE "checkouts" ADD COLUMN     "points_requested" INTEGER NOT NULL DEFAULT 0;

-- AlterTable (paid_cents added nullable, filled for the orders before points, then required)
ALTER TABLE "orders" ADD COLUMN     "discount_cents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "paid_cents" INTEGER,
ADD COLUMN     "points_used" INTEGER NOT NULL DEFAULT 0;

UPDATE "orders" SET "paid_cents" = "total_cents";

ALTER TABLE "orders" ALTER COLUMN "paid_cents" SET NOT NULL;

-- By hand: what Prisma cannot express.
ALTER TABLE "checkouts"
  ADD CONSTRAINT "checkouts_points_requested_not_negative" CHECK ("points_requested" >= 0);

ALTER TABLE "orders"
  ADD CONSTRAINT "orders_points_not_negative" CHECK ("points_used" >= 0 AND "discount_cents" >= 0),
  ADD CONSTRAINT "orders_points_and_discount_together" CHECK (("points_used" = 0) = ("discount_cents" = 0)),
  ADD CONSTRAINT "orders_paid_is_total_less_discount" CHECK ("paid_cents" = "total_cents" - "discount_cents" AND "paid_cents" > 0);
