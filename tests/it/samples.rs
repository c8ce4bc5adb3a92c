//! The committed sample packages (samples/packages/, made by
//! samples/make-packages.py) give the findings samples/README.md promises.

use std::fs;

use crate::common::*;

#[test]
fn the_good_sample_is_valid_and_reproducible_byte_for_byte() {
    let good = repo("samples/packages/good.tar.zst");
    assert_eq!(validate(&good).0, 0);
    let dir = tempfile::tempdir().unwrap();
    // pack records the input's mtime: samples/make-packages.py packs a copy
    // modified at the creation time, whenever the repository was checked out.
    let input = dir.path().join("fixture.sql");
    fs::copy(fixture_dump(), &input).unwrap();
    let created = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
    fs::File::options().write(true).open(&input).unwrap().set_modified(created).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let again = pack_sql(&input, &out, &["--name", "fixture-20260101T000000Z"]);
    assert_eq!(
        fs::read(again).unwrap(),
        fs::read(good).unwrap(),
        "rerun samples/make-packages.py after format changes"
    );
}

#[test]
fn each_broken_sample_gives_its_finding() {
    for (file, code) in [
        ("broken-checksum.tar.gz", "payload-checksum-mismatch"),
        ("broken-truncated.tar.zst", "tar-truncated"),
        ("broken-missing-file.tar.gz", "payload-missing"),
        ("broken-extra-file.tar.gz", "payload-unlisted"),
        ("broken-path-traversal.tar.gz", "tar-unsafe-path"),
        ("broken-future-version.tar.gz", "format-version-unsupported"),
        ("broken-unterminated-copy.tar.zst", "copy-unterminated"),
    ] {
        assert_invalid_with(&repo(&format!("samples/packages/{file}")), code);
    }
}

#[test]
fn inspect_refuses_a_future_format_and_says_to_upgrade() {
    pgbag()
        .arg("inspect")
        .arg(repo("samples/packages/broken-future-version.tar.gz"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("upgrade pgbag"));
}
