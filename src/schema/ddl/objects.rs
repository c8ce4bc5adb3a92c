//! Everything that is not a relation: types, functions, aggregates,
//! policies, triggers, extensions, comments, and the roles named by owners
//! and grants.
//!
//! Invariants: roles are recorded only when the dump names a real role
//! (`PUBLIC` and `CURRENT_USER` exist on every server, so they are never
//! listed); a comment on an object the dump did not create is dropped, as
//! there is nowhere to put it.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, FunctionParameterMode as Mode, Node, ObjectType};

use super::Catalog;
use super::format::{self, expr, qualified, range_var, role_name, strings, type_name};
use crate::schema::model::{Extension, Function, Policy, QualifiedName, Trigger, TypeDef, quote_ident};

fn type_def(q: QualifiedName, kind: &str, line: u64) -> TypeDef {
    TypeDef { schema: q.schema, name: q.name, kind: kind.to_string(), line, ..TypeDef::default() }
}

/// `CREATE TYPE … AS ENUM`.
pub(super) fn create_enum(cat: &mut Catalog, stmt: &protobuf::CreateEnumStmt, line: u64) {
    let mut t = type_def(qualified(strings(&stmt.type_name)), "enum", line);
    t.values = strings(&stmt.vals);
    cat.add_type(t);
}

/// `CREATE DOMAIN`.
pub(super) fn create_domain(cat: &mut Catalog, stmt: &protobuf::CreateDomainStmt, line: u64) {
    let mut t = type_def(qualified(strings(&stmt.domainname)), "domain", line);
    t.base_type = stmt.type_name.as_ref().map(type_name);
    for c in &stmt.constraints {
        if let Some(NodeEnum::Constraint(c)) = &c.node {
            domain_constraint(&mut t, c);
        }
    }
    cat.add_type(t);
}

/// `ALTER DOMAIN … ADD CONSTRAINT` (how pg_dump writes a `NOT VALID` one) and
/// `ALTER DOMAIN … SET DEFAULT`.
pub(super) fn alter_domain(cat: &mut Catalog, stmt: &protobuf::AlterDomainStmt) {
    let Some(t) = cat.type_mut(&qualified(strings(&stmt.type_name))) else {
        return;
    };
    let def = stmt.def.as_deref();
    match (stmt.subtype.as_str(), def.and_then(|d| d.node.as_ref())) {
        ("C", Some(NodeEnum::Constraint(c))) => domain_constraint(t, c),
        ("T", _) => t.default = def.map(expr),
        _ => {}
    }
}

/// A domain's `DEFAULT` or `CHECK`; `NOT NULL` is not recorded.
fn domain_constraint(t: &mut TypeDef, c: &protobuf::Constraint) {
    match c.contype() {
        protobuf::ConstrType::ConstrCheck => t.checks.push(super::relations::check(c)),
        protobuf::ConstrType::ConstrDefault => t.default = c.raw_expr.as_deref().map(expr),
        _ => {}
    }
}

/// `CREATE TYPE … AS (attributes)`.
pub(super) fn create_composite(cat: &mut Catalog, stmt: &protobuf::CompositeTypeStmt, line: u64) {
    let Some(rv) = &stmt.typevar else { return };
    let mut t = type_def(range_var(rv), "composite", line);
    t.attributes = stmt
        .coldeflist
        .iter()
        .filter_map(|c| match &c.node {
            Some(NodeEnum::ColumnDef(c)) => {
                Some(format!("{} {}", quote_ident(&c.colname), c.type_name.as_ref().map(type_name).unwrap_or_default()))
            }
            _ => None,
        })
        .collect();
    cat.add_type(t);
}

/// `CREATE TYPE … AS RANGE`.
pub(super) fn create_range(cat: &mut Catalog, stmt: &protobuf::CreateRangeStmt, line: u64) {
    cat.add_type(type_def(qualified(strings(&stmt.type_name)), "range", line));
}

/// `CREATE TYPE name (INPUT = …)` (a base type) and `CREATE AGGREGATE`;
/// other `DefineStmt`s (operators, collations, text search) are not
/// summarised. A shell type (`CREATE TYPE name;`, no definition) is only a
/// forward declaration of the base type that follows it.
pub(super) fn define(cat: &mut Catalog, stmt: &protobuf::DefineStmt, line: u64) {
    let q = qualified(strings(&stmt.defnames));
    match stmt.kind() {
        ObjectType::ObjectType if !stmt.definition.is_empty() => {
            cat.add_type(type_def(q, "base", line));
        }
        ObjectType::ObjectAggregate => {
            // New-style aggregates carry (argument list, number of direct
            // arguments); old-style ones (`basetype = …`) carry nothing.
            let params = match stmt.args.first().and_then(|a| a.node.as_ref()) {
                Some(NodeEnum::List(l)) => l.items.as_slice(),
                _ => &[],
            };
            let (arguments, signature, _) = parameters(params);
            cat.add_function(
                Function {
                    schema: q.schema,
                    name: q.name,
                    kind: "aggregate".to_string(),
                    arguments,
                    line,
                    ..Function::default()
                },
                signature,
            );
        }
        _ => {}
    }
}

/// The argument list as `pg_get_function_arguments` shows it, the input
/// argument types (the signature `COMMENT ON FUNCTION` uses) and the
/// `RETURNS TABLE` columns.
fn parameters(params: &[Node]) -> (String, Vec<String>, Vec<String>) {
    let mut arguments = Vec::new();
    let mut signature = Vec::new();
    let mut table = Vec::new();
    for p in params {
        let Some(NodeEnum::FunctionParameter(p)) = &p.node else {
            continue;
        };
        let ty = p.arg_type.as_ref().map(type_name).unwrap_or_default();
        let named = if p.name.is_empty() { ty.clone() } else { format!("{} {ty}", quote_ident(&p.name)) };
        let mode = p.mode();
        if mode == Mode::FuncParamTable {
            table.push(named);
            continue;
        }
        let prefix = match mode {
            Mode::FuncParamOut => "OUT ",
            Mode::FuncParamInout => "INOUT ",
            Mode::FuncParamVariadic => "VARIADIC ",
            _ => "",
        };
        let default = match p.defexpr.as_deref() {
            Some(d) => format!(" DEFAULT {}", expr(d)),
            None => String::new(),
        };
        arguments.push(format!("{prefix}{named}{default}"));
        if mode != Mode::FuncParamOut {
            signature.push(ty);
        }
    }
    (arguments.join(", "), signature, table)
}

/// `CREATE FUNCTION` and `CREATE PROCEDURE`.
pub(super) fn create_function(cat: &mut Catalog, stmt: &protobuf::CreateFunctionStmt, line: u64) {
    let q = qualified(strings(&stmt.funcname));
    let (arguments, signature, table) = parameters(&stmt.parameters);
    let returns = if !table.is_empty() {
        Some(format!("TABLE({})", table.join(", ")))
    } else {
        stmt.return_type.as_ref().map(type_name)
    };
    let language = stmt
        .options
        .iter()
        .find_map(|o| match &o.node {
            Some(NodeEnum::DefElem(d)) if d.defname == "language" => {
                d.arg.as_deref().and_then(format::str_const).map(str::to_string)
            }
            _ => None,
        })
        // A SQL-standard body (`BEGIN ATOMIC … END`) is always LANGUAGE sql.
        .or_else(|| stmt.sql_body.as_ref().map(|_| "sql".to_string()));
    let kind = if stmt.is_procedure { "procedure" } else { "function" };
    // Not SQL (which restore parses and rewrites), not a C symbol.
    let other =
        language.as_deref().is_some_and(|l| !matches!(l.to_ascii_lowercase().as_str(), "sql" | "c" | "internal"));
    let body_names = match stmt.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "as" && other => d.arg.as_deref(),
        _ => None,
    }) {
        Some(Node { node: Some(NodeEnum::List(l)) }) => {
            l.items.first().and_then(format::str_const).map(qualified_names)
        }
        _ => None,
    };
    cat.add_function(
        Function {
            schema: q.schema,
            name: q.name,
            kind: kind.to_string(),
            arguments,
            returns,
            language,
            body_names: body_names.unwrap_or_default(),
            line,
            ..Function::default()
        },
        signature,
    );
}

/// The qualified names `a.b` a body in a language other than SQL mentions,
/// read lexically anywhere in its text (its strings too: dynamic SQL names
/// things as well). Names are bare (folded to lower case, as PostgreSQL
/// folds them) or double-quoted, with a `.` between them and spaces allowed
/// around it. A `"` that does not quote a name beside a `.` is taken as
/// just a character, so a string in a language that quotes with `"`
/// (`plpy.execute("SELECT public.digest(…)")`) is still read.
pub(super) fn qualified_names(body: &str) -> Vec<QualifiedName> {
    #[derive(PartialEq)]
    enum Tok {
        Name(String),
        Dot,
        Other,
    }
    let b = body.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let next_is_dot = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        b.get(i) == Some(&b'.')
    };
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'.' {
            toks.push(Tok::Dot);
            i += 1;
        } else if c == b'"' {
            // A quoted name ends at a `"` not doubled.
            let mut j = i + 1;
            let mut name = Vec::new();
            let end = loop {
                match b.get(j) {
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => {
                        name.push(b'"');
                        j += 2;
                    }
                    Some(b'"') => break Some(j + 1),
                    Some(&c) => {
                        name.push(c);
                        j += 1;
                    }
                    None => break None,
                }
            };
            match end {
                Some(end) if !name.is_empty() && (toks.last() == Some(&Tok::Dot) || next_is_dot(end)) => {
                    toks.push(Tok::Name(String::from_utf8_lossy(&name).into_owned()));
                    i = end;
                }
                _ => {
                    toks.push(Tok::Other);
                    i += 1;
                }
            }
        } else if ident(c) && !c.is_ascii_digit() {
            let start = i;
            while i < b.len() && ident(b[i]) {
                i += 1;
            }
            toks.push(Tok::Name(String::from_utf8_lossy(&b[start..i]).to_ascii_lowercase()));
        } else {
            // A number is one token: `1.5` names nothing.
            i += 1;
            while c.is_ascii_digit() && i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            toks.push(Tok::Other);
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for w in toks.windows(3) {
        if let [Tok::Name(schema), Tok::Dot, Tok::Name(name)] = w {
            names.insert(QualifiedName { schema: Some(schema.clone()), name: name.clone() });
        }
    }
    names.into_iter().collect()
}

/// `CREATE POLICY`; a policy without `TO` applies to `public`.
pub(super) fn create_policy(cat: &mut Catalog, stmt: &protobuf::CreatePolicyStmt, line: u64) {
    let Some(rv) = &stmt.table else { return };
    let mut roles = Vec::new();
    for r in &stmt.roles {
        if let Some(NodeEnum::RoleSpec(r)) = &r.node {
            roles.push(format::role_spec(r));
            cat.roles.extend(role_name(r));
        }
    }
    cat.policies.push(Policy {
        table: range_var(rv),
        name: stmt.policy_name.clone(),
        command: if stmt.cmd_name.is_empty() { "all".to_string() } else { stmt.cmd_name.clone() },
        roles,
        line,
    });
}

/// `CREATE TRIGGER`.
pub(super) fn create_trigger(cat: &mut Catalog, stmt: &protobuf::CreateTrigStmt, line: u64) {
    let Some(rv) = &stmt.relation else { return };
    cat.triggers.push(Trigger {
        table: range_var(rv),
        name: stmt.trigname.clone(),
        function: format::join_idents(&strings(&stmt.funcname)),
        line,
    });
}

/// `CREATE EXTENSION … [WITH SCHEMA s]`.
pub(super) fn create_extension(cat: &mut Catalog, stmt: &protobuf::CreateExtensionStmt, line: u64) {
    let schema = stmt.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "schema" => {
            d.arg.as_deref().and_then(format::str_const).map(str::to_string)
        }
        _ => None,
    });
    cat.add_extension(Extension { name: stmt.extname.clone(), schema, comment: None, line });
}

/// `COMMENT ON …` for the objects the summary describes.
pub(super) fn comment(cat: &mut Catalog, stmt: &protobuf::CommentStmt) {
    // `COMMENT ON … IS NULL` removes a comment; the tree holds it as "".
    let text = (!stmt.comment.is_empty()).then(|| stmt.comment.clone());
    let Some(object) = stmt.object.as_deref().and_then(|o| o.node.as_ref()) else {
        return;
    };
    let names = || match object {
        NodeEnum::List(l) => strings(&l.items),
        NodeEnum::String(s) => vec![s.sval.clone()],
        NodeEnum::TypeName(t) => strings(&t.names),
        NodeEnum::ObjectWithArgs(o) => strings(&o.objname),
        _ => Vec::new(),
    };
    match stmt.objtype() {
        ObjectType::ObjectTable | ObjectType::ObjectForeignTable => {
            if let Some(t) = cat.table_mut(&qualified(names())) {
                t.comment = text;
            }
        }
        ObjectType::ObjectColumn => {
            let mut parts = names();
            let column = parts.pop().unwrap_or_default();
            if let Some(c) = cat.column_mut(&qualified(parts), &column) {
                c.comment = text;
            }
        }
        ObjectType::ObjectView | ObjectType::ObjectMatview => {
            let materialized = stmt.objtype() == ObjectType::ObjectMatview;
            if let Some(v) = cat.view_mut(&qualified(names()), materialized) {
                v.comment = text;
            }
        }
        ObjectType::ObjectType | ObjectType::ObjectDomain => {
            if let Some(t) = cat.type_mut(&qualified(names())) {
                t.comment = text;
            }
        }
        ObjectType::ObjectFunction
        | ObjectType::ObjectProcedure
        | ObjectType::ObjectRoutine
        | ObjectType::ObjectAggregate => {
            let NodeEnum::ObjectWithArgs(o) = object else {
                return;
            };
            // `objargs` holds the input argument types only, matching the
            // signature recorded at creation.
            let signature: Vec<String> = o
                .objargs
                .iter()
                .filter_map(|a| match &a.node {
                    Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                    _ => None,
                })
                .collect();
            if let Some(f) = cat.function_mut(&qualified(names()), &signature) {
                f.comment = text;
            }
        }
        ObjectType::ObjectExtension => {
            if let Some(e) = cat.extension_mut(&names().concat()) {
                e.comment = text;
            }
        }
        _ => {}
    }
}

/// Roles named by `GRANT`/`REVOKE` (grantees; `PUBLIC` is skipped).
pub(super) fn grant(cat: &mut Catalog, stmt: &protobuf::GrantStmt) {
    cat.roles.extend(role_specs(&stmt.grantees));
}

/// `GRANT role TO role` (pg_dumpall): the grantees.
pub(super) fn grant_role(cat: &mut Catalog, stmt: &protobuf::GrantRoleStmt) {
    cat.roles.extend(role_specs(&stmt.grantee_roles));
}

/// `ALTER DEFAULT PRIVILEGES FOR ROLE r … TO s`: both `r` and `s`.
pub(super) fn default_privileges(cat: &mut Catalog, stmt: &protobuf::AlterDefaultPrivilegesStmt) {
    for o in &stmt.options {
        if let Some(NodeEnum::DefElem(d)) = &o.node
            && d.defname == "roles"
            && let Some(NodeEnum::List(l)) = d.arg.as_deref().and_then(|a| a.node.as_ref())
        {
            cat.roles.extend(role_specs(&l.items));
        }
    }
    if let Some(action) = &stmt.action {
        grant(cat, action);
    }
}

fn role_specs(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::RoleSpec(r)) => role_name(r),
            _ => None,
        })
        .collect()
}
