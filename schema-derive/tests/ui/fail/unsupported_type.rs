// `point` has no mapping: the hint suggests `custom` and the type override key `point`.
#[derive(schema_derive::Model)]
#[model(table = "measurements")]
struct Measurement {
    id: i64,
    location: Option<String>,
}

fn main() {}
