use chrono::{DateTime, Utc};
use postgres_types::FromSql;

/// A hand-written enum for `public.user_status` (any name is accepted for enum columns).
#[derive(Debug, FromSql)]
#[postgres(name = "user_status")]
pub enum Status {
    #[postgres(name = "active")]
    Active,
    #[postgres(name = "suspended")]
    Suspended,
}

#[derive(Default)]
pub struct Profile;

#[derive(schema_derive::Model)]
#[model(table = "public.users", primary_key = "id")]
pub struct User {
    id: i64,
    #[model(column = "email")]
    address: String,
    display_name: Option<String>,
    status: Status,
    tags: Vec<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    deleted_at: Option<DateTime<Utc>>,
    #[model(skip)]
    profile: Option<Profile>,
}

fn load(row: &postgres::Row) -> Result<User, postgres::Error> {
    User::try_from(row)
}

fn main() {
    assert_eq!((User::SCHEMA, User::TABLE, User::READ_ONLY), ("public", "users", false));
    assert_eq!(User::COLUMNS, ["id", "email", "display_name", "status", "tags", "created_at", "deleted_at"]);
    assert!(User::SELECT_LIST.starts_with("\"id\", \"email\", "));
    assert!(User::SELECT.starts_with("SELECT \"id\", ") && User::SELECT.ends_with(" FROM \"public\".\"users\""));
    let _ = load;
}
