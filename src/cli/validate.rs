//! `pgbag validate`: fixity, completeness and the SQL's integrity.

use std::path::PathBuf;

use clap::Args;

use super::{print, progress::Bar, render};

/// Check a package: BagIt completeness and checksums, tar safety, the dump's
/// integrity, and the schema summary against the dump. Reports every finding.
/// Exit 0 when valid (warnings allowed), 1 when invalid.
///
/// Examples:
///   pgbag validate catalog-20261125T030000Z.tar.zst
///   pgbag validate --json /archive/catalog-bag/ | jq '.findings[]'
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ValidateArgs {
    /// Package file or bag directory
    pub package: PathBuf,
    /// Print JSON {valid, findings:[{severity,code,message,path,line,hint}]}
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(a: ValidateArgs) -> pgbag::Result<u8> {
    let report = pgbag::package::validate(&a.package, &Bar::new(a.quiet || a.json))?;
    if a.json {
        print(&render::json(&report))?;
    } else {
        print(&render::validation(&a.package.display().to_string(), &report))?;
    }
    Ok(if report.valid { 0 } else { 1 })
}
