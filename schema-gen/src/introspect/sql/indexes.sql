-- One row per index of a modelled table or materialized view.
-- `parts` holds every index column (keys then INCLUDE columns): the raw column name for a plain
-- column, the expression as PostgreSQL prints it otherwise; Rust splits it at `nkeys`.
SELECT i.indrelid AS relid,
       ic.relname AS name,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       am.amname AS method,
       i.indnkeyatts::int4 AS nkeys,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] <> 0 THEN a.attname::text
                         ELSE pg_catalog.pg_get_indexdef(i.indexrelid, k, true) END
             FROM pg_catalog.generate_series(1, i.indnatts::int4) k
             LEFT JOIN pg_catalog.pg_attribute a
                    ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
             ORDER BY k) AS parts,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       con.conname AS constraint_name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
FROM rel
JOIN pg_catalog.pg_index i ON i.indrelid = rel.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
-- conindid is also set on foreign keys (to the referenced unique index), hence the filter.
LEFT JOIN pg_catalog.pg_constraint con
       ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
WHERE rel.relkind IN ('r', 'p', 'm')
