//! Docs of a really introspected database (the introspection fixture with every object kind
//! and hostile names) are well-formed Markdown with working links.

mod common;

use common::markdown::assert_well_formed;
use common::{db_with, snapshot};
use schema_gen::docs::{render, DocsOptions};

#[test]
fn kitchen_sink_docs_are_well_formed() {
    let snap = snapshot(&db_with("docs_live_ks", &["kitchen_sink"]));
    let md = render(&snap, &DocsOptions::default());
    let tables = assert_well_formed(&md);
    assert!(tables > 10, "{tables} tables");
    assert!(md.contains("```mermaid\nerDiagram\n"));
}

#[test]
fn nasty_names_docs_are_well_formed() {
    let snap = snapshot(&db_with("docs_live_nasty", &["nasty_names"]));
    let md = render(&snap, &DocsOptions::default());
    assert_well_formed(&md);
    // Every table gets a quoted example query.
    let tables: usize = snap.schemas.iter().map(|s| s.tables.len()).sum();
    assert_eq!(md.matches("**Example query**").count(), tables);
}
