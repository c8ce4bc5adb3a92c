//! What an input is (spec/inputs.md): a package, a bag directory, a bare
//! dump, or not a dump or a package at all. Decided from content, never
//! from a name: the first [`SAMPLE`] bytes of the decoded stream.
//!
//! Invariant: every command says the same of an input that is not a dump
//! or a package, in the words of [`NotADump`], and exits 1 for it
//! (`ErrorKind::Invalid`). A dump with pg_dump's header is a dump whatever
//! follows it, so the scanner's hazard checks, not this sniffing, judge its
//! bytes.

use std::fmt::Display;
use std::io::{self, Read};

use super::compress::{Compression, open_decoded};
use super::findings::Code;
use super::reader::InputKind;
use crate::error::{Error, Result};

/// How many decoded bytes decide the kind.
pub const SAMPLE: usize = 8 << 10;

/// What the sample of a file's decoded stream shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// A tar header: a package (or something else in tar form that
    /// validate will judge).
    Tar,
    /// Plain SQL: pg_dump's output, or text that looks like SQL.
    Dump,
    Not(NotADump),
}

/// An input that is neither a package nor a plain-format dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotADump {
    /// No bytes: a zero-byte file, or a compressed stream of nothing.
    Empty,
    /// A pg_dump archive that pg_restore reads.
    PgDumpArchive(ArchiveFormat),
    /// Bytes that are not text.
    Binary,
    /// Text in UTF-16, which is what a PowerShell redirect writes.
    Utf16,
    /// Text that does not look like SQL.
    Text,
}

/// pg_dump's archive formats (`pg_dump -F`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    Custom,
    Tar,
    Directory,
}

impl NotADump {
    /// The kind's name in `--json` (spec/inputs.md §1).
    pub fn name(self) -> &'static str {
        match self {
            NotADump::Empty => "empty",
            NotADump::PgDumpArchive(_) => "pg-dump-archive",
            NotADump::Binary => "binary",
            NotADump::Utf16 | NotADump::Text => "text",
        }
    }

    /// The finding `validate` reports for it.
    pub fn code(self) -> Code {
        match self {
            NotADump::Empty => Code::InputEmpty,
            NotADump::PgDumpArchive(_) => Code::InputPgDumpArchive,
            NotADump::Binary | NotADump::Utf16 | NotADump::Text => Code::InputNotADump,
        }
    }

    /// What it is, as a noun phrase: `an empty gzip stream (…)`.
    pub fn describe(self, compression: Option<Compression>) -> String {
        let compressed = match compression {
            Some(c @ (Compression::Gzip | Compression::Zstd)) => format!(", {}-compressed", c.name()),
            _ => String::new(),
        };
        match self {
            NotADump::Empty => match compression {
                Some(c @ (Compression::Gzip | Compression::Zstd)) => {
                    format!("an empty {} stream (no bytes once decompressed)", c.name())
                }
                _ => "an empty file (0 bytes)".to_string(),
            },
            NotADump::PgDumpArchive(f) => {
                let format = match f {
                    ArchiveFormat::Custom => "custom",
                    ArchiveFormat::Tar => "tar",
                    ArchiveFormat::Directory => "directory",
                };
                format!("a pg_dump {format}-format archive{compressed}")
            }
            NotADump::Binary => format!("binary data{compressed}"),
            NotADump::Utf16 => format!("UTF-16 text{compressed}, which psql does not read"),
            NotADump::Text => format!("text that is not SQL{compressed}"),
        }
    }

    /// What to do about it.
    pub fn hint(self, input: &dyn Display) -> String {
        match self {
            NotADump::Empty => "pg_dump | gzip leaves this when pg_dump fails: check the job that made it and \
                                pg_dump's errors"
                .to_string(),
            NotADump::PgDumpArchive(_) => {
                let name = input.to_string();
                let file = name.rsplit('/').next().unwrap_or(&name);
                let stem = file.split('.').next().filter(|s| !s.is_empty()).unwrap_or("dump");
                format!(
                    "restore it with pg_restore, or turn it into a plain dump with `pg_restore -f {stem}.sql {name}` \
                     and pack that"
                )
            }
            NotADump::Utf16 => "convert it first (`iconv -f UTF-16 -t UTF-8`), then pack that".to_string(),
            NotADump::Binary | NotADump::Text => "pgbag reads packages (.tar.zst, .tar.gz, .tar, bag directories) \
                                                  and plain-format pg_dump output (.sql, .sql.gz, .sql.zst)"
                .to_string(),
        }
    }

    /// The one sentence every command says of it (spec/inputs.md §3).
    pub fn headline(self, input: &dyn Display, compression: Option<Compression>) -> String {
        format!("{input} is not a dump or a package: it is {}", self.describe(compression))
    }

    /// The error every command but `validate` ends with: exit 1.
    pub fn error(self, input: &dyn Display, compression: Option<Compression>) -> Error {
        Error::invalid(format!("{}; {}", self.headline(input, compression), self.hint(input)))
    }
}

impl InputKind {
    /// The kind's name in `--json` (spec/inputs.md §1).
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Dir => "directory",
            InputKind::Tar(_) => "package",
            InputKind::Sql(_) => "dump",
        }
    }

    pub fn compression(self) -> Option<Compression> {
        match self {
            InputKind::Dir => None,
            InputKind::Tar(c) | InputKind::Sql(c) => Some(c),
        }
    }

    /// What it is, as the first line of `inspect` and `validate` says.
    pub fn describe(self) -> String {
        match self {
            InputKind::Dir => "a bag directory".to_string(),
            InputKind::Tar(Compression::None) => "a package (tar)".to_string(),
            InputKind::Tar(c) => format!("a package (tar, {})", c.name()),
            InputKind::Sql(Compression::None) => "a bare dump (plain-format SQL), not a package".to_string(),
            InputKind::Sql(c) => format!("a bare dump (plain-format SQL, {}), not a package", c.name()),
        }
    }

    /// `INPUT: DESCRIPTION`, the first line of `inspect` and `validate`.
    pub fn headline(self, input: &dyn Display) -> String {
        format!("{input}: {}", self.describe())
    }
}

/// Decides from the sample (spec/inputs.md §2, rules 1 to 7).
pub(crate) fn sniff(sample: &[u8]) -> Sniffed {
    if sample.is_empty() {
        return Sniffed::Not(NotADump::Empty);
    }
    if sample.starts_with(b"PGDMP") {
        return Sniffed::Not(NotADump::PgDumpArchive(ArchiveFormat::Custom));
    }
    if sample.len() >= 262 && &sample[257..262] == b"ustar" {
        // pg_dump -Ft writes toc.dat first (pg_backup_tar.c).
        let name = &sample[..100];
        let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(100)];
        return if name == b"toc.dat" {
            Sniffed::Not(NotADump::PgDumpArchive(ArchiveFormat::Tar))
        } else {
            Sniffed::Tar
        };
    }
    let text = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    if begins_like_pg_dump(text) {
        return Sniffed::Dump;
    }
    if text.starts_with(b"\xFF\xFE") || text.starts_with(b"\xFE\xFF") {
        return Sniffed::Not(NotADump::Utf16);
    }
    if text.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1B)) {
        return Sniffed::Not(NotADump::Binary);
    }
    match first_significant(text) {
        None => Sniffed::Dump,
        Some(b) if b.is_ascii_alphabetic() || b == b'\\' || b == b'(' => Sniffed::Dump,
        Some(_) => Sniffed::Not(NotADump::Text),
    }
}

/// `--` / `-- PostgreSQL database dump` / `--` as the first lines, after
/// blank and `\restrict` lines (pg_dump's `_doSetFixedOutputState` and the
/// header of pg_dumpall).
fn begins_like_pg_dump(text: &[u8]) -> bool {
    let mut lines = text
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .skip_while(|l| l.trim_ascii().is_empty() || l.starts_with(b"\\restrict "));
    let banner = [b"-- PostgreSQL database dump".as_slice(), b"-- PostgreSQL database cluster dump"];
    lines.next() == Some(b"--") && lines.next().is_some_and(|l| banner.contains(&l)) && lines.next() == Some(b"--")
}

/// The first byte after white space and SQL comments (block comments
/// nest, as in PostgreSQL), if the sample has one.
fn first_significant(text: &[u8]) -> Option<u8> {
    let mut i = 0;
    loop {
        while i < text.len() && text[i].is_ascii_whitespace() || text.get(i) == Some(&0x0B) {
            i += 1;
        }
        let rest = &text[i..];
        if rest.starts_with(b"--") {
            i += rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |p| p + 1);
        } else if rest.starts_with(b"/*") {
            let mut depth = 0usize;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            i += j;
        } else {
            return rest.first().copied();
        }
    }
}

/// Reads up to [`SAMPLE`] bytes; a read error after some bytes ends the
/// sample there, and is given back with it.
pub(crate) fn read_sample(r: &mut dyn Read) -> (Vec<u8>, Option<io::Error>) {
    let mut sample = vec![0u8; SAMPLE];
    let mut n = 0;
    while n < SAMPLE {
        match r.read(&mut sample[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                sample.truncate(n);
                return (sample, Some(e));
            }
        }
    }
    sample.truncate(n);
    (sample, None)
}

/// Opens a stream that must be a plain-format dump (`pack --sql`): decodes
/// its transport compression and refuses, before anything is written, a
/// stream that is not a dump (exit 1) or that is a package (exit 2). The
/// reader returned gives every decoded byte, the sample included.
pub fn open_plain_dump<'a, R: Read + 'a>(raw: R, name: &str) -> Result<(Box<dyn Read + 'a>, Compression)> {
    let (mut decoded, c) = open_decoded(raw).map_err(|e| Error::io(format!("reading {name}"), e))?;
    let (sample, failed) = read_sample(&mut decoded);
    if let Some(e) = failed {
        if crate::store::is_store_error(&e) || c == Compression::None {
            return Err(Error::io(format!("reading {name}"), e));
        }
        return Err(Error::invalid(format!(
            "{name} cannot be decompressed ({}): {e}; the file is damaged or truncated",
            c.name()
        )));
    }
    match sniff(&sample) {
        Sniffed::Dump => Ok((Box::new(io::Cursor::new(sample).chain(decoded)), c)),
        Sniffed::Tar => Err(Error::usage(format!(
            "{name} is {}, not a dump: there is nothing to pack; `pgbag inspect` and `pgbag validate` read it",
            InputKind::Tar(c).describe()
        ))),
        Sniffed::Not(x) => Err(x.error(&name, Some(c))),
    }
}

/// Refuses a directory named as a dump: it is said to be what it is (a
/// bag, a pg_dump directory archive) rather than failing to read.
pub fn refuse_dir(path: &std::path::Path) -> Result<()> {
    if !path.is_dir() {
        return Ok(());
    }
    let name = path.display().to_string();
    Err(match super::reader::probe_dir(path) {
        super::reader::Probe::NotADump(what, c) => what.error(&name, c),
        super::reader::Probe::Dir => Error::usage(format!(
            "{name} is {}, not a dump: there is nothing to pack; `pgbag inspect` and `pgbag validate` read it",
            InputKind::Dir.describe()
        )),
        _ => Error::usage(format!("{name} is a directory, not a dump; give the dump's file")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn kind(bytes: &[u8]) -> Sniffed {
        sniff(bytes)
    }

    #[test]
    fn pg_dump_headers_are_dumps_also_after_restrict_and_with_crlf() {
        assert_eq!(kind(b"--\n-- PostgreSQL database dump\n--\n\n\\restrict k\n"), Sniffed::Dump);
        assert_eq!(kind(b"\\restrict k\n\n--\n-- PostgreSQL database dump\n--\n"), Sniffed::Dump);
        assert_eq!(kind(b"--\r\n-- PostgreSQL database cluster dump\r\n--\r\n"), Sniffed::Dump);
        assert_eq!(kind(b"\xEF\xBB\xBF--\n-- PostgreSQL database dump\n--\n"), Sniffed::Dump);
        // NUL bytes after the header are the scanner's business, not ours.
        assert_eq!(kind(b"--\n-- PostgreSQL database dump\n--\nSELECT '\0';\n"), Sniffed::Dump);
    }

    #[test]
    fn sql_looking_text_without_the_header_is_a_dump() {
        for s in
            [&b"CREATE TABLE t (a int);\n"[..], b"  -- note\n/* a /* nested */ one */\nselect 1;", b"\\connect x\n"]
        {
            assert_eq!(kind(s), Sniffed::Dump, "{}", String::from_utf8_lossy(s));
        }
        assert_eq!(kind(b"-- only a comment, cut short"), Sniffed::Dump);
        assert_eq!(kind(b"\n\n   \n"), Sniffed::Dump);
        // LATIN1 bytes are text.
        assert_eq!(kind(b"INSERT INTO t VALUES ('caf\xe9');\n"), Sniffed::Dump);
    }

    #[test]
    fn everything_else_is_named() {
        assert_eq!(kind(b""), Sniffed::Not(NotADump::Empty));
        assert_eq!(kind(b"PGDMP\x01\x0e\x00"), Sniffed::Not(NotADump::PgDumpArchive(ArchiveFormat::Custom)));
        assert_eq!(kind(b"{\"a\": 1}\n"), Sniffed::Not(NotADump::Text));
        assert_eq!(kind(b"<html>"), Sniffed::Not(NotADump::Text));
        assert_eq!(kind(b"12,34\n"), Sniffed::Not(NotADump::Text));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n\0\0"), Sniffed::Not(NotADump::Binary));
        assert_eq!(kind(b"\xFF\xFE-\0-\0"), Sniffed::Not(NotADump::Utf16));
    }

    #[test]
    fn a_tar_is_a_package_unless_it_is_pg_dumps_tar_format() {
        let mut tar = vec![0u8; 1024];
        tar[..7].copy_from_slice(b"toc.dat");
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(kind(&tar), Sniffed::Not(NotADump::PgDumpArchive(ArchiveFormat::Tar)));
        tar[..7].copy_from_slice(b"bag/xyz");
        assert_eq!(kind(&tar), Sniffed::Tar);
    }

    #[test]
    fn descriptions_name_the_compression() {
        assert_eq!(
            NotADump::Empty.describe(Some(Compression::Gzip)),
            "an empty gzip stream (no bytes once decompressed)"
        );
        assert_eq!(NotADump::Empty.describe(Some(Compression::None)), "an empty file (0 bytes)");
        assert_eq!(
            NotADump::PgDumpArchive(ArchiveFormat::Custom).describe(Some(Compression::Zstd)),
            "a pg_dump custom-format archive, zstd-compressed"
        );
        let e = NotADump::PgDumpArchive(ArchiveFormat::Custom).error(&"/b/catalog.dump", None);
        assert_eq!(e.kind(), crate::error::ErrorKind::Invalid);
        assert!(e.to_string().contains("pg_restore -f catalog.sql /b/catalog.dump"), "{e}");
    }

    #[test]
    fn open_plain_dump_gives_every_byte_back_and_refuses_what_is_not_a_dump() {
        let dump: Vec<u8> = b"--\n-- PostgreSQL database dump\n--\n".iter().copied().cycle().take(3 * SAMPLE).collect();
        let mut gz = Compression::Gzip.encoder(Vec::new(), 6).unwrap();
        gz.write_all(&dump).unwrap();
        let gz = gz.finish().unwrap();
        // One byte per read, as a pipe may give them.
        let (mut r, c) = open_plain_dump(super::super::compress::tests::OneByte(&gz[..]), "x").unwrap();
        let mut back = Vec::new();
        r.read_to_end(&mut back).unwrap();
        assert_eq!((back == dump, c), (true, Compression::Gzip));

        let empty = Compression::Gzip.encoder(Vec::new(), 6).unwrap().finish().unwrap();
        let err = open_plain_dump(&empty[..], "nightly.sql.gz").err().unwrap();
        assert_eq!(err.kind(), crate::error::ErrorKind::Invalid);
        assert!(err.to_string().starts_with("nightly.sql.gz is not a dump or a package: it is an empty gzip stream"));
    }
}
