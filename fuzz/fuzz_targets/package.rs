//! `validate` and `inspect` over arbitrary bytes as a package file.
//!
//! Whatever the bytes (a tar, a compressed stream, a bare dump, garbage),
//! both must return `Ok` or `Err`, never panic, hang or allocate without
//! bound; a report is valid exactly when it has no error finding; the
//! package SHA-256 it reports, if any, is that of the bytes; and a package
//! that validates also inspects (they read the same head).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pgbag::package::{Severity, inspect, validate};
use pgbag::progress::NoProgress;
use pgbag::store::Input;
use pgbag::stream::sha256_hex;

/// One scratch file per process, rewritten for every input (the library
/// reads packages by path).
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("creating a temporary directory");
        let path = dir.path().join("fuzz.tar.zst");
        (dir, path)
    })
    .1
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    std::fs::write(path, data).expect("writing the scratch file");
    let input = Input::local(path);
    let valid = match validate(&input, &NoProgress) {
        Ok(report) => {
            let errors = report.findings.iter().any(|f| f.severity == Severity::Error);
            assert_eq!(report.valid, !errors, "{:?}", report.findings);
            if let Some(sha) = &report.sha256 {
                assert_eq!(*sha, sha256_hex(data), "the reported SHA-256 is not that of the file");
            }
            assert!(!report.valid || report.sha256.is_some(), "a valid package file without its SHA-256");
            report.valid
        }
        Err(_) => false,
    };
    let inspected = inspect(&input, &NoProgress);
    if valid {
        inspected.expect("inspect reads a package that validates");
    }
});
