//! Packages in a bucket: listing them, copying them in and out, pruning.
//!
//! A package is recognised by its object metadata (written by `pack` and
//! `push`), or, for an object uploaded by another tool, by its head: a tar
//! whose `pgbag/manifest.json` parses. Anything else is foreign and is never
//! listed as a package nor deleted (spec/storage.md §5).

use std::collections::HashMap;
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
    /// `s3://bucket/key`.
    pub url: String,
    #[serde(serialize_with = "rfc3339")]
    pub created: DateTime<Utc>,
    pub database: Option<String>,
    pub size: u64,
    pub format_version: u32,
    pub name: String,
    /// Where the facts came from: `metadata` (one HEAD) or `head` (ranged
    /// GETs of the package's tag files).
    pub source: &'static str,
    /// `pgbag-sha256`: the object's own SHA-256, recorded only after the
    /// stored object validated.
    pub sha256: Option<String>,
    pub pinned: Option<Pin>,
}

/// A `pgbag pin` mark (metadata `pgbag-pinned`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pin {
    /// RFC 3339 UTC.
    pub at: String,
    pub reason: Option<String>,
}

impl Pin {
    fn parse(value: &str) -> Pin {
        match value.split_once(' ') {
            Some((at, reason)) => Pin { at: at.to_string(), reason: Some(reason.to_string()) },
            None => Pin { at: value.to_string(), reason: None },
        }
    }

    fn value(&self) -> String {
        match &self.reason {
            Some(r) => format!("{} {r}", self.at),
            None => self.at.clone(),
        }
    }
}

fn pin_of(info: &ObjectInfo) -> Option<Pin> {
    info.metadata.get(meta::PINNED).filter(|v| !v.is_empty()).map(|v| Pin::parse(v))
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
        match from_metadata(&prefix.with_key(key.clone()), &info) {
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

fn from_metadata(url: &S3Url, info: &ObjectInfo) -> Option<Listed> {
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
        sha256: m.get(meta::SHA256).cloned(),
        pinned: pin_of(info),
        url: url.to_string(),
    })
}

/// Reads an object's head; `None` when it is not a pgbag package. Store
/// failures are errors: an object that could not be read is not "foreign".
fn from_head(s3: &Arc<S3>, url: &S3Url, info: ObjectInfo) -> Result<Option<Listed>> {
    if info.size < 512 {
        return Ok(None);
    }
    let size = info.size;
    let pinned = pin_of(&info);
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
        sha256: None,
        pinned,
        url: url.to_string(),
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
    /// Every package, oldest first (as `list`).
    pub decisions: Vec<Decision>,
    /// Objects that are not pgbag packages: never touched.
    pub ignored: Vec<String>,
    /// Packages found invalid: they take no slot and are kept.
    pub invalid: Vec<String>,
    pub deleted: Vec<String>,
}

/// Plans retention under `prefix` and, with `apply`, deletes what the
/// policy does not keep (spec/storage.md §7).
///
/// The newest package that validates is always kept; it is found by
/// validating packages newest first. A package takes a rule's slot only if
/// it is valid: validated in this run, or, unless `deep`, carrying
/// `pgbag-sha256`. Others are validated (streamed) when a rule would keep
/// them, and the plan is made again without those that fail, until every
/// slot holds a valid package. Each package is streamed at most once.
pub fn prune(
    s3: &Arc<S3>,
    prefix: &S3Url,
    policy: &Policy,
    apply: bool,
    deep: bool,
    progress: &dyn Progress,
) -> Result<Pruned> {
    if policy.is_empty() {
        return Err(Error::usage(
            "prune needs a policy: at least one of --keep-last, --keep-daily, --keep-weekly, --keep-monthly",
        ));
    }
    let listing = list(s3, prefix)?;
    // None: not yet known.
    let mut valid: HashMap<String, Option<bool>> =
        listing.packages.iter().map(|p| (p.key.clone(), (!deep && p.sha256.is_some()).then_some(true))).collect();
    let mut streamed: HashMap<String, bool> = HashMap::new();
    let mut check = |key: &str| -> Result<bool> {
        if let Some(v) = streamed.get(key) {
            return Ok(*v);
        }
        let input =
            Input::open_location(&crate::store::Location::S3(prefix.with_key(key.to_string())), || Ok(s3.clone()))?;
        let ok = validate::validate(&input, progress)?.valid;
        streamed.insert(key.to_string(), ok);
        Ok(ok)
    };
    let mut protect = None;
    for p in listing.packages.iter().rev() {
        let ok = check(&p.key)?;
        valid.insert(p.key.clone(), Some(ok));
        if ok {
            protect = Some(p.key.clone());
            break;
        }
    }
    let decisions = loop {
        let cands = listing
            .packages
            .iter()
            .map(|p| Candidate {
                key: p.key.clone(),
                created: p.created,
                size: p.size,
                pinned: p.pinned.is_some(),
                invalid: valid[&p.key] == Some(false),
            })
            .collect();
        let decisions = retention::plan(cands, policy, protect.as_deref());
        let unjudged = decisions
            .iter()
            .find(|d| d.reasons.iter().any(|r| r.is_slot()) && valid[&d.key].is_none())
            .map(|d| d.key.clone());
        match unjudged {
            Some(key) => {
                let ok = check(&key)?;
                valid.insert(key, Some(ok));
            }
            None => break decisions,
        }
    };
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
    // Oldest first, as `list` and the text.
    let mut decisions = decisions;
    decisions.reverse();
    let invalid = decisions.iter().filter(|d| valid[&d.key] == Some(false)).map(|d| d.key.clone()).collect();
    Ok(Pruned { apply, decisions, ignored: listing.foreign, invalid, deleted })
}

/// What `pin` did.
#[derive(Debug, Clone, Serialize)]
pub struct Pinned {
    pub url: String,
    /// The mark now on the package; None after `--remove`.
    pub pinned: Option<Pin>,
    /// False when the package already was as asked (nothing was written).
    pub changed: bool,
}

/// Marks a package so that no prune rule deletes it, or with `remove`
/// takes the mark away (spec/storage.md §7.1). The object's bytes do not
/// change; its other metadata is kept.
pub fn pin(s3: &Arc<S3>, url: &S3Url, reason: Option<&str>, remove: bool, now: DateTime<Utc>) -> Result<Pinned> {
    if let Some(r) = reason {
        if remove {
            return Err(Error::usage("--reason goes with pinning, not with --remove"));
        }
        if r.trim().is_empty() || r.chars().count() > 200 || r.chars().any(char::is_control) {
            return Err(Error::usage("--reason must be 1-200 characters, without control characters"));
        }
    }
    let info = s3.head(url)?.ok_or_else(|| Error::usage(format!("{url}: no such object")))?;
    let is_package = from_metadata(url, &info).is_some() || from_head(s3, url, info.clone())?.is_some();
    if !is_package {
        return Err(Error::usage(format!("{url} is not a pgbag package; only packages are pinned")));
    }
    let before = pin_of(&info);
    let after = (!remove).then(|| Pin {
        at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        reason: reason.map(|r| r.trim().to_string()),
    });
    if before.is_none() && after.is_none() {
        return Ok(Pinned { url: url.to_string(), pinned: None, changed: false });
    }
    let mut metadata: Vec<(String, String)> =
        info.metadata.iter().filter(|(k, _)| k.as_str() != meta::PINNED).map(|(k, v)| (k.clone(), v.clone())).collect();
    metadata.sort();
    if let Some(p) = &after {
        metadata.push((meta::PINNED.to_string(), p.value()));
    }
    s3.set_metadata(url, &info, &metadata)?;
    Ok(Pinned { url: url.to_string(), pinned: after, changed: true })
}
