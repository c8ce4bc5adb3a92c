--
-- PostgreSQL database dump
--

\restrict vuHWjaZdREekSxG776XQUJIMeZBvVMTPUXp51qNx7csnqcMFqJVVUVZjtTyOMQj

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
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'ok',
    'meh'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: positive_price; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.positive_price AS numeric(10,2)
	CONSTRAINT positive_price_check CHECK ((VALUE > (0)::numeric));


ALTER DOMAIN public.positive_price OWNER TO postgres;

--
-- Name: kithe_models_friendlier_id_gen(bigint, bigint); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.kithe_models_friendlier_id_gen(min_value bigint, max_value bigint) RETURNS text
    LANGUAGE plpgsql
    AS $$
  DECLARE
    new_id_int bigint;
    new_id_str character varying := '';
    done bool;
    tries integer;
    alphabet char[] := ARRAY['0','1','2','3','4','5','6','7','8','9',
      'a','b','c','d','e','f','g','h','i','j','k','l','m','n','o',
      'p','q','r','s','t','u','v','w','x','y','z'];
    alphabet_length integer := array_length(alphabet, 1);
  BEGIN
    done := false;
    tries := 0;
    WHILE (NOT done) LOOP
      tries := tries + 1;
      IF (tries > 3) THEN
        RAISE 'Could not find non-conflicting friendlier_id in 3 tries';
      END IF;
      new_id_int := trunc(random() * (max_value - min_value) + min_value);
      WHILE new_id_int != 0 LOOP
        new_id_str := alphabet[(new_id_int % alphabet_length)+1] || new_id_str;
        new_id_int := new_id_int / alphabet_length;
      END LOOP;
      done := NOT exists(SELECT 1 FROM public.t WHERE friendlier_id = new_id_str);
    END LOOP;
    RETURN new_id_str;
  END;
  $$;


ALTER FUNCTION public.kithe_models_friendlier_id_gen(min_value bigint, max_value bigint) OWNER TO postgres;

--
-- Name: FUNCTION kithe_models_friendlier_id_gen(min_value bigint, max_value bigint); Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON FUNCTION public.kithe_models_friendlier_id_gen(min_value bigint, max_value bigint) IS 'base-36 ids, as kithe makes them';


--
-- Name: sane_price(public.positive_price); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.sane_price(p public.positive_price) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT p < 1000000 $$;


ALTER FUNCTION public.sane_price(p public.positive_price) OWNER TO postgres;

--
-- Name: unrelated(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.unrelated() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;


ALTER FUNCTION public.unrelated() OWNER TO postgres;

--
-- Name: shared_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.shared_seq
    START WITH 100
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.shared_seq OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: other; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.other (
    ticket bigint DEFAULT nextval('public.shared_seq'::regclass) NOT NULL
);


ALTER TABLE public.other OWNER TO postgres;

--
-- Name: t; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.t (
    id bigint NOT NULL,
    friendlier_id character varying DEFAULT public.kithe_models_friendlier_id_gen('2821109907456'::bigint, '101559956668415'::bigint) NOT NULL,
    ticket bigint DEFAULT nextval('public.shared_seq'::regclass) NOT NULL,
    price public.positive_price NOT NULL,
    mood public.mood DEFAULT 'ok'::public.mood NOT NULL,
    CONSTRAINT price_is_sane CHECK (public.sane_price(price))
);


ALTER TABLE public.t OWNER TO postgres;

--
-- Name: t_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.t_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.t_id_seq OWNER TO postgres;

--
-- Name: t_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;


--
-- Name: t id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);


--
-- Data for Name: other; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.other (ticket) FROM stdin;
100
\.


--
-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.t (id, friendlier_id, ticket, price, mood) FROM stdin;
1	first	101	1.50	ok
2	second	102	2.25	ok
\.


--
-- Name: shared_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.shared_seq', 102, true);


--
-- Name: t_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.t_id_seq', 2, true);


--
-- Name: other other_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.other
    ADD CONSTRAINT other_pkey PRIMARY KEY (ticket);


--
-- Name: t t_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.t
    ADD CONSTRAINT t_pkey PRIMARY KEY (id);


--
-- Name: FUNCTION sane_price(p public.positive_price); Type: ACL; Schema: public; Owner: postgres
--

REVOKE ALL ON FUNCTION public.sane_price(p public.positive_price) FROM PUBLIC;
GRANT ALL ON FUNCTION public.sane_price(p public.positive_price) TO pg_read_all_data;


--
-- PostgreSQL database dump complete
--

\unrestrict vuHWjaZdREekSxG776XQUJIMeZBvVMTPUXp51qNx7csnqcMFqJVVUVZjtTyOMQj

