#!/usr/bin/env python3
"""Regenerate samples/packages/: one good package and deliberately broken ones.

Usage: python3 samples/make-packages.py [PGBAG_BINARY]
(default: target/release/pgbag, then target/debug/pgbag)

Every package is built from samples/dumps/fixture.sql with a fixed
--created-at, so the good one is byte-for-byte reproducible; the broken ones
are derived from it by rewriting the tar with Python's tarfile (gzip-compressed,
since Python's standard library has no zstd). tests/it/samples.rs checks each
one gives the finding named in samples/README.md.
"""
import gzip
import io
import json
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "packages")
CREATED = "2026-01-01T00:00:00Z"
NAME = "fixture-20260101T000000Z"


def pgbag_binary():
    if len(sys.argv) > 1:
        return sys.argv[1]
    for p in ("target/release/pgbag", "target/debug/pgbag"):
        if os.path.exists(os.path.join(ROOT, p)):
            return os.path.join(ROOT, p)
    sys.exit("build pgbag first (cargo build --release)")


# The dump's modification time as the packages record it (pack records the
# --sql input's mtime): fixed, so that the packages do not depend on when
# the repository was checked out. tests/it/samples.rs packs it so too.
INPUT_MTIME = 1767225600  # 2026-01-01T00:00:00Z, the same as CREATED


def pack(binary, sql, out, *extra):
    if os.path.exists(out):
        os.remove(out)
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(sql))
        with open(sql, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read())
        os.utime(copy, (INPUT_MTIME, INPUT_MTIME))
        subprocess.run([binary, "pack", "--sql", copy, "-o", out, "--created-at", CREATED,
                        "--name", NAME, "-q", *extra], check=True, stdout=subprocess.DEVNULL)


def read_members(path):
    """[(TarInfo, bytes or None)] in archive order."""
    with tarfile.open(path, "r:*") as t:
        return [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]


def write_gz(path, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for info, data in members:
            info = tarfile.TarInfo(info.name) if isinstance(info, str) else info
            if data is not None:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    with open(path, "wb") as f:
        f.write(gzip.compress(buf.getvalue(), mtime=0))


def replace(members, rel, data):
    return [(m, data if m.name == f"{NAME}/{rel}" else d) for m, d in members]


def file_info(rel, like):
    info = tarfile.TarInfo(f"{NAME}/{rel}")
    info.mode, info.mtime = like.mode, like.mtime
    return info


def main():
    binary = pgbag_binary()
    os.makedirs(OUT, exist_ok=True)
    fixture = os.path.join(HERE, "dumps", "fixture.sql")
    good = os.path.join(OUT, "good.tar.zst")
    pack(binary, fixture, good)

    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "good.tar")
        pack(binary, fixture, plain, "--compress", "none")
        members = read_members(plain)
        by_name = {m.name: d for m, d in members}
        dump = by_name[f"{NAME}/data/dump.sql"]

        # checksum mismatch: one byte of the dump changed, manifests untouched.
        i = dump.index(b"One thousand generated books")
        flipped = dump[:i] + b"o" + dump[i + 1:]
        write_gz(os.path.join(OUT, "broken-checksum.tar.gz"), replace(members, "data/dump.sql", flipped))

        # truncated: the good zstd package cut at 60% of its length.
        with open(good, "rb") as f:
            data = f.read()
        with open(os.path.join(OUT, "broken-truncated.tar.zst"), "wb") as f:
            f.write(data[: len(data) * 6 // 10])

        # missing file: data/dump.sql left out.
        write_gz(os.path.join(OUT, "broken-missing-file.tar.gz"),
                 [(m, d) for m, d in members if not m.name.endswith("data/dump.sql")])

        # extra payload file: data/extra.sql not in any manifest.
        like = members[-1][0]
        write_gz(os.path.join(OUT, "broken-extra-file.tar.gz"),
                 members + [(file_info("data/extra.sql", like), b"SELECT 1;\n")])

        # path traversal: an entry that climbs out of the bag.
        evil = tarfile.TarInfo(f"{NAME}/../../evil.txt")
        evil.mode, evil.mtime = like.mode, like.mtime
        write_gz(os.path.join(OUT, "broken-path-traversal.tar.gz"), members + [(evil, b"owned\n")])

        # future format version, with the tag manifest updated so that the
        # version is the only problem.
        manifest = json.loads(by_name[f"{NAME}/pgbag/manifest.json"])
        manifest["format_version"] = 99
        mj = (json.dumps(manifest, indent=2) + "\n").encode()
        tag = by_name[f"{NAME}/tagmanifest-sha256.txt"].decode()
        old = hashlib.sha256(by_name[f"{NAME}/pgbag/manifest.json"]).hexdigest()
        tag = tag.replace(old, hashlib.sha256(mj).hexdigest()).encode()
        future = replace(replace(members, "pgbag/manifest.json", mj), "tagmanifest-sha256.txt", tag)
        write_gz(os.path.join(OUT, "broken-future-version.tar.gz"), future)

        # unterminated COPY: the dump cut inside public.books' data, packaged
        # with --allow-incomplete (as a careless script would).
        cut = dump.index(b"COPY public.books ")
        cut = dump.index(b"\n", dump.index(b"\n", cut) + 2000) + 1
        cut_sql = os.path.join(tmp, "cut.sql")
        with open(cut_sql, "wb") as f:
            f.write(dump[:cut])
        pack(binary, cut_sql, os.path.join(OUT, "broken-unterminated-copy.tar.zst"), "--allow-incomplete")

    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(os.path.join(OUT, name)):>8}  samples/packages/{name}")


if __name__ == "__main__":
    main()
