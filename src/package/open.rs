//! An opened package: the one handle through which a package is validated,
//! inspected and restored, so that what is restored is what was checked.
//!
//! [`OpenPackage::open`] opens a local file once. Every later read (the
//! content probe, [`validate`](OpenPackage::validate), [`head`](OpenPackage::head),
//! [`with_dump`](OpenPackage::with_dump)) reads that same open file with
//! positioned reads (`pread`), each from its own offset, so replacing the path
//! after validation (a rename over it) changes nothing. A bag directory's
//! `data/dump.sql` is opened once the same way. An S3 object is already
//! pinned by its version or ETag when the [`Input`] is opened.
//!
//! [`with_dump`](OpenPackage::with_dump) hashes the dump while it streams.
//! At the end of the dump it returns an `io::Error` carrying
//! [`DigestMismatch`] **instead of** a clean end of file when the bytes or
//! their SHA-256 differ from what was validated (or, without validation,
//! from `manifest-sha256.txt` read in the same pass): a consumer that copies
//! the reader into psql fails before it would close psql's stdin, so a file
//! rewritten in place after validation is never committed. It fails early
//! too, as soon as the dump is longer than expected. For a package the
//! reader also checks that the dump is the archive's last entry.
//!
//! Restore uses it like this:
//!
//! ```no_run
//! # use pgbag::package::OpenPackage;
//! # use pgbag::progress::NoProgress;
//! # fn f(input: &pgbag::store::Input) -> pgbag::error::Result<()> {
//! let pkg = OpenPackage::open(input)?;
//! let (report, scanned) = pkg.validate(&NoProgress)?; // records the dump's digest
//! let head = pkg.head()?; // manifest.json and schema.json, from the same file
//! pkg.with_dump(|dump| {
//!     // copy `dump` into psql; a DigestMismatch arrives as a read error
//!     // before the end of the dump
//!     # let _ = dump;
//!     Ok(())
//! })?;
//! # Ok(()) }
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::entries::{BagReader, Class};
use super::format;
use super::reader::{self, Head, InputKind, Probe};
use super::scan::Scanned;
use super::validate::{self, Report};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use crate::store::Input;

/// What the dump must be: its SHA-256 and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpDigest {
    pub sha256: String,
    pub bytes: Option<u64>,
}

/// The dump's bytes are not the ones expected. Carried inside the
/// `io::Error` that [`OpenPackage::with_dump`]'s reader returns in place of
/// its end of file; find it with [`DigestMismatch::find`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestMismatch {
    pub expected: DumpDigest,
    /// The SHA-256 read, `None` when the dump was longer than expected (the
    /// read stopped there).
    pub sha256: Option<String>,
    pub bytes: u64,
}

impl DigestMismatch {
    /// The mismatch inside an `io::Error`, if that is what it is.
    pub fn find(e: &io::Error) -> Option<&DigestMismatch> {
        e.get_ref().and_then(|i| i.downcast_ref::<DigestMismatch>())
    }

    /// The mismatch inside a pgbag error (`Error::io_error`), if any.
    pub fn in_error(e: &Error) -> Option<&DigestMismatch> {
        e.io_error().and_then(DigestMismatch::find)
    }
}

impl std::fmt::Display for DigestMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sha256 {
            None => write!(
                f,
                "data/dump.sql is longer than the {} bytes checked: the package changed after it was opened",
                self.expected.bytes.unwrap_or_default()
            ),
            Some(sha) => write!(
                f,
                "data/dump.sql read as {} bytes with SHA-256 {sha}, but {} bytes with SHA-256 {} were checked: \
                 the package changed after it was opened",
                self.bytes,
                self.expected.bytes.map(|b| b.to_string()).unwrap_or_else(|| "?".into()),
                self.expected.sha256
            ),
        }
    }
}

impl std::error::Error for DigestMismatch {}

/// A package (or bare dump) opened once; see the module docs.
pub struct OpenPackage {
    input: Input,
    /// The local file, opened once.
    file: Option<Arc<File>>,
    /// A bag directory's `data/dump.sql`, opened once.
    dir_dump: Option<Arc<File>>,
    probe: Probe,
    /// The dump's digest as validated.
    validated: Mutex<Option<DumpDigest>>,
}

impl std::fmt::Debug for OpenPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OpenPackage({})", self.input)
    }
}

impl OpenPackage {
    /// Opens `input` and looks at its content. Fails only when it cannot be
    /// opened or read; content that does not decode is a verdict that
    /// [`validate`](Self::validate) reports and [`kind`](Self::kind) refuses.
    pub fn open(input: &Input) -> Result<OpenPackage> {
        let mut pkg = OpenPackage {
            input: input.clone(),
            file: None,
            dir_dump: None,
            probe: Probe::Dir,
            validated: Mutex::default(),
        };
        if let Some(path) = input.path() {
            let meta = std::fs::metadata(path).context(|| format!("reading {}", path.display()))?;
            if meta.is_dir() {
                pkg.probe = reader::probe_dir(path);
                pkg.dir_dump = open_nofollow(&path.join(format::DUMP_SQL)).map(Arc::new);
                return Ok(pkg);
            }
            pkg.file = Some(Arc::new(File::open(path).context(|| format!("opening {}", path.display()))?));
        }
        pkg.probe = reader::probe(pkg.raw_head()?, input)?;
        Ok(pkg)
    }

    pub fn input(&self) -> &Input {
        &self.input
    }

    /// What the input holds; an `Invalid` error that says what it is
    /// instead when it is not a package or a dump, or does not decode
    /// (spec/inputs.md).
    pub fn kind(&self) -> Result<InputKind> {
        self.probe.kind(&self.input)
    }

    pub(crate) fn probe(&self) -> &Probe {
        &self.probe
    }

    /// Streams the whole file or object from its start.
    pub fn raw(&self) -> Result<Box<dyn Read + Send>> {
        match &self.file {
            Some(f) => Ok(Box::new(FileAt { file: f.clone(), pos: 0 })),
            None => self.input.open(),
        }
    }

    /// Like [`raw`](Self::raw), for reading only the first bytes (ranged
    /// GETs for a remote object).
    pub fn raw_head(&self) -> Result<Box<dyn Read + Send>> {
        match &self.file {
            Some(f) => Ok(Box::new(FileAt { file: f.clone(), pos: 0 })),
            None => self.input.open_head(),
        }
    }

    /// A bag directory's `data/dump.sql`, as opened, read from its start.
    pub(crate) fn dir_dump(&self) -> Option<Box<dyn Read + Send>> {
        self.dir_dump.as_ref().map(|f| Box::new(FileAt { file: f.clone(), pos: 0 }) as Box<dyn Read + Send>)
    }

    /// Validates the package (spec §6) and, when it is valid, records the
    /// dump's digest for [`with_dump`](Self::with_dump). Also gives back the
    /// dump's one-pass results (restore needs its meta-command lines).
    pub fn validate(&self, progress: &dyn Progress) -> Result<(Report, Option<Scanned>)> {
        let (report, scanned) = validate::validate_open(self, progress)?;
        if report.valid
            && let Some(s) = &scanned
        {
            *self.validated.lock().unwrap_or_else(|p| p.into_inner()) =
                Some(DumpDigest { sha256: s.sha256.clone(), bytes: Some(s.bytes) });
        }
        Ok((report, scanned))
    }

    /// Holds a bare dump to `digest` (what a scan of it found), so that
    /// [`with_dump`](Self::with_dump) fails unless it reads the same bytes
    /// again. Packages get theirs from [`validate`](Self::validate).
    pub fn expect_dump(&self, digest: DumpDigest) {
        *self.validated.lock().unwrap_or_else(|p| p.into_inner()) = Some(digest);
    }

    /// The digest `with_dump` holds the dump to: the validated one, if
    /// [`validate`](Self::validate) found the package valid.
    pub fn validated_digest(&self) -> Option<DumpDigest> {
        self.validated.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reads only the head (the tag files) of the package.
    pub fn head(&self) -> Result<Head> {
        reader::head_of(self)
    }

    /// Calls `f` with a reader over `data/dump.sql` (or over a bare dump,
    /// decompressed) that fails instead of ending when the dump is not the
    /// one expected (module docs). A callback, because a tar entry's
    /// contents are read through the archive's reader.
    pub fn with_dump<T>(&self, f: impl FnOnce(&mut dyn BufRead) -> Result<T>) -> Result<T> {
        let kind = self.kind()?;
        let validated = self.validated_digest();
        match kind {
            InputKind::Sql(_) => {
                let (decoded, _) =
                    super::compress::open_decoded(self.raw()?).context(|| format!("reading {}", self.input))?;
                match validated {
                    Some(expected) => {
                        f(&mut BufReader::with_capacity(1 << 20, Verified::new(PlainDump(decoded), expected)))
                    }
                    None => f(&mut BufReader::with_capacity(1 << 20, decoded)),
                }
            }
            InputKind::Dir => {
                let path = self.input.path().ok_or_else(|| Error::usage("a bag directory must be local"))?;
                let file = self.dir_dump().ok_or_else(|| {
                    Error::invalid(format!("{} has no data/dump.sql (or it is not a regular file)", path.display()))
                })?;
                let expected = match validated {
                    Some(d) => d,
                    None => dir_manifest_digest(path)?,
                };
                f(&mut BufReader::with_capacity(1 << 20, Verified::new(PlainDump(file), expected)))
            }
            InputKind::Tar(_) => self.with_tar_dump(validated, f),
        }
    }

    fn with_tar_dump<T>(
        &self,
        validated: Option<DumpDigest>,
        f: impl FnOnce(&mut dyn BufRead) -> Result<T>,
    ) -> Result<T> {
        let input = &self.input;
        let mut bag = BagReader::new(self.raw()?).context(|| format!("reading {input}"))?;
        let mut listed: Option<String> = None;
        let fault = |e: super::entries::Fault| match e {
            super::entries::Fault::Store(e) => Error::io(format!("reading {input}"), e),
            e => Error::invalid(format!("{input}: {e}; run `pgbag validate` for details")),
        };
        while let Some(entry) = bag.next_entry().map_err(fault)? {
            match &entry.class {
                Class::Refused(r) => {
                    return Err(Error::invalid(format!(
                        "{input}: entry `{}` {}; the package is unsafe, run `pgbag validate`",
                        entry.stored, r.why
                    )));
                }
                Class::Tag if entry.rel == format::MANIFEST_TXT => {
                    let text = reader::read_tag_entry(&mut bag, &entry, input)?;
                    let (lines, _) = format::parse_manifest(&String::from_utf8_lossy(&text));
                    listed = lines.into_iter().find(|l| l.path == format::DUMP_SQL).map(|l| l.sha256);
                }
                Class::Payload { .. } if entry.rel == format::DUMP_SQL => {
                    let expected = match (validated, listed) {
                        (Some(d), _) => d,
                        (None, Some(sha256)) => DumpDigest { sha256, bytes: Some(entry.size) },
                        (None, None) => {
                            return Err(Error::invalid(format!(
                                "{input}: manifest-sha256.txt lists no checksum for data/dump.sql, so it cannot be \
                                 checked while it is restored; run `pgbag validate`"
                            )));
                        }
                    };
                    let verified = Verified::new(TarDump(&mut bag), expected);
                    return f(&mut BufReader::with_capacity(1 << 20, verified));
                }
                _ => {}
            }
        }
        Err(Error::invalid(format!("{input} has no data/dump.sql")))
    }
}

/// For a bag directory read without validation: the dump's line in
/// `manifest-sha256.txt`.
fn dir_manifest_digest(bag: &Path) -> Result<DumpDigest> {
    let p = bag.join(format::MANIFEST_TXT);
    let text = std::fs::read(&p).context(|| format!("reading {}", p.display()))?;
    let (lines, _) = format::parse_manifest(&String::from_utf8_lossy(&text));
    let sha256 = lines.into_iter().find(|l| l.path == format::DUMP_SQL).map(|l| l.sha256).ok_or_else(|| {
        Error::invalid(format!("{} lists no checksum for data/dump.sql; run `pgbag validate`", p.display()))
    })?;
    Ok(DumpDigest { sha256, bytes: None })
}

fn open_nofollow(p: &Path) -> Option<File> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(p, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty()).ok()?;
    let f = File::from(fd);
    f.metadata().ok().filter(|m| m.is_file()).map(|_| f)
}

/// Reads a file from its own offset with `pread`, so that several readers
/// of one open file never move each other.
struct FileAt {
    file: Arc<File>,
    pos: u64,
}

impl Read for FileAt {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Where a dump's bytes come from, and what must hold once they end.
trait DumpSource {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;

    fn at_end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct PlainDump<R>(R);

impl<R: Read> DumpSource for PlainDump<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// The dump entry of a package. It is the archive's last entry: nothing but
/// the end-of-archive blocks may follow it (GNU tar would extract a second
/// copy over the first).
struct TarDump<'r, 'a>(&'r mut BagReader<'a>);

impl DumpSource for TarDump<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.data().read(buf)
    }

    fn at_end(&mut self) -> io::Result<()> {
        let bad = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
        match self.0.next_entry() {
            Ok(None) => {}
            Ok(Some(e)) => return Err(bad(format!("entry `{}` follows data/dump.sql, which must be last", e.stored))),
            Err(f) => return Err(bad(f.to_string())),
        }
        match self.0.finish() {
            Ok(false) => Ok(()),
            Ok(true) => Err(bad("non-zero bytes follow the end of the archive".into())),
            Err(f) => Err(bad(f.to_string())),
        }
    }
}

/// Hashes what passes and, at its end, fails unless it was `expected`.
struct Verified<S> {
    inner: S,
    expected: DumpDigest,
    hasher: sha2::Sha256,
    bytes: u64,
    done: bool,
}

impl<S: DumpSource> Verified<S> {
    fn new(inner: S, expected: DumpDigest) -> Self {
        use sha2::Digest;
        Verified { inner, expected, hasher: sha2::Sha256::new(), bytes: 0, done: false }
    }

    fn mismatch(&self, sha256: Option<String>) -> io::Error {
        let m = DigestMismatch { expected: self.expected.clone(), sha256, bytes: self.bytes };
        io::Error::new(io::ErrorKind::InvalidData, m)
    }
}

impl<S: DumpSource> Read for Verified<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use sha2::Digest;
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        if self.expected.bytes.is_some_and(|limit| self.bytes > limit) {
            return Err(self.mismatch(None));
        }
        if n > 0 {
            return Ok(n);
        }
        let sha256 = crate::stream::hex(&std::mem::take(&mut self.hasher).finalize());
        if sha256 != self.expected.sha256 || self.expected.bytes.is_some_and(|b| b != self.bytes) {
            return Err(self.mismatch(Some(sha256)));
        }
        self.inner.at_end()?;
        self.done = true;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;

    use super::*;
    use crate::progress::NoProgress;

    /// The good sample package, uncompressed (so a byte of the dump can be
    /// changed in place), and the offset and bytes of its dump.
    fn plain_package(dir: &Path) -> (std::path::PathBuf, u64, Vec<u8>) {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/packages/good.tar.zst");
        let (mut d, _) = super::super::compress::open_decoded(File::open(sample).unwrap()).unwrap();
        let mut tar = Vec::new();
        d.read_to_end(&mut tar).unwrap();
        let path = dir.join("good.tar");
        std::fs::write(&path, &tar).unwrap();
        let pkg = OpenPackage::open(&Input::local(&path)).unwrap();
        let dump = read_all(&pkg).unwrap();
        let at = tar.windows(dump.len()).position(|w| w == dump.as_slice()).unwrap() as u64;
        (path, at, dump)
    }

    fn read_all(pkg: &OpenPackage) -> Result<Vec<u8>> {
        pkg.with_dump(|r| {
            let mut v = Vec::new();
            r.read_to_end(&mut v).map_err(|e| Error::io("reading the dump", e))?;
            Ok(v)
        })
    }

    fn rewrite_in_place(path: &Path, at: u64) {
        let f = OpenOptions::new().write(true).open(path).unwrap();
        let mut b = [0u8];
        File::open(path).unwrap().read_exact_at(&mut b, at).unwrap();
        f.write_all_at(&[b[0] ^ 0x20], at).unwrap();
        f.sync_all().unwrap();
    }

    #[test]
    fn a_package_rewritten_in_place_after_validation_fails_at_the_end_of_the_dump() {
        let dir = tempfile::tempdir().unwrap();
        let (path, at, dump) = plain_package(dir.path());
        let pkg = OpenPackage::open(&Input::local(&path)).unwrap();
        let (report, _) = pkg.validate(&NoProgress).unwrap();
        assert!(report.valid, "{:?}", report.findings);
        assert_eq!(pkg.validated_digest().unwrap().bytes, Some(dump.len() as u64));
        rewrite_in_place(&path, at + 10); // the same inode: the open file sees it
        let err = read_all(&pkg).unwrap_err();
        let m = DigestMismatch::in_error(&err).unwrap_or_else(|| panic!("not a digest mismatch: {err}"));
        assert_eq!(m.bytes, dump.len() as u64);
        assert_ne!(m.sha256.as_deref(), Some(m.expected.sha256.as_str()));
        assert_eq!(err.io_error().unwrap().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn without_validation_the_dump_is_held_to_the_manifest_read_in_the_same_pass() {
        let dir = tempfile::tempdir().unwrap();
        let (path, at, _) = plain_package(dir.path());
        let pkg = OpenPackage::open(&Input::local(&path)).unwrap();
        rewrite_in_place(&path, at + 10);
        let err = read_all(&pkg).unwrap_err();
        assert!(DigestMismatch::in_error(&err).is_some(), "{err}");
    }

    #[test]
    fn a_package_replaced_by_rename_after_validation_is_still_the_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let (path, at, dump) = plain_package(dir.path());
        let pkg = OpenPackage::open(&Input::local(&path)).unwrap();
        assert!(pkg.validate(&NoProgress).unwrap().0.valid);
        let other = dir.path().join("other.tar");
        std::fs::copy(&path, &other).unwrap();
        rewrite_in_place(&other, at + 10);
        std::fs::rename(&other, &path).unwrap();
        assert_eq!(read_all(&pkg).unwrap(), dump, "the file validated is the file read");
        // A fresh open sees the replacement, and it does not pass.
        let fresh = OpenPackage::open(&Input::local(&path)).unwrap();
        assert!(DigestMismatch::in_error(&read_all(&fresh).unwrap_err()).is_some());
    }

    #[test]
    fn a_dump_that_grows_fails_as_soon_as_it_is_longer_than_checked() {
        let expected = DumpDigest { sha256: crate::stream::sha256_hex(b"abc"), bytes: Some(3) };
        let mut r = Verified::new(PlainDump(&b"abcd"[..]), expected.clone());
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(DigestMismatch::find(&err).unwrap().sha256, None);
        let mut r = Verified::new(PlainDump(&b"abc"[..]), expected);
        let mut out = Vec::new();
        assert_eq!(r.read_to_end(&mut out).unwrap(), 3);
    }
}
