#[derive(schema_derive::Model)]
#[model(table = "users", column = "id")]
struct User {
    #[model(rename = "id")]
    key: i64,
}

fn main() {}
