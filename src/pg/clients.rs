//! Client programs of the right version: pack's pg_dump, at least as new as
//! the server (pg_dump refuses a newer server: "server version mismatch"),
//! and restore's psql, at least as new as the pg_dump that made the dump
//! (spec/pack.md, "Which pg_dump"; spec/restore.md, "Which psql").
//!
//! Finding runs programs (`--version`); choosing is a pure function over
//! what was found ([`choose_pg_dump`], [`choose_psql`]), tested without
//! running anything. Versions compare by major version (the first number:
//! `17` of `17.2`; `9` of `9.6`, whose real major is two numbers, is only
//! ever older than what pgbag meets), then by the rest.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::bindir::{Places, is_executable};
use crate::error::{Error, ErrorKind, Result};

/// A client program found, with the version it reports (`15.18`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Program {
    pub path: PathBuf,
    pub version: String,
}

impl Program {
    pub fn major(&self) -> Option<u32> {
        major_of(&self.version)
    }

    /// Another program of the same directory (pg_dumpall beside pg_dump).
    pub fn sibling(&self, program: &str) -> PathBuf {
        self.path.with_file_name(program)
    }
}

/// The first number of a version: `17` of `17.2`, `18` of `18devel`.
pub fn major_of(version: &str) -> Option<u32> {
    version.split(|c: char| !c.is_ascii_digit()).find(|p| !p.is_empty())?.parse().ok()
}

/// Every number of a version, to order versions: `[17, 2]` of `17.2`.
fn version_key(version: &str) -> Vec<u32> {
    version.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(|p| p.parse().unwrap_or(0)).collect()
}

/// Whether this psql knows `\restrict` (added in 17.6, 16.10, 15.14, 14.19,
/// 13.22 and 18; CVE-2025-8714).
pub fn psql_knows_restrict(version: &str) -> bool {
    let v = version_key(version);
    let (major, minor) = (v.first().copied().unwrap_or(0), v.get(1).copied().unwrap_or(0));
    match major {
        0..=12 => false,
        13 => minor >= 22,
        14 => minor >= 19,
        15 => minor >= 14,
        16 => minor >= 10,
        17 => minor >= 6,
        _ => true,
    }
}

/// The programs to choose from, and the option that named them when one did.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub programs: Vec<Program>,
    /// `--pg-bindir DIR` or `PGBAG_PG_BINDIR=DIR`, when only that
    /// directory's program is considered.
    pub explicit: Option<String>,
}

/// `program` as `given` (`--pg-bindir`) names it, which must hold it; else
/// as `$PGBAG_PG_BINDIR` names it, when that directory holds it (it may hold
/// only server programs, for drills); else every one installed
/// ([`installed`]).
pub fn find(program: &str, given: Option<&Path>) -> Result<Found> {
    let env = std::env::var_os("PGBAG_PG_BINDIR").filter(|v| !v.is_empty()).map(PathBuf::from);
    find_in(program, given, env.as_deref(), &Places::system())
}

fn find_in(program: &str, given: Option<&Path>, env: Option<&Path>, places: &Places) -> Result<Found> {
    let explicit = match (given, env) {
        (Some(dir), _) => Some((dir, "--pg-bindir")),
        (None, Some(dir)) if is_executable(&dir.join(program)) => Some((dir, "PGBAG_PG_BINDIR")),
        _ => None,
    };
    let Some((dir, what)) = explicit else {
        return Ok(Found { programs: installed(program, places), explicit: None });
    };
    let path = dir.join(program);
    if !is_executable(&path) {
        return Err(Error::operational(format!(
            "{what} {} has no {program}; point it at a directory holding PostgreSQL's client programs",
            dir.display()
        )));
    }
    let version = super::tool_version(&path)?;
    Ok(Found { programs: vec![Program { path, version }], explicit: Some(format!("{what} {}", dir.display())) })
}

/// Every `program` in [`Places`], in their order, each once (by its real
/// path), with the version it reports; one that cannot say is left out.
pub fn installed(program: &str, places: &Places) -> Vec<Program> {
    let mut paths: Vec<PathBuf> = places
        .on_path(program)
        .into_iter()
        .map(|p| {
            // /usr/local/bin/pg_dump -> /opt/pg/17/bin/pg_dump: the real
            // directory, whose pg_dumpall matches. A link to a program of
            // another name (Debian's pg_wrapper) is kept as it is: it picks
            // a version itself, and says which.
            match fs::canonicalize(&p) {
                Ok(real) if real.file_name() == p.file_name() => real,
                _ => p,
            }
        })
        .collect();
    let dirs = places.pg_config.iter().cloned().chain(places.versioned().into_iter().map(|(_, d)| d));
    paths.extend(dirs.chain(places.unversioned()).map(|d| d.join(program)).filter(|p| is_executable(p)));
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for p in paths {
        let real = fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.contains(&real) {
            continue;
        }
        seen.push(real);
        if let Ok(version) = super::tool_version(&p) {
            out.push(Program { path: p, version });
        }
    }
    out
}

/// The pg_dump for a server of `server_version` (`17.2`; its major is
/// `server_major`): the first of that major, else the oldest newer one.
/// None new enough: [`ErrorKind::Refused`], naming what to install. None at
/// all: [`ErrorKind::Operational`].
pub fn choose_pg_dump(found: &Found, server_version: &str, server_major: u32) -> Result<Program> {
    let with_major = |m: u32| found.programs.iter().find(|p| p.major() == Some(m));
    let closest_newer =
        found.programs.iter().filter(|p| p.major().is_some_and(|m| m > server_major)).min_by_key(|p| p.major());
    if let Some(p) = with_major(server_major).or(closest_newer) {
        return Ok(p.clone());
    }
    let Some(newest) = found.programs.iter().max_by_key(|p| version_key(&p.version)) else {
        return Err(Error::operational(
            "no pg_dump was found on PATH, through `pg_config --bindir`, or in /usr/lib/postgresql/*/bin, \
             /usr/pgsql-*/bin, Homebrew's postgresql@* or /usr/local/pgsql/bin; install the PostgreSQL client \
             programs (Debian/Ubuntu: apt install postgresql-client), or pass --pg-bindir DIR",
        ));
    };
    let here = match &found.explicit {
        Some(what) => format!("{what} holds pg_dump {} ({})", newest.version, newest.path.display()),
        None => format!("the newest pg_dump here is {} ({})", newest.version, newest.path.display()),
    };
    let m = server_major;
    Err(Error::new(
        ErrorKind::Refused,
        format!(
            "the server runs PostgreSQL {server_version}, and pg_dump cannot dump a server newer than itself: {here}. \
             Install PostgreSQL {m}'s client programs (Debian/Ubuntu: apt install postgresql-client-{m}, from \
             apt.postgresql.org if the release lacks it; RHEL: dnf install postgresql{m}; macOS: brew install \
             postgresql@{m}), or pass --pg-bindir DIR naming the bin directory of a pg_dump {m} or later; \
             nothing was written"
        ),
    ))
}

/// The pg_dump for the server `facts` describe ([`find`], then
/// [`choose_pg_dump`]); `given` is `--pg-bindir`.
pub fn pg_dump_for(facts: &super::ServerFacts, given: Option<&Path>) -> Result<Program> {
    choose_pg_dump(&find("pg_dump", given)?, &facts.server_version, facts.major())
}

/// The pg_dumpall beside `pg_dump`: `--globals` must match the dump.
pub fn pg_dumpall_beside(pg_dump: &Program) -> Result<PathBuf> {
    let path = pg_dump.sibling("pg_dumpall");
    if is_executable(&path) {
        return Ok(path);
    }
    Err(Error::operational(format!(
        "--globals runs the pg_dumpall beside the pg_dump used ({}), and there is none; install it there          (it comes with pg_dump in PostgreSQL's client programs), or pass --pg-bindir DIR naming a directory with both",
        pg_dump.path.display()
    )))
}

/// The psql for a dump that pg_dump `dump_by` made ([`find`], then
/// [`choose_psql`]); `given` is `restore --pg-bindir`.
pub fn psql_for(dump_by: Option<&str>, given: Option<&Path>) -> Result<PsqlChoice> {
    choose_psql(&find("psql", given)?, dump_by).ok_or_else(|| {
        Error::operational(
            "no psql was found on PATH, through `pg_config --bindir`, or in /usr/lib/postgresql/*/bin, \
             /usr/pgsql-*/bin, Homebrew's postgresql@* or /usr/local/pgsql/bin; install the PostgreSQL client \
             programs (Debian/Ubuntu: apt install postgresql-client), or pass --pg-bindir DIR",
        )
    })
}

/// The psql a restore runs, and why (spec/restore.md, "Which psql").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PsqlChoice {
    pub path: PathBuf,
    pub version: String,
    /// The version of the pg_dump that made the dump, when known.
    pub dump_by: Option<String>,
    pub reason: String,
    /// At least as new as `dump_by` (by major version), or `dump_by` unknown.
    #[serde(skip)]
    pub new_enough: bool,
}

/// The psql for a dump that pg_dump `dump_by` made: among those at least as
/// new (by major), one that knows `\restrict` first, then the same major,
/// then the oldest newer one, the newest within a major; none new enough,
/// or `dump_by` unknown: the newest. `None` when nothing was found.
pub fn choose_psql(found: &Found, dump_by: Option<&str>) -> Option<PsqlChoice> {
    let dump_by = dump_by.map(|v| v.split_whitespace().next().unwrap_or(v).to_string());
    let wanted = dump_by.as_deref().and_then(major_of);
    let newest = found.programs.iter().max_by_key(|p| version_key(&p.version))?;
    let choice = |p: &Program, reason: String, new_enough: bool| PsqlChoice {
        path: p.path.clone(),
        version: p.version.clone(),
        dump_by: dump_by.clone(),
        reason,
        new_enough,
    };
    if let Some(what) = &found.explicit {
        let new_enough = match (wanted, newest.major()) {
            (Some(w), Some(m)) => m >= w,
            _ => true,
        };
        return Some(choice(newest, format!("the one {what} names"), new_enough));
    }
    let (Some(wanted), Some(by)) = (wanted, dump_by.as_deref()) else {
        return Some(choice(newest, "the newest found (the dump does not say which pg_dump made it)".into(), true));
    };
    // Sort key, smallest first: knows \restrict, same major, oldest major, newest within.
    let best = found.programs.iter().filter(|p| p.major().is_some_and(|m| m >= wanted)).min_by_key(|p| {
        let key = version_key(&p.version);
        let m = p.major().unwrap_or(0);
        (!psql_knows_restrict(&p.version), m != wanted, m, std::cmp::Reverse(key))
    });
    Some(match best {
        Some(p) if p.major() == Some(wanted) => {
            choice(p, format!("the major version of pg_dump {by}, which made the dump"), true)
        }
        Some(p) => {
            choice(p, format!("the closest to pg_dump {by}, which made the dump, of those at least as new"), true)
        }
        None => choice(newest, format!("the newest found; none is as new as pg_dump {by}, which made the dump"), false),
    })
}

#[cfg(test)]
mod tests {
    use std::fs::Permissions;
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    fn prog(path: &str, version: &str) -> Program {
        Program { path: PathBuf::from(path), version: version.into() }
    }

    fn found(programs: &[(&str, &str)]) -> Found {
        Found { programs: programs.iter().map(|(p, v)| prog(p, v)).collect(), explicit: None }
    }

    #[test]
    fn pg_dump_of_the_servers_major_else_the_oldest_newer() {
        let f =
            found(&[("/a/pg_dump", "15.18"), ("/b/pg_dump", "18.1"), ("/c/pg_dump", "17.10"), ("/d/pg_dump", "17.2")]);
        assert_eq!(choose_pg_dump(&f, "17.2", 17).unwrap().path, Path::new("/c/pg_dump"), "the first of 17");
        assert_eq!(choose_pg_dump(&f, "16.4", 16).unwrap().path, Path::new("/c/pg_dump"), "17 is closer than 18");
        assert_eq!(choose_pg_dump(&f, "15.1", 15).unwrap().path, Path::new("/a/pg_dump"));
    }

    #[test]
    fn no_pg_dump_new_enough_is_refused_naming_what_to_install() {
        let f = found(&[("/usr/lib/postgresql/15/bin/pg_dump", "15.18"), ("/old/pg_dump", "13.2")]);
        let e = choose_pg_dump(&f, "17.2", 17).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);
        let msg = e.to_string();
        for needed in [
            "the server runs PostgreSQL 17.2",
            "the newest pg_dump here is 15.18 (/usr/lib/postgresql/15/bin/pg_dump)",
            "apt install postgresql-client-17",
            "--pg-bindir",
            "nothing was written",
        ] {
            assert!(msg.contains(needed), "{needed:?} missing: {msg}");
        }
        let explicit = Found { explicit: Some("--pg-bindir /x".into()), ..found(&[("/x/pg_dump", "15.18")]) };
        assert!(
            choose_pg_dump(&explicit, "17.2", 17)
                .unwrap_err()
                .to_string()
                .contains("--pg-bindir /x holds pg_dump 15.18")
        );
        assert_eq!(choose_pg_dump(&Found::default(), "17.2", 17).unwrap_err().kind(), ErrorKind::Operational);
    }

    #[test]
    fn psql_of_the_dumps_major_that_knows_restrict() {
        let f = found(&[("/15/psql", "15.18"), ("/17/psql", "17.10"), ("/18/psql", "18.1")]);
        let c = choose_psql(&f, Some("17.10 (Debian 17.10-1)")).unwrap();
        assert_eq!((c.path.to_str(), c.dump_by.as_deref(), c.new_enough), (Some("/17/psql"), Some("17.10"), true));
        assert!(c.reason.contains("the major version of pg_dump 17.10"), "{}", c.reason);
        let c = choose_psql(&f, Some("16.3")).unwrap();
        assert_eq!(c.path, Path::new("/17/psql"), "the closest newer");
        assert!(c.reason.contains("closest"), "{}", c.reason);
        let c = choose_psql(&f, Some("15.18")).unwrap();
        assert_eq!(c.path, Path::new("/15/psql"));
        // A 15 without \restrict loses to a newer one that has it.
        let old15 = found(&[("/15/psql", "15.10"), ("/17/psql", "17.10")]);
        assert_eq!(choose_psql(&old15, Some("15.10")).unwrap().path, Path::new("/17/psql"));
        // Within a major, the newest.
        let two = found(&[("/a/psql", "17.2"), ("/b/psql", "17.10")]);
        assert_eq!(choose_psql(&two, Some("17.1")).unwrap().path, Path::new("/b/psql"));
    }

    #[test]
    fn with_no_psql_new_enough_the_newest_and_it_says_so() {
        let f = found(&[("/13/psql", "13.22"), ("/15/psql", "15.18")]);
        let c = choose_psql(&f, Some("17.10")).unwrap();
        assert_eq!((c.path.to_str(), c.new_enough), (Some("/15/psql"), false));
        assert!(c.reason.contains("none is as new as pg_dump 17.10"), "{}", c.reason);
        let c = choose_psql(&f, None).unwrap();
        assert!(c.new_enough && c.path == Path::new("/15/psql"), "{c:?}");
        assert_eq!(choose_psql(&Found::default(), Some("17.1")), None);
        let explicit = Found { explicit: Some("--pg-bindir /x".into()), ..found(&[("/x/psql", "15.18")]) };
        let c = choose_psql(&explicit, Some("17.10")).unwrap();
        assert!(!c.new_enough && c.reason.contains("--pg-bindir /x"), "{c:?}");
    }

    #[test]
    fn restrict_support_by_version() {
        assert!(psql_knows_restrict("15.14") && psql_knows_restrict("17.6") && psql_knows_restrict("18.0"));
        assert!(psql_knows_restrict("19devel"));
        assert!(!psql_knows_restrict("15.13") && !psql_knows_restrict("16.9") && !psql_knows_restrict("12.22"));
        assert!(!psql_knows_restrict(""));
    }

    /// A stand-in for a client program that reports `version`.
    fn fake(dir: &Path, program: &str, version: &str) -> PathBuf {
        fs::create_dir_all(dir).unwrap();
        let path = dir.join(program);
        fs::write(&path, format!("#!/bin/sh\necho '{program} (PostgreSQL) {version}'\n")).unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn installed_programs_are_found_in_every_place_once() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        let debian15 = fake(&r.join("usr/lib/postgresql/15/bin"), "pg_dump", "15.18");
        let rpm17 = fake(&r.join("usr/pgsql-17/bin"), "pg_dump", "17.2");
        let pypi = fake(&r.join("opt/pypi/bin"), "pg_dump", "17.10");
        let local = r.join("local-bin");
        fs::create_dir(&local).unwrap();
        // A link named like its target: the real directory counts, once.
        symlink(&debian15, local.join("pg_dump")).unwrap();
        let places = Places {
            path: Some(std::env::join_paths([local.as_path(), pypi.parent().unwrap()]).unwrap()),
            pg_config: Some(r.join("usr/pgsql-17/bin")),
            root: r.to_path_buf(),
        };
        let found = installed("pg_dump", &places);
        let paths: Vec<&Path> = found.iter().map(|p| p.path.as_path()).collect();
        let real15 = fs::canonicalize(&debian15).unwrap();
        assert_eq!(paths, [real15.as_path(), pypi.as_path(), rpm17.as_path()]);
        assert_eq!(found[1].version, "17.10");

        // PGBAG_PG_BINDIR holding the program is the only one considered;
        // one holding only server programs is passed over.
        let f = find_in("pg_dump", None, Some(rpm17.parent().unwrap()), &places).unwrap();
        assert_eq!(f.programs.len(), 1);
        assert!(f.explicit.unwrap().starts_with("PGBAG_PG_BINDIR"));
        let f = find_in("pg_dump", None, Some(&r.join("server-only")), &places).unwrap();
        assert_eq!((f.programs.len(), f.explicit), (3, None));
        let e = find_in("pg_dump", Some(&r.join("server-only")), None, &places).unwrap_err();
        assert!(e.to_string().contains("--pg-bindir") && e.to_string().contains("has no pg_dump"), "{e}");
    }
}
