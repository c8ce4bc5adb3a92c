//! pack's decisions before any work (spec/pack.md): a bad `--name` or
//! pg_dump option is a usage error (exit 2) that writes nothing, and never
//! reaches a server or the input. No database needed: the connection string
//! points at a socket directory that does not exist, so reaching the
//! server would fail with another message.

use std::fs;

use crate::common::*;

/// Where pgbag would connect if it got that far: nowhere.
const NO_SERVER: &str = "host=/nonexistent/pgbag-no-server dbname=catalog";

fn assert_usage_error_writing_nothing(args: &[&str], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = pgbag().arg("pack").arg("-o").arg(format!("{}/", dir.path().display())).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "{args:?} wrote something");
}

/// `--name ..` passed until the tar builder refused the path after the whole
/// dump had streamed, and an `expect` then panicked.
#[test]
fn an_invalid_bag_name_is_refused_before_connecting_or_reading() {
    for name in ["..", ".", "a/b", "-x", ""] {
        let name = format!("--name={name}");
        assert_usage_error_writing_nothing(&[&name, "--db", NO_SERVER], "not a valid bag name");
        let sql = fixture_dump();
        assert_usage_error_writing_nothing(&[&name, "--sql", sql.to_str().unwrap()], "not a valid bag name");
    }
}

#[test]
fn pg_dump_options_off_the_allow_list_are_refused_before_connecting() {
    for (args, expected) in [
        (&["--", "-Fc"][..], "-F (--format) cannot be passed through"),
        (&["--", "--form=c"], "write pg_dump options in full; this abbreviates --format"),
        (&["--", "--fil=x"], "this begins --file, --filter"),
        (&["--", "--ho", "h"], "abbreviates --host"),
        (&["--", "-f", "out.sql"], "-f (--file) cannot be passed through"),
        (&["--", "--file=x"], "--file cannot be passed through"),
        (&["--", "-Z5"], "compresses the package itself"),
        (&["--", "catalog"], "pg_dump would read it as a database name"),
        (&["--", "-é"], "-é is not a pg_dump option"),
        (&["--", "éé"], "is not an option"),
    ] {
        let mut all = vec!["--db", NO_SERVER];
        all.extend_from_slice(args);
        assert_usage_error_writing_nothing(&all, expected);
    }
}

#[test]
fn pg_dump_options_with_sql_are_refused() {
    let sql = fixture_dump();
    assert_usage_error_writing_nothing(
        &["--sql", sql.to_str().unwrap(), "--", "--no-owner"],
        "pg_dump options and --globals need --db",
    );
}
