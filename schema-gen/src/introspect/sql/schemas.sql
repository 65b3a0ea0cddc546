-- One row per schema: name, comment and effective privileges (decoded in Rust).
SELECT ns.nspname AS name, d.description AS comment,
       COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner))::text[] AS acl,
       pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner
FROM ns
JOIN pg_catalog.pg_namespace n ON n.oid = ns.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = ns.oid
      AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.objsubid = 0
