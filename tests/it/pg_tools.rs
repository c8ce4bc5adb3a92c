//! Which pg_dump pack runs, and which psql restore runs (spec/pack.md,
//! "Which pg_dump"; spec/restore.md, "Which psql"), with a real PostgreSQL
//! 17 server and real pg_dump/psql 15 and 17: pg_dump 15 cannot dump a 17
//! server ("server version mismatch"), so pack must find the 17 one, or
//! refuse before writing anything, naming the version to install.
//!
//! PostgreSQL 17 comes from `Cluster::start_version(17)` (`bash .ci/run`
//! installs it); the older clients are the machine's default PostgreSQL
//! (15 here). Without either these tests skip with a note, and fail under
//! CI=true.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;
use crate::live::pgbag_for;
use crate::util::Cluster;

/// A PostgreSQL 17 server with a small database `tiny`, and the bin
/// directories of its own clients (17) and of the machine's older ones.
struct Setup {
    pg17: Cluster,
    clients17: PathBuf,
    older: PathBuf,
}

fn setup() -> Option<Setup> {
    let pg17 = Cluster::start_version(17)?;
    let clients17 = pg17.own_bin("pg_dump")?.parent().unwrap().to_path_buf();
    let older = pgbag::pg::cluster::find_bindir().ok()?;
    let version = pgbag::pg::tool_version(older.join("pg_dump")).unwrap();
    assert!(pgbag::pg::clients::major_of(&version).unwrap() < 17, "the default PostgreSQL must be older than 17");
    pg17.create_db("tiny");
    pg17.psql("tiny", "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2)");
    Some(Setup { pg17, clients17, older })
}

/// `dirs` first on PATH, then the rest of it.
fn path_with(dirs: &[&Path]) -> OsString {
    let mut path: Vec<PathBuf> = dirs.iter().map(|d| d.to_path_buf()).collect();
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(path).unwrap()
}

/// PATH with only `dir` of PostgreSQL's programs: the rest of PATH
/// without any directory holding pg_dump or psql.
fn path_with_only(dir: &Path) -> OsString {
    let rest = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("pg_dump").exists() && !d.join("psql").exists())
        .collect::<Vec<_>>();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(rest)).unwrap()
}

/// Whether a PostgreSQL 17 is installed where pgbag looks by itself.
fn seventeen_in_well_known_places() -> bool {
    ["/usr/lib/postgresql/17/bin", "/usr/pgsql-17/bin", "/usr/local/pgsql/bin"].iter().any(|d| {
        let p = Path::new(d).join("pg_dump");
        p.exists() && pgbag::pg::tool_version(&p).is_ok_and(|v| v.starts_with("17."))
    })
}

fn pack(s: &Setup, dir: &Path) -> assert_cmd::Command {
    let mut cmd = pgbag_for(&s.pg17);
    cmd.env_remove("PGBAG_PG_BINDIR").args(["pack", "--db", &s.pg17.conninfo("tiny"), "-o"]);
    cmd.arg(format!("{}/", dir.display()));
    cmd
}

#[test]
fn pack_runs_a_pg_dump_17_for_a_17_server_though_pg_dump_15_comes_first_on_path() {
    let Some(s) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();

    // Found by the search: both on PATH, the older first.
    let out = pack(&s, dir.path()).env("PATH", path_with(&[&s.older, &s.clients17])).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("pgbag: pg_dump 17.") && stderr.contains("for PostgreSQL 17."), "{stderr}");
    let pkg = PathBuf::from(String::from_utf8_lossy(&out.get_output().stdout).trim());
    let manifest = inspect_json(&pkg);
    assert!(manifest["source"]["pg_dump_version"].as_str().unwrap().starts_with("17."), "{manifest:#}");
    assert!(!manifest.to_string().contains(s.clients17.to_str().unwrap()), "no path in the package: {manifest:#}");

    // Named: PGBAG_PG_BINDIR, or --pg-bindir (with --globals, whose
    // pg_dumpall comes from the same directory), with only 15 on PATH.
    let dir = tempfile::tempdir().unwrap();
    let pkg = printed_path(
        pack(&s, dir.path())
            .args(["--name", "by-env"])
            .env("PATH", path_with(&[&s.older]))
            .env("PGBAG_PG_BINDIR", &s.clients17),
    );
    assert!(inspect_json(&pkg)["source"]["pg_dump_version"].as_str().unwrap().starts_with("17."));
    let pkg = printed_path(
        pack(&s, dir.path())
            .args(["--globals", "--name", "by-option", "--pg-bindir"])
            .arg(&s.clients17)
            .env("PATH", path_with(&[&s.older])),
    );
    let v = inspect_json(&pkg);
    assert!(v["source"]["pg_dump_version"].as_str().unwrap().starts_with("17."), "{v:#}");
    assert_eq!(validate(&pkg).0, 0);
}

#[test]
fn pack_refuses_a_17_server_with_only_pg_dump_15_before_writing_anything() {
    let Some(s) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let refused = |cmd: &mut assert_cmd::Command| {
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        for needed in ["the server runs PostgreSQL 17.", "pg_dump ", " 15.", "postgresql-client-17", "--pg-bindir"] {
            assert!(stderr.contains(needed), "{needed:?} missing: {stderr}");
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "something was written");
    };
    // Named explicitly: only that one counts.
    refused(pack(&s, dir.path()).env("PGBAG_PG_BINDIR", &s.older).env("PATH", path_with(&[&s.clients17])));
    refused(pack(&s, dir.path()).arg("--pg-bindir").arg(&s.older).env("PATH", path_with(&[&s.clients17])));
    if seventeen_in_well_known_places() {
        return; // the search would find that one
    }
    // The search: PATH holds only the older programs.
    refused(pack(&s, dir.path()).env("PATH", path_with_only(&s.older)));
}

/// `pgbag restore PKG --create --target …/restored ARGS` with `path` as PATH.
fn restore(s: &Setup, pkg: &Path, path: OsString, args: &[&str]) -> Vec<u8> {
    let out = pgbag_for(&s.pg17)
        .env_remove("PGBAG_PG_BINDIR")
        .env("PATH", path)
        .arg("restore")
        .arg(pkg)
        .args(["--create", "--target", &s.pg17.conninfo("restored")])
        .args(args)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

fn plan_json(s: &Setup, pkg: &Path, path: OsString, extra: &[&str]) -> Value {
    let mut args = vec!["--plan", "--json"];
    args.extend_from_slice(extra);
    serde_json::from_slice(&restore(s, pkg, path, &args)).unwrap()
}

#[test]
fn restore_runs_a_psql_of_the_dumps_pg_dump_and_its_plan_says_which() {
    let Some(s) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pkg = printed_path(pack(&s, dir.path()).arg("--pg-bindir").arg(&s.clients17));

    // Both on PATH, the older first: the plan takes the 17 psql.
    let plan = plan_json(&s, &pkg, path_with(&[&s.older, &s.clients17]), &[]);
    let psql = &plan["psql"];
    assert!(psql["version"].as_str().unwrap().starts_with("17."), "{plan:#}");
    assert_eq!(
        Path::new(psql["path"].as_str().unwrap()).parent(),
        Some(fs::canonicalize(&s.clients17).unwrap().as_path())
    );
    assert!(psql["dump_by"].as_str().unwrap().starts_with("17."), "{psql}");
    assert!(psql["reason"].as_str().unwrap().contains("the major version of pg_dump 17."), "{psql}");
    assert_eq!(plan["target"]["psql_version"], psql["version"]);
    crate::spec::assert_valid(&plan, "restore-plan.schema.json", "plan");

    // Named: --pg-bindir, whatever its version; an older one gets a note.
    let plan = plan_json(&s, &pkg, path_with(&[&s.clients17]), &["--pg-bindir", s.older.to_str().unwrap()]);
    assert!(plan["psql"]["version"].as_str().unwrap().starts_with("15."), "{plan:#}");
    assert!(plan["psql"]["reason"].as_str().unwrap().contains("--pg-bindir"), "{plan:#}");
    let notes: Vec<&str> = plan["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(
        notes.iter().any(|n| n.contains("older than pg_dump 17.") && n.contains("postgresql-client-17")),
        "{notes:#?}"
    );
    assert!(plan["refusals"].as_array().unwrap().is_empty(), "an older psql is a note, not a refusal: {plan:#}");

    // The text plan says it too, and the restore runs through it.
    let text = restore(&s, &pkg, path_with(&[&s.older, &s.clients17]), &["--plan"]);
    let text = String::from_utf8_lossy(&text).into_owned();
    assert!(text.contains("  psql: 17.") && text.contains("the major version of pg_dump 17."), "{text}");
    restore(&s, &pkg, path_with(&[&s.older, &s.clients17]), &["-q"]);
    assert_eq!(s.pg17.psql("restored", "SELECT count(*) FROM t"), "2");
}
