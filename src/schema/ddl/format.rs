//! Turning parse-tree fragments back into the text PostgreSQL itself would
//! show: type names as `format_type()` prints them, expressions as deparsed
//! SQL, and names as (quoted where needed) identifiers.
//!
//! Invariants: nothing here fails or panics. A fragment that cannot be
//! rendered exactly is rendered approximately (an expression the deparser
//! rejects becomes [`UNPRINTABLE`]), because a summary with one odd default
//! is more useful than no summary.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, Node, TypeName, a_const};

use crate::schema::model::{QualifiedName, quote_ident};

/// Stands in for an expression the deparser could not print.
pub(super) const UNPRINTABLE: &str = "(expression)";

/// The `sval`s of a list of `String` nodes (a qualified name in the parse
/// tree); other nodes are skipped.
pub(crate) fn strings(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// A qualified name from its parts; a catalog (database) part is dropped.
pub(crate) fn qualified(mut parts: Vec<String>) -> QualifiedName {
    let name = parts.pop().unwrap_or_default();
    QualifiedName { schema: parts.pop(), name }
}

/// `schema.name` of a `RangeVar` (a table, view, sequence… reference).
pub(super) fn range_var(rv: &protobuf::RangeVar) -> QualifiedName {
    QualifiedName { schema: (!rv.schemaname.is_empty()).then(|| rv.schemaname.clone()), name: rv.relname.clone() }
}

/// Parts joined with `.`, each quoted as `quote_ident` would.
pub(super) fn join_idents(parts: &[String]) -> String {
    parts.iter().map(|p| quote_ident(p)).collect::<Vec<_>>().join(".")
}

/// Splits a qualified name written as text (`'"Mixed Case"."t_id_seq"'`, the
/// argument of `setval`) the way PostgreSQL's `stringToQualifiedNameList`
/// does: unquoted parts are folded to lower case, `""` inside quotes is `"`.
pub(crate) fn split_qualified(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c != '"' {
                cur.push(c);
            } else if chars.peek() == Some(&'"') {
                cur.push('"');
                chars.next();
            } else {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == '.' {
            parts.push(std::mem::take(&mut cur));
        } else if !c.is_whitespace() {
            cur.push(c.to_ascii_lowercase());
        }
    }
    parts.push(cur);
    parts
}

/// Deparses an expression. pg_query deparses only statements, so the
/// expression is wrapped as the one target of a `SELECT` and the keyword is
/// stripped again.
pub(super) fn expr(node: &Node) -> String {
    let target = protobuf::ResTarget { val: Some(Box::new(node.clone())), ..Default::default() };
    let select = protobuf::SelectStmt {
        target_list: vec![Node { node: Some(NodeEnum::ResTarget(Box::new(target))) }],
        limit_option: protobuf::LimitOption::Default as i32,
        op: protobuf::SetOperation::SetopNone as i32,
        ..Default::default()
    };
    match NodeEnum::SelectStmt(Box::new(select)).deparse(Default::default()) {
        Ok(sql) => match sql.strip_prefix("SELECT ") {
            Some(e) => e.to_string(),
            None => sql,
        },
        Err(_) => UNPRINTABLE.to_string(),
    }
}

/// An integer constant (`A_Const`), if the node is one. Large values arrive
/// as `Float` nodes holding their digits.
pub(super) fn int_const(node: &Node) -> Option<i64> {
    match &node.node {
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(a_const::Val::Ival(i)) => Some(i64::from(i.ival)),
            Some(a_const::Val::Fval(f)) => f.fval.parse().ok(),
            _ => None,
        },
        Some(NodeEnum::Integer(i)) => Some(i64::from(i.ival)),
        _ => None,
    }
}

/// A string constant (`A_Const` or a bare `String` node), if the node is one.
pub(super) fn str_const(node: &Node) -> Option<&str> {
    match &node.node {
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(a_const::Val::Sval(s)) => Some(&s.sval),
            _ => None,
        },
        Some(NodeEnum::String(s)) => Some(&s.sval),
        _ => None,
    }
}

/// A type name as PostgreSQL's `format_type()` prints it: SQL spellings for
/// the built-in types the grammar renames (`int4` → `integer`,
/// `timestamptz` → `timestamp with time zone`), typmods in place, one `[]`
/// for any array (format_type ignores the number of dimensions), and user
/// types qualified as written (`public.citext`).
pub(crate) fn type_name(t: &TypeName) -> String {
    let mut names = strings(&t.names);
    let mods: Vec<String> = t.typmods.iter().map(typmod).collect();
    // Built-in types are written unqualified or with `pg_catalog.`, which is
    // always on the search path and so never shown by format_type.
    if names.len() == 2 && names[0] == "pg_catalog" {
        names.remove(0);
    }
    let builtin = match names.as_slice() {
        [name] => builtin_type(name, &mods),
        _ => None,
    };
    let mut out = builtin.unwrap_or_else(|| {
        let base = match names.as_slice() {
            // The one-byte "char" type must stay quoted to differ from char(1).
            [name] if name == "char" => "\"char\"".to_string(),
            _ => join_idents(&names),
        };
        with_mods(&base, &mods)
    });
    if t.pct_type {
        out.push_str("%TYPE");
    }
    if !t.array_bounds.is_empty() {
        out.push_str("[]");
    }
    if t.setof {
        out.insert_str(0, "SETOF ");
    }
    out
}

fn with_mods(base: &str, mods: &[String]) -> String {
    if mods.is_empty() { base.to_string() } else { format!("{base}({})", mods.join(",")) }
}

fn typmod(node: &Node) -> String {
    match (&node.node, int_const(node)) {
        (_, Some(i)) => i.to_string(),
        (Some(NodeEnum::AConst(c)), None) => match &c.val {
            Some(a_const::Val::Sval(s)) => format!("'{}'", s.sval.replace('\'', "''")),
            _ => expr(node),
        },
        (Some(NodeEnum::ColumnRef(c)), None) => join_idents(&strings(&c.fields)),
        _ => expr(node),
    }
}

/// SQL spellings of the internal names the grammar maps standard type
/// syntax to (see `format_type_extended` in format_type.c).
fn builtin_type(name: &str, mods: &[String]) -> Option<String> {
    let precision = |base: &str, zone: &str| match mods.first() {
        Some(p) => format!("{base}({p}) {zone}"),
        None => format!("{base} {zone}"),
    };
    Some(match name {
        "int2" => "smallint".to_string(),
        "int4" => "integer".to_string(),
        "int8" => "bigint".to_string(),
        "float4" => "real".to_string(),
        "float8" => "double precision".to_string(),
        "bool" => "boolean".to_string(),
        "numeric" => with_mods("numeric", mods),
        "varchar" => with_mods("character varying", mods),
        // bpchar without a length is not char(1): format_type keeps `bpchar`.
        "bpchar" if mods.is_empty() => "bpchar".to_string(),
        "bpchar" => with_mods("character", mods),
        "bit" => with_mods("bit", mods),
        "varbit" => with_mods("bit varying", mods),
        "timestamp" => precision("timestamp", "without time zone"),
        "timestamptz" => precision("timestamp", "with time zone"),
        "time" => precision("time", "without time zone"),
        "timetz" => precision("time", "with time zone"),
        "interval" => interval(mods),
        _ => return None,
    })
}

/// `interval` with its typmods: the grammar stores the field range as a
/// bitmask (datetime.h's `INTERVAL_MASK`) and then an optional precision;
/// `intervaltypmodout` prints e.g. `interval day to second(3)`.
fn interval(mods: &[String]) -> String {
    const MONTH: i64 = 1 << 1;
    const YEAR: i64 = 1 << 2;
    const DAY: i64 = 1 << 3;
    const HOUR: i64 = 1 << 10;
    const MINUTE: i64 = 1 << 11;
    const SECOND: i64 = 1 << 12;
    let mask = mods.first().and_then(|m| m.parse::<i64>().ok());
    let fields = match mask {
        Some(YEAR) => " year",
        Some(MONTH) => " month",
        Some(DAY) => " day",
        Some(HOUR) => " hour",
        Some(MINUTE) => " minute",
        Some(SECOND) => " second",
        Some(m) if m == YEAR | MONTH => " year to month",
        Some(m) if m == DAY | HOUR => " day to hour",
        Some(m) if m == DAY | HOUR | MINUTE => " day to minute",
        Some(m) if m == DAY | HOUR | MINUTE | SECOND => " day to second",
        Some(m) if m == HOUR | MINUTE => " hour to minute",
        Some(m) if m == HOUR | MINUTE | SECOND => " hour to second",
        Some(m) if m == MINUTE | SECOND => " minute to second",
        _ => "",
    };
    match mods.get(1) {
        Some(p) => format!("interval{fields}({p})"),
        None => format!("interval{fields}"),
    }
}

/// A role named in a `RoleSpec`, as the summary's `roles` list wants it:
/// real role names only (not `PUBLIC` or `CURRENT_USER`, which exist
/// everywhere).
pub(super) fn role_name(r: &protobuf::RoleSpec) -> Option<String> {
    (r.roletype() == protobuf::RoleSpecType::RolespecCstring).then(|| r.rolename.clone())
}

/// A `RoleSpec` as SQL would write it in a role list (`TO public`).
pub(super) fn role_spec(r: &protobuf::RoleSpec) -> String {
    use protobuf::RoleSpecType as T;
    match r.roletype() {
        T::RolespecCstring => r.rolename.clone(),
        T::RolespecPublic => "public".to_string(),
        T::RolespecCurrentRole => "current_role".to_string(),
        T::RolespecCurrentUser => "current_user".to_string(),
        T::RolespecSessionUser => "session_user".to_string(),
        T::Undefined => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column_type(sql_type: &str) -> String {
        let sql = format!("CREATE TABLE t (c {sql_type})");
        let parsed = pg_query::parse(&sql, 0).unwrap();
        let Some(NodeEnum::CreateStmt(stmt)) = parsed.protobuf.stmts[0].stmt.as_ref().and_then(|s| s.node.clone())
        else {
            panic!("not a CREATE TABLE");
        };
        let Some(NodeEnum::ColumnDef(col)) = &stmt.table_elts[0].node else {
            panic!("no column");
        };
        type_name(col.type_name.as_ref().unwrap())
    }

    #[test]
    fn types_print_as_format_type_does() {
        let cases = [
            ("int", "integer"),
            ("int4", "integer"),
            ("bigint", "bigint"),
            ("smallint[]", "smallint[]"),
            ("integer[][]", "integer[]"),
            ("varchar(50)", "character varying(50)"),
            ("character varying", "character varying"),
            ("char(3)", "character(3)"),
            ("char", "character(1)"),
            ("\"char\"", "\"char\""),
            ("numeric(10,2)", "numeric(10,2)"),
            ("decimal", "numeric"),
            ("double precision", "double precision"),
            ("float", "double precision"),
            ("real", "real"),
            ("boolean", "boolean"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("time(2)", "time(2) without time zone"),
            ("bit varying(8)", "bit varying(8)"),
            ("interval", "interval"),
            ("interval(3)", "interval(3)"),
            ("interval day to second(2)", "interval day to second(2)"),
            ("interval year to month", "interval year to month"),
            ("text[]", "text[]"),
            ("public.citext", "public.citext"),
            ("public.vector(20)", "public.vector(20)"),
            ("\"café\".email", "\"café\".email"),
            ("\"odd \"\"name\"\"; x\".pair", "\"odd \"\"name\"\"; x\".pair"),
            ("pg_catalog.int8", "bigint"),
            ("tsvector", "tsvector"),
        ];
        for (input, want) in cases {
            assert_eq!(column_type(input), want, "type {input}");
        }
    }

    #[test]
    fn expressions_deparse_without_select() {
        let parsed = pg_query::parse("SELECT nextval('public.s'::regclass)", 0).unwrap();
        let Some(NodeEnum::SelectStmt(s)) = parsed.protobuf.stmts[0].stmt.as_ref().and_then(|s| s.node.clone()) else {
            panic!("not a SELECT");
        };
        let Some(NodeEnum::ResTarget(t)) = &s.target_list[0].node else {
            panic!("no target");
        };
        assert_eq!(expr(t.val.as_ref().unwrap()), "nextval('public.s'::regclass)");
    }

    #[test]
    fn qualified_name_strings_split_like_postgres() {
        assert_eq!(split_qualified("\"Mixed Case\".\"Tab\"\"le_Id_seq\""), ["Mixed Case", "Tab\"le_Id_seq"]);
        assert_eq!(split_qualified("Public.Seq"), ["public", "seq"]);
    }
}
