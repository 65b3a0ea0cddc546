-- One row per installed extension but plpgsql, which every database has. Extensions belong to
-- the database, not to a schema, so the schema filter does not apply; `ns` is unused here.
SELECT x.extname AS name, x.extversion AS version, n.nspname AS schema
FROM pg_catalog.pg_extension x
JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
WHERE x.extname <> 'plpgsql'
