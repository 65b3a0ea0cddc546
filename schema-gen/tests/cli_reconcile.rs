//! `schema-gen reconcile` and `schema-gen apply` end to end through the binary: exit codes,
//! `--out -`, a desired-state `.sql` file on a shadow server, refusals, the from-hash check,
//! `--dry-run` and `--changelog`.

mod common;

use common::run::run;
use test_support::TestDb;

fn text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn reconcile_then_apply_through_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = TestDb::with_sql("cli_rec_a", "CREATE TABLE t (id int, gone text);");
    let desired = dir.path().join("desired.sql");
    std::fs::write(&desired, "CREATE TABLE t (id int PRIMARY KEY, note text); CREATE INDEX t_note ON t (note);").expect("write");
    let script = dir.path().join("m.sql");
    let admin = test_support::server_url();
    let (desired_s, script_s) = (desired.to_str().unwrap(), script.to_str().unwrap());

    // A `.sql` target needs a shadow server.
    let o = run(&["reconcile", "--from", a.url(), "--to", desired_s]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--shadow-url"), "{}", text(&o));

    // Without `--allow`, the breaking key and the destructive drop are refused and listed.
    let o = run(&["reconcile", "--from", a.url(), "--to", desired_s, "--shadow-url", &admin, "--out", "-"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("-- refused (not in this script):"), "{out}");
    assert!(out.contains("column-removed public.t.gone: destructive change; allow with `--allow destructive`"), "{out}");
    assert!(out.contains("ADD COLUMN IF NOT EXISTS \"note\" text"), "{out}");

    let o = run(&["reconcile", "--from", a.url(), "--to", desired_s, "--shadow-url", &admin, "--out", script_s, "--allow", "destructive"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let sql = std::fs::read_to_string(&script).expect("script");
    assert!(sql.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_note"), "{sql}");
    assert!(!sql.contains("CASCADE"), "{sql}");

    let o = run(&["apply", script_s, "--database-url", a.url(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("rolled back"), "{}", text(&o));

    let log = dir.path().join("CHANGES.md");
    let o = run(&["apply", script_s, "--database-url", a.url(), "--changelog", log.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("verified"), "{}", text(&o));
    let entry = std::fs::read_to_string(&log).expect("change log");
    assert!(entry.contains("public.t.gone") && entry.contains("public.t.note"), "{entry}");

    // Converged: nothing to do, exit 0; the file is left alone.
    let o = run(&["reconcile", "--from", a.url(), "--to", desired_s, "--shadow-url", &admin, "--out", script_s, "--allow", "destructive"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("nothing to do"), "{}", text(&o));

    // Again, phase 1 split into transactions of one statement; not with `--dry-run`.
    let o = run(&["apply", script_s, "--database-url", a.url(), "--transaction-size", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("phase 1 committed in") && text(&o).contains("verified"), "{}", text(&o));
    let o = run(&["apply", script_s, "--database-url", a.url(), "--transaction-size", "1", "--dry-run"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("cannot be combined"), "{}", text(&o));
    let o = run(&["apply", script_s, "--database-url", a.url(), "--transaction-size", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // Someone changed the database since the plan: refused unless forced.
    a.execute("ALTER TABLE t ADD COLUMN surprise int");
    let o = run(&["apply", script_s, "--database-url", a.url()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("changed since") && text(&o).contains("--force"), "{}", text(&o));
    let o = run(&["apply", script_s, "--database-url", a.url(), "--force"]);
    assert_eq!(o.status.code(), Some(1), "the result is not the target: {}", text(&o));
}

#[test]
fn bad_flags_are_clear_errors() {
    let o = run(&["reconcile", "--from", "a.json", "--to", "b.json", "--allow", "everything"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown `--allow` value `everything`"), "{}", text(&o));
    let o = run(&["reconcile", "--from", "a.json", "--to", "b.json", "--rename", "nodots=x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("bad `--rename nodots=x`"), "{}", text(&o));
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("x.sql");
    std::fs::write(&f, "SELECT 1;").expect("write");
    let o = run(&["apply", f.to_str().unwrap(), "--database-url", "postgres://postgres@127.0.0.1:5432/postgres"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("is not a pgcanon reconcile script"), "{}", text(&o));
}

/// The "apply lint fixes" flow: a finding with a fix → `reconcile --lint-fixes` → `apply` →
/// lint no longer reports it; applying again is harmless and planning again is empty.
#[test]
fn lint_fixes_are_planned_applied_and_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = TestDb::with_sql(
        "cli_rec_lint",
        "CREATE TABLE users (id int PRIMARY KEY, created_at timestamptz NOT NULL);
         CREATE TABLE comments (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), created_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO users VALUES (1, now()); INSERT INTO comments VALUES (1, 1, now());",
    );
    let admin = test_support::server_url();
    let script = dir.path().join("fixes.sql");
    let script_s = script.to_str().unwrap();
    let rules = ["--rule", "fk-missing-index", "--rule", "timestamps-created-at-default", "--rule", "comment-missing"];
    let before = run(&[&["lint", a.url(), "--fail-on", "warning"][..], &rules[..]].concat());
    assert_eq!(before.status.code(), Some(1), "{}", text(&before));
    assert!(text(&before).contains("fk-missing-index") && text(&before).contains("timestamps-created-at-default"), "{}", text(&before));

    // `--lint-fixes` needs a shadow server.
    let o = run(&["reconcile", "--from", a.url(), "--lint-fixes"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--shadow-url"), "{}", text(&o));

    let fix_rules = ["--lint-rule", "fk-missing-index", "--lint-rule", "timestamps-created-at-default", "--lint-rule", "comment-missing"];
    let reconcile = |allow: &[&str]| run(&[&["reconcile", "--from", a.url(), "--lint-fixes", "--shadow-url", &admin, "--out", script_s][..], &fix_rules[..], allow].concat());
    // The default is a breaking change: refused, with the flag, until allowed.
    let o = reconcile(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let sql = std::fs::read_to_string(&script).expect("script");
    assert!(sql.contains("allow with `--allow breaking` or `--allow column-default-changed`"), "{sql}");
    let o = reconcile(&["--allow", "column-default-changed"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("lint fix left out, the fix is a template"), "the comment templates are left out: {}", text(&o));
    let sql = std::fs::read_to_string(&script).expect("script");
    assert!(sql.contains("-- lint fixes in the target") && sql.contains("fk-missing-index public.comments"), "{sql}");
    assert!(sql.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_user_id_idx"), "{sql}");
    assert!(sql.contains("SET DEFAULT now()"), "{sql}");

    for round in ["apply", "apply again"] {
        let o = run(&["apply", script_s, "--database-url", a.url()]);
        assert_eq!(o.status.code(), Some(0), "{round}: {}", text(&o));
        assert!(text(&o).contains("verified"), "{round}: {}", text(&o));
    }
    let after = run(&[&["lint", a.url(), "--fail-on", "warning"][..], &["--rule", "fk-missing-index", "--rule", "timestamps-created-at-default"][..]].concat());
    assert_eq!(after.status.code(), Some(0), "the fixed findings are gone: {}", text(&after));
    let o = reconcile(&["--allow", "column-default-changed"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("nothing to do"), "{}", text(&o));
    // The data is untouched.
    let n: i64 = a.client().query_one("SELECT count(*) FROM comments", &[]).expect("rows").get(0);
    assert_eq!(n, 1);
}
