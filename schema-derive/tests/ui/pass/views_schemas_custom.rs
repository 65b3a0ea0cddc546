use postgres::types::{FromSql, Type};

/// A user type for `money` (which has no built-in mapping).
struct Money(i64);

impl<'a> FromSql<'a> for Money {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Money(i64::from_be_bytes(raw.try_into()?)))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::MONEY
    }
}

/// Views: PostgreSQL does not track nullability, so both spellings are accepted.
#[derive(schema_derive::Model)]
#[model(table = "active_users")]
struct ActiveUser {
    id: i64,
    email: Option<String>,
}

/// Another schema, and `serde_json` for `jsonb`.
#[derive(schema_derive::Model)]
#[model(table = "audit.events", primary_key = "id")]
struct Event {
    id: i64,
    payload: Option<serde_json::Value>,
}

#[derive(schema_derive::Model)]
#[model(table = "payments", deny_missing_columns)]
struct Payment {
    id: i64,
    user_id: i64,
    amount: rust_decimal::Decimal,
    #[model(sql_type = "money")]
    fee: Option<Money>,
    /// A type alias hides the real type from the checker: `custom` opts out of the type check.
    #[model(custom)]
    paid_at: Option<Timestamp>,
    metadata: serde_json::Value,
}

type Timestamp = chrono::DateTime<chrono::Utc>;

fn main() {
    assert_eq!(ActiveUser::COLUMNS, ["id", "email"]);
    assert!(ActiveUser::READ_ONLY);
    assert_eq!((Event::SCHEMA, Event::TABLE), ("audit", "events"));
    assert_eq!(Payment::COLUMNS.len(), 6);
}
