-- One row per row-level security policy of a modelled table.
SELECT pol.polrelid AS relid,
       pol.polname AS name,
       pol.polcmd::text AS command,
       NOT pol.polpermissive AS restrictive,
       ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r.oid)::text END
             FROM pg_catalog.unnest(pol.polroles) r(oid) ORDER BY 1) AS roles,
       pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr
FROM pg_catalog.pg_policy pol
WHERE pol.polrelid IN (SELECT oid FROM rel WHERE relkind IN ('r', 'p'))
   OR pol.polrelid IN (SELECT oid FROM part)
