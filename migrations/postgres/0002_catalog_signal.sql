-- Every process hears a change of the installed bundles (upload, enable, disable, a block
-- switched off, delete) and republishes its catalog: weft_catalog, one notification per
-- transaction whatever the number of rows.
CREATE FUNCTION weft_notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('weft_catalog', '');
  RETURN NULL;
END $$;
CREATE TRIGGER bundles_notify_catalog AFTER INSERT OR UPDATE OR DELETE ON bundles
  FOR EACH STATEMENT EXECUTE FUNCTION weft_notify_catalog();
