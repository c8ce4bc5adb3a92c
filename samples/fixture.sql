-- pgbag test fixture.
--
-- Builds a small database that exercises the parts of pg_dump's plain-SQL
-- output that are awkward to package or parse: odd quoted identifiers,
-- extension types, dollar-quoted bodies containing psql meta-command lookalikes,
-- COPY data with every escape, large objects, RLS, grants, comments, ...
--
-- Usage (superuser, empty database, PostgreSQL 15+):
--   psql -X -v ON_ERROR_STOP=1 -d <db> -f samples/fixture.sql
--   psql -X -v ON_ERROR_STOP=1 -v big=1 -d <db> -f samples/fixture.sql
--
-- -v big=1 additionally creates public.big_values holding one ~3 MiB text
-- value. It is off by default so the dumps committed under samples/dumps/
-- stay small.
--
-- Everything is deterministic (no random(), no now(), fixed OIDs where it
-- matters) so that regen.sh produces byte-identical dumps on every run.
-- The roles are cluster-wide and created idempotently, so the script can be
-- run once per database any number of times in the same cluster.
--
-- Expected row counts are listed in samples/README.md; keep them in sync.

\set ON_ERROR_STOP 1
\encoding UTF8
SET client_min_messages = warning;

BEGIN;

-- ---------------------------------------------------------------------------
-- Roles (cluster-global, hence the duplicate_object guard)
-- ---------------------------------------------------------------------------
DO $$
BEGIN
    CREATE ROLE pgbag_reader NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
    NULL;
END
$$;
DO $$
BEGIN
    CREATE ROLE pgbag_writer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
    NULL;
END
$$;

-- ---------------------------------------------------------------------------
-- Schemas with names that need quoting: space, embedded double quotes,
-- semicolon (statement splitters!), non-ASCII.
-- ---------------------------------------------------------------------------
CREATE SCHEMA "odd ""name""; x";
CREATE SCHEMA "café";
CREATE SCHEMA "Mixed Case";
COMMENT ON SCHEMA "odd ""name""; x" IS 'Schema whose name contains a space, double quotes and a semicolon.';
COMMENT ON SCHEMA "café" IS 'Schéma non-ASCII: données de test ☕';

-- Extensions live in public so dumps schema-qualify their objects as public.*
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

-- ---------------------------------------------------------------------------
-- Types: enum, domains, composite
-- ---------------------------------------------------------------------------
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy', 'très "content"');
CREATE DOMAIN public.positive_price AS numeric(10,2)
    CONSTRAINT positive_price_check CHECK (VALUE > 0);
CREATE DOMAIN "café".email AS public.citext
    -- LIKE here resolves to citext's own operator, which pg_dump prints as
    -- OPERATOR(public.~~) since it dumps with an empty search_path.
    CONSTRAINT email_check CHECK (VALUE LIKE '%_@_%');
CREATE TYPE "odd ""name""; x".pair AS (k text, v integer);
COMMENT ON TYPE public.mood IS 'Enum including a label with a space, accent and double quotes.';

-- ---------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------

-- The body deliberately contains lines that are exactly "\." (end of COPY
-- data) and "\! echo x" (a psql shell escape), plus semicolons and a nested
-- dollar quote. Inside a dollar quote psql treats them as plain text; a naive
-- line-based dump splitter or a tool that feeds the dump to psql after
-- rewriting quoting will not. pg_dump re-quotes the body with its own tag.
CREATE FUNCTION "odd ""name""; x".tricky(p text) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
    -- a literal spanning lines that look like psql syntax:
    s text := 'begin;
\.
\! echo x
end;';
BEGIN
    /*
\.
\! echo x
    */
    RETURN s || $inner$ nested; "quoted" 'single' $$ $inner$ || coalesce(p, '<null>');
END;
$fn$;
COMMENT ON FUNCTION "odd ""name""; x".tricky(text) IS 'Body contains lines "\." and "\! echo x".';

-- SQL-standard function body (PG14+): semicolons *outside* any quoting inside
-- one CREATE FUNCTION statement; statement splitters must not cut it.
CREATE FUNCTION public.add_and_label(a integer, b integer) RETURNS text
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT (a + b)::text || ';' || 'sum';
END;

-- Trigger function: records inserts into public.audit_log.
CREATE FUNCTION public.log_author_insert() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, row_id, note)
    VALUES (TG_TABLE_NAME, NEW.id, 'inserted ' || NEW.name);
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------
-- Sequences
-- ---------------------------------------------------------------------------
CREATE SEQUENCE public.ticket_seq START WITH 100 INCREMENT BY 5;
SELECT nextval('public.ticket_seq'), nextval('public.ticket_seq'), nextval('public.ticket_seq');
COMMENT ON SEQUENCE public.ticket_seq IS 'Standalone sequence; last_value 110 after the fixture.';

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------

CREATE TABLE public.audit_log (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    table_name text NOT NULL,
    row_id integer NOT NULL,
    note text,
    logged_at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
COMMENT ON TABLE public.audit_log IS 'Filled by trigger authors_audit while the fixture loads.';

CREATE TABLE public.authors (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name public.citext NOT NULL,
    mood public.mood NOT NULL DEFAULT 'ok',
    attrs public.hstore,
    born date,
    -- pgcrypto in a DEFAULT; every row below supplies a fixed value so the
    -- data stays deterministic.
    salt bytea NOT NULL DEFAULT public.gen_random_bytes(8),
    CONSTRAINT authors_name_key UNIQUE (name)
);
COMMENT ON TABLE public.authors IS 'Authors; names are case-insensitive (citext).
Second line of the comment, with an apostrophe: it''s fine.';
COMMENT ON COLUMN public.authors.name IS 'Unique, case-insensitive author name.';
COMMENT ON COLUMN public.authors.attrs IS 'Free-form hstore attributes.';
COMMENT ON COLUMN public.authors.salt IS 'Defaults to pgcrypto gen_random_bytes(8).';

CREATE TRIGGER authors_audit AFTER INSERT ON public.authors
    FOR EACH ROW EXECUTE FUNCTION public.log_author_insert();

INSERT INTO public.authors (name, mood, attrs, born, salt) VALUES
    ('Ada Lovelace', 'happy', 'field=>math, "quoted key"=>"a \"b\" c"', '1815-12-10', '\x0001020304050607'),
    ('Émile Zola', 'ok', 'lang=>fr', '1840-04-02', '\x1011121314151617'),
    ('紫式部', 'très "content"', 'lang=>ja, era=>Heian', NULL, '\x2021222324252627'),
    ('O''Brien; DROP TABLE x', 'sad', NULL, '1950-01-01', '\x3031323334353637'),
    ('Null Attrs', 'ok', 'k=>NULL', NULL, '\x4041424344454647');

CREATE TABLE public.books (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    author_id integer NOT NULL REFERENCES public.authors (id),
    title text NOT NULL,
    pages integer NOT NULL,
    price public.positive_price NOT NULL,
    title_len integer GENERATED ALWAYS AS (length(title)) STORED,
    -- Generated columns are left out of COPY data and written as DEFAULT by
    -- pg_dump --inserts, so they cost nothing in the sample dumps.
    title_sha256 bytea GENERATED ALWAYS AS (public.digest(title, 'sha256')) STORED
);
COMMENT ON TABLE public.books IS 'One thousand generated books.';
COMMENT ON COLUMN public.books.title_sha256 IS 'Generated from title with pgcrypto digest().';
CREATE INDEX books_lower_title_idx ON public.books (lower(title));
CREATE INDEX books_author_id_idx ON public.books (author_id);

INSERT INTO public.books (author_id, title, pages, price)
SELECT 1 + (i % 5),
       'Book #' || i || CASE WHEN i % 100 = 0 THEN ' — ' || repeat('ünïcødé ', 3) ELSE '' END,
       50 + (i * 7) % 900,
       ((i * 13) % 10000) / 100.0 + 0.01
FROM generate_series(1, 1000) AS i;

-- Range-partitioned table, one partition per year: one reading per month
-- for each of three sensors, i.e. 36 rows per partition.
CREATE TABLE public.measurements (
    taken_on date NOT NULL,
    sensor text NOT NULL,
    reading numeric(8,3) NOT NULL,
    PRIMARY KEY (taken_on, sensor)
) PARTITION BY RANGE (taken_on);
CREATE TABLE public.measurements_2023 PARTITION OF public.measurements
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.measurements_2024 PARTITION OF public.measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
COMMENT ON TABLE public.measurements IS 'Range partitioned by year: 36 + 36 rows.';

INSERT INTO public.measurements (taken_on, sensor, reading)
SELECT d::date, s, ((extract(doy FROM d)::int * 37 + length(s) * ascii(right(s, 1))) % 1000) / 10.0
FROM generate_series('2023-01-01'::date, '2024-12-01'::date, interval '1 month') AS d,
     unnest(ARRAY['sensor-a', 'sensor-b', 'sensor-c']) AS s
ORDER BY d, s;

-- COPY edge cases: tabs, newlines, CR, backslashes, the end-of-data marker,
-- psql meta-command lookalikes, NULL vs the string "\N", unicode.
CREATE TABLE public.tricky_values (
    id integer PRIMARY KEY,
    label text NOT NULL,
    val text
);
COMMENT ON COLUMN public.tricky_values.val IS 'Values that need escaping in COPY text format.';
INSERT INTO public.tricky_values (id, label, val) VALUES
    (1, 'tab', E'a\tb'),
    (2, 'newline', E'line1\nline2'),
    (3, 'crlf', E'dos\r\nline'),
    (4, 'backslash', E'C:\\path\\to\\file'),
    (5, 'end-of-copy marker', E'\\.'),
    (6, 'marker on its own line', E'before\n\\.\nafter'),
    (7, 'psql shell escape line', E'x\n\\! echo x\ny'),
    (8, 'null', NULL),
    (9, 'literal backslash-N', E'\\N'),
    (10, 'empty string', ''),
    (11, 'emoji', '🐘🎉 ZWJ: 👩‍💻'),
    (12, 'cjk', '漢字かなカナ한국어'),
    (13, 'rtl + combining', 'שלום e' || U&'\0301'),
    (14, 'quotes', 'single '' double " backtick `'),
    (15, 'semicolons', 'a; b;; DROP TABLE x; --'),
    (16, 'dollar quotes', '$$ $fn$ $_$'),
    (17, 'trailing whitespace', E'ends with spaces and tab  \t'),
    (18, 'only newline', E'\n');

-- Composite and domain columns, odd identifiers all the way down.
CREATE TABLE "odd ""name""; x"."weird ""table""; name" (
    "id" integer PRIMARY KEY,
    "col with space" text,
    "SELECT" "odd ""name""; x".pair,
    "semi;colon" integer[]
);
COMMENT ON TABLE "odd ""name""; x"."weird ""table""; name" IS 'Identifiers needing quotes everywhere.';
COMMENT ON COLUMN "odd ""name""; x"."weird ""table""; name"."SELECT" IS 'A reserved word as a column name, of composite type.';
INSERT INTO "odd ""name""; x"."weird ""table""; name" VALUES
    (1, 'first', ROW('alpha', 1), '{1,2,3}'),
    (2, 'second; with semicolon', ROW('be"ta', NULL), '{}'),
    (3, NULL, NULL, NULL);

CREATE TABLE "café"."données" (
    "clé" integer PRIMARY KEY,
    "名前" text NOT NULL,
    courriel "café".email,
    author_id integer REFERENCES public.authors (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX "données_名前_idx" ON "café"."données" ("名前");
INSERT INTO "café"."données"
SELECT i, 'élément ' || i || ' 🍰', 'user' || i || '@exemple.fr', 1 + (i % 5)
FROM generate_series(1, 10) AS i;

CREATE TABLE "Mixed Case"."Tab""le" (
    "Id" integer GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 10) PRIMARY KEY,
    "Value" text
);
INSERT INTO "Mixed Case"."Tab""le" ("Value")
SELECT 'v' || i FROM generate_series(1, 3) AS i;

-- Row-level security: pg_dump sets row_security = off and dumps every row.
CREATE TABLE public.secrets (
    id integer PRIMARY KEY,
    owner name NOT NULL,
    secret text NOT NULL
);
ALTER TABLE public.secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY secrets_owner ON public.secrets
    FOR SELECT TO pgbag_reader
    USING (owner = current_user);
CREATE POLICY secrets_writer ON public.secrets
    FOR ALL TO pgbag_writer
    USING (true) WITH CHECK (owner = current_user);
INSERT INTO public.secrets VALUES
    (1, 'pgbag_reader', 'reader secret'),
    (2, 'pgbag_writer', 'writer secret'),
    (3, 'postgres', 'superuser secret'),
    (4, 'nobody', 'orphan secret');

CREATE TABLE public.empty_table (
    id integer PRIMARY KEY,
    note text
);
COMMENT ON TABLE public.empty_table IS 'Intentionally has no rows.';

-- Opt-in multi-megabyte value (-v big=1). Hex of chained md5 sums: ~3.2 MB,
-- not trivially compressible like repeat('x', n) would be.
\if :{?big}
\if :big
CREATE TABLE public.big_values (
    id integer PRIMARY KEY,
    payload text NOT NULL
);
COMMENT ON TABLE public.big_values IS 'One row holding a ~3.2 MB text value (fixture -v big=1).';
INSERT INTO public.big_values
SELECT 1, string_agg(md5('pgbag' || i), '' ORDER BY i)
FROM generate_series(1, 100000) AS i;
\endif
\endif

-- ---------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------
CREATE VIEW public.expensive_books AS
    SELECT b.id, b.title, a.name AS author, b.price
    FROM public.books b JOIN public.authors a ON a.id = b.author_id
    WHERE b.price > 90;
COMMENT ON VIEW public.expensive_books IS 'Books priced above 90.';

CREATE MATERIALIZED VIEW public.author_book_counts AS
    SELECT author_id, count(*) AS n_books, sum(pages) AS total_pages
    FROM public.books
    GROUP BY author_id
    ORDER BY author_id;
CREATE UNIQUE INDEX author_book_counts_author_id_idx ON public.author_book_counts (author_id);
COMMENT ON MATERIALIZED VIEW public.author_book_counts IS 'Books per author (5 rows).';

-- ---------------------------------------------------------------------------
-- Large object with a fixed OID (fresh database => OID is free)
-- ---------------------------------------------------------------------------
SELECT lo_from_bytea(424242, 'hello, large object' || E'\\000\\001\\002'::bytea);
COMMENT ON LARGE OBJECT 424242 IS 'Fixture large object (22 bytes).';
GRANT SELECT ON LARGE OBJECT 424242 TO pgbag_reader;

-- ---------------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------------
GRANT USAGE ON SCHEMA public, "café", "odd ""name""; x", "Mixed Case" TO pgbag_reader, pgbag_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA public, "café", "odd ""name""; x", "Mixed Case" TO pgbag_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.books, public.authors, public.secrets TO pgbag_writer;
GRANT SELECT (id, title), UPDATE (title) ON public.books TO pgbag_reader;
GRANT USAGE, SELECT ON SEQUENCE public.ticket_seq TO pgbag_writer;
GRANT EXECUTE ON FUNCTION "odd ""name""; x".tricky(text) TO pgbag_reader;
REVOKE EXECUTE ON FUNCTION public.add_and_label(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.add_and_label(integer, integer) TO pgbag_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA "café" GRANT SELECT ON TABLES TO pgbag_reader;

COMMIT;

-- Planner statistics are not dumped; ANALYZE only to make the fixture
-- database itself behave normally if someone pokes at it.
ANALYZE;
