// A range column takes `Range<T>` and a two-dimensional array `Array<T>`, not `String` or
// nested `Vec`s (which the `postgres` crate cannot decode).
#[derive(schema_derive::Model)]
#[model(table = "measurements")]
struct Measurement {
    id: i64,
    period: Option<String>,
    grid: Option<Vec<Vec<i32>>>,
}

fn main() {}
