//! PostgreSQL's scoping and the inferred result shape, on the fixture snapshot of
//! `schema-gen/tests/fixtures/queries/schema.sql` (the differential test proves the same
//! verdicts against real servers; these pin the hard cases one by one).

use schema_core::Snapshot;
use schema_queries::{check_sql, Catalog, Options};

fn catalog() -> Catalog {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema-gen/tests/fixtures/queries/snapshot.json");
    let text = std::fs::read_to_string(path).unwrap();
    Catalog::new(&Snapshot::from_json(&text, path).unwrap())
}

/// `rule@token` for every diagnostic (the token is the text at its offset).
fn errs(sql: &str) -> Vec<String> {
    let c = check_sql(&catalog(), &Options::default(), sql, None);
    c.diagnostics
        .iter()
        .map(|d| {
            let token: String = sql[d.offset..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '"' || *c == '*').collect();
            format!("{}@{token}", d.rule)
        })
        .collect()
}

/// `name:type:null|notnull` of the last statement's columns.
fn shape(sql: &str) -> Vec<String> {
    let c = check_sql(&catalog(), &Options::default(), sql, None);
    assert!(c.diagnostics.is_empty(), "{sql}: {:?}", c.diagnostics);
    c.statements.last().and_then(|s| s.columns.clone()).expect("inferred columns").iter().map(|c| format!("{}:{}:{}", c.name, c.typname.as_deref().unwrap_or("?"), if c.nullable { "null" } else { "notnull" })).collect()
}

#[test]
fn lateral_sees_earlier_items_and_plain_subqueries_do_not() {
    assert!(errs("SELECT x.n FROM users u, LATERAL (SELECT count(*) AS n FROM orders WHERE user_id = u.id) x").is_empty());
    assert_eq!(errs("SELECT x.n FROM users u, (SELECT count(*) AS n FROM orders WHERE user_id = u.id) x"), ["query-unknown-alias@u.id"]);
    assert!(errs("SELECT t.tag FROM users u CROSS JOIN LATERAL unnest(ARRAY[u.email]) AS t(tag)").is_empty());
}

#[test]
fn using_merges_columns_and_an_aliased_join_hides_its_children() {
    assert!(errs("SELECT id, email, total FROM users JOIN orders USING (id)").is_empty());
    assert_eq!(errs("SELECT id FROM users JOIN orders ON orders.id = users.id"), ["query-ambiguous-column@id"]);
    assert_eq!(errs("SELECT users.email FROM (users JOIN orders USING (id)) AS j"), ["query-unknown-alias@users.email"]);
    assert!(errs("SELECT id, email FROM users NATURAL JOIN user_totals").is_empty());
    assert_eq!(errs("SELECT 1 FROM users JOIN orders USING (nope)"), ["query-unknown-column@orders"]);
}

#[test]
fn ctes_shadow_tables_and_recursive_ones_see_themselves() {
    assert!(errs("WITH users AS (SELECT 1 AS uid) SELECT uid FROM users").is_empty());
    assert_eq!(errs("WITH users AS (SELECT 1 AS uid) SELECT email FROM users"), ["query-unknown-column@email"]);
    assert!(errs("WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n").is_empty());
    assert_eq!(errs("WITH t(a) AS (SELECT id FROM users) SELECT id FROM t"), ["query-unknown-column@id"]);
}

#[test]
fn correlated_subqueries_system_columns_and_quoted_names() {
    assert!(errs("SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)").is_empty());
    assert!(errs("SELECT ctid, xmin, tableoid FROM users").is_empty());
    assert_eq!(errs("SELECT ctid FROM user_totals"), ["query-unknown-column@ctid"]);
    assert!(errs("SELECT \"Event\" FROM \"Audit Log\"").is_empty());
    assert_eq!(errs("SELECT Event FROM \"Audit Log\""), ["query-unknown-column@Event"]);
    assert_eq!(errs("SELECT id FROM \"audit log\""), ["query-unknown-table@\"audit"]);
}

#[test]
fn output_names_in_order_by_but_not_in_where() {
    assert!(errs("SELECT id AS ident FROM users ORDER BY ident").is_empty());
    assert_eq!(errs("SELECT id AS ident FROM users WHERE ident = 1"), ["query-unknown-column@ident"]);
    assert_eq!(errs("SELECT id FROM users UNION SELECT user_id FROM orders ORDER BY user_id"), ["query-unknown-column@user_id"]);
}

#[test]
fn writes_required_generated_and_upsert_scopes() {
    assert_eq!(errs("INSERT INTO orders (user_id) VALUES (1)"), ["query-insert-missing-required@orders"]);
    assert!(errs("INSERT INTO orders (user_id, total, total_cents) VALUES (1, 2, DEFAULT)").is_empty());
    assert_eq!(errs("INSERT INTO users (id, email) VALUES (1, 'x')"), ["query-write-generated@id"]);
    assert!(errs("INSERT INTO users (id, email) OVERRIDING SYSTEM VALUE VALUES (1, 'x')").is_empty());
    assert_eq!(errs("UPDATE users SET id = 5"), ["query-write-generated@id"]);
    assert!(errs("INSERT INTO order_items (order_id, line, sku) VALUES (1, 1, 'x') ON CONFLICT (order_id, line) DO UPDATE SET qty = excluded.qty + order_items.qty").is_empty());
    assert_eq!(errs("INSERT INTO order_items (order_id, line, sku) VALUES (1, 1, 'x') ON CONFLICT (order_id, lin) DO NOTHING"), ["query-unknown-column@lin"]);
}

#[test]
fn parameters_gaps_and_bound_values() {
    let c = check_sql(&catalog(), &Options::default(), "SELECT id FROM users WHERE id = $1 AND score = $1", Some(1));
    assert!(c.diagnostics.is_empty());
    let c = check_sql(&catalog(), &Options::default(), "SELECT id FROM users WHERE id = $2", Some(2));
    assert_eq!(c.diagnostics.iter().map(|d| d.rule).collect::<Vec<_>>(), ["query-param-count"]);
    let c = check_sql(&catalog(), &Options::default(), "SELECT 1; SELECT $1", Some(0));
    assert_eq!(c.diagnostics[0].message, "the statement uses $1 but 0 values are bound");
}

#[test]
fn syntax_errors_point_at_the_token() {
    assert_eq!(errs("SELECT id, FROM users"), ["query-syntax-error@FROM"]);
    assert_eq!(errs("SELECT id FROM users WHERE"), ["query-syntax-error@"]);
}

#[test]
fn nullability_follows_outer_joins_and_proofs() {
    assert_eq!(shape("SELECT u.id, o.total FROM users u LEFT JOIN orders o ON o.user_id = u.id"), ["id:int8:notnull", "total:numeric:null"]);
    assert_eq!(shape("SELECT u.email, o.total FROM users u FULL JOIN orders o ON o.user_id = u.id"), ["email:text:null", "total:numeric:null"]);
    assert_eq!(shape("SELECT o.total FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.total IS NOT NULL"), ["total:numeric:notnull"]);
    assert_eq!(shape("SELECT name, score FROM users WHERE score > 1"), ["name:text:null", "score:int4:notnull"]);
    assert_eq!(shape("SELECT coalesce(name, email) AS label, coalesce(score, NULL) AS s, count(*) FROM users GROUP BY 1, 2"), ["label:text:notnull", "s:int4:null", "count:int8:notnull"]);
    assert_eq!(shape("SELECT id, email FROM users UNION ALL SELECT id, note FROM orders"), ["id:int8:notnull", "email:text:null"]);
    assert_eq!(shape("INSERT INTO users (email) VALUES ('x') RETURNING id, created_at, name"), ["id:int8:notnull", "created_at:timestamptz:notnull", "name:text:null"]);
    // A view's columns as the snapshot has them: `id` proven NOT NULL by introspection.
    assert_eq!(shape("SELECT id, spent FROM user_totals"), ["id:int8:notnull", "spent:numeric:null"]);
    // Whole rows: NULL on the outer-joined side only.
    assert_eq!(shape("SELECT u AS a, o AS b FROM users u LEFT JOIN orders o ON o.user_id = u.id"), ["a:?:notnull", "b:?:null"]);
}

#[test]
fn truncated_and_odd_input_never_panics() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema-gen/tests/fixtures/queries/corpus.sql");
    let corpus = std::fs::read_to_string(path).unwrap();
    let cat = catalog();
    let mut checked = 0;
    for stmt in corpus.split("\n\n").filter(|s| !s.starts_with("--")) {
        for (i, _) in stmt.char_indices().step_by(3) {
            let c = check_sql(&cat, &Options::default(), &stmt[..i], Some(1));
            assert!(c.diagnostics.iter().all(|d| d.offset <= i), "{:?}", &stmt[..i]);
            checked += 1;
        }
    }
    for odd in ["", ";", "-- only a comment", "$", "$1$", "SELECT $$unterminated", "SELECT '\0'", "SELECT \u{0}", "SELECT 'ünï' AS \"ç\" FROM users"] {
        check_sql(&cat, &Options::default(), odd, None);
    }
    assert!(checked > 2000, "{checked}");
}
