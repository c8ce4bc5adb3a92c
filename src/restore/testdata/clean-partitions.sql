--
-- PostgreSQL database dump
--

\restrict phkduzPwGyqsdTDCt5RNXE9fyURVTUFPw6isb1BDDUALqCs0INqyXGEmtNRvjLk

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

ALTER TABLE app.loans DROP CONSTRAINT loans_book_fkey;
ALTER TABLE ONLY app.loans_2024 DROP CONSTRAINT loans_2024_staff_fkey;
DROP INDEX app.loans_2024_own_idx;
DROP INDEX app.loans_book_idx;
DROP INDEX app.books_title_trgm;
ALTER TABLE ONLY app.staff DROP CONSTRAINT staff_pkey;
ALTER TABLE ONLY app.loans_2025 DROP CONSTRAINT loans_2025_pkey;
ALTER TABLE ONLY app.loans_2024 DROP CONSTRAINT loans_2024_pkey;
ALTER TABLE ONLY app.loans DROP CONSTRAINT loans_pkey;
ALTER TABLE ONLY app.books DROP CONSTRAINT books_pkey;
ALTER TABLE app.books ALTER COLUMN id DROP DEFAULT;
DROP VIEW app.v;
DROP TABLE app.staff;
DROP TABLE app.loans_2025;
DROP TABLE app.loans_2024;
DROP TABLE app.loans;
DROP SEQUENCE app.books_id_seq;
DROP TABLE app.books;
DROP TYPE app.mood;
DROP SCHEMA app;
--
-- Name: app; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA app;


--
-- Name: mood; Type: TYPE; Schema: app; Owner: -
--

CREATE TYPE app.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: books; Type: TABLE; Schema: app; Owner: -
--

CREATE TABLE app.books (
    id integer NOT NULL,
    title text NOT NULL,
    m app.mood,
    hash text DEFAULT public.h('x'::text)
);


--
-- Name: books_id_seq; Type: SEQUENCE; Schema: app; Owner: -
--

CREATE SEQUENCE app.books_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: books_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: -
--

ALTER SEQUENCE app.books_id_seq OWNED BY app.books.id;


--
-- Name: loans; Type: TABLE; Schema: app; Owner: -
--

CREATE TABLE app.loans (
    id integer NOT NULL,
    book integer,
    at date NOT NULL,
    staff integer
)
PARTITION BY RANGE (at);


--
-- Name: loans_2024; Type: TABLE; Schema: app; Owner: -
--

CREATE TABLE app.loans_2024 (
    id integer NOT NULL,
    book integer,
    at date NOT NULL,
    staff integer
);


--
-- Name: loans_2025; Type: TABLE; Schema: app; Owner: -
--

CREATE TABLE app.loans_2025 (
    id integer NOT NULL,
    book integer,
    at date NOT NULL,
    staff integer
);


--
-- Name: loans_id_seq; Type: SEQUENCE; Schema: app; Owner: -
--

ALTER TABLE app.loans ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.loans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: staff; Type: TABLE; Schema: app; Owner: -
--

CREATE TABLE app.staff (
    id integer NOT NULL
);


--
-- Name: v; Type: VIEW; Schema: app; Owner: -
--

CREATE VIEW app.v AS
 SELECT books.id,
    public.h(books.title) AS h
   FROM app.books;


--
-- Name: loans_2024; Type: TABLE ATTACH; Schema: app; Owner: -
--

ALTER TABLE ONLY app.loans ATTACH PARTITION app.loans_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: loans_2025; Type: TABLE ATTACH; Schema: app; Owner: -
--

ALTER TABLE ONLY app.loans ATTACH PARTITION app.loans_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');


--
-- Name: books id; Type: DEFAULT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.books ALTER COLUMN id SET DEFAULT nextval('app.books_id_seq'::regclass);


--
-- Data for Name: books; Type: TABLE DATA; Schema: app; Owner: -
--

COPY app.books (id, title, m, hash) FROM stdin;
1	a	ok	2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881
2	b	sad	2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881
\.


--
-- Data for Name: loans_2024; Type: TABLE DATA; Schema: app; Owner: -
--

COPY app.loans_2024 (id, book, at, staff) FROM stdin;
1	1	2024-05-01	\N
\.


--
-- Data for Name: loans_2025; Type: TABLE DATA; Schema: app; Owner: -
--

COPY app.loans_2025 (id, book, at, staff) FROM stdin;
2	2	2025-05-01	\N
\.


--
-- Data for Name: staff; Type: TABLE DATA; Schema: app; Owner: -
--

COPY app.staff (id) FROM stdin;
\.


--
-- Name: books_id_seq; Type: SEQUENCE SET; Schema: app; Owner: -
--

SELECT pg_catalog.setval('app.books_id_seq', 2, true);


--
-- Name: loans_id_seq; Type: SEQUENCE SET; Schema: app; Owner: -
--

SELECT pg_catalog.setval('app.loans_id_seq', 2, true);


--
-- Name: books books_pkey; Type: CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.books
    ADD CONSTRAINT books_pkey PRIMARY KEY (id);


--
-- Name: loans loans_pkey; Type: CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.loans
    ADD CONSTRAINT loans_pkey PRIMARY KEY (id, at);


--
-- Name: loans_2024 loans_2024_pkey; Type: CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.loans_2024
    ADD CONSTRAINT loans_2024_pkey PRIMARY KEY (id, at);


--
-- Name: loans_2025 loans_2025_pkey; Type: CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.loans_2025
    ADD CONSTRAINT loans_2025_pkey PRIMARY KEY (id, at);


--
-- Name: staff staff_pkey; Type: CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.staff
    ADD CONSTRAINT staff_pkey PRIMARY KEY (id);


--
-- Name: books_title_trgm; Type: INDEX; Schema: app; Owner: -
--

CREATE INDEX books_title_trgm ON app.books USING gin (title public.gin_trgm_ops);


--
-- Name: loans_book_idx; Type: INDEX; Schema: app; Owner: -
--

CREATE INDEX loans_book_idx ON ONLY app.loans USING btree (book);


--
-- Name: loans_2024_book_idx; Type: INDEX; Schema: app; Owner: -
--

CREATE INDEX loans_2024_book_idx ON app.loans_2024 USING btree (book);


--
-- Name: loans_2024_own_idx; Type: INDEX; Schema: app; Owner: -
--

CREATE INDEX loans_2024_own_idx ON app.loans_2024 USING btree (at, book);


--
-- Name: loans_2025_book_idx; Type: INDEX; Schema: app; Owner: -
--

CREATE INDEX loans_2025_book_idx ON app.loans_2025 USING btree (book);


--
-- Name: loans_2024_book_idx; Type: INDEX ATTACH; Schema: app; Owner: -
--

ALTER INDEX app.loans_book_idx ATTACH PARTITION app.loans_2024_book_idx;


--
-- Name: loans_2024_pkey; Type: INDEX ATTACH; Schema: app; Owner: -
--

ALTER INDEX app.loans_pkey ATTACH PARTITION app.loans_2024_pkey;


--
-- Name: loans_2025_book_idx; Type: INDEX ATTACH; Schema: app; Owner: -
--

ALTER INDEX app.loans_book_idx ATTACH PARTITION app.loans_2025_book_idx;


--
-- Name: loans_2025_pkey; Type: INDEX ATTACH; Schema: app; Owner: -
--

ALTER INDEX app.loans_pkey ATTACH PARTITION app.loans_2025_pkey;


--
-- Name: loans_2024 loans_2024_staff_fkey; Type: FK CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE ONLY app.loans_2024
    ADD CONSTRAINT loans_2024_staff_fkey FOREIGN KEY (staff) REFERENCES app.staff(id);


--
-- Name: loans loans_book_fkey; Type: FK CONSTRAINT; Schema: app; Owner: -
--

ALTER TABLE app.loans
    ADD CONSTRAINT loans_book_fkey FOREIGN KEY (book) REFERENCES app.books(id);


--
-- PostgreSQL database dump complete
--

\unrestrict phkduzPwGyqsdTDCt5RNXE9fyURVTUFPw6isb1BDDUALqCs0INqyXGEmtNRvjLk

