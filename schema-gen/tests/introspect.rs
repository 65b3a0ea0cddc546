//! Introspection against a real server: every object kind, nasty names, filters, extensions,
//! determinism and the read-only guarantee. One throwaway database per test.

mod common;

use common::{db_with, schema_names, snapshot, snapshot_with};
use schema_gen::introspect::{introspect_url_with_stats, introspect_with_stats, IntrospectOptions, QUERY_NAMES};
use schema_gen::snapshot::{FkAction, Identity, TableKind, TriggerEvent, TriggerTiming, TypeKind};
use schema_gen::Snapshot;

#[test]
fn kitchen_sink_snapshot() {
    let db = db_with("kitchen_sink", &["kitchen_sink"]);
    let s = snapshot(&db);
    insta::assert_snapshot!("kitchen_sink", s.to_json());
}

#[test]
fn kitchen_sink_facts() {
    let db = db_with("kitchen_facts", &["kitchen_sink"]);
    let s = snapshot(&db);
    assert_eq!(schema_names(&s), ["app", "public"]);
    let app = s.schema("app").unwrap();
    assert_eq!(app.comment.as_deref(), Some("Application tables"));

    // Columns: ordinals skip the dropped column; types are structured.
    let accounts = app.table("accounts").unwrap();
    let names: Vec<&str> = accounts.columns.iter().map(|c| c.name.as_str()).collect();
    assert!(!names.contains(&"code"), "dropped columns are not columns");
    for (i, c) in accounts.columns.iter().enumerate() {
        assert_eq!(c.ordinal as usize, i + 1, "ordinals are dense among live columns");
    }
    let col = |n: &str| accounts.columns.iter().find(|c| c.name == n).unwrap_or_else(|| panic!("column {n}"));
    assert_eq!(col("id").identity, Some(Identity::Always));
    assert_eq!(col("email").type_ref.kind, TypeKind::Domain);
    assert_eq!(col("email").comment.as_deref(), Some("Login address"));
    assert_eq!(col("name").collation.as_deref(), Some("C"));
    assert_eq!(col("status").default.as_deref(), Some("'draft'::app.status"));
    assert_eq!((col("balance").type_ref.precision, col("balance").type_ref.scale), (Some(14), Some(4)));
    assert_eq!(col("ratio").type_ref.precision, None);
    assert_eq!(col("flags").type_ref.length, Some(8));
    assert_eq!(col("mask").type_ref.length, Some(16));
    assert_eq!(col("created_at").type_ref.precision, Some(3));
    assert_eq!(col("wake").type_ref.precision, Some(0));
    assert_eq!(col("span").type_ref.precision, Some(2));
    assert_eq!(col("ym").type_ref.precision, None);
    assert_eq!((col("matrix").type_ref.name.as_str(), col("matrix").type_ref.array_dims), ("int4", 2));
    assert_eq!((col("statuses").type_ref.kind, col("statuses").type_ref.array_dims), (TypeKind::Enum, 1));
    assert_eq!(col("home").type_ref.kind, TypeKind::Composite);
    assert_eq!(col("during").type_ref.kind, TypeKind::Range);
    assert_eq!(col("years").type_ref.kind, TypeKind::Multirange);
    assert_eq!(col("name_upper").generated.as_deref(), Some("upper(name)"));
    assert_eq!(col("name_upper").default, None);
    assert!(col("seq_no").default.as_deref().unwrap().starts_with("nextval('app.accounts_seq_no_seq'"));

    // Constraints.
    let docs = app.table("documents").unwrap();
    assert_eq!(docs.primary_key.as_ref().unwrap().columns, ["account_id", "doc_no"]);
    let fk = docs.foreign_keys.iter().find(|f| f.name == "documents_account_fk").unwrap();
    assert_eq!((fk.on_delete, fk.on_update, fk.deferrable, fk.initially_deferred, fk.match_full), (FkAction::Cascade, FkAction::Restrict, true, true, false));
    let parent = docs.foreign_keys.iter().find(|f| f.name == "documents_parent_fk").unwrap();
    assert!(parent.match_full);
    assert_eq!(parent.referenced_columns, ["account_id", "doc_no"]);
    assert!(docs.uniques[0].nulls_not_distinct);
    assert_eq!(docs.checks[0].definition, "CHECK (title::text <> ''::text)");
    assert_eq!(docs.exclusions[0].definition, "EXCLUDE USING gist (room WITH =, booked WITH &&)");

    // Indexes: expressions, INCLUDE, predicates, backing constraints.
    let idx = docs.indexes.iter().find(|i| i.name == "documents_title_lower_idx").unwrap();
    assert_eq!((idx.columns.as_slice(), idx.include.as_slice(), idx.predicate.as_deref()), (&["lower(title::text)".to_owned()][..], &["body".to_owned()][..], Some("body IS NOT NULL")));
    let pk_idx = docs.indexes.iter().find(|i| i.name == "documents_pkey").unwrap();
    assert!(pk_idx.primary && pk_idx.unique);
    assert_eq!(pk_idx.constraint.as_deref(), Some("documents_pkey"));
    assert_eq!(docs.indexes.iter().find(|i| i.name == "documents_room_excl").unwrap().method, "gist");

    // Triggers: internal (FK) triggers are left out.
    assert_eq!(docs.triggers.len(), 2);
    let touch = &docs.triggers.iter().find(|t| t.name == "documents_touch").unwrap();
    assert_eq!((touch.timing, touch.events.as_slice(), touch.for_each_row, touch.function.as_str()), (TriggerTiming::Before, &[TriggerEvent::Insert, TriggerEvent::Update][..], true, "app.touch"));
    let audit = &docs.triggers.iter().find(|t| t.name == "documents_audit").unwrap();
    assert_eq!((audit.timing, audit.events.as_slice(), audit.for_each_row), (TriggerTiming::After, &[TriggerEvent::Delete, TriggerEvent::Truncate][..], false));

    // Views, materialized views and their indexes / triggers.
    let active = app.view("active_accounts").unwrap();
    // PostgreSQL says every view column is nullable; the definition proves these NOT NULL
    // (NOT NULL columns of the one table it reads).
    assert!(!active.materialized && active.columns.iter().all(|c| !c.nullable));
    assert_eq!(active.triggers[0].timing, TriggerTiming::InsteadOf);
    let counts = app.view("document_counts").unwrap();
    assert!(counts.materialized);
    assert_eq!(counts.indexes[0].name, "document_counts_account_idx");

    // Types.
    assert_eq!(app.enums[0].labels, ["draft", "pending", "active", "archived"], "labels follow enumsortorder");
    let email = app.domains.iter().find(|d| d.name == "email").unwrap();
    assert!(email.not_null);
    assert_eq!((email.type_ref.name.as_str(), email.type_ref.length), ("varchar", Some(320)));
    assert_eq!(email.collation.as_deref(), Some("C"));
    assert_eq!(email.checks.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["email_has_at", "email_not_blank"]);
    let tags = app.domains.iter().find(|d| d.name == "tags").unwrap();
    assert_eq!(tags.type_ref.array_dims, 1);
    let address = &app.composites[0];
    assert_eq!(address.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["street", "city", "zip"]);
    assert_eq!(address.fields[2].comment.as_deref(), Some("Five digits"));
    assert_eq!(address.comment.as_deref(), Some("A postal address"));

    // Partitions: nested and default, under their parent only.
    let events = app.table("events").unwrap();
    assert_eq!((events.kind, events.partition_key.as_deref()), (TableKind::Partitioned, Some("RANGE (happened_on)")));
    let parts: Vec<(&str, &str)> = events.partitions.iter().map(|p| (p.name.as_str(), p.bound.as_str())).collect();
    assert_eq!(parts, [("events_2024", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"), ("events_2025", "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"), ("events_default", "DEFAULT")]);
    assert_eq!(events.partitions[0].partition_key.as_deref(), Some("LIST (kind)"));
    assert_eq!(events.partitions[0].partitions.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["events_2024_click", "events_2024_other"]);
    assert!(app.tables.iter().all(|t| !t.name.starts_with("events_")), "partitions are not top-level tables");

    // Foreign tables.
    let remote = app.table("remote_things").unwrap();
    assert_eq!(remote.kind, TableKind::Foreign);
    assert_eq!(remote.checks[0].name, "remote_things_id_positive");
    assert_eq!(remote.comment.as_deref(), Some("Lives in another database"));
}

#[test]
fn nasty_names_snapshot() {
    let db = db_with("nasty_names", &["nasty_names"]);
    let s = snapshot(&db);
    let mixed = s.schema("Mixed Case").expect("schema with a space and capitals");
    let users = mixed.table("User Accounts").unwrap();
    let names: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Id", "first name", "quote\"inside", "type", "fn", "user", "Ünïcødé", "123abc"]);
    assert_eq!(mixed.tables.iter().find(|t| t.name.len() == 63).unwrap().columns[0].name.len(), 63, "63-byte identifiers are kept whole");
    assert!(mixed.table("no pk").unwrap().primary_key.is_none());
    let weird = users.indexes.iter().find(|i| i.name == "Weird \"Index\"").unwrap();
    assert_eq!(weird.columns, ["first name", "(\"quote\"\"inside\" || 'x'::text)"], "plain columns raw, expressions as printed");
    assert_eq!(mixed.table("no pk").unwrap().foreign_keys[0].name, "fk to \"users\"");
    assert_eq!(mixed.enums[0].labels, ["happy", "very sad", "Ünïcødé", "it's"]);
    insta::assert_snapshot!("nasty_names", s.to_json());
}

#[test]
fn schema_filters_include_and_exclude() {
    let db = db_with("filters", &["multi_schema"]);
    let all = snapshot(&db);
    assert_eq!(schema_names(&all), ["archive", "hr", "public", "sales"]);
    assert!(all.schema("archive").unwrap().tables.is_empty(), "a schema holding only partitions lists no tables");

    let only_sales = snapshot_with(&db, &IntrospectOptions { include_schemas: vec!["sales".into()], ..Default::default() });
    assert_eq!(schema_names(&only_sales), ["sales"]);
    let orders = only_sales.schema("sales").unwrap().table("orders").unwrap();
    let parts: Vec<String> = orders.partitions.iter().map(|p| format!("{}.{}", p.schema, p.name)).collect();
    assert_eq!(parts, ["archive.orders_2023", "sales.orders_current"], "partitions are kept even from a schema not included");
    assert_eq!(orders.foreign_keys[0].references.to_string(), "hr.employees", "references into excluded schemas are kept");
    assert_eq!((orders.foreign_keys[0].columns.as_slice(), orders.foreign_keys[0].referenced_columns.as_slice()), (&["seller_id".to_owned()][..], &["id".to_owned()][..]), "columns of a table outside the snapshot are still named");

    let no_hr = snapshot_with(&db, &IntrospectOptions { exclude_schemas: vec!["hr".into(), "archive".into()], ..Default::default() });
    assert_eq!(schema_names(&no_hr), ["public", "sales"]);
    let view = no_hr.schema("sales").unwrap().view("order_sellers").unwrap();
    assert_eq!(view.columns[1].type_ref.schema, "hr", "a column may use a type from an excluded schema");

    let both = snapshot_with(&db, &IntrospectOptions { include_schemas: vec!["sales".into(), "hr".into()], exclude_schemas: vec!["hr".into()], ..Default::default() });
    assert_eq!(schema_names(&both), ["sales"], "exclusion wins over inclusion");

    let none = snapshot_with(&db, &IntrospectOptions { include_schemas: vec!["does_not_exist".into()], ..Default::default() });
    assert!(none.schemas.is_empty());
}

#[test]
fn extension_objects_are_excluded() {
    let db = db_with("extensions", &["extensions"]);
    let s = snapshot(&db);
    assert_eq!(schema_names(&s), ["public"]);
    let public = s.schema("public").unwrap();
    assert_eq!(public.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["users"]);
    assert!(public.views.is_empty(), "pg_buffercache's view belongs to the extension");
    assert!(public.domains.is_empty(), "earthdistance's `earth` domain belongs to the extension");
    assert!(public.composites.is_empty(), "tablefunc's composite types belong to the extension");
    assert!(public.enums.is_empty());
    let users = &public.tables[0];
    let email = &users.columns[1];
    assert_eq!((email.sql_type.as_str(), email.type_ref.kind, email.type_ref.schema.as_str()), ("public.citext", TypeKind::Base, "public"));
    assert_eq!(users.columns[2].type_ref.name, "hstore");
    assert_eq!((users.columns[3].type_ref.name.as_str(), users.columns[3].type_ref.array_dims), ("citext", 1));
    assert_eq!(users.columns[4].type_ref.kind, TypeKind::Domain);
    insta::assert_snapshot!("extensions", s.to_json());
}

#[test]
fn system_schemas_never_appear() {
    let db = db_with("system", &[]);
    // A temp table lives in pg_temp_N; it must not show up, not even as a schema.
    let mut client = db.client();
    client.batch_execute("CREATE TEMP TABLE scratch (id int)").unwrap();
    let s = schema_gen::introspect::introspect(&mut client, &IntrospectOptions::default()).unwrap();
    assert_eq!(schema_names(&s), ["public"]);
    assert!(s.schemas[0].tables.is_empty());
}

#[test]
fn introspection_is_deterministic() {
    let sql = ["kitchen_sink", "nasty_names", "multi_schema"];
    let a = db_with("determinism_a", &sql);
    let b = db_with("determinism_b", &sql);
    let first = snapshot(&a).to_json();
    assert_eq!(first, snapshot(&a).to_json(), "same database twice: identical bytes");
    assert_eq!(first, snapshot(&b).to_json(), "same SQL in another database (other OIDs): identical bytes");
}

#[test]
fn settings_of_the_role_do_not_leak_into_the_snapshot() {
    let db = db_with("settings", &["kitchen_sink"]);
    let baseline = snapshot(&db).to_json();
    let mut client = db.client();
    client
        .batch_execute("SET search_path = app, public; SET DateStyle = 'SQL, DMY'; SET TimeZone = 'Asia/Tokyo'; SET quote_all_identifiers = on")
        .unwrap();
    let s = schema_gen::introspect::introspect(&mut client, &IntrospectOptions::default()).unwrap();
    assert_eq!(s.to_json(), baseline);
}

#[test]
fn json_round_trip_is_identical() {
    let db = db_with("round_trip", &["kitchen_sink", "nasty_names"]);
    let s = snapshot(&db);
    let json = s.to_json();
    let back = Snapshot::from_json(&json, "<test>").unwrap();
    assert_eq!(back, s);
    assert_eq!(back.to_json(), json);
}

#[test]
fn query_count_is_constant() {
    let small = db_with("queries_small", &[]);
    let large = db_with("queries_large", &["kitchen_sink", "nasty_names", "multi_schema"]);
    let run = |db: &test_support::TestDb| introspect_with_stats(&mut db.client(), &IntrospectOptions::default()).unwrap().1;
    let (s, l) = (run(&small), run(&large));
    assert_eq!(s.catalog_queries as usize, QUERY_NAMES.len());
    assert_eq!((s.catalog_queries, s.round_trips), (l.catalog_queries, l.round_trips));
    assert_eq!(l.round_trips, l.catalog_queries + 2, "plus BEGIN and COMMIT only");
    assert!(l.rows > s.rows);
}

#[test]
fn helper_connection_gives_the_same_snapshot() {
    // introspect_url runs constraints, indexes and triggers on a second connection that joins
    // the main transaction's snapshot; the result must be byte-identical to one connection's.
    let db = db_with("helper_same", &["kitchen_sink", "nasty_names", "multi_schema", "extensions"]);
    let filtered = IntrospectOptions { include_schemas: vec!["app".into(), "public".into()], exclude_schemas: vec!["public".into()], ..IntrospectOptions::default() };
    for options in [IntrospectOptions::default(), filtered] {
        let one = snapshot_with(&db, &options);
        let (two, stats) = introspect_url_with_stats(db.url(), &options).unwrap();
        assert_eq!(stats.connections, 2, "the helper connection should have been used");
        assert_eq!(two.to_json(), one.to_json(), "schemas {:?} minus {:?}", options.include_schemas, options.exclude_schemas);
    }
}

#[test]
fn helper_round_trips_are_constant() {
    let small = db_with("helper_small", &[]);
    let large = db_with("helper_large", &["kitchen_sink", "nasty_names", "multi_schema"]);
    let run = |db: &test_support::TestDb| introspect_url_with_stats(db.url(), &IntrospectOptions::default()).unwrap().1;
    let (s, l) = (run(&small), run(&large));
    assert_eq!((s.connections, l.connections), (2, 2));
    assert_eq!(l.catalog_queries as usize, QUERY_NAMES.len());
    assert_eq!((s.catalog_queries, s.round_trips), (l.catalog_queries, l.round_trips));
    assert_eq!(l.round_trips, l.catalog_queries + 4, "plus BEGIN and COMMIT on each connection");
}

#[test]
fn without_a_second_connection_introspection_still_works() {
    // A role allowed one connection: the helper cannot connect, so the main connection runs
    // every query itself and the snapshot is the same.
    let db = db_with("helper_fallback", &["kitchen_sink"]);
    let role = format!("pgcanon_one_conn_{}", std::process::id());
    let mut admin = db.client();
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN CONNECTION LIMIT 1")).unwrap();
    let result = introspect_url_with_stats(&with_user(db.url(), &role), &IntrospectOptions::default());
    admin.batch_execute(&format!("DROP ROLE {role}")).unwrap();
    let (s, stats) = result.unwrap();
    assert_eq!(stats.connections, 1);
    assert_eq!(stats.round_trips, stats.catalog_queries + 2);
    assert_eq!(s.to_json(), snapshot(&db).to_json());
}

/// `url` with its user replaced by `user` (URL form, as test_support builds them).
fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// URL");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let host = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    format!("{scheme}://{user}@{host}")
}

#[test]
fn fast_index_definitions_match_pg_get_indexdef() {
    // indexes.sql spells simple index definitions itself instead of calling pg_get_indexdef;
    // prove they agree for every index of every fixture.
    let db = db_with("indexdef", &["kitchen_sink", "nasty_names", "multi_schema", "extensions"]);
    db.execute(
        "CREATE TABLE public.shapes (id int, \"Name\" varchar(20), code text COLLATE \"C\", n int);
         CREATE INDEX shapes_desc ON public.shapes (id DESC NULLS LAST);
         CREATE INDEX shapes_varchar ON public.shapes (\"Name\");
         CREATE INDEX shapes_collate ON public.shapes (code COLLATE \"POSIX\");
         CREATE INDEX shapes_pattern ON public.shapes (code text_pattern_ops);
         CREATE INDEX shapes_fill ON public.shapes (n) WITH (fillfactor = 70);
         CREATE UNIQUE INDEX shapes_nnd ON public.shapes (n) INCLUDE (id, \"Name\") NULLS NOT DISTINCT;
         CREATE INDEX shapes_hash ON public.shapes USING hash (id);",
    );
    let s = snapshot(&db);
    let mut client = db.client();
    let mut checked = 0;
    for schema in &s.schemas {
        for table in &schema.tables {
            for index in &table.indexes {
                let truth: String = client
                    .query_one("SELECT pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2", &[&schema.name, &index.name])
                    .unwrap()
                    .get(0);
                // The snapshot is taken with search_path = pg_catalog; so must the reference be.
                let truth = if truth.contains(&format!(" ON {}.", quote(&schema.name))) || truth.contains(&format!(" ON ONLY {}.", quote(&schema.name))) { truth } else { truth.replacen(" ON ", &format!(" ON {}.", quote(&schema.name)), 1) };
                assert_eq!(index.definition, truth, "index `{}.{}`", schema.name, index.name);
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} indexes checked");
}

fn quote(ident: &str) -> String {
    if ident.chars().all(|c| c.is_ascii_lowercase() || c == '_') { ident.to_owned() } else { format!("\"{}\"", ident.replace('"', "\"\"")) }
}

#[test]
fn introspection_writes_nothing() {
    let db = db_with("read_only", &["kitchen_sink"]);
    let mut client = db.client();
    // Tuple counters of this database (catalog writes included), flushed on demand.
    let counters = |c: &mut postgres::Client| -> i64 {
        c.batch_execute("SELECT pg_stat_force_next_flush()").unwrap();
        let mut observer = db.client();
        observer.batch_execute("SELECT pg_stat_clear_snapshot()").unwrap();
        observer
            .query_one("SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()", &[])
            .unwrap()
            .get(0)
    };
    let before = counters(&mut client);
    let (s, _) = introspect_with_stats(&mut client, &IntrospectOptions::default()).unwrap();
    assert!(!s.schemas.is_empty());
    let after = counters(&mut client);
    assert_eq!(after, before, "introspection wrote to the database");
    // Control: the same probe does see a write, so the assertion above can fail.
    client.batch_execute("CREATE TABLE app.written (id int)").unwrap();
    assert!(counters(&mut client) > after, "the write probe must detect catalog writes");
}

#[test]
fn introspection_needs_no_privileges_and_runs_read_only() {
    let db = db_with("reader", &["kitchen_sink"]);
    let role = format!("pgcanon_reader_{}", std::process::id());
    db.execute(&format!(
        "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN;
         ALTER ROLE {role} SET default_transaction_read_only = on;
         REVOKE ALL ON SCHEMA public FROM PUBLIC;"
    ));
    let url = db.url().replacen("://", &format!("://{role}@"), 1);
    let url = match url.find('@').zip(url[url.find('@').unwrap() + 1..].find('@')) {
        // The server URL already named a user: keep only ours.
        Some((first, second)) => format!("{}{}", &url[..first + 1], &url[first + 2 + second..]),
        None => url,
    };
    let result = (|| {
        let mut client = schema_gen::db::connect(&url)?;
        let who: String = client.query_one("SELECT current_user::text", &[]).map_err(|e| schema_gen::Error::query("current_user", None, e))?.get(0);
        assert_eq!(who, role, "the test must really run as the unprivileged role");
        schema_gen::introspect::introspect(&mut client, &IntrospectOptions::default())
    })();
    db.execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"));
    let as_reader = result.expect("a role without privileges, read-only by default, can introspect");
    assert_eq!(as_reader.to_json(), snapshot(&db).to_json(), "catalog visibility does not depend on privileges");
}

#[test]
fn statement_timeout_bounds_a_blocked_query() {
    // pg_get_viewdef takes a share lock on the view; hold an exclusive one elsewhere so the
    // relations query blocks, and check the timeout turns that into a clear error.
    let db = db_with("timeout", &["kitchen_sink"]);
    let mut blocker = db.client();
    blocker.batch_execute("BEGIN; LOCK TABLE app.active_accounts IN ACCESS EXCLUSIVE MODE").unwrap();
    let options = IntrospectOptions { statement_timeout: std::time::Duration::from_millis(300), ..Default::default() };
    let started = std::time::Instant::now();
    let err = schema_gen::introspect::introspect(&mut db.client(), &options).unwrap_err().to_string();
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "the timeout must stop the wait");
    assert!(err.contains("catalog query `relations.sql` failed") && err.contains("statement timeout"), "{err}");
    assert!(err.contains("`--timeout`"), "hints at the fix: {err}");
    blocker.batch_execute("ROLLBACK").unwrap();
}
