//! The reconcile acceptance harness, on real PostgreSQL. For every case: load the old DDL into
//! database A and the new into B; plan A → snapshot(B); apply to A; A now equals B; applying
//! the same script again changes nothing and fails nothing; planning again is empty. Plus a
//! failure injection (a phase-2 unique index on duplicate data), the demo schema bootstrapped
//! from an empty database byte for byte, and a decisive subset on every supported major.

#[path = "reconcile/cases.rs"]
mod cases;

use schema_gen::apply::{apply, options_for, ApplyOptions, Start};
use schema_gen::diff::diff;
use schema_gen::introspect::introspect_url;
use schema_gen::reconcile::script::{render, snapshot_hash, Header};
use schema_gen::reconcile::{plan, without_log_schema, Allow, Options, Plan, Rename};
use schema_gen::Snapshot;
use test_support::{major_under_test, PgServer, TestDb};

use cases::{cases, role_sql, Case};

fn snap(url: &str) -> Snapshot {
    introspect_url(url, &options_for(true)).unwrap_or_else(|e| panic!("introspection failed: {e}"))
}

fn options(c: &Case) -> Options {
    Options {
        allow: Allow::parse(c.allow.iter().copied()).expect("allow values"),
        renames: c.renames.iter().map(|r| r.parse::<Rename>().expect("rename hint")).collect(),
    }
}

fn script(p: &Plan, from: &Snapshot, to: &Snapshot) -> String {
    let header = Header {
        from_label: "A".into(),
        from_hash: snapshot_hash(from),
        to_label: "B".into(),
        to_hash: snapshot_hash(to),
        function_bodies: true,
        lock_timeout: "5s".into(),
        statement_timeout: "0".into(),
        ..Header::default()
    };
    render(p, &header)
}

fn new_db(admin: &str, label: &str, sql: &str) -> TestDb {
    let db = TestDb::on_server(admin, label);
    db.execute(&format!("{}\n{sql}", role_sql()));
    db
}

/// Runs one case on the server `admin` connects to; panics with the script on any failure.
fn run_case(admin: &str, c: &Case) {
    let a = new_db(admin, &format!("{}_a", c.name), c.old);
    let b = new_db(admin, &format!("{}_b", c.name), c.new);
    let (from, to) = (snap(a.url()), snap(b.url()));
    let p = plan(&from, &to, &options(c)).unwrap_or_else(|e| panic!("{}: plan failed: {e}", c.name));
    let text = script(&p, &from, &to);
    let refused: Vec<&str> = p.refused.iter().map(|r| r.change.kind.code()).collect();
    let mut want_refused = c.refused.to_vec();
    want_refused.sort_unstable();
    let mut got_refused = refused.clone();
    got_refused.sort_unstable();
    assert_eq!(got_refused, want_refused, "{}: refused changes\n{text}", c.name);
    let hazards: Vec<&str> = p.planned.iter().flat_map(|x| x.hazards.iter().map(|h| h.code())).collect();
    for h in c.hazards {
        assert!(hazards.contains(h), "{}: hazard `{h}` not reported (got {hazards:?})\n{text}", c.name);
    }
    assert!(!text.contains("CASCADE;") && !text.contains(" CASCADE\n"), "{}: a script never drops with CASCADE\n{text}", c.name);
    let first = apply(a.url(), &text, c.name, &ApplyOptions::default()).unwrap_or_else(|e| panic!("{}: first apply failed: {e}\n{text}", c.name));
    assert_eq!(first.start, Start::AtFrom, "{}", c.name);
    let after = without_log_schema(&snap(a.url()));
    let left = diff(&after, &to);
    if c.refused.is_empty() {
        assert!(first.verified, "{}: not verified; left: {left:#?}\n{text}", c.name);
        assert!(left.is_empty(), "{}: A differs from B after apply: {left:#?}\n{text}", c.name);
    } else {
        let left_kinds: Vec<&str> = left.iter().map(|c| c.kind.code()).collect();
        assert_eq!(left_kinds.len(), c.refused.len(), "{}: only the refused changes are left: {left:#?}", c.name);
    }
    // The same script again: no error, nothing changes.
    let second = apply(a.url(), &text, c.name, &ApplyOptions { force: !c.refused.is_empty(), ..ApplyOptions::default() })
        .unwrap_or_else(|e| panic!("{}: second apply failed: {e}\n{text}", c.name));
    if c.refused.is_empty() {
        assert_eq!(second.start, Start::AtTarget, "{}", c.name);
    }
    assert_eq!(without_log_schema(&snap(a.url())), after, "{}: the second run changed the database\n{text}", c.name);
    // Planning again: nothing left but what was refused.
    let again = plan(&snap(a.url()), &to, &options(c)).expect("plan again");
    assert!(again.steps.is_empty(), "{}: a second plan has steps:\n{}", c.name, script(&again, &after, &to));
    // Renames keep the data.
    if !c.renames.is_empty() {
        let mut client = a.client();
        let kept: String = client.query_one("SELECT new_name FROM t", &[]).expect("renamed column").get(0);
        assert_eq!(kept, "kept");
        let n: i32 = client.query_one("SELECT id FROM u2", &[]).expect("renamed table").get(0);
        assert_eq!(n, 5);
    }
}

#[test]
fn every_case_converges_and_reruns_cleanly() {
    let admin = test_support::server_url();
    let all = cases();
    assert!(all.len() >= 24, "the harness keeps dozens of cases");
    for c in &all {
        run_case(&admin, c);
    }
}

/// A unique index built in phase 2 on duplicate data fails loudly; once the data is fixed, the
/// same script converges (the invalid index left behind is dropped and built again).
fn failure_injection(admin: &str) {
    let a = new_db(admin, "inject_a", "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (1), (2);");
    let b = new_db(admin, "inject_b", "CREATE TABLE t (x int); CREATE UNIQUE INDEX t_x_key ON t (x);");
    let (from, to) = (snap(a.url()), snap(b.url()));
    let allow = Options { allow: Allow::parse(["breaking"]).expect("allow"), ..Options::default() };
    let p = plan(&from, &to, &allow).expect("plan");
    let text = script(&p, &from, &to);
    assert!(text.contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_x_key"), "{text}");
    let err = apply(a.url(), &text, "inject", &ApplyOptions::default()).expect_err("duplicates must fail the build").to_string();
    assert!(err.contains("phase 2") && err.contains("run the same script again"), "{err}");
    let left = snap(a.url());
    assert!(left.schema("public").and_then(|s| s.table("t")).is_some_and(|t| t.indexes.iter().any(|i| i.invalid)), "an invalid index is left");
    let refused = apply(a.url(), &text, "inject", &ApplyOptions::default()).expect_err("the database is between the two states");
    assert!(refused.to_string().contains("--force"), "{refused}");
    a.execute("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t WHERE x = 1)");
    let r = apply(a.url(), &text, "inject", &ApplyOptions { force: true, ..ApplyOptions::default() }).expect("converges once the data is fixed");
    assert!(r.verified);
    assert!(diff(&without_log_schema(&snap(a.url())), &to).is_empty());
}

#[test]
fn a_failed_phase_two_converges_after_the_fix() {
    failure_injection(&test_support::server_url());
}

/// The demo schema, from an empty database, comes out as the committed snapshot, byte for byte.
fn demo_from_empty(admin: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/snapshot.json");
    let committed = Snapshot::load(path).expect("demo snapshot");
    let a = TestDb::on_server(admin, "demo_empty");
    let from = snap(a.url());
    // Before 15 every role may create in `public`; the demo revokes that (a breaking change).
    let allow = Options { allow: Allow::parse(["grant-changed"]).expect("allow"), ..Options::default() };
    let p = plan(&from, &committed, &allow).expect("plan");
    assert!(p.refused.is_empty(), "{:?}", p.refused);
    let text = script(&p, &from, &committed);
    let r = apply(a.url(), &text, "demo", &ApplyOptions::default()).unwrap_or_else(|e| panic!("demo apply: {e}\n{text}"));
    let got = introspect_url(a.url(), &options_for(false)).expect("snapshot");
    assert_eq!(got.to_json(), committed.to_json(), "the demo schema reconciled from empty is the committed snapshot");
    assert!(r.verified || snapshot_hash(&got) == snapshot_hash(&committed));
    let again = plan(&got, &committed, &allow).expect("plan again");
    assert!(again.is_empty());
}

#[test]
fn demo_schema_from_an_empty_database_is_identical() {
    demo_from_empty(&test_support::server_url());
}

#[test]
fn the_log_table_records_every_run() {
    let admin = test_support::server_url();
    let a = TestDb::on_server(&admin, "log_a");
    let b = new_db(&admin, "log_b", "CREATE TABLE t (id int);");
    let (from, to) = (snap(a.url()), snap(b.url()));
    let text = script(&plan(&from, &to, &Options::default()).expect("plan"), &from, &to);
    let dry = apply(a.url(), &text, "log", &ApplyOptions { dry_run: true, ..ApplyOptions::default() }).expect("dry run");
    assert!(!dry.verified);
    assert!(snap(a.url()).schema("public").and_then(|s| s.table("t")).is_none(), "a dry run changes nothing");
    apply(a.url(), &text, "log", &ApplyOptions::default()).expect("apply");
    apply(a.url(), &text, "log", &ApplyOptions::default()).expect("apply again");
    let mut c = a.client();
    let rows = c.query("SELECT to_hash, applied_by, jsonb_array_length(changes) FROM pgcanon.schema_changes ORDER BY id", &[]).expect("log rows");
    assert_eq!(rows.len(), 2, "one row per run, none for the dry run");
    assert_eq!(rows[0].get::<_, String>(0), snapshot_hash(&to));
    assert_eq!(rows[0].get::<_, String>(1), "postgres");
    assert_eq!(rows[0].get::<_, i32>(2), 1);
}

fn matrix(major: u32) {
    if !major_under_test(major) {
        return;
    }
    let server = PgServer::start(major);
    demo_from_empty(server.url());
    failure_injection(server.url());
    for c in cases().iter().filter(|c| c.matrix) {
        run_case(server.url(), c);
    }
}

test_support::per_major!(matrix);

/// Twelve tables with keys, a foreign key each, checks and comments: phase 1 of its script from
/// an empty database has dozens of statements.
fn many_tables() -> String {
    let mut sql = String::from("CREATE TABLE root (id int PRIMARY KEY);\n");
    for i in 0..12 {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, root_id int REFERENCES root (id), qty int CHECK (qty > 0)); \
             CREATE INDEX t{i}_root_idx ON t{i} (root_id); COMMENT ON TABLE t{i} IS 'table {i}';\n"
        ));
    }
    sql
}

fn split(n: usize) -> ApplyOptions {
    ApplyOptions { transaction_size: Some(n), ..ApplyOptions::default() }
}

#[test]
fn phase_one_split_into_transactions_converges_and_logs_one_run() {
    let admin = test_support::server_url();
    let a = TestDb::on_server(&admin, "split_a");
    let b = new_db(&admin, "split_b", &many_tables());
    let (from, to) = (snap(a.url()), snap(b.url()));
    let p = plan(&from, &to, &Options::default()).expect("plan");
    let text = script(&p, &from, &to);
    let dry = apply(a.url(), &text, "split", &ApplyOptions { dry_run: true, ..split(5) }).expect_err("a split dry run is refused");
    assert!(dry.to_string().contains("`--dry-run` cannot be combined with `--transaction-size`"), "{dry}");
    let r = apply(a.url(), &text, "split", &split(5)).unwrap_or_else(|e| panic!("split apply: {e}\n{text}"));
    assert!(r.phase1_transactions > 3, "{} transactions", r.phase1_transactions);
    assert!(r.verified);
    assert!(diff(&without_log_schema(&snap(a.url())), &to).is_empty());
    // Again, split differently: the database is at the target and stays there.
    let again = apply(a.url(), &text, "split", &split(7)).expect("split apply again");
    assert_eq!(again.start, Start::AtTarget);
    assert!(again.verified);
    let rows: i64 = a.client().query_one("SELECT count(*) FROM pgcanon.schema_changes", &[]).expect("log rows").get(0);
    assert_eq!(rows, 2, "one log row per run, not per transaction");
}

/// A failure in a later transaction leaves the earlier ones committed; once the cause is fixed,
/// the same script converges.
#[test]
fn a_split_phase_one_failing_late_converges_after_the_fix() {
    let admin = test_support::server_url();
    let a = new_db(&admin, "split_fail_a", "CREATE TABLE v (x int); INSERT INTO v VALUES (-1);");
    let b = new_db(&admin, "split_fail_b", &format!("CREATE TABLE v (x int CONSTRAINT v_x_check CHECK (x > 0));\n{}", many_tables()));
    let (from, to) = (snap(a.url()), snap(b.url()));
    let p = plan(&from, &to, &Options { allow: Allow::parse(["breaking"]).expect("allow"), ..Options::default() }).expect("plan");
    let text = script(&p, &from, &to);
    let err = apply(a.url(), &text, "split", &split(3)).expect_err("the check fails on the data").to_string();
    assert!(err.contains("failed in transaction") && err.contains("are committed") && err.contains("--force"), "{err}");
    let part = snap(a.url());
    assert!(part.schema("public").and_then(|s| s.table("t0")).is_some(), "the first transactions are committed");
    a.execute("UPDATE v SET x = 1");
    let r = apply(a.url(), &text, "split", &ApplyOptions { force: true, ..split(3) }).expect("converges once the data is fixed");
    assert!(r.verified);
    assert!(diff(&without_log_schema(&snap(a.url())), &to).is_empty());
}

/// A phase 1 too large for the server's lock table (here a server with the smallest one) fails
/// with the hint to split it; split, the same script runs.
#[test]
fn out_of_shared_memory_names_the_transaction_size_flag() {
    let major = *test_support::majors_under_test().last().expect("at least one major under test");
    let server = PgServer::start_with(major, &["max_locks_per_transaction=10"]);
    let a = server.db("locks_a");
    let b = server.db("locks_b");
    // Loaded in small transactions: the same lock table limits the load.
    let mut c = b.client();
    for i in 0..400 {
        c.batch_execute(&format!("CREATE TABLE w{i} (id int PRIMARY KEY, body text);")).expect("create a table");
    }
    drop(c);
    let (from, to) = (snap(a.url()), snap(b.url()));
    let text = script(&plan(&from, &to, &Options::default()).expect("plan"), &from, &to);
    let err = apply(a.url(), &text, "locks", &ApplyOptions::default()).expect_err("one transaction runs out of locks").to_string();
    assert!(err.contains("out of shared memory") && err.contains("--transaction-size") && err.contains("nothing was changed"), "{err}");
    let r = apply(a.url(), &text, "locks", &split(50)).unwrap_or_else(|e| panic!("split apply: {e}"));
    assert!(r.verified && r.phase1_transactions >= 8, "{} transactions", r.phase1_transactions);
}
