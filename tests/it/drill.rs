//! Restore drills: on a temporary local cluster pgbag starts itself, and in
//! a scratch database on a given server.

use std::fs;

use predicates::prelude::*;

use crate::common::*;
use crate::live::pgbag_for;
use crate::util::Cluster;

#[test]
fn a_good_package_passes_on_a_temporary_local_cluster() {
    if Cluster::start().is_none() {
        return; // no PostgreSQL here (outside CI): Cluster::start explained why
    }
    let out = pgbag().args(["drill", "--json"]).arg(repo("samples/packages/good.tar.zst")).assert().success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["passed"], true);
    let books = report["checks"].as_array().unwrap().iter().find(|c| c["object"] == "public.books").unwrap();
    assert_eq!((books["expected"].as_str(), books["found"].as_str()), (Some("1000 rows"), Some("1000 rows")));
    assert!(report["server"].as_str().unwrap().contains("temporary local cluster"));
    // Nothing of the cluster is left behind.
    let leftovers: Vec<_> = fs::read_dir("/tmp")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("pgbag-drill-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
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
