//! A bare dump (`.sql`, `.sql.gz`, `.sql.zst`, local or `s3://`), checked
//! as far as a dump without a package can be (spec/inputs.md §4).
//!
//! One streaming pass, as for a package's `data/dump.sql`: the file's own
//! SHA-256, its decoding and the scan at once, so memory stays flat.
//! `inspect` and `validate` both call [`check`], so that they report the
//! same findings for the same dump. A stream that stops decoding part-way is
//! judged on what decoded before the damage, and the damage is a finding;
//! a read that fails (the disk, the store) is an error, never a verdict.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use super::compress::open_decoded;
use super::findings::{Code, Findings};
use super::open::OpenPackage;
use super::pgbag_checks::dump_findings;
use super::scan::{Scanned, scan_into};
use super::sql_checks::hazard_findings;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::stream::DigestAtEnd;

/// The groups of checks of spec/findings.md a bare dump has no use for.
pub const NOT_CHECKED: [&str; 4] = ["archive", "stored", "bagit", "pgbag-files"];

/// What one pass over a bare dump found.
#[derive(Debug)]
pub(crate) struct Checked {
    pub findings: Findings,
    pub scanned: Scanned,
    /// SHA-256 of the file or object as read (compressed, if it is).
    pub sha256: Option<String>,
}

/// Reads the bare dump of `pkg` once and judges it.
pub(crate) fn check(pkg: &OpenPackage, phase: &str, progress: &dyn Progress) -> Result<Checked> {
    let input = pkg.input();
    let at = input.to_string();
    let (raw, digest) = DigestAtEnd::new(pkg.raw()?);
    let (raw, read_failed) = Watched::new(raw);
    let (decoded, compression) = open_decoded(raw).map_err(|e| Error::io(format!("reading {input}"), e))?;
    let mut decoded = StopAtDamage { inner: decoded, damage: None, decoded: 0 };
    let scanned = scan_into(&mut decoded, io::sink(), phase, false, progress);
    if let Some(why) = read_failed.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(Error::operational(format!("reading {input} stopped: {why}")));
    }
    let (scanned, _) = scanned?;
    let damage = decoded.damage.take().map(|e| (e, decoded.decoded));
    drop(decoded);
    let mut f = Findings::default();
    if let Some((e, at_byte)) = damage {
        let what = match e.kind() {
            io::ErrorKind::UnexpectedEof => "ends early".to_string(),
            _ => format!("does not decode ({e})"),
        };
        f.error(
            Code::CompressedStreamCorrupt,
            format!(
                "the {} stream {what} after {at_byte} bytes of the dump; what decoded before is checked",
                compression.name()
            ),
        )
        .at(&at)
        .hint("the file is damaged or was cut short; use another copy");
    }
    dump_findings(&scanned.summary, &at, &mut f);
    hazard_findings(&scanned.hazards, &at, &mut f);
    if let Some(t) = &scanned.summary_too_large {
        f.warning(Code::SummaryTooLarge, format!("{t}: the summary is incomplete"))
            .at(&at)
            .hint("pack and restore refuse such a dump; pack the database in parts (pg_dump --schema)");
    }
    Ok(Checked { findings: f, scanned, sha256: digest.wait() })
}

/// Remembers every failure to read the raw bytes, so that it is not taken
/// for damage in the compressed stream above it.
struct Watched<R> {
    inner: R,
    failed: Arc<Mutex<Option<String>>>,
}

impl<R> Watched<R> {
    fn new(inner: R) -> (Watched<R>, Arc<Mutex<Option<String>>>) {
        let failed = Arc::new(Mutex::new(None));
        (Watched { inner, failed: failed.clone() }, failed)
    }
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let r = self.inner.read(buf);
        if let Err(e) = &r
            && e.kind() != io::ErrorKind::Interrupted
        {
            self.failed.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(|| e.to_string());
        }
        r
    }
}

/// Ends the decoded stream at the first decoding failure, keeping it.
struct StopAtDamage<R> {
    inner: R,
    damage: Option<io::Error>,
    decoded: u64,
}

impl<R: Read> Read for StopAtDamage<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.damage.is_some() {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.decoded += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                self.damage = Some(e);
                Ok(0)
            }
        }
    }
}
