//! The schema summary (`pgbag/schema.json`): what a dump holds.
//!
//! Invariants: every field is derived from the dump alone (so `validate` can
//! re-derive and compare it); lists are kept in dump order, except `schemas`
//! and `roles`, which are sorted and unique. Field order here is the JSON
//! order; `spec/schema.schema.json` documents it.

use serde::{Deserialize, Serialize};

pub const SUMMARY_VERSION: u32 = 1;

/// A schema-qualified object name. `schema` is `None` when the dump did not
/// qualify the name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{}.{}", quote_ident(s), quote_ident(&self.name)),
            None => f.write_str(&quote_ident(&self.name)),
        }
    }
}

/// Quotes an identifier the way PostgreSQL's `quote_ident` does (lowercase
/// ASCII letters, digits, `_` and `$` stay bare; keywords are not checked).
pub fn quote_ident(s: &str) -> String {
    let bare = !s.is_empty()
        && s.bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_lowercase() || b == b'_' || (i > 0 && (b.is_ascii_digit() || b == b'$')));
    if bare { s.to_string() } else { format!("\"{}\"", s.replace('"', "\"\"")) }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub summary_version: u32,
    pub dump: DumpFacts,
    pub schemas: Vec<String>,
    pub extensions: Vec<Extension>,
    pub tables: Vec<Table>,
    pub views: Vec<View>,
    pub materialized_views: Vec<View>,
    pub indexes: Vec<Index>,
    pub sequences: Vec<Sequence>,
    pub types: Vec<TypeDef>,
    pub functions: Vec<Function>,
    pub policies: Vec<Policy>,
    pub triggers: Vec<Trigger>,
    /// Roles named as owners (`OWNER TO`, `AUTHORIZATION`) or grantees.
    pub roles: Vec<String>,
    /// The roles of `roles` named as owners (`OWNER TO`, `AUTHORIZATION`):
    /// a restoring role that is not a member of one cannot take ownership
    /// for it. Absent from summaries of earlier pgbag versions (read as empty).
    #[serde(default)]
    pub owners: Vec<String>,
    /// Statements only a superuser may run (`CREATE EVENT TRIGGER`, `CREATE
    /// FOREIGN DATA WRAPPER`, `CREATE LANGUAGE`, `CREATE PUBLICATION … FOR
    /// ALL TABLES`), as `line N: STATEMENT NAME`, the first 100. Absent
    /// from summaries of earlier pgbag versions (read as empty).
    #[serde(default)]
    pub superuser_only: Vec<String>,
    pub large_objects: u64,
    pub meta_commands: Vec<MetaCommandRef>,
    /// Statements PostgreSQL's parser rejected.
    pub parse_errors: Vec<ParseError>,
    pub totals: Totals,
}

/// What the dump says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpFacts {
    pub dumped_from: Option<String>,
    pub dumped_by: Option<String>,
    /// Ends with pg_dump's `-- PostgreSQL database dump complete` footer.
    pub complete: bool,
    /// The `\restrict` key is present (not its value: it is random per dump
    /// but harmless; we still do not copy it around).
    pub restrict: bool,
    /// The database the dump creates or connects to (`pg_dump --create`).
    pub database: Option<String>,
    pub encoding: Option<String>,
    pub standard_conforming_strings: bool,
    /// `--clean`: the dump drops objects before creating them.
    pub drops_objects: bool,
    /// `pg_dump --create --clean`: the dump starts with `DROP DATABASE`.
    #[serde(default)]
    pub drops_database: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    /// `table`, `partitioned`, `partition`, `foreign`, `unlogged`.
    pub kind: String,
    pub partition_of: Option<QualifiedName>,
    pub columns: Vec<Column>,
    pub primary_key: Option<KeyConstraint>,
    pub unique: Vec<KeyConstraint>,
    pub foreign_keys: Vec<ForeignKey>,
    /// CHECK constraints, table and column ones alike. Absent from packages
    /// made before pgbag recorded them.
    #[serde(default)]
    pub checks: Vec<CheckConstraint>,
    pub comment: Option<String>,
    pub owner: Option<String>,
    /// `copy`, `insert`, or `none` when the dump has no data for it.
    pub data: String,
    pub rows: u64,
    pub bytes: u64,
    /// The content digest of the table's rows (spec/content-digest.md), 64
    /// hex digits; `None` when not computed (rows carried by INSERTs, or a
    /// package made before digests).
    #[serde(default)]
    pub digest: Option<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// As PostgreSQL's `format_type` writes it; schema-qualified user types
    /// keep their schema (`public.citext`).
    #[serde(rename = "type")]
    pub type_name: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// `always` or `by default` for identity columns.
    pub identity: Option<String>,
    /// The expression of a `GENERATED ALWAYS AS (…) STORED` column.
    pub generated: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyConstraint {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub references: QualifiedName,
    pub referenced_columns: Vec<String>,
}

/// A `CHECK` constraint of a table or a domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConstraint {
    pub name: Option<String>,
    /// The expression, deparsed (`(price > (0)::numeric)`).
    pub expression: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub schema: Option<String>,
    pub name: String,
    pub comment: Option<String>,
    pub owner: Option<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub schema: Option<String>,
    pub name: String,
    pub table: QualifiedName,
    pub unique: bool,
    pub method: String,
    pub columns: Vec<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub schema: Option<String>,
    pub name: String,
    /// `table.column` that owns it (`OWNED BY`, or an identity column).
    pub owned_by: Option<String>,
    /// From `SELECT pg_catalog.setval(…)`.
    pub last_value: Option<i64>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDef {
    pub schema: Option<String>,
    pub name: String,
    /// `enum`, `domain`, `composite`, `range`, `base`.
    pub kind: String,
    /// Enum labels.
    pub values: Vec<String>,
    /// Domain base type.
    pub base_type: Option<String>,
    /// Domain default, deparsed. Absent from packages made before pgbag
    /// recorded it.
    #[serde(default)]
    pub default: Option<String>,
    /// Domain CHECK constraints. Absent from packages made before pgbag
    /// recorded them.
    #[serde(default)]
    pub checks: Vec<CheckConstraint>,
    /// Composite attributes as `name type`.
    pub attributes: Vec<String>,
    pub comment: Option<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub schema: Option<String>,
    pub name: String,
    /// `function`, `procedure`, `aggregate`.
    pub kind: String,
    /// The argument list as `name type` items joined with `, `.
    pub arguments: String,
    pub returns: Option<String>,
    pub language: Option<String>,
    /// The schema-qualified names (`schema.name`) that the body of a
    /// function in a language other than SQL (plpgsql, say) mentions
    /// anywhere in its text, in a schema the dump uses; sorted. Read
    /// lexically, as such a body is not SQL; restore never edits it, so
    /// `--extension-schema` lists the functions whose bodies name a moved
    /// extension's member. Absent from summaries an older pgbag wrote.
    #[serde(default)]
    pub body_names: Vec<QualifiedName>,
    pub comment: Option<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub table: QualifiedName,
    pub name: String,
    /// `all`, `select`, `insert`, `update`, `delete`.
    pub command: String,
    pub roles: Vec<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub table: QualifiedName,
    pub name: String,
    pub function: String,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaCommandRef {
    /// Without the backslash: `restrict`, `connect`, `!`.
    pub command: String,
    pub line: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    pub line: u64,
    pub message: String,
    /// The TOC entry the statement belongs to (`TABLE public.works`).
    pub object: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub statements: u64,
    pub copy_blocks: u64,
    pub insert_statements: u64,
    pub rows: u64,
    pub data_bytes: u64,
    /// COPY blocks that ended before their `\.` line.
    pub unterminated_copy_blocks: u64,
}
