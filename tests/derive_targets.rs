//! Hand-written models checked by `#[derive(Model)]` on the async targets decode real rows:
//! `target = "sqlx"` gives `sqlx::FromRow`, `target = "tokio-postgres"` gives
//! `TryFrom<&tokio_postgres::Row>`. The checks are the same as for `postgres` (the generated
//! sqlx enums serve as the enum fields: any enum is accepted for an enum column).

#[allow(dead_code)]
mod demo_sqlx {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_sqlx.rs"));
}
#[allow(dead_code)]
mod demo_tokio {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_tokio_postgres.rs"));
}

use schema_derive::Model;
use test_support::TestDb;

/// Some columns of `public.users`, renamed and skipped as a service would.
#[derive(Debug, Model)]
#[model(table = "public.users", target = "sqlx")]
struct SqlxUser {
    id: i64,
    #[model(column = "email")]
    address: String,
    role: demo_sqlx::public::UserRole,
    #[model(column = "userID")]
    legacy_id: Option<i32>,
    tags: Vec<String>,
    #[model(skip)]
    note: String,
}

#[derive(Debug, Model)]
#[model(table = "billing.payments", target = "tokio-postgres")]
struct TokioPayment {
    amount: rust_decimal::Decimal,
    status: demo_tokio::billing::PaymentStatus,
    paid_on: Option<chrono::NaiveDate>,
}

const ROWS: &str = "INSERT INTO users (email, role, tags, \"userID\") VALUES ('ada@example.com', 'read-only', '{x}', 7);
    INSERT INTO billing.payments (user_id, amount, status, paid_on) VALUES (1, 12.5, 'in dispute', '2024-02-29');";

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime").block_on(future)
}

#[test]
fn derived_sqlx_and_tokio_postgres_models_decode_rows() {
    let db = TestDb::with_sql("derive_targets", &format!("{}\n{ROWS}", include_str!("../schema/demo.sql")));
    block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(db.url()).await.unwrap();
        let users: Vec<SqlxUser> = sqlx::query_as(SqlxUser::SELECT).fetch_all(&mut c).await.unwrap();
        let ada = &users[0];
        assert_eq!((ada.id, ada.address.as_str(), ada.legacy_id, ada.tags.as_slice()), (1, "ada@example.com", Some(7), &["x".to_owned()][..]));
        assert_eq!((ada.role, ada.note.as_str()), (demo_sqlx::public::UserRole::ReadOnly, ""));

        let (client, connection) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        let rows = client.query(TokioPayment::SELECT, &[]).await.unwrap();
        let payment = TokioPayment::try_from(&rows[0]).unwrap();
        assert_eq!((payment.amount, payment.status), (rust_decimal::Decimal::new(125, 1), demo_tokio::billing::PaymentStatus::InDispute));
        assert_eq!(payment.paid_on, chrono::NaiveDate::from_ymd_opt(2024, 2, 29));
    });
}
