-- One row per live column of every modelled relation (and field of every composite type).
-- Ordinals are assigned in Rust from attnum, skipping dropped columns.
SELECT a.attrelid AS relid,
       a.attnum AS attnum,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS sql_type,
       a.atttypmod AS typmod,
       -- int2 from PostgreSQL 16 on, int4 before: one Rust type for every version.
       a.attndims::int4 AS ndims,
       (et.oid IS NOT NULL) AS is_array,
       rtn.nspname AS type_schema,
       rt.typname AS type_name,
       rt.typtype::text AS type_kind,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       -- 's' stored, 'v' virtual (PostgreSQL 18+), '' not generated.
       a.attgenerated::text AS generated_kind,
       -- A column default cannot reference columns, so it is deparsed without its relation:
       -- passing the relid makes the server look the relation up, which in a fresh backend is a
       -- cache miss per table (a third of this query's time on 2,000 tables).
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0) END AS default_expr,
       CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN (
           SELECT CASE WHEN con.nspname = 'pg_catalog' THEN co.collname
                       ELSE con.nspname || '.' || co.collname END
           FROM pg_catalog.pg_collation co
           JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
           WHERE co.oid = a.attcollation) END AS collation,
       d.description AS comment,
       -- Column privileges exist only when granted (no default).
       a.attacl::text[] AS acl
-- Partitions contribute only the columns whose nullability or default differ from their
-- parent's: what a partition declares itself (the rest it inherits).
FROM (SELECT oid, false AS is_part FROM rel UNION ALL SELECT oid, true FROM part) r
JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
-- Arrays are described by their element type; `typlen = -1` keeps fixed-size types with a
-- typelem (name, point) from being mistaken for arrays.
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typelem <> 0 AND t.typlen = -1
JOIN pg_catalog.pg_type rt ON rt.oid = COALESCE(et.oid, t.oid)
JOIN pg_catalog.pg_namespace rtn ON rtn.oid = rt.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = a.attrelid
      AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = a.attnum
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND (NOT r.is_part OR EXISTS (
      SELECT 1
      FROM pg_catalog.pg_inherits i
      JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname
      LEFT JOIN pg_catalog.pg_attrdef pad ON pad.adrelid = pa.attrelid AND pad.adnum = pa.attnum
      WHERE i.inhrelid = a.attrelid
        AND (pa.attnotnull <> a.attnotnull
             OR (a.attgenerated = '' AND pg_catalog.pg_get_expr(pad.adbin, 0) IS DISTINCT FROM pg_catalog.pg_get_expr(ad.adbin, 0)))))
