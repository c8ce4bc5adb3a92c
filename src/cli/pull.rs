//! `pgbag pull`: a package from S3, kept only if valid.

use std::path::PathBuf;

use clap::Args;

use pgbag::Result;
use pgbag::package::stored::{self as packages, Pulled};

use super::store::{S3Args, s3_url};
use super::{print, progress::Bar, render};

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
    /// Print nothing when it succeeds
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: PullArgs) -> Result<u8> {
    s3_url(&a.source, "the source")?;
    let input = a.s3.open(&a.source)?;
    match packages::pull(&input, &a.output, a.force, &Bar::new(a.quiet))? {
        Pulled::Done(path, _) => {
            if !a.quiet {
                print(&format!("{}\n", path.display()))?;
            }
            Ok(0)
        }
        Pulled::Invalid(report) => {
            eprint!("{}", render::validation(&a.source, &report));
            eprintln!("pgbag: the download is invalid and was removed; nothing was written");
            Ok(1)
        }
    }
}
