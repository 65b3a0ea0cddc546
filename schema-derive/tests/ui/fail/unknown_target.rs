#[derive(schema_derive::Model)]
#[model(table = "users", target = "tokio-postgres, diesel")]
struct User {
    id: i64,
}

fn main() {}
