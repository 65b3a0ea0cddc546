//! The checker against the fixture snapshot shared with the derive's UI tests.

use schema_core::check::{check_model, Code, Discrepancy, FieldDef, Location, ModelDef, RustTypeRepr};
use schema_core::typemap::{TimeCrate, TypeMap, TypeOptions};
use schema_core::Snapshot;

fn snapshot() -> Snapshot {
    Snapshot::from_json(include_str!("../../schema-derive/tests/fixtures/snapshot.json"), "fixture").expect("fixture parses")
}

fn field(name: &str, ty: &str) -> FieldDef {
    FieldDef {
        rust_name: name.to_owned(),
        column: name.to_owned(),
        ty: RustTypeRepr::parse(ty),
        skip: false,
        custom_type: false,
        sql_type: None,
    }
}

fn users(fields: Vec<FieldDef>) -> ModelDef {
    ModelDef { rust_name: "User".into(), table: "public.users".into(), fields, ..ModelDef::default() }
}

fn check(model: &ModelDef) -> Vec<Discrepancy> {
    check_model(model, &snapshot(), &TypeMap::default())
}

fn codes(found: &[Discrepancy]) -> Vec<(Code, Location)> {
    found.iter().map(|d| (d.code, d.location)).collect()
}

fn full_user() -> Vec<FieldDef> {
    vec![
        field("id", "i64"),
        field("email", "String"),
        field("display_name", "Option<String>"),
        field("status", "UserStatus"),
        field("tags", "Vec<String>"),
        field("created_at", "chrono::DateTime<chrono::Utc>"),
        field("deleted_at", "Option<DateTime<Utc>>"),
    ]
}

#[test]
fn a_correct_model_has_no_discrepancies() {
    let mut model = users(full_user());
    model.deny_missing_columns = true;
    model.primary_key = Some(vec!["id".into()]);
    assert_eq!(check(&model), vec![]);
}

#[test]
fn unknown_table_suggests_the_closest_name() {
    let model = ModelDef { table: "public.user".into(), ..users(vec![]) };
    let found = check(&model);
    assert_eq!(codes(&found), [(Code::UnknownTable, Location::Table)]);
    assert!(found[0].message.contains("did you mean `public.users`?"), "{}", found[0].message);
    let bare = check(&ModelDef { table: "paymnts".into(), ..users(vec![]) });
    assert!(bare[0].message.contains("did you mean `payments`?"), "{}", bare[0].message);
}

#[test]
fn bare_names_resolve_in_public_and_other_schemas() {
    let model = ModelDef { table: "events".into(), ..users(vec![field("id", "i64"), field("payload", "Option<serde_json::Value>")]) };
    assert_eq!(check(&model), vec![]);
}

#[test]
fn unknown_column_suggests_an_unclaimed_column() {
    let found = check(&users(vec![field("id", "i64"), field("emial", "String")]));
    assert_eq!(codes(&found), [(Code::UnknownColumn, Location::FieldColumn(1))]);
    assert!(found[0].message.contains("did you mean `email`?"), "{}", found[0].message);
}

#[test]
fn type_and_nullability_mismatches_point_at_the_type() {
    let found = check(&users(vec![
        field("id", "i32"),
        field("email", "Option<String>"),
        field("display_name", "String"),
        field("created_at", "NaiveDateTime"),
        field("tags", "Vec<i32>"),
    ]));
    assert_eq!(
        codes(&found),
        [
            (Code::TypeMismatch, Location::FieldType(0)),
            (Code::NullabilityMismatch, Location::FieldType(1)),
            (Code::NullabilityMismatch, Location::FieldType(2)),
            (Code::TypeMismatch, Location::FieldType(3)),
            (Code::TypeMismatch, Location::FieldType(4)),
        ]
    );
    assert!(found[0].message.contains("maps to `i64`"), "{}", found[0].message);
    assert!(found[1].message.contains("NOT NULL") && found[1].message.contains("use `String`"), "{}", found[1].message);
    assert!(found[2].message.contains("use `Option<String>`"), "{}", found[2].message);
    assert!(found[4].message.contains("`Vec<String>`"), "{}", found[4].message);
}

#[test]
fn also_accepted_types_and_type_options_are_honoured() {
    let model = users(vec![field("created_at", "time::OffsetDateTime")]);
    assert_eq!(check(&model), vec![]);
    let time = TypeMap::new(TypeOptions { time: TimeCrate::Time, ..TypeOptions::default() });
    let model = users(vec![field("created_at", "OffsetDateTime")]);
    assert_eq!(check_model(&model, &snapshot(), &time), vec![]);
    let uuid_off = TypeMap::new(TypeOptions { uuid: false, ..TypeOptions::default() });
    let media = ModelDef { table: "media".into(), ..users(vec![field("id", "uuid::Uuid")]) };
    assert_eq!(codes(&check_model(&media, &snapshot(), &uuid_off)), [(Code::UnsupportedType, Location::FieldType(0))]);
}

#[test]
fn unmapped_types_need_custom_and_sql_type_is_verified() {
    let mut location = field("location", "Option<Location>");
    let model = ModelDef { table: "measurements".into(), ..users(vec![location.clone()]) };
    assert_eq!(codes(&check(&model)), [(Code::UnsupportedType, Location::FieldType(0))]);
    location.custom_type = true;
    let model = ModelDef { table: "measurements".into(), ..users(vec![location.clone()]) };
    assert_eq!(check(&model), vec![]);
    location.sql_type = Some("text".into());
    let model = ModelDef { table: "measurements".into(), ..users(vec![location]) };
    let found = check(&model);
    assert_eq!(codes(&found), [(Code::TypeMismatch, Location::FieldType(0))]);
    assert!(found[0].message.contains("has SQL type `point`, not `text`"), "{}", found[0].message);
}

/// Every fix the unsupported-type message suggests is applied and makes the error go away.
#[test]
fn unsupported_type_hints_work() {
    let measurements = |f: FieldDef| ModelDef { table: "measurements".into(), ..users(vec![f]) };
    // `point`: the suggested type override key is `point`; applying it maps the column.
    let found = check(&measurements(field("location", "Option<my::Point>")));
    assert!(found[0].message.contains("`\"point\": \"my_crate::MyType\"`"), "{}", found[0].message);
    let mut opts = TypeOptions::default();
    opts.type_overrides.insert("point".into(), "my::Point".into());
    assert_eq!(check_model(&measurements(field("location", "Option<my::Point>")), &snapshot(), &TypeMap::new(opts)), vec![]);
    // ... and `#[model(custom)]` (the other suggestion) is accepted.
    let mut location = field("location", "Option<Location>");
    location.custom_type = true;
    assert_eq!(check(&measurements(location)), vec![]);
}

/// Range columns take `Range<T>` and multi-dimensional arrays `Array<T>` (the generated support
/// types, or the user's own of those names), `T` checked like any column type.
#[test]
fn ranges_and_multi_dimensional_arrays_are_checked() {
    let measurements = |fields: Vec<FieldDef>| ModelDef { table: "measurements".into(), ..users(fields) };
    let fine = measurements(vec![
        field("period", "Option<Range<i32>>"),
        field("grid", "Option<pgcanon_support::Array<i32>>"),
    ]);
    assert_eq!(check(&fine), vec![]);
    // The user's own types of those names, e.g. an `Array` whose elements are `Option<T>`.
    assert_eq!(check(&measurements(vec![field("grid", "Option<my::Array<Option<i32>>>")])), vec![]);
    for (column, ty, expected) in [
        ("period", "Option<String>", "`Range<i32>` (the generated `pgcanon_support::Range`"),
        ("period", "Option<Range<i64>>", "`Range<i32>`"),
        ("grid", "Option<Vec<Vec<i32>>>", "`Array<i32>` (the generated `pgcanon_support::Array`"),
        ("grid", "Option<Array<String>>", "`Array<i32>`"),
    ] {
        let found = check(&measurements(vec![field(column, ty)]));
        assert_eq!(codes(&found), [(Code::TypeMismatch, Location::FieldType(0))], "{ty}");
        assert!(found[0].message.contains(expected), "{ty}: {}", found[0].message);
    }
    // The element's alternatives carry over: `tstzrange` takes `Range<time::OffsetDateTime>` too.
    let mut snap = snapshot();
    let table = snap.schemas.iter_mut().find(|s| s.name == "public").unwrap().tables.iter_mut().find(|t| t.name == "measurements").unwrap();
    table.columns[7].type_ref.name = "tstzrange".into();
    let model = measurements(vec![field("period", "Option<Range<time::OffsetDateTime>>")]);
    assert_eq!(check_model(&model, &snap, &TypeMap::default()), vec![]);
}

#[test]
fn support_types_map_interval_money_bits_xml_and_tsvector() {
    let model = ModelDef {
        table: "measurements".into(),
        ..users(vec![
            field("span", "Interval"),
            field("flags", "Option<BitString>"),
            field("mask", "Option<models::pgcanon_support::BitString>"),
            field("body", "Option<Xml>"),
            field("doc", "Option<TsVector>"),
        ])
    };
    assert_eq!(check(&model), vec![]);
    let fee = ModelDef { table: "payments".into(), ..users(vec![field("fee", "Option<Money>")]) };
    assert_eq!(check(&fee), vec![]);
    let found = check(&ModelDef { table: "measurements".into(), ..users(vec![field("span", "String")]) });
    assert!(found[0].message.contains("the generated `pgcanon_support::Interval`"), "{}", found[0].message);
}

#[test]
fn ambiguous_names_and_partitions_are_explained() {
    let found = check(&ModelDef { table: "audit_log".into(), ..users(vec![field("id", "i64")]) });
    assert_eq!(
        found[0].message,
        "table `audit_log` is ambiguous: it exists as `archive.audit_log` and `audit.audit_log`; write the qualified name, e.g. `table = \"archive.audit_log\"`"
    );
    for name in ["events_2024", "audit.events_2024"] {
        let found = check(&ModelDef { table: name.into(), ..users(vec![field("id", "i64")]) });
        assert_eq!(codes(&found), [(Code::UnknownTable, Location::Table)]);
        assert!(found[0].message.starts_with("`audit.events_2024` is a partition of `audit.events`"), "{}", found[0].message);
    }
}

#[test]
fn enum_columns_reject_builtin_scalars() {
    let found = check(&users(vec![field("status", "String")]));
    assert_eq!(codes(&found), [(Code::TypeMismatch, Location::FieldType(0))]);
    assert!(found[0].message.contains("a Rust enum implementing `FromSql` for `public.user_status`"), "{}", found[0].message);
}

#[test]
fn duplicates_missing_columns_and_primary_keys() {
    let mut email2 = field("email2", "String");
    email2.column = "email".into();
    let mut model = users(vec![field("id", "i64"), field("email", "String"), email2]);
    model.deny_missing_columns = true;
    model.primary_key = Some(vec!["email".into()]);
    let found = check(&model);
    let got = codes(&found);
    assert_eq!(got[0], (Code::DuplicateColumn, Location::FieldColumn(2)));
    // One error listing every missing column with its type, not one per column.
    let missing: Vec<&Discrepancy> = found.iter().filter(|d| d.code == Code::MissingColumn).collect();
    assert_eq!(missing.len(), 1, "{found:#?}");
    assert_eq!(
        missing[0].message,
        "`User` has no field for 5 columns of `public.users`: `display_name` (text), `status` (public.user_status), \
         `tags` (text[]), `created_at` (timestamp with time zone), `deleted_at` (timestamp with time zone); \
         add fields for them or remove `deny_missing_columns`"
    );
    assert_eq!(*got.last().unwrap(), (Code::PrimaryKeyMismatch, Location::PrimaryKey));
    assert!(found.last().unwrap().message.contains("is `(id)`, not `(email)`"));
}

#[test]
fn views_accept_either_nullability_and_have_no_primary_key() {
    let model = ModelDef {
        table: "active_users".into(),
        primary_key: Some(vec!["id".into()]),
        ..users(vec![field("id", "i64"), field("email", "Option<String>")])
    };
    let found = check(&model);
    assert_eq!(codes(&found), [(Code::PrimaryKeyMismatch, Location::PrimaryKey)]);
    assert!(found[0].message.contains("has no primary key"));
}

#[test]
fn view_columns_proven_not_null_reject_option() {
    // The snapshot marks a view column NOT NULL only when its definition proves it.
    let mut snap = snapshot();
    let view = snap.schemas.iter_mut().find(|s| s.name == "public").unwrap().views.iter_mut().find(|v| v.name == "active_users").unwrap();
    view.columns.iter_mut().find(|c| c.name == "id").unwrap().nullable = false;
    let model = |id: &str, email: &str| ModelDef { table: "active_users".into(), ..users(vec![field("id", id), field("email", email)]) };
    assert_eq!(check_model(&model("i64", "String"), &snap, &TypeMap::default()), vec![]);
    assert_eq!(check_model(&model("i64", "Option<String>"), &snap, &TypeMap::default()), vec![], "unproven: either spelling");
    let found = check_model(&model("Option<i64>", "String"), &snap, &TypeMap::default());
    assert_eq!(codes(&found), [(Code::NullabilityMismatch, Location::FieldType(0))]);
    assert!(found[0].message.contains("NOT NULL (the view's definition proves it never NULL) but field `id` is `Option<i64>`; use `i64`"), "{}", found[0].message);
}

#[test]
fn skipped_fields_are_ignored() {
    let mut cache = field("cache", "Whatever");
    cache.skip = true;
    assert_eq!(check(&users(vec![field("id", "i64"), cache])), vec![]);
}
