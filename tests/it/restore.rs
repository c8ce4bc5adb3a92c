//! Guarded restores into real throwaway clusters: each guard refuses before
//! the target is touched, and a restore that passes them gives back the data.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::*;
use crate::live::pgbag_for;
use crate::util::{self, Cluster, quote_ident};

/// md5 over every row of a table, in a stable order.
pub(crate) fn content_hash(pg: &Cluster, db: &str, schema: &str, table: &str) -> String {
    pg.psql(
        db,
        &format!(
            "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ONLY {}.{} t",
            quote_ident(schema),
            quote_ident(table)
        ),
    )
}

pub(crate) fn sequences(pg: &Cluster, db: &str) -> String {
    pg.psql(db, "SELECT string_agg(schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'null'), ',' ORDER BY schemaname, sequencename) FROM pg_sequences")
}

fn user_objects(pg: &Cluster, db: &str) -> String {
    pg.psql(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'")
}

fn pack_db(pg: &Cluster, db: &str, dir: &Path) -> PathBuf {
    printed_path(pgbag_for(pg).args(["pack", "--db", &pg.conninfo(db), "-o"]).arg(format!("{}/", dir.display())))
}

fn restore(pg: &Cluster, pkg: &Path, db: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    pgbag_for(pg).arg("restore").arg(pkg).args(["-q", "--target", &pg.conninfo(db)]).args(extra).assert()
}

#[test]
fn round_trip_with_create_gives_equal_tables_and_sequences() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    let restored = pg.unique("restored");
    pg.load_fixture(&fixture, true);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &fixture, dir.path());
    restore(pg, &pkg, &restored, &["--create", "--single-transaction"]).success();
    let mut tables: Vec<(&str, &str, u64)> = util::FIXTURE_ROW_COUNTS.to_vec();
    tables.push(util::FIXTURE_BIG_TABLE);
    for (schema, table, _) in tables {
        assert_eq!(
            content_hash(pg, &fixture, schema, table),
            content_hash(pg, &restored, schema, table),
            "{schema}.{table}"
        );
    }
    assert_eq!(sequences(pg, &fixture), sequences(pg, &restored));
    // --create never reuses a database.
    restore(pg, &pkg, &restored, &["--create"]).code(3).stderr(predicate::str::contains("already exists"));
}

#[test]
fn the_heroku_ext_case_refuses_untouched_then_rewrites() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    let heroku = pg.unique("heroku");
    pg.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &fixture, dir.path());
    pg.create_db(&heroku);
    pg.psql(&heroku, "CREATE SCHEMA heroku_ext; CREATE EXTENSION pgcrypto WITH SCHEMA heroku_ext;");
    let before = user_objects(pg, &heroku);
    restore(pg, &pkg, &heroku, &[]).code(3).stderr(
        predicate::str::contains("heroku_ext").and(predicate::str::contains("--extension-schema pgcrypto=heroku_ext")),
    );
    assert_eq!(user_objects(pg, &heroku), before, "the refused restore touched the target");
    restore(pg, &pkg, &heroku, &["--extension-schema", "pgcrypto=heroku_ext", "--single-transaction"]).success();
    for (schema, table, _) in util::FIXTURE_ROW_COUNTS {
        assert_eq!(
            content_hash(pg, &fixture, schema, table),
            content_hash(pg, &heroku, schema, table),
            "{schema}.{table}"
        );
    }
    // The rewritten default really calls heroku_ext's function.
    let default = pg
        .psql(&heroku, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'public.authors'::regclass");
    assert!(default.contains("heroku_ext.gen_random_bytes"), "{default}");

    // Issue 12, failure 3: the nightly --clean form over that copy. Its
    // `DROP EXTENSION IF EXISTS pgcrypto` used to reach the server ("must be
    // owner of extension pgcrypto" as the database owner; as a superuser,
    // "other objects depend on it"): it is left out with the CREATE.
    pg.psql(&fixture, "INSERT INTO public.authors (name) VALUES ('written after the first copy')");
    let sql = dir.path().join("clean.sql");
    fs::write(&sql, pg.pg_dump(&fixture, &["--clean", "--if-exists"])).unwrap();
    assert!(String::from_utf8_lossy(&fs::read(&sql).unwrap()).contains("DROP EXTENSION IF EXISTS pgcrypto;"));
    let clean = pack_sql(&sql, dir.path(), &[]);
    restore(
        pg,
        &clean,
        &heroku,
        &["--confirm", heroku.as_str(), "--extension-schema", "pgcrypto=heroku_ext", "--single-transaction"],
    )
    .success();
    for (schema, table, _) in util::FIXTURE_ROW_COUNTS {
        assert_eq!(
            content_hash(pg, &fixture, schema, table),
            content_hash(pg, &heroku, schema, table),
            "after the --clean restore: {schema}.{table}"
        );
    }
    assert_eq!(
        pg.psql(&heroku, "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'pgcrypto'"),
        "heroku_ext"
    );
}

/// Issue 12, failure 6: with `--extension-schema` the plan said Ready, then
/// "operator class public.gin_trgm_ops does not exist"; SQL function bodies
/// calling `public.digest` were restored as they were and failed at their
/// first call; a plpgsql body naming it went unmentioned.
#[test]
fn extension_schema_moves_operator_classes_and_sql_bodies_and_names_plpgsql_ones() {
    let Some(pg) = Cluster::shared() else { return };
    let src = pg.unique("src");
    let heroku = pg.unique("heroku");
    pg.create_db(&src);
    pg.psql(
        &src,
        "CREATE EXTENSION pg_trgm WITH SCHEMA public; CREATE EXTENSION pgcrypto WITH SCHEMA public;
         CREATE TABLE public.works (id integer PRIMARY KEY, title text NOT NULL);
         CREATE INDEX works_title_trgm ON public.works USING gin (title public.gin_trgm_ops);
         CREATE INDEX works_lower_trgm ON public.works USING gist (lower(title) public.gist_trgm_ops);
         CREATE FUNCTION public.fingerprint(t text) RETURNS text LANGUAGE sql IMMUTABLE
             AS $$ SELECT encode(public.digest(t, 'sha256'), 'hex') $$;
         CREATE FUNCTION public.short_hash(t text) RETURNS text LANGUAGE sql IMMUTABLE
             BEGIN ATOMIC SELECT left(encode(public.digest(t, 'md5'), 'hex'), 8); END;
         CREATE FUNCTION public.hashed(t text) RETURNS text LANGUAGE plpgsql
             AS $$ BEGIN RETURN encode(public.digest(t, 'sha1'), 'hex'); END $$;
         INSERT INTO public.works VALUES (1, 'a work title'), (2, 'another title');",
    );
    let dir = tempfile::tempdir().unwrap();
    let sql = dir.path().join("src.sql");
    fs::write(&sql, pg.pg_dump(&src, &[])).unwrap();
    let pkg = pack_sql(&sql, dir.path(), &[]);
    pg.create_db(&heroku);
    pg.psql(
        &heroku,
        "CREATE SCHEMA heroku_ext; CREATE EXTENSION pgcrypto WITH SCHEMA heroku_ext; \
         CREATE EXTENSION pg_trgm WITH SCHEMA heroku_ext;",
    );
    let moved = ["--extension-schema", "pg_trgm=heroku_ext", "--extension-schema", "pgcrypto=heroku_ext"];
    let plan = restore(pg, &pkg, &heroku, &[&moved[..], &["--plan"]].concat()).success().get_output().stdout.clone();
    let plan = String::from_utf8_lossy(&plan);
    assert!(plan.contains("function public.hashed(t text) (plpgsql) names public.digest in its body"), "{plan}");
    assert!(!plan.contains("public.fingerprint") && !plan.contains("public.short_hash"), "{plan}");

    restore(pg, &pkg, &heroku, &[&moved[..], &["--single-transaction"]].concat()).success();
    let indexes = pg.psql(
        &heroku,
        "SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'works'",
    );
    assert!(indexes.contains("USING gin (title heroku_ext.gin_trgm_ops)"), "{indexes}");
    assert!(indexes.contains("USING gist (lower(title) heroku_ext.gist_trgm_ops)"), "{indexes}");
    assert_eq!(
        pg.psql(
            &heroku,
            "SELECT public.fingerprint('x') = encode(heroku_ext.digest('x', 'sha256'), 'hex') \
               AND public.short_hash('x') = left(encode(heroku_ext.digest('x', 'md5'), 'hex'), 8)"
        ),
        "t"
    );
    assert_eq!(content_hash(pg, &src, "public", "works"), content_hash(pg, &heroku, "public", "works"));
}

#[test]
fn an_unavailable_extension_is_refused_and_nothing_is_created() {
    let Some(pg) = Cluster::shared() else { return };
    let dst = pg.unique("dst");
    // What pg_dump writes for a database using an extension the target
    // lacks. Written by hand rather than dumped from a source with a test
    // extension installed: its files would have to go into the server's
    // share directory, which every cluster of the machine reads, and
    // removing them made a concurrent restore's pg_available_extensions
    // fail ("could not open extension control file").
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_text(
        dir.path(),
        "probe",
        &handmade_dump(
            "--\n-- Name: pgbag_probe; Type: EXTENSION; Schema: -; Owner: -\n--\n\n\
             CREATE EXTENSION IF NOT EXISTS pgbag_probe WITH SCHEMA public;\n\n\
             --\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\n\
             CREATE TABLE public.t (\n    v integer DEFAULT public.pgbag_probe()\n);\n\n",
        ),
    );
    let exists = || pg.psql("postgres", &format!("SELECT count(*) FROM pg_database WHERE datname = '{dst}'"));
    restore(pg, &pkg, &dst, &["--create"])
        .code(3)
        .stderr(predicate::str::contains("pgbag_probe is not available").and(predicate::str::contains("public.t.v")));
    assert_eq!(exists(), "0");
    // Issue 12, failure 7: skipping it used to say "Ready", then fail at the
    // column whose default calls it.
    restore(pg, &pkg, &dst, &["--create", "--skip-extension", "pgbag_probe"]).code(3).stderr(
        predicate::str::contains("--skip-extension pgbag_probe, but the target does not have pgbag_probe")
            .and(predicate::str::contains("public.t.v")),
    );
    assert_eq!(exists(), "0");
    pg.create_db(&dst);
    assert_eq!(exists(), "1", "the check above can see the database");
}

/// A small plain dump, written by hand the way pg_dump writes it.
fn handmade_dump(body: &str) -> String {
    format!(
        "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
         SET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n{body}\n\
         --\n-- PostgreSQL database dump complete\n--\n\n"
    )
}

fn pack_text(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let path = dir.join(format!("{name}.sql"));
    fs::write(&path, sql).unwrap();
    printed_path(pgbag().args(["pack", "--sql"]).arg(&path).arg("-o").arg(dir.join(format!("{name}.tar.zst"))))
}

#[test]
fn a_non_superuser_database_owner_restores_despite_comment_on_plpgsql() {
    let Some(pg) = Cluster::start() else { return };
    pg.psql("postgres", "CREATE ROLE app_owner LOGIN");
    pg.psql("postgres", "CREATE DATABASE owned OWNER app_owner");
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_text(
        dir.path(),
        "plpgsql",
        &handmade_dump(
            "--\n-- Name: EXTENSION plpgsql; Type: COMMENT; Schema: -; Owner: \n--\n\n\
             COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';\n\n\
             --\n-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (a integer);\n\n\
             COPY public.t (a) FROM stdin;\n1\n2\n\\.\n\n",
        ),
    );
    let conn = format!("{} user=app_owner", pg.conninfo("owned"));
    pgbag_for(&pg).arg("restore").arg(&pkg).args(["-q", "--target", &conn]).assert().success();
    assert_eq!(pg.psql("owned", "SELECT count(*) FROM public.t"), "2");

    // Issue 12, failure 10: app_owner has no CREATEDB. --create used to say
    // ready and then fail; drill said "the package did not restore" (exit 1,
    // "the backup is bad"). Both are refused by the plan now, with nothing
    // created: restore exit 3, drill exit 2 (its server cannot run it,
    // which says nothing about the package).
    let databases = pg.psql("postgres", "SELECT count(*) FROM pg_database");
    let new = format!("{} user=app_owner", pg.conninfo("owned_copy"));
    pgbag_for(&pg).arg("restore").arg(&pkg).args(["-q", "--create", "--target", &new]).assert().code(3).stderr(
        predicate::str::contains("may not create databases")
            .and(predicate::str::contains("ALTER ROLE app_owner CREATEDB")),
    );
    pgbag_for(&pg)
        .arg("drill")
        .arg(&pkg)
        .args(["--target", &conn])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("may not create databases"));
    assert_eq!(pg.psql("postgres", "SELECT count(*) FROM pg_database"), databases);
}

#[test]
fn missing_roles_are_refused_until_owner_and_privileges_are_left_out() {
    let Some(source) = Cluster::shared() else { return };
    let fixture = source.unique("fixture");
    source.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(source, &fixture, dir.path());
    // Its own: the shared cluster has the fixture's roles.
    let Some(target) = Cluster::start() else { return };
    restore(&target, &pkg, "fresh", &["--create"])
        .code(3)
        .stderr(predicate::str::contains("pgbag_reader").and(predicate::str::contains("--no-owner")));
    restore(&target, &pkg, "fresh", &["--create", "--no-owner", "--no-privileges"]).success();
    assert_eq!(target.psql("fresh", "SELECT count(*) FROM public.books"), "1000");
}

#[test]
fn a_non_empty_target_needs_confirm() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    let busy = pg.unique("busy");
    pg.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &fixture, dir.path());
    pg.create_db(&busy);
    pg.psql(&busy, "CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (1);");
    restore(pg, &pkg, &busy, &[]).code(3).stderr(predicate::str::contains(format!("--confirm {busy}")));
    assert_eq!(user_objects(pg, &busy), "1");
    restore(pg, &pkg, &busy, &["--confirm", "wrong"]).code(3);
    restore(pg, &pkg, &busy, &["--confirm", busy.as_str()]).success();
    assert_eq!(pg.psql(&busy, "SELECT count(*) FROM public.books"), "1000");
    assert_eq!(pg.psql(&busy, "SELECT count(*) FROM keep_me"), "1");
}

#[test]
fn a_hostile_meta_command_is_refused_and_never_runs_but_the_same_line_in_a_body_restores() {
    let Some(pg) = Cluster::shared() else { return };
    let h1 = pg.unique("h1");
    let h2 = pg.unique("h2");
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let hostile = pack_text(
        dir.path(),
        "hostile",
        &handmade_dump(&format!("CREATE TABLE public.t (a integer);\n\\! touch {}\n", marker.display())),
    );
    restore(pg, &hostile, &h1, &["--create"]).code(3).stderr(predicate::str::contains("\\!"));
    assert!(!marker.exists(), "the meta-command ran");
    let body = pack_text(
        dir.path(),
        "body",
        &handmade_dump(&format!(
            "CREATE FUNCTION public.f() RETURNS text LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN '\n\\! touch {}\n';\nEND\n$$;\n",
            marker.display()
        )),
    );
    restore(pg, &body, &h2, &["--create"]).success();
    assert!(!marker.exists());
    assert!(pg.psql(&h2, "SELECT public.f()").contains("touch"));
}

#[test]
fn a_failure_part_way_names_the_object_and_by_default_leaves_nothing() {
    let Some(pg) = Cluster::shared() else { return };
    let created = pg.unique("created");
    let partial = pg.unique("partial");
    let atomic = pg.unique("atomic");
    let atomic2 = pg.unique("atomic2");
    let atomic3 = pg.unique("atomic3");
    let dir = tempfile::tempdir().unwrap();
    // Far more than a pipe holds after the failing statement: psql stops
    // reading mid-stream, and the error must still name the object.
    let rows = "a title of some length\n".repeat(200_000);
    let body = format!(
        "--\n-- Name: works; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.works (title text);\n\n\
         --\n-- Name: works_title_idx; Type: INDEX; Schema: public; Owner: -\n--\n\n\
         CREATE INDEX works_title_idx ON public.works USING btree (no_such_column);\n\n\
         --\n-- Data for Name: works; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\
         COPY public.works (title) FROM stdin;\n{rows}\\.\n\n"
    );
    let pkg = pack_text(dir.path(), "broken", &handmade_dump(&body));
    // Into a database it creates, a failed restore drops it again (issue
    // 12: the empty database stayed, and the next --create was refused).
    let exists = |db: &str| pg.psql("postgres", &format!("SELECT count(*) FROM pg_database WHERE datname = '{db}'"));
    for extra in [&["--create"][..], &["--create", "--single-transaction"]] {
        restore(pg, &pkg, &created, extra).code(4).stderr(
            predicate::str::contains("failed while restoring INDEX public.works_title_idx").and(
                predicate::str::contains(format!("database {created}, which this restore created, was dropped again")),
            ),
        );
        assert_eq!(exists(&created), "0", "{extra:?}");
    }
    // Into an existing database: per statement, what ran stays and the
    // message says so; with --single-transaction nothing changes.
    pg.create_db(&partial);
    restore(pg, &pkg, &partial, &["--confirm", partial.as_str(), "--no-single-transaction"]).code(4).stderr(
        predicate::str::contains("partly restored")
            .and(predicate::str::contains("without --no-single-transaction (all or nothing)")),
    );
    assert_eq!(user_objects(pg, &partial), "1");
    // The default is all or nothing; --single-transaction is the same, and
    // the later of the two flags wins.
    for (db, extra) in [
        (&atomic, &[][..]),
        (&atomic2, &["--single-transaction"]),
        (&atomic3, &["--no-single-transaction", "--single-transaction"]),
    ] {
        pg.create_db(db);
        restore(pg, &pkg, db, extra).code(4).stderr(
            predicate::str::contains("nothing was restored")
                .and(predicate::str::contains(format!("{db} is as it was"))),
        );
        assert_eq!(user_objects(pg, db), "0", "{extra:?}");
    }
}

#[test]
fn plan_prints_and_touches_nothing() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    let planned = pg.unique("planned");
    let x = pg.unique("x");
    pg.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &fixture, dir.path());
    let out = restore(pg, &pkg, &planned, &["--create", "--plan", "--json"]).success().get_output().stdout.clone();
    let plan: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(plan["target_database"], planned.as_str());
    assert_eq!(plan["refusals"].as_array().unwrap().len(), 0);
    assert_eq!(pg.psql("postgres", &format!("SELECT count(*) FROM pg_database WHERE datname = '{planned}'")), "0");
    crate::spec::assert_valid(&plan, "restore-plan.schema.json", "restore --plan --json");
    // Over the source itself: refused, and each refusal says what to add.
    let before = user_objects(pg, &fixture);
    let out = restore(pg, &pkg, &fixture, &["--plan", "--json"]).code(3).get_output().stdout.clone();
    let plan: serde_json::Value = serde_json::from_slice(&out).unwrap();
    crate::spec::assert_valid(&plan, "restore-plan.schema.json", "a refused restore --plan --json");
    let guards: Vec<&str> = plan["refusals"].as_array().unwrap().iter().map(|r| r["guard"].as_str().unwrap()).collect();
    assert_eq!(guards, ["overwrite", "conflict"], "{plan}");
    let fix: Vec<String> = plan["refusals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["fix_args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()))
        .collect();
    assert_eq!(fix, ["--confirm", fixture.as_str(), "--clean"]);
    restore(pg, &pkg, &fixture, &["--plan"]).code(3).stdout(
        predicate::str::contains(format!("add: `--confirm {fixture}`")).and(predicate::str::contains("add: `--clean`")),
    );
    // Following them: ready, and the plan lists what --clean drops first.
    let mut args: Vec<&str> = fix.iter().map(String::as_str).collect();
    args.extend(["--plan", "--json"]);
    let out = restore(pg, &pkg, &fixture, &args).success().get_output().stdout.clone();
    let plan: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(
        plan["filter"]["clean_first"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str().unwrap().starts_with("DROP TABLE IF EXISTS")),
        "{plan}"
    );
    assert_eq!(user_objects(pg, &fixture), before, "--plan touched the target");
    // An invalid package is refused before anything else.
    restore(pg, &repo("samples/packages/broken-checksum.tar.gz"), &x, &["--create"]).code(1);
}

#[test]
fn one_table_restores_out_of_a_plain_dump() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    let one = pg.unique("one");
    let two = pg.unique("two");
    pg.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &fixture, dir.path());
    let plan = restore(pg, &pkg, &one, &["--create", "--table", "public.books", "--plan"])
        .success()
        .get_output()
        .stdout
        .clone();
    let plan = String::from_utf8(plan).unwrap();
    assert!(plan.contains("books_author_id_fkey"), "the plan lists the skipped foreign key: {plan}");
    restore(pg, &pkg, &one, &["--create", "--single-transaction", "--table", "public.books"]).success();
    assert_eq!(content_hash(pg, &fixture, "public", "books"), content_hash(pg, &one, "public", "books"));
    let tables = pg.psql(&one, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind IN ('r', 'p', 'm', 'v') AND relnamespace = 'public'::regnamespace");
    assert_eq!(tables, "books");
    let indexes = pg.psql(&one, "SELECT count(*) FROM pg_indexes WHERE tablename = 'books'");
    assert_eq!(indexes, pg.psql(&fixture, "SELECT count(*) FROM pg_indexes WHERE tablename = 'books'"));
    // The identity sequence carries on where the source left it.
    assert_eq!(
        pg.psql(&one, "SELECT last_value FROM pg_sequences WHERE sequencename = 'books_id_seq'"),
        pg.psql(&fixture, "SELECT last_value FROM pg_sequences WHERE sequencename = 'books_id_seq'")
    );
    // Data only, into the table just restored after emptying it.
    pg.psql(&one, "TRUNCATE public.books");
    restore(pg, &pkg, &one, &["--table", "public.books", "--data-only", "--confirm", one.as_str()]).success();
    assert_eq!(content_hash(pg, &fixture, "public", "books"), content_hash(pg, &one, "public", "books"));
    // An unknown table is refused.
    restore(pg, &pkg, &two, &["--create", "--table", "public.nope"])
        .code(3)
        .stderr(predicate::str::contains("no such table"));
}

/// Issue 12, failure 9: `--table public.kithe_models` left out the function
/// its column DEFAULT calls, and the restore failed. tests/it/table_needs.sql
/// gives public.t a DEFAULT calling a function, a DEFAULT drawing on a
/// sequence shared with public.other (and owned by neither), a domain and an
/// enum column, and a CHECK constraint calling a function that takes the
/// domain; `--table public.t` restores all of that and nothing else, and
/// its defaults work afterwards.
#[test]
fn one_table_brings_along_the_functions_types_and_sequences_it_needs() {
    let Some(pg) = Cluster::shared() else { return };
    let needs = pg.unique("needs");
    let needs_t = pg.unique("needs_t");
    pg.create_db(&needs);
    pg.psql_file(&needs, &repo("tests/it/table_needs.sql"), &[]);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &needs, dir.path());
    let plan = restore(pg, &pkg, &needs_t, &["--create", "--table", "public.t", "--plan"]).success();
    let plan = String::from_utf8(plan.get_output().stdout.clone()).unwrap();
    assert!(plan.contains("function public.kithe_models_friendlier_id_gen(bigint, bigint)"), "{plan}");
    assert!(plan.contains("sequence public.shared_seq"), "{plan}");
    restore(pg, &pkg, &needs_t, &["--create", "--table", "public.t"]).success();
    assert_eq!(content_hash(pg, &needs, "public", "t"), content_hash(pg, &needs_t, "public", "t"));
    let relations = pg.psql(
        &needs_t,
        "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind IN ('r', 'S') AND relnamespace = 'public'::regnamespace",
    );
    assert_eq!(relations, "shared_seq,t,t_id_seq");
    let functions = pg.psql(
        &needs_t,
        "SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
    );
    assert_eq!(functions, "kithe_models_friendlier_id_gen,sane_price");
    // The defaults work: the function makes an id, the shared sequence goes
    // on where the source left it.
    let row = pg.psql(
        &needs_t,
        "INSERT INTO public.t (price) VALUES (3.75) RETURNING id, length(friendlier_id) > 0, ticket, mood",
    );
    assert_eq!(row, "3|t|103|ok");
    // The CHECK constraint calls its function; the comment and grant came too.
    let refused = pg
        .command("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", needs_t.as_str(), "-c"])
        .arg("INSERT INTO public.t (price) VALUES (2000000)")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("price_is_sane"), "{stderr}");
    let described = "SELECT obj_description('public.kithe_models_friendlier_id_gen(bigint, bigint)'::regprocedure)";
    assert_eq!(pg.psql(&needs_t, described), pg.psql(&needs, described));
    let granted = "SELECT proacl::text FROM pg_proc WHERE proname = 'sane_price'";
    assert_eq!(pg.psql(&needs_t, granted), pg.psql(&needs, granted));
}

#[test]
fn on_a_terminal_the_overwrite_guard_asks_for_the_name() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture = pg.unique("fixture");
    let busy = pg.unique("busy");
    pg.load_fixture(&fixture, false);
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_db(pg, &fixture, dir.path());
    pg.create_db(&busy);
    pg.psql(&busy, "CREATE TABLE keep_me (x int)");
    // `script` gives pgbag a pseudo-terminal; what we pipe in is "typed".
    let run = |typed: &str| {
        let cmd = format!(
            "{} restore -q {} --target '{}'; echo exit=$?",
            assert_cmd::cargo::cargo_bin("pgbag").display(),
            pkg.display(),
            pg.conninfo(&busy)
        );
        let mut c = std::process::Command::new("script");
        pg.apply_env(&mut c);
        let out = c
            .args(["-qec", &cmd, "/dev/null"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(typed.as_bytes())?;
                child.wait_with_output()
            })
            .expect("script(1) from util-linux runs pgbag on a pseudo-terminal");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let refused = run("production\n");
    assert!(refused.contains(&format!("Type the name of database {busy}")) && refused.contains("exit=3"), "{refused}");
    // Asked after the plan, saying what will change (issue 12, failure 13).
    let plan_at = refused.find(&format!("Restore plan for database {busy}")).expect("the plan is shown first");
    assert!(plan_at < refused.find("Type the name").unwrap(), "{refused}");
    assert!(refused.contains(&format!("restoring would change database {busy}")), "{refused}");
    assert_eq!(pg.psql(&busy, "SELECT count(*) FROM pg_class WHERE relname = 'books'"), "0");
    let accepted = run(&format!("{busy}\n"));
    assert!(accepted.contains("exit=0"), "{accepted}");
    assert_eq!(pg.psql(&busy, "SELECT count(*) FROM public.books"), "1000");
}

/// Issue 12, failure 1: a `pg_dump --create` dump restored with
/// `--target prod_copy --create` dropped and recreated `prod` (its own
/// `DROP DATABASE`, `CREATE DATABASE` and `\connect prod` ran), losing the
/// rows written after the backup, with exit 0. Now everything goes into the
/// target: the dump's statements about databases and its `\connect prod` are
/// left out, and the plan says so. Both pg_dump forms (`--create`, and
/// `--create --clean`, which adds `DROP DATABASE`), restored into a database
/// pgbag creates and over an existing empty one, and drilled.
#[test]
fn a_create_dump_restores_into_the_target_and_never_touches_its_own_database() {
    let Some(pg) = Cluster::shared() else { return };
    let prod = pg.unique("prod");
    pg.load_fixture(&prod, false);
    let dir = tempfile::tempdir().unwrap();
    let mut packages = Vec::new();
    for (name, args) in [("create", &["--create"][..]), ("create-clean", &["--create", "--clean"][..])] {
        let sql = dir.path().join(format!("{name}.sql"));
        fs::write(&sql, pg.pg_dump(&prod, args)).unwrap();
        packages.push((name, pack_sql(&sql, dir.path(), &[])));
    }
    // Written after the backup: a restore that touched prod would lose it.
    pg.psql(&prod, "CREATE TABLE public.after_backup (a integer); INSERT INTO public.after_backup VALUES (42)");
    let prod_authors = content_hash(pg, &prod, "public", "authors");

    for (name, pkg) in &packages {
        let plan = pgbag_for(pg)
            .arg("restore")
            .arg(pkg)
            .args(["--plan", "--create", "--target", &pg.conninfo(&format!("{prod}_{name}_copy"))])
            .assert()
            .success();
        let plan = String::from_utf8_lossy(&plan.get_output().stdout).into_owned();
        assert!(
            plan.contains(&format!("pg_dump --create for database {prod}"))
                && plan.contains(&format!("{prod} itself is not touched")),
            "{plan}"
        );
        assert!(plan.contains(&format!("CREATE DATABASE {prod}")), "{plan}");

        let copy = format!("{prod}_{name}_copy");
        restore(pg, pkg, &copy, &["--create"]).success();
        let existing = format!("{prod}_{name}_existing");
        pg.create_db(&existing);
        // The overwrite guard still counts `DROP DATABASE` as the dump
        // dropping objects (summary's drops_objects), so it wants --confirm.
        let confirm = ["--confirm", existing.as_str()];
        restore(pg, pkg, &existing, if *name == "create" { &[] } else { &confirm }).success();
        for db in [&copy, &existing] {
            for (schema, table, _) in util::FIXTURE_ROW_COUNTS {
                assert_eq!(
                    content_hash(pg, &prod, schema, table),
                    content_hash(pg, db, schema, table),
                    "{name} into {db}: {schema}.{table}"
                );
            }
            assert_eq!(pg.psql(db, "SELECT to_regclass('public.after_backup') IS NULL"), "t", "{name} into {db}");
        }
        assert_eq!(pg.psql(&prod, "SELECT a FROM public.after_backup"), "42", "{name}: prod was touched");
        assert_eq!(content_hash(pg, &prod, "public", "authors"), prod_authors, "{name}");

        pgbag_for(pg).arg("drill").arg(pkg).args(["--target", &pg.conninfo("postgres")]).assert().success();
        assert_eq!(pg.psql(&prod, "SELECT a FROM public.after_backup"), "42", "{name}: the drill touched prod");
    }
}

/// Issue 12, failure 8: every dump pg_dump 17 or later makes fails on a
/// PostgreSQL 16 or older target at its `SET transaction_timeout = 0;` (the
/// control: plain psql stops there). The fixture dump as pg_dump 17 writes
/// its header restores into PostgreSQL 15 with that line left out and
/// equal content, and the plan says so.
#[test]
fn a_pg_dump_17_header_restores_into_an_older_server() {
    let Some(pg) = Cluster::shared() else { return };
    let fixture17 = pg.unique("fixture17");
    let by_hand = pg.unique("by_hand");
    let restored17 = pg.unique("restored17");
    let version: u32 = pg.psql("postgres", "SHOW server_version_num").parse().unwrap();
    assert!(version < 170000, "this test needs a server older than 17, got {version}");
    pg.load_fixture(&fixture17, false);
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(repo("samples/dumps/fixture.sql")).unwrap();
    let dump = original
        .replacen("-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)", "-- Dumped by pg_dump version 17.6", 1)
        .replacen("SET lock_timeout = 0;\n", "SET lock_timeout = 0;\nSET transaction_timeout = 0;\n", 1);
    assert!(dump.contains("SET transaction_timeout = 0;\n") && dump.contains("pg_dump version 17.6"));
    let sql = dir.path().join("fixture-17.sql");
    fs::write(&sql, &dump).unwrap();

    pg.create_db(&by_hand);
    let out = pg
        .command("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", by_hand.as_str(), "-f"])
        .arg(&sql)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("transaction_timeout"), "the control: {stderr}");

    let pkg = pack_sql(&sql, dir.path(), &[]);
    let plan = pgbag_for(pg)
        .arg("restore")
        .arg(&pkg)
        .args(["--plan", "--create", "--target", &pg.conninfo(&restored17)])
        .assert()
        .success();
    let plan = String::from_utf8_lossy(&plan.get_output().stdout).into_owned();
    assert!(plan.contains("SET transaction_timeout left out"), "{plan}");
    restore(pg, &pkg, &restored17, &["--create", "--single-transaction"]).success();
    for (schema, table, _) in util::FIXTURE_ROW_COUNTS {
        assert_eq!(
            content_hash(pg, &fixture17, schema, table),
            content_hash(pg, &restored17, schema, table),
            "{schema}.{table}"
        );
    }
}
