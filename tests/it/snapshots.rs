//! What users read, snapshotted: the text output of every command (and its
//! `--help`), so a change in wording, layout or content shows in review as a
//! diff of `tests/it/snapshots/*.snap`. Times, versions, temporary paths and
//! random names are redacted; everything else is compared exactly.
//!
//! After a deliberate change: `INSTA_UPDATE=always cargo test --release
//! --test it -- snapshots`, then review `git diff tests/it/snapshots`.
//! Under CI a missing or different snapshot fails.

use std::path::Path;
use std::process::Output;

use crate::common::*;
use crate::live::pgbag_for;
use crate::s3::{BUCKET, pgbag_s3, s3_url};
use crate::util::Cluster;
use crate::util::s3::S3Server;

/// Redactions for what differs from run to run or machine to machine.
fn settings(tmp: &Path) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    let tmp = regex_escape(&tmp.display().to_string());
    let filters: Vec<(String, &str)> = vec![
        (tmp, "[tmp]"),
        (regex_escape(env!("CARGO_MANIFEST_DIR")), "[repo]"),
        (format!("pgbag {}", regex_escape(env!("CARGO_PKG_VERSION"))), "pgbag [version]"),
        (
            r"\b(PostgreSQL|postgres|psql|pg_dump|server)( \(PostgreSQL\))? \d+\.\d+( \([^)]*\))?".into(),
            "$1$2 [pg-version]",
        ),
        (r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ".into(), "[time]"),
        (r"\b\d+(\.\d+)? ?(ms|s)\b".into(), "[duration]"),
        (r"pgbag_drill_[0-9a-f]+".into(), "pgbag_drill_[id]"),
        (r"127\.0\.0\.1:\d+".into(), "127.0.0.1:[port]"),
        (r"port=\d+".into(), "port=[port]"),
        (r"host=\S+".into(), "host=[socket]"),
    ];
    for (re, to) in filters {
        s.add_filter(&re, to);
    }
    s
}

fn regex_escape(s: &str) -> String {
    s.chars().map(|c| if "\\.+*?()|[]{}^$".contains(c) { format!("\\{c}") } else { c.to_string() }).collect()
}

/// stdout, then stderr under a marker, then the exit code: what a person at
/// a terminal (without progress bars) sees.
fn shown(out: &Output) -> String {
    let mut t = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.stderr.is_empty() {
        t.push_str("--- stderr ---\n");
        t.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    t.push_str(&format!("--- exit {} ---\n", out.status.code().map_or("signal".into(), |c| c.to_string())));
    t
}

#[test]
fn help_of_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    settings(tmp.path()).bind(|| {
        insta::assert_snapshot!("help", shown(&pgbag().arg("--help").output().unwrap()));
        let commands = [
            "pack",
            "inspect",
            "validate",
            "unpack",
            "restore",
            "drill",
            "push",
            "pull",
            "list",
            "prune",
            "pin",
            "completions",
            "man",
        ];
        for c in commands {
            let out = pgbag().args([c, "--help"]).env("COLUMNS", "100").output().unwrap();
            insta::assert_snapshot!(format!("help-{c}"), shown(&out));
        }
    });
}

#[test]
fn local_commands_on_the_samples() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    settings(dir).bind(|| {
        // pack records the dump's modification time: a copy with a fixed one,
        // so that the package is the same in every clone.
        let dump = dir.join("fixture.sql");
        std::fs::copy(fixture_dump(), &dump).unwrap();
        let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_764_547_200);
        std::fs::File::options().write(true).open(&dump).unwrap().set_modified(fixed).unwrap();
        let pkg = dir.join("fixture.tar.zst");
        let out =
            pgbag().args(["pack", "--created-at", CREATED, "--sql"]).arg(&dump).arg("-o").arg(&pkg).output().unwrap();
        insta::assert_snapshot!("pack", shown(&out));
        insta::assert_snapshot!("inspect-package", shown(&pgbag().arg("inspect").arg(&pkg).output().unwrap()));
        insta::assert_snapshot!("inspect-dump", shown(&pgbag().arg("inspect").arg(fixture_dump()).output().unwrap()));
        insta::assert_snapshot!("validate-package", shown(&pgbag().arg("validate").arg(&pkg).output().unwrap()));
        let broken = repo("samples/packages/broken-checksum.tar.gz");
        insta::assert_snapshot!("validate-broken", shown(&pgbag().arg("validate").arg(&broken).output().unwrap()));
        let truncated = repo("samples/packages/broken-truncated.tar.zst");
        insta::assert_snapshot!(
            "validate-truncated",
            shown(&pgbag().arg("validate").arg(&truncated).output().unwrap())
        );
        let into = dir.join("unpacked");
        std::fs::create_dir(&into).unwrap();
        let out = pgbag().arg("unpack").arg(&pkg).arg("-o").arg(&into).output().unwrap();
        insta::assert_snapshot!("unpack", shown(&out));
        let bag = into.join("fixture");
        for f in ["bag-info.txt", "pgbag/README.txt"] {
            let text = std::fs::read_to_string(bag.join(f)).unwrap();
            insta::assert_snapshot!(format!("package-{}", f.replace('/', "-")), text);
        }
    });
}

#[test]
fn restore_plans_and_a_drill() {
    let Some(pg) = Cluster::start() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Roles are the cluster's, and other tests may have made the fixture's:
    // leave ownership and grants out so that the plans do not depend on them.
    let no_roles = ["--no-owner", "--no-privileges"];
    settings(dir).bind(|| {
        let pkg = pack_sql(&fixture_dump(), dir, &[]);
        let out = pgbag_for(&pg)
            .arg("restore")
            .arg(&pkg)
            .args(["--plan", "--create", "--target", &pg.conninfo("snap_new")])
            .args(no_roles)
            .output()
            .unwrap();
        insta::assert_snapshot!("restore-plan-create", shown(&out));
        pg.create_db("snap_full");
        pgbag_for(&pg)
            .arg("restore")
            .arg(&pkg)
            .args(["-q", "--target", &pg.conninfo("snap_full")])
            .args(no_roles)
            .assert()
            .success();
        let out = pgbag_for(&pg)
            .arg("restore")
            .arg(&pkg)
            .args(["--plan", "--target", &pg.conninfo("snap_full")])
            .args(no_roles)
            .output()
            .unwrap();
        insta::assert_snapshot!("restore-plan-refused", shown(&out));
        let out = pgbag_for(&pg).arg("drill").arg(&pkg).args(["--target", &pg.conninfo("postgres")]).output().unwrap();
        insta::assert_snapshot!("drill", shown(&out));
    });
}

#[test]
fn s3_list_prune_and_pin() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let tmp = tempfile::tempdir().unwrap();
    settings(tmp.path()).bind(|| {
        for created in ["2026-11-24T03:00:00Z", "2026-11-25T03:00:00Z"] {
            pgbag_s3(&s3, None)
                .args(["pack", "--created-at", created, "--sql"])
                .arg(fixture_dump())
                .args(["-o", &s3_url("db/")])
                .assert()
                .success();
        }
        s3.put(BUCKET, "db/notes.txt", b"not a package\n", &[]);
        let key = "db/fixture-20261124T030000Z.tar.zst";
        let out = pgbag_s3(&s3, None).args(["pin", &s3_url(key), "--reason", "audit 2026"]).output().unwrap();
        insta::assert_snapshot!("pin", shown(&out));
        insta::assert_snapshot!("list", shown(&pgbag_s3(&s3, None).args(["list", &s3_url("db/")]).output().unwrap()));
        let out = pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--keep-last", "1"]).output().unwrap();
        insta::assert_snapshot!("prune", shown(&out));
    });
}
