//! The library's one error type.
//!
//! Every failure carries an [`ErrorKind`] (which decides the exit code, see
//! `spec/exit-codes.md`) and a message that says what happened, where, and
//! what to do next. The CLI maps kinds to exit codes in one place.

use std::fmt;
use std::io;

/// What kind of failure this is; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The package or dump is invalid (exit 1).
    Invalid,
    /// Bad usage: conflicting or malformed options (exit 2).
    Usage,
    /// An I/O failure, a child process that failed, an unsupported format
    /// (exit 2).
    Operational,
    /// A guard refused; nothing was changed (exit 3).
    Refused,
    /// A restore failed part-way (exit 4).
    Partial,
}

/// The pgbag error: a kind plus a human message (and an optional source).
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<io::Error>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), source: None }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    pub fn operational(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Operational, message)
    }

    /// An I/O error with context: `context` says what pgbag was doing
    /// ("writing /backups/x.tar.zst").
    pub fn io(context: impl Into<String>, err: io::Error) -> Self {
        Error { kind: ErrorKind::Operational, message: context.into(), source: Some(err) }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The underlying I/O error, if any (used to recognise a broken pipe).
    pub fn io_error(&self) -> Option<&io::Error> {
        self.source.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(e) => write!(f, "{}: {}", self.message, e),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds context to I/O results: `file.read(..).context(|| format!("reading {p}"))`.
pub trait IoContext<T> {
    fn context<C: Into<String>>(self, what: impl FnOnce() -> C) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn context<C: Into<String>>(self, what: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| Error::io(what(), e))
    }
}
