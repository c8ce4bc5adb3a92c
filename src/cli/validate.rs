//! `pgbag validate`: fixity, completeness and the SQL's integrity.

use clap::Args;

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Check a package: BagIt completeness and checksums, tar safety, the dump's
/// integrity, and the schema summary against the dump. Reports every finding.
/// Exit 0 when valid (warnings allowed), 1 when invalid.
///
/// Examples:
///   pgbag validate catalog-20261125T030000Z.tar.zst
///   pgbag validate --json /archive/catalog-bag/ | jq '.findings[]'
///   pgbag validate s3://backups/catalog/catalog-20261125T030000Z.tar.zst
///
/// An s3:// package is streamed once with no local copy. A network failure
/// is exit 2, never a verdict.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ValidateArgs {
    /// Package file, bag directory, or s3://bucket/key
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// Print JSON {valid, findings:[{severity,code,message,path,line,hint}]}
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: ValidateArgs) -> pgbag::Result<u8> {
    let input = a.s3.open(&a.package)?;
    let report = pgbag::package::validate(&input, &Bar::new(a.quiet || a.json))?;
    if a.json {
        print(&render::json(&report))?;
    } else {
        print(&render::validation(&a.package, &report))?;
    }
    Ok(if report.valid { 0 } else { 1 })
}
