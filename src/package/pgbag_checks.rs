//! The checks beyond BagIt: pgbag's own tag files and the SQL itself.
//!
//! `manifest.json` must describe the payload that is there; `schema.json`
//! must equal what the dump yields when summarised again; the dump must look
//! like complete pg_dump output (banner, footer, `\restrict` paired with
//! `\unrestrict`, every COPY block terminated).

use std::collections::BTreeMap;

use serde_json::Value;

use super::findings::Findings;
use super::format::{self, FORMAT_VERSION};
use super::scan::Scanned;
use crate::schema::Summary;

/// Meta-commands pg_dump and pg_dumpall write themselves.
pub const PG_DUMP_META_COMMANDS: [&str; 3] = ["restrict", "unrestrict", "connect"];

pub(super) fn check(
    manifest: Option<&[u8]>,
    schema: Option<&[u8]>,
    payload: &BTreeMap<String, (u64, String)>,
    dump: Option<&Scanned>,
    broken: bool,
    f: &mut Findings,
) {
    check_manifest(manifest, payload, f);
    let Some(dump) = dump else {
        if !broken && !payload.contains_key(format::DUMP_SQL) {
            f.error("dump-missing", "the package has no data/dump.sql").at(format::DUMP_SQL);
        }
        return;
    };
    dump_findings(&dump.summary, f);
    super::sql_checks::hazard_findings(&dump.hazards, f);
    match schema {
        None => {
            f.error("schema-json-missing", "pgbag/schema.json is missing").at(format::SCHEMA_JSON);
        }
        Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
            Err(e) => {
                f.error("schema-json-invalid", format!("pgbag/schema.json is not valid JSON: {e}"))
                    .at(format::SCHEMA_JSON);
            }
            Ok(recorded) => compare_summary(&recorded, dump, f),
        },
    }
}

fn check_manifest(manifest: Option<&[u8]>, payload: &BTreeMap<String, (u64, String)>, f: &mut Findings) {
    let Some(bytes) = manifest else {
        f.error("manifest-json-missing", "pgbag/manifest.json is missing").at(format::MANIFEST_JSON);
        return;
    };
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            f.error("manifest-json-invalid", format!("pgbag/manifest.json is not valid JSON: {e}"))
                .at(format::MANIFEST_JSON);
            return;
        }
    };
    match v.get("format_version").and_then(Value::as_u64) {
        Some(n) if n > u64::from(FORMAT_VERSION) => {
            f.error(
                "format-version-unsupported",
                format!("format version {n} is newer than this pgbag reads ({FORMAT_VERSION}): unsupported"),
            )
            .at(format::MANIFEST_JSON)
            .hint("upgrade pgbag to read this package");
            return;
        }
        Some(_) => {}
        None => {
            f.error("manifest-json-invalid", "pgbag/manifest.json has no format_version").at(format::MANIFEST_JSON);
            return;
        }
    }
    let manifest: format::Manifest = match serde_json::from_value(v) {
        Ok(m) => m,
        Err(e) => {
            f.error("manifest-json-invalid", format!("pgbag/manifest.json does not match the format: {e}"))
                .at(format::MANIFEST_JSON);
            return;
        }
    };
    for p in &manifest.payload {
        match payload.get(&p.path) {
            Some((bytes, sha)) if *bytes != p.bytes || *sha != p.sha256 => {
                f.error(
                    "manifest-json-mismatch",
                    format!(
                        "{}: manifest.json records {} bytes, SHA-256 {}; found {bytes} bytes, {sha}",
                        p.path, p.bytes, p.sha256
                    ),
                )
                .at(format::MANIFEST_JSON);
            }
            _ => {}
        }
    }
}

/// What is wrong with the dump itself, judged from its summary. Also used by
/// `inspect` for its warnings.
pub fn dump_findings(s: &Summary, f: &mut Findings) {
    let at = format::DUMP_SQL;
    if s.dump.dumped_by.is_none() {
        f.error("dump-header-missing", "data/dump.sql lacks pg_dump's \"-- Dumped by pg_dump version\" header")
            .at(at)
            .line(1)
            .hint("this is not plain-format pg_dump output, or its start was lost");
    }
    if !s.dump.complete {
        f.error("dump-incomplete", "data/dump.sql lacks pg_dump's \"-- PostgreSQL database dump complete\" footer")
            .at(at)
            .hint("the dump was cut short when it was made; restoring it would give a partial database");
    }
    let count = |c: &str| s.meta_commands.iter().filter(|m| m.command == c).count();
    if count("restrict") != count("unrestrict") {
        f.error(
            "restrict-unpaired",
            format!("{} \\restrict but {} \\unrestrict lines", count("restrict"), count("unrestrict")),
        )
        .at(at);
    }
    for m in &s.meta_commands {
        if !PG_DUMP_META_COMMANDS.contains(&m.command.as_str()) {
            f.warning("meta-command", format!("psql meta-command \\{} that pg_dump does not write", m.command))
                .at(at)
                .line(m.line)
                .hint("pgbag restore refuses it unless --allow-meta-command names it; read the line first");
        }
    }
    if s.totals.unterminated_copy_blocks > 0 {
        f.error(
            "copy-unterminated",
            format!("{} COPY block(s) end without their \\. line", s.totals.unterminated_copy_blocks),
        )
        .at(at)
        .hint("the dump was cut short inside table data");
    }
    for e in &s.parse_errors {
        let obj = e.object.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        f.warning("parse-error", format!("PostgreSQL's parser rejects this statement{obj}: {}", e.message))
            .at(at)
            .line(e.line);
    }
}

/// Compares the recorded summary with the re-derived one. Keys the recorded
/// summary lacks are not compared (an older pgbag may record less).
fn compare_summary(recorded: &Value, dump: &Scanned, f: &mut Findings) {
    let derived = serde_json::to_value(&dump.summary).expect("a summary always serializes");
    let tables = |v: &Value| -> BTreeMap<String, (Value, Value)> {
        v.get("tables")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|t| {
                        let key = format!(
                            "{}.{}",
                            t.get("schema").and_then(Value::as_str).unwrap_or("-"),
                            t.get("name").and_then(Value::as_str).unwrap_or("?")
                        );
                        (
                            key,
                            (
                                t.get("rows").cloned().unwrap_or(Value::Null),
                                t.get("bytes").cloned().unwrap_or(Value::Null),
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (rec, der) = (tables(recorded), tables(&derived));
    let mut row_problem = false;
    for (name, (rows, bytes)) in &rec {
        match der.get(name) {
            Some((r, b)) if r != rows || b != bytes => {
                row_problem = true;
                f.error(
                    "rows-mismatch",
                    format!("table {name}: schema.json records {rows} rows / {bytes} bytes, the dump holds {r} rows / {b} bytes"),
                )
                .at(format::SCHEMA_JSON);
            }
            None => {
                row_problem = true;
                f.error(
                    "rows-mismatch",
                    format!("table {name} is in schema.json but has no definition or data in the dump"),
                )
                .at(format::SCHEMA_JSON);
            }
            _ => {}
        }
    }
    if row_problem {
        return;
    }
    if let Some(path) = first_difference(recorded, &derived, String::new()) {
        f.error("summary-mismatch", format!("schema.json differs from the dump's summary at {path}"))
            .at(format::SCHEMA_JSON)
            .hint("schema.json was edited or belongs to another dump");
    }
}

/// The JSON path of the first place where `recorded` is not reproduced by
/// `derived`.
fn first_difference(recorded: &Value, derived: &Value, path: String) -> Option<String> {
    match (recorded, derived) {
        (Value::Object(r), Value::Object(d)) => r.iter().find_map(|(k, rv)| match d.get(k) {
            Some(dv) => first_difference(rv, dv, format!("{path}.{k}")),
            None => Some(format!("{path}.{k}")),
        }),
        (Value::Array(r), Value::Array(d)) => {
            if r.len() != d.len() {
                return Some(format!("{path} (length {} vs {})", r.len(), d.len()));
            }
            r.iter().zip(d).enumerate().find_map(|(i, (a, b))| first_difference(a, b, format!("{path}[{i}]")))
        }
        (r, d) => (r != d).then(|| if path.is_empty() { "the top level".into() } else { path }),
    }
}
