//! Selective restore out of a plain dump: `--table`, `--schema`,
//! `--data-only`, `--schema-only`.
//!
//! Plain SQL has no archive TOC for `pg_restore -t`, but pg_dump's TOC
//! comments name every object, and PostgreSQL's parser names the table an
//! index, constraint, trigger, policy, comment or grant belongs to. A table
//! brings its definition, data, owned sequences, defaults, constraints,
//! indexes, triggers, policies, comments and grants, plus the types its
//! columns use and the functions its triggers call. Foreign keys to tables
//! left out are skipped (the plan lists them).

use std::collections::BTreeSet;

use pg_query::NodeEnum;
use serde::Serialize;

use crate::schema::{QualifiedName, Summary};
use crate::sql::{Statement, TocEntry};

/// What to restore.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// Tables asked for, as `schema.name` (unquoted parts).
    pub tables: BTreeSet<(String, String)>,
    pub schemas: BTreeSet<String>,
    pub data_only: bool,
    pub schema_only: bool,
    /// Types and functions the selected tables need (quoted qualified names).
    pub needed: BTreeSet<String>,
}

impl Selection {
    /// True when some object filter (not just data/schema-only) applies.
    fn filters_objects(&self) -> bool {
        !self.tables.is_empty() || !self.schemas.is_empty()
    }

    fn table_selected(&self, schema: &str, name: &str) -> bool {
        if !self.filters_objects() {
            return true;
        }
        self.schemas.contains(schema) || self.tables.contains(&(schema.to_string(), name.to_string()))
    }

    /// Fills `needed` from the summary: column types and trigger functions
    /// of the selected tables.
    pub fn resolve(&mut self, s: &Summary) {
        for t in &s.tables {
            let schema = t.schema.clone().unwrap_or_default();
            if !self.tables.contains(&(schema.clone(), t.name.clone())) {
                continue;
            }
            for c in &t.columns {
                self.needed.insert(c.type_name.trim_end_matches("[]").split('(').next().unwrap_or("").to_string());
            }
            for tr in
                s.triggers.iter().filter(|tr| tr.table.schema.as_deref() == Some(&schema) && tr.table.name == t.name)
            {
                self.needed.insert(tr.function.split('(').next().unwrap_or("").to_string());
            }
        }
    }

    /// Foreign keys of selected tables that point at tables left out.
    pub fn dangling_foreign_keys(&self, s: &Summary) -> Vec<String> {
        let mut out = Vec::new();
        for t in &s.tables {
            let schema = t.schema.clone().unwrap_or_default();
            if !self.filters_objects() || !self.table_selected(&schema, &t.name) {
                continue;
            }
            for fk in &t.foreign_keys {
                let r = &fk.references;
                if !self.table_selected(r.schema.as_deref().unwrap_or(""), &r.name) {
                    let name = QualifiedName { schema: t.schema.clone(), name: t.name.clone() };
                    out.push(format!("{} on {name} -> {}", fk.name.as_deref().unwrap_or("(unnamed)"), r));
                }
            }
        }
        out
    }

    /// Whether an item of the TOC entry `toc` (a statement, or COPY data when
    /// `st` is `None`) is restored.
    pub fn keeps(&self, toc: Option<&TocEntry>, st: Option<&Statement>) -> bool {
        let Some(toc) = toc else { return true }; // the header's SET statements
        let kind = toc.kind.as_str();
        let is_data = matches!(kind, "TABLE DATA" | "SEQUENCE SET" | "BLOB" | "BLOBS" | "LARGE OBJECT" | "BLOB DATA")
            || (kind == "MATERIALIZED VIEW DATA");
        if self.data_only && !is_data {
            return false;
        }
        if self.schema_only && is_data {
            return false;
        }
        if !self.filters_objects() {
            return true;
        }
        let schema = toc.schema.clone().unwrap_or_default();
        let qualified = QualifiedName { schema: toc.schema.clone(), name: toc.name.clone() }.to_string();
        match kind {
            "EXTENSION" => true,
            "SCHEMA" => self.schemas.contains(&toc.name),
            "TABLE" | "TABLE DATA" => self.table_selected(&schema, &toc.name),
            // `-- Name: books id; Type: DEFAULT`: table, then column.
            "DEFAULT" => toc.name.split(' ').next().is_some_and(|t| self.table_selected(&schema, t)),
            "TYPE" | "DOMAIN" | "FUNCTION" | "PROCEDURE" | "AGGREGATE" => {
                // Routines are named with their arguments: `f(integer)`.
                let bare = toc.name.split('(').next().unwrap_or_default().to_string();
                let routine = QualifiedName { schema: toc.schema.clone(), name: bare }.to_string();
                self.schemas.contains(&schema) || self.needed.contains(&qualified) || self.needed.contains(&routine)
            }
            _ => match st.and_then(relation_of) {
                Some(Relations { table, references }) => {
                    let ok = |q: &(String, String)| self.table_selected(&q.0, &q.1);
                    ok(&table) && references.iter().all(ok)
                }
                // Sequences and anything else: by schema, or by owning table.
                None => self.schemas.contains(&schema) || self.sequence_of_selected(toc),
            },
        }
    }

    /// `SEQUENCE books_id_seq` belongs to table `books` by pg_dump's naming
    /// of owned sequences; `OWNED BY` statements are matched by their table.
    fn sequence_of_selected(&self, toc: &TocEntry) -> bool {
        if !toc.kind.starts_with("SEQUENCE") {
            return false;
        }
        let schema = toc.schema.clone().unwrap_or_default();
        self.tables.iter().any(|(s, t)| *s == schema && toc.name.starts_with(&format!("{t}_")))
    }
}

/// The table a statement works on, and the tables it references.
struct Relations {
    table: (String, String),
    references: Vec<(String, String)>,
}

fn rv(r: &pg_query::protobuf::RangeVar) -> (String, String) {
    (r.schemaname.clone(), r.relname.clone())
}

/// The names of a `List` of `String` nodes (`schema.table.column`).
fn string_list(node: &NodeEnum) -> Option<Vec<String>> {
    match node {
        NodeEnum::List(l) => Some(
            l.items
                .iter()
                .filter_map(|n| match &n.node {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Finds the table behind indexes, constraints, triggers, policies, RLS,
/// comments on tables and columns, grants and `OWNED BY`.
fn relation_of(st: &Statement) -> Option<Relations> {
    let parsed = pg_query::parse(&st.text_lossy(), 0).ok()?;
    let node = parsed.protobuf.stmts.first()?.stmt.as_ref()?.node.as_ref()?;
    let one = |t| Some(Relations { table: t, references: Vec::new() });
    match node {
        NodeEnum::IndexStmt(i) => one(rv(i.relation.as_ref()?)),
        NodeEnum::CreateTrigStmt(t) => one(rv(t.relation.as_ref()?)),
        NodeEnum::CreatePolicyStmt(p) => one(rv(p.table.as_ref()?)),
        NodeEnum::RuleStmt(r) => one(rv(r.relation.as_ref()?)),
        NodeEnum::AlterTableStmt(a) => {
            let mut references = Vec::new();
            for c in &a.cmds {
                if let Some(NodeEnum::AlterTableCmd(c)) = &c.node
                    && let Some(NodeEnum::Constraint(k)) = c.def.as_ref().and_then(|d| d.node.as_ref())
                    && let Some(pk) = &k.pktable
                {
                    references.push(rv(pk));
                }
            }
            Some(Relations { table: rv(a.relation.as_ref()?), references })
        }
        NodeEnum::AlterSeqStmt(s) => {
            // ALTER SEQUENCE s OWNED BY schema.table.column
            let owned = s.options.iter().find_map(|o| match &o.node {
                Some(NodeEnum::DefElem(d)) if d.defname == "owned_by" => d.arg.clone(),
                _ => None,
            })?;
            let parts = string_list(owned.node.as_ref()?)?;
            (parts.len() == 3)
                .then(|| Relations { table: (parts[0].clone(), parts[1].clone()), references: Vec::new() })
        }
        NodeEnum::CommentStmt(c) => {
            let parts = string_list(c.object.as_ref()?.node.as_ref()?)?;
            match parts.len() {
                2 | 3 => one((parts[0].clone(), parts[1].clone())),
                _ => None,
            }
        }
        NodeEnum::GrantStmt(g) => {
            let first = g.objects.first()?;
            match first.node.as_ref()? {
                NodeEnum::RangeVar(r) => one(rv(r)),
                _ => None,
            }
        }
        _ => None,
    }
}
