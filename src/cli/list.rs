//! `pgbag list`: the packages under an S3 prefix.

use std::fmt::Write as _;

use clap::Args;

use pgbag::Result;
use pgbag::package::format::{count, human_size};
use pgbag::package::stored::{self as packages, Listing, Pin};
use pgbag::store::S3Url;

use super::store::{S3Args, prefix_url};
use super::{print, render};

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
    /// Print a JSON array of {key, url, created, database, size, format_version, name, source, sha256, pinned}
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: ListArgs) -> Result<u8> {
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
            "{:<20}  {:>9}  {:<6}  {:<16}  {}{}",
            p.created.format("%Y-%m-%dT%H:%M:%SZ"),
            human_size(p.size),
            p.format_version,
            p.database.as_deref().unwrap_or("-"),
            p.key,
            match &p.pinned {
                Some(Pin { reason: Some(r), .. }) => format!("  pinned: {r}"),
                Some(_) => "  pinned".to_string(),
                None => String::new(),
            }
        );
    }
    if !l.foreign.is_empty() {
        let n = l.foreign.len();
        let (is, what) = if n == 1 { ("is", "a pgbag package") } else { ("are", "pgbag packages") };
        let _ = writeln!(t, "({} under {prefix} {is} not {what})", count(n, "other object"));
    }
    t
}
