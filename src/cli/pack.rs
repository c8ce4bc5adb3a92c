//! `pgbag pack`: package a live database (pg_dump) or an existing dump.

use std::io::Read;
use std::path::PathBuf;

use chrono::{DateTime, SubsecRound, Utc};
use clap::{Args, ValueEnum};

use pgbag::package::format::Source;
use pgbag::package::pack_plan::{self, DestinationOptions};
use pgbag::package::{Compression, PackInput, PackOptions, PackOutcome, sql_input};
use pgbag::pg::{self, Conninfo};
use pgbag::store::Location;
use pgbag::{Error, Result};

use super::progress::Bar;
use super::store::S3UploadArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompressArg {
    Zstd,
    Gzip,
    None,
}

/// Package a database or a plain-SQL dump as a BagIt package.
///
/// With --db (or DATABASE_URL when neither --db nor --sql is given), runs
/// pg_dump in plain format: one at least as new as the server, found on
/// PATH, through pg_config or in the usual directories (or --pg-bindir);
/// with none, pack refuses (exit 3) and says which to install. With --sql,
/// wraps an existing dump; .sql.gz and .sql.zst are recognised by their
/// magic bytes. Prints the package's path (nothing with -q).
///
/// Examples:
///   pgbag pack --db "host=db.internal dbname=catalog" -o /backups/
///   pgbag pack --db postgres://app@db/catalog --no-owner --no-acl --clean
///   pgbag pack --sql nightly.sql.gz --created-at 2024-03-01T03:00:00Z
///   pg_dump catalog | pgbag pack --sql - -o catalog.tar.zst
///   pgbag pack --sql s3://backups/nightly.sql.gz --database catalog -o /backups/
///   pgbag pack --db catalog -- --exclude-table-data='audit.*'
///   pgbag pack --db catalog -o s3://backups/catalog/
///
/// To s3://, the package is streamed with a multipart upload (no local copy;
/// memory is about 3 parts plus 5 MiB whatever the size). Any failure or
/// Ctrl-C aborts the upload, so no partial object is ever visible. The object
/// is then read back once and validated, and its SHA-256 is recorded in its
/// metadata (pgbag-sha256); one that does not validate is deleted (exit 1).
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PackArgs {
    /// Connection string or URI of the database to dump (password is passed
    /// to pg_dump through PGPASSWORD, never argv)
    #[arg(long, value_name = "CONNINFO", conflicts_with = "sql")]
    pub db: Option<String>,
    /// An existing plain-format dump (.sql, .sql.gz, .sql.zst): a file, - for
    /// stdin, or s3://bucket/key (streamed, never downloaded first)
    #[arg(long, value_name = "PATH")]
    pub sql: Option<String>,
    /// With --sql: the database the dump is of, which a plain dump does not
    /// say; it names the bag and is recorded as the source database
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,
    /// Output file, or a directory (or path ending in /) to put the default
    /// name <database>-<UTC yyyymmddThhmmssZ>.tar.zst in; also s3://bucket/key
    /// or s3://bucket/prefix/. An existing bag directory is the output itself
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<String>,
    /// Compression of the package
    #[arg(long, value_enum, default_value = "zstd")]
    pub compress: CompressArg,
    /// Compression level (zstd 1-19, default 3; gzip 0-9, default 6)
    #[arg(long, value_name = "N")]
    pub level: Option<i32>,
    /// Write an unpacked bag directory instead of a tar file
    #[arg(long)]
    pub dir: bool,
    /// Creation time to record (RFC 3339); fixes the output for reproducible packages
    #[arg(long, value_name = "RFC3339")]
    pub created_at: Option<String>,
    /// Add a bag-info.txt field, e.g. --info Source-Organization="City Archive"
    #[arg(long, value_name = "KEY=VALUE")]
    pub info: Vec<String>,
    /// Also store roles and tablespaces (pg_dumpall --globals-only --no-role-passwords)
    #[arg(long)]
    pub globals: bool,
    /// Package a dump that lacks pg_dump's completion footer
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Replace an existing package at the output path (a bag directory is
    /// swapped atomically, so a crash leaves the old or the new one whole)
    #[arg(long)]
    pub force: bool,
    /// The directory of the pg_dump (and pg_dumpall) to run, instead of
    /// the one of the server's major version pgbag looks for (also
    /// PGBAG_PG_BINDIR); it must be at least as new as the server
    #[arg(long, value_name = "DIR", conflicts_with = "sql")]
    pub pg_bindir: Option<PathBuf>,
    /// Bag name (default: database name and creation time)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Print nothing when it succeeds (not even the package's path): for cron
    #[arg(short, long)]
    pub quiet: bool,
    /// pg_dump: dump only this schema (repeatable)
    #[arg(long, value_name = "PATTERN")]
    pub schema: Vec<String>,
    /// pg_dump: dump only this table (repeatable)
    #[arg(long, value_name = "PATTERN")]
    pub table: Vec<String>,
    /// pg_dump: leave out this table (repeatable)
    #[arg(long, value_name = "PATTERN")]
    pub exclude_table: Vec<String>,
    /// pg_dump: no ownership statements
    #[arg(long)]
    pub no_owner: bool,
    /// pg_dump: no GRANT/REVOKE statements
    #[arg(long)]
    pub no_acl: bool,
    /// pg_dump: DROP objects before creating them
    #[arg(long)]
    pub clean: bool,
    /// pg_dump: use IF EXISTS with --clean
    #[arg(long)]
    pub if_exists: bool,
    /// pg_dump: data as INSERT statements instead of COPY
    #[arg(long)]
    pub inserts: bool,
    /// Further pg_dump options, after --
    #[arg(last = true, value_name = "PG_DUMP_OPTIONS")]
    pub pg_dump_args: Vec<String>,
    /// Do not read an uploaded package back: saves one download, but the
    /// object is not verified and its own SHA-256 is not recorded
    #[arg(long, help_heading = "S3 options (for s3://bucket/key locations)")]
    pub no_verify_upload: bool,
    #[command(flatten)]
    pub s3: S3UploadArgs,
}

/// pack's own pg_dump flags, then those after `--`, checked against the
/// allow-list and normalised (spec/pack.md).
fn dump_args(a: &PackArgs) -> Result<Vec<String>> {
    let mut args = Vec::new();
    let flags = [
        (a.no_owner, "--no-owner"),
        (a.no_acl, "--no-acl"),
        (a.clean, "--clean"),
        (a.if_exists, "--if-exists"),
        (a.inserts, "--inserts"),
    ];
    args.extend(flags.iter().filter(|(on, _)| *on).map(|(_, f)| f.to_string()));
    for (name, values) in [("--schema", &a.schema), ("--table", &a.table), ("--exclude-table", &a.exclude_table)] {
        args.extend(values.iter().map(|v| format!("{name}={v}")));
    }
    args.extend(a.pg_dump_args.iter().cloned());
    pg::dump_options::pass_through(&args)
}

fn parse_info(items: &[String]) -> Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|i| {
            let (k, v) = i.split_once('=').ok_or_else(|| Error::usage(format!("--info {i}: expected KEY=VALUE")))?;
            if k.is_empty() || k.contains(':') || k.contains(char::is_whitespace) {
                return Err(Error::usage(format!("--info {i}: the key must be non-empty, without ':' or spaces")));
            }
            Ok((k.to_string(), v.to_string()))
        })
        .collect()
}

/// Where the package goes and what the bag is called.
fn destination(a: &PackArgs, database: &str, created: DateTime<Utc>, c: Compression) -> Result<(Location, String)> {
    let o = DestinationOptions { output: a.output.as_deref(), name: a.name.as_deref(), dir: a.dir, compression: c };
    let d = pack_plan::destination(&o, database, created)?;
    Ok((d.location, d.name))
}

/// Writes the package to its destination, local or S3.
fn write<R: Read>(
    input: PackInput<R>,
    out: &Location,
    opts: &PackOptions,
    a: &PackArgs,
    bar: &Bar,
) -> Result<PackOutcome> {
    match out {
        Location::Local(p) => pgbag::package::pack(input, p, opts, bar),
        Location::S3(u) => pgbag::package::pack_to_s3(input, &a.s3.connect()?, u, opts, bar),
    }
}

pub fn run(a: PackArgs) -> Result<u8> {
    let compression = match a.compress {
        CompressArg::Zstd => Compression::Zstd,
        CompressArg::Gzip => Compression::Gzip,
        CompressArg::None => Compression::None,
    };
    let level = a.level.unwrap_or(compression.default_level());
    let valid_level = match compression {
        Compression::Zstd => (1..=19).contains(&level),
        Compression::Gzip => (0..=9).contains(&level),
        Compression::None => true,
    };
    if !valid_level {
        return Err(Error::usage(format!("--level {level} is out of range for {}", compression.name())));
    }
    let created_at = match &a.created_at {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map_err(|e| {
                Error::usage(format!("--created-at {s}: not an RFC 3339 time ({e}), e.g. 2026-11-25T03:00:00Z"))
            })?
            .with_timezone(&Utc),
        None => Utc::now().trunc_subsecs(0),
    };
    let info = parse_info(&a.info)?;
    // Before anything is connected to or read (spec/pack.md).
    if a.database.is_some() && a.sql.is_none() {
        return Err(Error::usage("--database names the database of a --sql dump; with --db, pgbag asks the server"));
    }
    if let Some(n) = &a.name {
        pack_plan::check_bag_name(n)?;
    }
    let args = dump_args(&a)?;
    let bar = Bar::new(a.quiet);
    let mut opts = PackOptions {
        compression,
        level,
        dir: a.dir,
        created_at,
        name: String::new(),
        info,
        allow_incomplete: a.allow_incomplete,
        force: a.force,
        verify_upload: !a.no_verify_upload,
    };

    let outcome = if let Some(sql) = &a.sql {
        if a.globals || !args.is_empty() {
            return Err(Error::usage("pg_dump options and --globals need --db; --sql packages a dump as it is"));
        }
        // A file, stdin, or an S3 object streamed once (spec/pack.md).
        let input = if sql == "-" { None } else { Some(a.s3.open(sql)?) };
        let opened = sql_input::open(input.as_ref(), a.database.as_deref())?;
        let stem = a.database.as_deref().unwrap_or_else(|| pack_plan::sql_stem(opened.source.input_file.as_deref()));
        let (out, name) = destination(&a, stem, created_at, compression)?;
        opts.name = name;
        let dump = PackInput {
            dump: opened.dump,
            globals: None,
            source: opened.source,
            extensions: None,
            original: Some(opened.original),
        };
        write(dump, &out, &opts, &a, &bar)?
    } else {
        let conn_str = match &a.db {
            Some(d) => d.clone(),
            None => std::env::var("DATABASE_URL")
                .map_err(|_| Error::usage("nothing to pack: give --db CONNINFO, --sql PATH, or set DATABASE_URL"))?,
        };
        let conn = Conninfo::parse(&conn_str)?;
        let facts = pg::server_facts(&conn)?;
        let pg_dump = pg::clients::pg_dump_for(&facts, a.pg_bindir.as_deref())?;
        let pg_dumpall = if a.globals { Some(pg::clients::pg_dumpall_beside(&pg_dump)?) } else { None };
        if !a.quiet {
            eprintln!(
                "pgbag: pg_dump {} ({}) for PostgreSQL {}",
                pg_dump.version,
                pg_dump.path.display(),
                facts.server_version
            );
        }
        let (out, name) = destination(&a, &facts.database, created_at, compression)?;
        opts.name = name;
        let globals = match &pg_dumpall {
            Some(program) => Some(pg::dump_globals(&conn, program)?),
            None => None,
        };
        let source = Source {
            kind: "database".into(),
            database: Some(facts.database.clone()),
            server_version: Some(facts.server_version.clone()),
            pg_dump_version: Some(pg_dump.version.clone()),
            encoding: Some(facts.encoding.clone()),
            pg_dump_options: args.iter().map(|x| pg::conninfo::redact(x)).collect(),
            ..Source::default()
        };
        let dump = pg::pg_dump(&conn, &pg_dump.path, &args)?;
        let input = PackInput { dump, globals, source, extensions: Some(facts.extensions), original: None };
        write(input, &out, &opts, &a, &bar)?
    };
    if let (Some(sha), false) = (&outcome.sha256, a.quiet) {
        eprintln!("pgbag: read back from the store and valid; its SHA-256 is {sha}");
    }
    if !a.quiet {
        super::print(&format!("{}\n", outcome.location))?;
    }
    Ok(0)
}
