// The UI crate depends on `postgres` and `tokio-postgres`, not on `sqlx`.
#[derive(schema_derive::Model)]
#[model(table = "users", target = "sqlx")]
struct User {
    id: i64,
}

fn main() {}
