//! Findings: what `validate` (and `inspect`'s warnings) report, as data.
//!
//! Each finding has a severity, a stable code (spec/findings.md), a message,
//! a location and a hint that says what to do. The exit code follows the
//! worst severity: any `error` makes a package invalid.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// Path inside the bag (`data/dump.sql`), if the finding has one.
    pub path: Option<String>,
    /// 1-based line in that file, if known.
    pub line: Option<u64>,
    pub hint: Option<String>,
}

/// The findings of one run, in the order found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn add(&mut self, severity: Severity, code: &str, message: impl Into<String>) -> &mut Finding {
        self.0.push(Finding {
            severity,
            code: code.into(),
            message: message.into(),
            path: None,
            line: None,
            hint: None,
        });
        self.0.last_mut().expect("just pushed")
    }

    pub fn error(&mut self, code: &str, message: impl Into<String>) -> &mut Finding {
        self.add(Severity::Error, code, message)
    }

    pub fn warning(&mut self, code: &str, message: impl Into<String>) -> &mut Finding {
        self.add(Severity::Warning, code, message)
    }

    pub fn worst(&self) -> Option<Severity> {
        self.0.iter().map(|f| f.severity).max()
    }

    pub fn is_valid(&self) -> bool {
        self.worst() != Some(Severity::Error)
    }

    pub fn has(&self, code: &str) -> bool {
        self.0.iter().any(|f| f.code == code)
    }
}

impl Finding {
    pub fn at(&mut self, path: &str) -> &mut Self {
        self.path = Some(path.to_string());
        self
    }

    pub fn line(&mut self, line: u64) -> &mut Self {
        self.line = Some(line);
        self
    }

    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
}
