#[derive(schema_derive::Model)]
#[model(table = "media", deny_missing_columns)]
struct Media {
    id: uuid::Uuid,
    owner_id: i64,
    data: Vec<u8>,
}

fn main() {}
