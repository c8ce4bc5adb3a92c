//! Builds a [`Summary`] from the scanner's items, in one pass.
//!
//! DDL and utility statements are parsed with PostgreSQL's own parser
//! (`pg_query`) exactly once and handed to [`super::ddl`]. Data is counted
//! without parsing: a COPY block is attributed to the table of the `COPY`
//! statement just before it, and an `INSERT` to its `TABLE DATA` TOC entry,
//! so an INSERT-heavy dump costs a string compare per statement. `SET`
//! statements are read lexically.
//!
//! Invariants: every statement the parser rejects becomes a [`ParseError`]
//! (nothing panics, nothing is dropped silently); output lists are in dump
//! order, `schemas` and `roles` sorted and unique; the same input always
//! gives the same summary.

use std::collections::BTreeSet;
use std::io::{self, BufRead};
use std::sync::Arc;

use pg_query::{NodeEnum, ParserOptions};

use super::ddl::{self, Catalog};
use super::model::{DumpFacts, MetaCommandRef, ParseError, QualifiedName, SUMMARY_VERSION, Summary, Totals};
use crate::sql::{CopyData, DumpHeader, Item, ItemKind, MetaCommand, Part, RowDigest, Scanner, Statement, TocEntry};

/// Accumulates a [`Summary`]; feed it every scanner item in order.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    catalog: Catalog,
    meta_commands: Vec<MetaCommandRef>,
    parse_errors: Vec<ParseError>,
    totals: Totals,
    restrict: bool,
    /// From `\connect` (pg_dump `--create`, pg_dumpall).
    connected_database: Option<String>,
    encoding: Option<String>,
    /// The setting after the dump's `SET standard_conforming_strings`.
    standard_conforming_strings: Option<bool>,
    drops_objects: bool,
    drops_database: bool,
    /// The table of the `COPY … FROM stdin` just seen; its data comes next.
    pending_copy: Option<usize>,
    /// The last `TABLE DATA` TOC entry data was attributed to, and its
    /// table: consecutive INSERTs share the entry, so this saves a lookup.
    data_toc: Option<(Arc<TocEntry>, usize)>,
    budget: Budget,
    /// Record content digests (spec/content-digest.md).
    digests: bool,
    /// Tables with rows that have no digest (INSERT statements).
    undigested: BTreeSet<usize>,
}

/// Keeps the summary under [`MAX_SUMMARY_JSON`] bytes of JSON (and so its
/// memory under a few times that), whatever the dump holds.
///
/// Measuring after every statement would cost O(n²), so each parsed
/// statement is charged an upper bound of what it can add (every element a
/// statement adds, a column say, takes at least one token of its text, and
/// no element renders to more than [`JSON_PER_TOKEN`] bytes; a string at
/// most 6 bytes per byte, `\u00XX`), and the summary is measured, by
/// rendering it to a counter, whenever the charges since the last
/// measurement reach half the size last measured (at least 1 MiB). So the
/// summary never outgrows the cap by more than 1 MiB or half of it before
/// it is stopped, and measuring costs no more than the statements did.
#[derive(Debug, Clone)]
struct Budget {
    cap: u64,
    charged: u64,
    measured: u64,
    /// Set once the summary was measured over the cap; from then on, no
    /// statement is parsed and nothing is added.
    over: Option<TooLarge>,
}

impl Default for Budget {
    fn default() -> Self {
        Self { cap: MAX_SUMMARY_JSON, charged: 0, measured: 0, over: None }
    }
}

/// The summary was stopped at its cap: it would render to more than
/// `cap` bytes of JSON (it had reached `bytes` with `tables` tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    pub cap: u64,
    pub bytes: u64,
    pub tables: usize,
    /// The line of the statement at which it was measured over the cap (0:
    /// at the end of the dump).
    pub line: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.line > 0 { format!(" by line {}", self.line) } else { String::new() };
        write!(
            f,
            "the dump's schema summary would be over {} MiB of JSON ({} tables and {} bytes{at}), more than \
             pgbag/schema.json may hold (spec/package-format.md §2.1)",
            self.cap >> 20,
            self.tables,
            self.bytes
        )
    }
}

/// Largest `pgbag/schema.json` a summary may render to (spec/package-format.md
/// §2.1): about 1.1 KB a table, so some 14,000 tables with their columns,
/// keys, indexes and sequences.
pub const MAX_SUMMARY_JSON: u64 = 16 << 20;

/// An upper bound of the JSON one token of a statement adds to the summary
/// (a column is two tokens at least, and renders to under 200 bytes).
const JSON_PER_TOKEN: u64 = 128;

impl SummaryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that stops at `cap` bytes of JSON instead of
    /// [`MAX_SUMMARY_JSON`] (for tests).
    pub fn with_cap(cap: u64) -> Self {
        Self { budget: Budget { cap, ..Budget::default() }, ..Self::default() }
    }

    /// Also records each table's content digest; the scanner must be one
    /// [`crate::sql::Scanner::with_digests`].
    pub fn with_digests(mut self) -> Self {
        self.digests = true;
        self
    }

    /// Whether the summary is over its cap (measured once more if anything
    /// was added since the last measurement). A summary that is over is
    /// incomplete: pack refuses the dump, validate reports it and restore
    /// refuses it.
    pub fn too_large(&mut self) -> Option<TooLarge> {
        if self.budget.over.is_none() && self.budget.charged > 0 {
            self.measure(0);
        }
        self.budget.over
    }

    /// Measures the summary; `line` is where (0: at the end of the dump).
    fn measure(&mut self, line: u64) {
        self.budget.charged = 0;
        self.budget.measured = self.json_size();
        if self.budget.measured > self.budget.cap {
            let tables = self.catalog.tables.len();
            self.budget.over = Some(TooLarge { cap: self.budget.cap, bytes: self.budget.measured, tables, line });
        }
    }

    /// Feed every item in order. `standard_conforming_strings` is the
    /// scanner's setting when the item was returned.
    pub fn add(&mut self, item: &Item, standard_conforming_strings: bool) {
        match &item.kind {
            ItemKind::Trivia(_) => {}
            ItemKind::Statement(s) => self.statement(item, s, standard_conforming_strings),
            ItemKind::MetaCommand(m) => self.meta_command(m, item.line),
            ItemKind::CopyData(d) => self.copy_data(item, d),
        }
    }

    pub fn finish(self, header: &DumpHeader) -> Summary {
        let mut cat = self.catalog;
        if self.digests {
            for (i, t) in cat.tables.iter_mut().enumerate() {
                if t.digest.is_none() && !self.undigested.contains(&i) {
                    t.digest = Some(RowDigest::default().to_hex()); // no rows
                }
            }
        }
        let rows = cat.tables.iter().map(|t| t.rows).sum();
        let schemas = cat.schemas_in_use();
        // `new.id` and `plpy.execute` are not names in a schema.
        for f in &mut cat.functions {
            f.body_names.retain(|q| q.schema.as_ref().is_some_and(|s| schemas.binary_search(s).is_ok()));
        }
        Summary {
            summary_version: SUMMARY_VERSION,
            dump: DumpFacts {
                dumped_from: header.dumped_from.clone(),
                dumped_by: header.dumped_by.clone(),
                complete: header.footer_line.is_some() && !header.content_after_footer,
                restrict: self.restrict,
                database: cat.database.take().or(self.connected_database),
                encoding: self.encoding,
                // PostgreSQL's default since 9.1, for dumps that never set it.
                standard_conforming_strings: self.standard_conforming_strings.unwrap_or(true),
                drops_objects: self.drops_objects,
                drops_database: self.drops_database,
            },
            schemas,
            extensions: cat.extensions,
            tables: cat.tables,
            views: cat.views,
            materialized_views: cat.materialized_views,
            indexes: cat.indexes,
            sequences: cat.sequences,
            types: cat.types,
            functions: cat.functions,
            policies: cat.policies,
            triggers: cat.triggers,
            roles: cat.roles.into_iter().collect(),
            owners: cat.owners.into_iter().collect(),
            superuser_only: cat.superuser_only,
            large_objects: cat.large_objects,
            meta_commands: self.meta_commands,
            parse_errors: self.parse_errors,
            totals: Totals { rows, ..self.totals },
        }
    }

    fn statement(&mut self, item: &Item, s: &Statement, scs: bool) {
        if matches!(s.part, Part::Middle | Part::Last) {
            // The rest of a long statement, counted at its first part.
            if s.keyword() == "insert" {
                self.insert_part(item, s);
            }
            return;
        }
        self.totals.statements += 1;
        self.pending_copy = None;
        self.charge(item, s);
        if self.budget.over.is_some() {
            return; // stopped at the cap: count, add nothing
        }
        match s.keyword() {
            "set" => self.set(s, scs),
            "insert" => self.insert(item, s, scs),
            keyword => {
                // pg_dump --clean writes `DROP …` and `ALTER TABLE … DROP …`;
                // `--create --clean` writes `DROP DATABASE` too, which a restore
                // always leaves out, so that one drops nothing.
                self.drops_objects |= keyword == "drop" && s.facts.words[1] != "database";
                self.drops_database |= keyword == "drop" && s.facts.words[1] == "database";
                if !s.parseable() {
                    return; // too long to parse: the scanner reported it
                }
                let Some(parsed) = self.parse(item, s, scs) else {
                    if keyword == "copy" {
                        self.pending_copy = self.toc_data_table(item);
                    }
                    return;
                };
                for raw in &parsed.stmts {
                    let Some(node) = raw.stmt.as_ref().and_then(|n| n.node.as_ref()) else {
                        continue;
                    };
                    if let NodeEnum::CopyStmt(_) = node {
                        if let Some(q) = ddl::data_target(node) {
                            self.pending_copy = Some(self.catalog.data_table(&q, item.line));
                        }
                    } else {
                        ddl::apply(&mut self.catalog, node, item.line);
                    }
                }
            }
        }
    }

    /// Charges a statement what it can add to the summary, measuring the
    /// summary when the charges call for it (see [`Budget`]). Called before
    /// the statement is applied: what it adds is measured next time, which
    /// the bound of half the cap allows for.
    fn charge(&mut self, item: &Item, s: &Statement) {
        if self.budget.over.is_some() {
            return;
        }
        // An INSERT adds at most its table (its values are never parsed).
        let cost = if s.keyword() == "insert" {
            8 * JSON_PER_TOKEN
        } else {
            s.facts.tokens.saturating_mul(JSON_PER_TOKEN) + 6 * s.text.len() as u64 + JSON_PER_TOKEN
        };
        self.budget.charged = self.budget.charged.saturating_add(cost);
        if self.budget.charged >= (self.budget.measured / 2).max(1 << 20) {
            self.measure(item.line);
        }
    }

    /// The size the summary so far renders to, give or take the few bytes
    /// of its top-level keys: every list rendered as it will be, into a
    /// counter (two more spaces of indentation a line in the document).
    fn json_size(&self) -> u64 {
        let mut n = Counter::default();
        let c = &self.catalog;
        let lists: [&dyn erased::Render; 13] = [
            &c.extensions,
            &c.tables,
            &c.views,
            &c.materialized_views,
            &c.indexes,
            &c.sequences,
            &c.types,
            &c.functions,
            &c.policies,
            &c.triggers,
            &c.roles,
            &self.meta_commands,
            &self.parse_errors,
        ];
        for list in lists {
            list.render(&mut n);
        }
        // A digest not yet known renders as `null` and at the end as 64 hex
        // digits: reserve the difference.
        let digests = if self.digests { 64 * c.tables.iter().filter(|t| t.digest.is_none()).count() as u64 } else { 0 };
        n.bytes + 2 * n.lines + 1024 + digests
    }

    /// Parses one statement, recording a [`ParseError`] when PostgreSQL's
    /// parser rejects it. A statement cut short (no `;`) is parsed as is:
    /// the parser does not need the semicolon.
    fn parse(&mut self, item: &Item, s: &Statement, scs: bool) -> Option<pg_query::protobuf::ParseResult> {
        // With standard_conforming_strings off, backslashes in '…' escape,
        // and the parser must know or it will misread the literal.
        let options = if scs { ParserOptions::DEFAULT } else { ParserOptions::DISABLE_STANDARD_CONFORMING_STRINGS };
        match pg_query::parse(&s.text_lossy(), options) {
            Ok(r) => Some(r.protobuf),
            Err(e) => {
                let message = match e {
                    pg_query::Error::Parse(m) => m,
                    other => other.to_string(),
                };
                self.parse_errors.push(ParseError {
                    line: item.line,
                    message,
                    object: item.toc.as_ref().map(|t| t.to_string()),
                });
                None
            }
        }
    }

    /// `SET client_encoding` and `SET standard_conforming_strings`, read
    /// without the parser (pg_dump writes them in one fixed form).
    fn set(&mut self, s: &Statement, scs: bool) {
        match s.facts.words[1].as_str() {
            "client_encoding" => self.encoding = set_value(&s.text_lossy()),
            // The scanner has already applied this statement to `scs`.
            "standard_conforming_strings" => self.standard_conforming_strings = Some(scs),
            _ => {}
        }
    }

    fn insert(&mut self, item: &Item, s: &Statement, scs: bool) {
        self.totals.insert_statements += 1;
        let bytes = s.text.len() as u64;
        self.totals.data_bytes += bytes;
        let table = match self.toc_data_table(item) {
            Some(i) => Some(i),
            // Not in pg_dump's data section (hand-written SQL, say): only
            // the parser can tell which table this is.
            None if !s.parseable() => None,
            None => self
                .parse(item, s, scs)
                .and_then(|p| p.stmts.into_iter().next())
                .and_then(|raw| raw.stmt)
                .and_then(|n| n.node)
                .and_then(|n| ddl::data_target(&n))
                .map(|q| self.catalog.data_table(&q, item.line)),
        };
        if let Some(i) = table {
            self.undigested.insert(i);
            let t = &mut self.catalog.tables[i];
            t.digest = None;
            t.rows += s.insert_rows();
            t.bytes += bytes;
            if t.data != "insert" {
                t.data = "insert".to_string();
            }
        }
    }

    /// A later part of a long INSERT: its bytes, and at the end its rows.
    fn insert_part(&mut self, item: &Item, s: &Statement) {
        let bytes = s.text.len() as u64;
        self.totals.data_bytes += bytes;
        if self.budget.over.is_some() {
            return;
        }
        if let Some(i) = self.toc_data_table(item) {
            self.undigested.insert(i);
            let t = &mut self.catalog.tables[i];
            t.digest = None;
            t.rows += s.insert_rows();
            t.bytes += bytes;
        }
    }

    fn copy_data(&mut self, item: &Item, d: &CopyData) {
        self.totals.copy_blocks += 1;
        self.totals.unterminated_copy_blocks += u64::from(!d.terminated);
        self.totals.data_bytes += d.bytes;
        if self.budget.over.is_some() {
            return; // no table is added once the summary is at its cap
        }
        let table = match self.pending_copy.take() {
            Some(i) => Some(i),
            None => self.toc_data_table(item),
        };
        if let Some(i) = table {
            let t = &mut self.catalog.tables[i];
            t.rows += d.rows;
            t.bytes += d.bytes;
            t.data = "copy".to_string();
            if let Some(d) = d.digest.filter(|_| self.digests && !self.undigested.contains(&i)) {
                let mut sum = t.digest.as_deref().and_then(RowDigest::from_hex).unwrap_or_default();
                sum += d;
                t.digest = Some(sum.to_hex());
            }
        }
    }

    /// The table of the item's `TABLE DATA` TOC entry, if it has one.
    fn toc_data_table(&mut self, item: &Item) -> Option<usize> {
        let toc = item.toc.as_ref().filter(|t| t.kind == "TABLE DATA")?;
        if let Some((seen, i)) = &self.data_toc
            && Arc::ptr_eq(seen, toc)
        {
            return Some(*i);
        }
        let q = QualifiedName { schema: toc.schema.clone(), name: toc.name.clone() };
        let i = self.catalog.data_table(&q, item.line);
        self.data_toc = Some((Arc::clone(toc), i));
        Some(i)
    }

    fn meta_command(&mut self, m: &MetaCommand, line: u64) {
        // Only the name: the `\restrict` key must not travel with the summary.
        // Bounded: a dump of nothing but meta-commands must not grow memory
        // (or schema.json) without end; restore checks every line anyway.
        if self.meta_commands.len() < MAX_META_COMMANDS {
            self.meta_commands.push(MetaCommandRef { command: m.command.clone(), line });
        }
        match m.command.as_str() {
            "restrict" => self.restrict = true,
            "connect" | "c" if self.connected_database.is_none() => {
                self.connected_database = connect_database(&m.args);
            }
            _ => {}
        }
    }
}

/// Counts the bytes and lines written to it.
#[derive(Default)]
struct Counter {
    bytes: u64,
    lines: u64,
}

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.lines += memchr::memchr_iter(b'\n', buf).count() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Lists of different element types behind one `dyn`, for [`SummaryBuilder::json_size`].
mod erased {
    pub(super) trait Render {
        fn render(&self, out: &mut super::Counter);
    }

    impl<T: serde::Serialize> Render for T {
        fn render(&self, out: &mut super::Counter) {
            serde_json::to_writer_pretty(out, self).expect("rendering to a counter cannot fail");
        }
    }
}

/// Meta-command lines the summary lists, at most.
pub const MAX_META_COMMANDS: usize = 1000;

/// Scans a whole dump (COPY data streamed to `io::sink`) and summarises it.
pub fn summarize<R: BufRead>(r: R) -> io::Result<Summary> {
    let mut scanner = Scanner::new(r).with_digests();
    let mut builder = SummaryBuilder::new().with_digests();
    while let Some(item) = scanner.next_item()? {
        builder.add(&item, scanner.standard_conforming_strings());
    }
    if let Some(t) = builder.too_large() {
        return Err(io::Error::other(t.to_string()));
    }
    Ok(builder.finish(scanner.header()))
}

/// The value of `SET name = value;` or `SET name TO value;`, unquoted.
fn set_value(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches(';').trim_end();
    let value = match t.find('=') {
        Some(i) => &t[i + 1..],
        None => {
            let lower = t.to_ascii_lowercase();
            let i = lower.find(" to ")?;
            &t[i + 4..]
        }
    };
    let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
    (!value.is_empty()).then(|| value.to_string())
}

/// The database a `\connect` argument names. pg_dump writes either a plain
/// (possibly double-quoted) name or, for names with unusual characters,
/// `-reuse-previous=on "dbname='…'"` (see `appendPsqlMetaConnect` in
/// fe_utils/string_utils.c).
fn connect_database(args: &str) -> Option<String> {
    let args = args.trim();
    let args = args.strip_prefix("-reuse-previous=on").map_or(args, str::trim_start);
    let word = match args.strip_prefix('"') {
        Some(rest) => {
            let mut word = String::new();
            let mut chars = rest.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        word.push('"');
                        chars.next();
                    }
                    '"' => break,
                    c => word.push(c),
                }
            }
            word
        }
        None => args.split_whitespace().next()?.to_string(),
    };
    let Some(value) = word.strip_prefix("dbname=") else {
        return (!word.is_empty() && word != "-").then_some(word);
    };
    // A libpq connection-string value: '…' with backslash escapes, or bare.
    let Some(quoted) = value.strip_prefix('\'') else {
        return Some(value.split_whitespace().next().unwrap_or("").to_string());
    };
    let mut out = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '\'' => break,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
