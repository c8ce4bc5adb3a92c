# shellcheck shell=bash
# A throwaway S3-protocol server (moto) for benches/bench.sh. Source it; needs
# moto_server (pip install 'moto[server]'), python3 and curl.
#
#   moto_start DIR        starts `moto_server -H 127.0.0.1 -p PORT` on a free
#                         port (log in DIR/moto.log), waits until it answers,
#                         sets MOTO_PID, MOTO_PORT, MOTO_ENDPOINT and exports
#                         the AWS_* environment that points an AWS SDK at it
#   moto_stop             kills and reaps it (idempotent; for an EXIT hook)
#   moto_fresh_bucket B   empties the server (moto's reset API: objects,
#                         multipart uploads, buckets) and creates bucket B
#   moto_objects B [P]    prints "KEY SIZE" for each object under prefix P
#   moto_hwm_kib          the server's peak RSS so far, in KiB
#
# Only ever listens on, and talks to, 127.0.0.1. moto keeps objects in memory
# and accepts any credentials; the plain curl requests are unsigned, which
# moto accepts while authentication is not enforced (the default).

MOTO_PID=""
MOTO_PORT=""
MOTO_ENDPOINT=""

# Variables that would make the SDK ignore or override the exported endpoint
# and credentials (the same list as tests/util/s3.rs).
_MOTO_AWS_UNSET=(AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_DEFAULT_REGION
    AWS_ENDPOINT_URL_S3 AWS_IGNORE_CONFIGURED_ENDPOINT_URLS AWS_USE_FIPS_ENDPOINT AWS_USE_DUALSTACK_ENDPOINT
    AWS_S3_USE_ARN_REGION AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_ROLE_SESSION_NAME
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)

_moto_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

moto_start() {
    local dir=$1 attempt i
    mkdir -p "$dir"
    for attempt in 1 2 3; do
        MOTO_PORT=$(_moto_free_port)
        MOTO_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
        # env, the pyenv shim (if any) and moto_server all exec: $! is the server.
        env -C "$dir" -u INITIAL_NO_AUTH_ACTION_COUNT \
            moto_server -H 127.0.0.1 -p "$MOTO_PORT" </dev/null >"$dir/moto.log" 2>&1 &
        MOTO_PID=$!
        for ((i = 0; i < 80; i++)); do
            if curl -s -o /dev/null --max-time 2 "$MOTO_ENDPOINT/"; then
                break
            fi
            if ! kill -0 "$MOTO_PID" 2>/dev/null; then break; fi
            sleep 0.25
        done
        if kill -0 "$MOTO_PID" 2>/dev/null && curl -s -o /dev/null --max-time 2 "$MOTO_ENDPOINT/"; then
            _moto_env "$dir"
            return 0
        fi
        moto_stop
        echo "moto.sh: moto_server on port $MOTO_PORT did not come up (attempt $attempt):" >&2
        tail -5 "$dir/moto.log" >&2 || true
    done
    return 1
}

_moto_env() {
    local dir=$1 v
    for v in "${_MOTO_AWS_UNSET[@]}"; do unset "$v"; done
    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
    export AWS_ENDPOINT_URL="$MOTO_ENDPOINT" AWS_EC2_METADATA_DISABLED=true
    # Files that do not exist: a developer's ~/.aws cannot leak in.
    export AWS_CONFIG_FILE="$dir/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$dir/no-aws-credentials"
}

moto_stop() {
    if [[ -n "$MOTO_PID" ]]; then
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
    fi
    MOTO_PID=""
}

moto_fresh_bucket() {
    curl -sf -o /dev/null -X POST "$MOTO_ENDPOINT/moto-api/reset"
    curl -sf -o /dev/null -X PUT "$MOTO_ENDPOINT/$1"
}

moto_objects() {
    curl -sf "$MOTO_ENDPOINT/$1?list-type=2&prefix=${2:-}" |
        grep -o '<Contents>.*</Contents>' | sed 's#</Contents>#&\n#g' |
        sed -n 's#.*<Key>\([^<]*\)</Key>.*<Size>\([0-9]*\)</Size>.*#\1 \2#p'
}

moto_hwm_kib() {
    awk '/^VmHWM:/{print $2}' "/proc/$MOTO_PID/status" 2>/dev/null || echo 0
}
