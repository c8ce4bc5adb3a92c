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
//! Hazards (src/sql/hazard.rs) and the strict scanner that restore feeds
//! psql from (`Scanner::strict`):
//! - the hazards found (each one's code and line, in order, and their total)
//!   do not depend on how the reads are split either;
//! - a strict scanner over the same input, read either way, hands out
//!   exactly the items the non-strict one had handed out before its first
//!   hazard appeared in `hazards()`, then fails with a `HazardError` that
//!   carries that first hazard (the same code and line); with no hazard it
//!   hands out every item and ends cleanly. It never fails with any other
//!   error, and after its error it fails again, never resumes;
//! - it never hands out the bytes that hold the hazard: everything it gave
//!   (items and COPY bytes streamed before the error) is a prefix of the
//!   input ending on or before the hazard's line, and holds no NUL byte at
//!   all (every NUL is a hazard, so the first one is at or after the first
//!   hazard).
//!
//! Input layout: byte 0 picks the `BufReader` capacity, byte 1 the largest
//! read size; the rest is the dump.

#![no_main]

use std::io::{self, BufRead, BufReader, Read};

use libfuzzer_sys::fuzz_target;
use pgbag::schema::{Summary, SummaryBuilder};
use pgbag::sql::{Hazard, HazardError, ItemKind, Scanner};

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

/// What one pass handed out.
struct Pass {
    /// One line per item.
    items: Vec<String>,
    /// The bytes handed out, rejoined (COPY bytes as streamed).
    joined: Vec<u8>,
    /// (code, line) of every hazard kept, in order, then the total.
    hazards: (Vec<(&'static str, u64)>, u64),
    /// How many items had been handed out when the first hazard appeared in
    /// `hazards()` (non-strict passes).
    first_hazard_after: Option<usize>,
    /// A strict pass's error.
    error: Option<Hazard>,
}

fn key(h: &Hazard) -> (&'static str, u64) {
    (h.code.code(), h.line)
}

/// Scans everything; checks that each item starts at the offset and line
/// where the previous one ended.
fn scan<R: BufRead>(r: R, strict: bool, mut builder: Option<SummaryBuilder>) -> Pass {
    let mut s = if strict { Scanner::strict(r) } else { Scanner::new(r) };
    let mut items = Vec::new();
    let mut joined = Vec::new();
    let mut line = 1u64;
    let mut first_hazard_after = None;
    let mut error = None;
    loop {
        let start = joined.len();
        let got = if s.at_copy_data() { s.copy_data_to(&mut joined).map(Some) } else { s.next_item() };
        if first_hazard_after.is_none() && !s.hazards().is_empty() {
            // The call that returned item N (or the end) is the one that met it.
            first_hazard_after = Some(items.len());
        }
        let item = match got {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(e) => {
                assert!(strict, "reading from memory cannot fail: {e}");
                let h = HazardError::find(&e)
                    .unwrap_or_else(|| panic!("a strict scanner fails only with a HazardError: {e}"));
                error = Some(h.clone());
                // It stays failed: no more items, the same hazard.
                let again = if s.at_copy_data() { s.copy_data_to(&mut io::sink()).map(Some) } else { s.next_item() };
                let again = again.err().unwrap_or_else(|| panic!("a strict scanner resumed after its error: {h}"));
                assert_eq!(HazardError::find(&again).map(key), Some(key(h)), "a strict scanner changed its error");
                break;
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
    if error.is_none() {
        items.push(format!("{:?}", s.header()));
    }
    if let Some(b) = builder {
        let summary = b.finish(s.header());
        // It becomes pgbag/schema.json, which validate reads back and
        // compares with a fresh summary: the round trip must be exact.
        let json = serde_json::to_vec(&summary).expect("a summary always serializes");
        let back: Summary = serde_json::from_slice(&json).expect("a serialized summary parses");
        assert!(back == summary, "schema.json does not round-trip");
    }
    let hazards = (s.hazards().kept.iter().map(key).collect(), s.hazards().total);
    Pass { items, joined, hazards, first_hazard_after, error }
}

fn memchr_count(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

/// The strict pass against the non-strict one over the same reads.
fn check_strict(plain: &Pass, strict: &Pass, how: &str) {
    assert!(plain.joined.starts_with(&strict.joined), "a strict scanner handed out other bytes ({how})");
    match plain.hazards.0.first() {
        None => {
            assert!(strict.error.is_none(), "a strict scanner failed on an input without hazards ({how})");
            assert_eq!(strict.items, plain.items, "strict and plain items differ on an input without hazards ({how})");
            assert!(strict.joined == plain.joined, "a strict scanner handed out other bytes ({how})");
        }
        Some(&first) => {
            let err = strict
                .error
                .as_ref()
                .unwrap_or_else(|| panic!("a strict scanner ended cleanly over {first:?} ({how})"));
            assert_eq!(key(err), first, "a strict scanner failed on another hazard than the first ({how})");
            let n = plain.first_hazard_after.expect("a hazard appeared");
            assert_eq!(
                strict.items,
                plain.items[..n],
                "a strict scanner handed out other items than those before the hazard ({how})"
            );
            let end_line = 1 + memchr_count(&strict.joined);
            assert!(
                end_line <= first.1,
                "a strict scanner handed out bytes up to line {end_line}, past its hazard {first:?} ({how})"
            );
            assert!(
                !strict.joined.contains(&0),
                "a strict scanner handed out a NUL byte before failing on {first:?} ({how})"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [cap, step, dump @ ..] = data else { return };
    let cap = 1 + usize::from(*cap) * 8;
    let step = 1 + usize::from(*step);
    let dribble = || BufReader::with_capacity(cap, Dribble { data: dump, step, next: 1 });
    let how = format!("capacity {cap}, reads of 1..={step}");

    let whole = scan(dump, false, Some(SummaryBuilder::new()));
    assert!(whole.joined == dump, "rejoined items differ from the input");

    let dribbled = scan(dribble(), false, None);
    assert!(dribbled.joined == dump, "rejoined items differ from the input ({how})");
    assert_eq!(whole.items, dribbled.items, "items depend on read sizes ({how})");
    assert_eq!(whole.hazards, dribbled.hazards, "hazards depend on read sizes ({how})");

    let strict_whole = scan(dump, true, None);
    check_strict(&whole, &strict_whole, "one read");
    let strict_dribbled = scan(dribble(), true, None);
    check_strict(&dribbled, &strict_dribbled, &how);
});
