#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    email: Option<String>,
}

fn main() {}
