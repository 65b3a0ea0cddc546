-- One row per modelled relation, then one row per partition (any depth).
-- Partition rows carry their parent's oid; the tree is assembled in Rust, so nesting depth costs
-- no extra round trip. Partitions may live in a schema that is not itself included.
SELECT rel.oid AS relid,
       rel.nspname AS schema,
       rel.relname AS name,
       rel.relkind::text AS kind,
       -- COMMENT ON TYPE of a composite is attached to its pg_type row, not its pg_class row.
       CASE WHEN rel.relkind = 'c' THEN td.description ELSE cd.description END AS comment,
       CASE WHEN rel.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(rel.oid, true) END AS view_definition,
       CASE WHEN rel.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(rel.oid) END AS partition_key,
       NULL::pg_catalog.oid AS parent,
       NULL::text AS bound,
       rc.relpersistence = 'u' AS unlogged,
       COALESCE(rc.reloptions::text[], '{}') AS storage_options,
       rc.relrowsecurity AS row_security,
       rc.relforcerowsecurity AS force_row_security,
       -- Effective privileges (the default when never granted or revoked), decoded in Rust.
       COALESCE(rc.relacl, pg_catalog.acldefault('r', rc.relowner))::text[] AS acl,
       pg_catalog.pg_get_userbyid(rc.relowner)::text AS owner
FROM rel
JOIN pg_catalog.pg_class rc ON rc.oid = rel.oid
LEFT JOIN pg_catalog.pg_description cd
       ON cd.objoid = rel.oid AND cd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND cd.objsubid = 0
LEFT JOIN pg_catalog.pg_description td
       ON td.objoid = rel.reltype AND td.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND td.objsubid = 0
UNION ALL
SELECT c.oid,
       n.nspname,
       c.relname,
       'partition',
       NULL,
       NULL,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
       i.inhparent,
       pg_catalog.pg_get_expr(c.relpartbound, c.oid),
       c.relpersistence = 'u',
       COALESCE(c.reloptions::text[], '{}'),
       c.relrowsecurity,
       c.relforcerowsecurity,
       COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))::text[],
       pg_catalog.pg_get_userbyid(c.relowner)::text
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
WHERE c.relispartition
  AND c.relkind IN ('r', 'p', 'f')
