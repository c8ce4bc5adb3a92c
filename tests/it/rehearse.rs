//! Rehearsals (`drill --rehearse CONNINFO`): a restore to a given target,
//! on a temporary cluster laid out like it, that fails where the real
//! restore would and touches nothing on the target but catalog reads.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::*;
use crate::live::pgbag_for;
use crate::util::Cluster;

/// A Heroku-like target: database app_db owned by the login role app, no
/// superuser, with pgcrypto installed in heroku_ext by the superuser (as
/// Heroku does since 2022). The server logs every statement with its role.
pub(crate) fn heroku_like(pg: &Cluster) -> String {
    pg.psql("postgres", "CREATE ROLE app LOGIN");
    pg.psql("postgres", "CREATE DATABASE app_db OWNER app TEMPLATE template0");
    pg.psql(
        "app_db",
        "CREATE SCHEMA heroku_ext; GRANT USAGE ON SCHEMA heroku_ext TO PUBLIC; CREATE EXTENSION pgcrypto WITH SCHEMA heroku_ext;",
    );
    pg.psql("postgres", "ALTER SYSTEM SET log_statement = 'all'");
    pg.psql("postgres", "ALTER SYSTEM SET log_line_prefix = '@@ %u@%d '");
    pg.psql("postgres", "SELECT pg_reload_conf()");
    format!("host={} port={} user=app dbname=app_db", pg.host(), pg.port())
}

/// Everything on the target a restore could change, in one digest.
fn fingerprint(pg: &Cluster) -> String {
    pg.psql(
        "app_db",
        "SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (\
           SELECT 'db:' || datname FROM pg_database UNION ALL SELECT 'role:' || rolname FROM pg_roles \
           UNION ALL SELECT 'nsp:' || nspname FROM pg_namespace \
           UNION ALL SELECT 'ext:' || extname || ':' || extversion FROM pg_extension \
           UNION ALL SELECT 'rel:' || c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')) s(x)",
    )
}

/// What the role app ran on the target, from the server log.
fn statements_of_app(pg: &Cluster) -> Vec<String> {
    let log = fs::read_to_string(pg.log_path()).unwrap();
    // An entry runs from its prefix to the next: statements span lines.
    log.split("@@ ")
        .filter_map(|entry| entry.strip_prefix("app@app_db LOG:  statement: "))
        .map(|s| s.trim().to_string())
        .collect()
}

/// A source database whose dump installs pgcrypto in public and uses it.
fn source_with_pgcrypto(pg: &Cluster) {
    pg.create_db("source");
    pg.psql(
        "source",
        "CREATE EXTENSION pgcrypto; \
         CREATE TABLE public.users (id integer PRIMARY KEY, token bytea DEFAULT public.digest('x', 'sha256')); \
         INSERT INTO public.users (id) SELECT generate_series(1, 5);",
    );
}

/// The institution's nightly form: `pg_dump --no-owner --no-acl`, packed.
fn nightly_package(pg: &Cluster, dir: &Path) -> PathBuf {
    let dump = dir.join("nightly.sql");
    fs::write(&dump, pg.pg_dump("source", &["--no-owner", "--no-acl"])).unwrap();
    pack_sql(&dump, dir, &[])
}

fn rehearse(pg: &Cluster, pkg: &Path, target: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    pgbag_for(pg).arg("drill").arg(pkg).args(["--rehearse", target]).args(extra).assert()
}

#[test]
fn a_heroku_like_target_is_rehearsed_refused_then_passed_and_never_touched() {
    let Some(pg) = Cluster::start() else { return };
    source_with_pgcrypto(&pg);
    let dir = tempfile::tempdir().unwrap();
    let pkg = nightly_package(&pg, dir.path());
    let target = heroku_like(&pg);
    let before = fingerprint(&pg);

    // As `pgbag restore` would be: refused, with the plan and its fix.
    rehearse(&pg, &pkg, &target, &[]).code(3).stderr(
        predicate::str::contains("Restore plan for database app_db")
            .and(predicate::str::contains("REFUSED [extension] extension pgcrypto"))
            .and(predicate::str::contains("--extension-schema pgcrypto=heroku_ext"))
            .and(predicate::str::contains("the target was not touched")),
    );
    assert_eq!(fingerprint(&pg), before, "the refused rehearsal touched the target");

    let out = rehearse(&pg, &pkg, &target, &["--json", "--extension-schema", "pgcrypto=heroku_ext"]).success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["passed"], true, "{report:#}");
    assert_eq!(report["database"], "app_db");
    let server = report["server"].as_str().unwrap();
    assert!(server.starts_with("temporary local cluster (PostgreSQL 15.") && server.ends_with(" as app"), "{server}");
    let users = report["checks"].as_array().unwrap().iter().find(|c| c["object"] == "public.users").unwrap();
    assert_eq!(users["found"], "5 rows");
    assert_eq!(fingerprint(&pg), before, "the rehearsal touched the target");

    // Only catalog reads ran on the target.
    let ran = statements_of_app(&pg);
    assert!(!ran.is_empty(), "the server log shows no statement of app");
    assert!(ran.iter().all(|s| s.starts_with("SELECT ")), "not only SELECTs ran on the target: {ran:#?}");

    // And the real restore, told the same, succeeds.
    pgbag_for(&pg)
        .arg("restore")
        .arg(&pkg)
        .args(["-q", "--single-transaction", "--extension-schema", "pgcrypto=heroku_ext", "--target", &target])
        .assert()
        .success();
    assert_eq!(pg.psql("app_db", "SELECT count(*) FROM public.users"), "5");
}

/// The first lines that say why a run failed: the plan's refusals, or
/// psql's error.
fn why_failed(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("REFUSED ") || l.contains("ERROR:"))
        .map(|l| l.split_once("ERROR:").map_or(l, |(_, e)| e).trim().to_string())
        .collect()
}

/// A dump that keeps its owners (`OWNER TO postgres`) cannot be restored
/// by a role that is no member of postgres (issue 12, failure 5): the
/// rehearsal must fail exactly where the real restore fails, and pass with
/// the same --no-owner that makes the real one pass.
#[test]
fn a_rehearsal_fails_where_the_real_restore_fails() {
    let Some(pg) = Cluster::start() else { return };
    source_with_pgcrypto(&pg);
    let dir = tempfile::tempdir().unwrap();
    let pkg = printed_path(
        pgbag_for(&pg).args(["pack", "--db", &pg.conninfo("source"), "-o"]).arg(format!("{}/", dir.path().display())),
    );
    let target = heroku_like(&pg);
    let before = fingerprint(&pg);
    let opts = ["--extension-schema", "pgcrypto=heroku_ext"];
    let rehearsed = rehearse(&pg, &pkg, &target, &opts).failure();
    let rehearsed = rehearsed.get_output();
    let rehearsal_why = why_failed(&String::from_utf8_lossy(&rehearsed.stderr));
    assert_eq!(fingerprint(&pg), before, "the rehearsal touched the target");

    let real = pgbag_for(&pg)
        .arg("restore")
        .arg(&pkg)
        .args(["-q", "--single-transaction", "--target", &target])
        .args(opts)
        .assert()
        .failure();
    let real = real.get_output();
    let real_why = why_failed(&String::from_utf8_lossy(&real.stderr));
    assert!(!real_why.is_empty(), "{real:?}");
    assert_eq!(rehearsal_why, real_why, "the rehearsal failed elsewhere than the restore");
    // A refused plan is exit 3 for both; psql failing on the dump is the
    // package not restoring (drill: 1) and a failed restore (restore: 4).
    let codes = (rehearsed.status.code(), real.status.code());
    assert!(codes == (Some(3), Some(3)) || codes == (Some(1), Some(4)), "{codes:?}");

    rehearse(&pg, &pkg, &target, &["--no-owner", "--extension-schema", "pgcrypto=heroku_ext"]).success();
}

#[test]
fn a_rehearsal_reads_what_it_cannot_reproduce_as_exit_2() {
    let Some(pg) = Cluster::start() else { return };
    let target = heroku_like(&pg);
    let good = repo("samples/packages/good.tar.zst");
    // A --pg-bindir of another major version than the target's.
    let dir = tempfile::tempdir().unwrap();
    for tool in ["initdb", "pg_ctl"] {
        std::os::unix::fs::symlink(pg.bindir().join(tool), dir.path().join(tool)).unwrap();
    }
    let fake = dir.path().join("postgres");
    fs::write(&fake, "#!/bin/sh\necho 'postgres (PostgreSQL) 9.6.24'\n").unwrap();
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    pgbag_for(&pg)
        .arg("drill")
        .arg(&good)
        .args(["--rehearse", &target, "--pg-bindir"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds PostgreSQL 9").and(predicate::str::contains("runs PostgreSQL 15")));
    // An unreachable target is no verdict on the package.
    pgbag_for(&pg)
        .arg("drill")
        .arg(&good)
        .args(["--rehearse", &format!("host={} port=1 user=app dbname=app_db", pg.host())])
        .assert()
        .code(2);
}
