//! Across major versions, with real PostgreSQL 17 next to the machine's
//! older one (15 here): a package of a 15 database restores into 17 through
//! psql 15, as users upgrading a server do; a real pg_dump 17 dump of a 17
//! database restores into 15; drills run on 17.
//!
//! PostgreSQL 17 comes from `Cluster::start_version(17)`: `bash .ci/run`
//! installs it and sets PGBAG_PG17_BINDIR and PGBAG_PG17_CLIENT_BINDIR.
//! Without it these tests skip with a note, and fail under CI=true.

use std::ffi::OsString;
use std::fs;

use crate::common::*;
use crate::live::pgbag_for;
use crate::restore::{content_hash, sequences};
use crate::util::{self, Cluster};

/// Every table of the fixture, with the big one when `big`.
fn fixture_tables(big: bool) -> Vec<(&'static str, &'static str, u64)> {
    let mut tables = util::FIXTURE_ROW_COUNTS.to_vec();
    if big {
        tables.push(util::FIXTURE_BIG_TABLE);
    }
    tables
}

/// The older cluster: the machine's default PostgreSQL, which must be older
/// than 17 for these tests to cross versions.
fn older_cluster() -> Option<Cluster> {
    let pg = Cluster::start()?;
    let num = server_version_num(&pg);
    assert!(num < 170000, "these tests need a default PostgreSQL older than 17 (PGBAG_PG_BINDIR), got {num}");
    Some(pg)
}

fn server_version_num(pg: &Cluster) -> u32 {
    pg.psql("postgres", "SHOW server_version_num").parse().unwrap()
}

/// pgbag with `clients`' psql and pg_dump first on PATH, so that which
/// client talks to which server is what the test says, not what PATH holds.
fn pgbag_with_clients_of(target: &Cluster, clients: &Cluster) -> assert_cmd::Command {
    let mut cmd = pgbag_for(target);
    let mut path = vec![clients.bindir().to_path_buf()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    cmd.env("PATH", std::env::join_paths(path).unwrap());
    cmd
}

/// The major version of the psql pgbag will run with `cmd`'s PATH.
fn psql_major_on(path: &OsString) -> u32 {
    let out = std::process::Command::new("psql").arg("--version").env("PATH", path).output().unwrap();
    // "psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let text = String::from_utf8(out.stdout).unwrap();
    let version = text.split_whitespace().nth(2).unwrap_or_else(|| panic!("psql --version: {text}"));
    version.split('.').next().unwrap().parse().unwrap()
}

fn path_of(cmd: &assert_cmd::Command) -> OsString {
    cmd.get_envs().find(|(k, _)| *k == "PATH").and_then(|(_, v)| v.map(OsString::from)).unwrap()
}

/// Content the fixture holds beyond its tables: the large object, the
/// materialized view, the enum, the partitions' bounds and the pgcrypto
/// default, as one comparable string.
fn fixture_extras(pg: &Cluster, db: &str) -> String {
    pg.psql(
        db,
        &format!(
            "SELECT concat_ws(' / ',
               (SELECT encode(lo_get({oid}), 'hex')),
               (SELECT count(*) FROM public.author_book_counts),
               (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e
                  JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'public'),
               (SELECT string_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), ',' ORDER BY c.relname)
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'public.measurements'::regclass),
               (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
                  JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                 WHERE d.adrelid = 'public.authors'::regclass AND a.attname = 'salt'))",
            oid = util::FIXTURE_LARGE_OBJECT_OID
        ),
    )
}

/// The roles the fixture's ownership and grants name, which a fresh target
/// cluster lacks (they are global, outside any dump of one database).
fn create_fixture_roles(pg: &Cluster) {
    pg.psql("postgres", "CREATE ROLE pgbag_reader NOLOGIN; CREATE ROLE pgbag_writer NOLOGIN");
}

/// Equal rows in every table, each holding `rows`, and equal extras.
fn assert_same_content(src: &Cluster, src_db: &str, dst: &Cluster, dst_db: &str, tables: &[(&str, &str, u64)]) {
    for &(schema, table, rows) in tables {
        assert_eq!(
            dst.psql(dst_db, &util::count_rows_sql(schema, table)),
            rows.to_string(),
            "{schema}.{table} rows after the restore"
        );
        assert_eq!(
            content_hash(src, src_db, schema, table),
            content_hash(dst, dst_db, schema, table),
            "{schema}.{table}"
        );
    }
    assert_eq!(sequences(src, src_db), sequences(dst, dst_db));
    let extras = fixture_extras(src, src_db);
    assert!(extras.contains("gen_random_bytes(8)") && extras.contains("measurements_2024 FOR VALUES"), "{extras}");
    assert_eq!(extras, fixture_extras(dst, dst_db));
}

#[test]
fn a_package_of_a_15_database_restores_into_17_through_psql_15_with_equal_content() {
    let Some(pg17) = Cluster::start_version(17) else { return };
    let Some(pg15) = older_cluster() else { return };
    pg15.load_fixture("fixture", true);
    let dir = tempfile::tempdir().unwrap();
    let pkg = printed_path(
        pgbag_with_clients_of(&pg15, &pg15)
            .args(["pack", "--db", &pg15.conninfo("fixture"), "-o"])
            .arg(format!("{}/", dir.path().display())),
    );
    assert!(inspect_json(&pkg)["source"]["pg_dump_version"].as_str().unwrap().starts_with("15."));

    create_fixture_roles(&pg17);
    let mut plan = pgbag_with_clients_of(&pg17, &pg15);
    assert_eq!(psql_major_on(&path_of(&plan)), 15, "the restore must go through the older psql");
    let plan = plan
        .arg("restore")
        .arg(&pkg)
        .args(["--plan", "--create", "--target", &pg17.conninfo("restored")])
        .assert()
        .success();
    let plan = String::from_utf8_lossy(&plan.get_output().stdout).into_owned();
    assert!(plan.contains("on PostgreSQL 17."), "{plan}");
    assert!(!plan.contains("left out:"), "a 15 dump into 17 needs nothing left out:\n{plan}");

    pgbag_with_clients_of(&pg17, &pg15)
        .arg("restore")
        .arg(&pkg)
        .args(["-q", "--create", "--single-transaction", "--target", &pg17.conninfo("restored")])
        .assert()
        .success();
    assert_same_content(&pg15, "fixture", &pg17, "restored", &fixture_tables(true));
}

#[test]
fn a_pg_dump_17_dump_of_a_17_database_restores_into_15_with_equal_content() {
    let Some(pg17) = Cluster::start_version(17) else { return };
    if pg17.own_bin("pg_dump").is_none() {
        return;
    }
    let Some(pg15) = older_cluster() else { return };
    pg17.load_fixture("fixture17", false);
    // Rows that PostgreSQL 17 itself made, through the pgcrypto default.
    pg17.psql("fixture17", "INSERT INTO public.authors (name) VALUES ('Seventeen')");
    let dump = pg17.pg_dump("fixture17", &[]);
    let text = String::from_utf8(dump.clone()).unwrap();
    for needed in [
        "-- Dumped from database version 17.",
        "-- Dumped by pg_dump version 17.",
        "\nSET transaction_timeout = 0;\n",
        "\n\\restrict ",
    ] {
        assert!(text.contains(needed), "the pg_dump 17 dump lacks {needed:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let sql = dir.path().join("fixture17.sql");
    fs::write(&sql, &dump).unwrap();

    // The control: plain psql 15 stops at the setting 15 does not know.
    pg15.create_db("by_hand");
    let out = pg15
        .command("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "by_hand", "-f"])
        .arg(&sql)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("transaction_timeout"), "the control: {stderr}");

    let pkg = pack_sql(&sql, dir.path(), &[]);
    create_fixture_roles(&pg15);
    let plan = pgbag_with_clients_of(&pg15, &pg15)
        .arg("restore")
        .arg(&pkg)
        .args(["--plan", "--create", "--target", &pg15.conninfo("restored")])
        .assert()
        .success();
    let plan = String::from_utf8_lossy(&plan.get_output().stdout).into_owned();
    assert!(plan.contains("SET transaction_timeout left out"), "{plan}");
    pgbag_with_clients_of(&pg15, &pg15)
        .arg("restore")
        .arg(&pkg)
        .args(["-q", "--create", "--single-transaction", "--target", &pg15.conninfo("restored")])
        .assert()
        .success();
    // The insert above added an author, and its trigger an audit_log row.
    let tables: Vec<_> = fixture_tables(false)
        .into_iter()
        .map(|(schema, table, rows)| match (schema, table) {
            ("public", "authors" | "audit_log") => (schema, table, rows + 1),
            _ => (schema, table, rows),
        })
        .collect();
    assert_same_content(&pg17, "fixture17", &pg15, "restored", &tables);
    // The default works on 15 after the restore, not only the copied rows.
    assert_eq!(
        pg15.psql("restored", "INSERT INTO public.authors (name) VALUES ('Fifteen') RETURNING length(salt)"),
        "8"
    );
}

#[test]
fn drills_pass_on_a_17_server_and_on_a_temporary_17_cluster() {
    let Some(pg17) = Cluster::start_version(17) else { return };
    let good = repo("samples/packages/good.tar.zst");
    let check = |out: &assert_cmd::assert::Assert| -> serde_json::Value {
        let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let checks = report["checks"].as_array().unwrap();
        assert!(checks.len() > util::FIXTURE_ROW_COUNTS.len(), "{report:#}");
        assert!(checks.iter().all(|c| c["ok"] == true), "{report:#}");
        for (schema, table, rows) in util::FIXTURE_ROW_COUNTS {
            // The fixture's public tables need no quotes; its other names all do.
            let name = if *schema == "public" {
                format!("public.{table}")
            } else {
                format!("{}.{}", util::quote_ident(schema), util::quote_ident(table))
            };
            let c = checks
                .iter()
                .find(|c| c["kind"] == "table" && c["object"] == name.as_str())
                .unwrap_or_else(|| panic!("no check of {schema}.{table}: {report:#}"));
            assert_eq!(c["found"], format!("{rows} rows"), "{schema}.{table}");
        }
        assert_eq!(report["passed"], true);
        report
    };

    let before = pg17.psql("postgres", "SELECT count(*) FROM pg_database");
    let out = pgbag_for(&pg17)
        .args(["drill", "--json", "--target", &pg17.conninfo("postgres")])
        .arg(&good)
        .assert()
        .success();
    check(&out);
    assert_eq!(
        pg17.psql("postgres", "SELECT count(*) FROM pg_database"),
        before,
        "the scratch database was not dropped"
    );

    // Without --target, on a cluster pgbag starts itself from PGBAG_PG_BINDIR.
    let out = pgbag().env("PGBAG_PG_BINDIR", pg17.bindir()).args(["drill", "--json"]).arg(&good).assert().success();
    let report = check(&out);
    let server = report["server"].as_str().unwrap();
    assert!(server.starts_with("temporary local cluster (PostgreSQL 17."), "{server}");
}

/// A rehearsal runs the target's major version: a 17 target is rehearsed
/// on a temporary 17 cluster (its programs named by --pg-bindir), and is
/// refused, exit 2, saying what to install, where no 17 can be found.
#[test]
fn a_17_target_is_rehearsed_on_a_temporary_17_cluster() {
    let Some(pg17) = Cluster::start_version(17) else { return };
    let target = crate::rehearse::heroku_like(&pg17);
    let good = repo("samples/packages/good.tar.zst");
    let out = pgbag_for(&pg17)
        .args(["drill", "--json", "--no-owner", "--no-privileges", "--extension-schema", "pgcrypto=heroku_ext"])
        .args(["--rehearse", &target, "--pg-bindir"])
        .arg(pg17.bindir())
        .arg(&good)
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let server = report["server"].as_str().unwrap();
    assert!(server.starts_with("temporary local cluster (PostgreSQL 17."), "{server}");
    assert_eq!(report["passed"], true, "{report:#}");
    if std::path::Path::new("/usr/lib/postgresql/17/bin/postgres").exists() {
        return; // this machine has a 17 where pgbag looks by itself
    }
    pgbag_for(&pg17)
        .env_remove("PGBAG_PG_BINDIR")
        .args(["drill", "--rehearse", &target])
        .arg(&good)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no PostgreSQL 17 server programs are installed here"));
}
