// A broken model still gets its constants and row mapping, so code using it reports nothing
// beyond the model's own error.
#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User {
    id: i64,
    email: Option<String>,
}

fn load(row: &postgres::Row) -> Result<User, postgres::Error> {
    println!("{} {}", User::SELECT, User::READ_ONLY);
    User::try_from(row)
}

fn main() {
    let _ = load;
}
