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

# --- locate PostgreSQL binaries --------------------------------------------
# Debian's /usr/bin/psql and /usr/bin/pg_dump are pg_wrapper shims that pick a
# version by heuristics; calling the versioned bindir directly keeps server,
# pg_dump and psql on the same major version.
find_bindir() {
    local d v newest="" best=-1
    if [[ -n "${PG_BINDIR:-}" ]]; then
        printf '%s\n' "$PG_BINDIR"
        return
    fi
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$d" && -x "$d/initdb" ]]; then
            printf '%s\n' "$d"
            return
        fi
    fi
    # Debian/Ubuntu layout; pick the highest major version numerically.
    for d in /usr/lib/postgresql/*/bin; do
        v="${d#/usr/lib/postgresql/}"
        v="${v%/bin}"
        [[ "$v" =~ ^[0-9]+$ && -x "$d/initdb" ]] || continue
        if ((v > best)); then
            best=$v
            newest=$d
        fi
    done
    if [[ -n "$newest" ]]; then
        printf '%s\n' "$newest"
        return
    fi
    if command -v initdb >/dev/null 2>&1; then
        # Resolve symlinks (e.g. /usr/local/bin/initdb -> versioned bindir)
        # so psql/pg_dump are found next to it.
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    echo "regen.sh: cannot find PostgreSQL binaries (initdb); set PG_BINDIR" >&2
    exit 1
}
bindir="$(find_bindir)"
for b in initdb pg_ctl psql pg_dump; do
    [[ -x "$bindir/$b" ]] || { echo "regen.sh: $bindir/$b missing" >&2; exit 1; }
done

# --- who runs the server ------------------------------------------------------
# initdb/postgres refuse to run as root, so as root we drop to the "postgres"
# OS user. Clients (psql, pg_dump) stay as the invoking user: trust auth on a
# private socket means the OS user does not matter to the server.
as_server=()
if [[ "$(id -u)" == 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
        echo "regen.sh: running as root but there is no 'postgres' OS user to run the server as" >&2
        exit 1
    fi
    as_server=(runuser -u postgres --)
fi

# --- temp dir + cleanup -------------------------------------------------------
# Under /tmp rather than $TMPDIR: the unix socket path (dir + "/.s.PGSQL.NNNNN")
# must fit in ~107 bytes, and mktemp's /tmp/tmp.XXXXXXXXXX is short.
tmp="$(mktemp -d /tmp/pgbag-regen.XXXXXXXX)"
datadir="$tmp/data"
sockdir="$tmp"
logfile="$tmp/server.log"
started=0

cleanup() {
    local rc=$?
    if [[ "$started" == 1 ]]; then
        # "immediate" is fine: the cluster is thrown away, nothing to flush.
        (cd "$tmp" && "${as_server[@]}" "$bindir/pg_ctl" -D "$datadir" -m immediate stop >/dev/null 2>&1) || true
    fi
    if [[ "$rc" != 0 && -f "$logfile" ]]; then
        echo "regen.sh: failed (exit $rc); server log follows:" >&2
        tail -n 40 "$logfile" >&2 || true
    fi
    if [[ "${KEEP_TMP:-}" == 1 ]]; then
        echo "regen.sh: keeping $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ${#as_server[@]} -gt 0 ]]; then
    # The server user must own the dir it creates the data dir and socket in.
    chown postgres: "$tmp"
fi

# Any port works: with listen_addresses='' the port only names the socket file
# (.s.PGSQL.<port>) inside our private socket dir, so it cannot clash with
# another server. Randomise anyway so concurrent runs are easy to tell apart.
port=$((20000 + RANDOM % 40000))

# --- start the cluster --------------------------------------------------------
# Fixed superuser name "postgres" (not the invoking OS user) so ownership lines
# in the committed dumps (OWNER TO postgres) do not depend on who ran this.
# C locale + UTF8 so collation/ctype lines and sort orders are reproducible.
# The server is started from inside $tmp: as the postgres user it may not be
# allowed to stat the caller's cwd.
(
    cd "$tmp"
    "${as_server[@]}" "$bindir/initdb" -D "$datadir" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C --no-sync >"$tmp/initdb.log" 2>&1 \
        || { cat "$tmp/initdb.log" >&2; exit 1; }
)
# Appending as root keeps the file's postgres ownership; no pg_ctl -o quoting games.
cat >>"$datadir/postgresql.conf" <<EOF

# --- pgbag regen.sh: throwaway cluster, unix socket only ---
listen_addresses = ''
unix_socket_directories = '$sockdir'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
started=1
(
    cd "$tmp"
    "${as_server[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 start >/dev/null
)

# Clients: explicit host/port/user; drop variables from the caller's
# environment that could redirect the connection or change the session.
unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGDATABASE PGPASSWORD PGSSLMODE PGTZ PGDATESTYLE
export PGHOST="$sockdir" PGPORT="$port" PGUSER=postgres PGCLIENTENCODING=UTF8

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
