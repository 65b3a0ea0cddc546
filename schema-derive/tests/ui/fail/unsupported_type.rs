// `int4range` has no mapping: the hint suggests `custom` and the type override key `int4range`.
// A two-dimensional array cannot be fixed by a type override, so none is suggested for `grid`.
#[derive(schema_derive::Model)]
#[model(table = "measurements")]
struct Measurement {
    id: i64,
    period: Option<String>,
    grid: Option<Vec<Vec<i32>>>,
}

fn main() {}
