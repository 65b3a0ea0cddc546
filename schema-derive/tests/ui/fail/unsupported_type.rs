#[derive(schema_derive::Model)]
#[model(table = "payments")]
struct Payment {
    id: i64,
    fee: Option<i64>,
}

fn main() {}
