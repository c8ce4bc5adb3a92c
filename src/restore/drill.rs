//! Restore drills: prove a package restores, somewhere it cannot hurt.
//!
//! A drill validates the package, restores it into a scratch database
//! (`pgbag_drill_<random>` on `--target`'s server, or on a temporary local
//! cluster), compares what arrived with the package's summary (every table's
//! `count(*)` against its recorded rows; every recorded table, view, index,
//! function, sequence and extension must exist), and drops the scratch
//! database unless asked to keep it.
//!
//! Owners and grants are left out (`--no-owner --no-privileges`): a scratch
//! server rarely has the source's roles, and they do not decide whether the
//! data comes back.

use crate::store::Input;
use std::collections::BTreeSet;
use std::hash::{BuildHasher, Hasher};

use serde::{Deserialize, Serialize};

use super::plan::RestoreOptions;
use super::{execute, prepare};
use crate::error::{Error, ErrorKind, Result};
use crate::pg::{self, Conninfo};
use crate::progress::Progress;
use crate::schema::{QualifiedName, Summary};

/// One comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `table`, `view`, `materialized view`, `index`, `function`, `sequence`, `extension`.
    pub kind: String,
    pub object: String,
    /// For tables, the recorded rows; otherwise `present`.
    pub expected: String,
    pub found: String,
    pub ok: bool,
}

/// The drill's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    pub database: String,
    /// Where it ran: the target's server, or `temporary local cluster`.
    pub server: String,
    pub kept: bool,
    pub passed: bool,
    pub checks: Vec<Check>,
}

/// A scratch database name nobody else uses: `pgbag_drill_` and 12 hex digits.
pub fn scratch_name() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    h.write_u32(std::process::id());
    format!("pgbag_drill_{:012x}", h.finish() & 0xffff_ffff_ffff)
}

#[derive(Debug, Deserialize)]
struct Found {
    relations: Vec<(String, String, String)>,
    functions: Vec<(String, String)>,
    extensions: Vec<String>,
}

const FOUND_SQL: &str = r#"
SELECT json_build_object(
  'relations', (SELECT coalesce(json_agg(json_build_array(n.nspname, c.relname, c.relkind::text)), '[]'::json)
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'),
  'functions', (SELECT coalesce(json_agg(json_build_array(n.nspname, p.proname)), '[]'::json)
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'),
  'extensions', (SELECT coalesce(json_agg(extname), '[]'::json) FROM pg_catalog.pg_extension))"#;

fn literal(s: &str) -> String {
    super::quote_literal(s)
}

/// `count(*)` of every table with a recorded row count, in one query.
fn row_counts(conn: &Conninfo, s: &Summary) -> Result<Vec<(String, String, u64)>> {
    let parts: Vec<String> = s
        .tables
        .iter()
        .filter(|t| t.kind != "partitioned")
        .map(|t| {
            let q = QualifiedName { schema: t.schema.clone(), name: t.name.clone() };
            format!(
                "SELECT {} AS s, {} AS n, count(*) AS c FROM ONLY {q}",
                literal(t.schema.as_deref().unwrap_or("")),
                literal(&t.name)
            )
        })
        .collect();
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT coalesce(json_agg(json_build_array(s, n, c)), '[]'::json) FROM ({}) x",
        parts.join(" UNION ALL ")
    );
    pg::query_json(conn, &sql)
}

/// Compares the restored database with the summary.
pub fn compare(conn: &Conninfo, s: &Summary) -> Result<Vec<Check>> {
    let found: Found = pg::query_json(conn, FOUND_SQL)?;
    let rels: BTreeSet<(String, String, String)> = found.relations.into_iter().collect();
    let has_rel = |schema: &Option<String>, name: &str, kinds: &str| {
        rels.iter().any(|(s, n, k)| Some(s) == schema.as_ref() && n == name && kinds.contains(k.as_str()))
    };
    let counts = row_counts(conn, s).unwrap_or_default();
    let mut checks = Vec::new();
    let mut push = |kind: &str, object: String, expected: String, found: String| {
        let ok = expected == found;
        checks.push(Check { kind: kind.into(), object, expected, found, ok });
    };
    for t in &s.tables {
        let q = QualifiedName { schema: t.schema.clone(), name: t.name.clone() }.to_string();
        if t.kind == "partitioned" {
            let present = if has_rel(&t.schema, &t.name, "p") { "present" } else { "missing" };
            push("table", q, "present".into(), present.into());
            continue;
        }
        let got = counts
            .iter()
            .find(|(sc, n, _)| Some(sc) == t.schema.as_ref() && *n == t.name)
            .map_or("missing".to_string(), |(_, _, c)| format!("{c} rows"));
        push("table", q, format!("{} rows", t.rows), got);
    }
    for (kind, list, kinds) in [("view", &s.views, "v"), ("materialized view", &s.materialized_views, "m")] {
        for v in list {
            let present = if has_rel(&v.schema, &v.name, kinds) { "present" } else { "missing" };
            push(
                kind,
                QualifiedName { schema: v.schema.clone(), name: v.name.clone() }.to_string(),
                "present".into(),
                present.into(),
            );
        }
    }
    for i in &s.indexes {
        let schema = i.schema.clone().or(i.table.schema.clone());
        let present = if has_rel(&schema, &i.name, "iI") { "present" } else { "missing" };
        push("index", QualifiedName { schema, name: i.name.clone() }.to_string(), "present".into(), present.into());
    }
    for q in &s.sequences {
        let present = if has_rel(&q.schema, &q.name, "S") { "present" } else { "missing" };
        push(
            "sequence",
            QualifiedName { schema: q.schema.clone(), name: q.name.clone() }.to_string(),
            "present".into(),
            present.into(),
        );
    }
    for f in &s.functions {
        let present = found.functions.iter().any(|(sc, n)| Some(sc) == f.schema.as_ref() && *n == f.name);
        push(
            "function",
            QualifiedName { schema: f.schema.clone(), name: f.name.clone() }.to_string(),
            "present".into(),
            if present { "present" } else { "missing" }.into(),
        );
    }
    for e in &s.extensions {
        let present = found.extensions.contains(&e.name);
        push("extension", e.name.clone(), "present".into(), if present { "present" } else { "missing" }.into());
    }
    Ok(checks)
}

/// What the user may let through a drill's guards (as for restore).
#[derive(Debug, Clone, Default)]
pub struct DrillOptions {
    /// Keep the scratch database (with a target server) for a look.
    pub keep: bool,
    /// `--allow-sql CLASS`.
    pub allow_sql: std::collections::BTreeSet<crate::sql::SqlClass>,
    /// `--allow-old-psql`.
    pub allow_old_psql: bool,
}

/// Runs a drill against `server` (a connection to any database there; the
/// scratch database is created next to it).
pub fn drill_on(
    package: &Input,
    server: &Conninfo,
    drill: &DrillOptions,
    progress: &dyn Progress,
) -> Result<DrillReport> {
    let keep = drill.keep;
    let name = scratch_name();
    let scratch = server.with_dbname(&name);
    let opts = RestoreOptions {
        create: true,
        no_owner: true,
        no_privileges: true,
        allow_sql: drill.allow_sql.clone(),
        allow_old_psql: drill.allow_old_psql,
        ..RestoreOptions::default()
    };
    let prepared = prepare(package, &scratch, &opts, true, progress)?;
    if prepared.plan.refused() {
        let why: Vec<String> =
            prepared.plan.refusals.iter().map(|r| format!("{}: {} ({})", r.object, r.reason, r.fix)).collect();
        return Err(Error::new(
            crate::error::ErrorKind::Refused,
            format!("the drill cannot restore this package: {}", why.join("; ")),
        ));
    }
    let restored = execute(&prepared, &scratch, progress);
    let checks = match &restored {
        Ok(_) => compare(&scratch, &prepared.summary),
        Err(_) => Ok(Vec::new()),
    };
    let kept = keep;
    if !keep {
        // The scratch database is ours: drop it whatever happened.
        let _ = pg::execute(
            &server.with_dbname("postgres"),
            &format!("DROP DATABASE IF EXISTS {}", crate::schema::quote_ident(&name)),
        );
    }
    if let Err(e) = restored {
        // Only psql failing on the dump says the package is bad (exit 1); a
        // refusal mid-stream stays a refusal, and anything else (the server,
        // the connection, an interrupt) is operational (exit 2), so a monitor
        // does not cry "the backup is bad" for a problem of its own.
        return Err(match e.kind() {
            ErrorKind::Partial => Error::new(ErrorKind::Invalid, format!("the package did not restore: {e}")),
            ErrorKind::Refused => e,
            _ => Error::operational(format!("the drill could not run: {e}")),
        });
    }
    let checks = checks?;
    let passed = checks.iter().all(|c| c.ok);
    Ok(DrillReport { database: name, server: server.public.clone(), kept, passed, checks })
}
