//! `--extension-schema`: a statement's references `from.member` to an
//! extension the target has in another schema become `to.member`, edited in
//! the statement's own bytes (everything else stays byte for byte).
//!
//! What is a reference comes from PostgreSQL's parser, never from patterns
//! over text. Function calls, type names (casts among them) and operators are
//! edited at the locations the parse tree gives. Operator classes (of index
//! columns, partition keys, exclusion constraints) and families with their
//! operators and functions, the operators of exclusion constraints and
//! trigger functions have no location in the tree: they are found among the
//! statement's tokens (pg_query's scanner, so never inside a string literal
//! or a comment). The string body of a `LANGUAGE sql` function is parsed and
//! edited the same way, then put back into its literal; a `BEGIN ATOMIC`
//! body is part of the statement's own tree. Bodies in other languages are never edited (the plan lists the
//! ones that name a moved member).
//!
//! Invariant: a rewrite is sent only when it parses to the tree expected, the
//! original with exactly those names moved (locations aside). Otherwise the
//! statement passes unchanged and psql reports it: a guess is never sent.

use std::collections::BTreeSet;

use pg_query::protobuf::{ParseResult, ScanToken, Token};
use serde_json::Value;

use super::plan::SchemaRewrite;
use crate::schema::quote_ident;

/// (start, length, replacement) in a statement's bytes.
type Edits = BTreeSet<(usize, usize, String)>;

/// The statement `text` (parsed as `tree`) with its references moved, if it
/// has any and the result parses as it should.
pub(super) fn schema_rewrite(text: &str, tree: &ParseResult, rewrites: &[SchemaRewrite]) -> Option<Vec<u8>> {
    if rewrites.is_empty() {
        return None;
    }
    let mut expected = serde_json::to_value(tree).ok()?;
    let edits = edits(text, &mut expected, rewrites);
    if edits.is_empty() {
        return None;
    }
    let out = apply(text, &edits)?;
    parses_as(&out, expected).then(|| out.into_bytes())
}

/// The edits that move `text`'s references; `tree` (its parse tree) is
/// changed into the tree the edited text must parse to.
fn edits(text: &str, tree: &mut Value, rewrites: &[SchemaRewrite]) -> Edits {
    let mut walk = Walk { text, rewrites, edits: Edits::new(), unlocated: BTreeSet::new(), tokens: None };
    walk.visit(tree);
    if !walk.unlocated.is_empty() {
        walk.token_edits();
    }
    walk.edits
}

struct Walk<'a> {
    text: &'a str,
    rewrites: &'a [SchemaRewrite],
    edits: Edits,
    /// References the tree gives without a location: (rewrite, member),
    /// looked for among the tokens.
    unlocated: BTreeSet<(usize, String)>,
    /// The statement's tokens, scanned when first needed.
    tokens: Option<Vec<ScanToken>>,
}

impl Walk<'_> {
    fn visit(&mut self, v: &mut Value) {
        match v {
            Value::Object(o) => {
                let location = o.get("location").and_then(Value::as_i64).and_then(|l| usize::try_from(l).ok());
                // Function calls, type names, operators: located.
                let key = if o.contains_key("funcname") && location.is_some() {
                    Some("funcname")
                } else if o.contains_key("names") && o.contains_key("typmods") {
                    Some("names")
                } else if o.contains_key("name") && o.contains_key("lexpr") && o.contains_key("rexpr") {
                    Some("name")
                } else {
                    None
                };
                if let (Some(key), Some(loc)) = (key, location) {
                    let operator = key == "name";
                    if let Some(q) = o.get_mut(key) {
                        self.located(q, loc, operator);
                    }
                }
                // Operator classes (IndexElem, PartitionElem), operator
                // families (CREATE OPERATOR CLASS … FAMILY, ALTER OPERATOR
                // FAMILY) and trigger functions (CreateTrigStmt): no
                // location of their own.
                for key in ["opclass", "opfamilyname"] {
                    if let Some(q) = o.get_mut(key) {
                        self.unlocated(q);
                    }
                }
                if o.contains_key("trigname")
                    && let Some(q) = o.get_mut("funcname")
                {
                    self.unlocated(q);
                }
                // An operator class's (or family's) operator or function.
                if o.contains_key("itemtype")
                    && let Some(q) = o.get_mut("name").and_then(|n| n.get_mut("objname"))
                {
                    self.unlocated(q);
                }
                // An exclusion constraint: (IndexElem, operator name) pairs.
                if let Some(Value::Array(pairs)) = o.get_mut("exclusions") {
                    for pair in pairs {
                        if let Some(op) = pair.pointer_mut("/node/List/items/1/node/List/items") {
                            self.unlocated(op);
                        }
                    }
                }
                if o.contains_key("sql_body") && o.contains_key("options") {
                    self.sql_body(o);
                }
                for child in o.values_mut() {
                    self.visit(child);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|c| self.visit(c)),
            _ => {}
        }
    }

    /// The rewrite a qualified name `q` (a list of String nodes) falls
    /// under, with its member, if any.
    fn rewrite_of(&self, q: &Value) -> Option<(usize, String)> {
        let [schema, member] = names(q).try_into().ok()?;
        let i = self.rewrites.iter().position(|r| r.from == schema && r.members.contains(&member))?;
        Some((i, member))
    }

    /// A reference at `loc` (an operator's is its `OPERATOR(` keyword).
    fn located(&mut self, q: &mut Value, loc: usize, operator: bool) {
        let Some((i, member)) = self.rewrite_of(q) else { return };
        let text = self.text.as_bytes();
        let at = if operator {
            text.get(loc..).and_then(|t| t.iter().position(|&b| b == b'(')).map(|p| {
                let p = loc + p + 1;
                p + text[p..].iter().take_while(|b| b.is_ascii_whitespace()).count()
            })
        } else {
            Some(loc)
        };
        let r = &self.rewrites[i];
        match at.and_then(|at| schema_token_at(text, at, &r.from).map(|len| (at, len))) {
            Some((at, len)) => {
                self.edits.insert((at, len, quote_ident(&r.to)));
            }
            // Located elsewhere than at the schema: among the tokens, then.
            None => {
                self.unlocated.insert((i, member));
            }
        }
        move_schema(q, &r.to);
    }

    fn unlocated(&mut self, q: &mut Value) {
        if let Some((i, member)) = self.rewrite_of(q) {
            move_schema(q, &self.rewrites[i].to);
            self.unlocated.insert((i, member));
        }
    }

    fn tokens(&mut self) -> &[ScanToken] {
        let text = self.text;
        self.tokens.get_or_insert_with(|| pg_query::scan_tokens(text).unwrap_or_default())
    }

    /// Every `from . member` among the tokens, for the unlocated references
    /// (one that is something else, a column say, fails the parse check).
    fn token_edits(&mut self) {
        let text = self.text;
        let tokens = self.tokens().to_vec();
        let token = |t: &ScanToken| text.get(t.start as usize..t.end as usize).unwrap_or("");
        let dot = Token::Ascii46 as i32;
        for (k, w) in tokens.windows(3).enumerate() {
            if w[1].token != dot || (k > 0 && tokens[k - 1].token == dot) {
                continue;
            }
            let (schema, member) = (identifier(token(&w[0])), token(&w[2]));
            for (i, m) in &self.unlocated {
                let r = &self.rewrites[*i];
                if schema.as_deref() == Some(r.from.as_str())
                    && (identifier(member).as_deref() == Some(m.as_str()) || member == m)
                {
                    let start = w[0].start as usize;
                    self.edits.insert((start, w[0].end as usize - start, quote_ident(&r.to)));
                }
            }
        }
    }

    /// A `LANGUAGE sql` function's string body: parsed, edited like a
    /// statement, checked, and put back into its literal.
    fn sql_body(&mut self, f: &mut serde_json::Map<String, Value>) {
        if !f.get("sql_body").is_some_and(Value::is_null) {
            return; // BEGIN ATOMIC: already in the tree
        }
        let Some(Value::Array(options)) = f.get_mut("options") else { return };
        let option = |o: &Value, name: &str| o.pointer("/node/DefElem/defname").and_then(Value::as_str) == Some(name);
        let sql = options.iter().any(|o| {
            option(o, "language")
                && o.pointer("/node/DefElem/arg/node/String/sval")
                    .and_then(Value::as_str)
                    .is_some_and(|l| l.eq_ignore_ascii_case("sql"))
        });
        let Some(def) = options.iter_mut().find(|o| option(o, "as")).filter(|_| sql) else { return };
        let Some(loc) = def.pointer("/node/DefElem/location").and_then(Value::as_u64) else { return };
        let Some(Value::Array(items)) = def.pointer_mut("/node/DefElem/arg/node/List/items") else { return };
        let [item] = items.as_mut_slice() else { return };
        let Some(Value::String(body)) = item.pointer_mut("/node/String/sval") else { return };
        let Some((new_body, body_edits)) = rewritten_body(body, self.rewrites) else { return };
        let text = self.text;
        let Some(lit) = self
            .tokens()
            .iter()
            .find(|t| t.start as u64 > loc && matches!(Token::try_from(t.token), Ok(Token::Sconst | Token::Usconst)))
            .map(|t| (t.start as usize, t.end as usize))
        else {
            return;
        };
        let Some(edits) = literal_edits(text, lit, body, &new_body, &body_edits) else { return };
        self.edits.extend(edits);
        *body = new_body;
    }
}

/// A SQL function body with its references moved, and the edits that moved
/// them, if any are and it parses as it should.
fn rewritten_body(body: &str, rewrites: &[SchemaRewrite]) -> Option<(String, Edits)> {
    let tree = pg_query::parse(body, 0).ok()?;
    let mut expected = serde_json::to_value(&tree.protobuf).ok()?;
    let edits = edits(body, &mut expected, rewrites);
    if edits.is_empty() {
        return None;
    }
    let out = apply(body, &edits)?;
    parses_as(&out, expected).then_some((out, edits))
}

/// The edits that turn the literal at `start..end` (whose value is `body`)
/// into one whose value is `new_body` (`body` with `edits`): `edits` in
/// place in a dollar-quoted literal (offsets shifted by the tag) or a
/// standard `'…'` one (offsets shifted by the doubled quotes, quotes in
/// replacements doubled); any other form (`E'…'`), or a dollar tag the new
/// body holds, is quoted anew as a whole.
fn literal_edits(text: &str, (start, end): (usize, usize), body: &str, new_body: &str, edits: &Edits) -> Option<Edits> {
    let lit = text.get(start..end)?;
    let in_place = |map: &dyn Fn(usize) -> usize, quote: &dyn Fn(&str) -> String| -> Option<Edits> {
        Some(edits.iter().map(|(s, len, to)| (start + map(*s), map(s + len) - map(*s), quote(to))).collect())
    };
    if let Some(tag) = lit.strip_prefix('$').and_then(|t| t.find('$')).map(|i| &lit[..i + 2])
        && lit.len() >= 2 * tag.len()
        && lit.ends_with(tag)
        && &lit[tag.len()..lit.len() - tag.len()] == body
        && ends_at_tag(new_body, tag)
    {
        return in_place(&|b: usize| tag.len() + b, &|s: &str| s.to_string());
    }
    if lit.len() >= 2
        && lit.starts_with('\'')
        && lit.ends_with('\'')
        && lit[1..lit.len() - 1].replace("''", "'") == body
    {
        // Body offset b is at 1 + b + (quotes before b) in the literal.
        let quotes: Vec<usize> = body.match_indices('\'').map(|(i, _)| i).collect();
        let map = |b: usize| 1 + b + quotes.partition_point(|&q| q < b);
        return in_place(&map, &|s: &str| s.replace('\'', "''"));
    }
    let tag = (0..)
        .map(|n: u32| if n == 0 { "$pgbag$".to_string() } else { format!("$pgbag{n}$") })
        .find(|t| ends_at_tag(new_body, t))?;
    Some([(start, end - start, format!("{tag}{new_body}{tag}"))].into())
}

/// Whether `body` quoted with `tag` ends where it should: the first `tag`
/// after the opening one is the closing one.
fn ends_at_tag(body: &str, tag: &str) -> bool {
    format!("{body}{tag}").find(tag) == Some(body.len())
}

/// Applies non-overlapping edits.
fn apply(text: &str, edits: &Edits) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut at = 0;
    for (start, len, to) in edits {
        out.push_str(text.get(at..*start)?);
        out.push_str(to);
        at = start + len;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Whether `text` parses to `expected`, locations aside (`location`,
/// `arg_location`, `stmt_len` and the like).
fn parses_as(text: &str, mut expected: Value) -> bool {
    let Ok(parsed) = pg_query::parse(text, 0) else { return false };
    let Ok(mut got) = serde_json::to_value(&parsed.protobuf) else { return false };
    strip_locations(&mut got);
    strip_locations(&mut expected);
    got == expected
}

fn strip_locations(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|k, _| k != "location" && !k.ends_with("_location") && k != "stmt_len");
            o.values_mut().for_each(strip_locations);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_locations),
        _ => {}
    }
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.pointer("/node/String/sval").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `[schema, member]` becomes `[to, member]` in the expected tree.
fn move_schema(q: &mut Value, to: &str) {
    if let Some(Value::String(s)) = q.pointer_mut("/0/node/String/sval") {
        *s = to.to_string();
    }
}

/// The length of the schema identifier at `at`, as it may be written (bare,
/// in any case, or double-quoted), when a `.` follows it.
fn schema_token_at(text: &[u8], at: usize, schema: &str) -> Option<usize> {
    let rest = text.get(at..)?;
    let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
    let len = if rest.starts_with(quoted.as_bytes()) {
        quoted.len()
    } else if rest.len() >= schema.len() && rest[..schema.len()].eq_ignore_ascii_case(schema.as_bytes()) {
        schema.len()
    } else {
        return None;
    };
    let after = &rest[len..];
    let dot = after.iter().position(|b| !b.is_ascii_whitespace())?;
    (after[dot] == b'.').then_some(len)
}

/// The name an identifier token stands for: a quoted one unquoted, a bare
/// one folded to lower case as PostgreSQL folds it; `None` for anything else.
fn identifier(token: &str) -> Option<String> {
    if let Some(inner) = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Some(inner.replace("\"\"", "\""));
    }
    let first = token.chars().next()?;
    (first.is_alphabetic() || first == '_').then(|| token.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(to: &str, extension: &str, members: &[&str]) -> SchemaRewrite {
        SchemaRewrite {
            extension: extension.into(),
            from: "public".into(),
            to: to.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn heroku() -> Vec<SchemaRewrite> {
        vec![
            rewrite("heroku_ext", "pgcrypto", &["digest", "gen_random_bytes"]),
            rewrite("heroku_ext", "pg_trgm", &["gin_trgm_ops", "gist_trgm_ops", "%", "similarity"]),
            rewrite("heroku_ext", "citext", &["citext", "citext_ops"]),
            rewrite("heroku_ext", "moddatetime", &["moddatetime"]),
        ]
    }

    /// The statement as the filter sends it.
    fn sent(sql: &str, rewrites: &[SchemaRewrite]) -> String {
        let tree = pg_query::parse(sql, 0).unwrap().protobuf;
        match schema_rewrite(sql, &tree, rewrites) {
            Some(out) => String::from_utf8(out).unwrap(),
            None => sql.to_string(),
        }
    }

    /// Issue 12, failure 6: "operator class public.gin_trgm_ops does not
    /// exist". pg_dump writes the operator class qualified, with no location
    /// in the parse tree.
    #[test]
    fn operator_classes_of_index_columns_move() {
        let h = heroku();
        assert_eq!(
            sent("CREATE INDEX works_title_trgm ON public.works USING gin (title public.gin_trgm_ops);", &h),
            "CREATE INDEX works_title_trgm ON public.works USING gin (title heroku_ext.gin_trgm_ops);"
        );
        // An expression column, operator class options, a quoted schema.
        assert_eq!(
            sent(
                "CREATE INDEX w ON public.works USING gist (lower(title) \"public\".gist_trgm_ops (siglen='32'), title public.gist_trgm_ops);",
                &h
            ),
            "CREATE INDEX w ON public.works USING gist (lower(title) heroku_ext.gist_trgm_ops (siglen='32'), title heroku_ext.gist_trgm_ops);"
        );
        // String literals and comments keep what they say; other operator
        // classes are left alone.
        let sql = "CREATE INDEX w ON public.works USING gin (title public.gin_trgm_ops, tags public.other_ops) /* public.gin_trgm_ops */ \
                   WHERE (note <> 'public.gin_trgm_ops'::text);";
        assert_eq!(
            sent(sql, &h),
            "CREATE INDEX w ON public.works USING gin (title heroku_ext.gin_trgm_ops, tags public.other_ops) /* public.gin_trgm_ops */ \
             WHERE (note <> 'public.gin_trgm_ops'::text);"
        );
        // pgvector's, to a schema that needs quoting.
        let vector = [rewrite("Ext", "vector", &["halfvec_cosine_ops", "halfvec"])];
        assert_eq!(
            sent(
                "CREATE INDEX e ON public.items USING hnsw (((embedding)::public.halfvec(3)) public.halfvec_cosine_ops);",
                &vector
            ),
            "CREATE INDEX e ON public.items USING hnsw (((embedding)::\"Ext\".halfvec(3)) \"Ext\".halfvec_cosine_ops);"
        );
    }

    #[test]
    fn exclusion_constraints_partition_keys_and_triggers_move() {
        let h = heroku();
        assert_eq!(
            sent(
                "ALTER TABLE ONLY public.rooms\n    ADD CONSTRAINT no_overlap EXCLUDE USING gist (title public.gist_trgm_ops WITH OPERATOR(public.%));",
                &h
            ),
            "ALTER TABLE ONLY public.rooms\n    ADD CONSTRAINT no_overlap EXCLUDE USING gist (title heroku_ext.gist_trgm_ops WITH OPERATOR(heroku_ext.%));"
        );
        assert_eq!(
            sent("CREATE TABLE public.p (\n    c public.citext\n)\nPARTITION BY LIST (c public.citext_ops);", &h),
            "CREATE TABLE public.p (\n    c heroku_ext.citext\n)\nPARTITION BY LIST (c heroku_ext.citext_ops);"
        );
        assert_eq!(
            sent(
                "CREATE TRIGGER t BEFORE UPDATE ON public.w FOR EACH ROW EXECUTE FUNCTION public.moddatetime('updated_at');",
                &h
            ),
            "CREATE TRIGGER t BEFORE UPDATE ON public.w FOR EACH ROW EXECUTE FUNCTION heroku_ext.moddatetime('updated_at');"
        );
        assert_eq!(
            sent(
                "ALTER OPERATOR FAMILY public.gist_trgm_ops USING gist ADD FUNCTION 8 (text, text) public.similarity(text, text);",
                &h
            ),
            "ALTER OPERATOR FAMILY heroku_ext.gist_trgm_ops USING gist ADD FUNCTION 8 (text, text) heroku_ext.similarity(text, text);"
        );
        assert_eq!(
            sent(
                "CREATE OPERATOR CLASS public.c_ops FOR TYPE public.citext USING gist FAMILY public.gist_trgm_ops AS\n    OPERATOR 1 public.%(text,text);",
                &h
            ),
            "CREATE OPERATOR CLASS public.c_ops FOR TYPE heroku_ext.citext USING gist FAMILY heroku_ext.gist_trgm_ops AS\n    OPERATOR 1 heroku_ext.%(text,text);"
        );
    }

    #[test]
    fn casts_and_type_names_move() {
        let h = heroku();
        assert_eq!(
            sent(
                "CREATE VIEW public.v AS\n SELECT (name)::public.citext AS n, CAST(name AS public.citext[]) AS a, public.similarity(name, 'x'::text) AS s\n   FROM public.t\n  WHERE (name OPERATOR(public.%) 'y'::text);",
                &h
            ),
            "CREATE VIEW public.v AS\n SELECT (name)::heroku_ext.citext AS n, CAST(name AS heroku_ext.citext[]) AS a, heroku_ext.similarity(name, 'x'::text) AS s\n   FROM public.t\n  WHERE (name OPERATOR(heroku_ext.%) 'y'::text);"
        );
        // A function's argument and return types.
        assert_eq!(
            sent(
                "CREATE FUNCTION public.names(a public.citext) RETURNS SETOF public.citext\n    LANGUAGE plpgsql\n    AS $$ BEGIN END $$;",
                &h
            ),
            "CREATE FUNCTION public.names(a heroku_ext.citext) RETURNS SETOF heroku_ext.citext\n    LANGUAGE plpgsql\n    AS $$ BEGIN END $$;"
        );
    }

    /// Issue 12, failure 6: a SQL function's string body was restored as it
    /// was and failed at its first call.
    #[test]
    fn sql_function_bodies_move_in_every_quoting() {
        let h = heroku();
        assert_eq!(
            sent(
                "CREATE FUNCTION public.fingerprint(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE\n    AS $$ SELECT encode(public.digest(t, 'sha256'), 'hex') $$;",
                &h
            ),
            "CREATE FUNCTION public.fingerprint(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE\n    AS $$ SELECT encode(heroku_ext.digest(t, 'sha256'), 'hex') $$;"
        );
        // Several statements, pg_dump's $_$ tag, a string and a comment
        // naming the function left alone.
        assert_eq!(
            sent(
                "CREATE FUNCTION public.f(t text) RETURNS bytea\n    LANGUAGE sql\n    AS $_$ SELECT 'public.digest($1)'; -- public.digest\n SELECT public.digest($1, 'md5') $_$;",
                &h
            ),
            "CREATE FUNCTION public.f(t text) RETURNS bytea\n    LANGUAGE sql\n    AS $_$ SELECT 'public.digest($1)'; -- public.digest\n SELECT heroku_ext.digest($1, 'md5') $_$;"
        );
        // A standard string: offsets shift by the doubled quotes.
        assert_eq!(
            sent(
                "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS 'SELECT public.digest(t, ''sha256'') || public.gen_random_bytes(1)';",
                &h
            ),
            "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS 'SELECT heroku_ext.digest(t, ''sha256'') || heroku_ext.gen_random_bytes(1)';"
        );
        // A schema whose name needs quotes, in a standard string.
        let quoted = [rewrite("it's", "pgcrypto", &["digest"])];
        assert_eq!(
            sent(
                "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS 'SELECT public.digest(t, ''md5'')';",
                &quoted
            ),
            "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS 'SELECT \"it''s\".digest(t, ''md5'')';"
        );
        // An escape string is quoted anew.
        assert_eq!(
            sent(
                "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS E'SELECT public.digest(t, \\'md5\\')';",
                &h
            ),
            "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS $pgbag$SELECT heroku_ext.digest(t, 'md5')$pgbag$;"
        );
        // So is a dollar-quoted body the new schema's name would end.
        let dollar = [rewrite("a$_$b", "pgcrypto", &["digest"])];
        assert_eq!(
            sent(
                "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS $_$SELECT public.digest(t, 'md5')$_$;",
                &dollar
            ),
            "CREATE FUNCTION public.f(t text) RETURNS bytea LANGUAGE sql AS $pgbag$SELECT a$_$b.digest(t, 'md5')$pgbag$;"
        );
    }

    #[test]
    fn begin_atomic_bodies_move_and_other_languages_do_not() {
        let h = heroku();
        assert_eq!(
            sent(
                "CREATE FUNCTION public.fp(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE\n    BEGIN ATOMIC\n SELECT encode(public.digest(fp.t, 'sha256'::text), 'hex'::text) AS encode;\nEND;",
                &h
            ),
            "CREATE FUNCTION public.fp(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE\n    BEGIN ATOMIC\n SELECT encode(heroku_ext.digest(fp.t, 'sha256'::text), 'hex'::text) AS encode;\nEND;"
        );
        let plpgsql = "CREATE FUNCTION public.f(t text) RETURNS bytea\n    LANGUAGE plpgsql\n    AS $$ BEGIN RETURN public.digest(t, 'md5'); END $$;";
        assert_eq!(sent(plpgsql, &h), plpgsql);
    }

    /// What is not what the tree says (here a column `gin_trgm_ops` of a
    /// table `public`, beside the operator class) is never guessed at: the
    /// statement passes unchanged.
    #[test]
    fn a_rewrite_that_would_not_parse_as_expected_is_not_sent() {
        let sql = "CREATE INDEX i ON public.public USING gin ((public.gin_trgm_ops) public.gin_trgm_ops);";
        let tree = pg_query::parse(sql, 0).unwrap().protobuf;
        assert_eq!(schema_rewrite(sql, &tree, &heroku()), None);
    }
}
