#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i32,
}

fn main() {}
