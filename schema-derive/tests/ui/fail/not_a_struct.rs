#[derive(schema_derive::Model)]
#[model(table = "users")]
enum User {
    Id(i64),
}

fn main() {}
