//! Lint output formats on the committed demo snapshot (offline): SARIF 2.1.0 structure and
//! physical locations, GitHub annotations, JSON and Markdown.
//!
//! The SARIF checks cover the parts of the SARIF 2.1.0 schema pgcanon emits and the rules
//! code-scanning uploads enforce: required properties, the level enum, `ruleIndex`
//! consistency, and a `startLine` that points at the object's `"name"` line in the file.

mod common;

use common::run::{run_in, stdout};
use serde_json::Value;

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn lint(format: &str) -> String {
    let o = run_in(Some(&repo()), &["lint", "schema/snapshot.json", "--format", format, "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::run::stderr(&o));
    stdout(&o)
}

#[test]
fn sarif_is_valid_2_1_0_and_points_at_snapshot_lines() {
    let log: Value = serde_json::from_str(&lint("sarif")).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "pgcanon");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    let snapshot = std::fs::read_to_string(repo().join("schema/snapshot.json")).unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 5);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(ids[r["ruleIndex"].as_u64().unwrap() as usize], id);
        assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0];
        let logical = loc["logicalLocations"][0]["fullyQualifiedName"].as_str().unwrap();
        let phys = &loc["physicalLocation"];
        assert_eq!(phys["artifactLocation"]["uri"], "schema/snapshot.json");
        let line = phys["region"]["startLine"].as_u64().unwrap() as usize;
        assert!(line >= 1);
        let last = logical.rsplit('.').next().unwrap();
        let text = snapshot.lines().nth(line - 1).unwrap();
        assert_eq!(text.trim(), format!("\"name\": {},", serde_json::to_string(last).unwrap()), "{id} {logical} -> line {line}");
        assert!(r["partialFingerprints"]["pgcanonKey/v1"].as_str().unwrap().starts_with(&format!("{id}:")));
    }
}

#[test]
fn github_json_and_markdown() {
    let gh = lint("github");
    assert!(gh.lines().any(|l| l.starts_with("::error file=schema/snapshot.json,line=") && l.contains(",title=table-no-primary-key::billing.audit_log: has no primary key")), "{gh}");
    let json: Value = serde_json::from_str(&lint("json")).unwrap();
    assert!(json["summary"]["error"].as_u64().unwrap() > 0);
    assert!(json["findings"].as_array().unwrap().iter().any(|f| f["key"] == "table-no-primary-key:billing.audit_log"));
    let md = lint("markdown");
    for row in md.lines().filter(|l| l.starts_with("| ")) {
        assert_eq!(row.matches(" | ").count(), 4, "a row of five cells: {row}");
    }
    assert!(md.contains("| error | `table-no-primary-key` | `billing.audit_log` | has no primary key |"), "{md}");
}
