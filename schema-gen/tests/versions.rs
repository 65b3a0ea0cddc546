//! The version matrix: introspection on every supported PostgreSQL major (13–18), each on a
//! throwaway server of its own started from the binaries `scripts/fetch-postgres.sh` fetched.
//!
//! One test per major (`cargo test -p schema-gen --test versions pg16`), each making a few
//! decisive checks rather than running the whole suite again:
//! - a version-neutral schema (`fixtures/versions/neutral.sql`) and the demo schema snapshot to
//!   the same bytes on every major: one committed insta snapshot, and `schema/snapshot.json`;
//! - the facts newer majors add (`pg15.sql`, `pg18.sql`) are read where the major has them;
//! - `NOT VALID` constraints and invalid indexes, and the index definitions introspection spells
//!   itself, agree with the server's own `pg_get_indexdef`;
//! - the CLI's `snapshot` + `check` gate, and its errors when the server goes away mid-snapshot or
//!   the role cannot read a catalog;
//! - every lint rule over `fixtures/versions/lint.sql` (plus an invalid index left by a failed
//!   `CREATE INDEX CONCURRENTLY`) gives the same findings, as JSON, on every major.
//!
//! `PGCANON_PG_VERSIONS=13,18` limits the matrix (each left-out major says so); a missing binary
//! fails loudly with the fetch command.

use std::process::Output;
use std::time::{Duration, Instant};

use schema_gen::introspect::{introspect_url, introspect_url_with_stats, IntrospectOptions};
use schema_gen::Snapshot;
use test_support::{major_under_test, PgServer};

mod common;

use common::run::{command, run};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/versions/{name}.sql", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"))
}

fn snapshot_of(url: &str) -> Snapshot {
    introspect_url(url, &IntrospectOptions::default()).unwrap_or_else(|e| panic!("introspection failed: {e}"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Runs every check on one major, or says why it is left out.
fn matrix(major: u32) {
    if !major_under_test(major) {
        eprintln!("PostgreSQL {major} is not in PGCANON_PG_VERSIONS; not run");
        return;
    }
    let server = PgServer::start(major);
    same_bytes_on_every_version(&server);
    whole_catalog(&server);
    newer_facts(&server);
    states_and_index_definitions(&server);
    cli_gate(&server);
    unreadable_catalog(&server);
    lint_findings(&server);
}

test_support::per_major!(matrix);

fn same_bytes_on_every_version(server: &PgServer) {
    let neutral = server.db_with_sql("neutral", &fixture("neutral"));
    let (snapshot, stats) = introspect_url_with_stats(neutral.url(), &IntrospectOptions::default()).expect("introspect");
    assert_eq!(stats.server_version.map(|v| v.major()), Some(server.major()));
    assert!(stats.warnings.is_empty(), "{:?}", stats.warnings);
    // The same committed file for every major: any version-specific byte fails here.
    insta::assert_snapshot!("neutral", snapshot.to_json());
    let refs = snapshot.schema("app").and_then(|s| s.tables.iter().find(|t| t.name == "shard_refs")).expect("shard_refs");
    let fks: Vec<&str> = refs.foreign_keys.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fks, ["shard_refs_shard_id_fkey"], "only the declared key, not its per-partition clones");
    // A partition keeps what it declares itself, not what it inherits.
    let events = snapshot.schema("app").and_then(|s| s.tables.iter().find(|t| t.name == "events")).expect("events");
    let p2025 = events.partitions.iter().find(|p| p.name == "events_2025").expect("events_2025");
    let own = |p: &schema_gen::snapshot::Partition| {
        (p.foreign_keys.iter().map(|f| f.name.clone()).collect::<Vec<_>>(), p.checks.iter().map(|c| c.name.clone()).collect::<Vec<_>>(), p.indexes.iter().map(|i| i.name.clone()).collect::<Vec<_>>())
    };
    assert_eq!(own(p2025), (vec!["events_2025_account_fk".to_owned()], vec!["events_2025_kind_check".to_owned()], vec!["events_2025_id_idx".to_owned()]));
    let p2024 = events.partitions.iter().find(|p| p.name == "events_2024").expect("events_2024");
    assert_eq!(own(p2024), (vec![], vec![], vec![]), "inherited checks and cloned indexes are not repeated");
    let docs = schema_gen::docs::render(&snapshot, &Default::default());
    assert!(docs.contains("partition `app.events_2025` of"), "the docs' referenced-by names the partition's own foreign key");

    let demo = server.db_with_sql("demo", include_str!("../../schema/demo.sql"));
    let committed = include_str!("../../schema/snapshot.json");
    assert!(snapshot_of(demo.url()).to_json() == committed, "the demo schema on PostgreSQL {} does not snapshot to schema/snapshot.json", server.major());
}

fn whole_catalog(server: &PgServer) {
    let db = server.db_with_sql("catalog", &fixture("catalog"));
    let s = snapshot_of(db.url());
    assert_eq!(s.to_json(), snapshot_of(db.url()).to_json(), "snapshot twice, same bytes");
    // One committed file for every major, as for the neutral schema.
    insta::assert_snapshot!("catalog", s.to_json());
    let app = s.schema("app").expect("app");
    let names: Vec<(&str, &str)> = app.functions.iter().map(|f| (f.name.as_str(), f.arguments.as_str())).collect();
    assert_eq!(
        names,
        [
            ("Weird Name", "VARIADIC xs text[]"),
            ("add", "a integer, b integer"),
            ("add", "a numeric, b numeric"),
            ("audit", ""),
            ("collect", "text"),
            ("collect_step", "state text[], v text"),
            ("reset", "n integer"),
            ("rows_of", "doc integer"),
            ("total", "integer"),
        ],
        "overloads kept apart, sorted"
    );
    assert!(app.functions.iter().all(|f| f.body.is_none()), "bodies are off by default");
    // An aggregate keeps what CREATE AGGREGATE needs; a user-defined state function is
    // schema-qualified, a built-in one is not.
    let aggregate = |name: &str| app.functions.iter().find(|f| f.name == name).and_then(|f| f.aggregate.as_ref()).map(|a| a.options_sql());
    assert_eq!(aggregate("total").as_deref(), Some("SFUNC = int4pl, STYPE = integer, INITCOND = '0'"));
    assert_eq!(aggregate("collect").as_deref(), Some("SFUNC = app.collect_step, STYPE = text[], FINALFUNC = cardinality, INITCOND = '{}'"));
    assert_eq!(aggregate("add"), None, "a plain function has no aggregate details");
    let docs = app.tables.iter().find(|t| t.name == "docs").expect("docs");
    assert!(docs.row_security && docs.force_row_security && docs.policies.len() == 3);
    let seq = app.sequences.iter().find(|q| q.name == "docs_id_seq").expect("the serial's sequence");
    assert_eq!(seq.owned_by.as_deref(), Some("docs.id"));
    // A partition's own storage, row-level security, policy and grant.
    let ledger = app.tables.iter().find(|t| t.name == "ledger").expect("ledger");
    let (recent, old) = (&ledger.partitions[0], &ledger.partitions[1]);
    assert_eq!((recent.name.as_str(), recent.storage_options.as_slice()), ("ledger_2024", ["fillfactor=90".to_owned()].as_slice()));
    assert!(old.row_security && !old.force_row_security && old.policies.len() == 1, "{old:?}");
    assert_eq!(old.grants.iter().map(|g| (g.grantee.as_str(), g.privileges.join(","))).collect::<Vec<_>>(), [("app_reader", "SELECT".to_owned())]);
    assert!(!ledger.row_security && ledger.policies.is_empty() && ledger.grants.is_empty(), "the parent keeps its own: {ledger:?}");
    let own: Vec<(&str, u32, String)> = recent.columns.iter().map(|c| (c.name.as_str(), c.ordinal, c.settings_sql())).collect();
    assert_eq!(own, [("amount", 3, "NOT NULL DEFAULT 0".to_owned())], "only the column the partition sets itself, with the parent's ordinal");
    assert!(old.columns.is_empty(), "a partition that sets nothing has no own columns");
    assert_eq!(s.extensions.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["tsm_system_time"]);

    insta::assert_snapshot!("catalog_docs", schema_gen::docs::render(&s, &schema_gen::docs::DocsOptions { diagrams: false, example_queries: false, ..Default::default() }));

    // Each kind is a change `diff` (and so `check` and the change log) reports.
    db.execute(
        "REVOKE INSERT ON app.docs FROM app_reader;
         GRANT SELECT ON app.docs TO \"Odd \"\"Role\"\"\";
         DROP POLICY docs_insert ON app.docs;
         ALTER TABLE app.docs NO FORCE ROW LEVEL SECURITY;
         ALTER FUNCTION app.add(integer, integer) VOLATILE;
         DROP FUNCTION app.add(numeric, numeric);
         ALTER SEQUENCE app.invoice_no INCREMENT 20;
         ALTER TABLE app.cache SET LOGGED;
         DROP EXTENSION tsm_system_time;
         DROP COLLATION app.bytewise;
         REVOKE SELECT ON app.ledger_old FROM app_reader;
         DROP POLICY ledger_old_recent ON app.ledger_old;
         ALTER TABLE app.ledger_2024 SET (fillfactor = 80);
         ALTER TABLE app.ledger_2024 ALTER COLUMN amount DROP DEFAULT;",
    );
    let after = snapshot_of(db.url());
    let got: Vec<(String, String, String)> =
        schema_gen::diff::diff(&s, &after).into_iter().map(|c| (c.kind.code().to_owned(), c.severity.as_str().to_owned(), c.path)).collect();
    let want = [
        ("extension-removed", "destructive", "tsm_system_time"),
        ("function-changed", "breaking", "app.add(a integer, b integer)"),
        ("function-removed", "breaking", "app.add(a numeric, b numeric)"),
        ("collation-removed", "breaking", "app.bytewise"),
        ("table-storage-changed", "breaking", "app.cache"),
        ("row-security-changed", "breaking", "app.docs"),
        ("policy-removed", "breaking", "app.docs.docs_insert"),
        ("grant-added", "additive", "app.docs:Odd \"Role\""),
        ("grant-changed", "breaking", "app.docs:app_reader"),
        ("sequence-changed", "breaking", "app.invoice_no"),
        ("table-storage-changed", "additive", "app.ledger_2024"),
        ("partition-column-changed", "breaking", "app.ledger_2024.amount"),
        ("policy-removed", "breaking", "app.ledger_old.ledger_old_recent"),
        ("grant-removed", "breaking", "app.ledger_old:app_reader"),
    ];
    let want: Vec<(String, String, String)> = want.iter().map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned())).collect();
    assert_eq!(got, want, "on PostgreSQL {}", server.major());

    // Generated models name a serial column's sequence; sequences and functions get no structs.
    let code = schema_gen::Config::new().generate(&s).expect("generate").code;
    assert!(code.contains("Values come from sequence `app.docs_id_seq`, which this column owns."), "{code}");
    let collations: Vec<(&str, Option<&str>, Option<&str>)> =
        app_collations(&s).iter().map(|c| (c.name.as_str(), c.locale.as_deref(), c.ctype.as_deref())).collect();
    assert_eq!(collations, [("Posix ctype", Some("C"), Some("POSIX")), ("bytewise", Some("C"), None)]);

    // A range type; PostgreSQL 14+ adds its multirange.
    let ranges = server.db_with_sql("ranges", "CREATE TYPE floatrange AS RANGE (subtype = float8); COMMENT ON TYPE floatrange IS 'Reals';");
    let r = snapshot_of(ranges.url());
    let range = &r.schema("public").expect("public").ranges[0];
    let multirange = (server.major() >= 14).then(|| "floatmultirange".to_owned());
    assert_eq!((range.name.as_str(), range.subtype.as_str(), range.comment.as_deref(), &range.multirange), ("floatrange", "double precision", Some("Reals"), &multirange));
    // Its constructor functions belong to the type, not to the schema's functions.
    assert_eq!(r.schema("public").expect("public").functions.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), Vec::<&str>::new());

    // Options: bodies in, privileges out.
    let options = IntrospectOptions { function_bodies: true, privileges: false, ..IntrospectOptions::default() };
    let s = introspect_url(db.url(), &options).unwrap();
    let app = s.schema("app").expect("app");
    assert!(app.functions.iter().find(|f| f.name == "audit").and_then(|f| f.body.as_deref()).is_some_and(|b| b.contains("RETURN NEW")));
    assert!(app.grants.is_empty() && app.tables.iter().all(|t| t.grants.is_empty() && t.columns.iter().all(|c| c.grants.is_empty())));
}

fn app_collations(s: &Snapshot) -> &[schema_gen::snapshot::Collation] {
    &s.schema("app").expect("app").collations
}

fn newer_facts(server: &PgServer) {
    let major = server.major();
    if major >= 15 {
        let db = server.db_with_sql("pg15", &fixture("pg15"));
        let s = snapshot_of(db.url());
        let children = &s.schemas[0].tables.iter().find(|t| t.name == "children").expect("children").clone();
        assert!(children.uniques[0].nulls_not_distinct, "NULLS NOT DISTINCT constraint on {major}");
        assert!(children.indexes.iter().find(|i| i.name == "children_code_idx").expect("index").nulls_not_distinct);
        assert_eq!(children.foreign_keys[0].on_delete_set_columns, ["parent_id"], "ON DELETE SET NULL (cols) on {major}");
        insta::assert_snapshot!("pg15_facts", s.to_json());
        let docs = schema_gen::docs::render(&s, &schema_gen::docs::DocsOptions::default());
        for fact in ["`UNIQUE NULLS NOT DISTINCT (tenant, code)`", "ON DELETE SET NULL (parent_id)"] {
            assert!(docs.contains(fact), "the docs do not say {fact}:\n{docs}");
        }
    }
    if major >= 18 {
        let db = server.db_with_sql("pg18", &fixture("pg18"));
        let s = snapshot_of(db.url());
        let table = |name: &str| s.schemas[0].tables.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("table {name}"));
        let rooms = table("rooms");
        let area = rooms.columns.iter().find(|c| c.name == "area").expect("area");
        let stored = rooms.columns.iter().find(|c| c.name == "area_stored").expect("area_stored");
        assert!(area.generated_virtual && area.generated.is_some() && !stored.generated_virtual && stored.generated.is_some());
        assert!(rooms.primary_key.as_ref().expect("pk").without_overlaps);
        assert!(rooms.checks[0].not_enforced && !rooms.checks[0].not_valid, "{:?}", rooms.checks[0]);
        assert_eq!(rooms.checks[0].definition, "CHECK (width > 0)", "the state is not part of the definition");
        let bookings = table("bookings");
        assert!(bookings.uniques[0].without_overlaps);
        let fk = |name: &str| bookings.foreign_keys.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("fk {name}"));
        assert!(fk("bookings_room_fk").period && !fk("bookings_room_fk").not_enforced);
        assert!(fk("bookings_lax_fk").not_enforced && !fk("bookings_lax_fk").not_valid);
        insta::assert_snapshot!("pg18_facts", s.to_json());
        // The docs say all of it.
        let docs = schema_gen::docs::render(&s, &schema_gen::docs::DocsOptions::default());
        for fact in ["generated (virtual): `(width * width)`", "`CHECK (width > 0) NOT ENFORCED`", "`UNIQUE (room_id, during WITHOUT OVERLAPS)`", "`PERIOD during`", "`WITHOUT OVERLAPS`"] {
            assert!(docs.contains(fact), "the docs do not say {fact}:\n{docs}");
        }
    }
}

fn states_and_index_definitions(server: &PgServer) {
    let db = server.db_with_sql(
        "states",
        "CREATE TABLE t (id int, code text, parent int);
         INSERT INTO t VALUES (1, 'a', NULL), (2, 'a', 1);
         ALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 1) NOT VALID;
         ALTER TABLE t ADD PRIMARY KEY (id);
         ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent) REFERENCES t (id) NOT VALID;",
    );
    // A unique index built CONCURRENTLY over duplicates fails and stays behind, invalid.
    let err = db.client().batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_code_idx ON t (code)").expect_err("duplicates");
    assert!(err.as_db_error().is_some_and(|e| e.code().code() == "23505"), "{err}");
    let s = snapshot_of(db.url());
    let t = &s.schemas[0].tables[0];
    assert!(t.checks[0].not_valid && t.checks[0].definition == "CHECK (id > 1)", "{:?}", t.checks[0]);
    assert!(t.foreign_keys[0].not_valid, "{:?}", t.foreign_keys[0]);
    let idx = t.indexes.iter().find(|i| i.name == "t_code_idx").expect("the invalid index is listed");
    assert!(idx.invalid && t.indexes.iter().filter(|i| i.invalid).count() == 1);
    let docs = schema_gen::docs::render(&s, &schema_gen::docs::DocsOptions::default());
    for fact in ["`CHECK (id > 1) NOT VALID`", "NOT VALID\n", "**(invalid: not used, enforces nothing)**"] {
        assert!(docs.contains(fact), "the docs do not say {fact}:\n{docs}");
    }

    // indexes.sql spells simple definitions itself; every one must agree with the server's.
    let neutral = server.db_with_sql("indexdef", &fixture("neutral"));
    let mut client = neutral.client();
    client.batch_execute("SET search_path = pg_catalog").unwrap();
    let s = snapshot_of(neutral.url());
    let mut checked = 0;
    fn partition_indexes<'a>(parts: &'a [schema_gen::snapshot::Partition], out: &mut Vec<&'a Vec<schema_gen::snapshot::Index>>) {
        for p in parts {
            out.push(&p.indexes);
            partition_indexes(&p.partitions, out);
        }
    }
    for schema in &s.schemas {
        let mut own = Vec::new();
        for t in &schema.tables {
            partition_indexes(&t.partitions, &mut own);
        }
        let views = schema.views.iter().map(|v| &v.indexes);
        for indexes in schema.tables.iter().map(|t| &t.indexes).chain(views).chain(own) {
            for index in indexes {
                let truth: String = client
                    .query_one("SELECT pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2", &[&schema.name, &index.name])
                    .unwrap()
                    .get(0);
                assert_eq!(index.definition, truth, "index `{}.{}` on PostgreSQL {}", schema.name, index.name, server.major());
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} indexes checked");
}

fn cli_gate(server: &PgServer) {
    let db = server.db_with_sql("cli", &fixture("neutral"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let out_s = out.to_str().unwrap();
    let o = run(&["snapshot", "--database-url", db.url(), "--out", out_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(&["check", "--database-url", db.url(), "--snapshot", out_s, "--no-docs"]);
    assert_eq!(o.status.code(), Some(0), "check on PostgreSQL {}: {}", server.major(), text(&o));
    db.execute("ALTER TABLE app.accounts ADD COLUMN nickname text");
    let o = run(&["check", "--database-url", db.url(), "--snapshot", out_s, "--no-docs"]);
    assert_ne!(o.status.code(), Some(0), "drift must fail the gate: {}", text(&o));
    assert!(text(&o).contains("nickname"), "{}", text(&o));
}

fn lint_findings(server: &PgServer) {
    use schema_gen::findings::{render_json, Report};
    use schema_gen::lint::{lint, rules, LintConfig};
    let db = server.db_with_sql("lint", &fixture("lint"));
    db.execute("INSERT INTO shop.orders (total, channel) VALUES ('1', 'web'), ('2', 'web')");
    let err = db.client().batch_execute("CREATE UNIQUE INDEX CONCURRENTLY orders_channel_key ON shop.orders (channel)").expect_err("duplicates");
    assert!(err.as_db_error().is_some_and(|e| e.code().code() == "23505"), "{err}");
    let config = LintConfig { exposed_schemas: vec!["shop".into()], ..LintConfig::default() };
    // Every rule, the off-by-default ones included.
    let all: Vec<String> = rules::ALL.iter().map(|r| r.id.to_owned()).collect();
    let outcome = lint(&snapshot_of(db.url()), &config, &all).expect("lint");
    let mut fired: Vec<&str> = outcome.findings.iter().map(|f| f.rule.as_str()).collect();
    fired.sort();
    fired.dedup();
    // Each of these reads a catalog fact whose spelling could differ by major.
    for rule in ["index-invalid", "constraint-not-valid", "type-serial", "timestamps-created-at-default", "timestamps-updated-at-policy", "fk-type-mismatch", "security-public-grant", "security-rls-no-policy", "naming-too-long"] {
        assert!(fired.contains(&rule), "`{rule}` did not fire on PostgreSQL {}: {fired:?}", server.major());
    }
    // One committed file for every major: the findings, their messages, fixes and keys.
    insta::assert_snapshot!("lint_findings", render_json(&Report { findings: outcome.findings, ..Report::default() }));
}

fn unreadable_catalog(server: &PgServer) {
    // An administrator may revoke a catalog from PUBLIC: the error names it, the server and the fix.
    let db = server.db_with_sql("revoked", "CREATE TABLE t (id int); REVOKE SELECT ON pg_catalog.pg_description FROM PUBLIC;");
    db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN CREATE ROLE reader LOGIN; END IF; END $$");
    let url = db.url().replacen("postgres://postgres@", "postgres://reader@", 1);
    let err = introspect_url(&url, &IntrospectOptions::default()).expect_err("pg_description is not readable").to_string();
    let version = format!("PostgreSQL {}.", server.major());
    assert!(err.contains("permission denied for table pg_description") && err.contains(&version) && err.contains("grant"), "{err}");
}

/// A server that goes away mid-snapshot: a clear error, and the committed file is untouched.
/// Introspection waits for a lock held by another session, the server is shut down meanwhile.
#[test]
fn a_server_that_dies_mid_snapshot_leaves_the_file_alone() {
    let Some(&major) = test_support::majors_under_test().last() else { return };
    let mut server = PgServer::start(major);
    let db = server.db_with_sql("dies", &fixture("neutral"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    std::fs::write(&out, "the committed snapshot\n").unwrap();

    let mut locker = db.client();
    locker.batch_execute("BEGIN; LOCK TABLE app.tasks IN ACCESS EXCLUSIVE MODE").unwrap();
    let child = command(&["snapshot", "--database-url", db.url(), "--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the snapshot is blocked on the lock, then pull the server away.
    let mut watcher = db.client();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = watcher
            .query_one("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgcanon' AND wait_event_type = 'Lock'", &[])
            .unwrap()
            .get(0);
        if waiting > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the snapshot never blocked on the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop((locker, watcher));
    server.kill();
    let o = child.wait_with_output().unwrap();
    let msg = text(&o);
    assert_eq!(o.status.code(), Some(2), "an error, not drift: {msg}");
    assert!(!msg.contains("panicked"), "{msg}");
    assert!(msg.contains(&format!("PostgreSQL {major}.")) && msg.contains("nothing was written"), "{msg}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the committed snapshot\n");
    let litter: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(litter.len(), 1, "no partial or temp file: {litter:?}");
}
