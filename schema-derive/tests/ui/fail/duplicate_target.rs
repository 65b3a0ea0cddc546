#[derive(schema_derive::Model)]
#[model(table = "users", target = "postgres")]
#[model(target = "tokio-postgres")]
struct User {
    id: i64,
}

fn main() {}
