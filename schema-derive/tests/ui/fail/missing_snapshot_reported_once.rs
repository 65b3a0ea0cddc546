// With the snapshot missing, the first model gets the full explanation and the others a
// pointer to it, instead of the same paragraph once per model.
#[derive(schema_derive::Model)]
#[model(table = "users", snapshot = "schema/absent.json")]
struct User {
    id: i64,
}

#[derive(schema_derive::Model)]
#[model(table = "media", snapshot = "schema/absent.json")]
struct Media {
    id: uuid::Uuid,
}

fn main() {}
