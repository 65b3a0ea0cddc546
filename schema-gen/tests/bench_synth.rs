//! The benchmarks are runnable from a clone: the synthetic schema generator lives in the
//! repository (`bench/synth_schema.py`), produces every object kind it is asked for on a real
//! server, and no file in the repository points outside it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the generator with `args`; returns its stdout (the schema SQL).
fn synth(args: &[&str]) -> String {
    let out = Command::new("python3").arg(root().join("bench/synth_schema.py")).args(args).output().expect("run python3 bench/synth_schema.py");
    assert!(out.status.success(), "bench/synth_schema.py {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 SQL")
}

/// One integer from a catalog query.
fn count(db: &test_support::TestDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

#[test]
fn generator_builds_every_object_kind_on_a_real_server() {
    let queries = tempfile::NamedTempFile::new().unwrap();
    let queries_path = queries.path().to_str().unwrap();
    let sql = synth(&[
        "--tables", "12", "--columns", "9", "--functions", "7", "--sequences", "4", "--grants", "10", "--partitions", "2", "--partitions-per-table", "3", "--queries", "9",
        "--queries-out", queries_path,
    ]);
    let db = test_support::TestDb::with_sql("bench_synth", &sql);
    let snapshot = common::snapshot(&db);
    let public = snapshot.schemas.iter().find(|s| s.name == "public").expect("public schema");
    let plain: Vec<_> = public.tables.iter().filter(|t| t.name.starts_with('t')).collect();
    assert_eq!(plain.len(), 12, "tables t00000..t00011");
    assert!(plain.iter().all(|t| t.columns.len() == 9), "9 columns per table");
    assert_eq!(plain.iter().map(|t| t.foreign_keys.len()).sum::<usize>(), 11, "one FK per table after the first");
    let parents: Vec<_> = public.tables.iter().filter(|t| t.name.starts_with('p') && t.partition_key.is_some()).collect();
    assert_eq!(parents.len(), 2, "partitioned tables p00000, p00001");
    assert!(parents.iter().all(|t| t.partitions.len() == 3), "3 partitions each: {:?}", parents.iter().map(|t| t.partitions.len()).collect::<Vec<_>>());
    assert_eq!(count(&db, "SELECT count(*) FROM pg_proc WHERE proname ~ '^f[0-9]{5}$'"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relname ~ '^s[0-9]{5}$'"), 4);
    // Table-level grants to PUBLIC show as a `=` (PUBLIC) entry in relacl; column ones in attacl.
    let table_grants = count(&db, "SELECT count(*) FROM pg_class c, unnest(c.relacl) a WHERE c.relname ~ '^t[0-9]{5}$' AND a::text LIKE '=%'");
    let column_grants = count(&db, "SELECT count(*) FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, unnest(t.attacl) a WHERE c.relname ~ '^t[0-9]{5}$' AND a::text LIKE '=%'");
    assert!(table_grants >= 5 && column_grants >= 2, "grants to PUBLIC: {table_grants} on tables, {column_grants} on columns");
    // Every query literal is valid against the schema: the server prepares each one.
    let lines: Vec<String> = std::fs::read_to_string(queries.path()).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 9);
    let mut client = db.client();
    for (i, q) in lines.iter().enumerate() {
        client.prepare(q.trim_end_matches(';')).unwrap_or_else(|e| panic!("query {i} `{q}` does not prepare: {e}"));
    }
}

#[test]
fn generator_rejects_bad_parameters_with_a_message() {
    for (args, message) in [(&["--columns", "3"][..], "--columns must be at least 5"), (&["--queries", "3"][..], "--queries needs --queries-out"), (&["--grants", "-1"][..], "--grants must be 0 or more")] {
        let out = Command::new("python3").arg(root().join("bench/synth_schema.py")).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message) && !stderr.contains("Traceback"), "{args:?}: {stderr}");
    }
}

/// Nothing in the repository reads a sibling directory: a clone has everything the
/// benchmarks, tests and docs name. (The needle is assembled so this file does not match.)
#[test]
fn no_file_points_outside_the_repository() {
    let needles = [format!("../{}", "shared"), format!("{}/bench/synth", "shared"), format!("/work/{}", "shared")];
    let mut files = Vec::new();
    walk(&root(), &mut files);
    let mut hits = Vec::new();
    for path in files {
        // Binaries are skipped: only text can name a path.
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for needle in &needles {
            if text.contains(needle.as_str()) {
                hits.push(format!("{} mentions `{needle}`", path.strip_prefix(root()).unwrap_or(&path).display()));
            }
        }
    }
    assert!(hits.is_empty(), "files reaching outside the repository (use bench/synth_schema.py):\n{}", hits.join("\n"));
}

/// Every file under `dir`, skipping build output and version-control metadata.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read `{}`: {e}", dir.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            walk(&entry.path(), files);
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
}

/// `bench/run.sh` refuses bad flags before building or measuring anything, with the fix.
#[test]
fn bench_command_rejects_bad_version_flags() {
    for (args, message) in [
        (&["--versions", "12"][..], "`--versions` names `12`; supported majors are 13-18"),
        (&["--versions"][..], "`--versions` needs a list of majors"),
        (&["--bogus"][..], "unknown argument `--bogus`"),
    ] {
        let out = Command::new("bash").arg(root().join("bench/run.sh")).args(args).output().expect("run bash bench/run.sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let help = Command::new("bash").arg(root().join("bench/run.sh")).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success() && text.contains("--all-versions") && text.contains("--10k"), "{text}");
}
