//! `unpack`: a tar package extracted into a bag directory, safely.
//!
//! The archive is never trusted, and tar's own `unpack` is never used (it
//! has its own ideas about links, permissions and existing files):
//! - every entry is checked before anything is written for it: one top-level
//!   folder, a plain relative UTF-8 name (no absolute path, no `..`, no NUL),
//!   a regular file or a directory (no link, device or FIFO), never twice;
//! - everything is written below a fresh private temporary folder `.pgbag-*`
//!   inside the destination; files are created with `create_new` (`O_EXCL`:
//!   never through a link, never over another file), folders one checked
//!   component at a time; permissions come from the umask, not the archive;
//! - tag files are held to their caps and the head guard stops decompression
//!   bombs (`guard.rs`);
//! - the extracted bag is validated and renamed into place only if valid.
//!
//! Any refusal or error removes the temporary folder: the destination is left
//! exactly as it was.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use super::format;
use super::guard::{HeadGuard, open_guarded};
use super::reader::{self, InputKind};
use super::validate::{Report, validate};
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

/// Extracts the tar package `input` into `dir/<bag name>/`, validated before
/// it is kept. Unsafe entries are refused with an `Invalid` error naming the
/// entry; an existing `dir/<bag name>` is refused with a `Usage` error.
pub fn unpack(input: &Input, dir: &Path, progress: &dyn Progress) -> Result<Unpacked> {
    match reader::detect(input)? {
        InputKind::Tar(_) => {}
        InputKind::Dir => {
            return Err(Error::usage(format!("{input} is already a bag directory; there is nothing to unpack")));
        }
        InputKind::Sql(_) => {
            return Err(Error::usage(format!(
                "{input} is a bare SQL dump, not a package; `pgbag pack --sql` packages it"
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
    let (raw, tripped) = Tripwire::new(input.open()?);
    let extracted = extract(raw, input, dir, tmp.path(), progress);
    // A read that failed in the store is not damage in the package.
    if let Some(why) = tripped.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(Error::operational(format!("unpacking {input} stopped: {why}")));
    }
    let name = extracted?;
    let bag = tmp.path().join(&name);
    let report = validate(&Input::local(&bag), progress)?;
    if !report.valid {
        return Ok(Unpacked::Invalid(report)); // `tmp` is removed as it drops
    }
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

/// An entry that passed the checks.
#[derive(Debug, PartialEq, Eq)]
struct Checked {
    root: String,
    /// Components below the root; empty for the root folder itself.
    rel: Vec<String>,
    dir: bool,
}

/// Checks one entry's name and type; the error says why it is refused.
fn check(path: &[u8], kind: tar::EntryType) -> Result<Checked, String> {
    if path.contains(&0) {
        return Err("has a NUL byte in its name".into());
    }
    let p = std::str::from_utf8(path).map_err(|_| "has a name that is not UTF-8".to_string())?;
    if let Some(why) = reader::unsafe_path(p) {
        return Err(format!("has {why}"));
    }
    let mut parts = Vec::new();
    for c in Path::new(p).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str().expect("a UTF-8 name has UTF-8 components").to_string()),
            Component::CurDir => {}
            _ => return Err("has an unsafe name".into()),
        }
    }
    if parts.is_empty() {
        return Err("has an empty name".into());
    }
    let dir = match kind {
        tar::EntryType::Directory => true,
        tar::EntryType::Regular | tar::EntryType::Continuous => false,
        tar::EntryType::Symlink => return Err("is a symbolic link; packages hold only files and folders".into()),
        tar::EntryType::Link => return Err("is a hard link; packages hold only files and folders".into()),
        tar::EntryType::Char | tar::EntryType::Block => return Err("is a device file".into()),
        tar::EntryType::Fifo => return Err("is a FIFO".into()),
        other => return Err(format!("is a {other:?} entry; packages hold only files and folders")),
    };
    let root = parts.remove(0);
    if parts.is_empty() && !dir {
        return Err("is a file at the top level; a package holds one folder".into());
    }
    Ok(Checked { root, rel: parts, dir })
}

/// Extracts every entry below `tmp`; returns the bag's name.
fn extract(raw: impl Read, input: &Input, dir: &Path, tmp: &Path, progress: &dyn Progress) -> Result<String> {
    let (decoded, _, guard) = open_guarded(raw).context(|| format!("reading {input}"))?;
    let mut archive = tar::Archive::new(decoded);
    let mut root: Option<String> = None;
    let mut seen = BTreeSet::new();
    let refuse = |path: &str, why: &str| {
        Error::invalid(format!("{input}: entry `{path}` {why}; refusing to unpack it (nothing was written)"))
    };
    progress.start("unpacking", Some(input.len()));
    for entry in archive.entries().map_err(|e| damaged(input, &guard, e))? {
        if progress.cancelled() {
            return Err(Error::operational("interrupted; nothing was unpacked"));
        }
        let mut entry = entry.map_err(|e| damaged(input, &guard, e))?;
        let shown = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let c = check(&entry.path_bytes(), entry.header().entry_type()).map_err(|why| refuse(&shown, &why))?;
        match &root {
            None => {
                if fs::symlink_metadata(dir.join(&c.root)).is_ok() {
                    return Err(exists(&dir.join(&c.root)));
                }
                root = Some(c.root.clone());
            }
            Some(r) if *r != c.root => {
                return Err(refuse(
                    &shown,
                    &format!("is outside the top-level folder `{r}`: a second top-level folder"),
                ));
            }
            Some(_) => {}
        }
        if !seen.insert(c.rel.join("/")) {
            return Err(refuse(&shown, "appears twice"));
        }
        // Folders one component at a time, each checked to be a real folder.
        let mut target = tmp.join(&c.root);
        let (last, parents) = match c.rel.split_last() {
            Some((last, parents)) => (Some(last), parents),
            None => (None, &[][..]),
        };
        ensure_dir(&target).map_err(|why| refuse(&shown, &why))?;
        for part in parents {
            target.push(part);
            ensure_dir(&target).map_err(|why| refuse(&shown, &why))?;
        }
        let Some(last) = last else { continue };
        target.push(last);
        if c.dir {
            ensure_dir(&target).map_err(|why| refuse(&shown, &why))?;
            continue;
        }
        let rel = c.rel.join("/");
        let payload = rel.starts_with("data/");
        let size = entry.size();
        if !payload && size > format::tag_file_cap(&rel) {
            return Err(reader::tag_too_large(&rel, Some(size)));
        }
        let file = match OpenOptions::new().write(true).create_new(true).open(&target) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(refuse(&shown, "clashes with another entry of the same name"));
            }
            Err(e) => return Err(Error::io(format!("creating {}", target.display()), e)),
        };
        if payload {
            guard.disarm(); // a payload file is streamed, never held
        }
        let copied = copy_file(&mut entry, file, &target, &guard, input, progress);
        guard.arm();
        let n = copied?;
        if n != size {
            return Err(Error::invalid(format!("{input}: {rel} ends after {n} of its {size} bytes; it is truncated")));
        }
    }
    // Decode to the end, so the compressed stream's trailer (zstd frame
    // checksum, gzip CRC) is checked too.
    io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(|e| damaged(input, &guard, e))?;
    progress.finish();
    root.ok_or_else(|| Error::invalid(format!("{input} holds no entries; there is nothing to unpack")))
}

/// Writes an entry's contents to a new file and syncs it; returns the bytes.
fn copy_file(
    entry: &mut impl Read,
    file: File,
    target: &Path,
    guard: &HeadGuard,
    input: &Input,
    progress: &dyn Progress,
) -> Result<u64> {
    let ctx = || format!("writing {}", target.display());
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        if progress.cancelled() {
            return Err(Error::operational("interrupted; nothing was unpacked"));
        }
        let k = match entry.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(damaged(input, guard, e)),
        };
        out.write_all(&buf[..k]).context(ctx)?;
        n += k as u64;
        progress.bytes(guard.consumed());
    }
    let file = out.into_inner().map_err(|e| e.into_error()).context(ctx)?;
    file.sync_all().context(ctx)?;
    Ok(n)
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

/// A read failure: the guard's verdict if it stopped the read, else damage.
fn damaged(input: &Input, guard: &HeadGuard, e: io::Error) -> Error {
    match guard.tripped() {
        Some(trip) => Error::invalid(format!("{input}: {trip}")),
        None => Error::invalid(format!(
            "{input} cannot be read to its end ({e}); it is damaged or truncated, `pgbag validate` says more. \
             Nothing was unpacked"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tar::EntryType::*;

    #[test]
    fn safe_names_and_types_pass() {
        let c = check(b"bag/data/dump.sql", Regular).unwrap();
        assert_eq!(c, Checked { root: "bag".into(), rel: vec!["data".into(), "dump.sql".into()], dir: false });
        assert_eq!(check(b"./bag/", Directory).unwrap().rel, Vec::<String>::new());
    }

    #[test]
    fn hostile_names_and_types_are_refused() {
        for (path, kind, why) in [
            (&b"/etc/passwd"[..], Regular, "absolute"),
            (b"../escape", Regular, "`..`"),
            (b"bag/../../escape", Regular, "`..`"),
            (b"bag/a\0b", Regular, "NUL"),
            (b"bag/\xff", Regular, "not UTF-8"),
            (b"", Regular, "empty"),
            (b"./", Directory, "empty"),
            (b"bag/link", Symlink, "symbolic link"),
            (b"bag/hard", Link, "hard link"),
            (b"bag/tty", Char, "device"),
            (b"bag/disk", Block, "device"),
            (b"bag/pipe", Fifo, "FIFO"),
            (b"bag/sparse", GNUSparse, "GNUSparse"),
            (b"file", Regular, "top level"),
        ] {
            let err = check(path, kind).unwrap_err();
            assert!(err.contains(why), "{:?}: {err}", String::from_utf8_lossy(path));
        }
    }
}
