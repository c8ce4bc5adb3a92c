//! Damage to a package must be detected with exit 1 and the specific
//! finding, and must never panic.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

fn plain_package(dir: &Path) -> (PathBuf, Vec<u8>) {
    let pkg = pack_sql(&fixture_dump(), dir, &["--compress", "none"]);
    let bytes = fs::read(&pkg).unwrap();
    (pkg, bytes)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)))
}

#[test]
fn a_flipped_byte_in_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut bytes) = plain_package(dir.path());
    // Inside a COPY row of the dump (the tail of the archive).
    let at = find(&bytes, b"COPY public.books ") + 300;
    bytes[at] ^= 0x01;
    assert_invalid_with(&write(dir.path(), "flipped.tar", &bytes), "payload-checksum-mismatch");
}

#[test]
fn a_flipped_byte_in_a_tag_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut bytes) = plain_package(dir.path());
    let at = find(&bytes, b"\"summary_version\"") + 3;
    bytes[at] ^= 0x20;
    assert_invalid_with(&write(dir.path(), "tag.tar", &bytes), "tag-checksum-mismatch");
}

#[test]
fn a_flipped_byte_in_the_compressed_stream() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &[]);
    let good = fs::read(&pkg).unwrap();
    // zstd frames carry checksums: any flipped byte past the frame header is caught.
    for at in [good.len() / 3, good.len() / 2, good.len() - 10] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x55;
        let p = write(dir.path(), "z.tar.zst", &bytes);
        let (exit, v) = validate(&p);
        assert_eq!(exit, 1, "flip at {at}: {v:#}");
    }
}

#[test]
fn truncation_anywhere_is_caught_in_every_compression() {
    let dir = tempfile::tempdir().unwrap();
    for compress in ["zstd", "gzip", "none"] {
        let out = tempfile::tempdir().unwrap();
        let pkg = pack_sql(&fixture_dump(), out.path(), &["--compress", compress]);
        let good = fs::read(&pkg).unwrap();
        for tenth in 1..10 {
            let cut = good.len() * tenth / 10;
            let p = write(dir.path(), "cut", &good[..cut]);
            let (exit, v) = validate(&p);
            assert_eq!(exit, 1, "{compress} cut at {cut}: {v:#}");
        }
        // Inside the trailer: the last bytes (zstd checksum, gzip CRC and size, tar's zero blocks).
        for back in [1, 4, 8, 600] {
            let p = write(dir.path(), "cut", &good[..good.len() - back]);
            assert_eq!(validate(&p).0, 1, "{compress} cut {back} bytes before the end");
        }
    }
}

/// Rebuilds a package's tar with `edit` applied to its entry list.
fn rebuild(pkg: &Path, out: &Path, edit: impl FnOnce(&mut Vec<(tar::Header, Vec<u8>)>)) {
    let f = fs::File::open(pkg).unwrap();
    let (r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut a = tar::Archive::new(r);
    let mut entries: Vec<(tar::Header, Vec<u8>)> = a
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            (e.header().clone(), data)
        })
        .collect();
    edit(&mut entries);
    let mut b = tar::Builder::new(fs::File::create(out).unwrap());
    for (mut h, data) in entries {
        h.set_size(data.len() as u64);
        h.set_cksum();
        b.append(&h, &data[..]).unwrap();
    }
    b.finish().unwrap();
}

fn entry_named(h: &tar::Header, suffix: &str) -> bool {
    h.path().unwrap().to_string_lossy().ends_with(suffix)
}

#[test]
fn a_removed_or_added_payload_file_a_duplicate_and_a_misordered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &[]);

    let removed = dir.path().join("removed.tar");
    rebuild(&pkg, &removed, |e| e.retain(|(h, _)| !entry_named(h, "data/dump.sql")));
    assert_invalid_with(&removed, "payload-missing");

    let added = dir.path().join("added.tar");
    rebuild(&pkg, &added, |e| {
        let mut h = e.last().unwrap().0.clone();
        h.set_path("fixture-20260101T000000Z/data/extra.sql").unwrap();
        e.push((h, b"SELECT 1;\n".to_vec()));
    });
    assert_invalid_with(&added, "payload-unlisted");

    let dup = dir.path().join("dup.tar");
    rebuild(&pkg, &dup, |e| {
        let bagit = e.iter().find(|(h, _)| entry_named(h, "bagit.txt")).unwrap().clone();
        e.insert(2, bagit);
    });
    assert_invalid_with(&dup, "tar-duplicate-entry");

    let order = dir.path().join("order.tar");
    rebuild(&pkg, &order, |e| {
        let i = e.iter().position(|(h, _)| entry_named(h, "bagit.txt")).unwrap();
        let bagit = e.remove(i);
        e.push(bagit);
    });
    assert_invalid_with(&order, "tar-order");

    let link = dir.path().join("link.tar");
    rebuild(&pkg, &link, |e| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_path("fixture-20260101T000000Z/pgbag/evil").unwrap();
        h.set_link_name("/etc/passwd").unwrap();
        e.insert(3, (h, Vec::new()));
    });
    assert_invalid_with(&link, "tar-link");

    let two_roots = dir.path().join("roots.tar");
    rebuild(&pkg, &two_roots, |e| {
        let mut h = e[1].0.clone();
        h.set_path("other/bagit.txt").unwrap();
        e.insert(2, (h, b"x".to_vec()));
    });
    assert_invalid_with(&two_roots, "tar-multiple-roots");
}

#[test]
fn a_wrong_payload_oxum_and_wrong_recorded_rows() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    let edit = |file: &str, from: &str, to: &str| edit_tag_file(&bag, file, from, to);
    let oxum = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let oxum = oxum.lines().find(|l| l.starts_with("Payload-Oxum:")).unwrap().to_string();
    edit("bag-info.txt", &oxum, "Payload-Oxum: 12.1");
    let v = assert_invalid_with(&bag, "payload-oxum-mismatch");
    assert_eq!(codes(&v), ["payload-oxum-mismatch"]);
    edit("bag-info.txt", "Payload-Oxum: 12.1", &oxum);
    assert_eq!(validate(&bag).0, 0);
    edit("pgbag/schema.json", "\"rows\": 1000", "\"rows\": 999");
    let v = assert_invalid_with(&bag, "rows-mismatch");
    assert_eq!(codes(&v), ["rows-mismatch"]);
}
