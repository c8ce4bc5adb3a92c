//! `pack --sql`: an existing dump from a file, an S3 object (streamed once,
//! never downloaded first) or standard input, and what the package records
//! of the original as given, compressed or not: its base name, size,
//! SHA-256 and modification time (spec/pack.md, "Packing an existing dump").
//!
//! The size and SHA-256 are measured while the bytes stream to the decoder,
//! so they are known once the dump has been read; the writer collects them
//! ([`Original::finish`]) before it writes the tag files.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::SecondsFormat;

use super::classify;
use super::compress::Compression;
use super::format::Source;
use crate::error::Result;
use crate::store::Input;
use crate::stream::{DigestAtEnd, PendingDigest};

/// An opened `--sql` input.
pub struct SqlInput {
    /// The decoded dump.
    pub dump: Box<dyn Read>,
    /// What the package records of it; `input_bytes` and `input_sha256`
    /// come from [`Self::original`] once the dump has been read.
    pub source: Source,
    pub original: Original,
}

/// The size and SHA-256 of the original bytes, measured as they stream.
pub struct Original {
    digest: PendingDigest,
    bytes: Arc<AtomicU64>,
}

impl Original {
    /// Records the size and SHA-256 in `source`. Call once the reader has
    /// been read to its end or dropped (a stream not read to its end gives
    /// no SHA-256, never that of a prefix).
    pub fn finish(self, source: &mut Source) {
        source.input_sha256 = self.digest.wait();
        source.input_bytes = Some(self.bytes.load(Ordering::Relaxed));
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens `input` (`None`: standard input) for packing. `database` is
/// `--database NAME`: a plain dump does not name its database.
pub fn open(input: Option<&Input>, database: Option<&str>) -> Result<SqlInput> {
    if let Some(path) = input.and_then(Input::path) {
        classify::refuse_dir(path)?;
    }
    let (raw, what): (Box<dyn Read>, String) = match input {
        Some(i) => (i.open()?, i.to_string()),
        None => (Box::new(io::stdin()), "stdin".to_string()),
    };
    let bytes = Arc::new(AtomicU64::new(0));
    let (hashed, digest) = DigestAtEnd::new(Counting { inner: raw, bytes: bytes.clone() });
    // What is not a plain dump is refused here, before anything is written.
    let (dump, c) = classify::open_plain_dump(hashed, &what)?;
    let source = Source {
        kind: "sql".into(),
        database: database.map(str::to_string),
        input_file: input.and_then(Input::file_name),
        input_compression: (c != Compression::None).then(|| c.name().to_string()),
        input_modified: input.and_then(Input::modified).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        ..Source::default()
    };
    Ok(SqlInput { dump, source, original: Original { digest, bytes } })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn the_original_is_measured_as_given_and_the_dump_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nightly.sql.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"SELECT 1;\n").unwrap();
        let raw = gz.finish().unwrap();
        std::fs::write(&path, &raw).unwrap();
        let mtime = chrono::DateTime::parse_from_rfc3339("2024-03-01T03:00:00Z").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(std::time::SystemTime::from(mtime))
            .unwrap();

        let mut opened = open(Some(&Input::local(&path)), Some("catalog")).unwrap();
        let mut text = String::new();
        opened.dump.read_to_string(&mut text).unwrap();
        assert_eq!(text, "SELECT 1;\n");
        drop(opened.dump);
        let mut source = opened.source;
        opened.original.finish(&mut source);
        assert_eq!(source.input_file.as_deref(), Some("nightly.sql.gz"));
        assert_eq!(source.input_compression.as_deref(), Some("gzip"));
        assert_eq!(source.input_bytes, Some(raw.len() as u64));
        assert_eq!(source.input_sha256, Some(crate::stream::sha256_hex(&raw)));
        assert_eq!(source.input_modified.as_deref(), Some("2024-03-01T03:00:00Z"));
        assert_eq!(source.database.as_deref(), Some("catalog"));
    }
}
