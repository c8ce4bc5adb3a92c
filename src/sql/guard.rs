//! The SQL guard: statements pg_dump never writes that reach outside the
//! database being restored, found by PostgreSQL's own parser (pg_query),
//! never by patterns over text.
//!
//! pg_dump writes DDL, `COPY … FROM stdin`, `INSERT … VALUES` of constants,
//! `SET` of a few settings and `SELECT`s of a handful of catalog functions
//! ([`PG_DUMP_FUNCTIONS`]). A dump that runs a shell command on the server
//! (`COPY … PROGRAM`), reads or writes server files, changes the server's
//! configuration or its roles, switches the role it runs as, loads code
//! from an object file, or calls any other function from a top-level
//! statement is doing something a dump does not do. Each such statement is
//! a [`Hazard`] of class [`SqlClass`]; restore refuses it unless
//! `--allow-sql CLASS` lets that class through.
//!
//! Not covered, and said so in spec/restore.md: code the dump defines and
//! that the restore then runs (a CHECK constraint, an index expression, a
//! trigger) runs with the restoring role's rights. Restore untrusted dumps
//! as a role that is not a superuser.

use pg_query::NodeEnum;
use pg_query::protobuf::ObjectType;
use serde_json::Value;

use super::hazard::{Hazard, HazardCode, SqlClass};
use super::scanner::Statement;

/// The functions pg_dump's own `SELECT`s call, all schema-qualified with
/// `pg_catalog` (sequences, large objects, the search path, and the
/// statistics of pg_dump 18).
pub const PG_DUMP_FUNCTIONS: [&str; 9] = [
    "set_config",
    "setval",
    "lo_create",
    "lo_open",
    "lowrite",
    "lo_close",
    "lo_unlink",
    "pg_restore_relation_stats",
    "pg_restore_attribute_stats",
];

/// Languages whose functions cannot reach outside the database.
const TRUSTED_LANGUAGES: [&str; 8] = ["sql", "plpgsql", "plperl", "pltcl", "plv8", "pljs", "java", "plrust"];

/// Whether a statement could be one the guard refuses, judged from its
/// first words (so that most statements are not parsed twice).
fn suspect(st: &Statement) -> bool {
    let [w0, w1] = &st.facts.words;
    match w0.as_str() {
        "insert" => st.facts.values_expression || !st.facts.values,
        "alter" => {
            matches!(w1.as_str(), "system" | "role" | "user" | "group" | "subscription" | "tablespace")
        }
        "drop" => matches!(w1.as_str(), "role" | "user" | "group" | "tablespace" | "owned"),
        "create" => !matches!(
            w1.as_str(),
            "index"
                | "unique"
                | "view"
                | "type"
                | "domain"
                | "sequence"
                | "schema"
                | "extension"
                | "policy"
                | "trigger"
                | "rule"
                | "aggregate"
                | "operator"
                | "cast"
                | "collation"
                | "statistics"
                | "text"
                | "publication"
                | "server"
                | "foreign"
                | "event"
                | "conversion"
                | "access"
                | "default"
                | "constraint"
                | "recursive"
                | "database"
        ),
        "copy" | "grant" | "revoke" | "reassign" | "set" | "reset" | "select" | "with" | "values" | "table" | "do"
        | "call" | "load" | "explain" | "execute" | "prepare" | "declare" | "update" | "delete" | "merge"
        | "import" => true,
        _ => false,
    }
}

/// The hazards of one statement (`line` is where it starts). Statements too
/// long to parse are the scanner's to report.
pub fn check(st: &Statement, line: u64, standard_conforming_strings: bool) -> Vec<Hazard> {
    if !st.parseable() || !suspect(st) {
        return Vec::new();
    }
    let options = if standard_conforming_strings {
        pg_query::ParserOptions::DEFAULT
    } else {
        pg_query::ParserOptions::DISABLE_STANDARD_CONFORMING_STRINGS
    };
    let Ok(parsed) = pg_query::parse(&st.text_lossy(), options) else {
        return Vec::new(); // the server will reject it too; validate reports it
    };
    let walk = st.facts.tokens <= MAX_WALKED_TOKENS;
    let mut out = Vec::new();
    for raw in &parsed.protobuf.stmts {
        if let Some(node) = raw.stmt.as_ref().and_then(|n| n.node.as_ref())
            && let Some(code) = classify(node, walk)
        {
            out.push(Hazard { code, line, detail: shorten(&st.text_lossy()) });
        }
    }
    out
}

/// A statement about a database (`CREATE`, `DROP`, `ALTER DATABASE`, and
/// `COMMENT`, `SECURITY LABEL`, `GRANT`, `REVOKE` or `ALTER … OWNER` on one):
/// pg_dump `--create` writes them for the dump's own database. Restore never
/// sends one, since it writes only to its target; the filter leaves them
/// out and the plan lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DatabaseStatement {
    pub line: u64,
    /// The database it names.
    pub database: String,
    /// `CREATE DATABASE`: the database a `pg_dump --create` dump creates and
    /// then connects to.
    pub create: bool,
    /// Its first 80 characters.
    pub text: String,
}

/// The database statement `st` is, if it is one. Parsed only when its first
/// words (or, for `COMMENT`, `SECURITY LABEL`, `GRANT`, `REVOKE` and
/// `ALTER … OWNER`, its first bytes) could be one: the parse tree decides.
pub fn database_statement(st: &Statement, line: u64) -> Option<DatabaseStatement> {
    let [w0, w1] = &st.facts.words;
    // Only statements of these first words get to the byte search, so an
    // INSERT-heavy dump pays one string compare a statement.
    let names_database = || {
        let head = &st.text[..st.text.len().min(96)];
        head.windows(8).any(|w| w.eq_ignore_ascii_case(b"database"))
    };
    let candidate = match w0.as_str() {
        "create" | "drop" => w1 == "database",
        "alter" => w1 == "database" || names_database(),
        "comment" | "security" | "grant" | "revoke" => names_database(),
        _ => false,
    };
    if !candidate || !st.parseable() {
        return None;
    }
    let parsed = pg_query::parse(&st.text_lossy(), pg_query::ParserOptions::DEFAULT).ok()?;
    let node = parsed.protobuf.stmts.first()?.stmt.as_ref()?.node.as_ref()?;
    let (database, create) = database_of(node)?;
    Some(DatabaseStatement { line, database, create, text: shorten(&st.text_lossy()) })
}

/// The database a statement is about, and whether it creates it.
pub fn database_of(node: &NodeEnum) -> Option<(String, bool)> {
    use NodeEnum as N;
    let db = ObjectType::ObjectDatabase as i32;
    let name = |n: &Option<Box<pg_query::protobuf::Node>>| match n.as_ref().and_then(|n| n.node.as_ref()) {
        Some(N::String(s)) => Some(s.sval.clone()),
        _ => None,
    };
    match node {
        N::CreatedbStmt(c) => Some((c.dbname.clone(), true)),
        N::DropdbStmt(d) => Some((d.dbname.clone(), false)),
        N::AlterDatabaseStmt(a) => Some((a.dbname.clone(), false)),
        N::AlterDatabaseSetStmt(a) => Some((a.dbname.clone(), false)),
        N::AlterDatabaseRefreshCollStmt(a) => Some((a.dbname.clone(), false)),
        N::AlterOwnerStmt(o) if o.object_type == db => Some((name(&o.object)?, false)),
        N::CommentStmt(c) if c.objtype == db => Some((name(&c.object)?, false)),
        N::SecLabelStmt(s) if s.objtype == db => Some((name(&s.object)?, false)),
        N::RenameStmt(r) if r.rename_type == db => Some((r.subname.clone(), false)),
        N::GrantStmt(g) if g.objtype == db => match g.objects.first().and_then(|o| o.node.as_ref()) {
            Some(N::String(s)) => Some((s.sval.clone(), false)),
            _ => Some((String::new(), false)),
        },
        _ => None,
    }
}

/// Statements whose whole tree is walked for function calls have at most
/// this many tokens; a larger one cannot be checked within the memory bound
/// (the serialized tree costs some kilobytes a token) and is a
/// [`HazardCode::StatementTooLarge`]. pg_dump's own SELECTs have a dozen.
pub const MAX_WALKED_TOKENS: u64 = 5_000;

/// A statement's first 80 characters, on one line.
fn shorten(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &one[..i]),
        None => one,
    }
}

/// The hazard a statement is, if the guard refuses it. `walk`: the tree is
/// small enough to be searched for function calls.
pub fn classify(node: &NodeEnum, walk: bool) -> Option<HazardCode> {
    let calls = |node: &NodeEnum| {
        if !walk {
            Some(HazardCode::StatementTooLarge)
        } else {
            calls_other_functions(node).then_some(HazardCode::OutsideDatabase(SqlClass::FunctionCall))
        }
    };
    if matches!(
        node,
        NodeEnum::CopyStmt(_)
            | NodeEnum::SelectStmt(_)
            | NodeEnum::InsertStmt(_)
            | NodeEnum::UpdateStmt(_)
            | NodeEnum::DeleteStmt(_)
            | NodeEnum::MergeStmt(_)
            | NodeEnum::ExplainStmt(_)
            | NodeEnum::DeclareCursorStmt(_)
            | NodeEnum::PrepareStmt(_)
            | NodeEnum::ExecuteStmt(_)
    ) || matches!(node, NodeEnum::CreateTableAsStmt(c) if !c.into.as_ref().is_some_and(|i| i.skip_data))
    {
        if let Some(class) = class_of(node) {
            return Some(HazardCode::OutsideDatabase(class));
        }
        return calls(node);
    }
    class_of(node).map(HazardCode::OutsideDatabase)
}

/// The class of statements that reach outside by their kind alone.
fn class_of(node: &NodeEnum) -> Option<SqlClass> {
    use NodeEnum as N;
    match node {
        N::CopyStmt(c) if c.is_program => Some(SqlClass::CopyProgram),
        N::CopyStmt(c) if !c.filename.is_empty() => Some(SqlClass::CopyFile),
        N::AlterSystemStmt(_) => Some(SqlClass::AlterSystem),
        N::CreateRoleStmt(_)
        | N::AlterRoleStmt(_)
        | N::AlterRoleSetStmt(_)
        | N::DropRoleStmt(_)
        | N::GrantRoleStmt(_)
        | N::ReassignOwnedStmt(_)
        | N::DropOwnedStmt(_) => Some(SqlClass::Role),
        N::RenameStmt(r) if r.rename_type == ObjectType::ObjectRole as i32 => Some(SqlClass::Role),
        N::VariableSetStmt(v) if matches!(v.name.as_str(), "role" | "session_authorization") => Some(SqlClass::SetRole),
        N::CreateFunctionStmt(f) if untrusted_function(&f.options) => Some(SqlClass::UntrustedFunction),
        N::CreatePlangStmt(l) if !l.pltrusted && !TRUSTED_LANGUAGES.contains(&l.plname.as_str()) => {
            Some(SqlClass::UntrustedFunction)
        }
        N::LoadStmt(_) => Some(SqlClass::Load),
        N::CreateTableSpaceStmt(_) | N::DropTableSpaceStmt(_) | N::AlterTableSpaceOptionsStmt(_) => {
            Some(SqlClass::Tablespace)
        }
        N::CreateSubscriptionStmt(s) if !connect_false(&s.options) => Some(SqlClass::Subscription),
        N::AlterSubscriptionStmt(_) | N::ImportForeignSchemaStmt(_) => Some(SqlClass::Subscription),
        N::DoStmt(_) | N::CallStmt(_) => Some(SqlClass::FunctionCall),
        _ => None,
    }
}

fn def_elems(options: &[pg_query::protobuf::Node]) -> impl Iterator<Item = &pg_query::protobuf::DefElem> {
    options.iter().filter_map(|o| match o.node.as_ref() {
        Some(NodeEnum::DefElem(d)) => Some(d.as_ref()),
        _ => None,
    })
}

fn string_of(node: Option<&pg_query::protobuf::Node>) -> Option<&str> {
    match node?.node.as_ref()? {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// A function in a language that can reach outside the database, or in C
/// from an object file (`AS 'file', 'symbol'`).
fn untrusted_function(options: &[pg_query::protobuf::Node]) -> bool {
    let mut language = "sql".to_string();
    let mut object_file = false;
    for d in def_elems(options) {
        match d.defname.as_str() {
            "language" => {
                if let Some(l) = string_of(d.arg.as_deref()) {
                    language = l.to_ascii_lowercase();
                }
            }
            "as" => {
                object_file = matches!(d.arg.as_deref().and_then(|a| a.node.as_ref()),
                    Some(NodeEnum::List(l)) if l.items.len() == 2);
            }
            _ => {}
        }
    }
    object_file || !TRUSTED_LANGUAGES.contains(&language.as_str())
}

/// `WITH (connect = false)`: pg_dump's own form, which connects nowhere.
fn connect_false(options: &[pg_query::protobuf::Node]) -> bool {
    def_elems(options).any(|d| {
        d.defname == "connect"
            && match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
                Some(NodeEnum::String(s)) => matches!(s.sval.as_str(), "false" | "off" | "0"),
                Some(NodeEnum::Boolean(b)) => !b.boolval,
                Some(NodeEnum::AConst(c)) => {
                    matches!(&c.val, Some(pg_query::protobuf::a_const::Val::Boolval(b)) if !b.boolval)
                        || matches!(&c.val, Some(pg_query::protobuf::a_const::Val::Sval(s)) if matches!(s.sval.as_str(), "false" | "off"))
                }
                _ => false,
            }
    })
}

/// Whether a statement calls any function other than pg_dump's own
/// ([`PG_DUMP_FUNCTIONS`], qualified with `pg_catalog`; `set_config` only
/// for `search_path`). The serialized tree is walked whole, so no node type
/// can hide a call.
fn calls_other_functions(node: &NodeEnum) -> bool {
    let tree = serde_json::to_value(node).unwrap_or(Value::Null);
    let mut other = false;
    walk_calls(&tree, &mut |call| other |= !pg_dump_call(call));
    other
}

fn walk_calls(v: &Value, f: &mut dyn FnMut(&Value)) {
    match v {
        Value::Object(o) => {
            if let Some(call) = o.get("FuncCall") {
                f(call);
            }
            o.values().for_each(|c| walk_calls(c, f));
        }
        Value::Array(a) => a.iter().for_each(|c| walk_calls(c, f)),
        _ => {}
    }
}

/// The name of a serialized `FuncCall`, as its parts (`["pg_catalog", "setval"]`).
fn call_name(call: &Value) -> Vec<&str> {
    call.get("funcname")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|n| n.pointer("/node/String/sval").and_then(Value::as_str)).collect())
        .unwrap_or_default()
}

/// The name of every function a statement calls, as its parts; the
/// serialized tree is walked whole, as for the guard itself.
pub fn function_calls(node: &NodeEnum) -> Vec<Vec<String>> {
    let tree = serde_json::to_value(node).unwrap_or(Value::Null);
    let mut out = Vec::new();
    walk_calls(&tree, &mut |call| out.push(call_name(call).into_iter().map(str::to_string).collect()));
    out
}

fn pg_dump_call(call: &Value) -> bool {
    let name = call_name(call);
    let [schema, function] = name.as_slice() else { return false };
    if *schema != "pg_catalog" || !PG_DUMP_FUNCTIONS.contains(function) {
        return false;
    }
    if *function != "set_config" {
        return true;
    }
    // set_config('search_path', …) only: other settings change how psql
    // lexes (standard_conforming_strings) or who runs the restore (role).
    let first = call.get("args").and_then(|a| a.get(0));
    first.and_then(|a| a.pointer("/node/AConst/val/Sval/sval")).and_then(Value::as_str) == Some("search_path")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::Lexer;

    fn classes(sql: &str) -> Vec<String> {
        check(&statement(sql), 1, true)
            .into_iter()
            .map(|h| match h.code {
                HazardCode::OutsideDatabase(c) => c.name().to_string(),
                other => other.code().to_string(),
            })
            .collect()
    }

    #[test]
    fn what_pg_dump_writes_passes() {
        for sql in [
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "SELECT pg_catalog.setval('public.s', 42, true);",
            "SELECT pg_catalog.lo_create('16385');",
            "SELECT pg_catalog.lo_open('16385', 131072);",
            "SELECT pg_catalog.lowrite(0, '\\x0102');",
            "SELECT pg_catalog.lo_close(0);",
            "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '16385';",
            "COPY public.t (a, b) FROM stdin;",
            "CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;",
            "CREATE FUNCTION public.g(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1';",
            "CREATE TABLE public.t (a int DEFAULT nextval('s'::regclass));",
            "CREATE MATERIALIZED VIEW public.m AS SELECT now() WITH NO DATA;",
            "SET search_path = public, pg_catalog;",
            "INSERT INTO public.t VALUES (1, 'x', NULL, true, DEFAULT) ON CONFLICT DO NOTHING;",
            "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (connect = false, slot_name = 's');",
            "GRANT SELECT ON TABLE public.t TO reader;",
            "ALTER TABLE public.t OWNER TO app;",
        ] {
            assert_eq!(classes(sql), Vec::<String>::new(), "{sql}");
        }
    }

    fn statement(sql: &str) -> Statement {
        let mut lx = Lexer::default();
        lx.feed(sql.as_bytes());
        Statement {
            text: sql.as_bytes().to_vec(),
            terminated: true,
            facts: lx.take_facts(),
            part: crate::sql::scanner::Part::Whole,
        }
    }

    /// What pg_dump --create (and --clean) writes about the database, and
    /// what a hostile dump could: each is a database statement, by parse
    /// tree, with the database it names; none is a hazard (restore never
    /// sends one). Look-alikes are not.
    #[test]
    fn database_statements_are_found_by_parse_tree() {
        let cases = [
            ("DROP DATABASE prod;", Some(("prod", false))),
            ("DROP DATABASE IF EXISTS \"Prod DB\";", Some(("Prod DB", false))),
            (
                "CREATE DATABASE prod WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C.UTF-8';",
                Some(("prod", true)),
            ),
            ("ALTER DATABASE prod OWNER TO app;", Some(("prod", false))),
            ("ALTER DATABASE prod SET search_path TO app, public;", Some(("prod", false))),
            ("ALTER DATABASE prod IS_TEMPLATE = true;", Some(("prod", false))),
            ("ALTER DATABASE prod RENAME TO other;", Some(("prod", false))),
            ("COMMENT ON DATABASE prod IS 'the archive';", Some(("prod", false))),
            ("SECURITY LABEL FOR selinux ON DATABASE prod IS 'x';", Some(("prod", false))),
            ("GRANT CONNECT ON DATABASE prod TO reader;", Some(("prod", false))),
            ("REVOKE ALL ON DATABASE postgres FROM PUBLIC;", Some(("postgres", false))),
            ("COMMENT ON TABLE public.database IS 'database';", None),
            ("GRANT SELECT ON TABLE public.database TO reader;", None),
            ("ALTER TABLE public.database OWNER TO app;", None),
            ("CREATE TABLE public.database (a int);", None),
        ];
        for (sql, want) in cases {
            let got = database_statement(&statement(sql), 7);
            assert_eq!(got.as_ref().map(|d| (d.database.as_str(), d.create)), want, "{sql}");
            if let Some(d) = got {
                assert_eq!(d.line, 7);
            }
            assert_eq!(classes(sql), Vec::<String>::new(), "{sql}");
        }
    }

    #[test]
    fn what_reaches_outside_is_named() {
        let cases = [
            ("COPY (SELECT 1) TO PROGRAM 'touch /tmp/x';", "copy-program"),
            ("COPY public.t FROM PROGRAM 'curl evil';", "copy-program"),
            ("COPY public.t TO '/tmp/out';", "copy-file"),
            ("COPY public.t FROM '/etc/passwd';", "copy-file"),
            ("ALTER SYSTEM SET archive_command = 'x';", "alter-system"),
            ("CREATE ROLE evil SUPERUSER LOGIN;", "role"),
            ("ALTER ROLE app SUPERUSER;", "role"),
            ("ALTER USER app WITH PASSWORD 'x';", "role"),
            ("GRANT pg_execute_server_program TO app;", "role"),
            ("DROP ROLE app;", "role"),
            ("SET ROLE postgres;", "set-role"),
            ("SET SESSION AUTHORIZATION postgres;", "set-role"),
            ("RESET ROLE;", "set-role"),
            ("CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS $$ return 1 $$;", "untrusted-function"),
            ("CREATE FUNCTION f() RETURNS int LANGUAGE c AS '/tmp/evil.so', 'f';", "untrusted-function"),
            ("LOAD '/tmp/evil.so';", "load"),
            ("CREATE TABLESPACE t LOCATION '/tmp';", "tablespace"),
            ("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;", "subscription"),
            ("SELECT pg_read_file('/etc/passwd');", "function-call"),
            ("SELECT lo_export(16385, '/tmp/x');", "function-call"),
            ("SELECT pg_catalog.lo_export(16385, '/tmp/x');", "function-call"),
            ("SELECT pg_catalog.set_config('role', 'postgres', false);", "function-call"),
            ("SELECT setval('s', 1);", "function-call"),
            ("SELECT * FROM dblink('host=x', 'select 1') AS t(a int);", "function-call"),
            ("DO $$ BEGIN PERFORM 1; END $$;", "function-call"),
            ("CALL p();", "function-call"),
            ("INSERT INTO public.t VALUES (pg_read_file('/etc/passwd'));", "function-call"),
            ("INSERT INTO public.t SELECT pg_ls_dir('/');", "function-call"),
            ("UPDATE public.t SET a = pg_read_file('/etc/passwd');", "function-call"),
            ("CREATE TABLE x AS SELECT pg_read_file('/etc/passwd');", "function-call"),
            ("WITH x AS (SELECT pg_sleep(1)) SELECT 1;", "function-call"),
        ];
        for (sql, class) in cases {
            assert_eq!(classes(sql), vec![class.to_string()], "{sql}");
        }
    }
}
