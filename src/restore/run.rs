//! Preparing and executing a restore.
//!
//! [`prepare`] verifies the package, reads its summary, collects its
//! meta-command lines, asks the target for facts and builds the plan; it
//! changes nothing. [`execute`] follows a plan that refused nothing: it
//! creates the database if asked, streams the filtered dump into psql, and on
//! failure maps psql's `psql:<stdin>:LINE:` back to the object being restored.

use std::io::{self, Read};
use std::path::Path;

use super::facts::{self, TargetFacts};
use super::filter;
use super::plan::{self, MetaLine, RestoreOptions, RestorePlan};
use crate::error::{Error, ErrorKind, Result};
use crate::package::format::Manifest;
use crate::package::reader::InputKind;
use crate::package::{DumpDigest, OpenPackage};
use crate::pg::clients::PsqlChoice;
use crate::pg::{self, Conninfo};
use crate::progress::Progress;
use crate::schema::Summary;
use crate::store::Input;

/// A plan and what it was built from.
#[derive(Debug)]
pub struct Prepared {
    pub plan: RestorePlan,
    pub summary: Summary,
    pub manifest: Option<Manifest>,
    pub kind: InputKind,
    /// The package as opened and checked: [`execute`] restores from this
    /// same open file, and its dump reader fails before the end of the dump
    /// reaches psql unless the bytes are the ones checked.
    pub package: OpenPackage,
    /// The psql that runs the restore ([`pg::clients::psql_for`]).
    psql: PsqlChoice,
    /// What the reading pass found, for [`replan`].
    metas: Vec<MetaLine>,
    hazards: Option<crate::sql::Hazards>,
    databases: Option<Vec<crate::sql::guard::DatabaseStatement>>,
}

/// Reads the package and the target and builds the plan. Touches nothing.
pub fn prepare(
    package: &Input,
    target: &Conninfo,
    opts: &RestoreOptions,
    verify: bool,
    progress: &dyn Progress,
) -> Result<Prepared> {
    let package = OpenPackage::open(package)?;
    let kind = package.kind()?;
    let mut scanned = None;
    if verify && !matches!(kind, InputKind::Sql(_)) {
        let (report, dump) = package.validate(progress)?;
        scanned = dump;
        if !report.valid {
            let errors: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity == crate::package::Severity::Error)
                .map(|f| format!("{}: {}", f.code, f.message))
                .collect();
            return Err(Error::invalid(format!(
                "the package is invalid, so it was not restored ({}); run `pgbag validate` for details, or --no-verify to restore it anyway",
                errors.join("; ")
            )));
        }
    }
    let (summary, manifest) = match kind {
        InputKind::Sql(_) => {
            // Read as inspect and validate read it: a compressed stream that
            // stops decoding part-way is a damaged dump (exit 1), not a
            // failure to read (issue 13).
            let checked = crate::package::bare::check(&package, "scanning", progress)?;
            if let Some(f) = checked.findings.0.iter().find(|f| f.code == crate::package::Code::CompressedStreamCorrupt)
            {
                return Err(Error::invalid(format!(
                    "{}: {}; it was not restored; `pgbag validate` says what else is wrong",
                    package.input(),
                    f.message
                )));
            }
            let mut dump = checked.scanned;
            if let Some(t) = &dump.summary_too_large {
                return Err(Error::new(
                    ErrorKind::Refused,
                    format!(
                        "{t}, so pgbag cannot plan its restore; nothing was done. Restore it with psql by hand, \
                     or dump the database in parts (pg_dump --schema)"
                    ),
                ));
            }
            package.expect_dump(DumpDigest { sha256: dump.sha256.clone(), bytes: Some(dump.bytes) });
            let summary = std::mem::take(&mut dump.summary);
            scanned = Some(dump);
            (summary, None)
        }
        _ => {
            let head = package.head()?;
            (head.summary()?, Some(head.manifest()?))
        }
    };
    // The verifying pass saw every meta-command line with its arguments.
    // Without it (--no-verify) the plan judges names from the summary and the
    // filter checks arguments as the lines stream past.
    let metas: Vec<MetaLine> = match &scanned {
        Some(s) => s
            .meta_lines
            .iter()
            .map(|(c, a, l)| MetaLine { command: c.clone(), args: Some(a.clone()), line: *l })
            .collect(),
        None => summary
            .meta_commands
            .iter()
            .map(|m| MetaLine { command: m.command.clone(), args: None, line: m.line })
            .collect(),
    };
    let (hazards, databases) = match scanned {
        Some(s) => (Some(s.hazards), Some(s.databases)),
        None => (None, None),
    };
    // A psql at least as new as the pg_dump that made the dump (spec/restore.md, "Which psql").
    let dump_by = manifest.as_ref().and_then(|m| m.source.pg_dump_version.clone()).or(summary.dump.dumped_by.clone());
    let psql = pg::clients::psql_for(dump_by.as_deref(), opts.pg_bindir.as_deref())?;
    let facts = target_facts(target, opts, &psql)?;
    let read = plan::DumpRead { metas: &metas, hazards: hazards.as_ref(), databases: databases.as_deref() };
    let plan = plan::build(&summary, manifest.as_ref(), &facts, read, opts);
    Ok(Prepared { plan, summary, manifest, kind, package, psql, metas, hazards, databases })
}

/// Plans again with other options (the name typed at the overwrite
/// prompt), from what was already read and checked: the package is not
/// opened or read again.
pub fn replan(prepared: Prepared, target: &Conninfo, opts: &RestoreOptions) -> Result<Prepared> {
    let facts = target_facts(target, opts, &prepared.psql)?;
    let read = plan::DumpRead {
        metas: &prepared.metas,
        hazards: prepared.hazards.as_ref(),
        databases: prepared.databases.as_deref(),
    };
    let plan = plan::build(&prepared.summary, prepared.manifest.as_ref(), &facts, read, opts);
    Ok(Prepared { plan, ..prepared })
}

/// The database `--create` would make, from the target conninfo.
fn new_database_name(target: &Conninfo) -> Result<String> {
    target.dbname().or_else(|| std::env::var("PGDATABASE").ok()).ok_or_else(|| {
        Error::usage("--create needs the new database's name: put dbname=NAME (or /NAME in a URI) in --target")
    })
}

fn target_facts(target: &Conninfo, opts: &RestoreOptions, psql: &PsqlChoice) -> Result<TargetFacts> {
    if !opts.create {
        return facts::query(target, psql);
    }
    let name = new_database_name(target)?;
    if facts::database_exists(&target.with_dbname("postgres"), &name, &psql.path)? {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "database {name} already exists; --create only makes new databases. Choose another name, or drop --create and pass --confirm {name} to restore into it"
            ),
        ));
    }
    // A new database is a copy of template1: ask it, and touch nothing.
    let mut f = facts::query(&target.with_dbname("template1"), psql)?;
    f.database = name;
    Ok(f)
}

/// What a finished restore did.
#[derive(Debug, Default)]
pub struct Executed {
    pub dropped: u64,
    pub rewritten: u64,
}

/// Executes a plan that refused nothing.
pub fn execute(prepared: &Prepared, target: &Conninfo, progress: &dyn Progress) -> Result<Executed> {
    let plan = &prepared.plan;
    if plan.refused() {
        return Err(Error::new(ErrorKind::Refused, "the plan refuses this restore"));
    }
    let program = prepared.psql.path.as_path();
    if plan.create {
        let sql = format!("CREATE DATABASE {}", crate::schema::quote_ident(&plan.target_database));
        pg::execute_with(program, &target.with_dbname("postgres"), &sql)?;
    }
    let key = plan.filter.restrict.then(restrict_key).transpose()?;
    let mut psql =
        pg::psql_script(program, target, plan.single_transaction, prepared.summary.dump.encoding.as_deref())?;
    pg::command::track(psql.id());
    let stdin = psql.stdin.take().expect("stdin was piped");
    let mut stderr = psql.stderr.take().expect("stderr was piped");
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let total =
        prepared.manifest.as_ref().and_then(|m| m.payload.iter().find(|p| p.path == "data/dump.sql")).map(|p| p.bytes);
    progress.start("restoring", total);
    let data_tables = prepared.summary.tables.iter().filter(|t| t.data != "none").count();
    let mut done = filter::FilterOutcome::default();
    let mut psql_in = io::BufWriter::with_capacity(1 << 20, stdin);
    let fed = prepared
        .package
        .with_dump(|r| filter::run(r, &mut psql_in, &plan.filter, key.as_deref(), data_tables, progress, &mut done));
    progress.finish();
    if fed.is_err() || progress.cancelled() {
        // Stop psql before it reads the end of its input: at EOF it runs what
        // it was given and COMMITs a --single-transaction restore that was
        // stopped part-way (a refused line, Ctrl-C).
        let _ = psql.kill();
    }
    // Closes psql's stdin without flushing what is still buffered.
    drop(psql_in.into_parts());
    pg::command::untrack(psql.id());
    let status = psql.wait().map_err(|e| Error::io("waiting for psql", e))?;
    let mut stderr = errors.join().unwrap_or_default();
    if stderr.trim().is_empty() && !status.success() {
        // Killed by a signal, psql says nothing: its exit status is the news.
        stderr = format!("psql ended without a message ({status})");
    }
    let failed = fed.is_err() || !status.success() || progress.cancelled();
    let state = if failed { after_failure(plan, target, program) } else { String::new() };
    let psql_stopped_reading = |e: &Error| e.io_error().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe);
    match (fed, status.success()) {
        (Ok(()), true) => Ok(Executed { dropped: done.dropped, rewritten: done.rewritten }),
        _ if progress.cancelled() => Err(Error::operational(format!("interrupted; {state}"))),
        // psql failed; if it stopped reading first, its error is still the one to report.
        (Ok(()), false) => Err(psql_failure(status, &stderr, &done.lines, &state)),
        (Err(e), false) if psql_stopped_reading(&e) => Err(psql_failure(status, &stderr, &done.lines, &state)),
        (Err(e), _) => {
            let kind = if e.kind() == ErrorKind::Refused { ErrorKind::Refused } else { ErrorKind::Partial };
            Err(Error::new(kind, format!("{e}; {state}")))
        }
    }
}

/// What state a failed restore left the target in, in words. A database
/// this restore created is dropped again, so that the target is as it was
/// and the same `--create` can simply be run again (issue 12: the empty
/// database stayed, and the next `--create` was refused).
fn after_failure(plan: &RestorePlan, target: &Conninfo, psql: &Path) -> String {
    let db = crate::schema::quote_ident(&plan.target_database);
    if plan.create {
        let drop = format!("DROP DATABASE IF EXISTS {db}");
        return match pg::execute_with(psql, &target.with_dbname("postgres"), &drop) {
            Ok(()) => format!("nothing was restored: database {db}, which this restore created, was dropped again"),
            Err(e) => format!(
                "database {db}, which this restore created, could not be dropped again ({e}); drop it by hand before the next --create"
            ),
        };
    }
    if plan.single_transaction {
        return format!(
            "nothing was restored: the restore ran as one transaction and was rolled back, database {db} is as it was"
        );
    }
    format!(
        "database {db} was left partly restored (--no-single-transaction): what ran before the failure stays. Fix the cause shown above, then restore into a new database with --create, or over this one without --no-single-transaction (all or nothing)"
    )
}

/// A fresh `\restrict` key for one run: 63 letters and digits, as pg_dump
/// makes them, from the kernel's random source. It never leaves this process
/// except on psql's stdin.
fn restrict_key() -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 63];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::io("reading /dev/urandom for the \\restrict key", e))?;
    // 256 = 4 * 62 + 8: drop the 8 values that would bias the choice.
    let mut key = String::with_capacity(63);
    let mut pool = bytes.to_vec();
    while key.len() < 63 {
        if pool.is_empty() {
            let mut more = [0u8; 64];
            std::fs::File::open("/dev/urandom")
                .and_then(|mut f| f.read_exact(&mut more))
                .map_err(|e| Error::io("reading /dev/urandom for the \\restrict key", e))?;
            pool = more.to_vec();
        }
        let b = pool.pop().expect("not empty");
        if b < 248 {
            key.push(ALPHABET[usize::from(b) % 62] as char);
        }
    }
    Ok(key)
}

/// psql's exit status when "the connection to the server went bad and the
/// session was not interactive" (psql's documentation, "Exit Status"; 3 is
/// a statement that failed under ON_ERROR_STOP, 1 a fatal error of psql's
/// own).
const PSQL_CONNECTION_BAD: i32 = 2;

/// Turns psql's error output into a message naming the object. psql
/// numbers the lines of what it was fed (`psql:<stdin>:LINE:`), which is
/// the filtered stream, not the dump: every such line number is given as
/// the dump's, so one message uses one numbering (issue 13: "dump line
/// 82311" above "stdin:80219"). A lost connection (the server restarting,
/// `pg_terminate_backend`, the network) is an operational failure (exit 2,
/// as an interrupt is), with the same statement of the target's state, so
/// that `drill` does not call the package bad for it; any other failure is
/// a restore that failed part-way.
fn psql_failure(status: std::process::ExitStatus, stderr: &str, lines: &filter::LineMap, state: &str) -> Error {
    /// `psql:<stdin>:LINE:REST` → (LINE, REST).
    fn stdin_line(l: &str) -> Option<(u64, &str)> {
        let (n, rest) = l.strip_prefix("psql:<stdin>:")?.split_once(':')?;
        Some((n.parse().ok()?, rest))
    }
    let first = stderr.lines().find(|l| l.contains("ERROR:") || l.contains("FATAL:")).unwrap_or(stderr.trim());
    let place = match stdin_line(first).and_then(|(l, _)| lines.lookup(l)) {
        Some((dump_line, Some(toc))) => format!("failed while restoring {} (dump line {dump_line})", toc.label()),
        Some((dump_line, None)) => format!("failed at dump line {dump_line}"),
        None => "psql failed".to_string(),
    };
    let detail: Vec<String> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .map(|l| match stdin_line(l).and_then(|(n, rest)| Some((lines.lookup(n)?.0, rest))) {
            Some((dump_line, rest)) => format!("psql: dump line {dump_line}:{rest}"),
            None => l.to_string(),
        })
        .collect();
    let (kind, place) = match status.code() {
        Some(PSQL_CONNECTION_BAD) => {
            (ErrorKind::Operational, format!("psql lost its connection to the server ({place})"))
        }
        _ => (ErrorKind::Partial, place),
    };
    Error::new(kind, format!("{place}; psql's line numbers are the dump's:\n{}\n{state}", detail.join("\n")))
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::sync::Arc;

    use super::*;
    use crate::sql::TocEntry;

    /// Issue 13: the message said "dump line 82311" and then psql's
    /// "psql:<stdin>:80219", two numberings of one line.
    #[test]
    fn psql_line_numbers_are_given_as_the_dumps() {
        let toc = TocEntry::parse("-- Name: TABLE authors; Type: COMMENT; Schema: public; Owner: app", 82000).unwrap();
        // psql's line 80000 is the dump's line 82300 (the filter left lines out before it).
        let lines = filter::LineMap::from_spans(vec![(1, 1, None), (80000, 82300, Some(Arc::new(toc)))]);
        let stderr = "psql:<stdin>:80011: ERROR:  relation \"public.authors\" does not exist\n\
                      psql:<stdin>:80011: STATEMENT:  COMMENT ON TABLE public.authors IS 'x';\n";
        let e = psql_failure(std::process::ExitStatus::from_raw(3 << 8), stderr, &lines, "nothing was restored");
        let m = e.to_string();
        assert_eq!(e.kind(), ErrorKind::Partial);
        assert!(m.starts_with("failed while restoring COMMENT ON TABLE public.authors (dump line 82311)"), "{m}");
        assert!(m.contains("psql: dump line 82311: ERROR:  relation"), "{m}");
        assert!(!m.contains("<stdin>") && !m.contains("80011"), "{m}");
    }
}
