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

COMMENT ON SCHEMA "café" IS 'Schéma non-ASCII: données de test ☕';


--
-- Name: odd "name"; x; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "odd ""name""; x";


ALTER SCHEMA "odd ""name""; x" OWNER TO postgres;

--
-- Name: SCHEMA "odd ""name""; x"; Type: COMMENT; Schema: -; Owner: postgres

--
-- Name: tricky_values; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tricky_values (
    id integer NOT NULL,
    label text NOT NULL,
    val text
);



--
-- Data for Name: tricky_values; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.tricky_values (id, label, val) FROM stdin;
1	tab	a\tb
2	newline	line1\nline2
3	crlf	dos\r\nline
4	backslash	C:\\path\\to\\file
5	end-of-copy marker	\\.
6	marker on its own line	before\n\\.\nafter
7	psql shell escape line	x\n\\! echo x\ny
8	null	\N
9	literal backslash-N	\\N
10	empty string	
11	emoji	🐘🎉 ZWJ: 👩‍💻
12	cjk	漢字かなカナ한국어
13	rtl + combining	שלום é
14	quotes	single ' double " backtick `
15	semicolons	a; b;; DROP TABLE x; --
16	dollar quotes	$$ $fn$ $_$
17	trailing whitespace	ends with spaces and tab  \t
18	only newline	\n
\.

--
-- PostgreSQL database dump complete
--

\unrestrict PgbagSampleFixtureKey

