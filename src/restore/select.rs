//! Selective restore out of a plain dump: `--table`, `--schema`,
//! `--data-only`, `--schema-only`.
//!
//! Plain SQL has no archive TOC for `pg_restore -t`, but pg_dump's TOC
//! comments name every object, and PostgreSQL's parser names the table an
//! index, constraint, trigger, policy, comment or grant belongs to. A table
//! brings its definition, data, owned sequences, defaults, constraints,
//! indexes, triggers, policies, comments and grants, plus the types,
//! functions and sequences its columns, defaults, CHECK constraints, index
//! expressions and triggers need, with their comments and grants
//! ([`super::depends`]).
//! Foreign keys to tables left out are skipped (the plan lists them).

use std::collections::BTreeSet;

use pg_query::NodeEnum;
use serde::Serialize;

use super::depends::{self, Unresolved};
use crate::schema::{QualifiedName, Summary, strings};
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
    /// Sequences the selected tables' defaults draw on, as `schema.name`
    /// (unquoted parts), owned by them or not.
    pub sequences: BTreeSet<(String, String)>,
}

/// What [`Selection::resolve`] found beyond the tables themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    /// What comes along that is not the tables' own: `function
    /// public.f(bigint)`, `sequence public.s`, `domain public.d`.
    pub brought: Vec<String>,
    /// What they need that cannot come along.
    pub unresolved: Vec<Unresolved>,
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

    /// Fills `needed` and `sequences` from the summary with what the
    /// selected tables need, and says what that brings along. With
    /// `--data-only` nothing is created, so nothing comes along: a shared
    /// sequence's value is left alone, other tables draw on it too.
    pub fn resolve(&mut self, s: &Summary) -> Resolution {
        if self.data_only || self.tables.is_empty() {
            return Resolution::default();
        }
        let tables: Vec<_> = s
            .tables
            .iter()
            .filter(|t| self.tables.contains(&(t.schema.clone().unwrap_or_default(), t.name.clone())))
            .collect();
        let needs = depends::needs(s, &tables, |q| self.table_selected(q.schema.as_deref().unwrap_or(""), &q.name));
        // What a selected schema holds comes anyway.
        let listed = |schema: &Option<String>| !self.schemas.contains(schema.as_deref().unwrap_or(""));
        let mut brought = Vec::new();
        for &i in &needs.types {
            let t = &s.types[i];
            let q = QualifiedName { schema: t.schema.clone(), name: t.name.clone() };
            if listed(&t.schema) {
                brought.push(format!("{} {q}", if t.kind == "domain" { "domain" } else { "type" }));
            }
            self.needed.insert(q.to_string());
        }
        for &i in &needs.functions {
            let f = &s.functions[i];
            if listed(&f.schema) {
                brought.push(format!("{} {}", f.kind, depends::signature(f)));
            }
            self.needed.insert(QualifiedName { schema: f.schema.clone(), name: f.name.clone() }.to_string());
        }
        let owners: Vec<String> = tables
            .iter()
            .map(|t| format!("{}.", QualifiedName { schema: t.schema.clone(), name: t.name.clone() }))
            .collect();
        for &i in &needs.sequences {
            let q = &s.sequences[i];
            let own = q.owned_by.as_deref().is_some_and(|o| owners.iter().any(|t| o.starts_with(t.as_str())));
            if listed(&q.schema) && !own {
                brought.push(format!("sequence {}", QualifiedName { schema: q.schema.clone(), name: q.name.clone() }));
            }
            self.sequences.insert((q.schema.clone().unwrap_or_default(), q.name.clone()));
        }
        Resolution { brought, unresolved: needs.unresolved }
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
            _ => match st.and_then(subject_of) {
                Some(Subject::Relation(Relations { table, references })) => {
                    let ok = |q: &(String, String)| self.table_selected(&q.0, &q.1);
                    (ok(&table) || self.sequences.contains(&table)) && references.iter().all(ok)
                }
                // A comment on or a grant of a type or routine.
                Some(Subject::Object(q)) => {
                    self.schemas.contains(q.schema.as_deref().unwrap_or(&schema))
                        || self.needed.contains(&q.to_string())
                }
                // Sequences and anything else: by schema, or by owning table.
                None => self.schemas.contains(&schema) || self.sequence_of_selected(toc),
            },
        }
    }

    /// `SEQUENCE books_id_seq` belongs to table `books` by pg_dump's naming
    /// of owned sequences, or comes with the tables whose defaults use it;
    /// `OWNED BY` statements are matched by their table.
    fn sequence_of_selected(&self, toc: &TocEntry) -> bool {
        if !toc.kind.starts_with("SEQUENCE") {
            return false;
        }
        let schema = toc.schema.clone().unwrap_or_default();
        self.sequences.contains(&(schema.clone(), toc.name.clone()))
            || self.tables.iter().any(|(s, t)| *s == schema && toc.name.starts_with(&format!("{t}_")))
    }
}

/// What a statement is about.
enum Subject {
    Relation(Relations),
    /// A type, domain or routine (`COMMENT ON FUNCTION`, `GRANT … ON TYPE`).
    Object(QualifiedName),
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
        NodeEnum::List(l) => Some(strings(&l.items)),
        _ => None,
    }
}

/// Finds the table behind indexes, constraints, triggers, policies, RLS,
/// comments on tables and columns, grants and `OWNED BY`, or the type or
/// routine behind a comment or grant.
fn subject_of(st: &Statement) -> Option<Subject> {
    let parsed = pg_query::parse(&st.text_lossy(), 0).ok()?;
    let node = parsed.protobuf.stmts.first()?.stmt.as_ref()?.node.as_ref()?;
    if let Some(q) = object_of(node) {
        return Some(Subject::Object(q));
    }
    relation_of(node).map(Subject::Relation)
}

/// The type, domain or routine a `COMMENT ON` or `GRANT`/`REVOKE` is about.
fn object_of(node: &NodeEnum) -> Option<QualifiedName> {
    use pg_query::protobuf::ObjectType as O;
    let (objtype, object) = match node {
        NodeEnum::CommentStmt(c) => (c.objtype(), c.object.as_deref()?),
        NodeEnum::GrantStmt(g) => (g.objtype(), g.objects.first()?),
        _ => return None,
    };
    if !matches!(
        objtype,
        O::ObjectType
            | O::ObjectDomain
            | O::ObjectFunction
            | O::ObjectProcedure
            | O::ObjectRoutine
            | O::ObjectAggregate
    ) {
        return None;
    }
    let mut parts = match object.node.as_ref()? {
        NodeEnum::ObjectWithArgs(o) => strings(&o.objname),
        NodeEnum::TypeName(t) => strings(&t.names),
        other => string_list(other)?,
    };
    let name = parts.pop()?;
    Some(QualifiedName { schema: parts.pop(), name })
}

fn relation_of(node: &NodeEnum) -> Option<Relations> {
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
