-- One row per function, procedure or aggregate of an included schema that no extension owns
-- and that is not part of another object (deptype 'i': a range type's constructors, and on 14+
-- its multirange's, come and go with the type).
-- Signatures as PostgreSQL identifies and prints them; the body travels too and is dropped in
-- Rust unless asked for.
SELECT ns.nspname AS schema,
       p.proname AS name,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END AS result,
       p.prokind::text AS kind,
       l.lanname AS language,
       p.provolatile::text AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       d.description AS comment,
       CASE WHEN p.prokind <> 'a' THEN p.prosrc END AS body,
       COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))::text[] AS acl,
       pg_catalog.pg_get_userbyid(p.proowner)::text AS owner,
       -- Aggregates: how they are built (what `CREATE AGGREGATE` needs), spelled as pg_dump
       -- does; regproc prints a function schema-qualified unless it is in pg_catalog.
       agg.aggkind::text AS agg_kind,
       agg.aggtransfn::pg_catalog.regproc::text AS agg_transition,
       pg_catalog.format_type(agg.aggtranstype, NULL) AS agg_state_type,
       CASE WHEN agg.aggfinalfn <> 0 THEN agg.aggfinalfn::pg_catalog.regproc::text END AS agg_final,
       CASE WHEN agg.aggcombinefn <> 0 THEN agg.aggcombinefn::pg_catalog.regproc::text END AS agg_combine,
       agg.agginitval AS agg_initial
FROM pg_catalog.pg_proc p
JOIN ns ON ns.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_aggregate agg ON agg.aggfnoid = p.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objsubid = 0
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend e
    WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
      AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
