-- One row per sequence of an included schema that no extension owns, without the internal
-- sequences of identity columns (those belong to the column). `OWNED BY` comes from the
-- automatic dependency a serial column (or ALTER SEQUENCE ... OWNED BY) records.
SELECT ns.nspname AS schema,
       c.relname AS name,
       d.description AS comment,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min,
       s.seqmax AS max,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       own.nspname AS owned_schema,
       own.relname AS owned_table,
       own.attname AS owned_column,
       COALESCE(c.relacl, pg_catalog.acldefault('s', c.relowner))::text[] AS acl,
       pg_catalog.pg_get_userbyid(c.relowner)::text AS owner
FROM pg_catalog.pg_class c
JOIN ns ON ns.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
LEFT JOIN LATERAL (
    SELECT tn.nspname, tc.relname, a.attname::text
    FROM pg_catalog.pg_depend dep
    JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid
    JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
    WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND dep.objid = c.oid
      AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND dep.deptype = 'a'
    LIMIT 1) own ON true
WHERE c.relkind = 'S'
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend e
      WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND e.objid = c.oid AND e.deptype IN ('e', 'i'))
