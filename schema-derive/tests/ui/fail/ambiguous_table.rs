// `audit_log` exists in `archive` and `audit` (and not in `public`): say so, list both.
#[derive(schema_derive::Model)]
#[model(table = "audit_log")]
struct AuditLog {
    id: i64,
}

fn main() {}
