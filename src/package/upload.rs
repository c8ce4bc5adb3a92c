//! Writing a package straight to S3 (spec/storage.md §3–4), then reading it
//! back.
//!
//! The tail is uploaded in parts while the dump is read, and the head goes
//! up last as part 1, so the object is byte for byte what a local pack
//! writes. Any error or interrupt before completion aborts the upload:
//! nothing becomes visible. Once complete, the object is read back and
//! validated, which is also the only way to learn its own SHA-256 (its head,
//! written last, comes first, and a hash cannot be prefixed); the metadata
//! known only at the end is then recorded with one server-side copy.

use std::io::Read;
use std::sync::Arc;

use chrono::SecondsFormat;

use super::format::{self, Manifest};
use super::validate::validate;
use super::writer::{PackInput, PackOptions, PackOutcome, head_bytes, tag_files, write_tail};
use super::{Compression, Severity};
use crate::error::{Error, ErrorKind, Result};
use crate::progress::Progress;
use crate::store::s3::{Completed, Uploaded, meta};
use crate::store::{Input, S3, S3Url};

/// Writes a package to `url`; see the module documentation.
pub fn pack_to_s3<R: Read>(
    input: PackInput<R>,
    s3: &Arc<S3>,
    url: &S3Url,
    opts: &PackOptions,
    progress: &dyn Progress,
) -> Result<PackOutcome> {
    if opts.dir {
        return Err(Error::usage("--dir writes a folder; it cannot go to S3"));
    }
    super::pack_plan::check_bag_name(&opts.name)?;
    if !opts.force && s3.head(url)?.is_some() {
        return Err(Error::usage(format!("{url} already exists; choose another -o, or pass --force to replace it")));
    }
    let upload = s3.upload(url, start_metadata(opts, input.source.database.as_deref()));
    let what = url.to_string();
    let (scanned, upload) = write_tail(input.dump, upload, opts, progress, &what)?;
    let dump_bytes = scanned.bytes;
    let (files, manifest, summary) =
        tag_files(input.source, input.original, input.extensions, input.globals.as_deref(), scanned, opts)?;
    let head = head_bytes(&files, input.globals.as_deref(), dump_bytes, opts)?;
    if progress.cancelled() {
        return Err(Error::operational("interrupted; the upload was aborted and nothing was stored"));
    }
    let completed = upload.complete(head, late_metadata(&manifest))?;
    let (done, sha256) =
        if opts.verify_upload { read_back(s3, completed, progress)? } else { (completed.record(Vec::new()), None) };
    if let Some(w) = &done.warning {
        progress.warn(w);
    }
    Ok(PackOutcome { location: url.to_string(), manifest, summary, bytes: Some(done.bytes), sha256 })
}

/// Validates the object as the store now serves it, streamed once, and
/// records its SHA-256 with the late metadata. An object that does not
/// validate is deleted: the store did not keep what was sent, and an invalid
/// package must not stand where a good one is expected. One that cannot be
/// read back is kept (it is most likely whole) but the failure is an error,
/// so that a nightly job's monitor hears of it.
fn read_back(s3: &Arc<S3>, completed: Completed, progress: &dyn Progress) -> Result<(Uploaded, Option<String>)> {
    let url = completed.url().clone();
    let report = s3.object(&url).and_then(|o| validate(&Input::Remote(Arc::new(o)), progress));
    match report {
        Ok(r) if r.valid => {
            let sha = r.sha256.clone();
            let more = sha.iter().map(|s| (meta::SHA256.to_string(), s.clone())).collect();
            Ok((completed.record(more), sha))
        }
        Ok(r) => {
            let errors: Vec<String> = r
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| format!("{}: {}", f.code, f.message))
                .collect();
            let removed = match s3.delete(&url) {
                Ok(()) => "it was deleted".to_string(),
                Err(e) => format!("deleting it failed too ({e}); delete it by hand"),
            };
            Err(Error::invalid(format!(
                "{url} was uploaded but does not validate when read back ({}); {removed}. \
                 The store did not keep the bytes sent: check it, then pack again",
                errors.join("; ")
            )))
        }
        Err(e) => {
            let done = completed.record(Vec::new());
            let kind = if e.kind() == ErrorKind::Usage { ErrorKind::Operational } else { e.kind() };
            let mut msg = format!(
                "{url} was uploaded, but reading it back to verify it failed: {e}. \
                 The package is probably whole; check it with `pgbag validate {url}`"
            );
            if let Some(w) = done.warning {
                msg.push_str(&format!(" ({w})"));
            }
            Err(Error::new(kind, msg))
        }
    }
}

/// Object metadata known when an upload starts (spec/storage.md §4).
fn start_metadata(opts: &PackOptions, database: Option<&str>) -> Vec<(String, String)> {
    let mut m = vec![
        (meta::FORMAT_VERSION.to_string(), format::FORMAT_VERSION.to_string()),
        (meta::CREATED_AT.to_string(), opts.created_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        (meta::NAME.to_string(), opts.name.clone()),
        (meta::PGBAG_VERSION.to_string(), env!("CARGO_PKG_VERSION").to_string()),
        (meta::COMPRESSION.to_string(), opts.compression.name().to_string()),
    ];
    if let Some(d) = database {
        m.push((meta::DATABASE.to_string(), d.to_string()));
    }
    m
}

/// Metadata known once the dump has been read.
fn late_metadata(manifest: &Manifest) -> Vec<(String, String)> {
    let mut m = Vec::new();
    // With --sql the database name comes from the dump's header.
    if let Some(d) = &manifest.source.database {
        m.push((meta::DATABASE.to_string(), d.clone()));
    }
    if let Some(p) = manifest.payload.iter().find(|p| p.path == format::DUMP_SQL) {
        m.push((meta::DUMP_SHA256.to_string(), p.sha256.clone()));
        m.push((meta::DUMP_BYTES.to_string(), p.bytes.to_string()));
    }
    m
}

/// The metadata of an existing package (`push`), all of it known from its
/// manifest before the upload starts: the same keys `pack` records.
pub(crate) fn package_metadata(manifest: &Manifest, compression: Compression) -> Vec<(String, String)> {
    let mut m = vec![
        (meta::FORMAT_VERSION.to_string(), manifest.format_version.to_string()),
        (meta::CREATED_AT.to_string(), manifest.created_at.clone()),
        (meta::NAME.to_string(), manifest.name.clone()),
        (meta::PGBAG_VERSION.to_string(), manifest.pgbag_version.clone()),
        (meta::COMPRESSION.to_string(), compression.name().to_string()),
    ];
    m.extend(late_metadata(manifest));
    m
}
