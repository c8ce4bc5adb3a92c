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

use std::collections::VecDeque;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::lexer::{Lexer, StatementFacts, Stop};
use super::toc::TocEntry;

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
    /// The statement's bytes, from its first token to its `;` inclusive.
    pub text: Vec<u8>,
    /// False when the input ended, or a meta-command interrupted it, before `;`.
    pub terminated: bool,
    pub facts: StatementFacts,
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

    /// Rows an `INSERT … VALUES` statement inserts (0 for anything else).
    pub fn insert_rows(&self) -> u64 {
        if self.keyword() == "insert" { self.facts.values_rows } else { 0 }
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
        }
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
        'outer: loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                if line_len > 0 {
                    data.rows += 1; // a last line without newline is still sent as a row
                }
                data.bytes = total;
                break;
            }
            let mut start = 0usize;
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
                        let end = nl + 1;
                        sink.write_all(&chunk[..end])?;
                        data.bytes = total + start as u64 - line_len;
                        data.terminated = true;
                        self.reader.consume(end);
                        total += end as u64;
                        break 'outer;
                    }
                }
                data.rows += 1;
                line_len = 0;
                start = nl + 1;
            }
            let rest = &chunk[start..];
            if !rest.is_empty() {
                let h = line_len as usize;
                if h < 3 {
                    let n = rest.len().min(3 - h);
                    head[h..h + n].copy_from_slice(&rest[..n]);
                }
                line_len += rest.len() as u64;
            }
            let n = chunk.len();
            sink.write_all(chunk)?;
            self.reader.consume(n);
            total += n as u64;
        }
        let item = Item {
            offset,
            line,
            len: total,
            toc: self.toc.clone(),
            kind: ItemKind::CopyData(CopyData { rows: data.rows, bytes: data.bytes, terminated: data.terminated }),
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
        let chunk = self.reader.fill_buf()?;
        if chunk.is_empty() {
            self.emit_sql(false);
            self.mode = Mode::Done;
            return Ok(());
        }
        let (n, stop) = self.lexer.feed(chunk, self.mode == Mode::CopyPending);
        self.buf.extend_from_slice(&chunk[..n]);
        self.reader.consume(n);
        match stop {
            None => {}
            Some(Stop::StatementEnd) => self.emit_sql(true),
            Some(Stop::Newline) => {
                self.emit_sql(false);
                self.mode = Mode::Copy;
            }
            Some(Stop::Backslash) => {
                self.emit_sql(false);
                self.read_meta_command()?;
                if self.mode == Mode::CopyPending {
                    self.mode = Mode::Copy;
                }
            }
        }
        Ok(())
    }

    /// Queues the buffered trivia and statement (if one started).
    fn emit_sql(&mut self, terminated: bool) {
        let facts = self.lexer.take_facts();
        self.lexer.reset_statement();
        let buf = std::mem::take(&mut self.buf);
        match facts.start {
            None => {
                if !buf.is_empty() {
                    self.push_trivia(buf);
                }
            }
            Some(start) => {
                let mut buf = buf;
                let text = buf.split_off(start as usize);
                if !buf.is_empty() {
                    self.push_trivia(buf);
                }
                self.push_statement(Statement { text, terminated, facts });
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
        if stmt.keyword() == "set" && stmt.facts.words[1] == "standard_conforming_strings" {
            // pg_dump writes `SET standard_conforming_strings = on|off;`; psql
            // then lexes later strings accordingly.
            let t = stmt.text_lossy().to_ascii_lowercase();
            let t = t.trim_end().trim_end_matches(';');
            let value = t.rsplit([' ', '=', '\t', '\n']).next().unwrap_or("").trim_matches('\'');
            self.lexer.standard_conforming_strings = !matches!(value, "off" | "false" | "0");
        }
        if self.header.footer_line.is_some() {
            self.header.content_after_footer = true;
        }
        self.push(ItemKind::Statement(stmt));
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

fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}
