#[derive(schema_derive::Model)]
#[model(table = "legacy_accounts", rename_all = "camelcase")]
struct LegacyAccount {
    account_id: i32,
}

fn main() {}
