//! One pass over a dump: checksum, size and schema summary at once, while
//! the bytes are copied on to a sink (the spool when packing, nowhere when
//! validating or inspecting).

use std::io::{BufReader, Read, Write};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::schema::{MAX_META_COMMANDS, Summary, SummaryBuilder, TooLarge};
use crate::sql::guard::{self, DatabaseStatement};
use crate::sql::{Hazards, ItemKind, Scanner, TocEntry};
use crate::stream::{HashReader, TeeReader};

/// The dump after one pass.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub sha256: String,
    pub bytes: u64,
    pub summary: Summary,
    /// Every psql meta-command line: (command, arguments, line), the first
    /// [`MAX_META_COMMANDS`]. The summary keeps only names; restore's guard
    /// needs the arguments too.
    pub meta_lines: Vec<(String, String, u64)>,
    /// Where psql could read the dump differently, and SQL that reaches
    /// outside the database (spec/restore.md, "Input guard").
    pub hazards: Hazards,
    /// The summary was stopped at its cap ([`crate::schema::MAX_SUMMARY_JSON`])
    /// and is incomplete: pack refuses the dump, validate reports it, restore
    /// refuses it.
    pub summary_too_large: Option<TooLarge>,
    /// Statements about databases (pg_dump `--create`), the first
    /// [`MAX_DATABASE_STATEMENTS`]: restore leaves them out and lists them.
    pub databases: Vec<DatabaseStatement>,
}

/// Database statements a scan keeps, at most (pg_dump writes a handful).
pub const MAX_DATABASE_STATEMENTS: usize = 100;

const BUF: usize = 1 << 20;

/// Streams `dump` through SHA-256, the scanner and the summary builder,
/// copying every byte into `sink`; returns the results and the sink.
/// `digests`: also derive the tables' content digests (pack records them,
/// a package's validation checks them; a bare dump has none to check).
pub fn scan_into<R: Read, W: Write>(
    dump: R,
    sink: W,
    phase: &str,
    digests: bool,
    progress: &dyn Progress,
) -> Result<(Scanned, W)> {
    let tee = TeeReader::new(HashReader::new(Cancellable { inner: dump, progress }), sink);
    let mut scanner = Scanner::new(BufReader::with_capacity(BUF, tee));
    let mut builder = SummaryBuilder::new();
    if digests {
        (scanner, builder) = (scanner.with_digests(), builder.with_digests());
    }
    progress.start(phase, None);
    let mut last_object: Option<*const TocEntry> = None;
    let mut meta_lines = Vec::new();
    let mut sql_hazards = Hazards::default();
    let mut databases = Vec::new();
    while let Some(item) = scanner.next_item().map_err(|e| Error::io("reading the dump", e))? {
        let scs = scanner.standard_conforming_strings();
        builder.add(&item, scs);
        match &item.kind {
            ItemKind::MetaCommand(m) if meta_lines.len() < MAX_META_COMMANDS => {
                meta_lines.push((m.command.clone(), m.args.clone(), item.line));
            }
            ItemKind::Statement(st) => {
                guard::check(st, item.line, scs).into_iter().for_each(|h| sql_hazards.push(h));
                if databases.len() < MAX_DATABASE_STATEMENTS
                    && let Some(d) = guard::database_statement(st, item.line)
                {
                    databases.push(d);
                }
            }
            _ => {}
        }
        progress.bytes(item.offset + item.len);
        if let Some(toc) = &item.toc {
            // Compare by identity: a new TOC comment is a new Arc.
            if last_object != Some(Arc::as_ptr(toc)) {
                last_object = Some(Arc::as_ptr(toc));
                progress.object(&toc.label());
            }
        }
    }
    progress.finish();
    let header = scanner.header().clone();
    let mut hazards = scanner.hazards().clone();
    hazards.merge(sql_hazards);
    let (hash, sink) = scanner.into_inner().into_inner().into_parts();
    let (sha256, bytes, _) = hash.finish();
    if progress.cancelled() {
        return Err(Error::operational("interrupted"));
    }
    let summary_too_large = builder.too_large();
    let summary = builder.finish(&header);
    Ok((Scanned { sha256, bytes, summary, meta_lines, hazards, summary_too_large, databases }, sink))
}

/// Stops reading once the user asked to stop: every read checks.
struct Cancellable<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for Cancellable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.cancelled() {
            return Err(std::io::Error::other("interrupted"));
        }
        let read = self.inner.read(buf);
        // The interrupt also stops pg_dump, whose pipe then ends or fails:
        // report the interrupt, not its consequence.
        if self.progress.cancelled() {
            return Err(std::io::Error::other("interrupted"));
        }
        read
    }
}
