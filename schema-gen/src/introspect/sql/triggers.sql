-- One row per user trigger of a modelled table or view, or of a partition that declares it
-- itself (not a clone of its parent's, tgparentid). Internal triggers (those implementing
-- foreign keys) are not the user's and are left out.
SELECT t.tgrelid AS relid,
       t.tgname AS name,
       t.tgtype::int4 AS tgtype,
       pn.nspname || '.' || p.proname AS function,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition
FROM (SELECT oid FROM rel UNION ALL SELECT oid FROM part) r
JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
