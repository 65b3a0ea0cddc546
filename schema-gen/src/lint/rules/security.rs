//! Security: row-level security in exposed schemas, RLS without policies, grants to PUBLIC.

use schema_core::snapshot::{Grant, Schema};

use super::{ident, TableCtx};
use crate::findings::{ObjectKind, ObjectRef};
use crate::lint::Emitter;

pub(super) fn table(t: &TableCtx<'_>, e: &mut Emitter<'_>) {
    let (schema, table) = (&t.schema.name, &t.table.name);
    let table_ref = || ObjectRef::relation(ObjectKind::Table, schema, table);
    if !t.table.row_security && e.config.exposed_schemas.iter().any(|s| s == schema) {
        e.emit("security-rls-disabled", table_ref(), format!("is in exposed schema `{schema}` without row-level security"), Some(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", t.sql_name())));
    }
    if t.table.row_security && t.table.policies.is_empty() {
        e.emit("security-rls-no-policy", table_ref(), "has row-level security enabled but no policy: only the owner sees any row".into(), Some(format!("CREATE POLICY ... ON {} ...;", t.sql_name())));
    }
    public_grant(&t.table.grants, table_ref(), &format!("TABLE {}", t.sql_name()), e);
    for c in &t.table.columns {
        let on = format!("TABLE {}", t.sql_name());
        for g in c.grants.iter().filter(|g| g.grantee == "PUBLIC") {
            e.emit(
                "security-public-grant",
                ObjectRef::member(ObjectKind::Column, schema, table, &c.name),
                format!("grants {} on this column to PUBLIC", g.privileges.join(", ")),
                Some(format!("REVOKE {} ON {on} FROM PUBLIC;", g.privileges.iter().map(|p| format!("{p} ({})", ident(&c.name))).collect::<Vec<_>>().join(", "))),
            );
        }
    }
}

pub(super) fn schema(s: &Schema, e: &mut Emitter<'_>) {
    // `USAGE` on `public` to PUBLIC is PostgreSQL's own default before 15 and harmless without
    // `CREATE`; only `CREATE` there is the classic hole.
    let grants: Vec<Grant> = s.grants.iter().filter(|g| !(s.name == "public" && g.privileges == ["USAGE"])).cloned().collect();
    public_grant(&grants, ObjectRef::schema(&s.name), &format!("SCHEMA {}", ident(&s.name)), e);
    for v in &s.views {
        public_grant(&v.grants, ObjectRef::relation(ObjectKind::View, &s.name, &v.name), &format!("TABLE {}.{}", ident(&s.name), ident(&v.name)), e);
    }
}

fn public_grant(grants: &[Grant], object: ObjectRef, on: &str, e: &mut Emitter<'_>) {
    for g in grants.iter().filter(|g| g.grantee == "PUBLIC") {
        e.emit("security-public-grant", object.clone(), format!("grants {} to PUBLIC", g.privileges.join(", ")), Some(format!("REVOKE {} ON {on} FROM PUBLIC;", g.privileges.join(", "))));
    }
}
