//! `pack --sql` records the original as given (spec/pack.md, "Packing an
//! existing dump"): its base name, size, SHA-256 and modification time, from
//! a file, stdin or an S3 object streamed once; `--database` names a plain
//! dump's database.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::common::*;
use crate::s3::{BUCKET, pgbag_s3, s3_url, stdout_of};
use crate::util::s3::S3Server;

/// 2024-03-01T03:00:00Z.
const MTIME_SECS: u64 = 1_709_262_000;

fn sha256_hex(bytes: &[u8]) -> String {
    pgbag::stream::sha256_hex(bytes)
}

/// `samples/dumps/fixture.sql.gz` as `dir/nightly.sql.gz`, modified at
/// [`MTIME_SECS`].
fn nightly_gz(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("nightly.sql.gz");
    fs::copy(repo("samples/dumps/fixture.sql.gz"), &path).unwrap();
    let mtime = SystemTime::UNIX_EPOCH + Duration::from_secs(MTIME_SECS);
    fs::File::options().write(true).open(&path).unwrap().set_modified(mtime).unwrap();
    path
}

fn bag_info(bag: &Path) -> String {
    fs::read_to_string(bag.join("bag-info.txt")).unwrap()
}

fn manifest(bag: &Path) -> Value {
    serde_json::from_slice(&fs::read(bag.join("pgbag/manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_file_is_recorded_as_given_and_database_names_the_bag() {
    let dir = tempfile::tempdir().unwrap();
    let input = nightly_gz(dir.path());
    let raw = fs::read(&input).unwrap();
    let out = tempfile::tempdir().unwrap();
    let bag = pack_sql(&input, out.path(), &["--dir", "--database", "catalog"]);
    assert!(bag.file_name().unwrap().to_str().unwrap().starts_with("catalog-2026"), "{}", bag.display());

    let m = manifest(&bag);
    let s = &m["source"];
    assert_eq!(s["input_file"], "nightly.sql.gz");
    assert_eq!(s["input_compression"], "gzip");
    assert_eq!(s["input_bytes"], raw.len() as u64);
    assert_eq!(s["input_sha256"], sha256_hex(&raw));
    assert_eq!(s["input_modified"], "2024-03-01T03:00:00Z");
    assert_eq!(s["database"], "catalog");
    // The payload is the decompressed dump, untouched.
    assert_eq!(m["payload"][0]["sha256"], sha256_hex(&fs::read(fixture_dump()).unwrap()));

    let info = bag_info(&bag);
    for line in [
        "Pgbag-Input-File: nightly.sql.gz".to_string(),
        format!("Pgbag-Input-Bytes: {}", raw.len()),
        format!("Pgbag-Input-Sha256: {}", sha256_hex(&raw)),
        "Pgbag-Input-Modified: 2024-03-01T03:00:00Z".to_string(),
        "Pgbag-Source-Database: catalog".to_string(),
    ] {
        assert!(info.lines().any(|l| l == line), "{line:?} missing:\n{info}");
    }
    assert!(info.contains("PostgreSQL database catalog"), "{info}");
    assert_eq!(validate(&bag).0, 0);
    crate::spec::assert_valid(&m, "manifest.schema.json", "manifest.json");
}

#[test]
fn stdin_is_counted_and_hashed_with_no_name_or_time() {
    let raw = fs::read(repo("samples/dumps/fixture.sql.gz")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let bag = out.path().join("bag");
    pgbag()
        .args(["pack", "--dir", "--created-at", CREATED, "--sql", "-", "-o"])
        .arg(&bag)
        .write_stdin(raw.clone())
        .assert()
        .success();
    let s = &manifest(&bag)["source"];
    assert_eq!(
        (s["input_bytes"].as_u64(), s["input_sha256"].as_str()),
        (Some(raw.len() as u64), Some(&*sha256_hex(&raw)))
    );
    assert!(s["input_file"].is_null() && s["input_modified"].is_null(), "{s}");
    assert!(!bag_info(&bag).contains("Pgbag-Input-Modified"));
}

#[test]
fn database_needs_sql() {
    pgbag()
        .args(["pack", "--database", "catalog", "--db", "host=/nonexistent dbname=x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--sql"));
}

/// An object in S3 is packed without a download to disk: streamed once,
/// recorded with its key's name, size, SHA-256 and Last-Modified.
#[test]
fn an_s3_object_is_packed_streamed_and_recorded() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let raw = fs::read(repo("samples/dumps/fixture.sql.gz")).unwrap();
    s3.put(BUCKET, "nightly/catalog.sql.gz", &raw, &[]);
    let out = tempfile::tempdir().unwrap();
    let printed = stdout_of(
        pgbag_s3(&s3, None)
            .args(["pack", "--dir", "--created-at", CREATED, "--sql", &s3_url("nightly/catalog.sql.gz"), "-o"])
            .arg(format!("{}/", out.path().display())),
    );
    let bag = Path::new(&printed);
    assert!(bag.file_name().unwrap().to_str().unwrap().starts_with("catalog-"), "{printed}");
    let m = manifest(bag);
    let s = &m["source"];
    assert_eq!(s["input_file"], "catalog.sql.gz");
    assert_eq!(s["input_bytes"], raw.len() as u64);
    assert_eq!(s["input_sha256"], sha256_hex(&raw));
    let modified = s["input_modified"].as_str().expect("Last-Modified recorded");
    assert!(chrono::DateTime::parse_from_rfc3339(modified).is_ok() && modified.ends_with('Z'), "{modified}");
    assert_eq!(m["payload"][0]["sha256"], sha256_hex(&fs::read(fixture_dump()).unwrap()));
    assert_eq!(validate(bag).0, 0);
}
