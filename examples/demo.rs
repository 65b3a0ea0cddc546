//! What the generated demo models know, and (with a database) a round trip through them.
//!
//! ```sh
//! cargo run --example demo                                  # offline: tables, columns, enums
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run --example demo
//! ```
//!
//! With `PGCANON_DATABASE_URL` or `DATABASE_URL` set, the example creates a scratch database
//! on that server, loads `schema/demo.sql`, inserts rows, decodes them into the generated
//! structs, prints them and drops the scratch database.

use pgcanon::generated::billing::{AuditLog, PaymentStatus, Payments, UserBalances};
use pgcanon::generated::public::{ActiveUsers, Comments, Media, UserRole, Users};

/// One line per relation: `schema.table` (table|view), its columns and primary key.
fn describe(kind: &str, schema: &str, table: &str, columns: &[&str], pk: &[&str]) {
    println!("  {schema}.{table} ({kind}): {}", columns.join(", "));
    if !pk.is_empty() {
        println!("    primary key: {}", pk.join(", "));
    }
}

fn offline_tour() {
    println!("Generated models (from schema/snapshot.json):");
    describe("table", Users::SCHEMA, Users::TABLE, Users::COLUMNS, Users::PRIMARY_KEY);
    describe("table", Media::SCHEMA, Media::TABLE, Media::COLUMNS, Media::PRIMARY_KEY);
    describe("table", Comments::SCHEMA, Comments::TABLE, Comments::COLUMNS, Comments::PRIMARY_KEY);
    describe("table", Payments::SCHEMA, Payments::TABLE, Payments::COLUMNS, Payments::PRIMARY_KEY);
    describe("table", AuditLog::SCHEMA, AuditLog::TABLE, AuditLog::COLUMNS, &[]);
    describe("view", ActiveUsers::SCHEMA, ActiveUsers::TABLE, ActiveUsers::COLUMNS, &[]);
    describe("view", UserBalances::SCHEMA, UserBalances::TABLE, UserBalances::COLUMNS, &[]);
    let labels = |all: &[String]| all.join(", ");
    println!("Enums:");
    println!("  {}: {}", UserRole::NAME, labels(&UserRole::ALL.iter().map(ToString::to_string).collect::<Vec<_>>()));
    println!("  {}: {}", PaymentStatus::NAME, labels(&PaymentStatus::ALL.iter().map(ToString::to_string).collect::<Vec<_>>()));
    println!("Select with: {}", Users::SELECT);
}

/// Replaces the database (path) of a `postgres://` URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let start = base.find("://").map_or(0, |i| i + 3);
    let base = base[start..].find('/').map_or(base, |i| &base[..start + i]);
    query.map_or_else(|| format!("{base}/{db}"), |q| format!("{base}/{db}?{q}"))
}

fn live_round_trip(server_url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let scratch = format!("pgcanon_demo_{}", std::process::id());
    let mut admin = postgres::Client::connect(server_url, postgres::NoTls)?;
    admin.batch_execute(&format!("CREATE DATABASE \"{scratch}\""))?;
    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
        let mut c = postgres::Client::connect(&with_database(server_url, &scratch), postgres::NoTls)?;
        c.batch_execute(include_str!("../schema/demo.sql"))?;
        c.execute(
            "INSERT INTO users (email, display_name, role, tags) VALUES ('ada@example.com', 'Ada', $1, ARRAY['math'])",
            &[&UserRole::Admin],
        )?;
        c.execute("INSERT INTO billing.payments (user_id, amount, status) VALUES (1, 42.50, $1)", &[&PaymentStatus::Paid])?;
        println!("\nRound trip through scratch database `{scratch}`:");
        for row in c.query(Users::SELECT, &[])? {
            println!("  {:?}", Users::try_from(&row)?);
        }
        for row in c.query(Payments::SELECT, &[])? {
            println!("  {:?}", Payments::try_from(&row)?);
        }
        for row in c.query(UserBalances::SELECT, &[])? {
            println!("  {:?}", UserBalances::try_from(&row)?);
        }
        Ok(())
    })();
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)"))?;
    result
}

fn main() -> std::process::ExitCode {
    offline_tour();
    let url = ["PGCANON_DATABASE_URL", "DATABASE_URL"].iter().find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()));
    match url {
        None => println!("\n(set PGCANON_DATABASE_URL or DATABASE_URL for a live round trip)"),
        Some(url) => {
            if let Err(e) = live_round_trip(&url) {
                eprintln!("error: live round trip failed: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
