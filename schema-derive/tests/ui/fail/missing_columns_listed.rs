// Several missing columns: one error listing them all, with their SQL types.
#[derive(schema_derive::Model)]
#[model(table = "measurements", deny_missing_columns)]
struct Measurement {
    id: i64,
    #[model(custom)]
    doc: Option<Vec<u8>>,
}

fn main() {}
