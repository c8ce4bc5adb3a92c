//! Hostile lexing (issue 11): dumps whose splitting psql and a byte-wise
//! reader disagree on, and SQL that reaches outside the database.
//!
//! Every case in `cases` is a complete dump that runs something outside the
//! database when fed to plain `psql -X -f` (the control, checked first, so
//! each test can fail): a shell command through psql, a program or a file
//! write on the server, a connection elsewhere, a role or setting changed
//! for the whole cluster. pgbag must refuse it in every way a dump reaches
//! psql (`WAYS`): exit 3, the refusal naming the finding code or SQL class,
//! nothing run, the target as it was. Drill refuses with its own exit code
//! for errors ([`DRILL_REFUSED`]). The restores run as the cluster's
//! superuser, through the real psql 15.18.
//!
//! The look-alikes are what pg_dump does write; they restore every way, with
//! their values intact. `differential` compares pgbag's scanner with psql's
//! own `\restrict` mode on a corpus of tricky inputs.

mod cases;
mod differential;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::*;
use crate::hostile_dumps::marker_dir;
use crate::live::pgbag_for;
use crate::util::Cluster;
use cases::Case;

/// Exit code of a refused restore (spec/exit-codes.md, REFUSED).
const REFUSED: i32 = 3;

/// Exit code of a drill whose restore is refused: 3, as for restore
/// (spec/restore.md, "Drill").
const DRILL_REFUSED: i32 = 3;

/// The other database `\connect` cases aim at, and the role the role cases
/// aim at.
const OTHER_DB: &str = "hl_other";
const VICTIM: &str = "hl_victim";

/// How a case shows that something ran outside the database.
#[derive(Clone, Copy)]
pub enum Probe {
    /// `MARKER` appeared: psql ran a shell command, or the server ran a
    /// program or wrote the file.
    File,
    /// `query` on database `db` counts something the dump did to the cluster;
    /// `undo` puts it back after the control.
    Query { db: &'static str, query: &'static str, undo: &'static str },
    /// Counts something in the database restored into; only the control can
    /// show it (a refused restore leaves its target untouched anyway).
    InTarget(&'static str),
    /// Something connected to the listener on 127.0.0.2.
    Tcp,
    /// Nothing a test can see; the control is not run.
    Unobservable,
}

/// Counts TCP connections to 127.0.0.2:port, closing each at once (psql and
/// libpq then fail instead of waiting for a server).
struct Listener {
    port: u16,
    hits: Arc<AtomicUsize>,
}

impl Listener {
    fn start() -> Listener {
        let l = TcpListener::bind("127.0.0.2:0").expect("bind 127.0.0.2 (the whole of 127/8 is loopback on Linux)");
        let port = l.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            for stream in l.incoming() {
                counter.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Listener { port, hits }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// The cluster, the listener and a world-writable directory for markers.
struct Bench {
    pg: Cluster,
    tcp: Listener,
    dir: tempfile::TempDir,
}

impl Bench {
    fn start() -> Option<Bench> {
        let pg = Cluster::start()?;
        pg.create_db(OTHER_DB);
        pg.psql("postgres", &format!("CREATE ROLE {VICTIM} NOLOGIN"));
        Some(Bench { pg, tcp: Listener::start(), dir: marker_dir() })
    }
}

/// A complete plain dump as pg_dump 15 wrote it before `\restrict` (so that
/// the control shows what psql alone does), with `body` after a table and
/// its data.
pub fn dump(body: &[u8]) -> Vec<u8> {
    let mut d = b"--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n\
-- Dumped by pg_dump version 15.18\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\
SET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n\
SET check_function_bodies = false;\nSET client_min_messages = warning;\n\n\
--\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (a text, b text);\n\n\
--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\
COPY public.t (a, b) FROM stdin;\nx\ty\n\\.\n\n"
        .to_vec();
    d.extend_from_slice(body);
    d.extend_from_slice(b"\n--\n-- PostgreSQL database dump complete\n--\n\n");
    d
}

fn replace(haystack: &[u8], from: &str, to: &str) -> Vec<u8> {
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// One case on disk.
struct Written {
    sql: PathBuf,
    pkg: PathBuf,
    marker: PathBuf,
    /// The case's unique name (`PWNED`).
    pwned: String,
}

impl Written {
    fn try_new(b: &Bench, tag: &str, body: &[u8], target_db: &str) -> Result<Written, String> {
        let dir = b.dir.path();
        let marker = dir.join(format!("{tag}.marker"));
        let pwned = format!("pwned_{}", tag.replace('-', "_"));
        let m = marker.display().to_string();
        // What `COPY ... FROM 'MARKER.src'` and `lo_import` read.
        fs::write(format!("{m}.src"), format!("{pwned}\tsecret\n")).unwrap();
        // What CREATE TABLESPACE wants: an empty directory the server owns.
        let ts = PathBuf::from(format!("{m}.d"));
        fs::create_dir_all(&ts).unwrap();
        if pgbag::pg::cluster::running_as_root() {
            let id = |flag: &str| -> u32 {
                let out = std::process::Command::new("id").args([flag, "postgres"]).output().unwrap();
                String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
            };
            std::os::unix::fs::chown(&ts, Some(id("-u")), Some(id("-g"))).unwrap();
        }
        let mut body = body.to_vec();
        for (from, to) in [
            ("MARKER", m.as_str()),
            ("PWNED", pwned.as_str()),
            ("OTHERDB", OTHER_DB),
            ("TCPPORT", &b.tcp.port.to_string()),
            ("TARGETDB", target_db),
        ] {
            body = replace(&body, from, to);
        }
        let sql = dir.join(format!("{tag}.sql"));
        fs::write(&sql, dump(&body)).unwrap();
        let out = pgbag()
            .args(["pack", "--created-at", CREATED, "--sql"])
            .arg(&sql)
            .arg("-o")
            .arg(dir.join(format!("{tag}.tar.zst")))
            .output()
            .unwrap();
        if !out.status.success() {
            return Err(format!("pack --sql failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        let pkg = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
        Ok(Written { sql, pkg, marker, pwned })
    }

    fn new(b: &Bench, tag: &str, body: &[u8], target_db: &str) -> Written {
        Written::try_new(b, tag, body, target_db).unwrap_or_else(|e| panic!("{tag}: {e}"))
    }

    fn fill(&self, s: &str) -> String {
        s.replace("PWNED", &self.pwned)
    }
}

/// Whether the probe shows the case ran; `in_target` is the database the
/// dump went into, for [`Probe::InTarget`].
fn fired(b: &Bench, w: &Written, probe: Probe, hits_before: usize, in_target: Option<&str>) -> bool {
    match probe {
        Probe::File => w.marker.exists(),
        Probe::Query { db, query, .. } => b.pg.psql(db, &w.fill(query)) != "0",
        Probe::InTarget(query) => in_target.is_some_and(|db| b.pg.psql(db, &w.fill(query)) != "0"),
        Probe::Tcp => b.tcp.hits() > hits_before,
        Probe::Unobservable => false,
    }
}

/// The control: plain `psql -X -f`, as a restore by hand runs it. Says
/// whether the case ran, and undoes what it did.
fn plain_psql_runs_it(b: &Bench, w: &Written, probe: Probe, db: &str) -> bool {
    b.pg.create_db(db);
    let hits = b.tcp.hits();
    let _ = b.pg.command("psql").args(["-X", "-q", "-d", db, "-f"]).arg(&w.sql).output().unwrap();
    let ran = fired(b, w, probe, hits, Some(db));
    undo(b, w, probe);
    ran
}

/// Puts back what a case that ran did outside the database, so that the
/// next way starts clean.
fn undo(b: &Bench, w: &Written, probe: Probe) {
    let _ = fs::remove_file(&w.marker);
    if let Probe::Query { db, undo, .. } = probe {
        b.pg.psql(db, &w.fill(undo));
    }
}

/// A database holding one table with one row, for `--confirm`.
fn existing_db(pg: &Cluster, db: &str) {
    pg.create_db(db);
    pg.psql(db, "CREATE TABLE public.sentinel (a integer); INSERT INTO public.sentinel VALUES (1)");
}

/// What a refused restore must leave as it was.
fn fingerprint(pg: &Cluster, db: &str) -> String {
    pg.psql(
        db,
        "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace) || '/' || \
         (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace) || '/' || \
         (SELECT count(*) FROM public.sentinel) || '/' || (SELECT count(*) FROM pg_largeobject_metadata) || '/' || \
         (SELECT count(*) FROM pg_extension)",
    )
}

fn db_exists(pg: &Cluster, db: &str) -> bool {
    pg.psql("postgres", &format!("SELECT count(*) FROM pg_database WHERE datname = '{db}'")) != "0"
}

fn drill_dbs(pg: &Cluster) -> String {
    pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgbag_drill_%'")
}

/// How a dump reaches psql: (what, the package or the bare .sql, target
/// exists already, extra restore args).
const WAYS: &[(&str, bool, bool, &[&str])] = &[
    ("package, --create", true, false, &["--create"]),
    ("package, --create --single-transaction", true, false, &["--create", "--single-transaction"]),
    ("package, --confirm over an existing database", true, true, &["--confirm", "DB"]),
    (
        "package, --confirm --single-transaction --no-verify",
        true,
        true,
        &["--confirm", "DB", "--single-transaction", "--no-verify"],
    ),
    ("bare .sql, --create", false, false, &["--create"]),
    ("bare .sql, --confirm --single-transaction", false, true, &["--confirm", "DB", "--single-transaction"]),
];

fn restore(pg: &Cluster, input: &Path, db: &str, extra: &[&str]) -> Output {
    let extra: Vec<&str> = extra.iter().map(|a| if *a == "DB" { db } else { a }).collect();
    pgbag_for(pg).arg("restore").arg(input).args(["-q", "--target", &pg.conninfo(db)]).args(extra).output().unwrap()
}

fn drill(pg: &Cluster, pkg: &Path) -> Output {
    pgbag_for(pg).args(["drill", "-q"]).arg(pkg).args(["--target", &pg.conninfo("postgres")]).output().unwrap()
}

/// Runs every case of `list` every way; returns what went wrong, one line
/// each, so that a run shows every failing case at once.
fn refuse_every_way(b: &Bench, family: &str, list: &[Case]) -> Vec<String> {
    let pg = &b.pg;
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(what);
    for (i, case) in list.iter().enumerate() {
        let tag = format!("{family}-{i}");
        let name = case.name;
        let w = match Written::try_new(b, &tag, case.body, "") {
            Ok(w) => w,
            Err(e) => {
                fail(format!("{name}: {e}"));
                continue;
            }
        };
        if !matches!(case.probe, Probe::Unobservable)
            && !plain_psql_runs_it(b, &w, case.probe, &format!("ctl_{}", tag.replace('-', "_")))
        {
            fail(format!(
                "{name}: the control did not run it: plain psql 15.18 is not fooled, the case proves nothing"
            ));
        }
        if let Some(code) = case.finding {
            let (_, v) = validate(&w.pkg);
            let found =
                v["findings"].as_array().unwrap().iter().any(|f| f["code"] == code && f["severity"] == "warning");
            if !found {
                fail(format!("{name}: validate: no warning {code} among {:?}", codes(&v)));
            }
        }
        for (j, (way, packaged, exists, extra)) in WAYS.iter().enumerate() {
            let db = format!("{}_{j}", tag.replace('-', "_"));
            if *exists {
                existing_db(pg, &db);
            }
            let before = exists.then(|| fingerprint(pg, &db));
            let hits = b.tcp.hits();
            let input = if *packaged { &w.pkg } else { &w.sql };
            let out = restore(pg, input, &db, extra);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(REFUSED) {
                fail(format!("{name} ({way}): exit {:?}, not {REFUSED}: {}", out.status.code(), stderr.trim()));
            } else if !stderr.contains(case.says)
                // Under --no-verify the plan knows only the summary: a hazard
                // that hides a meta-command is refused as that meta-command,
                // or the stream stops at the first hazard it meets.
                && !(way.contains("--no-verify") && (stderr.contains("[meta-command]") || stderr.contains("(sql-")))
            {
                fail(format!("{name} ({way}): refused without naming {}: {}", case.says, stderr.trim()));
            }
            if fired(b, &w, case.probe, hits, None) {
                fail(format!("{name} ({way}): IT RAN"));
            }
            undo(b, &w, case.probe);
            match &before {
                Some(before) if fingerprint(pg, &db) != *before => {
                    fail(format!("{name} ({way}): the target was changed"))
                }
                None if db_exists(pg, &db) => fail(format!("{name} ({way}): the target database was created")),
                _ => {}
            }
        }
        let drills = drill_dbs(pg);
        let hits = b.tcp.hits();
        let out = drill(pg, &w.pkg);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(DRILL_REFUSED) || !stderr.contains(case.says) {
            fail(format!(
                "{name} (drill): exit {:?}, not {DRILL_REFUSED} naming {}: {}",
                out.status.code(),
                case.says,
                stderr.trim()
            ));
        }
        if fired(b, &w, case.probe, hits, None) {
            fail(format!("{name} (drill): IT RAN"));
        }
        if drill_dbs(pg) != drills {
            fail(format!("{name} (drill): a scratch database was left"));
        }
        undo(b, &w, case.probe);
    }
    eprintln!(
        "hostile lexing, {family}: {} cases x {} ways + drill, {} failures",
        list.len(),
        WAYS.len(),
        failures.len()
    );
    failures
}

fn assert_none(family: &str, failures: Vec<String>) {
    assert!(failures.is_empty(), "{family}: {} failures:\n  {}", failures.len(), failures.join("\n  "));
}

#[test]
fn splitting_hazards_are_refused_every_way_and_nothing_runs() {
    let Some(b) = Bench::start() else { return };
    assert_none("splitting", refuse_every_way(&b, "split", cases::SPLITTING));
}

#[test]
fn meta_command_lines_inside_a_statement_are_refused_every_way_and_nothing_runs() {
    let Some(b) = Bench::start() else { return };
    assert_none("in-statement", refuse_every_way(&b, "instmt", cases::IN_STATEMENT));
}

#[test]
fn connect_to_anything_but_the_target_is_refused_every_way() {
    let Some(b) = Bench::start() else { return };
    assert_none("connect", refuse_every_way(&b, "connect", cases::CONNECT));
}

#[test]
fn sql_reaching_outside_the_database_is_refused_every_way() {
    let Some(b) = Bench::start() else { return };
    assert_none("outside", refuse_every_way(&b, "outside", cases::OUTSIDE));
}

#[test]
fn lookalikes_restore_every_way_with_their_values() {
    let Some(b) = Bench::start() else { return };
    let pg = &b.pg;
    let mut failures = Vec::new();
    for (i, l) in cases::LOOKALIKES.iter().enumerate() {
        let (query, answer) = l.check;
        // The control: plain psql restores it, stopping at any error.
        let ctl = format!("ctl_look_{i}");
        pg.create_db(&ctl);
        let w = Written::new(&b, &format!("look-{i}-ctl"), l.body, &ctl);
        let out = pg
            .command("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &ctl, "-f"])
            .arg(&w.sql)
            .output()
            .unwrap();
        if !out.status.success() || pg.psql(&ctl, query) != answer {
            failures.push(format!("{} (control): {}", l.name, String::from_utf8_lossy(&out.stderr).trim()));
            continue;
        }
        for (j, (way, packaged, exists, extra)) in WAYS.iter().enumerate() {
            let db = format!("look_{i}_{j}");
            if *exists {
                existing_db(pg, &db);
            }
            // A dump naming its target is written for that target.
            let named = l.body.windows(8).any(|x| x == b"TARGETDB");
            let own;
            let w = if named {
                own = Written::new(&b, &format!("look-{i}-{j}"), l.body, &db);
                &own
            } else {
                &w
            };
            let out = restore(pg, if *packaged { &w.pkg } else { &w.sql }, &db, extra);
            if !out.status.success() {
                failures.push(format!(
                    "{} ({way}): exit {:?}: {}",
                    l.name,
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            } else if pg.psql(&db, query) != answer {
                failures.push(format!("{} ({way}): {query} did not give {answer}", l.name));
            }
        }
        if l.drill {
            let out = drill(pg, &w.pkg);
            if !out.status.success() {
                failures.push(format!(
                    "{} (drill): exit {:?}: {}{}",
                    l.name,
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).trim(),
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .filter(|l| l.contains("FAIL"))
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
        }
    }
    assert_none("look-alikes", failures);
}

/// `--allow-sql CLASS` lets that class through, and only that class.
#[test]
fn allow_sql_lets_its_class_through() {
    let Some(b) = Bench::start() else { return };
    let pg = &b.pg;
    let body = b"CREATE FUNCTION public.note() RETURNS void LANGUAGE sql AS $$INSERT INTO public.t VALUES ('called', 'x')$$;\n\
SELECT public.note();\n";
    let w = Written::new(&b, "allow", body, "");
    let out = restore(pg, &w.pkg, "allow_0", &["--create"]);
    assert_eq!(out.status.code(), Some(REFUSED), "{}", String::from_utf8_lossy(&out.stderr));
    let out = restore(pg, &w.pkg, "allow_1", &["--create", "--allow-sql", "copy-program"]);
    assert_eq!(
        out.status.code(),
        Some(REFUSED),
        "another class lets nothing through: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = restore(pg, &w.pkg, "allow_2", &["--create", "--allow-sql", "function-call"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(pg.psql("allow_2", "SELECT count(*) FROM public.t WHERE a = 'called'"), "1");
}

/// What the SQL guard cannot see: a trusted-language function the dump
/// defines runs whatever it likes when a default, a trigger, an index, a
/// check or a materialized view calls it while the dump loads. As a
/// superuser that includes a server-side `lo_export` (IMMUTABLE, as an index
/// needs; `COPY` is not allowed there) or `COPY ... TO PROGRAM` (the
/// control); as a role without superuser, PostgreSQL refuses both (the
/// advice of spec/robustness.md).
#[test]
fn known_gaps_run_as_superuser_but_not_as_a_plain_role() {
    let Some(b) = Bench::start() else { return };
    let pg = &b.pg;
    pg.psql("postgres", "CREATE ROLE hl_restorer LOGIN CREATEDB");
    let f = "SELECT pg_catalog.lo_create('4345');\nCREATE FUNCTION public.f() RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$BEGIN PERFORM pg_catalog.lo_export(4345, 'MARKER'); RETURN 1; END$$;\n";
    let gaps: [(&str, String); 5] = [
        ("a column default during COPY", format!("{f}CREATE TABLE public.d (a text, b integer DEFAULT public.f());\nCOPY public.d (a) FROM stdin;\n1\n\\.\n")),
        ("a CHECK constraint", format!("{f}CREATE TABLE public.d (a integer CHECK (public.f() = 1));\nINSERT INTO public.d VALUES (1);\n")),
        ("an index expression", format!("{f}CREATE TABLE public.d (a integer);\nINSERT INTO public.d VALUES (1);\nCREATE INDEX d_f ON public.d ((public.f() + a));\n")),
        ("a materialized view refresh", format!("{f}CREATE MATERIALIZED VIEW public.mv AS SELECT public.f() AS x WITH NO DATA;\nREFRESH MATERIALIZED VIEW public.mv;\n")),
        (
            "a trigger during COPY",
            "CREATE FUNCTION public.tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; RETURN NEW; END$$;\n\
CREATE TRIGGER tf BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.tf();\nCOPY public.t (a, b) FROM stdin;\n1\t2\n\\.\n"
                .to_string(),
        ),
    ];
    for (i, (name, body)) in gaps.iter().enumerate() {
        let w = Written::new(&b, &format!("gap-{i}"), body.as_bytes(), "");
        assert!(plain_psql_runs_it(&b, &w, Probe::File, &format!("ctl_gap_{i}")), "{name}: the control did not run it");
        let target = format!("host={} port={} user=hl_restorer dbname=gap_{i}", pg.host(), pg.port());
        let out =
            pgbag_for(pg).arg("restore").arg(&w.pkg).args(["-q", "--create", "--target", &target]).output().unwrap();
        assert!(!out.status.success(), "{name}: restored as a plain role");
        assert!(!w.marker.exists(), "{name}: it ran as a plain role");
    }
}
