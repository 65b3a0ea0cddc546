#[derive(schema_derive::Model)]
#[model(table = "users", snapshot = "schema/nowhere.json")]
struct User {
    id: i64,
}

fn main() {}
