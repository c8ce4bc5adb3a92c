//! `validate` and `inspect` over arbitrary bytes as a package file.
//!
//! Whatever the bytes (a tar, a compressed stream, a bare dump, garbage),
//! both must return `Ok` or `Err`, never panic, hang or allocate without
//! bound; a report is valid exactly when it has no error finding; and a
//! package that validates also inspects (they read the same head).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pgbag::package::{Severity, inspect, validate};
use pgbag::progress::NoProgress;
use pgbag::store::Input;

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
            report.valid
        }
        Err(_) => false,
    };
    let inspected = inspect(&input, &NoProgress);
    if valid {
        inspected.expect("inspect reads a package that validates");
    }
});
