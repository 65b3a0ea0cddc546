//! Markdown docs: golden output for a fixture snapshot, plus structural checks that the
//! Markdown is well formed (table rows have as many cells as their header, every link target
//! exists, code fences balance) so a golden file cannot silently bless broken output.

use std::collections::BTreeSet;

use schema_gen::docs::{render, write_docs, DocsOptions};
use schema_gen::Snapshot;

fn fixture(name: &str) -> Snapshot {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut s = Snapshot::load(&path).unwrap_or_else(|e| panic!("{e}"));
    s.normalize();
    s
}

/// Counts the cells of a GFM table row: unescaped pipes, minus the outer two.
fn cells(row: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n - 1
}

/// Checks tables, anchors and fences of a rendered document; returns the number of tables.
fn assert_well_formed(md: &str) -> usize {
    let mut tables = 0;
    let mut in_fence: Option<String> = None;
    let mut header_cells: Option<usize> = None;
    for (i, line) in md.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            if trimmed == fence {
                in_fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            let fence: String = trimmed.chars().take_while(|c| *c == '`').collect();
            in_fence = Some(fence);
            continue;
        }
        if line.starts_with('|') {
            assert!(line.ends_with('|'), "line {}: table row must end with a pipe: {line}", i + 1);
            match header_cells {
                None => {
                    header_cells = Some(cells(line));
                    tables += 1;
                }
                Some(n) => assert_eq!(cells(line), n, "line {}: cell count differs from the header: {line}", i + 1),
            }
        } else {
            header_cells = None;
        }
    }
    assert!(in_fence.is_none(), "unterminated code fence");

    let ids: BTreeSet<&str> = md.match_indices("<a id=\"").map(|(i, _)| {
        let rest = &md[i + 7..];
        &rest[..rest.find('"').unwrap()]
    }).collect();
    let mut links = 0;
    for (i, _) in md.match_indices("](#") {
        let rest = &md[i + 3..];
        let target = &rest[..rest.find(')').unwrap()];
        assert!(ids.contains(target), "link to missing anchor #{target}");
        links += 1;
    }
    assert!(links > 0, "expected cross-reference links");
    tables
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
