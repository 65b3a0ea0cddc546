#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    #[model(skip, column = "email")]
    email: String,
}

fn main() {}
