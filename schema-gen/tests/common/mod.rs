//! Helpers shared by the integration tests: fixtures and one-call introspection.

#![allow(dead_code)]

use schema_gen::introspect::{introspect, IntrospectOptions};
use schema_gen::Snapshot;
use test_support::TestDb;

/// The SQL of `tests/fixtures/<name>.sql`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.sql", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read fixture `{path}`: {e}"))
}

/// A throwaway database loaded with the named fixtures, in order.
pub fn db_with(label: &str, fixtures: &[&str]) -> TestDb {
    let sql: Vec<String> = fixtures.iter().map(|f| fixture(f)).collect();
    TestDb::with_sql(label, &sql.join("\n"))
}

/// Introspects `db` with default options.
pub fn snapshot(db: &TestDb) -> Snapshot {
    snapshot_with(db, &IntrospectOptions::default())
}

/// Introspects `db` with `options`.
pub fn snapshot_with(db: &TestDb, options: &IntrospectOptions) -> Snapshot {
    let mut client = db.client();
    introspect(&mut client, options).unwrap_or_else(|e| panic!("introspection failed: {e}"))
}

/// Schema names of a snapshot, in order.
pub fn schema_names(s: &Snapshot) -> Vec<&str> {
    s.schemas.iter().map(|s| s.name.as_str()).collect()
}

pub mod markdown;
pub mod run;
