//! Restore drills: on a temporary local cluster pgbag starts itself, in a
//! scratch database on a given server, and rehearsals of a restore to a
//! given target on a temporary cluster laid out like it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::*;
use crate::faults::{Run, pgbag_std, wait_until};
use crate::live::pgbag_for;
use crate::util::Cluster;

#[test]
fn a_good_package_passes_on_a_temporary_local_cluster() {
    if Cluster::start().is_none() {
        return; // no PostgreSQL here (outside CI): Cluster::start explained why
    }
    // pgbag's temporary cluster goes into $TMPDIR: this test's own, where
    // nobody else's can be. 0755, for the server's OS user when we are root.
    let tmpdir = tempfile::Builder::new().prefix("pgbag-drill-test-").tempdir_in("/tmp").unwrap();
    fs::set_permissions(tmpdir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = pgbag_std(None);
    cmd.env("TMPDIR", tmpdir.path()).args(["drill", "--json"]).arg(repo("samples/packages/good.tar.zst"));
    let mut run = Run::spawn(cmd, Stdio::null());
    // The cluster appears there (the check below would pass vacuously if
    // pgbag put it elsewhere) ...
    let start = Instant::now();
    while listing(tmpdir.path()).is_empty() && run.child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(60), "no temporary cluster appeared in $TMPDIR");
        std::thread::sleep(Duration::from_millis(20));
    }
    let made = listing(tmpdir.path());
    let status = run.wait_within(Duration::from_secs(120));
    assert!(status.success(), "{status}: {}", run.stderr());
    assert!(made.len() == 1 && made[0].starts_with("pgbag-drill-"), "{made:?}; stderr: {}", run.stderr());
    // ... and nothing of it is left behind.
    assert_eq!(listing(tmpdir.path()), Vec::<String>::new(), "left behind");
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(report["passed"], true);
    let books = report["checks"].as_array().unwrap().iter().find(|c| c["object"] == "public.books").unwrap();
    assert_eq!((books["expected"].as_str(), books["found"].as_str()), (Some("1000 rows"), Some("1000 rows")));
    assert!(report["server"].as_str().unwrap().contains("temporary local cluster"));
}

#[test]
fn rows_that_do_not_arrive_fail_the_drill_and_scratch_databases_are_dropped() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A valid dump whose trigger, created before the data, swallows a row:
    // the package validates, but the restored table has 2 rows, not 3.
    let sql = "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
        SET standard_conforming_strings = on;\n\n\
        --\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (a integer);\n\n\
        --\n-- Name: skip_two(); Type: FUNCTION; Schema: public; Owner: -\n--\n\n\
        CREATE FUNCTION public.skip_two() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF NEW.a = 2 THEN RETURN NULL; END IF;\n  RETURN NEW;\nEND\n$$;\n\n\
        --\n-- Name: t skip; Type: TRIGGER; Schema: public; Owner: -\n--\n\n\
        CREATE TRIGGER skip BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.skip_two();\n\n\
        --\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\
        COPY public.t (a) FROM stdin;\n1\n2\n3\n\\.\n\n\
        --\n-- PostgreSQL database dump complete\n--\n\n";
    let dump = dir.path().join("lossy.sql");
    fs::write(&dump, sql).unwrap();
    let pkg = pack_sql(&dump, dir.path(), &[]);
    assert_eq!(validate(&pkg).0, 0);
    let before = pg.psql("postgres", "SELECT count(*) FROM pg_database");
    pgbag_for(&pg).arg("drill").arg(&pkg).args(["--target", &pg.conninfo("postgres")]).assert().code(1).stdout(
        predicate::str::contains("FAIL").and(predicate::str::contains("expected         3 rows  found 2 rows")),
    );
    assert_eq!(pg.psql("postgres", "SELECT count(*) FROM pg_database"), before, "the scratch database was not dropped");
    // --keep leaves it for a look.
    pgbag_for(&pg)
        .arg("drill")
        .arg(repo("samples/packages/good.tar.zst"))
        .args(["--keep", "--target", &pg.conninfo("postgres")])
        .assert()
        .success();
    assert_eq!(pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgbag_drill_%'"), "1");
    // An invalid package fails before anything is restored.
    pgbag_for(&pg)
        .arg("drill")
        .arg(repo("samples/packages/broken-checksum.tar.gz"))
        .args(["--target", &pg.conninfo("postgres")])
        .assert()
        .code(1);
}

/// An extension with a configuration table, as PostGIS's spatial_ref_sys
/// is: its script fills the table with 3 rows and marks it with
/// `pg_extension_config_dump(…, 'WHERE id > 100')`, so that pg_dump dumps
/// only the rows users add. Installed into the test server's share
/// directory (which the test needs to be able to write: CI runs as root)
/// and removed on drop.
struct ConfigExtension {
    files: Vec<PathBuf>,
}

impl ConfigExtension {
    const CONTROL: &str = "comment = 'pgbag tests: an extension configuration table'\n\
                           default_version = '1.0'\nrelocatable = false\n";
    const SCRIPT: &str = "CREATE TABLE pgbag_config (id integer PRIMARY KEY, label text NOT NULL);\n\
        INSERT INTO pgbag_config VALUES (1, 'shipped'), (2, 'shipped'), (3, 'shipped');\n\
        SELECT pg_catalog.pg_extension_config_dump('pgbag_config', 'WHERE id > 100');\n";

    fn install(pg: &Cluster) -> Option<ConfigExtension> {
        let share = pg.psql("postgres", "SELECT setting FROM pg_config WHERE name = 'SHAREDIR'");
        let dir = Path::new(&share).join("extension");
        let mut ext = ConfigExtension { files: Vec::new() };
        for (name, text) in [("pgbag_test_config.control", Self::CONTROL), ("pgbag_test_config--1.0.sql", Self::SCRIPT)]
        {
            let path = dir.join(name);
            if let Err(e) = fs::write(&path, text) {
                let why = format!("cannot write into {} ({e}); CI runs as root and can", dir.display());
                crate::util::unavailable("a writable PostgreSQL extension directory", why);
                return None;
            }
            ext.files.push(path);
        }
        Some(ext)
    }
}

impl Drop for ConfigExtension {
    fn drop(&mut self) {
        for f in &self.files {
            let _ = fs::remove_file(f);
        }
    }
}

/// Issue 12, failure 10: every PostGIS drill failed, because spatial_ref_sys
/// holds the 8500 rows CREATE EXTENSION puts there and the dump none of
/// them. Here the extension's script puts 3 rows, a user added 1: the dump
/// holds that one, and the restored table 4.
#[test]
fn an_extension_configuration_table_is_compared_by_its_dump_filter() {
    let Some(pg) = Cluster::shared() else { return };
    let Some(_ext) = ConfigExtension::install(pg) else { return };
    let configured = pg.unique("configured");
    pg.create_db(&configured);
    pg.psql(&configured, "CREATE EXTENSION pgbag_test_config; INSERT INTO pgbag_config VALUES (101, 'added');");
    let dir = tempfile::tempdir().unwrap();
    let pkg = printed_path(
        pgbag_for(pg).args(["pack", "--db", &pg.conninfo(&configured), "-o"]).arg(format!("{}/", dir.path().display())),
    );
    let out =
        pgbag_for(pg).arg("drill").arg(&pkg).args(["--json", "--target", &pg.conninfo("postgres")]).assert().success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let table = report["checks"].as_array().unwrap().iter().find(|c| c["object"] == "public.pgbag_config").unwrap();
    assert_eq!(table["expected"], "1 row from the dump (extension configuration table of pgbag_test_config)");
    assert_eq!(table["found"], "1 row passing its dump filter (4 in all)");
    assert_eq!((table["ok"].as_bool(), report["passed"].as_bool()), (Some(true), Some(true)), "{report:#}");
}

/// Issue 12, failure 10: a drill as a role without CREATEDB said "the
/// package did not restore", exit 1, and a monitor would raise a false
/// "the backup is bad" alarm. It is this server's problem: exit 2.
#[test]
fn a_role_without_createdb_is_an_operational_problem_not_a_bad_package() {
    let Some(pg) = Cluster::shared() else { return };
    let plain = pg.unique("plain");
    pg.psql("postgres", &format!("CREATE ROLE {plain} LOGIN"));
    let as_plain = format!("host={} port={} user={plain} dbname=postgres", pg.host(), pg.port());
    pgbag_for(pg)
        .arg("drill")
        .arg(repo("samples/packages/good.tar.zst"))
        .args(["--target", &as_plain])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("REFUSED [privileges]")
                .and(predicate::str::contains("the drill cannot run on this server, whatever the package holds"))
                .and(predicate::str::contains("--rehearse"))
                .and(predicate::str::contains("did not restore").not()),
        );
}

/// psql losing its connection part-way (the server restarting, an
/// administrator's pg_terminate_backend) says nothing about the package:
/// exit 2, and the scratch database is dropped all the same. A restore
/// says so too (exit 2, as for an interrupt), with the target's state.
#[test]
fn psql_losing_its_connection_is_exit_2_for_drill_and_restore() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("slow.sql");
    fs::write(
        &dump,
        "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
         SET standard_conforming_strings = on;\n\n\
         --\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (a integer);\n\n\
         SELECT pg_sleep(120);\n\n--\n-- PostgreSQL database dump complete\n--\n\n",
    )
    .unwrap();
    let pkg = pack_sql(&dump, dir.path(), &[]);
    let before = pg.psql("postgres", "SELECT count(*) FROM pg_database");
    // Runs pgbag ARGS until psql sleeps in a database LIKE `db`, then
    // terminates that session.
    let cut_off = |args: &[&str], db: &str| {
        let mut cmd = pgbag_std(Some(&pg));
        cmd.arg(args[0]).arg(&pkg).args(["-q", "--allow-sql", "function-call"]).args(&args[1..]);
        let mut run = Run::spawn(cmd, Stdio::null());
        let sleeping =
            format!("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE '{db}' AND wait_event = 'PgSleep'");
        wait_until(&pg, &sleeping, "1");
        let kill = format!("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname LIKE '{db}'");
        assert_eq!(pg.psql("postgres", &kill), "1");
        let status = run.wait_within(Duration::from_secs(60));
        let stderr = run.stderr();
        assert_eq!(status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("psql lost its connection to the server"), "{args:?}: {stderr}");
        stderr
    };
    let stderr = cut_off(&["drill", "--target", &pg.conninfo("postgres")], "pgbag\\_drill\\_%");
    assert!(!stderr.contains("did not restore"), "{stderr}");
    assert_eq!(pg.psql("postgres", "SELECT count(*) FROM pg_database"), before, "the scratch database was not dropped");
    let stderr = cut_off(&["restore", "--create", "--target", &pg.conninfo("cut_off")], "cut\\_off");
    assert!(stderr.contains("database cut_off, which this restore created, was dropped again"), "{stderr}");
}
