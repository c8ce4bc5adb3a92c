//! Tests for the temporary cluster. The ones that start a server skip, with
//! a message, when PostgreSQL is missing, except under CI where that is a
//! failure (`crate::ci_gate`). Each puts its cluster into a directory of
//! its own ([`parent_dir`]), so that what it finds left behind there can be
//! nobody else's.

use super::*;
use crate::error::ErrorKind;
use crate::pg::bindir::is_executable;

/// Whether this machine can run a cluster; panics under CI if not.
fn can_start() -> bool {
    match find_bindir().and_then(|_| run_as_for_this_process()) {
        Ok(_) => true,
        Err(e) => {
            crate::ci_gate::unavailable("a temporary PostgreSQL cluster", e);
            false
        }
    }
}

/// A directory for a test's clusters, which the server's OS user may pass
/// through (tempfile makes it 0700). Declare it before the cluster, so that
/// it goes after it.
fn parent_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("pgbag-cluster-test-").tempdir_in("/tmp").unwrap();
    fs::set_permissions(dir.path(), Permissions::from_mode(0o755)).unwrap();
    dir
}

fn start(parent: &tempfile::TempDir) -> Option<TempCluster> {
    if !can_start() {
        return None;
    }
    let setup = Setup { parent: Some(parent.path()), extra_conf: "", options: &ClusterOptions::default() };
    Some(TempCluster::start_with(&setup).unwrap_or_else(|e| panic!("{e}")))
}

/// `psql -X -At -c sql` against the cluster, from an environment whose
/// libpq variables all point elsewhere: only the conninfo may matter.
fn psql(c: &TempCluster, sql: &str) -> Result<String, String> {
    let bundled = c.bindir().join("psql");
    let mut cmd = Command::new(if is_executable(&bundled) { bundled } else { PathBuf::from("psql") });
    cmd.args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", &c.conninfo("postgres").public, "-c", sql])
        .env_remove("PGPASSWORD")
        .env_remove("PGSERVICE")
        .envs([
            ("PGHOST", "/nonexistent"),
            ("PGHOSTADDR", "192.0.2.1"),
            ("PGPORT", "1"),
            ("PGUSER", "nobody"),
            ("PGDATABASE", "nowhere"),
            ("PGCONNECT_TIMEOUT", "5"),
        ])
        .stdin(Stdio::null());
    let out = cmd.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn postmaster_pid(c: &TempCluster) -> u32 {
    let pidfile = fs::read_to_string(c.datadir.join("postmaster.pid")).expect("a running server has a pid file");
    pidfile.lines().next().and_then(|l| l.trim().parse().ok()).expect("the pid file starts with the pid")
}

/// Whether `pid` is still a postgres process for `datadir` (pids get reused).
fn postmaster_alive(pid: u32, datadir: &Path) -> bool {
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let needle = datadir.as_os_str().as_encoded_bytes();
    !cmdline.is_empty() && cmdline.windows(needle.len()).any(|w| w == needle)
}

fn leftovers(parent: &tempfile::TempDir) -> Vec<PathBuf> {
    fs::read_dir(parent.path()).unwrap().map(|e| e.unwrap().path()).collect()
}

#[test]
fn clients_connect_over_the_socket_and_stop_leaves_nothing() {
    let parent = parent_dir();
    let Some(c) = start(&parent) else { return };
    assert_eq!(psql(&c, "select 1").unwrap(), "1");
    // No TCP at all, and the socket sits in the private directory.
    assert_eq!(psql(&c, "show listen_addresses").unwrap(), "");
    assert_eq!(psql(&c, "select current_user").unwrap(), SUPERUSER);
    assert!(c.server_version().starts_with(|ch: char| ch.is_ascii_digit()), "{}", c.server_version());
    assert!(psql(&c, "show server_version").unwrap().starts_with(c.server_version()));
    let dir = PathBuf::from(&c.socket_dir);
    assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    let (pid, datadir) = (postmaster_pid(&c), c.datadir.clone());
    assert!(postmaster_alive(pid, &datadir));

    assert_eq!(dir.parent(), Some(parent.path()));
    c.stop().unwrap();
    assert_eq!(leftovers(&parent), Vec::<PathBuf>::new());
    assert!(!postmaster_alive(pid, &datadir), "postmaster {pid} still runs");
}

#[test]
fn drop_stops_the_server_and_removes_the_directory() {
    let parent = parent_dir();
    let Some(c) = start(&parent) else { return };
    let (pid, datadir) = (postmaster_pid(&c), c.datadir.clone());
    assert_eq!(leftovers(&parent).len(), 1);
    drop(c);
    assert_eq!(leftovers(&parent), Vec::<PathBuf>::new());
    assert!(!postmaster_alive(pid, &datadir), "postmaster {pid} still runs");
}

#[test]
fn a_server_that_does_not_start_is_explained_by_its_log_and_leaves_nothing() {
    if !can_start() {
        return;
    }
    let parent = parent_dir();
    let setup = Setup {
        parent: Some(parent.path()),
        extra_conf: "shared_buffers = 'lots'\n",
        options: &ClusterOptions::default(),
    };
    let err = TempCluster::start_with(&setup).expect_err("a bad setting keeps the server from starting");
    assert_eq!(err.kind(), ErrorKind::Operational);
    let msg = err.to_string();
    assert!(msg.contains("did not start"), "{msg}");
    assert!(msg.contains("shared_buffers"), "the log's explanation is missing: {msg}");
    assert_eq!(leftovers(&parent), Vec::<PathBuf>::new());
}

#[test]
fn root_without_a_postgres_user_is_told_how_to_proceed() {
    let runuser = Some((PathBuf::from("/usr/sbin/runuser"), SWITCH_USER_PROGRAMS[0]));
    let root_postgres = OsUser { name: "postgres".into(), uid: 0, gid: 0 };
    for user in [None, Some(root_postgres)] {
        let err = run_as_for_root(user, runuser.clone()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Operational);
        let msg = err.to_string();
        for hint in ["initdb refuses to run as root", "non-root user", "useradd", "--target"] {
            assert!(msg.contains(hint), "{hint:?} missing from: {msg}");
        }
    }
}

#[test]
fn root_runs_the_server_through_the_first_user_switcher_found() {
    let postgres = OsUser { name: "postgres".into(), uid: 101, gid: 104 };
    let r =
        run_as_for_root(Some(postgres.clone()), Some(("/usr/sbin/runuser".into(), SWITCH_USER_PROGRAMS[0]))).unwrap();
    assert_eq!(r.program, Path::new("/usr/sbin/runuser"));
    assert_eq!(r.args, ["-u", "postgres", "--"]);
    let r = run_as_for_root(Some(postgres.clone()), Some(("/usr/bin/gosu".into(), SWITCH_USER_PROGRAMS[2]))).unwrap();
    assert_eq!(r.args, ["postgres"]);
    let msg = run_as_for_root(Some(postgres), None).unwrap_err().to_string();
    assert!(msg.contains("runuser") && msg.contains("non-root user"), "{msg}");
}

#[test]
fn conninfo_survives_awkward_socket_paths_and_database_names() {
    let c = conninfo_for("/tmp/odd dir/it's", 5433, SUPERUSER, "my db");
    assert_eq!(c.password, None);
    let reparsed = Conninfo::parse(&c.public).unwrap();
    assert_eq!(reparsed, c);
    assert_eq!(c.dbname().as_deref(), Some("my db"));
    assert_eq!(c.with_dbname("other").dbname().as_deref(), Some("other"));
    assert!(c.public.starts_with(r"host='/tmp/odd dir/it\'s' hostaddr='' port=5433 user=postgres "), "{}", c.public);
}

#[test]
fn the_cluster_goes_under_tmpdir_unless_it_cannot_hold_one() {
    let t = parent_dir();
    let own = t.path().to_path_buf();
    assert_eq!(temp_root(own.clone(), false), own);
    assert_eq!(temp_root(own.clone(), true), own, "0755 all the way: the server's OS user gets through");
    assert_eq!(temp_root("relative/tmp".into(), false), Path::new("/tmp"));
    let long = own.join("x".repeat(MAX_SOCKET_PATH));
    assert_eq!(temp_root(long, false), Path::new("/tmp"), "the socket path would not fit");
    let private = own.join("private");
    fs::create_dir(&private).unwrap();
    fs::set_permissions(&private, Permissions::from_mode(0o700)).unwrap();
    assert_eq!(temp_root(private.clone(), false), private);
    assert_eq!(temp_root(private, true), Path::new("/tmp"), "the server's OS user could not get in");
}

#[test]
fn tail_lines_keeps_the_end() {
    assert_eq!(tail_lines("a\nb\nc\n\n", 2), "b\nc");
    assert_eq!(tail_lines("a", 5), "a");
    assert_eq!(tail_lines("", 5), "");
}
