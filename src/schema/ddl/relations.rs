//! Tables and what hangs off them: `CREATE TABLE` (plain, partitioned,
//! partition, foreign, unlogged), the `ALTER TABLE` forms pg_dump uses to
//! finish a table (keys, defaults, identity, owner, `ATTACH PARTITION`),
//! indexes, views, materialized views and sequences.
//!
//! Invariants: a statement about a relation the dump never created is
//! ignored rather than inventing the relation (only data creates missing
//! tables, in the builder); every column keeps the position it was declared
//! in.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    self, AlterTableCmd, AlterTableType, ColumnDef, ConstrType, Constraint, CreateStmt, Node, ObjectType,
};

use super::Catalog;
use super::format::{self, expr, qualified, range_var, strings, type_name};
use crate::schema::model::{
    CheckConstraint, Column, ForeignKey, Index, KeyConstraint, QualifiedName, Sequence, Table, View, quote_ident,
};

/// `CREATE TABLE` and `CREATE FOREIGN TABLE`.
pub(super) fn create_table(cat: &mut Catalog, stmt: &CreateStmt, foreign: bool, line: u64) {
    let Some(rel) = &stmt.relation else { return };
    let q = range_var(rel);
    let partition_of = stmt.partbound.as_ref().and_then(|_| stmt.inh_relations.first()).and_then(|n| match &n.node {
        Some(NodeEnum::RangeVar(p)) => Some(range_var(p)),
        _ => None,
    });
    let kind = if foreign {
        "foreign"
    } else if stmt.partspec.is_some() {
        "partitioned"
    } else if partition_of.is_some() {
        "partition"
    } else if rel.relpersistence == "u" {
        "unlogged"
    } else {
        "table"
    };
    // `CREATE TABLE c PARTITION OF p` declares no column types: they are the
    // parent's (PostgreSQL copies them, see MergeAttributes in tablecmds.c).
    let columns = partition_of
        .as_ref()
        .and_then(|p| cat.table_index(p))
        .map(|i| {
            cat.tables[i]
                .columns
                .iter()
                .map(|c| Column {
                    name: c.name.clone(),
                    type_name: c.type_name.clone(),
                    not_null: c.not_null,
                    ..Column::default()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut table = Table {
        schema: q.schema.clone(),
        name: q.name.clone(),
        kind: kind.to_string(),
        partition_of,
        columns,
        data: "none".to_string(),
        line,
        ..Table::default()
    };
    for elt in &stmt.table_elts {
        match &elt.node {
            Some(NodeEnum::ColumnDef(c)) => add_column(cat, &mut table, c, line),
            Some(NodeEnum::Constraint(c)) => add_constraint(&mut table, c, None),
            _ => {}
        }
    }
    for c in &stmt.constraints {
        if let Some(NodeEnum::Constraint(c)) = &c.node {
            add_constraint(&mut table, c, None);
        }
    }
    cat.add_table(table);
}

/// A column definition, merged into an inherited column of the same name.
fn add_column(cat: &mut Catalog, table: &mut Table, def: &ColumnDef, line: u64) {
    let i = match table.columns.iter().position(|c| c.name == def.colname) {
        Some(i) => i,
        None => {
            table.columns.push(Column { name: def.colname.clone(), ..Column::default() });
            table.columns.len() - 1
        }
    };
    if let Some(t) = &def.type_name {
        table.columns[i].type_name = type_name(t);
    }
    table.columns[i].not_null |= def.is_not_null;
    for c in &def.constraints {
        let Some(NodeEnum::Constraint(c)) = &c.node else {
            continue;
        };
        match c.contype() {
            ConstrType::ConstrIdentity => {
                let q = QualifiedName { schema: table.schema.clone(), name: table.name.clone() };
                set_identity(cat, &mut table.columns[i], &q, c, line);
            }
            _ => add_constraint(table, c, Some(i)),
        }
    }
}

/// A table or column constraint. `column` is the column a column
/// constraint is attached to (its keys are then implicit).
fn add_constraint(table: &mut Table, c: &Constraint, column: Option<usize>) {
    let own = |keys: &[Node]| match column {
        Some(i) if keys.is_empty() => vec![table.columns[i].name.clone()],
        _ => strings(keys),
    };
    let name = (!c.conname.is_empty()).then(|| c.conname.clone());
    match c.contype() {
        ConstrType::ConstrPrimary => {
            let columns = own(&c.keys);
            // A primary key makes its columns NOT NULL (PostgreSQL adds the
            // constraint implicitly).
            for col in table.columns.iter_mut() {
                if columns.contains(&col.name) {
                    col.not_null = true;
                }
            }
            table.primary_key = Some(KeyConstraint { name, columns });
        }
        ConstrType::ConstrUnique => {
            let columns = own(&c.keys);
            table.unique.push(KeyConstraint { name, columns });
        }
        ConstrType::ConstrForeign => {
            let columns = own(&c.fk_attrs);
            table.foreign_keys.push(ForeignKey {
                name,
                columns,
                references: c.pktable.as_ref().map(range_var).unwrap_or_default(),
                referenced_columns: strings(&c.pk_attrs),
            });
        }
        ConstrType::ConstrCheck => table.checks.push(check(c)),
        _ => {
            let Some(i) = column else { return };
            let col = &mut table.columns[i];
            match c.contype() {
                ConstrType::ConstrNotnull => col.not_null = true,
                ConstrType::ConstrNull => col.not_null = false,
                ConstrType::ConstrDefault => col.default = c.raw_expr.as_deref().map(expr),
                ConstrType::ConstrGenerated => col.generated = c.raw_expr.as_deref().map(expr),
                _ => {}
            }
        }
    }
}

/// A `CHECK` constraint, its expression deparsed.
pub(super) fn check(c: &Constraint) -> CheckConstraint {
    CheckConstraint {
        name: (!c.conname.is_empty()).then(|| c.conname.clone()),
        expression: c.raw_expr.as_deref().map(expr).unwrap_or_default(),
    }
}

/// An identity column (`GENERATED ALWAYS|BY DEFAULT AS IDENTITY`) and the
/// sequence behind it. pg_dump names the sequence (`SEQUENCE NAME`); SQL
/// that does not gets PostgreSQL's default `<table>_<column>_seq`.
fn set_identity(cat: &mut Catalog, col: &mut Column, table: &QualifiedName, c: &Constraint, line: u64) {
    col.identity = Some(if c.generated_when == "a" { "always" } else { "by default" }.to_string());
    col.not_null = true;
    let seq = option_names(&c.options, "sequence_name").map(qualified).unwrap_or_else(|| QualifiedName {
        schema: table.schema.clone(),
        name: format!("{}_{}_seq", table.name, col.name),
    });
    let owner = format!("{table}.{}", quote_ident(&col.name));
    let seq = cat.add_sequence(Sequence {
        schema: seq.schema.or_else(|| table.schema.clone()),
        name: seq.name,
        line,
        ..Sequence::default()
    });
    seq.owned_by = Some(owner);
}

/// The names in a `DefElem` whose argument is a list of strings
/// (`SEQUENCE NAME a.b`, `OWNED BY a.b.c`).
fn option_names(options: &[Node], name: &str) -> Option<Vec<String>> {
    options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == name => match d.arg.as_deref() {
            Some(Node { node: Some(NodeEnum::List(l)) }) => Some(strings(&l.items)),
            _ => None,
        },
        _ => None,
    })
}

/// `ALTER TABLE` (also `ALTER VIEW`, `ALTER SEQUENCE … OWNER TO` and
/// friends, which share the statement node).
pub(super) fn alter_table(cat: &mut Catalog, stmt: &protobuf::AlterTableStmt, line: u64) {
    let Some(rel) = &stmt.relation else { return };
    let q = range_var(rel);
    for cmd in &stmt.cmds {
        if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node {
            alter_table_cmd(cat, &q, stmt.objtype(), cmd, line);
        }
    }
}

fn alter_table_cmd(cat: &mut Catalog, q: &QualifiedName, objtype: ObjectType, cmd: &AlterTableCmd, line: u64) {
    let def = cmd.def.as_deref().and_then(|d| d.node.as_ref());
    match (cmd.subtype(), def) {
        (AlterTableType::AtChangeOwner, _) => {
            if let Some(owner) = cmd.newowner.as_ref().and_then(format::role_name) {
                cat.set_relation_owner(q, &owner);
                cat.owners.insert(owner.clone());
                cat.roles.insert(owner);
            }
        }
        // `ALTER INDEX … ATTACH PARTITION` shares the node; only tables count.
        (AlterTableType::AtAttachPartition, Some(NodeEnum::PartitionCmd(p))) if objtype == ObjectType::ObjectTable => {
            let Some(child) = p.name.as_ref().map(range_var) else {
                return;
            };
            if let Some(t) = cat.table_mut(&child) {
                if t.kind == "table" {
                    t.kind = "partition".to_string();
                }
                t.partition_of = Some(q.clone());
            }
        }
        (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c))) => {
            if let Some(t) = cat.table_mut(q) {
                add_constraint(t, c, None);
            }
        }
        (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(c))) => {
            if let Some(i) = cat.table_index(q) {
                let mut t = std::mem::take(&mut cat.tables[i]);
                add_column(cat, &mut t, c, line);
                cat.tables[i] = t;
            }
        }
        (AlterTableType::AtDropColumn, _) => {
            if let Some(t) = cat.table_mut(q) {
                t.columns.retain(|c| c.name != cmd.name);
            }
        }
        (AlterTableType::AtAlterColumnType, Some(NodeEnum::ColumnDef(c))) => {
            if let (Some(col), Some(t)) = (cat.column_mut(q, &cmd.name), &c.type_name) {
                col.type_name = type_name(t);
            }
        }
        (AlterTableType::AtColumnDefault, def) => {
            let default = cmd.def.as_deref().filter(|_| def.is_some()).map(expr);
            if let Some(col) = cat.column_mut(q, &cmd.name) {
                col.default = default;
            }
        }
        (AlterTableType::AtSetNotNull, _) => {
            if let Some(col) = cat.column_mut(q, &cmd.name) {
                col.not_null = true;
            }
        }
        (AlterTableType::AtDropNotNull, _) => {
            if let Some(col) = cat.column_mut(q, &cmd.name) {
                col.not_null = false;
            }
        }
        (AlterTableType::AtAddIdentity, Some(NodeEnum::Constraint(c))) => {
            let Some(i) = cat.table_index(q) else { return };
            let Some(j) = cat.tables[i].columns.iter().position(|c| c.name == cmd.name) else {
                return;
            };
            let mut col = std::mem::take(&mut cat.tables[i].columns[j]);
            set_identity(cat, &mut col, q, c, line);
            cat.tables[i].columns[j] = col;
        }
        _ => {}
    }
}

/// `CREATE [UNIQUE] INDEX`.
pub(super) fn create_index(cat: &mut Catalog, stmt: &protobuf::IndexStmt, line: u64) {
    let Some(rel) = &stmt.relation else { return };
    let table = range_var(rel);
    let columns = stmt
        .index_params
        .iter()
        .filter_map(|p| match &p.node {
            Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() => Some(e.name.clone()),
            Some(NodeEnum::IndexElem(e)) => e.expr.as_deref().map(expr),
            _ => None,
        })
        .collect();
    cat.indexes.push(Index {
        // An index always lives in its table's schema.
        schema: table.schema.clone(),
        name: stmt.idxname.clone(),
        table,
        unique: stmt.unique,
        method: if stmt.access_method.is_empty() { "btree".to_string() } else { stmt.access_method.clone() },
        columns,
        line,
    });
}

/// `CREATE VIEW`.
pub(super) fn create_view(cat: &mut Catalog, stmt: &protobuf::ViewStmt, line: u64) {
    if let Some(v) = &stmt.view {
        let q = range_var(v);
        cat.add_view(view(q, line), false);
    }
}

fn view(q: QualifiedName, line: u64) -> View {
    View { schema: q.schema, name: q.name, line, ..View::default() }
}

/// `CREATE MATERIALIZED VIEW` (and `CREATE TABLE … AS`, which shares the
/// node and is recorded as a table without known columns).
pub(super) fn create_table_as(cat: &mut Catalog, stmt: &protobuf::CreateTableAsStmt, line: u64) {
    let Some(rel) = stmt.into.as_ref().and_then(|i| i.rel.as_ref()) else {
        return;
    };
    let q = range_var(rel);
    if stmt.objtype() == ObjectType::ObjectMatview {
        cat.add_view(view(q, line), true);
    } else {
        let unlogged = rel.relpersistence == "u";
        cat.add_table(Table {
            schema: q.schema,
            name: q.name,
            kind: if unlogged { "unlogged" } else { "table" }.to_string(),
            data: "none".to_string(),
            line,
            ..Table::default()
        });
    }
}

/// `CREATE SEQUENCE`.
pub(super) fn create_sequence(cat: &mut Catalog, stmt: &protobuf::CreateSeqStmt, line: u64) {
    let Some(rv) = &stmt.sequence else { return };
    let q = range_var(rv);
    let owned_by = owned_by(&stmt.options);
    let seq = cat.add_sequence(Sequence { schema: q.schema, name: q.name, line, ..Sequence::default() });
    if owned_by.is_some() {
        seq.owned_by = owned_by;
    }
}

/// `ALTER SEQUENCE … OWNED BY t.c`, how pg_dump ties a serial's sequence
/// to its column.
pub(super) fn alter_sequence(cat: &mut Catalog, stmt: &protobuf::AlterSeqStmt) {
    let Some(rv) = &stmt.sequence else { return };
    let owned_by = owned_by(&stmt.options);
    if let (Some(seq), Some(owned_by)) = (cat.sequence_mut(&range_var(rv)), owned_by) {
        // `OWNED BY NONE` removes the link.
        seq.owned_by = (owned_by != "none").then_some(owned_by);
    }
}

fn owned_by(options: &[Node]) -> Option<String> {
    option_names(options, "owned_by").map(|n| format::join_idents(&n))
}

/// `SELECT pg_catalog.setval('seq', n, called)` (a sequence's state) and
/// `SELECT pg_catalog.lo_create('oid')` (one large object).
pub(super) fn select(cat: &mut Catalog, stmt: &protobuf::SelectStmt, line: u64) {
    for target in &stmt.target_list {
        let Some(NodeEnum::ResTarget(t)) = &target.node else {
            continue;
        };
        let Some(NodeEnum::FuncCall(f)) = t.val.as_deref().and_then(|v| v.node.as_ref()) else {
            continue;
        };
        let name = strings(&f.funcname);
        let func = match name.as_slice() {
            [f] | [_, f] if name.len() == 1 || name[0] == "pg_catalog" => f.as_str(),
            _ => continue,
        };
        match func {
            "lo_create" => cat.large_objects += 1,
            "setval" => {
                let seq = f.args.first().and_then(format::str_const);
                let value = f.args.get(1).and_then(format::int_const);
                if let (Some(seq), Some(value)) = (seq, value) {
                    let q = qualified(format::split_qualified(seq));
                    let seq = match cat.sequence_mut(&q) {
                        Some(s) => s,
                        // A data-only dump sets sequences it never created.
                        None => {
                            cat.add_sequence(Sequence { schema: q.schema, name: q.name, line, ..Sequence::default() })
                        }
                    };
                    seq.last_value = Some(value);
                }
            }
            _ => {}
        }
    }
}
