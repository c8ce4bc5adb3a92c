#!/usr/bin/env bash
# Peak RSS of pgbag on the memory cases of issue 11: one huge statement, and
# a schema.json near its cap. Prints a table and exits 1 if any command's
# peak RSS exceeds MEM_LIMIT_MIB (default 100).
#
#   bash benches/memory.sh                 # 1 GiB statements (~3 min, ~4 GiB of /tmp)
#   MEM_SQL_MIB=64 bash benches/memory.sh  # quick run
#
# Cases:
#   insert     one INSERT whose VALUES list is MEM_SQL_MIB MiB
#   comment    one COMMENT ON TABLE whose string is MEM_SQL_MIB MiB (not an INSERT)
#   schema     a package whose pgbag/schema.json is MEM_SCHEMA_MIB MiB (default
#              15; the cap is 16 MiB, spec/package-format.md §2.1), re-sealed
#              in tagmanifest-sha256.txt so that readers get as far as parsing it
#   tables     a dump of MEM_TABLES tables (default 5,800: a schema.json just
#              under its cap) of eight columns with a sequence, key, index,
#              comment and a row each: packed, inspected, validated, planned
#   tables+    the same shape with 30,000 tables, over the cap: pack refuses
#              it (exit 2) and restore --plan of the bare dump refuses it
#              (exit 3), each after the summary stopped at its cap
# Each statement case is packed twice with `pack --sql` (zstd: a package of
# 36-100 KB for 1 GiB; gzip: 1-1.5 MB), and `pack --sql` itself is measured
# on the zstd run.
#
# Measured, each under GNU time -v ("Maximum resident set size"):
#   pack --sql, inspect, validate, and restore --plan (the verifying pass,
#   against a throwaway local cluster, scripts/pgcluster.sh).
#
# Needs: cargo, PostgreSQL server binaries, GNU time at /usr/bin/time,
# python3, tar, zstd. Builds pgbag with `cargo build --release` unless
# PGBAG is set. Files live in a mktemp dir under /tmp, removed on exit
# (MEM_KEEP=1 keeps them).

set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
sql_mib="${MEM_SQL_MIB:-1024}"
schema_mib="${MEM_SCHEMA_MIB:-15}"
tables="${MEM_TABLES:-5800}"
limit_mib="${MEM_LIMIT_MIB:-100}"

# shellcheck source-path=SCRIPTDIR source=../scripts/pgcluster.sh
source "$repo/scripts/pgcluster.sh"

for tool in /usr/bin/time python3 tar zstd; do
    command -v "$tool" >/dev/null || { echo "memory.sh: $tool is required" >&2; exit 2; }
done

if [[ -z "${PGBAG:-}" ]]; then
    (cd "$repo" && cargo build --release -q)
    PGBAG="$repo/target/release/pgbag"
fi

work="$(mktemp -d /tmp/pgbag-memory.XXXXXXXX)"
remove_work() { [[ "${MEM_KEEP:-}" == 1 ]] && echo "memory.sh: kept $work" >&2 || rm -rf "$work"; }
PGCLUSTER_EXIT_HOOKS+=(remove_work)
pgcluster_start pgbag-memory-pg

# A complete plain dump (pg_dump 15's shape) around one statement of
# $2 MiB, written to $1. $3: insert | comment.
make_dump() {
    python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, mib, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = (b"--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n"
        b"-- Dumped by pg_dump version 15.18\n\nSET client_encoding = 'UTF8';\n"
        b"SET standard_conforming_strings = on;\n\n"
        b"--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (a integer);\n\n")
foot = b"\n--\n-- PostgreSQL database dump complete\n--\n\n"
chunk_mib = 4
with open(path, "wb") as f:
    f.write(head)
    if kind == "insert":
        f.write(b"--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nINSERT INTO public.t VALUES (1)")
        piece = b", (1)" * (chunk_mib * 1024 * 1024 // 5)
        tail = b";\n"
    else:
        f.write(b"--\n-- Name: TABLE t; Type: COMMENT; Schema: public; Owner: -\n--\n\nCOMMENT ON TABLE public.t IS '")
        piece = b"x" * (chunk_mib * 1024 * 1024)
        tail = b"';\n"
    for _ in range(max(1, mib // chunk_mib)):
        f.write(piece)
    f.write(tail)
    f.write(foot)
EOF
}

results=()
failed=0

# measure CASE COMMAND ARGS...: runs under GNU time -v, records peak RSS.
measure() {
    local case="$1"; shift
    local what="${1}"
    local tf="$work/time.txt" ef="$work/stderr.txt" rc=0
    /usr/bin/time -v -o "$tf" "$PGBAG" "$@" >/dev/null 2>"$ef" || rc=$?
    local kib wall
    kib=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tf")
    local mib=$(( (kib + 1023) / 1024 ))
    local verdict=ok
    if (( mib > limit_mib )); then verdict="OVER"; failed=1; fi
    local exit_note="exit $rc"
    if (( rc != 0 )); then exit_note="exit $rc: $(grep -m1 -oE '(error(\[[a-z-]+\])?: .*)' "$ef" | sed "s|$work/||g" | cut -c1-110 || true)"; fi
    results+=("$(printf '| %-12s | %-8s | %7s | %9s | %-4s | %s |' "$case" "$what" "$mib" "$wall" "$verdict" "$exit_note")")
}

plan_target="host=$PGHOST port=$PGPORT user=postgres dbname=pgbag_memory_plan"

for kind in insert comment; do
    sql="$work/$kind.sql"
    echo "memory.sh: writing $sql ($sql_mib MiB)" >&2
    make_dump "$sql" "$sql_mib" "$kind"
    for comp in zstd gzip; do
        pkg="$work/$kind.tar.$([[ $comp == zstd ]] && echo zst || echo gz)"
        if [[ $comp == zstd ]]; then
            measure "$kind" pack -q --sql "$sql" -o "$pkg" --compress "$comp"
        else
            "$PGBAG" pack -q --sql "$sql" -o "$pkg" --compress "$comp" >/dev/null
        fi
        echo "memory.sh: $pkg is $(stat -c %s "$pkg") bytes" >&2
        measure "$kind/$comp" inspect "$pkg"
        measure "$kind/$comp" validate -q "$pkg"
        measure "$kind/$comp" restore "$pkg" --plan --target "$plan_target" --create
    done
    rm -f "$sql"
done

# Many tables, in pg_dump's shape: $2 tables written to $1.
make_tables() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    w = f.write
    w("--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n"
      "-- Dumped by pg_dump version 15.18\n\nSET client_encoding = 'UTF8';\n"
      "SET standard_conforming_strings = on;\n\n")
    for i in range(n):
        s, t = f"tenant{i // 50}", f"records_{i % 50}"
        if i % 50 == 0:
            w(f"CREATE SCHEMA {s};\n\nALTER SCHEMA {s} OWNER TO app;\n\n")
        w(f"--\n-- Name: {t}; Type: TABLE; Schema: {s}; Owner: app\n--\n\n"
          f"CREATE TABLE {s}.{t} (\n    id bigint NOT NULL,\n    name character varying(255) NOT NULL,\n"
          "    description text,\n    created_at timestamp without time zone NOT NULL,\n"
          "    updated_at timestamp without time zone NOT NULL,\n    owner_id bigint,\n"
          "    status integer DEFAULT 0 NOT NULL,\n    metadata jsonb DEFAULT '{}'::jsonb\n);\n\n"
          f"ALTER TABLE {s}.{t} OWNER TO app;\n\nCOMMENT ON TABLE {s}.{t} IS 'Records of kind {i % 50}';\n\n"
          f"CREATE SEQUENCE {s}.{t}_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\n\n"
          f"ALTER SEQUENCE {s}.{t}_id_seq OWNED BY {s}.{t}.id;\n\n"
          f"ALTER TABLE ONLY {s}.{t} ALTER COLUMN id SET DEFAULT nextval('{s}.{t}_id_seq'::regclass);\n\n"
          f"--\n-- Data for Name: {t}; Type: TABLE DATA; Schema: {s}; Owner: app\n--\n\n"
          f"COPY {s}.{t} (id, name, description, created_at, updated_at, owner_id, status, metadata) FROM stdin;\n"
          "1\tx\t\\N\t2020-01-01 00:00:00\t2020-01-01 00:00:00\t\\N\t0\t{}\n\\.\n\n"
          f"SELECT pg_catalog.setval('{s}.{t}_id_seq', 1, true);\n\n"
          f"ALTER TABLE ONLY {s}.{t}\n    ADD CONSTRAINT {t}_pkey PRIMARY KEY (id);\n\n"
          f"CREATE INDEX {t}_owner_id ON {s}.{t} USING btree (owner_id);\n\n")
    w("--\n-- PostgreSQL database dump complete\n--\n\n")
EOF
}

echo "memory.sh: writing a dump of $tables tables" >&2
make_tables "$work/tables.sql" "$tables"
measure tables pack -q --sql "$work/tables.sql" -o "$work/tables.tar.zst"
echo "memory.sh: tables.tar.zst is $(stat -c %s "$work/tables.tar.zst") bytes" >&2
measure tables inspect "$work/tables.tar.zst"
measure tables validate -q "$work/tables.tar.zst"
measure tables restore "$work/tables.tar.zst" --plan --target "$plan_target" --create
make_tables "$work/tables-over.sql" 30000
measure tables+ pack -q --sql "$work/tables-over.sql" -o "$work/tables-over.tar.zst"
measure tables+ inspect "$work/tables-over.sql"
measure tables+ restore "$work/tables-over.sql" --plan --target "$plan_target" --create
rm -f "$work/tables.sql" "$work/tables-over.sql"

# schema.json near its cap: a small package whose summary is padded with
# tables that are not in the dump, re-sealed.
echo "memory.sh: building a package with a $schema_mib MiB schema.json" >&2
bag="$("$PGBAG" pack -q --sql "$repo/samples/dumps/fixture.sql" -o "$work/" --dir --created-at 2026-01-01T00:00:00Z)"
python3 - "$bag" "$schema_mib" <<'EOF'
import hashlib, json, os, sys
bag, mib = sys.argv[1], int(sys.argv[2])
path = os.path.join(bag, "pgbag", "schema.json")
s = json.load(open(path))
model = dict(s["tables"][0])
target = mib * 1024 * 1024
with open(path, "w") as f:
    s["tables"] = []
    text = json.dumps(s)
    i = text.index('"tables": []') + len('"tables": [')
    f.write(text[:i])
    written, n = i, 0
    while written < target - len(text):
        # Random names: a summary this size that compresses like a bomb
        # would be refused before it is parsed.
        model["name"] = "padding_%09d_%s" % (n, os.urandom(24).hex())
        row = ("," if n else "") + json.dumps(model)
        f.write(row)
        written += len(row)
        n += 1
    f.write(text[i:])
tm = os.path.join(bag, "tagmanifest-sha256.txt")
lines = []
for line in open(tm):
    digest, name = line.rstrip("\n").split("  ", 1)
    if name == "pgbag/schema.json":
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    lines.append(f"{digest}  {name}\n")
open(tm, "w").writelines(lines)
EOF
schema_pkg="$work/$(basename "$bag").tar.zst"
# In the order pgbag writes (the tag files first), taken from a tar of the
# same dump.
order_pkg="$("$PGBAG" pack -q --sql "$repo/samples/dumps/fixture.sql" -o "$work/order.tar" --compress none --created-at 2026-01-01T00:00:00Z)"
tar -tf "$order_pkg" | sed "s|^[^/]*|$(basename "$bag")|" >"$work/order.txt"
tar -C "$(dirname "$bag")" --no-recursion -cf - -T "$work/order.txt" | zstd -q -3 -o "$schema_pkg"
echo "memory.sh: $schema_pkg is $(stat -c %s "$schema_pkg") bytes, schema.json $(stat -c %s "$bag/pgbag/schema.json") bytes" >&2
measure schema inspect "$schema_pkg"
measure schema validate -q "$schema_pkg"
measure schema restore "$schema_pkg" --plan --target "$plan_target" --create

echo
echo "Peak RSS, limit $limit_mib MiB ($("$PGBAG" --version); statements of $sql_mib MiB, schema.json of $schema_mib MiB, $tables tables):"
echo
echo "| case         | command  | RSS MiB | wall      | ok?  | result |"
echo "|--------------|----------|---------|-----------|------|--------|"
printf '%s\n' "${results[@]}"
if (( failed )); then
    echo
    echo "memory.sh: some commands exceeded $limit_mib MiB" >&2
    exit 1
fi
