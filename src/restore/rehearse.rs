//! Rehearsals: `pgbag drill PACKAGE --rehearse CONNINFO` restores a package
//! as it would be restored into CONNINFO's database, on a temporary local
//! cluster made to look like that target, so that the rehearsal fails
//! exactly where the real restore would, without touching the target.
//!
//! What is read of the target, through two read-only catalog queries
//! ([`super::facts`]'s and [`LAYOUT_SQL`]), and reproduced:
//!
//! - the server's major version: the cluster runs the same one, or the
//!   rehearsal refuses (exit 2) and says what to install;
//! - the restoring role, with its attributes (superuser, `CREATEDB`,
//!   `CREATEROLE`, `INHERIT`, `REPLICATION`, `BYPASSRLS`); every other role,
//!   empty and `NOLOGIN`, so that the roles guard and `OWNER TO` behave the
//!   same; the memberships among them;
//! - the database: its name, owner and encoding, and whether the role may
//!   create schemas in it;
//! - `public` and every schema holding an extension (`heroku_ext`), with
//!   their owners and the role's `USAGE` and `CREATE` on them;
//! - the installed extensions, in those schemas, at the target's versions
//!   where this machine has them, with their owners.
//!
//! Not reproduced: the target's data and other objects (the rehearsal
//! restores into an empty database: a note says when the real restore will
//! need `--confirm`), settings, and anything outside this database.
//!
//! The restore then runs as that role, with the user's options as given (a
//! rehearsal does not add `--no-owner`), and is compared as in any drill.
//! What cannot be reproduced faithfully is refused or noted, never skipped
//! in silence.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::drill::{self, DrillOptions, DrillReport, Drilled};
use super::facts::{self, InstalledExtension, TargetFacts};
use super::{RestoreOptions, prepare, quote_literal};
use crate::error::{Error, Result};
use crate::pg::cluster::{self, ClusterOptions, TempCluster};
use crate::pg::{self, Conninfo};
use crate::progress::Progress;
use crate::schema::{Summary, quote_ident};
use crate::store::Input;

/// The restoring role's attributes on the target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAttributes {
    pub name: String,
    pub superuser: bool,
    pub createdb: bool,
    pub createrole: bool,
    pub inherit: bool,
    pub replication: bool,
    pub bypassrls: bool,
}

/// `GRANT role TO member`, as the target has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub role: String,
    pub member: String,
    pub admin: bool,
    /// PostgreSQL 16 and later: the grant's own `INHERIT` and `SET`.
    pub inherit: Option<bool>,
    pub set: Option<bool>,
}

/// A schema of the target database that the rehearsal recreates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaLayout {
    pub name: String,
    pub owner: String,
    /// The restoring role's privileges on it.
    pub usage: bool,
    pub create: bool,
}

/// What a rehearsal reads of its target besides [`TargetFacts`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetLayout {
    pub role: RoleAttributes,
    pub memberships: Vec<Membership>,
    pub database_owner: String,
    pub encoding: String,
    /// The role may create schemas in the database.
    pub can_create_in_database: bool,
    /// `public`, and every schema holding an extension.
    pub schemas: Vec<SchemaLayout>,
    /// Installed extensions, in the order they were created (dependencies
    /// first).
    pub extensions: Vec<InstalledExtension>,
}

/// Read-only: catalog reads and privilege functions, nothing else.
const LAYOUT_SQL: &str = r#"
SELECT json_build_object(
  'role', (SELECT json_build_object('name', rolname, 'superuser', rolsuper, 'createdb', rolcreatedb,
        'createrole', rolcreaterole, 'inherit', rolinherit, 'replication', rolreplication, 'bypassrls', rolbypassrls)
      FROM pg_catalog.pg_roles WHERE rolname = current_user),
  'memberships', (SELECT coalesce(json_agg(json_build_object('role', r.rolname, 'member', u.rolname,
        'admin', m.admin_option, 'inherit', to_jsonb(m) -> 'inherit_option', 'set', to_jsonb(m) -> 'set_option')
        ORDER BY r.rolname, u.rolname), '[]'::json)
      FROM pg_catalog.pg_auth_members m
      JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
      JOIN pg_catalog.pg_roles u ON u.oid = m.member),
  'database_owner', (SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_catalog.pg_database WHERE datname = current_database()),
  'encoding', (SELECT pg_catalog.pg_encoding_to_char(encoding) FROM pg_catalog.pg_database WHERE datname = current_database()),
  'can_create_in_database', pg_catalog.has_database_privilege(current_database(), 'CREATE'),
  'schemas', (SELECT coalesce(json_agg(json_build_object('name', n.nspname, 'owner', pg_catalog.pg_get_userbyid(n.nspowner),
        'usage', pg_catalog.has_schema_privilege(n.oid, 'USAGE'), 'create', pg_catalog.has_schema_privilege(n.oid, 'CREATE'))
        ORDER BY n.nspname), '[]'::json)
      FROM pg_catalog.pg_namespace n
     WHERE n.nspname = 'public'
        OR (n.oid IN (SELECT extnamespace FROM pg_catalog.pg_extension)
            AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema')),
  'extensions', (SELECT coalesce(json_agg(json_build_object('name', e.extname, 'schema', n.nspname,
        'version', e.extversion, 'owner', pg_catalog.pg_get_userbyid(e.extowner)) ORDER BY e.oid), '[]'::json)
      FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace))"#;

/// Reads the target: its facts (as restore reads them) and its layout.
/// Only `SELECT`s of catalogs run there.
pub fn read_target(target: &Conninfo) -> Result<(TargetFacts, TargetLayout)> {
    Ok((facts::query_catalogs(target, Path::new(pg::PSQL))?, pg::query_json(target, LAYOUT_SQL)?))
}

/// An extension version this machine's PostgreSQL offers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LocalVersion {
    pub name: String,
    pub version: String,
}

const LOCAL_VERSIONS_SQL: &str = "SELECT coalesce(json_agg(json_build_object('name', name, 'version', version)), '[]'::json) \
     FROM pg_catalog.pg_available_extension_versions";

/// The statements that make the temporary cluster look like the target, as
/// its superuser: `cluster` in `template1`, then `database` in the
/// rehearsal's database; and what could not be reproduced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setup {
    pub cluster: Vec<String>,
    pub database: Vec<String>,
    pub notes: Vec<String>,
    /// Extensions of the target that this machine lacks, left out: the
    /// rehearsal stops if the package creates one of them.
    pub missing_extensions: Vec<InstalledExtension>,
}

/// Roles a cluster of the same major version has already (and `CREATE
/// ROLE` refuses): the predefined `pg_*` roles and the bootstrap superuser.
fn predefined(role: &str, superuser: &str) -> bool {
    role.starts_with("pg_") || role == superuser
}

/// `CREATE ROLE` for the restoring role: LOGIN, and its attributes.
fn create_role(r: &RoleAttributes) -> String {
    let flag = |on: bool, name: &str| if on { format!(" {name}") } else { format!(" NO{name}") };
    format!(
        "CREATE ROLE {} LOGIN{}{}{}{}{}{}",
        quote_ident(&r.name),
        flag(r.superuser, "SUPERUSER"),
        flag(r.createdb, "CREATEDB"),
        flag(r.createrole, "CREATEROLE"),
        flag(r.inherit, "INHERIT"),
        flag(r.replication, "REPLICATION"),
        flag(r.bypassrls, "BYPASSRLS"),
    )
}

fn grant_membership(m: &Membership, major: u32) -> String {
    let (role, member) = (quote_ident(&m.role), quote_ident(&m.member));
    match (m.inherit, m.set) {
        // PostgreSQL 16's per-grant options.
        (Some(inherit), Some(set)) if major >= 16 => {
            format!("GRANT {role} TO {member} WITH ADMIN {}, INHERIT {inherit}, SET {set}", m.admin)
        }
        _ if m.admin => format!("GRANT {role} TO {member} WITH ADMIN OPTION"),
        _ => format!("GRANT {role} TO {member}"),
    }
}

/// What makes the cluster look like the target: a pure function of what
/// was read there and this machine's extension versions. `superuser` is
/// the cluster's own.
pub fn setup(facts: &TargetFacts, layout: &TargetLayout, local: &[LocalVersion], superuser: &str) -> Result<Setup> {
    let major = facts.server_version_num / 10000;
    let role = &layout.role.name;
    let db = &facts.database;
    let mut out = Setup::default();
    if matches!(db.as_str(), "template0" | "template1") {
        return Err(Error::usage(format!("--rehearse names database {db}: rehearse a restore into a real database")));
    }
    // Every role of the target, so that the roles guard and OWNER TO find
    // the same ones; the restoring role with its attributes, the others
    // empty and unable to log in.
    let created: BTreeSet<&str> =
        facts.roles.iter().map(String::as_str).filter(|r| !predefined(r, superuser)).collect();
    for r in &created {
        out.cluster.push(if *r == role.as_str() {
            create_role(&layout.role)
        } else {
            format!("CREATE ROLE {} NOLOGIN", quote_ident(r))
        });
    }
    let exists = |r: &str| created.contains(r) || r.starts_with("pg_");
    for m in layout.memberships.iter().filter(|m| created.contains(m.member.as_str()) && exists(&m.role)) {
        out.cluster.push(grant_membership(m, major));
    }
    if db == "postgres" {
        out.cluster.push("DROP DATABASE postgres".into());
    }
    // C collation holds any encoding, and no locale of this machine leaks in.
    out.cluster.push(format!(
        "CREATE DATABASE {} OWNER {} TEMPLATE template0 ENCODING {} LC_COLLATE 'C' LC_CTYPE 'C'",
        quote_ident(db),
        quote_ident(&layout.database_owner),
        quote_literal(&layout.encoding)
    ));
    if !layout.role.superuser {
        let owns = layout.database_owner == *role;
        if owns && !layout.can_create_in_database {
            out.cluster.push(format!("REVOKE CREATE ON DATABASE {} FROM {}", quote_ident(db), quote_ident(role)));
        } else if !owns && layout.can_create_in_database {
            out.cluster.push(format!("GRANT CREATE ON DATABASE {} TO {}", quote_ident(db), quote_ident(role)));
        }
    }
    let offered = |e: &InstalledExtension| -> Vec<&str> {
        local.iter().filter(|l| l.name == e.name).map(|l| l.version.as_str()).collect()
    };
    // A schema whose extensions this machine lacks all would hold nothing,
    // and count as the target's user object (the overwrite guard).
    let holds_one = |schema: &str| layout.extensions.iter().any(|e| e.schema == schema && !offered(e).is_empty());
    for s in layout.schemas.iter().filter(|s| s.name == "public" || holds_one(&s.name)) {
        let (name, owner) = (quote_ident(&s.name), quote_ident(&s.owner));
        out.database.push(if s.name == "public" {
            format!("ALTER SCHEMA public OWNER TO {owner}")
        } else {
            format!("CREATE SCHEMA {name} AUTHORIZATION {owner}")
        });
        if layout.role.superuser {
            continue;
        }
        // The role's privileges as the target grants them, whether to it,
        // to PUBLIC or through a membership: granted to the role alone.
        out.database.push(format!("REVOKE ALL ON SCHEMA {name} FROM PUBLIC"));
        for (has, privilege) in [(s.usage, "USAGE"), (s.create, "CREATE")] {
            if has {
                out.database.push(format!("GRANT {privilege} ON SCHEMA {name} TO {}", quote_ident(role)));
            }
        }
    }
    for e in &layout.extensions {
        // template0 has it already, in pg_catalog, as every server does.
        if e.name == "plpgsql" {
            continue;
        }
        let offered = offered(e);
        let version = if offered.contains(&e.version.as_str()) {
            format!(" VERSION {}", quote_literal(&e.version))
        } else if offered.is_empty() {
            out.missing_extensions.push(e.clone());
            continue;
        } else {
            out.notes.push(format!(
                "extension {}: the target has version {}, this machine offers {}: the rehearsal installed its default",
                e.name,
                e.version,
                offered.join(", ")
            ));
            String::new()
        };
        out.database.push(format!(
            "CREATE EXTENSION {} WITH SCHEMA {}{version}",
            quote_ident(&e.name),
            quote_ident(&e.schema)
        ));
        if e.owner != superuser && (created.contains(e.owner.as_str()) || e.owner.starts_with("pg_")) {
            // There is no ALTER EXTENSION … OWNER TO; the guards and the
            // server ("must be owner of extension") read extowner alone.
            out.database.push(format!(
                "UPDATE pg_catalog.pg_extension SET extowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = {}) WHERE extname = {}",
                quote_literal(&e.owner),
                quote_literal(&e.name)
            ));
        }
    }
    if facts.user_objects > 0 {
        out.notes.push(format!(
            "the target database {db} holds {} user objects, and the rehearsal restored into an empty database laid out like it: the real restore needs --confirm {db}, and the dump's objects may collide with what is there",
            facts.user_objects
        ));
    }
    Ok(out)
}

/// A name for the cluster's own superuser that the target does not use.
fn free_superuser(facts: &TargetFacts) -> String {
    let taken: BTreeSet<&str> = facts.roles.iter().map(String::as_str).collect();
    (0..)
        .map(|i| if i == 0 { "pgbag_rehearsal".to_string() } else { format!("pgbag_rehearsal_{i}") })
        .find(|n| !taken.contains(n.as_str()))
        .expect("some name is free")
}

/// What the rehearsal checks of its own work: the role's privileges on the
/// recreated schemas, against the target's (memberships and grants to
/// PUBLIC combine in ways a few GRANTs may not match), as a note each.
fn privilege_notes(cluster: &TempCluster, layout: &TargetLayout, db: &str) -> Result<Vec<String>> {
    if layout.role.superuser {
        return Ok(Vec::new());
    }
    let role = quote_literal(&layout.role.name);
    let sql = format!(
        "SELECT coalesce(json_agg(json_build_array(n.nspname, pg_catalog.has_schema_privilege({role}, n.oid, 'USAGE'), \
         pg_catalog.has_schema_privilege({role}, n.oid, 'CREATE'))), '[]'::json) FROM pg_catalog.pg_namespace n"
    );
    let here: Vec<(String, bool, bool)> = pg::query_json(&cluster.conninfo(db), &sql)?;
    let here: BTreeMap<String, (bool, bool)> = here.into_iter().map(|(n, u, c)| (n, (u, c))).collect();
    Ok(layout
        .schemas
        .iter()
        .filter(|s| here.get(&s.name).is_some_and(|h| *h != (s.usage, s.create)))
        .map(|s| {
            format!(
                "schema {}: {} has USAGE {} and CREATE {} on the target, and the rehearsal could not give it exactly those",
                s.name, layout.role.name, s.usage, s.create
            )
        })
        .collect())
}

/// The statements in as few `psql -c` runs as may be (a target can have
/// hundreds of roles): those that may share a transaction together,
/// `CREATE DATABASE` and `DROP DATABASE`, which may not, each alone.
fn batches(statements: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut shared = false;
    for sql in statements {
        let alone = sql.starts_with("CREATE DATABASE") || sql.starts_with("DROP DATABASE");
        match out.last_mut() {
            Some(last) if shared && !alone => {
                last.push_str(";\n");
                last.push_str(sql);
            }
            _ => out.push(sql.clone()),
        }
        shared = !alone;
    }
    out
}

fn run_all(conn: &Conninfo, statements: &[String]) -> Result<()> {
    for sql in batches(statements) {
        pg::execute(conn, &sql)
            .map_err(|e| Error::operational(format!("the rehearsal could not reproduce the target: {e}")))?;
    }
    Ok(())
}

/// Rehearses a restore of `package` into `target`'s database: reads the
/// target, starts a temporary cluster of its major version (from
/// `pg_bindir`, else [`cluster::find_bindir_for_major`]), lays it out like
/// the target, restores as the target's role with `drill`'s options, and
/// compares. The cluster is removed whatever happens.
pub fn rehearse(
    package: &Input,
    target: &Conninfo,
    drill: &DrillOptions,
    pg_bindir: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Drilled> {
    let (facts, layout) = read_target(target)?;
    let major = facts.server_version_num / 10000;
    let bindir = cluster::find_bindir_for_major(major, pg_bindir)?;
    let superuser = free_superuser(&facts);
    let cluster =
        TempCluster::start_with_options(&ClusterOptions { bindir: Some(bindir), superuser: Some(superuser) })?;
    let drilled = rehearse_on(&cluster, package, target, &facts, &layout, drill, progress);
    let stopped = cluster.stop();
    let drilled = drilled?;
    stopped?;
    Ok(drilled)
}

fn rehearse_on(
    cluster: &TempCluster,
    package: &Input,
    target: &Conninfo,
    facts: &TargetFacts,
    layout: &TargetLayout,
    drill: &DrillOptions,
    progress: &dyn Progress,
) -> Result<Drilled> {
    let db = &facts.database;
    let as_superuser = cluster.conninfo(db);
    let as_role = cluster.conninfo_as(&layout.role.name, db);
    let opts = RestoreOptions { create: false, ..drill.restore_options() };
    let local: Vec<LocalVersion> = pg::query_json(&cluster.conninfo("template1"), LOCAL_VERSIONS_SQL)?;
    let setup = setup(facts, layout, &local, cluster.superuser())?;
    run_all(&cluster.conninfo("template1"), &setup.cluster)?;
    run_all(&as_superuser, &setup.database)?;
    let mut notes = setup.notes;
    notes.extend(privilege_notes(cluster, layout, db)?);
    let prepared = prepare(package, &as_role, &opts, true, progress)?;
    notes.extend(missing_extensions(&setup.missing_extensions, &prepared.summary, facts)?);
    // What the restore would warn of, since no plan is shown when it is ready.
    notes.extend(prepared.plan.warnings.iter().map(|w| format!("the restore would warn: {w}")));
    if prepared.plan.refused() {
        let error = drill::refusal_error(&prepared.plan, Some(&target.public));
        return Ok(Drilled::Refused { plan: Box::new(prepared.plan), error });
    }
    let checks = drill::restore_and_compare(&prepared, &as_role, &as_superuser, progress).map_err(|e| {
        // The state psql's failure describes is the rehearsal's database.
        Error::new(
            e.kind(),
            format!("rehearsing a restore to {}: {e} (in the rehearsal; the target was not touched)", target.public),
        )
    })?;
    Ok(Drilled::Compared(DrillReport {
        database: db.clone(),
        server: format!(
            "temporary local cluster (PostgreSQL {}) rehearsing {} as {}",
            cluster.server_version(),
            target.public,
            layout.role.name
        ),
        kept: false,
        passed: checks.iter().all(|c| c.ok),
        notes,
        checks,
    }))
}

/// The target's extensions this machine lacks: an error if the package
/// creates one (the rehearsal would refuse where the target has it), else
/// a note each.
fn missing_extensions(missing: &[InstalledExtension], summary: &Summary, facts: &TargetFacts) -> Result<Vec<String>> {
    let major = facts.server_version_num / 10000;
    let what = |e: &InstalledExtension| {
        format!(
            "the target has extension {} {} installed (schema {}), which this machine's PostgreSQL {major} lacks",
            e.name, e.version, e.schema
        )
    };
    if let Some(e) = missing.iter().find(|e| summary.extensions.iter().any(|d| d.name == e.name)) {
        return Err(Error::operational(format!(
            "{}, and the package creates it: the rehearsal cannot reproduce the target. Install {} for PostgreSQL {major} here",
            what(e),
            e.name
        )));
    }
    Ok(missing
        .iter()
        .map(|e| format!("{}: the rehearsal went on without it, since the package does not create it", what(e)))
        .collect())
}

#[cfg(test)]
#[path = "rehearse_tests.rs"]
mod tests;
