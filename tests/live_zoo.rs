//! Every type family of the type-zoo fixture decodes through generated models on a live
//! database: builtins, arrays, enums and enum arrays, domains and domain arrays, a composite
//! with an array field, citext, the support types (`interval`, `money`, `bit`/`varbit`, `xml`,
//! `tsvector`), the generic support types (`Range<T>` for built-in and user-defined ranges,
//! `Array<T>` for multi-dimensional arrays) and raw fallbacks (`point`, `cidr`/`macaddr` without
//! the network option).
//!
//! The models are `tests/generated/zoo_models.rs`, generated from
//! `schema-gen/tests/fixtures/codegen/zoo.json`; the first test keeps that file current
//! (set `PGCANON_UPDATE_GENERATED=1` to rewrite it after a generator change).

// The test decodes rows and checks values; the generated constants and helpers it does not
// touch are part of the generated API, not dead code worth flagging in a test binary.
#[allow(dead_code)]
mod zoo {
    include!("generated/zoo_models.rs");
}

use std::path::Path;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use rust_decimal::Decimal;
use test_support::TestDb;
use std::ops::Bound::{Excluded, Included, Unbounded};

use zoo::pgcanon_support::{Array, BitString, Dimension, Interval, Lexeme, Money, Range, RawValue, TsVector, Xml};
use zoo::public::{Mood, Point3, Zoo, ZooSummary};

const ZOO_SQL: &str = include_str!("../schema-gen/tests/fixtures/codegen/zoo.sql");

/// The committed zoo models, one file per target combination, with the configuration each is
/// generated with (`tests/live_async.rs` decodes the async ones).
fn zoo_variants() -> Vec<(&'static str, schema_gen::Config)> {
    use schema_gen::typemap::TimeCrate;
    use schema_gen::{Config, Target};
    let mut tokio = Config::new();
    tokio.targets([Target::TokioPostgres]).time_crate(TimeCrate::Time);
    let mut sqlx = Config::new();
    sqlx.targets([Target::Sqlx]).serde(true);
    let mut mixed = Config::new();
    mixed.targets([Target::Postgres, Target::Sqlx]).time_crate(TimeCrate::Time);
    vec![
        ("zoo_models.rs", Config::new()),
        ("zoo_tokio_postgres_time.rs", tokio),
        ("zoo_sqlx.rs", sqlx),
        ("zoo_postgres_sqlx_time.rs", mixed),
    ]
}

#[test]
fn committed_zoo_models_match_the_generator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snapshot = schema_gen::Snapshot::load(root.join("schema-gen/tests/fixtures/codegen/zoo.json")).unwrap();
    for (file, config) in zoo_variants() {
        let code = config.generate(&snapshot).unwrap().code;
        let path = root.join("tests/generated").join(file);
        if std::env::var_os("PGCANON_UPDATE_GENERATED").is_some() {
            schema_gen::write_if_changed(&path, code.as_bytes()).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == code, "`{}` is stale; rerun with PGCANON_UPDATE_GENERATED=1", path.display());
        if !config.options().has_target(schema_gen::Target::Postgres) {
            // The async targets must not need the synchronous crate: no path starts at `postgres`.
            let sync_paths = code.match_indices("postgres::").filter(|(i, _)| !code[..*i].ends_with(['_', ':'])).count();
            assert_eq!(sync_paths, 0, "`{file}` names the `postgres` crate");
        }
    }
}

#[test]
fn every_zoo_type_decodes() {
    let db = TestDb::with_sql("live_zoo", ZOO_SQL);
    let mut c = db.client();
    let point = Point3 { x: Some(1.0), y: None, z: Some(-2.5), label: Some("p \"q\"".into()), tags: Some(vec!["a".into()]) };
    c.execute(
        "INSERT INTO zoo VALUES (true, 2, 4, 8, 42, 1.5, 2.25, 'x', 'text', 'varchar', 'ab', 'name', '\\xdead',
            12.345, '{\"a\": 1}', '[true]', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '13:14:15',
            '2024-01-02 03:04:05.678', '2024-01-02 03:04:05+02', '192.168.0.1', '10.0.0.0/8', '08:00:2b:01:02:03',
            'CaseLess', '1 day 2 hours', 12.34, '{1,2,3}', '{a,b}', '{{1,2},{3,4}}', $1, $2, 'short', '{x,y}', $3, '[1,5)')",
        &[&Mood::Happy, &vec![Mood::Sad, Mood::Ok], &point],
    )
    .unwrap();
    c.batch_execute("INSERT INTO zoo (c_bool, c_int2, c_int4, c_int8, c_jsonb, c_uuid, c_timestamptz, c_int_arr, c_enum, c_domain)
        VALUES (false, 0, 0, 1, 'null', '00000000-0000-0000-0000-000000000000', 'epoch', '{}', 'sad', '');
        REFRESH MATERIALIZED VIEW zoo_summary;")
        .unwrap();
    let rows = c.query(&format!("{} ORDER BY c_int8 DESC", Zoo::SELECT), &[]).unwrap();
    let zoos: Vec<Zoo> = rows.iter().map(|r| Zoo::try_from(r).unwrap_or_else(|e| panic!("decode: {e}"))).collect();
    let full = &zoos[0];
    assert_eq!((full.c_bool, full.c_int2, full.c_int4, full.c_int8, full.c_oid), (true, 2, 4, 8, Some(42)));
    assert_eq!((full.c_float4, full.c_float8, full.c_char), (Some(1.5), Some(2.25), Some(b'x' as i8)));
    assert_eq!(full.c_bpchar.as_deref(), Some("ab "), "char(3) pads");
    assert_eq!(full.c_bytea.as_deref(), Some(&[0xde, 0xad][..]));
    assert_eq!(full.c_numeric, Some(Decimal::new(12345, 3)));
    assert_eq!(full.c_jsonb, serde_json::json!([true]));
    assert_eq!(full.c_date, NaiveDate::from_ymd_opt(2024, 2, 29));
    assert_eq!(full.c_time, NaiveTime::from_hms_opt(13, 14, 15));
    assert_eq!(full.c_timestamptz, Utc.with_ymd_and_hms(2024, 1, 2, 1, 4, 5).unwrap());
    assert_eq!(full.c_inet, Some("192.168.0.1".parse().unwrap()));
    assert_eq!(full.c_citext.as_deref(), Some("CaseLess"));
    assert_eq!(full.c_int_arr, [1, 2, 3]);
    assert_eq!(full.c_text_arr, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(full.c_enum, Mood::Happy);
    assert_eq!(full.c_enum_arr, Some(vec![Mood::Sad, Mood::Ok]));
    assert_eq!(full.c_domain, "short");
    // Arrays of domains arrive with the domain as element type, which `postgres` rejects for
    // `Vec<String>`; the generator falls back to the raw value (and warns).
    assert!(full.c_domain_arr.is_some());
    assert_eq!(full.c_composite.as_ref(), Some(&point));
    assert_eq!(full.c_generated, Some(16));
    // Support types: `1 day 2 hours` and `12.34` (cents in the default `lc_monetary`).
    assert_eq!(full.c_interval, Some(Interval { months: 0, days: 1, microseconds: 2 * 3_600_000_000 }));
    assert_eq!(full.c_money, Some(Money(1234)));
    // Ranges and multi-dimensional arrays through the generic support types.
    assert_eq!(full.c_range, Some(Range::new(Included(1), Excluded(5))));
    let matrix = full.c_matrix.as_ref().expect("c_matrix");
    assert_eq!(matrix.dimensions(), [Dimension { len: 2, lower_bound: 1 }, Dimension { len: 2, lower_bound: 1 }]);
    assert_eq!(matrix.elements(), [Some(1), Some(2), Some(3), Some(4)]);
    assert_eq!(matrix.get(&[2, 1]), Some(Some(&3)));
    assert_eq!(full.c_daterange, Range::Empty, "the column default `'empty'`");
    // Raw fallbacks keep the binary wire value (a cidr `10.0.0.0/8` is 4 + 4 bytes).
    assert_eq!(full.c_cidr.as_ref().map(|RawValue(b)| b.len()), Some(8));
    assert!(full.c_macaddr.is_some());

    let bare = &zoos[1];
    assert_eq!((bare.c_oid, bare.c_text.as_deref(), bare.c_numeric, bare.c_json.as_ref()), (None, None, None, None));
    assert_eq!((bare.c_text_arr.as_ref(), bare.c_composite.as_ref(), bare.c_interval.as_ref()), (None, None, None));
    assert_eq!(bare.c_jsonb, serde_json::Value::Null);
    assert!(bare.c_int_arr.is_empty());
    assert_eq!(bare.c_domain, "");

    // `Vec<T>` cannot hold a NULL element: decoding reports an error (use
    // `nullable_array_elements(true)` for `Vec<Option<T>>`), it never panics.
    c.batch_execute("UPDATE zoo SET c_text_arr = '{a,NULL}' WHERE c_int8 = 1").unwrap();
    let row = c.query_one(&format!("{} WHERE c_int8 = 1", Zoo::SELECT), &[]).unwrap();
    let err = Zoo::try_from(&row).unwrap_err().to_string();
    assert!(err.contains("error deserializing column 28"), "{err}");

    let summary: Vec<ZooSummary> =
        c.query(ZooSummary::SELECT, &[]).unwrap().iter().map(|r| ZooSummary::try_from(r).unwrap()).collect();
    assert_eq!(summary[0].n, 2);
}

/// The support types decode what PostgreSQL sends, print what PostgreSQL prints, and encode
/// values PostgreSQL reads back unchanged.
#[test]
fn support_types_round_trip_through_postgres() {
    let db = TestDb::with_sql("live_zoo_support", ZOO_SQL);
    let mut c = db.client();
    c.batch_execute("SET intervalstyle = iso_8601").unwrap();
    let intervals = [
        "0", "1 year 2 mons 3 days 04:05:06.5", "-1 days -00:00:01", "-0.25 seconds", "13 mons", "-14 mons 20 days",
        "100 hours 0.000001 seconds", "-3 minutes", "1 day -1 hour", "178000000 years",
    ];
    for text in intervals {
        let row = c.query_one("SELECT $1::text::interval, $1::text::interval::text", &[&text]).unwrap();
        let (value, printed): (Interval, String) = (row.get(0), row.get(1));
        assert_eq!(value.to_string(), printed, "Display of `{text}`");
        let back: String = c.query_one("SELECT $1::interval::text", &[&value]).unwrap().get(0);
        assert_eq!(back, printed, "ToSql of `{text}`");
    }
    let money: Money = c.query_one("SELECT '-12.34'::money", &[]).unwrap().get(0);
    assert_eq!(money, Money(-1234));
    let back: String = c.query_one("SELECT $1::money::numeric::text", &[&Money(99_999)]).unwrap().get(0);
    assert_eq!(back, "999.99");
    for bits in ["", "1", "101", "10000000", "110011001"] {
        let row = c.query_one("SELECT $1::text::varbit, $1::text::varbit::text", &[&bits]).unwrap();
        let (value, printed): (BitString, String) = (row.get(0), row.get(1));
        assert_eq!((value.to_string(), value.len()), (printed.clone(), bits.len()));
        let built = BitString::from_bits(bits.chars().map(|b| b == '1'));
        let back: String = c.query_one("SELECT $1::varbit::text", &[&built]).unwrap().get(0);
        assert_eq!(back, printed);
    }
    c.execute("INSERT INTO zoo (c_bool, c_int2, c_int4, c_int8, c_jsonb, c_uuid, c_timestamptz, c_int_arr, c_enum, c_domain,
            c_bit, c_varbit, c_xml, c_tsvector)
        VALUES (true, 1, 1, 1, '{}', '00000000-0000-0000-0000-000000000000', 'epoch', '{}', 'ok', 'x',
            $1, $2, $3, 'a b')", &[&BitString::from_bits([true, false, true]), &BitString::from_bits([true]), &Xml("<a b=\"c\">é</a>".into())])
        .unwrap();
    let zoo = Zoo::try_from(&c.query_one(Zoo::SELECT, &[]).unwrap()).unwrap();
    assert_eq!(zoo.c_bit.map(|b| b.to_string()).as_deref(), Some("101"));
    assert_eq!(zoo.c_varbit.and_then(|b| b.get(0)), Some(true));
    assert_eq!(zoo.c_xml.map(|x| x.to_string()).as_deref(), Some("<a b=\"c\">é</a>"));
    assert_eq!(zoo.c_tsvector.map(|t| t.to_string()).as_deref(), Some("'a' 'b'"));
    for text in ["", "a fat cat", "a:1A fat:2B,4C cat:5D", "'it''s' 'back\\\\slash':3 'x y':16383A", "ünï:1,2,3"] {
        let row = c.query_one("SELECT $1::text::tsvector, $1::text::tsvector::text", &[&text]).unwrap();
        let (value, printed): (TsVector, String) = (row.get(0), row.get(1));
        assert_eq!(value.to_string(), printed, "Display of `{text}`");
        let back: String = c.query_one("SELECT $1::tsvector::text", &[&value]).unwrap().get(0);
        assert_eq!(back, printed, "ToSql of `{text}`");
    }
    let built = TsVector { lexemes: vec![Lexeme { word: "b".into(), positions: vec![(3 << 14) | 7] }] };
    let back: String = c.query_one("SELECT $1::tsvector::text", &[&built]).unwrap().get(0);
    assert_eq!(back, "'b':7A");
}

/// `Range<T>` and `Array<T>` decode what PostgreSQL sends (built-in and user-defined ranges,
/// arrays of two and three dimensions, NULL elements, non-default lower bounds), print what
/// PostgreSQL prints, and encode values PostgreSQL reads back unchanged.
#[test]
fn ranges_and_multi_dimensional_arrays_round_trip_through_postgres() {
    let db = TestDb::with_sql("live_zoo_ranges", ZOO_SQL);
    let mut c = db.client();
    // Text in, value and PostgreSQL's own text out; the value's Display must match that text,
    // and the value sent back must print the same.
    fn round_trip<T>(c: &mut postgres::Client, sql_type: &str, texts: &[&str]) -> Vec<T>
    where
        T: for<'a> postgres::types::FromSql<'a> + postgres::types::ToSql + std::fmt::Display + Sync,
    {
        let mut out = Vec::new();
        for text in texts {
            let row = c.query_one(&format!("SELECT $1::text::{sql_type}, $1::text::{sql_type}::text"), &[text]).unwrap();
            let (value, printed): (T, String) = (row.get(0), row.get(1));
            assert_eq!(value.to_string(), printed, "Display of `{text}`::{sql_type}");
            let back: String = c.query_one(&format!("SELECT $1::{sql_type}::text"), &[&value]).unwrap().get(0);
            assert_eq!(back, printed, "ToSql of `{text}`::{sql_type}");
            out.push(value);
        }
        out
    }
    let ints: Vec<Range<i32>> = round_trip(&mut c, "int4range", &["empty", "[1,5)", "[1,4]", "(,10]", "[3,)", "(,)", "(0,1)"]);
    assert_eq!(ints[2], Range::new(Included(1), Excluded(5)), "discrete ranges arrive canonical");
    assert_eq!(ints[3], Range::new(Unbounded, Excluded(11)));
    assert!(ints[0].is_empty() && ints[6].is_empty(), "(0,1) holds no integer");
    assert!(ints[1].contains(&4) && !ints[1].contains(&5) && ints[5].contains(&i32::MIN));
    round_trip::<Range<i64>>(&mut c, "int8range", &["[-9223372036854775808,0)"]);
    let nums: Vec<Range<Decimal>> = round_trip(&mut c, "numrange", &["[1.5,2.25]", "(,0.001)"]);
    assert_eq!(nums[0].upper(), Some(&Included(Decimal::new(225, 2))));
    round_trip::<Range<NaiveDate>>(&mut c, "daterange", &["[2024-01-01,2024-02-01)", "[2024-02-29,)"]);
    // Bounds with spaces are quoted, as PostgreSQL quotes them.
    round_trip::<Range<chrono::NaiveDateTime>>(&mut c, "tsrange", &["[2024-01-01 00:00:00,2024-01-02 12:30:00)"]);
    // A user-defined range over `double precision`.
    round_trip::<Range<f64>>(&mut c, "floatrange", &["[1.5,2.5)", "(,-0.25]", "empty"]);
    // `tstzrange`: chrono prints `UTC` where PostgreSQL prints `+00`, so compare values.
    let tstz: Range<chrono::DateTime<Utc>> = c.query_one("SELECT '[2024-01-02 03:04:05+02,)'::tstzrange", &[]).unwrap().get(0);
    assert_eq!(tstz, Range::new(Included(Utc.with_ymd_and_hms(2024, 1, 2, 1, 4, 5).unwrap()), Unbounded));
    let same: bool = c.query_one("SELECT $1::tstzrange = '[2024-01-02 01:04:05+00,)'", &[&tstz]).unwrap().get(0);
    assert!(same);

    let arrays: Vec<Array<i32>> = round_trip(
        &mut c,
        "int[]",
        &["{}", "{1,2,3}", "{{1,2},{3,4}}", "{{1,NULL},{NULL,4}}", "[0:1][-1:0]={{1,2},{3,4}}", "{{{1,2}},{{3,4}},{{5,6}}}"],
    );
    assert!(arrays[0].dimensions().is_empty() && arrays[0].elements().is_empty());
    assert_eq!(arrays[3].elements(), [Some(1), None, None, Some(4)]);
    assert_eq!(arrays[4].get(&[1, -1]), Some(Some(&3)), "indices count from each lower bound");
    assert_eq!(arrays[4].get(&[2, -1]), None);
    assert_eq!(arrays[5].dimensions().iter().map(|d| d.len).collect::<Vec<_>>(), [3, 1, 2]);
    // Elements PostgreSQL quotes: spaces, delimiters, quotes, backslashes, the word NULL, "".
    round_trip::<Array<String>>(&mut c, "text[]", &[r#"{{"a b","c,d"},{"",NULL}}"#, r#"{{"\"q\"","back\\slash"},{"NULL","{x}"}}"#]);
    // Built values are accepted by the server as they are.
    let built = Array::new(&[2, 3], (1..=6).map(Some).collect()).unwrap();
    let text: String = c.query_one("SELECT $1::int[]::text", &[&built]).unwrap().get(0);
    assert_eq!(text, "{{1,2,3},{4,5,6}}");
    assert!(Array::<i32>::new(&[2, 2], vec![Some(1)]).is_err(), "the element count must fit the dimensions");

    // Through the generated model: a user-defined range, an array of ranges, a 3-D array.
    c.batch_execute(
        "INSERT INTO zoo (c_bool, c_int2, c_int4, c_int8, c_jsonb, c_uuid, c_timestamptz, c_int_arr, c_enum, c_domain,
            c_tstzrange, c_floatrange, c_range_arr, c_cube, c_daterange)
        VALUES (true, 1, 1, 1, '{}', '00000000-0000-0000-0000-000000000000', 'epoch', '{}', 'ok', 'x',
            '(,epoch]', '[0.5,1)', '{\"[1,2)\",empty}', '{{{a,b}},{{c,NULL}}}', '[2024-01-01,2024-01-31]')",
    )
    .unwrap();
    let zoo = Zoo::try_from(&c.query_one(Zoo::SELECT, &[]).unwrap()).unwrap();
    assert_eq!(zoo.c_tstzrange, Some(Range::new(Unbounded, Included(Utc.timestamp_opt(0, 0).unwrap()))));
    assert_eq!(zoo.c_floatrange, Some(Range::new(Included(0.5), Excluded(1.0))));
    assert_eq!(zoo.c_range_arr, Some(vec![Range::new(Included(1), Excluded(2)), Range::Empty]));
    assert_eq!(zoo.c_cube.as_ref().map(ToString::to_string).as_deref(), Some("{{{a,b}},{{c,NULL}}}"));
    assert_eq!(zoo.c_daterange.to_string(), "[2024-01-01,2024-02-01)");
}
