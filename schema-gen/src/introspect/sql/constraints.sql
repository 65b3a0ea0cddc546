,
-- Constraints of modelled tables, and checks of domains in included schemas.
con AS (
    SELECT c.oid, c.conrelid, c.contypid, c.conname, c.contype, c.conkey, c.confrelid, c.confkey,
           c.confupdtype, c.confdeltype, c.confmatchtype, c.condeferrable, c.condeferred, c.conindid,
           c.convalidated,
           c.confdelsetcols,                           -- pg15+
           NULL::int2[] AS confdelsetcols,             -- pg<15
           c.conenforced, c.conperiod                  -- pg18+
           true AS conenforced, false AS conperiod     -- pg<18
    FROM pg_catalog.pg_constraint c
    -- A foreign key that references a partitioned table gets an internal clone per partition
    -- (`..._fkey1 -> parent_2021`, conparentid = the declared one): pg_dump prints only the
    -- declared key, and attaching a partition must not read as a schema change. A partition
    -- keeps only what it declares itself: not the clones of its parent's keys (conparentid),
    -- not inherited checks (conislocal).
    WHERE (c.conrelid IN (SELECT oid FROM rel WHERE relkind IN ('r', 'p', 'f')) AND c.conparentid = 0)
       OR (c.conrelid IN (SELECT oid FROM part) AND c.conparentid = 0 AND c.conislocal AND c.contype IN ('p', 'u', 'f', 'c', 'x'))
       OR c.contypid IN (SELECT oid FROM usertype WHERE typtype = 'd')
)
-- One row per constraint. Key columns come as attnums and are named in Rust from the columns
-- already read (resolving them here costs a join per key column, a third of this query's time);
-- only a foreign key to a relation outside the snapshot (e.g. in an excluded schema) has its
-- referenced column names looked up here.
SELECT con.conrelid AS relid,
       con.contypid AS typid,
       con.conname AS name,
       con.contype::text AS kind,
       COALESCE(con.conkey, '{}') AS keys,
       fn.nspname AS ref_schema,
       fc.relname AS ref_table,
       con.confrelid AS ref_relid,
       COALESCE(con.confkey, '{}') AS ref_keys,
       CASE WHEN con.contype = 'f' AND con.confrelid NOT IN (SELECT oid FROM rel) THEN
           ARRAY(SELECT a.attname::text
                 FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) END AS ref_columns,
       -- A partition's columns are not read, so its key columns are named here.
       CASE WHEN con.conrelid IN (SELECT oid FROM part) THEN
           ARRAY(SELECT a.attname::text
                 FROM pg_catalog.unnest(COALESCE(con.conkey, '{}')) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) END AS key_columns,
       CASE WHEN con.conrelid IN (SELECT oid FROM part) THEN
           ARRAY(SELECT a.attname::text
                 FROM pg_catalog.unnest(COALESCE(con.confdelsetcols, '{}')) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) END AS delete_set_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       COALESCE(ix.indnullsnotdistinct, false) AS nulls_not_distinct,   -- pg15+
       false AS nulls_not_distinct,                                      -- pg<15
       con.convalidated AS validated,
       con.conenforced AS enforced,
       -- WITHOUT OVERLAPS (primary key, unique) or PERIOD (foreign key) on the last key column.
       con.conperiod AS period,
       -- ON DELETE SET NULL / SET DEFAULT (columns): the columns, when a subset is named.
       COALESCE(con.confdelsetcols, '{}') AS delete_set_keys,
       CASE WHEN con.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(con.oid, true) END AS definition
FROM con
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = con.conindid AND con.contype = 'u'
