#[derive(schema_derive::Model)]
#[model(table = "public.user")]
struct User {
    id: i64,
}

fn main() {}
