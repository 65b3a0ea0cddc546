-- One row per collation of an included schema that no extension owns (the built-in ones live
-- in pg_catalog).
SELECT ns.nspname AS schema,
       co.collname AS name,
       co.collprovider::text AS provider,
       co.collcollate AS lc_collate,
       co.collctype AS lc_ctype,
       co.colllocale AS icu_locale,                                       -- pg17+
       co.colliculocale AS icu_locale,                                    -- pg15-16
       NULL::text AS icu_locale,                                          -- pg<15
       co.collisdeterministic AS deterministic
FROM pg_catalog.pg_collation co
JOIN ns ON ns.oid = co.collnamespace
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend e
    WHERE e.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass
      AND e.objid = co.oid AND e.deptype = 'e')
