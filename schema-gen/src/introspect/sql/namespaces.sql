-- Shared prefix of every catalog query: the schemas to snapshot.
-- $1 = schemas to include (empty array = all), $2 = schemas to exclude.
-- System schemas all start with `pg_` (pg_catalog, pg_toast, pg_temp_N, pg_toast_temp_N: users
-- cannot create such names) or are information_schema. Extension-owned schemas are skipped too.
WITH ns AS (
    SELECT n.oid, n.nspname
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname !~ '^pg_'
      AND n.nspname <> 'information_schema'
      AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
      AND NOT (n.nspname = ANY ($2::text[]))
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend e
          WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
            AND e.objid = n.oid AND e.deptype = 'e')
),
-- Relations of those schemas that pgcanon models: tables (ordinary, partitioned, foreign), views,
-- materialized views and free-standing composite types. Partitions are excluded (they are
-- recorded under their parent) and so is anything an extension owns (e.g. PostGIS'
-- spatial_ref_sys): CREATE EXTENSION objects are not part of the user's schema.
rel AS (
    SELECT c.oid, c.relname, c.relkind, c.reltype, ns.nspname
    FROM pg_catalog.pg_class c
    JOIN ns ON ns.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
      AND NOT c.relispartition
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend e
          WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
            AND e.objid = c.oid AND e.deptype = 'e')
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend e
          WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
            AND e.objid = c.reltype AND e.deptype = 'e')
)
,
-- Enums, domains and range types of those schemas, again without extension-owned ones (e.g.
-- earthdistance's `earth` domain).
usertype AS (
    SELECT t.oid, t.typtype, ns.nspname
    FROM pg_catalog.pg_type t
    JOIN ns ON ns.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r')
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend e
          WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
            AND e.objid = t.oid AND e.deptype = 'e')
),
-- Partitions (any depth) of modelled partitioned tables, for the objects a partition declares
-- itself; the partitions themselves are read by relations.sql.
part AS (
    SELECT c.oid
    FROM pg_catalog.pg_class c
    WHERE c.relispartition
      AND c.relkind IN ('r', 'p', 'f')
      AND pg_catalog.pg_partition_root(c.oid) IN (SELECT oid FROM rel)
)
