//! Findings: what `validate` (and `inspect`'s warnings) report, as data.
//!
//! Each finding has a severity, a stable [`Code`] (spec/findings.md), a
//! message, a location and a hint that says what to do. The exit code
//! follows the worst severity: any `error` makes a package invalid.
//!
//! Codes are an enum, so that a reader picks one from its own error kinds
//! and a typo cannot invent a code; they serialise to the kebab-case strings
//! of spec/findings.md (a test keeps the two lists equal).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// A finding's stable code: the tables of spec/findings.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of spec/findings.md.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as scripts see it (`tar-duplicate-entry`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// No bytes, once decompressed (spec/inputs.md).
    InputEmpty = "input-empty",
    /// A pg_dump custom, tar or directory-format archive.
    InputPgDumpArchive = "input-pg-dump-archive",
    /// Binary data, or text that is not SQL.
    InputNotADump = "input-not-a-dump",
    TarCorrupt = "tar-corrupt",
    TarHeaderChecksumMismatch = "tar-header-checksum-mismatch",
    CompressedStreamCorrupt = "compressed-stream-corrupt",
    TarTruncated = "tar-truncated",
    TarTrailingGarbage = "tar-trailing-garbage",
    TarUnsafePath = "tar-unsafe-path",
    TarLink = "tar-link",
    TarSpecialFile = "tar-special-file",
    TarDuplicateEntry = "tar-duplicate-entry",
    /// An entry carrying two names (a PAX `path` and a GNU long name, or two
    /// of either) that tar readers resolve differently.
    TarConflictingNames = "tar-conflicting-names",
    /// An extended header other tar readers may read differently (a PAX
    /// global header, a PAX record pgbag does not know).
    TarHeaderUnsupported = "tar-header-unsupported",
    TarMultipleRoots = "tar-multiple-roots",
    TarOrder = "tar-order",
    DecompressionBomb = "decompression-bomb",
    PackageSha256Mismatch = "package-sha256-mismatch",
    BagitTxtMissing = "bagit-txt-missing",
    BagitTxtInvalid = "bagit-txt-invalid",
    BagInfoMissing = "bag-info-missing",
    BagInfoInvalid = "bag-info-invalid",
    PayloadOxumMismatch = "payload-oxum-mismatch",
    PayloadOxumMissing = "payload-oxum-missing",
    ManifestMissing = "manifest-missing",
    ManifestInvalidLine = "manifest-invalid-line",
    PayloadMissing = "payload-missing",
    PayloadUnlisted = "payload-unlisted",
    /// A payload file other than `data/dump.sql` and `data/globals.sql`.
    PayloadFileUnexpected = "payload-file-unexpected",
    PayloadChecksumMismatch = "payload-checksum-mismatch",
    TagmanifestMissing = "tagmanifest-missing",
    TagFileMissing = "tag-file-missing",
    TagChecksumMismatch = "tag-checksum-mismatch",
    TagFileUnlisted = "tag-file-unlisted",
    TagFileUnexpected = "tag-file-unexpected",
    TagFileNotUtf8 = "tag-file-not-utf8",
    TagFileTooLarge = "tag-file-too-large",
    ManifestJsonMissing = "manifest-json-missing",
    ManifestJsonInvalid = "manifest-json-invalid",
    FormatVersionUnsupported = "format-version-unsupported",
    ManifestJsonMismatch = "manifest-json-mismatch",
    SchemaJsonMissing = "schema-json-missing",
    SchemaJsonInvalid = "schema-json-invalid",
    RowsMismatch = "rows-mismatch",
    DigestMismatch = "digest-mismatch",
    SummaryMismatch = "summary-mismatch",
    SummaryTooLarge = "summary-too-large",
    DumpMissing = "dump-missing",
    DumpHeaderMissing = "dump-header-missing",
    DumpIncomplete = "dump-incomplete",
    RestrictUnpaired = "restrict-unpaired",
    CopyUnterminated = "copy-unterminated",
    ParseError = "parse-error",
    MetaCommand = "meta-command",
    SqlNulByte = "sql-nul-byte",
    SqlCarriageReturn = "sql-carriage-return",
    SqlAmbiguousString = "sql-ambiguous-string",
    SqlAmbiguousNumber = "sql-ambiguous-number",
    SqlUnquotedNonAscii = "sql-unquoted-non-ascii",
    SqlPsqlVariable = "sql-psql-variable",
    SqlCopyLineTrailing = "sql-copy-line-trailing",
    SqlSettingChanged = "sql-setting-changed",
    SqlEncodingUnsafe = "sql-encoding-unsafe",
    SqlStatementTooLarge = "sql-statement-too-large",
    SqlMetaCommandInStatement = "sql-meta-command-in-statement",
    SqlOutsideDatabase = "sql-outside-database",
    SqlHazardsMore = "sql-hazards-more",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = String;

    fn from_str(s: &str) -> Result<Code, String> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown finding code `{s}`"))
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
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
    pub fn add(&mut self, severity: Severity, code: Code, message: impl Into<String>) -> &mut Finding {
        self.0.push(Finding { severity, code, message: message.into(), path: None, line: None, hint: None });
        self.0.last_mut().expect("just pushed")
    }

    pub fn error(&mut self, code: Code, message: impl Into<String>) -> &mut Finding {
        self.add(Severity::Error, code, message)
    }

    pub fn warning(&mut self, code: Code, message: impl Into<String>) -> &mut Finding {
        self.add(Severity::Warning, code, message)
    }

    pub fn worst(&self) -> Option<Severity> {
        self.0.iter().map(|f| f.severity).max()
    }

    pub fn is_valid(&self) -> bool {
        self.worst() != Some(Severity::Error)
    }

    pub fn has(&self, code: Code) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes of spec/findings.md's tables: `| \`code\` | severity | … |`.
    fn spec_codes() -> Vec<(String, String)> {
        let spec = include_str!("../../spec/findings.md");
        spec.lines()
            .filter_map(|l| {
                let mut cells = l.split('|').map(str::trim).skip(1);
                let code = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
                let severity = cells.next()?;
                matches!(severity, "error" | "warning" | "info").then(|| (code.to_string(), severity.to_string()))
            })
            .collect()
    }

    #[test]
    fn every_code_is_in_the_spec_and_every_spec_code_is_a_code() {
        let spec = spec_codes();
        for c in Code::ALL {
            assert!(spec.iter().any(|(s, _)| s == c.as_str()), "{c} is not in spec/findings.md");
        }
        for (s, _) in &spec {
            assert!(s.parse::<Code>().is_ok(), "spec/findings.md lists `{s}`, which is not a Code");
        }
        assert_eq!(spec.len(), Code::ALL.len(), "a code is listed twice in spec/findings.md");
        for (s, sev) in &spec {
            if s.starts_with("sql-") {
                assert_eq!(sev, "warning", "{s}");
            }
        }
    }

    #[test]
    fn codes_serialise_as_their_spec_strings() {
        for c in Code::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{c}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), *c);
        }
        assert!(serde_json::from_str::<Code>("\"no-such-code\"").is_err());
    }
}
