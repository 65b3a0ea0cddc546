//! The async targets decode real rows: the demo schema through the `tokio-postgres` and `sqlx`
//! models `build.rs` generates (`OUT_DIR/pgcanon_models_{tokio_postgres,sqlx}.rs`), and the
//! type zoo through the committed `tests/generated/zoo_*.rs` (both time crates, both async
//! clients, and one file generated for `postgres` and `sqlx` at once, decoded by both).
//!
//! Each test makes a throwaway database (synchronously: the sync `postgres` client must not
//! run inside a tokio runtime), then runs its async part on a current-thread tokio runtime.

// The tests read fields and call a few constants; the rest is the generated API, not dead code.
#[allow(dead_code)]
mod demo_tokio {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_tokio_postgres.rs"));
}
#[allow(dead_code)]
mod demo_sqlx {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_sqlx.rs"));
}
#[allow(dead_code)]
mod zoo_tokio {
    include!("generated/zoo_tokio_postgres_time.rs");
}
#[allow(dead_code)]
mod zoo_sqlx {
    include!("generated/zoo_sqlx.rs");
}
#[allow(dead_code)]
mod zoo_mixed {
    include!("generated/zoo_postgres_sqlx_time.rs");
}

use std::future::Future;

use rust_decimal::Decimal;
use test_support::TestDb;

const DEMO_SQL: &str = include_str!("../schema/demo.sql");
const ZOO_SQL: &str = include_str!("../schema-gen/tests/fixtures/codegen/zoo.sql");

/// The zoo row with every column set; `$1` is a `mood`, `$2` a `mood[]`, `$3` a `point3`.
const ZOO_FULL: &str = "INSERT INTO zoo VALUES (true, 2, 4, 8, 42, 1.5, 2.25, 'x', 'text', 'varchar', 'ab', 'name', '\\xdead',
    12.345, '{\"a\": 1}', '[true]', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '13:14:15',
    '2024-01-02 03:04:05.678', '2024-01-02 03:04:05+02', '192.168.0.1', '10.0.0.0/8', '08:00:2b:01:02:03',
    'CaseLess', '1 day 2 hours', 12.34, '{1,2,3}', '{a,b}', '{{1,2},{3,4}}', $1, $2, 'short', '{x,y}', $3, '[1,5)',
    DEFAULT, B'101', B'1', '<a>é</a>', 'a fat cat')";
/// A row with only the NOT NULL columns set.
const ZOO_BARE: &str = "INSERT INTO zoo (c_bool, c_int2, c_int4, c_int8, c_jsonb, c_uuid, c_timestamptz, c_int_arr, c_enum, c_domain)
    VALUES (false, 0, 0, 1, 'null', '00000000-0000-0000-0000-000000000000', 'epoch', '{}', 'sad', '')";

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime").block_on(future)
}

/// A `tokio-postgres` client of `db`, its connection driven by a spawned task.
async fn tokio_client(db: &TestDb) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls).await.expect("connect with tokio-postgres");
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("tokio-postgres connection error: {e}");
        }
    });
    client
}

async fn sqlx_connection(db: &TestDb) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(db.url()).await.expect("connect with sqlx")
}

/// The demo rows every test inserts beside the ones bound through generated types.
const DEMO_ROWS: &str = "INSERT INTO users (email, role) VALUES ('bob@example.com', 'guest');
    UPDATE users SET deleted_at = '2024-05-06T07:08:09Z' WHERE email = 'bob@example.com';
    INSERT INTO billing.payments (user_id, amount, status) VALUES (2, 5, 'in dispute');";
const DEMO_ADA: &str = "INSERT INTO users (email, display_name, role, tags, settings, address, \"type\", \"userID\")
    VALUES ('ada@example.com', 'Ada', $1, ARRAY['a', 'b c'], '{\"dark\": true}', $2, 'admin-ish', 7)";

#[test]
fn tokio_postgres_models_decode_the_demo() {
    use demo_tokio::billing::{PaymentStatus, Payments, UserBalances};
    use demo_tokio::public::{PostalAddress, UserRole, Users};
    let db = TestDb::with_sql("async_demo_tokio", DEMO_SQL);
    block_on(async {
        let c = tokio_client(&db).await;
        let address = PostalAddress { street: Some("1 Rue d'Ünïcode".into()), city: Some("Paris".into()), zip: None };
        c.execute(DEMO_ADA, &[&UserRole::ReadOnly, &address]).await.unwrap();
        c.batch_execute(DEMO_ROWS).await.unwrap();
        c.execute("INSERT INTO billing.payments (user_id, amount, status) VALUES (1, 19.99, $1)", &[&PaymentStatus::Paid]).await.unwrap();
        let decode = |rows: Vec<tokio_postgres::Row>| rows.iter().map(Users::try_from).collect::<Result<Vec<_>, _>>();
        let users = decode(c.query(&format!("{} ORDER BY id", Users::SELECT), &[]).await.unwrap()).unwrap();
        assert_eq!(users.len(), 2);
        let (ada, bob) = (&users[0], &users[1]);
        assert_eq!((ada.email.as_str(), ada.role, ada.tags.as_slice()), ("ada@example.com", UserRole::ReadOnly, &["a".to_owned(), "b c".to_owned()][..]));
        assert_eq!(ada.address.as_ref(), Some(&address));
        assert_eq!((ada.r#type.as_deref(), ada.user_id), (Some("admin-ish"), Some(7)));
        assert_eq!((bob.display_name.as_ref(), bob.deleted_at.map(|d| d.timestamp())), (None, Some(1_714_979_289)));
        let payments: Vec<Payments> =
            c.query(&format!("{} ORDER BY amount", Payments::SELECT), &[]).await.unwrap().iter().map(|r| Payments::try_from(r).unwrap()).collect();
        assert_eq!((payments[0].status, payments[0].amount), (PaymentStatus::InDispute, Decimal::new(5, 0)));
        assert_eq!((payments[1].status, payments[1].amount), (PaymentStatus::Paid, Decimal::new(1999, 2)));
        let balances: Vec<UserBalances> =
            c.query(&format!("{} ORDER BY 1", UserBalances::SELECT), &[]).await.unwrap().iter().map(|r| UserBalances::try_from(r).unwrap()).collect();
        assert_eq!(balances[0].total_paid, Some(Decimal::new(1999, 2)));
    });
}

#[test]
fn sqlx_models_decode_the_demo_and_serialize_with_sql_names() {
    use demo_sqlx::billing::{AuditLog, PaymentStatus, Payments, UserBalances};
    use demo_sqlx::public::{ActiveUsers, PostalAddress, UserRole, Users};
    let db = TestDb::with_sql("async_demo_sqlx", DEMO_SQL);
    block_on(async {
        let mut c = sqlx_connection(&db).await;
        let address = PostalAddress { street: Some("1 Rue d'Ünïcode".into()), city: Some("Paris".into()), zip: None };
        sqlx::query(DEMO_ADA).bind(UserRole::ReadOnly).bind(&address).execute(&mut c).await.unwrap();
        sqlx::raw_sql(DEMO_ROWS).execute(&mut c).await.unwrap();
        sqlx::query("INSERT INTO billing.payments (user_id, amount, status) VALUES (1, 19.99, $1)")
            .bind(PaymentStatus::Paid)
            .execute(&mut c)
            .await
            .unwrap();
        sqlx::raw_sql("INSERT INTO billing.audit_log (actor, action, amounts) VALUES (NULL, 'boot', '{1.5, 2}')").execute(&mut c).await.unwrap();
        let users: Vec<Users> = sqlx::query_as(&format!("{} ORDER BY id", Users::SELECT)).fetch_all(&mut c).await.unwrap();
        assert_eq!(users.len(), 2);
        let (ada, bob) = (&users[0], &users[1]);
        assert_eq!((ada.email.as_str(), ada.role, ada.tags.as_slice()), ("ada@example.com", UserRole::ReadOnly, &["a".to_owned(), "b c".to_owned()][..]));
        // `#[sqlx(rename)]` carries the exact column names (a keyword, camel case).
        assert_eq!((ada.r#type.as_deref(), ada.user_id), (Some("admin-ish"), Some(7)));
        assert_eq!(ada.address.as_ref(), Some(&address), "a composite decodes through `sqlx::Type`");
        assert_eq!((bob.display_name.as_ref(), bob.deleted_at.map(|d| d.timestamp())), (None, Some(1_714_979_289)));
        // An enum of another schema resolves by its qualified `type_name`.
        let payments: Vec<Payments> = sqlx::query_as(&format!("{} ORDER BY amount", Payments::SELECT)).fetch_all(&mut c).await.unwrap();
        assert_eq!((payments[0].status, payments[0].amount), (PaymentStatus::InDispute, Decimal::new(5, 0)));
        assert_eq!((payments[1].status, payments[1].currency.as_str()), (PaymentStatus::Paid, "EUR"));
        let log: Vec<AuditLog> = sqlx::query_as(AuditLog::SELECT).fetch_all(&mut c).await.unwrap();
        assert_eq!(log[0].amounts, Some(vec![Decimal::new(15, 1), Decimal::new(2, 0)]));
        let active: Vec<ActiveUsers> = sqlx::query_as(ActiveUsers::SELECT).fetch_all(&mut c).await.unwrap();
        assert_eq!(active[0].role, UserRole::ReadOnly);
        let balances: Vec<UserBalances> = sqlx::query_as(&format!("{} ORDER BY 1", UserBalances::SELECT)).fetch_all(&mut c).await.unwrap();
        assert_eq!((balances[0].total_paid, balances[1].payment_count), (Some(Decimal::new(1999, 2)), 0), "bob has no paid payment");

        // serde: column names as keys, enums by their PostgreSQL labels; and back.
        let json = serde_json::to_value(ada).unwrap();
        assert_eq!((&json["userID"], &json["type"], &json["role"]), (&serde_json::json!(7), &serde_json::json!("admin-ish"), &serde_json::json!("read-only")));
        assert_eq!(serde_json::to_value(PaymentStatus::InDispute).unwrap(), "in dispute");
        assert_eq!(&serde_json::from_value::<Users>(json).unwrap(), ada);
    });
}

#[test]
fn tokio_postgres_decodes_every_zoo_type_with_the_time_crate() {
    use zoo_tokio::pgcanon_support::{BitString, Interval, Money, Xml};
    use zoo_tokio::public::{Mood, Point3, Zoo};
    let db = TestDb::with_sql("async_zoo_tokio", ZOO_SQL);
    block_on(async {
        let c = tokio_client(&db).await;
        let point = Point3 { x: Some(1.0), y: None, z: Some(-2.5), label: Some("p \"q\"".into()), tags: Some(vec!["a".into()]) };
        c.execute(ZOO_FULL, &[&Mood::Happy, &vec![Mood::Sad, Mood::Ok], &point]).await.unwrap();
        c.batch_execute(ZOO_BARE).await.unwrap();
        let rows = c.query(&format!("{} ORDER BY c_int8 DESC", Zoo::SELECT), &[]).await.unwrap();
        let zoos: Vec<Zoo> = rows.iter().map(|r| Zoo::try_from(r).unwrap_or_else(|e| panic!("decode: {e}"))).collect();
        let full = &zoos[0];
        assert_eq!(full.c_date, Some(time::macros::date!(2024 - 02 - 29)));
        assert_eq!(full.c_time, Some(time::macros::time!(13:14:15)));
        assert_eq!(full.c_timestamp, Some(time::macros::datetime!(2024-01-02 03:04:05.678)));
        assert_eq!(full.c_timestamptz, time::macros::datetime!(2024-01-02 01:04:05 UTC));
        assert_eq!((full.c_enum, full.c_enum_arr.as_deref()), (Mood::Happy, Some(&[Mood::Sad, Mood::Ok][..])));
        assert_eq!(full.c_composite.as_ref(), Some(&point));
        assert_eq!((full.c_oid, full.c_numeric, full.c_domain.as_str()), (Some(42), Some(Decimal::new(12345, 3)), "short"));
        assert_eq!(full.c_interval, Some(Interval { months: 0, days: 1, microseconds: 2 * 3_600_000_000 }));
        assert_eq!((full.c_money, full.c_xml.clone()), (Some(Money(1234)), Some(Xml("<a>é</a>".into()))));
        assert_eq!(full.c_bit, Some(BitString::from_bits([true, false, true])));
        assert_eq!(full.c_tsvector.as_ref().map(ToString::to_string).as_deref(), Some("'a' 'cat' 'fat'"));
        let bare = &zoos[1];
        assert_eq!((bare.c_date, bare.c_timestamp, bare.c_composite.as_ref()), (None, None, None));
        assert_eq!(bare.c_timestamptz, time::OffsetDateTime::UNIX_EPOCH);
    });
}

/// The sqlx zoo (chrono, serde, sqlx as the only target): `oid` decodes as sqlx's `Oid`.
#[test]
fn sqlx_decodes_every_zoo_type() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use zoo_sqlx::pgcanon_support::{BitString, Interval, Money, RawValue, Xml};
    use zoo_sqlx::public::{Mood, Point3, Zoo, ZooSummary};
    let db = TestDb::with_sql("async_zoo_sqlx", ZOO_SQL);
    block_on(async {
        let mut c = sqlx_connection(&db).await;
        let point = Point3 { x: Some(1.0), y: None, z: Some(-2.5), label: Some("p \"q\"".into()), tags: Some(vec!["a".into()]) };
        sqlx::query(ZOO_FULL).bind(Mood::Happy).bind(vec![Mood::Sad, Mood::Ok]).bind(&point).execute(&mut c).await.unwrap();
        sqlx::raw_sql(&format!("{ZOO_BARE}; REFRESH MATERIALIZED VIEW zoo_summary")).execute(&mut c).await.unwrap();
        let zoos: Vec<Zoo> = sqlx::query_as(&format!("{} ORDER BY c_int8 DESC", Zoo::SELECT)).fetch_all(&mut c).await.unwrap();
        let full = &zoos[0];
        assert_eq!((full.c_bool, full.c_int2, full.c_int4, full.c_int8), (true, 2, 4, 8));
        assert_eq!(full.c_oid, Some(sqlx::postgres::types::Oid(42)));
        assert_eq!((full.c_float4, full.c_float8, full.c_char), (Some(1.5), Some(2.25), Some(b'x' as i8)));
        assert_eq!((full.c_bpchar.as_deref(), full.c_name.as_deref()), (Some("ab "), Some("name")));
        assert_eq!(full.c_bytea.as_deref(), Some(&[0xde, 0xad][..]));
        assert_eq!((full.c_numeric, full.c_jsonb.clone()), (Some(Decimal::new(12345, 3)), serde_json::json!([true])));
        assert_eq!(full.c_date, NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(full.c_timestamptz, Utc.with_ymd_and_hms(2024, 1, 2, 1, 4, 5).unwrap());
        assert_eq!((full.c_inet, full.c_citext.as_deref()), (Some("192.168.0.1".parse().unwrap()), Some("CaseLess")));
        assert_eq!((full.c_int_arr.as_slice(), full.c_text_arr.as_deref()), (&[1, 2, 3][..], Some(&["a".to_owned(), "b".to_owned()][..])));
        assert_eq!((full.c_enum, full.c_enum_arr.as_deref()), (Mood::Happy, Some(&[Mood::Sad, Mood::Ok][..])));
        assert_eq!((full.c_domain.as_str(), full.c_composite.as_ref()), ("short", Some(&point)));
        assert_eq!(full.c_interval, Some(Interval { months: 0, days: 1, microseconds: 2 * 3_600_000_000 }));
        assert_eq!((full.c_money, full.c_xml.clone()), (Some(Money(1234)), Some(Xml("<a>é</a>".into()))));
        assert_eq!((full.c_bit.clone(), full.c_varbit.as_ref().map(BitString::len)), (Some(BitString::from_bits([true, false, true])), Some(1)));
        assert_eq!(full.c_tsvector.as_ref().map(ToString::to_string).as_deref(), Some("'a' 'cat' 'fat'"));
        // Raw fallbacks keep the binary wire value (an int4range `[1,5)` is 17 bytes).
        assert_eq!(full.c_range.as_ref().map(|RawValue(b)| b.len()), Some(17));
        assert!(full.c_matrix.is_some() && full.c_domain_arr.is_some() && full.c_cidr.is_some());
        assert_eq!(full.c_generated, Some(16));
        let bare = &zoos[1];
        assert_eq!((bare.c_oid, bare.c_text.as_deref(), bare.c_composite.as_ref(), bare.c_interval), (None, None, None, None));
        assert_eq!((bare.c_jsonb.clone(), bare.c_int_arr.len()), (serde_json::Value::Null, 0));
        // serde round trip of a row holding every type family.
        let back: Zoo = serde_json::from_value(serde_json::to_value(full).unwrap()).unwrap();
        assert_eq!(&back, full);
        // A NULL element in a `Vec<T>` is an error, never a panic.
        sqlx::raw_sql("UPDATE zoo SET c_text_arr = '{a,NULL}' WHERE c_int8 = 1").execute(&mut c).await.unwrap();
        let err = sqlx::query_as::<_, Zoo>(&format!("{} WHERE c_int8 = 1", Zoo::SELECT)).fetch_one(&mut c).await.unwrap_err();
        assert!(err.to_string().contains("c_text_arr"), "{err}");
        let summary: Vec<ZooSummary> = sqlx::query_as(ZooSummary::SELECT).fetch_all(&mut c).await.unwrap();
        assert_eq!(summary[0].n, 2);
    });
}

/// One file generated for `postgres` and `sqlx` at once (time crate): the sync client and sqlx
/// decode the very same structs, and agree on every value.
#[test]
fn postgres_and_sqlx_decode_the_same_structs_alike() {
    use zoo_mixed::pgcanon_support::RawValue;
    use zoo_mixed::public::{Mood, Point3, Zoo};
    let db = TestDb::with_sql("async_zoo_mixed", ZOO_SQL);
    let point = Point3 { x: Some(1.0), y: None, z: None, label: Some("mixed".into()), tags: None };
    let mut sync = db.client();
    sync.execute(ZOO_FULL, &[&Mood::Ok, &vec![Mood::Happy], &point]).unwrap();
    sync.batch_execute(ZOO_BARE).unwrap();
    let select = format!("{} ORDER BY c_int8 DESC", Zoo::SELECT);
    let by_postgres: Vec<Zoo> = sync.query(&select, &[]).unwrap().iter().map(|r| Zoo::try_from(r).unwrap()).collect();
    drop(sync);
    let by_sqlx: Vec<Zoo> = block_on(async {
        let mut c = sqlx_connection(&db).await;
        // Bound through sqlx too: the enum, the enum array and the composite encode.
        sqlx::query(ZOO_FULL.replace("true, 2, 4, 8", "true, 2, 4, 9").as_str())
            .bind(Mood::Ok)
            .bind(vec![Mood::Happy])
            .bind(&point)
            .execute(&mut c)
            .await
            .unwrap();
        sqlx::query_as(&select).fetch_all(&mut c).await.unwrap()
    });
    assert_eq!(by_sqlx.len(), 3);
    assert_eq!(by_sqlx[1..], by_postgres[..], "the same rows decode to the same values through both clients");
    let (via_sqlx, via_postgres) = (&by_sqlx[0], &by_postgres[0]);
    assert_eq!(Zoo { c_int8: 8, c_generated: Some(16), ..via_sqlx.clone() }, *via_postgres, "sqlx's inserted row matches");
    // With two targets no single Rust type decodes `oid` for both: it is the raw value.
    assert_eq!(via_postgres.c_oid, Some(RawValue(42u32.to_be_bytes().to_vec())));
    assert_eq!(via_postgres.c_date, Some(time::macros::date!(2024 - 02 - 29)));
}

/// The row-decoding benchmark's models (`benches/decode/models.rs`) are what the generator makes
/// for its table on a live server, for all three targets at once; set
/// `PGCANON_UPDATE_GENERATED=1` to rewrite them after a generator change.
#[test]
fn committed_bench_models_match_the_generator() {
    use schema_gen::Target;
    let db = TestDb::with_sql("async_bench_models", include_str!("../benches/decode/schema.sql"));
    let snapshot = schema_gen::introspect::introspect_url(db.url(), &Default::default()).unwrap();
    let code = schema_gen::Config::new().targets([Target::Postgres, Target::TokioPostgres, Target::Sqlx]).generate(&snapshot).unwrap().code;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/decode/models.rs");
    if std::env::var_os("PGCANON_UPDATE_GENERATED").is_some() {
        schema_gen::write_if_changed(&path, code.as_bytes()).unwrap();
    }
    assert!(std::fs::read_to_string(&path).unwrap_or_default() == code, "`{}` is stale; rerun with PGCANON_UPDATE_GENERATED=1", path.display());
}
