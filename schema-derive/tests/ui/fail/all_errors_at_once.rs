// Every mistake is reported in one build, each at its own token.
#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: String,
    emial: String,
    display_name: String,
    #[model(skip)]
    cache: Vec<u8>,
}

fn main() {}
