//! PostgreSQL access, only through libpq's own programs (pg_dump,
//! pg_dumpall, `psql -X`), so users' PG* variables, ~/.pgpass, service files
//! and `DATABASE_URL` work unchanged. Queries return one JSON value.
//!
//! Secrets found in a connection string travel in the child's environment
//! (`PGPASSWORD`, or a private service file, see [`conninfo`]), never in argv.

pub mod cluster;
pub mod command;
pub mod conninfo;
pub mod dump_options;

use std::process::Command;

use serde::Deserialize;

pub use command::ChildReader;
pub use conninfo::Conninfo;

use crate::error::{Error, Result};
use crate::package::format::ExtensionVersion;

/// A command for a libpq program aimed at `conn`.
fn libpq_command(program: &str, conn: &Conninfo) -> Command {
    let mut cmd = Command::new(program);
    conn.pass_secrets(&mut cmd);
    cmd
}

/// What the source server says about itself.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerFacts {
    pub database: String,
    pub server_version: String,
    pub encoding: String,
    pub extensions: Vec<ExtensionVersion>,
}

const FACTS_SQL: &str = "SELECT json_build_object(\
 'database', current_database(),\
 'server_version', current_setting('server_version'),\
 'encoding', pg_encoding_to_char(d.encoding),\
 'extensions', (SELECT coalesce(json_agg(json_build_object('name', e.extname, 'schema', n.nspname, 'version', e.extversion) ORDER BY e.extname), '[]'::json)\
   FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace))\
 FROM pg_catalog.pg_database d WHERE d.datname = current_database()";

/// Runs one query through `psql -X` and parses its single JSON result.
pub fn query_json<T: serde::de::DeserializeOwned>(conn: &Conninfo, sql: &str) -> Result<T> {
    let mut cmd = libpq_command("psql", conn);
    cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", &conn.public, "-c", sql]);
    let out = command::run_capture(cmd)?;
    serde_json::from_slice(&out).map_err(|e| Error::operational(format!("psql returned unexpected output ({e})")))
}

/// Connects and asks the server for its name, version, encoding and
/// extensions. This is also pack's connection check.
pub fn server_facts(conn: &Conninfo) -> Result<ServerFacts> {
    let mut f: ServerFacts = query_json(conn, FACTS_SQL)?;
    // `15.18 (Debian 15.18-0+deb12u1)` -> `15.18`
    f.server_version = f.server_version.split_whitespace().next().unwrap_or_default().to_string();
    Ok(f)
}

/// The version of a libpq program: `pg_dump (PostgreSQL) 15.18 (Debian …)`
/// gives `15.18`.
pub fn tool_version(program: &str) -> Result<String> {
    let mut cmd = Command::new(program);
    cmd.arg("--version");
    let out = String::from_utf8_lossy(&command::run_capture(cmd)?).into_owned();
    out.split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .ok_or_else(|| Error::operational(format!("cannot read the version from `{program} --version`: {out}")))
}

/// Starts `pg_dump` in plain format with `args`, streaming its output.
pub fn pg_dump(conn: &Conninfo, args: &[String]) -> Result<ChildReader> {
    let mut cmd = libpq_command("pg_dump", conn);
    cmd.arg("--format=plain").args(args).args(["-d", &conn.public]);
    ChildReader::spawn(cmd)
}

/// Runs SQL that returns nothing (e.g. `CREATE DATABASE`) through psql.
pub fn execute(conn: &Conninfo, sql: &str) -> Result<()> {
    let mut cmd = libpq_command("psql", conn);
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &conn.public, "-c", sql]);
    command::run_capture(cmd).map(|_| ())
}

/// Starts `psql -X -q -v ON_ERROR_STOP=1 [--single-transaction]` reading a
/// script on stdin. Its stdout (query results such as pg_dump's `SELECT
/// set_config(...)`) is discarded; stderr is the caller's to drain.
///
/// `encoding` is the client encoding the dump declares: psql starts in it
/// (`PGCLIENTENCODING`) rather than in one taken from the user's locale, so
/// the lines before the dump's own `SET client_encoding` are read as pgbag
/// read them.
pub fn psql_script(conn: &Conninfo, single_transaction: bool, encoding: Option<&str>) -> Result<std::process::Child> {
    use std::process::Stdio;
    let mut cmd = libpq_command("psql", conn);
    cmd.env("PGCLIENTENCODING", encoding.unwrap_or("UTF8"));
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]);
    if single_transaction {
        cmd.arg("--single-transaction");
    }
    // `-f -` rather than plain stdin: psql then prefixes errors with
    // `psql:<stdin>:LINE:`, which pgbag maps back to the dump's objects.
    cmd.args(["-f", "-", "-d", &conn.public]).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
    cmd.spawn().map_err(|e| Error::io("starting psql", e))
}

/// `pg_dumpall --globals-only --no-role-passwords`: roles and tablespaces.
pub fn dump_globals(conn: &Conninfo) -> Result<Vec<u8>> {
    let mut cmd = libpq_command("pg_dumpall", conn);
    cmd.args(["--globals-only", "--no-role-passwords", "-d", &conn.public]);
    command::run_capture(cmd)
}
