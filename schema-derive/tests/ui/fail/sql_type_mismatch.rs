#[derive(schema_derive::Model)]
#[model(table = "payments")]
struct Payment {
    id: i64,
    #[model(sql_type = "numeric")]
    fee: Option<i64>,
}

fn main() {}
