//! The restore filter: the dump on its way to psql, with only what the plan
//! says dropped or rewritten. Everything else passes byte for byte; COPY data
//! streams through without being held.
//!
//! Decisions come from PostgreSQL's parser (pg_query), never from patterns
//! over text: a statement is parsed only when a rule could apply to it, and a
//! schema rewrite ([`super::rewrite`]) edits the statement's own bytes where
//! the parse tree says a moved extension's member is named.

use std::io::{BufRead, Write};
use std::sync::Arc;

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ObjectType};

use super::plan::FilterRules;
use crate::error::{Error, ErrorKind, Result};
use crate::progress::Progress;
use crate::sql::{HazardError, ItemKind, MetaCommand, Part, Scanner, Statement, TocEntry};

/// Where the filtered stream's lines came from, for mapping psql's
/// `psql:<stdin>:LINE:` back to the object being restored. One entry per TOC
/// entry (not per statement), so it grows with the schema, not the data.
#[derive(Debug, Default)]
pub struct LineMap {
    /// (first output line, first dump line, TOC entry), ascending.
    spans: Vec<(u64, u64, Option<Arc<TocEntry>>)>,
}

impl LineMap {
    /// A map of the given spans, for tests elsewhere.
    #[cfg(test)]
    pub(crate) fn from_spans(spans: Vec<(u64, u64, Option<Arc<TocEntry>>)>) -> LineMap {
        LineMap { spans }
    }

    /// The TOC entry and dump line for an output line.
    pub fn lookup(&self, out_line: u64) -> Option<(u64, Option<Arc<TocEntry>>)> {
        let i = self.spans.partition_point(|(l, _, _)| *l <= out_line).checked_sub(1)?;
        let (start, dump_line, toc) = &self.spans[i];
        Some((dump_line + (out_line - start), toc.clone()))
    }
}

/// What the filter did.
#[derive(Debug, Default)]
pub struct FilterOutcome {
    pub dropped: u64,
    pub rewritten: u64,
    pub lines: LineMap,
}

/// What happens to one statement.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Pass,
    Drop,
    Rewrite(Vec<u8>),
}

/// Counts lines written, so errors can be mapped back.
struct LineCounter<W> {
    inner: W,
    lines: u64,
}

impl<W: Write> Write for LineCounter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Streams `dump` into `out`, applying `rules`. `data_tables` is how many
/// tables have data, for `TABLE DATA public.works (37/120)` in progress.
/// `done` is filled as the stream goes, so that when psql stops reading
/// part-way (it failed) the line map still explains where.
///
/// With `restrict_key`, the stream starts with `\restrict KEY` and never
/// lifts it: psql refuses every meta-command from there on. The scanner is
/// strict and every statement goes through the SQL guard, so a line psql
/// could read differently, or SQL that reaches outside the database, stops
/// the stream before it is sent (the belt to the plan's braces).
pub fn run<R: BufRead, W: Write>(
    dump: R,
    out: W,
    rules: &FilterRules,
    restrict_key: Option<&str>,
    data_tables: usize,
    progress: &dyn Progress,
    done: &mut FilterOutcome,
) -> Result<()> {
    let mut data_seen = 0usize;
    let mut scanner = Scanner::strict(dump);
    let mut out = LineCounter { inner: out, lines: 1 };
    let mut last_toc: Option<*const TocEntry> = None;
    let werr = |e: std::io::Error| Error::io("feeding psql", e);
    if let Some(key) = restrict_key {
        out.write_all(format!("\\restrict {key}\n").as_bytes()).map_err(werr)?;
    }
    // `restore --clean`: one line each, before the dump's first line.
    for st in &rules.clean_first {
        out.write_all(st.as_bytes()).and_then(|()| out.write_all(b"\n")).map_err(werr)?;
    }
    // COPY data follows its COPY statement, and the parts of a long
    // statement its first part: they go where it went.
    let mut skip_copy = false;
    let mut skip_parts = false;
    loop {
        if scanner.at_copy_data() {
            let copied =
                if skip_copy { scanner.copy_data_to(&mut std::io::sink()) } else { scanner.copy_data_to(&mut out) };
            copied.map_err(read_error)?;
            continue;
        }
        let Some(item) = scanner.next_item().map_err(read_error)? else { break };
        if progress.cancelled() {
            return Err(Error::operational("interrupted"));
        }
        progress.bytes(item.offset + item.len);
        let toc_ptr = item.toc.as_ref().map(Arc::as_ptr);
        // Spans start at statements: a trivia item already carries the next
        // entry's TOC comment, but psql reports errors at statements.
        if toc_ptr != last_toc && !matches!(item.kind, ItemKind::Trivia(_)) {
            last_toc = toc_ptr;
            done.lines.spans.push((out.lines, item.line, item.toc.clone()));
            if let Some(t) = &item.toc {
                if t.data {
                    data_seen += 1;
                    progress.object(&format!("{} ({data_seen}/{data_tables})", t.label()));
                } else {
                    progress.object(&t.label());
                }
            }
        }
        if let ItemKind::Statement(st) = &item.kind
            && !matches!(st.part, Part::Middle | Part::Last)
        {
            skip_copy = false;
        }
        match &item.kind {
            ItemKind::Trivia(t) => out.write_all(t).map_err(werr)?,
            ItemKind::MetaCommand(m) => {
                meta_command(m, item.line, rules)?;
                // Dropped, not sent: keep the line count so errors still map.
                done.dropped += 1;
                out.write_all(&b"\n".repeat(memchr::memchr_iter(b'\n', &m.text).count())).map_err(werr)?;
            }
            ItemKind::Statement(st) if matches!(st.part, Part::Middle | Part::Last) => {
                if !skip_parts {
                    out.write_all(&st.text).map_err(werr)?;
                }
            }
            ItemKind::Statement(st) => {
                sql_guard(st, item.line, scanner.standard_conforming_strings(), rules)?;
                skip_parts = false;
                if rules.selection.as_ref().is_some_and(|sel| !sel.keeps(item.toc.as_deref(), Some(st))) {
                    done.dropped += 1;
                    skip_copy = st.keyword() == "copy" && st.facts.from_stdin;
                    skip_parts = !st.is_whole();
                    let newlines = memchr::memchr_iter(b'\n', &st.text).count();
                    out.write_all(&b"\n".repeat(newlines)).map_err(werr)?;
                    continue;
                }
                match decide(st, rules) {
                    Decision::Pass => out.write_all(&st.text).map_err(werr)?,
                    Decision::Drop => {
                        done.dropped += 1;
                        // Keep the line count, so later errors still map.
                        let newlines = memchr::memchr_iter(b'\n', &st.text).count();
                        out.write_all(&b"\n".repeat(newlines)).map_err(werr)?;
                    }
                    Decision::Rewrite(text) => {
                        done.rewritten += 1;
                        out.write_all(&text).map_err(werr)?;
                    }
                }
            }
            ItemKind::CopyData(_) => unreachable!("COPY data is streamed above"),
        }
    }
    out.flush().map_err(werr)?;
    Ok(())
}

/// A read error, or the strict scanner's hazard as a refusal.
fn read_error(e: std::io::Error) -> Error {
    match HazardError::find(&e) {
        Some(h) => Error::new(
            ErrorKind::Refused,
            format!("line {}: {} ({}); stopped before sending it to psql", h.line, h.code.explain(), h.code),
        ),
        None if e.kind() == std::io::ErrorKind::BrokenPipe => Error::io("feeding psql", e),
        None => Error::io("reading the dump", e),
    }
}

/// A meta-command line: the dump's own `\restrict` pair and a `\connect` to
/// the target itself are dropped (pgbag runs the stream under its own
/// `\restrict`, already connected there); anything else stops the stream.
/// The plan refuses these before anything runs; this is the belt.
fn meta_command(m: &MetaCommand, line: u64, rules: &FilterRules) -> Result<()> {
    let ok = match m.command.as_str() {
        "restrict" | "unrestrict" => super::plan::restrict_key(&m.args),
        "connect" => super::plan::connect_target(&m.args)
            .is_some_and(|db| db == rules.target_database || rules.dump_database.as_ref() == Some(&db)),
        _ => false,
    };
    if ok && m.text.ends_with(b"\n") && !m.text[..m.text.len() - 1].contains(&b'\r') {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Refused,
        format!("line {line}: meta-command \\{} is not allowed; stopped before sending it", m.command),
    ))
}

/// SQL that reaches outside the database stops the stream unless
/// `--allow-sql` lets its class through.
fn sql_guard(st: &Statement, line: u64, scs: bool, rules: &FilterRules) -> Result<()> {
    for h in crate::sql::guard::check(st, line, scs) {
        if let crate::sql::HazardCode::OutsideDatabase(class) = h.code
            && !rules.allow_sql.contains(&class)
        {
            return Err(Error::new(
                ErrorKind::Refused,
                format!("line {line}: {} ({class}): {}; stopped before sending it", h.code.explain(), h.detail),
            ));
        }
    }
    Ok(())
}

/// Whether any rule could apply to a statement starting with `keyword`.
fn may_apply(st: &Statement, rules: &FilterRules) -> bool {
    let k = st.keyword();
    if k == "insert" {
        return false; // data: never filtered
    }
    if (k == "set" && rules.unknown_settings.contains(st.facts.words[1].as_str()))
        || (k == "select" && rules.drop_statistics)
    {
        return true;
    }
    let ext = !rules.skip_extensions.is_empty()
        || !rules.drop_extension_comments.is_empty()
        || !rules.keep_extensions.is_empty();
    (ext && matches!(k, "drop" | "alter"))
        || ((rules.clean_if_exists || !rules.clean_inherited_constraints.is_empty()) && matches!(k, "drop" | "alter"))
        || (rules.clean_if_exists && k == "select" && memchr::memmem::find(&st.text, b"lo_unlink").is_some())
        || ((ext || !rules.missing_roles.is_empty()) && (k == "create" || k == "comment"))
        || (rules.no_owner && k == "alter")
        || (rules.no_privileges && matches!(k, "grant" | "revoke" | "alter"))
        || rules.schema_rewrites.iter().any(|r| memchr::memmem::find(&st.text, r.from.as_bytes()).is_some())
}

/// Whether the plan's rules leave this statement out.
fn dropped(node: &NodeEnum, rules: &FilterRules) -> bool {
    let ext_rule = |name: &str, comments_too: bool| {
        rules.skip_extensions.contains(name) || (comments_too && rules.drop_extension_comments.contains(name))
    };
    match node {
        NodeEnum::CreateExtensionStmt(c) if ext_rule(&c.extname, false) => true,
        // pg_dump --clean's `DROP EXTENSION [IF EXISTS] x;` (one a statement)
        // and any ALTER EXTENSION of one the restore leaves alone: the
        // target's copy is someone else's ("must be owner of extension"), and
        // what the restore creates may depend on it.
        NodeEnum::DropStmt(d)
            if d.remove_type == ObjectType::ObjectExtension as i32
                && !d.objects.is_empty()
                && d.objects.iter().all(|o| {
                    matches!(&o.node, Some(NodeEnum::String(s))
                        if ext_rule(&s.sval, false) || rules.keep_extensions.contains(&s.sval))
                }) =>
        {
            true
        }
        NodeEnum::AlterExtensionStmt(a) if ext_rule(&a.extname, false) => true,
        NodeEnum::AlterTableStmt(a)
            if only_cmds(a, AlterTableType::AtDropConstraint)
                && a.relation.as_ref().is_some_and(|r| {
                    let table = format!("{}.{}", r.schemaname, r.relname);
                    a.cmds.iter().all(|c| {
                        matches!(&c.node, Some(NodeEnum::AlterTableCmd(c))
                            if rules.clean_inherited_constraints.contains(&(table.clone(), c.name.clone())))
                    })
                }) =>
        {
            true
        }
        NodeEnum::DropStmt(d)
            if d.remove_type == ObjectType::ObjectIndex as i32
                && !d.objects.is_empty()
                && d.objects.iter().all(|o| {
                    let Some(NodeEnum::List(l)) = &o.node else { return false };
                    let parts: Vec<&str> = l
                        .items
                        .iter()
                        .filter_map(|i| match &i.node {
                            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
                            _ => None,
                        })
                        .collect();
                    let name = match parts.as_slice() {
                        [s, n] => format!("{s}.{n}"),
                        [n] => format!(".{n}"),
                        _ => return false,
                    };
                    rules.clean_inherited_indexes.contains(&name)
                }) =>
        {
            true
        }
        NodeEnum::AlterExtensionContentsStmt(a) if ext_rule(&a.extname, false) => true,
        NodeEnum::CommentStmt(c) if c.objtype == ObjectType::ObjectExtension as i32 => {
            let name = c.object.as_ref().and_then(|o| o.node.as_ref()).and_then(|n| match n {
                NodeEnum::String(s) => Some(s.sval.clone()),
                _ => None,
            });
            name.is_some_and(|n| ext_rule(&n, true))
        }
        NodeEnum::VariableSetStmt(v) if rules.unknown_settings.contains(&v.name) => true,
        NodeEnum::SelectStmt(_) if rules.drop_statistics && restores_statistics(node) => true,
        NodeEnum::AlterOwnerStmt(_) if rules.no_owner => true,
        NodeEnum::AlterTableStmt(a) if rules.no_owner && only_cmds(a, AlterTableType::AtChangeOwner) => true,
        NodeEnum::CreatePolicyStmt(p)
            if p.roles.iter().any(
                |r| matches!(&r.node, Some(NodeEnum::RoleSpec(r)) if rules.missing_roles.contains(&r.rolename)),
            ) =>
        {
            true
        }
        NodeEnum::GrantStmt(_) | NodeEnum::GrantRoleStmt(_) | NodeEnum::AlterDefaultPrivilegesStmt(_)
            if rules.no_privileges =>
        {
            true
        }
        _ => false,
    }
}

fn decide(st: &Statement, rules: &FilterRules) -> Decision {
    // A restore writes only to its target: statements about databases
    // (pg_dump --create's own among them) never reach psql.
    if crate::sql::guard::database_statement(st, 0).is_some() {
        return Decision::Drop;
    }
    if !st.parseable() || !may_apply(st, rules) {
        return Decision::Pass;
    }
    let text = st.text_lossy();
    let Ok(parsed) = pg_query::parse(&text, 0) else {
        return Decision::Pass; // psql will report it; the summary already did
    };
    let Some(node) = parsed.protobuf.stmts.first().and_then(|s| s.stmt.as_ref()).and_then(|s| s.node.as_ref()) else {
        return Decision::Pass;
    };
    if dropped(node, rules) {
        return Decision::Drop;
    }
    let rewritten = std::str::from_utf8(&st.text)
        .ok()
        .and_then(|text| super::rewrite::schema_rewrite(text, &parsed.protobuf, &rules.schema_rewrites));
    if rules.clean_if_exists
        && let Some(text) = if_exists(node, rewritten.as_deref().unwrap_or(&st.text))
    {
        return Decision::Rewrite(text);
    }
    match rewritten {
        Some(text) => Decision::Rewrite(text),
        None => Decision::Pass,
    }
}

/// A `--clean` dump's drop in its `IF EXISTS` form (pg_dump's own
/// `--if-exists` output), when it lacks one: `DROP …`, `ALTER TABLE …` made
/// only of `DROP CONSTRAINT` and `ALTER COLUMN … DROP DEFAULT`, and
/// `SELECT pg_catalog.lo_unlink('OID')`. `text` is the statement as it will
/// be sent (after any schema rewrite); it is parsed again, changed in the
/// tree and printed by PostgreSQL's deparser, keeping its lines' count so
/// psql's line numbers still map.
fn if_exists(node: &NodeEnum, text: &[u8]) -> Option<Vec<u8>> {
    let needs = match node {
        NodeEnum::DropStmt(d) => !d.missing_ok,
        NodeEnum::AlterTableStmt(a) => {
            clean_alter_table(a)
                && (!a.missing_ok
                    || a.cmds.iter().any(|c| {
                        matches!(&c.node, Some(NodeEnum::AlterTableCmd(c))
                            if c.subtype == AlterTableType::AtDropConstraint as i32 && !c.missing_ok)
                    }))
        }
        NodeEnum::SelectStmt(_) => {
            return lo_unlink(node).map(|oid| {
                keep_lines(
                    text,
                    format!(
                        "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = {};",
                        super::quote_literal(&oid)
                    ),
                )
            });
        }
        _ => false,
    };
    if !needs {
        return None;
    }
    let parsed = pg_query::parse(std::str::from_utf8(text).ok()?, 0).ok()?;
    let mut node = parsed.protobuf.stmts.first()?.stmt.as_ref()?.node.clone()?;
    match &mut node {
        NodeEnum::DropStmt(d) => d.missing_ok = true,
        NodeEnum::AlterTableStmt(a) => {
            a.missing_ok = true;
            for c in &mut a.cmds {
                if let Some(NodeEnum::AlterTableCmd(c)) = &mut c.node
                    && c.subtype == AlterTableType::AtDropConstraint as i32
                {
                    c.missing_ok = true;
                }
            }
        }
        _ => return None,
    }
    let sql = node.deparse(Default::default()).ok()?;
    Some(keep_lines(text, format!("{sql};")))
}

/// `ALTER TABLE` as pg_dump --clean writes it: every command drops a
/// constraint or a column default.
fn clean_alter_table(a: &pg_query::protobuf::AlterTableStmt) -> bool {
    !a.cmds.is_empty()
        && a.cmds.iter().all(|c| match &c.node {
            Some(NodeEnum::AlterTableCmd(c)) => {
                c.subtype == AlterTableType::AtDropConstraint as i32
                    || (c.subtype == AlterTableType::AtColumnDefault as i32 && c.def.is_none())
            }
            _ => false,
        })
}

/// The OID literal of `SELECT pg_catalog.lo_unlink('OID')` (pg_dump --clean's
/// drop of a large object, without `FROM`), if that is the statement.
fn lo_unlink(node: &NodeEnum) -> Option<String> {
    let NodeEnum::SelectStmt(s) = node else { return None };
    if !s.from_clause.is_empty() || s.where_clause.is_some() || s.target_list.len() != 1 {
        return None;
    }
    let Some(NodeEnum::ResTarget(t)) = &s.target_list[0].node else { return None };
    let Some(NodeEnum::FuncCall(f)) = t.val.as_ref().and_then(|v| v.node.as_ref()) else { return None };
    let name: Vec<&str> = f
        .funcname
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect();
    if name != ["pg_catalog", "lo_unlink"] || f.args.len() != 1 {
        return None;
    }
    match f.args[0].node.as_ref()? {
        NodeEnum::AConst(c) => match c.val.as_ref()? {
            pg_query::protobuf::a_const::Val::Sval(s) => Some(s.sval.clone()),
            pg_query::protobuf::a_const::Val::Ival(i) => Some(i.ival.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// `sql` followed by as many newlines as `original` holds, so later lines
/// keep their numbers.
fn keep_lines(original: &[u8], sql: String) -> Vec<u8> {
    let mut out = sql.into_bytes();
    let n = memchr::memchr_iter(b'\n', original).count();
    out.extend(std::iter::repeat_n(b'\n', n));
    out
}

/// A `SELECT` that calls pg_dump 18's `pg_catalog.pg_restore_relation_stats`
/// or `pg_restore_attribute_stats` and no other function (pg_dump writes
/// `SELECT * FROM pg_catalog.pg_restore_relation_stats(…);`).
fn restores_statistics(node: &NodeEnum) -> bool {
    let NodeEnum::SelectStmt(s) = node else { return false };
    if s.where_clause.is_some() {
        return false;
    }
    let calls = crate::sql::guard::function_calls(node);
    !calls.is_empty()
        && calls.iter().all(|n| {
            matches!(
                n.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
                ["pg_catalog", "pg_restore_relation_stats" | "pg_restore_attribute_stats"]
            )
        })
}

/// Whether every command of an `ALTER TABLE` is of kind `t`.
fn only_cmds(a: &pg_query::protobuf::AlterTableStmt, t: AlterTableType) -> bool {
    !a.cmds.is_empty()
        && a.cmds.iter().all(|c| matches!(&c.node, Some(NodeEnum::AlterTableCmd(c)) if c.subtype == t as i32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::restore::plan::SchemaRewrite;

    fn filtered(sql: &str, rules: &FilterRules) -> String {
        let mut out = Vec::new();
        run_all(sql.as_bytes(), &mut out, rules).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn run_all<W: Write>(sql: &[u8], out: W, rules: &FilterRules) -> Result<FilterOutcome> {
        let mut done = FilterOutcome::default();
        run(sql, out, rules, None, 0, &crate::progress::NoProgress, &mut done)?;
        Ok(done)
    }

    fn rewrite_rules() -> FilterRules {
        FilterRules {
            skip_extensions: ["pgcrypto".to_string()].into(),
            schema_rewrites: vec![SchemaRewrite {
                extension: "pgcrypto".into(),
                from: "public".into(),
                to: "heroku_ext".into(),
                members: ["digest".to_string(), "gen_random_bytes".to_string()].into(),
            }],
            ..FilterRules::default()
        }
    }

    #[test]
    fn extension_references_move_schema_and_nothing_else_changes() {
        let sql = "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;\n\
                   COMMENT ON EXTENSION pgcrypto IS 'crypto';\n\
                   CREATE TABLE public.t (\n    id bytea DEFAULT public.gen_random_bytes(8),\n    \
                   h bytea GENERATED ALWAYS AS (public.digest(name, 'sha256'::text)) STORED,\n    name text\n);\n\
                   CREATE VIEW public.v AS SELECT public.other(1), 'public.digest(x)';\n\
                   COPY public.t (id, name) FROM stdin;\npublic.digest(\\x)\tx\n\\.\n";
        let out = filtered(sql, &rewrite_rules());
        assert!(!out.contains("CREATE EXTENSION") && !out.contains("COMMENT ON EXTENSION"), "{out}");
        assert!(out.contains("DEFAULT heroku_ext.gen_random_bytes(8)"), "{out}");
        assert!(out.contains("(heroku_ext.digest(name, 'sha256'::text))"), "{out}");
        // Not members, string literals and COPY data are left alone.
        assert!(out.contains("CREATE VIEW public.v AS SELECT public.other(1), 'public.digest(x)';"));
        assert!(out.contains("public.digest(\\x)\tx\n\\.\n"));
        // Dropped statements keep their lines, so psql's line numbers still map.
        assert_eq!(out.lines().count(), sql.lines().count());
    }

    #[test]
    fn owner_and_privilege_statements_are_dropped_on_request() {
        let sql = "ALTER TABLE public.t OWNER TO app;\nALTER FUNCTION public.f() OWNER TO app;\n\
                   GRANT SELECT ON TABLE public.t TO reader;\nREVOKE ALL ON SCHEMA public FROM PUBLIC;\n\
                   ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n";
        let rules = FilterRules { no_owner: true, no_privileges: true, ..FilterRules::default() };
        let out = filtered(sql, &rules);
        assert_eq!(out.trim(), "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);");
        assert_eq!(filtered(sql, &FilterRules::default()), sql);
    }

    #[test]
    fn comments_on_extensions_someone_else_owns_are_dropped() {
        let rules = FilterRules { drop_extension_comments: ["plpgsql".to_string()].into(), ..FilterRules::default() };
        let out = filtered("COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL';\nCOMMENT ON TABLE t IS 'x';\n", &rules);
        assert_eq!(out, "\nCOMMENT ON TABLE t IS 'x';\n");
    }

    #[test]
    fn meta_commands_other_than_pg_dumps_own_stop_the_stream() {
        let rules = FilterRules { target_database: "copy".into(), ..FilterRules::default() };
        for bad in [
            &b"\\restrict k\nSELECT 1;\n\\! touch x\n"[..],
            b"\\connect `touch x`\n",
            b"\\connect other\n",
            b"\\connect copy \\! touch x\n",
            b"\\restrict k k\n",
            b"\\connect copy\r\n",
        ] {
            let err = run_all(bad, Vec::new(), &rules).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Refused, "{}", String::from_utf8_lossy(bad));
        }
        // The dump's own pair and a \connect to the target are dropped, lines kept.
        let sql =
            "\\restrict k\n\\connect copy\n\\connect -reuse-previous=on \"dbname='copy'\"\nSELECT 1;\n\\unrestrict k\n";
        assert_eq!(filtered(sql, &rules), "\n\n\nSELECT 1;\n\n");
    }

    /// pg_dump --create --clean's own statements about its database, and
    /// any other statement about a database, never reach psql; the
    /// `\connect` to the database the dump creates is dropped like one to
    /// the target, and one to any other database still stops the stream.
    #[test]
    fn statements_about_databases_and_the_dumps_own_connect_are_left_out() {
        let rules = FilterRules {
            target_database: "prod_copy".into(),
            dump_database: Some("prod".into()),
            ..FilterRules::default()
        };
        let sql = "DROP DATABASE IF EXISTS prod;\n\
                   CREATE DATABASE prod WITH TEMPLATE = template0 ENCODING = 'UTF8';\n\
                   ALTER DATABASE prod OWNER TO app;\n\
                   \\connect prod\n\
                   ALTER DATABASE prod SET search_path TO app, public;\n\
                   COMMENT ON DATABASE prod IS 'x';\n\
                   GRANT CONNECT ON DATABASE postgres TO app;\n\
                   CREATE TABLE public.t (a integer);\n\
                   COMMENT ON TABLE public.t IS 'database';\n";
        assert_eq!(
            filtered(sql, &rules),
            "\n\n\n\n\n\n\nCREATE TABLE public.t (a integer);\nCOMMENT ON TABLE public.t IS 'database';\n"
        );
        // Even with no rules at all: a restore writes only to its target.
        assert_eq!(filtered("DROP DATABASE prod;\nSELECT 1;\n", &FilterRules::default()), "\nSELECT 1;\n");
        let err = run_all(&b"\\connect other\n"[..], Vec::new(), &rules).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused);
    }

    /// What a newer pg_dump writes and an older server rejects is left out
    /// when the plan says so (and only then).
    #[test]
    fn settings_and_statistics_an_older_server_lacks_are_left_out() {
        let sql = "SET statement_timeout = 0;\nSET transaction_timeout = 0;\n\
                   SELECT * FROM pg_catalog.pg_restore_relation_stats(\n\t'version', '180006'::integer,\n\t'schemaname', 'public',\n\t'relname', 't'\n);\n\
                   SELECT * FROM pg_catalog.pg_restore_attribute_stats('relname', 't');\n\
                   SELECT pg_catalog.setval('public.s', 1, true);\n";
        let rules = FilterRules {
            unknown_settings: ["transaction_timeout".to_string()].into(),
            drop_statistics: true,
            ..FilterRules::default()
        };
        assert_eq!(
            filtered(sql, &rules),
            "SET statement_timeout = 0;\n\n\n\n\n\n\n\nSELECT pg_catalog.setval('public.s', 1, true);\n"
        );
        assert_eq!(filtered(sql, &FilterRules::default()), sql);
    }

    #[test]
    fn every_statement_about_a_skipped_extension_is_left_out() {
        let rules = FilterRules { skip_extensions: ["pgcrypto".to_string()].into(), ..FilterRules::default() };
        let sql = "DROP EXTENSION IF EXISTS pgcrypto;\nDROP EXTENSION pgcrypto;\nDROP EXTENSION pg_trgm;\n\
                   CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;\n\
                   COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';\n\
                   ALTER EXTENSION pgcrypto UPDATE TO '1.3';\n\
                   ALTER EXTENSION pgcrypto ADD FUNCTION public.f();\n\
                   DROP TABLE public.pgcrypto;\n";
        assert_eq!(filtered(sql, &rules), "\n\nDROP EXTENSION pg_trgm;\n\n\n\n\nDROP TABLE public.pgcrypto;\n");
        assert_eq!(filtered(sql, &FilterRules::default()), sql);
    }

    /// pg_dump --clean drops a partition's inherited constraint before the
    /// parent's, which the server refuses; the plan's partitions have
    /// theirs left out, everything else passes.
    #[test]
    fn a_clean_dump_leaves_partitions_constraints_and_indexes_to_their_parents() {
        let rules = FilterRules {
            clean_inherited_constraints: [("public.m_2024".to_string(), "m_2024_pkey".to_string())].into(),
            clean_inherited_indexes: ["public.m_2024_at_idx".to_string()].into(),
            ..FilterRules::default()
        };
        let sql = "ALTER TABLE IF EXISTS ONLY public.m_2024 DROP CONSTRAINT IF EXISTS m_2024_pkey;\n\
                   ALTER TABLE ONLY public.m_2024 DROP CONSTRAINT m_2024_staff_fkey;\n\
                   ALTER TABLE ONLY public.m DROP CONSTRAINT m_pkey;\n\
                   DROP INDEX IF EXISTS public.m_2024_at_idx;\n\
                   DROP INDEX public.m_at_idx;\n\
                   ALTER TABLE public.m_2024 ADD CONSTRAINT c CHECK (true);\n\
                   DROP TABLE IF EXISTS public.m_2024;\n";
        assert_eq!(
            filtered(sql, &rules),
            "\nALTER TABLE ONLY public.m_2024 DROP CONSTRAINT m_2024_staff_fkey;\n\
             ALTER TABLE ONLY public.m DROP CONSTRAINT m_pkey;\n\nDROP INDEX public.m_at_idx;\n\
             ALTER TABLE public.m_2024 ADD CONSTRAINT c CHECK (true);\nDROP TABLE IF EXISTS public.m_2024;\n"
        );
    }

    /// pg_dump --clean's drops, in the form pg_dump --if-exists writes them,
    /// so a new or empty database (or a copy from before an object existed)
    /// skips them; statements already in that form, and anything that is not
    /// a drop, pass unchanged.
    #[test]
    fn a_clean_dumps_drops_run_as_if_exists() {
        let rules = FilterRules { clean_if_exists: true, ..FilterRules::default() };
        let sql = "ALTER TABLE app.loans DROP CONSTRAINT loans_book_fkey;\n\
                   DROP INDEX app.books_title_trgm;\n\
                   ALTER TABLE ONLY app.books DROP CONSTRAINT books_pkey;\n\
                   ALTER TABLE app.books ALTER COLUMN id DROP DEFAULT;\n\
                   DROP VIEW app.v;\nDROP FUNCTION public.h(t text);\nDROP TYPE app.mood;\n\
                   DROP EXTENSION pgcrypto;\nDROP SCHEMA app;\n\
                   DROP TRIGGER t_trg ON app.books;\n\
                   SELECT pg_catalog.lo_unlink('424242');\n\
                   DROP TABLE IF EXISTS app.done;\n\
                   ALTER TABLE app.books ALTER COLUMN id SET DEFAULT 1;\n\
                   ALTER TABLE ONLY app.books ADD CONSTRAINT books_pkey PRIMARY KEY (id);\n\
                   SELECT pg_catalog.setval('app.s', 1, true);\n";
        assert_eq!(
            filtered(sql, &rules),
            "ALTER TABLE IF EXISTS app.loans DROP CONSTRAINT IF EXISTS loans_book_fkey;\n\
             DROP INDEX IF EXISTS app.books_title_trgm;\n\
             ALTER TABLE IF EXISTS ONLY app.books DROP CONSTRAINT IF EXISTS books_pkey;\n\
             ALTER TABLE IF EXISTS app.books ALTER COLUMN id DROP DEFAULT;\n\
             DROP VIEW IF EXISTS app.v;\nDROP FUNCTION IF EXISTS public.h(t text);\nDROP TYPE IF EXISTS app.mood;\n\
             DROP EXTENSION IF EXISTS pgcrypto;\nDROP SCHEMA IF EXISTS app;\n\
             DROP TRIGGER IF EXISTS t_trg ON app.books;\n\
             SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '424242';\n\
             DROP TABLE IF EXISTS app.done;\n\
             ALTER TABLE app.books ALTER COLUMN id SET DEFAULT 1;\n\
             ALTER TABLE ONLY app.books ADD CONSTRAINT books_pkey PRIMARY KEY (id);\n\
             SELECT pg_catalog.setval('app.s', 1, true);\n"
        );
        assert_eq!(filtered(sql, &FilterRules::default()), sql);
        // With a schema rewrite as well, both apply.
        let both = FilterRules {
            clean_if_exists: true,
            schema_rewrites: vec![SchemaRewrite {
                extension: "citext".into(),
                from: "public".into(),
                to: "heroku_ext".into(),
                members: ["citext".to_string()].into(),
            }],
            ..FilterRules::default()
        };
        assert_eq!(
            filtered("DROP FUNCTION public.f(public.citext);\n", &both),
            "DROP FUNCTION IF EXISTS public.f(heroku_ext.citext);\n"
        );
    }

    #[test]
    fn the_stream_runs_under_pgbags_own_restrict() {
        let mut out = Vec::new();
        let mut done = FilterOutcome::default();
        let rules = FilterRules::default();
        run(&b"SELECT 1;\n"[..], &mut out, &rules, Some("KEY1"), 0, &crate::progress::NoProgress, &mut done).unwrap();
        assert_eq!(out, b"\\restrict KEY1\nSELECT 1;\n");
    }

    #[test]
    fn hazards_and_outside_sql_stop_the_stream() {
        let rules = FilterRules::default();
        let err = run_all(&b"SELECT 1; -- x\r\\! touch m\n"[..], Vec::new(), &rules).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused);
        let mut out = Vec::new();
        let err = run_all(&b"SELECT 1;\nCOPY (SELECT 1) TO PROGRAM 'touch m';\n"[..], &mut out, &rules).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused);
        assert!(!String::from_utf8_lossy(&out).contains("PROGRAM"), "sent before stopping");
        let allow = FilterRules { allow_sql: [crate::sql::SqlClass::CopyProgram].into(), ..FilterRules::default() };
        assert!(run_all(&b"COPY (SELECT 1) TO PROGRAM 'true';\n"[..], Vec::new(), &allow).is_ok());
    }

    #[test]
    fn line_map_points_back_at_the_toc_entry() {
        let sql = "--\n-- Name: t; Type: TABLE; Schema: public; Owner: a\n--\n\nCREATE TABLE t (a int);\n\n--\n-- Name: i; Type: INDEX; Schema: public; Owner: a\n--\n\nCREATE INDEX i ON t (a);\n";
        let done = run_all(sql.as_bytes(), Vec::new(), &FilterRules::default()).unwrap();
        let (line, toc) = done.lines.lookup(11).unwrap();
        assert_eq!((line, toc.unwrap().to_string()), (11, "INDEX public.i".to_string()));
        let (_, toc) = done.lines.lookup(5).unwrap();
        assert_eq!(toc.unwrap().to_string(), "TABLE public.t");
    }
}
