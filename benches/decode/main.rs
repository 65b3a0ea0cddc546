//! Row decoding through generated structs beside the same decode written by hand, per client:
//! `cargo bench -p pgcanon --bench decode` (also run by `bench/run.sh`).
//!
//! A scratch database on the server at `DATABASE_URL` gets `benches/decode/schema.sql` (one
//! 20-column table) and 100,000 rows (`rows.sql`). Each client fetches every row once; then only
//! decoding is timed, median of 21 runs: the generated `TryFrom<&Row>` (postgres, tokio-postgres)
//! or `sqlx::FromRow`, against a hand-written function filling the same struct with the client's
//! own API (`row.try_get("column")`), so the difference is the generated code alone. The two
//! are timed in alternation, so a change in the machine's load affects both. The
//! models are `benches/decode/models.rs`, generated for all three targets at once (a test in
//! `tests/live_async.rs` keeps them current).

#[allow(dead_code, clippy::all)]
mod models {
    include!("models.rs");
}

use std::time::{Duration, Instant};

use models::public::BenchRows;
use test_support::TestDb;

/// Timed runs per measurement; the median is reported. `PGCANON_DECODE_RUNS` overrides it
/// (`bench/decode_instructions.sh` runs the bench once under callgrind, where time does not
/// matter and instructions are counted instead).
fn runs() -> usize {
    std::env::var("PGCANON_DECODE_RUNS").ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(21)
}
/// Rows in the table (see `rows.sql`).
const ROWS: usize = 100_000;

// One never-inlined function per row type and side, so that an instruction profile
// (`bench/decode_instructions.sh`) can attribute every instruction of a decode to exactly one
// of them: `gen_*` calls the generated code, `hand_*` the hand-written one. `postgres::Row` is
// `tokio_postgres::Row` and one generated impl serves both clients, so one pair covers both.
#[inline(never)]
fn gen_postgres(row: &postgres::Row) -> Result<BenchRows, postgres::Error> {
    BenchRows::try_from(row)
}
#[inline(never)]
fn hand_postgres(row: &postgres::Row) -> Result<BenchRows, postgres::Error> {
    by_hand(row)
}
#[inline(never)]
fn gen_sqlx(row: &sqlx::postgres::PgRow) -> Result<BenchRows, sqlx::Error> {
    <BenchRows as sqlx::FromRow<'_, sqlx::postgres::PgRow>>::from_row(row)
}
#[inline(never)]
fn hand_sqlx(row: &sqlx::postgres::PgRow) -> Result<BenchRows, sqlx::Error> {
    by_hand_sqlx(row)
}

/// The hand-written decode for `postgres` and `tokio-postgres` (one `Row` type for both).
fn by_hand(row: &tokio_postgres::Row) -> Result<BenchRows, tokio_postgres::Error> {
    Ok(BenchRows {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        active: row.try_get("active")?,
        score: row.try_get("score")?,
        balance: row.try_get("balance")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        birthday: row.try_get("birthday")?,
        token: row.try_get("token")?,
        state: row.try_get("state")?,
        tags: row.try_get("tags")?,
        attempts: row.try_get("attempts")?,
        ratio: row.try_get("ratio")?,
        note: row.try_get("note")?,
        payload: row.try_get("payload")?,
        parent_id: row.try_get("parent_id")?,
        code: row.try_get("code")?,
        flags: row.try_get("flags")?,
    })
}

/// The hand-written decode for sqlx.
fn by_hand_sqlx(row: &sqlx::postgres::PgRow) -> Result<BenchRows, sqlx::Error> {
    use sqlx::Row;
    Ok(BenchRows {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        active: row.try_get("active")?,
        score: row.try_get("score")?,
        balance: row.try_get("balance")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        birthday: row.try_get("birthday")?,
        token: row.try_get("token")?,
        state: row.try_get("state")?,
        tags: row.try_get("tags")?,
        attempts: row.try_get("attempts")?,
        ratio: row.try_get("ratio")?,
        note: row.try_get("note")?,
        payload: row.try_get("payload")?,
        parent_id: row.try_get("parent_id")?,
        code: row.try_get("code")?,
        flags: row.try_get("flags")?,
    })
}

/// The medians of [`runs`] timings of decoding every row with `generated` and with `by_hand`,
/// interleaved after one untimed warm-up round, so drift in the machine's load hits both alike.
/// Which goes first alternates per round, and each round's rows are dropped before the next
/// round (outside the timings), so neither is always the one decoding beside the other's live
/// rows; the last round's rows are returned for the caller to compare.
fn compare<R, E: std::fmt::Debug, F: std::fmt::Debug>(
    rows: &[R],
    generated: impl Fn(&R) -> Result<BenchRows, E>,
    by_hand: impl Fn(&R) -> Result<BenchRows, F>,
) -> (Duration, Duration, Vec<BenchRows>, Vec<BenchRows>) {
    let run = |decode: &dyn Fn(&R) -> BenchRows| {
        let start = Instant::now();
        let decoded: Vec<BenchRows> = rows.iter().map(decode).collect();
        (start.elapsed(), std::hint::black_box(decoded))
    };
    let a = |r: &R| generated(r).expect("generated decode");
    let b = |r: &R| by_hand(r).expect("hand-written decode");
    let runs = runs();
    let (mut times_a, mut times_b) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let (mut last_a, mut last_b) = (Vec::new(), Vec::new());
    for round in 0..=runs {
        let ((ta, rows_a), (tb, rows_b)) = if round % 2 == 0 {
            let first = run(&a);
            (first, run(&b))
        } else {
            let first = run(&b);
            (run(&a), first)
        };
        if round > 0 {
            times_a.push(ta);
            times_b.push(tb);
        }
        (last_a, last_b) = (rows_a, rows_b);
        if round < runs {
            // Free both before the next round's first timing.
            drop((std::mem::take(&mut last_a), std::mem::take(&mut last_b)));
        }
    }
    times_a.sort();
    times_b.sort();
    (times_a[runs / 2], times_b[runs / 2], last_a, last_b)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not `decode` skips this bench.
    if std::env::args().skip(1).any(|a| !a.starts_with('-') && a != "decode") {
        return;
    }
    let db = TestDb::with_sql("bench_decode", include_str!("schema.sql"));
    db.execute(include_str!("rows.sql"));
    let select = BenchRows::SELECT;
    let mut results = Vec::new();

    let mut sync = db.client();
    let rows = sync.query(select, &[]).expect("fetch with postgres");
    assert_eq!(rows.len(), ROWS);
    let (generated, hand, reference, by_hand_rows) = compare(&rows, gen_postgres, hand_postgres);
    assert!(reference == by_hand_rows, "generated and hand-written decoding agree");
    results.push(("postgres", generated, hand));
    drop((rows, sync));

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let (tokio_rows, sqlx_rows) = runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(db.url(), tokio_postgres::NoTls).await.expect("connect with tokio-postgres");
        let driver = tokio::spawn(connection);
        let tokio_rows = client.query(select, &[]).await.expect("fetch with tokio-postgres");
        drop(client);
        let _ = driver.await;
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(db.url()).await.expect("connect with sqlx");
        let sqlx_rows = sqlx::query(select).fetch_all(&mut c).await.expect("fetch with sqlx");
        (tokio_rows, sqlx_rows)
    });
    let (generated, hand, rows, _) = compare(&tokio_rows, gen_postgres, hand_postgres);
    assert!(rows == reference);
    results.push(("tokio-postgres", generated, hand));
    let (generated, hand, rows, hand_rows) =
        compare(&sqlx_rows, gen_sqlx, hand_sqlx);
    assert!(rows == reference && hand_rows == reference, "sqlx decodes the same values");
    results.push(("sqlx", generated, hand));

    println!("row decoding: {ROWS} rows x 20 columns, decode only (rows fetched once), median of {}", runs());
    println!("{:<16} {:>12} {:>12} {:>8}  target", "client", "generated", "by hand", "ratio");
    let mut summary = String::new();
    for (client, generated, hand) in results {
        let ratio = generated.as_secs_f64() / hand.as_secs_f64();
        let verdict = if ratio <= 1.05 { "met" } else { "MISS" };
        println!("{client:<16} {:>12} {:>12} {ratio:>8.3}  <= 1.05 {verdict}", ms(generated), ms(hand));
        summary.push_str(&format!(
            "row decoding, {client}: {ROWS} rows x 20 columns through generated structs\t{}\tby hand {}\t{ratio:.2}\t≤ 1.05\t{verdict}\n",
            ms(generated),
            ms(hand)
        ));
    }
    // `bench/run.sh` collects every bench's headline rows (tab-separated) into one summary table.
    if let Some(path) = std::env::var_os("PGCANON_BENCH_SUMMARY") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().append(true).create(true).open(path).expect("open the bench summary");
        file.write_all(summary.as_bytes()).expect("write the bench summary");
    }
}
