//! Inputs the fuzz targets (fuzz/README.md) found, kept as tests. Each test
//! says what broke; the fuzz input itself is also a seed of its target, so
//! every fuzz run replays it.

use std::fs;
use std::io::Read;

use pgbag::package::{OpenPackage, Severity, inspect, validate};
use pgbag::progress::NoProgress;
use pgbag::store::Input;

use crate::common::*;

/// The good sample package, uncompressed, with the named entries' type set
/// to `7` (contiguous file) and their header checksums fixed. Contents are
/// untouched, so every manifest still matches.
fn good_with_contiguous(names: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let f = fs::File::open(repo("samples/packages/good.tar.zst")).unwrap();
    let (mut r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut tar = Vec::new();
    r.read_to_end(&mut tar).unwrap();
    let mut dump = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at..at + 512].iter().any(|b| *b != 0) {
        let header = tar::Header::from_byte_slice(&tar[at..at + 512]);
        let name = String::from_utf8(header.path_bytes().into_owned()).unwrap();
        let size = header.entry_size().unwrap() as usize;
        if name.ends_with("/data/dump.sql") {
            dump = tar[at + 512..at + 512 + size].to_vec();
        }
        if names.iter().any(|n| name.ends_with(&format!("/{n}"))) {
            let mut h = header.clone();
            h.set_entry_type(tar::EntryType::Continuous);
            h.set_cksum();
            tar[at..at + 512].copy_from_slice(h.as_bytes());
        }
        at += 512 + size.div_ceil(512) * 512;
    }
    (tar, dump)
}

/// fuzz/corpus/package_mutate/seed-continuous-dump and
/// seed-continuous-manifest: validate (and unpack) take a type-`7` entry
/// for a regular file, but restore's dump reader and inspect's head reader
/// took only type `0`. The package validated, then restore said "has no
/// data/dump.sql" and inspect "has no pgbag/manifest.json".
#[test]
fn contiguous_file_entries_read_the_same_in_validate_restore_and_inspect() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contiguous.tar");
    let (tar, dump) = good_with_contiguous(&["data/dump.sql", "pgbag/manifest.json"]);
    fs::write(&path, tar).unwrap();
    let input = Input::local(&path);

    let report = validate(&input, &NoProgress).unwrap();
    assert!(report.valid, "{:?}", report.findings);
    assert!(report.findings.iter().all(|f| f.severity != Severity::Error));

    let read = OpenPackage::open(&input)
        .unwrap()
        .with_dump(|r| {
            let mut v = Vec::new();
            r.read_to_end(&mut v).unwrap();
            Ok(v)
        })
        .expect("restore reads the dump of a package that validates");
    assert!(read == dump, "restore reads the dump validate checked");

    let inspected = inspect(&input, &NoProgress).expect("inspect reads a package that validates");
    assert_eq!(inspected.format_version, Some(1));
}

/// The good sample package's tar, uncompressed, cut into whole entries
/// (header and data blocks), and the end-of-archive blocks.
fn good_entries() -> (Vec<(String, Vec<u8>)>, Vec<u8>) {
    let f = fs::File::open(repo("samples/packages/good.tar.zst")).unwrap();
    let (mut r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut tar = Vec::new();
    r.read_to_end(&mut tar).unwrap();
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at..at + 512].iter().any(|b| *b != 0) {
        let header = tar::Header::from_byte_slice(&tar[at..at + 512]);
        let name = String::from_utf8(header.path_bytes().into_owned()).unwrap();
        let end = at + 512 + (header.entry_size().unwrap() as usize).div_ceil(512) * 512;
        entries.push((name, tar[at..end].to_vec()));
        at = end;
    }
    (entries, tar[at..].to_vec())
}

/// fuzz/artifacts crash-2d65b2c6…, kept as fuzz/corpus/package_mutate/
/// seed-dir-entries-swapped: the `data/` folder entry swapped with the
/// top-level one, so it comes first. Folder entries carry nothing and
/// validate lets them come in any order, but inspect's head reader stopped
/// at the first entry under `data`, even a folder, before any tag file.
#[test]
fn a_data_folder_entry_before_the_tag_files_does_not_hide_them_from_inspect() {
    let (mut entries, end) = good_entries();
    let root = entries.iter().position(|(n, _)| !n.trim_end_matches('/').contains('/')).unwrap();
    let data = entries.iter().position(|(n, _)| n.ends_with("/data/")).unwrap();
    entries.swap(root, data);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.tar");
    let bytes: Vec<u8> = entries.into_iter().flat_map(|(_, b)| b).chain(end).collect();
    fs::write(&path, bytes).unwrap();
    let input = Input::local(&path);

    let report = validate(&input, &NoProgress).unwrap();
    assert!(report.valid, "{:?}", report.findings);
    let inspected = inspect(&input, &NoProgress).expect("inspect reads a package that validates");
    assert_eq!(inspected.format_version, Some(1));
}
