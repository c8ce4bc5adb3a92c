//! The tag-file parsers over arbitrary bytes: `pgbag/manifest.json`
//! (`reader::parse_manifest`), the checksum manifests
//! (`format::parse_manifest`), `bag-info.txt` (`BagInfo::parse`) and
//! `pgbag/schema.json` (the `Summary` that `Head::summary` deserializes).
//!
//! Beyond "no panic", each parser must agree with its writer: what the
//! writer renders from parsed values parses back to the same values. That is
//! what lets `validate` compare a package's tag files with what it re-derives.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pgbag::package::format::{self, BagInfo, ManifestLine};
use pgbag::package::reader;
use pgbag::schema::Summary;

fuzz_target!(|data: &[u8]| {
    // manifest.json: a parsed manifest renders and parses back unchanged.
    if let Ok(m) = reader::parse_manifest(data) {
        let json = format::to_json_bytes(&m);
        let back = reader::parse_manifest(&json).expect("a rendered manifest.json parses");
        assert_eq!(back, m, "manifest.json does not round-trip");
    }

    // schema.json, as inspect reads it.
    if let Ok(s) = serde_json::from_slice::<Summary>(data) {
        let json = format::to_json_bytes(&s);
        let back: Summary = serde_json::from_slice(&json).expect("a rendered schema.json parses");
        assert!(back == s, "schema.json does not round-trip");
    }

    // Tag files are read as (lossy) UTF-8 text, as validate does.
    let text = String::from_utf8_lossy(data);

    // manifest-sha256.txt: every line is either parsed or reported, digests
    // are normalised, and a rendered manifest parses back.
    let (lines, bad) = format::parse_manifest(&text);
    let line_count = text.lines().count();
    assert!(lines.len() + bad.len() <= line_count, "more results than lines");
    let mut last_bad = 0;
    for (n, _) in &bad {
        assert!(*n > last_bad && *n as usize <= line_count, "bad line number {n}");
        last_bad = *n;
    }
    for l in &lines {
        assert!(l.sha256.len() == 64 && l.sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    }
    // Paths the writer can produce: no leading blanks or `*` (RFC 8493
    // binary-mode marker, stripped on read), no line breaks.
    let renderable: Vec<(String, String)> = lines
        .iter()
        .filter(|l| !l.path.starts_with([' ', '\t', '*']) && !l.path.contains(['\n', '\r']))
        .map(|l| (l.path.clone(), l.sha256.clone()))
        .collect();
    let (again, bad) = format::parse_manifest(&format::render_manifest(&renderable));
    assert!(bad.is_empty(), "a rendered manifest has bad lines: {bad:?}");
    let mut want: Vec<ManifestLine> =
        renderable.into_iter().map(|(path, sha256)| ManifestLine { sha256, path }).collect();
    want.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(again, want, "manifest-sha256.txt does not round-trip");

    // bag-info.txt: a parsed bag-info renders and parses back to the same
    // labels, with values as render normalises them (control characters
    // become spaces, then trimmed).
    if let Ok(info) = BagInfo::parse(&text) {
        let rendered = info.render();
        let back = BagInfo::parse(&rendered).expect("a rendered bag-info.txt parses");
        let want: Vec<(String, String)> = info
            .0
            .iter()
            .map(|(k, v)| {
                let v: String = v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                (k.clone(), v.trim().to_string())
            })
            .collect();
        assert_eq!(back.0, want, "bag-info.txt does not round-trip");
    }
});
