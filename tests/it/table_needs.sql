-- Issue 12, failure 9: a table whose columns, defaults and CHECK
-- constraint need objects that are not the table's own. Used by
-- tests/it/restore.rs; src/restore/testdata/table-needs.sql is its pg_dump.
CREATE DOMAIN public.positive_price AS numeric(10,2)
    CONSTRAINT positive_price_check CHECK (VALUE > (0)::numeric);
CREATE TYPE public.mood AS ENUM ('ok', 'meh');

-- As kithe (a Rails engine) defines it: a random base-36 id, retried on
-- conflict. The body names the table, which pg_dump's
-- check_function_bodies = false lets come after it.
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
COMMENT ON FUNCTION public.kithe_models_friendlier_id_gen(bigint, bigint) IS 'base-36 ids, as kithe makes them';

CREATE FUNCTION public.sane_price(p public.positive_price) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT p < 1000000 $$;
-- A role every server has, so that the grant restores anywhere.
REVOKE ALL ON FUNCTION public.sane_price(public.positive_price) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.sane_price(public.positive_price) TO pg_read_all_data;

-- Not needed by public.t: must stay out of a --table public.t restore.
CREATE FUNCTION public.unrelated() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;

-- Shared by two tables, owned by neither.
CREATE SEQUENCE public.shared_seq START 100;
CREATE TABLE public.other (ticket bigint DEFAULT nextval('public.shared_seq') PRIMARY KEY);

CREATE TABLE public.t (
    id bigserial PRIMARY KEY,
    friendlier_id character varying DEFAULT public.kithe_models_friendlier_id_gen('2821109907456'::bigint, '101559956668415'::bigint) NOT NULL,
    ticket bigint DEFAULT nextval('public.shared_seq') NOT NULL,
    price public.positive_price NOT NULL,
    mood public.mood DEFAULT 'ok' NOT NULL,
    CONSTRAINT price_is_sane CHECK (public.sane_price(price))
);

INSERT INTO public.other DEFAULT VALUES;
INSERT INTO public.t (friendlier_id, price) VALUES ('first', 1.50), ('second', 2.25);
