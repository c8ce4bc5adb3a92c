//! The SQL scanner over arbitrary bytes, read in fuzz-chosen chunk sizes.
//!
//! Checks the scanner's invariants (src/sql/scanner.rs): no panic; items tile
//! the input (each starts where the previous ended, with the right line
//! number, and their bytes rejoined are the input); and the items do not
//! depend on where the reads happened to split the input. The items of the
//! one-shot pass are also fed to the schema summary builder, which must not
//! panic either. Memory is bounded by libFuzzer's `-rss_limit_mb` and
//! `-malloc_limit_mb` (see fuzz/README.md).
//!
//! Input layout: byte 0 picks the `BufReader` capacity, byte 1 the largest
//! read size; the rest is the dump.

#![no_main]

use std::io::{self, BufRead, BufReader, Read};

use libfuzzer_sys::fuzz_target;
use pgbag::schema::{Summary, SummaryBuilder};
use pgbag::sql::{ItemKind, Scanner};

/// Returns at most `step` bytes per call, cycling through 1..=step (tar-rs's
/// `RandomReader` idea, as in src/sql/tests.rs).
struct Dribble<'a> {
    data: &'a [u8],
    step: usize,
    next: usize,
}

impl Read for Dribble<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.next.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.next = self.next % self.step + 1;
        Ok(n)
    }
}

/// Scans everything; returns one line per item and the rejoined bytes, and
/// checks that each item starts at the offset and line where the previous
/// one ended.
fn scan<R: BufRead>(r: R, mut builder: Option<SummaryBuilder>) -> (Vec<String>, Vec<u8>) {
    let mut s = Scanner::new(r);
    let mut items = Vec::new();
    let mut joined = Vec::new();
    let mut line = 1u64;
    loop {
        let start = joined.len();
        let item = if s.at_copy_data() {
            s.copy_data_to(&mut joined).expect("reading from memory cannot fail")
        } else {
            match s.next_item().expect("reading from memory cannot fail") {
                Some(item) => item,
                None => break,
            }
        };
        let desc = match &item.kind {
            ItemKind::Trivia(t) => {
                joined.extend_from_slice(t);
                "trivia".to_string()
            }
            ItemKind::Statement(st) => {
                joined.extend_from_slice(&st.text);
                format!("stmt {:?} rows={} term={}", st.facts, st.insert_rows(), st.terminated)
            }
            ItemKind::MetaCommand(m) => {
                joined.extend_from_slice(&m.text);
                format!("meta {:?} {:?}", m.command, m.args)
            }
            ItemKind::CopyData(c) => format!("copy rows={} bytes={} term={}", c.rows, c.bytes, c.terminated),
        };
        assert_eq!(item.offset, start as u64, "item starts where the previous one ended: {desc}");
        assert_eq!(item.len, (joined.len() - start) as u64, "item length: {desc}");
        assert_eq!(item.line, line, "item line: {desc}");
        line += memchr_count(&joined[start..]);
        let toc = item.toc.as_ref().map(|t| t.to_string()).unwrap_or_default();
        items.push(format!(
            "{}+{}@{}: {desc} [{toc}] scs={}",
            item.offset,
            item.len,
            item.line,
            s.standard_conforming_strings()
        ));
        if let Some(b) = builder.as_mut() {
            b.add(&item, s.standard_conforming_strings());
        }
    }
    items.push(format!("{:?}", s.header()));
    if let Some(b) = builder {
        let summary = b.finish(s.header());
        // It becomes pgbag/schema.json, which validate reads back and
        // compares with a fresh summary: the round trip must be exact.
        let json = serde_json::to_vec(&summary).expect("a summary always serializes");
        let back: Summary = serde_json::from_slice(&json).expect("a serialized summary parses");
        assert!(back == summary, "schema.json does not round-trip");
    }
    (items, joined)
}

fn memchr_count(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

fuzz_target!(|data: &[u8]| {
    let [cap, step, dump @ ..] = data else { return };
    let cap = 1 + usize::from(*cap) * 8;
    let step = 1 + usize::from(*step);

    let (whole, joined) = scan(dump, Some(SummaryBuilder::new()));
    assert!(joined == dump, "rejoined items differ from the input");

    let (dribbled, joined) = scan(BufReader::with_capacity(cap, Dribble { data: dump, step, next: 1 }), None);
    assert!(joined == dump, "rejoined items differ from the input (capacity {cap}, reads of 1..={step})");
    assert_eq!(whole, dribbled, "items depend on read sizes (capacity {cap}, reads of 1..={step})");
});
