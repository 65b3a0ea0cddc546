//! The closed set of change kinds, each with a stable kebab-case code.
//!
//! Codes are part of the JSON output and of CI scripts that filter on them, so they never
//! change once released; new kinds are only ever added.

use serde::{Deserialize, Serialize};

/// Declares [`ChangeKind`] from one table, so the code, the noun and the changed attribute of
/// every kind are written once, side by side.
macro_rules! kinds {
    ($($variant:ident => $code:literal, $noun:literal, $what:literal;)*) => {
        /// What changed. See [`ChangeKind::code`] for the stable string form.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum ChangeKind {
            $(
                #[doc = concat!("`", $code, "`")]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl ChangeKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant),*];

            /// The stable code, e.g. `column-added`.
            pub fn code(self) -> &'static str {
                match self { $(ChangeKind::$variant => $code,)* }
            }

            /// What kind of object the change's path names, e.g. `column`, `label of enum`.
            pub fn noun(self) -> &'static str {
                match self { $(ChangeKind::$variant => $noun,)* }
            }

            /// For `*-changed` kinds, the attribute that changed (`type`, `default`...); empty
            /// for additions and removals.
            pub fn attribute(self) -> &'static str {
                match self { $(ChangeKind::$variant => $what,)* }
            }
        }
    };
}

kinds! {
    SchemaAdded => "schema-added", "schema", "";
    SchemaRemoved => "schema-removed", "schema", "";
    SchemaCommentChanged => "schema-comment-changed", "schema", "comment";
    TableAdded => "table-added", "table", "";
    TableRemoved => "table-removed", "table", "";
    TableKindChanged => "table-kind-changed", "table", "kind";
    TableCommentChanged => "table-comment-changed", "table", "comment";
    ColumnAdded => "column-added", "column", "";
    ColumnRemoved => "column-removed", "column", "";
    ColumnTypeChanged => "column-type-changed", "column", "type";
    ColumnNullabilityChanged => "column-nullability-changed", "column", "nullability";
    ColumnDefaultChanged => "column-default-changed", "column", "default";
    ColumnIdentityChanged => "column-identity-changed", "column", "identity";
    ColumnGeneratedChanged => "column-generated-changed", "column", "generation expression";
    ColumnCollationChanged => "column-collation-changed", "column", "collation";
    ColumnCommentChanged => "column-comment-changed", "column", "comment";
    PrimaryKeyAdded => "primary-key-added", "primary key", "";
    PrimaryKeyRemoved => "primary-key-removed", "primary key", "";
    PrimaryKeyChanged => "primary-key-changed", "primary key", "columns";
    ForeignKeyAdded => "foreign-key-added", "foreign key", "";
    ForeignKeyRemoved => "foreign-key-removed", "foreign key", "";
    ForeignKeyChanged => "foreign-key-changed", "foreign key", "definition";
    UniqueAdded => "unique-added", "unique constraint", "";
    UniqueRemoved => "unique-removed", "unique constraint", "";
    UniqueChanged => "unique-changed", "unique constraint", "definition";
    CheckAdded => "check-added", "check constraint", "";
    CheckRemoved => "check-removed", "check constraint", "";
    CheckChanged => "check-changed", "check constraint", "definition";
    ExclusionAdded => "exclusion-added", "exclusion constraint", "";
    ExclusionRemoved => "exclusion-removed", "exclusion constraint", "";
    ExclusionChanged => "exclusion-changed", "exclusion constraint", "definition";
    IndexAdded => "index-added", "index", "";
    IndexRemoved => "index-removed", "index", "";
    IndexChanged => "index-changed", "index", "definition";
    TriggerAdded => "trigger-added", "trigger", "";
    TriggerRemoved => "trigger-removed", "trigger", "";
    TriggerChanged => "trigger-changed", "trigger", "definition";
    PartitionKeyChanged => "partition-key-changed", "table", "partition key";
    PartitionAdded => "partition-added", "partition", "";
    PartitionRemoved => "partition-removed", "partition", "";
    PartitionBoundChanged => "partition-bound-changed", "partition", "bound";
    PartitionColumnAdded => "partition-column-added", "own column setting of partition", "";
    PartitionColumnRemoved => "partition-column-removed", "own column setting of partition", "";
    PartitionColumnChanged => "partition-column-changed", "own column setting of partition", "nullability or default";
    ViewAdded => "view-added", "view", "";
    ViewRemoved => "view-removed", "view", "";
    ViewKindChanged => "view-kind-changed", "view", "kind";
    ViewDefinitionChanged => "view-definition-changed", "view", "definition";
    ViewColumnsChanged => "view-columns-changed", "view", "columns";
    ViewCommentChanged => "view-comment-changed", "view", "comment";
    EnumAdded => "enum-added", "enum", "";
    EnumRemoved => "enum-removed", "enum", "";
    EnumLabelAdded => "enum-label-added", "label of enum", "";
    EnumLabelRemoved => "enum-label-removed", "label of enum", "";
    EnumLabelsReordered => "enum-labels-reordered", "enum", "label order";
    EnumCommentChanged => "enum-comment-changed", "enum", "comment";
    DomainAdded => "domain-added", "domain", "";
    DomainRemoved => "domain-removed", "domain", "";
    DomainTypeChanged => "domain-type-changed", "domain", "base type";
    DomainNullabilityChanged => "domain-nullability-changed", "domain", "nullability";
    DomainDefaultChanged => "domain-default-changed", "domain", "default";
    DomainCollationChanged => "domain-collation-changed", "domain", "collation";
    DomainCheckAdded => "domain-check-added", "domain check", "";
    DomainCheckRemoved => "domain-check-removed", "domain check", "";
    DomainCheckChanged => "domain-check-changed", "domain check", "definition";
    DomainCommentChanged => "domain-comment-changed", "domain", "comment";
    CompositeAdded => "composite-added", "composite type", "";
    CompositeRemoved => "composite-removed", "composite type", "";
    CompositeFieldAdded => "composite-field-added", "composite field", "";
    CompositeFieldRemoved => "composite-field-removed", "composite field", "";
    CompositeFieldTypeChanged => "composite-field-type-changed", "composite field", "type";
    CompositeFieldCommentChanged => "composite-field-comment-changed", "composite field", "comment";
    CompositeCommentChanged => "composite-comment-changed", "composite type", "comment";
    TableStorageChanged => "table-storage-changed", "table", "storage";
    RowSecurityChanged => "row-security-changed", "table", "row-level security";
    PolicyAdded => "policy-added", "policy", "";
    PolicyRemoved => "policy-removed", "policy", "";
    PolicyChanged => "policy-changed", "policy", "definition";
    GrantAdded => "grant-added", "grant", "";
    GrantRemoved => "grant-removed", "grant", "";
    GrantChanged => "grant-changed", "grant", "privileges";
    SequenceAdded => "sequence-added", "sequence", "";
    SequenceRemoved => "sequence-removed", "sequence", "";
    SequenceChanged => "sequence-changed", "sequence", "definition";
    FunctionAdded => "function-added", "function", "";
    FunctionRemoved => "function-removed", "function", "";
    FunctionChanged => "function-changed", "function", "signature";
    FunctionBodyChanged => "function-body-changed", "function", "body";
    FunctionCommentChanged => "function-comment-changed", "function", "comment";
    ExtensionAdded => "extension-added", "extension", "";
    ExtensionRemoved => "extension-removed", "extension", "";
    ExtensionChanged => "extension-changed", "extension", "version";
    RangeAdded => "range-added", "range type", "";
    RangeRemoved => "range-removed", "range type", "";
    RangeChanged => "range-changed", "range type", "definition";
    CollationAdded => "collation-added", "collation", "";
    CollationRemoved => "collation-removed", "collation", "";
    CollationChanged => "collation-changed", "collation", "definition";
}

/// Whether a kind adds, removes or modifies something (the change-log sections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Something new exists.
    Added,
    /// Something existing was modified.
    Changed,
    /// Something no longer exists.
    Removed,
}

impl ChangeKind {
    /// Added, changed or removed, from the code's suffix.
    pub fn action(self) -> Action {
        let code = self.code();
        if code.ends_with("-added") {
            Action::Added
        } else if code.ends_with("-removed") {
            Action::Removed
        } else {
            Action::Changed
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_match_serde() {
        let mut seen = BTreeSet::new();
        for k in ChangeKind::ALL {
            assert!(seen.insert(k.code()), "duplicate code {}", k.code());
            assert!(k.code().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", k.code());
            assert_eq!(serde_json::to_string(k).unwrap(), format!("\"{}\"", k.code()));
            let changed = k.action() == Action::Changed;
            assert_eq!(changed, !k.attribute().is_empty(), "{}: attribute iff changed", k.code());
        }
    }
}
