#!/usr/bin/env bash
# README's second command: installs what the tests need (only what is
# missing) and runs the whole test suite. The tests start their own
# throwaway PostgreSQL clusters and S3 server, on loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.bash
pgbag_require test
cargo test --release "$@"
