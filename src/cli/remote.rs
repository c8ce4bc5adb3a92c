//! `pgbag push`, `pull`, `list` and `prune`: packages in S3.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use pgbag::package::format::human_size;
use pgbag::store::packages::{self, Listing, Pruned, Pulled, Pushed};
use pgbag::store::retention::Policy;
use pgbag::store::{Location, S3Url};
use pgbag::{Error, Result};

use super::store::S3Args;
use super::{print, progress::Bar, render};

fn s3_url(s: &str, what: &str) -> Result<S3Url> {
    match Location::parse(s)? {
        Location::S3(u) => Ok(u),
        Location::Local(_) => Err(Error::usage(format!("{what} must be an s3://bucket/… URL, not {s}"))),
    }
}

fn prefix_url(s: &str) -> Result<S3Url> {
    let u = s3_url(s, "the prefix")?;
    if u.is_prefix() {
        Ok(u)
    } else {
        // `s3://b/nightly` means the folder, as `aws s3 ls` takes it.
        Ok(u.with_key(format!("{}/", u.key)))
    }
}

/// Upload a local package to S3, after validating it.
///
/// An invalid package is not uploaded (exit 1). The object gets the same
/// metadata as `pack -o s3://…` writes; an existing object is not replaced
/// without --force.
///
/// Examples:
///   pgbag push catalog-20261125T030000Z.tar.zst s3://backups/catalog/
///   pgbag push catalog.tar.zst s3://backups/catalog/catalog-2026-11-25.tar.zst
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PushArgs {
    /// Local package file
    pub package: PathBuf,
    /// s3://bucket/key, or s3://bucket/prefix/ to keep the file's name
    #[arg(value_name = "S3_URL")]
    pub dest: String,
    /// Replace an existing object
    #[arg(long)]
    pub force: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn push(a: PushArgs) -> Result<u8> {
    let dest = s3_url(&a.dest, "the destination")?;
    let s3 = a.s3.connect()?;
    match packages::push(&s3, &a.package, &dest, a.force, &Bar::new(a.quiet))? {
        Pushed::Done(url) => {
            print(&format!("{url}\n"))?;
            Ok(0)
        }
        Pushed::Invalid(report) => {
            eprint!("{}", render::validation(&a.package.display().to_string(), &report));
            eprintln!("pgbag: not uploaded: the package is invalid");
            Ok(1)
        }
    }
}

/// Download a package from S3, validated before it is kept.
///
/// The object is written to a temporary file beside the destination,
/// validated, and renamed into place only if valid. An invalid download
/// leaves nothing behind (exit 1).
///
/// Examples:
///   pgbag pull s3://backups/catalog/catalog-20261125T030000Z.tar.zst -o /restore/
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PullArgs {
    /// s3://bucket/key of the package
    #[arg(value_name = "S3_URL")]
    pub source: String,
    /// Destination file, or a directory to keep the object's name in
    #[arg(short, long, value_name = "PATH", default_value = ".")]
    pub output: PathBuf,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn pull(a: PullArgs) -> Result<u8> {
    s3_url(&a.source, "the source")?;
    let input = a.s3.open(&a.source)?;
    match packages::pull(&input, &a.output, a.force, &Bar::new(a.quiet))? {
        Pulled::Done(path, _) => {
            print(&format!("{}\n", path.display()))?;
            Ok(0)
        }
        Pulled::Invalid(report) => {
            eprint!("{}", render::validation(&a.source, &report));
            eprintln!("pgbag: the download is invalid and was removed; nothing was written");
            Ok(1)
        }
    }
}

/// List the packages under an S3 prefix, oldest first.
///
/// Facts come from each object's metadata (one HEAD), or from its head
/// (ranged GETs) for packages uploaded by other tools; no object is
/// downloaded. Objects that are not pgbag packages are counted, not listed.
///
/// Examples:
///   pgbag list s3://backups/catalog/
///   pgbag list s3://backups/catalog/ --json | jq -r '.[-1].key'
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    /// s3://bucket/prefix/
    #[arg(value_name = "S3_PREFIX")]
    pub prefix: String,
    /// Print a JSON array of {key, created, database, size, format_version, name, source}
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn list(a: ListArgs) -> Result<u8> {
    let prefix = prefix_url(&a.prefix)?;
    let listing = packages::list(&a.s3.connect()?, &prefix)?;
    if a.json {
        print(&render::json(&listing.packages))?;
    } else {
        print(&render_listing(&prefix, &listing))?;
    }
    Ok(0)
}

fn render_listing(prefix: &S3Url, l: &Listing) -> String {
    let mut t = String::new();
    if l.packages.is_empty() {
        let _ = writeln!(t, "no packages under {prefix}");
    } else {
        let _ = writeln!(t, "{:<20}  {:>9}  {:<6}  {:<16}  KEY", "CREATED", "SIZE", "FORMAT", "DATABASE");
    }
    for p in &l.packages {
        let _ = writeln!(
            t,
            "{:<20}  {:>9}  {:<6}  {:<16}  {}",
            p.created.format("%Y-%m-%dT%H:%M:%SZ"),
            human_size(p.size),
            p.format_version,
            p.database.as_deref().unwrap_or("-"),
            p.key
        );
    }
    if !l.foreign.is_empty() {
        let n = l.foreign.len();
        let _ =
            writeln!(t, "({n} other object{} under {prefix} not pgbag packages)", if n == 1 { " is" } else { "s are" });
    }
    t
}

/// Delete old packages under an S3 prefix by a grandfather-father-son policy.
///
/// A dry run unless --apply: prints each package, whether it is kept and
/// why. A package is kept if any rule keeps it. The newest package that
/// validates is always kept (packages are validated newest first until one
/// passes, each streamed once). Objects that are not pgbag packages are
/// never deleted. Creation times come from the packages, not from S3.
///
/// Examples:
///   pgbag prune s3://backups/catalog/ --keep-daily 7 --keep-weekly 5 --keep-monthly 12
///   pgbag prune s3://backups/catalog/ --keep-last 3 --apply
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
    /// Print the plan as JSON {apply, decisions, ignored, invalid, deleted}
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn prune(a: PruneArgs) -> Result<u8> {
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
    let pruned = packages::prune(&a.s3.connect()?, &prefix, &policy, a.apply, &Bar::new(a.quiet || a.json))?;
    print(&if a.json { render::json(&pruned) } else { render_prune(&prefix, &pruned) })?;
    Ok(0)
}

fn render_prune(prefix: &S3Url, p: &Pruned) -> String {
    let mut t = String::new();
    // Oldest first, like `list`.
    for d in p.decisions.iter().rev() {
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
    for k in &p.invalid {
        let _ = writeln!(t, "warning: {k} is invalid (run `pgbag validate s3://{}/{k}`)", prefix.bucket);
    }
    if !p.ignored.is_empty() {
        let n = p.ignored.len();
        let _ = writeln!(
            t,
            "ignored {n} object{} that {} not pgbag packages",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        );
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
