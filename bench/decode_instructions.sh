#!/usr/bin/env bash
# Row decoding by instruction count: the decode bench (`benches/decode`) run once under
# valgrind's callgrind, which counts the instructions each function executes, whatever else the
# machine is doing. Wall-clock medians of the same bench move by about ±10 % on a shared 2-core
# machine, too much to resolve the 5 % target; instruction counts repeat exactly.
#
# The bench calls each decode through its own never-inlined function (`gen_postgres`,
# `hand_postgres`, `gen_sqlx`, `hand_sqlx`); their inclusive costs are the instructions of the
# generated and of the hand-written decode of the same rows (a warm-up and one timed round,
# 100,000 rows each). `postgres::Row` is `tokio_postgres::Row` and one generated impl serves
# both clients, so the `postgres` pair counts the rows of both.
#
# Usage: bench/decode_instructions.sh        env: DATABASE_URL (default the local server),
#                                                 PGCANON_BENCH_SUMMARY (append the summary rows)
# Needs: valgrind (callgrind, callgrind_annotate). Takes about three minutes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null \
  || { echo "bench/decode_instructions.sh: needs valgrind (apt-get install -y valgrind)" >&2; exit 2; }

# The bench binary, as `cargo bench` builds it (release; its symbol table names the functions).
bin=$(cargo bench -p pgcanon --bench decode --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "decode" and m.get("executable"):
        print(m["executable"])')
[ -x "$bin" ] || { echo "bench/decode_instructions.sh: could not build the decode bench" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The bench run under valgrind prints (slowed) wall times: keep them out of the summary.
env -u PGCANON_BENCH_SUMMARY PGCANON_DECODE_RUNS=1 valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "$bin" --bench >"$out/bench.log" 2>"$out/valgrind.log" \
  || { cat "$out/valgrind.log" "$out/bench.log" >&2; exit 2; }
callgrind_annotate --inclusive=yes --threshold=100 "$out/callgrind.out" >"$out/annotate.txt" 2>/dev/null

python3 - "$out/annotate.txt" "${PGCANON_BENCH_SUMMARY:-}" <<'PY'
import re, sys
costs = {}
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d,]+)\s.*?\b(?:decode::)?((?:gen|hand)_(?:postgres|sqlx))\b", line)
    if m:
        costs.setdefault(m.group(2), int(m.group(1).replace(",", "")))
print("row decoding by instruction count: 100000 rows x 20 columns, 2 rounds (warm-up + 1) each, callgrind")
print(f"{'client':<26} {'generated':>16} {'by hand':>16} {'ratio':>8}  target")
missing = False
rows = []
for client, label in [("postgres", "postgres + tokio-postgres"), ("sqlx", "sqlx")]:
    g, h = costs.get("gen_" + client), costs.get("hand_" + client)
    if g is None or h is None:
        print(f"{label}: `gen_{client}` / `hand_{client}` not found in the profile", file=sys.stderr)
        missing = True
        continue
    ratio = g / h
    verdict = "met" if ratio <= 1.05 else "MISS"
    print(f"{label:<26} {g:>16,} {h:>16,} {ratio:>8.4f}  <= 1.05 {verdict}")
    rows.append(f"row decoding, {label}: instructions of 100000 rows x 20 columns through generated structs (callgrind)\t{g:,}\tby hand {h:,}\t{ratio:.3f}\t≤ 1.05\t{verdict}\n")
# `bench/run.sh` collects every bench's headline rows (tab-separated) into one summary table.
if len(sys.argv) > 2 and sys.argv[2]:
    with open(sys.argv[2], "a") as f:
        f.writelines(rows)
sys.exit(2 if missing else 0)
PY
