#[derive(schema_derive::Model)]
#[model(table = "comments", primary_key = "post_id")]
struct Comment {
    post_id: i64,
    seq: i32,
}

fn main() {}
