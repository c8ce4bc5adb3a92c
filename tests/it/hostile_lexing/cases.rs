//! The hostile cases of issue 11 and their look-alikes, as data.
//!
//! Each hostile body sits in an otherwise valid, complete dump
//! (`super::dump`). Each makes psql 15.18 run something outside the database
//! when fed by hand (`psql -X -f`), because psql splits the input differently
//! from what a byte-wise reading suggests, or because the SQL itself reaches
//! outside. Placeholders, replaced per case: `MARKER` (an absolute path in a
//! world-writable directory; `MARKER.src` exists and holds one COPY row,
//! `MARKER.d` is an empty directory the server owns), `PWNED` (a name unique
//! to the case), `OTHERDB` (another database on the cluster), `TCPPORT` (a
//! listener on 127.0.0.2 that counts connections), `TARGETDB` (look-alikes:
//! the database being restored into).
//!
//! Most bodies end a string early for psql and late for a byte-wise reader:
//! `\! touch MARKER #'` then runs in psql, the `#` keeping the shell away from
//! the stray quote.

use super::Probe::{self, *};

/// One hostile form.
pub struct Case {
    pub name: &'static str,
    pub body: &'static [u8],
    /// What the refusal must name on stderr: the finding code, or the SQL
    /// guard's class, or the meta-command.
    pub says: &'static str,
    /// The `validate` finding (severity warning) the dump must get, if any.
    pub finding: Option<&'static str>,
    pub probe: Probe,
}

const fn scan(name: &'static str, code: &'static str, body: &'static [u8]) -> Case {
    Case { name, body, says: code, finding: Some(code), probe: File }
}

const fn sql(name: &'static str, class: &'static str, body: &'static [u8], probe: Probe) -> Case {
    Case { name, body, says: class, finding: None, probe }
}

const OTHER_TABLE: Probe = Query {
    db: "hl_other",
    query: "SELECT count(*) FROM pg_class WHERE relname = 'PWNED'",
    undo: "DROP TABLE IF EXISTS public.PWNED",
};

/// Splitting hazards: the scanner must refuse each (restore exit 3, validate
/// a warning with this code).
pub const SPLITTING: &[Case] = &[
    // psql's input reader keeps a line only up to a NUL (fgets + strlen), and
    // the newline after it is lost: psql reads `SELECT 'a' \! touch MARKER`.
    scan("a NUL byte before a newline", "sql-nul-byte", b"SELECT 'a' \x00 '\n\\! touch MARKER\n';\n"),
    scan("a NUL byte before a block comment", "sql-nul-byte", b"SELECT 1; \x00 /*\n\\! touch MARKER\n*/;\n"),
    // psqlscan.l: `--` comments are `--[^\n\r]*`, so CR ends them.
    scan("a -- comment ended by CR", "sql-carriage-return", b"SELECT 1; -- x\r\\! touch MARKER\n"),
    scan("a -- comment ended by CR mid-statement", "sql-carriage-return", b"SELECT 1 -- x\r\\! touch MARKER\n;\n"),
    scan(
        "a -- comment ended by CR inside a function's parentheses",
        "sql-carriage-return",
        b"CREATE FUNCTION public.cr(a integer -- x\r\\! touch MARKER\n) RETURNS integer LANGUAGE sql AS 'SELECT 1';\n",
    ),
    // No control runs here (psql 15 and pgbag end COPY data alike), but a CR
    // in COPY data is where the server's newline detection and psql part.
    Case {
        name: "CR in COPY data",
        body: b"COPY public.t (a, b) FROM stdin;\n1\t2\r\n\\.\r\n",
        says: "sql-carriage-return",
        finding: Some("sql-carriage-return"),
        probe: Unobservable,
    },
    // The server reports standard_conforming_strings to psql after every
    // statement however it changed; psql then lexes '...' accordingly.
    scan(
        "scs off via set_config()",
        "sql-setting-changed",
        b"SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false);\nSELECT 'a\\'' \\! touch MARKER #';\n",
    ),
    scan("scs off via SET ... TO", "sql-setting-changed", b"SET standard_conforming_strings TO off;\nSELECT 'a\\'' \\! touch MARKER #';\n"),
    scan("scs off via SET SESSION", "sql-setting-changed", b"SET SESSION standard_conforming_strings = off;\nSELECT 'a\\'' \\! touch MARKER #';\n"),
    scan(
        "scs off via a quoted name",
        "sql-setting-changed",
        b"SET \"standard_conforming_strings\" = off;\nSELECT 'a\\'' \\! touch MARKER #';\n",
    ),
    scan(
        "scs off via SET LOCAL",
        "sql-setting-changed",
        b"BEGIN;\nSET LOCAL standard_conforming_strings = off;\nSELECT 'a\\'' \\! touch MARKER #';\nCOMMIT;\n",
    ),
    scan(
        "scs back on via RESET ALL",
        "sql-setting-changed",
        b"SET standard_conforming_strings = off;\nRESET ALL;\nSELECT 'a\\' \\! touch MARKER #';\n",
    ),
    scan(
        "scs back on via RESET",
        "sql-setting-changed",
        b"SET standard_conforming_strings = off;\nRESET standard_conforming_strings;\nSELECT 'a\\' \\! touch MARKER #';\n",
    ),
    scan(
        "scs back on via DISCARD ALL",
        "sql-setting-changed",
        b"SET standard_conforming_strings = off;\nDISCARD ALL;\nSELECT 'a\\' \\! touch MARKER #';\n",
    ),
    // pg_dump's own SET line, undone by ROLLBACK: only the ambiguous string
    // itself gives it away.
    scan(
        "scs back on via ROLLBACK",
        "sql-ambiguous-string",
        b"BEGIN;\nSET standard_conforming_strings = off;\nROLLBACK;\nSELECT 'a\\' \\! touch MARKER #';\n",
    ),
    // A trigger turns it off while the data loads: no statement says so.
    scan(
        "scs off by a trigger during INSERT",
        "sql-ambiguous-string",
        b"CREATE FUNCTION public.trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM set_config('standard_conforming_strings', 'off', false); RETURN NEW; END$$;\n\
CREATE TRIGGER trg BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.trg();\n\
INSERT INTO public.t VALUES ('p', 'q');\nSELECT 'a\\'' \\! touch MARKER #';\n",
    ),
    // psql: a failed dollar quote `$e` gives back all but the `$`, then
    // lexes `e'...'` as an E'' string. pgbag now does the same, so both see
    // the `\!` after it: a meta-command, refused as such.
    scan("$e'...' (a failed dollar quote)", "meta-command", b"SELECT $e'\\'' \\! touch MARKER #';\n"),
    // psql: `1e` is one (bad) number token, so the quote opens a plain string.
    scan("1e'...' (a number swallowing the E)", "sql-ambiguous-string", b"SELECT 1e'\\' \\! touch MARKER #';\n"),
    scan("1.5E'...'", "sql-ambiguous-string", b"SELECT 1.5E'\\' \\! touch MARKER #';\n"),
    // With scs off (pg_dump's own line), U&'', X'' and B'' still take no
    // backslash escapes in psql.
    scan("U&'...' under scs off", "sql-ambiguous-string", b"SET standard_conforming_strings = off;\nSELECT U&'\\' \\! touch MARKER #';\n"),
    scan("X'...' under scs off", "sql-ambiguous-string", b"SET standard_conforming_strings = off;\nSELECT X'\\' \\! touch MARKER #';\n"),
    scan("B'...' under scs off", "sql-ambiguous-string", b"SET standard_conforming_strings = off;\nSELECT B'\\' \\! touch MARKER #';\n"),
    // psql lexes a copy in which each byte after a multibyte lead byte is
    // 0xFF (psqlscan_prepare_buffer) when the client encoding is not safe.
    scan("SJIS: 0x95 0x5C in E''", "sql-encoding-unsafe", b"SET client_encoding = 'SJIS';\nSELECT E'\x95\\' \\! touch MARKER #';\n"),
    scan("SJIS: a lead byte eats a quote", "sql-encoding-unsafe", b"SET client_encoding = 'SJIS';\nSELECT '\x95'' \\! touch MARKER #';\n"),
    scan("SJIS: unquoted", "sql-encoding-unsafe", b"SET client_encoding = 'SJIS';\nSELECT 1 AS \x95' \\! touch MARKER #';\n"),
    scan("BIG5", "sql-encoding-unsafe", b"SET client_encoding = 'BIG5';\nSELECT E'\xa4\\' \\! touch MARKER #';\n"),
    scan("GBK", "sql-encoding-unsafe", b"SET client_encoding = 'GBK';\nSELECT E'\x81\\' \\! touch MARKER #';\n"),
    scan("GB18030", "sql-encoding-unsafe", b"SET client_encoding = 'GB18030';\nSELECT E'\x81\\' \\! touch MARKER #';\n"),
    scan("UHC", "sql-encoding-unsafe", b"SET client_encoding = 'UHC';\nSELECT E'\x81\\' \\! touch MARKER #';\n"),
    scan("JOHAB", "sql-encoding-unsafe", b"SET client_encoding = 'JOHAB';\nSELECT E'\x84\\' \\! touch MARKER #';\n"),
    scan("SET NAMES 'SJIS'", "sql-setting-changed", b"SET NAMES 'SJIS';\nSELECT E'\x95\\' \\! touch MARKER #';\n"),
    scan(
        "client_encoding via set_config()",
        "sql-setting-changed",
        b"SELECT pg_catalog.set_config('client_encoding', 'SJIS', false);\nSELECT E'\x95\\' \\! touch MARKER #';\n",
    ),
    // pg_dump quotes every identifier that is not lowercase ASCII.
    Case {
        name: "an unquoted non-ASCII identifier",
        body: "CREATE TABLE public.caf\u{e9} (a integer);\n".as_bytes(),
        says: "sql-unquoted-non-ascii",
        finding: Some("sql-unquoted-non-ascii"),
        probe: Unobservable,
    },
    // psql substitutes a variable's value and lexes it: a message ending in
    // `"""` leaves psql inside a quoted identifier.
    scan(
        "a psql variable (:LAST_ERROR_MESSAGE)",
        "sql-psql-variable",
        b"SELECT '\"'::integer;\nSELECT :LAST_ERROR_MESSAGE \" \\! touch MARKER #\";\n",
    ),
    Case {
        name: "a quoted psql variable (:'DBNAME')",
        body: b"SELECT :'DBNAME';\n",
        says: "sql-psql-variable",
        finding: Some("sql-psql-variable"),
        probe: Unobservable,
    },
    Case {
        name: "a psql variable test (:{?VERSION})",
        body: b"SELECT :{?VERSION};\n",
        says: "sql-psql-variable",
        finding: Some("sql-psql-variable"),
        probe: Unobservable,
    },
    // psql sends the COPY at `;`, reads the data lines, then lexes the rest
    // of the COPY line. (The last `\.` ends the data where a byte-wise
    // reader starts it: after the rest of the line.)
    scan("after COPY ... FROM stdin; on its line", "sql-copy-line-trailing", b"COPY public.t (a, b) FROM stdin; \\! touch MARKER\n1\t2\n\\.\n"),
    scan(
        "a dollar quote opened after COPY ... FROM stdin;",
        "sql-copy-line-trailing",
        // The closing `$$;` keeps the dump complete as pgbag reads it.
        b"COPY public.t (a, b) FROM stdin; SELECT $$\n1\t2\n\\.\n$$; \\! touch MARKER\n\\.\n$$;\n",
    ),
    scan(
        "a string opened after COPY ... FROM stdin;",
        "sql-copy-line-trailing",
        b"COPY public.t (a, b) FROM stdin; SELECT '\n1\t2\n\\.\n'; \\! touch MARKER\n\\.\n';\n",
    ),
];

/// Found by fuzzing (round 4, `psql_split`): psql keeps its query buffer
/// across a meta-command line, so the text around it is one statement to
/// psql; restore drops the dump's own `\restrict` line, so psql's restricted
/// mode never even sees it. The SQL guard saw two harmless fragments.
pub const IN_STATEMENT: &[Case] = &[
    scan(
        "a \\restrict line inside COPY ... TO PROGRAM",
        "sql-meta-command-in-statement",
        // Paired, as the dump's own: restore drops both lines.
        b"COPY (SELECT 1) TO \\restrict Pgbag0Key\nPROGRAM 'touch MARKER';\n\\unrestrict Pgbag0Key\n",
    ),
    scan(
        "a \\connect line inside COPY ... TO PROGRAM",
        "sql-meta-command-in-statement",
        b"COPY (SELECT 1) TO\n\\connect TARGETDB\nPROGRAM 'touch MARKER';\n",
    ),
];

/// `\connect` in any form but pg_dump's own naming the target.
pub const CONNECT: &[Case] = &[
    sql(
        "\\connect another database",
        "\\c",
        b"\\connect OTHERDB\nCREATE TABLE public.PWNED (a integer);\n",
        OTHER_TABLE,
    ),
    sql("\\c another database", "\\c", b"\\c OTHERDB\nCREATE TABLE public.PWNED (a integer);\n", OTHER_TABLE),
    sql(
        "\\connect -reuse-previous=on, another database",
        "\\c",
        b"\\connect -reuse-previous=on \"dbname='OTHERDB'\"\nCREATE TABLE public.PWNED (a integer);\n",
        OTHER_TABLE,
    ),
    sql(
        "\\connect -reuse-previous=on, another host",
        "\\c",
        b"\\connect -reuse-previous=on \"dbname='x' host=127.0.0.2 port=TCPPORT connect_timeout=5\"\n",
        Tcp,
    ),
    sql("\\connect a conninfo", "\\c", b"\\connect \"host=127.0.0.2 port=TCPPORT dbname=x connect_timeout=5\"\n", Tcp),
    sql("\\connect a URI", "\\c", b"\\connect postgresql://127.0.0.2:TCPPORT/x?connect_timeout=5\n", Tcp),
    sql("\\connect - another user", "\\c", b"\\connect - hl_victim\n", Unobservable),
];

/// SQL pg_dump never writes that reaches outside the database: the SQL
/// guard refuses each, naming its `--allow-sql` class.
pub const OUTSIDE: &[Case] = &[
    sql("COPY ... TO PROGRAM", "copy-program", b"COPY (SELECT 1) TO PROGRAM 'touch MARKER';\n", File),
    sql("COPY ... FROM PROGRAM", "copy-program", b"COPY public.t (a) FROM PROGRAM 'touch MARKER';\n", File),
    sql(
        "copy ... to program, lower case, comments",
        "copy-program",
        b"copy /* x */ (select 1) to\n-- y\nprogram 'touch MARKER';\n",
        File,
    ),
    sql("COPY ... TO a server file", "copy-file", b"COPY (SELECT 1) TO 'MARKER';\n", File),
    sql(
        "COPY ... FROM a server file",
        "copy-file",
        b"COPY public.t (a, b) FROM 'MARKER.src';\n",
        InTarget("SELECT count(*) FROM public.t WHERE a = 'PWNED'"),
    ),
    sql(
        "ALTER SYSTEM",
        "alter-system",
        b"ALTER SYSTEM SET work_mem = '7777kB';\n",
        Query {
            db: "postgres",
            query: "SELECT count(*) FROM pg_file_settings WHERE name = 'work_mem' AND setting = '7777kB'",
            undo: "ALTER SYSTEM RESET work_mem",
        },
    ),
    sql(
        "CREATE ROLE",
        "role",
        b"CREATE ROLE PWNED LOGIN SUPERUSER PASSWORD 'x';\n",
        Query { db: "postgres", query: "SELECT count(*) FROM pg_roles WHERE rolname = 'PWNED'", undo: "DROP ROLE IF EXISTS PWNED" },
    ),
    sql(
        "ALTER ROLE",
        "role",
        b"ALTER ROLE hl_victim SUPERUSER;\n",
        Query {
            db: "postgres",
            query: "SELECT count(*) FROM pg_roles WHERE rolname = 'hl_victim' AND rolsuper",
            undo: "ALTER ROLE hl_victim NOSUPERUSER",
        },
    ),
    sql(
        "GRANT a role",
        "role",
        b"GRANT pg_read_server_files TO hl_victim;\n",
        Query {
            db: "postgres",
            query: "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = 'hl_victim'",
            undo: "REVOKE pg_read_server_files FROM hl_victim",
        },
    ),
    sql(
        "SET ROLE",
        "set-role",
        b"GRANT CREATE ON SCHEMA public TO hl_victim;\nSET ROLE hl_victim;\nCREATE TABLE public.PWNED (a integer);\nRESET ROLE;\n",
        InTarget("SELECT count(*) FROM pg_tables WHERE tablename = 'PWNED' AND tableowner = 'hl_victim'"),
    ),
    sql(
        "SET SESSION AUTHORIZATION",
        "set-role",
        b"GRANT CREATE ON SCHEMA public TO hl_victim;\nSET SESSION AUTHORIZATION hl_victim;\nCREATE TABLE public.PWNED (a integer);\nRESET SESSION AUTHORIZATION;\n",
        InTarget("SELECT count(*) FROM pg_tables WHERE tablename = 'PWNED' AND tableowner = 'hl_victim'"),
    ),
    // LANGUAGE internal aliases a server function; a column default calls it
    // while the data loads, with no SELECT anywhere.
    sql(
        "a LANGUAGE internal function run by a default",
        "untrusted-function",
        b"SELECT pg_catalog.lo_create('4344');\n\
CREATE FUNCTION public.export_it(oid, text) RETURNS integer LANGUAGE internal STRICT AS 'be_lo_export';\n\
CREATE TABLE public.d (a text, b integer DEFAULT public.export_it(4344, 'MARKER'));\n\
COPY public.d (a) FROM stdin;\n1\n\\.\n",
        File,
    ),
    sql(
        "a LANGUAGE c function",
        "untrusted-function",
        b"CREATE FUNCTION public.c_fn() RETURNS text LANGUAGE c AS '$libdir/dblink', 'dblink_current_query';\n",
        Unobservable,
    ),
    sql("LOAD", "load", b"LOAD 'auto_explain';\n", Unobservable),
    sql(
        "CREATE TABLESPACE",
        "tablespace",
        b"CREATE TABLESPACE PWNED LOCATION 'MARKER.d';\n",
        Query {
            db: "postgres",
            query: "SELECT count(*) FROM pg_tablespace WHERE spcname = 'PWNED'",
            undo: "DROP TABLESPACE IF EXISTS PWNED",
        },
    ),
    sql(
        "SELECT lo_export()",
        "function-call",
        b"SELECT pg_catalog.lo_create('4343');\nSELECT pg_catalog.lo_export(4343, 'MARKER');\n",
        File,
    ),
    sql(
        "SELECT lo_import()",
        "function-call",
        b"SELECT pg_catalog.lo_import('MARKER.src');\n",
        InTarget("SELECT count(*) FROM pg_largeobject_metadata"),
    ),
    sql("SELECT pg_read_file()", "function-call", b"SELECT pg_catalog.pg_read_file('MARKER.src');\n", Unobservable),
    sql(
        "SELECT a dump-defined function",
        "function-call",
        b"CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\nSELECT public.f();\n",
        File,
    ),
    sql(
        "a call hidden in setval()'s arguments",
        "function-call",
        b"CREATE SEQUENCE public.s;\n\
CREATE FUNCTION public.f() RETURNS bigint LANGUAGE plpgsql AS $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; RETURN 1; END$$;\n\
SELECT pg_catalog.setval('public.s', public.f(), true);\n",
        File,
    ),
    sql(
        "a call next to set_config('search_path')",
        "function-call",
        b"CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n\
SELECT pg_catalog.set_config('search_path', '', false), public.f();\n",
        File,
    ),
    sql(
        "DO",
        "function-call",
        b"DO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n",
        File,
    ),
    sql(
        "CALL",
        "function-call",
        b"CREATE PROCEDURE public.p() LANGUAGE plpgsql AS $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\nCALL public.p();\n",
        File,
    ),
    sql(
        "dblink from the server",
        "function-call",
        b"CREATE EXTENSION IF NOT EXISTS dblink WITH SCHEMA public;\n\
SELECT public.dblink_connect('host=127.0.0.2 port=TCPPORT dbname=x connect_timeout=5');\n",
        Tcp,
    ),
];

/// What pg_dump does write, with a query on the restored database and the
/// answer it must give.
pub struct Lookalike {
    pub name: &'static str,
    pub body: &'static [u8],
    pub check: (&'static str, &'static str),
    /// A drill restores into a scratch database of its own naming.
    pub drill: bool,
}

const fn ok(name: &'static str, body: &'static [u8], query: &'static str, answer: &'static str) -> Lookalike {
    Lookalike { name, body, check: (query, answer), drill: true }
}

pub const LOOKALIKES: &[Lookalike] = &[
    ok(
        "CRLF inside a dollar-quoted function body",
        b"CREATE FUNCTION public.crlf() RETURNS text LANGUAGE sql AS $$SELECT 'a'\r\n$$;\n",
        "SELECT strpos(prosrc, E'\\r\\n') > 0 FROM pg_proc WHERE proname = 'crlf'",
        "t",
    ),
    ok(
        "CR inside a string",
        b"INSERT INTO public.t VALUES ('line1\r\nline2', 'cr');\n",
        "SELECT count(*) FROM public.t WHERE b = 'cr' AND strpos(a, E'\\r') > 0",
        "1",
    ),
    ok(
        "backslashes in a plain string, not before a quote",
        b"INSERT INTO public.t VALUES ('C:\\temp\\new', 'bs');\n",
        "SELECT length(a) FROM public.t WHERE b = 'bs'",
        "11",
    ),
    ok(
        "an even run of backslashes before a quote",
        b"INSERT INTO public.t VALUES ('a\\\\', 'even'), ('b\\\\\\\\', 'even');\n",
        "SELECT string_agg(length(a)::text, ',' ORDER BY a) FROM public.t WHERE b = 'even'",
        "3,5",
    ),
    ok(
        "pg_dump's large object calls, with a \\x string",
        b"SELECT pg_catalog.lo_create('4242');\nBEGIN;\nSELECT pg_catalog.lo_open('4242', 131072);\n\
SELECT pg_catalog.lowrite(0, '\\x6869');\nSELECT pg_catalog.lo_close(0);\nCOMMIT;\n",
        "SELECT encode(lo_get(4242), 'escape')",
        "hi",
    ),
    ok(
        "setval",
        b"CREATE SEQUENCE public.s;\nSELECT pg_catalog.setval('public.s', 42, true);\n",
        "SELECT last_value FROM public.s",
        "42",
    ),
    ok(
        "UTF-8 in strings, quoted identifiers and comments",
        "-- caf\u{e9} \u{65e5}\u{672c}\nCREATE TABLE public.\"caf\u{e9}\" (\"donn\u{e9}es\" text);\n\
\n--\n-- Data for Name: caf\u{e9}; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nINSERT INTO public.\"caf\u{e9}\" VALUES ('na\u{ef}ve \u{2014} \u{65e5}\u{672c}\\\u{8a9e}'), (E'it\\'s \u{e9}');\n"
            .as_bytes(),
        "SELECT count(*) FROM public.\"caf\u{e9}\" WHERE \"donn\u{e9}es\" LIKE '%\u{65e5}\u{672c}%' OR \"donn\u{e9}es\" LIKE 'it''s%'",
        "2",
    ),
    ok(
        "array slices and casts (arr[1:n], x::int)",
        b"CREATE TABLE public.arr (a integer[], n integer);\n\n--\n-- Data for Name: arr; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nINSERT INTO public.arr VALUES ('{1,2,3}', 2);\n\
CREATE VIEW public.v AS SELECT a[1:n] AS s, a[n:] AS r, '7'::int AS c, n::text AS d FROM public.arr;\n",
        "SELECT s::text || r::text || c || d FROM public.v",
        "{1,2}{2,3}72",
    ),
    ok(
        "casts to quoted mixed-case types (::\"Mixed\".\"Mood\")",
        b"CREATE SCHEMA \"Mixed\";\nCREATE TYPE \"Mixed\".\"Mood\" AS ENUM ('ok');\n\
CREATE TABLE public.m (v \"Mixed\".\"Mood\" DEFAULT 'ok'::\"Mixed\".\"Mood\");\n\n--\n-- Data for Name: m; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nINSERT INTO public.m VALUES ('ok');\n",
        "SELECT v FROM public.m",
        "ok",
    ),
    ok(
        "psql variable look-alikes inside quotes and comments",
        b"CREATE FUNCTION public.vars() RETURNS text LANGUAGE plpgsql AS $$DECLARE x text := ':VERSION'; BEGIN RETURN x; END$$;\n\
-- :DBNAME\nINSERT INTO public.t VALUES (':PORT', ':\"USER\"');\n",
        "SELECT public.vars() || a FROM public.t WHERE b = ':\"USER\"'",
        ":VERSION:PORT",
    ),
    ok(
        "pg_dump's SET lines, scs off and back on",
        b"SET standard_conforming_strings = off;\nINSERT INTO public.t VALUES ('a\\\\b', 'off');\nSET standard_conforming_strings = on;\n",
        "SELECT a FROM public.t WHERE b = 'off'",
        "a\\b",
    ),
    ok(
        "pg_dump's SET client_encoding line, LATIN1 bytes in a string",
        b"SET client_encoding = 'LATIN1';\nINSERT INTO public.t VALUES ('caf\xe9', 'latin1');\nSET client_encoding = 'UTF8';\n",
        "SELECT a FROM public.t WHERE b = 'latin1'",
        "caf\u{e9}",
    ),
    ok(
        "COPY data with escapes and UTF-8",
        "COPY public.t (a, b) FROM stdin;\nna\\tive\tcaf\u{e9}\n\\N\t\\\\! touch\n\\.\n".as_bytes(),
        "SELECT count(*) FROM public.t WHERE b = 'caf\u{e9}' OR b = '\\! touch'",
        "2",
    ),
    ok(
        "pg_dump's own \\restrict pair",
        b"\\restrict PgbagLookalikeKey\nCREATE TABLE public.r (a integer);\n\\unrestrict PgbagLookalikeKey\n",
        "SELECT count(*) FROM pg_tables WHERE tablename = 'r'",
        "1",
    ),
    Lookalike {
        name: "pg_dump's \\connect of the target, both forms",
        body: b"\\connect TARGETDB\nCREATE TABLE public.c1 (a integer);\n\\connect -reuse-previous=on \"dbname='TARGETDB'\"\nCREATE TABLE public.c2 (a integer);\n",
        check: ("SELECT count(*) FROM pg_tables WHERE tablename IN ('c1', 'c2')", "2"),
        drill: false,
    },
];
