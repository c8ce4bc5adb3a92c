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

use std::io::{self, BufRead};
use std::sync::Arc;

use pg_query::{NodeEnum, ParserOptions};

use super::ddl::{self, Catalog};
use super::model::{DumpFacts, MetaCommandRef, ParseError, QualifiedName, SUMMARY_VERSION, Summary, Totals};
use crate::sql::{CopyData, DumpHeader, Item, ItemKind, MetaCommand, Part, Scanner, Statement, TocEntry};

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
    /// The table of the `COPY … FROM stdin` just seen; its data comes next.
    pending_copy: Option<usize>,
    /// The last `TABLE DATA` TOC entry data was attributed to, and its
    /// table: consecutive INSERTs share the entry, so this saves a lookup.
    data_toc: Option<(Arc<TocEntry>, usize)>,
}

impl SummaryBuilder {
    pub fn new() -> Self {
        Self::default()
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
        let rows = cat.tables.iter().map(|t| t.rows).sum();
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
            },
            schemas: cat.schemas_in_use(),
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
        match s.keyword() {
            "set" => self.set(s, scs),
            "insert" => self.insert(item, s, scs),
            keyword => {
                // pg_dump --clean writes `DROP …` and `ALTER TABLE … DROP …`.
                self.drops_objects |= keyword == "drop";
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
            let t = &mut self.catalog.tables[i];
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
        if let Some(i) = self.toc_data_table(item) {
            let t = &mut self.catalog.tables[i];
            t.rows += s.insert_rows();
            t.bytes += bytes;
        }
    }

    fn copy_data(&mut self, item: &Item, d: &CopyData) {
        self.totals.copy_blocks += 1;
        self.totals.unterminated_copy_blocks += u64::from(!d.terminated);
        self.totals.data_bytes += d.bytes;
        let table = match self.pending_copy.take() {
            Some(i) => Some(i),
            None => self.toc_data_table(item),
        };
        if let Some(i) = table {
            let t = &mut self.catalog.tables[i];
            t.rows += d.rows;
            t.bytes += d.bytes;
            t.data = "copy".to_string();
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

/// Meta-command lines the summary lists, at most.
pub const MAX_META_COMMANDS: usize = 1000;

/// Scans a whole dump (COPY data streamed to `io::sink`) and summarises it.
pub fn summarize<R: BufRead>(r: R) -> io::Result<Summary> {
    let mut scanner = Scanner::new(r);
    let mut builder = SummaryBuilder::new();
    while let Some(item) = scanner.next_item()? {
        builder.add(&item, scanner.standard_conforming_strings());
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
