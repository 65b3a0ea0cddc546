#!/usr/bin/env bash
# The test command (the README's and CI's): every test of the workspace, the version matrix
# included. First fetches the PostgreSQL 13-18 server binaries the matrix runs on (a no-op once
# they are cached, see scripts/fetch-postgres.sh), then runs `cargo test --workspace`.
#
# The bulk of the suite runs on the server at DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/postgres); the matrix starts its own throwaway servers.
#
#   scripts/test.sh                          everything, every major
#   PGCANON_PG_VERSIONS=13,18 scripts/test.sh   the matrix on 13 and 18 only
#   scripts/test.sh -p schema-gen --test versions pg16   extra arguments go to cargo test
set -euo pipefail
cd "$(dirname "$0")/.."

majors=()
if [ -n "${PGCANON_PG_VERSIONS:-}" ] && [ "${PGCANON_PG_VERSIONS}" != all ]; then
  IFS=', ' read -r -a majors <<< "$PGCANON_PG_VERSIONS"
fi
scripts/fetch-postgres.sh "${majors[@]}"

if [ $# -gt 0 ]; then
  exec cargo test "$@"
fi
exec cargo test --workspace
