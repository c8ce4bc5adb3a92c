//! `validate`: one streaming pass that collects every finding.
//!
//! The pass gathers facts (tag files, payload sizes and checksums, the
//! re-derived schema summary, tar safety); [`check_bag`] then judges them.
//! Nothing is extracted and nothing stops at the first problem: an archivist
//! wants the whole list.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use super::findings::Findings;
use super::format::{self, BagInfo};
use super::guard::{HeadGuard, open_guarded};
use super::reader::{self, InputKind};
use super::scan::{Scanned, scan_into};
use crate::error::{Error, IoContext, Result};
use crate::progress::Progress;
use crate::store::s3::meta;
use crate::store::{Input, Tripwire};
use crate::stream::{DigestAtEnd, HashReader, sha256_hex};

/// A payload file as found.
#[derive(Debug, Clone)]
struct PayloadFact {
    bytes: u64,
    sha256: String,
}

/// Everything the pass learned, before judging.
#[derive(Debug, Default)]
struct BagFacts {
    tags: BTreeMap<String, Vec<u8>>,
    payload: BTreeMap<String, PayloadFact>,
    /// The dump, re-derived.
    dump: Option<Scanned>,
    /// The archive could not be read to its end (truncated or corrupt): what
    /// is missing after that point is a consequence, not a finding of its own.
    broken: bool,
}

/// The result of validating one package.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub valid: bool,
    pub findings: Vec<super::findings::Finding>,
    /// SHA-256 of the package file or object, as `sha256sum` gives it,
    /// computed in the same pass. `None` for a bag directory, and when the
    /// archive could not be read to its end.
    pub sha256: Option<String>,
}

impl Report {
    /// Checks the package's SHA-256 against one recorded elsewhere (the
    /// object metadata `pgbag-sha256`, spec/storage.md §4). A package whose
    /// bytes are not the ones recorded is invalid even if the bag inside is
    /// sound: it is not the object pgbag stored.
    pub fn check_recorded_sha256(&mut self, recorded: Option<&str>, source: &str) {
        let (Some(want), Some(got)) = (recorded, self.sha256.as_deref()) else { return };
        if want.eq_ignore_ascii_case(got) {
            return;
        }
        let mut f = Findings(std::mem::take(&mut self.findings));
        f.error("package-sha256-mismatch", format!("the package's SHA-256 is {got}, but {source} records {want}"))
            .hint("the object was replaced or altered after pgbag stored it; restore it from another copy");
        self.valid = f.is_valid();
        self.findings = f.0;
    }
}

/// Validates a package (file, directory or remote object).
pub fn validate(input: &Input, progress: &dyn Progress) -> Result<Report> {
    validate_scanned(input, progress).map(|(report, _)| report)
}

/// [`validate`], also giving back the dump's one-pass results (for restore,
/// which needs its meta-command lines and would otherwise read it again).
pub fn validate_scanned(input: &Input, progress: &dyn Progress) -> Result<(Report, Option<Scanned>)> {
    let mut findings = Findings::default();
    let kind = match reader::detect(input) {
        Ok(k) => k,
        // Undecodable from the first bytes: still a verdict, not a crash.
        Err(e) if e.kind() == crate::error::ErrorKind::Invalid => {
            let msg = e.to_string();
            let code = if msg.contains("bagit.txt") {
                "bagit-txt-missing"
            } else if msg.contains("incomplete") || msg.contains("unexpected end") {
                "tar-truncated"
            } else {
                "compressed-stream-corrupt"
            };
            findings.error(code, e.to_string()).hint("restore the package from another copy");
            return Ok((Report { valid: false, findings: findings.0, sha256: None }, None));
        }
        Err(e) => return Err(e),
    };
    let mut sha256 = None;
    let facts = match kind {
        InputKind::Dir => match input.path() {
            Some(path) => walk_dir(path, &mut findings, progress)?,
            None => return Err(Error::usage(format!("{input}: a bag directory must be local"))),
        },
        InputKind::Tar(_) => {
            let (raw, digest) = DigestAtEnd::new(input.open()?);
            let (raw, tripped) = Tripwire::new(raw);
            let facts = walk_tar(raw, &input.to_string(), &mut findings, progress)?;
            // A read that failed in the store is not damage in the package.
            if let Some(why) = tripped.lock().unwrap_or_else(|p| p.into_inner()).take() {
                return Err(Error::operational(format!("validating {input} stopped: {why}")));
            }
            sha256 = digest.wait(); // `raw` is gone with walk_tar
            facts
        }
        InputKind::Sql(_) => {
            return Err(Error::usage(format!(
                "{input} is a bare SQL dump, not a package; `pgbag inspect` summarises it and `pgbag pack --sql` packages it"
            )));
        }
    };
    // An interrupt stops the reads part-way: what they missed is not damage.
    if progress.cancelled() {
        return Err(Error::operational("interrupted; no verdict was reached"));
    }
    check_bag(&facts, &mut findings);
    let mut report = Report { valid: findings.is_valid(), findings: findings.0, sha256 };
    if let Input::Remote(o) = input {
        report.check_recorded_sha256(o.info().metadata.get(meta::SHA256).map(String::as_str), "its metadata");
    }
    Ok((report, facts.dump))
}

fn walk_tar(raw: impl Read, what: &str, f: &mut Findings, progress: &dyn Progress) -> Result<BagFacts> {
    let (decoded, compression, guard) = open_guarded(raw).context(|| format!("reading {what}"))?;
    let last_read = Cell::new(LastRead::Data);
    let mut archive = tar::Archive::new(Counting { inner: decoded, count: 0, last: &last_read });
    let mut facts = BagFacts::default();
    let mut root: Option<String> = None;
    let mut seen = BTreeSet::new();
    let mut in_data = false;
    let mut last_tag_index = 0usize;
    let mut end_of_entries: u64 = 0;
    let mut damaged_header = false;
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            f.error("tar-corrupt", format!("cannot read the archive: {e}"));
            return Ok(facts);
        }
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(_) if guard_finding(f, &guard, &mut facts) => break,
            Err(e) => {
                tar_error(f, compression, last_read.get(), end_of_entries, &e);
                damaged_header = last_read.get() == LastRead::Data;
                facts.broken = true;
                break;
            }
        };
        let info = reader::entry_info(&entry).context(|| "reading a tar header")?;
        end_of_entries = entry.raw_file_position() + info.size.div_ceil(512) * 512;
        if let Some(why) = reader::unsafe_path(&info.raw_path) {
            f.error("tar-unsafe-path", format!("entry `{}` has {why}", info.raw_path))
                .hint("do not extract this archive with ordinary tools");
            continue;
        }
        match &root {
            None => root = Some(info.root.clone()),
            Some(r) if *r != info.root => {
                f.error(
                    "tar-multiple-roots",
                    format!("entry `{}` is outside the top-level folder `{r}`", info.raw_path),
                );
                continue;
            }
            _ => {}
        }
        if !seen.insert(info.raw_path.trim_end_matches('/').to_string()) {
            f.error("tar-duplicate-entry", format!("entry `{}` appears twice", info.raw_path));
            continue;
        }
        match info.kind {
            tar::EntryType::Directory => continue,
            tar::EntryType::Regular | tar::EntryType::Continuous => {}
            tar::EntryType::Symlink | tar::EntryType::Link => {
                f.error("tar-link", format!("entry `{}` is a link; packages hold only files", info.raw_path));
                continue;
            }
            other => {
                f.error(
                    "tar-special-file",
                    format!("entry `{}` is a {other:?}; packages hold only files", info.raw_path),
                );
                continue;
            }
        }
        if info.rel.starts_with("data/") {
            in_data = true;
            guard.disarm(); // a payload file is streamed, never held (guard.rs)
            let got = if info.rel == format::DUMP_SQL {
                scan_into(&mut entry, io::sink(), "validating", progress).map(|(scanned, _)| {
                    let fact = PayloadFact { bytes: scanned.bytes, sha256: scanned.sha256.clone() };
                    facts.dump = Some(scanned);
                    fact
                })
            } else {
                hash_stream(&mut entry).map_err(|e| Error::io("reading", e))
            };
            guard.arm();
            match got {
                Ok(fact) if fact.bytes < info.size => {
                    f.error(
                        "tar-truncated",
                        format!("{} ends after {} of its {} bytes", info.rel, fact.bytes, info.size),
                    )
                    .at(&info.rel)
                    .hint("the package was cut short; restore it from another copy");
                    facts.broken = true;
                    break;
                }
                Ok(fact) => {
                    facts.payload.insert(info.rel.clone(), fact);
                }
                Err(e) => {
                    stream_error(f, compression, &format!("{} cannot be read", info.rel), e.io_error()).at(&info.rel);
                    facts.broken = true;
                    break;
                }
            }
        } else if info.rel.is_empty() {
            f.error("tar-special-file", format!("the top-level `{}` is a file, not a folder", info.raw_path));
        } else {
            if in_data {
                f.error("tar-order", format!("tag file {} comes after the payload", info.rel))
                    .at(&info.rel)
                    .hint("pgbag packages put tag files first (spec §2)");
            }
            if let Some(i) = format::TAG_FILES.iter().position(|t| *t == info.rel) {
                if i < last_tag_index {
                    f.error("tar-order", format!("tag file {} is out of order", info.rel)).at(&info.rel);
                }
                last_tag_index = i;
            }
            match reader::read_tag(&mut entry, &info.rel) {
                Ok(b) => {
                    facts.tags.insert(info.rel.clone(), b);
                }
                Err(_) if guard_finding(f, &guard, &mut facts) => break,
                Err(e) => {
                    f.error("tag-file-too-large", e.to_string()).at(&info.rel);
                }
            }
        }
    }
    // Read to the very end: the end-of-archive blocks must be there, nothing
    // but zeros may follow, and the decoder checks its trailers (zstd frame
    // checksum, gzip CRC) only when it reaches them.
    let mut rest = archive.into_inner();
    if damaged_header && compression != super::Compression::None {
        // A damaged compressed stream may decode into a damaged header
        // before the decoder can tell: zstd and gzip check their data only
        // at a frame's end. Decode the rest (streamed, as a payload is) to
        // say which.
        guard.disarm();
        if let Err(e) = io::copy(&mut rest, &mut io::sink()) {
            stream_error(f, compression, "the rest of the archive cannot be read", Some(&e));
        }
    }
    if facts.broken {
        return Ok(facts);
    }
    let mut nonzero = false;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match rest.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => nonzero |= buf[..n].iter().any(|&b| b != 0),
            Err(_) if guard_finding(f, &guard, &mut facts) => return Ok(facts),
            Err(e) => {
                stream_error(f, compression, "the end of the archive cannot be read", Some(&e));
                facts.broken = true;
                return Ok(facts);
            }
        }
    }
    if rest.count < end_of_entries + 1024 {
        f.error("tar-truncated", "the archive ends without tar's end-of-archive blocks")
            .hint("the file was cut short; restore it from another copy");
    } else if nonzero {
        f.error("tar-trailing-garbage", "non-zero bytes follow the end of the archive");
    }
    if root.is_none() && !f.has("tar-corrupt") {
        f.error("tar-corrupt", "the archive holds no entries");
    }
    Ok(facts)
}

/// Reports the head guard's verdict if it is what stopped a read: the rest
/// of the archive is then unread, so what is missing is not a finding.
fn guard_finding(f: &mut Findings, guard: &HeadGuard, facts: &mut BagFacts) -> bool {
    let Some(trip) = guard.tripped() else { return false };
    f.error(trip.code(), trip.to_string()).hint("pgbag did not write this; do not extract it with ordinary tools");
    facts.broken = true;
    true
}

/// Reports a read failure as truncation or corruption, as best the error
/// tells: decoders say "incomplete" or hit EOF when the file was cut short.
fn stream_error<'a>(
    f: &'a mut Findings,
    compression: super::Compression,
    what: &str,
    e: Option<&io::Error>,
) -> &'a mut super::findings::Finding {
    let detail = e.map(|e| e.to_string()).unwrap_or_default();
    let truncated = e.is_some_and(|e| e.kind() == io::ErrorKind::UnexpectedEof) || detail.contains("incomplete");
    let (code, why) = match (truncated, compression) {
        (true, _) => ("tar-truncated", "the package was cut short"),
        (false, super::Compression::None) => ("tar-corrupt", "the archive is damaged"),
        (false, _) => ("compressed-stream-corrupt", "the compressed stream is damaged"),
    };
    f.error(code, format!("{what}: {why} ({} stream: {detail})", compression.name()))
        .hint("restore the package from another copy")
}

fn hash_stream<R: Read>(r: R) -> io::Result<PayloadFact> {
    let mut h = HashReader::new(r);
    io::copy(&mut h, &mut io::sink())?;
    let (sha256, bytes, _) = h.finish();
    Ok(PayloadFact { bytes, sha256 })
}

/// Reports why tar stopped giving entries. tar passes the decoder's errors
/// on unchanged, so how the decoded stream's last read went tells them apart
/// from tar's own: a header that fails its checksum, or the stream ending
/// inside a header or inside the padding after an entry.
fn tar_error(f: &mut Findings, compression: super::Compression, last: LastRead, at: u64, e: &io::Error) {
    let detail = e.to_string();
    match last {
        LastRead::Failed => {
            stream_error(f, compression, &format!("the archive cannot be read after {at} bytes"), Some(e));
        }
        LastRead::End => {
            f.error("tar-truncated", format!("the archive ends near byte {at}, between two entries ({detail})"))
                .hint("the file was cut short; restore it from another copy");
        }
        // tar checks a header's checksum before it reads any field.
        LastRead::Data if detail.contains("checksum") || detail.contains("cksum") => {
            f.error(
                "tar-header-checksum-mismatch",
                format!(
                    "the tar header at byte {at} fails its checksum ({detail}); the entries after it cannot be read"
                ),
            )
            .hint("the file was corrupted; restore it from another copy");
        }
        LastRead::Data => {
            f.error("tar-corrupt", format!("the archive is damaged after {at} bytes: {detail}"))
                .hint("the file was corrupted; restore it from another copy");
        }
    }
}

/// How the decoded stream's last read went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LastRead {
    Data,
    /// End of stream.
    End,
    /// The decoder (or the file) failed.
    Failed,
}

/// Counts bytes read, to find where the archive's entries end, and notes how
/// the last read went.
struct Counting<'a, R> {
    inner: R,
    count: u64,
    last: &'a Cell<LastRead>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let got = self.inner.read(buf);
        self.last.set(match got {
            Ok(0) if !buf.is_empty() => LastRead::End,
            Ok(_) => LastRead::Data,
            Err(_) => LastRead::Failed,
        });
        let n = got?;
        self.count += n as u64;
        Ok(n)
    }
}

fn walk_dir(path: &Path, f: &mut Findings, progress: &dyn Progress) -> Result<BagFacts> {
    let mut facts = BagFacts::default();
    let mut stack = vec![(path.to_path_buf(), String::new())];
    while let Some((dir, rel_dir)) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir)
            .context(|| format!("listing {}", dir.display()))?
            .collect::<io::Result<_>>()
            .context(|| format!("listing {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if rel_dir.is_empty() { name } else { format!("{rel_dir}/{name}") };
            let ft = e.file_type().context(|| format!("reading {}", e.path().display()))?;
            if ft.is_symlink() {
                f.error("tar-link", format!("{rel} is a symbolic link; bags hold only files")).at(&rel);
            } else if ft.is_dir() {
                stack.push((e.path(), rel));
            } else if !ft.is_file() {
                f.error("tar-special-file", format!("{rel} is not a regular file")).at(&rel);
            } else if rel.starts_with("data/") {
                let file = File::open(e.path()).context(|| format!("opening {}", e.path().display()))?;
                if rel == format::DUMP_SQL {
                    let (scanned, _) = scan_into(file, io::sink(), "validating", progress)?;
                    facts.payload.insert(rel, PayloadFact { bytes: scanned.bytes, sha256: scanned.sha256.clone() });
                    facts.dump = Some(scanned);
                } else {
                    let fact = hash_stream(file).context(|| format!("reading {}", e.path().display()))?;
                    facts.payload.insert(rel, fact);
                }
            } else {
                let file = File::open(e.path()).context(|| format!("opening {}", e.path().display()))?;
                match reader::read_tag(file, &rel) {
                    Ok(b) => {
                        facts.tags.insert(rel, b);
                    }
                    Err(err) => {
                        f.error("tag-file-too-large", err.to_string()).at(&rel);
                    }
                }
            }
        }
    }
    Ok(facts)
}

/// Judges the facts: BagIt completeness and validity, pgbag's own tag
/// files, and the dump's integrity.
fn check_bag(facts: &BagFacts, f: &mut Findings) {
    // Tag files must be UTF-8 (bagit.txt declares it).
    for (path, bytes) in &facts.tags {
        if std::str::from_utf8(bytes).is_err() {
            f.error("tag-file-not-utf8", format!("{path} is not valid UTF-8")).at(path);
        }
    }
    let text = |p: &str| facts.tags.get(p).map(|b| String::from_utf8_lossy(b).into_owned());

    match text(format::BAGIT_TXT) {
        None => {
            f.error("bagit-txt-missing", "bagit.txt is missing: this is not a complete bag").at(format::BAGIT_TXT);
        }
        Some(t) => {
            let info = BagInfo::parse(&t).unwrap_or_default();
            if info.get("BagIt-Version").is_none() || info.get("Tag-File-Character-Encoding").is_none() {
                f.error("bagit-txt-invalid", "bagit.txt lacks BagIt-Version or Tag-File-Character-Encoding")
                    .at(format::BAGIT_TXT);
            }
        }
    }

    // Payload manifest: every listed file present and matching, every
    // payload file listed.
    let mut listed = BTreeSet::new();
    match text(format::MANIFEST_TXT) {
        None => {
            f.error("manifest-missing", "manifest-sha256.txt is missing").at(format::MANIFEST_TXT);
        }
        Some(t) => {
            let (lines, bad) = format::parse_manifest(&t);
            for (line, why) in bad {
                f.error("manifest-invalid-line", why).at(format::MANIFEST_TXT).line(line);
            }
            for l in lines {
                listed.insert(l.path.clone());
                match facts.payload.get(&l.path) {
                    None if facts.broken => {}
                    None => {
                        f.error("payload-missing", format!("{} is listed in the manifest but missing", l.path))
                            .at(&l.path);
                    }
                    Some(p) if p.sha256 != l.sha256 => {
                        f.error(
                            "payload-checksum-mismatch",
                            format!("{}: SHA-256 is {}, the manifest says {}", l.path, p.sha256, l.sha256),
                        )
                        .at(&l.path)
                        .hint("the payload changed since it was packaged; restore the package from another copy");
                    }
                    Some(_) => {}
                }
            }
        }
    }
    for path in facts.payload.keys() {
        if !listed.contains(path) {
            f.error("payload-unlisted", format!("{path} is in data/ but not in manifest-sha256.txt")).at(path);
        }
    }

    // Tag manifest.
    match text(format::TAGMANIFEST_TXT) {
        None => {
            f.error("tagmanifest-missing", "tagmanifest-sha256.txt is missing").at(format::TAGMANIFEST_TXT);
        }
        Some(t) => {
            let (lines, bad) = format::parse_manifest(&t);
            for (line, why) in bad {
                f.error("manifest-invalid-line", why).at(format::TAGMANIFEST_TXT).line(line);
            }
            for l in &lines {
                match facts.tags.get(&l.path) {
                    None if facts.broken => {}
                    None => {
                        f.error("tag-file-missing", format!("{} is listed in the tag manifest but missing", l.path))
                            .at(&l.path);
                    }
                    Some(b) if sha256_hex(b) != l.sha256 => {
                        f.error(
                            "tag-checksum-mismatch",
                            format!("{}: SHA-256 does not match the tag manifest", l.path),
                        )
                        .at(&l.path);
                    }
                    Some(_) => {}
                }
            }
            for path in facts.tags.keys() {
                if path != format::TAGMANIFEST_TXT && !lines.iter().any(|l| &l.path == path) {
                    f.warning("tag-file-unlisted", format!("{path} is not in tagmanifest-sha256.txt")).at(path);
                }
            }
        }
    }
    for path in facts.tags.keys() {
        if !format::TAG_FILES.contains(&path.as_str()) {
            f.warning("tag-file-unexpected", format!("{path} is not a pgbag tag file")).at(path);
        }
    }

    // bag-info.txt and Payload-Oxum.
    match text(format::BAG_INFO_TXT) {
        None => {
            f.error("bag-info-missing", "bag-info.txt is missing").at(format::BAG_INFO_TXT);
        }
        Some(t) => match BagInfo::parse(&t) {
            Err(e) => {
                f.error("bag-info-invalid", e).at(format::BAG_INFO_TXT);
            }
            Ok(info) => {
                let total: u64 = facts.payload.values().map(|p| p.bytes).sum();
                let actual = format::payload_oxum(total, facts.payload.len());
                match info.get("Payload-Oxum") {
                    _ if facts.broken => {}
                    Some(o) if o == actual => {}
                    Some(o) => {
                        f.error("payload-oxum-mismatch", format!("Payload-Oxum says {o}, the payload is {actual}"))
                            .at(format::BAG_INFO_TXT);
                    }
                    None => {
                        f.warning("payload-oxum-missing", "bag-info.txt has no Payload-Oxum").at(format::BAG_INFO_TXT);
                    }
                }
            }
        },
    }

    let payload = facts.payload.iter().map(|(k, v)| (k.clone(), (v.bytes, v.sha256.clone()))).collect();
    let tag = |p: &str| facts.tags.get(p).map(|b| b.as_slice());
    super::pgbag_checks::check(
        tag(format::MANIFEST_JSON),
        tag(format::SCHEMA_JSON),
        &payload,
        facts.dump.as_ref(),
        facts.broken,
        f,
    );
}
