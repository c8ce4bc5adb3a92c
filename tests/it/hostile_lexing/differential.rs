//! The differential of fuzz/fuzz_targets/psql_split.rs, over a fixed corpus
//! so that CI runs it: the same bytes go to pgbag's scanner and to the real
//! psql in its own `\restrict` mode, where psql reports every meta-command
//! it sees (`psql:<stdin>:LINE: error: backslash commands are restricted;
//! only \unrestrict is allowed`) and runs none. Whenever pgbag accepts an
//! input (no `sql-*` hazard), both must find meta-commands on the same lines.
//!
//! psql runs as a role without any privilege worth having, in one
//! transaction, with `ON_ERROR_STOP=0` (to see every line) and
//! `ON_ERROR_ROLLBACK=on` (so that one error does not make every later COPY
//! fail). A `COPY … FROM stdin` that fails before its data makes psql read
//! the data as SQL, which a real restore (`ON_ERROR_STOP=1`) never does, so
//! the comparison stops there.

use std::collections::BTreeSet;
use std::io::{BufReader, Write};
use std::process::Stdio;

use super::cases;
use crate::util::Cluster;

const RESTRICTED: &str = ": error: backslash commands are restricted; only \\unrestrict is allowed";
const WRONG_KEY: &str = ": error: \\unrestrict: wrong key";

/// pgbag's verdict that restore would refuse `input` before psql sees it:
/// a hazard of the scanner (it may split differently in psql), or of the
/// SQL guard (restore refuses those too, without --allow-sql).
pub fn scanner_flags_a_hazard(input: &[u8]) -> bool {
    let mut s = pgbag::sql::Scanner::new(BufReader::new(input));
    let mut guard = false;
    loop {
        if s.at_copy_data() {
            s.copy_data_to(&mut std::io::sink()).expect("reading from memory");
            continue;
        }
        let Some(item) = s.next_item().expect("reading from memory") else { break };
        if let pgbag::sql::ItemKind::Statement(st) = &item.kind {
            guard |= !pgbag::sql::guard::check(st, item.line, s.standard_conforming_strings()).is_empty();
        }
    }
    guard || !s.hazards().is_empty()
}

/// What pgbag's scanner sees: the lines (1-based) holding a meta-command,
/// and the last line of each `COPY … FROM stdin` statement.
pub fn pgbag_lines(input: &[u8]) -> (BTreeSet<u64>, Vec<u64>) {
    let mut s = pgbag::sql::Scanner::new(BufReader::new(input));
    let (mut metas, mut copies) = (BTreeSet::new(), Vec::new());
    while let Some(item) = s.next_item().expect("reading from memory") {
        match &item.kind {
            pgbag::sql::ItemKind::MetaCommand(_) => {
                metas.insert(item.line);
            }
            pgbag::sql::ItemKind::Statement(st) if st.keyword() == "copy" && st.facts.from_stdin => {
                copies.push(item.line + st.text.iter().filter(|&&b| b == b'\n').count() as u64);
            }
            _ => {}
        }
    }
    (metas, copies)
}

/// A key nobody can guess from the input.
fn key() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    format!("PgbagDifferential{:016x}{:016x}", h.finish(), std::process::id())
}

/// What psql sees, in the input's own line numbers: the lines where it met
/// a meta-command, and those where the server reported an error.
pub fn psql_lines(pg: &Cluster, input: &[u8]) -> (BTreeSet<u64>, BTreeSet<u64>) {
    let mut script = format!("\\restrict {}\n", key()).into_bytes();
    script.extend_from_slice(input);
    let mut child = pg
        .command("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=0", "-v", "ON_ERROR_ROLLBACK=on", "--single-transaction"])
        .args(["-U", "hl_fuzz", "-d", "hl_diff", "-f", "-"])
        .env("PGOPTIONS", "-c statement_timeout=10s -c lock_timeout=10s")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&script);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let (mut metas, mut errors) = (BTreeSet::new(), BTreeSet::new());
    for l in String::from_utf8_lossy(&out.stderr).lines() {
        let Some(rest) = l.strip_prefix("psql:<stdin>:") else { continue };
        let Some((n, what)) = rest.split_once(':') else { continue };
        // Line 1 is our `\restrict`.
        let Some(n) = n.parse::<u64>().ok().and_then(|n| n.checked_sub(1)) else { continue };
        let what = format!(":{what}");
        if what == RESTRICTED || what == WRONG_KEY {
            metas.insert(n);
        } else if what.starts_with(": ERROR:") {
            errors.insert(n);
        }
    }
    (metas, errors)
}

/// The role and database psql runs as and in: nothing but `public.t` to
/// write to, so no input can reach a file, a program or another role.
pub fn prepare(pg: &Cluster) {
    pg.psql("postgres", "CREATE ROLE hl_fuzz LOGIN");
    pg.create_db("hl_diff");
    pg.psql("hl_diff", "CREATE TABLE public.t (a text, b text); GRANT SELECT, INSERT ON public.t TO hl_fuzz");
}

/// `None` when they agree (or pgbag flags a hazard); else what differs.
pub fn disagreement(pg: &Cluster, input: &[u8]) -> Option<String> {
    if scanner_flags_a_hazard(input) {
        return None;
    }
    let (mut ours, copies) = pgbag_lines(input);
    let (mut theirs, errors) = psql_lines(pg, input);
    if let Some(&cut) = copies.iter().find(|end| errors.contains(end)) {
        ours.retain(|&l| l <= cut);
        theirs.retain(|&l| l <= cut);
    }
    (ours != theirs).then(|| format!("pgbag sees meta-commands on lines {ours:?}, psql on {theirs:?}"))
}

/// Inputs pgbag and psql must read alike (none is a hazard).
const AGREED: &[&[u8]] = &[
    b"SELECT 1; \\echo yes\n",
    b"SELECT $$\n\\echo no\n$$; \\echo yes\n",
    b"SELECT $a$ $b$ \\echo no $b$ $a$; \\echo yes\n",
    b"SELECT $a$x$a$$b$ \\echo no $b$; \\echo yes\n",
    b"SELECT \"a\\\"; \\echo yes\n",
    b"SELECT 1 /* /* */ \\echo no */ \\echo yes\n",
    b"SELECT 1 /*\n\\echo no\n*/; \\echo yes\n",
    b"SELECT 'a''b\\c' \\echo yes\n",
    b"SELECT E'\\\\' \\echo yes\n",
    b"SELECT E'\\'' \\echo no'; \\echo yes\n",
    b"SELECT 'a'\n'b' \\echo yes\n;\n",
    b"SELECT 'a' -- c \\echo no\n\\echo yes\n",
    b"SELECT (1;\n\\echo yes\n);\n",
    b"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; \\echo yes\nEND;\n",
    b"COPY public.t (a, b) FROM stdin;\n\\echo data\t1\n\\.\n\\echo yes\n",
    b"COPY public.t (a, b) FROM stdin;\n1\t2\n\\.\nSELECT 1; \\echo yes\n",
    b"\\echo a \\\\ \\echo b\n",
    b"SELECT 1 \\g\n",
    b"SELECT x$$ \\echo yes $$;\n",
    b"SELECT $1a$ \\echo yes $1a$;\n",
    b"SELECT $_$ \\echo no $_$, $a1$ \\echo no $a1$; \\echo yes\n",
    b"SELECT U&'\\' \\echo yes';\n",
    b"SELECT B'1', X'1f', N'x' \\echo yes\n",
    b"SELECT :foo, x::text, arr[1:n] \\echo yes\n",
    b"SELECT 1e1, 1.5, .5e-3 \\echo yes\n",
    "SELECT '\u{e9}', \"\u{e9}\" \\echo yes\n".as_bytes(),
    b"\\restrict SomeOtherKey\nSELECT 1;\n\\unrestrict SomeOtherKey\n",
    b"SELECT 1;\n\\",
    b"SELECT 'unterminated\n\\echo no\n",
];

#[test]
fn pgbag_and_psql_restrict_mode_agree_on_meta_command_lines_unless_pgbag_refuses() {
    let Some(pg) = Cluster::start() else { return };
    prepare(&pg);
    let corpus: Vec<(String, Vec<u8>)> = AGREED
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("agreed #{i}"), b.to_vec()))
        .chain(
            [cases::SPLITTING, cases::CONNECT, cases::OUTSIDE]
                .into_iter()
                .flatten()
                .map(|c| (c.name.to_string(), c.body.to_vec())),
        )
        .chain(cases::LOOKALIKES.iter().map(|l| (format!("look-alike: {}", l.name), l.body.to_vec())))
        .collect();
    let mut failures = Vec::new();
    for (name, body) in &corpus {
        // Nothing runs in restricted mode; the names only need to be harmless.
        let body = super::replace(&super::replace(body, "MARKER", "/nonexistent/pgbag-marker"), "TARGETDB", "hl_diff");
        if let Some(why) = disagreement(&pg, &body) {
            failures.push(format!("{name}: {why}\n      {:?}", String::from_utf8_lossy(&body)));
        }
    }
    eprintln!("differential: {} inputs, {} disagreements", corpus.len(), failures.len());
    assert!(failures.is_empty(), "pgbag accepted inputs psql splits differently:\n  {}", failures.join("\n  "));
}

/// The agreed inputs are agreed on today, whatever the hazards.
#[test]
fn pgbag_and_psql_agree_on_the_plain_tricky_inputs() {
    let Some(pg) = Cluster::start() else { return };
    prepare(&pg);
    let failures: Vec<String> = AGREED
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let (ours, _) = pgbag_lines(b);
            let (theirs, _) = psql_lines(&pg, b);
            (ours != theirs).then(|| format!("#{i} {:?}: pgbag {ours:?}, psql {theirs:?}", String::from_utf8_lossy(b)))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
