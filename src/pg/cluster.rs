//! A temporary local PostgreSQL cluster, for drills that need no server.
//!
//! [`TempCluster::start`] runs `initdb` and `pg_ctl` itself, in a fresh
//! directory under `$TMPDIR` or /tmp ([`temp_root`]), and
//! [`TempCluster::stop`] (or `Drop`) stops the server and removes the
//! directory. Invariants:
//!
//! - **Unix socket only.** `listen_addresses = ''`: the server never opens a
//!   TCP port. The socket lives in the cluster's own directory. A socket path
//!   must fit in 107 bytes, so a `$TMPDIR` too long for that is passed over
//!   for /tmp. The port number only names the socket file.
//! - **Private.** Authentication is `trust`, so reaching the socket is being
//!   superuser; the directory is therefore mode 0700, owned by whoever runs
//!   the server.
//! - **Never as root.** initdb and postgres refuse to run as root. When pgbag
//!   is root (CI, containers) the server side runs as the `postgres` OS user
//!   through `runuser` (or `su-exec`/`gosu`), and the directory is handed to
//!   that user; clients (psql, pg_dump) stay root, which trust auth allows.
//!   Without such a user pgbag stops and says how to proceed.
//! - **Nothing left behind.** A server that got as far as writing its pid
//!   file is stopped with `pg_ctl stop -m immediate` (the data is thrown
//!   away, so no checkpoint) before the directory goes. pg_ctl starts the
//!   postmaster in its own session, so a Ctrl-C aimed at pgbag does not reach
//!   it; the CLI's interrupt flag lets `Drop` run instead. As a last resort,
//!   a postmaster whose `postmaster.pid` has vanished shuts itself down
//!   within a minute (PostgreSQL 10 and later).

use std::ffi::OsString;
use std::fs::{self, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::Conninfo;
use super::bindir::{checked_bindir, find_on_path};
pub use super::bindir::{find_bindir, find_bindir_for_major};
use crate::error::{Error, IoContext, Result};

/// The cluster's directory: `pgbag-drill-XXXXXX` in [`temp_root`].
const DIR_PREFIX: &str = "pgbag-drill-";

/// What `tempfile` adds to [`DIR_PREFIX`]: six random characters.
const DIR_RANDOM_LEN: usize = 6;

/// The longest unix socket path (`sun_path` holds 108 bytes with the NUL).
const MAX_SOCKET_PATH: usize = 107;

/// The socket file's name in its directory, at its longest.
const SOCKET_FILE: &str = "/.s.PGSQL.65535";

/// The role `initdb -U` creates unless [`ClusterOptions::superuser`] names
/// another. Fixed, not "whoever runs pgbag", so that what happens in the
/// cluster does not depend on the OS user.
const SUPERUSER: &str = "postgres";

/// The OS user that runs the server when pgbag runs as root.
const SERVER_OS_USER: &str = "postgres";

/// Programs that run a command as another user, tried in this order:
/// `PROGRAM [BEFORE] USER [AFTER] COMMAND ARGS...`. None of them parses
/// options after that (unlike `su`, which would need a shell in between).
const SWITCH_USER_PROGRAMS: &[SwitchUser] = &[
    SwitchUser { program: "runuser", before_user: &["-u"], after_user: &["--"] },
    SwitchUser { program: "su-exec", before_user: &[], after_user: &[] },
    SwitchUser { program: "gosu", before_user: &[], after_user: &[] },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SwitchUser {
    program: &'static str,
    before_user: &'static [&'static str],
    after_user: &'static [&'static str],
}

/// Variables that would point initdb or pg_ctl at another cluster, or make
/// them wait for the wrong port (pg_ctl before PostgreSQL 10 connected to
/// check that the server was up).
const SERVER_ENV_TO_CLEAR: &[&str] =
    &["PGDATA", "PGPORT", "PGHOST", "PGHOSTADDR", "PGUSER", "PGDATABASE", "PGSERVICE", "PGOPTIONS", "PGCTLTIMEOUT"];

/// How long pg_ctl waits for the server to start or stop, in seconds.
const PG_CTL_TIMEOUT: &str = "60";

/// Lines of the server log (or initdb's output) quoted in an error.
const LOG_TAIL_LINES: usize = 20;

/// A throwaway PostgreSQL cluster owned by this process.
#[derive(Debug)]
pub struct TempCluster {
    bindir: PathBuf,
    datadir: PathBuf,
    log: PathBuf,
    /// The socket directory, which is the temp dir itself (libpq's `host`).
    socket_dir: String,
    port: u16,
    run_as: Option<RunAs>,
    version: String,
    superuser: String,
    /// `None` once [`TempCluster::stop`] removed it.
    dir: Option<tempfile::TempDir>,
}

/// How the server side runs when pgbag is root.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RunAs {
    user: OsUser,
    /// The program that switches to `user` and its arguments, e.g.
    /// `/usr/sbin/runuser` and `-u postgres --`.
    program: PathBuf,
    args: Vec<OsString>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct OsUser {
    name: String,
    uid: u32,
    gid: u32,
}

/// What a caller may choose about a temporary cluster.
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// The directory of the server programs; `None`: [`find_bindir`].
    pub bindir: Option<PathBuf>,
    /// The name of the superuser `initdb` creates; `None`: `postgres`. A
    /// rehearsal picks one its target lacks, so that it can create the
    /// target's own `postgres` as the target has it.
    pub superuser: Option<String>,
}

/// What differs between the real thing and the tests.
struct Setup<'a> {
    /// Where the cluster's directory goes: a test's own, or `None` for
    /// [`temp_root`].
    parent: Option<&'a Path>,
    /// Appended to postgresql.conf after pgbag's own settings.
    extra_conf: &'a str,
    options: &'a ClusterOptions,
}

impl TempCluster {
    /// Finds the server binaries (see [`find_bindir`]), runs `initdb` and
    /// `pg_ctl start` in a fresh directory under [`temp_root`], and returns
    /// once the server accepts connections on its unix socket.
    ///
    /// As root, initdb and the server run as the `postgres` OS user; without
    /// one this fails with an [`ErrorKind::Operational`](crate::error::ErrorKind)
    /// error that says how to proceed. If the server does not start, the
    /// error quotes the end of its log. Nothing is left behind on failure.
    pub fn start() -> Result<TempCluster> {
        Self::start_with_options(&ClusterOptions::default())
    }

    /// [`TempCluster::start`] with the server programs of `options.bindir`
    /// and the superuser it names.
    pub fn start_with_options(options: &ClusterOptions) -> Result<TempCluster> {
        Self::start_with(&Setup { parent: None, extra_conf: "", options })
    }

    fn start_with(setup: &Setup) -> Result<TempCluster> {
        let bindir = match &setup.options.bindir {
            Some(dir) => checked_bindir(dir, "--pg-bindir")?,
            None => find_bindir()?,
        };
        let run_as = run_as_for_this_process()?;
        let version = super::tool_version(bindir.join("postgres"))?;

        let parent = match setup.parent {
            Some(p) => p.to_path_buf(),
            None => temp_root(std::env::temp_dir(), run_as.is_some()),
        };
        let dir = tempfile::Builder::new()
            .prefix(DIR_PREFIX)
            .rand_bytes(DIR_RANDOM_LEN)
            .tempdir_in(&parent)
            .context(|| format!("creating a directory for the temporary cluster in {}", parent.display()))?;
        fs::set_permissions(dir.path(), Permissions::from_mode(0o700))
            .context(|| format!("making {} private", dir.path().display()))?;
        if let Some(r) = &run_as {
            // The server user creates the data directory, socket and log here.
            std::os::unix::fs::chown(dir.path(), Some(r.user.uid), Some(r.user.gid))
                .context(|| format!("handing {} to the OS user {}", dir.path().display(), r.user.name))?;
        }
        let socket_dir = dir
            .path()
            .to_str()
            .ok_or_else(|| Error::operational(format!("{} is not UTF-8", dir.path().display())))?
            .to_string();

        // From here on, Drop cleans up whatever happens.
        let cluster = TempCluster {
            datadir: dir.path().join("data"),
            log: dir.path().join("server.log"),
            bindir,
            socket_dir,
            port: pick_port(),
            run_as,
            version,
            superuser: setup.options.superuser.clone().unwrap_or_else(|| SUPERUSER.to_string()),
            dir: Some(dir),
        };
        cluster.initdb()?;
        cluster.configure(setup.extra_conf)?;
        cluster.pg_ctl_start()?;
        Ok(cluster)
    }

    /// A connection to database `db` as the cluster's superuser, over the
    /// unix socket, with no password (trust authentication).
    pub fn conninfo(&self, db: &str) -> Conninfo {
        conninfo_for(&self.socket_dir, self.port, &self.superuser, db)
    }

    /// A connection to database `db` as `role` (which must have LOGIN),
    /// over the unix socket with no password, as for the superuser.
    pub fn conninfo_as(&self, role: &str, db: &str) -> Conninfo {
        conninfo_for(&self.socket_dir, self.port, role, db)
    }

    /// The superuser `initdb` created.
    pub fn superuser(&self) -> &str {
        &self.superuser
    }

    /// The server's version, e.g. `16.4` (from `postgres --version`).
    pub fn server_version(&self) -> &str {
        &self.version
    }

    /// The directory holding the server's programs; its psql and pg_dump,
    /// when present, match the server's major version.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// Stops the server (`pg_ctl stop -m immediate`) and removes the
    /// directory. Drop does the same but can only ignore errors.
    pub fn stop(mut self) -> Result<()> {
        let stopped = self.shutdown();
        // Removed even if pg_ctl failed: a postmaster whose pid file is gone
        // shuts itself down.
        let removed = match self.dir.take() {
            Some(dir) => {
                let path = dir.path().display().to_string();
                dir.close().context(|| format!("removing the temporary cluster in {path}"))
            }
            None => Ok(()),
        };
        stopped.and(removed)
    }

    fn initdb(&self) -> Result<()> {
        // C locale and UTF8: no dependence on the machine's locales.
        // --no-sync: the cluster is thrown away.
        let mut cmd = self.server_command("initdb");
        cmd.arg("-D").arg(&self.datadir);
        cmd.arg("-U").arg(&self.superuser).args(["--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
        let out = output(cmd)?;
        if out.status.success() {
            return Ok(());
        }
        let mut msg = format!(
            "initdb failed ({}) creating the temporary cluster in {}:\n{}",
            out.status,
            self.datadir.display(),
            tail_lines(&combined_output(&out), LOG_TAIL_LINES)
        );
        if let Some(r) = &self.run_as {
            msg.push_str(&format!(
                "\n(pgbag runs as root, so initdb ran as the OS user `{}`, which must be able to execute the programs in {})",
                r.user.name,
                self.bindir.display()
            ));
        }
        Err(Error::operational(msg))
    }

    fn configure(&self, extra: &str) -> Result<()> {
        // Into postgresql.conf rather than `pg_ctl -o`, which goes through
        // /bin/sh and would need quoting. Appending keeps the file's owner.
        let conf = format!(
            "\n# pgbag: a throwaway cluster, reachable through its unix socket only\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{}'\n\
             port = {}\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n\
             {extra}",
            self.socket_dir.replace('\'', "''"),
            self.port,
        );
        let path = self.datadir.join("postgresql.conf");
        OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(conf.as_bytes()))
            .context(|| format!("configuring the temporary cluster ({})", path.display()))
    }

    fn pg_ctl_start(&self) -> Result<()> {
        // -l matters beyond logging: without it the postmaster would inherit
        // our stdout and stderr pipes, and collecting pg_ctl's output would
        // wait for the server to exit.
        let mut cmd = self.server_command("pg_ctl");
        cmd.arg("-D").arg(&self.datadir).arg("-l").arg(&self.log).args(["-w", "-t", PG_CTL_TIMEOUT, "start"]);
        let out = output(cmd)?;
        if out.status.success() {
            return Ok(());
        }
        let log = fs::read_to_string(&self.log).unwrap_or_default();
        Err(Error::operational(format!(
            "the temporary PostgreSQL cluster in {} did not start (pg_ctl {}):\n{}\n--- end of the server log ---\n{}",
            self.datadir.display(),
            out.status,
            tail_lines(&combined_output(&out), LOG_TAIL_LINES),
            tail_lines(&log, LOG_TAIL_LINES)
        )))
    }

    /// Stops the server if it got as far as writing its pid file.
    fn shutdown(&mut self) -> Result<()> {
        if self.dir.is_none() || !self.datadir.join("postmaster.pid").exists() {
            return Ok(());
        }
        let mut cmd = self.server_command("pg_ctl");
        cmd.arg("-D").arg(&self.datadir).args(["-m", "immediate", "-w", "-t", PG_CTL_TIMEOUT, "stop"]);
        let out = output(cmd)?;
        if out.status.success() {
            return Ok(());
        }
        Err(Error::operational(format!(
            "pg_ctl could not stop the temporary cluster in {} ({}):\n{}",
            self.datadir.display(),
            out.status,
            tail_lines(&combined_output(&out), LOG_TAIL_LINES)
        )))
    }

    /// initdb or pg_ctl from the bindir, to run as the server's OS user.
    fn server_command(&self, tool: &str) -> Command {
        let exe = self.bindir.join(tool);
        let mut cmd = match &self.run_as {
            Some(r) => {
                let mut c = Command::new(&r.program);
                c.args(&r.args).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        for var in SERVER_ENV_TO_CLEAR {
            cmd.env_remove(var);
        }
        // The postgres OS user may not be allowed into our working directory
        // (/root/...), which initdb and pg_ctl complain about.
        cmd.current_dir(self.dir.as_ref().map_or(Path::new("/"), |d| d.path()))
            // Keeps libc locale warnings out; initdb --locale=C pins the cluster.
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        cmd
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let _ = self.shutdown();
        // `self.dir`, dropped after this, removes the directory.
    }
}

/// Where a temporary cluster's directory goes: `tmpdir` (`$TMPDIR`, which
/// defaults to /tmp) when it can hold the cluster, else /tmp. It cannot when
/// it is relative, when the socket's path under it would be too long, or,
/// when the server runs as another OS user (`other_user`, pgbag being root),
/// when that user may not pass through it: a directory on the way is not
/// searchable by others (/root, a 0700 temp dir).
fn temp_root(tmpdir: PathBuf, other_user: bool) -> PathBuf {
    let fits = tmpdir.as_os_str().len() + 1 + DIR_PREFIX.len() + DIR_RANDOM_LEN + SOCKET_FILE.len() <= MAX_SOCKET_PATH;
    let searchable = |d: &Path| fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0);
    if tmpdir.is_absolute() && fits && (!other_user || tmpdir.ancestors().all(searchable)) {
        tmpdir
    } else {
        PathBuf::from("/tmp")
    }
}

/// Runs `cmd` to completion; a non-zero exit is the caller's to explain.
fn output(mut cmd: Command) -> Result<Output> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    cmd.output().context(|| format!("running {program}"))
}

/// `None` when this process may run the server itself, else how to run it
/// as the `postgres` OS user.
fn run_as_for_this_process() -> Result<Option<RunAs>> {
    if !running_as_root() {
        return Ok(None);
    }
    // runuser lives in /usr/sbin or /sbin, which a non-login PATH may lack.
    let mut path = std::env::var_os("PATH").unwrap_or_default();
    path.push(":/usr/sbin:/sbin:/usr/bin:/bin");
    let switcher = SWITCH_USER_PROGRAMS.iter().find_map(|s| find_on_path(s.program, &path).map(|p| (p, *s)));
    run_as_for_root(os_user(SERVER_OS_USER), switcher).map(Some)
}

/// The decision for a root process, given what this machine offers.
fn run_as_for_root(user: Option<OsUser>, switcher: Option<(PathBuf, SwitchUser)>) -> Result<RunAs> {
    let Some(user) = user.filter(|u| u.uid != 0) else {
        return Err(Error::operational(format!(
            "pgbag is running as root, and initdb refuses to run as root: the temporary cluster must run as an \
             unprivileged OS user named `{SERVER_OS_USER}`, and there is none. Run pgbag as a non-root user, \
             create that user (`useradd --system --user-group {SERVER_OS_USER}`; Alpine: `adduser -S {SERVER_OS_USER}`), \
             or give `pgbag drill` a server with --target CONNINFO"
        )));
    };
    let Some((program, switch)) = switcher else {
        return Err(Error::operational(format!(
            "pgbag is running as root and must start the temporary cluster as the OS user `{}`, but none of \
             runuser (util-linux), su-exec or gosu is installed. Install util-linux, run pgbag as a non-root user, \
             or give `pgbag drill` a server with --target CONNINFO",
            user.name
        )));
    };
    let mut args: Vec<OsString> = switch.before_user.iter().map(OsString::from).collect();
    args.push(OsString::from(&user.name));
    args.extend(switch.after_user.iter().map(OsString::from));
    Ok(RunAs { user, program, args })
}

/// Whether this process runs as root (effective uid 0), as initdb checks.
pub fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

fn os_user(name: &str) -> Option<OsUser> {
    Some(OsUser { name: name.to_string(), uid: id(&["-u", name])?, gid: id(&["-g", name])? })
}

fn id(args: &[&str]) -> Option<u32> {
    let out = Command::new("id").args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().parse().ok())?
}

/// A port number that was free a moment ago. With no TCP listener it only
/// names the socket file in our private directory, so any number would do;
/// asking the kernel just spreads numbers across concurrent clusters.
fn pick_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_or(5432, |a| a.port())
}

fn conninfo_for(socket_dir: &str, port: u16, user: &str, db: &str) -> Conninfo {
    // `hostaddr=''` keeps a PGHOSTADDR in the environment (or a service
    // file) from sending clients to another server: libpq fills in only
    // options the string leaves out, and treats an empty hostaddr as none.
    Conninfo {
        public: format!(
            "host={} hostaddr='' port={port} user={} dbname={}",
            quote_conninfo_value(socket_dir),
            quote_conninfo_value(user),
            quote_conninfo_value(db)
        ),
        password: None,
        secrets: None,
    }
}

/// A value for a libpq keyword/value string: single-quoted, with `\` and `'`
/// backslash-escaped, when it is empty or holds anything but plain characters.
fn quote_conninfo_value(v: &str) -> String {
    if !v.is_empty() && !v.contains(|c: char| c.is_whitespace() || c == '\'' || c == '\\') {
        return v.to_string();
    }
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn combined_output(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn tail_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.trim_end().lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests;
