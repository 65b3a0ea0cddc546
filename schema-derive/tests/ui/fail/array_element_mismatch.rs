#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    tags: Vec<i32>,
}

fn main() {}
