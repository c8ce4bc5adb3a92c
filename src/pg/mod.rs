//! PostgreSQL access, only through libpq's own programs (pg_dump,
//! pg_dumpall, `psql -X`), so users' PG* variables, ~/.pgpass, service files
//! and `DATABASE_URL` work unchanged. Queries return one JSON value.
//!
//! Secrets found in a connection string travel in the child's environment
//! (`PGPASSWORD`, or a private service file, see [`conninfo`]), never in argv.

pub mod bindir;
pub mod clients;
pub mod cluster;
pub mod command;
pub mod conninfo;
pub mod dump_options;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

pub use command::ChildReader;
pub use conninfo::Conninfo;

use crate::error::{Error, Result};
use crate::package::format::ExtensionVersion;

/// The psql on PATH: for queries, whose answers do not depend on psql's
/// version. A restore runs the psql it chose ([`clients::choose_psql`]).
pub const PSQL: &str = "psql";

/// A command for a libpq program aimed at `conn`.
fn libpq_command(program: impl AsRef<OsStr>, conn: &Conninfo) -> Command {
    let mut cmd = Command::new(program);
    conn.pass_secrets(&mut cmd);
    cmd
}

/// What the source server says about itself.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerFacts {
    pub database: String,
    pub server_version: String,
    /// `server_version_num`: 170002 for 17.2 (its major is `/ 10000`).
    pub server_version_num: u32,
    pub encoding: String,
    pub extensions: Vec<ExtensionVersion>,
}

const FACTS_SQL: &str = "SELECT json_build_object(\
 'database', current_database(),\
 'server_version', current_setting('server_version'),\
 'server_version_num', current_setting('server_version_num')::int,\
 'encoding', pg_encoding_to_char(d.encoding),\
 'extensions', (SELECT coalesce(json_agg(json_build_object('name', e.extname, 'schema', n.nspname, 'version', e.extversion) ORDER BY e.extname), '[]'::json)\
   FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace))\
 FROM pg_catalog.pg_database d WHERE d.datname = current_database()";

/// Runs one query through `psql -X` (the one on PATH) and parses its single
/// JSON result.
pub fn query_json<T: serde::de::DeserializeOwned>(conn: &Conninfo, sql: &str) -> Result<T> {
    query_json_with(Path::new(PSQL), conn, sql)
}

/// [`query_json`] through the psql at `psql`.
pub fn query_json_with<T: serde::de::DeserializeOwned>(psql: &Path, conn: &Conninfo, sql: &str) -> Result<T> {
    let mut cmd = libpq_command(psql, conn);
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

impl ServerFacts {
    /// The server's major version: 17 for 17.2, 9 for 9.6.
    pub fn major(&self) -> u32 {
        self.server_version_num / 10000
    }
}

/// The version of a PostgreSQL program: `pg_dump (PostgreSQL) 15.18 (Debian …)`
/// gives `15.18`.
pub fn tool_version(program: impl AsRef<OsStr>) -> Result<String> {
    let program = program.as_ref();
    let mut cmd = Command::new(program);
    cmd.arg("--version");
    let out = String::from_utf8_lossy(&command::run_capture(cmd)?).into_owned();
    out.split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .ok_or_else(|| {
            Error::operational(format!("cannot read the version from `{} --version`: {out}", program.to_string_lossy()))
        })
}

/// Starts the `pg_dump` at `program` in plain format with `args` (checked by
/// [`dump_options::pass_through`]), streaming its output.
pub fn pg_dump(conn: &Conninfo, program: &Path, args: &[String]) -> Result<ChildReader> {
    let mut cmd = libpq_command(program, conn);
    cmd.arg("--format=plain").args(args).args(["-d", &conn.public]);
    ChildReader::spawn(cmd)
}

/// Runs SQL that returns nothing (e.g. `CREATE DATABASE`) through the psql
/// on PATH.
pub fn execute(conn: &Conninfo, sql: &str) -> Result<()> {
    execute_with(Path::new(PSQL), conn, sql)
}

/// [`execute`] through the psql at `psql`.
pub fn execute_with(psql: &Path, conn: &Conninfo, sql: &str) -> Result<()> {
    let mut cmd = libpq_command(psql, conn);
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &conn.public, "-c", sql]);
    command::run_capture(cmd).map(|_| ())
}

/// Starts `PSQL -X -q -v ON_ERROR_STOP=1 [--single-transaction]` reading a
/// script on stdin. Its stdout (query results such as pg_dump's `SELECT
/// set_config(...)`) is discarded; stderr is the caller's to drain.
///
/// `encoding` is the client encoding the dump declares: psql starts in it
/// (`PGCLIENTENCODING`) rather than in one taken from the user's locale, so
/// the lines before the dump's own `SET client_encoding` are read as pgbag
/// read them.
pub fn psql_script(
    psql: &Path,
    conn: &Conninfo,
    single_transaction: bool,
    encoding: Option<&str>,
) -> Result<std::process::Child> {
    use std::process::Stdio;
    let mut cmd = libpq_command(psql, conn);
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

/// `pg_dumpall --globals-only --no-role-passwords` (the one at `program`):
/// roles and tablespaces.
pub fn dump_globals(conn: &Conninfo, program: &Path) -> Result<Vec<u8>> {
    let mut cmd = libpq_command(program, conn);
    cmd.args(["--globals-only", "--no-role-passwords", "-d", &conn.public]);
    command::run_capture(cmd)
}
