//! `pgbag inspect`: what a package or a bare dump holds.

use std::path::PathBuf;

use clap::Args;

use super::{print, progress::Bar, render};

/// Show what a package (or a bare .sql/.sql.gz/.sql.zst dump) holds.
///
/// For a package only the head is read, so it is instant at any size; use
/// `pgbag validate` to verify checksums. A bare dump is scanned once.
///
/// Examples:
///   pgbag inspect catalog-20261125T030000Z.tar.zst
///   pgbag inspect --json catalog.tar.zst | jq '.tables[] | {name, rows}'
///   pgbag inspect old-backup.sql.gz
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InspectArgs {
    /// Package file, bag directory, or SQL dump
    pub package: PathBuf,
    /// Print JSON (spec/inspect.schema.json) instead of text
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(a: InspectArgs) -> pgbag::Result<u8> {
    let report = pgbag::package::inspect(&a.package, &Bar::new(a.quiet || a.json))?;
    if a.json {
        print(&render::json(&report))?;
    } else {
        print(&render::inspect(&report))?;
    }
    Ok(0)
}
