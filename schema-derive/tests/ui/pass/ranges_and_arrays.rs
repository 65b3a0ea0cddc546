//! Range columns and multi-dimensional arrays with types named `Range` and `Array` (here the
//! user's own; generated models use `pgcanon_support::Range` / `Array`).
use postgres::types::{FromSql, Type};

mod support {
    use super::*;

    pub struct Range<T>(pub Vec<T>);
    pub struct Array<T>(pub Vec<T>);

    impl<'a, T> FromSql<'a> for Range<T> {
        fn from_sql(_: &Type, _: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            Ok(Range(Vec::new()))
        }

        fn accepts(_: &Type) -> bool {
            true
        }
    }

    impl<'a, T> FromSql<'a> for Array<T> {
        fn from_sql(_: &Type, _: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            Ok(Array(Vec::new()))
        }

        fn accepts(_: &Type) -> bool {
            true
        }
    }
}

#[derive(schema_derive::Model)]
#[model(table = "measurements")]
struct Measurement {
    id: i64,
    period: Option<support::Range<i32>>,
    grid: Option<support::Array<i32>>,
}

fn main() {
    assert_eq!(Measurement::COLUMNS, ["id", "period", "grid"]);
}
