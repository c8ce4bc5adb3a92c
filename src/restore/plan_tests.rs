//! Guard tests: pure data in, plan out. No server.

use super::*;
use crate::restore::facts::{AvailableExtension, Dependent, ExistingObject, ExtensionMember, InstalledExtension};
use crate::schema::{Column, Extension, Summary, Table};

fn facts() -> TargetFacts {
    TargetFacts {
        database: "staging".into(),
        server_version: "15.18".into(),
        server_version_num: 150018,
        current_user: "app".into(),
        is_superuser: false,
        can_create_db: true,
        available_extensions: vec![
            AvailableExtension {
                name: "pgcrypto".into(),
                default_version: Some("1.3".into()),
                trusted: true,
                superuser: true,
            },
            AvailableExtension {
                name: "plpgsql".into(),
                default_version: Some("1.0".into()),
                trusted: true,
                superuser: true,
            },
            AvailableExtension {
                name: "adminpack".into(),
                default_version: Some("2.1".into()),
                trusted: false,
                superuser: true,
            },
        ],
        installed_extensions: vec![InstalledExtension {
            name: "plpgsql".into(),
            schema: "pg_catalog".into(),
            version: "1.0".into(),
            owner: "postgres".into(),
        }],
        extension_members: vec![],
        roles: vec!["app".into(), "postgres".into()],
        member_of: vec!["app".into()],
        lock_capacity: 6400,
        existing: vec![],
        other_objects: vec![],
        can_create_schema: true,
        creatable_schemas: vec!["public".into()],
        user_objects: 0,
        psql_version: "15.18".into(),
        psql: None,
    }
}

fn summary_with(exts: &[(&str, &str)]) -> Summary {
    Summary {
        extensions: exts
            .iter()
            .map(|(n, sc)| Extension { name: n.to_string(), schema: Some(sc.to_string()), ..Extension::default() })
            .collect(),
        roles: vec!["app".into()],
        ..Summary::default()
    }
}

fn guards(p: &RestorePlan) -> Vec<&str> {
    p.refusals.iter().map(|r| r.guard.as_str()).collect()
}

#[test]
fn a_clean_restore_into_an_empty_database_is_planned_without_refusals() {
    let p = build(
        &summary_with(&[("pgcrypto", "public")]),
        None,
        &facts(),
        DumpRead::default(),
        &RestoreOptions::default(),
    );
    assert!(!p.refused(), "{:?}", p.refusals);
    // plpgsql belongs to postgres: its COMMENT ON EXTENSION would fail for app.
    assert!(p.filter.drop_extension_comments.contains("plpgsql"));
}

#[test]
fn overwrite_needs_the_typed_database_name() {
    let mut f = facts();
    f.user_objects = 12;
    let s = summary_with(&[]);
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["overwrite"]);
    assert!(p.refusals[0].fix.contains("--confirm staging"));
    let wrong = RestoreOptions { confirm: Some("production".into()), ..RestoreOptions::default() };
    assert!(build(&s, None, &f, DumpRead::default(), &wrong).refused());
    let right = RestoreOptions { confirm: Some("staging".into()), ..RestoreOptions::default() };
    assert!(!build(&s, None, &f, DumpRead::default(), &right).refused());
    // A --clean dump into an empty database: its DROPs run as IF EXISTS and
    // find nothing, so nothing needs confirming; into one with objects, it does.
    let mut clean = summary_with(&[]);
    clean.dump.drops_objects = true;
    let p = build(&clean, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert!(!p.refused(), "{:?}", p.refusals);
    assert!(p.filter.clean_if_exists);
    assert_eq!(guards(&build(&clean, None, &f, DumpRead::default(), &RestoreOptions::default())), ["overwrite"]);
    // --create restores next to production: nothing to overwrite.
    let create = RestoreOptions { create: true, ..RestoreOptions::default() };
    assert!(!build(&clean, None, &f, DumpRead::default(), &create).refused());
}

#[test]
fn the_heroku_ext_case_refuses_then_rewrites_with_extension_schema() {
    let mut f = facts();
    f.installed_extensions.push(InstalledExtension {
        name: "pgcrypto".into(),
        schema: "heroku_ext".into(),
        version: "1.3".into(),
        owner: "postgres".into(),
    });
    f.extension_members = vec![
        ExtensionMember {
            extension: "pgcrypto".into(),
            schema: "heroku_ext".into(),
            name: "digest".into(),
            kind: "function".into(),
        },
        ExtensionMember {
            extension: "pgcrypto".into(),
            schema: "heroku_ext".into(),
            name: "gen_random_bytes".into(),
            kind: "function".into(),
        },
    ];
    let s = summary_with(&[("pgcrypto", "public")]);
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["extension"]);
    assert!(p.refusals[0].reason.contains("heroku_ext") && p.refusals[0].reason.contains("public"));
    assert!(p.refusals[0].fix.contains("--extension-schema pgcrypto=heroku_ext"));

    let mut o = RestoreOptions::default();
    o.extension_schema.insert("pgcrypto".into(), "heroku_ext".into());
    let p = build(&s, None, &f, DumpRead::default(), &o);
    assert!(!p.refused(), "{:?}", p.refusals);
    assert!(p.filter.skip_extensions.contains("pgcrypto"));
    let rw = &p.filter.schema_rewrites[0];
    assert_eq!((rw.from.as_str(), rw.to.as_str()), ("public", "heroku_ext"));
    assert!(rw.members.contains("digest"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);

    // Issue 12, failure 6: a plpgsql body is not rewritten; the plan names
    // the function (and not one whose body names only other things).
    let mut s = s;
    let q = |schema: &str, name: &str| crate::schema::QualifiedName { schema: Some(schema.into()), name: name.into() };
    for (name, names) in [("h", vec![q("public", "digest"), q("public", "t")]), ("k", vec![q("public", "t")])] {
        s.functions.push(crate::schema::Function {
            schema: Some("public".into()),
            name: name.into(),
            kind: "function".into(),
            arguments: "t text".into(),
            language: Some("plpgsql".into()),
            body_names: names,
            ..crate::schema::Function::default()
        });
    }
    let p = build(&s, None, &f, DumpRead::default(), &o);
    assert!(!p.refused(), "{:?}", p.refusals);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(
        p.warnings[0].contains("function public.h(t text) (plpgsql) names public.digest")
            && p.warnings[0].contains("heroku_ext.digest"),
        "{}",
        p.warnings[0]
    );
}

#[test]
fn unavailable_and_untrusted_extensions_are_refused_with_dependents_listed() {
    let mut s = summary_with(&[("vector", "public"), ("adminpack", "pg_catalog")]);
    s.tables.push(Table {
        schema: Some("public".into()),
        name: "docs".into(),
        columns: vec![
            Column {
                name: "id".into(),
                type_name: "bigint".into(),
                default: Some("nextval('public.docs_id_seq'::regclass)".into()),
                ..Column::default()
            },
            Column {
                name: "note".into(),
                type_name: "text".into(),
                default: Some("'public.x(y)'::text".into()),
                ..Column::default()
            },
            Column { name: "embedding".into(), type_name: "public.vector(3)".into(), ..Column::default() },
        ],
        ..Table::default()
    });
    s.functions.push(crate::schema::Function {
        schema: Some("public".into()),
        name: "nearest".into(),
        arguments: "q public.vector".into(),
        returns: Some("bigint".into()),
        ..Default::default()
    });
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["extension", "extension"]);
    assert!(p.refusals[0].reason.contains("not available") && p.refusals[0].reason.contains("public.docs.embedding"));
    assert!(p.refusals[0].reason.contains("function public.nearest(q public.vector)"), "{}", p.refusals[0].reason);
    // Issue 12, failure 11: a sequence or text inside a literal is no use of
    // the extension, and vector is not a contrib module.
    assert!(
        !p.refusals[0].reason.contains("docs.id") && !p.refusals[0].reason.contains("docs.note"),
        "{}",
        p.refusals[0].reason
    );
    assert!(!p.refusals[0].fix.contains("contrib") && p.refusals[0].fix.contains("not part of PostgreSQL itself"));
    assert!(p.refusals[1].reason.contains("not a trusted extension"));
    let contrib =
        build(&summary_with(&[("hstore", "public")]), None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert!(contrib.refusals[0].fix.contains("postgresql-contrib"), "{}", contrib.refusals[0].fix);
    let mut su = facts();
    su.is_superuser = true;
    assert_eq!(guards(&build(&s, None, &su, DumpRead::default(), &RestoreOptions::default())), ["extension"]);
    let skip = RestoreOptions {
        skip_extension: ["vector".to_string(), "adminpack".to_string()].into(),
        ..RestoreOptions::default()
    };
    // Issue 12, failure 7: skipping vector, which the target lacks and the
    // dump's objects need, is a refusal naming exactly those objects.
    let p = build(&s, None, &facts(), DumpRead::default(), &skip);
    assert_eq!(guards(&p), ["extension"]);
    let why = &p.refusals[0].reason;
    assert!(why.contains("--skip-extension vector") && why.contains("public.docs.embedding"), "{why}");
    assert!(why.contains("function public.nearest") && !why.contains("docs.id"), "{why}");
    // With vector already on the target, skipping its CREATE is what is wanted.
    let mut has = facts();
    has.installed_extensions.push(InstalledExtension {
        name: "vector".into(),
        schema: "public".into(),
        version: "0.8.0".into(),
        owner: "postgres".into(),
    });
    assert!(!build(&s, None, &has, DumpRead::default(), &skip).refused());
    let only_adminpack =
        RestoreOptions { skip_extension: ["adminpack".to_string()].into(), ..RestoreOptions::default() };
    assert_eq!(guards(&build(&s, None, &facts(), DumpRead::default(), &only_adminpack)), ["extension"]);
}

#[test]
fn missing_roles_are_listed_until_owner_and_privileges_are_left_out() {
    let mut s = summary_with(&[]);
    s.roles = vec!["app".into(), "catalog_owner".into(), "reporting".into()];
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["roles"]);
    assert!(p.refusals[0].object.contains("catalog_owner, reporting"));
    assert!(p.refusals[0].fix.contains("--no-owner") && p.refusals[0].fix.contains("globals.sql"));
    let o = RestoreOptions { no_owner: true, no_privileges: true, ..RestoreOptions::default() };
    assert!(!build(&s, None, &facts(), DumpRead::default(), &o).refused());
}

/// A pg_dump --create --clean dump of `prod` restored into the target: its
/// statements about databases are listed as left out, its `\connect prod`
/// passes (the filter drops it), and a `\connect` anywhere else is refused.
#[test]
fn a_create_dump_goes_into_the_target_and_its_database_statements_are_listed() {
    use crate::sql::guard::DatabaseStatement;
    let d = |line, create, text: &str| DatabaseStatement { line, database: "prod".into(), create, text: text.into() };
    let dbs = [
        d(20, false, "DROP DATABASE prod;"),
        d(24, true, "CREATE DATABASE prod WITH TEMPLATE = template0 ENCODING = 'UTF8';"),
        d(27, false, "ALTER DATABASE prod OWNER TO app;"),
    ];
    let connect = [MetaLine { command: "connect".into(), args: Some("prod".into()), line: 29 }];
    let s = summary_with(&[]);
    let read = DumpRead { metas: &connect, hazards: None, databases: Some(&dbs) };
    let p = build(&s, None, &facts(), read, &RestoreOptions::default());
    assert!(!p.refused(), "{:?}", p.refusals);
    assert_eq!(p.filter.dump_database.as_deref(), Some("prod"));
    let notes = p.notes.join("\n");
    assert!(
        notes.contains("pg_dump --create for database prod") && notes.contains("prod itself is not touched"),
        "{notes}"
    );
    assert!(
        notes.contains("3 statement(s) about databases left out") && notes.contains("line 24: CREATE DATABASE prod"),
        "{notes}"
    );

    let other = [MetaLine { command: "connect".into(), args: Some("other".into()), line: 29 }];
    let read = DumpRead { metas: &other, hazards: None, databases: Some(&dbs) };
    let p = build(&s, None, &facts(), read, &RestoreOptions::default());
    assert_eq!(guards(&p), ["meta-command"]);
    // Without CREATE DATABASE in the dump, a \connect to its name is another database.
    let read = DumpRead { metas: &connect, hazards: None, databases: Some(&dbs[..1]) };
    assert_eq!(guards(&build(&s, None, &facts(), read, &RestoreOptions::default())), ["meta-command"]);
}

fn metas(m: &[MetaLine]) -> DumpRead<'_> {
    DumpRead { metas: m, hazards: None, databases: None }
}

#[test]
fn only_pg_dump_meta_commands_pass() {
    let m = |c: &str, a: &str| MetaLine { command: c.into(), args: Some(a.into()), line: 7 };
    let s = summary_with(&[]);
    let db = facts().database;
    let ok = [
        m("restrict", "abc"),
        m("unrestrict", "abc"),
        m("connect", &db),
        m("connect", &format!("-reuse-previous=on \"dbname='{db}'\"")),
    ];
    assert!(!build(&s, None, &facts(), metas(&ok), &RestoreOptions::default()).refused());
    for bad in [
        m("!", "touch /tmp/x"),
        m("o", "|cat"),
        m("copy", "t from program 'x'"),
        m("i", "/etc/passwd"),
        m("setenv", "X 1"),
        m("lo_export", "1 /tmp/x"),
        // Backticks run a shell; another database is another restore.
        m("connect", "`rm -rf ~`"),
        m("connect", "otherdb"),
        m("connect", "-reuse-previous=on \"dbname='x' host=evil\""),
        m("restrict", "`touch x`"),
        m("c", &db),
    ] {
        let p = build(&s, None, &facts(), metas(std::slice::from_ref(&bad)), &RestoreOptions::default());
        assert_eq!(guards(&p), ["meta-command"], "{bad:?}");
        assert!(p.refusals[0].object.contains("line 7"));
    }
}

#[test]
fn connect_targets_are_read_as_pg_dump_writes_them() {
    assert_eq!(connect_target("prod").as_deref(), Some("prod"));
    assert_eq!(connect_target("-reuse-previous=on \"dbname='it\\'s \"\"odd\"\"'\"").as_deref(), Some("it's \"odd\""));
    assert_eq!(connect_target("-reuse-previous=on \"dbname=plain\"").as_deref(), Some("plain"));
    for bad in ["", "a b", "-reuse-previous=on \"dbname='x' host=y\"", "\"x\"", "-reuse-previous=on \"dbname='x'\" y"] {
        assert_eq!(connect_target(bad), None, "{bad}");
    }
}

#[test]
fn an_old_psql_is_refused_unless_allowed() {
    assert!(psql_knows_restrict("15.14") && psql_knows_restrict("17.6") && psql_knows_restrict("18.0"));
    assert!(!psql_knows_restrict("15.13") && !psql_knows_restrict("16.9") && !psql_knows_restrict("12.22"));
    let s = summary_with(&[]);
    assert!(build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default()).filter.restrict);
    let mut f = facts();
    f.psql_version = "15.4".into();
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["psql"]);
    assert!(p.refusals[0].fix.contains("15.14") && p.refusals[0].fix.contains("--allow-old-psql"));
    let allow = RestoreOptions { allow_old_psql: true, ..RestoreOptions::default() };
    let p = build(&s, None, &f, DumpRead::default(), &allow);
    assert!(!p.refused() && !p.filter.restrict);
    assert!(p.notes.iter().any(|n| n.contains("\\restrict")));
}

/// The plan names the psql chosen (spec/restore.md, "Which psql"); one
/// older than the dump's pg_dump is a note naming what to install, not a
/// refusal.
#[test]
fn the_plan_names_its_psql_and_notes_one_older_than_the_dumps_pg_dump() {
    let s = summary_with(&[]);
    let choice = |version: &str, new_enough| PsqlChoice {
        path: format!("/usr/lib/postgresql/{}/bin/psql", &version[..2]).into(),
        version: version.into(),
        dump_by: Some("17.10".into()),
        reason: "why".into(),
        new_enough,
    };
    let mut f = facts();
    f.psql = Some(choice("17.10", true));
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(p.psql.as_ref().map(|c| c.version.as_str()), Some("17.10"));
    assert!(!p.refused() && !p.notes.iter().any(|n| n.contains("older than pg_dump")), "{:?}", p.notes);

    f.psql = Some(choice("15.18", false));
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert!(!p.refused(), "{:?}", p.refusals);
    let note = p.notes.iter().find(|n| n.contains("older than pg_dump 17.10")).expect("a note");
    assert!(
        note.contains("psql 15.18 (/usr/lib/postgresql/15/bin/psql)") && note.contains("postgresql-client-17"),
        "{note}"
    );
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["psql"]["path"], "/usr/lib/postgresql/15/bin/psql");
    assert!(json["psql"].get("new_enough").is_none());
}

#[test]
fn hazards_are_refused_and_sql_classes_only_with_allow_sql() {
    use crate::sql::{Hazard, HazardCode, Hazards, SqlClass};
    let s = summary_with(&[]);
    let mut h = Hazards::default();
    for (code, line) in [
        (HazardCode::CarriageReturn, 3),
        (HazardCode::CarriageReturn, 9),
        (HazardCode::OutsideDatabase(SqlClass::CopyProgram), 12),
    ] {
        h.push(Hazard { code, line, detail: "COPY (SELECT 1) TO PROGRAM 'x'".into() });
    }
    let read = DumpRead { metas: &[], hazards: Some(&h), databases: Some(&[]) };
    let p = build(&s, None, &facts(), read, &RestoreOptions::default());
    assert_eq!(guards(&p), ["sql", "input"]);
    assert!(p.refusals[0].object.contains("line 12") && p.refusals[0].fix.contains("--allow-sql copy-program"));
    assert!(p.refusals[1].object.contains("line 3 (and 1 more)"));
    let mut only_sql = Hazards::default();
    only_sql.push(h.kept[2].clone());
    let allow = RestoreOptions { allow_sql: [SqlClass::CopyProgram].into(), ..RestoreOptions::default() };
    let p = build(&s, None, &facts(), DumpRead { metas: &[], hazards: Some(&only_sql), databases: Some(&[]) }, &allow);
    assert!(!p.refused(), "{:?}", p.refusals);
    assert!(p.notes.iter().any(|n| n.contains("--allow-sql copy-program")));
}

#[test]
fn newer_dumps_warn() {
    let mut s = summary_with(&[]);
    s.dump.dumped_from = Some("17.2".into());
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert!(p.warnings.iter().any(|w| w.contains("17.2")));
    assert!(!p.refused());
}

/// Issue 12, failure 8: pg_dump 17 writes `SET transaction_timeout = 0;`,
/// which PostgreSQL 16 and older reject; pg_dump 18 writes statistics calls
/// that 17 and older lack. On such a target they are left out with a note
/// naming the version; on a new enough target nothing changes.
#[test]
fn what_a_newer_pg_dump_writes_is_left_out_on_an_older_target() {
    let mut s = summary_with(&[]);
    s.dump.dumped_by = Some("17.6".into());
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert!(!p.refused());
    assert!(p.filter.unknown_settings.contains("transaction_timeout"));
    assert!(!p.filter.unknown_settings.contains("default_table_access_method"));
    assert!(p.filter.drop_statistics);
    let notes = p.notes.join("\n");
    assert!(notes.contains("SET transaction_timeout left out: PostgreSQL 15.18 does not know it"), "{notes}");
    assert!(!notes.contains("planner statistics"), "pg_dump 17 writes no statistics: {notes}");

    s.dump.dumped_by = Some("18.1".into());
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert!(p.notes.join("\n").contains("planner statistics"), "{:?}", p.notes);

    let new = TargetFacts { server_version: "18.1".into(), server_version_num: 180001, ..facts() };
    let p = build(&s, None, &new, DumpRead::default(), &RestoreOptions::default());
    assert!(p.filter.unknown_settings.is_empty() && !p.filter.drop_statistics);
    assert!(!p.notes.iter().any(|n| n.contains("left out: PostgreSQL")), "{:?}", p.notes);
}

/// Issue 12, failure 10: a role without CREATEDB got "Ready" for --create
/// (and drill said the package was bad); the plan now refuses it.
#[test]
fn create_needs_createdb() {
    let s = summary_with(&[]);
    let no = TargetFacts { can_create_db: false, ..facts() };
    let create = RestoreOptions { create: true, ..RestoreOptions::default() };
    let p = build(&s, None, &no, DumpRead::default(), &create);
    assert_eq!(guards(&p), ["privileges"]);
    assert!(p.refusals[0].fix.contains("ALTER ROLE app CREATEDB") && p.refusals[0].fix.contains("--confirm"));
    assert!(!build(&s, None, &facts(), DumpRead::default(), &create).refused());
    assert!(!build(&s, None, &no, DumpRead::default(), &RestoreOptions::default()).refused());
}

/// pg_dump 15's own `--clean` dump of a partitioned table whose partition
/// has a foreign key of its own (as Pagila's have): the inherited primary
/// keys of the partitions are left to the parent, the partition's own
/// foreign key is dropped where pg_dump drops it (before the primary key it
/// depends on; leaving it out made `DROP CONSTRAINT staff_pkey` fail), and
/// so is its own index (`loans_2024_own_idx`).
#[test]
fn a_clean_dump_leaves_only_inherited_partition_constraints_to_the_parent() {
    let s = crate::schema::summarize(&include_bytes!("testdata/clean-partitions.sql")[..]).unwrap();
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    let pair = |t: &str, c: &str| (t.to_string(), c.to_string());
    assert_eq!(
        p.filter.clean_inherited_constraints,
        [pair("app.loans_2024", "loans_2024_pkey"), pair("app.loans_2025", "loans_2025_pkey")].into()
    );
    // Attached to the parent's index (pg_dump drops only the parent's).
    assert_eq!(
        p.filter.clean_inherited_indexes,
        ["app.loans_2024_book_idx".to_string(), "app.loans_2025_book_idx".to_string()].into()
    );
    assert!(p.filter.clean_if_exists);
}

/// Applies `fix_args` as the CLI would parse them.
fn apply(opts: &mut RestoreOptions, args: &[String]) {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().expect("a value follows").clone();
        match a.as_str() {
            "--confirm" => opts.confirm = Some(value()),
            "--extension-schema" => {
                let v = value();
                let (e, s) = v.split_once('=').expect("EXT=SCHEMA");
                opts.extension_schema.insert(e.into(), s.into());
            }
            "--table" => {
                let v = value();
                let (s, n) = v.split_once('.').expect("SCHEMA.NAME");
                opts.tables.insert((s.into(), n.into()));
            }
            "--skip-extension" => {
                opts.skip_extension.insert(value());
            }
            "--no-owner" => opts.no_owner = true,
            "--no-privileges" => opts.no_privileges = true,
            "--clean" => opts.clean = true,
            "--no-single-transaction" => opts.per_statement = true,
            other => panic!("fix_args holds {other}, which this test does not know"),
        }
    }
}

/// Follows the plan's `fix_args` for at most three rounds, as a user who
/// only reads pgbag's messages would; the plan that results.
fn follow(s: &Summary, f: &TargetFacts, mut opts: RestoreOptions) -> (RestorePlan, RestoreOptions) {
    for _ in 0..3 {
        let p = build(s, None, f, DumpRead::default(), &opts);
        if !p.refused() {
            return (p, opts);
        }
        assert!(p.refusals.iter().all(|r| !r.fix_args.is_empty()), "not followable: {:?}", p.refusals);
        for r in &p.refusals {
            apply(&mut opts, &r.fix_args);
        }
    }
    (build(s, None, f, DumpRead::default(), &opts), opts)
}

fn table(schema: &str, name: &str) -> Table {
    Table { schema: Some(schema.into()), name: name.into(), kind: "table".into(), ..Table::default() }
}

fn existing(key: &str, kind: &str, schema: &str, name: &str) -> ExistingObject {
    ExistingObject {
        key: key.into(),
        kind: kind.into(),
        schema: schema.into(),
        name: name.into(),
        mine: true,
        ..ExistingObject::default()
    }
}

/// Yesterday's copy: the dump's table and enum already exist, owned by app.
fn yesterdays_copy() -> (Summary, TargetFacts) {
    let mut s = summary_with(&[]);
    s.tables = vec![table("public", "books")];
    s.types = vec![crate::schema::TypeDef {
        schema: Some("public".into()),
        name: "status".into(),
        kind: "enum".into(),
        ..Default::default()
    }];
    let mut f = facts();
    f.user_objects = 2;
    let mut books = existing("pg_class:1", "table", "public", "books");
    let mut status = existing("pg_type:2", "type", "public", "status");
    status.dependents = vec![Dependent { key: "pg_class:1".into(), describe: "table public.books".into() }];
    books.dependents = vec![];
    f.existing = vec![books, status, existing("pg_class:3", "table", "public", "notes")];
    (s, f)
}

#[test]
fn every_refusal_says_which_arguments_fix_it_and_following_them_leads_to_ready() {
    // Overwrite: the typed name.
    let (s, f) = yesterdays_copy();
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["overwrite", "conflict"]);
    assert_eq!(p.refusals[0].fix_args, ["--confirm", "staging"]);
    assert_eq!(p.refusals[1].fix_args, ["--clean"]);
    let (p, opts) = follow(&s, &f, RestoreOptions::default());
    assert!(!p.refused(), "{:?}", p.refusals);
    assert!(opts.clean && opts.confirm.as_deref() == Some("staging"));
    // Views before tables before types; nothing the dump does not create.
    assert_eq!(p.filter.clean_first, ["DROP TABLE IF EXISTS public.books;", "DROP TYPE IF EXISTS public.status;"]);
    // Roles: the flags not given yet.
    let mut s = summary_with(&[]);
    s.roles = vec!["app".into(), "librarian".into()];
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert_eq!(p.refusals[0].fix_args, ["--no-owner", "--no-privileges"]);
    let half = RestoreOptions { no_owner: true, ..RestoreOptions::default() };
    assert_eq!(build(&s, None, &facts(), DumpRead::default(), &half).refusals[0].fix_args, ["--no-privileges"]);
    assert!(!follow(&s, &facts(), RestoreOptions::default()).0.refused());
    // An extension that is not available and that nothing needs: skip it;
    // one that objects need: no argument can help.
    let s = summary_with(&[("hstore", "public")]);
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert_eq!(p.refusals[0].fix_args, ["--skip-extension", "hstore"]);
    let mut needed = s.clone();
    needed.tables = vec![Table {
        columns: vec![Column { name: "h".into(), type_name: "public.hstore".into(), ..Column::default() }],
        ..table("public", "t")
    }];
    let p = build(&needed, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert!(p.refusals[0].fix_args.is_empty(), "{:?}", p.refusals);
}

#[test]
fn arguments_that_lower_a_safety_check_are_never_offered() {
    let mut f = facts();
    f.psql_version = "15.13".into();
    let p = build(&summary_with(&[]), None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["psql"]);
    assert!(p.refusals[0].fix.contains("--allow-old-psql"));
    assert!(p.refusals[0].fix_args.is_empty());
}

#[test]
fn objects_that_exist_are_dropped_only_when_nothing_else_needs_them_and_the_role_owns_them() {
    let (s, mut f) = yesterdays_copy();
    let opts = RestoreOptions { confirm: Some("staging".into()), clean: true, ..RestoreOptions::default() };
    assert!(!build(&s, None, &f, DumpRead::default(), &opts).refused());
    // A view someone added over the table: dropping books would fail.
    f.existing[0].dependents.push(Dependent { key: "pg_class:9".into(), describe: "view public.shelf".into() });
    let p = build(&s, None, &f, DumpRead::default(), &opts);
    assert_eq!(guards(&p), ["conflict"]);
    assert!(
        p.refusals[0].reason.contains("view public.shelf depends on table public.books"),
        "{}",
        p.refusals[0].reason
    );
    assert!(p.refusals[0].fix_args.is_empty());
    assert!(p.filter.clean_first.is_empty());
    // Without --clean the fix is not --clean, since it could not work.
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions { clean: false, ..opts.clone() });
    assert!(p.refusals.iter().all(|r| r.fix_args.is_empty()), "{:?}", p.refusals);
    // Another role's object.
    let (s, mut f) = yesterdays_copy();
    f.existing[0].mine = false;
    let p = build(&s, None, &f, DumpRead::default(), &opts);
    assert_eq!(guards(&p), ["privileges"]);
    // A --clean dump drops them itself: the same checks, and no drops added.
    // A dependent of a kind the facts do not list (an operator over one of
    // its functions) is the dump's to drop; restore --clean would not.
    let (mut s, mut f) = yesterdays_copy();
    s.dump.drops_objects = true;
    f.existing[1].dependents.push(Dependent { key: "pg_operator:7".into(), describe: "operator public.~<<".into() });
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions { clean: false, ..opts.clone() });
    assert!(!p.refused(), "{:?}", p.refusals);
    assert!(p.filter.clean_first.is_empty());
    s.dump.drops_objects = false;
    assert_eq!(guards(&build(&s, None, &f, DumpRead::default(), &opts)), ["conflict"]);
    // An operator the target has might be the dump's too: --clean does not
    // drop operators, so it is no fix then.
    let (s, mut f) = yesterdays_copy();
    f.other_objects = vec!["operator public.~<<(text,text)".into()];
    let p = build(&s, None, &f, DumpRead::default(), &opts);
    assert_eq!(guards(&p), ["conflict"]);
    assert!(p.refusals[0].reason.contains("operator public.~<<"), "{:?}", p.refusals);
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions { clean: false, ..opts.clone() });
    assert!(p.refusals.iter().all(|r| r.fix_args.is_empty()), "{:?}", p.refusals);
    // Data only creates nothing; --table only what it selects.
    let (s, f) = yesterdays_copy();
    let data = RestoreOptions { data_only: true, confirm: Some("staging".into()), ..RestoreOptions::default() };
    assert!(!build(&s, None, &f, DumpRead::default(), &data).refused());
    let mut s = s;
    s.tables.push(table("public", "notes"));
    let one = RestoreOptions {
        tables: [("public".to_string(), "notes".to_string())].into(),
        confirm: Some("staging".into()),
        clean: true,
        ..RestoreOptions::default()
    };
    let p = build(&s, None, &f, DumpRead::default(), &one);
    assert_eq!(p.filter.clean_first, ["DROP TABLE IF EXISTS public.notes;"], "{:?}", p.refusals);
}

#[test]
fn owner_to_a_role_the_restoring_role_cannot_become_is_refused_with_no_owner_as_the_fix() {
    let mut s = summary_with(&[]);
    s.roles = vec!["postgres".into()];
    s.owners = vec!["postgres".into()];
    let p = build(&s, None, &facts(), DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["privileges"]);
    assert_eq!(p.refusals[0].fix_args, ["--no-owner"]);
    assert!(!follow(&s, &facts(), RestoreOptions::default()).0.refused());
    // A member, or a superuser, may.
    let mut f = facts();
    f.member_of.push("postgres".into());
    assert!(!build(&s, None, &f, DumpRead::default(), &RestoreOptions::default()).refused());
    let mut f = facts();
    f.is_superuser = true;
    assert!(!build(&s, None, &f, DumpRead::default(), &RestoreOptions::default()).refused());
    // Older summaries without `owners`: the tables' owners stand in.
    let mut old = summary_with(&[]);
    old.roles = vec!["postgres".into()];
    old.tables = vec![Table { owner: Some("postgres".into()), ..table("public", "t") }];
    assert_eq!(guards(&build(&old, None, &facts(), DumpRead::default(), &RestoreOptions::default())), ["privileges"]);
}

#[test]
fn creating_needs_create_on_the_database_and_schemas_and_c_functions_a_superuser() {
    let mut s = summary_with(&[]);
    s.schemas = vec!["app".into(), "public".into()];
    s.tables = vec![table("app", "t"), table("public", "u")];
    let mut f = facts();
    f.can_create_schema = false;
    f.creatable_schemas = vec![];
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions::default());
    assert_eq!(guards(&p), ["privileges", "privileges"]);
    assert!(p.refusals[0].reason.contains("creates schemas (app)"));
    assert!(p.refusals[1].object.contains("public"));
    // --create: the role owns the new database.
    let create = RestoreOptions { create: true, ..RestoreOptions::default() };
    assert!(!build(&s, None, &f, DumpRead::default(), &create).refused());
    s.functions = vec![crate::schema::Function {
        schema: Some("public".into()),
        name: "vec_in".into(),
        language: Some("c".into()),
        ..Default::default()
    }];
    assert_eq!(guards(&build(&s, None, &f, DumpRead::default(), &create)), ["privileges"]);
}

#[test]
fn a_dump_too_large_for_one_transaction_is_refused_with_per_statement_as_the_fix() {
    let mut s = summary_with(&[]);
    s.tables = (0..10).map(|i| table("public", &format!("t{i}"))).collect();
    let mut f = facts();
    f.lock_capacity = 5;
    let p = build(&s, None, &f, DumpRead::default(), &RestoreOptions { create: true, ..RestoreOptions::default() });
    assert_eq!(guards(&p), ["capacity"]);
    assert_eq!(p.refusals[0].fix_args, ["--no-single-transaction"]);
    assert!(!p.single_transaction || p.refused());
    let (p, _) = follow(&s, &f, RestoreOptions { create: true, ..RestoreOptions::default() });
    assert!(!p.refused() && !p.single_transaction);
}

/// Issue 12, failure 9: `--table public.kithe_models` left out the function
/// its column DEFAULT calls, and the restore failed there. This is pg_dump
/// 15's own dump of tests/it/table_needs.sql: public.t's defaults call a
/// function and draw on a sequence shared with public.other, its columns use
/// a domain and an enum, and its CHECK constraint calls a function that
/// takes the domain. All of them come along, with their comments and
/// grants; nothing else does.
#[test]
fn a_table_brings_along_what_its_columns_defaults_and_checks_need() {
    let dump = &include_bytes!("testdata/table-needs.sql")[..];
    let s = crate::schema::summarize(dump).unwrap();
    let opts = RestoreOptions {
        create: true,
        tables: [("public".to_string(), "t".to_string())].into(),
        ..RestoreOptions::default()
    };
    let mut f = facts();
    f.roles.push("pg_read_all_data".into());
    // The dump's objects belong to postgres: restore as a member of it.
    f.member_of.push("postgres".into());
    let p = build(&s, None, &f, DumpRead::default(), &opts);
    assert!(!p.refused(), "{:?}", p.refusals);
    let note = p.notes.iter().find(|n| n.contains("brings along")).expect("a note of what comes along");
    assert_eq!(
        note,
        "--table public.t brings along: type public.mood, domain public.positive_price, \
         function public.kithe_models_friendlier_id_gen(bigint, bigint), \
         function public.sane_price(public.positive_price), sequence public.shared_seq"
    );
    let mut out = Vec::new();
    let mut done = crate::restore::filter::FilterOutcome::default();
    crate::restore::filter::run(dump, &mut out, &p.filter, None, 0, &crate::progress::NoProgress, &mut done).unwrap();
    let out = String::from_utf8(out).unwrap();
    for kept in [
        "CREATE TYPE public.mood",
        "CREATE DOMAIN public.positive_price",
        "CREATE FUNCTION public.kithe_models_friendlier_id_gen",
        "COMMENT ON FUNCTION public.kithe_models_friendlier_id_gen",
        "CREATE FUNCTION public.sane_price",
        "GRANT ALL ON FUNCTION public.sane_price",
        "CREATE SEQUENCE public.shared_seq",
        "ALTER TABLE public.shared_seq OWNER TO",
        "SELECT pg_catalog.setval('public.shared_seq', 102, true)",
        "CREATE TABLE public.t",
        "SELECT pg_catalog.setval('public.t_id_seq', 2, true)",
    ] {
        assert!(out.contains(kept), "{kept} was left out:\n{out}");
    }
    for left_out in ["public.unrelated", "public.other"] {
        assert!(!out.contains(left_out), "{left_out} came along:\n{out}");
    }
}

/// What a table needs that `--table` cannot bring is refused by name: a
/// function the dump does not define (outside the schemas of the dump's
/// extensions) and a table left out; an extension's function and
/// pg_catalog's are no dependency of the dump's.
#[test]
fn what_a_table_needs_and_cannot_bring_along_is_refused_by_name() {
    let mut s = summary_with(&[("pgcrypto", "ext")]);
    let column = |name: &str, type_name: &str, default: Option<&str>| Column {
        name: name.into(),
        type_name: type_name.into(),
        default: default.map(Into::into),
        ..Column::default()
    };
    s.tables.push(Table {
        schema: Some("public".into()),
        name: "t".into(),
        columns: vec![
            column("a", "text", Some("public.gone()")),
            column("b", "public.other", None),
            column("c", "bytea", Some("ext.gen_random_bytes(8)")),
            column("d", "integer", Some("pg_catalog.abs('-1'::integer)")),
        ],
        checks: vec![crate::schema::CheckConstraint {
            name: Some("a_ok".into()),
            expression: "(util.ok(a) AND (a <> 'util.no(a)'::text))".into(),
        }],
        ..Table::default()
    });
    s.tables.push(Table { schema: Some("public".into()), name: "other".into(), ..Table::default() });
    let table = |t: &str| ("public".to_string(), t.to_string());
    let mut opts = RestoreOptions { tables: [table("t")].into(), ..RestoreOptions::default() };
    let p = build(&s, None, &facts(), DumpRead::default(), &opts);
    let mut refused: Vec<(&str, &str)> = p
        .refusals
        .iter()
        .filter(|r| r.guard == Guard::Selection)
        .map(|r| (r.object.as_str(), r.fix.as_str()))
        .collect();
    refused.sort_unstable();
    assert_eq!(refused.len(), 3, "{:?}", p.refusals);
    assert_eq!(refused[0].0, "function public.gone");
    assert!(refused[0].1.contains("restore the whole dump"), "{}", refused[0].1);
    assert_eq!(refused[1].0, "function util.ok");
    assert_eq!(refused[2], ("table public.other", "add --table public.other"));
    let gone = p.refusals.iter().find(|r| r.object == "function public.gone").unwrap();
    assert!(gone.reason.starts_with("the default of public.t.a needs it"), "{}", gone.reason);
    // Selected too, the table is no longer missing.
    opts.tables.insert(table("other"));
    let p = build(&s, None, &facts(), DumpRead::default(), &opts);
    assert_eq!(p.refusals.len(), 2, "{:?}", p.refusals);
    // With --data-only nothing is created, so nothing is needed.
    opts.data_only = true;
    assert!(!build(&s, None, &facts(), DumpRead::default(), &opts).refused());
}

/// `--table` of a partitioned table failed at pg_dump's `ALTER TABLE …
/// ATTACH PARTITION`, since its partitions were left out (pagila's
/// `payment`): they come along, and a partition asked for alone is refused
/// with its parent as the fix.
#[test]
fn a_partitioned_table_brings_its_partitions_and_a_lone_partition_is_refused() {
    let dump = &include_bytes!("testdata/clean-partitions.sql")[..];
    let s = crate::schema::summarize(dump).unwrap();
    let mut f = facts();
    f.member_of.push("postgres".into());
    let asked = |t: &str| RestoreOptions {
        create: true,
        tables: [("app".to_string(), t.to_string())].into(),
        ..RestoreOptions::default()
    };
    let p = build(&s, None, &f, DumpRead::default(), &asked("loans"));
    assert!(!p.refused(), "{:?}", p.refusals);
    assert!(
        p.notes.iter().any(|n| n.contains("partitions") && n.contains("app.loans_2024, app.loans_2025")),
        "{:?}",
        p.notes
    );
    let mut out = Vec::new();
    let mut done = crate::restore::filter::FilterOutcome::default();
    crate::restore::filter::run(dump, &mut out, &p.filter, None, 0, &crate::progress::NoProgress, &mut done).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("CREATE TABLE app.loans_2025 ("), "{out}");
    assert!(out.contains("ATTACH PARTITION app.loans_2024 FOR VALUES"), "{out}");
    let p = build(&s, None, &f, DumpRead::default(), &asked("loans_2024"));
    assert_eq!(guards(&p), ["selection"]);
    assert_eq!(p.refusals[0].fix_args, ["--table", "app.loans"]);
    let (p, _) = follow(&s, &f, asked("loans_2024"));
    assert!(!p.refused(), "{:?}", p.refusals);
}

#[test]
fn statements_only_a_superuser_may_run_are_refused_for_other_roles() {
    let dump = b"CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;\n\
        CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION public.on_ddl();\n\
        CREATE PUBLICATION everything FOR ALL TABLES;\n\
        CREATE PUBLICATION some FOR TABLE public.t;\n";
    let s = crate::schema::summarize(&dump[..]).unwrap();
    assert_eq!(
        s.superuser_only,
        ["line 2: CREATE EVENT TRIGGER audit_ddl", "line 3: CREATE PUBLICATION everything FOR ALL TABLES"]
    );
    let create = RestoreOptions { create: true, ..RestoreOptions::default() };
    let p = build(&s, None, &facts(), DumpRead::default(), &create);
    assert_eq!(guards(&p), ["privileges"]);
    assert!(p.refusals[0].reason.contains("CREATE EVENT TRIGGER audit_ddl"), "{}", p.refusals[0].reason);
    assert!(p.refusals[0].fix_args.is_empty());
    let mut f = facts();
    f.is_superuser = true;
    assert!(!build(&s, None, &f, DumpRead::default(), &create).refused());
}
