//! The package format's fixed parts (spec/package-format.md): file names and
//! their order, `bagit.txt`, `bag-info.txt`, the checksum manifests and
//! `pgbag/manifest.json`.
//!
//! Everything here renders deterministically: the same values give the same
//! bytes. Parsers are strict about structure but tolerate unknown JSON keys
//! (format version 1 readers must ignore them).

use serde::{Deserialize, Serialize};

/// The package format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

pub const BAGIT_TXT: &str = "bagit.txt";
pub const BAG_INFO_TXT: &str = "bag-info.txt";
pub const MANIFEST_TXT: &str = "manifest-sha256.txt";
pub const TAGMANIFEST_TXT: &str = "tagmanifest-sha256.txt";
pub const MANIFEST_JSON: &str = "pgbag/manifest.json";
pub const SCHEMA_JSON: &str = "pgbag/schema.json";
pub const README_TXT: &str = "pgbag/README.txt";
pub const DUMP_SQL: &str = "data/dump.sql";
pub const GLOBALS_SQL: &str = "data/globals.sql";

/// Tag files in archive order (spec §2); `tagmanifest-sha256.txt` covers all
/// of them but itself.
pub const TAG_FILES: [&str; 7] =
    [BAGIT_TXT, BAG_INFO_TXT, MANIFEST_TXT, TAGMANIFEST_TXT, MANIFEST_JSON, SCHEMA_JSON, README_TXT];

/// The payload files a version-1 package may hold.
pub const PAYLOAD_FILES: [&str; 2] = [GLOBALS_SQL, DUMP_SQL];

pub const BAGIT_TXT_CONTENT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// Largest size a reader accepts for a tag file (spec §2.1); a larger one is
/// refused before it is read into memory. Tag files pgbag does not write get
/// the text files' cap.
pub fn tag_file_cap(path: &str) -> u64 {
    match path {
        BAGIT_TXT => 4 << 10,
        MANIFEST_JSON => 4 << 20,
        // About 300 bytes a table; what the summary cap allows fits.
        README_TXT => 4 << 20,
        // About 2.8 KB a table of eight columns with its sequence, key,
        // index and comment: some 6,000 such tables. Parsed whole, and the
        // summary re-derived beside it, within 100 MiB (spec §2.1).
        SCHEMA_JSON => crate::schema::MAX_SUMMARY_JSON,
        _ => 1 << 20,
    }
}

/// Largest total a reader decodes outside payload contents (tag files, tar
/// headers, padding): the per-file caps add up to less.
pub const MAX_HEAD: u64 = 32 << 20;

/// Outside payload contents, decoded bytes may exceed this many times the
/// compressed bytes consumed only below [`EXPANSION_FLOOR`]: text and JSON
/// compress 5-50:1 (a very repetitive schema.json perhaps 100:1), zeros
/// 1000-30000:1 (a decompression bomb; deflate tops out near 1032:1). So a
/// bomb is stopped after 8 MiB, while the caps above leave room for real
/// schemas.
pub const MAX_EXPANSION: u64 = 500;
pub const EXPANSION_FLOOR: u64 = 8 << 20;

/// `1 MiB`, `4 KiB`: caps in messages.
pub fn binary_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// `pgbag/manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub created_at: String,
    pub pgbag_version: String,
    pub name: String,
    pub source: Source,
    pub payload: Vec<PayloadFile>,
    pub extensions: Vec<ExtensionVersion>,
    pub dump: DumpState,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// `database` (pack --db) or `sql` (pack --sql).
    pub kind: String,
    pub database: Option<String>,
    pub server_version: Option<String>,
    pub pg_dump_version: Option<String>,
    pub encoding: Option<String>,
    pub pg_dump_options: Vec<String>,
    pub input_file: Option<String>,
    pub input_compression: Option<String>,
    /// `--sql`: the size, SHA-256 and modification time (RFC 3339 UTC) of
    /// the input as given, compressed or not (spec/pack.md). Older packages
    /// lack them.
    #[serde(default)]
    pub input_bytes: Option<u64>,
    #[serde(default)]
    pub input_sha256: Option<String>,
    #[serde(default)]
    pub input_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionVersion {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpState {
    pub complete: bool,
    pub restrict_key: bool,
}

/// Serializes as the spec says: two-space indentation and a final newline.
pub fn to_json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).expect("in-memory JSON serialization cannot fail");
    out.push(b'\n');
    out
}

/// Whether `value` renders (as [`to_json_bytes`] renders it) to exactly
/// `bytes`, without holding the rendering: it is compared as it is written.
pub fn renders_as<T: Serialize>(value: &T, bytes: &[u8]) -> bool {
    struct Compare<'a> {
        rest: &'a [u8],
    }
    impl std::io::Write for Compare<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            match self.rest.strip_prefix(buf) {
                Some(rest) => {
                    self.rest = rest;
                    Ok(buf.len())
                }
                None => Err(std::io::Error::other("differs")),
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Compare { rest: bytes };
    serde_json::to_writer_pretty(&mut c, value).is_ok() && c.rest == b"\n"
}

/// One `checksum  path` line of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestLine {
    pub sha256: String,
    pub path: String,
}

/// Renders a manifest (`<hex>  <path>\n`, sorted by path in byte order).
pub fn render_manifest(entries: &[(String, String)]) -> String {
    let mut sorted: Vec<_> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.iter().map(|(path, sha)| format!("{sha}  {path}\n")).collect()
}

/// Parses a manifest; returns the lines and, for bad lines, their 1-based
/// numbers and a reason.
pub fn parse_manifest(text: &str) -> (Vec<ManifestLine>, Vec<(u64, String)>) {
    let mut lines = Vec::new();
    let mut bad = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        // RFC 8493 §2.1.3: checksum, one or more whitespace characters, path.
        let Some((sum, path)) = l.split_once([' ', '\t']) else {
            bad.push((i as u64 + 1, "expected `<sha256>  <path>`".to_string()));
            continue;
        };
        let path = path.trim_start_matches([' ', '\t', '*']);
        if sum.len() != 64 || !sum.bytes().all(|b| b.is_ascii_hexdigit()) {
            bad.push((i as u64 + 1, format!("`{sum}` is not a SHA-256 hex digest")));
            continue;
        }
        lines.push(ManifestLine { sha256: sum.to_ascii_lowercase(), path: path.to_string() });
    }
    (lines, bad)
}

/// `bag-info.txt` as ordered `Label: value` pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagInfo(pub Vec<(String, String)>);

impl BagInfo {
    pub fn get(&self, label: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(label)).map(|(_, v)| v.as_str())
    }

    pub fn render(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| {
                let v: String = v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                format!("{k}: {}\n", v.trim())
            })
            .collect()
    }

    /// Parses `Label: value` lines, joining RFC 8493 continuation lines
    /// (lines that start with whitespace) to the previous value.
    pub fn parse(text: &str) -> Result<BagInfo, String> {
        let mut fields: Vec<(String, String)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with([' ', '\t']) {
                match fields.last_mut() {
                    Some((_, v)) => {
                        v.push(' ');
                        v.push_str(line.trim());
                    }
                    None => return Err(format!("line {}: continuation without a label", i + 1)),
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let (k, v) = line.split_once(':').ok_or_else(|| format!("line {}: expected `Label: value`", i + 1))?;
            fields.push((k.trim().to_string(), v.trim().to_string()));
        }
        Ok(BagInfo(fields))
    }
}

/// `Payload-Oxum`: `<octets>.<count>`.
pub fn payload_oxum(bytes: u64, files: usize) -> String {
    format!("{bytes}.{files}")
}

/// A human size with one decimal, SI units (`12.3 MB`), for `Bag-Size`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// `n` and the noun, plural unless `n` is 1: `1 view`, `4 indexes`,
/// `2 policies`. With [`plural`], the one place pgbag makes plurals.
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    if n == N::from(1) { format!("1 {noun}") } else { format!("{n} {}", plural(noun)) }
}

/// The plural of an English noun as pgbag uses them; the last word of
/// `noun` is the one that changes (`materialized views`).
pub fn plural(noun: &str) -> String {
    if noun.ends_with(['s', 'x', 'z']) || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else if let Some(stem) = noun.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies")
    } else {
        format!("{noun}s")
    }
}

/// Replaces characters that are unsafe in file names; used for default
/// package names (spec §5).
pub fn sanitize_name(s: &str) -> String {
    let out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    let out = out.trim_start_matches('.').to_string();
    if out.is_empty() { "dump".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one_and_plural_otherwise() {
        assert_eq!(count(1usize, "view"), "1 view");
        assert_eq!(count(0usize, "view"), "0 views");
        assert_eq!(count(4u64, "index"), "4 indexes");
        assert_eq!(count(2u64, "policy"), "2 policies");
        assert_eq!(count(2u64, "day"), "2 days");
        assert_eq!(count(3usize, "materialized view"), "3 materialized views");
        assert_eq!(count(2u64, "match"), "2 matches");
    }

    #[test]
    fn manifest_round_trip_sorted_two_spaces() {
        let text =
            render_manifest(&[("data/dump.sql".into(), "ab".repeat(32)), ("data/globals.sql".into(), "cd".repeat(32))]);
        assert_eq!(text, format!("{}  data/dump.sql\n{}  data/globals.sql\n", "ab".repeat(32), "cd".repeat(32)));
        let (lines, bad) = parse_manifest(&text);
        assert!(bad.is_empty());
        assert_eq!(lines[1].path, "data/globals.sql");
        let (_, bad) = parse_manifest("xyz  data/dump.sql\n");
        assert_eq!(bad[0].0, 1);
    }

    #[test]
    fn bag_info_parses_continuations_and_renders_one_line_values() {
        let info = BagInfo::parse("Source-Organization: Library\nExternal-Description: a\n  b\n").unwrap();
        assert_eq!(info.get("external-description"), Some("a b"));
        let r = BagInfo(vec![("K".into(), "x\ny".into())]).render();
        assert_eq!(r, "K: x y\n");
        assert!(BagInfo::parse("no colon here").is_err());
    }

    #[test]
    fn tag_file_caps_fit_in_the_head_cap() {
        assert_eq!(tag_file_cap(BAGIT_TXT), 4096);
        assert_eq!(tag_file_cap(SCHEMA_JSON), 16 << 20);
        assert_eq!(tag_file_cap("unexpected.txt"), 1 << 20);
        assert!(TAG_FILES.iter().map(|t| tag_file_cap(t)).sum::<u64>() < MAX_HEAD);
        assert_eq!(
            (binary_size(4096), binary_size(320 << 20), binary_size(1000)),
            ("4 KiB".into(), "320 MiB".into(), "1000 bytes".into())
        );
    }

    #[test]
    fn sizes_and_names() {
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(12_345_678), "12.3 MB");
        assert_eq!(payload_oxum(10, 2), "10.2");
        assert_eq!(sanitize_name("my db/é"), "my_db__");
        assert_eq!(sanitize_name("..x"), "x");
    }
}
