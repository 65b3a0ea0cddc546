#!/usr/bin/env bash
# pgcanon's benchmark command: measures every target of the README's benchmark table and prints
# one summary table: each figure, its peer measured in the same run, the ratio, the target.
# Everything it needs is in the repository (the schema comes from bench/synth_schema.py).
#
#   1. `cargo bench -p schema-gen --bench pgcanon` (release), on the server at DATABASE_URL:
#      snapshot end to end in-process and as the `schema-gen snapshot` process beside
#      `pg_dump --schema-only`, catalog round trips (10 vs 2,000 tables), peak memory of
#      snapshot, generate and docs processes, generate + format + docs, diff, lint (2,000 and
#      10,000 tables: the rules alone, the snapshot file read + linted, text and streamed SARIF,
#      and the peak memory of a `lint --format sarif` process beside the snapshot's size on
#      disk); queries (10,000 literals in 1,000 generated files checked against the 2,000-table
#      snapshot, beside one PREPARE round trip per query on the same database); reconcile (an
#      empty database planned to the 2,000-table schema, then the script applied by
#      `schema-gen apply` into a fresh database beside `psql -f` of `pg_dump --schema-only`
#      output into another, interleaved); the optional peers
#      `diesel print-schema` and `sea-orm-cli generate entity` when on PATH ("not installed"
#      otherwise); then, per PostgreSQL major, a throwaway server of that major (from the
#      binaries scripts/fetch-postgres.sh caches) with the same 2,000-table schema:
#      `schema-gen snapshot` beside `pg_dump --schema-only`, and the catalog round trips.
#      Its full table is printed as it runs.
#      Then `cargo bench -p pgcanon --bench decode`: 100,000 rows of a 20-column table decoded
#      through the generated structs beside hand-written decoding, per client (postgres,
#      tokio-postgres, sqlx); and the same decodes by instruction count under valgrind's
#      callgrind (bench/decode_instructions.sh; steady where wall times move by ±10 %).
#   2. build.rs no-op: a no-op `cargo build` of a fixture crate whose build.rs calls
#      `schema_gen::Config::compile()` in live mode (`PGCANON_DATABASE_URL` set), beside the
#      same crate and generated code without a build script.
#   3. derive overhead: bench/derive_check.sh, beside the same structs without the derive
#      (slow: creates its own 2,000-table database and builds a 500-struct crate twice).
#
# Usage: bench/run.sh [--quick] [--versions LIST | --all-versions | --no-versions] [--10k] [RUNS]
#   --quick          skip step 3
#   --versions LIST  the majors of step 1, comma-separated (e.g. 13,18)
#   --all-versions   every supported major, 13-18; a missing one is an error
#   --no-versions    the local server only
#                    default: every major whose binaries are in the cache (none fetched: the
#                    local server only)
#   --10k            also the 10,000-table scale point (snapshot, generate, docs, peak memory);
#                    the first run loads that schema, which takes minutes
#   RUNS             timed runs per measurement, median reported (default 7)
#   env      DATABASE_URL (server admin URL; default postgres://postgres@127.0.0.1:5432/postgres),
#            CARGO_TARGET_DIR (default ./target), PGCANON_PG_CACHE (server binaries; default
#            ./target/postgres, filled by scripts/fetch-postgres.sh), PGCANON_PG_DUMP (the
#            pg_dump to compare with; default the newest cached major's, else pg_dump on PATH)
# The fixture crate and its own target dir live in $CARGO_TARGET_DIR/pgcanon-bench-noop, so
# their dependencies are built once (the first run takes a few minutes) and reused.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
QUICK=
RUNS=7
TEN_K=
MAJORS=
die() { echo "bench/run.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --10k) TEN_K=1 ;;
    --all-versions) MAJORS=all ;;
    --no-versions) MAJORS=none ;;
    --versions)
      [ $# -ge 2 ] || die "\`--versions\` needs a list of majors, e.g. \`--versions 13,18\`"
      MAJORS=$2; shift ;;
    --versions=*) MAJORS=${1#--versions=} ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]* | '') die "unknown argument \`$1\` (try --help)" ;;
    *) RUNS=$1 ;;
  esac
  shift
done
export PGCANON_PG_CACHE=${PGCANON_PG_CACHE:-$ROOT/target/postgres}
case "$MAJORS" in
  '') ;; # the bench's default: every cached major
  none) export PGCANON_BENCH_MAJORS=none ;;
  all)
    for m in 13 14 15 16 17 18; do
      [ -x "$PGCANON_PG_CACHE/$m/bin/postgres" ] \
        || die "PostgreSQL $m is not in $PGCANON_PG_CACHE: run \`scripts/fetch-postgres.sh\` (or set PGCANON_PG_CACHE)"
    done
    export PGCANON_BENCH_MAJORS=13,14,15,16,17,18 ;;
  *)
    for m in ${MAJORS//,/ }; do
      case "$m" in 13 | 14 | 15 | 16 | 17 | 18) ;; *) die "\`--versions\` names \`$m\`; supported majors are 13-18" ;; esac
      [ -x "$PGCANON_PG_CACHE/$m/bin/postgres" ] \
        || die "PostgreSQL $m is not in $PGCANON_PG_CACHE: run \`scripts/fetch-postgres.sh $m\` (or set PGCANON_PG_CACHE)"
    done
    export PGCANON_BENCH_MAJORS=$MAJORS ;;
esac
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
ADMIN=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
SMALL_URL="${ADMIN%/*}/pgcanon_bench_10x20"
SUMMARY=$(mktemp)
trap 'rm -f "$SUMMARY"' EXIT
cd "$ROOT"

echo "== 1/3 cargo bench -p schema-gen --bench pgcanon (release)"
PGCANON_BENCH_SUMMARY=$SUMMARY cargo bench -q -p schema-gen --bench pgcanon
if [ -n "$TEN_K" ]; then
  echo
  echo "== 1/3 (scale point) the same at 10,000 tables: snapshot, generate, docs"
  PGCANON_BENCH_SUMMARY=$SUMMARY PGCANON_BENCH_TABLES=10000 cargo bench -q -p schema-gen --bench pgcanon -- snapshot generate
fi

echo
echo "== 1/3 (rows) cargo bench -p pgcanon --bench decode (release)"
PGCANON_BENCH_SUMMARY=$SUMMARY cargo bench -q -p pgcanon --bench decode
echo
echo "== 1/3 (rows) the same decodes by instruction count (bench/decode_instructions.sh, callgrind)"
if command -v valgrind >/dev/null; then
  PGCANON_BENCH_SUMMARY=$SUMMARY "$ROOT/bench/decode_instructions.sh"
else
  printf 'row decoding by instruction count (callgrind)\tnot installed (`valgrind` not on PATH)\t\t\t≤ 1.05\t\n' >>"$SUMMARY"
fi

# The median of RUNS timings of a command, in seconds.
median_secs() {
  local times=() t0 t1
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

echo
echo "== 2/3 build.rs no-op (live mode) vs the same crate without a build script"
# The fixture is rewritten every run (cheap, and it follows the repository); the build
# outputs under $NOOP/target are kept. Absolute, since the measurements run from inside it.
mkdir -p "$CARGO_TARGET_DIR/pgcanon-bench-noop/live/src" "$CARGO_TARGET_DIR/pgcanon-bench-noop/plain/src"
NOOP=$(cd "$CARGO_TARGET_DIR/pgcanon-bench-noop" && pwd)
cp "$ROOT/Cargo.lock" "$NOOP/Cargo.lock"
cat > "$NOOP/Cargo.toml" <<TOML
[workspace]
members = ["live", "plain"]
resolver = "2"

[workspace.dependencies]
postgres = { version = "0.19", features = ["with-chrono-0_4", "with-serde_json-1", "with-uuid-1"] }
postgres-types = { version = "0.2", features = ["derive", "with-chrono-0_4", "with-serde_json-1", "with-uuid-1"] }
chrono = { version = "0.4", default-features = false, features = ["std", "clock"] }
rust_decimal = { version = "1", features = ["db-postgres"] }
serde_json = "1"
uuid = "1"
TOML
for crate in live plain; do
  cat > "$NOOP/$crate/Cargo.toml" <<TOML
[package]
name = "noop-$crate"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
postgres = { workspace = true }
postgres-types = { workspace = true }
chrono = { workspace = true }
rust_decimal = { workspace = true }
serde_json = { workspace = true }
uuid = { workspace = true }
TOML
done
cat >> "$NOOP/live/Cargo.toml" <<TOML

[build-dependencies]
schema-gen = { path = "$ROOT/schema-gen", default-features = false, features = ["live"] }
TOML
cat > "$NOOP/live/build.rs" <<'RS'
//! Live mode: PGCANON_DATABASE_URL is set, so compile() introspects when cargo reruns this.
fn main() {
    let mut config = schema_gen::Config::new();
    config.pg_type("interval", "String");
    if let Err(e) = config.compile() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
RS
cat > "$NOOP/live/src/lib.rs" <<'RS'
//! Models generated by build.rs.
include!(concat!(env!("OUT_DIR"), "/pgcanon_models.rs"));
RS
cat > "$NOOP/plain/src/lib.rs" <<'RS'
//! The same models, committed: no build script.
include!("models.rs");
RS
(
  cd "$NOOP"
  export CARGO_TARGET_DIR="$NOOP/target" PGCANON_DATABASE_URL="$SMALL_URL"
  echo "warming up (first run builds the fixture's dependencies)..."
  cargo build -q --offline -p noop-live
  cp "$(ls -t target/debug/build/noop-live-*/out/pgcanon_models.rs | head -1)" plain/src/models.rs
  cargo build -q --offline -p noop-plain
  cargo build -q --offline -p noop-live
  # Honesty check: a no-op must not rerun the build script (cargo says "Fresh", not "Running").
  if cargo build --offline -v -p noop-live 2>&1 | grep -q 'Running .*build-script-build'; then
    echo "error: the build script reran on a no-op build; the measurement would be wrong" >&2
    exit 1
  fi
  plain=$(median_secs cargo build -q --offline -p noop-plain)
  live=$(median_secs cargo build -q --offline -p noop-live)
  echo "no-op cargo build, median of $RUNS: without build script ${plain} s, live build.rs ${live} s"
  met=$(echo "$live <= 0.3" | bc)
  printf 'no-op `cargo build`, live-mode build.rs, median of %s\t%s s\twithout build script %s s\t%.2f\t≤ 0.3 s\t%s\n' \
    "$RUNS" "$live" "$plain" "$(echo "$live / $plain" | bc -l)" "$([ "$met" = 1 ] && echo met || echo MISS)" >> "$SUMMARY"
)

echo
if [ -n "$QUICK" ]; then
  echo "== 3/3 derive overhead: skipped (--quick)"
  printf 'derive: 500 checked structs, added to `cargo check`\tskipped (--quick)\t\t\t≤ 0.5 s added\t\n' >> "$SUMMARY"
else
  echo "== 3/3 bench/derive_check.sh (derive overhead)"
  LOG=$(mktemp)
  bench/derive_check.sh "$RUNS" | tee "$LOG"
  # The script reports unchecked / checked / added per setup, in order: default dev, default
  # dev with a build script vouching for the snapshot, then optimized host code. The peer is the same structs without the derive;
  # a second row compares with the same structs plus the derive's row mapping written by hand.
  awk '/^cargo check/ {profile=$0; sub(/.*500 structs, /, "", profile); sub(/, median.*/, "", profile)}
       /^  unchecked:/ {plain = $2}
       /^  checked:/ {checked = $2}
       /^  added:/ {met = ($2 <= 0.5) ? "met" : "MISS";
                    printf "derive: 500 checked structs, `cargo check` (%s)\t%s s (+%s s)\twithout the derive %s s\t%.2f\t≤ 0.5 s added\t%s\n",
                           profile, checked, $2, plain, checked / plain, met}
       /^  by hand:/ {hand = $3}
       /^  over hand:/ {printf "derive: the same, over hand-written row mapping (%s)\t%s s (+%s s)\thand-written TryFrom %s s\t%.2f\tnone set (the derive'"'"'s own part)\t\n",
                               profile, checked, $3, hand, checked / hand}' \
    "$LOG" >> "$SUMMARY"
  rm -f "$LOG"
fi

echo
echo "== summary ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
awk -F'\t' '
  { for (c = 1; c <= 6; c++) { f[NR, c] = $c; if (length($c) > w[c]) w[c] = length($c) } }
  END {
    split("measurement|value|peer (same run)|ratio|target|", h, "|")
    for (c = 1; c <= 6; c++) if (length(h[c]) > w[c]) w[c] = length(h[c])
    line(h); sep = "|"; for (c = 1; c <= 6; c++) sep = sep dash(w[c] + 2) "|"; print sep
    for (i = 1; i <= NR; i++) { for (c = 1; c <= 6; c++) r[c] = f[i, c]; line(r) }
  }
  function line(a,  c, s) { s = "|"; for (c = 1; c <= 6; c++) s = s sprintf(" %-*s |", w[c], a[c]); print s }
  function dash(n,  s) { s = ""; while (n-- > 0) s = s "-"; return s }' "$SUMMARY"
