#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    #[model(column = "id")]
    user_id: i64,
}

fn main() {}
