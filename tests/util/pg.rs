//! A throwaway PostgreSQL cluster for integration tests.
//!
//! Each [`Cluster`] is a fresh `initdb` in its own temp dir, reachable only
//! through a unix socket inside that dir (`listen_addresses = ''`), with trust
//! authentication. Tests therefore never touch a system PostgreSQL, never open
//! a TCP port, and can run in parallel without coordinating.
//!
//! When the test process runs as root (CI containers), `initdb`/`postgres`
//! refuse to run, so the server side runs as the `postgres` OS user through
//! `runuser`. Clients (psql, pg_dump, pgbag itself) may stay root: with trust
//! auth on a private socket the OS user is irrelevant, only `-U`/`PGUSER` is.
//!
//! Most tests share one cluster per test binary ([`Cluster::shared`]), each
//! in databases and roles of its own ([`Cluster::unique`]). A test that
//! changes or counts what is cluster-wide (pg_hba.conf, roles it names,
//! every database, every session, the server itself) starts its own.
//!
//! No server outlives the test binary, however that ends (a panic, a
//! failed `assert`, SIGKILL): each cluster has a reaper, a shell waiting
//! for its stdin to close, which happens only when this process is gone or
//! the cluster stopped first. The reaper then stops the server and removes
//! its directory. The shared cluster, a static never dropped, goes that way.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// Role name passed to `initdb -U`. Fixed (rather than "whoever runs the
/// tests") so dumps and assertions do not depend on the OS user.
const SUPERUSER: &str = "postgres";

/// OS user that runs the server when the tests run as root.
const SERVER_OS_USER: &str = "postgres";

/// Environment variables that would silently redirect or alter a libpq
/// connection made by a child process; stripped from every child we spawn so a
/// developer's shell setup cannot make tests hit a real server.
const LIBPQ_ENV_TO_CLEAR: &[&str] = &[
    "PGHOSTADDR",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGDATABASE",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSSLMODE",
    "PGTARGETSESSIONATTRS",
    "PGTZ",
    "PGDATESTYLE",
];

pub struct Cluster {
    bindir: PathBuf,
    /// Client programs (pg_dump, psql) of the server's major version when
    /// `bindir` has none: the npm package that provides PostgreSQL 17 holds
    /// only the server (see [`Cluster::start_version`]).
    client_bindir: Option<PathBuf>,
    datadir: PathBuf,
    /// Socket directory (== the temp dir root, to keep the path short).
    host: String,
    port: u16,
    /// `Some(user)` when server commands must be wrapped in `runuser -u user --`.
    run_as: Option<String>,
    /// Stops the server should this process go without dropping the cluster.
    reaper: Option<Child>,
    /// Declared last so it is dropped after `Drop::drop` has stopped the server.
    dir: tempfile::TempDir,
}

impl Cluster {
    /// Starts `initdb` + `pg_ctl` in a temp dir: unix socket only
    /// (`listen_addresses = ''`), random port, trust auth.
    ///
    /// Returns `None` (after explaining why on stderr) when PostgreSQL is not
    /// installed, so `cargo test` still works on a laptop without PostgreSQL;
    /// under CI it panics instead ([`crate::util::unavailable`]).
    /// Any failure *after* the binaries were found panics: that is a real bug.
    pub fn start() -> Option<Cluster> {
        let bindir = match find_bindir() {
            Ok(b) => b,
            Err(why) => return skip_or_panic(&why),
        };
        Self::start_in(bindir, None, PER_TEST_CONNECTIONS)
    }

    /// The cluster all tests of this binary share, started on first use and
    /// stopped by its reaper when the binary exits. `None`, as for
    /// [`Cluster::start`], when PostgreSQL is missing outside CI.
    ///
    /// A test on it keeps to databases and roles named by
    /// [`Cluster::unique`], and never counts or changes what other tests may
    /// have: all databases, sessions or roles, server settings.
    pub fn shared() -> Option<&'static Cluster> {
        static SHARED: OnceLock<Option<Cluster>> = OnceLock::new();
        let shared = SHARED.get_or_init(|| {
            let bindir = match find_bindir() {
                Ok(b) => b,
                Err(why) => return skip_or_panic(&why),
            };
            let cluster = Self::start_in(bindir, None, SHARED_CONNECTIONS)?;
            // The fixture's roles, once: samples/fixture.sql creates them if
            // missing, but two tests loading it at once would race on that
            // (unique_violation rather than duplicate_object).
            cluster.psql("postgres", "CREATE ROLE pgbag_reader NOLOGIN; CREATE ROLE pgbag_writer NOLOGIN");
            Some(cluster)
        });
        if shared.is_none() {
            skip_or_panic::<()>("PostgreSQL is missing (the first test to ask said why)");
        }
        shared.as_ref()
    }

    /// `name` made unique in this test binary (`name_N`), for a database or
    /// role of one test on the [`Cluster::shared`] cluster. Lower case and
    /// plain, so that it needs no quoting where `name` needed none.
    pub fn unique(&self, name: &str) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        format!("{name}_{}", NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// Like [`Cluster::start`], but PostgreSQL `major` whatever else is
    /// installed: the server programs in `$PGBAG_PG<major>_BINDIR`, else in
    /// /usr/lib/postgresql/<major>/bin (Debian's layout); the clients in
    /// `$PGBAG_PG<major>_CLIENT_BINDIR`, else beside the server, else none
    /// (then [`Cluster::own_bin`] skips or fails). `bash .ci/run` installs
    /// PostgreSQL 17 this way and sets `PGBAG_PG17_BINDIR` and
    /// `PGBAG_PG17_CLIENT_BINDIR`.
    ///
    /// Missing or unusable binaries skip the test with a note, or fail it
    /// under CI, as for [`Cluster::start`]. A server of another major
    /// version fails it: that is a wrong setting, not a missing install.
    ///
    /// No LD_LIBRARY_PATH is set: the relocatable builds used here find
    /// their bundled libraries through RUNPATH `$ORIGIN/../lib`, and a
    /// library path would leak into every client the test starts (psql 15,
    /// pgbag itself) and could load the bundle's libpq or OpenSSL into them.
    pub fn start_version(major: u32) -> Option<Cluster> {
        let bindir = match versioned_bindir(major) {
            Ok(b) => b,
            Err(why) => return skip_or_panic(&why),
        };
        let client_bindir = match std::env::var_os(format!("PGBAG_PG{major}_CLIENT_BINDIR")).filter(|v| !v.is_empty()) {
            Some(dir) => Some(PathBuf::from(dir)),
            None => Some(bindir.clone()).filter(|d| d.join("pg_dump").is_file()),
        };
        if running_as_root() {
            // The cache .ci/run fills must be readable by the server's OS
            // user; one under /root is not, and initdb would only say
            // "Permission denied".
            let initdb = bindir.join("initdb");
            let usable = Command::new("runuser")
                .args(["-u", SERVER_OS_USER, "--", "test", "-x"])
                .arg(&initdb)
                .status()
                .is_ok_and(|s| s.success());
            if !usable {
                return skip_or_panic(&format!(
                    "{} is not executable by the '{SERVER_OS_USER}' OS user that runs the server \
                     (is it under a private home directory?)",
                    initdb.display()
                ));
            }
        }
        let cluster = Self::start_in(bindir, client_bindir, PER_TEST_CONNECTIONS)?;
        let num: u32 = cluster.psql("postgres", "SHOW server_version_num").parse().expect("server_version_num");
        assert_eq!(
            num / 10000,
            major,
            "Cluster::start_version({major}) started PostgreSQL {num} from {}",
            cluster.bindir.display()
        );
        Some(cluster)
    }

    fn start_in(bindir: PathBuf, client_bindir: Option<PathBuf>, max_connections: u32) -> Option<Cluster> {
        let run_as = if running_as_root() {
            if !os_user_exists(SERVER_OS_USER) {
                return skip_or_panic(&format!(
                    "running as root, but there is no '{SERVER_OS_USER}' OS user to run \
                     initdb/postgres as (they refuse to run as root)"
                ));
            }
            Some(SERVER_OS_USER.to_string())
        } else {
            None
        };

        // Under /tmp, not $TMPDIR: a unix socket path must fit in ~107 bytes
        // and $TMPDIR can be long (macOS, nested CI workspaces).
        let dir = tempfile::Builder::new()
            .prefix("pgbag-test-")
            .tempdir_in("/tmp")
            .expect("create temp dir for PostgreSQL cluster");
        if let Some(user) = &run_as {
            // The server user must be able to create data dir, socket and log here.
            let (uid, gid) = os_user_ids(user);
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .expect("chown cluster temp dir to the postgres OS user");
        }

        let datadir = dir.path().join("data");
        let host = dir.path().to_str().expect("temp dir path is UTF-8").to_string();
        let port = free_port();

        // Built before initdb so that Drop cleans up if anything below panics.
        let mut cluster = Cluster { bindir, client_bindir, datadir, host, port, run_as, reaper: None, dir };
        // Before initdb: a test binary killed during it leaves no directory.
        cluster.reaper = Some(cluster.spawn_reaper());

        // C locale + UTF8: reproducible sorting and no dependence on the
        // machine's locales; --no-sync because the cluster is disposable.
        let datadir = cluster.datadir.to_str().expect("UTF-8 path").to_string();
        let out = cluster.server_cmd(
            "initdb",
            &["-D", &datadir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
        );
        check_output("initdb", &out);

        // Settings go into postgresql.conf rather than `pg_ctl -o "..."`,
        // which is re-parsed by /bin/sh and would need nested quoting.
        // Appending keeps the file's owner (postgres) even when we are root.
        let conf = format!(
            "\n# pgbag test harness: throwaway cluster, unix socket only\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{host}'\n\
             port = {port}\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n\
             max_connections = {max_connections}\n\
             shared_buffers = 16MB\n",
            host = cluster.host.replace('\'', "''"),
            port = cluster.port,
        );
        OpenOptions::new()
            .append(true)
            .open(cluster.datadir.join("postgresql.conf"))
            .and_then(|mut f| f.write_all(conf.as_bytes()))
            .expect("append to postgresql.conf");

        let log = cluster.log_path();
        let log = log.to_str().expect("UTF-8 path").to_string();
        let out = cluster.server_cmd("pg_ctl", &["-D", &datadir, "-l", &log, "-w", "-t", "60", "start"]);
        if !out.status.success() {
            let server_log = fs::read_to_string(cluster.log_path()).unwrap_or_default();
            // Drop still runs and cleans up; the log is the useful part.
            panic!(
                "pg_ctl start failed ({}):\n{}{}\n--- server log ---\n{server_log}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
        }
        Some(cluster)
    }

    /// Socket directory; what libpq calls the host for unix sockets.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The superuser role created by initdb.
    pub fn superuser(&self) -> &str {
        SUPERUSER
    }

    /// PGHOST/PGPORT/PGUSER for child processes (e.g. the pgbag binary under
    /// test). No password: trust auth on the local socket.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("PGHOST".to_string(), self.host.clone()),
            ("PGPORT".to_string(), self.port.to_string()),
            ("PGUSER".to_string(), SUPERUSER.to_string()),
        ]
    }

    /// libpq keyword/value connection string for `db`.
    pub fn conninfo(&self, db: &str) -> String {
        format!(
            "host={} port={} user={} dbname={}",
            conninfo_quote(&self.host),
            self.port,
            conninfo_quote(SUPERUSER),
            conninfo_quote(db)
        )
    }

    /// Directory holding this cluster's PostgreSQL binaries.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// Path of a client tool (psql, pg_dump, ...) of the *same major version*
    /// as the server; falls back to a PATH lookup if the bindirs lack it.
    pub fn bin(&self, tool: &str) -> PathBuf {
        self.own_tool(tool).unwrap_or_else(|| PathBuf::from(tool))
    }

    /// [`Cluster::bin`] for a test that needs this major version's own tool
    /// (a pg_dump 17 dump), never PATH's: `None` after explaining on stderr,
    /// or a panic under CI, when the cluster has none.
    pub fn own_bin(&self, tool: &str) -> Option<PathBuf> {
        match self.own_tool(tool) {
            Some(p) => Some(p),
            None => skip_or_panic(&format!(
                "no {tool} of the server's version in {} nor in a client bindir (PGBAG_PG<major>_CLIENT_BINDIR)",
                self.bindir.display()
            )),
        }
    }

    fn own_tool(&self, tool: &str) -> Option<PathBuf> {
        std::iter::once(&self.bindir).chain(&self.client_bindir).map(|d| d.join(tool)).find(|p| p.is_file())
    }

    /// A `Command` for a client tool, with this cluster's connection
    /// environment set, interfering libpq variables removed and stdin closed.
    pub fn command(&self, tool: &str) -> Command {
        let mut cmd = Command::new(self.bin(tool));
        self.apply_env(&mut cmd);
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Applies [`Cluster::env`] (and removes interfering libpq variables) on
    /// any command, e.g. an `assert_cmd` invocation of the pgbag binary.
    pub fn apply_env(&self, cmd: &mut Command) {
        for var in LIBPQ_ENV_TO_CLEAR {
            cmd.env_remove(var);
        }
        cmd.envs(self.env());
        // The fixture and expected values are UTF-8 regardless of the locale
        // the tests happen to run under.
        cmd.env("PGCLIENTENCODING", "UTF8");
    }

    /// Runs `psql -X -q -v ON_ERROR_STOP=1 -At -c sql` against `db` and returns
    /// stdout trimmed. Panics with psql's stderr on failure.
    /// (`-q` so that DDL returns "" instead of command tags like "CREATE TABLE".)
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .command("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", db, "-c", sql])
            .output()
            .expect("spawn psql");
        if !out.status.success() {
            panic!(
                "psql -d {db} failed ({}):\n--- sql ---\n{sql}\n--- stderr ---\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        String::from_utf8(out.stdout).expect("psql output is UTF-8").trim().to_string()
    }

    /// Runs an SQL file with `psql -X -q -v ON_ERROR_STOP=1 -f path`, passing
    /// each `(name, value)` as `-v name=value`. Panics on failure.
    pub fn psql_file(&self, db: &str, path: &Path, vars: &[(&str, &str)]) {
        let mut cmd = self.command("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db]);
        for (name, value) in vars {
            cmd.arg("-v").arg(format!("{name}={value}"));
        }
        cmd.arg("-f").arg(path);
        // The file's own SELECTs would otherwise flood the test output.
        cmd.stdout(Stdio::null());
        let out = cmd.output().expect("spawn psql");
        if !out.status.success() {
            panic!(
                "psql -d {db} -f {} failed ({}):\n{}",
                path.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    pub fn create_db(&self, name: &str) {
        // template0: immune to anything a previous test put into template1.
        self.psql("postgres", &format!("CREATE DATABASE {} TEMPLATE template0", quote_ident(name)));
    }

    /// Creates `db` and loads samples/fixture.sql into it; `big` adds the
    /// ~3 MB public.big_values row (fixture variable `big=1`).
    pub fn load_fixture(&self, db: &str, big: bool) {
        self.create_db(db);
        let vars: &[(&str, &str)] = if big { &[("big", "1")] } else { &[] };
        self.psql_file(db, &fixture_path(), vars);
    }

    /// Plain-format `pg_dump` of `db` with extra `args`; panics on failure.
    pub fn pg_dump(&self, db: &str, args: &[&str]) -> Vec<u8> {
        let out = self.command("pg_dump").args(args).args(["-d", db]).output().expect("spawn pg_dump");
        if !out.status.success() {
            panic!("pg_dump -d {db} {args:?} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
        }
        out.stdout
    }

    /// Server log, for assertions or for printing when a test fails.
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    // --- internals ---------------------------------------------------------

    /// A shell in a process group of its own (a Ctrl-C to the tests does not
    /// reach it) that waits for EOF on its stdin, then stops the server and
    /// removes the cluster's directory. The pipe's write end is ours alone
    /// (std opens it close-on-exec), so EOF comes when this process exits or
    /// [`Drop`] kills the reaper first.
    fn spawn_reaper(&self) -> Child {
        let mut stop = match &self.run_as {
            Some(user) => vec!["runuser".to_string(), "-u".to_string(), user.clone(), "--".to_string()],
            None => Vec::new(),
        };
        let datadir = self.datadir.to_str().expect("UTF-8 path");
        let pg_ctl = self.bindir.join("pg_ctl");
        stop.extend(
            [pg_ctl.to_str().expect("UTF-8 path"), "-D", datadir, "-m", "immediate", "-w", "stop"].map(String::from),
        );
        Command::new("sh")
            .arg("-c")
            .arg(r#"trap '' HUP INT TERM; while read -r _; do :; done; dir=$1; shift; "$@"; rm -rf "$dir""#)
            .arg("pgbag-test-reaper")
            .arg(self.dir.path())
            .args(stop)
            .current_dir("/")
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the test cluster's reaper (sh)")
    }

    /// Runs a server-side tool (initdb, pg_ctl) as the server OS user.
    fn server_cmd(&self, tool: &str, args: &[&str]) -> Output {
        let exe = self.bindir.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args)
            // The postgres OS user may not be allowed into the caller's cwd
            // (e.g. /root/...), and initdb/pg_ctl complain about that.
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            // Keep the server's locale out of the picture; initdb --locale=C
            // already pins the cluster, this silences libc warnings.
            .env("LC_ALL", "C")
            .env_remove("PGDATA");
        cmd.output().unwrap_or_else(|e| panic!("spawn {tool} ({}): {e}", exe.display()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Only if the server got as far as writing its pid file; otherwise
        // there is nothing to stop (e.g. initdb failed).
        if !self.datadir.join("postmaster.pid").exists() {
            self.kill_reaper();
            return;
        }
        let datadir = self.datadir.to_str().unwrap_or_default().to_string();
        // Immediate: the data is thrown away, no point in a checkpoint.
        let out = self.server_cmd("pg_ctl", &["-D", &datadir, "-m", "immediate", "-w", "stop"]);
        if !out.status.success() {
            eprintln!(
                "warning: pg_ctl stop failed for test cluster in {}: {}",
                self.host,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // `self.dir` (TempDir) is dropped after this and removes everything;
        // as root that includes the postgres-owned files.
        self.kill_reaper();
    }
}

impl Cluster {
    /// The server is stopped (or never ran): the reaper has nothing to do.
    fn kill_reaper(&mut self) {
        if let Some(mut reaper) = self.reaper.take() {
            let _ = reaper.kill();
            let _ = reaper.wait();
        }
    }
}

/// `max_connections` of a test's own cluster, and of the shared one, which
/// serves every test running at once (`--test-threads`).
const PER_TEST_CONNECTIONS: u32 = 20;
const SHARED_CONNECTIONS: u32 = 100;

/// samples/fixture.sql in this crate.
pub fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join("fixture.sql")
}

/// Double-quotes an SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn skip_or_panic<T>(why: &str) -> Option<T> {
    super::unavailable("a PostgreSQL test cluster", why);
    None
}

/// Where initdb & co. live: the same search pgbag's own temporary clusters
/// use (see `pgbag::pg::cluster::find_bindir`).
fn find_bindir() -> Result<PathBuf, String> {
    pgbag::pg::cluster::find_bindir().map_err(|e| e.to_string())
}

/// [`Cluster::start_version`]'s server programs: `$PGBAG_PG<major>_BINDIR`,
/// else Debian's /usr/lib/postgresql/<major>/bin.
fn versioned_bindir(major: u32) -> Result<PathBuf, String> {
    let var = format!("PGBAG_PG{major}_BINDIR");
    let (dir, from) = match std::env::var_os(&var).filter(|v| !v.is_empty()) {
        Some(dir) => (PathBuf::from(dir), format!("{var}=")),
        None => (PathBuf::from(format!("/usr/lib/postgresql/{major}/bin")), format!("{var} is not set, and ")),
    };
    let missing: Vec<&str> = ["initdb", "pg_ctl", "postgres"].into_iter().filter(|p| !dir.join(p).is_file()).collect();
    if missing.is_empty() {
        return Ok(dir);
    }
    Err(format!(
        "PostgreSQL {major} is needed: {from}{} lacks {} (`bash .ci/run` installs PostgreSQL 17 and sets \
         PGBAG_PG17_BINDIR; or point {var} at a PostgreSQL {major} bin directory)",
        dir.display(),
        missing.join(", ")
    ))
}

fn running_as_root() -> bool {
    pgbag::pg::cluster::running_as_root()
}

fn os_user_exists(user: &str) -> bool {
    Command::new("id")
        .args(["-u", user])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn os_user_ids(user: &str) -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id").args([flag, user]).output().expect("run id");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("id {flag} {user}: unexpected output {out:?}"))
    };
    (id("-u"), id("-g"))
}

/// A port number that was free a moment ago. The server listens only on the
/// unix socket, where the port just names the socket file inside our private
/// directory, so a race with another process cannot actually collide; asking
/// the kernel merely spreads numbers out across concurrent clusters.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0 to pick a port number")
}

/// Quotes a libpq conninfo value when needed: single quotes, with backslash
/// escaping of `\` and `'`.
fn conninfo_quote(value: &str) -> String {
    let plain = !value.is_empty() && !value.chars().any(|c| c.is_whitespace() || c == '\'' || c == '\\' || c == '=');
    if plain { value.to_string() } else { format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'")) }
}

fn check_output(what: &str, out: &Output) {
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
