-- A product may limit how many units one customer holds and has bought (server/retail/checkout/purchase-limit.ts):
-- NULL is no limit. Checked by checkout.start under a lock per (customer, product), in the transaction that reserves.
ALTER TABLE "products" ADD COLUMN "max_per_customer" INTEGER;

ALTER TABLE "products"
  ADD CONSTRAINT "products_max_per_customer_positive" CHECK ("max_per_customer" IS NULL OR "max_per_customer" > 0);
