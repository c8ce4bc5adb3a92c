#!/usr/bin/env bash
# pgbag end-to-end benchmark: pgbag against the plain-tool baselines it
# replaces, on a generated database, in one run.
#
# Usage (from anywhere; needs PostgreSQL server binaries, zstd, GNU time,
# cargo; hyperfine is used for `inspect` when installed):
#
#   bash benches/bench.sh                      # 500 MB of COPY data, best of 3 (~5 min on 2 cores)
#   BENCH_MB=50 bash benches/bench.sh          # quick run (~1 minute)
#   BENCH_MB=2000 BENCH_RUNS=5 bash benches/bench.sh
#
# Environment:
#   BENCH_MB         MB (10^6 bytes) of COPY data in the main database (default 500)
#   BENCH_RUNS       runs per timed command; the best wall time is reported (default 3)
#   BENCH_BREAKDOWN  1 (default) also times pack --sql / --compress none / zstd /
#                    sha256sum alone, to show where pack's and validate's time goes
#   BENCH_RESULTS    where to write the results table (default benches/results.md)
#   BENCH_KEEP=1     keep the work dir (packages, dump.sql) instead of deleting it
#   BENCH_SETTLE_MAX seconds to wait for an idle machine before each timed run (default 30)
#   BENCH_S3         auto (default): run the S3 section when moto_server, python3 and
#                    curl are installed; 1: require it; 0: skip it
#   PG_BINDIR        PostgreSQL bindir (default: see scripts/pgcluster.sh)
#
# What it does: builds pgbag (cargo build --release) and copies the binary
# aside (so a concurrent rebuild cannot swap it mid-run), starts a throwaway
# cluster (scripts/pgcluster.sh: unix socket only, fsync off), generates
# database "bench" (BENCH_MB of COPY data: customers, orders, events, documents
# with ints, text, timestamps, numeric, NULLs, long text, jsonb, arrays, plus
# indexes, FKs, a view, a materialized view, a function, comments) and
# "bench_small" (BENCH_MB/10), all server-side with generate_series. Then it
# measures, each command under /usr/bin/time -v (wall = best of BENCH_RUNS by
# the shell's clock; peak RSS = max over runs; for a pipeline time -v reports
# the largest child's RSS):
#
#   pack      pgbag pack --db ... -q        vs  pg_dump | zstd -3 -q > file
#             (floor: pg_dump > /dev/null)
#   validate  pgbag validate pkg -q         vs  zstd -dc pkg | sha256sum
#   inspect   pgbag inspect pkg (hyperfine, or mean of 20), big vs 10x smaller
#   scanner   pgbag inspect dump.sql (full scan of the plain dump, page-cached)
#             vs  cat dump.sql > /dev/null, in MB/s
#   peak RSS of every pgbag command
#   S3        pack --db -o s3://bucket/prefix/ (which reads the object back
#             to verify it), and with --no-verify-upload,  vs  pack --db -o
#             dir/ (same database, back to back), validate s3://… vs the local file, and
#             inspect s3://… --verbose (bytes fetched), against a local
#             moto_server on 127.0.0.1 (benches/moto.sh; BENCH_S3)
#
# and prints/writes the table (measure | pgbag | baseline | ratio | target).
# Large files live in a mktemp dir under /tmp; an EXIT trap removes it and
# stops the cluster, also on failure or Ctrl-C.
set -euo pipefail
export LC_ALL=C

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_MB="${BENCH_MB:-500}"
BENCH_RUNS="${BENCH_RUNS:-3}"
BENCH_BREAKDOWN="${BENCH_BREAKDOWN:-1}"
BENCH_RESULTS="${BENCH_RESULTS:-$repo/benches/results.md}"
[[ "$BENCH_MB" =~ ^[0-9]+$ && "$BENCH_MB" -ge 1 ]] || { echo "bench.sh: BENCH_MB must be a positive integer" >&2; exit 2; }
[[ "$BENCH_RUNS" =~ ^[0-9]+$ && "$BENCH_RUNS" -ge 1 ]] || { echo "bench.sh: BENCH_RUNS must be a positive integer" >&2; exit 2; }
BENCH_S3="${BENCH_S3:-auto}"
[[ "$BENCH_S3" =~ ^(auto|0|1)$ ]] || { echo "bench.sh: BENCH_S3 must be auto, 0 or 1" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[[ -x /usr/bin/time ]] || { echo "bench.sh: GNU time (/usr/bin/time) missing: apt-get install -y time" >&2; exit 2; }
command -v zstd >/dev/null || { echo "bench.sh: zstd missing" >&2; exit 2; }
command -v sha256sum >/dev/null || { echo "bench.sh: sha256sum missing" >&2; exit 2; }
if [[ "$BENCH_S3" != 0 ]]; then
    s3_missing=""
    for c in moto_server python3 curl; do command -v "$c" >/dev/null || s3_missing+=" $c"; done
    if [[ -n "$s3_missing" ]]; then
        if [[ "$BENCH_S3" == 1 ]]; then
            echo "bench.sh: BENCH_S3=1 needs$s3_missing (pip install 'moto[server]')" >&2
            exit 2
        fi
        log "no$s3_missing: skipping the S3 section (BENCH_S3=1 to require it)"
        BENCH_S3=0
    fi
fi

# --- build ----------------------------------------------------------------------
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
log "cargo build --release"
(cd "$repo" && cargo build --release --quiet)
git_rev=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo '?')
if [[ -n "$(cd "$repo" && git status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
    git_rev+=" + uncommitted changes to src/"
fi

# --- cluster + work dir -----------------------------------------------------------
# shellcheck source-path=SCRIPTDIR source=../scripts/pgcluster.sh
source "$repo/scripts/pgcluster.sh"
work=""
remove_work() {
    if [[ -n "$work" && -d "$work" ]]; then
        if [[ "${BENCH_KEEP:-}" == 1 ]]; then
            echo "bench.sh: keeping $work" >&2
        else
            rm -rf "$work"
        fi
    fi
}
# shellcheck source-path=SCRIPTDIR source=moto.sh
source "$repo/benches/moto.sh"
# Kill moto before the work dir (its cwd and log) goes.
PGCLUSTER_EXIT_HOOKS+=(moto_stop remove_work)
# Generous memory for a fast load; the dump side does not depend on these.
PGCLUSTER_EXTRA_CONF="shared_buffers = 1GB
maintenance_work_mem = 512MB
work_mem = 64MB
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
checkpoint_timeout = 30min
autovacuum = off"
log "starting a throwaway cluster"
pgcluster_start pgbag-bench-pg
bindir="$PGCLUSTER_BINDIR"
work="$(mktemp -d /tmp/pgbag-bench.XXXXXXXX)"

# pgbag runs `pg_dump`/`psql` from PATH: make it the cluster's major version.
export PATH="$bindir:$PATH"
pgbag="$work/pgbag"
cp "$repo/target/release/pgbag" "$pgbag"
psql_() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# --- data generation ------------------------------------------------------------
# Each table's rows come from one INSERT ... SELECT over generate_series
# (server-side, no client round trips). Text is drawn from a word list with a
# few non-ASCII words; some values carry tabs, newlines and backslashes so the
# COPY escapes are exercised. @N@ is the row count, @NC@ the customer count.
words="'{lorem,ipsum,dolor,sit,amet,consectetur,adipiscing,elit,sed,do,eiusmod,tempor,incididunt,ut,labore,et,dolore,magna,aliqua,enim,ad,minim,veniam,quis,nostrud,exercitation,ullamco,laboris,nisi,aliquip,ex,ea,commodo,consequat,duis,aute,irure,in,reprehenderit,voluptate,velit,esse,cillum,fugiat,nulla,pariatur,excepteur,sint,occaecat,cupidatat,non,proident,sunt,culpa,qui,officia,deserunt,mollit,anim,id,est,laborum,café,naïve,données,名前,Zürich,São,Paulo,façade}'::text[]"
# n random words (n may reference the row number i so it is evaluated per row)
rw() { echo "(SELECT string_agg(($words)[1 + floor(random() * 70)::int], ' ') FROM generate_series(1, $1) AS k(k) WHERE k.k > 0 OR i > 0)"; }

declare -A SEL
SEL[customers]="SELECT i AS id,
    initcap($(rw '2 + i % 2')) AS name,
    'user' || i || '@example.' || (ARRAY['com','org','net','de','fr'])[1 + i % 5] AS email,
    (ARRAY['US','DE','FR','BR','JP','CH','GB','IN'])[1 + i % 8]::char(2) AS country,
    date '2015-01-01' + (i % 3650) AS signup_date,
    timestamptz '2015-01-01 00:00:00+00' + random() * interval '3650 days' AS created_at,
    round((random() * 100)::numeric, 4)::float8 AS score,
    (i % 17 = 0) AS vip,
    CASE WHEN i % 2 = 0 THEN NULL ELSE $(rw '5 + i % 35') END AS bio,
    round((random() * 20000 - 5000)::numeric, 2) AS balance
  FROM generate_series(1, @N@) AS g(i)"
SEL[orders]="SELECT i::bigint AS id,
    1 + (random() * (@NC@ - 1))::int AS customer_id,
    timestamptz '2018-01-01 00:00:00+00' + random() * interval '2500 days' AS created_at,
    CASE WHEN i % 5 = 0 THEN NULL ELSE timestamptz '2018-01-03 00:00:00+00' + random() * interval '2500 days' END AS shipped_at,
    (ARRAY['new','paid','shipped','delivered','cancelled','refunded'])[1 + i % 6] AS status,
    round((random() * 1000)::numeric, 2) AS amount,
    1 + i % 9 AS quantity,
    CASE WHEN i % 3 = 0 THEN round((random() * 30)::numeric, 2) END AS discount,
    CASE WHEN i % 5 <> 0 THEN NULL
         WHEN i % 45 = 0 THEN 'line one' || chr(10) || 'line two	with tab and C:\\path\\x'
         ELSE $(rw '3 + i % 13') END AS note
  FROM generate_series(1, @N@) AS g(i)"
SEL[events]="SELECT i::bigint AS id,
    timestamptz '2023-01-01 00:00:00+00' + i * interval '1 second' + random() * interval '1 second' AS occurred_at,
    (ARRAY['page_view','click','login','logout','purchase','search','error'])[1 + (random() * 6)::int] AS kind,
    CASE WHEN i % 4 = 0 THEN NULL ELSE 1 + (random() * (@NC@ - 1))::int END AS user_id,
    md5(i::text)::uuid AS session,
    ('10.' || (i % 256) || '.' || (i / 256 % 256) || '.' || (i % 251))::inet AS ip,
    (random() * 5000)::int AS duration_ms,
    jsonb_build_object('path', '/p/' || (i % 1000), 'ref', CASE WHEN i % 3 = 0 THEN 'https://example.com/?q=' || (i % 97) END,
                       'ms', (random() * 900)::int, 'ok', i % 11 <> 0) AS payload
  FROM generate_series(1, @N@) AS g(i)"
SEL[documents]="SELECT i AS id,
    initcap($(rw '3 + i % 6')) AS title,
    $(rw '120 + i % 300') AS body,
    ARRAY[(ARRAY['draft','final','legal','hr','ops'])[1 + i % 5], 'v' || (i % 7)] AS tags,
    timestamptz '2020-01-01 00:00:00+00' + random() * interval '1500 days' AS updated_at,
    1 + i % 12 AS version
  FROM generate_series(1, @N@) AS g(i)"
tables=(customers orders events documents)
declare -A SHARE=([customers]=15 [orders]=35 [events]=35 [documents]=15)

DDL_PRE="
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL, country char(2),
  signup_date date, created_at timestamptz, score double precision, vip boolean NOT NULL DEFAULT false,
  bio text, balance numeric(12,2));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, created_at timestamptz NOT NULL,
  shipped_at timestamptz, status text NOT NULL, amount numeric(12,2) NOT NULL, quantity int NOT NULL,
  discount numeric(5,2), note text);
CREATE TABLE events (id bigint PRIMARY KEY, occurred_at timestamptz NOT NULL, kind text NOT NULL, user_id int,
  session uuid, ip inet, duration_ms int, payload jsonb);
CREATE TABLE documents (id int PRIMARY KEY, title text NOT NULL, body text, tags text[],
  updated_at timestamptz, version int NOT NULL DEFAULT 1);
"
DDL_POST="
ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers(id);
CREATE UNIQUE INDEX customers_email_key ON customers (email);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX events_kind_time_idx ON events (kind, occurred_at);
CREATE INDEX documents_lower_title_idx ON documents (lower(title));
CREATE SEQUENCE invoice_seq START 1000 INCREMENT 10;
CREATE VIEW customer_totals AS
  SELECT c.id, c.name, count(o.id) AS orders, sum(o.amount) AS total
  FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name;
CREATE MATERIALIZED VIEW daily_events AS
  SELECT date_trunc('day', occurred_at) AS day, kind, count(*) AS n FROM events GROUP BY 1, 2;
CREATE FUNCTION order_total(p_customer int) RETURNS numeric LANGUAGE sql STABLE
  AS \$\$ SELECT coalesce(sum(amount), 0) FROM orders WHERE customer_id = p_customer \$\$;
COMMENT ON TABLE customers IS 'Customers; bio is NULL for half of them.';
COMMENT ON COLUMN customers.score IS 'Model score, 0-100.';
COMMENT ON TABLE orders IS 'Orders, one per row; note holds free text, sometimes with tabs and newlines.';
COMMENT ON TABLE events IS 'Click stream, one row per second.';
COMMENT ON TABLE documents IS 'Long text documents.';
COMMENT ON VIEW customer_totals IS 'Order count and total per customer.';
ANALYZE;
"

sql_for() { # table rows ncustomers
    local s="${SEL[$1]}"
    s="${s//@N@/$2}"
    s="${s//@NC@/$3}"
    printf '%s' "$s"
}

# Bytes of COPY text per row, from a 2000-row sample of each generator.
declare -A BPR
calibrate() {
    local t n=2000 b
    for t in "${tables[@]}"; do
        b="$(psql_ -d postgres -c "COPY ($(sql_for "$t" "$n" 1000)) TO STDOUT" | wc -c)"
        BPR[$t]=$(( (b + n - 1) / n ))
    done
}

# make_db NAME MB: creates NAME with about MB*10^6 bytes of COPY data.
make_db() {
    local db=$1 mb=$2 t rows nc pids=() pid
    declare -A R
    for t in "${tables[@]}"; do
        rows=$(( mb * 1000000 * SHARE[$t] / 100 / BPR[$t] ))
        R[$t]=$(( rows < 10 ? 10 : rows ))
    done
    nc=${R[customers]}
    log "creating $db: $(for t in "${tables[@]}"; do printf '%s=%s ' "$t" "${R[$t]}"; done)"
    psql_ -d postgres -c "CREATE DATABASE $db"
    psql_ -d "$db" -c "$DDL_PRE"
    # One session per table (2 cores: they overlap); fixed seeds.
    local seed=1
    for t in "${tables[@]}"; do
        psql_ -d "$db" -c "SELECT setseed(0.$seed)" -c "INSERT INTO $t $(sql_for "$t" "${R[$t]}" "$nc")" >/dev/null &
        pids+=($!)
        seed=$((seed + 1))
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    psql_ -d "$db" -c "$DDL_POST" >/dev/null
}

log "calibrating row sizes"
calibrate
log "bytes/row: $(for t in "${tables[@]}"; do printf '%s=%s ' "$t" "${BPR[$t]}"; done)"
small_mb=$(( BENCH_MB / 10 > 0 ? BENCH_MB / 10 : 1 ))
t_gen0=$EPOCHREALTIME
make_db bench "$BENCH_MB"
make_db bench_small "$small_mb"
gen_s=$(awk -v a="$t_gen0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", b-a}')
log "generated in ${gen_s}s"

conninfo="host=$PGHOST port=$PGPORT user=postgres dbname=bench"
conninfo_small="host=$PGHOST port=$PGPORT user=postgres dbname=bench_small"

# --- measuring -----------------------------------------------------------------------
# settle: before each timed run, flush dirty pages (`sync`: otherwise pgbag's
# fsync pays, through ext4's ordered journal, for the writeback of earlier
# runs' unsynced output, e.g. the baseline's), then wait (up to
# BENCH_SETTLE_MAX seconds, default 30) until the machine is idle: under 5% of
# all CPUs busy over one second, so a compile or test run elsewhere does not
# land in the figures. Runs that had to start on a busy machine are counted in
# NOISY and reported.
NOISY=0
settle() {
    local i a b ncpu
    ncpu=$(nproc)
    sync
    for ((i = 0; i < ${BENCH_SETTLE_MAX:-30}; i++)); do
        a=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat)
        sleep 1
        b=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat)
        # /proc/stat counts USER_HZ (100) ticks per CPU per second.
        if ((b - a < 5 * ncpu)); then return 0; fi
    done
    NOISY=$((NOISY + 1))
    log "warning: machine still busy after ${BENCH_SETTLE_MAX:-30}s; measuring anyway"
}

# measure KEY -- CMD...: runs CMD BENCH_RUNS times (RUNS overrides) under
# /usr/bin/time -v, stdout to /dev/null. Before each run, evals $PRE if set.
# Sets WALL[KEY] (best, seconds), CPU[KEY] (user+sys of that run, including
# waited-for children), RSS[KEY] (max over runs, KiB).
declare -A WALL CPU RSS
measure() {
    local key=$1
    shift
    [[ "$1" == -- ]] && shift
    local runs=${RUNS:-$BENCH_RUNS} i t0 t1 w u s r tf="$work/time.out" ef="$work/time.err"
    local best="" bestcpu="" maxrss=0
    for ((i = 0; i < runs; i++)); do
        if [[ -n "${PRE:-}" ]]; then eval "$PRE"; fi
        settle
        t0=$EPOCHREALTIME
        if ! /usr/bin/time -v -o "$tf" "$@" >/dev/null 2>"$ef"; then
            echo "bench.sh: '$*' failed:" >&2
            cat "$ef" "$tf" >&2
            return 1
        fi
        t1=$EPOCHREALTIME
        w=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", b-a}')
        u=$(awk -F': ' '/User time \(seconds\)/{print $2}' "$tf")
        s=$(awk -F': ' '/System time \(seconds\)/{print $2}' "$tf")
        r=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
        if [[ -z "$best" ]] || awk -v a="$w" -v b="$best" 'BEGIN{exit !(a < b)}'; then
            best=$w
            bestcpu=$(awk -v a="$u" -v b="$s" 'BEGIN{printf "%.2f", a+b}')
        fi
        if ((r > maxrss)); then maxrss=$r; fi
    done
    WALL[$key]=$best
    CPU[$key]=$bestcpu
    RSS[$key]=$maxrss
    log "$(printf '%-22s best %8.3f s  cpu %6.2f s  rss %7.1f MiB  (%s runs)' "$key" "$best" "$bestcpu" \
        "$(awk -v r="$maxrss" 'BEGIN{printf "%.1f", r/1024}')" "$runs")"
}

# mean_ms KEY -- CMD...: mean wall time of a short command, in ms (hyperfine
# when available: 3 warmups + 20 runs; else 20 runs timed by the shell).
declare -A MEANMS
mean_ms() {
    local key=$1 i t0 t1
    shift
    [[ "$1" == -- ]] && shift
    settle
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 3 --runs 20 --export-json "$work/hf.json" "$(printf '%q ' "$@")" >/dev/null 2>&1 \
            || hyperfine --warmup 3 --runs 20 --export-json "$work/hf.json" "$(printf '%q ' "$@")" >/dev/null
        MEANMS[$key]=$(jq -r '.results[0].mean * 1000 | . * 10 | round / 10' "$work/hf.json")
    else
        "$@" >/dev/null
        t0=$EPOCHREALTIME
        for ((i = 0; i < 20; i++)); do "$@" >/dev/null; done
        t1=$EPOCHREALTIME
        MEANMS[$key]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)*1000/20}')
    fi
    log "$(printf '%-22s mean %8.1f ms' "$key" "${MEANMS[$key]}")"
}

fsize() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN{printf "%.1f", b/1e6}'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

pkg="$work/bench.tar.zst"
pkg_small="$work/bench_small.tar.zst"
base="$work/baseline.sql.zst"
sql="$work/dump.sql"

# --- sizes ---------------------------------------------------------------------------
log "pg_dump -f dump.sql (plain dump for sizes and the scanner)"
"$bindir/pg_dump" -d bench -f "$sql"
dump_bytes=$(fsize "$sql")
copy_bytes=$("$pgbag" inspect --json "$sql" | jq '[.tables[].bytes] | add')
rows_total=$("$pgbag" inspect --json "$sql" | jq '.counts.rows')
log "dump.sql: $(mb "$dump_bytes") MB, COPY data $(mb "$copy_bytes") MB, $rows_total rows"

# --- a. pack -------------------------------------------------------------------------
log "a. pack (best of $BENCH_RUNS)"
PRE="rm -f '$pkg'" measure pack -- "$pgbag" pack --db "$conninfo" -o "$pkg" -q
PRE="rm -f '$base'" measure pack_base -- bash -c "'$bindir/pg_dump' -d bench | zstd -3 -q > '$base'"
measure pg_dump_floor -- bash -c "'$bindir/pg_dump' -d bench > /dev/null"
pkg_bytes=$(fsize "$pkg")
base_bytes=$(fsize "$base")
"$pgbag" pack --db "$conninfo_small" -o "$pkg_small" -q >/dev/null
small_dump_bytes=$("$pgbag" inspect --json "$pkg_small" | jq '[.payload[] | select(.path | endswith("dump.sql")) | .bytes] | add')

# --- b. validate ----------------------------------------------------------------------
log "b. validate (best of $BENCH_RUNS)"
cat "$pkg" >/dev/null
measure validate -- "$pgbag" validate "$pkg" -q
measure validate_base -- bash -c "zstd -dc '$pkg' | sha256sum"

# --- c. inspect -----------------------------------------------------------------------
log "c. inspect (mean)"
mean_ms inspect -- "$pgbag" inspect "$pkg"
mean_ms inspect_small -- "$pgbag" inspect "$pkg_small"
RUNS=1 measure inspect_rss -- "$pgbag" inspect "$pkg"

# --- d. restore ----------------------------------------------------------------------
# Into a fresh, empty database each run (created before the clock starts, for
# both). pgbag restore verifies the package first (a full validate pass)
# unless --no-verify; both are measured, against psql -f on the plain dump.
log "d. restore (best of $BENCH_RUNS)"
drop_r='psql_ -d postgres -c "DROP DATABASE IF EXISTS r_pgbag" -c "DROP DATABASE IF EXISTS r_psql"'
fresh_r="$drop_r; psql_ -d postgres -c 'CREATE DATABASE r_pgbag' -c 'CREATE DATABASE r_psql'"
conninfo_r="host=$PGHOST port=$PGPORT user=postgres dbname=r_pgbag"
PRE="$fresh_r" measure restore -- "$pgbag" restore "$pkg" --target "$conninfo_r" -q
PRE="$fresh_r" measure restore_noverify -- "$pgbag" restore "$pkg" --target "$conninfo_r" --no-verify -q
PRE="$fresh_r" measure restore_base -- "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d r_psql -f "$sql"
eval "$drop_r"

# --- e. scanner -----------------------------------------------------------------------
log "e. scanner on the plain dump (best of $BENCH_RUNS)"
cat "$sql" >/dev/null
measure cat -- cat "$sql"
measure scan -- "$pgbag" inspect -q "$sql"

# --- breakdown ------------------------------------------------------------------------
if [[ "$BENCH_BREAKDOWN" == 1 ]]; then
    log "breakdown: where pack's and validate's time goes (best of $BENCH_RUNS)"
    pkg_sql="$work/sql.tar.zst"
    pkg_none="$work/none.tar"
    PRE="rm -f '$pkg_sql'" measure pack_sql -- "$pgbag" pack --sql "$sql" -o "$pkg_sql" -q
    PRE="rm -f '$pkg_none'" measure pack_sql_none -- "$pgbag" pack --sql "$sql" -o "$pkg_none" --compress none -q
    cat "$pkg_none" >/dev/null
    measure validate_none -- "$pgbag" validate "$pkg_none" -q
    measure zstd3 -- zstd -3 -q -c "$sql"
    measure zstd_d -- zstd -dc "$pkg"
    measure sha256sum -- sha256sum "$sql"
    PRE="rm -f '$base'" measure pack_base_sync -- bash -c "'$bindir/pg_dump' -d bench | zstd -3 -q > '$base' && sync '$base'"
    rm -f "$pkg_sql" "$pkg_none"
fi

# --- f. S3 ---------------------------------------------------------------------------
# The same database packed to a local directory and to s3://BUCKET/bench/ on a
# moto_server (127.0.0.1, objects in memory), back to back. Before each run
# the output is removed: the local directory is emptied, and moto is reset
# (objects, multipart uploads, buckets) and the bucket made again, so moto's
# memory stays at one package. The local pack fsyncs; the S3 pack ends once
# it has read the object back, validated it and recorded its SHA-256 (or,
# with --no-verify-upload, after CompleteMultipartUpload and the metadata
# copy). Then validate and inspect read the uploaded object.
if [[ "$BENCH_S3" != 0 ]]; then
    log "f. S3 on moto_server (best of $BENCH_RUNS)"
    moto_start "$work/moto"
    moto_ver=$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo '?')
    log "moto_server $moto_ver on $MOTO_ENDPOINT (pid $MOTO_PID)"
    bucket="pgbag-bench"
    s3_prefix="s3://$bucket/bench/"
    local_dir="$work/local/"
    PRE="rm -rf '$local_dir' && mkdir '$local_dir'" \
        measure pack_local -- "$pgbag" pack --db "$conninfo" -o "$local_dir" -q
    PRE="moto_fresh_bucket $bucket" measure pack_s3_noverify -- \
        "$pgbag" pack --db "$conninfo" -o "$s3_prefix" -q --no-verify-upload
    PRE="moto_fresh_bucket $bucket" measure pack_s3 -- "$pgbag" pack --db "$conninfo" -o "$s3_prefix" -q
    local_pkg=$(find "$local_dir" -maxdepth 1 -name '*.tar.zst' | head -1)
    read -r s3_key s3_bytes < <(moto_objects "$bucket" bench/) || true
    [[ -n "${s3_key:-}" && "$s3_bytes" -gt 0 ]] || { echo "bench.sh: no object under $s3_prefix after pack" >&2; exit 1; }
    s3_obj="s3://$bucket/$s3_key"
    local_pkg_bytes=$(fsize "$local_pkg")
    log "uploaded $s3_obj: $(mb "$s3_bytes") MB (local: $(mb "$local_pkg_bytes") MB)"
    cat "$local_pkg" >/dev/null
    measure validate_local -- "$pgbag" validate "$local_pkg" -q
    measure validate_s3 -- "$pgbag" validate "$s3_obj" -q
    mean_ms inspect_local -- "$pgbag" inspect "$local_pkg"
    mean_ms inspect_s3 -- "$pgbag" inspect "$s3_obj"
    measure inspect_local_rss -- "$pgbag" inspect "$local_pkg"
    measure inspect_s3_rss -- "$pgbag" inspect "$s3_obj"
    fetched_line=$("$pgbag" inspect "$s3_obj" --verbose 2>&1 >/dev/null | grep -m1 'fetched' || true)
    fetched_bytes=$(sed -n 's/.*fetched \([0-9]*\) of.*/\1/p' <<<"$fetched_line")
    log "inspect --verbose: $fetched_line"
    # moto's own share: the same requests from boto3 in one process.
    floor=""
    if python3 -c 'import boto3' 2>/dev/null; then
        settle
        floor=$(python3 "$repo/benches/moto_floor.py" "$bucket" "$s3_key" "$local_pkg" 16) || floor=""
        log "moto floor: $floor"
    fi
    moto_hwm=$(moto_hwm_kib)
    moto_stop
fi

# --- report ---------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN{printf "%.*f×", d, a/b}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a <= b)}'; }
verdict() { if le "$1" "$2"; then echo "ok"; else echo "MISS"; fi; }
s3() { awk -v a="$1" 'BEGIN{printf "%.3f s", a}'; }

pack_r=$(awk -v a="${WALL[pack]}" -v b="${WALL[pack_base]}" 'BEGIN{print a/b}')
val_r=$(awk -v a="${WALL[validate]}" -v b="${WALL[validate_base]}" 'BEGIN{print a/b}')
scan_mbs=$(awk -v b="$dump_bytes" -v t="${WALL[scan]}" 'BEGIN{printf "%.0f", b/t/1e6}')
cat_mbs=$(awk -v b="$dump_bytes" -v t="${WALL[cat]}" 'BEGIN{printf "%.0f", b/t/1e6}')
rss_row() { # label key basekey
    local base="-" r="-"
    if [[ -n "${3:-}" ]]; then
        base="$(mib "${RSS[$3]}") MiB"
        r=$(ratio "${RSS[$2]}" "${RSS[$3]}")
    fi
    printf '| %s | %s MiB | %s | %s | < 100 MiB | %s |\n' "$1" "$(mib "${RSS[$2]}")" "$base" "$r" \
        "$(verdict "${RSS[$2]}" $((100 * 1024 - 1)))"
}

table="$(
    echo "| measure | pgbag | baseline | ratio | target | |"
    echo "|---|---|---|---|---|---|"
    printf '| pack wall (best of %s) | %s | %s (pg_dump \\| zstd -3) | %s | ≤ 1.15× | %s |\n' "$BENCH_RUNS" \
        "$(s3 "${WALL[pack]}")" "$(s3 "${WALL[pack_base]}")" "$(ratio "${WALL[pack]}" "${WALL[pack_base]}" 3)" \
        "$(verdict "$pack_r" 1.15)"
    printf '| pack floor: pg_dump > /dev/null | %s | %s | %s | (info) | |\n' \
        "$(s3 "${WALL[pack]}")" "$(s3 "${WALL[pg_dump_floor]}")" "$(ratio "${WALL[pack]}" "${WALL[pg_dump_floor]}")"
    printf '| pack CPU user+sys (incl. pg_dump) | %s s | %s s | %s | (info) | |\n' \
        "${CPU[pack]}" "${CPU[pack_base]}" "$(ratio "${CPU[pack]}" "${CPU[pack_base]}")"
    printf '| validate wall (best of %s) | %s | %s (zstd -dc \\| sha256sum) | %s | ≤ 1.3× | %s |\n' "$BENCH_RUNS" \
        "$(s3 "${WALL[validate]}")" "$(s3 "${WALL[validate_base]}")" \
        "$(ratio "${WALL[validate]}" "${WALL[validate_base]}" 3)" "$(verdict "$val_r" 1.3)"
    printf '| inspect package, mean | %s ms (%s MB dump) | %s ms (%s MB dump) | %s | < 50 ms | %s |\n' \
        "${MEANMS[inspect]}" "$(mb "$dump_bytes")" "${MEANMS[inspect_small]}" "$(mb "$small_dump_bytes")" \
        "$(ratio "${MEANMS[inspect]}" "${MEANMS[inspect_small]}")" "$(verdict "${MEANMS[inspect]}" 49.999)"
    printf '| scanner: inspect dump.sql | %s MB/s (%s) | %s MB/s (cat) | %s | ≥ 1000 MB/s | %s |\n' \
        "$scan_mbs" "$(s3 "${WALL[scan]}")" "$cat_mbs" "$(ratio "$scan_mbs" "$cat_mbs")" \
        "$(if ((scan_mbs >= 1000)); then echo ok; else echo MISS; fi)"
    printf '| restore wall, --no-verify (best of %s) | %s | %s (psql -f dump.sql) | %s | ≤ 1.05× | %s |\n' "$BENCH_RUNS" \
        "$(s3 "${WALL[restore_noverify]}")" "$(s3 "${WALL[restore_base]}")" \
        "$(ratio "${WALL[restore_noverify]}" "${WALL[restore_base]}" 3)" \
        "$(verdict "$(awk -v a="${WALL[restore_noverify]}" -v b="${WALL[restore_base]}" 'BEGIN{print a/b}')" 1.05)"
    printf '| restore wall, verifying first (default) | %s | %s | %s | (info) | |\n' \
        "$(s3 "${WALL[restore]}")" "$(s3 "${WALL[restore_base]}")" "$(ratio "${WALL[restore]}" "${WALL[restore_base]}" 3)"
    rss_row "peak RSS pack --db (max of pgbag, pg_dump)" pack pack_base
    if [[ -n "${RSS[pack_sql]:-}" ]]; then rss_row "peak RSS pack --sql (pgbag alone)" pack_sql; fi
    rss_row "peak RSS validate" validate validate_base
    rss_row "peak RSS restore (max of pgbag, psql)" restore restore_base
    rss_row "peak RSS inspect package" inspect_rss
    rss_row "peak RSS inspect dump.sql" scan
)"

breakdown=""
if [[ "$BENCH_BREAKDOWN" == 1 ]]; then
    brow() { # label key [bytes]
        local tput=""
        [[ -n "${3:-}" ]] && tput=$(awk -v b="$3" -v t="${WALL[$2]}" 'BEGIN{printf "%.0f MB/s", b/t/1e6}')
        printf '| %s | %s | %s s | %s MiB | %s |\n' "$1" "$(s3 "${WALL[$2]}")" "${CPU[$2]}" "$(mib "${RSS[$2]}")" "$tput"
    }
    breakdown="$(
        echo "| command (page-cached dump.sql / package) | wall | CPU | peak RSS | dump MB/s |"
        echo "|---|---|---|---|---|"
        brow "pgbag pack --db (zstd -3)" pack "$dump_bytes"
        brow "pgbag pack --sql dump.sql (zstd -3)" pack_sql "$dump_bytes"
        brow "pgbag pack --sql dump.sql --compress none" pack_sql_none "$dump_bytes"
        brow "pgbag inspect dump.sql (sha256 + scan + summary)" scan "$dump_bytes"
        brow "pgbag validate (zstd package)" validate "$dump_bytes"
        brow "pgbag validate (--compress none package)" validate_none "$dump_bytes"
        brow "pg_dump > /dev/null" pg_dump_floor "$dump_bytes"
        brow "pg_dump \\| zstd -3 > file" pack_base "$dump_bytes"
        brow "pg_dump \\| zstd -3 > file && sync file" pack_base_sync "$dump_bytes"
        brow "zstd -3 -c dump.sql > /dev/null" zstd3 "$dump_bytes"
        brow "zstd -dc package > /dev/null" zstd_d "$dump_bytes"
        brow "sha256sum dump.sql" sha256sum "$dump_bytes"
        brow "cat dump.sql > /dev/null" cat "$dump_bytes"
    )"
fi

s3_section=""
if [[ "$BENCH_S3" != 0 ]]; then
    srow() { # label local-key s3-key
        printf '| %s | %s | %s | %s | %s MiB | %s MiB | %s |\n' "$1" "$(s3 "${WALL[$2]}")" "$(s3 "${WALL[$3]}")" \
            "$(ratio "${WALL[$3]}" "${WALL[$2]}" 3)" "$(mib "${RSS[$2]}")" "$(mib "${RSS[$3]}")" \
            "$(verdict "${RSS[$3]}" $((100 * 1024 - 1)))"
    }
    s3_section="$(
        echo "Same database, back to back: \`pgbag pack --db … -o DIR/\` against \`-o s3://$bucket/bench/\` on a local"
        echo "moto_server $moto_ver (127.0.0.1, objects in memory; reset before each pack), default --s3-part-size"
        echo "(16 MiB; 2 parts in flight). Package $(mb "$s3_bytes") MB on S3, $(mb "$local_pkg_bytes") MB local."
        echo "The local pack fsyncs its file; the S3 pack reads the object back (validates it, records pgbag-sha256),"
        echo "unless --no-verify-upload, when it ends with CompleteMultipartUpload and the metadata copy."
        echo "RSS is pgbag's (and, for pack, its pg_dump child's); moto_server's own peak RSS was $(mib "$moto_hwm") MiB."
        echo
        echo "| command | local | s3 (moto) | ratio s3/local | local RSS | s3 RSS | < 100 MiB |"
        echo "|---|---|---|---|---|---|---|"
        srow "pack --db, wall best of $BENCH_RUNS" pack_local pack_s3
        srow "pack --db --no-verify-upload, wall best of $BENCH_RUNS" pack_local pack_s3_noverify
        srow "validate, wall best of $BENCH_RUNS" validate_local validate_s3
        printf '| inspect, mean of 20 | %s ms | %s ms | %s | %s MiB | %s MiB | %s |\n' \
            "${MEANMS[inspect_local]}" "${MEANMS[inspect_s3]}" "$(ratio "${MEANMS[inspect_s3]}" "${MEANMS[inspect_local]}" 1)" \
            "$(mib "${RSS[inspect_local_rss]}")" "$(mib "${RSS[inspect_s3_rss]}")" "$(verdict "${RSS[inspect_s3_rss]}" $((100 * 1024 - 1)))"
        echo
        echo "pack CPU user+sys: local ${CPU[pack_local]} s, s3 ${CPU[pack_s3]} s, s3 --no-verify-upload ${CPU[pack_s3_noverify]} s."
        echo "inspect s3 --verbose: $fetched_bytes of $s3_bytes bytes fetched ($(awk -v a="$fetched_bytes" -v b="$s3_bytes" 'BEGIN{printf "%.3f", 100*a/b}')%):"
        echo "\`${fetched_line//$MOTO_ENDPOINT/ENDPOINT}\`"
        if [[ -n "$floor" ]]; then
            echo
            echo "moto's own cost for the same requests, from boto3 in one process (benches/moto_floor.py; no pgbag,"
            echo "no process start): HEAD + one 64 KiB ranged GET $(jq -r .head_range_ms <<<"$floor") ms (best of 10);"
            echo "a full streamed GET $(jq -r .get_s <<<"$floor") s (best of 3); a sequential multipart upload of the"
            echo "package in 16 MiB parts $(jq -r .put_s <<<"$floor") s, of which CompleteMultipartUpload $(jq -r .complete_s <<<"$floor") s (best of 3)."
        fi
    )"
fi

cpu_model=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
{
    echo "# pgbag benchmark results"
    echo
    echo "Generated by \`benches/bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ). Do not edit by hand."
    echo
    echo "- machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)"
    echo "- load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg);" \
        "timed runs that started on a busy machine (other processes): $NOISY"
    echo "- $("$pgbag" --version) (built from $git_rev), $(rustc --version 2>/dev/null || echo 'rustc ?')"
    echo "- $("$bindir/pg_dump" --version), server $(psql_ -d postgres -Atc 'SHOW server_version')"
    echo "- $(zstd --version | sed 's/^\*\*\* //; s/ \*\*\*$//'), $(sha256sum --version | head -1)$(command -v hyperfine >/dev/null && echo ", $(hyperfine --version)")"
    echo "- BENCH_MB=$BENCH_MB, BENCH_RUNS=$BENCH_RUNS; generated in ${gen_s}s"
    echo "- dump.sql: $(mb "$dump_bytes") MB ($dump_bytes bytes), COPY data $(mb "$copy_bytes") MB, $rows_total rows;" \
        "package $(mb "$pkg_bytes") MB, pg_dump | zstd -3: $(mb "$base_bytes") MB;" \
        "small package: $(mb "$small_dump_bytes") MB dump, $(mb "$(fsize "$pkg_small")") MB package"
    echo
    echo "MB = 10^6 bytes, MiB = 2^20 bytes. Wall = best of BENCH_RUNS; RSS = max over runs (GNU time -v; for"
    echo "a pipeline, the largest process; for pack --db, the larger of pgbag and its pg_dump child)."
    echo "inspect = mean of 20 runs$(command -v hyperfine >/dev/null && echo " (hyperfine -N, 3 warmups)")."
    echo "Baselines write without fsync; pgbag fsyncs the package (see the breakdown's \"&& sync\" row)."
    echo "Each timed run starts after \`sync\` and once the machine is idle (up to BENCH_SETTLE_MAX s of waiting)."
    echo
    echo "$table"
    if [[ -n "$breakdown" ]]; then
        echo
        echo "## Breakdown"
        echo
        echo "$breakdown"
    fi
    if [[ -n "$s3_section" ]]; then
        echo
        echo "## S3"
        echo
        echo "$s3_section"
    fi
} >"$BENCH_RESULTS"

echo
cat "$BENCH_RESULTS"
echo
log "wrote $BENCH_RESULTS"
