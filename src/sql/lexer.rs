//! An incremental lexer that finds where psql would end a statement.
//!
//! It mirrors psql's own scanner (`src/fe_utils/psqlscan.l`) closely enough to
//! agree with it on statement boundaries and meta-commands:
//!
//! - `;` ends a statement only outside quotes and comments, at parenthesis
//!   depth 0 and outside a `BEGIN … END` block of a SQL-standard function body
//!   (psql's `begin_depth` heuristic for `CREATE [OR REPLACE] FUNCTION|PROCEDURE`);
//! - `'…'` strings honour backslash escapes when they are `E'…'` strings or
//!   when `standard_conforming_strings` is off; `''` is a quote either way;
//! - `"…"` identifiers, `$tag$…$tag$` bodies (tags never contain `$`, so a
//!   different tag inside a body is just text), `--` and nested `/* */` comments;
//! - a backslash outside all of those starts a psql meta-command, wherever it
//!   is on the line.
//!
//! The lexer is fed arbitrary slices (a `BufRead` buffer may end anywhere) and
//! keeps all of its state between calls; it never looks back into bytes it has
//! already been given.

/// Why [`Lexer::feed`] stopped before the end of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The statement-ending `;` was the last byte consumed.
    StatementEnd,
    /// A meta-command backslash is the next byte; it was *not* consumed.
    Backslash,
    /// A newline was the last byte consumed (only when asked to stop there).
    Newline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Normal,
    /// Inside a word; `Lexer::word` holds its lowercased head.
    Word,
    /// Saw `-` (maybe a `--` comment).
    Dash,
    /// Saw `/` (maybe a `/*` comment).
    Slash,
    LineComment,
    Block {
        depth: u32,
        star: bool,
        slash: bool,
    },
    Quote {
        escapes: bool,
        backslash: bool,
        maybe_end: bool,
    },
    Ident {
        maybe_end: bool,
    },
    /// After a `$` that may open a dollar quote; `tag` collects its tag.
    DollarOpen {
        tag: Vec<u8>,
    },
    /// Inside a dollar-quoted body; `matched` bytes of `$tag$` seen so far.
    Dollar {
        tag: Vec<u8>,
        matched: usize,
    },
}

/// What the lexer learned about the statement it is in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementFacts {
    /// The first two words, lowercased (e.g. `copy`, `insert`, `set`).
    pub words: [String; 2],
    /// Row constructors `(…)` at depth 0 after `VALUES` (INSERT row count).
    pub values_rows: u64,
    /// Saw the words `FROM STDIN` at depth 0 (a COPY that reads data inline).
    pub from_stdin: bool,
    /// Position (bytes since the lexer was reset) of the first token that is
    /// not whitespace or a comment: where the statement starts.
    pub start: Option<u64>,
}

/// The incremental lexer. See the module documentation.
#[derive(Debug, Clone)]
pub struct Lexer {
    state: State,
    /// psql's `standard_conforming_strings` as the dump has set it so far.
    pub standard_conforming_strings: bool,
    paren_depth: u32,
    begin_depth: u32,
    /// psql's `identifiers[]` / `identifier_count` for the BEGIN ATOMIC heuristic.
    idents: [u8; 4],
    ident_count: usize,
    word: Vec<u8>,
    /// Bytes consumed since the last reset.
    pos: u64,
    last_word_from: bool,
    seen_values: bool,
    facts: StatementFacts,
}

const WORD_CAP: usize = 40;

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

impl Default for Lexer {
    fn default() -> Self {
        Lexer {
            state: State::Normal,
            standard_conforming_strings: true,
            paren_depth: 0,
            begin_depth: 0,
            idents: [0; 4],
            ident_count: 0,
            word: Vec::new(),
            pos: 0,
            last_word_from: false,
            seen_values: false,
            facts: StatementFacts::default(),
        }
    }
}

impl Lexer {
    /// Facts about the current statement so far.
    pub fn facts(&self) -> &StatementFacts {
        &self.facts
    }

    /// True when the lexer is at plain SQL level (not inside a quote, word,
    /// comment or dollar body), where a new statement could begin.
    pub fn at_top(&self) -> bool {
        matches!(self.state, State::Normal)
    }

    /// Takes the facts about the statement just ended.
    pub fn take_facts(&mut self) -> StatementFacts {
        std::mem::take(&mut self.facts)
    }

    /// Forgets everything about the current statement (after it ended).
    pub fn reset_statement(&mut self) {
        let scs = self.standard_conforming_strings;
        *self = Lexer { standard_conforming_strings: scs, ..Lexer::default() };
    }

    /// Feeds `data`. Returns how many bytes were consumed and why it stopped
    /// early, if it did. With `stop_at_newline`, a newline at top level (or
    /// ending a `--` comment) also stops the lexer, after consuming it.
    pub fn feed(&mut self, data: &[u8], stop_at_newline: bool) -> (usize, Option<Stop>) {
        let (n, stop) = self.feed_inner(data, stop_at_newline);
        self.pos += n as u64;
        (n, stop)
    }

    fn feed_inner(&mut self, data: &[u8], stop_at_newline: bool) -> (usize, Option<Stop>) {
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            match &mut self.state {
                State::Normal => {
                    match b {
                        b';' => {
                            self.mark_start(i);
                            if self.paren_depth == 0 && self.begin_depth == 0 {
                                return (i + 1, Some(Stop::StatementEnd));
                            }
                        }
                        b'\\' => return (i, Some(Stop::Backslash)),
                        b'\n' if stop_at_newline => return (i + 1, Some(Stop::Newline)),
                        b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
                        b'-' => self.state = State::Dash,
                        b'/' => self.state = State::Slash,
                        b'\'' => {
                            self.token(i);
                            self.state = State::Quote {
                                escapes: !self.standard_conforming_strings,
                                backslash: false,
                                maybe_end: false,
                            };
                        }
                        b'"' => {
                            self.token(i);
                            self.state = State::Ident { maybe_end: false };
                        }
                        b'$' => {
                            self.token(i);
                            self.state = State::DollarOpen { tag: Vec::new() };
                        }
                        b'(' => {
                            self.token(i);
                            if self.paren_depth == 0 && self.seen_values {
                                self.facts.values_rows += 1;
                            }
                            self.paren_depth += 1;
                        }
                        b')' => {
                            self.token(i);
                            self.paren_depth = self.paren_depth.saturating_sub(1);
                        }
                        _ if is_ident_start(b) => {
                            // Not `token()`: that would forget a preceding FROM.
                            self.mark_start(i);
                            self.word.clear();
                            self.word.push(b.to_ascii_lowercase());
                            self.state = State::Word;
                        }
                        _ => self.token(i),
                    }
                    i += 1;
                }
                State::Word => {
                    // Fast path: run to the end of the word.
                    let rest = &data[i..];
                    let n = rest.iter().position(|&c| !is_ident_cont(c)).unwrap_or(rest.len());
                    for &c in &rest[..n] {
                        if self.word.len() < WORD_CAP {
                            self.word.push(c.to_ascii_lowercase());
                        }
                    }
                    i += n;
                    if i < data.len() {
                        let escape_prefix = self.word == b"e" && data[i] == b'\'';
                        self.end_word();
                        if escape_prefix {
                            // E'…': backslash escapes whatever the setting.
                            self.state = State::Quote { escapes: true, backslash: false, maybe_end: false };
                            i += 1;
                        } else {
                            self.state = State::Normal;
                        }
                    }
                }
                State::Dash => {
                    if b == b'-' {
                        self.state = State::LineComment;
                        i += 1;
                    } else {
                        // The `-` or `/` one byte back was an operator.
                        self.token_at(self.pos + i as u64 - 1);
                        self.state = State::Normal;
                    }
                }
                State::Slash => {
                    if b == b'*' {
                        self.state = State::Block { depth: 1, star: false, slash: false };
                        i += 1;
                    } else {
                        // The `-` or `/` one byte back was an operator.
                        self.token_at(self.pos + i as u64 - 1);
                        self.state = State::Normal;
                    }
                }
                State::LineComment => match memchr::memchr(b'\n', &data[i..]) {
                    Some(n) => {
                        i += n + 1;
                        self.state = State::Normal;
                        if stop_at_newline {
                            return (i, Some(Stop::Newline));
                        }
                    }
                    None => i = data.len(),
                },
                State::Block { depth, star, slash } => {
                    if *star && b == b'/' {
                        *depth -= 1;
                        *star = false;
                        if *depth == 0 {
                            self.state = State::Normal;
                        }
                    } else if *slash && b == b'*' {
                        *depth += 1;
                        *slash = false;
                    } else {
                        *star = b == b'*';
                        *slash = b == b'/';
                    }
                    i += 1;
                }
                State::Quote { escapes, backslash, maybe_end } => {
                    if *maybe_end {
                        if b == b'\'' {
                            *maybe_end = false;
                            i += 1;
                        } else {
                            self.state = State::Normal;
                        }
                    } else if *backslash {
                        *backslash = false;
                        i += 1;
                    } else {
                        // Skip to the next byte that matters.
                        let rest = &data[i..];
                        let hit =
                            if *escapes { memchr::memchr2(b'\'', b'\\', rest) } else { memchr::memchr(b'\'', rest) };
                        match hit {
                            Some(n) => {
                                if rest[n] == b'\\' {
                                    *backslash = true;
                                } else {
                                    *maybe_end = true;
                                }
                                i += n + 1;
                            }
                            None => i = data.len(),
                        }
                    }
                }
                State::Ident { maybe_end } => {
                    if *maybe_end {
                        if b == b'"' {
                            *maybe_end = false;
                            i += 1;
                        } else {
                            self.state = State::Normal;
                        }
                    } else {
                        match memchr::memchr(b'"', &data[i..]) {
                            Some(n) => {
                                *maybe_end = true;
                                i += n + 1;
                            }
                            None => i = data.len(),
                        }
                    }
                }
                State::DollarOpen { tag } => {
                    if b == b'$' {
                        let tag = std::mem::take(tag);
                        self.state = State::Dollar { tag, matched: 0 };
                        i += 1;
                    } else if is_ident_start(b) || (b.is_ascii_digit() && !tag.is_empty()) {
                        tag.push(b);
                        i += 1;
                    } else {
                        // `$1`, or `$` in an operator: not a dollar quote.
                        self.state = State::Normal;
                    }
                }
                State::Dollar { tag, matched } => {
                    if *matched == 0 {
                        match memchr::memchr(b'$', &data[i..]) {
                            Some(n) => {
                                *matched = 1;
                                i += n + 1;
                            }
                            None => i = data.len(),
                        }
                    } else if *matched == tag.len() + 1 {
                        if b == b'$' {
                            self.state = State::Normal;
                        } else {
                            *matched = 0;
                        }
                        i += 1;
                    } else if tag[*matched - 1] == b {
                        *matched += 1;
                        i += 1;
                    } else {
                        // A `$` restarts the match; anything else resets it.
                        *matched = usize::from(b == b'$');
                        i += 1;
                    }
                }
            }
        }
        (data.len(), None)
    }

    /// A non-trivia token starts at byte `i` of the current feed.
    fn token(&mut self, i: usize) {
        self.token_at(self.pos + i as u64);
    }

    fn token_at(&mut self, at: u64) {
        if self.facts.start.is_none() {
            self.facts.start = Some(at);
        }
        self.last_word_from = false;
    }

    fn mark_start(&mut self, i: usize) {
        if self.facts.start.is_none() {
            self.facts.start = Some(self.pos + i as u64);
        }
    }

    /// A word just ended: psql's identifier bookkeeping plus our own facts.
    fn end_word(&mut self) {
        let w = std::mem::take(&mut self.word);
        let word = w.as_slice();
        if self.ident_count == 0 {
            self.idents = [0; 4];
        }
        if matches!(word, b"create" | b"function" | b"procedure" | b"or" | b"replace")
            && self.ident_count < self.idents.len()
        {
            self.idents[self.ident_count] = word[0];
        }
        self.ident_count += 1;
        let id = self.idents;
        let in_routine = id[0] == b'c'
            && (id[1] == b'f' || id[1] == b'p' || (id[1] == b'o' && id[2] == b'r' && (id[3] == b'f' || id[3] == b'p')));
        if in_routine && self.paren_depth == 0 {
            match word {
                b"begin" => self.begin_depth += 1,
                b"case" if self.begin_depth > 0 => self.begin_depth += 1,
                b"end" if self.begin_depth > 0 => self.begin_depth -= 1,
                _ => {}
            }
        }
        if self.paren_depth == 0 {
            if word == b"values" {
                self.seen_values = true;
            }
            if self.last_word_from && word == b"stdin" {
                self.facts.from_stdin = true;
            }
            self.last_word_from = word == b"from";
        } else {
            self.last_word_from = false;
        }
        for slot in self.facts.words.iter_mut() {
            if slot.is_empty() {
                *slot = String::from_utf8_lossy(word).into_owned();
                break;
            }
        }
        self.word = w;
        self.word.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `sql` in pieces of `step` bytes and returns the statements found.
    fn split(sql: &str, step: usize) -> Vec<String> {
        let mut lx = Lexer::default();
        let bytes = sql.as_bytes();
        let mut out = Vec::new();
        let mut cur = Vec::new();
        let mut pos = 0;
        while pos < bytes.len() {
            let end = (pos + step).min(bytes.len());
            let (n, stop) = lx.feed(&bytes[pos..end], false);
            cur.extend_from_slice(&bytes[pos..pos + n]);
            pos += n;
            match stop {
                Some(Stop::StatementEnd) => {
                    out.push(String::from_utf8(std::mem::take(&mut cur)).unwrap().trim().to_string());
                    lx.reset_statement();
                }
                Some(Stop::Backslash) => panic!("unexpected backslash at {pos}"),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn semicolons_inside_quotes_and_comments_do_not_split() {
        let sql = "SELECT 'a;b', \"x;\"\"y\", $$;$$, $fn$ $$ ; $fn$; -- c;\n/* a /* b; */ ; */ SELECT 2;";
        for step in 1..8 {
            assert_eq!(split(sql, step).len(), 2, "step {step}");
        }
    }

    #[test]
    fn escape_strings_and_standard_conforming_strings() {
        // In E'' a backslash escapes the quote; in a standard string it does not.
        assert_eq!(split(r"SELECT E'\';'; SELECT 'a\'; SELECT 1;", 3).len(), 3);
        let mut lx = Lexer { standard_conforming_strings: false, ..Lexer::default() };
        let (n, stop) = lx.feed(br"SELECT 'a\'; b'; x", false);
        assert_eq!(stop, Some(Stop::StatementEnd));
        assert_eq!(n, br"SELECT 'a\'; b';".len());
    }

    #[test]
    fn begin_atomic_bodies_hold_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END; SELECT 3;";
        assert_eq!(split(sql, 5).len(), 2);
        // Outside CREATE FUNCTION, BEGIN is a transaction start.
        assert_eq!(split("BEGIN; SELECT 1; END;", 2).len(), 3);
    }

    #[test]
    fn parens_hold_semicolons_like_psql() {
        assert_eq!(split("SELECT (1;2); SELECT 3;", 1).len(), 2);
    }

    #[test]
    fn counts_insert_rows_and_copy_from_stdin() {
        let mut lx = Lexer::default();
        lx.feed(b"INSERT INTO t (a, b) VALUES (1, '(x'), (2, $$)$$), ((3), 4);", false);
        assert_eq!(lx.facts().values_rows, 3);
        assert_eq!(lx.facts().words[0], "insert");
        let mut lx = Lexer::default();
        lx.feed(b"COPY \"from\" (a) FROM stdin;", false);
        assert!(lx.facts().from_stdin);
        let mut lx = Lexer::default();
        lx.feed(b"COPY t (a) TO stdout;", false);
        assert!(!lx.facts().from_stdin);
    }

    #[test]
    fn dollar_parameters_and_identifiers_with_dollars_are_not_quotes() {
        assert_eq!(split("SELECT $1; SELECT a$b$c; SELECT 2;", 1).len(), 3);
    }

    #[test]
    fn backslash_outside_quotes_stops() {
        let mut lx = Lexer::default();
        let (n, stop) = lx.feed(b"SELECT 'x\\y' \\g", false);
        assert_eq!((n, stop), (13, Some(Stop::Backslash)));
    }
}
