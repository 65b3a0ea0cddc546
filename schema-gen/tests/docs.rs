//! Markdown docs: golden output for a fixture snapshot, plus structural checks that the
//! Markdown is well formed (table rows have as many cells as their header, every link target
//! exists, code fences balance) so a golden file cannot silently bless broken output.

mod common;

use common::markdown::assert_well_formed;
use schema_gen::docs::{render, write_docs, DocsOptions};
use schema_gen::Snapshot;

fn fixture(name: &str) -> Snapshot {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut s = Snapshot::load(&path).unwrap_or_else(|e| panic!("{e}"));
    s.normalize();
    s
}

#[test]
fn renders_the_shop_fixture() {
    let snap = fixture("shop_v1.json");
    let md = render(&snap, &DocsOptions::default());
    let tables = assert_well_formed(&md);
    assert!(tables >= 10, "expected many tables, got {tables}");
    insta::assert_snapshot!("shop_v1_docs", md);
}

#[test]
fn rendering_is_deterministic() {
    let snap = fixture("shop_v1.json");
    assert_eq!(render(&snap, &DocsOptions::default()), render(&snap.clone(), &DocsOptions::default()));
}

#[test]
fn hostile_names_stay_inside_their_cells() {
    let md = render(&fixture("shop_v1.json"), &DocsOptions::default());
    // The column `weird|col`name` must be one cell: pipe escaped, backtick inside a longer fence.
    assert!(md.contains("| ``weird\\|col`name`` |"), "awkward column name not escaped");
    // A newline in a table comment must not end the paragraph mid-sentence in a table cell.
    assert!(md.contains("People who can sign in.<br>One row per account \\| including admins."));
    assert!(md.contains("Login; unique, case-sensitive &lt;for now&gt;."));
}

#[test]
fn foreign_keys_link_both_ways() {
    let md = render(&fixture("shop_v1.json"), &DocsOptions::default());
    assert!(md.contains("- `orders_user_id_fkey` (`user_id`) → [`public.users`](#table-public-users) (`id`) ON DELETE CASCADE"));
    assert!(md.contains("- [`audit.log`](#table-audit-log) (`user_id`) via `log_user_id_fkey` DEFERRABLE INITIALLY DEFERRED"));
    assert!(md.contains("<a id=\"table-public-room-bookings\"></a>"));
}

#[test]
fn example_queries_quote_identifiers() {
    let md = render(&fixture("shop_v1.json"), &DocsOptions::default());
    assert!(md.contains("SELECT \"id\", \"email\", \"display_name\", \"status\", \"created_at\", \"weird|col`name\"\nFROM \"public\".\"users\"\nWHERE \"id\" = $1;"));
    assert!(md.contains("FROM \"public\".\"Room Bookings\"\nLIMIT 10;"));
}

#[test]
fn large_schemas_get_split_key_only_diagrams() {
    let mut snap = fixture("shop_v1.json");
    let public = snap.schemas.iter_mut().find(|s| s.name == "public").unwrap();
    let template = public.table("orders").unwrap().clone();
    for i in 0..30 {
        let mut t = template.clone();
        t.name = format!("orders_{i:02}");
        public.tables.push(t);
    }
    snap.normalize();
    let opts = DocsOptions { diagram_full_columns_max: 10, diagram_tables_max: 15, ..DocsOptions::default() };
    let md = render(&snap, &opts);
    assert_well_formed(&md);
    assert!(md.contains("_35 tables: diagrams show key columns only, 15 tables per diagram"));
    assert!(md.contains("Part 3 of 3: "));
    // Key-only: `note` is neither a primary nor a foreign key column.
    let diagram = &md[md.find("```mermaid").unwrap()..];
    let diagram = &diagram[..diagram[3..].find("```").unwrap()];
    assert!(!diagram.contains(" note"), "non-key column in a key-only diagram");
    assert!(diagram.contains("bigint user_id FK"));
}

#[test]
fn write_docs_writes_only_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docs/SCHEMA.md");
    let snap = fixture("shop_v1.json");
    assert!(write_docs(&snap, &path, &DocsOptions::default()).unwrap());
    assert!(!write_docs(&snap, &path, &DocsOptions::default()).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), render(&snap, &DocsOptions::default()));
}
