//! The demo models generated for `tokio-postgres` (`Config::new().targets([Target::TokioPostgres])`
//! in `build.rs`), reading real rows on a tokio runtime. The same `TryFrom<&tokio_postgres::Row>`
//! serves `deadpool-postgres` and `bb8-postgres`, whose pooled clients hand out the same rows.
//!
//! ```sh
//! cargo run --example tokio_postgres                        # offline: what the models know
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --example tokio_postgres
//! ```
//!
//! With `PGCANON_DATABASE_URL` or `DATABASE_URL` set, the example creates a scratch database on
//! that server, loads `schema/demo.sql`, inserts rows, decodes them into the generated structs,
//! prints them and drops the scratch database.

#[allow(dead_code)] // the example reads a few of the generated items
mod models {
    include!(concat!(env!("OUT_DIR"), "/pgcanon_models_tokio_postgres.rs"));
}

use models::billing::{PaymentStatus, Payments, UserBalances};
use models::public::{UserRole, Users};

type Error = Box<dyn std::error::Error>;

/// Replaces the database (path) of a `postgres://` URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let start = base.find("://").map_or(0, |i| i + 3);
    let base = base[start..].find('/').map_or(base, |i| &base[..start + i]);
    query.map_or_else(|| format!("{base}/{db}"), |q| format!("{base}/{db}?{q}"))
}

async fn connect(url: &str) -> Result<tokio_postgres::Client, Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("connection error: {e}");
        }
    });
    Ok(client)
}

async fn round_trip(server_url: &str) -> Result<(), Error> {
    let scratch = format!("pgcanon_example_tokio_{}", std::process::id());
    let admin = connect(server_url).await?;
    admin.batch_execute(&format!("CREATE DATABASE \"{scratch}\"")).await?;
    let result = async {
        let c = connect(&with_database(server_url, &scratch)).await?;
        c.batch_execute(include_str!("../schema/demo.sql")).await?;
        c.execute("INSERT INTO users (email, display_name, role, tags) VALUES ('ada@example.com', 'Ada', $1, ARRAY['math'])", &[&UserRole::Admin])
            .await?;
        c.execute("INSERT INTO billing.payments (user_id, amount, status) VALUES (1, 42.50, $1)", &[&PaymentStatus::Paid]).await?;
        println!("\nRound trip through scratch database `{scratch}` (tokio-postgres):");
        for row in c.query(Users::SELECT, &[]).await? {
            println!("  {:?}", Users::try_from(&row)?);
        }
        for row in c.query(Payments::SELECT, &[]).await? {
            println!("  {:?}", Payments::try_from(&row)?);
        }
        for row in c.query(UserBalances::SELECT, &[]).await? {
            println!("  {:?}", UserBalances::try_from(&row)?);
        }
        Ok::<(), Error>(())
    }
    .await;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)")).await?;
    result
}

fn main() -> std::process::ExitCode {
    println!("tokio-postgres models (from schema/snapshot.json):");
    println!("  {}.{}: {}", Users::SCHEMA, Users::TABLE, Users::COLUMNS.join(", "));
    println!("  {}.{}: {}", Payments::SCHEMA, Payments::TABLE, Payments::COLUMNS.join(", "));
    println!("  {}: {}", UserRole::NAME, UserRole::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "));
    println!("Decode with: Users::try_from(&row) for each tokio_postgres::Row of `{}`", Users::SELECT);
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
