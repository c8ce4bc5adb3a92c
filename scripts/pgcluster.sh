# shellcheck shell=bash
# A private, throwaway PostgreSQL cluster for scripts. Source it, don't run it:
#
#   source "$repo/scripts/pgcluster.sh"
#   pgcluster_start pgbag-regen        # temp dir /tmp/pgbag-regen.XXXXXXXX
#   "$PGCLUSTER_BINDIR/psql" -X -d postgres -c 'select 1'
#   # ... the EXIT trap stops the server and removes the temp dir
#
# The cluster lives in a fresh mktemp dir under /tmp, is reachable only through
# a unix socket in that dir (listen_addresses = '', no TCP), uses trust auth,
# a random port, fsync = off, superuser "postgres", UTF8 and the C locale.
#
# As root, initdb/postgres refuse to run, so the server side runs as the
# "postgres" OS user (runuser). Clients (psql, pg_dump, pgbag) stay as the
# invoking user: with trust auth on a private socket only PGUSER matters.
#
# After pgcluster_start:
#   PGHOST PGPORT PGUSER PGCLIENTENCODING   exported, for every libpq client
#   PGCLUSTER_BINDIR    initdb/pg_ctl/psql/pg_dump of one major version
#   PGCLUSTER_DIR       the temp dir (socket dir; callers may put files in it,
#                       they are removed with it)
#   PGCLUSTER_DATADIR   $PGCLUSTER_DIR/data
#   PGCLUSTER_LOG       server log
#
# Functions:
#   pgcluster_find_bindir   print the PostgreSQL bindir (see PG_BINDIR below)
#   pgcluster_start [PREFIX]  initdb + start; installs the EXIT/INT/TERM traps
#   pgcluster_cleanup [RC]  stop the server, show the log tail if RC != 0,
#                           remove the temp dir (idempotent; the trap calls it)
#
# Environment:
#   PG_BINDIR            directory holding initdb/pg_ctl/psql/pg_dump (default:
#                        pg_config --bindir, else the newest
#                        /usr/lib/postgresql/*/bin, else PATH)
#   KEEP_TMP=1           keep the temp dir (cluster stopped) for post-mortems
#   PGCLUSTER_EXTRA_CONF extra postgresql.conf lines (e.g. shared_buffers)
#   PGCLUSTER_NO_TRAP=1  do not install traps; the caller must call
#                        pgcluster_cleanup itself
#   PGCLUSTER_EXIT_HOOKS array of function names (or commands) the EXIT trap
#                        runs before stopping the cluster, e.g.
#                        PGCLUSTER_EXIT_HOOKS+=(my_cleanup)
#
# Messages are prefixed with the calling script's name.

PGCLUSTER_BINDIR="${PGCLUSTER_BINDIR:-}"
PGCLUSTER_DIR=""
PGCLUSTER_DATADIR=""
PGCLUSTER_LOG=""
PGCLUSTER_PORT=""
PGCLUSTER_EXIT_HOOKS=("${PGCLUSTER_EXIT_HOOKS[@]+"${PGCLUSTER_EXIT_HOOKS[@]}"}")
_pgcluster_started=0
_pgcluster_as_server=()
_pgcluster_me="$(basename "${0:-pgcluster.sh}")"

_pgcluster_err() {
    echo "$_pgcluster_me: $*" >&2
}

# --- locate PostgreSQL binaries --------------------------------------------
# Debian's /usr/bin/psql and /usr/bin/pg_dump are pg_wrapper shims that pick a
# version by heuristics; calling the versioned bindir directly keeps server,
# pg_dump and psql on the same major version.
pgcluster_find_bindir() {
    local d v newest="" best=-1
    if [[ -n "${PG_BINDIR:-}" ]]; then
        printf '%s\n' "$PG_BINDIR"
        return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$d" && -x "$d/initdb" ]]; then
            printf '%s\n' "$d"
            return 0
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
        return 0
    fi
    if command -v initdb >/dev/null 2>&1; then
        # Resolve symlinks (e.g. /usr/local/bin/initdb -> versioned bindir)
        # so psql/pg_dump are found next to it.
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    _pgcluster_err "cannot find PostgreSQL binaries (initdb); set PG_BINDIR"
    return 1
}

# Runs a server-side command (initdb, pg_ctl) as the right OS user, from
# inside the temp dir: as the postgres user it may not be allowed to stat the
# caller's cwd.
_pgcluster_server() {
    (cd "$PGCLUSTER_DIR" && "${_pgcluster_as_server[@]+"${_pgcluster_as_server[@]}"}" "$@")
}

pgcluster_cleanup() {
    local rc="${1:-0}" hook
    # Caller hooks first (they may still need the server, e.g. to drop things).
    for hook in "${PGCLUSTER_EXIT_HOOKS[@]+"${PGCLUSTER_EXIT_HOOKS[@]}"}"; do
        $hook || true
    done
    PGCLUSTER_EXIT_HOOKS=()
    if [[ "$_pgcluster_started" == 1 ]]; then
        _pgcluster_started=0
        # "immediate" is fine: the cluster is thrown away, nothing to flush.
        _pgcluster_server "$PGCLUSTER_BINDIR/pg_ctl" -D "$PGCLUSTER_DATADIR" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [[ "$rc" != 0 && -n "$PGCLUSTER_LOG" && -f "$PGCLUSTER_LOG" ]]; then
        _pgcluster_err "failed (exit $rc); server log follows:"
        tail -n 40 "$PGCLUSTER_LOG" >&2 || true
    fi
    if [[ -n "$PGCLUSTER_DIR" && -d "$PGCLUSTER_DIR" ]]; then
        if [[ "${KEEP_TMP:-}" == 1 ]]; then
            _pgcluster_err "keeping $PGCLUSTER_DIR"
        else
            rm -rf "$PGCLUSTER_DIR"
        fi
    fi
    PGCLUSTER_DIR=""
}

_pgcluster_on_exit() {
    local rc=$?
    pgcluster_cleanup "$rc"
    exit "$rc"
}

pgcluster_start() {
    local prefix="${1:-pgcluster}" b
    if [[ -z "$PGCLUSTER_BINDIR" ]]; then
        PGCLUSTER_BINDIR="$(pgcluster_find_bindir)" || return 1
    fi
    for b in initdb pg_ctl psql pg_dump; do
        [[ -x "$PGCLUSTER_BINDIR/$b" ]] || { _pgcluster_err "$PGCLUSTER_BINDIR/$b missing"; return 1; }
    done

    # --- who runs the server --------------------------------------------------
    _pgcluster_as_server=()
    if [[ "$(id -u)" == 0 ]]; then
        if ! id -u postgres >/dev/null 2>&1; then
            _pgcluster_err "running as root but there is no 'postgres' OS user to run the server as"
            return 1
        fi
        _pgcluster_as_server=(runuser -u postgres --)
    fi

    # --- temp dir + cleanup ---------------------------------------------------
    if [[ "${PGCLUSTER_NO_TRAP:-}" != 1 ]]; then
        trap _pgcluster_on_exit EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
    fi
    # Under /tmp rather than $TMPDIR: the unix socket path (dir +
    # "/.s.PGSQL.NNNNN") must fit in ~107 bytes, and /tmp/<prefix>.XXXXXXXX is
    # short.
    PGCLUSTER_DIR="$(mktemp -d "/tmp/$prefix.XXXXXXXX")" || return 1
    PGCLUSTER_DATADIR="$PGCLUSTER_DIR/data"
    PGCLUSTER_LOG="$PGCLUSTER_DIR/server.log"
    if [[ ${#_pgcluster_as_server[@]} -gt 0 ]]; then
        # The server user must own the dir it creates the data dir and socket in.
        chown postgres: "$PGCLUSTER_DIR" || return 1
    fi

    # Any port works: with listen_addresses='' the port only names the socket
    # file (.s.PGSQL.<port>) inside our private socket dir, so it cannot clash
    # with another server. Randomise anyway so concurrent runs are easy to tell
    # apart.
    PGCLUSTER_PORT=$((20000 + RANDOM % 40000))

    # --- start the cluster ----------------------------------------------------
    # Fixed superuser name "postgres" (not the invoking OS user) so ownership
    # lines in dumps (OWNER TO postgres) do not depend on who ran this.
    # C locale + UTF8 so collation/ctype lines and sort orders are reproducible.
    if ! _pgcluster_server "$PGCLUSTER_BINDIR/initdb" -D "$PGCLUSTER_DATADIR" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C --no-sync >"$PGCLUSTER_DIR/initdb.log" 2>&1; then
        cat "$PGCLUSTER_DIR/initdb.log" >&2
        return 1
    fi
    # Appending as root keeps the file's postgres ownership; no pg_ctl -o
    # quoting games.
    cat >>"$PGCLUSTER_DATADIR/postgresql.conf" <<EOF || return 1

# --- pgbag scripts/pgcluster.sh: throwaway cluster, unix socket only ---
listen_addresses = ''
unix_socket_directories = '$PGCLUSTER_DIR'
port = $PGCLUSTER_PORT
fsync = off
synchronous_commit = off
full_page_writes = off
${PGCLUSTER_EXTRA_CONF:-}
EOF
    _pgcluster_started=1
    _pgcluster_server "$PGCLUSTER_BINDIR/pg_ctl" -D "$PGCLUSTER_DATADIR" -l "$PGCLUSTER_LOG" -w -t 60 start >/dev/null \
        || return 1

    # Clients: explicit host/port/user; drop variables from the caller's
    # environment that could redirect the connection or change the session.
    unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGDATABASE PGPASSWORD PGPASSFILE PGSSLMODE \
        PGTARGETSESSIONATTRS PGTZ PGDATESTYLE
    export PGHOST="$PGCLUSTER_DIR" PGPORT="$PGCLUSTER_PORT" PGUSER=postgres PGCLIENTENCODING=UTF8
}
