//! `validate`: one streaming pass that collects every finding. A bare dump
//! is checked as far as a dump without a package can be (`bare.rs`); input
//! that is not a dump or a package gets the one finding that says what it
//! is (spec/inputs.md).
//!
//! The pass gathers facts (tag files, payload sizes and checksums, the
//! re-derived schema summary, tar safety); [`check_bag`] then judges them.
//! Nothing is extracted and nothing stops at the first problem: an archivist
//! wants the whole list.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use super::Compression;
use super::classify::NotADump;
use super::entries::{BagReader, Class, Entry, Fault};
use super::findings::{Code, Findings};
use super::format::{self, BagInfo};
use super::open::OpenPackage;
use super::reader::{self, InputKind, Probe};
use super::scan::{Scanned, scan_into};
use super::unpack::{Discard, Sink};
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
pub(super) struct BagFacts {
    tags: BTreeMap<String, Vec<u8>>,
    payload: BTreeMap<String, PayloadFact>,
    /// The bag's name, its top-level folder.
    pub(super) root: Option<String>,
    /// The dump, re-derived.
    dump: Option<Scanned>,
    /// The archive could not be read to its end (truncated or corrupt): what
    /// is missing after that point is a consequence, not a finding of its own.
    broken: bool,
}

/// The result of validating one package (or bare dump), as
/// spec/validate.schema.json has it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub valid: bool,
    /// What the input is (spec/inputs.md): `package`, `directory`, `dump`,
    /// or a kind that is not a dump or a package; `None` when its first
    /// bytes do not decode.
    pub input: Option<&'static str>,
    /// The transport compression of a file.
    pub compression: Option<&'static str>,
    /// The groups of checks (sections of spec/findings.md) that did not
    /// apply to this input.
    pub not_checked: Vec<&'static str>,
    pub findings: Vec<super::findings::Finding>,
    /// SHA-256 of the package file, dump file or object, as `sha256sum`
    /// gives it, computed in the same pass. `None` for a bag directory, and
    /// when the file could not be read to its end.
    pub sha256: Option<String>,
    /// What the input is, in words: the first line of the text output.
    #[serde(skip)]
    pub headline: String,
}

/// Every group of checks, as `not_checked` names them.
const ALL_CHECKS: [&str; 6] = ["archive", "stored", "bagit", "pgbag-files", "dump", "sql"];

impl Report {
    /// The report on `input`, of `kind`, with its findings.
    pub(crate) fn of(kind: InputKind, input: &Input, findings: Findings, sha256: Option<String>) -> Report {
        let not_checked = match kind {
            InputKind::Sql(_) => super::bare::NOT_CHECKED.to_vec(),
            // Until a recorded SHA-256 is compared (check_recorded_sha256).
            InputKind::Tar(_) | InputKind::Dir => vec!["stored"],
        };
        Report {
            valid: findings.is_valid(),
            input: Some(kind.name()),
            compression: kind.compression().map(Compression::name),
            not_checked,
            findings: findings.0,
            sha256,
            headline: kind.headline(input),
        }
    }

    /// The report on input whose first bytes say nothing: one finding.
    fn undecided(input: &Input, findings: Findings) -> Report {
        Report {
            valid: false,
            input: None,
            compression: None,
            not_checked: ALL_CHECKS.to_vec(),
            findings: findings.0,
            sha256: None,
            headline: format!("{input}: cannot be read as a package or a dump"),
        }
    }

    /// The report on input that is not a dump or a package: one finding
    /// that says what it is, and nothing else checked.
    fn not_a_dump(input: &Input, what: NotADump, compression: Option<Compression>) -> Report {
        let mut f = Findings::default();
        f.error(what.code(), format!("not a dump or a package: it is {}", what.describe(compression)))
            .at(&input.to_string())
            .hint(what.hint(input));
        Report {
            valid: false,
            input: Some(what.name()),
            compression: compression.map(Compression::name),
            not_checked: ALL_CHECKS.to_vec(),
            findings: f.0,
            sha256: None,
            headline: what.headline(input, compression),
        }
    }

    /// Checks the package's SHA-256 against one recorded elsewhere (the
    /// object metadata `pgbag-sha256`, spec/storage.md §4). A package whose
    /// bytes are not the ones recorded is invalid even if the bag inside is
    /// sound: it is not the object pgbag stored.
    pub fn check_recorded_sha256(&mut self, recorded: Option<&str>, source: &str) {
        let (Some(want), Some(got)) = (recorded, self.sha256.as_deref()) else { return };
        self.not_checked.retain(|g| *g != "stored");
        if want.eq_ignore_ascii_case(got) {
            return;
        }
        let mut f = Findings(std::mem::take(&mut self.findings));
        f.error(Code::PackageSha256Mismatch, format!("the package's SHA-256 is {got}, but {source} records {want}"))
            .hint("the object was replaced or altered after pgbag stored it; restore it from another copy");
        self.valid = f.is_valid();
        self.findings = f.0;
    }
}

/// Validates a package (file, directory or remote object) or a bare dump.
pub fn validate(input: &Input, progress: &dyn Progress) -> Result<Report> {
    OpenPackage::open(input)?.validate(progress).map(|(report, _)| report)
}

/// Validates an opened package: [`OpenPackage::validate`].
pub(crate) fn validate_open(pkg: &OpenPackage, progress: &dyn Progress) -> Result<(Report, Option<Scanned>)> {
    let input = pkg.input();
    let mut findings = Findings::default();
    let mut sha256 = None;
    let facts = match pkg.probe() {
        // Undecodable from the first bytes: still a verdict, not a crash.
        Probe::Undecodable { truncated, message } => {
            let code = if *truncated { Code::TarTruncated } else { Code::CompressedStreamCorrupt };
            findings.error(code, message.clone()).hint("restore the package from another copy");
            return Ok((Report::undecided(input, findings), None));
        }
        Probe::NotABag(message) => {
            findings.error(Code::BagitTxtMissing, message.clone());
            return Ok((Report::of(InputKind::Dir, input, findings, None), None));
        }
        Probe::NotADump(what, compression) => return Ok((Report::not_a_dump(input, *what, *compression), None)),
        Probe::Sql(c) => {
            let checked = super::bare::check(pkg, "validating", progress)?;
            let report = Report::of(InputKind::Sql(*c), input, checked.findings, checked.sha256);
            return Ok((report, Some(checked.scanned)));
        }
        Probe::Dir => match input.path() {
            Some(path) => walk_dir(path, pkg, &mut findings, progress)?,
            None => return Err(Error::usage(format!("{input}: a bag directory must be local"))),
        },
        Probe::Tar(_) => {
            let (raw, digest) = DigestAtEnd::new(pkg.raw()?);
            let (raw, tripped) = Tripwire::new(raw);
            let mut bag = BagReader::new(raw).context(|| format!("reading {input}"))?;
            let facts = walk_tar(&mut bag, &mut findings, progress, &mut Discard);
            drop(bag);
            // A read that failed in the store is not damage in the package.
            if let Some(why) = tripped.lock().unwrap_or_else(|p| p.into_inner()).take() {
                return Err(Error::operational(format!("validating {input} stopped: {why}")));
            }
            let facts = facts?;
            sha256 = digest.wait(); // `raw` went with `bag`
            facts
        }
    };
    // An interrupt stops the reads part-way: what they missed is not damage.
    if progress.cancelled() {
        return Err(Error::operational("interrupted; no verdict was reached"));
    }
    check_bag(&facts, &mut findings);
    let kind = pkg.kind()?;
    let mut report = Report::of(kind, input, findings, sha256);
    if let Input::Remote(o) = input {
        report.check_recorded_sha256(o.info().metadata.get(meta::SHA256).map(String::as_str), "its metadata");
    }
    Ok((report, facts.dump))
}

/// Walks every entry of a package through the bag reader, collecting facts
/// and the findings the reader's classification and faults give.
/// `sink` keeps what is read (unpack) or not (validate).
pub(super) fn walk_tar(
    bag: &mut BagReader<'_>,
    f: &mut Findings,
    progress: &dyn Progress,
    sink: &mut dyn Sink,
) -> Result<BagFacts> {
    let mut facts = BagFacts::default();
    let mut entries = 0usize;
    loop {
        let entry = match bag.next_entry() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(fault) => {
                report_fault(bag, fault, f, &mut facts)?;
                return Ok(facts);
            }
        };
        entries += 1;
        if facts.root.is_none() && !entry.root.is_empty() {
            facts.root = Some(entry.root.clone());
        }
        if !read_entry(bag, entry, &mut facts, f, progress, sink)? {
            return Ok(facts);
        }
    }
    match bag.finish() {
        Ok(false) => {}
        Ok(true) => {
            f.error(Code::TarTrailingGarbage, "non-zero bytes follow the end of the archive")
                .hint("pgbag did not write this; restore the package from another copy");
        }
        Err(fault) => report_fault(bag, fault, f, &mut facts)?,
    }
    if entries == 0 && !facts.broken {
        f.error(Code::TarCorrupt, "the archive holds no entries");
    }
    Ok(facts)
}

/// Reads one classified entry into the facts; `false` when the archive
/// cannot be read further.
fn read_entry(
    bag: &mut BagReader<'_>,
    entry: Entry,
    facts: &mut BagFacts,
    f: &mut Findings,
    progress: &dyn Progress,
    sink: &mut dyn Sink,
) -> Result<bool> {
    if let Some(why) = &entry.misplaced {
        f.error(Code::TarOrder, why.clone()).at(&entry.rel).hint("pgbag packages put tag files first (spec §2)");
    }
    let rel = entry.rel.clone();
    let got = match &entry.class {
        Class::Refused(r) => {
            sink.refused(&entry, r)?;
            f.error(r.code, format!("entry `{}` {}", entry.stored, r.why))
                .hint("pgbag did not write this; do not extract this archive with ordinary tools");
            return Ok(true);
        }
        Class::Root | Class::Folder => {
            sink.folder(&entry)?;
            return Ok(true);
        }
        Class::Tag if entry.size > format::tag_file_cap(&rel) => {
            f.error(Code::TagFileTooLarge, reader::tag_too_large(&rel, Some(entry.size)).to_string()).at(&rel);
            return Ok(true);
        }
        Class::Tag => {
            let mut buf = Vec::with_capacity(entry.size as usize);
            let read = bag.data().read_to_end(&mut buf).context(|| format!("reading {rel}"));
            read.and_then(|_| {
                let mut out = Out::new(sink.file(&entry)?);
                out.write_all(&buf).and_then(|_| out.finish()).context(|| format!("writing {rel}"))?;
                facts.tags.insert(rel.clone(), buf);
                Ok(())
            })
        }
        Class::Payload { .. } if rel == format::DUMP_SQL => {
            let out = Out::new(sink.file(&entry)?);
            scan_into(bag.data(), out, "validating", true, progress).and_then(|(scanned, out)| {
                out.finish().context(|| format!("writing {rel}"))?;
                facts.payload.insert(rel.clone(), PayloadFact { bytes: scanned.bytes, sha256: scanned.sha256.clone() });
                facts.dump = Some(scanned);
                Ok(())
            })
        }
        Class::Payload { .. } => {
            let mut out = Out::new(sink.file(&entry)?);
            let mut h = HashReader::new(bag.data());
            match io::copy(&mut h, &mut out) {
                Ok(_) => {
                    let (sha256, bytes, _) = h.finish();
                    out.finish().context(|| format!("writing {rel}"))?;
                    facts.payload.insert(rel.clone(), PayloadFact { bytes, sha256 });
                    Ok(())
                }
                Err(e) => Err(Error::io(format!("copying {rel}"), e)),
            }
        }
    };
    match (got, bag.take_fault()) {
        (Ok(_), _) => Ok(true),
        (Err(_), Some(fault)) => {
            report_fault(bag, fault, f, facts)?;
            Ok(false)
        }
        (Err(e), None) => Err(e),
    }
}

/// Reports why the archive cannot be read further; what is missing after
/// that point is a consequence, not a finding of its own. A store failure is
/// an error, not a verdict.
fn report_fault(bag: &mut BagReader<'_>, fault: Fault, f: &mut Findings, facts: &mut BagFacts) -> Result<()> {
    let compression = bag.compression();
    let Some(code) = fault.code(compression) else {
        return Err(Error::operational(format!("reading the package stopped: {fault}")));
    };
    let detail = match &fault {
        Fault::Decode { .. } => format!("{fault} ({} stream)", compression.name()),
        _ => fault.to_string(),
    };
    f.error(code, detail).hint(fault.hint());
    facts.broken = true;
    if matches!(fault, Fault::HeaderChecksum { .. }) && compression != Compression::None {
        // A damaged compressed stream may decode into a damaged header before
        // the decoder can tell: decode the rest to say which.
        if let Some(later) = bag.drain()
            && let Some(code @ (Code::CompressedStreamCorrupt | Code::TarTruncated)) = later.code(compression)
        {
            f.error(code, format!("the rest of the archive cannot be read: {later}"))
                .hint("restore the package from another copy");
        }
    }
    Ok(())
}

/// Where a file's contents go: a new file (synced when finished) or nowhere.
struct Out(Option<BufWriter<File>>);

impl Out {
    fn new(file: Option<File>) -> Out {
        Out(file.map(|f| BufWriter::with_capacity(1 << 20, f)))
    }

    fn finish(self) -> io::Result<()> {
        match self.0 {
            Some(w) => w.into_inner().map_err(|e| e.into_error())?.sync_all(),
            None => Ok(()),
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(w) => w.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.as_mut().map_or(Ok(()), |w| w.flush())
    }
}

fn hash_stream<R: Read>(r: R) -> io::Result<PayloadFact> {
    let mut h = HashReader::new(r);
    io::copy(&mut h, &mut io::sink())?;
    let (sha256, bytes, _) = h.finish();
    Ok(PayloadFact { bytes, sha256 })
}

/// Walks a bag directory. `data/dump.sql` is read through the file the
/// package was opened with, so restore streams the file validated.
fn walk_dir(path: &Path, pkg: &OpenPackage, f: &mut Findings, progress: &dyn Progress) -> Result<BagFacts> {
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
                f.error(Code::TarLink, "a symbolic link; bags hold only files").at(&rel);
            } else if ft.is_dir() {
                stack.push((e.path(), rel));
            } else if !ft.is_file() {
                f.error(Code::TarSpecialFile, "not a regular file").at(&rel);
            } else if rel.starts_with("data/") {
                let opened = if rel == format::DUMP_SQL { pkg.dir_dump() } else { None };
                let file = match opened {
                    Some(file) => file,
                    None => Box::new(File::open(e.path()).context(|| format!("opening {}", e.path().display()))?),
                };
                if rel == format::DUMP_SQL {
                    let (scanned, _) = scan_into(file, io::sink(), "validating", true, progress)?;
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
                        f.error(Code::TagFileTooLarge, err.to_string()).at(&rel);
                    }
                }
            }
        }
    }
    Ok(facts)
}

/// Judges the facts: BagIt completeness and validity, pgbag's own tag
/// files, and the dump's integrity.
pub(super) fn check_bag(facts: &BagFacts, f: &mut Findings) {
    // Tag files must be UTF-8 (bagit.txt declares it).
    for (path, bytes) in &facts.tags {
        if std::str::from_utf8(bytes).is_err() {
            f.error(Code::TagFileNotUtf8, "not valid UTF-8").at(path);
        }
    }
    check_bagit_txt(facts, f);
    check_payload_manifest(facts, f);
    check_tag_manifest(facts, f);
    check_bag_info(facts, f);
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

impl BagFacts {
    fn text(&self, p: &str) -> Option<String> {
        self.tags.get(p).map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

fn check_bagit_txt(facts: &BagFacts, f: &mut Findings) {
    match facts.text(format::BAGIT_TXT) {
        None => {
            f.error(Code::BagitTxtMissing, "bagit.txt is missing: this is not a complete bag").at(format::BAGIT_TXT);
        }
        Some(t) => {
            let info = BagInfo::parse(&t).unwrap_or_default();
            if info.get("BagIt-Version").is_none() || info.get("Tag-File-Character-Encoding").is_none() {
                f.error(Code::BagitTxtInvalid, "bagit.txt lacks BagIt-Version or Tag-File-Character-Encoding")
                    .at(format::BAGIT_TXT);
            }
        }
    }
}

/// Every listed payload file present and matching, every payload file
/// listed, and none but the payload files of spec §1.
fn check_payload_manifest(facts: &BagFacts, f: &mut Findings) {
    let mut listed = BTreeSet::new();
    match facts.text(format::MANIFEST_TXT) {
        None => {
            f.error(Code::ManifestMissing, "manifest-sha256.txt is missing").at(format::MANIFEST_TXT);
        }
        Some(t) => {
            let (lines, bad) = format::parse_manifest(&t);
            for (line, why) in bad {
                f.error(Code::ManifestInvalidLine, why).at(format::MANIFEST_TXT).line(line);
            }
            for l in lines {
                listed.insert(l.path.clone());
                match facts.payload.get(&l.path) {
                    None if facts.broken => {}
                    None => {
                        f.error(Code::PayloadMissing, "listed in the manifest but missing").at(&l.path);
                    }
                    Some(p) if p.sha256 != l.sha256 => {
                        f.error(
                            Code::PayloadChecksumMismatch,
                            format!("SHA-256 is {}, the manifest says {}", p.sha256, l.sha256),
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
        if !format::PAYLOAD_FILES.contains(&path.as_str()) {
            f.error(Code::PayloadFileUnexpected, "not a payload file of a pgbag package")
                .at(path)
                .hint("a package holds only data/dump.sql and data/globals.sql; pgbag did not write this");
        }
        if !listed.contains(path) {
            f.error(Code::PayloadUnlisted, "in data/ but not in manifest-sha256.txt").at(path);
        }
    }
}

fn check_tag_manifest(facts: &BagFacts, f: &mut Findings) {
    match facts.text(format::TAGMANIFEST_TXT) {
        None => {
            f.error(Code::TagmanifestMissing, "tagmanifest-sha256.txt is missing").at(format::TAGMANIFEST_TXT);
        }
        Some(t) => {
            let (lines, bad) = format::parse_manifest(&t);
            for (line, why) in bad {
                f.error(Code::ManifestInvalidLine, why).at(format::TAGMANIFEST_TXT).line(line);
            }
            for l in &lines {
                match facts.tags.get(&l.path) {
                    None if facts.broken => {}
                    None => {
                        let msg = "listed in the tag manifest but missing";
                        f.error(Code::TagFileMissing, msg).at(&l.path);
                    }
                    Some(b) if sha256_hex(b) != l.sha256 => {
                        let msg = "SHA-256 does not match the tag manifest";
                        f.error(Code::TagChecksumMismatch, msg).at(&l.path);
                    }
                    Some(_) => {}
                }
            }
            for path in facts.tags.keys() {
                if path != format::TAGMANIFEST_TXT && !lines.iter().any(|l| &l.path == path) {
                    f.warning(Code::TagFileUnlisted, "not in tagmanifest-sha256.txt").at(path);
                }
            }
        }
    }
    for path in facts.tags.keys() {
        if !format::TAG_FILES.contains(&path.as_str()) {
            f.warning(Code::TagFileUnexpected, "not a pgbag tag file").at(path);
        }
    }
}

fn check_bag_info(facts: &BagFacts, f: &mut Findings) {
    let Some(t) = facts.text(format::BAG_INFO_TXT) else {
        f.error(Code::BagInfoMissing, "bag-info.txt is missing").at(format::BAG_INFO_TXT);
        return;
    };
    let info = match BagInfo::parse(&t) {
        Ok(info) => info,
        Err(e) => {
            f.error(Code::BagInfoInvalid, e).at(format::BAG_INFO_TXT);
            return;
        }
    };
    let total: u64 = facts.payload.values().map(|p| p.bytes).sum();
    let actual = format::payload_oxum(total, facts.payload.len());
    match info.get("Payload-Oxum") {
        _ if facts.broken => {}
        Some(o) if o == actual => {}
        Some(o) => {
            f.error(Code::PayloadOxumMismatch, format!("Payload-Oxum says {o}, the payload is {actual}"))
                .at(format::BAG_INFO_TXT);
        }
        None => {
            f.warning(Code::PayloadOxumMissing, "bag-info.txt has no Payload-Oxum").at(format::BAG_INFO_TXT);
        }
    }
}
