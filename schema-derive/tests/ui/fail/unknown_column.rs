#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    emial: String,
}

fn main() {}
