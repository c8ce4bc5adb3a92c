//! The checks beyond BagIt: pgbag's own tag files and the SQL itself.
//!
//! `manifest.json` must describe the payload that is there; `schema.json`
//! must equal what the dump yields when summarised again; the dump must look
//! like complete pg_dump output (banner, footer, `\restrict` paired with
//! `\unrestrict`, every COPY block terminated).

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

use super::findings::{Code, Findings};
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
            f.error(Code::DumpMissing, "the package has no data/dump.sql").at(format::DUMP_SQL);
        }
        return;
    };
    dump_findings(&dump.summary, format::DUMP_SQL, f);
    super::sql_checks::hazard_findings(&dump.hazards, format::DUMP_SQL, f);
    if let Some(t) = &dump.summary_too_large {
        f.error(Code::SummaryTooLarge, format!("{t}; it was not compared with schema.json"))
            .at(format::DUMP_SQL)
            .hint("pack refuses such a dump, so no pgbag wrote this package");
        return;
    }
    match schema {
        None => {
            f.error(Code::SchemaJsonMissing, "pgbag/schema.json is missing").at(format::SCHEMA_JSON);
        }
        Some(bytes) => compare_summary(bytes, dump, f),
    }
}

fn check_manifest(manifest: Option<&[u8]>, payload: &BTreeMap<String, (u64, String)>, f: &mut Findings) {
    let Some(bytes) = manifest else {
        f.error(Code::ManifestJsonMissing, "pgbag/manifest.json is missing").at(format::MANIFEST_JSON);
        return;
    };
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            f.error(Code::ManifestJsonInvalid, format!("pgbag/manifest.json is not valid JSON: {e}"))
                .at(format::MANIFEST_JSON);
            return;
        }
    };
    match v.get("format_version").and_then(Value::as_u64) {
        Some(n) if n > u64::from(FORMAT_VERSION) => {
            f.error(
                Code::FormatVersionUnsupported,
                format!("format version {n} is newer than this pgbag reads ({FORMAT_VERSION}): unsupported"),
            )
            .at(format::MANIFEST_JSON)
            .hint("upgrade pgbag to read this package");
            return;
        }
        Some(_) => {}
        None => {
            f.error(Code::ManifestJsonInvalid, "pgbag/manifest.json has no format_version").at(format::MANIFEST_JSON);
            return;
        }
    }
    let manifest: format::Manifest = match serde_json::from_value(v) {
        Ok(m) => m,
        Err(e) => {
            f.error(Code::ManifestJsonInvalid, format!("pgbag/manifest.json does not match the format: {e}"))
                .at(format::MANIFEST_JSON);
            return;
        }
    };
    for p in &manifest.payload {
        match payload.get(&p.path) {
            Some((bytes, sha)) if *bytes != p.bytes || *sha != p.sha256 => {
                f.error(
                    Code::ManifestJsonMismatch,
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

/// What is wrong with the dump itself, judged from its summary; `at` is
/// where the dump is (`data/dump.sql`, or a bare dump's name). Also used
/// by `inspect`, so that the two report the same.
pub fn dump_findings(s: &Summary, at: &str, f: &mut Findings) {
    if s.dump.dumped_by.is_none() {
        f.error(Code::DumpHeaderMissing, "the dump lacks pg_dump's \"-- Dumped by pg_dump version\" header")
            .at(at)
            .line(1)
            .hint("this is not plain-format pg_dump output, or its start was lost");
    }
    if !s.dump.complete {
        f.error(Code::DumpIncomplete, "the dump lacks pg_dump's \"-- PostgreSQL database dump complete\" footer")
            .at(at)
            .hint("the dump was cut short when it was made; restoring it would give a partial database");
    }
    let count = |c: &str| s.meta_commands.iter().filter(|m| m.command == c).count();
    let (restrict, unrestrict) = (count("restrict"), count("unrestrict"));
    if restrict != unrestrict {
        f.error(
            Code::RestrictUnpaired,
            format!(
                "{} but {}",
                format::count(restrict, "\\restrict line"),
                format::count(unrestrict, "\\unrestrict line")
            ),
        )
        .at(at);
    }
    for m in &s.meta_commands {
        if !PG_DUMP_META_COMMANDS.contains(&m.command.as_str()) {
            f.warning(Code::MetaCommand, format!("psql meta-command \\{} that pg_dump does not write", m.command))
                .at(at)
                .line(m.line)
                .hint("pgbag restore refuses it unless --allow-meta-command names it; read the line first");
        }
    }
    let unterminated = s.totals.unterminated_copy_blocks;
    if unterminated > 0 {
        f.error(
            Code::CopyUnterminated,
            format!("COPY data ends without its \\. line in {}", format::count(unterminated, "block")),
        )
        .at(at)
        .hint("the dump was cut short inside table data");
    }
    for e in &s.parse_errors {
        let obj = e.object.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        f.warning(Code::ParseError, format!("PostgreSQL's parser rejects this statement{obj}: {}", e.message))
            .at(at)
            .line(e.line);
    }
}

/// Compares the recorded summary with the re-derived one. Keys the recorded
/// summary lacks are not compared (an older pgbag may record less).
///
/// The cost is a small multiple of schema.json's size (at most 16 MiB): the
/// derived summary is rendered as pack renders it and compared as it is
/// rendered, and the bytes are equal whenever pack wrote them. Otherwise
/// (an error case) it is rendered whole and both documents are walked as
/// [`RawValue`] slices of their bytes, never as `Value` trees (which cost
/// some 17 times the text).
fn compare_summary(recorded: &[u8], dump: &Scanned, f: &mut Findings) {
    if format::renders_as(&dump.summary, recorded) {
        return;
    }
    let derived = format::to_json_bytes(&dump.summary);
    let recorded: &RawValue = match serde_json::from_slice(recorded) {
        Ok(r) => r,
        Err(e) => {
            f.error(Code::SchemaJsonInvalid, format!("pgbag/schema.json is not valid JSON: {e}"))
                .at(format::SCHEMA_JSON);
            return;
        }
    };
    let derived: &RawValue = serde_json::from_slice(&derived).expect("a rendered summary parses");
    let (rec, der) = (tables(recorded), tables(derived));
    let mut table_problem = false;
    for (name, counts) in &rec {
        match der.get(name) {
            Some(d) if d.rows != counts.rows || d.bytes != counts.bytes => {
                table_problem = true;
                f.error(
                    Code::RowsMismatch,
                    format!(
                        "table {name}: schema.json records {} rows / {} bytes, the dump holds {} rows / {} bytes",
                        counts.rows, counts.bytes, d.rows, d.bytes
                    ),
                )
                .at(format::SCHEMA_JSON);
            }
            // A recorded digest (a package made before digests has none,
            // and null means not computed) must be the dump's.
            Some(d) if !counts.digest.is_null() && d.digest != counts.digest => {
                table_problem = true;
                f.error(
                    Code::DigestMismatch,
                    format!(
                        "table {name}: the content digest of its {} is {}, schema.json records {}",
                        d.rows.as_u64().map_or_else(|| format!("{} rows", d.rows), |n| format::count(n, "row")),
                        d.digest.as_str().unwrap_or("none"),
                        counts.digest.as_str().map_or_else(|| counts.digest.to_string(), str::to_string)
                    ),
                )
                .at(format::SCHEMA_JSON)
                .hint("the same number of rows with different values: the dump's data changed after it was packaged, or schema.json was edited");
            }
            None => {
                table_problem = true;
                f.error(
                    Code::RowsMismatch,
                    format!("table {name} is in schema.json but has no definition or data in the dump"),
                )
                .at(format::SCHEMA_JSON);
            }
            _ => {}
        }
    }
    if table_problem {
        return;
    }
    if let Some(path) = first_difference(recorded, derived, String::new()) {
        f.error(Code::SummaryMismatch, format!("schema.json differs from the dump's summary at {path}"))
            .at(format::SCHEMA_JSON)
            .hint("schema.json was edited or belongs to another dump");
    }
}

/// A table's identity, counts and digest, as recorded; other keys are skipped.
#[derive(serde::Deserialize)]
struct TableCounts {
    schema: Option<Value>,
    name: Option<Value>,
    rows: Option<Value>,
    bytes: Option<Value>,
    digest: Option<Value>,
}

/// What is compared of each table before the rest of the summary.
struct Counts {
    rows: Value,
    bytes: Value,
    /// `Null` when absent or not computed.
    digest: Value,
}

/// `schema.name` → its [`Counts`], of a summary's `tables`.
fn tables(doc: &RawValue) -> BTreeMap<String, Counts> {
    #[derive(serde::Deserialize)]
    struct Doc<'a> {
        #[serde(borrow)]
        tables: Option<&'a RawValue>,
    }
    let Some(list) = serde_json::from_str::<Doc>(doc.get()).ok().and_then(|d| d.tables) else { return BTreeMap::new() };
    let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(list.get()) else { return BTreeMap::new() };
    list.iter()
        .filter_map(|t| serde_json::from_str::<TableCounts>(t.get()).ok())
        .map(|t| {
            let s = |v: &Option<Value>, or: &str| v.as_ref().and_then(Value::as_str).unwrap_or(or).to_string();
            let key = format!("{}.{}", s(&t.schema, "-"), s(&t.name, "?"));
            let or_null = |v: Option<Value>| v.unwrap_or(Value::Null);
            (key, Counts { rows: or_null(t.rows), bytes: or_null(t.bytes), digest: or_null(t.digest) })
        })
        .collect()
}

/// The JSON path of the first place where `recorded` is not reproduced by
/// `derived`. Equal bytes are equal values; otherwise containers are split
/// into the slices of their members, and only scalars are parsed.
fn first_difference(recorded: &RawValue, derived: &RawValue, path: String) -> Option<String> {
    if recorded.get() == derived.get() {
        return None;
    }
    let first = |v: &RawValue| v.get().trim_start().bytes().next();
    match (first(recorded), first(derived)) {
        (Some(b'{'), Some(b'{')) => {
            let r: BTreeMap<String, &RawValue> = serde_json::from_str(recorded.get()).ok()?;
            let d: BTreeMap<String, &RawValue> = serde_json::from_str(derived.get()).ok()?;
            // A recorded key this reader does not derive is not one of its
            // facts (package-format.md §7): it is not compared; nor is a
            // table digest, which the table comparison above has checked.
            r.iter().find_map(|(k, rv)| match d.get(k) {
                Some(_) if k == "digest" => None,
                Some(dv) => first_difference(rv, dv, format!("{path}.{k}")),
                None => None,
            })
        }
        (Some(b'['), Some(b'[')) => {
            let r: Vec<&RawValue> = serde_json::from_str(recorded.get()).ok()?;
            let d: Vec<&RawValue> = serde_json::from_str(derived.get()).ok()?;
            if r.len() != d.len() {
                return Some(format!("{path} (length {} vs {})", r.len(), d.len()));
            }
            r.iter().zip(d).enumerate().find_map(|(i, (a, b))| first_difference(a, b, format!("{path}[{i}]")))
        }
        (Some(b'{' | b'['), _) | (_, Some(b'{' | b'[')) => Some(path), // an object, array or scalar where another is
        _ => {
            let parse = |v: &RawValue| serde_json::from_str::<Value>(v.get()).ok();
            (parse(recorded) != parse(derived)).then(|| if path.is_empty() { "the top level".into() } else { path })
        }
    }
}
