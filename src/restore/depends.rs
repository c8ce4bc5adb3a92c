//! What tables restored on their own (`--table`) need from the dump besides
//! themselves: the types, functions and sequences that their columns'
//! types, defaults, generated expressions, CHECK constraints and index
//! expressions name, and their triggers' functions; then, in turn, what those name in their own
//! definitions: a domain's base type, default and CHECK constraints, a
//! composite type's attribute types, a function's argument and result types
//! and argument defaults.
//!
//! Names are read from PostgreSQL's parse tree (pg_query) of each
//! expression or type, never matched as text: a name inside a string
//! literal is no reference, and `'public.s'::regclass`, how `nextval` names
//! its sequence, is one. The tree is walked as serde renders it, so every
//! node kind is visited, not only those a hand-written walker would list.
//!
//! Invariants: function bodies are not followed (a body may name anything,
//! tables included, and pg_dump's `check_function_bodies = false` lets a
//! function be created before what its body uses); a function is matched by
//! its qualified name, every overload alike (bringing one too many is
//! harmless); an unqualified name matches only an unqualified definition
//! (pg_dump qualifies every user object, so in its dumps an unqualified
//! name is pg_catalog's).

use std::collections::BTreeSet;

use pg_query::NodeEnum;
use pg_query::protobuf::FunctionParameterMode as Mode;
use serde_json::{Map, Value};

use crate::schema::{Function, QualifiedName, Summary, Table, qualified, quote_ident, split_qualified, type_name};

/// An object a definition names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reference {
    Type(QualifiedName),
    Function(QualifiedName),
    /// A relation named by a `'…'::regclass` constant: `nextval`'s sequence.
    Relation(QualifiedName),
}

/// What the tables need, as indexes into the summary's lists.
#[derive(Debug, Default)]
pub(super) struct Needs {
    pub types: BTreeSet<usize>,
    pub functions: BTreeSet<usize>,
    pub sequences: BTreeSet<usize>,
    /// What they need that the selection cannot bring.
    pub unresolved: Vec<Unresolved>,
}

/// Something the tables cannot be restored without that `--table` cannot
/// bring along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// `function public.f`, `table public.other`.
    pub object: String,
    /// What names it: `the default of public.t.c`.
    pub needed_by: String,
    pub missing: Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Neither the dump nor (as far as the dump tells) an extension defines
    /// it.
    NotInDump,
    /// A table of the dump that the selection leaves out, as `--table`
    /// would name it (`schema.name`, unquoted).
    TableLeftOut(String),
    /// A view or materialized view of the dump, which `--table` cannot
    /// select.
    RelationLeftOut,
}

/// What `tables` need; `selected` says whether a table is restored too.
pub(super) fn needs(s: &Summary, tables: &[&Table], selected: impl Fn(&QualifiedName) -> bool) -> Needs {
    let mut r = Resolver { s, selected, needs: Needs::default(), seen: BTreeSet::new(), work: Vec::new() };
    for t in tables {
        let table = QualifiedName { schema: t.schema.clone(), name: t.name.clone() };
        for c in &t.columns {
            let column = format!("{table}.{}", quote_ident(&c.name));
            r.add(&type_sql(&c.type_name), &format!("column {column}"));
            if let Some(d) = &c.default {
                r.add(&expr_sql(d), &format!("the default of {column}"));
            }
            if let Some(g) = &c.generated {
                r.add(&expr_sql(g), &format!("generated column {column}"));
            }
        }
        for k in &t.checks {
            let name = k.name.as_deref().map(quote_ident).unwrap_or_else(|| "(unnamed)".into());
            r.add(&expr_sql(&k.expression), &format!("CHECK constraint {name} on {table}"));
        }
        // A column name reads as a column reference, naming nothing.
        for ix in s.indexes.iter().filter(|ix| ix.table == table) {
            let index = QualifiedName { schema: ix.schema.clone(), name: ix.name.clone() };
            for e in &ix.columns {
                r.add(&expr_sql(e), &format!("index {index}"));
            }
        }
        for tr in s.triggers.iter().filter(|tr| tr.table == table) {
            let function = qualified(split_qualified(&tr.function));
            r.work.push((Reference::Function(function), format!("trigger {} on {table}", quote_ident(&tr.name))));
        }
    }
    r.run();
    r.needs
}

/// A function as SQL names it: `public.f(bigint, text)`, its input
/// argument types only.
pub(super) fn signature(f: &Function) -> String {
    let name = QualifiedName { schema: f.schema.clone(), name: f.name.clone() };
    let parsed = pg_query::parse(&signature_sql(f), 0).ok();
    let stmt = parsed.as_ref().and_then(|p| p.protobuf.stmts.first()).and_then(|s| s.stmt.as_ref());
    let Some(NodeEnum::CreateFunctionStmt(stmt)) = stmt.and_then(|s| s.node.as_ref()) else {
        return format!("{name}({})", f.arguments);
    };
    let inputs: Vec<String> = stmt
        .parameters
        .iter()
        .filter_map(|p| match &p.node {
            Some(NodeEnum::FunctionParameter(p)) if !matches!(p.mode(), Mode::FuncParamOut | Mode::FuncParamTable) => {
                p.arg_type.as_ref().map(type_name)
            }
            _ => None,
        })
        .collect();
    format!("{name}({})", inputs.join(", "))
}

struct Resolver<'a, F> {
    s: &'a Summary,
    selected: F,
    needs: Needs,
    seen: BTreeSet<Reference>,
    /// References still to follow, with what names them.
    work: Vec<(Reference, String)>,
}

impl<F: Fn(&QualifiedName) -> bool> Resolver<'_, F> {
    /// Queues the references `sql` makes on behalf of `by`.
    fn add(&mut self, sql: &str, by: &str) {
        for r in references(sql) {
            self.work.push((r, by.to_string()));
        }
    }

    fn run(&mut self) {
        while let Some((r, by)) = self.work.pop() {
            if !self.seen.insert(r.clone()) {
                continue;
            }
            match r {
                Reference::Type(q) => self.type_(&q, &by),
                Reference::Function(q) => self.function(&q, &by),
                Reference::Relation(q) => {
                    if !self.relation(&q, &by) {
                        self.missing("relation", &q, by);
                    }
                }
            }
        }
    }

    fn type_(&mut self, q: &QualifiedName, by: &str) {
        let s = self.s;
        let found: Vec<usize> =
            (0..s.types.len()).filter(|&i| named(&s.types[i].schema, &s.types[i].name, q)).collect();
        if found.is_empty() {
            // A table's row type, or a type the dump does not define.
            if !self.relation(q, by) {
                self.missing("type", q, by.to_string());
            }
            return;
        }
        for i in found {
            self.needs.types.insert(i);
            let t = &s.types[i];
            let by = format!("{} {q}", if t.kind == "domain" { "domain" } else { "type" });
            if let Some(base) = &t.base_type {
                self.add(&type_sql(base), &by);
            }
            if let Some(d) = &t.default {
                self.add(&expr_sql(d), &by);
            }
            for k in &t.checks {
                self.add(&expr_sql(&k.expression), &by);
            }
            if !t.attributes.is_empty() {
                self.add(&format!("CREATE TYPE pg_temp.t AS ({})", t.attributes.join(", ")), &by);
            }
        }
    }

    fn function(&mut self, q: &QualifiedName, by: &str) {
        let s = self.s;
        let found: Vec<usize> =
            (0..s.functions.len()).filter(|&i| named(&s.functions[i].schema, &s.functions[i].name, q)).collect();
        if found.is_empty() {
            self.missing("function", q, by.to_string());
        }
        for i in found {
            self.needs.functions.insert(i);
            let f = &s.functions[i];
            self.add(&signature_sql(f), &format!("{} {}", f.kind, signature(f)));
        }
    }

    /// A relation of the dump named `q`: a sequence is brought along, a
    /// table must be selected too. False when the dump has no such relation.
    fn relation(&mut self, q: &QualifiedName, by: &str) -> bool {
        let s = self.s;
        if let Some(i) = s.sequences.iter().position(|x| named(&x.schema, &x.name, q)) {
            self.needs.sequences.insert(i);
            return true;
        }
        if let Some(t) = s.tables.iter().find(|t| named(&t.schema, &t.name, q)) {
            if !(self.selected)(q) {
                let flag = format!("{}.{}", t.schema.as_deref().unwrap_or("public"), t.name);
                self.unresolved(format!("table {q}"), by, Missing::TableLeftOut(flag));
            }
            return true;
        }
        let view = |views: &[crate::schema::View]| views.iter().any(|v| named(&v.schema, &v.name, q));
        let kind = if view(&s.views) {
            "view"
        } else if view(&s.materialized_views) {
            "materialized view"
        } else {
            return false;
        };
        self.unresolved(format!("{kind} {q}"), by, Missing::RelationLeftOut);
        true
    }

    /// `q` is not in the dump: an unqualified name is pg_catalog's or found
    /// on the search path, and a name in the schema of an extension the
    /// dump creates is taken to be the extension's (the dump cannot tell
    /// which objects an extension has); anything else is missing.
    fn missing(&mut self, kind: &str, q: &QualifiedName, by: String) {
        let Some(schema) = q.schema.as_deref() else { return };
        if matches!(schema, "pg_catalog" | "information_schema")
            || self.s.extensions.iter().any(|e| e.schema.as_deref().is_none_or(|e| e == schema))
        {
            return;
        }
        self.unresolved(format!("{kind} {q}"), &by, Missing::NotInDump);
    }

    fn unresolved(&mut self, object: String, by: &str, missing: Missing) {
        self.needs.unresolved.push(Unresolved { object, needed_by: by.to_string(), missing });
    }
}

/// Whether a definition named (`schema`, `name`) is the one `q` names.
fn named(schema: &Option<String>, name: &str, q: &QualifiedName) -> bool {
    name == q.name && *schema == q.schema
}

fn type_sql(t: &str) -> String {
    format!("SELECT NULL::{t}")
}

fn expr_sql(e: &str) -> String {
    format!("SELECT {e}")
}

/// A statement with the function's argument list and result type, for
/// the parser to read them.
fn signature_sql(f: &Function) -> String {
    match (&f.returns, f.kind.as_str()) {
        (Some(r), "function") => format!("CREATE FUNCTION pg_temp.f({}) RETURNS {r} LANGUAGE sql AS ''", f.arguments),
        _ => format!("CREATE PROCEDURE pg_temp.f({}) LANGUAGE sql AS ''", f.arguments),
    }
}

/// The references `sql` makes; a statement the parser rejects makes none.
fn references(sql: &str) -> Vec<Reference> {
    let tree = pg_query::parse(sql, 0).ok().and_then(|p| serde_json::to_value(&p.protobuf).ok());
    let mut out = Vec::new();
    if let Some(tree) = &tree {
        walk(tree, &mut out);
    }
    out
}

fn walk(v: &Value, out: &mut Vec<Reference>) {
    match v {
        Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
        Value::Object(node) => {
            node_references(node, out);
            node.values().for_each(|v| walk(v, out));
        }
        _ => {}
    }
}

/// Functions whose first argument is a sequence, as a `regclass`.
const SEQUENCE_FUNCTIONS: [&str; 3] = ["nextval", "currval", "setval"];

/// The references one node of the tree makes. Nodes are told apart by
/// their fields, since a `TypeName` is also a plain field of others
/// (`TypeCast.type_name`, `FunctionParameter.arg_type`).
fn node_references(node: &Map<String, Value>, out: &mut Vec<Reference>) {
    let has = |keys: &[&str]| keys.iter().all(|k| node.contains_key(*k));
    let catalog = |q: &QualifiedName| q.schema.as_deref().is_none_or(|s| s == "pg_catalog");
    if has(&["names", "typmods", "array_bounds", "pct_type"]) {
        // `t.c%TYPE` names a column, not a type.
        if node["pct_type"] != true {
            out.push(Reference::Type(name(&node["names"])));
        }
    } else if has(&["funcname", "args", "agg_star"]) {
        let f = name(&node["funcname"]);
        // `nextval('s')` as hand-written SQL has it: the literal is a
        // regclass all the same.
        if SEQUENCE_FUNCTIONS.contains(&f.name.as_str())
            && catalog(&f)
            && let Some(s) = node["args"].get(0).and_then(string_constant)
        {
            out.push(Reference::Relation(qualified(split_qualified(s))));
        }
        out.push(Reference::Function(f));
    } else if has(&["arg", "type_name"]) {
        let ty = name(&node["type_name"]["names"]);
        if ty.name == "regclass"
            && catalog(&ty)
            && let Some(s) = string_constant(&node["arg"])
        {
            out.push(Reference::Relation(qualified(split_qualified(s))));
        }
    }
}

/// The name a list of `String` nodes spells (`schema.name`).
fn name(list: &Value) -> QualifiedName {
    let parts = list
        .as_array()
        .map(|items| items.iter().filter_map(|n| n["node"]["String"]["sval"].as_str().map(str::to_string)).collect());
    qualified(parts.unwrap_or_default())
}

/// The text of a string constant node (`'public.s'`).
fn string_constant(node: &Value) -> Option<&str> {
    node["node"]["AConst"]["val"]["Sval"]["sval"].as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(schema: &str, name: &str) -> QualifiedName {
        QualifiedName { schema: Some(schema.into()), name: name.into() }
    }

    #[test]
    fn references_come_from_the_parse_tree() {
        let refs = references(&expr_sql(
            "public.kithe_models_friendlier_id_gen('2821109907456'::bigint, '101559956668415'::bigint)",
        ));
        assert!(refs.contains(&Reference::Function(q("public", "kithe_models_friendlier_id_gen"))), "{refs:?}");
        let refs = references(&expr_sql("nextval('public.shared_seq'::regclass)"));
        assert!(refs.contains(&Reference::Relation(q("public", "shared_seq"))), "{refs:?}");
        // Hand-written SQL leaves the cast out; a quoted name keeps its case.
        let refs = references(&expr_sql("nextval('app.\"Odd_Seq\"')"));
        assert!(refs.contains(&Reference::Relation(q("app", "Odd_Seq"))), "{refs:?}");
        // A name inside a literal is no reference.
        let refs = references(&expr_sql("'public.f(1)'::text || 'x'"));
        assert!(refs.iter().all(|r| !matches!(r, Reference::Function(_))), "{refs:?}");
        // Casts to dump types, nested in operators and CASE.
        let refs = references(&expr_sql("CASE WHEN (a > 0) THEN 'x'::public.mood ELSE NULL::\"s p\".t[] END"));
        assert!(refs.contains(&Reference::Type(q("public", "mood"))), "{refs:?}");
        assert!(refs.contains(&Reference::Type(q("s p", "t"))), "{refs:?}");
        let refs = references(&type_sql("public.vector(3)[]"));
        assert_eq!(refs, [Reference::Type(q("public", "vector"))]);
    }

    #[test]
    fn a_signature_names_its_input_types() {
        let f = Function {
            schema: Some("public".into()),
            name: "gen".into(),
            kind: "function".into(),
            arguments: "min_value bigint, max_value bigint DEFAULT public.top(), OUT x integer".into(),
            returns: Some("text".into()),
            ..Function::default()
        };
        assert_eq!(signature(&f), "public.gen(bigint, bigint)");
        let refs = references(&signature_sql(&f));
        assert!(refs.contains(&Reference::Function(q("public", "top"))), "{refs:?}");
        let table =
            Function { arguments: "a integer".into(), returns: Some("TABLE(a public.mood, b text)".into()), ..f };
        assert!(references(&signature_sql(&table)).contains(&Reference::Type(q("public", "mood"))));
    }
}
