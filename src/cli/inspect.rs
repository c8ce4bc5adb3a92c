//! `pgbag inspect`: what a package or a bare dump holds.

use clap::Args;

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Show what a package (or a bare .sql/.sql.gz/.sql.zst dump) holds.
///
/// For a package only the head is read, so it is instant at any size; use
/// `pgbag validate` to verify checksums. A bare dump is scanned once, and
/// its findings are validate's. Exit 1 when a finding is an error, or when
/// the input is not a dump or a package (an empty file, a pg_dump custom
/// archive, binary data), as validate does.
///
/// Examples:
///   pgbag inspect catalog-20261125T030000Z.tar.zst
///   pgbag inspect --json catalog.tar.zst | jq '.tables[] | {name, rows}'
///   pgbag inspect old-backup.sql.gz
///   pgbag inspect s3://backups/catalog/catalog-20261125T030000Z.tar.zst --verbose
///
/// An s3:// package is read with ranged GETs of its first bytes only;
/// --verbose reports how many bytes were fetched.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InspectArgs {
    /// Package file, bag directory, SQL dump, or s3://bucket/key
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// Print JSON (spec/inspect.schema.json) instead of text
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    /// Also report, on stderr, the bytes read (fetched, for s3://)
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: InspectArgs) -> pgbag::Result<u8> {
    let input = a.s3.open(&a.package)?;
    let report = pgbag::package::inspect(&input, &Bar::new(a.quiet || a.json))?;
    if a.verbose {
        match input.path() {
            Some(_) => eprintln!("pgbag: {} is {} bytes; read from local disk", a.package, input.len()),
            None => eprintln!(
                "pgbag: fetched {} of {} bytes of {} (ranged GETs of the head)",
                input.bytes_fetched(),
                input.len(),
                a.package
            ),
        }
    }
    if a.json {
        print(&render::json(&report))?;
    } else {
        print(&render::inspect(&report))?;
    }
    Ok(if report.valid { 0 } else { 1 })
}
