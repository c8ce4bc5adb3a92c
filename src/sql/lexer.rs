//! An incremental lexer that finds where psql would end a statement, and
//! notes every place where psql might read the bytes differently.
//!
//! It follows psql's own scanner (`src/fe_utils/psqlscan.l`) on statement
//! boundaries and meta-commands:
//!
//! - `;` ends a statement only outside quotes and comments, at parenthesis
//!   depth 0 and outside a `BEGIN … END` block of a SQL-standard function body
//!   (psql's `begin_depth` heuristic for `CREATE [OR REPLACE] FUNCTION|PROCEDURE`);
//! - `'…'` strings honour backslash escapes when they are `E'…'` strings or
//!   when `standard_conforming_strings` is off; `''` is a quote either way;
//! - `"…"` identifiers, `$tag$…$tag$` bodies (a failed `$tag` is rescanned as
//!   an identifier, as psql does, so `$e'…'` is an `E'…'` string), `--`
//!   comments (ended by `\n` or `\r`) and nested `/* */` comments;
//! - numbers, and `:name` psql variable references, are single tokens;
//! - a backslash outside all of those starts a psql meta-command, wherever it
//!   is on the line.
//!
//! Where the reading could depend on things pgbag cannot know for certain
//! (psql's version, the client encoding, `standard_conforming_strings` as the
//! server reports it mid-restore), the lexer records a [`HazardCode`] rather
//! than guess; see [`super::hazard`]. NUL bytes, carriage returns outside
//! quoted text, non-ASCII bytes outside quotes and comments, ambiguous string
//! literals and numbers, and psql variable references are all noted.
//!
//! The lexer is fed arbitrary slices (a `BufRead` buffer may end anywhere) and
//! keeps all of its state between calls; it never looks back into bytes it has
//! already been given.

use super::hazard::HazardCode;

/// Why [`Lexer::feed`] stopped before the end of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The statement-ending `;` was the last byte consumed.
    StatementEnd,
    /// A meta-command backslash is the next byte; it was *not* consumed.
    Backslash,
}

/// Inside a `'…'` literal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Quote {
    /// Backslash escapes (an `E'…'` string, or standard_conforming_strings off).
    escapes: bool,
    /// Not an `E'…'` string: its end depends on standard_conforming_strings.
    plain: bool,
    /// The previous byte was an escaping backslash.
    pending_escape: bool,
    /// Saw a `'` that ends the literal unless another `'` follows.
    maybe_end: bool,
    /// Consecutive backslashes just seen.
    run: u32,
    /// That run began right after a non-ASCII byte.
    run_after_high: bool,
    /// The previous byte was non-ASCII.
    prev_high: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Normal,
    /// Inside a word; `Lexer::word` holds its lowercased head.
    Word,
    /// Inside a number (digits and `.`).
    Number,
    /// After a number's `e`: `sign` if a sign may follow, `digits` seen.
    Exponent {
        sign: bool,
        digits: bool,
    },
    /// Saw `:` (a cast `::`, `:=`, or a psql variable).
    Colon,
    /// Inside `:name`; `upper` if the name has an ASCII capital.
    ColonName {
        upper: bool,
    },
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
    Quote(Quote),
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
    /// Saw the word `VALUES` at depth 0.
    pub values: bool,
    /// Words after `VALUES` other than `NULL`, `TRUE`, `FALSE`, `DEFAULT` and
    /// `ON CONFLICT DO NOTHING` (and the `E`/`B` of `E'…'`/`B'…'`): in an INSERT, an expression pg_dump never
    /// writes (a function call, a subquery).
    pub values_expression: bool,
    /// Position (bytes since the lexer was reset) of the first token that is
    /// not whitespace or a comment: where the statement starts.
    pub start: Option<u64>,
    /// Tokens so far (a parse tree costs some hundreds of bytes for each).
    pub tokens: u64,
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
    /// Hazards found and not yet taken: (code, position since the reset),
    /// in position order.
    hazards: Vec<(HazardCode, u64)>,
    /// A NUL byte was noted since the last reset (one hazard a statement).
    nul_seen: bool,
    /// The word being lexed already had its non-ASCII hazard.
    word_flagged: bool,
}

const WORD_CAP: usize = 40;
/// Hazards held between two [`Lexer::take_hazards`] calls: [`Lexer::feed`]
/// returns early once it has this many, so none is dropped, whatever the
/// sizes of the slices it is fed.
const PENDING_CAP: usize = 64;

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// psqlscan.l's `variable_char`.
fn is_variable_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
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
            hazards: Vec::new(),
            nul_seen: false,
            word_flagged: false,
        }
    }
}

/// What one step of the state machine did.
enum Step {
    /// Consumed this many bytes; go on.
    Eat(usize),
    /// Stop after consuming this many bytes.
    Stop(usize, Stop),
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

    /// True once the current statement has its first token: a `;` or the
    /// end of input is needed to end it.
    pub fn in_statement(&self) -> bool {
        self.facts.start.is_some()
    }

    /// Takes the facts about the statement just ended.
    pub fn take_facts(&mut self) -> StatementFacts {
        std::mem::take(&mut self.facts)
    }

    /// Takes the hazards found since the last call: (code, position since
    /// the last reset).
    pub fn take_hazards(&mut self) -> Vec<(HazardCode, u64)> {
        std::mem::take(&mut self.hazards)
    }

    /// Bytes consumed since the last reset.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Forgets everything about the current statement (after it ended).
    pub fn reset_statement(&mut self) {
        let scs = self.standard_conforming_strings;
        let hazards = std::mem::take(&mut self.hazards);
        *self = Lexer { standard_conforming_strings: scs, hazards, ..Lexer::default() };
    }

    /// Feeds `data`. Returns how many bytes were consumed and why it stopped
    /// early, if it did. It may also return early without a [`Stop`] once it
    /// holds [`PENDING_CAP`] hazards (take them and feed the rest).
    ///
    /// The hazards found do not depend on how the input is sliced: the same
    /// bytes fed in any pieces give the same codes at the same positions, in
    /// position order.
    pub fn feed(&mut self, data: &[u8]) -> (usize, Option<Stop>) {
        let (n, stop) = self.feed_inner(data);
        // The first NUL since the reset, put in position order (after any
        // other hazard at the same byte, all of which this feed found).
        if !self.nul_seen
            && let Some(at) = memchr::memchr(0, &data[..n])
        {
            self.nul_seen = true;
            let pos = self.pos + at as u64;
            let k = self.hazards.partition_point(|&(_, p)| p <= pos);
            self.hazards.insert(k, (HazardCode::NulByte, pos));
        }
        self.pos += n as u64;
        (n, stop)
    }

    fn feed_inner(&mut self, data: &[u8]) -> (usize, Option<Stop>) {
        let mut i = 0;
        while i < data.len() {
            let step = match self.state {
                State::Normal => self.normal(data, i),
                State::Word => self.in_word(data, i),
                State::Number | State::Exponent { .. } => self.in_number(data, i),
                State::Colon | State::ColonName { .. } => self.in_colon(data, i),
                State::Dash | State::Slash => self.comment_start(data, i),
                State::LineComment => self.line_comment(data, i),
                State::Block { .. } => self.block_comment(data, i),
                State::Quote(_) => self.in_quote(data, i),
                State::Ident { .. } => self.in_ident(data, i),
                State::DollarOpen { .. } => self.dollar_open(data, i),
                State::Dollar { .. } => self.in_dollar(data, i),
            };
            match step {
                Step::Eat(n) => i += n,
                Step::Stop(n, stop) => return (i + n, Some(stop)),
            }
            if self.hazards.len() >= PENDING_CAP && i > 0 {
                return (i, None);
            }
        }
        (data.len(), None)
    }

    /// Notes a hazard at byte `i` of the current feed. Bounded by `feed`
    /// stopping at [`PENDING_CAP`] (a step notes at most one).
    fn hazard_at(&mut self, code: HazardCode, i: usize) {
        self.hazards.push((code, self.pos + i as u64));
    }

    /// Plain SQL level, byte `data[i]`.
    fn normal(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        match b {
            b';' => {
                self.mark_start(i);
                if self.paren_depth == 0 && self.begin_depth == 0 {
                    return Step::Stop(1, Stop::StatementEnd);
                }
            }
            b'\\' => return Step::Stop(0, Stop::Backslash),
            b'\r' => self.hazard_at(HazardCode::CarriageReturn, i),
            b' ' | b'\t' | b'\n' | b'\x0c' => {}
            b'-' => self.state = State::Dash,
            b'/' => self.state = State::Slash,
            b'\'' => {
                self.token(i);
                self.state =
                    State::Quote(Quote { escapes: !self.standard_conforming_strings, plain: true, ..Quote::default() });
            }
            b'"' => {
                self.token(i);
                self.state = State::Ident { maybe_end: false };
            }
            b'$' => {
                self.token(i);
                self.state = State::DollarOpen { tag: Vec::new() };
            }
            b':' => {
                self.token(i);
                self.state = State::Colon;
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
            b'0'..=b'9' => {
                self.token(i);
                self.state = State::Number;
            }
            _ if is_ident_start(b) => {
                // One hazard a word, at its first non-ASCII byte.
                self.word_flagged = b >= 0x80;
                if self.word_flagged {
                    self.hazard_at(HazardCode::UnquotedNonAscii, i);
                }
                // Not `token()`: that would forget a preceding FROM.
                self.mark_start(i);
                self.facts.tokens += 1;
                self.word.clear();
                self.word.push(b.to_ascii_lowercase());
                self.state = State::Word;
            }
            _ => self.token(i),
        }
        Step::Eat(1)
    }

    fn in_word(&mut self, data: &[u8], i: usize) -> Step {
        // Fast path: run to the end of the word.
        let rest = &data[i..];
        let n = rest.iter().position(|&c| !is_ident_cont(c)).unwrap_or(rest.len());
        if !self.word_flagged
            && let Some(h) = rest[..n].iter().position(|&c| c >= 0x80)
        {
            self.word_flagged = true;
            self.hazard_at(HazardCode::UnquotedNonAscii, i + h);
        }
        for &c in &rest[..n] {
            if self.word.len() < WORD_CAP {
                self.word.push(c.to_ascii_lowercase());
            }
        }
        if n == rest.len() {
            return Step::Eat(n);
        }
        let escape_prefix = self.word == b"e" && rest[n] == b'\'';
        self.end_word();
        if escape_prefix {
            // E'…': backslash escapes whatever the setting.
            self.state = State::Quote(Quote { escapes: true, plain: false, ..Quote::default() });
            return Step::Eat(n + 1);
        }
        self.state = State::Normal;
        Step::Eat(n)
    }

    /// Digits, `.`, and an exponent. A letter right after a number is lexed
    /// differently by psql versions (`1e'…'`: 14 rescans the `e` as the start
    /// of an `E'…'` string, 15 makes `1e` one token), so it is a hazard.
    fn in_number(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        match &mut self.state {
            State::Exponent { sign, digits } => {
                if *sign && (b == b'+' || b == b'-') {
                    *sign = false;
                    return Step::Eat(1);
                }
                if b.is_ascii_digit() {
                    *sign = false;
                    *digits = true;
                    return Step::Eat(1);
                }
                if !*digits || is_ident_start(b) {
                    self.hazard_at(HazardCode::AmbiguousNumber, i);
                }
            }
            _ => {
                if b.is_ascii_digit() || b == b'.' {
                    return Step::Eat(1);
                }
                if b == b'e' || b == b'E' {
                    self.state = State::Exponent { sign: true, digits: false };
                    return Step::Eat(1);
                }
                if is_ident_start(b) {
                    self.hazard_at(HazardCode::AmbiguousNumber, i);
                }
            }
        }
        self.state = State::Normal;
        Step::Eat(0)
    }

    /// `::`, `:=`, or a psql variable reference `:name` (one token to psql,
    /// replaced if the variable is set). pgbag runs psql with `-X` and sets
    /// only ON_ERROR_STOP, so only psql's own variables (all capitals) could
    /// be set: a name with a capital, or any quoted form, is a hazard.
    fn in_colon(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        if let State::ColonName { upper } = &mut self.state {
            if is_variable_char(b) {
                *upper |= b.is_ascii_uppercase();
                if b >= 0x80 {
                    self.hazard_at(HazardCode::UnquotedNonAscii, i);
                }
                return Step::Eat(1);
            }
            if *upper {
                self.hazard_at(HazardCode::PsqlVariable, i);
            }
            self.state = State::Normal;
            return Step::Eat(0);
        }
        match b {
            b':' | b'=' => {
                self.state = State::Normal;
                Step::Eat(1)
            }
            b'\'' | b'"' | b'{' => {
                self.hazard_at(HazardCode::PsqlVariable, i);
                self.state = State::Normal;
                Step::Eat(0)
            }
            _ if is_variable_char(b) => {
                self.state = State::ColonName { upper: false };
                Step::Eat(0)
            }
            _ => {
                self.state = State::Normal;
                Step::Eat(0)
            }
        }
    }

    /// After `-` or `/`: a comment, or the byte before was an operator.
    fn comment_start(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        match self.state {
            State::Dash if b == b'-' => {
                self.state = State::LineComment;
                Step::Eat(1)
            }
            State::Slash if b == b'*' => {
                self.state = State::Block { depth: 1, star: false, slash: false };
                Step::Eat(1)
            }
            _ => {
                self.token_at(self.pos + i as u64 - 1);
                self.state = State::Normal;
                Step::Eat(0)
            }
        }
    }

    /// A `--` comment ends at a newline or, for psql, a carriage return.
    fn line_comment(&mut self, data: &[u8], i: usize) -> Step {
        match memchr::memchr2(b'\n', b'\r', &data[i..]) {
            Some(n) => {
                if data[i + n] == b'\r' {
                    self.hazard_at(HazardCode::CarriageReturn, i + n);
                }
                self.state = State::Normal;
                Step::Eat(n + 1)
            }
            None => Step::Eat(data.len() - i),
        }
    }

    fn block_comment(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        if b == b'\r' {
            self.hazard_at(HazardCode::CarriageReturn, i);
        }
        let State::Block { depth, star, slash } = &mut self.state else { unreachable!() };
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
        Step::Eat(1)
    }

    /// Inside `'…'`. Besides finding the end, notes the two ways the end
    /// could move under another reading: an odd run of backslashes before a
    /// quote in a plain literal (standard_conforming_strings flipped), and a
    /// non-ASCII byte before backslashes that meet a quote or each other (a
    /// client encoding whose multibyte characters end in 0x5C).
    fn in_quote(&mut self, data: &[u8], i: usize) -> Step {
        let State::Quote(q) = &mut self.state else { unreachable!() };
        let b = data[i];
        if q.maybe_end {
            if b == b'\'' {
                // `''`: a quote inside the literal.
                q.maybe_end = false;
                q.run = 0;
                q.prev_high = false;
                return Step::Eat(1);
            }
            self.state = State::Normal;
            return Step::Eat(0);
        }
        // Skip to the next byte that matters.
        let rest = &data[i..];
        let Some(n) = memchr::memchr2(b'\'', b'\\', rest) else {
            if let Some(&last) = rest.last() {
                q.prev_high = last >= 0x80;
                q.run = 0;
                q.pending_escape = false;
            }
            return Step::Eat(rest.len());
        };
        if n > 0 {
            q.prev_high = rest[n - 1] >= 0x80;
            q.run = 0;
            q.pending_escape = false;
        }
        let ambiguous;
        if rest[n] == b'\\' {
            if q.run == 0 {
                q.run_after_high = q.prev_high;
            }
            q.run = q.run.saturating_add(1);
            ambiguous = q.run_after_high && q.run == 2;
            if q.escapes {
                q.pending_escape = !q.pending_escape;
            }
        } else {
            ambiguous = q.run > 0 && ((q.plain && q.run % 2 == 1) || q.run_after_high);
            if q.pending_escape {
                q.pending_escape = false; // `\'`: an escaped quote
            } else {
                q.maybe_end = true;
            }
            q.run = 0;
        }
        q.prev_high = false;
        if ambiguous {
            self.hazard_at(HazardCode::AmbiguousString, i + n);
        }
        Step::Eat(n + 1)
    }

    fn in_ident(&mut self, data: &[u8], i: usize) -> Step {
        let State::Ident { maybe_end } = &mut self.state else { unreachable!() };
        if *maybe_end {
            if data[i] == b'"' {
                *maybe_end = false;
                return Step::Eat(1);
            }
            self.state = State::Normal;
            return Step::Eat(0);
        }
        match memchr::memchr(b'"', &data[i..]) {
            Some(n) => {
                *maybe_end = true;
                Step::Eat(n + 1)
            }
            None => Step::Eat(data.len() - i),
        }
    }

    fn dollar_open(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        let State::DollarOpen { tag } = &mut self.state else { unreachable!() };
        if b == b'$' {
            let tag = std::mem::take(tag);
            self.state = State::Dollar { tag, matched: 0 };
            return Step::Eat(1);
        }
        if is_ident_start(b) || (b.is_ascii_digit() && !tag.is_empty()) {
            tag.push(b);
            if b >= 0x80 {
                self.hazard_at(HazardCode::UnquotedNonAscii, i);
            }
            return Step::Eat(1);
        }
        if tag.is_empty() {
            // `$1`, or `$` in an operator: not a dollar quote.
            self.state = State::Normal;
            return Step::Eat(0);
        }
        // psql's {dolqfailed}: everything after the `$` is rescanned, as the
        // identifier it is (so `$e'…'` holds an `E'…'` string).
        let tag = std::mem::take(tag);
        // Its non-ASCII bytes were noted above, one by one.
        self.word_flagged = tag.iter().any(|&c| c >= 0x80);
        self.word = tag.iter().take(WORD_CAP).map(u8::to_ascii_lowercase).collect();
        self.state = State::Word;
        Step::Eat(0)
    }

    fn in_dollar(&mut self, data: &[u8], i: usize) -> Step {
        let b = data[i];
        let State::Dollar { tag, matched } = &mut self.state else { unreachable!() };
        if *matched == 0 {
            return match memchr::memchr(b'$', &data[i..]) {
                Some(n) => {
                    *matched = 1;
                    Step::Eat(n + 1)
                }
                None => Step::Eat(data.len() - i),
            };
        }
        if *matched == tag.len() + 1 {
            if b == b'$' {
                self.state = State::Normal;
            } else {
                *matched = 0;
            }
        } else if tag[*matched - 1] == b {
            *matched += 1;
        } else {
            // A `$` restarts the match; anything else resets it.
            *matched = usize::from(b == b'$');
        }
        Step::Eat(1)
    }

    /// A non-trivia token starts at byte `i` of the current feed.
    fn token(&mut self, i: usize) {
        self.token_at(self.pos + i as u64);
    }

    fn token_at(&mut self, at: u64) {
        self.facts.tokens += 1;
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
        if self.seen_values
            && !matches!(
                word,
                b"null" | b"true" | b"false" | b"default" | b"on" | b"conflict" | b"do" | b"nothing" | b"e" | b"b"
            )
        {
            self.facts.values_expression = true;
        }
        if self.paren_depth == 0 {
            if word == b"values" {
                self.seen_values = true;
                self.facts.values = true;
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
            let (n, stop) = lx.feed(&bytes[pos..end]);
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
        let (n, stop) = lx.feed(br"SELECT 'a\'; b'; x");
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
        lx.feed(b"INSERT INTO t (a, b) VALUES (1, '(x'), (2, $$)$$), ((3), 4);");
        assert_eq!(lx.facts().values_rows, 3);
        assert_eq!(lx.facts().words[0], "insert");
        let mut lx = Lexer::default();
        lx.feed(b"COPY \"from\" (a) FROM stdin;");
        assert!(lx.facts().from_stdin);
        let mut lx = Lexer::default();
        lx.feed(b"COPY t (a) TO stdout;");
        assert!(!lx.facts().from_stdin);
    }

    #[test]
    fn dollar_parameters_and_identifiers_with_dollars_are_not_quotes() {
        assert_eq!(split("SELECT $1; SELECT a$b$c; SELECT 2;", 1).len(), 3);
    }

    #[test]
    fn backslash_outside_quotes_stops() {
        let mut lx = Lexer::default();
        let (n, stop) = lx.feed(b"SELECT 'x\\y' \\g");
        assert_eq!((n, stop), (13, Some(Stop::Backslash)));
    }
}
