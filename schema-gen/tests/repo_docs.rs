//! The repository's own committed docs (`schema/SCHEMA.md`) are current with its committed
//! snapshot: the same gate `schema-gen check` runs in CI, on this repository.

use std::path::Path;

use schema_gen::docs::DocsOptions;
use schema_gen::gate::{check_docs, Verdict};
use schema_gen::Snapshot;

#[test]
fn committed_schema_docs_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let snapshot = Snapshot::load(root.join("schema/snapshot.json")).unwrap_or_else(|e| panic!("{e}"));
    let fix = "schema-gen docs --snapshot schema/snapshot.json --out schema/SCHEMA.md";
    let status = check_docs(&snapshot, "schema/snapshot.json", &root.join("schema/SCHEMA.md"), &DocsOptions::default(), fix).unwrap();
    assert_eq!(status.verdict, Verdict::Current, "schema/SCHEMA.md is out of date; run from the repository root: {fix}");
}

/// The CI gate itself, on this repository: `schema/demo.sql` loaded into a real database must
/// match the committed snapshot, and the committed docs must match the snapshot.
#[test]
fn schema_gen_check_passes_on_the_demo_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let demo_sql = std::fs::read_to_string(root.join("schema/demo.sql")).unwrap();
    let db = test_support::TestDb::with_sql("repo_check", &demo_sql);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schema-gen"))
        .current_dir(&root)
        .args(["check", "--snapshot", "schema/snapshot.json", "--docs", "schema/SCHEMA.md", "--database-url", db.url()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the committed demo snapshot or docs are stale; refresh them with `PGCANON_DATABASE_URL=<db with schema/demo.sql> cargo build`\n{stdout}{stderr}"
    );
    assert!(stdout.ends_with("no findings; 2 artifacts checked: 2 current\n"), "{stdout}");
}
