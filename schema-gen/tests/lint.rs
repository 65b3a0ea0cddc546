//! `schema-gen lint` on a real server: one fixture per rule (`fixtures/lint/<rule>.sql`)
//! with true positives (`bad_*`) and near misses (`ok_*`), loaded into a throwaway database,
//! snapshotted, linted with only that rule, and compared with insta.

mod common;

use common::run::{run_in, stdout};
use schema_gen::findings::{render_text, Report};
use schema_gen::lint::{lint, rules, LintConfig};
use test_support::TestDb;

/// The configuration a fixture is linted with: the defaults, plus what a fixture's header
/// says it needs.
fn config_for(rule: &str) -> LintConfig {
    let mut c = LintConfig::default();
    match rule {
        "timestamps-missing-updated-at" => c.timestamps.append_only = vec!["public.ok_events".into()],
        "security-rls-disabled" => c.exposed_schemas = vec!["api".into()],
        _ => {}
    }
    c
}

fn lint_fixture(rule: &str) -> String {
    let sql = std::fs::read_to_string(format!("{}/tests/fixtures/lint/{rule}.sql", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("every rule has a fixture: {rule}: {e}"));
    let db = TestDb::with_sql(&format!("lint_{}", rule.replace('-', "_")), &sql);
    let snapshot = common::snapshot(&db);
    let outcome = lint(&snapshot, &config_for(rule), &[rule.to_owned()]).unwrap();
    assert!(!outcome.findings.is_empty(), "{rule}: the true positive was not found");
    for f in &outcome.findings {
        assert_eq!(f.rule, rule);
        let name = f.location.display_name();
        assert!(!name.split('.').any(|part| part.starts_with("ok_")), "{rule}: near miss reported: {name}: {}", f.message);
    }
    render_text(&Report { findings: outcome.findings, ..Report::default() })
}

#[test]
fn every_rule_has_a_true_positive_and_a_near_miss() {
    for rule in rules::ALL {
        insta::assert_snapshot!(rule.id, lint_fixture(rule.id));
    }
}

#[test]
fn the_cli_exit_codes_formats_and_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("lint_cli", "CREATE TABLE t (id int, doc json); CREATE TABLE u (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());");
    let snap = dir.path().join("snapshot.json");
    common::snapshot(&db).save(&snap).unwrap();
    std::fs::write(dir.path().join("pgcanon.toml"), "[lint.rules]\ntimestamps-updated-at-policy = \"off\"\n").unwrap();
    let lint_args = |extra: &[&str]| {
        let mut a = vec!["lint", "snapshot.json"];
        a.extend_from_slice(extra);
        run_in(Some(dir.path()), &a)
    };

    // Errors fail by default; `--fail-on never` reports without failing.
    let o = lint_args(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("error[table-no-primary-key] public.t: has no primary key"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("timestamps-updated-at-policy"), "pgcanon.toml turned it off");
    assert_eq!(lint_args(&["--fail-on", "never"]).status.code(), Some(0));
    // Only info findings: clean even with --fail-on warning.
    assert_eq!(lint_args(&["--rule", "type-json", "--fail-on", "warning"]).status.code(), Some(0));

    // The baseline accepts today's findings; a new one fails; a fixed one is reported stale.
    assert_eq!(lint_args(&["--write-baseline", "baseline.json"]).status.code(), Some(0));
    let o = lint_args(&["--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("no findings ("), "{}", stdout(&o));
    db.execute("CREATE TABLE v (id int); ALTER TABLE t ADD PRIMARY KEY (id);");
    common::snapshot(&db).save(&snap).unwrap();
    let o = lint_args(&["--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[table-no-primary-key] public.v"), "{out}");
    assert!(out.contains("info[baseline-stale] baseline.json:"), "{out}");
    assert!(out.contains("entry `table-no-primary-key:public.t` matches no finding any more"), "{out}");

    // Config typos and unknown rules are errors (exit 2) naming the nearest valid key.
    std::fs::write(dir.path().join("pgcanon.toml"), "[lint]\nfail_onn = \"error\"\n").unwrap();
    let o = lint_args(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(common::run::stderr(&o).trim(), "error: unknown key `lint.fail_onn` in `pgcanon.toml`; did you mean `fail_on`?");
    std::fs::remove_file(dir.path().join("pgcanon.toml")).unwrap();
    let o = lint_args(&["--rule", "fk-missing-indx"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(common::run::stderr(&o).trim(), "error: unknown rule `fk-missing-indx`; did you mean `fk-missing-index`?");

    // Live: a URL is introspected first.
    let o = run_in(Some(dir.path()), &["lint", db.url(), "--rule", "table-no-primary-key"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("public.v: has no primary key"), "{}", stdout(&o));
}

#[test]
fn check_runs_the_lint_gate_with_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("lint_check", "CREATE TABLE t (id int);");
    common::snapshot(&db).save(dir.path().join("snapshot.json")).unwrap();
    let check = |extra: &[&str]| {
        let mut a = vec!["check", "--offline", "--snapshot", "snapshot.json", "--no-docs"];
        a.extend_from_slice(extra);
        run_in(Some(dir.path()), &a)
    };
    let o = check(&["--lint"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.starts_with("STALE    lint       snapshot.json  (against lint rules)\n"), "{out}");
    assert!(out.contains("         error[lint-stale] snapshot.json: 3 lint findings fail the gate (lint rules)\n           fix: schema-gen lint snapshot.json\n"), "{out}");
    assert!(out.contains("         error[table-no-primary-key] public.t: has no primary key\n"), "{out}");
    assert_eq!(run_in(Some(dir.path()), &["lint", "snapshot.json", "--write-baseline", "bl.json"]).status.code(), Some(0));
    let o = check(&["--lint-baseline", "bl.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "current  lint       snapshot.json  (against lint rules, baseline bl.json)\nno findings; 1 artifact checked: 1 current\n");
}

#[test]
fn unique_nulls_not_distinct_is_a_near_miss_on_15_and_later() {
    let db = TestDb::with_sql("lint_nnd", "SELECT 1");
    let version: i32 = db.client().query_one("SELECT current_setting('server_version_num')::int", &[]).unwrap().get(0);
    if version < 150_000 {
        eprintln!("NULLS NOT DISTINCT needs PostgreSQL 15+; the server is {version}: not run");
        return;
    }
    db.execute("CREATE TABLE ok_t (id int PRIMARY KEY, tenant int NOT NULL, code text, UNIQUE NULLS NOT DISTINCT (tenant, code));");
    let outcome = lint(&common::snapshot(&db), &LintConfig::default(), &["unique-nullable-columns".to_owned()]).unwrap();
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
}
