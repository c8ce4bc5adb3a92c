//! The corruption matrix (issue 5): each way a package can be damaged in
//! storage or in transit, applied to a real package, must be caught by
//! `validate` with exit 1 and a finding code specific to that damage, and no
//! pgbag command may panic over it.
//!
//! The packages are packed from `samples/dumps/fixture.sql` in each
//! compression, then damaged at the level the damage happens: bytes of the
//! file as stored (the compressed stream, or a plain tar), bytes of the
//! decoded tar (compressed again afterwards), or the tar's entries (written
//! and compressed again). Edits of a tag file's content also fix up
//! `tagmanifest-sha256.txt`, as a careless tool would, so that only the edited
//! fact is wrong.
//!
//! The matrix has 60 rows, all detected (the count is asserted below and
//! quoted in spec/findings.md).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use pgbag::package::compress::{Compression, open_decoded};
use pgbag::stream::sha256_hex;

use crate::common::*;

/// The bag's top-level folder: `pack --sql fixture.sql --created-at CREATED`.
const ROOT: &str = "fixture-20260101T000000Z";

/// The kinds of damage the issue names. Every kind has its own finding code;
/// rows of one kind differ in where the damage is (which tag file, which
/// compression, which header field, where the file was cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Damage {
    PayloadBit,
    TagFileBit,
    CompressedStreamBit,
    TarHeaderBit,
    Truncated,
    PayloadMissing,
    PayloadExtra,
    ManifestMissing,
    DuplicateEntry,
    OutOfOrder,
    WrongSize,
    PayloadOxum,
    SchemaRows,
    FutureVersion,
    TagFileNotUtf8,
}

type Entries = Vec<(tar::Header, Vec<u8>)>;

enum Mutation {
    /// Applied to the package file as stored.
    File(fn(&mut [u8])),
    /// Applied to the decoded tar, which is then compressed again.
    Tar(fn(&mut [u8])),
    /// Applied to the tar's entries, which are then written and compressed again.
    Entries(fn(&mut Entries)),
    /// Keeps the first `len * n / 1000` bytes of the package file.
    CutPermille(usize),
    /// Drops the last `n` bytes of the package file.
    CutBack(usize),
    /// Keeps the bytes of the package file before the offset found.
    CutAt(fn(&[u8]) -> usize),
}

struct Row {
    name: &'static str,
    damage: Damage,
    /// The compression of the package the damage is done to.
    from: Compression,
    mutation: Mutation,
    /// The finding `validate` must report...
    code: &'static str,
    /// ...and the file it must name, when it names one.
    at: Option<&'static str>,
}

use Compression::{Gzip, None as Plain, Zstd};
use Damage::*;
use Mutation::*;

const fn row(
    name: &'static str,
    damage: Damage,
    from: Compression,
    mutation: Mutation,
    code: &'static str,
    at: Option<&'static str>,
) -> Row {
    Row { name, damage, from, mutation, code, at }
}

const TRUNCATED: &str = "tar-truncated";

// One row a line: a table reads better than rustfmt's one argument a line.
#[rustfmt::skip]
const ROWS: &[Row] = &[
    // A flipped bit in the payload, in each tag file pgbag reads, in the
    // compressed stream, and in a tar header.
    row("bit in a COPY row of data/dump.sql", PayloadBit, Zstd, Tar(flip_payload), "payload-checksum-mismatch", Some("data/dump.sql")),
    row("bit in bag-info.txt", TagFileBit, Zstd, Tar(flip_bag_info), "tag-checksum-mismatch", Some("bag-info.txt")),
    row("bit in manifest-sha256.txt", TagFileBit, Zstd, Tar(flip_manifest_txt), "tag-checksum-mismatch", Some("manifest-sha256.txt")),
    row("bit in pgbag/manifest.json", TagFileBit, Zstd, Tar(flip_manifest_json), "tag-checksum-mismatch", Some("pgbag/manifest.json")),
    row("bit in pgbag/schema.json", TagFileBit, Zstd, Tar(flip_schema_json), "tag-checksum-mismatch", Some("pgbag/schema.json")),
    row("bit in pgbag/README.txt", TagFileBit, Gzip, Tar(flip_readme), "tag-checksum-mismatch", Some("pgbag/README.txt")),
    row("zstd: bit in the head frame", CompressedStreamBit, Zstd, File(flip_head_frame), "compressed-stream-corrupt", None),
    row("zstd: bit mid-way through the tail frame", CompressedStreamBit, Zstd, File(flip_tail_middle), "compressed-stream-corrupt", None),
    row("zstd: bit in the frame checksum", CompressedStreamBit, Zstd, File(flip_last_byte), "compressed-stream-corrupt", None),
    row("gzip: bit in the head member", CompressedStreamBit, Gzip, File(flip_head_frame), "compressed-stream-corrupt", None),
    row("gzip: bit mid-way through the tail member", CompressedStreamBit, Gzip, File(flip_tail_middle), "compressed-stream-corrupt", None),
    row("gzip: bit in the CRC32", CompressedStreamBit, Gzip, File(flip_gzip_crc), "compressed-stream-corrupt", None),
    row("gzip: bit in ISIZE", CompressedStreamBit, Gzip, File(flip_last_byte), "compressed-stream-corrupt", None),
    row("tar header: bit in the checksum field", TarHeaderBit, Plain, File(flip_header_cksum), "tar-header-checksum-mismatch", None),
    row("tar header: bit in the name field", TarHeaderBit, Plain, File(flip_header_name), "tar-header-checksum-mismatch", None),
    row("tar header: bit in the size field", TarHeaderBit, Zstd, Tar(flip_header_size), "tar-header-checksum-mismatch", None),
    row("tar header: bit in the mode field", TarHeaderBit, Gzip, Tar(flip_header_mode), "tar-header-checksum-mismatch", None),
    // Truncation at 10 points in each compression: across the file, and in
    // the trailers (zstd's frame checksum, gzip's CRC32 and ISIZE, tar's
    // end-of-archive blocks).
    row("zstd cut at 2%", Truncated, Zstd, CutPermille(20), TRUNCATED, None),
    row("zstd cut at 10%", Truncated, Zstd, CutPermille(100), TRUNCATED, None),
    row("zstd cut at 25%", Truncated, Zstd, CutPermille(250), TRUNCATED, None),
    row("zstd cut at 40%", Truncated, Zstd, CutPermille(400), TRUNCATED, None),
    row("zstd cut at 55%", Truncated, Zstd, CutPermille(550), TRUNCATED, None),
    row("zstd cut at 70%", Truncated, Zstd, CutPermille(700), TRUNCATED, None),
    row("zstd cut at 90%", Truncated, Zstd, CutPermille(900), TRUNCATED, None),
    row("zstd: frame checksum missing", Truncated, Zstd, CutBack(4), TRUNCATED, None),
    row("zstd: cut inside the frame checksum", Truncated, Zstd, CutBack(2), TRUNCATED, None),
    row("zstd: last byte missing", Truncated, Zstd, CutBack(1), TRUNCATED, None),
    row("gzip cut at 2%", Truncated, Gzip, CutPermille(20), TRUNCATED, None),
    row("gzip cut at 10%", Truncated, Gzip, CutPermille(100), TRUNCATED, None),
    row("gzip cut at 25%", Truncated, Gzip, CutPermille(250), TRUNCATED, None),
    row("gzip cut at 40%", Truncated, Gzip, CutPermille(400), TRUNCATED, None),
    row("gzip cut at 55%", Truncated, Gzip, CutPermille(550), TRUNCATED, None),
    row("gzip cut at 70%", Truncated, Gzip, CutPermille(700), TRUNCATED, None),
    row("gzip cut at 90%", Truncated, Gzip, CutPermille(900), TRUNCATED, None),
    row("gzip: trailer missing", Truncated, Gzip, CutBack(8), TRUNCATED, None),
    row("gzip: cut inside the CRC32", Truncated, Gzip, CutBack(6), TRUNCATED, None),
    row("gzip: cut inside ISIZE", Truncated, Gzip, CutBack(2), TRUNCATED, None),
    row("tar cut at 2%", Truncated, Plain, CutPermille(20), TRUNCATED, None),
    row("tar cut at 10%", Truncated, Plain, CutPermille(100), TRUNCATED, None),
    row("tar cut at 25%", Truncated, Plain, CutPermille(250), TRUNCATED, None),
    row("tar cut at 40%", Truncated, Plain, CutPermille(400), TRUNCATED, None),
    row("tar cut at 55%", Truncated, Plain, CutPermille(550), TRUNCATED, None),
    row("tar cut at 70%", Truncated, Plain, CutPermille(700), TRUNCATED, None),
    row("tar cut at 90%", Truncated, Plain, CutPermille(900), TRUNCATED, None),
    row("tar: end-of-archive blocks missing", Truncated, Plain, CutBack(1024), TRUNCATED, None),
    row("tar: cut inside the end-of-archive blocks", Truncated, Plain, CutBack(300), TRUNCATED, None),
    row("tar: cut mid-way through a header", Truncated, Plain, CutAt(in_dump_header), TRUNCATED, None),
    // Structure.
    row("data/dump.sql removed", PayloadMissing, Zstd, Entries(remove_dump), "payload-missing", Some("data/dump.sql")),
    row("data/extra.sql added", PayloadExtra, Zstd, Entries(add_payload_file), "payload-unlisted", Some("data/extra.sql")),
    row("manifest-sha256.txt removed", ManifestMissing, Zstd, Entries(remove_manifest_txt), "manifest-missing", Some("manifest-sha256.txt")),
    row("bag-info.txt twice", DuplicateEntry, Zstd, Entries(duplicate_bag_info), "tar-duplicate-entry", None),
    row("data/dump.sql twice", DuplicateEntry, Gzip, Entries(duplicate_dump), "tar-duplicate-entry", None),
    row("data/ before the tag files", OutOfOrder, Zstd, Entries(payload_first), "tar-order", Some("bagit.txt")),
    row("schema.json before manifest.json", OutOfOrder, Zstd, Entries(swap_manifest_and_schema), "tar-order", Some("pgbag/manifest.json")),
    // Recorded facts that disagree with the payload.
    row("manifest.json: dump.sql one byte longer", WrongSize, Zstd, Entries(wrong_size_in_manifest_json), "manifest-json-mismatch", Some("pgbag/manifest.json")),
    row("Payload-Oxum: one octet more", PayloadOxum, Zstd, Entries(oxum_octets), "payload-oxum-mismatch", Some("bag-info.txt")),
    row("Payload-Oxum: two files", PayloadOxum, Zstd, Entries(oxum_count), "payload-oxum-mismatch", Some("bag-info.txt")),
    row("schema.json: a table one row short", SchemaRows, Zstd, Entries(schema_rows), "rows-mismatch", Some("pgbag/schema.json")),
    row("format_version 2", FutureVersion, Zstd, Entries(future_version), "format-version-unsupported", Some("pgbag/manifest.json")),
    row("bag-info.txt in Latin-1", TagFileNotUtf8, Zstd, Entries(latin1_bag_info), "tag-file-not-utf8", Some("bag-info.txt")),
];

#[test]
fn every_row_of_the_corruption_matrix_is_detected() {
    // The figure quoted in the module doc and in spec/findings.md.
    assert_eq!(ROWS.len(), 60);
    // Each kind of damage has a code of its own.
    for a in ROWS {
        for b in ROWS {
            assert!(a.damage == b.damage || a.code != b.code, "{} and {} share {}", a.name, b.name, a.code);
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let good = |c: Compression| {
        let out = dir.path().join(c.name());
        fs::create_dir(&out).unwrap();
        fs::read(pack_sql(&fixture_dump(), &out, &["--compress", c.name()])).unwrap()
    };
    let packages = [(Zstd, good(Zstd)), (Gzip, good(Gzip)), (Plain, good(Plain))];

    let mut failures = Vec::new();
    for (i, row) in ROWS.iter().enumerate() {
        let good = &packages.iter().find(|(c, _)| *c == row.from).unwrap().1;
        let bytes = damage(row, good);
        assert_ne!(&bytes, good, "{}: the mutation changed nothing", row.name);
        let path = dir.path().join(format!("row{i}{}", row.from.tar_suffix()));
        fs::write(&path, &bytes).unwrap();
        if let Err(why) = check(row, &path) {
            failures.push(format!("{} ({:?}, {}): {why}", row.name, row.damage, row.from.name()));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), ROWS.len(), failures.join("\n"));
}

/// The package `row` describes, damaged.
fn damage(row: &Row, good: &[u8]) -> Vec<u8> {
    let mut bytes = good.to_vec();
    match &row.mutation {
        File(f) => f(&mut bytes),
        CutPermille(n) => bytes.truncate(good.len() * n / 1000),
        CutBack(n) => bytes.truncate(good.len() - n),
        CutAt(f) => bytes.truncate(f(good)),
        Tar(f) => {
            let mut tar = decode(good);
            f(&mut tar);
            bytes = encode(&tar, row.from);
        }
        Entries(f) => {
            let mut entries = entries(&decode(good));
            f(&mut entries);
            bytes = encode(&build(entries), row.from);
        }
    }
    bytes
}

/// Runs `validate` and `inspect` on a damaged package and judges the result.
fn check(row: &Row, path: &Path) -> Result<(), String> {
    let out = pgbag().args(["validate", "--json"]).arg(path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("panicked") {
        return Err(format!("validate panicked: {stderr}"));
    }
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("no JSON report ({e}); stderr: {stderr}"))?;
    let found: Vec<(String, Option<String>)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["path"].as_str().map(String::from)))
        .collect();
    if out.status.code() != Some(1) || report["valid"] != false {
        return Err(format!("exit {:?}, valid {}, findings {found:?}", out.status.code(), report["valid"]));
    }
    if !found.iter().any(|(code, at)| code == row.code && (row.at.is_none() || at.as_deref() == row.at)) {
        return Err(format!("expected {} at {:?}, found {found:?}", row.code, row.at));
    }
    // Every row has a specific code: the generic one would say less.
    if found.iter().any(|(code, _)| code == "tar-corrupt") {
        return Err(format!("the generic tar-corrupt besides {}: {found:?}", row.code));
    }
    // Only a damaged stream is blamed on the stream (a cut one is truncated).
    if row.damage != CompressedStreamBit && found.iter().any(|(code, _)| code == "compressed-stream-corrupt") {
        return Err(format!("compressed-stream-corrupt besides {}: {found:?}", row.code));
    }
    // Reading the head must fail cleanly too, whatever it concludes.
    let out = pgbag().args(["inspect", "--json"]).arg(path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("panicked") || out.status.code() == Some(101) {
        return Err(format!("inspect panicked: {stderr}"));
    }
    Ok(())
}

// Package bytes and tar entries.

fn decode(package: &[u8]) -> Vec<u8> {
    let (mut r, _) = open_decoded(package).unwrap();
    let mut tar = Vec::new();
    r.read_to_end(&mut tar).unwrap();
    tar
}

fn encode(tar: &[u8], c: Compression) -> Vec<u8> {
    let mut e = c.encoder(Vec::new(), c.default_level()).unwrap();
    e.write_all(tar).unwrap();
    e.finish().unwrap()
}

fn entries(tar: &[u8]) -> Entries {
    let mut a = tar::Archive::new(tar);
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.header().clone(), data)
        })
        .collect()
}

fn build(entries: Entries) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (mut h, data) in entries {
        h.set_size(data.len() as u64);
        h.set_cksum();
        b.append(&h, &data[..]).unwrap();
    }
    b.into_inner().unwrap()
}

/// Where the entry `rel` (below the bag root) starts: its header's offset.
fn header_of(tar: &[u8], rel: &str) -> usize {
    let mut a = tar::Archive::new(tar);
    let e = a.entries().unwrap().map(Result::unwrap).find(|e| e.path_bytes() == format!("{ROOT}/{rel}").as_bytes());
    e.unwrap_or_else(|| panic!("no {rel}")).raw_header_position() as usize
}

/// The offset of `needle` inside the data of entry `rel`.
fn in_entry(tar: &[u8], rel: &str, needle: &str) -> usize {
    let start = header_of(tar, rel) + 512;
    start + find(&tar[start..], needle.as_bytes())
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)))
}

fn rfind(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).rposition(|w| w == needle).expect("found")
}

fn index(e: &Entries, rel: &str) -> usize {
    let path = format!("{ROOT}/{rel}");
    e.iter().position(|(h, _)| h.path_bytes() == path.as_bytes()).unwrap_or_else(|| panic!("no {rel}"))
}

/// Replaces `from` by `to` in tag file `rel` and records the new checksum in
/// the tag manifest, so that only the edited fact is wrong.
fn edit_tag(e: &mut Entries, rel: &str, from: &[u8], to: &[u8]) {
    let i = index(e, rel);
    let old = e[i].1.clone();
    let at = find(&old, from);
    let new = [&old[..at], to, &old[at + from.len()..]].concat();
    let tm = index(e, "tagmanifest-sha256.txt");
    let manifest = String::from_utf8(e[tm].1.clone()).unwrap();
    assert!(manifest.contains(&sha256_hex(&old)), "{rel} is in the tag manifest");
    e[tm].1 = manifest.replace(&sha256_hex(&old), &sha256_hex(&new)).into_bytes();
    e[i].1 = new;
}

// The mutations.

fn flip_payload(tar: &mut [u8]) {
    let at = in_entry(tar, "data/dump.sql", "COPY public.books ") + 300;
    tar[at] ^= 0x01;
}

fn flip_bag_info(tar: &mut [u8]) {
    // "Plain-SQL" becomes "plain-SQL": still a valid bag-info.txt.
    let at = in_entry(tar, "bag-info.txt", "Plain-SQL");
    tar[at] ^= 0x20;
}

fn flip_manifest_txt(tar: &mut [u8]) {
    // The first hex digit of the dump's checksum: a well-formed line naming
    // another SHA-256.
    let at = header_of(tar, "manifest-sha256.txt") + 512 + 1;
    tar[at] ^= 0x01;
}

fn flip_manifest_json(tar: &mut [u8]) {
    let at = in_entry(tar, "pgbag/manifest.json", "\"fixture.sql\"") + 1;
    tar[at] ^= 0x20;
}

fn flip_schema_json(tar: &mut [u8]) {
    let at = in_entry(tar, "pgbag/schema.json", "\"summary_version\"") + 3;
    tar[at] ^= 0x20;
}

fn flip_readme(tar: &mut [u8]) {
    let at = in_entry(tar, "pgbag/README.txt", "sha256sum");
    tar[at] ^= 0x20;
}

/// The last frame (zstd) or member (gzip) of a package: the dump's.
fn tail_start(package: &[u8]) -> usize {
    match Compression::detect(package) {
        Zstd => rfind(package, &[0x28, 0xB5, 0x2F, 0xFD]),
        Gzip => rfind(package, &[0x1F, 0x8B, 0x08]),
        Plain => unreachable!("not compressed"),
    }
}

fn flip_head_frame(p: &mut [u8]) {
    let at = tail_start(p) / 2;
    p[at] ^= 0x10;
}

fn flip_tail_middle(p: &mut [u8]) {
    let at = (tail_start(p) + p.len()) / 2;
    p[at] ^= 0x10;
}

fn flip_last_byte(p: &mut [u8]) {
    let at = p.len() - 1;
    p[at] ^= 0x01;
}

fn flip_gzip_crc(p: &mut [u8]) {
    let at = p.len() - 6;
    p[at] ^= 0x01;
}

fn flip_header_cksum(tar: &mut [u8]) {
    // An octal digit of the checksum (bytes 148..156), still an octal digit.
    let at = header_of(tar, "data/dump.sql") + 150;
    tar[at] ^= 0x01;
}

fn flip_header_name(tar: &mut [u8]) {
    let at = header_of(tar, "data/dump.sql") + ROOT.len() + "/data/".len();
    tar[at] ^= 0x01;
}

fn flip_header_size(tar: &mut [u8]) {
    // The size field (bytes 124..136): the highest octal digit that is set.
    let h = header_of(tar, "data/dump.sql");
    let at = h + 124 + tar[h + 124..h + 136].iter().position(|&b| b != b'0').unwrap();
    tar[at] ^= 0x01;
}

fn flip_header_mode(tar: &mut [u8]) {
    let at = header_of(tar, "pgbag/schema.json") + 100 + 5;
    tar[at] ^= 0x02;
}

fn in_dump_header(tar: &[u8]) -> usize {
    header_of(tar, "data/dump.sql") + 256
}

fn remove_dump(e: &mut Entries) {
    e.remove(index(e, "data/dump.sql"));
}

fn add_payload_file(e: &mut Entries) {
    let mut h = e[index(e, "data/dump.sql")].0.clone();
    h.set_path(format!("{ROOT}/data/extra.sql")).unwrap();
    e.push((h, b"SELECT 1;\n".to_vec()));
}

fn remove_manifest_txt(e: &mut Entries) {
    e.remove(index(e, "manifest-sha256.txt"));
}

fn duplicate_bag_info(e: &mut Entries) {
    let i = index(e, "bag-info.txt");
    e.insert(i + 1, e[i].clone());
}

fn duplicate_dump(e: &mut Entries) {
    e.push(e[index(e, "data/dump.sql")].clone());
}

fn payload_first(e: &mut Entries) {
    let data = e.split_off(index(e, "data/"));
    e.splice(1..1, data);
}

fn swap_manifest_and_schema(e: &mut Entries) {
    let (m, s) = (index(e, "pgbag/manifest.json"), index(e, "pgbag/schema.json"));
    e.swap(m, s);
}

fn wrong_size_in_manifest_json(e: &mut Entries) {
    edit_tag(e, "pgbag/manifest.json", b"\"bytes\": 55390", b"\"bytes\": 55391");
}

fn oxum_octets(e: &mut Entries) {
    edit_tag(e, "bag-info.txt", b"Payload-Oxum: 55390.1", b"Payload-Oxum: 55391.1");
}

fn oxum_count(e: &mut Entries) {
    edit_tag(e, "bag-info.txt", b"Payload-Oxum: 55390.1", b"Payload-Oxum: 55390.2");
}

fn schema_rows(e: &mut Entries) {
    edit_tag(e, "pgbag/schema.json", b"\"rows\": 1000", b"\"rows\": 999");
}

fn future_version(e: &mut Entries) {
    edit_tag(e, "pgbag/manifest.json", b"\"format_version\": 1", b"\"format_version\": 2");
}

fn latin1_bag_info(e: &mut Entries) {
    // "dump" with an ISO 8859-1 e-acute: what a tool writing Latin-1 leaves.
    edit_tag(e, "bag-info.txt", b"pg_dump of", b"pg_dump \xE9of");
}
