//! `pgbag prune`: grandfather-father-son retention under an S3 prefix.

use std::fmt::Write as _;

use clap::Args;

use pgbag::package::format::{count, human_size};
use pgbag::package::stored::{self as packages, Pruned};
use pgbag::store::S3Url;
use pgbag::store::retention::Policy;
use pgbag::{Error, Result};

use super::store::{S3Args, prefix_url};
use super::{print, progress::Bar, render};

/// Delete old packages under an S3 prefix by a grandfather-father-son policy.
///
/// A dry run unless --apply: prints each package, oldest first, whether it
/// is kept and why. A package is kept if any rule keeps it. The newest
/// package that validates is always kept (packages are validated newest
/// first until one passes, each streamed once). Only a valid package takes
/// a rule's slot: one that carries pgbag-sha256 (recorded after its upload
/// validated) counts as valid, others are validated first (all of them with
/// --deep). An invalid package takes no slot and is kept, and said so.
/// Pinned packages (`pgbag pin`) are always kept. Objects that are not pgbag
/// packages are never deleted. Creation times come from the packages, not
/// from S3.
///
/// Examples:
///   pgbag prune s3://backups/catalog/ --keep-daily 7 --keep-weekly 5 --keep-monthly 12
///   pgbag prune s3://backups/catalog/ --keep-last 3 --apply
///   pgbag prune s3://backups/catalog/ --keep-daily 7 --apply -q     # from cron: silent unless something is wrong
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PruneArgs {
    /// s3://bucket/prefix/
    #[arg(value_name = "S3_PREFIX")]
    pub prefix: String,
    /// Keep the N newest packages
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_last: usize,
    /// Keep the newest package of each of the last N days that have one (UTC)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_daily: usize,
    /// Keep the newest package of each of the last N ISO weeks that have one
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_weekly: usize,
    /// Keep the newest package of each of the last N months that have one
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_monthly: usize,
    /// Delete; without it nothing is changed
    #[arg(long)]
    pub apply: bool,
    /// Validate (stream) every package a rule would keep, not only those
    /// without a recorded pgbag-sha256
    #[arg(long)]
    pub deep: bool,
    /// Print the plan as JSON {apply, decisions, ignored, invalid, deleted}
    #[arg(long)]
    pub json: bool,
    /// Print nothing when it succeeds (invalid packages are still warned of, on stderr)
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: PruneArgs) -> Result<u8> {
    let prefix = prefix_url(&a.prefix)?;
    let policy = Policy {
        keep_last: a.keep_last,
        keep_daily: a.keep_daily,
        keep_weekly: a.keep_weekly,
        keep_monthly: a.keep_monthly,
    };
    if policy.is_empty() {
        return Err(Error::usage(
            "prune needs a policy: at least one of --keep-last, --keep-daily, --keep-weekly, --keep-monthly",
        ));
    }
    let pruned = packages::prune(&a.s3.connect()?, &prefix, &policy, a.apply, a.deep, &Bar::new(a.quiet || a.json))?;
    if a.json {
        print(&render::json(&pruned))?;
    } else if !a.quiet {
        print(&render_prune(&pruned))?;
        print(&render_summary(&prefix, &pruned))?;
    } else {
        eprint!("{}", render_invalid(&prefix, &pruned));
    }
    Ok(0)
}

fn render_prune(p: &Pruned) -> String {
    let mut t = String::new();
    // Oldest first, like `list`.
    for d in &p.decisions {
        let verdict = match (d.keep, p.apply) {
            (true, _) => "keep",
            (false, true) => "deleted",
            (false, false) => "delete",
        };
        let why = d.reasons.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            t,
            "{verdict:<7}  {}  {:>9}  {}{}",
            d.created.format("%Y-%m-%dT%H:%M:%SZ"),
            human_size(d.size),
            d.key,
            if why.is_empty() { String::new() } else { format!("  ({why})") }
        );
    }
    t
}

/// One warning line per invalid package.
fn render_invalid(prefix: &S3Url, p: &Pruned) -> String {
    let mut t = String::new();
    for k in &p.invalid {
        let _ = writeln!(
            t,
            "warning: {} is invalid: kept, and not counted by any rule (run `pgbag validate {}`; delete it by hand once you have looked)",
            k,
            prefix.with_key(k.clone())
        );
    }
    t
}

fn render_summary(prefix: &S3Url, p: &Pruned) -> String {
    let mut t = render_invalid(prefix, p);
    if !p.ignored.is_empty() {
        let n = p.ignored.len();
        let are = if n == 1 { "is" } else { "are" };
        let _ = writeln!(t, "ignored {} that {are} not pgbag packages", count(n, "object"));
    }
    let gone = p.decisions.iter().filter(|d| !d.keep).count();
    let kept = p.decisions.len() - gone;
    if p.apply {
        let _ = writeln!(t, "kept {kept}, deleted {} under {prefix}", p.deleted.len());
    } else {
        let _ = writeln!(t, "dry run: would keep {kept} and delete {gone}; run again with --apply to delete");
    }
    t
}
