//! `target = "tokio-postgres"`: the row mapping names `tokio_postgres` (no sync crate path), and
//! with both `postgres` and `tokio-postgres` one impl serves both (`postgres::Row` is
//! `tokio_postgres::Row`).

#[derive(schema_derive::Model)]
#[model(table = "public.users", target = "tokio-postgres")]
pub struct User {
    id: i64,
    email: String,
    display_name: Option<String>,
}

#[derive(schema_derive::Model)]
#[model(table = "public.users", target = "postgres, tokio-postgres")]
pub struct Both {
    id: i64,
}

pub fn decode(row: &tokio_postgres::Row) -> Result<(User, Both), tokio_postgres::Error> {
    Ok((User::try_from(row)?, Both::try_from(row)?))
}

pub fn decode_sync(row: &postgres::Row) -> Result<Both, postgres::Error> {
    Both::try_from(row)
}

fn main() {
    assert_eq!(User::COLUMNS, ["id", "email", "display_name"]);
}
