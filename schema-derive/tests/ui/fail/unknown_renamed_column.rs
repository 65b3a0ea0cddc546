#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    #[model(column = "email_address")]
    email: String,
}

fn main() {}
