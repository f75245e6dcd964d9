-- Every change to what is on hand or reserved tells whoever listens (the web servers: LISTEN stock_changed) at once,
-- on commit: the shop front's live stock and its sold-out answers follow the database within milliseconds, whatever
-- wrote the change (a checkout, a compensation, the sweep, an operator, a test). The payload is the product's id;
-- listeners read the levels again from the table, which stays the only truth.
CREATE FUNCTION notify_stock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('stock_changed', '');
  ELSE
    PERFORM pg_notify('stock_changed', COALESCE(NEW.product_id, OLD.product_id)::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER inventory_stock_changed
  AFTER INSERT OR DELETE OR UPDATE OF on_hand, reserved ON inventory
  FOR EACH ROW EXECUTE FUNCTION notify_stock_changed();

CREATE TRIGGER inventory_truncated
  AFTER TRUNCATE ON inventory
  FOR EACH STATEMENT EXECUTE FUNCTION notify_stock_changed();
