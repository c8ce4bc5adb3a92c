//! `pgbag/README.txt`: the package explained to a person with no pgbag,
//! possibly decades from now. Plain text, no markup, lines under 80
//! columns where the data allows.

use std::fmt::Write as _;

use super::format::{DUMP_SQL, GLOBALS_SQL, Manifest, count};
use crate::schema::Summary;

pub fn render(m: &Manifest, s: &Summary) -> String {
    let mut t = String::new();
    source(&mut t, m, s);
    files(&mut t, m);
    recipes(&mut t, m, s);
    contents(&mut t, m, s);
    t
}

/// The title, what a bag is, and where the dump came from.
fn source(t: &mut String, m: &Manifest, s: &Summary) {
    let db = m.source.database.as_deref().unwrap_or("(unknown)");
    let _ = writeln!(t, "PostgreSQL database dump: {db}");
    let _ = writeln!(t, "{}\n", "=".repeat(26 + db.chars().count()));
    let _ = writeln!(
        t,
        "This folder is a BagIt bag (RFC 8493) made by pgbag {} on {}.\n\
         It preserves a logical dump of a PostgreSQL database as plain SQL:\n\
         human-readable text that PostgreSQL's own `psql` program can replay\n\
         to rebuild the database. Nothing in it needs pgbag to be read or used.\n",
        m.pgbag_version, m.created_at
    );

    let _ = writeln!(t, "Source");
    let _ = writeln!(t, "------");
    let field = |t: &mut String, k: &str, v: Option<&str>| {
        let _ = writeln!(t, "  {k:<22}{}", v.unwrap_or("(unknown)"));
    };
    field(t, "database:", Some(db));
    field(t, "server version:", m.source.server_version.as_deref().or(s.dump.dumped_from.as_deref()));
    field(t, "pg_dump version:", m.source.pg_dump_version.as_deref().or(s.dump.dumped_by.as_deref()));
    field(t, "encoding:", m.source.encoding.as_deref().or(s.dump.encoding.as_deref()));
    if !m.source.pg_dump_options.is_empty() {
        field(t, "pg_dump options:", Some(&m.source.pg_dump_options.join(" ")));
    }
    if let Some(f) = &m.source.input_file {
        field(t, "packed from file:", Some(f));
    }
    let _ = writeln!(t);
}

/// What each file of the bag is.
fn files(t: &mut String, m: &Manifest) {
    let _ = writeln!(t, "Files");
    let _ = writeln!(t, "-----");
    let _ = writeln!(t, "  bagit.txt, bag-info.txt   BagIt declaration and descriptive fields");
    let _ = writeln!(t, "  manifest-sha256.txt       SHA-256 checksums of the files in data/");
    let _ = writeln!(t, "  tagmanifest-sha256.txt    SHA-256 checksums of the other text files");
    let _ = writeln!(t, "  pgbag/manifest.json       machine-readable description (JSON)");
    let _ = writeln!(t, "  pgbag/schema.json         machine-readable schema summary (JSON): tables,");
    let _ = writeln!(t, "                            columns, comments, row counts, and each table's");
    let _ = writeln!(t, "                            content digest: the sum modulo 2^256 of the");
    let _ = writeln!(t, "                            SHA-256 of each of its COPY data lines, read as");
    let _ = writeln!(t, "                            big-endian numbers, as 64 hex digits");
    for p in &m.payload {
        let what = match p.path.as_str() {
            DUMP_SQL => "the dump, exactly as pg_dump wrote it",
            GLOBALS_SQL => "roles and tablespaces (pg_dumpall --globals-only)",
            _ => "payload",
        };
        let _ = writeln!(t, "  {:<26}{what}, {} bytes", p.path, p.bytes);
    }
    let _ = writeln!(t);
}

/// How to check and restore it by hand, with no pgbag.
fn recipes(t: &mut String, m: &Manifest, s: &Summary) {
    let _ = writeln!(t, "How to check that nothing has changed");
    let _ = writeln!(t, "-------------------------------------");
    let _ = writeln!(
        t,
        "  If this bag came as one file, unpack it first:\n\
         \x20   zstd -dc NAME.tar.zst | tar -xf -      (or: tar -xzf NAME.tar.gz)\n\
         \x20 Then, inside this folder, run:\n\
         \x20   sha256sum -c manifest-sha256.txt\n\
         \x20   sha256sum -c tagmanifest-sha256.txt\n\
         \x20 Every line must say OK. Any BagIt validator works too, e.g.\n\
         \x20   bagit.py --validate .\n"
    );

    let _ = writeln!(t, "How to restore it with plain psql");
    let _ = writeln!(t, "---------------------------------");
    restore_recipe(t, m, s);
}

/// The hand recipe for this very dump: a `pg_dump --create` dump makes its
/// own database, a `--clean` one without `--if-exists` starts with `DROP`s
/// that fail in an empty database. tests/it/hand_recipe.rs runs the lines
/// below exactly as written.
fn restore_recipe(t: &mut String, m: &Manifest, s: &Summary) {
    let roles = if m.payload.iter().any(|p| p.path == GLOBALS_SQL) {
        " (data/globals.sql holds CREATE ROLE statements:\n\
         \x20    psql -X -d postgres -f data/globals.sql)"
    } else {
        ""
    };
    let roles_step = if s.roles.is_empty() {
        " The dump names no roles as owners or grantees: none to create.\n".to_string()
    } else {
        format!(
            " The dump makes these roles owners or grantees, so each must\n\
             \x20    exist on the server first{roles}:\n\
             \x20      {}\n\
             \x20    psql stops at the first error, and an OWNER TO or a GRANT\n\
             \x20    naming a missing role is one.\n",
            s.roles.join(", ")
        )
    };
    let restrict = psql_advice(m, s);
    let extensions = if s.extensions.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = s.extensions.iter().map(|e| e.name.as_str()).collect();
        format!(
            "\x20    The server must have the extensions it creates available\n\
             \x20    ({}; see \"What it holds\" below).\n",
            names.join(", ")
        )
    };
    if let Some(db) = &s.dump.database {
        let clean = if s.dump.drops_database {
            format!(
                "\x20    It was made with pg_dump --create --clean, so it starts with\n\
                 \x20    DROP DATABASE {db}: never run it on a server where the live\n\
                 \x20    {db} is. On a server without one, create an empty {db} first\n\
                 \x20    for that DROP to find:\n\
                 \x20      createdb {db}\n"
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            t,
            "  This dump creates its own database, {db} (pg_dump --create), and\n\
             \x20 connects to it. On a server that has no database {db}:\n\
             \x20 1.{roles_step}\
             {clean}\
             \x20 2. Replay the dump from another database, stopping at the first\n\
             \x20    error (CREATE DATABASE cannot run inside one transaction):\n\
             \x20      psql -X -v ON_ERROR_STOP=1 -d postgres -f data/dump.sql\n\
             {extensions}{restrict}\n"
        );
        return;
    }
    let if_exists = m.source.pg_dump_options.iter().any(|o| o == "--if-exists");
    let replay = if s.dump.drops_objects && !if_exists {
        "\x20 3. Replay the dump. It was made with pg_dump --clean: it starts by\n\
         \x20    dropping its objects, and in a new database those DROPs fail\n\
         \x20    (\"does not exist\"). Run it in one transaction that skips just\n\
         \x20    the failing statements, keeping the errors:\n\
         \x20      psql -X -v ON_ERROR_ROLLBACK=on --single-transaction \\\n\
         \x20           -d restored -f data/dump.sql 2> errors.txt\n\
         \x20    then check that every error was such a DROP; this must print\n\
         \x20    nothing:\n\
         \x20      grep ERROR errors.txt | grep -v 'does not exist'\n\
         \x20    If it prints anything, the restore is incomplete: drop the\n\
         \x20    database and read errors.txt.\n"
    } else {
        "\x20 3. Replay the dump, stopping at the first error, all or nothing:\n\
         \x20      psql -X -v ON_ERROR_STOP=1 --single-transaction \\\n\
         \x20           -d restored -f data/dump.sql\n"
    };
    let _ = writeln!(
        t,
        "  1. Create an empty database to restore into (never restore over a\n\
         \x20    database you care about):\n\
         \x20      createdb restored\n\
         \x20 2.{roles_step}\
         {replay}{extensions}{restrict}\n"
    );
}

/// Which psql to use: one at least as new as the pg_dump that made the
/// dump, which the recipe names when it is known (spec/restore.md, "Which
/// psql"; `\restrict` is why it matters most).
fn psql_advice(m: &Manifest, s: &Summary) -> String {
    let by = m.source.pg_dump_version.as_deref().or(s.dump.dumped_by.as_deref());
    let version = by.and_then(|v| v.split_whitespace().next()).filter(|v| !v.is_empty());
    let which = match version {
        Some(v) => format!(
            "\x20    Use a psql at least as new as the pg_dump that made the dump,\n\
             \x20    pg_dump {v} (check with: psql --version); an older psql may\n\
             \x20    not read all that it wrote.\n"
        ),
        None => "\x20    Use a psql at least as new as the pg_dump that made the dump\n\
                 \x20    (see the first lines of data/dump.sql; check with: psql --version).\n"
            .to_string(),
    };
    format!(
        "{which}\
         \x20    A dump made by pg_dump 17.6, 16.10, 15.14, 14.19, 13.22 or later\n\
         \x20    starts with a `\\restrict` line that older psql versions reject\n\
         \x20    with \"invalid command \\restrict\"."
    )
}

/// Counts, extensions, roles, and every table with its columns.
fn contents(t: &mut String, m: &Manifest, s: &Summary) {
    let _ = writeln!(t, "What it holds");
    let _ = writeln!(t, "-------------");
    let _ = writeln!(
        t,
        "  {}, {} in all; {}, {},\n\
         \x20 {}, {}, {}, {}.\n",
        count(s.tables.len(), "table"),
        count(s.totals.rows, "row"),
        count(s.views.len(), "view"),
        count(s.materialized_views.len(), "materialized view"),
        count(s.functions.len(), "function"),
        count(s.sequences.len(), "sequence"),
        count(s.indexes.len(), "index"),
        count(s.large_objects, "large object")
    );
    if !s.extensions.is_empty() {
        let _ = writeln!(t, "  Extensions (must be available on the server you restore to):");
        for e in &s.extensions {
            let version = m
                .extensions
                .iter()
                .find(|v| v.name == e.name)
                .and_then(|v| v.version.as_deref())
                .map(|v| format!(" version {v}"))
                .unwrap_or_default();
            let _ = writeln!(t, "    {} (schema {}){version}", e.name, e.schema.as_deref().unwrap_or("-"));
        }
        let _ = writeln!(t);
    }
    if !s.roles.is_empty() {
        let _ = writeln!(t, "  Roles the dump names as owners or grantees:");
        let _ = writeln!(t, "    {}\n", s.roles.join(", "));
    }
    let _ = writeln!(t, "  Tables (rows as stored in the dump):");
    for tb in &s.tables {
        let name = match &tb.schema {
            Some(sc) => format!("{sc}.{}", tb.name),
            None => tb.name.clone(),
        };
        let _ = writeln!(t, "    {name}: {}", count(tb.rows, "row"));
        if let Some(c) = &tb.comment {
            let _ = writeln!(t, "      {}", c.replace('\n', "\n      "));
        }
        for col in &tb.columns {
            let note = col.comment.as_deref().map(|c| format!("  -- {}", c.replace('\n', " "))).unwrap_or_default();
            let _ = writeln!(t, "      - {} {}{note}", col.name, col.type_name);
        }
    }
}
