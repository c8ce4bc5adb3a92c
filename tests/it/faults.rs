//! Faults: pg_dump killed or its connection terminated, a full disk, Ctrl-C
//! in pack, validate, restore and pull, and psql dying mid-restore. Each ends
//! with its exit code and a message saying what happened, and leaves nothing
//! behind: no output, no `.pgbag-*` temporary file, no child process, and an
//! existing package byte for byte as it was.
//!
//! "Mid-run" is made deterministic: a test session holds a lock that pg_dump
//! (a table lock) or the restoring psql (an advisory lock) waits on, with
//! more data to come than the pipes hold; downloads go through a throttling
//! proxy in front of the S3 server. The fault strikes while bytes still flow.

use std::fs::{self, File};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::*;
use crate::live::find_child;
use crate::util::Cluster;
use crate::util::proxy::{self, Fault};
use crate::util::s3::S3Server;

/// How long a command may take to stop once the fault has struck.
const PROMPTLY: Duration = Duration::from_secs(10);

/// A pgbag process whose output goes to files, so a full pipe cannot stall it.
pub(crate) struct Run {
    pub(crate) child: Child,
    log: tempfile::TempDir,
}

impl Run {
    pub(crate) fn spawn(mut cmd: Command, stdin: Stdio) -> Run {
        let log = tempfile::tempdir().unwrap();
        cmd.stdin(stdin)
            .stdout(File::create(log.path().join("stdout")).unwrap())
            .stderr(File::create(log.path().join("stderr")).unwrap());
        Run { child: cmd.spawn().expect("start pgbag"), log }
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn stdout(&self) -> String {
        fs::read_to_string(self.log.path().join("stdout")).unwrap_or_default()
    }

    pub(crate) fn stderr(&self) -> String {
        fs::read_to_string(self.log.path().join("stderr")).unwrap_or_default()
    }

    /// Waits at most `limit`; on timeout kills it and panics with its stderr.
    pub(crate) fn wait_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("pgbag did not exit within {limit:?}; stderr: {}", self.stderr());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Panics if pgbag has already exited: the fault must strike mid-run.
    fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("pgbag exited ({status}) before the fault; stderr: {}", self.stderr());
        }
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pgbag binary with `pg`'s connection environment and no DATABASE_URL.
pub(crate) fn pgbag_std(pg: Option<&Cluster>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgbag"));
    if let Some(pg) = pg {
        pg.apply_env(&mut cmd);
    }
    cmd.env_remove("DATABASE_URL");
    cmd
}

/// Whether `pid` is a live process (a zombie is not).
pub(crate) fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rfind(')').map(|i| s[i + 2..].starts_with(|c| c != 'Z' && c != 'X')))
        .unwrap_or(false)
}

/// `kill -SIG target`; a negative target is a process group.
pub(crate) fn signal(sig: &str, target: i64) {
    let ok = Command::new("kill").arg(format!("-{sig}")).arg("--").arg(target.to_string()).status().unwrap();
    assert!(ok.success(), "kill -{sig} {target}");
}

/// Polls `sql` (in the postgres database) until it returns `want`, for 30 s.
pub(crate) fn wait_until(pg: &Cluster, sql: &str, want: &str) {
    let start = Instant::now();
    while pg.psql("postgres", sql) != want {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {want} from: {sql}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// A session holding a lock until released, so that pg_dump or psql waits
/// on it part-way through.
pub(crate) struct Locker {
    child: Child,
    app: String,
}

impl Locker {
    /// Runs `BEGIN; lock; pg_sleep` in `db` and returns once the lock is held.
    pub(crate) fn hold(pg: &Cluster, db: &str, lock: &str, app: &str) -> Locker {
        let child = pg
            .command("psql")
            .env("PGAPPNAME", app)
            .args(["-X", "-q", "-d", db, "-c", &format!("BEGIN; {lock}; SELECT pg_sleep(120);")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_until(
            pg,
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '{app}' AND wait_event = 'PgSleep'"
            ),
            "1",
        );
        Locker { child, app: app.to_string() }
    }

    pub(crate) fn release(&mut self, pg: &Cluster) {
        let sql = format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{}'",
            self.app
        );
        pg.psql("postgres", &sql);
        let _ = self.child.wait();
    }
}

impl Drop for Locker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pg_dump child of a `pack` once it waits on the lock on public.books.
fn blocked_pg_dump(pg: &Cluster, pack: &Run) -> u32 {
    wait_until(
        pg,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'",
        "1",
    );
    // Only now: earlier, the child named pg_dump may be `pg_dump --version`.
    find_child(pack.pid(), "pg_dump")
}

fn pack_fixture_db(pg: &Cluster, out: &Path, extra: &[&str]) -> Run {
    let mut cmd = pgbag_std(Some(pg));
    cmd.args(["pack", "--created-at", CREATED, "--db", &pg.conninfo("fixture"), "-o"]).arg(out).args(extra);
    Run::spawn(cmd, Stdio::null())
}

#[test]
fn pg_dump_killed_or_its_connection_terminated_is_exit_2_and_the_old_package_survives() {
    let Some(pg) = Cluster::start() else { return };
    pg.load_fixture("fixture", false);
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("fixture.tar.zst");
    let mut first = pack_fixture_db(&pg, &existing, &[]);
    assert!(first.wait_within(Duration::from_secs(60)).success(), "{}", first.stderr());
    let before = fs::read(&existing).unwrap();
    for (fault, says) in [("pg_dump SIGKILLed", "signal: 9"), ("pg_terminate_backend", "terminating connection")] {
        let mut locker = Locker::hold(&pg, "fixture", "LOCK TABLE public.books IN ACCESS EXCLUSIVE MODE", "locker");
        let mut pack = pack_fixture_db(&pg, &existing, &["--force"]);
        let dump_pid = blocked_pg_dump(&pg, &pack);
        pack.assert_running();
        if fault == "pg_dump SIGKILLed" {
            signal("KILL", dump_pid.into());
        } else {
            let sql =
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pg_dump'";
            assert_eq!(pg.psql("postgres", sql), "1");
        }
        let status = pack.wait_within(PROMPTLY);
        locker.release(&pg);
        let stderr = pack.stderr();
        assert_eq!(status.code(), Some(2), "{fault}: {stderr}");
        assert!(stderr.contains("pg_dump failed") && stderr.contains(says), "{fault}: {stderr}");
        assert!(pack.stdout().is_empty(), "{fault}: printed {}", pack.stdout());
        assert!(!alive(dump_pid), "{fault}: pg_dump {dump_pid} still runs");
        assert_eq!(listing(dir.path()), ["fixture.tar.zst"], "{fault}: left behind");
        assert!(fs::read(&existing).unwrap() == before, "{fault}: the existing package changed");
    }
}

/// Unmounts on drop, before the temp dir holding the mount point goes.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount_tmpfs(at: &Path, size: &str) -> Option<Mounted> {
    fs::create_dir_all(at).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        crate::util::unavailable("a tmpfs mount", "mount -t tmpfs failed (it needs root with CAP_SYS_ADMIN)");
        return None;
    }
    Some(Mounted(at.to_path_buf()))
}

/// Every file under `dir` with its bytes, for "untouched" checks.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Packs `big` over an existing package at `out/name` with --force, under
/// the shell `limit`; the pack must fail with `says`, leave only the old
/// package, and leave it byte for byte as it was.
fn full_disk_case(out: &Path, name: &str, dir_bag: bool, big: &Path, limit: &str, says: &str) {
    let existing = out.join(name);
    let form: &[&str] = if dir_bag { &["--dir"] } else { &[] };
    pgbag()
        .args(["pack", "--created-at", CREATED, "--sql"])
        .arg(fixture_dump())
        .arg("-o")
        .arg(&existing)
        .args(form)
        .assert()
        .success();
    let before = listing(out);
    let old = tree(out);
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!("{limit}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_pgbag"))
        .args(["pack", "--force", "--created-at", CREATED, "--sql"])
        .arg(big)
        .arg("-o")
        .arg(&existing)
        .args(form)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let what = format!("{name} under `{limit}`");
    assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
    assert!(stderr.contains(says), "{what}: expected {says:?}: {stderr}");
    assert!(stderr.contains(&out.display().to_string()), "{what}: the message should name the path: {stderr}");
    assert!(output.stdout.is_empty(), "{what}");
    assert_eq!(listing(out), before, "{what}: left behind");
    assert!(tree(out) == old, "{what}: the existing package changed");
}

#[test]
fn a_full_disk_during_pack_is_exit_2_names_the_file_and_keeps_the_old_package() {
    let dir = tempfile::tempdir().unwrap();
    // 6 MiB of random base64: about 4.5 MiB compressed, well over the limits.
    let big = dir.path().join("big.sql");
    fs::write(&big, crate::s3::synthetic_dump(6 << 20, true)).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // bash counts `ulimit -f` in KiB. Past it the write fails with EFBIG, as
    // pgbag ignores SIGXFSZ (which would kill it and leave its temp files).
    full_disk_case(&out, "catalog.tar.zst", false, &big, "ulimit -f 1024", "File too large");
    full_disk_case(&out, "catalog-bag", true, &big, "ulimit -f 1024", "File too large");
    let mnt = dir.path().join("tmpfs");
    if let Some(_mounted) = mount_tmpfs(&mnt, "2m") {
        full_disk_case(&mnt, "catalog.tar.zst", false, &big, ":", "No space left on device");
        full_disk_case(&mnt, "catalog-bag", true, &big, ":", "No space left on device");
    }
}

#[test]
fn sigint_during_pack_exits_2_promptly_stops_pg_dump_and_leaves_nothing() {
    let Some(pg) = Cluster::start() else { return };
    pg.load_fixture("fixture", false);
    // pg_dump waits on a lock: pgbag itself is blocked reading its pipe.
    let dir = tempfile::tempdir().unwrap();
    let mut locker = Locker::hold(&pg, "fixture", "LOCK TABLE public.books IN ACCESS EXCLUSIVE MODE", "locker");
    let mut pack = pack_fixture_db(&pg, &PathBuf::from(format!("{}/", dir.path().display())), &[]);
    let dump_pid = blocked_pg_dump(&pg, &pack);
    pack.assert_running();
    signal("INT", pack.pid().into());
    let status = pack.wait_within(PROMPTLY);
    locker.release(&pg);
    assert_eq!(status.code(), Some(2), "{}", pack.stderr());
    assert!(pack.stderr().contains("interrupted"), "{}", pack.stderr());
    assert!(!alive(dump_pid), "pg_dump {dump_pid} outlived the interrupt");
    assert!(listing(dir.path()).is_empty(), "left behind: {:?}", listing(dir.path()));

    // A dump arriving on stdin that never ends: pgbag is busy writing.
    let mut cmd = pgbag_std(None);
    cmd.args(["pack", "--sql", "-", "-o"]).arg(dir.path().join("piped.tar.zst"));
    let mut pack = Run::spawn(cmd, Stdio::piped());
    let mut stdin = pack.child.stdin.take().unwrap();
    let writer = thread::spawn(move || {
        let dump = crate::s3::synthetic_dump(1 << 20, false);
        let row = format!("1\t{}\n", "x".repeat(1000));
        if stdin.write_all(&dump).is_err() {
            return;
        }
        while stdin.write_all(row.as_bytes()).is_ok() {}
    });
    let start = Instant::now();
    while !listing(dir.path()).iter().any(|f| f.starts_with(".pgbag-")) {
        assert!(start.elapsed() < Duration::from_secs(30), "no temporary file appeared");
        pack.assert_running();
        thread::sleep(Duration::from_millis(20));
    }
    signal("INT", pack.pid().into());
    let status = pack.wait_within(PROMPTLY);
    writer.join().unwrap();
    assert_eq!(status.code(), Some(2), "{}", pack.stderr());
    assert!(pack.stderr().contains("interrupted"), "{}", pack.stderr());
    assert!(listing(dir.path()).is_empty(), "left behind: {:?}", listing(dir.path()));
}

/// The advisory lock the restore waits on. pg_dump never calls it, so a
/// restore of the package needs [`ALLOW_LOCK`].
pub(crate) const RESTORE_LOCK: &str = "SELECT pg_catalog.pg_advisory_lock(4711)";
/// Lets [`RESTORE_LOCK`] through restore's SQL guard.
pub(crate) const ALLOW_LOCK: [&str; 2] = ["--allow-sql", "function-call"];

/// A package whose restore creates a table, then waits on [`RESTORE_LOCK`]
/// with 4 MiB of COPY data still to come (more than psql's pipe and pgbag's
/// buffer hold, so pgbag is blocked writing when the fault strikes).
pub(crate) fn blocking_package(dir: &Path) -> PathBuf {
    let mut sql = String::from(
        "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
         SET standard_conforming_strings = on;\n\n\
         --\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (id integer, v text);\n\n",
    );
    sql.push_str(&format!("{RESTORE_LOCK};\n\n"));
    sql.push_str("--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n");
    sql.push_str("COPY public.t (id, v) FROM stdin;\n");
    for i in 0..40_000 {
        sql.push_str(&format!("{i}\t{}\n", "v".repeat(100)));
    }
    sql.push_str("\\.\n\n--\n-- PostgreSQL database dump complete\n--\n\n");
    let path = dir.join("blocking.sql");
    fs::write(&path, sql).unwrap();
    pack_sql(&path, dir, &[])
}

/// A restore of `pkg` into the new, empty database `db`, once its psql waits
/// on [`RESTORE_LOCK`]; returns it, its psql's pid and the lock holder.
fn restore_blocked(pg: &Cluster, pkg: &Path, db: &str, extra: &[&str], group: bool) -> (Run, u32, Locker) {
    pg.create_db(db);
    let locker = Locker::hold(pg, db, RESTORE_LOCK, &format!("locker_{db}"));
    let mut cmd = pgbag_std(Some(pg));
    cmd.arg("restore").arg(pkg).args(["-q", "--target", &pg.conninfo(db)]).args(ALLOW_LOCK).args(extra);
    if group {
        // Its own process group, as a shell gives a job: Ctrl-C reaches
        // pgbag and psql alike.
        cmd.process_group(0);
    }
    let mut run = Run::spawn(cmd, Stdio::null());
    wait_until(
        pg,
        &format!("SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}' AND wait_event = 'advisory'"),
        "1",
    );
    // The planning psqls are done by now: this is the one restoring.
    let psql = find_child(run.pid(), "psql");
    run.assert_running();
    (run, psql, locker)
}

/// After the lock holder goes: waits until `db` has no sessions (an
/// orphaned backend finishes its wait, then notices its client is gone)
/// and returns how many tables it holds.
fn settled_tables(pg: &Cluster, locker: &mut Locker, db: &str) -> String {
    locker.release(pg);
    wait_until(pg, &format!("SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}'"), "0");
    pg.psql(db, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
}

#[test]
fn sigint_during_restore_exits_2_stops_psql_and_by_default_leaves_the_target_as_it_was() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pkg = blocking_package(dir.path());
    let files = listing(dir.path());
    // (case, to the process group?, extra args, tables afterwards, message)
    let cases: [(&str, bool, &[&str], &str, &str); 3] = [
        ("SIGINT to pgbag", false, &[], "0", "nothing was restored"),
        ("Ctrl-C to the job", true, &["--single-transaction"], "0", "nothing was restored"),
        ("SIGINT to pgbag, --no-single-transaction", false, &["--no-single-transaction"], "1", "left partly restored"),
    ];
    for (i, (case, group, extra, tables, says)) in cases.into_iter().enumerate() {
        let db = format!("target_{i}");
        let (mut run, psql, mut locker) = restore_blocked(&pg, &pkg, &db, extra, group);
        signal("INT", if group { -i64::from(run.pid()) } else { run.pid().into() });
        let status = run.wait_within(PROMPTLY);
        let stderr = run.stderr();
        assert_eq!(status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("interrupted") && stderr.contains(says), "{case}: {stderr}");
        assert!(!alive(psql), "{case}: psql {psql} outlived the interrupt");
        assert_eq!(settled_tables(&pg, &mut locker, &db), tables, "{case}: {stderr}");
        assert_eq!(listing(dir.path()), files, "{case}: left behind");
    }
}

#[test]
fn psql_dying_mid_restore_is_exit_4_and_the_message_says_what_state_the_target_is_in() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pkg = blocking_package(dir.path());
    let cases: [(&[&str], &str, &str); 2] = [
        (&[], "0", "nothing was restored: the restore ran as one transaction and was rolled back"),
        (&["--no-single-transaction"], "1", "database psql_1 was left partly restored"),
    ];
    for (i, (extra, tables, says)) in cases.into_iter().enumerate() {
        let db = format!("psql_{i}");
        let (mut run, psql, mut locker) = restore_blocked(&pg, &pkg, &db, extra, false);
        signal("KILL", psql.into());
        let status = run.wait_within(PROMPTLY);
        let stderr = run.stderr();
        assert_eq!(status.code(), Some(4), "{extra:?}: {stderr}");
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
        assert!(stderr.contains("SIGKILL") || stderr.contains("signal: 9"), "{extra:?}: say how psql ended: {stderr}");
        // What the message says is what the target holds.
        assert_eq!(settled_tables(&pg, &mut locker, &db), tables, "{extra:?}: {stderr}");
    }
}

#[test]
fn sigint_during_validate_and_pull_exits_2_promptly_and_pull_leaves_no_partial_file() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket("bags");
    let dir = tempfile::tempdir().unwrap();
    let sql = dir.path().join("big.sql");
    fs::write(&sql, crate::s3::synthetic_dump(3 << 20, true)).unwrap();
    let pkg = pack_sql(&sql, dir.path(), &[]);
    s3.put("bags", "big.tar.zst", &fs::read(&pkg).unwrap(), &[]);
    // At 128 KiB/s the 2+ MiB package takes over 15 s to arrive.
    let proxy = proxy::start(s3.port(), Fault::Slow { bytes_per_sec: 128 << 10 });
    let pgbag_via_proxy = |args: &[&str]| {
        let mut cmd = pgbag_std(None);
        s3.apply_env(&mut cmd);
        cmd.env("AWS_ENDPOINT_URL", proxy.endpoint()).args(args);
        Run::spawn(cmd, Stdio::null())
    };
    let wait_for_bytes = |run: &mut Run, at_least: u64| {
        let start = Instant::now();
        while proxy.bytes_passed() < at_least {
            assert!(start.elapsed() < Duration::from_secs(30), "the download did not start");
            run.assert_running();
            thread::sleep(Duration::from_millis(20));
        }
    };

    let mut validate = pgbag_via_proxy(&["validate", "-q", "s3://bags/big.tar.zst"]);
    wait_for_bytes(&mut validate, 256 << 10);
    validate.assert_running();
    signal("INT", validate.pid().into());
    let status = validate.wait_within(PROMPTLY);
    assert_eq!(status.code(), Some(2), "validate: {}", validate.stderr());
    assert!(validate.stderr().contains("interrupted"), "validate: {}", validate.stderr());
    assert!(validate.stdout().is_empty(), "validate gave a verdict: {}", validate.stdout());

    let out = dir.path().join("pulled");
    fs::create_dir(&out).unwrap();
    let mut pull = pgbag_via_proxy(&["pull", "-q", "s3://bags/big.tar.zst", "-o", &format!("{}/", out.display())]);
    let start = Instant::now();
    while !listing(&out).iter().any(|f| f.starts_with(".pgbag-")) {
        assert!(start.elapsed() < Duration::from_secs(30), "no partial download appeared");
        pull.assert_running();
        thread::sleep(Duration::from_millis(20));
    }
    let so_far = proxy.bytes_passed();
    wait_for_bytes(&mut pull, so_far + (256 << 10));
    signal("INT", pull.pid().into());
    let status = pull.wait_within(PROMPTLY);
    assert_eq!(status.code(), Some(2), "pull: {}", pull.stderr());
    assert!(pull.stderr().contains("interrupted"), "pull: {}", pull.stderr());
    assert!(listing(&out).is_empty(), "pull left {:?}", listing(&out));
}
