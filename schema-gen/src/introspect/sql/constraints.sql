,
-- Constraints of modelled tables, and checks of domains in included schemas.
con AS (
    SELECT c.oid, c.conrelid, c.contypid, c.conname, c.contype, c.conkey, c.confrelid, c.confkey,
           c.confupdtype, c.confdeltype, c.confmatchtype, c.condeferrable, c.condeferred, c.conindid
    FROM pg_catalog.pg_constraint c
    WHERE c.conrelid IN (SELECT oid FROM rel WHERE relkind IN ('r', 'p', 'f'))
    UNION ALL
    SELECT c.oid, c.conrelid, c.contypid, c.conname, c.contype, c.conkey, c.confrelid, c.confkey,
           c.confupdtype, c.confdeltype, c.confmatchtype, c.condeferrable, c.condeferred, c.conindid
    FROM pg_catalog.pg_constraint c
    JOIN usertype ON usertype.oid = c.contypid
    WHERE usertype.typtype = 'd'
),
-- Column names of every key, resolved set-wise (one join, not a subquery per constraint).
keys AS (
    SELECT k.oid, pg_catalog.array_agg(a.attname::text ORDER BY k.ord) AS names
    FROM (SELECT con.oid, con.conrelid, u.attnum, u.ord
          FROM con, pg_catalog.unnest(con.conkey) WITH ORDINALITY u(attnum, ord)) k
    JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.attnum
    GROUP BY k.oid
),
fkeys AS (
    SELECT k.oid, pg_catalog.array_agg(a.attname::text ORDER BY k.ord) AS names
    FROM (SELECT con.oid, con.confrelid, u.attnum, u.ord
          FROM con, pg_catalog.unnest(con.confkey) WITH ORDINALITY u(attnum, ord)
          WHERE con.contype = 'f') k
    JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = k.attnum
    GROUP BY k.oid
)
-- One row per constraint.
SELECT con.conrelid AS relid,
       con.contypid AS typid,
       con.conname AS name,
       con.contype::text AS kind,
       COALESCE(keys.names, '{}') AS columns,
       fn.nspname AS ref_schema,
       fc.relname AS ref_table,
       COALESCE(fkeys.names, '{}') AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       COALESCE(ix.indnullsnotdistinct, false) AS nulls_not_distinct,
       CASE WHEN con.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(con.oid, true) END AS definition
FROM con
LEFT JOIN keys ON keys.oid = con.oid
LEFT JOIN fkeys ON fkeys.oid = con.oid
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = con.conindid AND con.contype = 'u'
