//! `pgbag drill`: prove a package restores, in a scratch database.

use std::path::PathBuf;

use clap::Args;

use pgbag::pg::Conninfo;
use pgbag::pg::cluster::{ClusterOptions, TempCluster};
use pgbag::restore::drill::{self, Drilled};
use pgbag::restore::rehearse;

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Prove a package is restorable: validate it, restore it into a scratch
/// database, compare row counts and objects with its summary, then drop the
/// scratch database. Exit 0 pass; 1 mismatch, or the package does not
/// restore; 2 operational error (this server cannot run the drill); 3 the
/// package's own content, or a rehearsal's plan, is refused.
///
/// Without --target, pgbag starts a temporary local PostgreSQL cluster
/// (initdb + pg_ctl in a temp dir, unix socket only) and removes it after.
///
/// --rehearse CONNINFO rehearses a restore into that database without
/// touching it: pgbag only reads its catalogs (server version, the role's
/// attributes, roles, schemas and extensions such as heroku_ext), lays out
/// a temporary cluster of the same major version like it, and restores
/// there as that role with the restore options given, so that the
/// rehearsal fails where `pgbag restore` into the target would.
///
/// Examples:
///   pgbag drill catalog-20261125T030000Z.tar.zst
///   pgbag drill catalog.tar.zst --target "host=staging-db user=drill dbname=postgres" --json
///   pgbag drill s3://backups/catalog/catalog-20261125T030000Z.tar.zst
///   pgbag drill catalog.tar.zst --rehearse "$TARGET" --extension-schema pgcrypto=heroku_ext
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DrillArgs {
    /// Package file, bag directory, or s3://bucket/key (streamed, twice: validate, restore)
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// A server to drill on; the scratch database pgbag_drill_<random> is created there
    #[arg(long, value_name = "CONNINFO", conflicts_with = "rehearse")]
    pub target: Option<String>,
    /// Rehearse a restore into this database on a temporary cluster laid out like it; only its catalogs are read
    #[arg(long, value_name = "CONNINFO")]
    pub rehearse: Option<String>,
    /// The PostgreSQL server programs (initdb, pg_ctl, postgres) for the temporary cluster
    #[arg(long, value_name = "DIR", conflicts_with = "target")]
    pub pg_bindir: Option<PathBuf>,
    /// Keep the scratch database (with --target) for a look
    #[arg(long, requires = "target")]
    pub keep: bool,
    /// The target has EXT in SCHEMA already, as for restore (with --rehearse, or when the drill's server has it)
    #[arg(long, value_name = "EXT=SCHEMA", value_parser = super::restore::parse_extension_schema)]
    pub extension_schema: Vec<(String, String)>,
    /// Leave out CREATE EXTENSION and COMMENT ON EXTENSION for EXT, as for restore
    #[arg(long, value_name = "EXT")]
    pub skip_extension: Vec<String>,
    /// Leave out ALTER ... OWNER TO (a drill without --rehearse always does)
    #[arg(long)]
    pub no_owner: bool,
    /// Leave out GRANT, REVOKE and ALTER DEFAULT PRIVILEGES (a drill without --rehearse always does)
    #[arg(long)]
    pub no_privileges: bool,
    /// Let SQL of this class through the guard, as `restore --allow-sql` does (repeatable)
    #[arg(long, value_name = "CLASS", value_parser = super::restore::parse_sql_class)]
    pub allow_sql: Vec<pgbag::sql::SqlClass>,
    /// Drill with a psql that lacks \restrict, as `restore --allow-old-psql` does
    #[arg(long)]
    pub allow_old_psql: bool,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
    /// Print nothing when the drill passes (a failing drill still prints its report)
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: DrillArgs) -> pgbag::Result<u8> {
    let bar = Bar::new(a.quiet || a.json);
    let package = a.s3.open(&a.package)?;
    // Say what an input that is not a package or a dump is before a
    // temporary cluster is started for it.
    pgbag::package::reader::detect(&package)?;
    let opts = drill::DrillOptions {
        keep: a.keep,
        allow_sql: a.allow_sql.iter().copied().collect(),
        allow_old_psql: a.allow_old_psql,
        extension_schema: a.extension_schema.iter().cloned().collect(),
        skip_extension: a.skip_extension.iter().cloned().collect(),
        no_owner: a.no_owner,
        no_privileges: a.no_privileges,
    };
    let drilled = match (&a.target, &a.rehearse) {
        (Some(t), _) => drill::drill_on(&package, &Conninfo::parse(t)?, &opts, &bar)?,
        (None, Some(r)) => rehearse::rehearse(&package, &Conninfo::parse(r)?, &opts, a.pg_bindir.as_deref(), &bar)?,
        (None, None) => {
            let cluster =
                TempCluster::start_with_options(&ClusterOptions { bindir: a.pg_bindir.clone(), superuser: None })?;
            let mut drilled = drill::drill_on(&package, &cluster.conninfo("postgres"), &opts, &bar)?;
            if let Drilled::Compared(r) = &mut drilled {
                r.server = format!("temporary local cluster (PostgreSQL {})", cluster.server_version());
            }
            cluster.stop()?;
            drilled
        }
    };
    let report = match drilled {
        Drilled::Compared(report) => report,
        Drilled::Refused { plan, error } => {
            eprint!("{}", render::plan(&plan));
            return Err(error);
        }
    };
    // Quiet: a passing drill says nothing, a failing one shows its report.
    if !(a.quiet && report.passed) {
        print(&if a.json { render::json(&report) } else { render::drill(&report) })?;
    }
    Ok(if report.passed { 0 } else { 1 })
}
