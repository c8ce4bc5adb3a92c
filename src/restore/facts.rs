//! What the restore target is like, asked of the server through `psql -X`
//! in one query that returns JSON. The guards decide from these facts alone.

use serde::{Deserialize, Serialize};

use std::path::Path;

use crate::error::Result;
use crate::pg::clients::PsqlChoice;
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
    /// The roles the current user may act as (`SET ROLE` to, and so make
    /// owner of an object: membership, with the SET option from PostgreSQL
    /// 16), itself included; every role for a superuser.
    #[serde(default)]
    pub member_of: Vec<String>,
    /// The server's lock table, in locks: `max_locks_per_transaction ×
    /// (max_connections + max_prepared_transactions)`. One transaction can
    /// hold at most about this many (0: unknown).
    #[serde(default)]
    pub lock_capacity: u64,
    /// Objects in the database (relations, routines, types, schemas other
    /// than `public`) that no extension owns, with what depends on each: a
    /// restore that drops one (a `--clean` dump's `DROP`, or `restore
    /// --clean`) must drop those too, or fail.
    #[serde(default)]
    pub existing: Vec<ExistingObject>,
    /// User objects of kinds `restore --clean` does not drop (operators,
    /// operator classes and families, collations, text search objects,
    /// conversions, casts, foreign-data wrappers and servers, publications,
    /// event triggers; none an extension's), in `pg_identify_object`'s words.
    #[serde(default)]
    pub other_objects: Vec<String>,
    /// The current user may create schemas in the database (`CREATE` on it).
    #[serde(default)]
    pub can_create_schema: bool,
    /// Schemas of the database in which the current user may create objects.
    #[serde(default)]
    pub creatable_schemas: Vec<String>,
    /// Relations, functions, types (enums, domains, ranges, base types) and
    /// schemas other than `public` in the database that no extension owns
    /// (a schema holding an extension, such as `heroku_ext`, is not counted).
    pub user_objects: u64,
    /// The version of the local `psql` that will run the restore.
    #[serde(default)]
    pub psql_version: String,
    /// That psql, and why it was chosen ([`query`] records it; the plan
    /// shows it as `psql`). `None` where no psql was chosen (tests of the
    /// guards, a rehearsal's read of its target).
    #[serde(skip)]
    pub psql: Option<PsqlChoice>,
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

/// One object of [`TargetFacts::existing`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingObject {
    /// `catalog:oid`, e.g. `pg_class:16390`: what `dependents` refer to.
    pub key: String,
    /// `table` (partitioned and partitions too), `foreign table`, `view`,
    /// `materialized view`, `sequence`, `function`, `procedure`,
    /// `aggregate`, `type`, `domain`, `schema`.
    pub kind: String,
    /// Empty for a schema.
    pub schema: String,
    pub name: String,
    /// A routine's argument types (`pg_get_function_identity_arguments`).
    #[serde(default)]
    pub arguments: String,
    /// The current user may drop it (owns it, or is a member of its owner).
    pub mine: bool,
    /// A sequence that belongs to a table's column (serial, identity): it
    /// goes when the table goes.
    #[serde(default)]
    pub owned: bool,
    /// What depends on it (a view over a table, a table whose column uses a
    /// type or whose default calls a function, a foreign key's table, an
    /// object in a schema), as the objects holding the dependency.
    #[serde(default)]
    pub dependents: Vec<Dependent>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependent {
    /// As [`ExistingObject::key`].
    pub key: String,
    /// `pg_describe_object`'s words, e.g. `view public.recent_loans`.
    pub describe: String,
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
  'member_of', (SELECT coalesce(json_agg(rolname ORDER BY rolname), '[]'::json) FROM pg_catalog.pg_roles
      WHERE pg_catalog.pg_has_role(current_user, oid,
              CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END)),
  'other_objects', (SELECT coalesce(json_agg(x.d ORDER BY x.d), '[]'::json) FROM (
      SELECT (SELECT i.type || ' ' || i.identity FROM pg_catalog.pg_identify_object(o.cls, o.oid, 0) i) AS d FROM (
        SELECT 'pg_catalog.pg_operator'::regclass AS cls, oid FROM pg_catalog.pg_operator
        UNION ALL SELECT 'pg_catalog.pg_opclass'::regclass, oid FROM pg_catalog.pg_opclass
        UNION ALL SELECT 'pg_catalog.pg_opfamily'::regclass, oid FROM pg_catalog.pg_opfamily
        UNION ALL SELECT 'pg_catalog.pg_collation'::regclass, oid FROM pg_catalog.pg_collation
        UNION ALL SELECT 'pg_catalog.pg_ts_config'::regclass, oid FROM pg_catalog.pg_ts_config
        UNION ALL SELECT 'pg_catalog.pg_ts_dict'::regclass, oid FROM pg_catalog.pg_ts_dict
        UNION ALL SELECT 'pg_catalog.pg_ts_parser'::regclass, oid FROM pg_catalog.pg_ts_parser
        UNION ALL SELECT 'pg_catalog.pg_ts_template'::regclass, oid FROM pg_catalog.pg_ts_template
        UNION ALL SELECT 'pg_catalog.pg_conversion'::regclass, oid FROM pg_catalog.pg_conversion
        UNION ALL SELECT 'pg_catalog.pg_cast'::regclass, oid FROM pg_catalog.pg_cast
        UNION ALL SELECT 'pg_catalog.pg_foreign_data_wrapper'::regclass, oid FROM pg_catalog.pg_foreign_data_wrapper
        UNION ALL SELECT 'pg_catalog.pg_foreign_server'::regclass, oid FROM pg_catalog.pg_foreign_server
        UNION ALL SELECT 'pg_catalog.pg_publication'::regclass, oid FROM pg_catalog.pg_publication
        UNION ALL SELECT 'pg_catalog.pg_event_trigger'::regclass, oid FROM pg_catalog.pg_event_trigger) o
       WHERE o.oid >= 16384
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype IN ('e', 'i', 'a'))) x),
  'can_create_schema', pg_catalog.has_database_privilege(current_database(), 'CREATE'),
  'creatable_schemas', (SELECT coalesce(json_agg(nspname ORDER BY nspname), '[]'::json) FROM pg_catalog.pg_namespace
      WHERE pg_catalog.has_schema_privilege(oid, 'CREATE')),
  'lock_capacity', current_setting('max_locks_per_transaction')::bigint
      * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint),
  'existing', (WITH objs AS (
      SELECT 'pg_catalog.pg_class'::regclass AS cls, c.oid,
             CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'f' THEN 'foreign table'
                            WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'sequence' END AS kind,
             n.nspname AS schema, c.relname AS name, '' AS arguments, c.relowner AS owner,
             c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend o WHERE o.classid = 'pg_catalog.pg_class'::regclass
                        AND o.objid = c.oid AND o.refclassid = 'pg_catalog.pg_class'::regclass
                        AND o.deptype IN ('a', 'i')) AS owned
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
      UNION ALL
      SELECT 'pg_catalog.pg_proc'::regclass, p.oid,
             CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
             n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), p.proowner, false
        FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      UNION ALL
      SELECT 'pg_catalog.pg_type'::regclass, t.oid, CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END,
             n.nspname, t.typname, '', t.typowner, false
        FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       WHERE t.typelem = 0 AND (t.typtype IN ('e', 'd', 'r', 'b')
             OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c')))
      UNION ALL
      SELECT 'pg_catalog.pg_namespace'::regclass, n.oid, 'schema', '', n.nspname, '', n.nspowner, false
        FROM pg_catalog.pg_namespace n
       WHERE n.nspname <> 'public'
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extnamespace = n.oid)),
    mine AS (
      SELECT o.* FROM objs o
       WHERE o.schema <> 'information_schema' AND o.schema NOT LIKE 'pg\_%'
         AND (o.kind <> 'schema' OR (o.name <> 'information_schema' AND o.name NOT LIKE 'pg\_%'))
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype = 'e')),
    deps AS (
      SELECT d.refclassid AS rcls, d.refobjid AS roid,
             (CASE WHEN d.classid IN ('pg_catalog.pg_rewrite'::regclass, 'pg_catalog.pg_attrdef'::regclass,
                                     'pg_catalog.pg_trigger'::regclass, 'pg_catalog.pg_policy'::regclass)
                    OR (d.classid = 'pg_catalog.pg_constraint'::regclass AND co.conrelid <> 0)
                    OR ix.indrelid IS NOT NULL THEN 'pg_catalog.pg_class'::regclass
                  WHEN d.classid = 'pg_catalog.pg_constraint'::regclass THEN 'pg_catalog.pg_type'::regclass
                  ELSE d.classid END)::pg_catalog.regclass AS cls,
             coalesce(rw.ev_class, ad.adrelid, tg.tgrelid, po.polrelid, nullif(co.conrelid, 0), co.contypid,
                      ix.indrelid, d.objid) AS oid
        FROM pg_catalog.pg_depend d
        LEFT JOIN pg_catalog.pg_rewrite rw ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND rw.oid = d.objid
        LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND ad.oid = d.objid
        LEFT JOIN pg_catalog.pg_trigger tg ON d.classid = 'pg_catalog.pg_trigger'::regclass AND tg.oid = d.objid
        LEFT JOIN pg_catalog.pg_policy po ON d.classid = 'pg_catalog.pg_policy'::regclass AND po.oid = d.objid
        LEFT JOIN pg_catalog.pg_constraint co ON d.classid = 'pg_catalog.pg_constraint'::regclass AND co.oid = d.objid
        LEFT JOIN pg_catalog.pg_index ix ON d.classid = 'pg_catalog.pg_class'::regclass AND ix.indexrelid = d.objid
       WHERE d.deptype = 'n'),
    depended AS (
      SELECT x.rcls, x.roid, json_agg(DISTINCT jsonb_build_object(
               'key', x.cls::text || ':' || x.oid,
               'describe', (SELECT i.type || ' ' || i.identity FROM pg_catalog.pg_identify_object(x.cls, x.oid, 0) i))) AS list
        FROM deps x JOIN mine m ON m.cls = x.rcls AND m.oid = x.roid
       WHERE (x.cls, x.oid) <> (x.rcls, x.roid)
       GROUP BY x.rcls, x.roid)
    SELECT coalesce(json_agg(json_build_object(
             'key', m.cls::text || ':' || m.oid, 'kind', m.kind, 'schema', m.schema, 'name', m.name,
             'arguments', m.arguments, 'mine', pg_catalog.pg_has_role(current_user, m.owner, 'USAGE'),
             'owned', m.owned, 'dependents', coalesce(dp.list, '[]'::json))
           ORDER BY m.kind, m.schema, m.name), '[]'::json)
      FROM mine m LEFT JOIN depended dp ON dp.rcls = m.cls AND dp.roid = m.oid),
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

/// Queries the target (the database `conn` names) through the psql that
/// will run the restore, and records that psql.
pub fn query(conn: &Conninfo, psql: &PsqlChoice) -> Result<TargetFacts> {
    let mut f = query_catalogs(conn, &psql.path)?;
    f.psql_version = psql.version.clone();
    f.psql = Some(psql.clone());
    Ok(f)
}

/// The target's facts without a psql chosen for a restore (a rehearsal
/// reads its target so, and restores elsewhere), queried through `psql`.
pub fn query_catalogs(conn: &Conninfo, psql: &Path) -> Result<TargetFacts> {
    pg::query_json_with(psql, conn, FACTS_SQL)
}

/// Whether a database of that name exists (asked through another database).
pub fn database_exists(maintenance: &Conninfo, name: &str, psql: &Path) -> Result<bool> {
    let sql = format!(
        "SELECT to_json(EXISTS (SELECT 1 FROM pg_catalog.pg_database WHERE datname = {}))",
        crate::restore::quote_literal(name)
    );
    pg::query_json_with(psql, maintenance, &sql)
}
