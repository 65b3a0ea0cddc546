-- One row per enum, domain or range type of an included schema that no extension owns.
-- Enums carry their labels in sort order; domains their base type (resolved like a column's).
-- Domain check constraints come from constraints.sql.
SELECT t.oid AS typid,
       ut.nspname AS schema,
       t.typname AS name,
       t.typtype::text AS kind,
       d.description AS comment,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS sql_type,
       t.typtypmod AS typmod,
       t.typndims AS ndims,
       (et.oid IS NOT NULL) AS is_array,
       rtn.nspname AS type_schema,
       rt.typname AS type_name,
       rt.typtype::text AS type_kind,
       t.typnotnull AS not_null,
       CASE WHEN t.typtype = 'r' THEN pg_catalog.format_type(rng.rngsubtype, NULL) END AS range_subtype,
       mrt.typname AS multirange,                                         -- pg14+
       NULL::name AS multirange,                                          -- pg<14
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       CASE WHEN t.typcollation <> bt.typcollation AND t.typcollation <> 0 THEN (
           SELECT CASE WHEN con.nspname = 'pg_catalog' THEN co.collname
                       ELSE con.nspname || '.' || co.collname END
           FROM pg_catalog.pg_collation co
           JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
           WHERE co.oid = t.typcollation) END AS collation
FROM usertype ut
JOIN pg_catalog.pg_type t ON t.oid = ut.oid
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
LEFT JOIN pg_catalog.pg_type et ON et.oid = bt.typelem AND bt.typelem <> 0 AND bt.typlen = -1
LEFT JOIN pg_catalog.pg_type rt ON rt.oid = COALESCE(et.oid, bt.oid)
LEFT JOIN pg_catalog.pg_namespace rtn ON rtn.oid = rt.typnamespace
LEFT JOIN pg_catalog.pg_range rng ON rng.rngtypid = t.oid
LEFT JOIN pg_catalog.pg_type mrt ON mrt.oid = rng.rngmultitypid               -- pg14+
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
