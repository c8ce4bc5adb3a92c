//! Guard tests: pure data in, plan out. No server.

use super::*;
use crate::restore::facts::{AvailableExtension, ExtensionMember, InstalledExtension};
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
        user_objects: 0,
        psql_version: "15.18".into(),
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
