//! `schema-gen queries` and `check --queries` on the fixture sources (`fixtures/queries/`:
//! Rust files, `.sql` files and the snapshot of `schema.sql`), offline: insta golden output
//! in every format family, config, allow comments and exit codes.
#![cfg(feature = "queries")]

mod common;

use std::path::{Path, PathBuf};

use common::run::{run_in, stderr, stdout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries")
}

fn queries(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["queries"];
    all.extend_from_slice(args);
    let o = run_in(Some(dir), &all);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

#[test]
fn text_report_points_into_the_literals() {
    let (code, out) = queries(&fixtures(), &["src", "queries", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(1), "{out}");
    insta::assert_snapshot!("queries_text", out);
}

#[test]
fn json_reports_findings_and_inferred_columns() {
    let (code, out) = queries(&fixtures(), &["src", "queries", "--snapshot", "snapshot.json", "--format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    insta::assert_json_snapshot!("queries_json", doc);
}

#[test]
fn github_annotations() {
    let (_, out) = queries(&fixtures(), &["queries/paid.sql", "--snapshot", "snapshot.json", "--format", "github"]);
    assert_eq!(out.lines().next(), Some("::error file=queries/paid.sql,line=5,col=26,title=query-unknown-column::queries/paid.sql:5:26: column `i.paied` does not exist%0Afix: did you mean `paid`?"), "{out}");
}

#[test]
fn sarif_points_at_the_file_line_and_column() {
    let (_, out) = queries(&fixtures(), &["queries/paid.sql", "--snapshot", "snapshot.json", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "query-unknown-column");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!((loc["artifactLocation"]["uri"].as_str(), loc["region"]["startLine"].as_u64(), loc["region"]["startColumn"].as_u64()), (Some("queries/paid.sql"), Some(5), Some(26)));
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "query-unknown-column");
}

#[test]
fn config_levels_ignores_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/legacy")).unwrap();
    std::fs::copy(fixtures().join("snapshot.json"), dir.path().join("snapshot.json")).unwrap();
    std::fs::write(dir.path().join("src/a.rs"), "fn f(c: &mut C) { c.query(\"SELECT * FROM users\", &[]).unwrap(); }\n").unwrap();
    std::fs::write(dir.path().join("src/legacy/b.rs"), "fn f(c: &mut C) { c.query(\"SELECT nope FROM users\", &[]).unwrap(); }\n").unwrap();
    // Defaults: the star is a warning (exit 0), the legacy file an error.
    let (code, out) = queries(dir.path(), &["src", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("warning[query-select-star] src/a.rs:1:35") && out.contains("error[query-unknown-column] src/legacy/b.rs:1:35"), "{out}");
    std::fs::write(dir.path().join("pgcanon.toml"), "[queries]\nignore = [\"src/legacy/**\"]\nfail_on = \"warning\"\n").unwrap();
    let (code, out) = queries(dir.path(), &["src", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(!out.contains("legacy"), "{out}");
    std::fs::write(dir.path().join("pgcanon.toml"), "[queries]\nignore = [\"src/legacy/**\"]\n[queries.rules]\nquery-select-star = \"off\"\n").unwrap();
    let (code, out) = queries(dir.path(), &["src", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("no findings"), "{out}");
    // `paths` in the config: `queries` and `check` read them without being told.
    std::fs::write(dir.path().join("pgcanon.toml"), "[queries]\npaths = [\"src/legacy\"]\n").unwrap();
    let (code, out) = queries(dir.path(), &["--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("src/legacy/b.rs:1:35") && !out.contains("src/a.rs"), "{out}");
    let o = run_in(Some(dir.path()), &["check", "--snapshot", "snapshot.json", "--no-docs"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("STALE    queries    src/legacy"), "{}", stdout(&o));
    std::fs::write(dir.path().join("pgcanon.toml"), "[queries.rules]\nquery-select-stars = \"off\"\n").unwrap();
    let (code, out) = queries(dir.path(), &["src", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("unknown rule `queries.rules.query-select-stars`") && out.contains("did you mean `query-select-star`?"), "{out}");
}

#[test]
fn check_runs_the_query_gate() {
    let o = run_in(Some(&fixtures()), &["check", "--snapshot", "snapshot.json", "--no-docs", "--queries", "queries/paid.sql"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("STALE    queries    queries/paid.sql") && out.contains("error[query-unknown-column] queries/paid.sql:5:26"), "{out}");
    let o = run_in(Some(&fixtures()), &["check", "--snapshot", "snapshot.json", "--no-docs", "--queries", "queries/report.sql"]);
    assert_eq!(o.status.code(), Some(1), "report.sql has `o.missing`: {}", stdout(&o));
}

#[test]
fn unparsable_rust_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("snapshot.json"), dir.path().join("snapshot.json")).unwrap();
    std::fs::write(dir.path().join("bad.rs"), "fn f( {").unwrap();
    let (code, out) = queries(dir.path(), &["bad.rs", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.starts_with("error: ") && out.contains("cannot parse `bad.rs` at 1:"), "{out}");
}

#[test]
fn build_script_gate_prints_cargo_lines() {
    // Integration tests run in the package root, as build scripts do.
    let checked = schema_gen::queries::build::check(&["tests/fixtures/queries/queries"], "tests/fixtures/queries/snapshot.json").unwrap();
    assert_eq!((checked.errors, checked.others), (2, 0));
    assert!(checked.lines.contains(&"cargo:rerun-if-changed=tests/fixtures/queries/queries/paid.sql".to_owned()), "{:?}", checked.lines);
    assert!(
        checked.lines.contains(&"cargo:warning=tests/fixtures/queries/queries/paid.sql:5:26: error[query-unknown-column] column `i.paied` does not exist (did you mean `paid`?)".to_owned()),
        "{:?}",
        checked.lines
    );
    let e = schema_gen::queries::build::check(&["tests/fixtures/queries/queries"], "tests/fixtures/queries/nope.json").unwrap_err().to_string();
    assert!(e.contains("nope.json"), "{e}");
}

#[test]
fn a_query_model_is_checked_field_by_field_at_its_literal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::copy(fixtures().join("snapshot.json"), dir.path().join("snapshot.json")).unwrap();
    let good = r#"#[derive(schema_derive::Model)]
#[model(query = "SELECT u.id, u.email AS mail, m.name AS manager FROM users u LEFT JOIN users m ON m.id = u.manager_id")]
pub struct UserRow {
    pub id: i64,
    #[model(column = "mail")]
    pub email: String,
    pub manager: Option<String>,
    #[model(skip)]
    pub seen: bool,
}
"#;
    std::fs::write(dir.path().join("src/good.rs"), good).unwrap();
    let (code, out) = queries(dir.path(), &["src", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(0), "{out}");
    // A field the query does not return, and a NOT NULL field for a column an outer join makes
    // nullable: both reported at the struct's name.
    let bad = good.replace("pub manager: Option<String>", "pub manager: String").replace("#[model(skip)]\n    pub seen", "pub seen");
    std::fs::write(dir.path().join("src/good.rs"), bad).unwrap();
    let (code, out) = queries(dir.path(), &["src", "--snapshot", "snapshot.json"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error[query-row-struct] src/good.rs:3:12: field `UserRow.seen` is not a result column of the query"), "{out}");
    assert!(out.contains("#[model(skip)]"), "{out}");
    assert!(out.contains("warning[query-row-nullability] src/good.rs:3:12: result column `manager` is not proven NOT NULL, but `UserRow.manager` is not an `Option`"), "{out}");
}
