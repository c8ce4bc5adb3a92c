//! The package's own SHA-256 in S3 (spec/storage.md §3–4): pack reads the
//! uploaded object back, validates it and records `pgbag-sha256`; validate
//! and pull hold objects to it. Against moto on 127.0.0.1, with a damaging
//! proxy in front of it where the store must misbehave.

use std::fs;

use serde_json::Value;

use crate::common::*;
use crate::s3::{
    BUCKET, get_unverified, package_key, pgbag_s3, run_json, s3_url, sha256_hex, stdout_of, synthetic_dump,
};
use crate::util::proxy::{self, Fault};
use crate::util::s3::S3Server;

/// A dump that packs to about 15 MiB: with 5 MiB parts, 3 of them (a package under
/// 10 MiB would go up in one PUT).
fn multipart_dump(dir: &std::path::Path) -> std::path::PathBuf {
    let dump = dir.join("big.sql");
    fs::write(&dump, synthetic_dump(20 << 20, true)).unwrap();
    dump
}

/// Packs a multipart dump to `s3://BUCKET/nightly/` through a proxy that
/// damages the server's answers with `fault`; returns pack's output and
/// stderr.
fn pack_through(s3: &S3Server, fault: Fault) -> (std::process::Output, String) {
    s3.create_bucket(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let dump = multipart_dump(dir.path());
    let proxy = proxy::start(s3.port(), fault);
    let out = pgbag_s3(s3, None)
        .env("AWS_ENDPOINT_URL", proxy.endpoint())
        .args(["pack", "--s3-part-size", "5", "--created-at", CREATED, "--sql"])
        .arg(&dump)
        .args(["-o", &s3_url("nightly/")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

/// Someone replaced the object with another, sound package (the same dump
/// recompressed with gzip) and kept its metadata: every check inside the bag
/// passes, and only the recorded SHA-256 can tell.
#[test]
fn an_object_replaced_after_upload_fails_validate_and_pull_by_its_sha256() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let url = stdout_of(
        pgbag_s3(&s3, None)
            .args(["pack", "--created-at", CREATED, "--sql"])
            .arg(fixture_dump())
            .args(["-o", &s3_url("db/fixture.tar.zst")]),
    );
    let key = "db/fixture.tar.zst";
    let meta = s3.head_metadata(BUCKET, key).unwrap();
    assert_eq!(meta.get("pgbag-sha256"), Some(&sha256_hex(&s3.get(BUCKET, key).unwrap())), "{meta:?}");

    let dir = tempfile::tempdir().unwrap();
    let gz = pack_sql(&fixture_dump(), dir.path(), &["--compress", "gzip"]);
    assert_eq!(validate(&gz).0, 0, "the replacement itself is a sound package");
    let meta: Vec<(&str, &str)> = meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    s3.put(BUCKET, key, &fs::read(&gz).unwrap(), &meta);

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &url]));
    assert_eq!(code, 1, "{report:#}\n{stderr}");
    assert_eq!(codes(&report), ["package-sha256-mismatch"], "{report:#}");
    assert_eq!(report["sha256"], sha256_hex(&fs::read(&gz).unwrap()));

    let target = dir.path().join("pulled");
    fs::create_dir(&target).unwrap();
    let out = pgbag_s3(&s3, None).args(["pull", &url, "-o"]).arg(format!("{}/", target.display())).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "pull: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("package-sha256-mismatch"), "pull names the finding");
    assert!(listing(&target).is_empty(), "pull left {:?}", listing(&target));
}

#[test]
fn pack_reads_a_multipart_upload_back_unless_told_not_to() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let dump = multipart_dump(dir.path());
    // Every request pack makes goes through it, to be counted.
    let proxy = proxy::start(s3.port(), Fault::None);

    for (prefix, extra) in [("verified/", None), ("unverified/", Some("--no-verify-upload"))] {
        // Not quiet: pack says what it verified.
        let out = pgbag_s3(&s3, None)
            .env("AWS_ENDPOINT_URL", proxy.endpoint())
            .args(["pack", "--s3-part-size", "5", "--created-at", CREATED, "--sql"])
            .arg(&dump)
            .args(["-o", &s3_url(prefix)])
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let key = package_key(prefix, "big", CREATED);
        assert_eq!(url, s3_url(&key));
        // Only pack's requests went through the proxy; it sent some.
        let read_back = proxy.count("GET", &format!("/{BUCKET}/{key}"));
        assert!(proxy.count("PUT", &format!("/{BUCKET}/{key}")) >= 3, "{:#?}", proxy.requests());
        let object = get_unverified(&s3, &key);
        assert!(object.len() > 10 << 20, "{} bytes: not several 5 MiB parts", object.len());
        let meta = s3.head_metadata(BUCKET, &key).unwrap();
        assert!(meta.contains_key("pgbag-dump-sha256"), "{prefix}: {meta:?}");
        match extra {
            None => {
                assert_eq!(meta.get("pgbag-sha256"), Some(&sha256_hex(&object)), "{meta:?}");
                assert!(read_back > 0, "pack did not read the object back: {:#?}", proxy.requests());
                let said = format!("read back from the store and valid; its SHA-256 is {}", sha256_hex(&object));
                assert!(stderr.contains(&said), "{stderr}");
            }
            Some(_) => {
                assert_eq!(meta.get("pgbag-sha256"), None, "{meta:?}");
                assert_eq!(read_back, 0, "--no-verify-upload still read the object back");
                assert!(!stderr.contains("read back"), "{stderr}");
            }
        }
        let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &url]));
        assert_eq!(code, 0, "{report:#}\n{stderr}");
        assert_eq!(report["sha256"], sha256_hex(&object));
    }
    assert!(s3.open_multipart_uploads(BUCKET).is_empty());
}

/// A store that gives back other bytes than it was sent (here a proxy that
/// flips one byte of what the server answers, 2 MiB into the read-back):
/// pack must not leave that object standing as last night's package.
#[test]
fn a_store_that_returns_damaged_bytes_fails_pack_and_keeps_no_object() {
    let Some(s3) = S3Server::start() else { return };
    let (out, stderr) = pack_through(&s3, Fault::Flip { at: 2 << 20 });
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("does not validate when read back"), "{stderr}");
    assert!(stderr.contains("it was deleted"), "{stderr}");
    assert!(out.stdout.is_empty(), "pack printed a location: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(s3.keys(BUCKET, ""), Vec::<String>::new(), "an invalid package was left in the bucket");
    assert!(s3.open_multipart_uploads(BUCKET).is_empty());
}

/// The read-back itself fails (a proxy that drops every connection after
/// 1 MiB of answer, so the resumed GETs give up): the package is most
/// likely whole, so it stays, with the metadata pack could record, and the
/// exit code tells the monitor to look.
#[test]
fn a_read_back_that_fails_keeps_the_object_and_exits_2() {
    let Some(s3) = S3Server::start() else { return };
    let (out, stderr) = pack_through(&s3, Fault::Cut { after: 1 << 20 });
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("reading it back to verify it failed"), "{stderr}");
    assert!(stderr.contains("pgbag validate"), "say what to do next: {stderr}");
    let key = package_key("nightly/", "big", CREATED);
    assert_eq!(s3.keys(BUCKET, ""), std::slice::from_ref(&key));
    let meta = s3.head_metadata(BUCKET, &key).unwrap();
    assert!(meta.contains_key("pgbag-dump-sha256"), "{meta:?}");
    assert_eq!(meta.get("pgbag-sha256"), None, "a SHA-256 was recorded without a whole read: {meta:?}");

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &s3_url(&key)]));
    assert_eq!((code, &report["valid"]), (0, &Value::Bool(true)), "{report:#}\n{stderr}");
}
