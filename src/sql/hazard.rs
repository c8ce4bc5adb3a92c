//! Hazards: places where psql might read a dump differently from pgbag, or
//! where the dump's SQL reaches outside the database being restored.
//!
//! pgbag's restore guard works only if pgbag and psql split the input into
//! the same statements and meta-commands. Mirroring psql's lexer byte for
//! byte is not enough (psql's reading depends on its version, the client
//! encoding and `standard_conforming_strings` as the *server* reports it
//! while the restore runs), so the scanner also notes every byte or form
//! that pg_dump never writes outside string and COPY data and on which the
//! readings could differ. Restore refuses any input with one (refuse, do not
//! guess); validate reports them as warnings. spec/restore.md §"Input guard"
//! lists the rules and why each is needed.

use std::fmt;

use serde::Serialize;

/// What kind of hazard. [`HazardCode::code`] is the finding code of
/// spec/findings.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HazardCode {
    /// A NUL byte: psql reads lines with `fgets` and drops the rest of the
    /// line after one (and may join it with the next).
    NulByte,
    /// A carriage return outside quoted text, or in COPY data: psql's lexer
    /// ends a `--` comment at one.
    CarriageReturn,
    /// A `'…'` literal whose end depends on `standard_conforming_strings` or
    /// on the client encoding (an odd run of backslashes before a quote in a
    /// plain literal; a non-ASCII byte before backslashes and a quote).
    AmbiguousString,
    /// A number run into letters (`1e'…'`, `0x1F`, `1_000`): psql versions
    /// lex these differently (an `e` may start an `E'…'` string).
    AmbiguousNumber,
    /// A non-ASCII byte outside quotes and comments, where psql groups bytes
    /// by the client encoding (pg_dump quotes every non-ASCII identifier).
    UnquotedNonAscii,
    /// `:NAME`, `:'NAME'`, `:"NAME"` or `:{?NAME}` that psql would replace
    /// with a variable's value.
    PsqlVariable,
    /// Text after the `;` of a `COPY … FROM stdin;` line: psql reads the
    /// data first and runs that text afterwards.
    CopyLineTrailing,
    /// `standard_conforming_strings` or `client_encoding` changed other than
    /// by pg_dump's own header line (or `SET NAMES`, `RESET ALL`, `DISCARD`).
    SettingChanged,
    /// A client encoding in which psql lexes multibyte characters whose
    /// later bytes look like ASCII (SJIS, BIG5, GBK, UHC, GB18030, JOHAB).
    EncodingUnsafe,
    /// A statement too large to be parsed whole within pgbag's memory bound.
    StatementTooLarge,
    /// A meta-command line inside a statement (after its first token,
    /// before its `;`). psql keeps the statement and its lexer state across
    /// the line, so what it sends is the text before and after joined, while
    /// pgbag would check two fragments; and restore drops the dump's own
    /// `\restrict` and `\connect` lines, so psql never sees the line at all.
    /// pg_dump writes meta-commands only between statements.
    MetaCommandInStatement,
    /// SQL pg_dump never writes that reaches outside the database.
    OutsideDatabase(SqlClass),
}

impl HazardCode {
    /// The finding code (spec/findings.md).
    pub fn code(self) -> &'static str {
        match self {
            HazardCode::NulByte => "sql-nul-byte",
            HazardCode::CarriageReturn => "sql-carriage-return",
            HazardCode::AmbiguousString => "sql-ambiguous-string",
            HazardCode::AmbiguousNumber => "sql-ambiguous-number",
            HazardCode::UnquotedNonAscii => "sql-unquoted-non-ascii",
            HazardCode::PsqlVariable => "sql-psql-variable",
            HazardCode::CopyLineTrailing => "sql-copy-line-trailing",
            HazardCode::SettingChanged => "sql-setting-changed",
            HazardCode::EncodingUnsafe => "sql-encoding-unsafe",
            HazardCode::StatementTooLarge => "sql-statement-too-large",
            HazardCode::MetaCommandInStatement => "sql-meta-command-in-statement",
            HazardCode::OutsideDatabase(_) => "sql-outside-database",
        }
    }

    /// One line on what it is and why it matters.
    pub fn explain(self) -> String {
        match self {
            HazardCode::NulByte => "a NUL byte (psql drops the rest of the line)".into(),
            HazardCode::CarriageReturn => "a carriage return outside quoted text (psql ends a -- comment there)".into(),
            HazardCode::AmbiguousString => {
                "a string literal whose end depends on standard_conforming_strings or the client encoding".into()
            }
            HazardCode::AmbiguousNumber => "a number run into letters, which psql versions lex differently".into(),
            HazardCode::UnquotedNonAscii => "a non-ASCII byte outside quotes and comments".into(),
            HazardCode::PsqlVariable => "a psql variable reference (:NAME), which psql would replace".into(),
            HazardCode::CopyLineTrailing => "text after the ; of a COPY ... FROM stdin line".into(),
            HazardCode::SettingChanged => {
                "standard_conforming_strings or client_encoding changed other than by pg_dump's header line".into()
            }
            HazardCode::EncodingUnsafe => "a client encoding in which psql reads multibyte characters".into(),
            HazardCode::StatementTooLarge => {
                format!(
                    "a statement over {} MiB or {} tokens, too large to check",
                    super::scanner::MAX_PARSED >> 20,
                    super::scanner::MAX_TOKENS
                )
            }
            HazardCode::MetaCommandInStatement => {
                "a meta-command line inside a statement (psql joins the text around it into one statement)".into()
            }
            HazardCode::OutsideDatabase(c) => c.explain().into(),
        }
    }
}

impl fmt::Display for HazardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Classes of SQL that reach outside the database, each let through by
/// `restore --allow-sql CLASS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlClass {
    /// `COPY … TO/FROM PROGRAM`: runs a shell command on the server.
    CopyProgram,
    /// `COPY … TO/FROM 'file'`: reads or writes a server file.
    CopyFile,
    /// `ALTER SYSTEM`: changes the server's configuration.
    AlterSystem,
    /// `CREATE/ALTER/DROP ROLE|USER|GROUP`, `GRANT role TO role`.
    Role,
    /// `SET ROLE`, `SET SESSION AUTHORIZATION` and their `RESET`.
    SetRole,
    /// A function in an untrusted language, or in C from an object file.
    UntrustedFunction,
    /// `LOAD 'library'`.
    Load,
    /// `CREATE/ALTER/DROP TABLESPACE`: directories on the server.
    Tablespace,
    /// A subscription that connects to another server.
    Subscription,
    /// `SELECT`, `DO`, `CALL` or DML that calls anything but the catalog
    /// functions pg_dump writes (`pg_read_file`, `lo_export`, `dblink`, …).
    FunctionCall,
}

impl SqlClass {
    pub const ALL: [SqlClass; 10] = [
        SqlClass::CopyProgram,
        SqlClass::CopyFile,
        SqlClass::AlterSystem,
        SqlClass::Role,
        SqlClass::SetRole,
        SqlClass::UntrustedFunction,
        SqlClass::Load,
        SqlClass::Tablespace,
        SqlClass::Subscription,
        SqlClass::FunctionCall,
    ];

    /// The name `--allow-sql` takes.
    pub fn name(self) -> &'static str {
        match self {
            SqlClass::CopyProgram => "copy-program",
            SqlClass::CopyFile => "copy-file",
            SqlClass::AlterSystem => "alter-system",
            SqlClass::Role => "role",
            SqlClass::SetRole => "set-role",
            SqlClass::UntrustedFunction => "untrusted-function",
            SqlClass::Load => "load",
            SqlClass::Tablespace => "tablespace",
            SqlClass::Subscription => "subscription",
            SqlClass::FunctionCall => "function-call",
        }
    }

    pub fn parse(s: &str) -> Option<SqlClass> {
        SqlClass::ALL.into_iter().find(|c| c.name() == s)
    }

    fn explain(self) -> &'static str {
        match self {
            SqlClass::CopyProgram => "COPY ... PROGRAM runs a shell command on the server",
            SqlClass::CopyFile => "COPY to or from a server file",
            SqlClass::AlterSystem => "ALTER SYSTEM changes the server's configuration",
            SqlClass::Role => "creates, changes or grants roles, which are shared by the whole server",
            SqlClass::SetRole => "SET ROLE / SET SESSION AUTHORIZATION changes who the restore runs as",
            SqlClass::UntrustedFunction => "a function in an untrusted language or loaded from an object file",
            SqlClass::Load => "LOAD loads a shared library into the server",
            SqlClass::Tablespace => "a tablespace is a directory on the server",
            SqlClass::Subscription => "a subscription connects to another server",
            SqlClass::FunctionCall => "calls a function pg_dump never calls (it could read files or reach other hosts)",
        }
    }
}

impl fmt::Display for SqlClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One hazard, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    pub code: HazardCode,
    /// 1-based line of the dump.
    pub line: u64,
    /// What was found there (a statement's start, for SQL classes).
    pub detail: String,
}

impl fmt::Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.code.explain())?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// The hazards of one dump, bounded: the first [`Hazards::KEEP`] are kept,
/// the rest only counted, so hostile input cannot grow memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Hazards {
    pub kept: Vec<Hazard>,
    pub total: u64,
}

impl Hazards {
    pub const KEEP: usize = 200;

    pub fn push(&mut self, h: Hazard) {
        self.total += 1;
        if self.kept.len() < Self::KEEP {
            self.kept.push(h);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Adds `other`'s, keeping the bound, in line order.
    pub fn merge(&mut self, other: Hazards) {
        self.total += other.total;
        self.kept.extend(other.kept);
        self.kept.sort_by_key(|h| h.line);
        self.kept.truncate(Self::KEEP);
    }
}

/// Client encodings in which psql's lexer treats bytes after a multibyte
/// lead byte as part of the character although they look like ASCII
/// (`pg_valid_server_encoding` is false for exactly these; psqlscan.l's
/// `safe_encoding`).
pub fn encoding_is_unsafe(name: &str) -> bool {
    let n: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    matches!(
        n.as_str(),
        "SJIS"
            | "SHIFTJIS"
            | "SHIFTJIS2004"
            | "MSKANJI"
            | "BIG5"
            | "GBK"
            | "CP936"
            | "WIN936"
            | "UHC"
            | "CP949"
            | "WIN949"
            | "GB18030"
            | "JOHAB"
            | "WIN950"
            | "CP950"
            | "WIN932"
            | "CP932"
    )
}
