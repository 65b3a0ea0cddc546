//! The diff engine: golden text/Markdown/JSON for two fixture snapshots, and one focused test
//! per change kind family asserting its kind code and severity.

use schema_gen::diff::{diff, render_json, render_markdown, render_text, Change, ChangeKind as K, Severity as S};
use schema_gen::snapshot::{Column, EnumType, ForeignKey, Identity, Index, PrimaryKey, QualifiedName, Schema, Table, TypeKind, TypeRef};
use schema_gen::Snapshot;

fn fixture(name: &str) -> Snapshot {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut s = Snapshot::load(&path).unwrap_or_else(|e| panic!("{e}"));
    s.normalize();
    s
}

fn kinds(changes: &[Change]) -> Vec<(K, S, &str)> {
    changes.iter().map(|c| (c.kind, c.severity, c.path.as_str())).collect()
}

#[test]
fn golden_text_markdown_json() {
    let (a, b) = (fixture("shop_v1.json"), fixture("shop_v2.json"));
    let changes = diff(&a, &b);
    insta::assert_snapshot!("shop_text", render_text(&changes, "shop_v1.json", "shop_v2.json"));
    insta::assert_snapshot!("shop_markdown", render_markdown(&changes, "shop_v1.json", "shop_v2.json"));
    insta::assert_snapshot!("shop_json", render_json(&changes, "shop_v1.json", "shop_v2.json"));
}

#[test]
fn fixture_diff_has_the_expected_kinds_and_severities() {
    let changes = diff(&fixture("shop_v1.json"), &fixture("shop_v2.json"));
    let k = kinds(&changes);
    for expected in [
        (K::TableRemoved, S::Destructive, "public.Room Bookings"),
        (K::TableAdded, S::Additive, "public.addresses"),
        (K::ColumnRemoved, S::Destructive, "public.users.display_name"),
        (K::ColumnAdded, S::Additive, "public.users.phone"),
        (K::ColumnAdded, S::Breaking, "public.users.tenant_id"),
        (K::ColumnTypeChanged, S::Breaking, "public.orders.note"),
        (K::ColumnTypeChanged, S::Destructive, "public.orders.total"),
        (K::ColumnNullabilityChanged, S::Breaking, "public.orders.coupon_id"),
        (K::ColumnCommentChanged, S::Cosmetic, "public.users.email"),
        (K::ForeignKeyRemoved, S::Breaking, "public.orders.orders_coupon_id_fkey"),
        (K::IndexAdded, S::Additive, "public.orders.orders_created_idx"),
        (K::EnumLabelAdded, S::Additive, "public.user_status"),
        (K::EnumLabelRemoved, S::Destructive, "public.user_status"),
        (K::PartitionAdded, S::Additive, "public.events_2025"),
        (K::ViewDefinitionChanged, S::Breaking, "public.active_users"),
        (K::ColumnRemoved, S::Breaking, "public.active_users.email"),
        (K::DomainNullabilityChanged, S::Breaking, "public.email_address"),
        (K::CompositeFieldCommentChanged, S::Cosmetic, "public.money_amount.currency"),
        (K::SchemaAdded, S::Additive, "reporting"),
        (K::EnumAdded, S::Additive, "reporting.period"),
    ] {
        assert!(k.contains(&expected), "missing {expected:?} in {k:#?}");
    }
    assert_eq!(changes.len(), 20, "unexpected extra changes: {k:#?}");
}

#[test]
fn identical_snapshots_have_no_changes_and_order_is_stable() {
    let a = fixture("shop_v1.json");
    assert!(diff(&a, &a).is_empty());
    let b = fixture("shop_v2.json");
    // Shuffling input order must not change the output.
    let mut shuffled = b.clone();
    shuffled.schemas.reverse();
    for s in &mut shuffled.schemas {
        s.tables.reverse();
    }
    assert_eq!(diff(&a, &b), diff(&a, &shuffled));
}

fn int_col(name: &str, ordinal: u32, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ordinal,
        sql_type: "integer".into(),
        type_ref: TypeRef { schema: "pg_catalog".into(), name: "int4".into(), kind: TypeKind::Builtin, ..TypeRef::default() },
        nullable,
        ..Column::default()
    }
}

fn one_table(t: Table) -> Snapshot {
    Snapshot { schemas: vec![Schema { name: "app".into(), tables: vec![t], ..Schema::default() }], ..Snapshot::default() }
}

fn base() -> Table {
    Table {
        name: "t".into(),
        columns: vec![int_col("id", 1, false), int_col("x", 2, true)],
        primary_key: Some(PrimaryKey { name: "t_pkey".into(), columns: vec!["id".into()], ..PrimaryKey::default() }),
        ..Table::default()
    }
}

fn single(old: Table, new: Table) -> (K, S, String, Option<String>, Option<String>) {
    let changes = diff(&one_table(old), &one_table(new));
    assert_eq!(changes.len(), 1, "expected exactly one change, got {changes:#?}");
    let c = changes.into_iter().next().unwrap();
    (c.kind, c.severity, c.path, c.old, c.new)
}

fn ks(old: Table, new: Table) -> (K, S) {
    let (k, s, ..) = single(old, new);
    (k, s)
}

#[test]
fn column_attribute_changes() {
    let mut t = base();
    t.columns[1].default = Some("42".into());
    assert_eq!(single(base(), t.clone()), (K::ColumnDefaultChanged, S::Breaking, "app.t.x".into(), None, Some("42".into())));

    let mut t = base();
    t.columns[0].identity = Some(Identity::Always);
    let (k, s, _, old, new) = single(base(), t);
    assert_eq!((k, s, old, new.as_deref()), (K::ColumnIdentityChanged, S::Breaking, None, Some("GENERATED ALWAYS AS IDENTITY")));

    let mut t = base();
    t.columns[1].generated = Some("id * 2".into());
    assert_eq!(single(base(), t).0, K::ColumnGeneratedChanged);

    let mut t = base();
    t.columns[1].collation = Some("C".into());
    assert_eq!(single(base(), t).0, K::ColumnCollationChanged);

    let mut t = base();
    t.columns[1].nullable = false;
    assert_eq!(single(base(), t).0, K::ColumnNullabilityChanged);

    let mut t = base();
    t.comment = Some("hello".into());
    assert_eq!(single(base(), t).1, S::Cosmetic);
}

#[test]
fn key_and_index_changes() {
    let mut t = base();
    t.primary_key.as_mut().unwrap().columns.push("x".into());
    assert_eq!(single(base(), t).0, K::PrimaryKeyChanged);

    let mut t = base();
    t.primary_key = None;
    assert_eq!(ks(base(), t), (K::PrimaryKeyRemoved, S::Breaking));

    let fk = ForeignKey {
        name: "t_x_fkey".into(),
        columns: vec!["x".into()],
        references: QualifiedName { schema: "app".into(), name: "t".into() },
        referenced_columns: vec!["id".into()],
        ..ForeignKey::default()
    };
    let mut with_fk = base();
    with_fk.foreign_keys.push(fk.clone());
    assert_eq!(single(base(), with_fk.clone()).0, K::ForeignKeyAdded);
    let mut cascading = with_fk.clone();
    cascading.foreign_keys[0].on_delete = schema_gen::snapshot::FkAction::Cascade;
    let (k, _, _, _, new) = single(with_fk, cascading);
    assert_eq!(k, K::ForeignKeyChanged);
    assert!(new.unwrap().ends_with("ON DELETE CASCADE"));

    let idx = Index { name: "t_x_key".into(), unique: true, method: "btree".into(), columns: vec!["x".into()], definition: "CREATE UNIQUE INDEX t_x_key ON app.t USING btree (x)".into(), ..Index::default() };
    let mut with_idx = base();
    with_idx.indexes.push(idx);
    // A unique index may reject existing writes, so adding one is breaking, not additive.
    assert_eq!(ks(base(), with_idx.clone()), (K::IndexAdded, S::Breaking));
    assert_eq!(ks(with_idx, base()), (K::IndexRemoved, S::Breaking));
}

#[test]
fn states_and_newer_facts_are_changes() {
    use schema_gen::snapshot::CheckConstraint;
    // Validating a NOT VALID check, or enforcing a NOT ENFORCED foreign key, changes what the
    // database guarantees: the definition text alone would not show it.
    let mut not_valid = base();
    not_valid.checks.push(CheckConstraint { name: "t_x_check".into(), definition: "CHECK ((x > 0))".into(), not_valid: true, not_enforced: false });
    let mut valid = not_valid.clone();
    valid.checks[0].not_valid = false;
    let (k, _, _, old, new) = single(not_valid, valid);
    assert_eq!((k, old.as_deref(), new.as_deref()), (K::CheckChanged, Some("CHECK ((x > 0)) NOT VALID"), Some("CHECK ((x > 0))")));

    let fk = ForeignKey { name: "f".into(), columns: vec!["x".into()], references: QualifiedName { schema: "app".into(), name: "t".into() }, referenced_columns: vec!["id".into()], not_enforced: true, ..ForeignKey::default() };
    let mut lax = base();
    lax.foreign_keys.push(fk);
    let mut strict = lax.clone();
    strict.foreign_keys[0].not_enforced = false;
    let (k, _, _, old, _) = single(lax, strict);
    assert_eq!(k, K::ForeignKeyChanged);
    assert!(old.unwrap().ends_with("NOT ENFORCED"));

    // A stored generated column turned virtual (PostgreSQL 18) keeps its expression.
    let mut stored = base();
    stored.columns[1].generated = Some("(id * 2)".into());
    let mut virt = stored.clone();
    virt.columns[1].generated_virtual = true;
    let (k, _, _, _, new) = single(stored, virt);
    assert_eq!((k, new.as_deref()), (K::ColumnGeneratedChanged, Some("GENERATED ALWAYS AS ((id * 2)) VIRTUAL")));

    // An index left invalid by a failed CREATE INDEX CONCURRENTLY has the same definition.
    let idx = Index { name: "i".into(), method: "btree".into(), columns: vec!["x".into()], definition: "CREATE INDEX i ON app.t USING btree (x)".into(), ..Index::default() };
    let mut good = base();
    good.indexes.push(idx);
    let mut broken = good.clone();
    broken.indexes[0].invalid = true;
    assert_eq!(single(good, broken).0, K::IndexChanged);

    let mut plain = base();
    plain.primary_key.as_mut().unwrap().columns.push("x".into());
    let mut temporal = plain.clone();
    temporal.primary_key.as_mut().unwrap().without_overlaps = true;
    let (k, _, _, _, new) = single(plain, temporal);
    assert_eq!((k, new.as_deref()), (K::PrimaryKeyChanged, Some("PRIMARY KEY (id, x WITHOUT OVERLAPS)")));
}

#[test]
fn columns_added_and_removed() {
    let mut t = base();
    t.columns.push(int_col("y", 3, true));
    assert_eq!(ks(base(), t), (K::ColumnAdded, S::Additive));
    let mut t = base();
    let mut y = int_col("y", 3, false);
    y.default = Some("0".into());
    t.columns.push(y);
    assert_eq!(ks(base(), t), (K::ColumnAdded, S::Additive), "a defaulted NOT NULL column breaks nothing");
    let mut t = base();
    t.columns.pop();
    assert_eq!(ks(base(), t), (K::ColumnRemoved, S::Destructive));
    let mut t = base();
    t.columns[1].type_ref.name = "int8".into();
    t.columns[1].sql_type = "bigint".into();
    assert_eq!(ks(base(), t.clone()), (K::ColumnTypeChanged, S::Breaking), "int4 -> int8 widens");
    assert_eq!(ks(t, base()), (K::ColumnTypeChanged, S::Destructive), "int8 -> int4 narrows");
}

fn with_enum(labels: &[&str]) -> Snapshot {
    let e = EnumType { name: "mood".into(), comment: None, labels: labels.iter().map(|l| l.to_string()).collect() };
    Snapshot { schemas: vec![Schema { name: "app".into(), enums: vec![e], ..Schema::default() }], ..Snapshot::default() }
}

#[test]
fn enum_label_changes() {
    let c = diff(&with_enum(&["a", "b"]), &with_enum(&["a", "b", "c"]));
    assert_eq!(kinds(&c), vec![(K::EnumLabelAdded, S::Additive, "app.mood")]);
    let c = diff(&with_enum(&["a", "b"]), &with_enum(&["b", "a"]));
    assert_eq!(kinds(&c), vec![(K::EnumLabelsReordered, S::Breaking, "app.mood")]);
    let c = diff(&with_enum(&["a", "b"]), &with_enum(&["a"]));
    assert_eq!(kinds(&c), vec![(K::EnumLabelRemoved, S::Destructive, "app.mood")]);
    let c = diff(&with_enum(&["a"]), &Snapshot { schemas: vec![Schema { name: "app".into(), ..Schema::default() }], ..Snapshot::default() });
    assert_eq!(kinds(&c), vec![(K::EnumRemoved, S::Breaking, "app.mood")]);
}

#[test]
fn schema_removal_is_destructive_and_addition_lists_contents() {
    let s = with_enum(&["a"]);
    let empty = Snapshot::default();
    assert_eq!(kinds(&diff(&s, &empty)), vec![(K::SchemaRemoved, S::Destructive, "app")]);
    assert_eq!(kinds(&diff(&empty, &s)), vec![(K::SchemaAdded, S::Additive, "app"), (K::EnumAdded, S::Additive, "app.mood")]);
}

#[test]
fn descriptions_are_readable() {
    let mut t = base();
    t.columns.pop();
    let c = diff(&one_table(base()), &one_table(t));
    assert_eq!(c[0].describe(), "column `app.t.x` removed (was `integer`)");
}
