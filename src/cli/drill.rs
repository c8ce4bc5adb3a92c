//! `pgbag drill`: prove a package restores, in a scratch database.

use clap::Args;

use pgbag::pg::Conninfo;
use pgbag::pg::cluster::TempCluster;
use pgbag::restore::drill;

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Prove a package is restorable: validate it, restore it into a scratch
/// database, compare row counts and objects with its summary, then drop the
/// scratch database. Exit 0 pass, 1 mismatch (or it did not restore), 2 error.
///
/// Without --target, pgbag starts a temporary local PostgreSQL cluster
/// (initdb + pg_ctl in a temp dir, unix socket only) and removes it after.
///
/// Examples:
///   pgbag drill catalog-20261125T030000Z.tar.zst
///   pgbag drill catalog.tar.zst --target "host=staging-db user=drill dbname=postgres" --json
///   pgbag drill s3://backups/catalog/catalog-20261125T030000Z.tar.zst
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DrillArgs {
    /// Package file, bag directory, or s3://bucket/key (streamed, twice: validate, restore)
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// A server to drill on; the scratch database pgbag_drill_<random> is created there
    #[arg(long, value_name = "CONNINFO")]
    pub target: Option<String>,
    /// Keep the scratch database (with --target) for a look
    #[arg(long, requires = "target")]
    pub keep: bool,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: DrillArgs) -> pgbag::Result<u8> {
    let bar = Bar::new(a.quiet || a.json);
    let package = a.s3.open(&a.package)?;
    let report = match &a.target {
        Some(t) => drill::drill_on(&package, &Conninfo::parse(t)?, a.keep, &bar)?,
        None => {
            let cluster = TempCluster::start()?;
            let mut r = drill::drill_on(&package, &cluster.conninfo("postgres"), false, &bar)?;
            r.server = format!("temporary local cluster (PostgreSQL {})", cluster.server_version());
            cluster.stop()?;
            r
        }
    };
    print(&if a.json { render::json(&report) } else { render::drill(&report) })?;
    Ok(if report.passed { 0 } else { 1 })
}
