//! Rehearsal setup tests: what is read of a target in, statements out. No
//! server.

use super::*;

/// A Heroku-like target: a login role that owns its database and is no
/// superuser, pgcrypto installed in heroku_ext by the superuser.
fn heroku() -> (TargetFacts, TargetLayout) {
    let facts = TargetFacts {
        database: "app_db".into(),
        server_version: "15.18".into(),
        server_version_num: 150018,
        current_user: "app".into(),
        roles: vec!["app".into(), "pg_read_all_data".into(), "postgres".into()],
        ..TargetFacts::default()
    };
    let layout = TargetLayout {
        role: RoleAttributes { name: "app".into(), inherit: true, ..RoleAttributes::default() },
        memberships: vec![Membership {
            role: "pg_read_all_data".into(),
            member: "app".into(),
            admin: false,
            inherit: None,
            set: None,
        }],
        database_owner: "app".into(),
        encoding: "UTF8".into(),
        can_create_in_database: true,
        schemas: vec![
            SchemaLayout { name: "heroku_ext".into(), owner: "postgres".into(), usage: true, create: false },
            SchemaLayout { name: "public".into(), owner: "pg_database_owner".into(), usage: true, create: true },
        ],
        extensions: vec![
            InstalledExtension {
                name: "plpgsql".into(),
                schema: "pg_catalog".into(),
                version: "1.0".into(),
                owner: "postgres".into(),
            },
            InstalledExtension {
                name: "pgcrypto".into(),
                schema: "heroku_ext".into(),
                version: "1.3".into(),
                owner: "postgres".into(),
            },
        ],
    };
    (facts, layout)
}

fn local(versions: &[(&str, &str)]) -> Vec<LocalVersion> {
    versions.iter().map(|(n, v)| LocalVersion { name: n.to_string(), version: v.to_string() }).collect()
}

#[test]
fn a_heroku_like_target_is_reproduced_role_schema_and_extension() {
    let (facts, layout) = heroku();
    let s = setup(&facts, &layout, &local(&[("pgcrypto", "1.3")]), "pgbag_rehearsal").unwrap();
    assert_eq!(
        s.cluster,
        [
            "CREATE ROLE app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS",
            "CREATE ROLE postgres NOLOGIN",
            "GRANT pg_read_all_data TO app",
            "CREATE DATABASE app_db OWNER app TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'",
        ]
    );
    assert_eq!(
        s.database,
        [
            "CREATE SCHEMA heroku_ext AUTHORIZATION postgres",
            "REVOKE ALL ON SCHEMA heroku_ext FROM PUBLIC",
            "GRANT USAGE ON SCHEMA heroku_ext TO app",
            "ALTER SCHEMA public OWNER TO pg_database_owner",
            "REVOKE ALL ON SCHEMA public FROM PUBLIC",
            "GRANT USAGE ON SCHEMA public TO app",
            "GRANT CREATE ON SCHEMA public TO app",
            "CREATE EXTENSION pgcrypto WITH SCHEMA heroku_ext VERSION '1.3'",
            "UPDATE pg_catalog.pg_extension SET extowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'postgres') WHERE extname = 'pgcrypto'",
        ]
    );
    assert!(s.notes.is_empty() && s.missing_extensions.is_empty(), "{s:?}");
}

#[test]
fn a_superuser_target_gets_a_superuser_and_no_privilege_statements() {
    let (mut facts, mut layout) = heroku();
    facts.current_user = "postgres".into();
    layout.role = RoleAttributes { name: "postgres".into(), superuser: true, createdb: true, ..Default::default() };
    layout.database_owner = "postgres".into();
    let s = setup(&facts, &layout, &local(&[("pgcrypto", "1.3")]), "pgbag_rehearsal").unwrap();
    assert!(
        s.cluster.contains(
            &"CREATE ROLE postgres LOGIN SUPERUSER CREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
                .to_string()
        ),
        "{s:?}"
    );
    assert!(!s.database.iter().any(|q| q.contains("GRANT") || q.contains("REVOKE")), "{s:?}");
}

#[test]
fn the_target_database_postgres_replaces_the_clusters_own() {
    let (mut facts, layout) = heroku();
    facts.database = "postgres".into();
    let s = setup(&facts, &layout, &local(&[("pgcrypto", "1.3")]), "pgbag_rehearsal").unwrap();
    let drop = s.cluster.iter().position(|q| q == "DROP DATABASE postgres").expect("dropped");
    assert!(s.cluster[drop + 1].starts_with("CREATE DATABASE postgres"), "{s:?}");
    facts.database = "template1".into();
    assert_eq!(setup(&facts, &layout, &[], "x").unwrap_err().kind(), crate::error::ErrorKind::Usage);
}

#[test]
fn extension_versions_this_machine_lacks_are_noted_and_missing_extensions_listed() {
    let (facts, layout) = heroku();
    let s = setup(&facts, &layout, &local(&[("pgcrypto", "1.4")]), "pgbag_rehearsal").unwrap();
    assert!(s.database.contains(&"CREATE EXTENSION pgcrypto WITH SCHEMA heroku_ext".to_string()), "{s:?}");
    assert!(s.notes.iter().any(|n| n.contains("the target has version 1.3, this machine offers 1.4")), "{s:?}");
    let s = setup(&facts, &layout, &[], "pgbag_rehearsal").unwrap();
    assert_eq!(s.missing_extensions.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["pgcrypto"]);
    assert!(!s.database.iter().any(|q| q.contains("CREATE EXTENSION")), "{s:?}");
}

#[test]
fn a_missing_extension_the_package_creates_stops_the_rehearsal() {
    let (facts, layout) = heroku();
    let missing = vec![layout.extensions[1].clone()];
    let creates = Summary {
        extensions: vec![crate::schema::Extension { name: "pgcrypto".into(), ..Default::default() }],
        ..Summary::default()
    };
    let e = missing_extensions(&missing, &creates, &facts).unwrap_err();
    assert_eq!(e.kind(), crate::error::ErrorKind::Operational);
    assert!(e.to_string().contains("Install pgcrypto for PostgreSQL 15"), "{e}");
    let notes = missing_extensions(&missing, &Summary::default(), &facts).unwrap();
    assert_eq!(notes.len(), 1);
}

#[test]
fn the_clusters_superuser_is_a_name_the_target_does_not_use() {
    let (mut facts, _) = heroku();
    assert_eq!(free_superuser(&facts), "pgbag_rehearsal");
    facts.roles.push("pgbag_rehearsal".into());
    assert_eq!(free_superuser(&facts), "pgbag_rehearsal_1");
}

#[test]
fn memberships_keep_postgresql_16s_grant_options() {
    let m =
        Membership { role: "owner".into(), member: "app".into(), admin: false, inherit: Some(false), set: Some(true) };
    assert_eq!(grant_membership(&m, 16), "GRANT owner TO app WITH ADMIN false, INHERIT false, SET true");
    assert_eq!(grant_membership(&m, 15), "GRANT owner TO app");
    let admin = Membership { admin: true, inherit: None, set: None, ..m };
    assert_eq!(grant_membership(&admin, 15), "GRANT owner TO app WITH ADMIN OPTION");
}

#[test]
fn a_target_that_holds_objects_says_the_real_restore_needs_confirm() {
    let (mut facts, layout) = heroku();
    facts.user_objects = 12;
    let s = setup(&facts, &layout, &local(&[("pgcrypto", "1.3")]), "pgbag_rehearsal").unwrap();
    assert!(s.notes.iter().any(|n| n.contains("--confirm app_db")), "{s:?}");
}

#[test]
fn setup_runs_in_few_psql_calls_and_databases_alone() {
    let sql = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let b =
        batches(&sql(&["CREATE ROLE a", "CREATE ROLE b", "DROP DATABASE postgres", "CREATE DATABASE x", "GRANT c"]));
    assert_eq!(b, ["CREATE ROLE a;\nCREATE ROLE b", "DROP DATABASE postgres", "CREATE DATABASE x", "GRANT c"]);
}

/// A schema whose only extension this machine lacks would be an empty
/// schema, a user object the target does not have: the overwrite guard
/// would refuse the rehearsal where the restore goes ahead.
#[test]
fn a_schema_of_extensions_this_machine_lacks_is_not_created() {
    let (facts, layout) = heroku();
    let s = setup(&facts, &layout, &[], "pgbag_rehearsal").unwrap();
    assert!(!s.database.iter().any(|q| q.contains("heroku_ext")), "{s:?}");
}
