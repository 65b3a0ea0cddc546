use chrono::{DateTime, Utc};

#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    deleted_at: DateTime<Utc>,
}

fn main() {}
