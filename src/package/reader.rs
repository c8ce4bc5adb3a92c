//! Reading packages: telling a package from a bare dump, walking a tar's
//! entries safely, and reading only the head (the tag files) for `inspect`.
//!
//! Input kind is decided from content: a directory with `bagit.txt` is an
//! unserialized bag; a file whose decoded stream has `ustar` at offset 257 is
//! a serialized package; anything else is taken as a (possibly compressed)
//! SQL dump. Entries are never extracted here; paths are checked as strings.
//! Tag files are read through the head guard (`guard.rs`) and within their
//! caps (spec §2.1), so no package can make a reader hold more than
//! `MAX_HEAD` bytes of them.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Component, Path};

use super::compress::{Compression, open_decoded};
use super::format::{self, FORMAT_VERSION, Manifest, binary_size};
use super::guard::{HeadGuard, open_guarded};
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
    if let Some(path) = input.path() {
        let meta = fs::metadata(path).context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            if !path.join(format::BAGIT_TXT).is_file() {
                return Err(Error::invalid(format!(
                    "{} is a directory but not a bag: it has no bagit.txt",
                    path.display()
                )));
            }
            return Ok(InputKind::Dir);
        }
    }
    let raw = input.open_head()?;
    let (mut decoded, compression) = open_decoded(raw).context(|| format!("reading {input}"))?;
    let mut head = [0u8; 512];
    let mut n = 0;
    while n < head.len() {
        match decoded.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Enough to recognise a tar header; validate reports the damage.
            Err(_) if n >= 262 => break,
            Err(e) if crate::store::is_store_error(&e) => return Err(Error::io(format!("reading {input}"), e)),
            Err(e) => {
                return Err(Error::invalid(format!(
                    "{input} cannot be decompressed ({}): {e}; the file is damaged or truncated",
                    compression.name()
                )));
            }
        }
    }
    let head = &head[..n];
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        Ok(InputKind::Tar(compression))
    } else {
        Ok(InputKind::Sql(compression))
    }
}

/// A tar entry's header facts, after the safety checks.
#[derive(Debug, Clone)]
pub struct EntryInfo {
    /// The full path as stored.
    pub raw_path: String,
    /// The top-level folder.
    pub root: String,
    /// The path below the top-level folder (`data/dump.sql`), empty for the
    /// folder itself.
    pub rel: String,
    pub kind: tar::EntryType,
    pub size: u64,
}

/// Why an entry is unsafe, if it is: absolute paths, `..`, empty names.
pub fn unsafe_path(p: &str) -> Option<&'static str> {
    let path = Path::new(p);
    if p.is_empty() {
        return Some("an empty name");
    }
    for c in path.components() {
        match c {
            Component::RootDir | Component::Prefix(_) => return Some("an absolute path"),
            Component::ParentDir => return Some("a `..` component"),
            _ => {}
        }
    }
    None
}

/// Splits `root/rest` (a trailing `/` on directories is dropped).
pub fn split_root(p: &str) -> (String, String) {
    let p = p.trim_start_matches("./").trim_end_matches('/');
    match p.split_once('/') {
        Some((root, rel)) => (root.to_string(), rel.to_string()),
        None => (p.to_string(), String::new()),
    }
}

pub fn entry_info<R: Read>(e: &tar::Entry<'_, R>) -> io::Result<EntryInfo> {
    let raw_path = String::from_utf8_lossy(&e.path_bytes()).into_owned();
    let (root, rel) = split_root(&raw_path);
    Ok(EntryInfo { raw_path, root, rel, kind: e.header().entry_type(), size: e.size() })
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

/// Turns a read error into the guard's verdict when the guard stopped it.
fn guarded<T>(res: Result<T>, guard: &HeadGuard, input: &Input, at: Option<&str>) -> Result<T> {
    match (res, guard.tripped()) {
        (Err(_), Some(trip)) => {
            let at = at.map(|p| format!(" at {p}")).unwrap_or_default();
            Err(Error::invalid(format!("{input}{at}: {trip}")))
        }
        (res, _) => res,
    }
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
/// the dump); for a directory, the tag files.
pub fn read_head(input: &Input, kind: InputKind) -> Result<Head> {
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
            let (decoded, _, guard) = open_guarded(input.open_head()?).context(|| format!("reading {input}"))?;
            let mut archive = tar::Archive::new(decoded);
            let mut name = None;
            let mut tags = BTreeMap::new();
            let ctx = || format!("reading the package {input}");
            for entry in archive.entries().context(ctx)? {
                let entry = guarded(entry.context(ctx), &guard, input, None)?;
                let info = entry_info(&entry).context(ctx)?;
                if let Some(why) = unsafe_path(&info.raw_path) {
                    return Err(Error::invalid(format!(
                        "{input}: entry `{}` has {why}; the package is unsafe, run `pgbag validate`",
                        info.raw_path
                    )));
                }
                name.get_or_insert_with(|| info.root.clone());
                if info.rel.starts_with("data/") && info.kind != tar::EntryType::Directory {
                    break; // the head ends where the payload begins
                }
                if is_file(info.kind) && format::TAG_FILES.contains(&info.rel.as_str()) {
                    if info.size > format::tag_file_cap(&info.rel) {
                        return Err(tag_too_large(&info.rel, Some(info.size)));
                    }
                    let b = guarded(read_tag(entry, &info.rel), &guard, input, Some(&info.rel))?;
                    tags.insert(info.rel, b);
                }
            }
            Ok(Head { name: name.unwrap_or_default(), kind, tags, package_bytes })
        }
        InputKind::Sql(_) => Err(Error::usage(format!("{input} is a SQL dump, not a package"))),
    }
}

/// A regular file as validate and unpack take it: type `0` (or old tar's
/// NUL) and `7`, a contiguous file, which tar readers extract as a regular
/// file. Reading only `0` here made a package that validates fail to
/// restore ("has no data/dump.sql") or inspect (found by fuzz/package_mutate).
fn is_file(kind: tar::EntryType) -> bool {
    matches!(kind, tar::EntryType::Regular | tar::EntryType::Continuous)
}

/// Opens a bare dump, decoding gzip or zstd transport compression.
pub fn open_sql(input: &Input) -> Result<(Box<dyn BufRead>, Compression)> {
    let (decoded, c) = open_decoded(input.open()?).context(|| format!("reading {input}"))?;
    Ok((Box::new(BufReader::with_capacity(1 << 20, decoded)), c))
}

/// Calls `f` with a reader over `data/dump.sql` of a package (file, object
/// or directory) or over a bare dump, decompressed. A callback, because a
/// tar entry borrows its archive.
pub fn with_dump<T>(input: &Input, kind: InputKind, f: impl FnOnce(&mut dyn BufRead) -> Result<T>) -> Result<T> {
    match kind {
        InputKind::Sql(_) => {
            let (mut r, _) = open_sql(input)?;
            f(&mut r)
        }
        InputKind::Dir => {
            let path = input.path().ok_or_else(|| Error::usage("a bag directory must be local"))?;
            let p = path.join(format::DUMP_SQL);
            let file = File::open(&p).context(|| format!("opening {}", p.display()))?;
            f(&mut BufReader::with_capacity(1 << 20, file))
        }
        InputKind::Tar(_) => {
            // Guarded, so a bomb among the skipped tag files ends quickly.
            let (decoded, _, guard) = open_guarded(input.open()?).context(|| format!("reading {input}"))?;
            let mut archive = tar::Archive::new(decoded);
            let ctx = || format!("reading the package {input}");
            for entry in archive.entries().context(ctx)? {
                let entry = guarded(entry.context(ctx), &guard, input, None)?;
                let info = entry_info(&entry).context(ctx)?;
                if info.rel == format::DUMP_SQL && is_file(info.kind) {
                    guard.disarm();
                    return f(&mut BufReader::with_capacity(1 << 20, entry));
                }
            }
            Err(Error::invalid(format!("{input} has no data/dump.sql")))
        }
    }
}
