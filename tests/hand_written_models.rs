//! The hand-written, derive-checked demo models (`pgcanon::models`) decode real rows: the demo
//! schema is loaded into a throwaway database, rows are inserted with SQL, then selected with
//! each model's `SELECT` constant and decoded with the derived `TryFrom<&postgres::Row>`.

use pgcanon::models::{ActiveUser, Comment, Media, Payment, PaymentStatus, PostalAddress, User, UserMediaCount, UserRole};
use test_support::TestDb;

const DEMO_SQL: &str = include_str!("../schema/demo.sql");

fn fetch<T>(client: &mut postgres::Client, select: &str) -> Vec<T>
where
    T: for<'a> TryFrom<&'a postgres::Row, Error = postgres::Error>,
{
    let sql = format!("{select} ORDER BY 1");
    let rows = client.query(&sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter().map(|r| T::try_from(r).unwrap_or_else(|e| panic!("decode via {sql}: {e}"))).collect()
}

#[test]
fn hand_written_models_decode_demo_rows() {
    let db = TestDb::with_sql("hand_models", DEMO_SQL);
    db.execute(
        "INSERT INTO users (email, display_name, role, tags, address, \"type\")
             VALUES ('ada@example.org', 'Ada', 'read-only', ARRAY['x', 'y'], ROW('1 Main St', 'Paris', NULL), 'k');
         INSERT INTO users (email) VALUES ('bob@example.org');
         UPDATE users SET deleted_at = now() WHERE email = 'bob@example.org';
         INSERT INTO media (owner_id, url, mime_type, checksum, metadata)
             SELECT id, 'https://x/1.png', 'image/png', '\\x0102', '{\"w\": 1}' FROM users WHERE email = 'ada@example.org';
         INSERT INTO comments (user_id, media_id, body, \"Ünïcödé note\", \"1st reply\")
             SELECT owner_id, id, 'nice', 'ü', true FROM media;
         INSERT INTO billing.payments (user_id, amount, status, client_ip, paid_on)
             SELECT id, 12.50, 'in dispute', '10.0.0.1', '2024-02-29' FROM users WHERE email = 'ada@example.org';",
    );
    let mut c = db.client();

    let users: Vec<User> = fetch(&mut c, User::SELECT);
    assert_eq!(users.len(), 2);
    let ada = &users[0];
    assert_eq!(ada.email_address, "ada@example.org");
    assert_eq!(ada.role, UserRole::ReadOnly);
    assert_eq!(ada.tags, ["x", "y"]);
    assert_eq!(ada.address, Some(PostalAddress { street: Some("1 Main St".into()), city: Some("Paris".into()), zip: None }));
    assert_eq!(ada.r#type.as_deref(), Some("k"));
    assert_eq!(ada.unread_notifications, None, "skipped fields are defaulted");
    assert!(users[1].deleted_at.is_some());

    let active: Vec<ActiveUser> = fetch(&mut c, ActiveUser::SELECT);
    assert_eq!(active.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["ada@example.org"]);

    let media: Vec<Media> = fetch(&mut c, Media::SELECT);
    assert_eq!(media[0].checksum.as_deref(), Some(&[1u8, 2][..]));
    assert_eq!(media[0].metadata, Some(serde_json::json!({"w": 1})));

    let comments: Vec<Comment> = fetch(&mut c, Comment::SELECT);
    assert_eq!((comments[0].note.as_deref(), comments[0].first_reply), (Some("ü"), Some(true)));

    // A query model: its rows decode by column name, `#[model(column)]` included.
    let counts: Vec<UserMediaCount> = fetch(&mut c, &format!("SELECT * FROM ({}) q", UserMediaCount::QUERY));
    assert_eq!(counts.iter().map(|r| (r.email.as_str(), r.media)).collect::<Vec<_>>(), [("ada@example.org", 1), ("bob@example.org", 0)]);
    assert_eq!(UserMediaCount::COLUMNS, ["id", "address", "media"]);

    let payments: Vec<Payment> = fetch(&mut c, Payment::SELECT);
    assert_eq!(payments[0].status, PaymentStatus::InDispute);
    assert_eq!(payments[0].amount, rust_decimal::Decimal::new(1250, 2));
    assert_eq!(payments[0].currency, "EUR");
    assert_eq!(payments[0].client_ip, Some("10.0.0.1".parse().unwrap()));
}

#[test]
fn constants_follow_renames_and_skips() {
    assert_eq!((User::SCHEMA, User::TABLE), ("public", "users"));
    assert!(User::COLUMNS.contains(&"email") && !User::COLUMNS.contains(&"unread_notifications"));
    assert!(Comment::SELECT_LIST.ends_with("\"Ünïcödé note\", \"1st reply\""));
    assert_eq!((Payment::SCHEMA, Payment::TABLE), ("billing", "payments"));
    assert!(Payment::SELECT.ends_with(" FROM \"billing\".\"payments\""));
    assert_eq!((ActiveUser::READ_ONLY, Media::READ_ONLY), (true, false));
    // `users.id` is an identity GENERATED ALWAYS column: read, never written; a view writes nothing.
    assert!(User::COLUMNS.contains(&"id") && !User::WRITABLE_COLUMNS.contains(&"id") && User::WRITABLE_COLUMNS.contains(&"email"));
    assert!(ActiveUser::WRITABLE_COLUMNS.is_empty());
}
