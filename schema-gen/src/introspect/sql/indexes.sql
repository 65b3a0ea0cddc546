,
-- Indexes of modelled tables and materialized views, and partitions' own.
idx AS (
    SELECT i.indexrelid, i.indrelid, i.indisunique, i.indisprimary, i.indisvalid,
           i.indnullsnotdistinct,                      -- pg15+
           false AS indnullsnotdistinct,               -- pg<15
           i.indnkeyatts, i.indkey, i.indclass, i.indcollation, i.indoption, i.indpred,
           i.indexprs IS NULL AS no_exprs, r.relkind, r.relname, r.nspname
    FROM (SELECT rel.oid, rel.relkind, rel.relname, rel.nspname, false AS partition
          FROM rel
          WHERE rel.relkind IN ('r', 'p', 'm')
          UNION ALL
          SELECT pc.oid, pc.relkind, pc.relname, pn.nspname, true
          FROM part
          JOIN pg_catalog.pg_class pc ON pc.oid = part.oid
          JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace) r
    JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
    -- A partition's own indexes only: not partitions of an index of its parent.
    WHERE NOT (r.partition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = i.indexrelid))
),
-- Every index column (keys, then INCLUDE columns), resolved set-wise: the raw name of a plain
-- column, the expression as PostgreSQL prints it otherwise. `plain` marks a key column that
-- pg_get_indexdef would print as just its quoted name: no expression, no DESC/NULLS FIRST, the
-- column's own collation, and the default operator class for exactly the column's type.
parts AS (
    SELECT k.indexrelid,
           k.n,
           k.n <= k.indnkeyatts AS is_key,
           CASE WHEN k.attnum <> 0 THEN a.attname::text
                ELSE pg_catalog.pg_get_indexdef(k.indexrelid, k.n::int4, true) END AS part,
           k.attnum <> 0
             AND (k.n > k.indnkeyatts
                  OR (k.indoption[k.n - 1] = 0
                      AND k.indcollation[k.n - 1] = a.attcollation
                      AND oc.opcdefault AND oc.opcintype = a.atttypid)) AS plain
    FROM (SELECT idx.indexrelid, idx.indrelid, idx.indnkeyatts, idx.indclass, idx.indcollation,
                 idx.indoption, u.attnum, u.n
          FROM idx, pg_catalog.unnest(idx.indkey::int2[]) WITH ORDINALITY u(attnum, n)) k
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = k.indrelid AND a.attnum = k.attnum
    LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = k.indclass[k.n - 1] AND k.n <= k.indnkeyatts
),
-- Per index: the parts, whether all are plain, and (for the fast definition below) the quoted
-- key and INCLUDE column lists, aggregated in the same pass.
cols AS (
    SELECT parts.indexrelid,
           pg_catalog.array_agg(parts.part ORDER BY parts.n) AS parts,
           pg_catalog.bool_and(parts.plain) AS plain,
           pg_catalog.string_agg(pg_catalog.quote_ident(parts.part), ', ' ORDER BY parts.n) FILTER (WHERE parts.is_key) AS key_list,
           pg_catalog.string_agg(pg_catalog.quote_ident(parts.part), ', ' ORDER BY parts.n) FILTER (WHERE NOT parts.is_key) AS include_list
    FROM parts
    GROUP BY parts.indexrelid
)
-- One row per index.
SELECT idx.indrelid AS relid,
       ic.relname AS name,
       idx.indisunique AS is_unique,
       idx.indisprimary AS is_primary,
       idx.indnullsnotdistinct AS nulls_not_distinct,
       -- An index whose CREATE INDEX CONCURRENTLY failed (or is still running): not used by
       -- queries, not enforcing uniqueness.
       NOT idx.indisvalid AS invalid,
       am.amname AS method,
       idx.indnkeyatts::int4 AS nkeys,
       cols.parts AS parts,
       pg_catalog.pg_get_expr(idx.indpred, idx.indrelid, true) AS predicate,
       con.conname AS constraint_name,
       -- pg_get_indexdef costs tens of microseconds per index (it is the most expensive call
       -- of an introspection), so the common shape (plain columns, no predicate, no options)
       -- is spelled here exactly as pg_get_indexdef spells it; anything else asks the server.
       -- The fast path is verified against pg_get_indexdef by the test suite.
       CASE WHEN cols.plain AND idx.no_exprs AND idx.indpred IS NULL AND ic.reloptions IS NULL THEN
           'CREATE ' || CASE WHEN idx.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
           || pg_catalog.quote_ident(ic.relname) || ' ON '
           || CASE WHEN idx.relkind = 'p' THEN 'ONLY ' ELSE '' END
           || pg_catalog.quote_ident(idx.nspname) || '.' || pg_catalog.quote_ident(idx.relname)
           || ' USING ' || pg_catalog.quote_ident(am.amname) || ' (' || cols.key_list
           || COALESCE(') INCLUDE (' || cols.include_list, '')
           || ')'
           || CASE WHEN idx.indnullsnotdistinct THEN ' NULLS NOT DISTINCT' ELSE '' END
       ELSE pg_catalog.pg_get_indexdef(idx.indexrelid) END AS definition
FROM idx
JOIN cols ON cols.indexrelid = idx.indexrelid
JOIN pg_catalog.pg_class ic ON ic.oid = idx.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
-- conindid is also set on foreign keys (to the referenced unique index), hence the filter.
LEFT JOIN pg_catalog.pg_constraint con
       ON con.conindid = idx.indexrelid AND con.conrelid = idx.indrelid AND con.contype IN ('p', 'u', 'x')
