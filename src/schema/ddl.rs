//! What each parsed DDL statement contributes to the summary: the statement
//! node (from PostgreSQL's own parser, via `pg_query`) is applied to a
//! [`Catalog`] of the objects found so far.
//!
//! Invariants: applying a statement never fails. Statement kinds the summary
//! does not describe are ignored, and a statement about an object the dump
//! never created changes nothing (see the submodules for the details).

mod catalog;
mod format;
mod objects;
mod relations;

use pg_query::NodeEnum;

pub(super) use catalog::Catalog;
pub(crate) use format::{qualified, split_qualified, strings, type_name};

use super::model::QualifiedName;

/// Applies one parsed statement that starts on `line`.
pub(super) fn apply(cat: &mut Catalog, node: &NodeEnum, line: u64) {
    match node {
        NodeEnum::CreateStmt(s) => relations::create_table(cat, s, false, line),
        // Statements only a superuser may run (pg_dump writes them for
        // objects no extension owns).
        NodeEnum::CreateEventTrigStmt(s) => cat.superuser_only(line, format!("CREATE EVENT TRIGGER {}", s.trigname)),
        NodeEnum::CreateFdwStmt(s) => cat.superuser_only(line, format!("CREATE FOREIGN DATA WRAPPER {}", s.fdwname)),
        NodeEnum::CreatePlangStmt(s) => cat.superuser_only(line, format!("CREATE LANGUAGE {}", s.plname)),
        NodeEnum::CreatePublicationStmt(s) if s.for_all_tables => {
            cat.superuser_only(line, format!("CREATE PUBLICATION {} FOR ALL TABLES", s.pubname))
        }
        NodeEnum::CreateForeignTableStmt(s) => {
            if let Some(base) = &s.base_stmt {
                relations::create_table(cat, base, true, line);
            }
        }
        NodeEnum::AlterTableStmt(s) => relations::alter_table(cat, s, line),
        NodeEnum::IndexStmt(s) => relations::create_index(cat, s, line),
        NodeEnum::ViewStmt(s) => relations::create_view(cat, s, line),
        NodeEnum::CreateTableAsStmt(s) => relations::create_table_as(cat, s, line),
        NodeEnum::CreateSeqStmt(s) => relations::create_sequence(cat, s, line),
        NodeEnum::AlterSeqStmt(s) => relations::alter_sequence(cat, s),
        NodeEnum::SelectStmt(s) => relations::select(cat, s, line),
        NodeEnum::CreateEnumStmt(s) => objects::create_enum(cat, s, line),
        NodeEnum::CreateDomainStmt(s) => objects::create_domain(cat, s, line),
        NodeEnum::AlterDomainStmt(s) => objects::alter_domain(cat, s),
        NodeEnum::CompositeTypeStmt(s) => objects::create_composite(cat, s, line),
        NodeEnum::CreateRangeStmt(s) => objects::create_range(cat, s, line),
        NodeEnum::DefineStmt(s) => objects::define(cat, s, line),
        NodeEnum::CreateFunctionStmt(s) => objects::create_function(cat, s, line),
        NodeEnum::CreatePolicyStmt(s) => objects::create_policy(cat, s, line),
        NodeEnum::CreateTrigStmt(s) => objects::create_trigger(cat, s, line),
        NodeEnum::CreateExtensionStmt(s) => objects::create_extension(cat, s, line),
        NodeEnum::CommentStmt(s) => objects::comment(cat, s),
        NodeEnum::GrantStmt(s) => objects::grant(cat, s),
        NodeEnum::GrantRoleStmt(s) => objects::grant_role(cat, s),
        NodeEnum::AlterDefaultPrivilegesStmt(s) => objects::default_privileges(cat, s),
        NodeEnum::AlterOwnerStmt(s) => {
            let owner = s.newowner.as_ref().and_then(format::role_name);
            cat.owners.extend(owner.clone());
            cat.roles.extend(owner);
        }
        NodeEnum::CreateSchemaStmt(s) => {
            let owner = s.authrole.as_ref().and_then(format::role_name);
            // `CREATE SCHEMA AUTHORIZATION r` names the schema after the role.
            let name = if s.schemaname.is_empty() { owner.clone() } else { Some(s.schemaname.clone()) };
            cat.schemas.extend(name);
            cat.owners.extend(owner.clone());
            cat.roles.extend(owner);
            for elt in &s.schema_elts {
                if let Some(n) = &elt.node {
                    apply(cat, n, line);
                }
            }
        }
        NodeEnum::CreatedbStmt(s) => {
            cat.database.get_or_insert_with(|| s.dbname.clone());
        }
        _ => {}
    }
}

/// The table a `COPY … FROM STDIN` or an `INSERT` statement writes to.
pub(super) fn data_target(node: &NodeEnum) -> Option<QualifiedName> {
    match node {
        NodeEnum::CopyStmt(c) if c.is_from && c.filename.is_empty() && !c.is_program => {
            c.relation.as_ref().map(format::range_var)
        }
        NodeEnum::InsertStmt(i) => i.relation.as_ref().map(format::range_var),
        _ => None,
    }
}
