//! `pgbag push`: a local package to S3, validated first.

use std::path::PathBuf;

use clap::Args;

use pgbag::Result;
use pgbag::package::stored::{self as packages, Pushed};

use super::store::{S3UploadArgs, s3_url};
use super::{print, progress::Bar, render};

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
    /// Print nothing when it succeeds
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3UploadArgs,
}

pub fn run(a: PushArgs) -> Result<u8> {
    let dest = s3_url(&a.dest, "the destination")?;
    let s3 = a.s3.connect()?;
    match packages::push(&s3, &a.package, &dest, a.force, &Bar::new(a.quiet))? {
        Pushed::Done(url) => {
            if !a.quiet {
                print(&format!("{url}\n"))?;
            }
            Ok(0)
        }
        Pushed::Invalid(report) => {
            eprint!("{}", render::validation(&a.package.display().to_string(), &report));
            eprintln!("pgbag: not uploaded: the package is invalid");
            Ok(1)
        }
    }
}
