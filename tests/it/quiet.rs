//! `-q` means quiet: a successful run prints nothing at all, so cron mails
//! only failures (issue 13); and `pgbag man` ships every page it names.

use std::collections::BTreeSet;
use std::fs;

use crate::common::*;

fn silent(out: &std::process::Output, what: &str) {
    assert_eq!(out.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "{what} -q printed on stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stderr.is_empty(), "{what} -q printed on stderr: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn q_runs_print_nothing_when_they_succeed_and_still_speak_when_they_fail() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("f.tar.zst");
    let out = pgbag().args(["pack", "-q", "--sql"]).arg(fixture_dump()).arg("-o").arg(&pkg).output().unwrap();
    silent(&out, "pack");
    assert!(pkg.is_file());

    let into = dir.path().join("unpacked");
    fs::create_dir(&into).unwrap();
    let out = pgbag().args(["unpack", "-q", "-o"]).arg(&into).arg(&pkg).output().unwrap();
    silent(&out, "unpack");
    assert_eq!(listing(&into).len(), 1);

    let out = pgbag().args(["validate", "-q"]).arg(&pkg).output().unwrap();
    silent(&out, "validate");
    let out = pgbag().args(["validate", "-q", "--json"]).arg(fixture_dump()).output().unwrap();
    silent(&out, "validate --json of a bare dump");

    // Without -q pack prints the path, and only that.
    let again = dir.path().join("g.tar.zst");
    let out = pgbag().args(["pack", "--sql"]).arg(fixture_dump()).arg("-o").arg(&again).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{}\n", again.display()));

    // A failure under -q is not silent.
    let cut = dir.path().join("cut.sql");
    let dump = fs::read(fixture_dump()).unwrap();
    fs::write(&cut, &dump[..dump.len() / 2]).unwrap();
    let out =
        pgbag().args(["pack", "-q", "--sql"]).arg(&cut).arg("-o").arg(dir.path().join("x.tar.zst")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stderr.is_empty(), "a failed pack -q said nothing");
    // An invalid input under validate -q still prints its findings.
    let out = pgbag().args(["validate", "-q"]).arg(&cut).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("INVALID") || text.contains("invalid"), "validate -q of a cut dump said: {text}");
}

#[test]
fn man_pages_exist_for_every_page_the_main_page_names() {
    let help = String::from_utf8(pgbag().arg("--help").output().unwrap().stdout).unwrap();
    assert!(help.lines().any(|l| l.trim_start().starts_with("man ")), "--help does not list man:\n{help}");

    let dir = tempfile::tempdir().unwrap();
    pgbag().args(["man", "--dir"]).arg(dir.path()).assert().success();
    let written: BTreeSet<String> = listing(dir.path()).into_iter().collect();
    let root = fs::read_to_string(dir.path().join("pgbag.1")).unwrap();
    let named: BTreeSet<String> = root
        .split("pgbag\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| format!("pgbag-{name}.1")))
        .filter(|n| !n.contains(char::is_whitespace))
        .collect();
    assert!(named.len() >= 12, "pgbag(1) names too few pages: {named:?}");
    let missing: Vec<&String> = named.difference(&written).collect();
    assert!(missing.is_empty(), "pgbag(1) refers to pages that are not shipped: {missing:?}");

    let restore = String::from_utf8(pgbag().args(["man", "restore"]).output().unwrap().stdout).unwrap();
    assert_eq!(restore, fs::read_to_string(dir.path().join("pgbag-restore.1")).unwrap());
    pgbag().args(["man", "no-such-command"]).assert().code(2);
}
