//! A temporary local PostgreSQL cluster, for drills that need no server.
//!
//! `initdb` and `pg_ctl` run in a fresh directory under /tmp (a unix socket
//! path must fit in ~107 bytes), the server listens on that socket only
//! (`listen_addresses = ''`), on a free port number, with trust
//! authentication for local connections. initdb refuses to run as root, so
//! when pgbag is root the server runs as the `postgres` OS user. The cluster
//! is stopped and its directory removed on drop, whatever happened.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::Conninfo;
use crate::error::{Error, IoContext, Result};

const SUPERUSER: &str = "postgres";
const SERVER_OS_USER: &str = "postgres";

/// A throwaway PostgreSQL cluster owned by this process.
pub struct TempCluster {
    bindir: PathBuf,
    datadir: PathBuf,
    host: String,
    port: u16,
    run_as: Option<String>,
    version: String,
    started: bool,
    // Dropped last: removes the directory after the server stopped.
    dir: tempfile::TempDir,
}

/// Finds server binaries: `PGBAG_PG_BINDIR`, `pg_config --bindir`, the newest
/// `/usr/lib/postgresql/*/bin`, then `initdb` on PATH (following links).
pub fn find_bindir() -> Result<PathBuf> {
    let has_server = |d: &Path| ["initdb", "pg_ctl", "postgres"].iter().all(|b| d.join(b).is_file());
    if let Some(dir) = std::env::var_os("PGBAG_PG_BINDIR").map(PathBuf::from) {
        return if has_server(&dir) {
            Ok(dir)
        } else {
            Err(Error::operational(format!("PGBAG_PG_BINDIR={} lacks initdb, pg_ctl or postgres", dir.display())))
        };
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").stdin(Stdio::null()).output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server(&dir) {
            return Ok(dir);
        }
    }
    if let Ok(entries) = fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<(u32, PathBuf)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let major = e.file_name().to_str()?.parse::<u32>().ok()?;
                let bin = e.path().join("bin");
                has_server(&bin).then_some((major, bin))
            })
            .collect();
        versions.sort();
        if let Some((_, bin)) = versions.pop() {
            return Ok(bin);
        }
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        let initdb = dir.join("initdb");
        if initdb.is_file() {
            let real = fs::canonicalize(&initdb).unwrap_or(initdb);
            if let Some(parent) = real.parent().filter(|p| has_server(p)) {
                return Ok(parent.to_path_buf());
            }
        }
    }
    Err(Error::operational(
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found via PGBAG_PG_BINDIR, pg_config, \
         /usr/lib/postgresql/*/bin or PATH; install the server (Debian: apt-get install postgresql), \
         or give the drill a server with --target",
    ))
}

/// Whether this process runs as root (effective uid 0, from /proc).
pub fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("Uid:")).and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// uid and gid of an OS user, via `id` (no libc binding needed).
fn os_user_ids(user: &str) -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, user]).stderr(Stdio::null()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().parse().ok())?
    };
    Some((id("-u")?, id("-g")?))
}

/// A port number nobody is listening on (the server itself uses only a unix
/// socket; the number names the socket file).
fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").context(|| "finding a free port")?;
    Ok(l.local_addr().context(|| "finding a free port")?.port())
}

impl TempCluster {
    /// Starts a cluster. See the module documentation.
    pub fn start() -> Result<TempCluster> {
        let bindir = find_bindir()?;
        let run_as = if running_as_root() {
            if os_user_ids(SERVER_OS_USER).is_none() {
                return Err(Error::operational(
                    "pgbag runs as root, and initdb refuses to; there is no `postgres` OS user to run the temporary \
                     cluster as. Run pgbag as an ordinary user, create a `postgres` user, or pass --target",
                ));
            }
            Some(SERVER_OS_USER.to_string())
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("pgbag-drill-")
            .tempdir_in("/tmp")
            .context(|| "creating a directory for the temporary cluster")?;
        if let Some(user) = &run_as {
            let (uid, gid) = os_user_ids(user).unwrap_or((0, 0));
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .context(|| "handing the cluster directory to postgres")?;
        }
        let host = dir.path().to_string_lossy().into_owned();
        let version = {
            let out = Command::new(bindir.join("postgres"))
                .arg("--version")
                .output()
                .context(|| "running postgres --version")?;
            String::from_utf8_lossy(&out.stdout).split_whitespace().nth(2).unwrap_or_default().to_string()
        };
        let mut c = TempCluster {
            datadir: dir.path().join("data"),
            bindir,
            host,
            port: free_port()?,
            run_as,
            version,
            started: false,
            dir,
        };
        let datadir = c.datadir.to_string_lossy().into_owned();
        let out = c.server_cmd(
            "initdb",
            &["-D", &datadir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
        )?;
        if !out.status.success() {
            return Err(Error::operational(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr).trim())));
        }
        let conf = format!(
            "\n# pgbag drill: throwaway cluster, unix socket only\nlisten_addresses = ''\n\
             unix_socket_directories = '{}'\nport = {}\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n",
            c.host.replace('\'', "''"),
            c.port
        );
        OpenOptions::new()
            .append(true)
            .open(c.datadir.join("postgresql.conf"))
            .and_then(|mut f| f.write_all(conf.as_bytes()))
            .context(|| "configuring the temporary cluster")?;
        let log = c.dir.path().join("server.log").to_string_lossy().into_owned();
        c.started = true;
        let out = c.server_cmd("pg_ctl", &["-D", &datadir, "-l", &log, "-w", "-t", "60", "start"])?;
        if !out.status.success() {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
            return Err(Error::operational(format!("the temporary cluster did not start:\n{}", tail.join("\n"))));
        }
        Ok(c)
    }

    /// Connection to database `db` as the cluster's superuser.
    pub fn conninfo(&self, db: &str) -> Conninfo {
        Conninfo::parse(&format!("host='{}' port={} user={SUPERUSER}", self.host, self.port))
            .expect("a conninfo pgbag builds itself parses")
            .with_dbname(db)
    }

    pub fn server_version(&self) -> &str {
        &self.version
    }

    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    fn server_cmd(&self, tool: &str, args: &[&str]) -> Result<Output> {
        let exe = self.bindir.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args).current_dir(self.dir.path()).stdin(Stdio::null()).env("LC_ALL", "C").env_remove("PGDATA");
        cmd.output().context(|| format!("running {}", exe.display()))
    }

    /// Stops the server and removes the directory.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        if !std::mem::take(&mut self.started) {
            return Ok(());
        }
        let datadir = self.datadir.to_string_lossy().into_owned();
        let out = self.server_cmd("pg_ctl", &["-D", &datadir, "-m", "immediate", "-w", "stop"])?;
        if out.status.success() {
            Ok(())
        } else {
            Err(Error::operational(format!("pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr).trim())))
        }
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
