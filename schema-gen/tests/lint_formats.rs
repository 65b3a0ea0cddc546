//! Lint output formats on the committed demo snapshot (offline): SARIF 2.1.0 structure and
//! physical locations, GitHub annotations, JSON and Markdown.
//!
//! Every SARIF log pgcanon writes (`lint`, `models`, `check`) is validated against the
//! published SARIF 2.1.0 JSON schema, vendored in `fixtures/sarif/`; beyond the schema, the
//! checks cover what code-scanning uploads enforce: `ruleIndex` consistency, and a `startLine`
//! that points at the object's `"name"` line in the file.

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

/// The published SARIF 2.1.0 schema, with format checks (`uri`, `uri-reference`) on.
///
/// Two patterns of the published file are repaired in memory: `run.language` and
/// `toolComponent.language` share `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, whose stray `]`
/// Rust's regex engines reject (ECMA-262 reads it as a literal); its evident intent is `ll` or
/// `ll-CC`. pgcanon never
/// writes `language`, so the repair cannot make its output pass.
fn sarif_validator() -> jsonschema::Validator {
    let path = format!("{}/tests/fixtures/sarif/sarif-schema-2.1.0.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(broken).count(), 2, "the vendored schema changed: revisit the repair");
    let schema: Value = serde_json::from_str(&text.replace(broken, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#)).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap_or_else(|e| panic!("the SARIF schema compiles: {e}"))
}

/// Panics with every schema violation of `log`.
fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value, what: &str) {
    let errors: Vec<String> = validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: SARIF violates the 2.1.0 schema:\n{}", errors.join("\n"));
}

#[test]
fn sarif_of_lint_models_and_check_validates_against_the_published_schema() {
    let validator = sarif_validator();
    let lint_log: Value = serde_json::from_str(&lint("sarif")).unwrap();
    assert_valid_sarif(&validator, &lint_log, "lint");

    // Source locations (file, line, column) from the models report.
    let o = run_in(Some(&repo()), &["models", "--snapshot", "schema-derive/tests/fixtures/snapshot.json", "--format", "sarif", "schema-derive/tests/ui/fail"]);
    assert_eq!(o.status.code(), Some(1), "{}", common::run::stderr(&o));
    let models_log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(models_log["runs"][0]["results"].as_array().unwrap().len() > 10);
    assert_valid_sarif(&validator, &models_log, "models");

    // File locations (a missing docs file) and lint findings from the check gate.
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("no such docs.md");
    let o = run_in(Some(&repo()), &["check", "--offline", "--snapshot", "schema/snapshot.json", "--docs", docs.to_str().unwrap(), "--lint", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "{}", common::run::stderr(&o));
    let check_log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = check_log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert!(rules.contains(&"docs-missing") && rules.contains(&"lint-stale") && rules.contains(&"table-no-primary-key"), "{rules:?}");
    assert_valid_sarif(&validator, &check_log, "check");

    // The validator does reject what the schema forbids: a level outside the enum, a result
    // without a message, a property the schema does not define.
    let mut bad = lint_log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    bad["runs"][0]["results"][1].as_object_mut().unwrap().remove("message");
    bad["runs"][0]["colour"] = "blue".into();
    assert_eq!(validator.iter_errors(&bad).count(), 3);
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
