//! The objects found so far, in dump order, with lookups by name so later
//! statements (`ALTER TABLE … ADD CONSTRAINT`, `COMMENT ON …`, data) can
//! find the object they refer to.
//!
//! Invariants: the vectors are in the order the objects were created and
//! are what the summary shows; the `BTreeMap` indexes only point into them
//! and never decide output order. A name seen twice (a dump of two
//! databases, say) keeps both entries and the index points at the latest.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::model::{
    Column, Extension, Function, Index, Policy, QualifiedName, Sequence, Table, Trigger, TypeDef, View,
};

#[derive(Debug, Default)]
pub(in crate::schema) struct Catalog {
    /// Schemas created with `CREATE SCHEMA`.
    pub(in crate::schema) schemas: BTreeSet<String>,
    pub(in crate::schema) extensions: Vec<Extension>,
    pub(in crate::schema) tables: Vec<Table>,
    pub(in crate::schema) views: Vec<View>,
    pub(in crate::schema) materialized_views: Vec<View>,
    pub(in crate::schema) indexes: Vec<Index>,
    pub(in crate::schema) sequences: Vec<Sequence>,
    pub(in crate::schema) types: Vec<TypeDef>,
    pub(in crate::schema) functions: Vec<Function>,
    pub(in crate::schema) policies: Vec<Policy>,
    pub(in crate::schema) triggers: Vec<Trigger>,
    pub(in crate::schema) roles: BTreeSet<String>,
    pub(in crate::schema) owners: BTreeSet<String>,
    pub(in crate::schema) superuser_only: Vec<String>,
    pub(in crate::schema) large_objects: u64,
    /// From `CREATE DATABASE` (`pg_dump --create`).
    pub(in crate::schema) database: Option<String>,
    table_ix: BTreeMap<QualifiedName, usize>,
    view_ix: BTreeMap<QualifiedName, usize>,
    matview_ix: BTreeMap<QualifiedName, usize>,
    sequence_ix: BTreeMap<QualifiedName, usize>,
    type_ix: BTreeMap<QualifiedName, usize>,
    extension_ix: BTreeMap<String, usize>,
    /// Overloads share a name; `function_sigs` (parallel to `functions`)
    /// holds each one's input argument types to tell them apart.
    function_ix: BTreeMap<QualifiedName, Vec<usize>>,
    function_sigs: Vec<Vec<String>>,
}

/// Finds `q`; an unqualified name on either side matches any schema, since
/// hand-written SQL (unlike pg_dump's) often leaves names unqualified.
fn find(ix: &BTreeMap<QualifiedName, usize>, q: &QualifiedName) -> Option<usize> {
    if let Some(&i) = ix.get(q) {
        return Some(i);
    }
    match q.schema {
        Some(_) => ix.get(&QualifiedName { schema: None, name: q.name.clone() }).copied(),
        None => ix.iter().find(|(k, _)| k.name == q.name).map(|(_, &i)| i),
    }
}

fn name_of(schema: &Option<String>, name: &str) -> QualifiedName {
    QualifiedName { schema: schema.clone(), name: name.to_string() }
}

impl Catalog {
    pub(in crate::schema) fn add_table(&mut self, table: Table) -> usize {
        let i = self.tables.len();
        self.table_ix.insert(name_of(&table.schema, &table.name), i);
        self.tables.push(table);
        i
    }

    pub(in crate::schema) fn table_index(&self, q: &QualifiedName) -> Option<usize> {
        find(&self.table_ix, q)
    }

    pub(in crate::schema) fn table_mut(&mut self, q: &QualifiedName) -> Option<&mut Table> {
        find(&self.table_ix, q).map(|i| &mut self.tables[i])
    }

    pub(in crate::schema) fn column_mut(&mut self, table: &QualifiedName, column: &str) -> Option<&mut Column> {
        let t = self.table_mut(table)?;
        t.columns.iter_mut().find(|c| c.name == column)
    }

    /// The table data belongs to, added (as a plain table without columns)
    /// when the dump never declared it, as in a `--data-only` dump.
    pub(in crate::schema) fn data_table(&mut self, q: &QualifiedName, line: u64) -> usize {
        self.table_index(q).unwrap_or_else(|| {
            self.add_table(Table {
                schema: q.schema.clone(),
                name: q.name.clone(),
                kind: "table".to_string(),
                data: "none".to_string(),
                line,
                ..Table::default()
            })
        })
    }

    pub(in crate::schema) fn add_view(&mut self, view: View, materialized: bool) {
        let (list, ix) = if materialized {
            (&mut self.materialized_views, &mut self.matview_ix)
        } else {
            (&mut self.views, &mut self.view_ix)
        };
        ix.insert(name_of(&view.schema, &view.name), list.len());
        list.push(view);
    }

    pub(in crate::schema) fn view_mut(&mut self, q: &QualifiedName, materialized: bool) -> Option<&mut View> {
        if materialized {
            find(&self.matview_ix, q).map(|i| &mut self.materialized_views[i])
        } else {
            find(&self.view_ix, q).map(|i| &mut self.views[i])
        }
    }

    /// Records `ALTER TABLE … OWNER TO`, which pg_dump also uses for views,
    /// materialized views and sequences.
    /// Records a statement only a superuser may run (the first 100).
    pub(in crate::schema) fn superuser_only(&mut self, line: u64, what: String) {
        if self.superuser_only.len() < 100 {
            self.superuser_only.push(format!("line {line}: {what}"));
        }
    }

    pub(in crate::schema) fn set_relation_owner(&mut self, q: &QualifiedName, owner: &str) {
        let owner = Some(owner.to_string());
        if let Some(t) = self.table_mut(q) {
            t.owner = owner;
        } else if let Some(v) = self.view_mut(q, false) {
            v.owner = owner;
        } else if let Some(v) = self.view_mut(q, true) {
            v.owner = owner;
        }
    }

    /// Adds a sequence, or returns the one already known by that name (an
    /// identity sequence can be named again by a later statement).
    pub(in crate::schema) fn add_sequence(&mut self, seq: Sequence) -> &mut Sequence {
        let q = name_of(&seq.schema, &seq.name);
        let i = match self.sequence_ix.get(&q) {
            Some(&i) => i,
            None => {
                self.sequence_ix.insert(q, self.sequences.len());
                self.sequences.push(seq);
                self.sequences.len() - 1
            }
        };
        &mut self.sequences[i]
    }

    pub(in crate::schema) fn sequence_mut(&mut self, q: &QualifiedName) -> Option<&mut Sequence> {
        find(&self.sequence_ix, q).map(|i| &mut self.sequences[i])
    }

    pub(in crate::schema) fn add_type(&mut self, t: TypeDef) {
        self.type_ix.insert(name_of(&t.schema, &t.name), self.types.len());
        self.types.push(t);
    }

    pub(in crate::schema) fn type_mut(&mut self, q: &QualifiedName) -> Option<&mut TypeDef> {
        find(&self.type_ix, q).map(|i| &mut self.types[i])
    }

    /// Adds a function, aggregate or procedure; `signature` is its input
    /// argument types, as `COMMENT ON FUNCTION f(types)` names it.
    pub(in crate::schema) fn add_function(&mut self, f: Function, signature: Vec<String>) {
        self.function_ix.entry(name_of(&f.schema, &f.name)).or_default().push(self.functions.len());
        self.functions.push(f);
        self.function_sigs.push(signature);
    }

    /// The overload of `q` whose input types are `signature`, or the first
    /// overload when none matches exactly.
    pub(in crate::schema) fn function_mut(&mut self, q: &QualifiedName, signature: &[String]) -> Option<&mut Function> {
        let candidates = self.function_ix.get(q).or_else(|| {
            self.function_ix
                .iter()
                .find(|(k, _)| k.name == q.name && (k.schema.is_none() || q.schema.is_none()))
                .map(|(_, v)| v)
        })?;
        let i = candidates
            .iter()
            .copied()
            .find(|&i| self.function_sigs[i] == signature)
            .or_else(|| candidates.first().copied())?;
        Some(&mut self.functions[i])
    }

    pub(in crate::schema) fn add_extension(&mut self, e: Extension) {
        self.extension_ix.insert(e.name.clone(), self.extensions.len());
        self.extensions.push(e);
    }

    pub(in crate::schema) fn extension_mut(&mut self, name: &str) -> Option<&mut Extension> {
        self.extension_ix.get(name).map(|&i| &mut self.extensions[i])
    }

    /// Every schema the dump creates or puts an object in, sorted.
    pub(in crate::schema) fn schemas_in_use(&self) -> Vec<String> {
        let mut all = self.schemas.clone();
        let schemas = self
            .tables
            .iter()
            .map(|t| &t.schema)
            .chain(self.views.iter().map(|v| &v.schema))
            .chain(self.materialized_views.iter().map(|v| &v.schema))
            .chain(self.indexes.iter().map(|i| &i.schema))
            .chain(self.sequences.iter().map(|s| &s.schema))
            .chain(self.types.iter().map(|t| &t.schema))
            .chain(self.functions.iter().map(|f| &f.schema))
            .chain(self.extensions.iter().map(|e| &e.schema));
        all.extend(schemas.flatten().cloned());
        all.into_iter().collect()
    }
}
