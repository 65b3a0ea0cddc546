// A partition is listed under its parent: say which table it belongs to.
#[derive(schema_derive::Model)]
#[model(table = "audit.events_2024")]
struct Event {
    id: i64,
}

fn main() {}
