//! `inspect`: what a package (or a bare dump) holds.
//!
//! For a package only the head is read, so the cost does not grow with the
//! dump; checksums are not verified (that is `validate`'s job), but what the
//! recorded summary says of the dump is judged as validate judges it. A bare
//! `.sql`, `.sql.gz` or `.sql.zst` is scanned once and summarised the same
//! way, which is how one audits a legacy backup; its findings are exactly
//! validate's (`bare.rs`). Input that is not a dump or a package is refused
//! with the error that says what it is (spec/inputs.md).

use crate::store::Input;

use serde::Serialize;

use super::findings::{Finding, Findings};
use super::format::{self, BagInfo, PayloadFile, Source};
use super::open::OpenPackage;
use super::pgbag_checks::dump_findings;
use super::reader::InputKind;
use crate::error::Result;
use crate::progress::Progress;
use crate::schema::{
    DumpFacts, Function, Index, MetaCommandRef, Policy, Sequence, Summary, Table, Trigger, TypeDef, View,
};

/// The `inspect --json` document (spec/inspect.schema.json).
#[derive(Debug, Clone, Serialize)]
pub struct InspectReport {
    /// No finding of severity error: what `inspect`'s exit code follows.
    pub valid: bool,
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
    /// bag-info.txt's fields, in file order; `None` for a bare dump.
    pub bag_info: Option<Vec<BagInfoField>>,
    pub payload: Vec<PayloadFile>,
    pub dump: DumpFacts,
    pub extensions: Vec<ExtensionInfo>,
    pub roles: Vec<String>,
    pub meta_commands: Vec<MetaCommandRef>,
    pub tables: Vec<Table>,
    pub views: Vec<View>,
    pub materialized_views: Vec<View>,
    pub indexes: Vec<Index>,
    pub sequences: Vec<Sequence>,
    pub types: Vec<TypeDef>,
    pub functions: Vec<Function>,
    pub policies: Vec<Policy>,
    pub triggers: Vec<Trigger>,
    pub counts: Counts,
    /// Errors and warnings about what was read, as validate reports them.
    pub findings: Vec<Finding>,
    /// What the input is, in words: the first line of the text output.
    #[serde(skip)]
    pub headline: String,
}

/// One `Label: value` line of bag-info.txt.
#[derive(Debug, Clone, Serialize)]
pub struct BagInfoField {
    pub label: String,
    pub value: String,
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
    let mut r = match kind {
        InputKind::Sql(c) => {
            let checked = super::bare::check(&pkg, "scanning", progress)?;
            let scanned = checked.scanned;
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
            report("dump", name, None, source, payload, Some(c.name()), file_bytes, s, None, checked.findings)
        }
        InputKind::Dir | InputKind::Tar(_) => {
            let head = pkg.head()?;
            let m = head.manifest()?;
            let s = head.summary()?;
            let (what, compression) = match kind {
                InputKind::Tar(c) => ("package", Some(c.name())),
                _ => ("directory", None),
            };
            let versions = m.extensions.clone();
            let mut findings = Findings::default();
            dump_findings(&s, format::DUMP_SQL, &mut findings);
            let mut r = report(
                what,
                head.name.clone(),
                Some(m.format_version),
                m.source.clone(),
                m.payload.clone(),
                compression,
                head.package_bytes,
                s,
                Some(versions),
                findings,
            );
            r.created_at = Some(m.created_at);
            r.pgbag_version = Some(m.pgbag_version);
            r.bag_info = Some(head.bag_info()?);
            r
        }
    };
    r.headline = kind.headline(input);
    Ok(r)
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
    findings: Findings,
) -> InspectReport {
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
        valid: findings.is_valid(),
        input: input.into(),
        name,
        format_version,
        created_at: None,
        pgbag_version: None,
        compression: compression.map(str::to_string),
        file_bytes,
        source,
        bag_info: None,
        payload,
        dump: s.dump,
        extensions,
        roles: s.roles,
        meta_commands: s.meta_commands,
        tables: s.tables,
        views: s.views,
        materialized_views: s.materialized_views,
        indexes: s.indexes,
        sequences: s.sequences,
        types: s.types,
        functions: s.functions,
        policies: s.policies,
        triggers: s.triggers,
        counts,
        findings: findings.0,
        headline: String::new(),
    }
}

impl super::reader::Head {
    /// bag-info.txt's fields; none when the head lacks it.
    pub fn bag_info(&self) -> Result<Vec<BagInfoField>> {
        let Some(bytes) = self.tags.get(format::BAG_INFO_TXT) else { return Ok(Vec::new()) };
        let info = BagInfo::parse(&String::from_utf8_lossy(bytes)).map_err(|e| {
            crate::error::Error::invalid(format!(
                "bag-info.txt is not `Label: value` lines ({e}); run `pgbag validate`"
            ))
        })?;
        Ok(info.0.into_iter().map(|(label, value)| BagInfoField { label, value }).collect())
    }
}
