//! Restore drills: prove a package restores, somewhere it cannot hurt.
//!
//! A drill validates the package, restores it into a scratch database
//! (`pgbag_drill_<random>` on `--target`'s server, or on a temporary local
//! cluster), compares what arrived with the package's summary
//! ([`compare`]), and drops the scratch database unless asked to keep it.
//! A rehearsal ([`super::rehearse`]) does the same on a temporary cluster
//! made to look like a given target.
//!
//! Owners and grants are left out (`--no-owner --no-privileges`): a scratch
//! server rarely has the source's roles, and they do not decide whether the
//! data comes back. A rehearsal keeps them unless asked, as restore does.
//!
//! Invariant, for monitors (spec/exit-codes.md): a drill's error is
//! [`ErrorKind::Invalid`] (exit 1) only when the package is invalid or psql
//! failed on one of its statements, and a report fails only when what
//! arrived differs from the summary. Whatever stops a drill for a reason of
//! its server (a role without `CREATEDB`, an extension it lacks, an old
//! psql, a lost connection) is [`ErrorKind::Operational`] (exit 2); a plan
//! that refuses the package's own content (the input, SQL and meta-command
//! guards), or a rehearsal's plan that refuses anything, is
//! [`ErrorKind::Refused`] (exit 3).

mod compare;

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasher, Hasher};

use serde::Serialize;

pub use compare::{ConfigTable, Counted, compare, table_check};

use super::plan::{Guard, Refusal, RestoreOptions, RestorePlan};
use super::{Prepared, execute, prepare};
use crate::error::{Error, ErrorKind, Result};
use crate::pg::{self, Conninfo};
use crate::progress::Progress;
use crate::store::Input;

/// One comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `table`, `view`, `materialized view`, `index`, `function`, `sequence`, `extension`.
    pub kind: String,
    pub object: String,
    /// For tables, the recorded rows; otherwise `present`.
    pub expected: String,
    pub found: String,
    pub ok: bool,
}

/// The drill's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    pub database: String,
    /// Where it ran: the target's server, or `temporary local cluster`.
    pub server: String,
    pub kept: bool,
    pub passed: bool,
    /// What a rehearsal could not reproduce of its target, or what the real
    /// restore will need beyond it (`--confirm`).
    pub notes: Vec<String>,
    pub checks: Vec<Check>,
}

/// A scratch database name nobody else uses: `pgbag_drill_` and 12 hex digits.
pub fn scratch_name() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    h.write_u32(std::process::id());
    format!("pgbag_drill_{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// What the user may let through a drill's guards, and the restore options
/// that matter (as for restore).
#[derive(Debug, Clone, Default)]
pub struct DrillOptions {
    /// Keep the scratch database (with a target server) for a look.
    pub keep: bool,
    /// `--allow-sql CLASS`.
    pub allow_sql: BTreeSet<crate::sql::SqlClass>,
    /// `--allow-old-psql`.
    pub allow_old_psql: bool,
    /// `--extension-schema EXT=SCHEMA`.
    pub extension_schema: BTreeMap<String, String>,
    /// `--skip-extension EXT`.
    pub skip_extension: BTreeSet<String>,
    /// `--no-owner`, `--no-privileges`: a rehearsal follows them as restore
    /// would; a drill on a scratch server always leaves owners and grants out.
    pub no_owner: bool,
    pub no_privileges: bool,
}

impl DrillOptions {
    /// The restore options of a drill: always one transaction, with the
    /// user's extension options and allowances.
    pub(crate) fn restore_options(&self) -> RestoreOptions {
        RestoreOptions {
            no_owner: self.no_owner,
            no_privileges: self.no_privileges,
            extension_schema: self.extension_schema.clone(),
            skip_extension: self.skip_extension.clone(),
            allow_sql: self.allow_sql.clone(),
            allow_old_psql: self.allow_old_psql,
            ..RestoreOptions::default()
        }
    }
}

/// How a drill ended, short of an error.
#[derive(Debug)]
pub enum Drilled {
    /// The package restored; the report says whether it matches.
    Compared(DrillReport),
    /// The plan refused before anything was restored: the plan, to show,
    /// and the error to end with (its kind decides the exit code).
    Refused { plan: Box<RestorePlan>, error: Error },
}

/// Runs a drill against `server` (a connection to any database there; the
/// scratch database is created next to it).
pub fn drill_on(package: &Input, server: &Conninfo, drill: &DrillOptions, progress: &dyn Progress) -> Result<Drilled> {
    let name = scratch_name();
    let scratch = server.with_dbname(&name);
    let opts = RestoreOptions { create: true, no_owner: true, no_privileges: true, ..drill.restore_options() };
    let prepared = prepare(package, &scratch, &opts, true, progress)?;
    if prepared.plan.refused() {
        let error = refusal_error(&prepared.plan, None);
        return Ok(Drilled::Refused { plan: Box::new(prepared.plan), error });
    }
    let checks = restore_and_compare(&prepared, &scratch, &scratch, progress);
    if !drill.keep {
        // The scratch database is ours: drop it whatever happened.
        let _ = pg::execute(
            &server.with_dbname("postgres"),
            &format!("DROP DATABASE IF EXISTS {}", crate::schema::quote_ident(&name)),
        );
    }
    let checks = checks?;
    Ok(Drilled::Compared(DrillReport {
        database: name,
        server: server.public.clone(),
        kept: drill.keep,
        passed: checks.iter().all(|c| c.ok),
        notes: Vec::new(),
        checks,
    }))
}

/// Restores a plan that refused nothing through `restore_to`, then compares
/// what arrived, read through `compare_in`.
pub(crate) fn restore_and_compare(
    prepared: &Prepared,
    restore_to: &Conninfo,
    compare_in: &Conninfo,
    progress: &dyn Progress,
) -> Result<Vec<Check>> {
    // Only psql failing on a statement of the dump says the package is bad
    // (exit 1); a refusal mid-stream stays a refusal, and anything else (the
    // server, the connection, an interrupt) is operational (exit 2), so a
    // monitor does not cry "the backup is bad" for a problem of its own.
    execute(prepared, restore_to, progress).map_err(|e| match e.kind() {
        ErrorKind::Partial => Error::invalid(format!("the package did not restore: {e}")),
        ErrorKind::Refused => e,
        _ => Error::operational(format!("the drill could not run: {e}")),
    })?;
    compare(compare_in, &prepared.summary)
}

/// Whether a refusal is about the package's own content, wherever it is
/// restored: bytes psql could read differently, SQL that reaches outside
/// the database, meta-commands. Every other guard judges the server
/// (privileges, extensions, roles, psql) or the options.
fn about_the_package(r: &Refusal) -> bool {
    matches!(r.guard, Guard::Input | Guard::Sql | Guard::MetaCommand)
}

/// The error a refused drill ends with. `rehearsing` names the target of a
/// rehearsal: there every refusal is the finding (the real restore would be
/// refused just so), exit 3. A drill refused for its server's sake says
/// nothing about the package: exit 2.
pub(crate) fn refusal_error(plan: &RestorePlan, rehearsing: Option<&str>) -> Error {
    let why: Vec<String> = plan.refusals.iter().map(|r| format!("{}: {} ({})", r.object, r.reason, r.fix)).collect();
    let why = why.join("; ");
    if let Some(target) = rehearsing {
        return Error::new(
            ErrorKind::Refused,
            format!(
                "the rehearsal's plan refuses this restore, as a restore to {target} would be refused: {why}; the target was not touched"
            ),
        );
    }
    if plan.refusals.iter().any(about_the_package) {
        return Error::new(ErrorKind::Refused, format!("the drill cannot restore this package: {why}"));
    }
    // The privileges guard's fix speaks of restore; a drill has one more.
    let instead = if plan.refusals.iter().any(|r| r.guard == Guard::Privileges) {
        "; a rehearsal (--rehearse CONNINFO) needs no CREATEDB on the target"
    } else {
        ""
    };
    Error::operational(format!("the drill cannot run on this server, whatever the package holds: {why}{instead}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_refused_by(guards: &[Guard]) -> RestorePlan {
        RestorePlan {
            target_database: "pgbag_drill_0".into(),
            create: true,
            single_transaction: true,
            refusals: guards
                .iter()
                .map(|&guard| Refusal {
                    guard,
                    object: "o".into(),
                    reason: "r".into(),
                    fix: "f".into(),
                    fix_args: Vec::new(),
                })
                .collect(),
            warnings: Vec::new(),
            notes: Vec::new(),
            filter: Default::default(),
            target: Default::default(),
            psql: None,
        }
    }

    /// Issue 12, failure 10: a drill as a role without CREATEDB said "the
    /// package did not restore" (exit 1), and a monitor raised a false
    /// "the backup is bad" alarm.
    #[test]
    fn a_drill_refused_for_its_servers_sake_is_operational() {
        for guard in [Guard::Privileges, Guard::Psql, Guard::Extension, Guard::Roles, Guard::Capacity] {
            let e = refusal_error(&plan_refused_by(&[guard]), None);
            assert_eq!(e.kind(), ErrorKind::Operational, "{guard}: {e}");
        }
    }

    #[test]
    fn a_drill_refused_for_the_packages_content_is_refused() {
        for guard in [Guard::Input, Guard::Sql, Guard::MetaCommand] {
            let e = refusal_error(&plan_refused_by(&[guard, Guard::Privileges]), None);
            assert_eq!(e.kind(), ErrorKind::Refused, "{guard}: {e}");
        }
    }

    #[test]
    fn a_rehearsal_refused_by_any_guard_is_refused() {
        for guard in [Guard::Extension, Guard::Privileges, Guard::Sql] {
            let e = refusal_error(&plan_refused_by(&[guard]), Some("dbname=app"));
            assert_eq!(e.kind(), ErrorKind::Refused, "{guard}: {e}");
            assert!(e.to_string().contains("the target was not touched"), "{e}");
        }
    }

    #[test]
    fn a_plain_drill_leaves_owners_and_grants_out_a_rehearsal_follows_the_options() {
        let drill = DrillOptions::default();
        let opts = drill.restore_options();
        assert!(!opts.per_statement && !opts.no_owner && !opts.no_privileges && !opts.create);
    }
}
