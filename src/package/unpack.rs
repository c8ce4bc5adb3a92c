//! `unpack`: a tar package extracted into a bag directory, safely.
//!
//! The archive is never trusted, and tar's own extraction is never used (it
//! has its own ideas about links, permissions and existing files). Unpack is
//! validate's pass (`validate::walk_tar`, through the one bag reader of
//! `entries.rs`) with a sink that writes what it reads, so it keeps exactly
//! the packages `validate` accepts, judged on the archive (entry order,
//! trailing bytes, end-of-archive blocks), not on the extracted folder:
//! - every entry is classified before anything is written for it; a refused
//!   entry (unsafe name, link, device, duplicate, second root, conflicting
//!   names) refuses the whole unpack;
//! - everything is written below a fresh private temporary folder `.pgbag-*`
//!   inside the destination; files are created with `create_new` (`O_EXCL`:
//!   never through a link, never over another file), folders one checked
//!   component at a time; permissions come from the umask, not the archive;
//! - tag files are held to their caps and the head guard stops decompression
//!   bombs (`guard.rs`);
//! - the folder is renamed into place only if the archive is valid.
//!
//! Any refusal or error removes the temporary folder: the destination is left
//! exactly as it was.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::entries::{BagReader, Entry, Refusal};
use super::findings::Findings;
use super::open::OpenPackage;
use super::reader::InputKind;
use super::validate::{self, Report};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use crate::store::{Input, Tripwire};

/// What `unpack` did.
#[derive(Debug)]
pub enum Unpacked {
    /// Extracted, valid, and now at this path.
    Done { path: PathBuf, report: Report },
    /// Extracted, found invalid, and removed: nothing was written.
    Invalid(Report),
}

/// Extracts the tar package `input` into `dir/<bag name>/`, validated as it
/// is read and kept only if valid. Unsafe entries are refused with an
/// `Invalid` error naming the entry; an existing `dir/<bag name>` is refused
/// with a `Usage` error.
pub fn unpack(input: &Input, dir: &Path, progress: &dyn Progress) -> Result<Unpacked> {
    let pkg = OpenPackage::open(input)?;
    match pkg.kind()? {
        InputKind::Tar(_) => {}
        InputKind::Dir => {
            return Err(Error::usage(format!("{input} is already a bag directory; there is nothing to unpack")));
        }
        InputKind::Sql(_) => {
            return Err(Error::usage(format!(
                "{input} is a bare dump, not a package: there is nothing to unpack; `pgbag pack --sql` packages it"
            )));
        }
    }
    if !dir.is_dir() {
        return Err(Error::usage(format!("{} is not a directory; create it first", dir.display())));
    }
    let tmp = tempfile::Builder::new()
        .prefix(".pgbag-")
        .tempdir_in(dir)
        .context(|| format!("creating a temporary directory in {}", dir.display()))?;
    let (raw, tripped) = Tripwire::new(pkg.raw()?);
    let mut findings = Findings::default();
    let mut sink = Extract { input, dir, tmp: tmp.path() };
    let walked = BagReader::new(raw)
        .context(|| format!("reading {input}"))
        .and_then(|mut bag| validate::walk_tar(&mut bag, &mut findings, progress, &mut sink));
    // A read that failed in the store is not damage in the package.
    if let Some(why) = tripped.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(Error::operational(format!("unpacking {input} stopped: {why}")));
    }
    let facts = walked?;
    if progress.cancelled() {
        return Err(Error::operational("interrupted; nothing was unpacked"));
    }
    validate::check_bag(&facts, &mut findings);
    let report = Report::of(pkg.kind()?, input, findings, None);
    let Some(name) = facts.root.clone().filter(|_| report.valid) else {
        return Ok(Unpacked::Invalid(report)); // `tmp` is removed as it drops
    };
    let bag = tmp.path().join(&name);
    let dest = dir.join(&name);
    // Reserve the name atomically (rename(2) would replace an empty folder),
    // then move the bag over the reservation.
    fs::create_dir(&dest).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => exists(&dest),
        _ => Error::io(format!("creating {}", dest.display()), e),
    })?;
    if let Err(e) = fs::rename(&bag, &dest) {
        let _ = fs::remove_dir(&dest);
        return Err(Error::io(format!("moving the unpacked bag to {}", dest.display()), e));
    }
    File::open(dir).and_then(|d| d.sync_all()).context(|| format!("syncing directory {}", dir.display()))?;
    Ok(Unpacked::Done { path: dest, report })
}

fn exists(dest: &Path) -> Error {
    Error::usage(format!("{} already exists; remove it or unpack elsewhere (-o DIR)", dest.display()))
}

/// Where validate's pass puts what it reads: nowhere (validate) or a
/// temporary folder (unpack).
pub(super) trait Sink {
    /// An entry the reader refused; unpack stops here.
    fn refused(&mut self, _entry: &Entry, _why: &Refusal) -> Result<()> {
        Ok(())
    }

    /// The bag's folder or a folder inside it.
    fn folder(&mut self, _entry: &Entry) -> Result<()> {
        Ok(())
    }

    /// A new file for a tag or payload file's contents, if they are kept.
    fn file(&mut self, _entry: &Entry) -> Result<Option<File>> {
        Ok(None)
    }
}

/// Validate keeps nothing.
pub(super) struct Discard;

impl Sink for Discard {}

struct Extract<'a> {
    input: &'a Input,
    dir: &'a Path,
    tmp: &'a Path,
}

impl Extract<'_> {
    fn refuse(&self, entry: &Entry, why: &str) -> Error {
        Error::invalid(format!(
            "{}: entry `{}` {why}; refusing to unpack it (nothing was written)",
            self.input, entry.stored
        ))
    }

    /// Creates the folders down to `entry` (inclusive when `itself`), one
    /// checked component at a time.
    fn folders(&self, entry: &Entry, itself: bool) -> Result<PathBuf> {
        let mut target = self.tmp.join(&entry.root);
        ensure_dir(&target).map_err(|why| self.refuse(entry, &why))?;
        let parts: Vec<&str> = entry.rel.split('/').filter(|p| !p.is_empty()).collect();
        let Some((last, parents)) = parts.split_last() else { return Ok(target) };
        for part in parents {
            target.push(part);
            ensure_dir(&target).map_err(|why| self.refuse(entry, &why))?;
        }
        target.push(last);
        if itself {
            ensure_dir(&target).map_err(|why| self.refuse(entry, &why))?;
        }
        Ok(target)
    }
}

impl Sink for Extract<'_> {
    fn refused(&mut self, entry: &Entry, why: &Refusal) -> Result<()> {
        Err(self.refuse(entry, &why.why))
    }

    fn folder(&mut self, entry: &Entry) -> Result<()> {
        if entry.rel.is_empty() && fs::symlink_metadata(self.dir.join(&entry.root)).is_ok() {
            return Err(exists(&self.dir.join(&entry.root)));
        }
        self.folders(entry, true).map(|_| ())
    }

    fn file(&mut self, entry: &Entry) -> Result<Option<File>> {
        if fs::symlink_metadata(self.dir.join(&entry.root)).is_ok() {
            return Err(exists(&self.dir.join(&entry.root)));
        }
        let target = self.folders(entry, false)?;
        match OpenOptions::new().write(true).create_new(true).open(&target) {
            Ok(f) => Ok(Some(f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Err(self.refuse(entry, "clashes with another entry of the same name"))
            }
            Err(e) => Err(Error::io(format!("creating {}", target.display()), e)),
        }
    }
}

/// Creates a folder, or accepts one this extraction already made; anything
/// else at that name (a file) is a clash.
fn ensure_dir(path: &Path) -> Result<(), String> {
    match fs::create_dir(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => Ok(()),
            _ => Err(format!("clashes with the file {}", path.display())),
        },
        Err(e) => Err(format!("cannot be created ({}: {e})", path.display())),
    }
}
