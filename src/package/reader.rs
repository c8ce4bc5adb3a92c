//! Reading packages: telling a package from a bare dump (and both from
//! anything else), and reading only the head (the tag files) for `inspect`
//! and restore's plan.
//!
//! Input kind is decided from content, by the rules of spec/inputs.md
//! (`classify.rs`): a directory with `bagit.txt` is an unserialized bag; a
//! file whose decoded stream has `ustar` at offset 257 is a serialized
//! package; pg_dump's plain output, or text that looks like SQL, is a
//! (possibly compressed) bare dump; anything else is not a dump or a
//! package, and is said to be so. A tar's entries are walked by the one bag reader
//! (`entries.rs`), with its rules; a refused entry makes the head unreadable.
//! Tag files are read through the head guard (`guard.rs`) and within their
//! caps (spec §2.1), so no package can make a reader hold more than
//! `MAX_HEAD` bytes of them.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::classify::{self, ArchiveFormat, NotADump, Sniffed};
use super::compress::{Compression, open_decoded};
use super::entries::{BagReader, Class, Entry, Fault};
use super::format::{self, FORMAT_VERSION, Manifest, binary_size};
use super::open::OpenPackage;
use crate::error::{Error, IoContext, Result};
use crate::schema::Summary;
use crate::store::Input;

/// What a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// An unserialized bag directory.
    Dir,
    /// A tar package, with its compression.
    Tar(Compression),
    /// A bare SQL dump, with its transport compression.
    Sql(Compression),
}

/// Decides what `input` holds by looking at its content. For a remote
/// object this reads only its first bytes.
pub fn detect(input: &Input) -> Result<InputKind> {
    OpenPackage::open(input)?.kind()
}

/// What a probe of the content found; undecodable content is a verdict
/// (validate reports it), not a failure to read.
#[derive(Debug, Clone)]
pub(crate) enum Probe {
    Dir,
    /// A directory without `bagit.txt`.
    NotABag(String),
    Tar(Compression),
    Sql(Compression),
    /// Neither a package nor a plain-format dump; the compression of a file.
    NotADump(NotADump, Option<Compression>),
    /// The first bytes do not decode; `truncated` when the stream ends early.
    Undecodable {
        truncated: bool,
        message: String,
    },
}

impl Probe {
    /// The kind, or the error that says what `input` is instead.
    pub(crate) fn kind(&self, input: &Input) -> Result<InputKind> {
        match self {
            Probe::Dir => Ok(InputKind::Dir),
            Probe::Tar(c) => Ok(InputKind::Tar(*c)),
            Probe::Sql(c) => Ok(InputKind::Sql(*c)),
            Probe::NotADump(x, c) => Err(x.error(input, *c)),
            Probe::NotABag(m) | Probe::Undecodable { message: m, .. } => Err(Error::invalid(m.clone())),
        }
    }
}

pub(crate) fn probe_dir(path: &Path) -> Probe {
    if path.join(format::BAGIT_TXT).is_file() {
        Probe::Dir
    } else if path.join("toc.dat").is_file() {
        // pg_dump -Fd writes toc.dat and one file per table.
        Probe::NotADump(NotADump::PgDumpArchive(ArchiveFormat::Directory), None)
    } else {
        Probe::NotABag(format!("{} is a directory but not a bag: it has no bagit.txt", path.display()))
    }
}

/// Looks at the first decoded bytes (spec/inputs.md §2).
pub(crate) fn probe(raw: impl Read, input: &Input) -> Result<Probe> {
    let (mut decoded, compression) = open_decoded(raw).context(|| format!("reading {input}"))?;
    let (sample, failed) = classify::read_sample(&mut decoded);
    let sniffed = classify::sniff(&sample);
    if let Some(e) = failed {
        if crate::store::is_store_error(&e) {
            return Err(Error::io(format!("reading {input}"), e));
        }
        // What decoded before the damage decides, if it is enough to tell a
        // package or a dump; the damage is reported where reading stops.
        let decided = match sniffed {
            Sniffed::Tar => Some(Probe::Tar(compression)),
            Sniffed::Dump if !sample.is_empty() => Some(Probe::Sql(compression)),
            _ => None,
        };
        return Ok(decided.unwrap_or_else(|| Probe::Undecodable {
            truncated: e.kind() == io::ErrorKind::UnexpectedEof,
            message: format!(
                "{input} cannot be decompressed ({}): {e}; the file is damaged or truncated",
                compression.name()
            ),
        }));
    }
    Ok(match sniffed {
        Sniffed::Tar => Probe::Tar(compression),
        Sniffed::Dump => Probe::Sql(compression),
        Sniffed::Not(x) => Probe::NotADump(x, Some(compression)),
    })
}

/// Reads the whole tag file `path` (below the bag root), refusing more than
/// its cap ([`format::tag_file_cap`]).
pub fn read_tag<R: Read>(r: R, path: &str) -> Result<Vec<u8>> {
    let cap = format::tag_file_cap(path);
    let mut buf = Vec::new();
    r.take(cap + 1).read_to_end(&mut buf).context(|| format!("reading {path}"))?;
    if buf.len() as u64 > cap {
        return Err(tag_too_large(path, None));
    }
    Ok(buf)
}

/// The refusal of a tag file over its cap (`size` when the tar header says).
pub fn tag_too_large(path: &str, size: Option<u64>) -> Error {
    let size = size.map(|s| format!(" ({s} bytes)")).unwrap_or_default();
    Error::invalid(format!(
        "{path}{size} is larger than the {} a reader accepts for it (spec/package-format.md §2.1); \
         refusing to read it",
        binary_size(format::tag_file_cap(path))
    ))
}

/// The head of a package: its name and tag files.
#[derive(Debug, Clone)]
pub struct Head {
    pub name: String,
    pub kind: InputKind,
    /// Tag files by path below the bag root.
    pub tags: BTreeMap<String, Vec<u8>>,
    /// Size of the package file (or of the bag's files), bytes.
    pub package_bytes: u64,
}

impl Head {
    fn tag(&self, path: &str) -> Result<&[u8]> {
        self.tags
            .get(path)
            .map(|v| v.as_slice())
            .ok_or_else(|| Error::invalid(format!("the package has no {path}; run `pgbag validate` for details")))
    }

    /// Parses `pgbag/manifest.json`, refusing versions newer than this build.
    pub fn manifest(&self) -> Result<Manifest> {
        parse_manifest(self.tag(format::MANIFEST_JSON)?)
    }

    pub fn summary(&self) -> Result<Summary> {
        serde_json::from_slice(self.tag(format::SCHEMA_JSON)?)
            .map_err(|e| Error::invalid(format!("pgbag/schema.json is not a valid schema summary: {e}")))
    }
}

/// Parses manifest.json; a newer `format_version` is an operational error
/// telling the user to upgrade.
pub fn parse_manifest(bytes: &[u8]) -> Result<Manifest> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid(format!("pgbag/manifest.json is not valid JSON: {e}")))?;
    if let Some(version) = v.get("format_version").and_then(|v| v.as_u64())
        && version > u64::from(FORMAT_VERSION)
    {
        return Err(Error::operational(format!(
            "this package uses format version {version}, but this pgbag ({}) reads versions up to {FORMAT_VERSION}: \
             unsupported, upgrade pgbag",
            env!("CARGO_PKG_VERSION")
        )));
    }
    serde_json::from_value(v).map_err(|e| Error::invalid(format!("pgbag/manifest.json does not match the format: {e}")))
}

/// Reads only the head of a package: for a tar, the entries before `data/`
/// (so the time, and for a remote object the bytes fetched, do not grow with
/// the dump); for a directory, the tag files ([`OpenPackage::head`]).
pub(crate) fn head_of(pkg: &OpenPackage) -> Result<Head> {
    let input = pkg.input();
    let kind = pkg.kind()?;
    match kind {
        InputKind::Dir => {
            let path = input.path().ok_or_else(|| Error::usage("a bag directory must be local"))?;
            let name = path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            let mut tags = BTreeMap::new();
            let mut package_bytes = 0;
            for t in format::TAG_FILES {
                let p = path.join(t);
                if let Ok(f) = File::open(&p) {
                    let b = read_tag(f, t)?;
                    package_bytes += b.len() as u64;
                    tags.insert(t.to_string(), b);
                }
            }
            for t in format::PAYLOAD_FILES {
                package_bytes += fs::metadata(path.join(t)).map(|m| m.len()).unwrap_or(0);
            }
            Ok(Head { name, kind, tags, package_bytes })
        }
        InputKind::Tar(_) => {
            let package_bytes = input.len();
            let mut bag = BagReader::new(pkg.raw_head()?).context(|| format!("reading {input}"))?;
            let mut tags = BTreeMap::new();
            while let Some(entry) = bag.next_entry().map_err(|f| fault_error(f, input, None))? {
                match &entry.class {
                    Class::Refused(r) => {
                        return Err(Error::invalid(format!(
                            "{input}: entry `{}` {}; the package is unsafe, run `pgbag validate`",
                            entry.stored, r.why
                        )));
                    }
                    Class::Payload { .. } => break, // the head ends where the payload begins
                    Class::Tag if format::TAG_FILES.contains(&entry.rel.as_str()) => {
                        let b = read_tag_entry(&mut bag, &entry, input)?;
                        tags.insert(entry.rel, b);
                    }
                    _ => {}
                }
            }
            let name = bag.root().unwrap_or_default().to_string();
            Ok(Head { name, kind, tags, package_bytes })
        }
        InputKind::Sql(_) => Err(Error::usage(format!("{input} is a bare dump, not a package"))),
    }
}

/// Reads the current entry, a tag file, within its cap.
pub(crate) fn read_tag_entry(bag: &mut BagReader<'_>, entry: &Entry, input: &Input) -> Result<Vec<u8>> {
    if entry.size > format::tag_file_cap(&entry.rel) {
        return Err(tag_too_large(&entry.rel, Some(entry.size)));
    }
    let mut buf = Vec::with_capacity(entry.size as usize);
    let read = bag.data().read_to_end(&mut buf);
    match read {
        Ok(_) => Ok(buf),
        Err(e) => match bag.take_fault() {
            Some(f) => Err(fault_error(f, input, Some(&entry.rel))),
            None => Err(Error::io(format!("reading {}", entry.rel), e)),
        },
    }
}

/// A fault met by a reader that gives no findings: a store failure is an
/// I/O error, anything else makes the package unreadable.
pub(crate) fn fault_error(f: Fault, input: &Input, at: Option<&str>) -> Error {
    let at = at.map(|p| format!(" at {p}")).unwrap_or_default();
    match f {
        Fault::Store(e) => Error::io(format!("reading {input}"), e),
        f => Error::invalid(format!("{input}{at}: {f}; run `pgbag validate` for details")),
    }
}

/// Opens a bare dump, decoding gzip or zstd transport compression.
pub fn open_sql(input: &Input) -> Result<(Box<dyn BufRead>, Compression)> {
    let (decoded, c) = open_decoded(input.open()?).context(|| format!("reading {input}"))?;
    Ok((Box::new(BufReader::with_capacity(1 << 20, decoded)), c))
}
