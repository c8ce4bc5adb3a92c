#!/usr/bin/env bash
# README's first command: installs what building pgbag needs (only what is
# missing), builds it, and runs its main job on the bundled sample dumps:
# pack each one, inspect the package, validate it, and, where a PostgreSQL
# server is installed, drill it (restore into a scratch cluster and compare).
# The packages are left in target/try/ to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.bash
pgbag_require build

cargo build --release --quiet
pgbag=target/release/pgbag
out=target/try
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n$ %s\n' "$*"; "$@"; }
# The same database three ways: plain COPY, gzipped, and as INSERTs.
step "$pgbag" pack --sql samples/dumps/fixture.sql -o "$out/fixture.tar.zst"
step "$pgbag" pack --sql samples/dumps/fixture.sql.gz -o "$out/fixture-gzip.tar.zst"
step "$pgbag" pack --sql samples/dumps/fixture-inserts.sql -o "$out/fixture-inserts.tar.zst"
step "$pgbag" inspect "$out/fixture.tar.zst"
step "$pgbag" validate "$out/fixture-gzip.tar.zst"
step "$pgbag" validate samples/packages/broken-checksum.tar.gz || echo "(exit $?: a damaged package is refused, as it should be)"
if pgbag_has_pg_server; then
    step "$pgbag" drill "$out/fixture.tar.zst"
else
    echo
    echo "(drill skipped: no PostgreSQL server here; apt-get install postgresql to rehearse restores)"
fi
printf '\nThe packages are in %s/; %s --help lists every command.\n' "$out" "$pgbag"
