//! The generated demo models decode real rows: `schema/demo.sql` is loaded into a throwaway
//! database, rows covering every mapped type (NULLs, arrays, enums, domains, a composite,
//! json, timestamps, numeric, uuid, inet, bytea) are inserted — enums and the composite
//! through the generated `ToSql` impls — then selected with each struct's `SELECT` constant
//! and decoded with its `TryFrom<&postgres::Row>`.
//!
//! The same runs on the oldest and newest supported majors (13 and 18), each a throwaway server:
//! there the demo schema must first snapshot to exactly the committed `schema/snapshot.json`, so
//! the models this crate compiled are the ones `generate` makes for that server; one smoke
//! round trip then decodes through the async targets' models (sqlx and tokio-postgres) too.

use chrono::{NaiveDate, TimeZone, Utc};
use pgcanon::generated::billing::{AuditLog, PaymentStatus, Payments, UserBalances};
use pgcanon::generated::public::{ActiveUsers, Comments, Media, PostalAddress, UserRole, Users};
use rust_decimal::Decimal;
use test_support::{major_under_test, PgServer, TestDb};

// `build.rs` generates these from the same committed snapshot; the smoke uses a few items.
#[allow(dead_code)]
mod demo_sqlx {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_sqlx.rs"));
}
#[allow(dead_code)]
mod demo_tokio {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_tokio_postgres.rs"));
}

const DEMO_SQL: &str = include_str!("../schema/demo.sql");

fn decode_all<T>(client: &mut postgres::Client, select: &str) -> Vec<T>
where
    T: for<'a> TryFrom<&'a postgres::Row, Error = postgres::Error>,
{
    let rows = client.query(&format!("{select} ORDER BY 1"), &[]).unwrap_or_else(|e| panic!("{select}: {e}"));
    rows.iter().map(|r| T::try_from(r).unwrap_or_else(|e| panic!("decode via {select}: {e}"))).collect()
}

#[test]
fn generated_models_decode_every_demo_type() {
    decode_demo(&TestDb::with_sql("live_decode", DEMO_SQL));
}

#[test]
fn generate_compile_decode_on_the_oldest_and_newest_majors() {
    for major in [13, 18] {
        if !major_under_test(major) {
            eprintln!("PostgreSQL {major} is not in PGCANON_PG_VERSIONS; not run");
            continue;
        }
        let server = PgServer::start(major);
        let db = server.db_with_sql("live_decode", DEMO_SQL);
        let snapshot = schema_gen::introspect::introspect_url(db.url(), &Default::default()).unwrap();
        let committed = include_str!("../schema/snapshot.json");
        assert!(snapshot.to_json() == committed, "the demo schema on PostgreSQL {major} does not snapshot to schema/snapshot.json");
        decode_demo(&db);
        decode_async_smoke(&db, major);
    }
}

/// On a database `decode_demo` filled: binds an enum and a composite through sqlx, then reads
/// users with sqlx and payments with tokio-postgres through their generated models.
fn decode_async_smoke(db: &TestDb, major: u32) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(db.url()).await.unwrap_or_else(|e| panic!("sqlx on PostgreSQL {major}: {e}"));
        let address = demo_sqlx::public::PostalAddress { street: None, city: Some("Oslo".into()), zip: Some("0150".into()) };
        sqlx::query("INSERT INTO users (email, role, address) VALUES ('carol@example.com', $1, $2)")
            .bind(demo_sqlx::public::UserRole::Member)
            .bind(&address)
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("sqlx insert on PostgreSQL {major}: {e}"));
        let users: Vec<demo_sqlx::public::Users> =
            sqlx::query_as(&format!("{} ORDER BY id", demo_sqlx::public::Users::SELECT)).fetch_all(&mut c).await.unwrap();
        assert_eq!(users.len(), 3, "PostgreSQL {major}");
        assert_eq!((users[2].role, users[2].address.as_ref()), (demo_sqlx::public::UserRole::Member, Some(&address)));
        let (client, connection) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        let rows = client.query(&format!("{} ORDER BY amount", demo_tokio::billing::Payments::SELECT), &[]).await.unwrap();
        let payments: Vec<demo_tokio::billing::Payments> = rows.iter().map(|r| demo_tokio::billing::Payments::try_from(r).unwrap()).collect();
        assert_eq!(payments[0].status, demo_tokio::billing::PaymentStatus::InDispute, "PostgreSQL {major}");
    });
}

fn decode_demo(db: &TestDb) {
    let mut c = db.client();
    let address = PostalAddress { street: Some("1 Rue d'Ünïcode".into()), city: Some("Paris".into()), zip: None };
    c.execute(
        "INSERT INTO users (email, display_name, role, tags, settings, address, \"type\", \"userID\")
         VALUES ($1::text, 'Ada', $2, ARRAY['a', 'b c'], '{\"dark\": true}', $3, 'admin-ish', 7)",
        &[&"ada@example.com", &UserRole::ReadOnly, &address],
    )
    .unwrap();
    c.execute("INSERT INTO users (email, role) VALUES ('bob@example.com', 'guest')", &[]).unwrap();
    c.batch_execute(
        "UPDATE users SET deleted_at = '2024-05-06T07:08:09Z' WHERE email = 'bob@example.com';
         INSERT INTO media (owner_id, url, mime_type, size_bytes, duration_s, checksum, uploaded_at, metadata)
             VALUES (1, 'https://x/y.png', 'image/png', 1234, 1.5, '\\x00ff', '2024-01-02 03:04:05', '[1, \"two\"]'),
                    (2, 'https://x/z.mp4', 'video/mp4', NULL, NULL, NULL, '2024-01-02 03:04:05', NULL);
         INSERT INTO comments (user_id, media_id, body, score, \"Ünïcödé note\", \"1st reply\")
             VALUES (1, 1, 'first!', 2.5, 'ñ', true);
         INSERT INTO billing.audit_log (actor, action, amounts, details) VALUES (NULL, 'boot', '{1.5, 2}', NULL);",
    )
    .unwrap();
    c.execute(
        "INSERT INTO billing.payments (user_id, amount, status, paid_on, client_ip, raw_response)
         VALUES (1, $1::numeric, $2, '2024-02-29', '10.0.0.1', '{\"ok\": true}'), (1, 5, 'in dispute', NULL, NULL, NULL)",
        &[&Decimal::new(1999, 2), &PaymentStatus::Paid],
    )
    .unwrap();

    let users: Vec<Users> = decode_all(&mut c, Users::SELECT);
    assert_eq!(users.len(), 2);
    let ada = &users[0];
    assert_eq!(ada.email, "ada@example.com"); // a domain over text decodes as its base type
    assert_eq!(ada.role, UserRole::ReadOnly);
    assert_eq!(ada.tags, ["a", "b c"]);
    assert_eq!(ada.settings, serde_json::json!({"dark": true}));
    assert_eq!(ada.address.as_ref(), Some(&address));
    assert_eq!((ada.r#type.as_deref(), ada.user_id, ada.deleted_at), (Some("admin-ish"), Some(7), None));
    let bob = &users[1];
    assert_eq!((bob.display_name.as_deref(), bob.address.as_ref(), bob.r#type.as_deref()), (None, None, None));
    assert_eq!(bob.deleted_at, Some(Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap()));
    assert!(bob.tags.is_empty());
    assert_ne!(ada.public_id, bob.public_id);

    let media: Vec<Media> = decode_all(&mut c, Media::SELECT);
    assert_eq!(media[0].checksum.as_deref(), Some(&[0u8, 255][..]));
    assert_eq!(media[0].uploaded_at, NaiveDate::from_ymd_opt(2024, 1, 2).unwrap().and_hms_opt(3, 4, 5).unwrap());
    assert_eq!(media[0].metadata, Some(serde_json::json!([1, "two"])));
    assert_eq!((media[1].size_bytes, media[1].duration_s, media[1].width), (None, None, None));

    let comments: Vec<Comments> = decode_all(&mut c, Comments::SELECT);
    assert_eq!((comments[0].score, comments[0].unicode_note.as_deref(), comments[0]._1st_reply), (2.5, Some("ñ"), Some(true)));
    assert_eq!(comments[0].parent_id, None);

    let mut payments: Vec<Payments> = decode_all(&mut c, Payments::SELECT);
    payments.sort_by_key(|p| p.amount);
    assert_eq!(payments[0].amount, Decimal::new(5, 0));
    assert_eq!(payments[0].status, PaymentStatus::InDispute);
    assert_eq!(payments[1].amount, Decimal::new(1999, 2));
    assert_eq!(payments[1].paid_on, NaiveDate::from_ymd_opt(2024, 2, 29));
    assert_eq!(payments[1].client_ip, Some("10.0.0.1".parse().unwrap()));
    assert_eq!((payments[1].currency.as_str(), payments[1].attempts), ("EUR", 0));

    let log: Vec<AuditLog> = decode_all(&mut c, AuditLog::SELECT);
    assert_eq!(log[0].amounts, Some(vec![Decimal::new(15, 1), Decimal::new(2, 0)]));
    assert_eq!((log[0].actor.as_deref(), log[0].details.as_ref()), (None, None));

    let active: Vec<ActiveUsers> = decode_all(&mut c, ActiveUsers::SELECT);
    assert_eq!(active.len(), 1);
    // The view's definition proves `role` NOT NULL (a NOT NULL column of `users`): no `Option`.
    assert_eq!(active[0].role, UserRole::ReadOnly);
    let balances: Vec<UserBalances> = decode_all(&mut c, UserBalances::SELECT);
    assert_eq!(balances[0].total_paid, Some(Decimal::new(1999, 2)));
    // `count(...)` is never NULL, `sum(...)` is (over no rows): only `total_paid` is an `Option`.
    assert_eq!(balances[1].payment_count, 0);
}

#[test]
fn constants_describe_the_relations() {
    assert_eq!((Users::SCHEMA, Users::TABLE), ("public", "users"));
    assert_eq!(Users::PRIMARY_KEY, ["id"]);
    assert!(Users::COLUMNS.contains(&"userID"));
    assert!(Comments::SELECT.contains("\"Ünïcödé note\""));
    const { assert!(UserBalances::READ_ONLY && !Payments::READ_ONLY) };
    assert!(!Users::WRITABLE_COLUMNS.contains(&"id") && Users::WRITABLE_COLUMNS.contains(&"email") && UserBalances::WRITABLE_COLUMNS.is_empty());
    assert_eq!(Payments::SELECT.rsplit(" FROM ").next(), Some("\"billing\".\"payments\""));
    assert_eq!(PaymentStatus::ALL.len(), 5);
    assert_eq!(PaymentStatus::InDispute.to_string(), "in dispute");
    assert_eq!(UserRole::NAME, "user_role");
}
