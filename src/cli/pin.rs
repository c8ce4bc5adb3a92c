//! `pgbag pin`: keep a package in S3 out of every prune rule's reach.

use clap::Args;

use pgbag::Result;
use pgbag::package::stored;

use super::print;
use super::store::{S3Args, s3_url};

/// Pin a package in S3 so that `pgbag prune` never deletes it.
///
/// The mark is the object's metadata key pgbag-pinned (the time, and the
/// reason if given), written by a server-side copy of the object onto
/// itself: its bytes and its pgbag-sha256 do not change. `list` shows it;
/// `prune` keeps the package with the reason "pinned".
///
/// Examples:
///   pgbag pin s3://backups/catalog/catalog-20261125T030000Z.tar.zst --reason "before the 17 upgrade"
///   pgbag pin --remove s3://backups/catalog/catalog-20261125T030000Z.tar.zst
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PinArgs {
    /// s3://bucket/key of the package
    #[arg(value_name = "S3_URL")]
    pub package: String,
    /// Why it is kept (shown by list and prune; up to 200 characters)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Take the mark away: prune's rules apply to it again
    #[arg(long)]
    pub remove: bool,
    /// Print nothing when it succeeds
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: PinArgs) -> Result<u8> {
    let url = s3_url(&a.package, "the package")?;
    let done = stored::pin(&a.s3.connect()?, &url, a.reason.as_deref(), a.remove, chrono::Utc::now())?;
    if a.quiet {
        return Ok(0);
    }
    let text = match (&done.pinned, done.changed) {
        (Some(p), _) => format!(
            "{}: pinned at {}{}\n",
            done.url,
            p.at,
            p.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        (None, true) => format!("{}: unpinned; prune's rules apply to it again\n", done.url),
        (None, false) => format!("{}: was not pinned; nothing changed\n", done.url),
    };
    print(&text)?;
    Ok(0)
}
