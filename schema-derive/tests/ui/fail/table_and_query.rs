#[derive(schema_derive::Model)]
#[model(table = "public.users", query = "SELECT id FROM users", primary_key = "id")]
struct User {
    id: i64,
}

fn main() {}
