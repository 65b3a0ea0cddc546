#!/usr/bin/env bash
# Benchmark: how much does `#[derive(Model)]` add to `cargo check`?
#
# Builds the 2,000-table synthetic schema (bench/synth_schema.py) in a throwaway
# database, snapshots it with `schema-gen snapshot`, generates a crate of 500 structs for
# t00000..t00499, and times `cargo check` of that crate with the derive (feature `checked`)
# and without (same structs, plain `#[derive(Debug)]`). Dependencies are built first; each
# measurement touches `src/lib.rs` and re-checks only the bench crate. Target: ≤ 1 s added.
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

measure() { # prints the median wall time of RUNS re-checks, in seconds
  local times=()
  for _ in $(seq "$RUNS"); do
    touch src/lib.rs
    local t0 t1
    t0=$(date +%s.%N); cargo check -q --offline "$@"; t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
report() {
  local plain checked
  plain=$(measure)
  checked=$(measure --features checked)
  printf "cargo check, 500 structs, %s, median of %s runs:\n  unchecked: %.2f s\n  checked:   %.2f s\n  added:     %.2f s (target <= 1 s)\n" \
    "$1" "$RUNS" "$plain" "$checked" "$(echo "$checked - $plain" | bc)"
}
report "default dev profile"
# The derive (syn parsing, serde_json reading the snapshot) runs as unoptimized code in the
# default dev profile. Optimizing host code (proc macros, build scripts and their dependencies)
# is the recommended setting for big schemas; it costs one extra build of those crates.
cat >> Cargo.toml <<'TOML'

[profile.dev.build-override]
opt-level = 3
TOML
cargo check -q --offline
cargo check -q --offline --features checked
report "[profile.dev.build-override] opt-level = 3"
