//! Round trips against a real throwaway PostgreSQL cluster: pack --db, then
//! check rows against the database, validate, and hand the bag to the
//! reference BagIt validator and sha256sum.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use crate::util::{self, Cluster};

/// `pgbag` with the cluster's PG* environment.
pub(crate) fn pgbag_for(pg: &Cluster) -> assert_cmd::Command {
    let mut cmd = pgbag();
    for var in ["PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE", "PGPASSWORD", "DATABASE_URL"] {
        cmd.env_remove(var);
    }
    cmd.envs(pg.env());
    cmd
}

/// A tool the CI image must have; outside CI its absence skips that check.
fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    if !found {
        util::unavailable(tool, "it is not on PATH");
    }
    found
}

#[test]
fn pack_db_round_trip_rows_validate_bagit_and_sha256sum() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    pg.load_fixture(&fixture, true);
    let dir = tempfile::tempdir().unwrap();
    let pkg = printed_path(
        pgbag_for(pg)
            .args(["pack", "--globals", "--db", &pg.conninfo(&fixture), "-o"])
            .arg(format!("{}/", dir.path().display())),
    );
    let name = pkg.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("{fixture}-")) && name.ends_with("Z.tar.zst"), "{name}");

    // Every table's rows in the summary equal SELECT count(*).
    let v = inspect_json(&pkg);
    let tables = v["tables"].as_array().unwrap();
    let mut expected: Vec<(&str, &str, u64)> = util::FIXTURE_ROW_COUNTS.to_vec();
    expected.push(util::FIXTURE_BIG_TABLE);
    for (schema, table, rows) in expected {
        let t = tables
            .iter()
            .find(|t| t["schema"] == schema && t["name"] == table)
            .unwrap_or_else(|| panic!("{schema}.{table} missing from the summary"));
        let counted: u64 = pg.psql(&fixture, &util::count_rows_sql(schema, table)).parse().unwrap();
        assert_eq!((t["rows"].as_u64().unwrap(), counted), (rows, rows), "{schema}.{table}");
    }
    let big = tables.iter().find(|t| t["name"] == "big_values").unwrap();
    assert!(big["bytes"].as_u64().unwrap() >= util::FIXTURE_BIG_PAYLOAD_BYTES);

    // Facts from the server.
    assert_eq!(v["source"]["database"], fixture.as_str());
    let server = pg.psql(&fixture, "SHOW server_version");
    assert_eq!(v["source"]["server_version"], server.split_whitespace().next().unwrap());
    let pgcrypto = v["extensions"].as_array().unwrap().iter().find(|e| e["name"] == "pgcrypto").unwrap();
    assert_eq!(
        pgcrypto["version"],
        pg.psql(&fixture, "SELECT extversion FROM pg_extension WHERE extname = 'pgcrypto'")
    );
    let paths: Vec<&str> = v["payload"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["data/dump.sql", "data/globals.sql"]);

    let (exit, report) = validate(&pkg);
    assert_eq!(exit, 0, "{report:#}");

    // Extract with tar; check with sha256sum and the Library of Congress validator.
    let x = tempfile::tempdir().unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("zstd -dc '{}' | tar -xf - -C '{}'", pkg.display(), x.path().display()))
        .status()
        .unwrap();
    assert!(status.success());
    let bag = x.path().join(name.trim_end_matches(".tar.zst"));
    for manifest in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
        let out = Command::new("sha256sum").args(["-c", manifest]).current_dir(&bag).output().unwrap();
        assert!(out.status.success(), "sha256sum -c {manifest}: {}", String::from_utf8_lossy(&out.stdout));
    }
    if have("bagit.py") {
        let out = Command::new("bagit.py").arg("--validate").arg(&bag).output().unwrap();
        assert!(out.status.success(), "bagit.py: {}", String::from_utf8_lossy(&out.stderr));
    }
    let globals = fs::read_to_string(bag.join("data/globals.sql")).unwrap();
    assert!(globals.contains("CREATE ROLE pgbag_reader"), "{globals}");
    assert!(!globals.contains("PASSWORD"), "globals must not carry passwords");
    let readme = fs::read_to_string(bag.join("pgbag/README.txt")).unwrap();
    assert!(readme.contains("sha256sum -c manifest-sha256.txt") && readme.contains("ON_ERROR_STOP=1"));
    assert!(readme.contains("public.books: 1000 rows"));
}

#[test]
fn a_failing_pg_dump_gives_exit_2_with_its_message_and_no_output() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    pg.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    pgbag_for(pg)
        .args(["pack", "--table", "no_such_table", "--db", &pg.conninfo(&fixture), "-o"])
        .arg(format!("{}/", dir.path().display()))
        .args(["--", "--strict-names"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("pg_dump failed").and(predicates::str::contains("no matching tables")));
    assert!(listing(dir.path()).is_empty(), "left behind: {:?}", listing(dir.path()));
    // Without --db and --sql, DATABASE_URL names the database (Heroku's convention).
    let url = format!("postgresql://{}@/{fixture}?host={}&port={}", pg.superuser(), pg.host(), pg.port());
    pgbag_for(pg)
        .env("DATABASE_URL", &url)
        .args(["pack", "--no-owner", "-o"])
        .arg(dir.path().join("from-url.tar.zst"))
        .assert()
        .success();
    let v = inspect_json(&dir.path().join("from-url.tar.zst"));
    assert_eq!(v["source"]["database"], fixture.as_str());
    assert_eq!(v["source"]["pg_dump_options"], serde_json::json!(["--no-owner"]));
    // No database at all: a clear connection error, exit 2.
    pgbag_for(pg)
        .args(["pack", "--db", &pg.conninfo("nope")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nope"));
}

use predicates::prelude::PredicateBooleanExt;

/// Waits up to 30 s until `count_sql` returns 1.
fn wait_for(pg: &Cluster, count_sql: &str) {
    let start = Instant::now();
    while pg.psql("fixture", count_sql) != "1" {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for: {count_sql}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The pid of a `pg_dump` whose parent is `parent`, waiting up to 30 s.
pub(crate) fn find_child(parent: u32, comm: &str) -> u32 {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        for e in fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
            // pid (comm) state ppid ...
            let Some(close) = stat.rfind(')') else { continue };
            let name = &stat[stat.find('(').unwrap() + 1..close];
            let ppid: u32 = stat[close + 2..].split(' ').nth(1).unwrap().parse().unwrap();
            if ppid == parent && name == comm {
                return pid;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no {comm} child of {parent} appeared");
}

#[test]
fn pg_dump_killed_mid_run_leaves_nothing_and_never_saw_the_password_in_argv() {
    let Some(pg) = Cluster::start() else { return };
    pg.load_fixture("fixture", false);
    // Hold a lock so pg_dump blocks part-way, deterministically.
    let mut locker = pg
        .command("psql")
        .args([
            "-X",
            "-q",
            "-d",
            "fixture",
            "-c",
            "BEGIN; LOCK TABLE public.books IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Regression: the lock must be held before pack starts, or pg_dump can
    // finish first and there is nothing left to kill.
    wait_for(
        &pg,
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
         WHERE c.relname = 'books' AND l.mode = 'AccessExclusiveLock' AND l.granted",
    );
    let dir = tempfile::tempdir().unwrap();
    let secret = "s3cr3t-Pa55";
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("pgbag"));
    pg.apply_env(&mut cmd);
    let conn = format!("{} password={secret}", pg.conninfo("fixture"));
    let pack = cmd
        .args(["pack", "--db", &conn, "-o"])
        .arg(format!("{}/", dir.path().display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // pg_dump is connected and waiting for the lock: truly mid-run.
    wait_for(
        &pg,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'",
    );
    // Regression: looked up earlier, the child named pg_dump could be the
    // short-lived `pg_dump --version`, gone by the time its argv was read.
    let dump_pid = find_child(pack.id(), "pg_dump");
    let cmdline = fs::read(format!("/proc/{dump_pid}/cmdline")).unwrap();
    assert!(!String::from_utf8_lossy(&cmdline).contains(secret), "password in pg_dump's argv");
    let own = fs::read(format!("/proc/{}/cmdline", pack.id())).unwrap();
    assert!(String::from_utf8_lossy(&own).contains(secret), "sanity: the test passed it to pgbag");
    let killed = Command::new("kill").args(["-KILL", &dump_pid.to_string()]).status().unwrap().success();
    let out = pack.wait_with_output().unwrap();
    assert!(
        killed,
        "pg_dump {dump_pid} was gone before the kill; pack exited {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = locker.kill();
    let _ = locker.wait();
    assert_eq!(out.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pg_dump failed"), "{stderr}");
    assert!(!stderr.contains(secret), "password in the error message");
    assert!(out.stdout.is_empty());
    assert!(listing(dir.path()).is_empty(), "left behind: {:?}", listing(dir.path()));
}
