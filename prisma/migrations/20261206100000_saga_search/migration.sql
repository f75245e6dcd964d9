-- Hand-written: the saga list's one search box (server/admin/sagas/saga-search-condition.ts), fast with a million sagas.
--
-- Ids and id prefixes need nothing new: a prefix of a uuid is a range of uuids, which the primary keys of
-- saga_instances and orders answer.
--
-- Part of an email or of a product name (`pat`, `aurora`) is a substring, which a B-tree cannot find: trigram GIN
-- indexes answer LIKE / ILIKE '%…%' on both. pg_trgm ships with PostgreSQL itself (postgresql-contrib is part of
-- Debian's postgresql package, here and on CI).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "customers_email_trgm_idx" ON "customers" USING gin ("email" gin_trgm_ops);
CREATE INDEX "products_name_trgm_idx" ON "products" USING gin ("name" gin_trgm_ops);

-- A search for text alone finds its page among checkouts first, newest first (newestMatchingCheckouts): through the
-- customers' or the product's own index when few checkouts match, or by walking all checkouts newest first when many
-- do. The walk reads only this index (its INCLUDE columns answer the condition), not a row per checkout passed over.
CREATE INDEX "checkouts_product_id_created_at_idx" ON "checkouts" ("product_id", "created_at" DESC);
CREATE INDEX "checkouts_created_at_idx" ON "checkouts" ("created_at" DESC, "id" DESC) INCLUDE ("customer_id", "product_id");
