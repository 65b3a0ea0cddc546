//! Docs of a really introspected database (the introspection fixture with every object kind
//! and hostile names) are well-formed Markdown with working links.

mod common;

use common::markdown::assert_well_formed;
use schema_gen::docs::{render, DocsOptions};
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use test_support::TestDb;

fn fixture_sql(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn kitchen_sink_docs_are_well_formed() {
    let db = TestDb::with_sql("docs_live_ks", &fixture_sql("kitchen_sink.sql"));
    let snap = introspect_url(db.url(), &IntrospectOptions::default()).unwrap();
    let md = render(&snap, &DocsOptions::default());
    let tables = assert_well_formed(&md);
    assert!(tables > 10, "{tables} tables");
    assert!(md.contains("```mermaid\nerDiagram\n"));
}

#[test]
fn nasty_names_docs_are_well_formed() {
    let db = TestDb::with_sql("docs_live_nasty", &fixture_sql("nasty_names.sql"));
    let snap = introspect_url(db.url(), &IntrospectOptions::default()).unwrap();
    let md = render(&snap, &DocsOptions::default());
    assert_well_formed(&md);
    // Every table gets a quoted example query.
    let tables: usize = snap.schemas.iter().map(|s| s.tables.len()).sum();
    assert_eq!(md.matches("**Example query**").count(), tables);
}
