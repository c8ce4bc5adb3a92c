//! Writing packages: one pass over the dump, then an atomic publish.
//!
//! The dump is read once. Each byte goes through SHA-256, the scanner and
//! summary, and the tail compressor, whose output is spooled next to the
//! destination (spec §4). When the dump ends the head (tag files, and the tar
//! header of `data/dump.sql`, whose size is now known) is compressed as its
//! own frame into the destination's temporary file, the spool is appended,
//! and the result is fsynced and renamed into place. Any error before the
//! rename leaves nothing at the destination: temporary files are removed when
//! their guards drop.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use super::compress::Compression;
use super::format::{self, BagInfo, DumpState, ExtensionVersion, Manifest, PayloadFile, Source};
use super::readme;
use super::scan::{Scanned, scan_into};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use crate::schema::Summary;
use crate::stream::{ThreadedWriter, sha256_hex};

/// How to write a package.
#[derive(Debug, Clone)]
pub struct PackOptions {
    pub compression: Compression,
    pub level: i32,
    /// Write an unserialized bag directory instead of a tar.
    pub dir: bool,
    pub created_at: DateTime<Utc>,
    /// The bag name (top-level folder).
    pub name: String,
    /// Extra `bag-info.txt` fields, in order.
    pub info: Vec<(String, String)>,
    /// Accept a dump without pg_dump's completion footer.
    pub allow_incomplete: bool,
    /// Replace an existing file at the destination.
    pub force: bool,
    /// After an upload to S3, read the object back, validate it and record
    /// its SHA-256 (spec/storage.md §3).
    pub verify_upload: bool,
}

/// What goes into a package besides the options.
pub struct PackInput<R> {
    /// The dump's bytes (already decompressed).
    pub dump: R,
    /// `pg_dumpall --globals-only` output, if wanted.
    pub globals: Option<Vec<u8>>,
    pub source: Source,
    /// Extensions as the server reported them (`--db`); `None` takes them from
    /// the dump.
    pub extensions: Option<Vec<ExtensionVersion>>,
    /// `--sql`: the original's size and SHA-256, known once `dump` has been
    /// read ([`super::sql_input`]).
    pub original: Option<super::sql_input::Original>,
}

/// What was written.
#[derive(Debug)]
pub struct PackOutcome {
    /// Where the package went: a path or an `s3://` URL.
    pub location: String,
    /// The package's size, when known without a stat.
    pub bytes: Option<u64>,
    /// The SHA-256 of the package file or object, when it was computed (an
    /// upload read back).
    pub sha256: Option<String>,
    pub manifest: Manifest,
    pub summary: Summary,
}

const BUF: usize = 1 << 20;

/// Writes a package to `out`. See the module documentation.
pub fn pack<R: Read>(
    input: PackInput<R>,
    out: &Path,
    opts: &PackOptions,
    progress: &dyn Progress,
) -> Result<PackOutcome> {
    super::pack_plan::check_bag_name(&opts.name)?;
    if !opts.force && fs::symlink_metadata(out).is_ok() {
        return Err(Error::usage(format!(
            "{} already exists; choose another -o, or pass --force to replace it",
            out.display()
        )));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if opts.dir { pack_dir(input, out, &parent, opts, progress) } else { pack_tar(input, out, &parent, opts, progress) }
}

fn check_complete(s: &Scanned, opts: &PackOptions) -> Result<()> {
    if let Some(t) = &s.summary_too_large {
        return Err(Error::operational(format!(
            "{t}, so no pgbag could validate the package; nothing was written. \
             Pack the database in parts (pg_dump --schema or --exclude-schema)"
        )));
    }
    if s.summary.dump.complete || opts.allow_incomplete {
        return Ok(());
    }
    let why = if s.summary.dump.dumped_by.is_none() {
        "it does not look like pg_dump output (no \"-- Dumped by pg_dump\" header) and lacks"
    } else {
        "it lacks"
    };
    Err(Error::invalid(format!(
        "the dump is incomplete: {why} pg_dump's final \"-- PostgreSQL database dump complete\" line, \
         so it was probably cut short; nothing was written. Pass --allow-incomplete to package it anyway"
    )))
}

/// Tag files by path below the bag, in archive order.
pub(super) type TagFiles = Vec<(&'static str, Vec<u8>)>;

/// Builds every tag file, in archive order. Refuses (before anything is
/// published) a tag file over the cap a reader accepts for it (spec §2.1):
/// pack never writes a package its own validate would refuse.
/// Call once the dump has been read (and its reader dropped): `original`
/// is measured as it streams.
pub(super) fn tag_files(
    input_source: Source,
    original: Option<super::sql_input::Original>,
    extensions: Option<Vec<ExtensionVersion>>,
    globals: Option<&[u8]>,
    s: Scanned,
    opts: &PackOptions,
) -> Result<(TagFiles, Manifest, Summary)> {
    let mut payload = vec![PayloadFile { path: format::DUMP_SQL.into(), bytes: s.bytes, sha256: s.sha256.clone() }];
    if let Some(g) = globals {
        payload.push(PayloadFile { path: format::GLOBALS_SQL.into(), bytes: g.len() as u64, sha256: sha256_hex(g) });
    }
    let summary = s.summary;
    let extensions = extensions.unwrap_or_else(|| {
        summary
            .extensions
            .iter()
            .map(|e| ExtensionVersion { name: e.name.clone(), schema: e.schema.clone(), version: None })
            .collect()
    });
    let mut source = input_source;
    if let Some(o) = original {
        o.finish(&mut source);
    }
    if source.database.is_none() {
        source.database = summary.dump.database.clone();
    }
    if source.encoding.is_none() {
        source.encoding = summary.dump.encoding.clone();
    }
    // `15.18 (Debian 15.18-0+deb12u1)` in the header; the manifest keeps `15.18`.
    let short = |v: &Option<String>| v.as_deref().and_then(|v| v.split_whitespace().next()).map(str::to_string);
    if source.server_version.is_none() {
        source.server_version = short(&summary.dump.dumped_from);
    }
    if source.pg_dump_version.is_none() {
        source.pg_dump_version = short(&summary.dump.dumped_by);
    }
    let manifest = Manifest {
        format_version: format::FORMAT_VERSION,
        created_at: opts.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        pgbag_version: env!("CARGO_PKG_VERSION").to_string(),
        name: opts.name.clone(),
        source,
        payload,
        extensions,
        dump: DumpState { complete: summary.dump.complete, restrict_key: summary.dump.restrict },
    };
    let manifest_txt = format::render_manifest(
        &manifest.payload.iter().map(|p| (p.path.clone(), p.sha256.clone())).collect::<Vec<_>>(),
    );
    let bag_info = bag_info(&manifest, &summary, opts).render();
    let manifest_json = format::to_json_bytes(&manifest);
    let schema_json = format::to_json_bytes(&summary);
    let readme = readme::render(&manifest, &summary);
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![
        (format::BAGIT_TXT, format::BAGIT_TXT_CONTENT.as_bytes().to_vec()),
        (format::BAG_INFO_TXT, bag_info.into_bytes()),
        (format::MANIFEST_TXT, manifest_txt.into_bytes()),
        (format::MANIFEST_JSON, manifest_json),
        (format::SCHEMA_JSON, schema_json),
        (format::README_TXT, readme.into_bytes()),
    ];
    let tag_sums: Vec<(String, String)> = files.iter().map(|(p, b)| (p.to_string(), sha256_hex(b))).collect();
    files.insert(3, (format::TAGMANIFEST_TXT, format::render_manifest(&tag_sums).into_bytes()));
    within_caps(&files, summary.tables.len())?;
    Ok((files, manifest, summary))
}

/// Refuses a tag file over the cap a reader accepts for it (spec §2.1), so
/// that pack never writes a package its own validate would refuse.
fn within_caps(files: &[(&'static str, Vec<u8>)], tables: usize) -> Result<()> {
    for (path, bytes) in files {
        let cap = format::tag_file_cap(path);
        if bytes.len() as u64 > cap {
            return Err(Error::operational(format!(
                "{path} of this dump would be {} bytes ({tables} tables), over the {} a reader accepts for it \
                 (spec/package-format.md §2.1), so no pgbag could validate the package; nothing was written",
                bytes.len(),
                format::binary_size(cap)
            )));
        }
    }
    Ok(())
}

fn bag_info(m: &Manifest, s: &Summary, opts: &PackOptions) -> BagInfo {
    const LEADING: [&str; 5] =
        ["Source-Organization", "Contact-Name", "Contact-Phone", "Contact-Email", "External-Identifier"];
    let given = |k: &str| opts.info.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map(|(_, v)| v.clone());
    let mut f: Vec<(String, String)> = Vec::new();
    for k in LEADING {
        if let Some(v) = given(k) {
            f.push((k.into(), v));
        }
    }
    let server = m.source.server_version.as_deref().map(|v| format!(" (server {v})")).unwrap_or_default();
    let of = match m.source.database.as_deref() {
        Some(d) => format!("PostgreSQL database {d}{server}"),
        // A plain dump made without --create does not name its database.
        None => format!("a PostgreSQL database{server}, whose name the dump does not record"),
    };
    let described = format!(
        "Plain-SQL pg_dump of {of}: {} table{}, {} row{}.",
        s.tables.len(),
        if s.tables.len() == 1 { "" } else { "s" },
        s.totals.rows,
        if s.totals.rows == 1 { "" } else { "s" }
    );
    f.push(("External-Description".into(), given("External-Description").unwrap_or(described)));
    f.push(("Bagging-Date".into(), opts.created_at.format("%Y-%m-%d").to_string()));
    f.push(("Bag-Software-Agent".into(), format!("pgbag {}", env!("CARGO_PKG_VERSION"))));
    let total: u64 = m.payload.iter().map(|p| p.bytes).sum();
    f.push(("Payload-Oxum".into(), format::payload_oxum(total, m.payload.len())));
    f.push(("Bag-Size".into(), format::human_size(total)));
    f.push(("Pgbag-Format-Version".into(), format::FORMAT_VERSION.to_string()));
    let known = [
        ("Pgbag-Source-Database", &m.source.database),
        ("Pgbag-Server-Version", &m.source.server_version),
        ("Pgbag-Pg-Dump-Version", &m.source.pg_dump_version),
        ("Pgbag-Input-File", &m.source.input_file),
        ("Pgbag-Input-Bytes", &m.source.input_bytes.map(|b| b.to_string())),
        ("Pgbag-Input-Sha256", &m.source.input_sha256),
        ("Pgbag-Input-Modified", &m.source.input_modified),
    ];
    for (k, v) in known {
        if let Some(v) = v {
            f.push((k.into(), v.clone()));
        }
    }
    for (k, v) in &opts.info {
        if !LEADING.iter().any(|l| l.eq_ignore_ascii_case(k)) && !k.eq_ignore_ascii_case("External-Description") {
            f.push((k.clone(), v.clone()));
        }
    }
    BagInfo(f)
}

/// Passes writes through until closed, then swallows them: tar's builder
/// insists on writing the end-of-archive blocks, which belong to the tail.
struct Gate<W> {
    inner: W,
    open: bool,
}

impl<W: Write> Write for Gate<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.open { self.inner.write(buf) } else { Ok(buf.len()) }
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn tar_header(kind: tar::EntryType, size: u64, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(if kind == tar::EntryType::Directory { 0o755 } else { 0o644 });
    h.set_mtime(mtime);
    h.set_uid(0);
    h.set_gid(0);
    h
}

pub(crate) fn temp_in(parent: &Path, suffix: &str) -> Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .prefix(".pgbag-")
        .suffix(suffix)
        // Like pg_dump -f and tar: 0666 less the user's umask.
        .permissions(fs::Permissions::from_mode(0o666))
        .tempfile_in(parent)
        .context(|| format!("creating a temporary file in {}", parent.display()))
}

/// A write into the package that failed (a full disk, `ulimit -f`).
#[derive(Debug)]
struct WriteFailed(io::Error);

impl std::fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for WriteFailed {}

/// Marks the errors of the scanner's sink: they surface through its reads,
/// where they would pass for a problem with the dump ("reading the dump:
/// File too large").
struct MarkWrites<W>(W);

impl<W: Write> Write for MarkWrites<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(|e| io::Error::new(e.kind(), WriteFailed(e)))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(|e| io::Error::new(e.kind(), WriteFailed(e)))
    }
}

/// A marked write error becomes "writing WHAT: ..."; others pass unchanged.
fn name_write_error(e: Error, what: &str) -> Error {
    match e.io_error().and_then(|io| io.get_ref()).and_then(|r| r.downcast_ref::<WriteFailed>()) {
        Some(WriteFailed(inner)) => {
            Error::io(format!("writing {what}"), io::Error::new(inner.kind(), inner.to_string()))
        }
        None => e,
    }
}

/// Streams the dump through the scanner into `tail`, compressed: the tail of
/// the tar (the dump's bytes, padding, end-of-archive). Returns `tail` back.
pub(super) fn write_tail<R: Read, W: Write + Send + 'static>(
    dump: R,
    tail: W,
    opts: &PackOptions,
    progress: &dyn Progress,
    what: &str,
) -> Result<(Scanned, W)> {
    let ctx = || format!("writing {what}");
    let encoder = opts.compression.encoder(tail, opts.level).context(|| "starting the compressor")?;
    // Compression gets its own core; this thread hashes and scans.
    let (scanned, tail) = scan_into(dump, MarkWrites(ThreadedWriter::new(encoder)), "packing", true, progress)
        .map_err(|e| name_write_error(e, what))?;
    let tail = tail.0;
    check_complete(&scanned, opts)?;
    let mut encoder = tail.finish().context(ctx)?;
    // The dump's bytes are in; add tar padding and end-of-archive.
    let pad = (512 - scanned.bytes % 512) % 512;
    encoder.write_all(&vec![0u8; pad as usize + 1024]).context(ctx)?;
    Ok((scanned, encoder.finish().context(ctx)?))
}

/// The head: tag files and the tar header of `data/dump.sql`, compressed as
/// a frame (member) of its own.
pub(super) fn head_bytes(
    files: &[(&'static str, Vec<u8>)],
    globals: Option<&[u8]>,
    dump_bytes: u64,
    opts: &PackOptions,
) -> Result<Vec<u8>> {
    let head = opts.compression.encoder(Vec::new(), opts.level).context(|| "starting the compressor")?;
    let mut tar = tar::Builder::new(Gate { inner: head, open: true });
    let mtime = opts.created_at.timestamp().max(0) as u64;
    let name = &opts.name;
    let dir = |tar: &mut tar::Builder<_>, d: &str| {
        let mut h = tar_header(tar::EntryType::Directory, 0, mtime);
        tar.append_data(&mut h, format!("{name}/{d}"), io::empty())
    };
    let mut write_head = || -> io::Result<()> {
        dir(&mut tar, "")?;
        for (path, bytes) in files {
            if *path == format::MANIFEST_JSON {
                dir(&mut tar, "pgbag/")?;
            }
            let mut h = tar_header(tar::EntryType::Regular, bytes.len() as u64, mtime);
            tar.append_data(&mut h, format!("{name}/{path}"), &bytes[..])?;
        }
        dir(&mut tar, "data/")?;
        if let Some(g) = globals {
            let mut h = tar_header(tar::EntryType::Regular, g.len() as u64, mtime);
            tar.append_data(&mut h, format!("{name}/{}", format::GLOBALS_SQL), g)?;
        }
        // Only the header: the data is already compressed in the tail.
        let mut h = tar_header(tar::EntryType::Regular, dump_bytes, mtime);
        tar.append_data(&mut h, format!("{name}/{}", format::DUMP_SQL), io::empty())?;
        tar.get_mut().open = false;
        Ok(())
    };
    // Writing into a Vec fails only on tar's own checks of the names, which
    // a valid bag name passes (pack checks it first): an error, not a panic,
    // all the same (issue 13: `--name ..` panicked here after the whole dump
    // had streamed).
    let ctx = || format!("building the package head of bag {name:?}");
    write_head().context(ctx)?;
    let gate = tar.into_inner().context(ctx)?;
    gate.inner.finish().context(ctx)
}

fn pack_tar<R: Read>(
    input: PackInput<R>,
    out: &Path,
    parent: &Path,
    opts: &PackOptions,
    progress: &dyn Progress,
) -> Result<PackOutcome> {
    let spool = temp_in(parent, ".tail")?;
    let spool_file = spool.reopen().context(|| format!("opening {}", spool.path().display()))?;
    let spool_ctx = || format!("writing {}", spool.path().display());
    let what = spool.path().display().to_string();
    let (scanned, tail) = write_tail(input.dump, BufWriter::with_capacity(BUF, spool_file), opts, progress, &what)?;
    tail.into_inner().map_err(|e| e.into_error()).context(spool_ctx)?;

    let dump_bytes = scanned.bytes;
    let (files, manifest, summary) =
        tag_files(input.source, input.original, input.extensions, input.globals.as_deref(), scanned, opts)?;
    let head = head_bytes(&files, input.globals.as_deref(), dump_bytes, opts)?;
    let part = temp_in(parent, ".partial")?;
    let part_ctx = || format!("writing {}", part.path().display());
    let mut file = part.reopen().context(part_ctx)?;
    file.write_all(&head).context(part_ctx)?;
    let mut tail = File::open(spool.path()).context(spool_ctx)?;
    // std's File-to-File copy uses copy_file_range: the kernel moves the bytes.
    io::copy(&mut tail, &mut file).context(part_ctx)?;
    file.sync_all().context(part_ctx)?;
    drop(file);
    publish_file(part, out, opts.force)?;
    Ok(PackOutcome { location: out.display().to_string(), manifest, summary, bytes: None, sha256: None })
}

pub(crate) fn publish_file(part: tempfile::NamedTempFile, out: &Path, force: bool) -> Result<()> {
    let res = if force { part.persist(out).map(|_| ()) } else { part.persist_noclobber(out).map(|_| ()) };
    res.map_err(|e| Error::io(format!("moving the finished package to {}", out.display()), e.error))?;
    sync_parent(out)
}

fn sync_parent(out: &Path) -> Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(parent).and_then(|d| d.sync_all()).context(|| format!("syncing directory {}", parent.display()))
}

fn pack_dir<R: Read>(
    input: PackInput<R>,
    out: &Path,
    parent: &Path,
    opts: &PackOptions,
    progress: &dyn Progress,
) -> Result<PackOutcome> {
    let tmp = tempfile::Builder::new()
        .prefix(".pgbag-")
        .tempdir_in(parent)
        .context(|| format!("creating a temporary directory in {}", parent.display()))?;
    let root = tmp.path();
    let ctx = |p: &Path| format!("writing {}", p.display());
    fs::create_dir_all(root.join("data")).context(|| ctx(root))?;
    fs::create_dir_all(root.join("pgbag")).context(|| ctx(root))?;
    let dump_path = root.join(format::DUMP_SQL);
    let dump_file = File::create(&dump_path).context(|| ctx(&dump_path))?;
    let (scanned, w) =
        scan_into(input.dump, MarkWrites(BufWriter::with_capacity(BUF, dump_file)), "packing", true, progress)
            .map_err(|e| name_write_error(e, &dump_path.display().to_string()))?;
    check_complete(&scanned, opts)?;
    let dump_file = w.0.into_inner().map_err(|e| e.into_error()).context(|| ctx(&dump_path))?;
    dump_file.sync_all().context(|| ctx(&dump_path))?;
    let (files, manifest, summary) =
        tag_files(input.source, input.original, input.extensions, input.globals.as_deref(), scanned, opts)?;
    let mut all: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    if let Some(g) = &input.globals {
        all.push((format::GLOBALS_SQL, g));
    }
    for (path, bytes) in all {
        let p = root.join(path);
        let mut f = File::create(&p).context(|| ctx(&p))?;
        f.write_all(bytes).and_then(|_| f.sync_all()).context(|| ctx(&p))?;
    }
    // On an error, `tmp` still holds the new bag and removes it when dropped.
    let replaced = if opts.force && fs::symlink_metadata(out).is_ok() {
        replace_dir(tmp.path(), out, parent)
    } else {
        fs::rename(tmp.path(), out).map(|_| None)
    }
    .context(|| format!("moving the finished bag to {}", out.display()))?;
    let _ = tmp.keep();
    sync_parent(out)?;
    if let Some(old) = replaced {
        remove_any(&old).context(|| format!("removing the replaced package, now at {}", old.display()))?;
    }
    Ok(PackOutcome { location: out.display().to_string(), manifest, summary, bytes: None, sha256: None })
}

/// Puts the finished bag `new` at `out`, which exists, so that at every
/// instant `out` is either the old package or the new one, whole: a crash
/// never leaves neither. Returns where the old package now is (inside
/// `parent`, named `.pgbag-*`), for the caller to remove once the new one
/// is in place and synced.
///
/// On Linux this is one `renameat2(RENAME_EXCHANGE)`. Where the file system
/// or kernel lacks it, the old package is first renamed aside; a crash
/// between the two renames then leaves it whole under its `.pgbag-*` name.
fn replace_dir(new: &Path, out: &Path, parent: &Path) -> io::Result<Option<PathBuf>> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        // CWD resolves relative paths as fs::rename does.
        match renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Some(new.to_path_buf())), // the old package now sits at `new`
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    replace_aside(new, out, parent)
}

/// `replace_dir` without the atomic exchange: the old package is renamed
/// aside first, then the new one into place.
fn replace_aside(new: &Path, out: &Path, parent: &Path) -> io::Result<Option<PathBuf>> {
    let aside = tempfile::Builder::new().prefix(".pgbag-old-").tempdir_in(parent)?.keep();
    fs::remove_dir(&aside)?; // only its unique name is wanted
    fs::rename(out, &aside)?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(&aside, out); // put the old package back
        return Err(e);
    }
    Ok(Some(aside))
}

fn remove_any(p: &Path) -> io::Result<()> {
    if fs::symlink_metadata(p)?.is_dir() { fs::remove_dir_all(p) } else { fs::remove_file(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pack wrote a schema.json of 400,000 tables (some 440 MB), which its
    /// own validate then refused as over its cap. A tag file over its cap is
    /// now refused before anything is published (and the summary builder
    /// stops at its cap before that: see schema/tests.rs).
    #[test]
    fn a_tag_file_over_its_cap_is_refused_before_the_package_is_written() {
        let at_cap = vec![b'x'; format::tag_file_cap(format::BAGIT_TXT) as usize];
        assert!(within_caps(&[(format::BAGIT_TXT, at_cap.clone())], 0).is_ok());
        let over = [at_cap, b"x".to_vec()].concat();
        let err = within_caps(&[(format::BAGIT_TXT, over)], 7).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Operational);
        let msg = err.to_string();
        assert!(msg.contains("bagit.txt") && msg.contains("4 KiB") && msg.contains("7 tables"), "{msg}");
        assert!(msg.contains("nothing was written"), "{msg}");
    }

    /// A folder `name` in `parent` holding one file `marker` with `text`.
    fn bag(parent: &Path, name: &str, text: &str) -> PathBuf {
        let p = parent.join(name);
        fs::create_dir(&p).unwrap();
        fs::write(p.join("marker"), text).unwrap();
        p
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    fn check_replace(f: fn(&Path, &Path, &Path) -> io::Result<Option<PathBuf>>) {
        let dir = tempfile::tempdir().unwrap();
        let new = bag(dir.path(), ".pgbag-new", "new");
        let out = bag(dir.path(), "pkg", "old");
        let old = f(&new, &out, dir.path()).unwrap().expect("the old package's new place");
        assert_eq!(fs::read_to_string(out.join("marker")).unwrap(), "new");
        assert_eq!(fs::read_to_string(old.join("marker")).unwrap(), "old", "the old package is whole until removed");
        assert!(old.parent() == Some(dir.path()) && old.file_name().unwrap().to_str().unwrap().starts_with(".pgbag-"));
        remove_any(&old).unwrap();
        assert_eq!(names(dir.path()), ["pkg"]);
    }

    #[test]
    fn replace_dir_swaps_the_old_bag_for_the_new() {
        check_replace(replace_dir);
    }

    #[test]
    fn replace_aside_swaps_the_old_bag_for_the_new() {
        check_replace(replace_aside);
    }

    #[test]
    fn replace_dir_replaces_a_file_too() {
        let dir = tempfile::tempdir().unwrap();
        let new = bag(dir.path(), ".pgbag-new", "new");
        let out = dir.path().join("pkg");
        fs::write(&out, "a file").unwrap();
        let old = replace_dir(&new, &out, dir.path()).unwrap().unwrap();
        assert_eq!(fs::read_to_string(out.join("marker")).unwrap(), "new");
        remove_any(&old).unwrap();
        assert_eq!(names(dir.path()), ["pkg"]);
    }
}
