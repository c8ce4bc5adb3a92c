//! What the restore target is like, asked of the server through `psql -X`
//! in one query that returns JSON. The guards decide from these facts alone.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::pg::{self, Conninfo};

/// Facts about the target server and database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetFacts {
    pub database: String,
    pub server_version: String,
    pub server_version_num: u32,
    pub current_user: String,
    pub is_superuser: bool,
    /// The role may create databases (`CREATEDB`, or a superuser): needed
    /// by `--create` and `drill`.
    #[serde(default)]
    pub can_create_db: bool,
    /// `pg_available_extensions`, with whether the default version is trusted
    /// and whether it needs a superuser.
    pub available_extensions: Vec<AvailableExtension>,
    /// `pg_extension` in the target database.
    pub installed_extensions: Vec<InstalledExtension>,
    /// Functions, types, operators, operator classes and operator families
    /// that belong to installed extensions (`pg_depend` deptype `e`), for
    /// `--extension-schema` rewrites.
    pub extension_members: Vec<ExtensionMember>,
    pub roles: Vec<String>,
    /// Relations, functions, types (enums, domains, ranges, base types) and
    /// schemas other than `public` in the database that no extension owns
    /// (a schema holding an extension, such as `heroku_ext`, is not counted).
    pub user_objects: u64,
    /// The version of the local `psql` that will run the restore.
    #[serde(default)]
    pub psql_version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableExtension {
    pub name: String,
    pub default_version: Option<String>,
    pub trusted: bool,
    pub superuser: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledExtension {
    pub name: String,
    pub schema: String,
    pub version: String,
    pub owner: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionMember {
    pub extension: String,
    pub schema: String,
    pub name: String,
    /// `function`, `type`, `operator`, `opclass` or `opfamily`.
    pub kind: String,
}

const FACTS_SQL: &str = r#"
SELECT json_build_object(
  'database', current_database(),
  'server_version', current_setting('server_version'),
  'server_version_num', current_setting('server_version_num')::int,
  'current_user', current_user,
  'is_superuser', (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user),
  'can_create_db', (SELECT rolsuper OR rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = current_user),
  'available_extensions', (SELECT coalesce(json_agg(json_build_object(
        'name', a.name, 'default_version', a.default_version,
        'trusted', coalesce(v.trusted, false), 'superuser', coalesce(v.superuser, true)) ORDER BY a.name), '[]'::json)
      FROM pg_catalog.pg_available_extensions a
      LEFT JOIN pg_catalog.pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version),
  'installed_extensions', (SELECT coalesce(json_agg(json_build_object(
        'name', e.extname, 'schema', n.nspname, 'version', e.extversion,
        'owner', pg_catalog.pg_get_userbyid(e.extowner)) ORDER BY e.extname), '[]'::json)
      FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace),
  'extension_members', (SELECT coalesce(json_agg(m ORDER BY m.extension, m.kind, m.name), '[]'::json) FROM (
      SELECT DISTINCT e.extname AS extension, n.nspname AS schema, o.name, o.kind
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_extension e ON d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = e.oid
        CROSS JOIN LATERAL (
              SELECT p.proname, p.pronamespace, 'function' FROM pg_catalog.pg_proc p
               WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = d.objid
              UNION ALL
              SELECT t.typname, t.typnamespace, 'type' FROM pg_catalog.pg_type t
               WHERE d.classid = 'pg_catalog.pg_type'::regclass AND t.oid = d.objid
              UNION ALL
              SELECT op.oprname, op.oprnamespace, 'operator' FROM pg_catalog.pg_operator op
               WHERE d.classid = 'pg_catalog.pg_operator'::regclass AND op.oid = d.objid
              UNION ALL
              SELECT c.opcname, c.opcnamespace, 'opclass' FROM pg_catalog.pg_opclass c
               WHERE d.classid = 'pg_catalog.pg_opclass'::regclass AND c.oid = d.objid
              UNION ALL
              SELECT f.opfname, f.opfnamespace, 'opfamily' FROM pg_catalog.pg_opfamily f
               WHERE d.classid = 'pg_catalog.pg_opfamily'::regclass AND f.oid = d.objid
            ) o(name, namespace, kind)
        JOIN pg_catalog.pg_namespace n ON n.oid = o.namespace
       WHERE d.deptype = 'e') m),
  'roles', (SELECT coalesce(json_agg(rolname ORDER BY rolname), '[]'::json) FROM pg_catalog.pg_roles),
  'user_objects', (SELECT count(*) FROM (
      SELECT c.oid, 'pg_catalog.pg_class'::regclass AS cls FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
      UNION ALL
      SELECT p.oid, 'pg_catalog.pg_proc'::regclass FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
      UNION ALL
      SELECT t.oid, 'pg_catalog.pg_type'::regclass FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
         AND t.typrelid = 0 AND t.typelem = 0 AND t.typtype IN ('e', 'd', 'r', 'b')
      UNION ALL
      SELECT n.oid, 'pg_catalog.pg_namespace'::regclass FROM pg_catalog.pg_namespace n
       WHERE n.nspname NOT IN ('information_schema', 'public') AND n.nspname NOT LIKE 'pg\_%'
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extnamespace = n.oid)) o
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype IN ('e', 'i', 'a', 'n')
                          AND d.refclassid = 'pg_catalog.pg_extension'::regclass))
)"#;

/// Queries the target (the database `conn` names).
pub fn query(conn: &Conninfo) -> Result<TargetFacts> {
    let mut f: TargetFacts = pg::query_json(conn, FACTS_SQL)?;
    f.psql_version = pg::tool_version("psql")?;
    Ok(f)
}

/// Whether a database of that name exists (asked through another database).
pub fn database_exists(maintenance: &Conninfo, name: &str) -> Result<bool> {
    let sql = format!(
        "SELECT to_json(EXISTS (SELECT 1 FROM pg_catalog.pg_database WHERE datname = {}))",
        crate::restore::quote_literal(name)
    );
    pg::query_json(maintenance, &sql)
}
