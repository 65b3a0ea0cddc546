#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User(i64);

fn main() {}
