//! `inspect`: what a package (or a bare dump) holds.
//!
//! For a package only the head is read, so the cost does not grow with the
//! dump; nothing is verified (that is `validate`'s job). A bare `.sql`,
//! `.sql.gz` or `.sql.zst` is scanned once and summarised the same way, which
//! is how one audits a legacy backup.

use crate::store::Input;
use std::io;

use serde::Serialize;

use super::findings::{Code, Finding, Findings};
use super::format::{PayloadFile, Source};
use super::open::OpenPackage;
use super::pgbag_checks::dump_findings;
use super::reader::InputKind;
use super::scan::scan_into;
use crate::error::Result;
use crate::progress::Progress;
use crate::schema::{DumpFacts, MetaCommandRef, Summary, Table};

/// The `inspect --json` document (spec/inspect.schema.json).
#[derive(Debug, Clone, Serialize)]
pub struct InspectReport {
    /// `package`, `directory` or `dump`.
    pub input: String,
    pub name: String,
    pub format_version: Option<u32>,
    pub created_at: Option<String>,
    pub pgbag_version: Option<String>,
    /// `zstd`, `gzip` or `none`; `null` for a directory.
    pub compression: Option<String>,
    /// Size of the package file (or the dump file) in bytes.
    pub file_bytes: u64,
    pub source: Source,
    pub payload: Vec<PayloadFile>,
    pub dump: DumpFacts,
    pub extensions: Vec<ExtensionInfo>,
    pub roles: Vec<String>,
    pub meta_commands: Vec<MetaCommandRef>,
    pub tables: Vec<Table>,
    pub counts: Counts,
    pub warnings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExtensionInfo {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub tables: usize,
    pub rows: u64,
    pub views: usize,
    pub materialized_views: usize,
    pub indexes: usize,
    pub sequences: usize,
    pub types: usize,
    pub functions: usize,
    pub policies: usize,
    pub triggers: usize,
    pub large_objects: u64,
}

pub fn inspect(input: &Input, progress: &dyn Progress) -> Result<InspectReport> {
    let pkg = OpenPackage::open(input)?;
    let kind = pkg.kind()?;
    let file_bytes = input.len();
    match kind {
        InputKind::Sql(c) => {
            let (scanned, _) = pkg.with_dump(|r| scan_into(r, io::sink(), "scanning", progress))?;
            let s = scanned.summary;
            let source = Source {
                kind: "sql".into(),
                database: s.dump.database.clone(),
                server_version: s.dump.dumped_from.clone(),
                pg_dump_version: s.dump.dumped_by.clone(),
                encoding: s.dump.encoding.clone(),
                input_file: input.file_name(),
                input_compression: (c != super::Compression::None).then(|| c.name().to_string()),
                ..Source::default()
            };
            let payload = vec![PayloadFile { path: input.to_string(), bytes: scanned.bytes, sha256: scanned.sha256 }];
            let name = input.file_name().unwrap_or_default();
            let mut r = report("dump", name, None, source, payload, Some(c.name()), file_bytes, s, None);
            let mut hazards = Findings::default();
            if let Some(t) = &scanned.summary_too_large {
                hazards
                    .warning(Code::SummaryTooLarge, format!("{t}: the summary shown is incomplete"))
                    .at(&input.to_string());
            }
            super::sql_checks::hazard_findings(&scanned.hazards, &mut hazards);
            r.warnings.extend(hazards.0);
            Ok(r)
        }
        InputKind::Dir | InputKind::Tar(_) => {
            let head = pkg.head()?;
            let m = head.manifest()?;
            let s = head.summary()?;
            let (input, compression) = match kind {
                InputKind::Tar(c) => ("package", Some(c.name())),
                _ => ("directory", None),
            };
            let versions = m.extensions.clone();
            let mut r = report(
                input,
                head.name.clone(),
                Some(m.format_version),
                m.source.clone(),
                m.payload.clone(),
                compression,
                head.package_bytes,
                s,
                Some(versions),
            );
            r.created_at = Some(m.created_at);
            r.pgbag_version = Some(m.pgbag_version);
            Ok(r)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    input: &str,
    name: String,
    format_version: Option<u32>,
    source: Source,
    payload: Vec<PayloadFile>,
    compression: Option<&str>,
    file_bytes: u64,
    s: Summary,
    versions: Option<Vec<super::format::ExtensionVersion>>,
) -> InspectReport {
    let mut warnings = Findings::default();
    dump_findings(&s, &mut warnings);
    let extensions = s
        .extensions
        .iter()
        .map(|e| ExtensionInfo {
            name: e.name.clone(),
            schema: e.schema.clone(),
            version: versions
                .as_ref()
                .and_then(|v| v.iter().find(|x| x.name == e.name))
                .and_then(|x| x.version.clone()),
        })
        .collect();
    let counts = Counts {
        tables: s.tables.len(),
        rows: s.totals.rows,
        views: s.views.len(),
        materialized_views: s.materialized_views.len(),
        indexes: s.indexes.len(),
        sequences: s.sequences.len(),
        types: s.types.len(),
        functions: s.functions.len(),
        policies: s.policies.len(),
        triggers: s.triggers.len(),
        large_objects: s.large_objects,
    };
    InspectReport {
        input: input.into(),
        name,
        format_version,
        created_at: None,
        pgbag_version: None,
        compression: compression.map(str::to_string),
        file_bytes,
        source,
        payload,
        dump: s.dump,
        extensions,
        roles: s.roles,
        meta_commands: s.meta_commands,
        tables: s.tables,
        counts,
        warnings: warnings.0,
    }
}
