//! Differential: pgbag's scanner against the real psql, on the same bytes.
//!
//! psql is run in its own `\restrict` mode (a random key is prepended), in
//! which it reports every meta-command it meets with
//! `psql:<stdin>:LINE: error: backslash commands are restricted; only
//! \unrestrict is allowed` and runs none. When pgbag accepts an input (its
//! scanner flags no `sql-*` hazard, see [`scanner_flags_a_hazard`]), both
//! must find meta-commands on the same lines; otherwise a dump could hide a
//! meta-command from pgbag that psql would run. Inputs pgbag refuses (a
//! scanner hazard, or a statement the SQL guard refuses) are skipped.
//!
//! One throwaway cluster per process (`pgbag::pg::cluster::TempCluster`,
//! unix socket only). psql connects as a role with no privilege worth
//! having, inside one transaction with `ON_ERROR_ROLLBACK=on` so that an
//! error does not abort every later statement, and with `ON_ERROR_STOP=0`
//! so that it reads the whole input. A `COPY … FROM stdin` that fails before
//! its data makes psql lex the data as SQL, which a real restore
//! (`ON_ERROR_STOP=1`) never does: the comparison stops there. It also
//! stops before a `\;` or `\:` (a known divergence, see `pgbag_lines` and
//! fuzz/README.md). A meta-command that interrupts a statement (round 4's
//! find 2) is a scanner hazard (`sql-meta-command-in-statement`), so such
//! inputs are skipped like any other pgbag refuses. The plain
//! version of this check, over a fixed corpus, is
//! tests/it/hostile_lexing/differential.rs.
//!
//! Slow (a psql per input, ~20 exec/s): run it with `-max_len=4096` and the
//! `scanner` corpus and dictionary (fuzz/README.md).

#![no_main]

use std::collections::BTreeSet;
use std::io::{BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use pgbag::pg::cluster::TempCluster;
use pgbag::sql::{ItemKind, Scanner};

const RESTRICTED: &str = ": error: backslash commands are restricted; only \\unrestrict is allowed";
const UNRESTRICT_ERROR: &str = ": error: \\unrestrict: ";
const ROLE: &str = "pgbag_fuzz";
const DB: &str = "pgbag_fuzz";

/// pgbag's verdict that restore would refuse `input` before psql sees it: a
/// hazard of the scanner (it may split differently in psql), or of the SQL
/// guard (restore refuses those too, without --allow-sql). The same verdict
/// as tests/it/hostile_lexing/differential.rs.
fn scanner_flags_a_hazard(input: &[u8]) -> bool {
    let mut s = Scanner::new(BufReader::new(input));
    let mut guard = false;
    loop {
        if s.at_copy_data() {
            s.copy_data_to(&mut std::io::sink()).expect("reading from memory cannot fail");
            continue;
        }
        let Some(item) = s.next_item().expect("reading from memory cannot fail") else { break };
        if let ItemKind::Statement(st) = &item.kind {
            guard |= !pgbag::sql::guard::check(st, item.line, s.standard_conforming_strings()).is_empty();
        }
    }
    guard || !s.hazards().is_empty()
}

/// Lines holding a meta-command, and the last line of each
/// `COPY … FROM stdin`, as pgbag's scanner sees them; and the last line
/// before the first `\;` or `\:`, which psql does not read as a
/// meta-command (a known divergence, fuzz/README.md round 4, find 3: the
/// comparison stops there).
fn pgbag_lines(input: &[u8]) -> (BTreeSet<u64>, Vec<u64>, Option<u64>) {
    let mut s = Scanner::new(BufReader::new(input));
    let (mut metas, mut copies, mut cut) = (BTreeSet::new(), Vec::new(), None);
    while let Some(item) = s.next_item().expect("reading from memory cannot fail") {
        match &item.kind {
            ItemKind::MetaCommand(m) => {
                metas.insert(item.line);
                // `\;` and `\:` put a `;` or `:` into psql's query buffer and
                // are no meta-command to psql; the scanner reads a meta-command
                // line there (and restore refuses it). Items come in line
                // order, so the first one is the cut.
                if cut.is_none() && (m.command == ";" || m.command == ":") {
                    cut = Some(item.line - 1);
                }
            }
            ItemKind::Statement(st) if st.keyword() == "copy" && st.facts.from_stdin => {
                copies.push(item.line + st.text.iter().filter(|&&b| b == b'\n').count() as u64);
            }
            _ => {}
        }
    }
    (metas, copies, cut)
}

/// What each input needs of the cluster.
struct Server {
    psql: std::path::PathBuf,
    /// Connection string for the fuzz role.
    conn: String,
    key: String,
}

/// The cluster itself, stopped and removed at exit or on a crash (libFuzzer
/// ends with `exit()` or `abort()`, neither of which drops statics).
static CLUSTER: Mutex<Option<TempCluster>> = Mutex::new(None);

extern "C" fn stop_cluster() {
    if let Some(c) = CLUSTER.lock().unwrap_or_else(|p| p.into_inner()).take() {
        let _ = c.stop();
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let cluster = TempCluster::start().expect("start a throwaway PostgreSQL cluster");
        let psql = cluster.bindir().join("psql");
        let setup = format!(
            "CREATE ROLE {ROLE} LOGIN; CREATE DATABASE {DB};\n\\connect {DB}\n\
             CREATE TABLE public.t (a text, b text); GRANT SELECT, INSERT ON public.t TO {ROLE};\n"
        );
        let mut cmd = Command::new(&psql);
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &cluster.conninfo("postgres").public]);
        let mut child = cmd.stdin(Stdio::piped()).spawn().expect("run psql");
        child.stdin.take().unwrap().write_all(setup.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "setting up the fuzz role failed");
        let conn = cluster.conninfo(DB).public.replace("user=postgres", &format!("user={ROLE}"));
        *CLUSTER.lock().unwrap() = Some(cluster);
        // SAFETY: registers a plain `extern "C" fn` that touches only a Mutex.
        unsafe { libc::atexit(stop_cluster) };
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            stop_cluster();
            hook(info);
        }));
        // Random per process: no input can name it to `\unrestrict`.
        let key = format!("PgbagFuzz{:032x}", rand_u128());
        Server { psql, conn, key }
    })
}

fn rand_u128() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let a = h.finish();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(a);
    (u128::from(a) << 64) | u128::from(h.finish())
}

/// Lines (of `input`) where psql met a meta-command, and where the server
/// reported an error.
fn psql_lines(input: &[u8]) -> (BTreeSet<u64>, BTreeSet<u64>) {
    let s = server();
    let mut script = format!("\\restrict {}\n", s.key).into_bytes();
    script.extend_from_slice(input);
    let mut child = Command::new(&s.psql)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=0", "-v", "ON_ERROR_ROLLBACK=on", "--single-transaction"])
        .args(["-f", "-", "-d", &s.conn])
        .env("PGOPTIONS", "-c statement_timeout=5s -c lock_timeout=5s")
        .env("PGCLIENTENCODING", "UTF8")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run psql");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&script);
    });
    let out = child.wait_with_output().expect("wait for psql");
    writer.join().unwrap();
    let (mut metas, mut errors) = (BTreeSet::new(), BTreeSet::new());
    for l in String::from_utf8_lossy(&out.stderr).lines() {
        let Some(rest) = l.strip_prefix("psql:<stdin>:") else { continue };
        let Some((n, what)) = rest.split_once(':') else { continue };
        // Line 1 is the `\restrict` line.
        let Some(n) = n.parse::<u64>().ok().and_then(|n| n.checked_sub(1)) else { continue };
        let what = format!(":{what}");
        // `\unrestrict` is the one command psql runs in restricted mode: it
        // reports a wrong key, a missing one, and so on.
        if what == RESTRICTED || what.starts_with(UNRESTRICT_ERROR) {
            metas.insert(n);
        } else if what.starts_with(": ERROR:") {
            errors.insert(n);
        }
    }
    (metas, errors)
}

fuzz_target!(|data: &[u8]| {
    if scanner_flags_a_hazard(data) {
        return;
    }
    let (mut ours, copies, backslash_cut) = pgbag_lines(data);
    let (mut theirs, errors) = psql_lines(data);
    // Known and left as is (fuzz/README.md, round 4, find 3): `\;` and `\:`
    // are SQL to psql. Compared up to the line before. (Find 2, a
    // meta-command that interrupts a statement, is a scanner hazard since its
    // fix, so no input that reaches here has one.)
    let copy_cut = copies.iter().find(|end| errors.contains(end)).copied();
    if let Some(cut) = [copy_cut, backslash_cut].into_iter().flatten().min() {
        ours.retain(|&l| l <= cut);
        theirs.retain(|&l| l <= cut);
    }
    assert_eq!(ours, theirs, "meta-command lines: pgbag (left) and psql (right) disagree on an input pgbag accepts");
});
