//! `pgbag validate`: fixity, completeness and the SQL's integrity.

use clap::Args;

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Check a package: BagIt completeness and checksums, tar safety, the dump's
/// integrity, and the schema summary against the dump. Reports every finding.
/// Exit 0 when valid (warnings allowed), 1 when invalid. With -q a valid
/// input prints nothing.
///
/// A bare dump (.sql, .sql.gz, .sql.zst) is checked as far as a dump without
/// a package can be: pg_dump's header and footer, \restrict pairing, COPY
/// terminators, statements PostgreSQL's parser rejects, meta-commands and
/// SQL hazards; the output says which checks did not apply. Input that is
/// neither (an empty file, a pg_dump custom archive, binary data) is exit 1.
///
/// Examples:
///   pgbag validate catalog-20261125T030000Z.tar.zst
///   pgbag validate --json /archive/catalog-bag/ | jq '.findings[]'
///   pgbag validate s3://backups/catalog/catalog-20261125T030000Z.tar.zst
///   pgbag validate nightly.sql.gz
///
/// An s3:// package or dump is streamed once with no local copy. A network
/// failure is exit 2, never a verdict.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ValidateArgs {
    /// Package file, bag directory, SQL dump, or s3://bucket/key
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// Print JSON (spec/validate.schema.json): {valid, input, not_checked, findings, sha256}
    #[arg(long)]
    pub json: bool,
    /// Print nothing when valid, warnings included (an invalid input still prints its findings); no progress
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: ValidateArgs) -> pgbag::Result<u8> {
    let input = a.s3.open(&a.package)?;
    let report = pgbag::package::validate(&input, &Bar::new(a.quiet || a.json))?;
    if a.quiet && report.valid {
        // Exit 0 says it; a cron job mails only when something is wrong.
    } else if a.json {
        print(&render::json(&report))?;
    } else {
        print(&render::validation(&a.package, &report))?;
    }
    Ok(if report.valid { 0 } else { 1 })
}
