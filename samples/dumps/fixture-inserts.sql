--
-- PostgreSQL database dump
--

\restrict PgbagSampleFixtureKey

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Mixed Case; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Mixed Case";


ALTER SCHEMA "Mixed Case" OWNER TO postgres;

--
-- Name: café; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "café";


ALTER SCHEMA "café" OWNER TO postgres;

--
-- Name: SCHEMA "café"; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA "café" IS 'Schéma non-ASCII: données de test ☕';


--
-- Name: odd "name"; x; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "odd ""name""; x";


ALTER SCHEMA "odd ""name""; x" OWNER TO postgres;

--
-- Name: SCHEMA "odd ""name""; x"; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA "odd ""name""; x" IS 'Schema whose name contains a space, double quotes and a semicolon.';


--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: hstore; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;


--
-- Name: EXTENSION hstore; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION hstore IS 'data type for storing sets of (key, value) pairs';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: email; Type: DOMAIN; Schema: café; Owner: postgres
--

CREATE DOMAIN "café".email AS public.citext
	CONSTRAINT email_check CHECK ((VALUE OPERATOR(public.~~) '%_@_%'::public.citext));


ALTER DOMAIN "café".email OWNER TO postgres;

--
-- Name: pair; Type: TYPE; Schema: odd "name"; x; Owner: postgres
--

CREATE TYPE "odd ""name""; x".pair AS (
	k text,
	v integer
);


ALTER TYPE "odd ""name""; x".pair OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy',
    'très "content"'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: TYPE mood; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TYPE public.mood IS 'Enum including a label with a space, accent and double quotes.';


--
-- Name: positive_price; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.positive_price AS numeric(10,2)
	CONSTRAINT positive_price_check CHECK ((VALUE > (0)::numeric));


ALTER DOMAIN public.positive_price OWNER TO postgres;

--
-- Name: tricky(text); Type: FUNCTION; Schema: odd "name"; x; Owner: postgres
--

CREATE FUNCTION "odd ""name""; x".tricky(p text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
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
$_$;


ALTER FUNCTION "odd ""name""; x".tricky(p text) OWNER TO postgres;

--
-- Name: FUNCTION tricky(p text); Type: COMMENT; Schema: odd "name"; x; Owner: postgres
--

COMMENT ON FUNCTION "odd ""name""; x".tricky(p text) IS 'Body contains lines "\." and "\! echo x".';


--
-- Name: add_and_label(integer, integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.add_and_label(a integer, b integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    BEGIN ATOMIC
 SELECT ((((a + b))::text || ';'::text) || 'sum'::text);
END;


ALTER FUNCTION public.add_and_label(a integer, b integer) OWNER TO postgres;

--
-- Name: log_author_insert(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.log_author_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, row_id, note)
    VALUES (TG_TABLE_NAME, NEW.id, 'inserted ' || NEW.name);
    RETURN NEW;
END;
$$;


ALTER FUNCTION public.log_author_insert() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Tab"le; Type: TABLE; Schema: Mixed Case; Owner: postgres
--

CREATE TABLE "Mixed Case"."Tab""le" (
    "Id" integer NOT NULL,
    "Value" text
);


ALTER TABLE "Mixed Case"."Tab""le" OWNER TO postgres;

--
-- Name: Tab"le_Id_seq; Type: SEQUENCE; Schema: Mixed Case; Owner: postgres
--

ALTER TABLE "Mixed Case"."Tab""le" ALTER COLUMN "Id" ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME "Mixed Case"."Tab""le_Id_seq"
    START WITH 1000
    INCREMENT BY 10
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: données; Type: TABLE; Schema: café; Owner: postgres
--

CREATE TABLE "café"."données" (
    "clé" integer NOT NULL,
    "名前" text NOT NULL,
    courriel "café".email,
    author_id integer
);


ALTER TABLE "café"."données" OWNER TO postgres;

--
-- Name: weird "table"; name; Type: TABLE; Schema: odd "name"; x; Owner: postgres
--

CREATE TABLE "odd ""name""; x"."weird ""table""; name" (
    id integer NOT NULL,
    "col with space" text,
    "SELECT" "odd ""name""; x".pair,
    "semi;colon" integer[]
);


ALTER TABLE "odd ""name""; x"."weird ""table""; name" OWNER TO postgres;

--
-- Name: TABLE "weird ""table""; name"; Type: COMMENT; Schema: odd "name"; x; Owner: postgres
--

COMMENT ON TABLE "odd ""name""; x"."weird ""table""; name" IS 'Identifiers needing quotes everywhere.';


--
-- Name: COLUMN "weird ""table""; name"."SELECT"; Type: COMMENT; Schema: odd "name"; x; Owner: postgres
--

COMMENT ON COLUMN "odd ""name""; x"."weird ""table""; name"."SELECT" IS 'A reserved word as a column name, of composite type.';


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.audit_log (
    id integer NOT NULL,
    table_name text NOT NULL,
    row_id integer NOT NULL,
    note text,
    logged_at timestamp with time zone DEFAULT '2024-01-01 00:00:00+00'::timestamp with time zone NOT NULL
);


ALTER TABLE public.audit_log OWNER TO postgres;

--
-- Name: TABLE audit_log; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.audit_log IS 'Filled by trigger authors_audit while the fixture loads.';


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: books; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.books (
    id bigint NOT NULL,
    author_id integer NOT NULL,
    title text NOT NULL,
    pages integer NOT NULL,
    price public.positive_price NOT NULL,
    title_len integer GENERATED ALWAYS AS (length(title)) STORED,
    title_sha256 bytea GENERATED ALWAYS AS (public.digest(title, 'sha256'::text)) STORED
);


ALTER TABLE public.books OWNER TO postgres;

--
-- Name: TABLE books; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.books IS 'One thousand generated books.';


--
-- Name: COLUMN books.title_sha256; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.books.title_sha256 IS 'Generated from title with pgcrypto digest().';


--
-- Name: author_book_counts; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.author_book_counts AS
 SELECT books.author_id,
    count(*) AS n_books,
    sum(books.pages) AS total_pages
   FROM public.books
  GROUP BY books.author_id
  ORDER BY books.author_id
  WITH NO DATA;


ALTER TABLE public.author_book_counts OWNER TO postgres;

--
-- Name: MATERIALIZED VIEW author_book_counts; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON MATERIALIZED VIEW public.author_book_counts IS 'Books per author (5 rows).';


--
-- Name: authors; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.authors (
    id integer NOT NULL,
    name public.citext NOT NULL,
    mood public.mood DEFAULT 'ok'::public.mood NOT NULL,
    attrs public.hstore,
    born date,
    salt bytea DEFAULT public.gen_random_bytes(8) NOT NULL
);


ALTER TABLE public.authors OWNER TO postgres;

--
-- Name: TABLE authors; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.authors IS 'Authors; names are case-insensitive (citext).
Second line of the comment, with an apostrophe: it''s fine.';


--
-- Name: COLUMN authors.name; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.authors.name IS 'Unique, case-insensitive author name.';


--
-- Name: COLUMN authors.attrs; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.authors.attrs IS 'Free-form hstore attributes.';


--
-- Name: COLUMN authors.salt; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.authors.salt IS 'Defaults to pgcrypto gen_random_bytes(8).';


--
-- Name: authors_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.authors ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.authors_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: books_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.books ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.books_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: empty_table; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.empty_table (
    id integer NOT NULL,
    note text
);


ALTER TABLE public.empty_table OWNER TO postgres;

--
-- Name: TABLE empty_table; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.empty_table IS 'Intentionally has no rows.';


--
-- Name: expensive_books; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.expensive_books AS
 SELECT b.id,
    b.title,
    a.name AS author,
    b.price
   FROM (public.books b
     JOIN public.authors a ON ((a.id = b.author_id)))
  WHERE ((b.price)::numeric > (90)::numeric);


ALTER TABLE public.expensive_books OWNER TO postgres;

--
-- Name: VIEW expensive_books; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON VIEW public.expensive_books IS 'Books priced above 90.';


--
-- Name: measurements; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements (
    taken_on date NOT NULL,
    sensor text NOT NULL,
    reading numeric(8,3) NOT NULL
)
PARTITION BY RANGE (taken_on);


ALTER TABLE public.measurements OWNER TO postgres;

--
-- Name: TABLE measurements; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.measurements IS 'Range partitioned by year: 36 + 36 rows.';


--
-- Name: measurements_2023; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2023 (
    taken_on date NOT NULL,
    sensor text NOT NULL,
    reading numeric(8,3) NOT NULL
);


ALTER TABLE public.measurements_2023 OWNER TO postgres;

--
-- Name: measurements_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2024 (
    taken_on date NOT NULL,
    sensor text NOT NULL,
    reading numeric(8,3) NOT NULL
);


ALTER TABLE public.measurements_2024 OWNER TO postgres;

--
-- Name: secrets; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.secrets (
    id integer NOT NULL,
    owner name NOT NULL,
    secret text NOT NULL
);


ALTER TABLE public.secrets OWNER TO postgres;

--
-- Name: ticket_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.ticket_seq
    START WITH 100
    INCREMENT BY 5
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.ticket_seq OWNER TO postgres;

--
-- Name: SEQUENCE ticket_seq; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON SEQUENCE public.ticket_seq IS 'Standalone sequence; last_value 110 after the fixture.';


--
-- Name: tricky_values; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tricky_values (
    id integer NOT NULL,
    label text NOT NULL,
    val text
);


ALTER TABLE public.tricky_values OWNER TO postgres;

--
-- Name: COLUMN tricky_values.val; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.tricky_values.val IS 'Values that need escaping in COPY text format.';


--
-- Name: measurements_2023; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');


--
-- Name: measurements_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: 424242; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('424242');


ALTER LARGE OBJECT 424242 OWNER TO postgres;

--
-- Name: LARGE OBJECT 424242; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON LARGE OBJECT 424242 IS 'Fixture large object (22 bytes).';


--
-- Data for Name: Tab"le; Type: TABLE DATA; Schema: Mixed Case; Owner: postgres
--

INSERT INTO "Mixed Case"."Tab""le" OVERRIDING SYSTEM VALUE VALUES
	(1000, 'v1'),
	(1010, 'v2'),
	(1020, 'v3');


--
-- Data for Name: données; Type: TABLE DATA; Schema: café; Owner: postgres
--

INSERT INTO "café"."données" VALUES
	(1, 'élément 1 🍰', 'user1@exemple.fr', 2),
	(2, 'élément 2 🍰', 'user2@exemple.fr', 3),
	(3, 'élément 3 🍰', 'user3@exemple.fr', 4);
INSERT INTO "café"."données" VALUES
	(4, 'élément 4 🍰', 'user4@exemple.fr', 5),
	(5, 'élément 5 🍰', 'user5@exemple.fr', 1),
	(6, 'élément 6 🍰', 'user6@exemple.fr', 2);
INSERT INTO "café"."données" VALUES
	(7, 'élément 7 🍰', 'user7@exemple.fr', 3),
	(8, 'élément 8 🍰', 'user8@exemple.fr', 4),
	(9, 'élément 9 🍰', 'user9@exemple.fr', 5);
INSERT INTO "café"."données" VALUES
	(10, 'élément 10 🍰', 'user10@exemple.fr', 1);


--
-- Data for Name: weird "table"; name; Type: TABLE DATA; Schema: odd "name"; x; Owner: postgres
--

INSERT INTO "odd ""name""; x"."weird ""table""; name" VALUES
	(1, 'first', '(alpha,1)', '{1,2,3}'),
	(2, 'second; with semicolon', '("be""ta",)', '{}'),
	(3, NULL, NULL, NULL);


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.audit_log VALUES
	(1, 'authors', 1, 'inserted Ada Lovelace', '2024-01-01 00:00:00+00'),
	(2, 'authors', 2, 'inserted Émile Zola', '2024-01-01 00:00:00+00'),
	(3, 'authors', 3, 'inserted 紫式部', '2024-01-01 00:00:00+00');
INSERT INTO public.audit_log VALUES
	(4, 'authors', 4, 'inserted O''Brien; DROP TABLE x', '2024-01-01 00:00:00+00'),
	(5, 'authors', 5, 'inserted Null Attrs', '2024-01-01 00:00:00+00');


--
-- Data for Name: authors; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.authors OVERRIDING SYSTEM VALUE VALUES
	(1, 'Ada Lovelace', 'happy', '"field"=>"math", "quoted key"=>"a \"b\" c"', '1815-12-10', '\x0001020304050607'),
	(2, 'Émile Zola', 'ok', '"lang"=>"fr"', '1840-04-02', '\x1011121314151617'),
	(3, '紫式部', 'très "content"', '"era"=>"Heian", "lang"=>"ja"', NULL, '\x2021222324252627');
INSERT INTO public.authors OVERRIDING SYSTEM VALUE VALUES
	(4, 'O''Brien; DROP TABLE x', 'sad', NULL, '1950-01-01', '\x3031323334353637'),
	(5, 'Null Attrs', 'ok', '"k"=>NULL', NULL, '\x4041424344454647');


--
-- Data for Name: books; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.books VALUES
	(1, 2, 'Book #1', 57, 0.14, DEFAULT, DEFAULT),
	(2, 3, 'Book #2', 64, 0.27, DEFAULT, DEFAULT),
	(3, 4, 'Book #3', 71, 0.40, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(4, 5, 'Book #4', 78, 0.53, DEFAULT, DEFAULT),
	(5, 1, 'Book #5', 85, 0.66, DEFAULT, DEFAULT),
	(6, 2, 'Book #6', 92, 0.79, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(7, 3, 'Book #7', 99, 0.92, DEFAULT, DEFAULT),
	(8, 4, 'Book #8', 106, 1.05, DEFAULT, DEFAULT),
	(9, 5, 'Book #9', 113, 1.18, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(10, 1, 'Book #10', 120, 1.31, DEFAULT, DEFAULT),
	(11, 2, 'Book #11', 127, 1.44, DEFAULT, DEFAULT),
	(12, 3, 'Book #12', 134, 1.57, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(13, 4, 'Book #13', 141, 1.70, DEFAULT, DEFAULT),
	(14, 5, 'Book #14', 148, 1.83, DEFAULT, DEFAULT),
	(15, 1, 'Book #15', 155, 1.96, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(16, 2, 'Book #16', 162, 2.09, DEFAULT, DEFAULT),
	(17, 3, 'Book #17', 169, 2.22, DEFAULT, DEFAULT),
	(18, 4, 'Book #18', 176, 2.35, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(19, 5, 'Book #19', 183, 2.48, DEFAULT, DEFAULT),
	(20, 1, 'Book #20', 190, 2.61, DEFAULT, DEFAULT),
	(21, 2, 'Book #21', 197, 2.74, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(22, 3, 'Book #22', 204, 2.87, DEFAULT, DEFAULT),
	(23, 4, 'Book #23', 211, 3.00, DEFAULT, DEFAULT),
	(24, 5, 'Book #24', 218, 3.13, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(25, 1, 'Book #25', 225, 3.26, DEFAULT, DEFAULT),
	(26, 2, 'Book #26', 232, 3.39, DEFAULT, DEFAULT),
	(27, 3, 'Book #27', 239, 3.52, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(28, 4, 'Book #28', 246, 3.65, DEFAULT, DEFAULT),
	(29, 5, 'Book #29', 253, 3.78, DEFAULT, DEFAULT),
	(30, 1, 'Book #30', 260, 3.91, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(31, 2, 'Book #31', 267, 4.04, DEFAULT, DEFAULT),
	(32, 3, 'Book #32', 274, 4.17, DEFAULT, DEFAULT),
	(33, 4, 'Book #33', 281, 4.30, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(34, 5, 'Book #34', 288, 4.43, DEFAULT, DEFAULT),
	(35, 1, 'Book #35', 295, 4.56, DEFAULT, DEFAULT),
	(36, 2, 'Book #36', 302, 4.69, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(37, 3, 'Book #37', 309, 4.82, DEFAULT, DEFAULT),
	(38, 4, 'Book #38', 316, 4.95, DEFAULT, DEFAULT),
	(39, 5, 'Book #39', 323, 5.08, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(40, 1, 'Book #40', 330, 5.21, DEFAULT, DEFAULT),
	(41, 2, 'Book #41', 337, 5.34, DEFAULT, DEFAULT),
	(42, 3, 'Book #42', 344, 5.47, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(43, 4, 'Book #43', 351, 5.60, DEFAULT, DEFAULT),
	(44, 5, 'Book #44', 358, 5.73, DEFAULT, DEFAULT),
	(45, 1, 'Book #45', 365, 5.86, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(46, 2, 'Book #46', 372, 5.99, DEFAULT, DEFAULT),
	(47, 3, 'Book #47', 379, 6.12, DEFAULT, DEFAULT),
	(48, 4, 'Book #48', 386, 6.25, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(49, 5, 'Book #49', 393, 6.38, DEFAULT, DEFAULT),
	(50, 1, 'Book #50', 400, 6.51, DEFAULT, DEFAULT),
	(51, 2, 'Book #51', 407, 6.64, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(52, 3, 'Book #52', 414, 6.77, DEFAULT, DEFAULT),
	(53, 4, 'Book #53', 421, 6.90, DEFAULT, DEFAULT),
	(54, 5, 'Book #54', 428, 7.03, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(55, 1, 'Book #55', 435, 7.16, DEFAULT, DEFAULT),
	(56, 2, 'Book #56', 442, 7.29, DEFAULT, DEFAULT),
	(57, 3, 'Book #57', 449, 7.42, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(58, 4, 'Book #58', 456, 7.55, DEFAULT, DEFAULT),
	(59, 5, 'Book #59', 463, 7.68, DEFAULT, DEFAULT),
	(60, 1, 'Book #60', 470, 7.81, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(61, 2, 'Book #61', 477, 7.94, DEFAULT, DEFAULT),
	(62, 3, 'Book #62', 484, 8.07, DEFAULT, DEFAULT),
	(63, 4, 'Book #63', 491, 8.20, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(64, 5, 'Book #64', 498, 8.33, DEFAULT, DEFAULT),
	(65, 1, 'Book #65', 505, 8.46, DEFAULT, DEFAULT),
	(66, 2, 'Book #66', 512, 8.59, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(67, 3, 'Book #67', 519, 8.72, DEFAULT, DEFAULT),
	(68, 4, 'Book #68', 526, 8.85, DEFAULT, DEFAULT),
	(69, 5, 'Book #69', 533, 8.98, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(70, 1, 'Book #70', 540, 9.11, DEFAULT, DEFAULT),
	(71, 2, 'Book #71', 547, 9.24, DEFAULT, DEFAULT),
	(72, 3, 'Book #72', 554, 9.37, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(73, 4, 'Book #73', 561, 9.50, DEFAULT, DEFAULT),
	(74, 5, 'Book #74', 568, 9.63, DEFAULT, DEFAULT),
	(75, 1, 'Book #75', 575, 9.76, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(76, 2, 'Book #76', 582, 9.89, DEFAULT, DEFAULT),
	(77, 3, 'Book #77', 589, 10.02, DEFAULT, DEFAULT),
	(78, 4, 'Book #78', 596, 10.15, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(79, 5, 'Book #79', 603, 10.28, DEFAULT, DEFAULT),
	(80, 1, 'Book #80', 610, 10.41, DEFAULT, DEFAULT),
	(81, 2, 'Book #81', 617, 10.54, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(82, 3, 'Book #82', 624, 10.67, DEFAULT, DEFAULT),
	(83, 4, 'Book #83', 631, 10.80, DEFAULT, DEFAULT),
	(84, 5, 'Book #84', 638, 10.93, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(85, 1, 'Book #85', 645, 11.06, DEFAULT, DEFAULT),
	(86, 2, 'Book #86', 652, 11.19, DEFAULT, DEFAULT),
	(87, 3, 'Book #87', 659, 11.32, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(88, 4, 'Book #88', 666, 11.45, DEFAULT, DEFAULT),
	(89, 5, 'Book #89', 673, 11.58, DEFAULT, DEFAULT),
	(90, 1, 'Book #90', 680, 11.71, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(91, 2, 'Book #91', 687, 11.84, DEFAULT, DEFAULT),
	(92, 3, 'Book #92', 694, 11.97, DEFAULT, DEFAULT),
	(93, 4, 'Book #93', 701, 12.10, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(94, 5, 'Book #94', 708, 12.23, DEFAULT, DEFAULT),
	(95, 1, 'Book #95', 715, 12.36, DEFAULT, DEFAULT),
	(96, 2, 'Book #96', 722, 12.49, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(97, 3, 'Book #97', 729, 12.62, DEFAULT, DEFAULT),
	(98, 4, 'Book #98', 736, 12.75, DEFAULT, DEFAULT),
	(99, 5, 'Book #99', 743, 12.88, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(100, 1, 'Book #100 — ünïcødé ünïcødé ünïcødé ', 750, 13.01, DEFAULT, DEFAULT),
	(101, 2, 'Book #101', 757, 13.14, DEFAULT, DEFAULT),
	(102, 3, 'Book #102', 764, 13.27, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(103, 4, 'Book #103', 771, 13.40, DEFAULT, DEFAULT),
	(104, 5, 'Book #104', 778, 13.53, DEFAULT, DEFAULT),
	(105, 1, 'Book #105', 785, 13.66, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(106, 2, 'Book #106', 792, 13.79, DEFAULT, DEFAULT),
	(107, 3, 'Book #107', 799, 13.92, DEFAULT, DEFAULT),
	(108, 4, 'Book #108', 806, 14.05, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(109, 5, 'Book #109', 813, 14.18, DEFAULT, DEFAULT),
	(110, 1, 'Book #110', 820, 14.31, DEFAULT, DEFAULT),
	(111, 2, 'Book #111', 827, 14.44, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(112, 3, 'Book #112', 834, 14.57, DEFAULT, DEFAULT),
	(113, 4, 'Book #113', 841, 14.70, DEFAULT, DEFAULT),
	(114, 5, 'Book #114', 848, 14.83, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(115, 1, 'Book #115', 855, 14.96, DEFAULT, DEFAULT),
	(116, 2, 'Book #116', 862, 15.09, DEFAULT, DEFAULT),
	(117, 3, 'Book #117', 869, 15.22, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(118, 4, 'Book #118', 876, 15.35, DEFAULT, DEFAULT),
	(119, 5, 'Book #119', 883, 15.48, DEFAULT, DEFAULT),
	(120, 1, 'Book #120', 890, 15.61, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(121, 2, 'Book #121', 897, 15.74, DEFAULT, DEFAULT),
	(122, 3, 'Book #122', 904, 15.87, DEFAULT, DEFAULT),
	(123, 4, 'Book #123', 911, 16.00, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(124, 5, 'Book #124', 918, 16.13, DEFAULT, DEFAULT),
	(125, 1, 'Book #125', 925, 16.26, DEFAULT, DEFAULT),
	(126, 2, 'Book #126', 932, 16.39, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(127, 3, 'Book #127', 939, 16.52, DEFAULT, DEFAULT),
	(128, 4, 'Book #128', 946, 16.65, DEFAULT, DEFAULT),
	(129, 5, 'Book #129', 53, 16.78, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(130, 1, 'Book #130', 60, 16.91, DEFAULT, DEFAULT),
	(131, 2, 'Book #131', 67, 17.04, DEFAULT, DEFAULT),
	(132, 3, 'Book #132', 74, 17.17, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(133, 4, 'Book #133', 81, 17.30, DEFAULT, DEFAULT),
	(134, 5, 'Book #134', 88, 17.43, DEFAULT, DEFAULT),
	(135, 1, 'Book #135', 95, 17.56, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(136, 2, 'Book #136', 102, 17.69, DEFAULT, DEFAULT),
	(137, 3, 'Book #137', 109, 17.82, DEFAULT, DEFAULT),
	(138, 4, 'Book #138', 116, 17.95, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(139, 5, 'Book #139', 123, 18.08, DEFAULT, DEFAULT),
	(140, 1, 'Book #140', 130, 18.21, DEFAULT, DEFAULT),
	(141, 2, 'Book #141', 137, 18.34, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(142, 3, 'Book #142', 144, 18.47, DEFAULT, DEFAULT),
	(143, 4, 'Book #143', 151, 18.60, DEFAULT, DEFAULT),
	(144, 5, 'Book #144', 158, 18.73, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(145, 1, 'Book #145', 165, 18.86, DEFAULT, DEFAULT),
	(146, 2, 'Book #146', 172, 18.99, DEFAULT, DEFAULT),
	(147, 3, 'Book #147', 179, 19.12, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(148, 4, 'Book #148', 186, 19.25, DEFAULT, DEFAULT),
	(149, 5, 'Book #149', 193, 19.38, DEFAULT, DEFAULT),
	(150, 1, 'Book #150', 200, 19.51, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(151, 2, 'Book #151', 207, 19.64, DEFAULT, DEFAULT),
	(152, 3, 'Book #152', 214, 19.77, DEFAULT, DEFAULT),
	(153, 4, 'Book #153', 221, 19.90, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(154, 5, 'Book #154', 228, 20.03, DEFAULT, DEFAULT),
	(155, 1, 'Book #155', 235, 20.16, DEFAULT, DEFAULT),
	(156, 2, 'Book #156', 242, 20.29, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(157, 3, 'Book #157', 249, 20.42, DEFAULT, DEFAULT),
	(158, 4, 'Book #158', 256, 20.55, DEFAULT, DEFAULT),
	(159, 5, 'Book #159', 263, 20.68, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(160, 1, 'Book #160', 270, 20.81, DEFAULT, DEFAULT),
	(161, 2, 'Book #161', 277, 20.94, DEFAULT, DEFAULT),
	(162, 3, 'Book #162', 284, 21.07, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(163, 4, 'Book #163', 291, 21.20, DEFAULT, DEFAULT),
	(164, 5, 'Book #164', 298, 21.33, DEFAULT, DEFAULT),
	(165, 1, 'Book #165', 305, 21.46, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(166, 2, 'Book #166', 312, 21.59, DEFAULT, DEFAULT),
	(167, 3, 'Book #167', 319, 21.72, DEFAULT, DEFAULT),
	(168, 4, 'Book #168', 326, 21.85, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(169, 5, 'Book #169', 333, 21.98, DEFAULT, DEFAULT),
	(170, 1, 'Book #170', 340, 22.11, DEFAULT, DEFAULT),
	(171, 2, 'Book #171', 347, 22.24, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(172, 3, 'Book #172', 354, 22.37, DEFAULT, DEFAULT),
	(173, 4, 'Book #173', 361, 22.50, DEFAULT, DEFAULT),
	(174, 5, 'Book #174', 368, 22.63, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(175, 1, 'Book #175', 375, 22.76, DEFAULT, DEFAULT),
	(176, 2, 'Book #176', 382, 22.89, DEFAULT, DEFAULT),
	(177, 3, 'Book #177', 389, 23.02, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(178, 4, 'Book #178', 396, 23.15, DEFAULT, DEFAULT),
	(179, 5, 'Book #179', 403, 23.28, DEFAULT, DEFAULT),
	(180, 1, 'Book #180', 410, 23.41, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(181, 2, 'Book #181', 417, 23.54, DEFAULT, DEFAULT),
	(182, 3, 'Book #182', 424, 23.67, DEFAULT, DEFAULT),
	(183, 4, 'Book #183', 431, 23.80, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(184, 5, 'Book #184', 438, 23.93, DEFAULT, DEFAULT),
	(185, 1, 'Book #185', 445, 24.06, DEFAULT, DEFAULT),
	(186, 2, 'Book #186', 452, 24.19, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(187, 3, 'Book #187', 459, 24.32, DEFAULT, DEFAULT),
	(188, 4, 'Book #188', 466, 24.45, DEFAULT, DEFAULT),
	(189, 5, 'Book #189', 473, 24.58, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(190, 1, 'Book #190', 480, 24.71, DEFAULT, DEFAULT),
	(191, 2, 'Book #191', 487, 24.84, DEFAULT, DEFAULT),
	(192, 3, 'Book #192', 494, 24.97, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(193, 4, 'Book #193', 501, 25.10, DEFAULT, DEFAULT),
	(194, 5, 'Book #194', 508, 25.23, DEFAULT, DEFAULT),
	(195, 1, 'Book #195', 515, 25.36, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(196, 2, 'Book #196', 522, 25.49, DEFAULT, DEFAULT),
	(197, 3, 'Book #197', 529, 25.62, DEFAULT, DEFAULT),
	(198, 4, 'Book #198', 536, 25.75, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(199, 5, 'Book #199', 543, 25.88, DEFAULT, DEFAULT),
	(200, 1, 'Book #200 — ünïcødé ünïcødé ünïcødé ', 550, 26.01, DEFAULT, DEFAULT),
	(201, 2, 'Book #201', 557, 26.14, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(202, 3, 'Book #202', 564, 26.27, DEFAULT, DEFAULT),
	(203, 4, 'Book #203', 571, 26.40, DEFAULT, DEFAULT),
	(204, 5, 'Book #204', 578, 26.53, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(205, 1, 'Book #205', 585, 26.66, DEFAULT, DEFAULT),
	(206, 2, 'Book #206', 592, 26.79, DEFAULT, DEFAULT),
	(207, 3, 'Book #207', 599, 26.92, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(208, 4, 'Book #208', 606, 27.05, DEFAULT, DEFAULT),
	(209, 5, 'Book #209', 613, 27.18, DEFAULT, DEFAULT),
	(210, 1, 'Book #210', 620, 27.31, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(211, 2, 'Book #211', 627, 27.44, DEFAULT, DEFAULT),
	(212, 3, 'Book #212', 634, 27.57, DEFAULT, DEFAULT),
	(213, 4, 'Book #213', 641, 27.70, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(214, 5, 'Book #214', 648, 27.83, DEFAULT, DEFAULT),
	(215, 1, 'Book #215', 655, 27.96, DEFAULT, DEFAULT),
	(216, 2, 'Book #216', 662, 28.09, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(217, 3, 'Book #217', 669, 28.22, DEFAULT, DEFAULT),
	(218, 4, 'Book #218', 676, 28.35, DEFAULT, DEFAULT),
	(219, 5, 'Book #219', 683, 28.48, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(220, 1, 'Book #220', 690, 28.61, DEFAULT, DEFAULT),
	(221, 2, 'Book #221', 697, 28.74, DEFAULT, DEFAULT),
	(222, 3, 'Book #222', 704, 28.87, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(223, 4, 'Book #223', 711, 29.00, DEFAULT, DEFAULT),
	(224, 5, 'Book #224', 718, 29.13, DEFAULT, DEFAULT),
	(225, 1, 'Book #225', 725, 29.26, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(226, 2, 'Book #226', 732, 29.39, DEFAULT, DEFAULT),
	(227, 3, 'Book #227', 739, 29.52, DEFAULT, DEFAULT),
	(228, 4, 'Book #228', 746, 29.65, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(229, 5, 'Book #229', 753, 29.78, DEFAULT, DEFAULT),
	(230, 1, 'Book #230', 760, 29.91, DEFAULT, DEFAULT),
	(231, 2, 'Book #231', 767, 30.04, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(232, 3, 'Book #232', 774, 30.17, DEFAULT, DEFAULT),
	(233, 4, 'Book #233', 781, 30.30, DEFAULT, DEFAULT),
	(234, 5, 'Book #234', 788, 30.43, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(235, 1, 'Book #235', 795, 30.56, DEFAULT, DEFAULT),
	(236, 2, 'Book #236', 802, 30.69, DEFAULT, DEFAULT),
	(237, 3, 'Book #237', 809, 30.82, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(238, 4, 'Book #238', 816, 30.95, DEFAULT, DEFAULT),
	(239, 5, 'Book #239', 823, 31.08, DEFAULT, DEFAULT),
	(240, 1, 'Book #240', 830, 31.21, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(241, 2, 'Book #241', 837, 31.34, DEFAULT, DEFAULT),
	(242, 3, 'Book #242', 844, 31.47, DEFAULT, DEFAULT),
	(243, 4, 'Book #243', 851, 31.60, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(244, 5, 'Book #244', 858, 31.73, DEFAULT, DEFAULT),
	(245, 1, 'Book #245', 865, 31.86, DEFAULT, DEFAULT),
	(246, 2, 'Book #246', 872, 31.99, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(247, 3, 'Book #247', 879, 32.12, DEFAULT, DEFAULT),
	(248, 4, 'Book #248', 886, 32.25, DEFAULT, DEFAULT),
	(249, 5, 'Book #249', 893, 32.38, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(250, 1, 'Book #250', 900, 32.51, DEFAULT, DEFAULT),
	(251, 2, 'Book #251', 907, 32.64, DEFAULT, DEFAULT),
	(252, 3, 'Book #252', 914, 32.77, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(253, 4, 'Book #253', 921, 32.90, DEFAULT, DEFAULT),
	(254, 5, 'Book #254', 928, 33.03, DEFAULT, DEFAULT),
	(255, 1, 'Book #255', 935, 33.16, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(256, 2, 'Book #256', 942, 33.29, DEFAULT, DEFAULT),
	(257, 3, 'Book #257', 949, 33.42, DEFAULT, DEFAULT),
	(258, 4, 'Book #258', 56, 33.55, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(259, 5, 'Book #259', 63, 33.68, DEFAULT, DEFAULT),
	(260, 1, 'Book #260', 70, 33.81, DEFAULT, DEFAULT),
	(261, 2, 'Book #261', 77, 33.94, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(262, 3, 'Book #262', 84, 34.07, DEFAULT, DEFAULT),
	(263, 4, 'Book #263', 91, 34.20, DEFAULT, DEFAULT),
	(264, 5, 'Book #264', 98, 34.33, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(265, 1, 'Book #265', 105, 34.46, DEFAULT, DEFAULT),
	(266, 2, 'Book #266', 112, 34.59, DEFAULT, DEFAULT),
	(267, 3, 'Book #267', 119, 34.72, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(268, 4, 'Book #268', 126, 34.85, DEFAULT, DEFAULT),
	(269, 5, 'Book #269', 133, 34.98, DEFAULT, DEFAULT),
	(270, 1, 'Book #270', 140, 35.11, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(271, 2, 'Book #271', 147, 35.24, DEFAULT, DEFAULT),
	(272, 3, 'Book #272', 154, 35.37, DEFAULT, DEFAULT),
	(273, 4, 'Book #273', 161, 35.50, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(274, 5, 'Book #274', 168, 35.63, DEFAULT, DEFAULT),
	(275, 1, 'Book #275', 175, 35.76, DEFAULT, DEFAULT),
	(276, 2, 'Book #276', 182, 35.89, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(277, 3, 'Book #277', 189, 36.02, DEFAULT, DEFAULT),
	(278, 4, 'Book #278', 196, 36.15, DEFAULT, DEFAULT),
	(279, 5, 'Book #279', 203, 36.28, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(280, 1, 'Book #280', 210, 36.41, DEFAULT, DEFAULT),
	(281, 2, 'Book #281', 217, 36.54, DEFAULT, DEFAULT),
	(282, 3, 'Book #282', 224, 36.67, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(283, 4, 'Book #283', 231, 36.80, DEFAULT, DEFAULT),
	(284, 5, 'Book #284', 238, 36.93, DEFAULT, DEFAULT),
	(285, 1, 'Book #285', 245, 37.06, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(286, 2, 'Book #286', 252, 37.19, DEFAULT, DEFAULT),
	(287, 3, 'Book #287', 259, 37.32, DEFAULT, DEFAULT),
	(288, 4, 'Book #288', 266, 37.45, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(289, 5, 'Book #289', 273, 37.58, DEFAULT, DEFAULT),
	(290, 1, 'Book #290', 280, 37.71, DEFAULT, DEFAULT),
	(291, 2, 'Book #291', 287, 37.84, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(292, 3, 'Book #292', 294, 37.97, DEFAULT, DEFAULT),
	(293, 4, 'Book #293', 301, 38.10, DEFAULT, DEFAULT),
	(294, 5, 'Book #294', 308, 38.23, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(295, 1, 'Book #295', 315, 38.36, DEFAULT, DEFAULT),
	(296, 2, 'Book #296', 322, 38.49, DEFAULT, DEFAULT),
	(297, 3, 'Book #297', 329, 38.62, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(298, 4, 'Book #298', 336, 38.75, DEFAULT, DEFAULT),
	(299, 5, 'Book #299', 343, 38.88, DEFAULT, DEFAULT),
	(300, 1, 'Book #300 — ünïcødé ünïcødé ünïcødé ', 350, 39.01, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(301, 2, 'Book #301', 357, 39.14, DEFAULT, DEFAULT),
	(302, 3, 'Book #302', 364, 39.27, DEFAULT, DEFAULT),
	(303, 4, 'Book #303', 371, 39.40, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(304, 5, 'Book #304', 378, 39.53, DEFAULT, DEFAULT),
	(305, 1, 'Book #305', 385, 39.66, DEFAULT, DEFAULT),
	(306, 2, 'Book #306', 392, 39.79, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(307, 3, 'Book #307', 399, 39.92, DEFAULT, DEFAULT),
	(308, 4, 'Book #308', 406, 40.05, DEFAULT, DEFAULT),
	(309, 5, 'Book #309', 413, 40.18, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(310, 1, 'Book #310', 420, 40.31, DEFAULT, DEFAULT),
	(311, 2, 'Book #311', 427, 40.44, DEFAULT, DEFAULT),
	(312, 3, 'Book #312', 434, 40.57, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(313, 4, 'Book #313', 441, 40.70, DEFAULT, DEFAULT),
	(314, 5, 'Book #314', 448, 40.83, DEFAULT, DEFAULT),
	(315, 1, 'Book #315', 455, 40.96, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(316, 2, 'Book #316', 462, 41.09, DEFAULT, DEFAULT),
	(317, 3, 'Book #317', 469, 41.22, DEFAULT, DEFAULT),
	(318, 4, 'Book #318', 476, 41.35, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(319, 5, 'Book #319', 483, 41.48, DEFAULT, DEFAULT),
	(320, 1, 'Book #320', 490, 41.61, DEFAULT, DEFAULT),
	(321, 2, 'Book #321', 497, 41.74, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(322, 3, 'Book #322', 504, 41.87, DEFAULT, DEFAULT),
	(323, 4, 'Book #323', 511, 42.00, DEFAULT, DEFAULT),
	(324, 5, 'Book #324', 518, 42.13, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(325, 1, 'Book #325', 525, 42.26, DEFAULT, DEFAULT),
	(326, 2, 'Book #326', 532, 42.39, DEFAULT, DEFAULT),
	(327, 3, 'Book #327', 539, 42.52, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(328, 4, 'Book #328', 546, 42.65, DEFAULT, DEFAULT),
	(329, 5, 'Book #329', 553, 42.78, DEFAULT, DEFAULT),
	(330, 1, 'Book #330', 560, 42.91, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(331, 2, 'Book #331', 567, 43.04, DEFAULT, DEFAULT),
	(332, 3, 'Book #332', 574, 43.17, DEFAULT, DEFAULT),
	(333, 4, 'Book #333', 581, 43.30, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(334, 5, 'Book #334', 588, 43.43, DEFAULT, DEFAULT),
	(335, 1, 'Book #335', 595, 43.56, DEFAULT, DEFAULT),
	(336, 2, 'Book #336', 602, 43.69, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(337, 3, 'Book #337', 609, 43.82, DEFAULT, DEFAULT),
	(338, 4, 'Book #338', 616, 43.95, DEFAULT, DEFAULT),
	(339, 5, 'Book #339', 623, 44.08, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(340, 1, 'Book #340', 630, 44.21, DEFAULT, DEFAULT),
	(341, 2, 'Book #341', 637, 44.34, DEFAULT, DEFAULT),
	(342, 3, 'Book #342', 644, 44.47, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(343, 4, 'Book #343', 651, 44.60, DEFAULT, DEFAULT),
	(344, 5, 'Book #344', 658, 44.73, DEFAULT, DEFAULT),
	(345, 1, 'Book #345', 665, 44.86, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(346, 2, 'Book #346', 672, 44.99, DEFAULT, DEFAULT),
	(347, 3, 'Book #347', 679, 45.12, DEFAULT, DEFAULT),
	(348, 4, 'Book #348', 686, 45.25, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(349, 5, 'Book #349', 693, 45.38, DEFAULT, DEFAULT),
	(350, 1, 'Book #350', 700, 45.51, DEFAULT, DEFAULT),
	(351, 2, 'Book #351', 707, 45.64, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(352, 3, 'Book #352', 714, 45.77, DEFAULT, DEFAULT),
	(353, 4, 'Book #353', 721, 45.90, DEFAULT, DEFAULT),
	(354, 5, 'Book #354', 728, 46.03, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(355, 1, 'Book #355', 735, 46.16, DEFAULT, DEFAULT),
	(356, 2, 'Book #356', 742, 46.29, DEFAULT, DEFAULT),
	(357, 3, 'Book #357', 749, 46.42, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(358, 4, 'Book #358', 756, 46.55, DEFAULT, DEFAULT),
	(359, 5, 'Book #359', 763, 46.68, DEFAULT, DEFAULT),
	(360, 1, 'Book #360', 770, 46.81, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(361, 2, 'Book #361', 777, 46.94, DEFAULT, DEFAULT),
	(362, 3, 'Book #362', 784, 47.07, DEFAULT, DEFAULT),
	(363, 4, 'Book #363', 791, 47.20, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(364, 5, 'Book #364', 798, 47.33, DEFAULT, DEFAULT),
	(365, 1, 'Book #365', 805, 47.46, DEFAULT, DEFAULT),
	(366, 2, 'Book #366', 812, 47.59, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(367, 3, 'Book #367', 819, 47.72, DEFAULT, DEFAULT),
	(368, 4, 'Book #368', 826, 47.85, DEFAULT, DEFAULT),
	(369, 5, 'Book #369', 833, 47.98, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(370, 1, 'Book #370', 840, 48.11, DEFAULT, DEFAULT),
	(371, 2, 'Book #371', 847, 48.24, DEFAULT, DEFAULT),
	(372, 3, 'Book #372', 854, 48.37, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(373, 4, 'Book #373', 861, 48.50, DEFAULT, DEFAULT),
	(374, 5, 'Book #374', 868, 48.63, DEFAULT, DEFAULT),
	(375, 1, 'Book #375', 875, 48.76, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(376, 2, 'Book #376', 882, 48.89, DEFAULT, DEFAULT),
	(377, 3, 'Book #377', 889, 49.02, DEFAULT, DEFAULT),
	(378, 4, 'Book #378', 896, 49.15, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(379, 5, 'Book #379', 903, 49.28, DEFAULT, DEFAULT),
	(380, 1, 'Book #380', 910, 49.41, DEFAULT, DEFAULT),
	(381, 2, 'Book #381', 917, 49.54, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(382, 3, 'Book #382', 924, 49.67, DEFAULT, DEFAULT),
	(383, 4, 'Book #383', 931, 49.80, DEFAULT, DEFAULT),
	(384, 5, 'Book #384', 938, 49.93, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(385, 1, 'Book #385', 945, 50.06, DEFAULT, DEFAULT),
	(386, 2, 'Book #386', 52, 50.19, DEFAULT, DEFAULT),
	(387, 3, 'Book #387', 59, 50.32, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(388, 4, 'Book #388', 66, 50.45, DEFAULT, DEFAULT),
	(389, 5, 'Book #389', 73, 50.58, DEFAULT, DEFAULT),
	(390, 1, 'Book #390', 80, 50.71, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(391, 2, 'Book #391', 87, 50.84, DEFAULT, DEFAULT),
	(392, 3, 'Book #392', 94, 50.97, DEFAULT, DEFAULT),
	(393, 4, 'Book #393', 101, 51.10, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(394, 5, 'Book #394', 108, 51.23, DEFAULT, DEFAULT),
	(395, 1, 'Book #395', 115, 51.36, DEFAULT, DEFAULT),
	(396, 2, 'Book #396', 122, 51.49, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(397, 3, 'Book #397', 129, 51.62, DEFAULT, DEFAULT),
	(398, 4, 'Book #398', 136, 51.75, DEFAULT, DEFAULT),
	(399, 5, 'Book #399', 143, 51.88, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(400, 1, 'Book #400 — ünïcødé ünïcødé ünïcødé ', 150, 52.01, DEFAULT, DEFAULT),
	(401, 2, 'Book #401', 157, 52.14, DEFAULT, DEFAULT),
	(402, 3, 'Book #402', 164, 52.27, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(403, 4, 'Book #403', 171, 52.40, DEFAULT, DEFAULT),
	(404, 5, 'Book #404', 178, 52.53, DEFAULT, DEFAULT),
	(405, 1, 'Book #405', 185, 52.66, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(406, 2, 'Book #406', 192, 52.79, DEFAULT, DEFAULT),
	(407, 3, 'Book #407', 199, 52.92, DEFAULT, DEFAULT),
	(408, 4, 'Book #408', 206, 53.05, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(409, 5, 'Book #409', 213, 53.18, DEFAULT, DEFAULT),
	(410, 1, 'Book #410', 220, 53.31, DEFAULT, DEFAULT),
	(411, 2, 'Book #411', 227, 53.44, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(412, 3, 'Book #412', 234, 53.57, DEFAULT, DEFAULT),
	(413, 4, 'Book #413', 241, 53.70, DEFAULT, DEFAULT),
	(414, 5, 'Book #414', 248, 53.83, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(415, 1, 'Book #415', 255, 53.96, DEFAULT, DEFAULT),
	(416, 2, 'Book #416', 262, 54.09, DEFAULT, DEFAULT),
	(417, 3, 'Book #417', 269, 54.22, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(418, 4, 'Book #418', 276, 54.35, DEFAULT, DEFAULT),
	(419, 5, 'Book #419', 283, 54.48, DEFAULT, DEFAULT),
	(420, 1, 'Book #420', 290, 54.61, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(421, 2, 'Book #421', 297, 54.74, DEFAULT, DEFAULT),
	(422, 3, 'Book #422', 304, 54.87, DEFAULT, DEFAULT),
	(423, 4, 'Book #423', 311, 55.00, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(424, 5, 'Book #424', 318, 55.13, DEFAULT, DEFAULT),
	(425, 1, 'Book #425', 325, 55.26, DEFAULT, DEFAULT),
	(426, 2, 'Book #426', 332, 55.39, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(427, 3, 'Book #427', 339, 55.52, DEFAULT, DEFAULT),
	(428, 4, 'Book #428', 346, 55.65, DEFAULT, DEFAULT),
	(429, 5, 'Book #429', 353, 55.78, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(430, 1, 'Book #430', 360, 55.91, DEFAULT, DEFAULT),
	(431, 2, 'Book #431', 367, 56.04, DEFAULT, DEFAULT),
	(432, 3, 'Book #432', 374, 56.17, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(433, 4, 'Book #433', 381, 56.30, DEFAULT, DEFAULT),
	(434, 5, 'Book #434', 388, 56.43, DEFAULT, DEFAULT),
	(435, 1, 'Book #435', 395, 56.56, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(436, 2, 'Book #436', 402, 56.69, DEFAULT, DEFAULT),
	(437, 3, 'Book #437', 409, 56.82, DEFAULT, DEFAULT),
	(438, 4, 'Book #438', 416, 56.95, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(439, 5, 'Book #439', 423, 57.08, DEFAULT, DEFAULT),
	(440, 1, 'Book #440', 430, 57.21, DEFAULT, DEFAULT),
	(441, 2, 'Book #441', 437, 57.34, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(442, 3, 'Book #442', 444, 57.47, DEFAULT, DEFAULT),
	(443, 4, 'Book #443', 451, 57.60, DEFAULT, DEFAULT),
	(444, 5, 'Book #444', 458, 57.73, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(445, 1, 'Book #445', 465, 57.86, DEFAULT, DEFAULT),
	(446, 2, 'Book #446', 472, 57.99, DEFAULT, DEFAULT),
	(447, 3, 'Book #447', 479, 58.12, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(448, 4, 'Book #448', 486, 58.25, DEFAULT, DEFAULT),
	(449, 5, 'Book #449', 493, 58.38, DEFAULT, DEFAULT),
	(450, 1, 'Book #450', 500, 58.51, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(451, 2, 'Book #451', 507, 58.64, DEFAULT, DEFAULT),
	(452, 3, 'Book #452', 514, 58.77, DEFAULT, DEFAULT),
	(453, 4, 'Book #453', 521, 58.90, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(454, 5, 'Book #454', 528, 59.03, DEFAULT, DEFAULT),
	(455, 1, 'Book #455', 535, 59.16, DEFAULT, DEFAULT),
	(456, 2, 'Book #456', 542, 59.29, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(457, 3, 'Book #457', 549, 59.42, DEFAULT, DEFAULT),
	(458, 4, 'Book #458', 556, 59.55, DEFAULT, DEFAULT),
	(459, 5, 'Book #459', 563, 59.68, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(460, 1, 'Book #460', 570, 59.81, DEFAULT, DEFAULT),
	(461, 2, 'Book #461', 577, 59.94, DEFAULT, DEFAULT),
	(462, 3, 'Book #462', 584, 60.07, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(463, 4, 'Book #463', 591, 60.20, DEFAULT, DEFAULT),
	(464, 5, 'Book #464', 598, 60.33, DEFAULT, DEFAULT),
	(465, 1, 'Book #465', 605, 60.46, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(466, 2, 'Book #466', 612, 60.59, DEFAULT, DEFAULT),
	(467, 3, 'Book #467', 619, 60.72, DEFAULT, DEFAULT),
	(468, 4, 'Book #468', 626, 60.85, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(469, 5, 'Book #469', 633, 60.98, DEFAULT, DEFAULT),
	(470, 1, 'Book #470', 640, 61.11, DEFAULT, DEFAULT),
	(471, 2, 'Book #471', 647, 61.24, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(472, 3, 'Book #472', 654, 61.37, DEFAULT, DEFAULT),
	(473, 4, 'Book #473', 661, 61.50, DEFAULT, DEFAULT),
	(474, 5, 'Book #474', 668, 61.63, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(475, 1, 'Book #475', 675, 61.76, DEFAULT, DEFAULT),
	(476, 2, 'Book #476', 682, 61.89, DEFAULT, DEFAULT),
	(477, 3, 'Book #477', 689, 62.02, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(478, 4, 'Book #478', 696, 62.15, DEFAULT, DEFAULT),
	(479, 5, 'Book #479', 703, 62.28, DEFAULT, DEFAULT),
	(480, 1, 'Book #480', 710, 62.41, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(481, 2, 'Book #481', 717, 62.54, DEFAULT, DEFAULT),
	(482, 3, 'Book #482', 724, 62.67, DEFAULT, DEFAULT),
	(483, 4, 'Book #483', 731, 62.80, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(484, 5, 'Book #484', 738, 62.93, DEFAULT, DEFAULT),
	(485, 1, 'Book #485', 745, 63.06, DEFAULT, DEFAULT),
	(486, 2, 'Book #486', 752, 63.19, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(487, 3, 'Book #487', 759, 63.32, DEFAULT, DEFAULT),
	(488, 4, 'Book #488', 766, 63.45, DEFAULT, DEFAULT),
	(489, 5, 'Book #489', 773, 63.58, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(490, 1, 'Book #490', 780, 63.71, DEFAULT, DEFAULT),
	(491, 2, 'Book #491', 787, 63.84, DEFAULT, DEFAULT),
	(492, 3, 'Book #492', 794, 63.97, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(493, 4, 'Book #493', 801, 64.10, DEFAULT, DEFAULT),
	(494, 5, 'Book #494', 808, 64.23, DEFAULT, DEFAULT),
	(495, 1, 'Book #495', 815, 64.36, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(496, 2, 'Book #496', 822, 64.49, DEFAULT, DEFAULT),
	(497, 3, 'Book #497', 829, 64.62, DEFAULT, DEFAULT),
	(498, 4, 'Book #498', 836, 64.75, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(499, 5, 'Book #499', 843, 64.88, DEFAULT, DEFAULT),
	(500, 1, 'Book #500 — ünïcødé ünïcødé ünïcødé ', 850, 65.01, DEFAULT, DEFAULT),
	(501, 2, 'Book #501', 857, 65.14, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(502, 3, 'Book #502', 864, 65.27, DEFAULT, DEFAULT),
	(503, 4, 'Book #503', 871, 65.40, DEFAULT, DEFAULT),
	(504, 5, 'Book #504', 878, 65.53, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(505, 1, 'Book #505', 885, 65.66, DEFAULT, DEFAULT),
	(506, 2, 'Book #506', 892, 65.79, DEFAULT, DEFAULT),
	(507, 3, 'Book #507', 899, 65.92, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(508, 4, 'Book #508', 906, 66.05, DEFAULT, DEFAULT),
	(509, 5, 'Book #509', 913, 66.18, DEFAULT, DEFAULT),
	(510, 1, 'Book #510', 920, 66.31, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(511, 2, 'Book #511', 927, 66.44, DEFAULT, DEFAULT),
	(512, 3, 'Book #512', 934, 66.57, DEFAULT, DEFAULT),
	(513, 4, 'Book #513', 941, 66.70, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(514, 5, 'Book #514', 948, 66.83, DEFAULT, DEFAULT),
	(515, 1, 'Book #515', 55, 66.96, DEFAULT, DEFAULT),
	(516, 2, 'Book #516', 62, 67.09, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(517, 3, 'Book #517', 69, 67.22, DEFAULT, DEFAULT),
	(518, 4, 'Book #518', 76, 67.35, DEFAULT, DEFAULT),
	(519, 5, 'Book #519', 83, 67.48, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(520, 1, 'Book #520', 90, 67.61, DEFAULT, DEFAULT),
	(521, 2, 'Book #521', 97, 67.74, DEFAULT, DEFAULT),
	(522, 3, 'Book #522', 104, 67.87, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(523, 4, 'Book #523', 111, 68.00, DEFAULT, DEFAULT),
	(524, 5, 'Book #524', 118, 68.13, DEFAULT, DEFAULT),
	(525, 1, 'Book #525', 125, 68.26, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(526, 2, 'Book #526', 132, 68.39, DEFAULT, DEFAULT),
	(527, 3, 'Book #527', 139, 68.52, DEFAULT, DEFAULT),
	(528, 4, 'Book #528', 146, 68.65, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(529, 5, 'Book #529', 153, 68.78, DEFAULT, DEFAULT),
	(530, 1, 'Book #530', 160, 68.91, DEFAULT, DEFAULT),
	(531, 2, 'Book #531', 167, 69.04, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(532, 3, 'Book #532', 174, 69.17, DEFAULT, DEFAULT),
	(533, 4, 'Book #533', 181, 69.30, DEFAULT, DEFAULT),
	(534, 5, 'Book #534', 188, 69.43, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(535, 1, 'Book #535', 195, 69.56, DEFAULT, DEFAULT),
	(536, 2, 'Book #536', 202, 69.69, DEFAULT, DEFAULT),
	(537, 3, 'Book #537', 209, 69.82, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(538, 4, 'Book #538', 216, 69.95, DEFAULT, DEFAULT),
	(539, 5, 'Book #539', 223, 70.08, DEFAULT, DEFAULT),
	(540, 1, 'Book #540', 230, 70.21, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(541, 2, 'Book #541', 237, 70.34, DEFAULT, DEFAULT),
	(542, 3, 'Book #542', 244, 70.47, DEFAULT, DEFAULT),
	(543, 4, 'Book #543', 251, 70.60, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(544, 5, 'Book #544', 258, 70.73, DEFAULT, DEFAULT),
	(545, 1, 'Book #545', 265, 70.86, DEFAULT, DEFAULT),
	(546, 2, 'Book #546', 272, 70.99, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(547, 3, 'Book #547', 279, 71.12, DEFAULT, DEFAULT),
	(548, 4, 'Book #548', 286, 71.25, DEFAULT, DEFAULT),
	(549, 5, 'Book #549', 293, 71.38, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(550, 1, 'Book #550', 300, 71.51, DEFAULT, DEFAULT),
	(551, 2, 'Book #551', 307, 71.64, DEFAULT, DEFAULT),
	(552, 3, 'Book #552', 314, 71.77, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(553, 4, 'Book #553', 321, 71.90, DEFAULT, DEFAULT),
	(554, 5, 'Book #554', 328, 72.03, DEFAULT, DEFAULT),
	(555, 1, 'Book #555', 335, 72.16, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(556, 2, 'Book #556', 342, 72.29, DEFAULT, DEFAULT),
	(557, 3, 'Book #557', 349, 72.42, DEFAULT, DEFAULT),
	(558, 4, 'Book #558', 356, 72.55, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(559, 5, 'Book #559', 363, 72.68, DEFAULT, DEFAULT),
	(560, 1, 'Book #560', 370, 72.81, DEFAULT, DEFAULT),
	(561, 2, 'Book #561', 377, 72.94, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(562, 3, 'Book #562', 384, 73.07, DEFAULT, DEFAULT),
	(563, 4, 'Book #563', 391, 73.20, DEFAULT, DEFAULT),
	(564, 5, 'Book #564', 398, 73.33, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(565, 1, 'Book #565', 405, 73.46, DEFAULT, DEFAULT),
	(566, 2, 'Book #566', 412, 73.59, DEFAULT, DEFAULT),
	(567, 3, 'Book #567', 419, 73.72, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(568, 4, 'Book #568', 426, 73.85, DEFAULT, DEFAULT),
	(569, 5, 'Book #569', 433, 73.98, DEFAULT, DEFAULT),
	(570, 1, 'Book #570', 440, 74.11, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(571, 2, 'Book #571', 447, 74.24, DEFAULT, DEFAULT),
	(572, 3, 'Book #572', 454, 74.37, DEFAULT, DEFAULT),
	(573, 4, 'Book #573', 461, 74.50, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(574, 5, 'Book #574', 468, 74.63, DEFAULT, DEFAULT),
	(575, 1, 'Book #575', 475, 74.76, DEFAULT, DEFAULT),
	(576, 2, 'Book #576', 482, 74.89, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(577, 3, 'Book #577', 489, 75.02, DEFAULT, DEFAULT),
	(578, 4, 'Book #578', 496, 75.15, DEFAULT, DEFAULT),
	(579, 5, 'Book #579', 503, 75.28, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(580, 1, 'Book #580', 510, 75.41, DEFAULT, DEFAULT),
	(581, 2, 'Book #581', 517, 75.54, DEFAULT, DEFAULT),
	(582, 3, 'Book #582', 524, 75.67, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(583, 4, 'Book #583', 531, 75.80, DEFAULT, DEFAULT),
	(584, 5, 'Book #584', 538, 75.93, DEFAULT, DEFAULT),
	(585, 1, 'Book #585', 545, 76.06, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(586, 2, 'Book #586', 552, 76.19, DEFAULT, DEFAULT),
	(587, 3, 'Book #587', 559, 76.32, DEFAULT, DEFAULT),
	(588, 4, 'Book #588', 566, 76.45, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(589, 5, 'Book #589', 573, 76.58, DEFAULT, DEFAULT),
	(590, 1, 'Book #590', 580, 76.71, DEFAULT, DEFAULT),
	(591, 2, 'Book #591', 587, 76.84, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(592, 3, 'Book #592', 594, 76.97, DEFAULT, DEFAULT),
	(593, 4, 'Book #593', 601, 77.10, DEFAULT, DEFAULT),
	(594, 5, 'Book #594', 608, 77.23, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(595, 1, 'Book #595', 615, 77.36, DEFAULT, DEFAULT),
	(596, 2, 'Book #596', 622, 77.49, DEFAULT, DEFAULT),
	(597, 3, 'Book #597', 629, 77.62, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(598, 4, 'Book #598', 636, 77.75, DEFAULT, DEFAULT),
	(599, 5, 'Book #599', 643, 77.88, DEFAULT, DEFAULT),
	(600, 1, 'Book #600 — ünïcødé ünïcødé ünïcødé ', 650, 78.01, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(601, 2, 'Book #601', 657, 78.14, DEFAULT, DEFAULT),
	(602, 3, 'Book #602', 664, 78.27, DEFAULT, DEFAULT),
	(603, 4, 'Book #603', 671, 78.40, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(604, 5, 'Book #604', 678, 78.53, DEFAULT, DEFAULT),
	(605, 1, 'Book #605', 685, 78.66, DEFAULT, DEFAULT),
	(606, 2, 'Book #606', 692, 78.79, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(607, 3, 'Book #607', 699, 78.92, DEFAULT, DEFAULT),
	(608, 4, 'Book #608', 706, 79.05, DEFAULT, DEFAULT),
	(609, 5, 'Book #609', 713, 79.18, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(610, 1, 'Book #610', 720, 79.31, DEFAULT, DEFAULT),
	(611, 2, 'Book #611', 727, 79.44, DEFAULT, DEFAULT),
	(612, 3, 'Book #612', 734, 79.57, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(613, 4, 'Book #613', 741, 79.70, DEFAULT, DEFAULT),
	(614, 5, 'Book #614', 748, 79.83, DEFAULT, DEFAULT),
	(615, 1, 'Book #615', 755, 79.96, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(616, 2, 'Book #616', 762, 80.09, DEFAULT, DEFAULT),
	(617, 3, 'Book #617', 769, 80.22, DEFAULT, DEFAULT),
	(618, 4, 'Book #618', 776, 80.35, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(619, 5, 'Book #619', 783, 80.48, DEFAULT, DEFAULT),
	(620, 1, 'Book #620', 790, 80.61, DEFAULT, DEFAULT),
	(621, 2, 'Book #621', 797, 80.74, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(622, 3, 'Book #622', 804, 80.87, DEFAULT, DEFAULT),
	(623, 4, 'Book #623', 811, 81.00, DEFAULT, DEFAULT),
	(624, 5, 'Book #624', 818, 81.13, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(625, 1, 'Book #625', 825, 81.26, DEFAULT, DEFAULT),
	(626, 2, 'Book #626', 832, 81.39, DEFAULT, DEFAULT),
	(627, 3, 'Book #627', 839, 81.52, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(628, 4, 'Book #628', 846, 81.65, DEFAULT, DEFAULT),
	(629, 5, 'Book #629', 853, 81.78, DEFAULT, DEFAULT),
	(630, 1, 'Book #630', 860, 81.91, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(631, 2, 'Book #631', 867, 82.04, DEFAULT, DEFAULT),
	(632, 3, 'Book #632', 874, 82.17, DEFAULT, DEFAULT),
	(633, 4, 'Book #633', 881, 82.30, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(634, 5, 'Book #634', 888, 82.43, DEFAULT, DEFAULT),
	(635, 1, 'Book #635', 895, 82.56, DEFAULT, DEFAULT),
	(636, 2, 'Book #636', 902, 82.69, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(637, 3, 'Book #637', 909, 82.82, DEFAULT, DEFAULT),
	(638, 4, 'Book #638', 916, 82.95, DEFAULT, DEFAULT),
	(639, 5, 'Book #639', 923, 83.08, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(640, 1, 'Book #640', 930, 83.21, DEFAULT, DEFAULT),
	(641, 2, 'Book #641', 937, 83.34, DEFAULT, DEFAULT),
	(642, 3, 'Book #642', 944, 83.47, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(643, 4, 'Book #643', 51, 83.60, DEFAULT, DEFAULT),
	(644, 5, 'Book #644', 58, 83.73, DEFAULT, DEFAULT),
	(645, 1, 'Book #645', 65, 83.86, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(646, 2, 'Book #646', 72, 83.99, DEFAULT, DEFAULT),
	(647, 3, 'Book #647', 79, 84.12, DEFAULT, DEFAULT),
	(648, 4, 'Book #648', 86, 84.25, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(649, 5, 'Book #649', 93, 84.38, DEFAULT, DEFAULT),
	(650, 1, 'Book #650', 100, 84.51, DEFAULT, DEFAULT),
	(651, 2, 'Book #651', 107, 84.64, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(652, 3, 'Book #652', 114, 84.77, DEFAULT, DEFAULT),
	(653, 4, 'Book #653', 121, 84.90, DEFAULT, DEFAULT),
	(654, 5, 'Book #654', 128, 85.03, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(655, 1, 'Book #655', 135, 85.16, DEFAULT, DEFAULT),
	(656, 2, 'Book #656', 142, 85.29, DEFAULT, DEFAULT),
	(657, 3, 'Book #657', 149, 85.42, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(658, 4, 'Book #658', 156, 85.55, DEFAULT, DEFAULT),
	(659, 5, 'Book #659', 163, 85.68, DEFAULT, DEFAULT),
	(660, 1, 'Book #660', 170, 85.81, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(661, 2, 'Book #661', 177, 85.94, DEFAULT, DEFAULT),
	(662, 3, 'Book #662', 184, 86.07, DEFAULT, DEFAULT),
	(663, 4, 'Book #663', 191, 86.20, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(664, 5, 'Book #664', 198, 86.33, DEFAULT, DEFAULT),
	(665, 1, 'Book #665', 205, 86.46, DEFAULT, DEFAULT),
	(666, 2, 'Book #666', 212, 86.59, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(667, 3, 'Book #667', 219, 86.72, DEFAULT, DEFAULT),
	(668, 4, 'Book #668', 226, 86.85, DEFAULT, DEFAULT),
	(669, 5, 'Book #669', 233, 86.98, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(670, 1, 'Book #670', 240, 87.11, DEFAULT, DEFAULT),
	(671, 2, 'Book #671', 247, 87.24, DEFAULT, DEFAULT),
	(672, 3, 'Book #672', 254, 87.37, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(673, 4, 'Book #673', 261, 87.50, DEFAULT, DEFAULT),
	(674, 5, 'Book #674', 268, 87.63, DEFAULT, DEFAULT),
	(675, 1, 'Book #675', 275, 87.76, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(676, 2, 'Book #676', 282, 87.89, DEFAULT, DEFAULT),
	(677, 3, 'Book #677', 289, 88.02, DEFAULT, DEFAULT),
	(678, 4, 'Book #678', 296, 88.15, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(679, 5, 'Book #679', 303, 88.28, DEFAULT, DEFAULT),
	(680, 1, 'Book #680', 310, 88.41, DEFAULT, DEFAULT),
	(681, 2, 'Book #681', 317, 88.54, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(682, 3, 'Book #682', 324, 88.67, DEFAULT, DEFAULT),
	(683, 4, 'Book #683', 331, 88.80, DEFAULT, DEFAULT),
	(684, 5, 'Book #684', 338, 88.93, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(685, 1, 'Book #685', 345, 89.06, DEFAULT, DEFAULT),
	(686, 2, 'Book #686', 352, 89.19, DEFAULT, DEFAULT),
	(687, 3, 'Book #687', 359, 89.32, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(688, 4, 'Book #688', 366, 89.45, DEFAULT, DEFAULT),
	(689, 5, 'Book #689', 373, 89.58, DEFAULT, DEFAULT),
	(690, 1, 'Book #690', 380, 89.71, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(691, 2, 'Book #691', 387, 89.84, DEFAULT, DEFAULT),
	(692, 3, 'Book #692', 394, 89.97, DEFAULT, DEFAULT),
	(693, 4, 'Book #693', 401, 90.10, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(694, 5, 'Book #694', 408, 90.23, DEFAULT, DEFAULT),
	(695, 1, 'Book #695', 415, 90.36, DEFAULT, DEFAULT),
	(696, 2, 'Book #696', 422, 90.49, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(697, 3, 'Book #697', 429, 90.62, DEFAULT, DEFAULT),
	(698, 4, 'Book #698', 436, 90.75, DEFAULT, DEFAULT),
	(699, 5, 'Book #699', 443, 90.88, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(700, 1, 'Book #700 — ünïcødé ünïcødé ünïcødé ', 450, 91.01, DEFAULT, DEFAULT),
	(701, 2, 'Book #701', 457, 91.14, DEFAULT, DEFAULT),
	(702, 3, 'Book #702', 464, 91.27, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(703, 4, 'Book #703', 471, 91.40, DEFAULT, DEFAULT),
	(704, 5, 'Book #704', 478, 91.53, DEFAULT, DEFAULT),
	(705, 1, 'Book #705', 485, 91.66, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(706, 2, 'Book #706', 492, 91.79, DEFAULT, DEFAULT),
	(707, 3, 'Book #707', 499, 91.92, DEFAULT, DEFAULT),
	(708, 4, 'Book #708', 506, 92.05, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(709, 5, 'Book #709', 513, 92.18, DEFAULT, DEFAULT),
	(710, 1, 'Book #710', 520, 92.31, DEFAULT, DEFAULT),
	(711, 2, 'Book #711', 527, 92.44, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(712, 3, 'Book #712', 534, 92.57, DEFAULT, DEFAULT),
	(713, 4, 'Book #713', 541, 92.70, DEFAULT, DEFAULT),
	(714, 5, 'Book #714', 548, 92.83, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(715, 1, 'Book #715', 555, 92.96, DEFAULT, DEFAULT),
	(716, 2, 'Book #716', 562, 93.09, DEFAULT, DEFAULT),
	(717, 3, 'Book #717', 569, 93.22, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(718, 4, 'Book #718', 576, 93.35, DEFAULT, DEFAULT),
	(719, 5, 'Book #719', 583, 93.48, DEFAULT, DEFAULT),
	(720, 1, 'Book #720', 590, 93.61, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(721, 2, 'Book #721', 597, 93.74, DEFAULT, DEFAULT),
	(722, 3, 'Book #722', 604, 93.87, DEFAULT, DEFAULT),
	(723, 4, 'Book #723', 611, 94.00, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(724, 5, 'Book #724', 618, 94.13, DEFAULT, DEFAULT),
	(725, 1, 'Book #725', 625, 94.26, DEFAULT, DEFAULT),
	(726, 2, 'Book #726', 632, 94.39, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(727, 3, 'Book #727', 639, 94.52, DEFAULT, DEFAULT),
	(728, 4, 'Book #728', 646, 94.65, DEFAULT, DEFAULT),
	(729, 5, 'Book #729', 653, 94.78, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(730, 1, 'Book #730', 660, 94.91, DEFAULT, DEFAULT),
	(731, 2, 'Book #731', 667, 95.04, DEFAULT, DEFAULT),
	(732, 3, 'Book #732', 674, 95.17, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(733, 4, 'Book #733', 681, 95.30, DEFAULT, DEFAULT),
	(734, 5, 'Book #734', 688, 95.43, DEFAULT, DEFAULT),
	(735, 1, 'Book #735', 695, 95.56, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(736, 2, 'Book #736', 702, 95.69, DEFAULT, DEFAULT),
	(737, 3, 'Book #737', 709, 95.82, DEFAULT, DEFAULT),
	(738, 4, 'Book #738', 716, 95.95, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(739, 5, 'Book #739', 723, 96.08, DEFAULT, DEFAULT),
	(740, 1, 'Book #740', 730, 96.21, DEFAULT, DEFAULT),
	(741, 2, 'Book #741', 737, 96.34, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(742, 3, 'Book #742', 744, 96.47, DEFAULT, DEFAULT),
	(743, 4, 'Book #743', 751, 96.60, DEFAULT, DEFAULT),
	(744, 5, 'Book #744', 758, 96.73, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(745, 1, 'Book #745', 765, 96.86, DEFAULT, DEFAULT),
	(746, 2, 'Book #746', 772, 96.99, DEFAULT, DEFAULT),
	(747, 3, 'Book #747', 779, 97.12, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(748, 4, 'Book #748', 786, 97.25, DEFAULT, DEFAULT),
	(749, 5, 'Book #749', 793, 97.38, DEFAULT, DEFAULT),
	(750, 1, 'Book #750', 800, 97.51, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(751, 2, 'Book #751', 807, 97.64, DEFAULT, DEFAULT),
	(752, 3, 'Book #752', 814, 97.77, DEFAULT, DEFAULT),
	(753, 4, 'Book #753', 821, 97.90, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(754, 5, 'Book #754', 828, 98.03, DEFAULT, DEFAULT),
	(755, 1, 'Book #755', 835, 98.16, DEFAULT, DEFAULT),
	(756, 2, 'Book #756', 842, 98.29, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(757, 3, 'Book #757', 849, 98.42, DEFAULT, DEFAULT),
	(758, 4, 'Book #758', 856, 98.55, DEFAULT, DEFAULT),
	(759, 5, 'Book #759', 863, 98.68, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(760, 1, 'Book #760', 870, 98.81, DEFAULT, DEFAULT),
	(761, 2, 'Book #761', 877, 98.94, DEFAULT, DEFAULT),
	(762, 3, 'Book #762', 884, 99.07, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(763, 4, 'Book #763', 891, 99.20, DEFAULT, DEFAULT),
	(764, 5, 'Book #764', 898, 99.33, DEFAULT, DEFAULT),
	(765, 1, 'Book #765', 905, 99.46, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(766, 2, 'Book #766', 912, 99.59, DEFAULT, DEFAULT),
	(767, 3, 'Book #767', 919, 99.72, DEFAULT, DEFAULT),
	(768, 4, 'Book #768', 926, 99.85, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(769, 5, 'Book #769', 933, 99.98, DEFAULT, DEFAULT),
	(770, 1, 'Book #770', 940, 0.11, DEFAULT, DEFAULT),
	(771, 2, 'Book #771', 947, 0.24, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(772, 3, 'Book #772', 54, 0.37, DEFAULT, DEFAULT),
	(773, 4, 'Book #773', 61, 0.50, DEFAULT, DEFAULT),
	(774, 5, 'Book #774', 68, 0.63, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(775, 1, 'Book #775', 75, 0.76, DEFAULT, DEFAULT),
	(776, 2, 'Book #776', 82, 0.89, DEFAULT, DEFAULT),
	(777, 3, 'Book #777', 89, 1.02, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(778, 4, 'Book #778', 96, 1.15, DEFAULT, DEFAULT),
	(779, 5, 'Book #779', 103, 1.28, DEFAULT, DEFAULT),
	(780, 1, 'Book #780', 110, 1.41, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(781, 2, 'Book #781', 117, 1.54, DEFAULT, DEFAULT),
	(782, 3, 'Book #782', 124, 1.67, DEFAULT, DEFAULT),
	(783, 4, 'Book #783', 131, 1.80, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(784, 5, 'Book #784', 138, 1.93, DEFAULT, DEFAULT),
	(785, 1, 'Book #785', 145, 2.06, DEFAULT, DEFAULT),
	(786, 2, 'Book #786', 152, 2.19, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(787, 3, 'Book #787', 159, 2.32, DEFAULT, DEFAULT),
	(788, 4, 'Book #788', 166, 2.45, DEFAULT, DEFAULT),
	(789, 5, 'Book #789', 173, 2.58, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(790, 1, 'Book #790', 180, 2.71, DEFAULT, DEFAULT),
	(791, 2, 'Book #791', 187, 2.84, DEFAULT, DEFAULT),
	(792, 3, 'Book #792', 194, 2.97, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(793, 4, 'Book #793', 201, 3.10, DEFAULT, DEFAULT),
	(794, 5, 'Book #794', 208, 3.23, DEFAULT, DEFAULT),
	(795, 1, 'Book #795', 215, 3.36, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(796, 2, 'Book #796', 222, 3.49, DEFAULT, DEFAULT),
	(797, 3, 'Book #797', 229, 3.62, DEFAULT, DEFAULT),
	(798, 4, 'Book #798', 236, 3.75, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(799, 5, 'Book #799', 243, 3.88, DEFAULT, DEFAULT),
	(800, 1, 'Book #800 — ünïcødé ünïcødé ünïcødé ', 250, 4.01, DEFAULT, DEFAULT),
	(801, 2, 'Book #801', 257, 4.14, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(802, 3, 'Book #802', 264, 4.27, DEFAULT, DEFAULT),
	(803, 4, 'Book #803', 271, 4.40, DEFAULT, DEFAULT),
	(804, 5, 'Book #804', 278, 4.53, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(805, 1, 'Book #805', 285, 4.66, DEFAULT, DEFAULT),
	(806, 2, 'Book #806', 292, 4.79, DEFAULT, DEFAULT),
	(807, 3, 'Book #807', 299, 4.92, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(808, 4, 'Book #808', 306, 5.05, DEFAULT, DEFAULT),
	(809, 5, 'Book #809', 313, 5.18, DEFAULT, DEFAULT),
	(810, 1, 'Book #810', 320, 5.31, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(811, 2, 'Book #811', 327, 5.44, DEFAULT, DEFAULT),
	(812, 3, 'Book #812', 334, 5.57, DEFAULT, DEFAULT),
	(813, 4, 'Book #813', 341, 5.70, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(814, 5, 'Book #814', 348, 5.83, DEFAULT, DEFAULT),
	(815, 1, 'Book #815', 355, 5.96, DEFAULT, DEFAULT),
	(816, 2, 'Book #816', 362, 6.09, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(817, 3, 'Book #817', 369, 6.22, DEFAULT, DEFAULT),
	(818, 4, 'Book #818', 376, 6.35, DEFAULT, DEFAULT),
	(819, 5, 'Book #819', 383, 6.48, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(820, 1, 'Book #820', 390, 6.61, DEFAULT, DEFAULT),
	(821, 2, 'Book #821', 397, 6.74, DEFAULT, DEFAULT),
	(822, 3, 'Book #822', 404, 6.87, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(823, 4, 'Book #823', 411, 7.00, DEFAULT, DEFAULT),
	(824, 5, 'Book #824', 418, 7.13, DEFAULT, DEFAULT),
	(825, 1, 'Book #825', 425, 7.26, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(826, 2, 'Book #826', 432, 7.39, DEFAULT, DEFAULT),
	(827, 3, 'Book #827', 439, 7.52, DEFAULT, DEFAULT),
	(828, 4, 'Book #828', 446, 7.65, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(829, 5, 'Book #829', 453, 7.78, DEFAULT, DEFAULT),
	(830, 1, 'Book #830', 460, 7.91, DEFAULT, DEFAULT),
	(831, 2, 'Book #831', 467, 8.04, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(832, 3, 'Book #832', 474, 8.17, DEFAULT, DEFAULT),
	(833, 4, 'Book #833', 481, 8.30, DEFAULT, DEFAULT),
	(834, 5, 'Book #834', 488, 8.43, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(835, 1, 'Book #835', 495, 8.56, DEFAULT, DEFAULT),
	(836, 2, 'Book #836', 502, 8.69, DEFAULT, DEFAULT),
	(837, 3, 'Book #837', 509, 8.82, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(838, 4, 'Book #838', 516, 8.95, DEFAULT, DEFAULT),
	(839, 5, 'Book #839', 523, 9.08, DEFAULT, DEFAULT),
	(840, 1, 'Book #840', 530, 9.21, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(841, 2, 'Book #841', 537, 9.34, DEFAULT, DEFAULT),
	(842, 3, 'Book #842', 544, 9.47, DEFAULT, DEFAULT),
	(843, 4, 'Book #843', 551, 9.60, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(844, 5, 'Book #844', 558, 9.73, DEFAULT, DEFAULT),
	(845, 1, 'Book #845', 565, 9.86, DEFAULT, DEFAULT),
	(846, 2, 'Book #846', 572, 9.99, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(847, 3, 'Book #847', 579, 10.12, DEFAULT, DEFAULT),
	(848, 4, 'Book #848', 586, 10.25, DEFAULT, DEFAULT),
	(849, 5, 'Book #849', 593, 10.38, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(850, 1, 'Book #850', 600, 10.51, DEFAULT, DEFAULT),
	(851, 2, 'Book #851', 607, 10.64, DEFAULT, DEFAULT),
	(852, 3, 'Book #852', 614, 10.77, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(853, 4, 'Book #853', 621, 10.90, DEFAULT, DEFAULT),
	(854, 5, 'Book #854', 628, 11.03, DEFAULT, DEFAULT),
	(855, 1, 'Book #855', 635, 11.16, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(856, 2, 'Book #856', 642, 11.29, DEFAULT, DEFAULT),
	(857, 3, 'Book #857', 649, 11.42, DEFAULT, DEFAULT),
	(858, 4, 'Book #858', 656, 11.55, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(859, 5, 'Book #859', 663, 11.68, DEFAULT, DEFAULT),
	(860, 1, 'Book #860', 670, 11.81, DEFAULT, DEFAULT),
	(861, 2, 'Book #861', 677, 11.94, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(862, 3, 'Book #862', 684, 12.07, DEFAULT, DEFAULT),
	(863, 4, 'Book #863', 691, 12.20, DEFAULT, DEFAULT),
	(864, 5, 'Book #864', 698, 12.33, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(865, 1, 'Book #865', 705, 12.46, DEFAULT, DEFAULT),
	(866, 2, 'Book #866', 712, 12.59, DEFAULT, DEFAULT),
	(867, 3, 'Book #867', 719, 12.72, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(868, 4, 'Book #868', 726, 12.85, DEFAULT, DEFAULT),
	(869, 5, 'Book #869', 733, 12.98, DEFAULT, DEFAULT),
	(870, 1, 'Book #870', 740, 13.11, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(871, 2, 'Book #871', 747, 13.24, DEFAULT, DEFAULT),
	(872, 3, 'Book #872', 754, 13.37, DEFAULT, DEFAULT),
	(873, 4, 'Book #873', 761, 13.50, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(874, 5, 'Book #874', 768, 13.63, DEFAULT, DEFAULT),
	(875, 1, 'Book #875', 775, 13.76, DEFAULT, DEFAULT),
	(876, 2, 'Book #876', 782, 13.89, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(877, 3, 'Book #877', 789, 14.02, DEFAULT, DEFAULT),
	(878, 4, 'Book #878', 796, 14.15, DEFAULT, DEFAULT),
	(879, 5, 'Book #879', 803, 14.28, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(880, 1, 'Book #880', 810, 14.41, DEFAULT, DEFAULT),
	(881, 2, 'Book #881', 817, 14.54, DEFAULT, DEFAULT),
	(882, 3, 'Book #882', 824, 14.67, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(883, 4, 'Book #883', 831, 14.80, DEFAULT, DEFAULT),
	(884, 5, 'Book #884', 838, 14.93, DEFAULT, DEFAULT),
	(885, 1, 'Book #885', 845, 15.06, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(886, 2, 'Book #886', 852, 15.19, DEFAULT, DEFAULT),
	(887, 3, 'Book #887', 859, 15.32, DEFAULT, DEFAULT),
	(888, 4, 'Book #888', 866, 15.45, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(889, 5, 'Book #889', 873, 15.58, DEFAULT, DEFAULT),
	(890, 1, 'Book #890', 880, 15.71, DEFAULT, DEFAULT),
	(891, 2, 'Book #891', 887, 15.84, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(892, 3, 'Book #892', 894, 15.97, DEFAULT, DEFAULT),
	(893, 4, 'Book #893', 901, 16.10, DEFAULT, DEFAULT),
	(894, 5, 'Book #894', 908, 16.23, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(895, 1, 'Book #895', 915, 16.36, DEFAULT, DEFAULT),
	(896, 2, 'Book #896', 922, 16.49, DEFAULT, DEFAULT),
	(897, 3, 'Book #897', 929, 16.62, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(898, 4, 'Book #898', 936, 16.75, DEFAULT, DEFAULT),
	(899, 5, 'Book #899', 943, 16.88, DEFAULT, DEFAULT),
	(900, 1, 'Book #900 — ünïcødé ünïcødé ünïcødé ', 50, 17.01, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(901, 2, 'Book #901', 57, 17.14, DEFAULT, DEFAULT),
	(902, 3, 'Book #902', 64, 17.27, DEFAULT, DEFAULT),
	(903, 4, 'Book #903', 71, 17.40, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(904, 5, 'Book #904', 78, 17.53, DEFAULT, DEFAULT),
	(905, 1, 'Book #905', 85, 17.66, DEFAULT, DEFAULT),
	(906, 2, 'Book #906', 92, 17.79, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(907, 3, 'Book #907', 99, 17.92, DEFAULT, DEFAULT),
	(908, 4, 'Book #908', 106, 18.05, DEFAULT, DEFAULT),
	(909, 5, 'Book #909', 113, 18.18, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(910, 1, 'Book #910', 120, 18.31, DEFAULT, DEFAULT),
	(911, 2, 'Book #911', 127, 18.44, DEFAULT, DEFAULT),
	(912, 3, 'Book #912', 134, 18.57, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(913, 4, 'Book #913', 141, 18.70, DEFAULT, DEFAULT),
	(914, 5, 'Book #914', 148, 18.83, DEFAULT, DEFAULT),
	(915, 1, 'Book #915', 155, 18.96, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(916, 2, 'Book #916', 162, 19.09, DEFAULT, DEFAULT),
	(917, 3, 'Book #917', 169, 19.22, DEFAULT, DEFAULT),
	(918, 4, 'Book #918', 176, 19.35, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(919, 5, 'Book #919', 183, 19.48, DEFAULT, DEFAULT),
	(920, 1, 'Book #920', 190, 19.61, DEFAULT, DEFAULT),
	(921, 2, 'Book #921', 197, 19.74, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(922, 3, 'Book #922', 204, 19.87, DEFAULT, DEFAULT),
	(923, 4, 'Book #923', 211, 20.00, DEFAULT, DEFAULT),
	(924, 5, 'Book #924', 218, 20.13, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(925, 1, 'Book #925', 225, 20.26, DEFAULT, DEFAULT),
	(926, 2, 'Book #926', 232, 20.39, DEFAULT, DEFAULT),
	(927, 3, 'Book #927', 239, 20.52, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(928, 4, 'Book #928', 246, 20.65, DEFAULT, DEFAULT),
	(929, 5, 'Book #929', 253, 20.78, DEFAULT, DEFAULT),
	(930, 1, 'Book #930', 260, 20.91, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(931, 2, 'Book #931', 267, 21.04, DEFAULT, DEFAULT),
	(932, 3, 'Book #932', 274, 21.17, DEFAULT, DEFAULT),
	(933, 4, 'Book #933', 281, 21.30, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(934, 5, 'Book #934', 288, 21.43, DEFAULT, DEFAULT),
	(935, 1, 'Book #935', 295, 21.56, DEFAULT, DEFAULT),
	(936, 2, 'Book #936', 302, 21.69, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(937, 3, 'Book #937', 309, 21.82, DEFAULT, DEFAULT),
	(938, 4, 'Book #938', 316, 21.95, DEFAULT, DEFAULT),
	(939, 5, 'Book #939', 323, 22.08, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(940, 1, 'Book #940', 330, 22.21, DEFAULT, DEFAULT),
	(941, 2, 'Book #941', 337, 22.34, DEFAULT, DEFAULT),
	(942, 3, 'Book #942', 344, 22.47, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(943, 4, 'Book #943', 351, 22.60, DEFAULT, DEFAULT),
	(944, 5, 'Book #944', 358, 22.73, DEFAULT, DEFAULT),
	(945, 1, 'Book #945', 365, 22.86, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(946, 2, 'Book #946', 372, 22.99, DEFAULT, DEFAULT),
	(947, 3, 'Book #947', 379, 23.12, DEFAULT, DEFAULT),
	(948, 4, 'Book #948', 386, 23.25, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(949, 5, 'Book #949', 393, 23.38, DEFAULT, DEFAULT),
	(950, 1, 'Book #950', 400, 23.51, DEFAULT, DEFAULT),
	(951, 2, 'Book #951', 407, 23.64, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(952, 3, 'Book #952', 414, 23.77, DEFAULT, DEFAULT),
	(953, 4, 'Book #953', 421, 23.90, DEFAULT, DEFAULT),
	(954, 5, 'Book #954', 428, 24.03, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(955, 1, 'Book #955', 435, 24.16, DEFAULT, DEFAULT),
	(956, 2, 'Book #956', 442, 24.29, DEFAULT, DEFAULT),
	(957, 3, 'Book #957', 449, 24.42, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(958, 4, 'Book #958', 456, 24.55, DEFAULT, DEFAULT),
	(959, 5, 'Book #959', 463, 24.68, DEFAULT, DEFAULT),
	(960, 1, 'Book #960', 470, 24.81, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(961, 2, 'Book #961', 477, 24.94, DEFAULT, DEFAULT),
	(962, 3, 'Book #962', 484, 25.07, DEFAULT, DEFAULT),
	(963, 4, 'Book #963', 491, 25.20, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(964, 5, 'Book #964', 498, 25.33, DEFAULT, DEFAULT),
	(965, 1, 'Book #965', 505, 25.46, DEFAULT, DEFAULT),
	(966, 2, 'Book #966', 512, 25.59, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(967, 3, 'Book #967', 519, 25.72, DEFAULT, DEFAULT),
	(968, 4, 'Book #968', 526, 25.85, DEFAULT, DEFAULT),
	(969, 5, 'Book #969', 533, 25.98, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(970, 1, 'Book #970', 540, 26.11, DEFAULT, DEFAULT),
	(971, 2, 'Book #971', 547, 26.24, DEFAULT, DEFAULT),
	(972, 3, 'Book #972', 554, 26.37, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(973, 4, 'Book #973', 561, 26.50, DEFAULT, DEFAULT),
	(974, 5, 'Book #974', 568, 26.63, DEFAULT, DEFAULT),
	(975, 1, 'Book #975', 575, 26.76, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(976, 2, 'Book #976', 582, 26.89, DEFAULT, DEFAULT),
	(977, 3, 'Book #977', 589, 27.02, DEFAULT, DEFAULT),
	(978, 4, 'Book #978', 596, 27.15, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(979, 5, 'Book #979', 603, 27.28, DEFAULT, DEFAULT),
	(980, 1, 'Book #980', 610, 27.41, DEFAULT, DEFAULT),
	(981, 2, 'Book #981', 617, 27.54, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(982, 3, 'Book #982', 624, 27.67, DEFAULT, DEFAULT),
	(983, 4, 'Book #983', 631, 27.80, DEFAULT, DEFAULT),
	(984, 5, 'Book #984', 638, 27.93, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(985, 1, 'Book #985', 645, 28.06, DEFAULT, DEFAULT),
	(986, 2, 'Book #986', 652, 28.19, DEFAULT, DEFAULT),
	(987, 3, 'Book #987', 659, 28.32, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(988, 4, 'Book #988', 666, 28.45, DEFAULT, DEFAULT),
	(989, 5, 'Book #989', 673, 28.58, DEFAULT, DEFAULT),
	(990, 1, 'Book #990', 680, 28.71, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(991, 2, 'Book #991', 687, 28.84, DEFAULT, DEFAULT),
	(992, 3, 'Book #992', 694, 28.97, DEFAULT, DEFAULT),
	(993, 4, 'Book #993', 701, 29.10, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(994, 5, 'Book #994', 708, 29.23, DEFAULT, DEFAULT),
	(995, 1, 'Book #995', 715, 29.36, DEFAULT, DEFAULT),
	(996, 2, 'Book #996', 722, 29.49, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(997, 3, 'Book #997', 729, 29.62, DEFAULT, DEFAULT),
	(998, 4, 'Book #998', 736, 29.75, DEFAULT, DEFAULT),
	(999, 5, 'Book #999', 743, 29.88, DEFAULT, DEFAULT);
INSERT INTO public.books VALUES
	(1000, 1, 'Book #1000 — ünïcødé ünïcødé ünïcødé ', 750, 30.01, DEFAULT, DEFAULT);


--
-- Data for Name: empty_table; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: measurements_2023; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.measurements_2023 VALUES
	('2023-01-01', 'sensor-a', 81.300),
	('2023-01-01', 'sensor-b', 82.100),
	('2023-01-01', 'sensor-c', 82.900);
INSERT INTO public.measurements_2023 VALUES
	('2023-02-01', 'sensor-a', 96.000),
	('2023-02-01', 'sensor-b', 96.800),
	('2023-02-01', 'sensor-c', 97.600);
INSERT INTO public.measurements_2023 VALUES
	('2023-03-01', 'sensor-a', 99.600),
	('2023-03-01', 'sensor-b', 0.400),
	('2023-03-01', 'sensor-c', 1.200);
INSERT INTO public.measurements_2023 VALUES
	('2023-04-01', 'sensor-a', 14.300),
	('2023-04-01', 'sensor-b', 15.100),
	('2023-04-01', 'sensor-c', 15.900);
INSERT INTO public.measurements_2023 VALUES
	('2023-05-01', 'sensor-a', 25.300),
	('2023-05-01', 'sensor-b', 26.100),
	('2023-05-01', 'sensor-c', 26.900);
INSERT INTO public.measurements_2023 VALUES
	('2023-06-01', 'sensor-a', 40.000),
	('2023-06-01', 'sensor-b', 40.800),
	('2023-06-01', 'sensor-c', 41.600);
INSERT INTO public.measurements_2023 VALUES
	('2023-07-01', 'sensor-a', 51.000),
	('2023-07-01', 'sensor-b', 51.800),
	('2023-07-01', 'sensor-c', 52.600);
INSERT INTO public.measurements_2023 VALUES
	('2023-08-01', 'sensor-a', 65.700),
	('2023-08-01', 'sensor-b', 66.500),
	('2023-08-01', 'sensor-c', 67.300);
INSERT INTO public.measurements_2023 VALUES
	('2023-09-01', 'sensor-a', 80.400),
	('2023-09-01', 'sensor-b', 81.200),
	('2023-09-01', 'sensor-c', 82.000);
INSERT INTO public.measurements_2023 VALUES
	('2023-10-01', 'sensor-a', 91.400),
	('2023-10-01', 'sensor-b', 92.200),
	('2023-10-01', 'sensor-c', 93.000);
INSERT INTO public.measurements_2023 VALUES
	('2023-11-01', 'sensor-a', 6.100),
	('2023-11-01', 'sensor-b', 6.900),
	('2023-11-01', 'sensor-c', 7.700);
INSERT INTO public.measurements_2023 VALUES
	('2023-12-01', 'sensor-a', 17.100),
	('2023-12-01', 'sensor-b', 17.900),
	('2023-12-01', 'sensor-c', 18.700);


--
-- Data for Name: measurements_2024; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.measurements_2024 VALUES
	('2024-01-01', 'sensor-a', 81.300),
	('2024-01-01', 'sensor-b', 82.100),
	('2024-01-01', 'sensor-c', 82.900);
INSERT INTO public.measurements_2024 VALUES
	('2024-02-01', 'sensor-a', 96.000),
	('2024-02-01', 'sensor-b', 96.800),
	('2024-02-01', 'sensor-c', 97.600);
INSERT INTO public.measurements_2024 VALUES
	('2024-03-01', 'sensor-a', 3.300),
	('2024-03-01', 'sensor-b', 4.100),
	('2024-03-01', 'sensor-c', 4.900);
INSERT INTO public.measurements_2024 VALUES
	('2024-04-01', 'sensor-a', 18.000),
	('2024-04-01', 'sensor-b', 18.800),
	('2024-04-01', 'sensor-c', 19.600);
INSERT INTO public.measurements_2024 VALUES
	('2024-05-01', 'sensor-a', 29.000),
	('2024-05-01', 'sensor-b', 29.800),
	('2024-05-01', 'sensor-c', 30.600);
INSERT INTO public.measurements_2024 VALUES
	('2024-06-01', 'sensor-a', 43.700),
	('2024-06-01', 'sensor-b', 44.500),
	('2024-06-01', 'sensor-c', 45.300);
INSERT INTO public.measurements_2024 VALUES
	('2024-07-01', 'sensor-a', 54.700),
	('2024-07-01', 'sensor-b', 55.500),
	('2024-07-01', 'sensor-c', 56.300);
INSERT INTO public.measurements_2024 VALUES
	('2024-08-01', 'sensor-a', 69.400),
	('2024-08-01', 'sensor-b', 70.200),
	('2024-08-01', 'sensor-c', 71.000);
INSERT INTO public.measurements_2024 VALUES
	('2024-09-01', 'sensor-a', 84.100),
	('2024-09-01', 'sensor-b', 84.900),
	('2024-09-01', 'sensor-c', 85.700);
INSERT INTO public.measurements_2024 VALUES
	('2024-10-01', 'sensor-a', 95.100),
	('2024-10-01', 'sensor-b', 95.900),
	('2024-10-01', 'sensor-c', 96.700);
INSERT INTO public.measurements_2024 VALUES
	('2024-11-01', 'sensor-a', 9.800),
	('2024-11-01', 'sensor-b', 10.600),
	('2024-11-01', 'sensor-c', 11.400);
INSERT INTO public.measurements_2024 VALUES
	('2024-12-01', 'sensor-a', 20.800),
	('2024-12-01', 'sensor-b', 21.600),
	('2024-12-01', 'sensor-c', 22.400);


--
-- Data for Name: secrets; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.secrets VALUES
	(1, 'pgbag_reader', 'reader secret'),
	(2, 'pgbag_writer', 'writer secret'),
	(3, 'postgres', 'superuser secret');
INSERT INTO public.secrets VALUES
	(4, 'nobody', 'orphan secret');


--
-- Data for Name: tricky_values; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.tricky_values VALUES
	(1, 'tab', 'a	b'),
	(2, 'newline', 'line1
line2'),
	(3, 'crlf', 'dos
line');
INSERT INTO public.tricky_values VALUES
	(4, 'backslash', 'C:\path\to\file'),
	(5, 'end-of-copy marker', '\.'),
	(6, 'marker on its own line', 'before
\.
after');
INSERT INTO public.tricky_values VALUES
	(7, 'psql shell escape line', 'x
\! echo x
y'),
	(8, 'null', NULL),
	(9, 'literal backslash-N', '\N');
INSERT INTO public.tricky_values VALUES
	(10, 'empty string', ''),
	(11, 'emoji', '🐘🎉 ZWJ: 👩‍💻'),
	(12, 'cjk', '漢字かなカナ한국어');
INSERT INTO public.tricky_values VALUES
	(13, 'rtl + combining', 'שלום é'),
	(14, 'quotes', 'single '' double " backtick `'),
	(15, 'semicolons', 'a; b;; DROP TABLE x; --');
INSERT INTO public.tricky_values VALUES
	(16, 'dollar quotes', '$$ $fn$ $_$'),
	(17, 'trailing whitespace', 'ends with spaces and tab  	'),
	(18, 'only newline', '
');


--
-- Name: Tab"le_Id_seq; Type: SEQUENCE SET; Schema: Mixed Case; Owner: postgres
--

SELECT pg_catalog.setval('"Mixed Case"."Tab""le_Id_seq"', 1020, true);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 5, true);


--
-- Name: authors_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.authors_id_seq', 5, true);


--
-- Name: books_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.books_id_seq', 1000, true);


--
-- Name: ticket_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.ticket_seq', 110, true);


--
-- Data for Name: BLOBS; Type: BLOBS; Schema: -; Owner: -
--

BEGIN;

SELECT pg_catalog.lo_open('424242', 131072);
SELECT pg_catalog.lowrite(0, '\x68656c6c6f2c206c61726765206f626a656374000102');
SELECT pg_catalog.lo_close(0);

COMMIT;

--
-- Name: Tab"le Tab"le_pkey; Type: CONSTRAINT; Schema: Mixed Case; Owner: postgres
--

ALTER TABLE ONLY "Mixed Case"."Tab""le"
    ADD CONSTRAINT "Tab""le_pkey" PRIMARY KEY ("Id");


--
-- Name: données données_pkey; Type: CONSTRAINT; Schema: café; Owner: postgres
--

ALTER TABLE ONLY "café"."données"
    ADD CONSTRAINT "données_pkey" PRIMARY KEY ("clé");


--
-- Name: weird "table"; name weird "table"; name_pkey; Type: CONSTRAINT; Schema: odd "name"; x; Owner: postgres
--

ALTER TABLE ONLY "odd ""name""; x"."weird ""table""; name"
    ADD CONSTRAINT "weird ""table""; name_pkey" PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: authors authors_name_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.authors
    ADD CONSTRAINT authors_name_key UNIQUE (name);


--
-- Name: authors authors_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.authors
    ADD CONSTRAINT authors_pkey PRIMARY KEY (id);


--
-- Name: books books_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_pkey PRIMARY KEY (id);


--
-- Name: empty_table empty_table_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.empty_table
    ADD CONSTRAINT empty_table_pkey PRIMARY KEY (id);


--
-- Name: measurements measurements_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements
    ADD CONSTRAINT measurements_pkey PRIMARY KEY (taken_on, sensor);


--
-- Name: measurements_2023 measurements_2023_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements_2023
    ADD CONSTRAINT measurements_2023_pkey PRIMARY KEY (taken_on, sensor);


--
-- Name: measurements_2024 measurements_2024_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements_2024
    ADD CONSTRAINT measurements_2024_pkey PRIMARY KEY (taken_on, sensor);


--
-- Name: secrets secrets_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.secrets
    ADD CONSTRAINT secrets_pkey PRIMARY KEY (id);


--
-- Name: tricky_values tricky_values_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tricky_values
    ADD CONSTRAINT tricky_values_pkey PRIMARY KEY (id);


--
-- Name: données_名前_idx; Type: INDEX; Schema: café; Owner: postgres
--

CREATE UNIQUE INDEX "données_名前_idx" ON "café"."données" USING btree ("名前");


--
-- Name: author_book_counts_author_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX author_book_counts_author_id_idx ON public.author_book_counts USING btree (author_id);


--
-- Name: books_author_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX books_author_id_idx ON public.books USING btree (author_id);


--
-- Name: books_lower_title_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX books_lower_title_idx ON public.books USING btree (lower(title));


--
-- Name: measurements_2023_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurements_pkey ATTACH PARTITION public.measurements_2023_pkey;


--
-- Name: measurements_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurements_pkey ATTACH PARTITION public.measurements_2024_pkey;


--
-- Name: authors authors_audit; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER authors_audit AFTER INSERT ON public.authors FOR EACH ROW EXECUTE FUNCTION public.log_author_insert();


--
-- Name: données données_author_id_fkey; Type: FK CONSTRAINT; Schema: café; Owner: postgres
--

ALTER TABLE ONLY "café"."données"
    ADD CONSTRAINT "données_author_id_fkey" FOREIGN KEY (author_id) REFERENCES public.authors(id) ON DELETE SET NULL;


--
-- Name: books books_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors(id);


--
-- Name: secrets; Type: ROW SECURITY; Schema: public; Owner: postgres
--

ALTER TABLE public.secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: secrets secrets_owner; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY secrets_owner ON public.secrets FOR SELECT TO pgbag_reader USING ((owner = CURRENT_USER));


--
-- Name: secrets secrets_writer; Type: POLICY; Schema: public; Owner: postgres
--

CREATE POLICY secrets_writer ON public.secrets TO pgbag_writer USING (true) WITH CHECK ((owner = CURRENT_USER));


--
-- Name: SCHEMA "Mixed Case"; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA "Mixed Case" TO pgbag_reader;
GRANT USAGE ON SCHEMA "Mixed Case" TO pgbag_writer;


--
-- Name: SCHEMA "café"; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA "café" TO pgbag_reader;
GRANT USAGE ON SCHEMA "café" TO pgbag_writer;


--
-- Name: SCHEMA "odd ""name""; x"; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA "odd ""name""; x" TO pgbag_reader;
GRANT USAGE ON SCHEMA "odd ""name""; x" TO pgbag_writer;


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

GRANT USAGE ON SCHEMA public TO pgbag_reader;
GRANT USAGE ON SCHEMA public TO pgbag_writer;


--
-- Name: FUNCTION tricky(p text); Type: ACL; Schema: odd "name"; x; Owner: postgres
--

GRANT ALL ON FUNCTION "odd ""name""; x".tricky(p text) TO pgbag_reader;


--
-- Name: FUNCTION add_and_label(a integer, b integer); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.add_and_label(a integer, b integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.add_and_label(a integer, b integer) TO pgbag_writer;


--
-- Name: TABLE "Tab""le"; Type: ACL; Schema: Mixed Case; Owner: postgres
--

GRANT SELECT ON TABLE "Mixed Case"."Tab""le" TO pgbag_reader;


--
-- Name: TABLE "données"; Type: ACL; Schema: café; Owner: postgres
--

GRANT SELECT ON TABLE "café"."données" TO pgbag_reader;


--
-- Name: TABLE "weird ""table""; name"; Type: ACL; Schema: odd "name"; x; Owner: postgres
--

GRANT SELECT ON TABLE "odd ""name""; x"."weird ""table""; name" TO pgbag_reader;


--
-- Name: TABLE audit_log; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.audit_log TO pgbag_reader;


--
-- Name: TABLE books; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.books TO pgbag_reader;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.books TO pgbag_writer;


--
-- Name: COLUMN books.id; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(id) ON TABLE public.books TO pgbag_reader;


--
-- Name: COLUMN books.title; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT(title),UPDATE(title) ON TABLE public.books TO pgbag_reader;


--
-- Name: TABLE author_book_counts; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.author_book_counts TO pgbag_reader;


--
-- Name: TABLE authors; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.authors TO pgbag_reader;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.authors TO pgbag_writer;


--
-- Name: TABLE empty_table; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.empty_table TO pgbag_reader;


--
-- Name: TABLE expensive_books; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.expensive_books TO pgbag_reader;


--
-- Name: TABLE measurements; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.measurements TO pgbag_reader;


--
-- Name: TABLE measurements_2023; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.measurements_2023 TO pgbag_reader;


--
-- Name: TABLE measurements_2024; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.measurements_2024 TO pgbag_reader;


--
-- Name: TABLE secrets; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.secrets TO pgbag_reader;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.secrets TO pgbag_writer;


--
-- Name: SEQUENCE ticket_seq; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT,USAGE ON SEQUENCE public.ticket_seq TO pgbag_writer;


--
-- Name: TABLE tricky_values; Type: ACL; Schema: public; Owner: postgres
--

GRANT SELECT ON TABLE public.tricky_values TO pgbag_reader;


--
-- Name: LARGE OBJECT 424242; Type: ACL; Schema: -; Owner: postgres
--

GRANT SELECT ON LARGE OBJECT 424242 TO pgbag_reader;


--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: café; Owner: postgres
--

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA "café" GRANT SELECT ON TABLES  TO pgbag_reader;


--
-- Name: author_book_counts; Type: MATERIALIZED VIEW DATA; Schema: public; Owner: postgres
--

REFRESH MATERIALIZED VIEW public.author_book_counts;


--
-- PostgreSQL database dump complete
--

\unrestrict PgbagSampleFixtureKey

