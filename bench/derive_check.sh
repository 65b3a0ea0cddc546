#!/usr/bin/env bash
# Benchmark: how much does `#[derive(Model)]` add to `cargo check`?
#
# Builds the 2,000-table synthetic schema (bench/synth_schema.py) in a throwaway
# database, snapshots it with `schema-gen snapshot`, generates a crate of 500 structs for
# t00000..t00499, and times `cargo check` of that crate with the derive (feature `checked`)
# and without (same structs, plain `#[derive(Debug)]`). Dependencies are built first; each
# measurement touches `src/lib.rs` and re-checks only the bench crate. Target: ≤ 0.5 s added.
# Three setups: the derive alone (PGCANON_SNAPSHOT set by hand); with a build script that
# vouches for the snapshot (`schema_gen::config::watch_snapshot`, as `Config::compile()` does),
# so the derive need not include the file; and that with optimized host code.
#
# Usage: bench/derive_check.sh [RUNS]   (env: DATABASE_URL,
#        BENCH_DIR to keep the generated crate, REUSE_SNAPSHOT=1 to reuse BENCH_DIR's snapshot)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
SYNTH=$ROOT/bench/synth_schema.py
ADMIN=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB=pgcanon_bench_derive
WORK=${BENCH_DIR:-$(mktemp -d)}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
DB_URL="${ADMIN%/*}/$DB"

if [ -n "${REUSE_SNAPSHOT:-}" ] && [ -f "$WORK/snapshot.json" ]; then
  echo "== reusing $WORK/snapshot.json"
else
  echo "== schema: 2,000 tables into database $DB"
  psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  trap 'psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
  python3 "$SYNTH" 2000 | psql -q -v ON_ERROR_STOP=1 "$DB_URL" >/dev/null
  echo "== snapshot"
  cargo build -q --release -p schema-gen --bin schema-gen
  "$CARGO_TARGET_DIR/release/schema-gen" snapshot --database-url "$DB_URL" --out "$WORK/snapshot.json"
fi
ls -l "$WORK/snapshot.json" | awk '{printf "snapshot: %.1f MB\n", $5/1048576}'

echo "== crate: 500 models in $WORK/crate"
python3 "$ROOT/bench/gen_models_crate.py" "$WORK/snapshot.json" "$WORK/crate" "$ROOT" 500
cd "$WORK/crate"
cp "$ROOT/Cargo.lock" . 2>/dev/null || true
export PGCANON_SNAPSHOT="$WORK/snapshot.json"
# Warm up: dependencies (and the proc macro) built once for both variants.
cargo check -q --offline
cargo check -q --offline --features checked
cargo check -q --offline --features by_hand

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # prints the median wall time and the median CPU time (user + sys) of RUNS re-checks
  local one all
  one=$(mktemp); all=$(mktemp)
  for _ in $(seq "$RUNS"); do
    touch src/lib.rs
    /usr/bin/time -f "%e %U %S" -o "$one" cargo check -q --offline "$@"
    awk '{print $1, $2 + $3}' "$one" >> "$all"
  done
  echo "$(cut -d' ' -f1 "$all" | median) $(cut -d' ' -f2 "$all" | median)"
  rm -f "$one" "$all"
}
report() {
  local plain checked hand
  read -r plain plain_cpu < <(measure)
  read -r checked checked_cpu < <(measure --features checked)
  read -r hand hand_cpu < <(measure --features by_hand)
  # Wall time is what users wait; CPU time varies less when other builds share the machine.
  printf "cargo check, 500 structs, %s, median of %s runs:\n  unchecked: %.2f s (cpu %.2f s)\n  checked:   %.2f s (cpu %.2f s)\n  added:     %.2f s (cpu %.2f s; target <= 0.5 s)\n" \
    "$1" "$RUNS" "$plain" "$plain_cpu" "$checked" "$checked_cpu" "$(echo "$checked - $plain" | bc)" "$(echo "$checked_cpu - $plain_cpu" | bc)"
  # The same structs with the derive's row mapping written by hand: what the model costs
  # without the derive, so `over hand` is the derive's own part (snapshot, checks, constants).
  printf "  by hand:   %.2f s (cpu %.2f s; unchecked structs + hand-written TryFrom<&Row>)\n  over hand: %.2f s (cpu %.2f s)\n" \
    "$hand" "$hand_cpu" "$(echo "$checked - $hand" | bc)" "$(echo "$checked_cpu - $hand_cpu" | bc)"
}
report "default dev profile"
# A build script that vouches for the snapshot, as `Config::compile()` does for generated models.
cat > build.rs <<'RS'
fn main() {
    schema_gen::config::watch_snapshot(std::env::var("PGCANON_SNAPSHOT").expect("PGCANON_SNAPSHOT"));
}
RS
cat >> Cargo.toml <<TOML

[build-dependencies]
schema-gen = { path = "$ROOT/schema-gen", default-features = false }
TOML
cargo check -q --offline
cargo check -q --offline --features checked
cargo check -q --offline --features by_hand
report "default dev profile, build script vouching for the snapshot"
# The derive (syn parsing, serde_json reading the snapshot) runs as unoptimized code in the
# default dev profile. Optimizing host code (proc macros, build scripts and their dependencies)
# is the recommended setting for big schemas; it costs one extra build of those crates.
cat >> Cargo.toml <<'TOML'

[profile.dev.build-override]
opt-level = 3
TOML
cargo check -q --offline
cargo check -q --offline --features checked
cargo check -q --offline --features by_hand
report "[profile.dev.build-override] opt-level = 3, with the build script"
