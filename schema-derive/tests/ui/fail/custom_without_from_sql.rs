// A `custom` field whose type does not implement `FromSql`: the checker accepts it (the type is
// the user's business), so the error comes from rustc and must point at the field's type.
struct Money(i64);

#[derive(schema_derive::Model)]
#[model(table = "payments")]
struct Payment {
    id: i64,
    #[model(custom)]
    fee: Option<Money>,
}

fn main() {}
