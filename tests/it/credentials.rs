//! Credentials: a password given in a conninfo, a URI, `PGPASSWORD` or
//! `DATABASE_URL` reaches libpq and nothing else: not a child's argv
//! (`/proc/<pid>/cmdline` is readable by every local user), not pgbag's
//! output or error messages, not the package.
//!
//! The test cluster trusts local connections, which would accept any
//! password, or none. So a role is given a password and pg_hba.conf demands
//! scram-sha-256 for it: a run that succeeds proves the password got through,
//! and a wrong one is rejected.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::common::*;
use crate::faults::{ALLOW_LOCK, Locker, RESTORE_LOCK, Run, blocking_package, pgbag_std, wait_until};
use crate::live::find_child;
use crate::util::Cluster;

const SECRET: &str = "pgbag-S3cr3t-7f4e1a";
const WRONG: &str = "Wrong-Pa55-91c2";
const ROLE: &str = "vault";

/// A cluster with the fixture loaded and `ROLE`, a superuser who must give
/// `SECRET` (scram-sha-256) on the local socket.
fn password_cluster() -> Option<Cluster> {
    let pg = Cluster::start()?;
    pg.load_fixture("fixture", false);
    pg.psql("postgres", &format!("CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{SECRET}'"));
    let hba = pg.psql("postgres", "SHOW hba_file");
    let rules = fs::read_to_string(&hba).unwrap();
    // First match wins: this line goes before initdb's `local all all trust`.
    fs::write(&hba, format!("local all {ROLE} scram-sha-256\n{rules}")).unwrap();
    pg.psql("postgres", "SELECT pg_reload_conf()");
    let as_role = |password: Option<&str>| {
        let mut cmd = pg.command("psql");
        cmd.args(["-X", "-w", "-At", "-U", ROLE, "-d", "fixture", "-c", "SELECT 1"]);
        if let Some(p) = password {
            cmd.env("PGPASSWORD", p);
        }
        cmd.output().unwrap().status.success()
    };
    let start = std::time::Instant::now();
    while as_role(None) {
        assert!(start.elapsed() < Duration::from_secs(30), "pg_hba.conf reload did not take effect");
        thread::sleep(Duration::from_millis(50));
    }
    assert!(!as_role(Some(WRONG)), "a wrong password must be rejected");
    assert!(as_role(Some(SECRET)), "the password must be accepted");
    Some(pg)
}

/// How the password is given.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Via {
    Conninfo,
    Uri,
    PgPassword,
    DatabaseUrl,
}

/// Sets up `cmd` (after its subcommand) to reach `db` as `ROLE` with
/// `password`, the way `via` says; `flag` is `--db` or `--target`.
fn connect(cmd: &mut Command, pg: &Cluster, via: Via, flag: &str, db: &str, password: &str) {
    let (host, port) = (pg.host(), pg.port());
    let uri = format!("postgres://{ROLE}:{password}@/{db}?host={host}&port={port}");
    match via {
        Via::Conninfo => {
            cmd.args([flag, &format!("host={host} port={port} user={ROLE} dbname={db} password={password}")]);
        }
        Via::Uri => {
            cmd.args([flag, &uri]);
        }
        Via::PgPassword => {
            cmd.env("PGPASSWORD", password).env("PGUSER", ROLE).args([flag, &format!("dbname={db}")]);
        }
        Via::DatabaseUrl => {
            cmd.env("DATABASE_URL", &uri);
        }
    }
}

/// Every process started under `root`, with its argv, recorded as it runs.
struct Watcher {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<BTreeMap<(u32, String), Vec<u8>>>,
}

impl Watcher {
    /// Polls /proc about every millisecond: fast enough to catch even the
    /// short-lived psql queries. A forked child is recorded once it has
    /// exec'd (before that it is a copy of pgbag, with pgbag's own argv).
    fn start(root: u32) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = thread::spawn(move || {
            let mut seen = BTreeMap::new();
            while !flag.load(Ordering::Relaxed) {
                for (pid, comm) in descendants(root) {
                    if comm != "pgbag"
                        && !seen.contains_key(&(pid, comm.clone()))
                        && let Ok(argv) = fs::read(format!("/proc/{pid}/cmdline"))
                    {
                        seen.insert((pid, comm), argv);
                    }
                }
                thread::sleep(Duration::from_millis(1));
            }
            seen
        });
        Watcher { stop, handle }
    }

    fn finish(self) -> BTreeMap<(u32, String), Vec<u8>> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap()
    }
}

/// (pid, command name) of every process below `root`.
fn descendants(root: u32) -> Vec<(u32, String)> {
    let mut procs = Vec::new();
    for e in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let Some(ppid) = stat[close + 2..].split(' ').nth(1).and_then(|p| p.parse::<u32>().ok()) else { continue };
        procs.push((pid, ppid, stat[open + 1..close].to_string()));
    }
    let mut below = vec![root];
    let mut out = Vec::new();
    while let Some(parent) = below.pop() {
        for (pid, ppid, comm) in &procs {
            if *ppid == parent {
                below.push(*pid);
                out.push((*pid, comm.clone()));
            }
        }
    }
    out
}

fn assert_no_secret(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains(SECRET), "{what} holds the password:\n{text}");
}

/// The package decompressed: every tag file and the payload, as one byte string.
fn package_bytes(pkg: &Path) -> Vec<u8> {
    let (mut r, _) = pgbag::package::compress::open_decoded(fs::File::open(pkg).unwrap()).unwrap();
    let mut all = Vec::new();
    r.read_to_end(&mut all).unwrap();
    all
}

/// The environment of `pid`, as `NAME=value` strings.
fn environ(pid: u32) -> Vec<String> {
    let env = fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
    env.split(|&b| b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect()
}

#[test]
fn pack_keeps_the_password_out_of_argv_output_and_the_package_whichever_way_it_is_given() {
    let Some(pg) = password_cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server_version: u32 = pg.psql("postgres", "SHOW server_version_num").parse().unwrap();
    let mut checked = 0;
    for via in [Via::Conninfo, Via::Uri, Via::PgPassword, Via::DatabaseUrl] {
        let out = dir.path().join(format!("{via:?}.tar.zst"));
        // The planning psql waits on pg_extension, pg_dumpall on
        // pg_parameter_acl (PostgreSQL 15+, which nothing else here reads),
        // pg_dump on public.books: each is caught running.
        let mut ext =
            Locker::hold(&pg, "fixture", "LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE", "ext");
        let mut acl = (server_version >= 150_000).then(|| {
            Locker::hold(&pg, "fixture", "LOCK TABLE pg_catalog.pg_parameter_acl IN ACCESS EXCLUSIVE MODE", "acl")
        });
        let mut books = Locker::hold(&pg, "fixture", "LOCK TABLE public.books IN ACCESS EXCLUSIVE MODE", "books");
        let mut cmd = pgbag_std(Some(&pg));
        cmd.args(["pack", "--globals", "--created-at", CREATED, "-o"]).arg(&out);
        connect(&mut cmd, &pg, via, "--db", "fixture", SECRET);
        let mut pack = Run::spawn(cmd, Stdio::null());
        let watcher = Watcher::start(pack.pid());

        let waiting = |app: &str| {
            format!(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = '{ROLE}' AND application_name = '{app}' AND wait_event_type = 'Lock'"
            )
        };
        wait_until(&pg, &waiting("psql"), "1");
        let psql = find_child(pack.pid(), "psql");
        assert_no_secret(&format!("{via:?}: psql's argv"), &fs::read(format!("/proc/{psql}/cmdline")).unwrap());
        ext.release(&pg);
        if let Some(acl) = &mut acl {
            wait_until(&pg, &waiting("pg_dumpall"), "1");
            let pg_dumpall = find_child(pack.pid(), "pg_dumpall");
            let argv = fs::read(format!("/proc/{pg_dumpall}/cmdline")).unwrap();
            assert_no_secret(&format!("{via:?}: pg_dumpall's argv"), &argv);
            acl.release(&pg);
        }
        wait_until(&pg, &waiting("pg_dump"), "1");
        let pg_dump = find_child(pack.pid(), "pg_dump");
        assert_no_secret(&format!("{via:?}: pg_dump's argv"), &fs::read(format!("/proc/{pg_dump}/cmdline")).unwrap());
        // Where it travels instead: the child's environment, which only its
        // owner (and root) can read.
        assert!(environ(pg_dump).contains(&format!("PGPASSWORD={SECRET}")), "{via:?}: pg_dump got no PGPASSWORD");
        let own = fs::read(format!("/proc/{}/cmdline", pack.pid())).unwrap();
        let given_in_argv = matches!(via, Via::Conninfo | Via::Uri);
        assert_eq!(String::from_utf8_lossy(&own).contains(SECRET), given_in_argv, "{via:?}: sanity");
        books.release(&pg);
        let status = pack.wait_within(Duration::from_secs(60));
        let children = watcher.finish();
        assert!(status.success(), "{via:?}: {}", pack.stderr());

        for ((pid, comm), argv) in &children {
            assert_no_secret(&format!("{via:?}: argv of {comm} ({pid})"), argv);
        }
        let names: Vec<&str> = children.keys().map(|(_, c)| c.as_str()).collect();
        for tool in ["psql", "pg_dump", "pg_dumpall"] {
            assert!(names.contains(&tool), "{via:?}: {tool} was not seen running: {names:?}");
        }
        assert_no_secret(&format!("{via:?}: stdout"), pack.stdout().as_bytes());
        assert_no_secret(&format!("{via:?}: stderr"), pack.stderr().as_bytes());
        let entries = tar_entries(&out);
        for tag in ["pgbag/manifest.json", "bag-info.txt", "pgbag/schema.json", "pgbag/README.txt"] {
            assert!(entries.iter().any(|e| e.ends_with(tag)), "{via:?}: no {tag} in {entries:?}");
        }
        assert_no_secret(&format!("{via:?}: the package (tag files and payload)"), &package_bytes(&out));
        let inspect = pgbag().args(["inspect", "--json"]).arg(&out).output().unwrap();
        assert_no_secret(&format!("{via:?}: inspect --json"), &inspect.stdout);
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn errors_with_a_password_present_never_repeat_it() {
    let Some(pg) = password_cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut failures = 0;
    for via in [Via::Conninfo, Via::Uri, Via::PgPassword, Via::DatabaseUrl] {
        // (what fails, database, password, extra args, what the message says)
        let cases: [(&str, &str, &str, &[&str], &str); 3] = [
            ("no such database", "nope_db", SECRET, &[], "nope_db"),
            ("wrong password", "fixture", WRONG, &[], "password authentication failed"),
            ("pg_dump fails", "fixture", SECRET, &["--table", "no_such", "--", "--strict-names"], "pg_dump failed"),
        ];
        for (case, db, password, extra, says) in cases {
            let mut cmd = pgbag_std(Some(&pg));
            cmd.args(["pack", "-o"]).arg(format!("{}/", dir.path().display()));
            connect(&mut cmd, &pg, via, "--db", db, password);
            cmd.args(extra);
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{via:?}, {case}: {stderr}");
            assert!(stderr.contains(says), "{via:?}, {case}: expected {says:?}: {stderr}");
            for secret in [SECRET, WRONG] {
                assert!(!stderr.contains(secret), "{via:?}, {case}: the error repeats the password: {stderr}");
            }
            assert!(out.stdout.is_empty(), "{via:?}, {case}");
            failures += 1;
        }
        if via == Via::DatabaseUrl {
            continue; // restore takes --target only
        }
        let pkg = pack_sql(&fixture_dump(), dir.path(), &["--name", &format!("{via:?}")]);
        for (case, db, password, says) in [
            ("no such database", "nope_db", SECRET, "nope_db"),
            ("wrong password", "fixture", WRONG, "password authentication failed"),
        ] {
            let mut cmd = pgbag_std(Some(&pg));
            cmd.arg("restore").arg(&pkg).arg("-q");
            connect(&mut cmd, &pg, via, "--target", db, password);
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "restore, {via:?}, {case}: {stderr}");
            assert!(stderr.contains(says), "restore, {via:?}, {case}: expected {says:?}: {stderr}");
            for secret in [SECRET, WRONG] {
                assert!(!stderr.contains(secret), "restore, {via:?}, {case}: the error repeats the password: {stderr}");
            }
            failures += 1;
        }
        std::fs::remove_file(&pkg).unwrap();
    }
    // A malformed connection string holding a password is not echoed either.
    let out = pgbag_std(Some(&pg)).args(["pack", "--db", &format!("password={SECRET} dbname")]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_no_secret("a malformed conninfo's error", &out.stderr);
    assert_eq!(failures + 1, 4 * 3 + 3 * 2 + 1);
}

#[test]
fn restore_hands_the_password_to_psql_outside_argv() {
    let Some(pg) = password_cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pkg = blocking_package(dir.path());
    for (i, via) in [Via::Conninfo, Via::Uri, Via::PgPassword].into_iter().enumerate() {
        let db = format!("restored_{i}");
        pg.create_db(&db);
        // The restoring psql waits on this lock: it is caught running.
        let mut lock = Locker::hold(&pg, &db, RESTORE_LOCK, &format!("lock_{db}"));
        let mut cmd = pgbag_std(Some(&pg));
        cmd.arg("restore").arg(&pkg).args(["-q", "--single-transaction"]).args(ALLOW_LOCK);
        connect(&mut cmd, &pg, via, "--target", &db, SECRET);
        let mut restore = Run::spawn(cmd, Stdio::null());
        let watcher = Watcher::start(restore.pid());
        wait_until(
            &pg,
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = '{ROLE}' AND datname = '{db}' AND wait_event = 'advisory'"
            ),
            "1",
        );
        let psql = find_child(restore.pid(), "psql");
        let argv = fs::read(format!("/proc/{psql}/cmdline")).unwrap();
        assert!(String::from_utf8_lossy(&argv).contains("--single-transaction"), "{via:?}: not the restoring psql");
        assert_no_secret(&format!("{via:?}: the restoring psql's argv"), &argv);
        assert!(environ(psql).contains(&format!("PGPASSWORD={SECRET}")), "{via:?}: psql got no PGPASSWORD");
        lock.release(&pg);
        let status = restore.wait_within(Duration::from_secs(60));
        let children = watcher.finish();
        assert!(status.success(), "{via:?}: {}", restore.stderr());
        for ((pid, comm), argv) in &children {
            assert_no_secret(&format!("{via:?}: argv of {comm} ({pid})"), argv);
        }
        assert_no_secret(&format!("{via:?}: stderr"), restore.stderr().as_bytes());
        assert_eq!(pg.psql(&db, "SELECT count(*) FROM public.t"), "40000", "{via:?}");
    }
}

/// libpq has no environment variable for `sslpassword` (nor for libpq 18's
/// `oauth_client_secret`): pgbag hands it to every child through a private
/// service file (`PGSERVICEFILE`, `PGSERVICE=pgbag`), never through `-d`.
/// Over the test cluster's unix socket libpq does not use SSL, so the value
/// only has to reach libpq unseen; the file's contents and modes are read
/// while pg_dump is caught running.
#[test]
fn sslpassword_reaches_children_through_a_private_service_file_only() {
    const SSL_SECRET: &str = "pgbag-SslKey-Pa55-d41c";
    let Some(pg) = password_cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ssl.tar.zst");
    let conninfo = format!(
        "host={} port={} user={ROLE} dbname=fixture password={SECRET} sslpassword={SSL_SECRET}",
        pg.host(),
        pg.port()
    );
    let mut books = Locker::hold(&pg, "fixture", "LOCK TABLE public.books IN ACCESS EXCLUSIVE MODE", "books");
    let mut cmd = pgbag_std(Some(&pg));
    cmd.args(["pack", "--globals", "--created-at", CREATED, "-o"]).arg(&out).args(["--db", &conninfo]);
    let mut pack = Run::spawn(cmd, Stdio::null());
    let watcher = Watcher::start(pack.pid());
    wait_until(
        &pg,
        &format!(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = '{ROLE}' AND application_name = 'pg_dump' AND wait_event_type = 'Lock'"
        ),
        "1",
    );
    let pg_dump = find_child(pack.pid(), "pg_dump");
    let env = environ(pg_dump);
    assert!(env.contains(&"PGSERVICE=pgbag".to_string()), "pg_dump got no PGSERVICE: {env:?}");
    let file = env.iter().find_map(|v| v.strip_prefix("PGSERVICEFILE=")).expect("pg_dump got no PGSERVICEFILE");
    let file = std::path::PathBuf::from(file);
    assert_eq!(fs::read_to_string(&file).unwrap(), format!("[pgbag]\nsslpassword={SSL_SECRET}\n"));
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600, "the service file is private");
    assert_eq!(mode(file.parent().unwrap()), 0o700, "its directory is private");
    let argv = fs::read(format!("/proc/{pg_dump}/cmdline")).unwrap();
    assert!(!String::from_utf8_lossy(&argv).contains(SSL_SECRET), "pg_dump's argv holds the sslpassword");
    books.release(&pg);
    let status = pack.wait_within(Duration::from_secs(60));
    let children = watcher.finish();
    assert!(status.success(), "{}", pack.stderr());
    for ((pid, comm), argv) in &children {
        for secret in [SECRET, SSL_SECRET] {
            assert!(!String::from_utf8_lossy(argv).contains(secret), "argv of {comm} ({pid}) holds a secret");
        }
    }
    let names: Vec<&str> = children.keys().map(|(_, c)| c.as_str()).collect();
    for tool in ["psql", "pg_dump", "pg_dumpall"] {
        assert!(names.contains(&tool), "{tool} was not seen running: {names:?}");
    }
    for (what, text) in [("stdout", pack.stdout()), ("stderr", pack.stderr())] {
        assert!(!text.contains(SSL_SECRET), "{what} holds the sslpassword");
    }
    assert!(!String::from_utf8_lossy(&package_bytes(&out)).contains(SSL_SECRET), "the package holds the sslpassword");
    assert!(!file.exists() && !file.parent().unwrap().exists(), "the service file outlived pack");

    // With a service of the user's own, pgbag cannot add its own: refused.
    let out = pgbag_std(Some(&pg))
        .args(["pack", "--db", &format!("service=prod sslpassword={SSL_SECRET}")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("put sslpassword in that service's section of your service file"), "{stderr}");
    assert!(!stderr.contains(SSL_SECRET), "the refusal repeats the secret: {stderr}");
}

/// An empty connection string is libpq's "all defaults": `--target
/// "$STAGING_URL"` with the variable unset would have restored into whatever
/// PGHOST and the user name point at (issue 13). Refused before anything.
#[test]
fn an_empty_target_or_database_url_is_a_usage_error_not_libpqs_defaults() {
    let pkg = crate::common::repo("samples/packages/good.tar.zst");
    let runs: [(&str, Vec<&str>, Option<&str>); 4] = [
        ("restore --target ''", vec!["restore", "--target", "", "--plan"], None),
        ("drill --target ' '", vec!["drill", "--target", " "], None),
        ("pack --db ''", vec!["pack", "--db", "", "-o", "/nonexistent/"], None),
        ("pack, DATABASE_URL=''", vec!["pack", "-o", "/nonexistent/"], Some("")),
    ];
    for (case, args, url) in runs {
        let mut cmd = crate::common::pgbag();
        cmd.args(&args[..1]);
        if args[0] != "pack" {
            cmd.arg(&pkg);
        }
        cmd.args(&args[1..]).env("PGHOST", "/nonexistent-pgbag-socket-dir").env_remove("DATABASE_URL");
        if let Some(u) = url {
            cmd.env("DATABASE_URL", u);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("connection string is empty"), "{case}: {stderr}");
    }
}
