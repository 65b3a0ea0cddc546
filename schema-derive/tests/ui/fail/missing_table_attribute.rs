#[derive(schema_derive::Model)]
struct User {
    id: i64,
}

fn main() {}
