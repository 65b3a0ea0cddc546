//! The demo models generated for sqlx (`Config::new().targets([Target::Sqlx]).serde(true)` in
//! `build.rs`): `sqlx::FromRow` structs read with `query_as`, `sqlx::Type` enums and composites
//! bound as parameters, and rows printed as JSON keyed by the exact column names.
//!
//! ```sh
//! cargo run --example sqlx                                  # offline: what the models know
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --example sqlx
//! ```
//!
//! With `PGCANON_DATABASE_URL` or `DATABASE_URL` set, the example creates a scratch database on
//! that server, loads `schema/demo.sql`, inserts rows, decodes them into the generated structs,
//! prints them and drops the scratch database.

#[allow(dead_code)] // the example reads a few of the generated items
mod models {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_sqlx.rs"));
}

use models::billing::{PaymentStatus, Payments, UserBalances};
use models::public::{PostalAddress, UserRole, Users};
use sqlx::Connection;

type Error = Box<dyn std::error::Error>;

/// Replaces the database (path) of a `postgres://` URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let start = base.find("://").map_or(0, |i| i + 3);
    let base = base[start..].find('/').map_or(base, |i| &base[..start + i]);
    query.map_or_else(|| format!("{base}/{db}"), |q| format!("{base}/{db}?{q}"))
}

async fn round_trip(server_url: &str) -> Result<(), Error> {
    let scratch = format!("pgcanon_example_sqlx_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(server_url).await?;
    sqlx::raw_sql(&format!("CREATE DATABASE \"{scratch}\"")).execute(&mut admin).await?;
    let result = async {
        let mut c = sqlx::PgConnection::connect(&with_database(server_url, &scratch)).await?;
        sqlx::raw_sql(include_str!("../schema/demo.sql")).execute(&mut c).await?;
        let address = PostalAddress { street: Some("1 Main St".into()), city: Some("Springfield".into()), zip: Some("12345".into()) };
        sqlx::query("INSERT INTO users (email, display_name, role, tags, address) VALUES ('ada@example.com', 'Ada', $1, ARRAY['math'], $2)")
            .bind(UserRole::Admin)
            .bind(&address)
            .execute(&mut c)
            .await?;
        sqlx::query("INSERT INTO billing.payments (user_id, amount, status) VALUES (1, 42.50, $1)").bind(PaymentStatus::Paid).execute(&mut c).await?;
        println!("\nRound trip through scratch database `{scratch}` (sqlx):");
        let users: Vec<Users> = sqlx::query_as(Users::SELECT).fetch_all(&mut c).await?;
        for user in &users {
            println!("  {user:?}");
            println!("  as JSON: {}", serde_json::to_string(user)?);
        }
        for payment in sqlx::query_as::<_, Payments>(Payments::SELECT).fetch_all(&mut c).await? {
            println!("  {payment:?}");
        }
        for balance in sqlx::query_as::<_, UserBalances>(UserBalances::SELECT).fetch_all(&mut c).await? {
            println!("  {balance:?}");
        }
        c.close().await?;
        Ok::<(), Error>(())
    }
    .await;
    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)")).execute(&mut admin).await?;
    result
}

fn main() -> std::process::ExitCode {
    println!("sqlx models (from schema/snapshot.json):");
    println!("  {}.{}: {}", Users::SCHEMA, Users::TABLE, Users::COLUMNS.join(", "));
    println!("  {}.{}: {}", Payments::SCHEMA, Payments::TABLE, Payments::COLUMNS.join(", "));
    println!("  {}: {}", PaymentStatus::NAME, PaymentStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "));
    println!("Decode with: sqlx::query_as::<_, Users>(Users::SELECT), where SELECT is `{}`", Users::SELECT);
    let url = ["PGCANON_DATABASE_URL", "DATABASE_URL"].iter().find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()));
    let Some(url) = url else {
        println!("\n(set PGCANON_DATABASE_URL or DATABASE_URL for a live round trip)");
        return std::process::ExitCode::SUCCESS;
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    match runtime.block_on(round_trip(&url)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: live round trip failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
