//! `pgbag restore`: plan, then execute, through psql.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use pgbag::pg::Conninfo;
use pgbag::restore::plan::Guard;
use pgbag::restore::{self, RestoreOptions, RestorePlan};
use pgbag::sql::SqlClass;
use pgbag::{Error, ErrorKind, Result};

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Restore a package (or a bare .sql dump) into PostgreSQL through psql,
/// after guards that refuse, before touching anything, what would go wrong:
/// overwriting a database, objects that already exist, what the restoring
/// role may not do, extension conflicts, missing roles, psql
/// meta-commands pg_dump never writes, bytes psql could read differently
/// from pgbag, and SQL that reaches outside the database. The whole stream
/// runs inside psql's own \restrict, so psql itself refuses every
/// meta-command. The restore is one transaction: all or nothing. It runs a
/// psql at least as new as the pg_dump that made the dump when one is
/// installed (the plan says which).
///
/// If the plan says ready, the restore works; if it cannot, the plan refuses
/// before touching anything, and each refusal's "add:" line names the
/// arguments that resolve it for this target (fix_args in --plan --json).
///
/// Examples:
///   pgbag restore catalog.tar.zst --target "dbname=catalog_check" --create
///   pgbag restore catalog.tar.zst --target "$STAGING_URL" --plan
///   pgbag restore catalog.tar.zst --target "$STAGING_URL" --confirm staging --clean
///   pgbag restore old.sql.gz --target dbname=x --create --extension-schema pgcrypto=heroku_ext
///   pgbag restore s3://backups/catalog/catalog-20261125T030000Z.tar.zst --target dbname=x --create
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RestoreArgs {
    /// Package file, bag directory, plain SQL dump, or s3://bucket/key
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// Connection string or URI of the target database
    #[arg(long, value_name = "CONNINFO")]
    pub target: String,
    /// Create the target database first; fails if it exists (the safe way: restore next to production)
    #[arg(long)]
    pub create: bool,
    /// Print the plan and touch nothing
    #[arg(long)]
    pub plan: bool,
    /// With --plan: print it as JSON
    #[arg(long, requires = "plan")]
    pub json: bool,
    /// Allow restoring into a database that holds objects (or a --clean dump): type its name
    #[arg(long, value_name = "DBNAME")]
    pub confirm: Option<String>,
    /// All or nothing (the default): a failure leaves the database as it was; kept for scripts that pass it
    #[arg(long, overrides_with = "no_single_transaction")]
    pub single_transaction: bool,
    /// Run statement by statement: a failure then leaves the target part restored (what ran before it stays)
    #[arg(long, overrides_with = "single_transaction")]
    pub no_single_transaction: bool,
    /// Drop first the objects the dump creates that the target already has (DROP ... IF EXISTS, never CASCADE, in the restore's transaction): a dump made without pg_dump --clean then replaces yesterday's copy. Never drops what you do not own or what an extension owns; the plan lists what it drops
    #[arg(long, conflicts_with = "create")]
    pub clean: bool,
    /// Leave out ALTER ... OWNER TO statements
    #[arg(long)]
    pub no_owner: bool,
    /// Leave out GRANT, REVOKE and ALTER DEFAULT PRIVILEGES
    #[arg(long)]
    pub no_privileges: bool,
    /// The target has EXT in SCHEMA already: skip its CREATE and rewrite references (e.g. pgcrypto=heroku_ext)
    #[arg(long, value_name = "EXT=SCHEMA")]
    pub extension_schema: Vec<String>,
    /// Leave out CREATE EXTENSION and COMMENT ON EXTENSION for EXT
    #[arg(long, value_name = "EXT")]
    pub skip_extension: Vec<String>,
    /// Let SQL of this class through the guard (repeatable): copy-program, copy-file, alter-system, role, set-role, untrusted-function, load, tablespace, database, subscription, function-call
    #[arg(long, value_name = "CLASS", value_parser = parse_sql_class)]
    pub allow_sql: Vec<SqlClass>,
    /// Restore with a psql that lacks \restrict (older than 17.6, 16.10, 15.14, 14.19, 13.22): pgbag's own checks are then the only guard
    #[arg(long)]
    pub allow_old_psql: bool,
    /// The directory of the psql to run, whatever its version (also
    /// PGBAG_PG_BINDIR); by default one at least as new as the pg_dump that
    /// made the dump, of its major version if installed
    #[arg(long, value_name = "DIR")]
    pub pg_bindir: Option<PathBuf>,
    /// Restore only this table (SCHEMA.NAME; repeatable): definition, data, sequences, defaults, indexes, constraints, triggers
    #[arg(long, value_name = "SCHEMA.NAME")]
    pub table: Vec<String>,
    /// Restore only the objects of this schema (repeatable)
    #[arg(long, value_name = "NAME")]
    pub schema: Vec<String>,
    /// Only table data (and sequence values)
    #[arg(long, conflicts_with = "schema_only")]
    pub data_only: bool,
    /// Only definitions, no data
    #[arg(long)]
    pub schema_only: bool,
    /// Do not validate the package first
    #[arg(long)]
    pub no_verify: bool,
    /// Print nothing when it succeeds (the plan's warnings still go to stderr)
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

fn options(a: &RestoreArgs) -> Result<RestoreOptions> {
    let mut extension_schema = BTreeMap::new();
    for e in &a.extension_schema {
        let (ext, schema) =
            parse_extension_schema(e).map_err(|why| Error::usage(format!("--extension-schema {why}")))?;
        extension_schema.insert(ext, schema);
    }
    Ok(RestoreOptions {
        create: a.create,
        confirm: a.confirm.clone(),
        per_statement: a.no_single_transaction,
        no_owner: a.no_owner,
        clean: a.clean,
        no_privileges: a.no_privileges,
        extension_schema,
        skip_extension: a.skip_extension.iter().cloned().collect(),
        allow_sql: a.allow_sql.iter().copied().collect::<BTreeSet<_>>(),
        allow_old_psql: a.allow_old_psql,
        pg_bindir: a.pg_bindir.clone(),
        tables: a
            .table
            .iter()
            .map(|t| match t.split_once('.') {
                Some((s, n)) => (s.to_string(), n.to_string()),
                None => ("public".to_string(), t.clone()),
            })
            .collect(),
        schemas: a.schema.iter().cloned().collect(),
        data_only: a.data_only,
        schema_only: a.schema_only,
    })
}

/// `--extension-schema`'s value: `EXT=SCHEMA`.
pub fn parse_extension_schema(s: &str) -> std::result::Result<(String, String), String> {
    s.split_once('=')
        .filter(|(x, s)| !x.is_empty() && !s.is_empty())
        .map(|(x, s)| (x.to_string(), s.to_string()))
        .ok_or_else(|| format!("{s}: expected EXT=SCHEMA, e.g. pgcrypto=heroku_ext"))
}

/// `--allow-sql`'s value: one of the classes of spec/restore.md.
pub fn parse_sql_class(s: &str) -> std::result::Result<SqlClass, String> {
    SqlClass::parse(s).ok_or_else(|| {
        let all: Vec<&str> = SqlClass::ALL.iter().map(|c| c.name()).collect();
        format!("unknown class {s:?}; one of: {}", all.join(", "))
    })
}

/// On a terminal, the overwrite guard asks for the database's name instead,
/// after showing the whole plan and saying what will be dropped or replaced
/// (issue 12: it asked before any plan was shown, and did not say that the
/// dump drops objects first).
fn ask_confirmation(plan: &RestorePlan) -> Option<String> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    eprint!("{}", render::plan(plan));
    let db = &plan.target_database;
    let why: Vec<&str> = plan.refusals.iter().map(|r| r.reason.as_str()).collect();
    eprint!("\n{}.\nType the name of database {db} to go on (anything else stops): ", why.join("; "));
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line.trim().to_string())
}

pub fn run(a: RestoreArgs) -> Result<u8> {
    let target = Conninfo::parse(&a.target)?;
    let mut opts = options(&a)?;
    let bar = Bar::new(a.quiet || a.json);
    let package = a.s3.open(&a.package)?;
    let mut prepared = restore::prepare(&package, &target, &opts, !a.no_verify, &bar)?;
    let only_overwrite = prepared.plan.refused() && prepared.plan.refusals.iter().all(|r| r.guard == Guard::Overwrite);
    if only_overwrite
        && !a.plan
        && opts.confirm.is_none()
        && let Some(typed) = ask_confirmation(&prepared.plan)
    {
        opts.confirm = Some(typed);
        prepared = restore::replan(prepared, &target, &opts)?;
    }
    if a.plan {
        print(&if a.json { render::json(&prepared.plan) } else { render::plan(&prepared.plan) })?;
        return Ok(if prepared.plan.refused() { 3 } else { 0 });
    }
    if prepared.plan.refused() {
        eprint!("{}", render::plan(&prepared.plan));
        return Err(Error::new(ErrorKind::Refused, "restore refused; nothing was changed"));
    }
    for w in &prepared.plan.warnings {
        eprintln!("pgbag: warning: {w}");
    }
    let done = restore::execute(&prepared, &target, &bar)?;
    if !a.quiet {
        eprintln!(
            "pgbag: restored into {} ({} left out, {} rewritten, as planned)",
            prepared.plan.target_database,
            pgbag::package::format::count(done.dropped, "statement"),
            done.rewritten
        );
    }
    Ok(0)
}
