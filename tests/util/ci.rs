//! The one CI gate of the test suite: what a test does when something it
//! needs from the machine (PostgreSQL, PostgreSQL 17, moto_server,
//! bagit.py, a tmpfs mount, ...) is not there.
//!
//! Outside CI the test says so on stderr and skips, so `cargo test` works
//! on a laptop without them. Under CI the same absence is a broken CI image
//! (`.ci/run` installs all of it), so the test fails loudly instead of
//! passing without having run.
//!
//! Used by the integration tests (`tests/util`) and, through `#[path]`, by
//! the library's unit tests (`crate::ci_gate` under `cfg(test)`): one
//! reading of `CI` for the whole suite. Nothing here may use more than std.

use std::fmt::Display;

/// Whether this run is CI's: `CI` is set to anything but `""`, `"0"` or
/// `"false"` (in any case). GitHub Actions, GitLab and `.ci/run`'s CI set
/// `CI=true`; some set `CI=1`.
pub fn under_ci() -> bool {
    means_ci(std::env::var_os("CI").as_deref())
}

fn means_ci(value: Option<&std::ffi::OsStr>) -> bool {
    value.map(|v| v.to_string_lossy()).is_some_and(|v| !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")))
}

/// `what` (e.g. "PostgreSQL", "moto_server") is missing, because `why`.
///
/// Under CI (see [`under_ci`]) this panics, failing the test. Otherwise it
/// prints that the current test skips and why, and returns, so that the
/// caller can `return` (or leave out the part that needs `what`).
pub fn unavailable(what: &str, why: impl Display) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if under_ci() {
        panic!("{test}: {what} is unavailable under CI, where it must be there (.ci/run installs it): {why}");
    }
    eprintln!("{test}: skipping what needs {what}, which is unavailable: {why} (under CI=true this fails)");
}

#[test]
fn ci_is_any_value_but_empty_zero_or_false() {
    let ci = |v: Option<&str>| means_ci(v.map(std::ffi::OsStr::new));
    for v in [None, Some(""), Some("0"), Some("false"), Some("FALSE")] {
        assert!(!ci(v), "CI={v:?} counted as CI");
    }
    for v in ["true", "1", "yes", "True"] {
        assert!(ci(Some(v)), "CI={v} did not count as CI");
    }
}
