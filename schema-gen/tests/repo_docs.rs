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
