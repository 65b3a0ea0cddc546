//! The SQL spelling of constraints and column generation, as `CREATE TABLE` would write them.
//!
//! One spelling for every consumer: the docs print it, and the diff compares it (so two
//! snapshots differ in a constraint exactly when its spelling differs). It names columns as
//! stored (unquoted), for reading rather than executing.

use super::model::{CheckConstraint, Column, ForeignKey, Identity, PrimaryKey, UniqueConstraint};

/// Key columns, with `WITHOUT OVERLAPS` / `PERIOD` on the last one when `temporal`.
fn key_list(columns: &[String], temporal: bool, last_prefix: &str, last_suffix: &str) -> String {
    let n = columns.len();
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| if temporal && i + 1 == n { format!("{last_prefix}{c}{last_suffix}") } else { c.clone() })
        .collect::<Vec<_>>()
        .join(", ")
}

impl PrimaryKey {
    /// `PRIMARY KEY (id, valid WITHOUT OVERLAPS)`.
    pub fn to_sql(&self) -> String {
        format!("PRIMARY KEY ({})", key_list(&self.columns, self.without_overlaps, "", " WITHOUT OVERLAPS"))
    }
}

impl UniqueConstraint {
    /// `UNIQUE NULLS NOT DISTINCT (a, b) DEFERRABLE`.
    pub fn to_sql(&self) -> String {
        let mut s = String::from("UNIQUE");
        if self.nulls_not_distinct {
            s.push_str(" NULLS NOT DISTINCT");
        }
        s.push_str(&format!(" ({})", key_list(&self.columns, self.without_overlaps, "", " WITHOUT OVERLAPS")));
        if self.deferrable {
            s.push_str(" DEFERRABLE");
        }
        s
    }
}

impl ForeignKey {
    /// The referencing columns, `PERIOD` included: `a, PERIOD during`.
    pub fn columns_sql(&self) -> String {
        key_list(&self.columns, self.period, "PERIOD ", "")
    }

    /// The referenced columns, `PERIOD` included.
    pub fn referenced_columns_sql(&self) -> String {
        key_list(&self.referenced_columns, self.period, "PERIOD ", "")
    }

    /// Everything after the column lists: actions, match type, deferrability and state, each
    /// with a leading space, e.g. ` ON DELETE SET NULL (parent_id) DEFERRABLE NOT VALID`.
    pub fn options_sql(&self) -> String {
        let mut s = String::new();
        if self.match_full {
            s.push_str(" MATCH FULL");
        }
        if self.on_update != Default::default() {
            s.push_str(&format!(" ON UPDATE {}", self.on_update.as_sql()));
        }
        if self.on_delete != Default::default() {
            s.push_str(&format!(" ON DELETE {}", self.on_delete.as_sql()));
            if !self.on_delete_set_columns.is_empty() {
                s.push_str(&format!(" ({})", self.on_delete_set_columns.join(", ")));
            }
        }
        if self.deferrable {
            s.push_str(if self.initially_deferred { " DEFERRABLE INITIALLY DEFERRED" } else { " DEFERRABLE" });
        }
        s.push_str(&state_sql(self.not_valid, self.not_enforced));
        s
    }

    /// `FOREIGN KEY (a) REFERENCES s.t (b) ON DELETE CASCADE`.
    pub fn to_sql(&self) -> String {
        format!("FOREIGN KEY ({}) REFERENCES {} ({}){}", self.columns_sql(), self.references, self.referenced_columns_sql(), self.options_sql())
    }
}

impl CheckConstraint {
    /// The definition with its state: `CHECK ((price > 0)) NOT VALID`.
    pub fn to_sql(&self) -> String {
        format!("{}{}", self.definition, state_sql(self.not_valid, self.not_enforced))
    }
}

impl Column {
    /// Whether an `INSERT` or `UPDATE` may set this column as written: not a generated column
    /// (stored or virtual: the server computes it, and rejects any value), and not an identity
    /// `GENERATED ALWAYS` column (which needs `OVERRIDING SYSTEM VALUE`). Says nothing about
    /// views, which are read-only as a whole.
    pub fn is_writable(&self) -> bool {
        self.generated.is_none() && self.identity != Some(Identity::Always)
    }

    /// What a partition may set on a column itself: `NOT NULL` or `NULL`, then ` DEFAULT expr`
    /// when it has a default, e.g. `NOT NULL DEFAULT 0`.
    pub fn settings_sql(&self) -> String {
        let mut s = if self.nullable { "NULL" } else { "NOT NULL" }.to_owned();
        if let Some(d) = &self.default {
            s.push_str(&format!(" DEFAULT {d}"));
        }
        s
    }

    /// `GENERATED ALWAYS AS (expr) STORED` (or `VIRTUAL`), for a generated column.
    pub fn generated_sql(&self) -> Option<String> {
        let expr = self.generated.as_ref()?;
        // The catalog's expression is already parenthesized when it needs to be; the clause
        // always wants its own parentheses.
        let kind = if self.generated_virtual { "VIRTUAL" } else { "STORED" };
        Some(format!("GENERATED ALWAYS AS ({expr}) {kind}"))
    }
}

fn state_sql(not_valid: bool, not_enforced: bool) -> String {
    match (not_valid, not_enforced) {
        (_, true) => " NOT ENFORCED".to_owned(),
        (true, false) => " NOT VALID".to_owned(),
        (false, false) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{FkAction, QualifiedName};
    use super::*;

    #[test]
    fn spells_temporal_keys_and_states() {
        let pk = PrimaryKey { name: "p".into(), columns: vec!["id".into(), "valid".into()], without_overlaps: true };
        assert_eq!(pk.to_sql(), "PRIMARY KEY (id, valid WITHOUT OVERLAPS)");
        let u = UniqueConstraint { name: "u".into(), columns: vec!["a".into()], nulls_not_distinct: true, deferrable: true, without_overlaps: false };
        assert_eq!(u.to_sql(), "UNIQUE NULLS NOT DISTINCT (a) DEFERRABLE");
        let fk = ForeignKey {
            name: "f".into(),
            columns: vec!["t".into(), "p".into(), "during".into()],
            references: QualifiedName { schema: "s".into(), name: "r".into() },
            referenced_columns: vec!["t".into(), "id".into(), "valid".into()],
            on_delete: FkAction::SetNull,
            on_delete_set_columns: vec!["p".into()],
            period: true,
            not_enforced: true,
            ..ForeignKey::default()
        };
        assert_eq!(fk.to_sql(), "FOREIGN KEY (t, p, PERIOD during) REFERENCES s.r (t, id, PERIOD valid) ON DELETE SET NULL (p) NOT ENFORCED");
        let c = CheckConstraint { name: "c".into(), definition: "CHECK ((x > 0))".into(), not_valid: true, not_enforced: false };
        assert_eq!(c.to_sql(), "CHECK ((x > 0)) NOT VALID");
        let col = Column { generated: Some("(a * 2)".into()), generated_virtual: true, ..Column::default() };
        assert_eq!(col.generated_sql().as_deref(), Some("GENERATED ALWAYS AS ((a * 2)) VIRTUAL"));
        assert!(!col.is_writable(), "a virtual generated column is read-only");
        assert!(!Column { identity: Some(Identity::Always), ..Column::default() }.is_writable());
        assert!(Column { identity: Some(Identity::ByDefault), ..Column::default() }.is_writable());
    }
}
