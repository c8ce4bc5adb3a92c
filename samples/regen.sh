#!/usr/bin/env bash
# Regenerate the committed sample dumps in samples/dumps/ from samples/fixture.sql.
#
# Starts a private, throwaway PostgreSQL cluster (unix socket only, no TCP),
# loads the fixture into a database named "fixture", runs the *real* pg_dump
# against it and writes:
#
#   samples/dumps/fixture.sql          plain format, default options
#   samples/dumps/fixture-inserts.sql  plain format, --inserts --rows-per-insert=3
#   samples/dumps/fixture.sql.gz       gzip -n of fixture.sql (reproducible bytes)
#
# Works as root (server commands run as the "postgres" OS user, because initdb
# refuses to run as root) or as an ordinary user. Touches nothing outside
# samples/dumps/ and its own temp dir, which the EXIT trap removes.
#
# Environment:
#   PG_BINDIR   directory holding initdb/pg_ctl/psql/pg_dump (default: pg_config
#               --bindir, else the newest /usr/lib/postgresql/*/bin, else PATH)
#   KEEP_TMP=1  keep the temp dir (cluster stopped) for post-mortem debugging
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixture="$here/fixture.sql"
outdir="$here/dumps"

# --- throwaway cluster ----------------------------------------------------------
# scripts/pgcluster.sh: initdb in a mktemp dir under /tmp, unix socket only
# (listen_addresses=''), random port, fsync=off, superuser "postgres", UTF8 and
# C locale (so ownership, collation lines and sort orders in the committed
# dumps are reproducible); as root the server runs as the "postgres" OS user.
# Exports PGHOST/PGPORT/PGUSER/PGCLIENTENCODING; its EXIT trap stops the server
# and removes the temp dir.
# shellcheck source-path=SCRIPTDIR source=../scripts/pgcluster.sh
source "$here/../scripts/pgcluster.sh"
pgcluster_start pgbag-regen
bindir="$PGCLUSTER_BINDIR"
tmp="$PGCLUSTER_DIR"

"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE fixture'
# No -v big=1: the multi-megabyte row stays out of the committed samples.
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d fixture -f "$fixture" >/dev/null

# --- dump ---------------------------------------------------------------------
# pg_dump 17.6/16.10/15.14/14.19/13.22 and later (CVE-2025-8714) wrap plain
# dumps in "\restrict KEY" ... "\unrestrict KEY" with a *random* KEY per run.
# Pin the key when pg_dump supports it so regenerating is byte-for-byte
# reproducible; otherwise every run would churn the committed samples.
# Everything else stays at pg_dump's defaults.
restrict=()
# (Capture --help first: "| grep -q" under pipefail can fail via SIGPIPE.)
dump_help="$("$bindir/pg_dump" --help)"
if [[ "$dump_help" == *--restrict-key* ]]; then
    restrict=(--restrict-key=PgbagSampleFixtureKey)
fi
# Write to temp files first so a failing pg_dump never leaves a truncated sample.
"$bindir/pg_dump" "${restrict[@]}" -d fixture -f "$tmp/fixture.sql"
"$bindir/pg_dump" "${restrict[@]}" -d fixture --inserts --rows-per-insert=3 -f "$tmp/fixture-inserts.sql"
gzip -n -9 -c "$tmp/fixture.sql" >"$tmp/fixture.sql.gz"

mkdir -p "$outdir"
for f in fixture.sql fixture-inserts.sql fixture.sql.gz; do
    # cat (not mv) so the files get the caller's ownership and umask.
    cat "$tmp/$f" >"$outdir/$f"
done

for f in fixture.sql fixture-inserts.sql fixture.sql.gz; do
    printf 'regen.sh: wrote %s (%s bytes)\n' "$outdir/$f" "$(wc -c <"$outdir/$f")"
done
