//! Summary tests: a real-world schema dump (Pagila), the project's fixture
//! dumped both ways (COPY and `--inserts`), and small hand-made dumps for
//! the edge cases.

use std::io::BufReader;

use super::*;
use crate::schema::model::{Column, Summary, Table};

const PAGILA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/corpus/pagila-schema.sql");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/dumps/fixture.sql");
const FIXTURE_INSERTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/dumps/fixture-inserts.sql");

/// Rows per table as samples/README.md lists them (`count(*) FROM ONLY`).
const FIXTURE_ROWS: &[(&str, &str, u64)] = &[
    ("Mixed Case", "Tab\"le", 3),
    ("café", "données", 10),
    ("odd \"name\"; x", "weird \"table\"; name", 3),
    ("public", "audit_log", 5),
    ("public", "authors", 5),
    ("public", "books", 1000),
    ("public", "empty_table", 0),
    ("public", "measurements", 0),
    ("public", "measurements_2023", 36),
    ("public", "measurements_2024", 36),
    ("public", "secrets", 4),
    ("public", "tricky_values", 18),
];

fn summarize_file(path: &str) -> Summary {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    summarize(BufReader::new(f)).unwrap()
}

fn summarize_str(sql: &str) -> Summary {
    summarize(sql.as_bytes()).unwrap()
}

fn table<'a>(s: &'a Summary, schema: &str, name: &str) -> &'a Table {
    s.tables
        .iter()
        .find(|t| t.schema.as_deref() == Some(schema) && t.name == name)
        .unwrap_or_else(|| panic!("no table {schema}.{name}"))
}

fn column<'a>(t: &'a Table, name: &str) -> &'a Column {
    t.columns.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no column {name} in {}", t.name))
}

#[test]
fn pagila_schema_is_summarised() {
    let s = summarize_file(PAGILA);
    assert_eq!(s.parse_errors, []);
    assert_eq!(s.dump.dumped_from.as_deref(), Some("12.11"));
    assert_eq!(s.dump.dumped_by.as_deref(), Some("15beta2"));
    assert!(s.dump.complete);
    assert!(!s.dump.restrict);
    assert!(!s.dump.drops_objects);
    assert_eq!(s.dump.encoding.as_deref(), Some("UTF8"));
    assert_eq!(s.schemas, ["public"]);
    assert_eq!(s.roles, ["postgres"]);

    // Counts match the dump's TOC comments (`; Type: TABLE; ` etc.).
    assert_eq!(s.tables.len(), 71);
    assert_eq!(s.views.len(), 7);
    assert_eq!(s.materialized_views.len(), 1);
    assert_eq!(s.indexes.len(), 38);
    assert_eq!(s.triggers.len(), 16);
    assert_eq!(s.sequences.len(), 13);
    assert_eq!(s.types.len(), 3);
    assert_eq!(s.tables.iter().map(|t| t.foreign_keys.len()).sum::<usize>(), 37);
    assert_eq!(s.tables.iter().filter(|t| t.primary_key.is_some()).count(), 16);

    let film = table(&s, "public", "film");
    assert_eq!(film.kind, "table");
    assert_eq!(film.owner.as_deref(), Some("postgres"));
    assert_eq!(film.data, "none");
    let types: Vec<(&str, &str)> = film.columns.iter().map(|c| (c.name.as_str(), c.type_name.as_str())).collect();
    assert_eq!(
        types,
        [
            ("film_id", "integer"),
            ("title", "text"),
            ("description", "text"),
            ("release_year", "public.year"),
            ("language_id", "integer"),
            ("original_language_id", "integer"),
            ("rental_duration", "smallint"),
            ("rental_rate", "numeric(4,2)"),
            ("length", "smallint"),
            ("replacement_cost", "numeric(5,2)"),
            ("rating", "public.mpaa_rating"),
            ("last_update", "timestamp with time zone"),
            ("special_features", "text[]"),
            ("fulltext", "tsvector"),
            ("length_hours", "numeric(4,2)"),
        ]
    );
    let film_id = column(film, "film_id");
    assert!(film_id.not_null);
    assert_eq!(film_id.default.as_deref(), Some("nextval('public.film_film_id_seq'::regclass)"));
    assert_eq!(column(film, "rating").default.as_deref(), Some("'G'::public.mpaa_rating"));
    assert!(!column(film, "description").not_null);
    // PostgreSQL 18's VIRTUAL generated column.
    assert_eq!(column(film, "length_hours").generated.as_deref(), Some("round(length / 60.0, 2)"));
    let pk = film.primary_key.as_ref().unwrap();
    assert_eq!((pk.name.as_deref(), pk.columns.as_slice()), (Some("film_pkey"), &["film_id".to_string()][..]));
    let fks: Vec<_> = film.foreign_keys.iter().map(|f| f.name.as_deref().unwrap()).collect();
    assert_eq!(fks, ["film_language_id_fkey", "film_original_language_id_fkey"]);
    assert_eq!(film.foreign_keys[0].references.to_string(), "public.language");
    assert_eq!(film.foreign_keys[0].referenced_columns, ["language_id"]);
    assert_eq!(column(table(&s, "public", "film_embedding"), "embedding").type_name, "public.vector(20)");

    // Partitioned payment: the primary key is declared inline, the 55
    // partitions are attached later with ALTER TABLE ONLY … ATTACH PARTITION.
    let payment = table(&s, "public", "payment");
    assert_eq!(payment.kind, "partitioned");
    assert_eq!(payment.primary_key.as_ref().unwrap().columns, ["payment_date", "payment_id"]);
    assert_eq!(payment.primary_key.as_ref().unwrap().name, None);
    let partitions: Vec<&Table> = s.tables.iter().filter(|t| t.kind == "partition").collect();
    assert_eq!(partitions.len(), 55);
    assert!(partitions.iter().all(|t| t.partition_of.as_ref().unwrap().to_string() == "public.payment"));
    assert_eq!(partitions[0].name, "payment_p2022_01");
    assert_eq!(column(partitions[0], "amount").type_name, "numeric(5,2)");

    let mpaa = s.types.iter().find(|t| t.name == "mpaa_rating").unwrap();
    assert_eq!(
        (mpaa.kind.as_str(), mpaa.values.as_slice()),
        ("enum", &["G", "PG", "PG-13", "R", "NC-17"].map(String::from)[..])
    );
    let year = s.types.iter().find(|t| t.name == "year").unwrap();
    assert_eq!((year.kind.as_str(), year.base_type.as_deref()), ("domain", Some("integer")));
    let bigint = s.types.iter().find(|t| t.name == "bıgınt").unwrap();
    assert_eq!(bigint.base_type.as_deref(), Some("bigint"));

    assert_eq!(s.functions.len(), 10);
    let f = s.functions.iter().find(|f| f.name == "film_in_stock").unwrap();
    assert_eq!(f.arguments, "p_film_id integer, p_store_id integer, OUT p_film_count integer");
    assert_eq!((f.returns.as_deref(), f.language.as_deref()), (Some("SETOF integer"), Some("sql")));
    let f = s.functions.iter().find(|f| f.name == "get_customer_balance").unwrap();
    assert_eq!(f.arguments, "p_customer_id integer, p_effective_date timestamp with time zone");
    assert_eq!((f.returns.as_deref(), f.language.as_deref()), (Some("numeric"), Some("plpgsql")));
    let f = s.functions.iter().find(|f| f.name == "rewards_report").unwrap();
    assert_eq!(f.returns.as_deref(), Some("SETOF public.customer"));
    let agg = s.functions.iter().find(|f| f.name == "group_concat").unwrap();
    assert_eq!((agg.kind.as_str(), agg.arguments.as_str()), ("aggregate", "text"));

    let t = &s.triggers[0];
    assert_eq!(
        (t.name.as_str(), t.table.to_string(), t.function.as_str()),
        ("film_fulltext_trigger", "public.film".into(), "tsvector_update_trigger")
    );
    assert!(s.triggers[1..].iter().all(|t| t.name == "last_updated" && t.function == "public.last_updated"));

    let views: Vec<&str> = s.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        views,
        [
            "actor_info",
            "customer_list",
            "film_list",
            "nicer_but_slower_film_list",
            "sales_by_film_category",
            "sales_by_store",
            "staff_list"
        ]
    );
    assert_eq!(s.materialized_views[0].name, "rental_by_category");
    assert_eq!(s.materialized_views[0].owner.as_deref(), Some("postgres"));

    assert_eq!(s.extensions.len(), 1);
    let vector = &s.extensions[0];
    assert_eq!((vector.name.as_str(), vector.schema.as_deref()), ("vector", Some("public")));
    assert_eq!(vector.comment.as_deref(), Some("vector data type and ivfflat and hnsw access methods"));

    let hnsw = s.indexes.iter().find(|i| i.name == "film_embedding_embedding_hnsw_idx").unwrap();
    assert_eq!((hnsw.method.as_str(), hnsw.columns.as_slice()), ("hnsw", &["embedding".to_string()][..]));
    let unq = s.indexes.iter().find(|i| i.name == "idx_unq_rental_rental_date_inventory_id_customer_id").unwrap();
    assert!(unq.unique);
    assert_eq!(unq.columns, ["rental_date", "inventory_id", "customer_id"]);
    assert_eq!(
        s.indexes.iter().find(|i| i.name == "rental_category").unwrap().table.to_string(),
        "public.rental_by_category"
    );

    assert_eq!(s.totals.statements, 388);
    assert_eq!((s.totals.rows, s.totals.copy_blocks, s.totals.insert_statements), (0, 0, 0));
    assert_eq!(s.large_objects, 0);
}

#[test]
fn fixture_row_counts_agree_between_copy_and_inserts() {
    let copy = summarize_file(FIXTURE);
    let inserts = summarize_file(FIXTURE_INSERTS);
    for (schema, name, rows) in FIXTURE_ROWS {
        assert_eq!(table(&copy, schema, name).rows, *rows, "COPY rows of {schema}.{name}");
        assert_eq!(table(&inserts, schema, name).rows, *rows, "INSERT rows of {schema}.{name}");
    }
    assert_eq!(copy.tables.len(), FIXTURE_ROWS.len());
    assert_eq!(inserts.tables.len(), FIXTURE_ROWS.len());
    assert_eq!(copy.totals.rows, 1120);
    assert_eq!(inserts.totals.rows, 1120);

    assert_eq!((copy.totals.copy_blocks, copy.totals.insert_statements), (11, 0));
    assert_eq!(copy.totals.unterminated_copy_blocks, 0);
    assert_eq!(table(&copy, "public", "books").data, "copy");
    assert_eq!(table(&copy, "public", "measurements").data, "none");
    assert_eq!(copy.totals.data_bytes, copy.tables.iter().map(|t| t.bytes).sum::<u64>());

    // --rows-per-insert=3: 1000 books take 334 statements.
    assert_eq!(inserts.totals.copy_blocks, 0);
    assert!(inserts.totals.insert_statements >= 376);
    let books = table(&inserts, "public", "books");
    assert_eq!(books.data, "insert");
    assert!(books.bytes > table(&copy, "public", "books").bytes);
    assert_eq!(table(&inserts, "public", "empty_table").data, "none");
    // COPY rows have digests (spec/content-digest.md), INSERT rows not yet.
    assert!(table(&copy, "public", "books").digest.is_some());
    assert_eq!(books.digest, None);

    // Everything but the data is the same (objects after the data section
    // start on other lines, so compare those by name).
    let strip = |s: &Summary| {
        let mut s = s.clone();
        for t in &mut s.tables {
            (t.data, t.bytes, t.digest) = (String::new(), 0, None);
        }
        let indexes: Vec<String> = s.indexes.iter().map(|i| i.name.clone()).collect();
        let policies: Vec<String> = s.policies.iter().map(|p| p.name.clone()).collect();
        (s.tables, s.functions, s.types, s.sequences, s.roles, s.schemas, indexes, policies, s.parse_errors)
    };
    assert_eq!(strip(&copy), strip(&inserts));
}

#[test]
fn fixture_schema_details() {
    let s = summarize_file(FIXTURE);
    assert_eq!(s.parse_errors, []);
    assert!(s.dump.complete && s.dump.restrict && s.dump.standard_conforming_strings);
    assert_eq!(s.schemas, ["Mixed Case", "café", "odd \"name\"; x", "public"]);
    assert_eq!(s.roles, ["pgbag_reader", "pgbag_writer", "postgres"]);
    assert_eq!(s.large_objects, 1);

    // The \restrict key must not leak into the summary.
    let commands: Vec<(&str, u64)> = s.meta_commands.iter().map(|m| (m.command.as_str(), m.line)).collect();
    assert_eq!(commands[0], ("restrict", 5));
    assert_eq!(commands[1].0, "unrestrict");
    assert!(!serde_json::to_string(&s).unwrap().contains("PgbagSampleFixtureKey"));

    let authors = table(&s, "public", "authors");
    assert_eq!(
        authors.comment.as_deref(),
        Some(
            "Authors; names are case-insensitive (citext).\nSecond line of the comment, with an apostrophe: it's fine."
        )
    );
    let name = column(authors, "name");
    assert_eq!(
        (name.type_name.as_str(), name.comment.as_deref()),
        ("public.citext", Some("Unique, case-insensitive author name."))
    );
    assert_eq!(column(authors, "attrs").type_name, "public.hstore");
    assert_eq!(column(authors, "id").identity.as_deref(), Some("always"));
    assert_eq!(column(authors, "salt").default.as_deref(), Some("public.gen_random_bytes(8)"));
    assert_eq!(column(authors, "mood").default.as_deref(), Some("'ok'::public.mood"));
    assert_eq!(authors.unique[0].name.as_deref(), Some("authors_name_key"));

    let books = table(&s, "public", "books");
    assert_eq!(column(books, "id").identity.as_deref(), Some("by default"));
    assert_eq!(column(books, "title_len").generated.as_deref(), Some("length(title)"));
    assert_eq!(column(books, "title_sha256").generated.as_deref(), Some("public.digest(title, 'sha256'::text)"));
    assert_eq!(column(books, "price").type_name, "public.positive_price");
    assert_eq!(books.foreign_keys[0].references.to_string(), "public.authors");

    let weird = table(&s, "odd \"name\"; x", "weird \"table\"; name");
    assert_eq!(column(weird, "SELECT").type_name, "\"odd \"\"name\"\"; x\".pair");
    assert_eq!(column(weird, "semi;colon").type_name, "integer[]");
    assert!(column(weird, "SELECT").comment.is_some());
    let donnees = table(&s, "café", "données");
    assert_eq!(column(donnees, "courriel").type_name, "\"café\".email");
    assert_eq!(donnees.foreign_keys[0].name.as_deref(), Some("données_author_id_fkey"));

    let m2023 = table(&s, "public", "measurements_2023");
    assert_eq!(
        (m2023.kind.as_str(), m2023.partition_of.as_ref().unwrap().to_string()),
        ("partition", "public.measurements".into())
    );
    assert_eq!(table(&s, "public", "measurements").kind, "partitioned");

    let seq = |name: &str| s.sequences.iter().find(|q| q.name == name).unwrap();
    assert_eq!(seq("ticket_seq").last_value, Some(110));
    assert_eq!(seq("books_id_seq").owned_by.as_deref(), Some("public.books.id"));
    assert_eq!(seq("Tab\"le_Id_seq").owned_by.as_deref(), Some("\"Mixed Case\".\"Tab\"\"le\".\"Id\""));
    assert_eq!(seq("Tab\"le_Id_seq").last_value, Some(1020));

    let mood = s.types.iter().find(|t| t.name == "mood").unwrap();
    assert_eq!(mood.values.last().map(String::as_str), Some("très \"content\""));
    assert!(mood.comment.is_some());
    let pair = s.types.iter().find(|t| t.name == "pair").unwrap();
    assert_eq!(
        (pair.kind.as_str(), pair.attributes.as_slice()),
        ("composite", &["k text".to_string(), "v integer".to_string()][..])
    );

    let tricky = s.functions.iter().find(|f| f.name == "tricky").unwrap();
    assert_eq!(tricky.comment.as_deref(), Some("Body contains lines \"\\.\" and \"\\! echo x\"."));
    let add = s.functions.iter().find(|f| f.name == "add_and_label").unwrap();
    assert_eq!((add.arguments.as_str(), add.language.as_deref()), ("a integer, b integer", Some("sql")));

    assert_eq!(s.views[0].comment.as_deref(), Some("Books priced above 90."));
    assert_eq!(s.materialized_views[0].comment.as_deref(), Some("Books per author (5 rows)."));
    let citext = &s.extensions[0];
    assert_eq!((citext.name.as_str(), citext.schema.as_deref()), ("citext", Some("public")));
    assert!(citext.comment.is_some());

    let policies: Vec<(&str, &str, &[String])> =
        s.policies.iter().map(|p| (p.name.as_str(), p.command.as_str(), p.roles.as_slice())).collect();
    assert_eq!(
        policies,
        [
            ("secrets_owner", "select", &["pgbag_reader".to_string()][..]),
            ("secrets_writer", "all", &["pgbag_writer".to_string()][..])
        ]
    );
    let lower = s.indexes.iter().find(|i| i.name == "books_lower_title_idx").unwrap();
    assert_eq!(lower.columns, ["lower(title)"]);
    assert_eq!(s.triggers[0].function, "public.log_author_insert");
}

#[test]
fn summary_does_not_depend_on_read_sizes() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let whole = summarize(&bytes[..]).unwrap();
    for capacity in [1, 7, 64] {
        let s = summarize(BufReader::with_capacity(capacity, &bytes[..])).unwrap();
        assert_eq!(s, whole, "buffer of {capacity} bytes");
    }
}

#[test]
fn rejected_statement_becomes_a_parse_error_and_the_rest_is_summarised() {
    let sql = "\
--
-- Name: t; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.t (a integer);
CREATE TABLE public.broken (a integer,, b text);
ALTER TABLE public.t OWNER TO app;
CREATE TABLE (;
";
    let s = summarize_str(sql);
    assert_eq!(s.tables.len(), 1);
    assert_eq!(s.tables[0].owner.as_deref(), Some("app"));
    assert_eq!(s.parse_errors.len(), 2);
    assert_eq!(s.parse_errors[0].line, 6);
    assert!(s.parse_errors[0].message.contains("syntax error"), "{}", s.parse_errors[0].message);
    assert_eq!(s.parse_errors[0].object.as_deref(), Some("TABLE public.t"));
    // The scanner ends the last statement at the end of the input, unterminated.
    assert_eq!(s.parse_errors[1].line, 8);
    assert_eq!(s.totals.statements, 4);
}

#[test]
fn unterminated_statement_is_still_parsed() {
    let s = summarize_str("CREATE TABLE public.cut (a integer)");
    assert_eq!(s.tables[0].name, "cut");
    assert_eq!(s.parse_errors, []);
}

#[test]
fn data_only_dump_adds_tables_and_sequences() {
    let sql = "\
--
-- Data for Name: things; Type: TABLE DATA; Schema: app; Owner: -
--

COPY app.things (id) FROM stdin;
1
2
\\.

--
-- Data for Name: more; Type: TABLE DATA; Schema: app; Owner: -
--

INSERT INTO app.more VALUES (1), (2), (3);
INSERT INTO app.more VALUES (4);

SELECT pg_catalog.setval('app.things_id_seq', 3000000000, true);
";
    let s = summarize_str(sql);
    assert_eq!(s.parse_errors, []);
    let things = table(&s, "app", "things");
    assert_eq!((things.kind.as_str(), things.data.as_str(), things.rows, things.bytes), ("table", "copy", 2, 4));
    assert!(things.columns.is_empty());
    let more = table(&s, "app", "more");
    assert_eq!((more.data.as_str(), more.rows), ("insert", 4));
    assert_eq!(s.totals.insert_statements, 2);
    assert_eq!(s.totals.rows, 6);
    assert_eq!(s.schemas, ["app"]);
    assert_eq!(s.sequences[0].last_value, Some(3_000_000_000));
}

#[test]
fn insert_without_toc_entry_is_parsed_for_its_table() {
    let s = summarize_str("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (2);\nINSERT INTO u VALUES (3);\n");
    assert_eq!(s.tables.len(), 2);
    assert_eq!((s.tables[0].name.as_str(), s.tables[0].rows, s.tables[0].data.as_str()), ("t", 2, "insert"));
    assert_eq!((s.tables[1].name.as_str(), s.tables[1].rows), ("u", 1));
}

#[test]
fn unparsable_copy_falls_back_to_its_toc_entry() {
    let sql = "\
--
-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.t (a,, b) FROM stdin;
1\t2
\\.
";
    let s = summarize_str(sql);
    assert_eq!(s.parse_errors.len(), 1);
    assert_eq!(s.parse_errors[0].object.as_deref(), Some("TABLE DATA public.t"));
    assert_eq!(table(&s, "public", "t").rows, 1);
}

#[test]
fn dump_facts_from_create_clean_and_settings() {
    let sql = "\
SET client_encoding = 'LATIN1';
SET standard_conforming_strings = off;
DROP DATABASE IF EXISTS shop;
CREATE DATABASE shop WITH TEMPLATE = template0 ENCODING = 'LATIN1';
\\connect shop
CREATE TABLE public.t (a text);
COMMENT ON TABLE public.t IS 'it\\'s \\\\ here';
CREATE SCHEMA AUTHORIZATION boss;
GRANT SELECT ON public.t TO PUBLIC, reader;
ALTER DEFAULT PRIVILEGES FOR ROLE owner_role GRANT SELECT ON TABLES TO writer;
ALTER TABLE public.t ADD COLUMN b integer DEFAULT 0 NOT NULL;
";
    let s = summarize_str(sql);
    assert_eq!(s.parse_errors, []);
    assert_eq!(s.dump.encoding.as_deref(), Some("LATIN1"));
    assert!(!s.dump.standard_conforming_strings);
    // A restore always leaves DROP DATABASE out: it drops nothing.
    assert!(!s.dump.drops_objects);
    assert_eq!(s.dump.database.as_deref(), Some("shop"));
    assert!(!s.dump.complete);
    assert_eq!(table(&s, "public", "t").comment.as_deref(), Some("it's \\ here"));
    assert_eq!(s.roles, ["boss", "owner_role", "reader", "writer"]);
    assert_eq!(s.schemas, ["boss", "public"]);
    let b = column(table(&s, "public", "t"), "b");
    assert_eq!((b.type_name.as_str(), b.not_null, b.default.as_deref()), ("integer", true, Some("0")));
    assert_eq!(s.meta_commands[0].command, "connect");
}

#[test]
fn connect_arguments_name_the_database() {
    assert_eq!(connect_database("fixture").as_deref(), Some("fixture"));
    assert_eq!(connect_database("\"Mixed\"\"Db\"").as_deref(), Some("Mixed\"Db"));
    assert_eq!(connect_database("-reuse-previous=on \"dbname='my db\\'s'\"").as_deref(), Some("my db's"));
    assert_eq!(connect_database("").as_deref(), None);
}

#[test]
fn other_ddl_forms() {
    let sql = "\
CREATE UNLOGGED TABLE public.u (a integer PRIMARY KEY, b text UNIQUE, c integer REFERENCES public.u (a));
CREATE FOREIGN TABLE public.f (a integer) SERVER s;
CREATE TABLE public.p (a integer, b date) PARTITION BY LIST (a);
CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN (1);
CREATE TYPE public.r AS RANGE (subtype = float8);
CREATE FUNCTION public.f(VARIADIC xs integer[], y text DEFAULT 'a') RETURNS TABLE(n integer, m text) LANGUAGE sql AS $$ SELECT 1, 'a' $$;
CREATE PROCEDURE public.p(INOUT x interval day to second(3)) LANGUAGE plpgsql AS $$ BEGIN END $$;
COMMENT ON FUNCTION public.f(integer[], text) IS 'overload';
CREATE SEQUENCE public.s OWNED BY public.u.a;
ALTER SEQUENCE public.s OWNED BY NONE;
CREATE POLICY pol ON public.u USING (true);
SELECT pg_catalog.lo_create('1'), pg_catalog.lo_create('2');
";
    let s = summarize_str(sql);
    assert_eq!(s.parse_errors, []);
    let u = table(&s, "public", "u");
    assert_eq!(u.kind, "unlogged");
    assert_eq!(u.primary_key.as_ref().unwrap().columns, ["a"]);
    assert_eq!(u.unique[0].columns, ["b"]);
    assert_eq!((u.foreign_keys[0].columns[0].as_str(), u.foreign_keys[0].referenced_columns[0].as_str()), ("c", "a"));
    assert_eq!(table(&s, "public", "f").kind, "foreign");
    let p1 = table(&s, "public", "p1");
    assert_eq!(p1.kind, "partition");
    assert_eq!(p1.columns.iter().map(|c| c.type_name.as_str()).collect::<Vec<_>>(), ["integer", "date"]);
    assert_eq!(s.types[0].kind, "range");
    let f = &s.functions[0];
    assert_eq!(f.arguments, "VARIADIC xs integer[], y text DEFAULT 'a'");
    assert_eq!(f.returns.as_deref(), Some("TABLE(n integer, m text)"));
    assert_eq!(f.comment.as_deref(), Some("overload"));
    let p = &s.functions[1];
    assert_eq!(
        (p.kind.as_str(), p.arguments.as_str(), p.returns.as_deref()),
        ("procedure", "INOUT x interval day to second(3)", None)
    );
    assert_eq!(s.sequences[0].owned_by, None);
    assert_eq!(s.policies[0].roles, ["public"]);
    assert_eq!(s.roles, Vec::<String>::new());
    assert_eq!(s.large_objects, 2);
}

/// CHECK constraints of tables and domains, and domain defaults, are
/// recorded wherever pg_dump writes them (inline, or `NOT VALID` ones added
/// afterwards), so that `--table` can bring the functions they call.
#[test]
fn check_constraints_and_domain_defaults_are_recorded() {
    let sql = "\
CREATE DOMAIN public.d AS integer DEFAULT public.pick() CONSTRAINT d_check CHECK ((VALUE > 0));
ALTER DOMAIN public.d ADD CONSTRAINT d_small CHECK ((VALUE < 100)) NOT VALID;
CREATE TABLE public.t (a integer CHECK (a <> 7), b text, CONSTRAINT b_ok CHECK (public.ok(b)));
ALTER TABLE public.t ADD CONSTRAINT later CHECK ((a > 0)) NOT VALID;
";
    let s = summarize_str(sql);
    assert_eq!(s.parse_errors, []);
    let checks = |c: &[crate::schema::CheckConstraint]| {
        c.iter().map(|k| (k.name.clone().unwrap_or_default(), k.expression.clone())).collect::<Vec<_>>()
    };
    let pair = |n: &str, e: &str| (n.to_string(), e.to_string());
    assert_eq!(
        checks(&table(&s, "public", "t").checks),
        [pair("", "a <> 7"), pair("b_ok", "public.ok(b)"), pair("later", "a > 0")]
    );
    let d = &s.types[0];
    assert_eq!(d.default.as_deref(), Some("public.pick()"));
    assert_eq!(checks(&d.checks), [pair("d_check", "value > 0"), pair("d_small", "value < 100")]);
}

/// INSERT-heavy dumps must stay fast: an INSERT inside a `TABLE DATA` TOC
/// entry is attributed by the entry and never handed to the parser (so even
/// a malformed one produces no parse error here; psql will report it).
#[test]
fn inserts_with_a_table_data_entry_are_not_parsed() {
    let sql = "\
--
-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.t VALUES (1), (2);
INSERT INTO public.t VALUES (3) garbage;
";
    let s = summarize_str(sql);
    assert_eq!(s.parse_errors, []);
    assert_eq!(table(&s, "public", "t").rows, 3);
    assert_eq!(s.totals.insert_statements, 2);
}

/// `spec/schema.schema.json` must describe exactly what serde writes: every
/// object in a real summary has the keys its schema definition requires,
/// no more and no fewer.
#[test]
fn json_schema_matches_the_serialized_summary() {
    use serde_json::Value;

    fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let name = r.strip_prefix("#/$defs/").expect("local $ref");
            return resolve(root, &root["$defs"][name]);
        }
        // allOf wraps a $ref to add a description; anyOf is [definition, null].
        match s.get("allOf").or_else(|| s.get("anyOf")) {
            Some(alternatives) => resolve(root, &alternatives[0]),
            None => s,
        }
    }

    fn check(root: &Value, schema: &Value, value: &Value, path: &str) {
        let schema = resolve(root, schema);
        match value {
            Value::Object(map) => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let required: Vec<&str> =
                    schema["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                let mut properties: Vec<&str> =
                    schema["properties"].as_object().unwrap().keys().map(String::as_str).collect();
                let (mut keys_sorted, mut required_sorted) = (keys.clone(), required.clone());
                keys_sorted.sort_unstable();
                required_sorted.sort_unstable();
                properties.sort_unstable();
                assert_eq!(keys_sorted, required_sorted, "required keys at {path}");
                assert_eq!(keys_sorted, properties, "properties at {path}");
                for (k, v) in map {
                    assert!(schema["properties"][k].get("description").is_some(), "{path}.{k} has no description");
                    check(root, &schema["properties"][k], v, &format!("{path}.{k}"));
                }
            }
            Value::Array(items) => items.iter().for_each(|v| check(root, &schema["items"], v, &format!("{path}[]"))),
            _ => {}
        }
    }

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/schema.schema.json");
    let root: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let with_error = summarize_str("CREATE TABLE t (a int,, b int);\n");
    assert_eq!(with_error.parse_errors.len(), 1);
    for s in [summarize_file(FIXTURE), with_error] {
        check(&root, &root, &serde_json::to_value(&s).unwrap(), "$");
    }
}

/// Feeds `sql` to a builder capped at `cap` bytes of JSON; returns the
/// verdict and the summary.
fn summarize_capped(sql: &str, cap: u64) -> (Option<crate::schema::TooLarge>, Summary) {
    // As pack and validate build it: with digests.
    let mut scanner = crate::sql::Scanner::new(sql.as_bytes()).with_digests();
    let mut builder = SummaryBuilder::with_cap(cap).with_digests();
    while let Some(item) = scanner.next_item().unwrap() {
        builder.add(&item, scanner.standard_conforming_strings());
    }
    (builder.too_large(), builder.finish(scanner.header()))
}

/// `n` tables of `cols` one-letter columns each, the smallest text per
/// byte of summary a dump can have, each with one COPY row.
fn many_tables(n: usize, cols: usize) -> String {
    let cols_sql: Vec<String> = (0..cols).map(|c| format!("c{c} int")).collect();
    (0..n).map(|i| format!("CREATE TABLE t{i} ({});\nCOPY t{i} FROM stdin;\n1\n\\.\n", cols_sql.join(", "))).collect()
}

/// The summary stops at its cap, whatever the dump holds, so memory stays
/// bounded (issue 11: pack summarised 400,000 tables into 440 MB before its
/// own cap check refused them). It overshoots by at most half the cap or
/// 1 MiB before it stops, and then adds nothing, tables named only by data
/// included.
#[test]
fn the_summary_stops_at_its_cap() {
    let cap = 2 << 20;
    for cols in [1, 40] {
        let sql = many_tables(40_000 / cols.min(8), cols);
        let (over, s) = summarize_capped(&sql, cap);
        let over = over.unwrap_or_else(|| panic!("{cols} columns: not stopped"));
        assert_eq!(over.cap, cap);
        assert!(over.bytes > cap, "{over:?}");
        let json = crate::package::format::to_json_bytes(&s).len() as u64;
        assert!(json <= cap + (cap / 2).max(1 << 20) + (64 << 10), "{cols} columns: {json} bytes of JSON");
        assert_eq!(s.tables.len(), over.tables, "{cols} columns: tables were added after the stop");
        assert!(over.line > 0 && over.to_string().contains("2 MiB"), "{over}");
        // Counting goes on to the end.
        assert_eq!(s.totals.statements as usize, 2 * (40_000 / cols.min(8)), "{cols} columns");
    }
    // Data for tables the dump never created adds no table after the stop.
    let data: String = (0..30_000)
        .map(|i| format!("--\n-- Data for Name: d{i}; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nINSERT INTO public.d{i} VALUES (1);\n"))
        .collect();
    let (over, s) = summarize_capped(&(many_tables(20_000, 1) + &data), cap);
    assert!(over.is_some());
    assert!(s.tables.iter().all(|t| !t.name.starts_with('d')), "a data-only table was added after the stop");
}

/// Just under the cap nothing is refused, and the last statements are
/// measured at the end, not only when the charges call for it.
#[test]
fn a_summary_under_its_cap_is_whole_and_one_just_over_is_caught_at_the_end() {
    let sql = many_tables(500, 4);
    let json = crate::package::format::to_json_bytes(&summarize_str(&sql)).len() as u64;
    let (over, s) = summarize_capped(&sql, json + 4096);
    assert_eq!(over, None);
    assert_eq!(s.tables.len(), 500);
    let (over, _) = summarize_capped(&sql, json - 4096);
    let over = over.expect("measured at the end");
    assert_eq!(over.line, 0, "{over:?}");
}

/// Restore rewrites `--extension-schema` references in SQL only; the plan
/// lists the functions in other languages whose bodies name a member (issue
/// 12, failure 6), from these names.
#[test]
fn bodies_in_other_languages_record_the_qualified_names_they_mention() {
    let s = summarize_str(
        "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;\n\
         CREATE FUNCTION public.h(t text) RETURNS bytea\n    LANGUAGE plpgsql\n    AS $$\nDECLARE r record;\nBEGIN\n  \
         r := new.id;\n  EXECUTE 'SELECT \"public\".digest($1, ''md5'')' USING t;\n  RETURN public . digest(t, 'md5') || x.y(1.5);\nEND\n$$;\n\
         CREATE FUNCTION public.p(x text) RETURNS text\n    LANGUAGE plpython3u\n    AS $$return plpy.execute(\"SELECT public.crypt(x, 'a')\")$$;\n\
         CREATE FUNCTION public.s(t text) RETURNS bytea\n    LANGUAGE sql\n    AS $$ SELECT public.digest(t, 'md5') $$;\n",
    );
    let names = |f: &str| -> Vec<String> {
        s.functions.iter().find(|x| x.name == f).unwrap().body_names.iter().map(|q| q.to_string()).collect()
    };
    assert_eq!(names("h"), ["public.digest"]);
    assert_eq!(names("p"), ["public.crypt"]);
    // SQL bodies are parsed and rewritten by restore itself.
    assert!(names("s").is_empty());
}
