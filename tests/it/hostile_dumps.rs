//! Hostile dumps: every psql meta-command form that could act on the
//! restoring machine, embedded in an otherwise valid complete dump, is
//! refused before psql sees it (exit 3). Each form tries to create its own
//! marker file; none may exist afterwards, and the target stays untouched.
//! The control: the same dump fed to plain `psql -f` does create the marker
//! (except inside `\restrict`, which psql itself enforces).
//!
//! Each form is restored four ways: the package (verifying pass), the package
//! with `--no-verify` (the plan trusts the package's summary), a bag whose
//! summary was edited to hide the meta-command, with `--no-verify` (only the
//! streaming filter stands between the line and psql), and the bare .sql.
//!
//! The negative controls put the same lines where psql does not read them as
//! meta-commands (strings, dollar quotes, comments, quoted identifiers, COPY
//! data): they restore, and still nothing runs, with pgbag or plain psql.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::*;
use crate::live::pgbag_for;
use crate::util::Cluster;

/// Meta-command forms, each creating `MARKER` if psql ran it. `MARKER.inc`
/// holds `\! touch MARKER`, for the include commands.
const HOSTILE: &[(&str, &str)] = &[
    ("\\! shell", "\\! touch MARKER\n"),
    ("\\! indented", "   \\! touch MARKER\n"),
    // `#`: the shell would otherwise make a file named "MARKER\r".
    ("\\! with CRLF", "\\! touch MARKER #\r\n"),
    ("\\o |cmd", "\\o |touch MARKER\nSELECT 1;\n\\o\n"),
    ("\\out |cmd", "\\out |touch MARKER\nSELECT 1;\n"),
    ("\\o file", "\\o MARKER\nSELECT 1;\n\\o\n"),
    ("\\g |cmd", "SELECT 1 \\g |touch MARKER\n"),
    ("\\gx |cmd", "SELECT 1 \\gx |touch MARKER\n"),
    ("\\g file", "SELECT 1 \\g MARKER\n"),
    (
        "\\gexec (COPY ... PROGRAM on the server)",
        "SELECT format('COPY (SELECT 1) TO PROGRAM %L', 'touch MARKER') \\gexec\n",
    ),
    ("\\w file", "SELECT 1\n\\w MARKER\n;\n"),
    ("\\copy ... to program", "\\copy (SELECT 1) TO PROGRAM 'touch MARKER'\n"),
    ("\\copy ... from program", "\\copy public.t FROM PROGRAM 'touch MARKER'\n"),
    ("\\i file", "\\i MARKER.inc\n"),
    ("\\include file", "\\include MARKER.inc\n"),
    ("\\ir file", "\\ir MARKER.inc\n"),
    ("\\setenv with backticks", "\\setenv PGBAG_X `touch MARKER`\n"),
    ("\\setenv then \\!", "\\setenv PGBAG_M MARKER\n\\! touch \"$PGBAG_M\"\n"),
    ("\\lo_export", "SELECT pg_catalog.lo_create(4242);\n\\lo_export 4242 MARKER\n"),
    ("\\set with backticks", "\\set x `touch MARKER`\n"),
    ("\\echo with backticks", "\\echo `touch MARKER`\n"),
    ("\\if with backticks", "\\if `touch MARKER; echo 1`\n\\endif\n"),
    ("after a semicolon", "SELECT 1; \\! touch MARKER\n"),
    ("in the middle of a statement", "CREATE TABLE public.u (a integer) \\! touch MARKER\n;\n"),
    ("after a closed string", "SELECT 'a', 'b;'; \\! touch MARKER\n"),
    ("after a string ending in a backslash", "SELECT 'C:\\';\n\\! touch MARKER\n"),
    ("after an E'' string with an escaped quote", "SELECT E'it\\'s';\n\\! touch MARKER\n"),
    ("after a dollar quote", "SELECT $q$x$q$; \\! touch MARKER\n"),
    ("after a block comment", "/* c */ \\! touch MARKER\n"),
    ("after COPY data", "COPY public.t (a, b) FROM stdin;\n1\t2\n\\.\n\\! touch MARKER\n"),
    ("second command on an allowed line", "\\connect - \\! touch MARKER\n"),
    ("backticks in \\connect", "\\connect `touch MARKER`\n"),
    ("backticks in \\restrict", "\\restrict `touch MARKER`\nSELECT 1;\n\\unrestrict `touch MARKER`\n"),
    ("inside \\restrict", "\\restrict RESTRICTKEY\n\\! touch MARKER\n\\unrestrict RESTRICTKEY\n"),
];

/// A query on the restored database and what it must return.
type Check = Option<(&'static str, &'static str)>;

/// Lines that only look like meta-commands, and checks of what they restored.
const LOOKALIKES: &[(&str, &str, Check)] = &[
    ("a string", "SELECT '\\! touch MARKER';\n", None),
    (
        "a string over lines",
        "CREATE TABLE public.s (v text);\nINSERT INTO public.s VALUES ('x\n\\! touch MARKER\n');\n",
        Some(("SELECT count(*) FROM public.s WHERE strpos(v, '\\! touch') > 0", "1")),
    ),
    (
        "a $$ function body",
        "CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$\n\\! touch MARKER\n$$;\n",
        Some(("SELECT count(*) FROM pg_proc WHERE proname = 'f' AND strpos(prosrc, '\\! touch') > 0", "1")),
    ),
    (
        "a $fn$ body holding $$",
        "CREATE FUNCTION public.g() RETURNS text LANGUAGE sql AS $fn$\nSELECT $$\n\\o |touch MARKER\n$$::text\n$fn$;\n",
        Some(("SELECT strpos(public.g(), '\\o |touch') > 0", "t")),
    ),
    (
        "E'' strings",
        "CREATE TABLE public.e (v text);\nINSERT INTO public.e VALUES (E'\\\\! touch MARKER'), (E'a\\'b\n\\! touch MARKER');\n",
        Some(("SELECT count(*) FROM public.e", "2")),
    ),
    (
        // As pg_dump writes it with standard_conforming_strings off: an E''
        // string (a plain '' one with \' is ambiguous, and refused).
        "an escaped quote with standard_conforming_strings off",
        "SET standard_conforming_strings = off;\nCREATE TABLE public.o (v text);\n\
         INSERT INTO public.o VALUES (E'it\\'s\n\\\\! touch MARKER');\nSET standard_conforming_strings = on;\n",
        Some(("SELECT count(*) FROM public.o WHERE v LIKE 'it''s%'", "1")),
    ),
    ("line comments", "-- \\! touch MARKER\nSELECT 1; -- \\! touch MARKER\n", None),
    ("block comments", "/* \\! touch MARKER */ SELECT 1;\n/*\n\\! touch MARKER\n*/\nSELECT 2;\n", None),
    ("a nested block comment", "/* outer /* inner */\n\\! touch MARKER\n*/ SELECT 3;\n", None),
    (
        "a quoted identifier",
        "CREATE TABLE public.\"odd\n\\! touch MARKER\" (a integer);\n",
        Some(("SELECT count(*) FROM pg_class WHERE relname LIKE 'odd%'", "1")),
    ),
    (
        "COPY rows starting with a backslash",
        "COPY public.t (a, b) FROM stdin;\n\\! touch MARKER\tz\n\\\\! touch MARKER\tz\n\\\\o |touch MARKER\tz\n\\.\n",
        Some(("SELECT count(*) FROM public.t WHERE strpos(a, '! touch') > 0 OR starts_with(a, '\\o |touch')", "3")),
    ),
    (
        "INSERT values (pg_dump --inserts)",
        "INSERT INTO public.t VALUES ('\\! touch MARKER', '\\o |touch MARKER');\n",
        Some(("SELECT count(*) FROM public.t WHERE starts_with(b, '\\o |touch')", "1")),
    ),
];

/// A complete plain dump, the way pg_dump writes it, with `body` after a
/// table and its data.
fn dump(body: &str) -> String {
    format!(
        "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
         SET standard_conforming_strings = on;\nSET check_function_bodies = false;\n\
         SELECT pg_catalog.set_config('search_path', '', false);\n\n\
         --\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (a text, b text);\n\n\
         --\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\
         COPY public.t (a, b) FROM stdin;\nx\ty\n\\.\n\n{body}\n\
         --\n-- PostgreSQL database dump complete\n--\n\n"
    )
}

/// One case on disk: its dump, its marker (absent) and `MARKER.inc`.
fn write_case(dir: &Path, name: &str, body: &str) -> (PathBuf, PathBuf) {
    let marker = dir.join(format!("{name}.marker"));
    let inc = PathBuf::from(format!("{}.inc", marker.display()));
    fs::write(&inc, format!("\\! touch {}\n", marker.display())).unwrap();
    let key = "k".repeat(63);
    let body = body.replace("MARKER", &marker.display().to_string()).replace("RESTRICTKEY", &key);
    let sql = dir.join(format!("{name}.sql"));
    fs::write(&sql, dump(&body)).unwrap();
    (sql, marker)
}

fn pack_file(sql: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    printed_path(pgbag().args(["pack", "--created-at", CREATED, "--sql"]).arg(sql).arg("-o").arg(out).args(extra))
}

/// A bag directory whose summary no longer lists the dump's meta-commands:
/// with --no-verify, only the streaming filter can still catch them.
fn bag_hiding_meta_commands(sql: &Path, out: &Path) -> PathBuf {
    let bag = pack_file(sql, out, &["--dir"]);
    let path = bag.join("pgbag/schema.json");
    let mut v: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let metas = v["meta_commands"].as_array_mut().expect("schema.json lists meta_commands");
    assert!(!metas.is_empty(), "the summary should have seen the meta-command: {}", sql.display());
    metas.clear();
    // A forger hides the database a \connect names too (with --no-verify,
    // restore refuses a dump whose summary names another database).
    v["dump"]["database"] = Value::Null;
    fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    bag
}

fn restore(pg: &Cluster, input: &Path, db: &str, extra: &[&str]) -> Output {
    pgbag_for(pg).arg("restore").arg(input).args(["-q", "--target", &pg.conninfo(db)]).args(extra).output().unwrap()
}

/// Tables in `db`'s own schemas; 0 when the database does not exist.
fn user_tables(pg: &Cluster, db: &str) -> u64 {
    if pg.psql("postgres", &format!("SELECT count(*) FROM pg_database WHERE datname = '{db}'")) == "0" {
        return 0;
    }
    pg.psql(db, "SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace")
        .parse()
        .unwrap()
}

/// The control: plain `psql -X -f`, as a restore by hand would run it. Says
/// whether the form ran (its marker appeared), and removes the marker.
fn plain_psql_runs_it(pg: &Cluster, sql: &Path, marker: &Path, db: &str) -> bool {
    pg.create_db(db);
    let _ = pg.command("psql").args(["-X", "-q", "-d", db, "-f"]).arg(sql).output().unwrap();
    let ran = marker.exists();
    let _ = fs::remove_file(marker);
    ran
}

/// A temp dir the server's OS user may write to too, so that a marker
/// `COPY ... TO PROGRAM` would create (server side) is not blocked by
/// permissions and would show.
pub(crate) fn marker_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

#[test]
fn every_meta_command_form_is_refused_four_ways_and_none_runs() {
    let Some(pg) = Cluster::shared() else { return };
    let tag = pg.unique("hd");
    let dir = marker_dir();
    let mut refused = 0;
    let mut psql_alone_ran = 0;
    for (i, (form, body)) in HOSTILE.iter().enumerate() {
        let (sql, marker) = write_case(dir.path(), &format!("hostile-{i}"), body);
        // psql's own \restrict mode blocks the one form inside it; every
        // other form really runs when the dump goes to psql by hand.
        let ran = plain_psql_runs_it(pg, &sql, &marker, &format!("{tag}_control_{i}"));
        assert_eq!(ran, !form.starts_with("inside \\restrict"), "{form}: plain psql ran it: {ran}");
        psql_alone_ran += usize::from(ran);
        let pkg = pack_file(&sql, &dir.path().join(format!("hostile-{i}.tar.zst")), &[]);
        let bag = bag_hiding_meta_commands(&sql, &dir.path().join(format!("hostile-{i}-bag")));
        let ways: [(&str, &Path, &[&str], &str); 4] = [
            ("package", &pkg, &["--create"], "meta-command"),
            ("package, --no-verify", &pkg, &["--create", "--no-verify"], "meta-command"),
            (
                "bag hiding it, --no-verify --single-transaction",
                &bag,
                &["--create", "--no-verify", "--single-transaction"],
                "stopped before sending it",
            ),
            ("bare .sql", &sql, &["--create"], "meta-command"),
        ];
        for (j, (way, input, extra, says)) in ways.into_iter().enumerate() {
            let db = format!("{tag}_hostile_{i}_{j}");
            let out = restore(pg, input, &db, extra);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{form} ({way}) was not refused: {stderr}");
            assert!(stderr.contains(says), "{form} ({way}): expected {says:?} in: {stderr}");
            assert!(!marker.exists(), "{form} ({way}): the meta-command ran");
            // Refused by the plan: no database. Refused by the filter inside
            // --single-transaction: nothing committed.
            assert_eq!(user_tables(pg, &db), 0, "{form} ({way}): the target was changed");
            refused += 1;
        }
    }
    assert_eq!(refused, 4 * HOSTILE.len());
    eprintln!(
        "hostile dumps: {} forms ({psql_alone_ran} run by plain psql) x 4 ways = {refused} restores, all refused, no marker",
        HOSTILE.len()
    );
}

#[test]
fn lines_that_only_look_like_meta_commands_restore_and_run_nothing() {
    let Some(pg) = Cluster::shared() else { return };
    let tag = pg.unique("hd");
    let dir = marker_dir();
    let mut restored = 0;
    for (i, (form, body, check)) in LOOKALIKES.iter().enumerate() {
        let (sql, marker) = write_case(dir.path(), &format!("lookalike-{i}"), body);
        // psql agrees: fed by hand, these run nothing either.
        assert!(!plain_psql_runs_it(pg, &sql, &marker, &format!("{tag}_control_{i}")), "{form}: plain psql ran it");
        let pkg = pack_file(&sql, &dir.path().join(format!("lookalike-{i}.tar.zst")), &[]);
        let ways: [(&str, &Path, &[&str]); 3] = [
            ("package", &pkg, &["--create", "--single-transaction"]),
            ("package, --no-verify", &pkg, &["--create", "--no-verify"]),
            ("bare .sql", &sql, &["--create"]),
        ];
        for (j, (way, input, extra)) in ways.into_iter().enumerate() {
            let db = format!("{tag}_lookalike_{i}_{j}");
            let out = restore(pg, input, &db, extra);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{form} ({way}) failed: {stderr}");
            assert!(!marker.exists(), "{form} ({way}): something ran");
            if let Some((query, expected)) = check {
                let marker_path = marker.display().to_string();
                assert_eq!(pg.psql(&db, &query.replace("MARKER", &marker_path)), *expected, "{form} ({way})");
            }
            restored += 1;
        }
    }
    assert_eq!(restored, 3 * LOOKALIKES.len());
    eprintln!("hostile dumps: {} look-alikes x 3 ways = {restored} restores, all passed, no marker", LOOKALIKES.len());
}
