#[derive(schema_derive::Model)]
#[model(table = "legacy_accounts", rename_all = "camelCase", deny_missing_columns)]
struct LegacyAccount {
    account_id: i32,
    display_name: Option<std::string::String>,
    scores: Option<Vec<Option<i32>>>,
}

fn main() {
    assert_eq!(LegacyAccount::TABLE, "legacy_accounts");
    assert_eq!(LegacyAccount::SELECT_LIST, "\"accountId\", \"displayName\", \"scores\"");
    assert_eq!(LegacyAccount::SELECT, "SELECT \"accountId\", \"displayName\", \"scores\" FROM \"public\".\"legacy_accounts\"");
}
