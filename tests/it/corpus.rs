//! Real-world databases from samples/corpus/ (schemas nobody here wrote,
//! kept unedited with their licences), each loaded into a throwaway cluster
//! and taken through pgbag: `pack --db`, `validate`, `inspect --json`
//! against the live database, `restore --create` compared table by table,
//! and, where pgbag handles it today, a `pg_dump --clean --if-exists` dump
//! restored over the copy with `--confirm`.
//!
//! Everything read here is inside the repository; the Pagila data is kept
//! zstd-compressed and decompressed into the test's temp dir. The files'
//! SHA-256 (of the uncompressed bytes) are those samples/corpus/README.md
//! records, so an edit to a "kept unedited" file fails a test.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::*;
use crate::live::pgbag_for;
use crate::util::Cluster;

/// A database of the corpus: the files that build it, in order, and the
/// roles its dump names (created in the cluster first). Each test loads one
/// corpus into the shared cluster; the database names (`db`, `db_copy`)
/// and the roles are each corpus's own, so they need no [`Cluster::unique`].
struct Corpus {
    db: &'static str,
    files: &'static [&'static str],
    roles: &'static [&'static str],
}

const PAGILA: Corpus =
    Corpus { db: "pagila", files: &["pagila-e0e35a6-schema.sql", "pagila-e0e35a6-data.sql.zst"], roles: &[] };

const DANBOORU: Corpus =
    Corpus { db: "danbooru", files: &["danbooru-6066256-structure.sql", "danbooru-data.sql"], roles: &[] };

const GRAPHILE_STARTER: Corpus = Corpus {
    db: "graphile_starter",
    files: &["graphile-starter-4c31379-schema.sql", "graphile-starter-data.sql"],
    roles: &["graphile_starter", "graphile_starter_visitor"],
};

/// SHA-256 of the uncompressed files, as samples/corpus/README.md gives them.
const RECORDED: &[(&str, &str)] = &[
    ("pagila-e0e35a6-schema.sql", "8ce358e4c8014087b85296694a0893887bd7a4190e3ce407f2721b86b98e5707"),
    ("pagila-e0e35a6-data.sql.zst", "880580fb2cd4daaa99f290ced264988cdd657b3158be63cd281466f796f6dbf2"),
    ("pagila-LICENSE.txt", "516e7dac679ac1eeb62d5614b01c4e7318154e9a147377d6264954215997ff38"),
    ("danbooru-6066256-structure.sql", "9e3e90d35613c944a844f95b82c7c75f633e25c2198e455f9976aea8b2094ee1"),
    ("danbooru-LICENSE.txt", "76fda88b5b7229d3b5402f789ec622f6a7110baa23cf5a33fc4c1f66ed7e0094"),
    ("graphile-starter-4c31379-schema.sql", "b5b76d0a7160fa298b7f0be78132227d585953454b8be48724e516ab98fbdfce"),
    ("graphile-starter-LICENSE.md", "b249f072251ec52dee291ea302849bbff606bd92cf8568dfc64d2c78a7965afa"),
];

fn corpus_file(name: &str) -> PathBuf {
    repo("samples/corpus").join(name)
}

/// The file's bytes, decompressed when it is a `.zst`/`.gz`.
fn read_plain(name: &str) -> Vec<u8> {
    let f = fs::File::open(corpus_file(name)).unwrap_or_else(|e| panic!("samples/corpus/{name}: {e}"));
    let (mut r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes).unwrap();
    bytes
}

/// Creates `db` (and the corpus's roles) and loads the corpus into it.
fn load(pg: &Cluster, corpus: &Corpus, db: &str, scratch: &Path) {
    for role in corpus.roles {
        pg.psql("postgres", &format!("DO $$BEGIN CREATE ROLE {role}; EXCEPTION WHEN duplicate_object THEN END$$"));
    }
    pg.create_db(db);
    for name in corpus.files {
        let path = if name.ends_with(".sql") {
            corpus_file(name)
        } else {
            let plain = scratch.join(name.rsplit_once('.').unwrap().0);
            fs::write(&plain, read_plain(name)).unwrap();
            plain
        };
        pg.psql_file(db, &path, &[]);
    }
}

/// Ordinary and partitioned tables outside the system schemas and not
/// belonging to an extension: what pg_dump dumps.
const USER_TABLES: &str = "SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' \
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

/// `schema.table` → `(rows, md5 over every row in a stable order)`, for every
/// user table of `db`, in one query.
fn table_contents(pg: &Cluster, db: &str) -> BTreeMap<String, (u64, String)> {
    let sql = pg.psql(
        db,
        &format!(
            "SELECT string_agg(format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM ONLY %I.%I t', \
             nspname || '.' || relname, '|', '', nspname, relname), ' UNION ALL ') FROM ({USER_TABLES}) u"
        ),
    );
    assert!(!sql.is_empty(), "{db} has no tables");
    pg.psql(db, &sql)
        .lines()
        .map(|line| {
            let mut f = line.split('|');
            let (name, rows, md5) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            (name.to_string(), (rows.parse().unwrap(), md5.to_string()))
        })
        .collect()
}

fn sequences(pg: &Cluster, db: &str) -> String {
    pg.psql(db, "SELECT string_agg(schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'null'), ',' ORDER BY schemaname, sequencename) FROM pg_sequences")
}

/// Index definitions (the opclasses among them), constraints and installed
/// extensions, one per line, sorted: the parts of the schema a restore
/// could quietly lose.
fn schema_shape(pg: &Cluster, db: &str) -> Vec<String> {
    let mut lines: Vec<String> = pg
        .psql(
            db,
            "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \
             UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) AND conrelid <> 0 \
             UNION ALL SELECT 'extension ' || extname || ' ' || extversion || ' in ' || extnamespace::regnamespace FROM pg_extension",
        )
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn pack_db(pg: &Cluster, db: &str, dir: &Path) -> PathBuf {
    printed_path(pgbag_for(pg).args(["pack", "--db", &pg.conninfo(db), "-o"]).arg(format!("{}/", dir.display())))
}

fn restore(pg: &Cluster, pkg: &Path, db: &str, extra: &[&str]) {
    pgbag_for(pg).arg("restore").arg(pkg).args(["-q", "--target", &pg.conninfo(db)]).args(extra).assert().success();
}

/// `copy` holds exactly what `source` holds: every table's rows, the
/// sequences, and the indexes, constraints and extensions.
fn assert_same(pg: &Cluster, source: &str, copy: &str, when: &str) {
    let (want, got) = (table_contents(pg, source), table_contents(pg, copy));
    assert_eq!(want.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>(), "{when}: the tables differ");
    for (table, expected) in &want {
        assert_eq!(&got[table], expected, "{when}: {table} (rows, md5) in {copy} differs from {source}");
    }
    assert_eq!(sequences(pg, copy), sequences(pg, source), "{when}: sequences");
    let (want, got) = (schema_shape(pg, source), schema_shape(pg, copy));
    let missing: Vec<_> = want.iter().filter(|l| !got.contains(l)).collect();
    let extra: Vec<_> = got.iter().filter(|l| !want.contains(l)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{when}: {copy} lacks {missing:#?}\nand has {extra:#?}");
}

/// (a) pack --db, validate and inspect --json against the live database;
/// (b) restore --create and compare. Returns the package.
fn pack_check_and_restore(pg: &Cluster, corpus: &Corpus, dir: &Path) -> PathBuf {
    let pkg = pack_db(pg, corpus.db, dir);
    let (exit, report) = validate(&pkg);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["valid"], true);
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");

    let live = table_contents(pg, corpus.db);
    let summary = inspect_json(&pkg);
    assert_eq!(summary["source"]["database"], corpus.db);
    assert_eq!(summary["findings"].as_array().unwrap().len(), 0, "{:#}", summary["findings"]);
    let recorded: BTreeMap<String, u64> = summary["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (format!("{}.{}", t["schema"].as_str().unwrap(), t["name"].as_str().unwrap()), t["rows"].as_u64().unwrap())
        })
        .collect();
    let counted: BTreeMap<String, u64> = live.iter().map(|(t, (rows, _))| (t.clone(), *rows)).collect();
    assert_eq!(recorded, counted, "inspect's tables and rows against the live database");
    assert_eq!(summary["counts"]["rows"].as_u64().unwrap(), counted.values().sum::<u64>());
    let extensions: Vec<String> = summary["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["name"].as_str().unwrap(), e["version"].as_str().unwrap()))
        .collect();
    let installed = pg.psql(
        corpus.db,
        "SELECT coalesce(string_agg(extname || ' ' || extversion, ',' ORDER BY extname), '') FROM pg_extension WHERE extname <> 'plpgsql'",
    );
    assert_eq!(extensions.join(","), installed, "inspect's extensions");

    let copy = format!("{}_copy", corpus.db);
    restore(pg, &pkg, &copy, &["--create", "--single-transaction"]);
    assert_same(pg, corpus.db, &copy, "after restore --create");
    pkg
}

/// (c) The nightly form: a `pg_dump --clean --if-exists` plain dump, taken
/// after the source changed, packed with `--sql` and restored over the copy
/// made by (b) with `--confirm`. `change` is SQL run on the source first, so
/// that the copy must really be replaced for the comparison to hold.
fn clean_restore_over_the_copy(pg: &Cluster, corpus: &Corpus, dir: &Path, change: &str) {
    let copy = format!("{}_copy", corpus.db);
    pg.psql(corpus.db, change);
    assert_ne!(table_contents(pg, corpus.db), table_contents(pg, &copy), "the change changed nothing");
    let sql = dir.join(format!("{}-clean.sql", corpus.db));
    fs::write(&sql, pg.pg_dump(corpus.db, &["--clean", "--if-exists"])).unwrap();
    let pkg = pack_sql(&sql, dir, &[]);
    let (exit, report) = validate(&pkg);
    assert_eq!(exit, 0, "{report:#}");
    restore(pg, &pkg, &copy, &["--confirm", &copy, "--single-transaction"]);
    assert_same(pg, corpus.db, &copy, "after the --clean restore over the copy");
}

#[test]
fn corpus_files_are_the_recorded_originals() {
    for (name, sha256) in RECORDED {
        let got = hex(&Sha256::digest(read_plain(name)));
        assert_eq!(&got, sha256, "samples/corpus/{name} is not the file samples/corpus/README.md records");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Pagila: partitioned payments, domains, enums, plpgsql triggers, views, a
/// materialized view, tsvector with a GiST index, about 50,000 rows. Its
/// `--clean` dump drops its payment partitions' own foreign keys before
/// `staff_pkey`, and their inherited primary keys must be left to the
/// parent's (plain psql fails on it: "cannot drop inherited constraint").
#[test]
fn corpus_pagila_packs_validates_restores_and_restores_clean_over_the_copy() {
    let Some(pg) = Cluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    load(pg, &PAGILA, PAGILA.db, dir.path());
    let rows: u64 = table_contents(pg, PAGILA.db).values().map(|(rows, _)| rows).sum();
    assert!(rows > 49_000, "Pagila loaded {rows} rows");
    pack_check_and_restore(pg, &PAGILA, dir.path());
    clean_restore_over_the_copy(
        pg,
        &PAGILA,
        dir.path(),
        "INSERT INTO public.actor (first_name, last_name) VALUES ('WRITTEN', 'AFTER THE COPY'); \
         UPDATE public.payment SET amount = amount + 1 WHERE payment_id % 100 = 0; \
         DELETE FROM public.rental WHERE rental_id > 16000 AND NOT EXISTS (SELECT 1 FROM public.payment p WHERE p.rental_id = rental.rental_id);",
    );
}

/// Danbooru's schema: 17 pg_trgm GIN indexes (on expressions, on a function
/// of an array, combined with btree_gin on an integer column), pgcrypto,
/// fuzzystrmatch, pgstattuple, inet[] and integer[] columns, its Rails
/// schema_migrations rows and the committed data set.
#[test]
fn corpus_danbooru_packs_validates_restores_and_restores_clean_over_the_copy() {
    let Some(pg) = Cluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    load(pg, &DANBOORU, DANBOORU.db, dir.path());
    let trgm = pg.psql(DANBOORU.db, "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'");
    assert_eq!(trgm, "17");
    pack_check_and_restore(pg, &DANBOORU, dir.path());
    clean_restore_over_the_copy(
        pg,
        &DANBOORU,
        dir.path(),
        "INSERT INTO public.tags (name, created_at, updated_at) VALUES ('written_after_the_copy', '2025-01-01', '2025-01-01'); \
         UPDATE public.posts SET score = score + 100 WHERE id % 10 = 0; DELETE FROM public.favorites WHERE id > 390;",
    );
}

/// The Graphile Starter's schema: citext columns (in unique constraints and
/// CHECKs with `OPERATOR(public.~)`), pgcrypto's crypt() and gen_salt() in
/// functions, uuid-ossp, row-level security with policies, triggers, and
/// grants to two roles.
#[test]
fn corpus_graphile_starter_packs_validates_restores_and_restores_clean_over_the_copy() {
    let Some(pg) = Cluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    load(pg, &GRAPHILE_STARTER, GRAPHILE_STARTER.db, dir.path());
    // citext really compares without case in the copy too.
    let by_name = "SELECT count(*) FROM app_public.users WHERE username = 'ADMIN_0001'";
    assert_eq!(pg.psql(GRAPHILE_STARTER.db, by_name), "1");
    pack_check_and_restore(pg, &GRAPHILE_STARTER, dir.path());
    assert_eq!(pg.psql("graphile_starter_copy", by_name), "1");
    clean_restore_over_the_copy(
        pg,
        &GRAPHILE_STARTER,
        dir.path(),
        "SET session_replication_role = replica; \
         UPDATE app_public.users SET name = 'Renamed after the copy' WHERE username = 'q_0003'; \
         DELETE FROM app_private.sessions WHERE created_at > '2023-01-05';",
    );
}
