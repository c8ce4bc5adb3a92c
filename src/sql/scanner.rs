//! The streaming scanner: one pass over a plain pg_dump script, as items.
//!
//! Invariants:
//! - Items tile the input: each starts where the previous one ended, so their
//!   bytes rejoined are the input (COPY data bytes go to a caller's sink
//!   instead of being held).
//! - At most one statement (or one stretch of comments) is held in memory.
//!   COPY rows are counted as they stream past, never buffered.
//! - Statement and meta-command boundaries are psql's (see [`super::lexer`]).
//!   Data after `COPY … FROM stdin;` starts on the next line and ends at a
//!   line that is exactly `\.` (psql's `handleCopyIn` rule).
//! - A statement longer than [`MAX_HELD`] is not held: it comes as parts
//!   ([`Part`]), so memory stays bounded whatever the input. One longer than
//!   [`MAX_PARSED`] that is not an INSERT (whose values are never parsed) is
//!   a [`HazardCode::StatementTooLarge`].
//! - Every [`Hazard`] (a place where psql might read the input differently,
//!   see [`super::hazard`]) is collected, bounded; a [`Scanner::strict`]
//!   scanner instead fails with a [`HazardError`] before it hands out the
//!   bytes that hold one.

use std::collections::VecDeque;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::digest::{RowDigest, RowHasher};
use super::hazard::{Hazard, HazardCode, Hazards, encoding_is_unsafe};
use super::lexer::{Lexer, StatementFacts, Stop};
use super::toc::TocEntry;

/// Statements up to this size are held whole; longer ones come in parts.
pub const MAX_HELD: usize = 4 << 20;
/// Statements other than INSERT up to this size, and [`MAX_TOKENS`], are
/// parsed; larger ones are a hazard.
pub const MAX_PARSED: usize = MAX_HELD;
/// A parse tree costs about 700 bytes a token (measured: a 512 KiB view of
/// 524k tokens took validate to 378 MB): 50k tokens stay near 40 MB.
pub const MAX_TOKENS: u64 = 50_000;

/// A strict scanner's error: the input holds a hazard. Wrapped in an
/// `io::Error` (find it with [`HazardError::find`]).
#[derive(Debug, Clone)]
pub struct HazardError(pub Hazard);

impl std::fmt::Display for HazardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code.code(), self.0)
    }
}

impl std::error::Error for HazardError {}

impl HazardError {
    /// The hazard behind an I/O error, if a strict scanner raised it.
    pub fn find(e: &io::Error) -> Option<&Hazard> {
        e.get_ref().and_then(|e| e.downcast_ref::<HazardError>()).map(|h| &h.0)
    }
}

/// One piece of the dump.
#[derive(Debug, Clone)]
pub struct Item {
    /// Byte offset of the item's first byte.
    pub offset: u64,
    /// 1-based line number of the item's first byte.
    pub line: u64,
    /// Length in bytes.
    pub len: u64,
    /// The pg_dump TOC entry this item belongs to, if any came before it.
    pub toc: Option<Arc<TocEntry>>,
    pub kind: ItemKind,
}

#[derive(Debug, Clone)]
pub enum ItemKind {
    /// Whitespace and comments between statements.
    Trivia(Vec<u8>),
    Statement(Statement),
    MetaCommand(MetaCommand),
    CopyData(CopyData),
}

/// One SQL statement, as psql would send it.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The statement's bytes, from its first token to its `;` inclusive (or
    /// this part of them).
    pub text: Vec<u8>,
    /// False when the input ended, or a meta-command interrupted it, before `;`.
    pub terminated: bool,
    /// The lexer's facts; final only in a `Whole` or `Last` part.
    pub facts: StatementFacts,
    pub part: Part,
}

/// Which part of a statement an item holds (see [`MAX_HELD`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Part {
    #[default]
    Whole,
    First,
    Middle,
    Last,
}

impl Statement {
    /// The first word, lowercased (`create`, `copy`, `insert`, …).
    pub fn keyword(&self) -> &str {
        &self.facts.words[0]
    }

    /// The text as a `str`; invalid UTF-8 (a LATIN1 dump, say) is replaced.
    pub fn text_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }

    /// Rows an `INSERT … VALUES` statement inserts (0 for anything else, and
    /// for the first and middle parts of a long statement).
    pub fn insert_rows(&self) -> u64 {
        let done = matches!(self.part, Part::Whole | Part::Last);
        if done && self.keyword() == "insert" { self.facts.values_rows } else { 0 }
    }

    /// Whether this item holds the whole statement.
    pub fn is_whole(&self) -> bool {
        self.part == Part::Whole
    }

    /// Whether it is small enough to parse within the memory bound
    /// ([`MAX_PARSED`] bytes, [`MAX_TOKENS`] tokens).
    pub fn parseable(&self) -> bool {
        self.is_whole() && self.text.len() <= MAX_PARSED && self.facts.tokens <= MAX_TOKENS
    }
}

/// A psql meta-command line (`\restrict KEY`, `\connect db`, `\! cmd`…).
#[derive(Debug, Clone)]
pub struct MetaCommand {
    /// The whole line from the backslash, including its newline.
    pub text: Vec<u8>,
    /// The command name without the backslash: `restrict`, `!`, `o`, `.`…
    pub command: String,
    /// The rest of the line, trimmed.
    pub args: String,
}

/// The data lines of a `COPY … FROM stdin` block.
#[derive(Debug, Clone, Default)]
pub struct CopyData {
    pub rows: u64,
    /// Bytes of the data lines, excluding the `\.` terminator line.
    pub bytes: u64,
    /// False when the input ended before the `\.` line.
    pub terminated: bool,
    /// The rows' content digest (spec/content-digest.md), when the scanner
    /// was asked for digests ([`Scanner::with_digests`]).
    pub digest: Option<RowDigest>,
}

/// What the dump's comments say about it as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DumpHeader {
    /// The `-- PostgreSQL database dump` banner was seen.
    pub banner: bool,
    /// `-- Dumped from database version X`.
    pub dumped_from: Option<String>,
    /// `-- Dumped by pg_dump version Y`.
    pub dumped_by: Option<String>,
    /// Line of the `-- PostgreSQL database dump complete` footer.
    pub footer_line: Option<u64>,
    /// SQL (a statement or COPY data) came after the footer.
    pub content_after_footer: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sql,
    /// A `COPY … FROM stdin` statement ended; data starts after this line.
    CopyPending,
    Copy,
    Done,
}

/// The streaming scanner. See the module documentation.
pub struct Scanner<R> {
    reader: R,
    lexer: Lexer,
    /// Bytes of the item(s) being built; `lexer`'s positions index into it.
    buf: Vec<u8>,
    buf_offset: u64,
    buf_line: u64,
    mode: Mode,
    queue: VecDeque<Item>,
    toc: Option<Arc<TocEntry>>,
    header: DumpHeader,
    hazards: Hazards,
    /// Fail at the first hazard instead of collecting it.
    strict: bool,
    failed: Option<Hazard>,
    /// The lexer position of `buf[0]` (past the parts already handed out).
    buf_base: u64,
    /// The statement being lexed was already handed out in part.
    streaming: Option<StatementFacts>,
    /// Digest COPY rows as they stream (pack and validate; a restore does
    /// not pay for it).
    digests: bool,
}

impl<R: BufRead> Scanner<R> {
    pub fn new(reader: R) -> Self {
        Scanner {
            reader,
            lexer: Lexer::default(),
            buf: Vec::new(),
            buf_offset: 0,
            buf_line: 1,
            mode: Mode::Sql,
            queue: VecDeque::new(),
            toc: None,
            header: DumpHeader::default(),
            hazards: Hazards::default(),
            strict: false,
            failed: None,
            buf_base: 0,
            streaming: None,
            digests: false,
        }
    }

    /// Also computes each COPY block's content digest ([`CopyData::digest`]).
    pub fn with_digests(mut self) -> Self {
        self.digests = true;
        self
    }

    /// A scanner that fails with a [`HazardError`] at the first hazard, before
    /// it hands out the item (or COPY bytes) that holds it: what a restore
    /// feeds psql from.
    pub fn strict(reader: R) -> Self {
        Scanner { strict: true, ..Scanner::new(reader) }
    }

    /// The hazards found so far (a strict scanner stops at the first).
    pub fn hazards(&self) -> &Hazards {
        &self.hazards
    }

    /// What the dump's banner, version and footer comments said so far.
    pub fn header(&self) -> &DumpHeader {
        &self.header
    }

    /// Whether `standard_conforming_strings` is on at this point of the dump.
    pub fn standard_conforming_strings(&self) -> bool {
        self.lexer.standard_conforming_strings
    }

    /// True when the next item will be COPY data (call [`Self::copy_data_to`]
    /// to stream it somewhere).
    pub fn at_copy_data(&self) -> bool {
        self.mode == Mode::Copy && self.queue.is_empty()
    }

    /// Gives back the reader (for draining what follows the dump).
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// The next item, or `None` at the end of the input.
    pub fn next_item(&mut self) -> io::Result<Option<Item>> {
        loop {
            self.check_failed()?;
            if let Some(item) = self.queue.pop_front() {
                return Ok(Some(item));
            }
            match self.mode {
                Mode::Done => return Ok(None),
                Mode::Copy => return self.copy_data_to(&mut io::sink()).map(Some),
                Mode::Sql | Mode::CopyPending => self.lex_some()?,
            }
        }
    }

    /// Streams the COPY data block that comes next into `sink` (its raw bytes,
    /// terminator line included) and returns its item. Call only when
    /// [`Self::at_copy_data`] is true.
    pub fn copy_data_to(&mut self, sink: &mut dyn Write) -> io::Result<Item> {
        debug_assert!(self.at_copy_data());
        let offset = self.buf_offset;
        let line = self.buf_line;
        let mut data = CopyData::default();
        // The current line's length so far and its first bytes, to recognise
        // a `\.` line that straddles two buffers.
        let mut line_len: u64 = 0;
        let mut head = [0u8; 3];
        let mut total: u64 = 0;
        let mut flagged = false;
        let mut hasher = self.digests.then(RowHasher::default);
        loop {
            let rows_before = data.rows;
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                if line_len > 0 {
                    data.rows += 1; // a last line without newline is still sent as a row
                    if let Some(h) = &mut hasher {
                        h.end_row();
                    }
                }
                data.bytes = total;
                break;
            }
            let mut start = 0usize;
            // Where the data (with its `\.` line) ends in this chunk, if it does.
            let mut stop = None;
            for nl in memchr::memchr_iter(b'\n', chunk) {
                let seg = &chunk[start..nl];
                let full_len = line_len + seg.len() as u64;
                if full_len <= 3 {
                    let mut l = [0u8; 3];
                    let h = line_len as usize;
                    l[..h].copy_from_slice(&head[..h]);
                    l[h..full_len as usize].copy_from_slice(seg);
                    let l = &l[..full_len as usize];
                    if l == b"\\." || l == b"\\.\r" {
                        data.bytes = total + start as u64 - line_len;
                        stop = Some(nl + 1);
                        if let Some(h) = &mut hasher {
                            h.discard_row();
                        }
                        break;
                    }
                }
                if let Some(h) = &mut hasher {
                    h.update(seg);
                    h.end_row();
                }
                data.rows += 1;
                line_len = 0;
                start = nl + 1;
            }
            let n = stop.unwrap_or(chunk.len());
            if stop.is_none() {
                let rest = &chunk[start..];
                if let Some(h) = &mut hasher {
                    h.update(rest);
                }
                let h = line_len as usize;
                if h < 3 {
                    let k = rest.len().min(3 - h);
                    head[h..h + k].copy_from_slice(&rest[..k]);
                }
                line_len += rest.len() as u64;
            }
            // pg_dump escapes both in COPY data; raw, psql may read the lines
            // (and so where the data ends) differently.
            let hazard = memchr::memchr2(0, b'\r', &chunk[..n]).map(|p| {
                let code = if chunk[p] == 0 { HazardCode::NulByte } else { HazardCode::CarriageReturn };
                (code, line + rows_before + count_newlines(&chunk[..p]))
            });
            if let Some((code, at)) = hazard.filter(|_| !flagged) {
                flagged = true;
                self.add_hazard(code, at, String::new());
                self.check_failed()?;
            }
            let chunk = self.reader.fill_buf()?;
            sink.write_all(&chunk[..n])?;
            self.reader.consume(n);
            total += n as u64;
            if stop.is_some() {
                data.terminated = true;
                break;
            }
        }
        let item = Item {
            offset,
            line,
            len: total,
            toc: self.toc.clone(),
            kind: ItemKind::CopyData(CopyData {
                rows: data.rows,
                bytes: data.bytes,
                terminated: data.terminated,
                digest: hasher.map(|h| h.sum()),
            }),
        };
        if self.header.footer_line.is_some() {
            self.header.content_after_footer = true;
        }
        self.buf_offset += total;
        self.buf_line += data.rows + u64::from(data.terminated);
        self.mode = if data.terminated { Mode::Sql } else { Mode::Done };
        Ok(item)
    }

    /// Lexes one buffer's worth and queues whatever items it completed.
    fn lex_some(&mut self) -> io::Result<()> {
        if self.mode == Mode::CopyPending {
            return self.copy_line_rest();
        }
        let chunk = self.reader.fill_buf()?;
        if chunk.is_empty() {
            self.emit_sql(false);
            self.mode = Mode::Done;
            return Ok(());
        }
        // At most 1 MiB a step, so a long statement is handed out in parts
        // before it can grow far past MAX_HELD.
        let chunk = &chunk[..chunk.len().min(1 << 20)];
        let (n, stop) = self.lexer.feed(chunk);
        self.buf.extend_from_slice(&chunk[..n]);
        self.reader.consume(n);
        self.drain_lexer_hazards();
        match stop {
            None => {
                if self.buf.len() > MAX_HELD {
                    self.emit_part();
                }
            }
            Some(Stop::StatementEnd) => self.emit_sql(true),
            Some(Stop::Backslash) => {
                if self.streaming.is_some() || self.lexer.in_statement() {
                    let line = self.buf_line + count_newlines(&self.buf);
                    self.add_hazard(HazardCode::MetaCommandInStatement, line, String::new());
                }
                self.emit_sql(false);
                self.read_meta_command()?;
            }
        }
        Ok(())
    }

    /// The rest of a `COPY … FROM stdin;` line: pg_dump writes nothing there,
    /// and psql would run whatever is there only after the data.
    fn copy_line_rest(&mut self) -> io::Result<()> {
        let mut rest = Vec::new();
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let end = memchr::memchr(b'\n', chunk).map(|i| i + 1);
            let n = end.unwrap_or(chunk.len()).min(MAX_HELD.saturating_sub(rest.len()).max(1));
            rest.extend_from_slice(&chunk[..n]);
            self.reader.consume(n);
            if end == Some(n) {
                break;
            }
        }
        let line = self.buf_line;
        let body = rest.strip_suffix(b"\n").unwrap_or(&rest);
        if body.iter().any(|&b| b != b' ' && b != b'\t') {
            let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).trim().to_string();
            self.add_hazard(HazardCode::CopyLineTrailing, line, shown);
        }
        if memchr::memchr(0, &rest).is_some() {
            self.add_hazard(HazardCode::NulByte, line, String::new());
        }
        self.mode = if rest.ends_with(b"\n") { Mode::Copy } else { Mode::Done };
        if !rest.is_empty() {
            self.push(ItemKind::Trivia(rest));
        }
        Ok(())
    }

    /// Moves the lexer's hazards into the list, with their lines.
    fn drain_lexer_hazards(&mut self) {
        for (code, pos) in self.lexer.take_hazards() {
            let at = (pos.saturating_sub(self.buf_base) as usize).min(self.buf.len());
            let line = self.buf_line + count_newlines(&self.buf[..at]);
            let detail = match code {
                HazardCode::NulByte | HazardCode::CarriageReturn => String::new(),
                _ => excerpt(&self.buf, at),
            };
            self.add_hazard(code, line, detail);
        }
    }

    fn add_hazard(&mut self, code: HazardCode, line: u64, detail: String) {
        let h = Hazard { code, line, detail };
        if self.strict && self.failed.is_none() {
            self.failed = Some(h.clone());
        }
        self.hazards.push(h);
    }

    fn check_failed(&self) -> io::Result<()> {
        match &self.failed {
            Some(h) => Err(io::Error::other(HazardError(h.clone()))),
            None => Ok(()),
        }
    }

    /// Hands out the statement held so far as a part (it outgrew [`MAX_HELD`]).
    fn emit_part(&mut self) {
        let Some(start) = self.lexer.facts().start else {
            // Only trivia so far: hand it out as such.
            let buf = std::mem::take(&mut self.buf);
            self.buf_base = self.lexer.position();
            self.push_trivia(buf);
            return;
        };
        let facts = self.lexer.facts().clone();
        let mut buf = std::mem::take(&mut self.buf);
        let part = if self.streaming.is_some() {
            Part::Middle
        } else {
            let text = buf.split_off((start.saturating_sub(self.buf_base) as usize).min(buf.len()));
            if !buf.is_empty() {
                self.push_trivia(buf);
            }
            buf = text;
            if facts.words[0] != "insert" {
                let line = self.buf_line;
                self.add_hazard(HazardCode::StatementTooLarge, line, excerpt(&buf, 0));
            }
            Part::First
        };
        self.buf_base = self.lexer.position();
        self.streaming = Some(facts.clone());
        self.push(ItemKind::Statement(Statement { text: buf, terminated: false, facts, part }));
    }

    /// Queues the buffered trivia and statement (if one started).
    fn emit_sql(&mut self, terminated: bool) {
        let facts = self.lexer.take_facts();
        self.lexer.reset_statement();
        let buf = std::mem::take(&mut self.buf);
        let base = std::mem::replace(&mut self.buf_base, 0);
        if let Some(first) = self.streaming.take() {
            if first.words[0] == "insert" && (facts.values_expression || !facts.values) {
                // Too long to parse, and not plain values: nothing can check it.
                let line = self.buf_line;
                self.add_hazard(HazardCode::StatementTooLarge, line, String::new());
            }
            self.push_statement(Statement { text: buf, terminated, facts, part: Part::Last });
            return;
        }
        match facts.start {
            None => {
                if !buf.is_empty() {
                    self.push_trivia(buf);
                }
            }
            Some(start) => {
                let mut buf = buf;
                let text = buf.split_off((start - base) as usize);
                if !buf.is_empty() {
                    self.push_trivia(buf);
                }
                self.push_statement(Statement { text, terminated, facts, part: Part::Whole });
            }
        }
    }

    fn push_trivia(&mut self, text: Vec<u8>) {
        for (line, l) in (self.buf_line..).zip(text.split_inclusive(|&b| b == b'\n')) {
            if l.starts_with(b"-- ") {
                self.note_comment(&String::from_utf8_lossy(l), line);
            }
        }
        self.push(ItemKind::Trivia(text));
    }

    /// TOC entries and the dump's banner, version and footer comments.
    fn note_comment(&mut self, l: &str, line: u64) {
        let l = l.trim_end();
        if let Some(entry) = TocEntry::parse(l, line) {
            self.toc = Some(Arc::new(entry));
        } else if l == "-- PostgreSQL database dump" {
            self.header.banner = true;
        } else if let Some(v) = l.strip_prefix("-- Dumped from database version ") {
            self.header.dumped_from = Some(v.to_string());
        } else if let Some(v) = l.strip_prefix("-- Dumped by pg_dump version ") {
            self.header.dumped_by = Some(v.to_string());
        } else if l == "-- PostgreSQL database dump complete" {
            self.header.footer_line = Some(line);
        }
    }

    fn push_statement(&mut self, stmt: Statement) {
        if stmt.terminated && stmt.keyword() == "copy" && stmt.facts.from_stdin {
            self.mode = Mode::CopyPending;
        }
        if stmt.is_whole() {
            self.check_settings(&stmt);
            let insert = stmt.keyword() == "insert";
            let plain_values = insert && stmt.facts.values && !stmt.facts.values_expression;
            if !stmt.parseable() && !plain_values {
                self.add_hazard(HazardCode::StatementTooLarge, self.buf_line, excerpt(&stmt.text, 0));
            }
        }
        if self.header.footer_line.is_some() {
            self.header.content_after_footer = true;
        }
        self.push(ItemKind::Statement(stmt));
    }

    /// psql lexes by `standard_conforming_strings` and the client encoding as
    /// the server reports them. pg_dump sets both once, in its header, in one
    /// fixed form: that form is followed, any other change is a hazard.
    fn check_settings(&mut self, stmt: &Statement) {
        let text = &stmt.text;
        match text.as_slice() {
            b"SET standard_conforming_strings = on;" => self.lexer.standard_conforming_strings = true,
            b"SET standard_conforming_strings = off;" => self.lexer.standard_conforming_strings = false,
            _ => {
                if let Some(name) = header_encoding(text) {
                    if encoding_is_unsafe(name) {
                        self.add_hazard(HazardCode::EncodingUnsafe, self.buf_line, name.to_string());
                    }
                    return;
                }
                let words = &stmt.facts.words;
                let resets = matches!((words[0].as_str(), words[1].as_str()), ("set", "names") | ("reset", "all"))
                    || words[0] == "discard";
                if stmt.keyword() == "insert" && !stmt.facts.values_expression {
                    return; // plain values: strings, never settings
                }
                let lower = text.to_ascii_lowercase();
                let names = [&b"standard_conforming_strings"[..], b"client_encoding"];
                if resets || names.iter().any(|n| memchr::memmem::find(&lower, n).is_some()) {
                    self.add_hazard(HazardCode::SettingChanged, self.buf_line, excerpt(text, 0));
                }
            }
        }
    }

    /// Reads a meta-command line: from the backslash to the end of the line.
    fn read_meta_command(&mut self) -> io::Result<()> {
        let mut text = Vec::new();
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            match memchr::memchr(b'\n', chunk) {
                Some(i) => {
                    text.extend_from_slice(&chunk[..=i]);
                    self.reader.consume(i + 1);
                    break;
                }
                None => {
                    let n = chunk.len();
                    text.extend_from_slice(chunk);
                    self.reader.consume(n);
                }
            }
        }
        if memchr::memchr(0, &text).is_some() {
            self.add_hazard(HazardCode::NulByte, self.buf_line, String::new());
        }
        if memchr::memchr(b'\r', &text).is_some() {
            self.add_hazard(HazardCode::CarriageReturn, self.buf_line, String::new());
        }
        let line = String::from_utf8_lossy(&text);
        let body = line.trim_end_matches(['\n', '\r']);
        let body = body.strip_prefix('\\').unwrap_or(body);
        // psql command names are letters, digits and a few symbols (`\lo_import`,
        // `\dt+`); anything else is a one-character command (`\!`, `\.`, `\?`).
        let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '+')).unwrap_or(body.len());
        let name_len = if name_len == 0 { body.chars().next().map_or(0, char::len_utf8) } else { name_len };
        let (command, args) = body.split_at(name_len);
        let meta = MetaCommand { command: command.to_string(), args: args.trim().to_string(), text };
        self.push(ItemKind::MetaCommand(meta));
        Ok(())
    }

    fn push(&mut self, kind: ItemKind) {
        let (len, newlines) = match &kind {
            ItemKind::Trivia(t) => (t.len(), count_newlines(t)),
            ItemKind::Statement(s) => (s.text.len(), count_newlines(&s.text)),
            ItemKind::MetaCommand(m) => (m.text.len(), count_newlines(&m.text)),
            ItemKind::CopyData(_) => unreachable!("COPY data items are built by copy_data_to"),
        };
        self.queue.push_back(Item {
            offset: self.buf_offset,
            line: self.buf_line,
            len: len as u64,
            toc: self.toc.clone(),
            kind,
        });
        self.buf_offset += len as u64;
        self.buf_line += newlines;
    }
}

/// `SET client_encoding = 'NAME';`, pg_dump's form: the name.
fn header_encoding(text: &[u8]) -> Option<&str> {
    let name = text.strip_prefix(b"SET client_encoding = '")?.strip_suffix(b"';")?;
    let ok = !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-');
    ok.then(|| std::str::from_utf8(name).ok()).flatten()
}

/// Up to 60 bytes of `buf` from `at`, as text, for a hazard's detail.
fn excerpt(buf: &[u8], at: usize) -> String {
    let start = at.saturating_sub(20).min(buf.len());
    let end = (at + 40).min(buf.len());
    String::from_utf8_lossy(&buf[start..end]).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}
