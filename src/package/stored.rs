//! Packages in a bucket: listing them, copying them in and out, pruning.
//!
//! A package is recognised by its object metadata (written by `pack` and
//! `push`), or, for an object uploaded by another tool, by its head: a tar
//! whose `pgbag/manifest.json` parses. Anything else is foreign and is never
//! listed as a package nor deleted (spec/storage.md §5).

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::open::OpenPackage;
use super::reader::{InputKind, Probe};
use super::validate::{self, Report};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use crate::store::retention::{self, Candidate, Decision, Policy};
use crate::store::s3::meta;
use crate::store::s3::{ObjectInfo, RemoteObject, S3, S3Url};
use crate::store::{Input, StoreError};
use crate::stream::HashReader;

/// One package found under a prefix.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub key: String,
    #[serde(serialize_with = "rfc3339")]
    pub created: DateTime<Utc>,
    pub database: Option<String>,
    pub size: u64,
    pub format_version: u32,
    pub name: String,
    /// Where the facts came from: `metadata` (one HEAD) or `head` (ranged
    /// GETs of the package's tag files).
    pub source: &'static str,
}

fn rfc3339<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// What a prefix holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Listing {
    /// Packages, oldest first.
    pub packages: Vec<Listed>,
    /// Keys of objects that are not pgbag packages.
    pub foreign: Vec<String>,
}

/// Lists the packages under `prefix`: one HEAD per object, and ranged GETs
/// of the head only for objects without pgbag metadata.
pub fn list(s3: &Arc<S3>, prefix: &S3Url) -> Result<Listing> {
    let objects = s3.list(prefix)?;
    let keys: Vec<String> = objects.iter().map(|o| o.key.clone()).collect();
    let mut out = Listing::default();
    for (key, head) in keys.iter().zip(s3.head_many(&prefix.bucket, &keys)) {
        // Deleted between LIST and HEAD: nothing to report.
        let Some(info) = head? else { continue };
        match from_metadata(&info) {
            Some(l) => out.packages.push(l),
            None => match from_head(s3, &prefix.with_key(key.clone()), info)? {
                Some(l) => out.packages.push(l),
                None => out.foreign.push(key.clone()),
            },
        }
    }
    out.packages.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}

fn from_metadata(info: &ObjectInfo) -> Option<Listed> {
    let m = &info.metadata;
    let format_version = m.get(meta::FORMAT_VERSION)?.parse().ok()?;
    let created = DateTime::parse_from_rfc3339(m.get(meta::CREATED_AT)?).ok()?.with_timezone(&Utc);
    Some(Listed {
        key: info.key.clone(),
        created,
        database: m.get(meta::DATABASE).cloned(),
        size: info.size,
        format_version,
        name: m.get(meta::NAME).cloned().unwrap_or_default(),
        source: "metadata",
    })
}

/// Reads an object's head; `None` when it is not a pgbag package. Store
/// failures are errors: an object that could not be read is not "foreign".
fn from_head(s3: &Arc<S3>, url: &S3Url, info: ObjectInfo) -> Result<Option<Listed>> {
    if info.size < 512 {
        return Ok(None);
    }
    let size = info.size;
    let input = Input::Remote(Arc::new(RemoteObject::with_info(s3.clone(), url.clone(), info)));
    // Damage or another format means "not a package"; a failed request does not.
    let not_ours = |e: &Error| !e.io_error().is_some_and(crate::store::is_store_error);
    let pkg = OpenPackage::open(&input)?;
    match pkg.kind() {
        Ok(InputKind::Tar(_)) => {}
        Ok(_) => return Ok(None),
        Err(e) if not_ours(&e) => return Ok(None),
        Err(e) => return Err(e),
    }
    let manifest = match pkg.head().and_then(|h| h.manifest()) {
        Ok(m) => m,
        Err(e) if not_ours(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Ok(created) = DateTime::parse_from_rfc3339(&manifest.created_at) else { return Ok(None) };
    Ok(Some(Listed {
        key: url.key.clone(),
        created: created.with_timezone(&Utc),
        database: manifest.source.database.clone(),
        size,
        format_version: manifest.format_version,
        name: manifest.name.clone(),
        source: "head",
    }))
}

/// What `push` did.
#[derive(Debug)]
pub enum Pushed {
    /// Uploaded to this URL.
    Done(S3Url),
    /// The package is invalid; nothing was uploaded.
    Invalid(Report),
}

/// Validates a local package, then uploads it to `dest` (a key, or a prefix
/// that gets the file's name).
pub fn push(s3: &Arc<S3>, local: &Path, dest: &S3Url, force: bool, progress: &dyn Progress) -> Result<Pushed> {
    let input = Input::local(local);
    // Opened once: validated, read for its manifest and uploaded from the
    // same open file.
    let pkg = OpenPackage::open(&input)?;
    let compression = match pkg.kind()? {
        InputKind::Tar(c) => c,
        InputKind::Dir => {
            return Err(Error::usage(format!(
                "{} is a bag directory; push takes a package file (pack it with `pgbag pack`, without --dir)",
                local.display()
            )));
        }
        InputKind::Sql(_) => {
            return Err(Error::usage(format!(
                "{} is a SQL dump, not a package; `pgbag pack --sql {} -o {dest}` packages it straight to S3",
                local.display(),
                local.display()
            )));
        }
    };
    let (report, _) = pkg.validate(progress)?;
    if !report.valid {
        return Ok(Pushed::Invalid(report));
    }
    let url = if dest.is_prefix() {
        dest.with_key(format!("{}{}", dest.key, input.file_name().unwrap_or_default()))
    } else {
        dest.clone()
    };
    if !force && s3.head(&url)?.is_some() {
        return Err(Error::usage(format!("{url} already exists; pass --force to replace it")));
    }
    let manifest = pkg.head()?.manifest()?;
    let mut metadata = super::package_metadata(&manifest, compression);
    metadata.extend(report.sha256.iter().map(|s| (meta::SHA256.to_string(), s.clone())));
    let mut upload = s3.upload(&url, metadata);
    // Hashed again on the way up: the file must still be the one validated.
    let mut file = HashReader::new(pkg.raw()?);
    progress.start("uploading", Some(input.len()));
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        if progress.cancelled() {
            return Err(Error::operational("interrupted; the upload was aborted and nothing was stored"));
        }
        let n = file.read(&mut buf).context(|| format!("reading {}", local.display()))?;
        if n == 0 {
            break;
        }
        upload.write_all(&buf[..n]).map_err(|e| store_io(&format!("uploading to {url}"), e))?;
        done += n as u64;
        progress.bytes(done);
    }
    progress.finish();
    let (sent, _, _) = file.finish();
    if report.sha256.as_deref() != Some(sent.as_str()) {
        return Err(Error::operational(format!(
            "{} changed while it was being pushed; the upload was aborted and nothing was stored",
            local.display()
        )));
    }
    let up = upload.finish(Vec::new(), Vec::new())?;
    if let Some(w) = &up.warning {
        progress.warn(w);
    }
    Ok(Pushed::Done(url))
}

fn store_io(what: &str, e: io::Error) -> Error {
    match e.get_ref().and_then(|i| i.downcast_ref::<StoreError>()) {
        Some(s) => Error::operational(s.0.clone()),
        None => Error::io(what.to_string(), e),
    }
}

/// What `pull` did.
#[derive(Debug)]
pub enum Pulled {
    /// Valid, and now at this path.
    Done(PathBuf, Report),
    /// Downloaded, found invalid, and removed: nothing is at the destination.
    Invalid(Report),
}

/// Downloads an object to a temporary file beside `dest`, validates it, and
/// renames it into place only if it is valid.
pub fn pull(input: &Input, dest: &Path, force: bool, progress: &dyn Progress) -> Result<Pulled> {
    // What is not a package is refused from its head, before the download.
    match OpenPackage::open(input)?.probe() {
        Probe::Sql(_) => {
            return Err(Error::usage(format!(
                "{input} is a bare dump, not a package; `pgbag validate {input}` checks it where it is, \
                 and `pgbag pack --sql` packages a local copy"
            )));
        }
        Probe::NotADump(what, compression) => return Err(what.error(input, *compression)),
        _ => {}
    }
    let dest = if dest.is_dir() || dest.to_string_lossy().ends_with('/') {
        dest.join(input.file_name().unwrap_or_else(|| "package.tar.zst".into()))
    } else {
        dest.to_path_buf()
    };
    if !force && fs::symlink_metadata(&dest).is_ok() {
        return Err(Error::usage(format!("{} already exists; pass --force to replace it", dest.display())));
    }
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let part = super::writer::temp_in(&parent, ".partial")?;
    let ctx = || format!("writing {}", part.path().display());
    {
        let mut out = BufWriter::with_capacity(1 << 20, part.reopen().context(ctx)?);
        let mut src = input.open()?;
        progress.start("downloading", Some(input.len()));
        let mut buf = vec![0u8; 1 << 20];
        let mut done = 0u64;
        loop {
            if progress.cancelled() {
                return Err(Error::operational("interrupted; the partial download was removed"));
            }
            let n = src.read(&mut buf).map_err(|e| store_io(&format!("reading {input}"), e))?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n]).context(ctx)?;
            done += n as u64;
            progress.bytes(done);
        }
        progress.finish();
        let file = out.into_inner().map_err(|e| e.into_error()).context(ctx)?;
        file.sync_all().context(ctx)?;
    }
    let mut report = validate::validate(&Input::local(part.path()), progress)?;
    if let Input::Remote(o) = input {
        report.check_recorded_sha256(o.info().metadata.get(meta::SHA256).map(String::as_str), "the object's metadata");
    }
    if !report.valid {
        return Ok(Pulled::Invalid(report)); // `part` is removed as it drops
    }
    super::writer::publish_file(part, &dest, force)?;
    Ok(Pulled::Done(dest, report))
}

/// A prune plan, and what was deleted if it was applied.
#[derive(Debug, Clone, Serialize)]
pub struct Pruned {
    pub apply: bool,
    pub decisions: Vec<Decision>,
    /// Objects that are not pgbag packages: never touched.
    pub ignored: Vec<String>,
    /// Packages found invalid while looking for the newest valid one.
    pub invalid: Vec<String>,
    pub deleted: Vec<String>,
}

/// Plans retention under `prefix` and, with `apply`, deletes what the
/// policy does not keep. The newest package that validates is always kept;
/// it is found by validating packages newest first (each streamed once).
pub fn prune(s3: &Arc<S3>, prefix: &S3Url, policy: &Policy, apply: bool, progress: &dyn Progress) -> Result<Pruned> {
    if policy.is_empty() {
        return Err(Error::usage(
            "prune needs a policy: at least one of --keep-last, --keep-daily, --keep-weekly, --keep-monthly",
        ));
    }
    let listing = list(s3, prefix)?;
    let mut invalid = Vec::new();
    let mut protect = None;
    for p in listing.packages.iter().rev() {
        let input =
            Input::open_location(&crate::store::Location::S3(prefix.with_key(p.key.clone())), || Ok(s3.clone()))?;
        if validate::validate(&input, progress)?.valid {
            protect = Some(p.key.clone());
            break;
        }
        invalid.push(p.key.clone());
    }
    let cands =
        listing.packages.iter().map(|p| Candidate { key: p.key.clone(), created: p.created, size: p.size }).collect();
    let decisions = retention::plan(cands, policy, protect.as_deref());
    let mut deleted = Vec::new();
    if apply {
        for d in decisions.iter().filter(|d| !d.keep) {
            if progress.cancelled() {
                return Err(Error::operational(format!(
                    "interrupted after deleting {} of the packages the policy does not keep",
                    deleted.len()
                )));
            }
            s3.delete(&prefix.with_key(d.key.clone()))?;
            deleted.push(d.key.clone());
        }
    }
    Ok(Pruned { apply, decisions, ignored: listing.foreign, invalid, deleted })
}
