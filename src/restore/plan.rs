//! The restore plan: every guard, as a pure function over the package's
//! summary and the target's facts. A plan either refuses (each refusal names
//! the object, why, and the flag or action that fixes it) or says exactly what
//! the filter will drop or rewrite on the way to psql.
//!
//! Nothing here touches a server, so the guards are tested without one.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::facts::{InstalledExtension, TargetFacts};
use crate::package::format::Manifest;
use crate::pg::clients::PsqlChoice;
use crate::schema::Summary;
use crate::sql::guard::DatabaseStatement;
use crate::sql::{HazardCode, Hazards, SqlClass};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct RestoreOptions {
    pub create: bool,
    /// `--confirm NAME`, or the name typed at the interactive prompt.
    pub confirm: Option<String>,
    /// `--no-single-transaction`: run statement by statement, so that a
    /// failure leaves what ran before it. By default a restore is one
    /// transaction: all or nothing.
    pub per_statement: bool,
    pub no_owner: bool,
    pub no_privileges: bool,
    /// `--clean`: drop first the objects the dump creates that the target
    /// already has (see [`FilterRules::clean_first`]).
    pub clean: bool,
    /// `--extension-schema EXT=SCHEMA`.
    pub extension_schema: BTreeMap<String, String>,
    pub skip_extension: BTreeSet<String>,
    /// `--allow-sql CLASS`: SQL that reaches outside the database, let through.
    pub allow_sql: BTreeSet<SqlClass>,
    /// `--allow-old-psql`: restore with a psql that lacks `\restrict`.
    pub allow_old_psql: bool,
    /// `--pg-bindir DIR`: the psql of that directory, whatever its version
    /// (else one at least as new as the dump's pg_dump; spec/restore.md).
    pub pg_bindir: Option<std::path::PathBuf>,
    /// `--table SCHEMA.NAME`, split.
    pub tables: BTreeSet<(String, String)>,
    pub schemas: BTreeSet<String>,
    pub data_only: bool,
    pub schema_only: bool,
}

/// A meta-command line found in the dump (with its arguments, which the
/// summary does not keep).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaLine {
    pub command: String,
    /// `None` when only the summary was read (`--no-verify`): the filter
    /// then checks the arguments as the line streams past.
    pub args: Option<String>,
    pub line: u64,
}

/// The guard that refused (spec/restore.md, "Guards").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guard {
    /// The target holds user objects, or the restore drops some first.
    Overwrite,
    /// Objects the dump creates already exist on the target.
    Conflict,
    Extension,
    Roles,
    /// What the restoring role may not do: create databases, take
    /// ownership for another role, create in a schema, run what only a
    /// superuser may.
    Privileges,
    /// The server could not hold the locks of one transaction.
    Capacity,
    MetaCommand,
    Psql,
    Input,
    Sql,
    Selection,
}

impl Guard {
    pub fn as_str(self) -> &'static str {
        match self {
            Guard::Overwrite => "overwrite",
            Guard::Conflict => "conflict",
            Guard::Extension => "extension",
            Guard::Roles => "roles",
            Guard::Privileges => "privileges",
            Guard::Capacity => "capacity",
            Guard::MetaCommand => "meta-command",
            Guard::Psql => "psql",
            Guard::Input => "input",
            Guard::Sql => "sql",
            Guard::Selection => "selection",
        }
    }
}

impl std::fmt::Display for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the restore will not start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub guard: Guard,
    pub object: String,
    pub reason: String,
    /// What to do, for people.
    pub fix: String,
    /// The exact arguments to add to the same command that resolve this
    /// refusal for this same target, or empty where no option can (install
    /// an extension, get a privilege, read a hostile line). Never an option
    /// that lowers a safety check (`--allow-sql`, `--allow-old-psql`): those
    /// the user must choose knowingly, from `fix`.
    pub fix_args: Vec<String>,
}

impl Refusal {
    /// Sets [`Self::fix_args`].
    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fix_args = args.into_iter().map(Into::into).collect();
        self
    }
}

/// Rewrite references `from.member` to `to.member` for one extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaRewrite {
    pub extension: String,
    pub from: String,
    pub to: String,
    /// Names of the extension's functions, types and operators on the target.
    pub members: BTreeSet<String>,
}

/// What the filter does to the stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FilterRules {
    /// Drop `CREATE EXTENSION` and `COMMENT ON EXTENSION` of these.
    pub skip_extensions: BTreeSet<String>,
    /// Drop `COMMENT ON EXTENSION` of these (the user does not own them).
    pub drop_extension_comments: BTreeSet<String>,
    pub schema_rewrites: Vec<SchemaRewrite>,
    /// Drop `ALTER … OWNER TO`.
    pub no_owner: bool,
    /// Drop `GRANT`, `REVOKE` and `ALTER DEFAULT PRIVILEGES`.
    pub no_privileges: bool,
    /// With `--no-privileges`: roles the target lacks; `CREATE POLICY … TO`
    /// one of them is left out (a missing policy denies, it never grants).
    pub missing_roles: BTreeSet<String>,
    /// Run the whole stream inside psql's own `\restrict KEY` (a key made for
    /// the run), so that psql refuses every meta-command whatever pgbag
    /// read; false only with `--allow-old-psql` and a psql without it.
    pub restrict: bool,
    /// The database restored into: a `\connect` may name only this one, or
    /// [`Self::dump_database`].
    pub target_database: String,
    /// The database a `pg_dump --create` dump creates and connects to: its
    /// `\connect` is dropped like one to the target, since the restore
    /// writes only to the target. Statements about databases are always
    /// left out.
    pub dump_database: Option<String>,
    /// `SET` of these settings is dropped: the target's server does not know
    /// them (a newer pg_dump writes them; [`NEWER_SETTINGS`]).
    pub unknown_settings: BTreeSet<String>,
    /// Drop pg_dump 18's `SELECT pg_catalog.pg_restore_relation_stats(…)` and
    /// `pg_restore_attribute_stats(…)`: the target's server lacks them.
    pub drop_statistics: bool,
    /// A `--clean` dump's partitions' inherited constraints, as
    /// (`schema.table`, constraint), and inherited indexes, as
    /// `schema.name`: pg_dump drops a partition's before the partitioned
    /// table's, and the server refuses ("cannot drop inherited
    /// constraint"); dropping the parent's drops them, so those
    /// `ALTER TABLE … DROP CONSTRAINT` and `DROP INDEX` are left out. A
    /// partition's own constraints and indexes (a foreign key only it has,
    /// say) are dropped as the dump says: they must go before what they
    /// depend on.
    pub clean_inherited_constraints: BTreeSet<(String, String)>,
    pub clean_inherited_indexes: BTreeSet<String>,
    /// A `--clean` dump: its `DROP`s (and `ALTER TABLE … DROP CONSTRAINT`,
    /// `… DROP DEFAULT`, `lo_unlink`) run in their `IF EXISTS` form, so that
    /// an object the target lacks (a new or empty database, a copy from
    /// before the object existed) is skipped instead of failing the restore.
    pub clean_if_exists: bool,
    /// Extensions the target already has: a `--clean` dump's
    /// `DROP EXTENSION` of one is left out.
    pub keep_extensions: BTreeSet<String>,
    /// `restore --clean`: statements sent before the dump, inside the same
    /// transaction, that drop the objects the dump creates which the target
    /// already has (`DROP … IF EXISTS`, never `CASCADE`).
    pub clean_first: Vec<String>,
    /// SQL classes let through (`--allow-sql`).
    pub allow_sql: BTreeSet<SqlClass>,
    /// `--table`, `--schema`, `--data-only`, `--schema-only`.
    pub selection: Option<super::select::Selection>,
}

/// The plan `--plan` prints and the executor follows.
#[derive(Debug, Clone, Serialize)]
pub struct RestorePlan {
    pub target_database: String,
    pub create: bool,
    pub single_transaction: bool,
    pub refusals: Vec<Refusal>,
    pub warnings: Vec<String>,
    /// What pgbag adjusts on its own, and why.
    pub notes: Vec<String>,
    pub filter: FilterRules,
    pub target: TargetFacts,
    /// The psql that runs the restore, and why (spec/restore.md, "Which
    /// psql"); `None` when the facts name none.
    pub psql: Option<PsqlChoice>,
}

impl RestorePlan {
    pub fn refused(&self) -> bool {
        !self.refusals.is_empty()
    }
}

/// What pgbag read of the dump before the restore.
#[derive(Debug, Clone, Copy, Default)]
pub struct DumpRead<'a> {
    /// Every meta-command line (arguments known only after a full read).
    pub metas: &'a [MetaLine],
    /// The hazards of a full read; `None` with `--no-verify`.
    pub hazards: Option<&'a Hazards>,
    /// The statements about databases a full read found; `None` with
    /// `--no-verify`.
    pub databases: Option<&'a [DatabaseStatement]>,
}

/// Builds the plan.
pub fn build(
    summary: &Summary,
    manifest: Option<&Manifest>,
    facts: &TargetFacts,
    read: DumpRead<'_>,
    opts: &RestoreOptions,
) -> RestorePlan {
    let mut plan = RestorePlan {
        target_database: facts.database.clone(),
        create: opts.create,
        single_transaction: !opts.per_statement,
        refusals: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        filter: FilterRules {
            no_owner: opts.no_owner,
            no_privileges: opts.no_privileges,
            skip_extensions: opts.skip_extension.clone(),
            target_database: facts.database.clone(),
            allow_sql: opts.allow_sql.clone(),
            ..FilterRules::default()
        },
        target: facts.clone(),
        psql: facts.psql.clone(),
    };
    clean_dump(summary, &mut plan);
    create_guard(facts, opts, &mut plan);
    overwrite_guard(summary, facts, opts, &mut plan);
    owner_guard(summary, facts, opts, &mut plan);
    create_privilege_guard(summary, facts, opts, &mut plan);
    capacity_guard(summary, opts, facts, &mut plan);
    extension_guard(summary, manifest, facts, opts, &mut plan);
    role_guard(summary, facts, opts, &mut plan);
    database_guard(summary, read.databases, facts, &mut plan);
    meta_command_guard(read.metas, facts, &mut plan);
    psql_choice(facts, &mut plan);
    psql_guard(facts, opts, &mut plan);
    input_guard(read.hazards, opts, &mut plan);
    version_guard(summary, manifest, facts, &mut plan);
    selection(summary, opts, &mut plan);
    // After selection: with --table, only the selected objects can clash.
    conflict_guard(summary, facts, opts, &mut plan);
    plan
}

/// `--create` (and every drill) creates a database: the role needs
/// `CREATEDB`. Without it, `CREATE DATABASE` failed after a plan that said
/// ready, and a drill reported the package as bad (issue 12, failure 10).
fn create_guard(facts: &TargetFacts, opts: &RestoreOptions, plan: &mut RestorePlan) {
    if !opts.create || facts.can_create_db {
        return;
    }
    refuse(
        plan,
        Guard::Privileges,
        format!("role {}", facts.current_user),
        format!("{} may not create databases (no CREATEDB), which --create (and drill) needs", facts.current_user),
        format!(
            "have a superuser run ALTER ROLE {} CREATEDB, or restore into an existing database you own with --confirm",
            crate::schema::quote_ident(&facts.current_user)
        ),
    );
}

/// `--clean` dumps: drops run as `IF EXISTS`, the target's extensions stay,
/// and partitions' inherited constraints and indexes go with their parents
/// (see [`FilterRules::clean_inherited_constraints`]).
fn clean_dump(summary: &Summary, plan: &mut RestorePlan) {
    if !summary.dump.drops_objects {
        return;
    }
    plan.filter.clean_if_exists = true;
    // The target's own copy of an extension stays: its DROP would fail for
    // a role that does not own it ("must be owner of extension"), or drop
    // what others depend on; the dump's CREATE EXTENSION IF NOT EXISTS then
    // finds it in place.
    plan.filter.keep_extensions = plan.target.installed_extensions.iter().map(|e| e.name.clone()).collect();
    plan.notes.push(
        "--clean dump: its DROP statements run as DROP … IF EXISTS, so objects the target lacks are skipped instead of failing the restore"
            .into(),
    );
    let (constraints, indexes) = inherited(summary);
    if constraints.is_empty() && indexes.is_empty() {
        return;
    }
    plan.notes.push(format!(
        "--clean dump with partitions: {} inherited constraint(s) and {} inherited index(es) of partitions are not dropped on their own (dropping the partitioned tables drops them; in pg_dump's order the server refuses: \"cannot drop inherited constraint\")",
        constraints.len(),
        indexes.len()
    ));
    plan.filter.clean_inherited_constraints = constraints;
    plan.filter.clean_inherited_indexes = indexes;
}

/// The partitions' constraints and indexes that come from their parents: a
/// primary key or unique constraint on the same columns as one of the
/// parent's, an index of the same method, uniqueness and columns as one of
/// the parent's.
fn inherited(summary: &Summary) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let key = |schema: &Option<String>, name: &str| format!("{}.{name}", schema.as_deref().unwrap_or(""));
    let table =
        |q: &crate::schema::QualifiedName| summary.tables.iter().find(|t| t.schema == q.schema && t.name == q.name);
    let mut constraints = BTreeSet::new();
    let mut indexes = BTreeSet::new();
    for part in summary.tables.iter().filter(|t| t.partition_of.is_some()) {
        let Some(parent) = part.partition_of.as_ref().and_then(table) else { continue };
        let parent_keys: Vec<&Vec<String>> =
            parent.primary_key.iter().chain(&parent.unique).map(|k| &k.columns).collect();
        for k in part.primary_key.iter().chain(&part.unique) {
            if let Some(name) = &k.name
                && parent_keys.contains(&&k.columns)
            {
                constraints.insert((key(&part.schema, &part.name), name.clone()));
            }
        }
        let of = |t: &crate::schema::Table| -> Vec<&crate::schema::Index> {
            summary.indexes.iter().filter(|i| i.table.schema == t.schema && i.table.name == t.name).collect()
        };
        let parent_indexes: Vec<_> = of(parent).into_iter().map(|i| (&i.method, i.unique, &i.columns)).collect();
        for i in of(part) {
            if parent_indexes.contains(&(&i.method, i.unique, &i.columns)) {
                indexes.insert(key(&i.schema, &i.name));
            }
        }
    }
    (constraints, indexes)
}

/// Selective restore: unknown tables are refused, foreign keys to tables
/// left out are listed and skipped.
fn selection(summary: &Summary, opts: &RestoreOptions, plan: &mut RestorePlan) {
    if opts.tables.is_empty() && opts.schemas.is_empty() && !opts.data_only && !opts.schema_only {
        return;
    }
    for (schema, name) in &opts.tables {
        if !summary.tables.iter().any(|t| t.schema.as_deref() == Some(schema) && &t.name == name) {
            refuse(
                plan,
                Guard::Selection,
                format!("table {schema}.{name}"),
                "the package has no such table",
                "check the name with `pgbag inspect` (SCHEMA.NAME, unquoted)",
            );
        }
    }
    for schema in &opts.schemas {
        if !summary.schemas.contains(schema) {
            refuse(
                plan,
                Guard::Selection,
                format!("schema {schema}"),
                "the package has no such schema",
                "check the name with `pgbag inspect`",
            );
        }
    }
    let tables = with_partitions(summary, &opts.tables, plan);
    let mut sel = super::select::Selection {
        tables,
        schemas: opts.schemas.clone(),
        data_only: opts.data_only,
        schema_only: opts.schema_only,
        ..Default::default()
    };
    // Issue 12, failure 9: `--table public.kithe_models` left out the
    // function its column DEFAULT calls, and the restore failed there.
    let resolved = sel.resolve(summary);
    let flags: Vec<String> = opts.tables.iter().map(|(schema, name)| format!("--table {schema}.{name}")).collect();
    if !resolved.brought.is_empty() {
        plan.notes.push(format!("{} brings along: {}", flags.join(" "), resolved.brought.join(", ")));
    }
    for u in resolved.unresolved {
        use super::depends::Missing;
        let mut args = Vec::new();
        let (reason, fix) = match u.missing {
            Missing::NotInDump => (
                format!(
                    "{} needs it, and the dump does not define it (nor is it in the schema of an extension the dump creates)",
                    u.needed_by
                ),
                "restore the whole dump, or create it on the target and restore the table by hand (`pgbag unpack`, then psql)"
                    .to_string(),
            ),
            Missing::TableLeftOut(table) => {
                args = vec!["--table".to_string(), table.clone()];
                (format!("{} names it, and the selection leaves it out", u.needed_by), format!("add --table {table}"))
            }
            Missing::RelationLeftOut => (
                format!("{} names it, and --table cannot bring it along", u.needed_by),
                "restore the whole dump, or its schema with --schema".to_string(),
            ),
        };
        refuse(plan, Guard::Selection, u.object, reason, fix).args(args);
    }
    let dangling = sel.dangling_foreign_keys(summary);
    if !dangling.is_empty() {
        plan.notes.push(format!("foreign keys to tables left out are skipped: {}", dangling.join(", ")));
    }
    if !opts.tables.is_empty() {
        plan.notes.push(
            "only the selected tables' own objects and what they need are restored; their schemas must already exist on the target"
                .into(),
        );
    }
    plan.filter.selection = Some(sel);
}

/// `--table` of a partitioned table brings its partitions (theirs hold the
/// rows; pg_dump attaches each with `ALTER TABLE … ATTACH PARTITION`, which
/// failed when only the parent was selected). A partition whose parent is
/// not selected is refused: it cannot be attached, and restored on its own
/// it would be a different table.
fn with_partitions(
    summary: &Summary,
    asked: &BTreeSet<(String, String)>,
    plan: &mut RestorePlan,
) -> BTreeSet<(String, String)> {
    let key = |t: &crate::schema::Table| (t.schema.clone().unwrap_or_default(), t.name.clone());
    let mut tables = asked.clone();
    let mut brought = Vec::new();
    loop {
        let more: Vec<(String, String)> = summary
            .tables
            .iter()
            .filter(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|p| tables.contains(&(p.schema.clone().unwrap_or_default(), p.name.clone())))
                    && !tables.contains(&key(t))
            })
            .map(key)
            .collect();
        if more.is_empty() {
            break;
        }
        brought.extend(more.iter().map(|(s, n)| format!("{s}.{n}")));
        tables.extend(more);
    }
    if !brought.is_empty() {
        plan.notes.push(format!(
            "--table brings along the partitions of the partitioned tables selected: {}",
            brought.join(", ")
        ));
    }
    for t in summary.tables.iter().filter(|t| asked.contains(&key(t))) {
        if let Some(parent) = &t.partition_of
            && !tables.contains(&(parent.schema.clone().unwrap_or_default(), parent.name.clone()))
        {
            let p = format!("{}.{}", parent.schema.as_deref().unwrap_or("public"), parent.name);
            refuse(
                plan,
                Guard::Selection,
                format!("table {}.{}", t.schema.as_deref().unwrap_or("public"), t.name),
                format!("it is a partition of {p}, which the selection leaves out, so it cannot be attached"),
                format!("add --table {p} (it brings all its partitions)"),
            )
            .args(["--table".to_string(), p]);
        }
    }
    tables
}

/// Adds a refusal with no `fix_args`; chain [`Refusal::args`] to give them.
pub(super) fn refuse(
    plan: &mut RestorePlan,
    guard: Guard,
    object: impl Into<String>,
    reason: impl Into<String>,
    fix: impl Into<String>,
) -> &mut Refusal {
    plan.refusals.push(Refusal {
        guard,
        object: object.into(),
        reason: reason.into(),
        fix: fix.into(),
        fix_args: Vec::new(),
    });
    plan.refusals.last_mut().expect("just pushed")
}

/// Guard 1: never overwrite silently (heroku pg:backups:restore's typed
/// confirmation).
fn overwrite_guard(summary: &Summary, facts: &TargetFacts, opts: &RestoreOptions, plan: &mut RestorePlan) {
    if opts.create {
        return;
    }
    let db = &facts.database;
    // A --clean dump's DROPs run as DROP … IF EXISTS (see
    // `FilterRules::clean_if_exists`): on a database with no user objects
    // they find nothing to drop, so only what the target holds needs the
    // typed confirmation.
    if facts.user_objects == 0 {
        return;
    }
    let why = if summary.dump.drops_objects {
        format!(
            "it already holds {} user objects, and the dump DROPs objects first (pg_dump --clean)",
            facts.user_objects
        )
    } else {
        format!("it already holds {} user objects", facts.user_objects)
    };
    if opts.confirm.as_deref() == Some(db.as_str()) {
        plan.notes.push(format!("restoring over database {db}: confirmed"));
        return;
    }
    refuse(
        plan,
        Guard::Overwrite,
        format!("database {db}"),
        format!("restoring would change database {db}: {why}"),
        format!(
            "restore next to it instead with --create and a new database name in --target, or pass --confirm {db} to overwrite it"
        ),
    )
    .args(["--confirm", db.as_str()]);
}

/// Objects of the dump that may depend on an extension: columns whose type,
/// and defaults whose function calls, are qualified with the extension's
/// schema but are not defined by the dump itself.
/// Whether expression `e` calls a function `prefix`name(…) that the dump
/// does not define. A name inside a string literal is no call:
/// `nextval('public.works_id_seq'::regclass)` names a sequence, not a
/// function of the extension (issue 12: 24 columns were listed for vector,
/// 2 of them real).
fn calls_foreign(e: &str, prefix: &str, defined: &BTreeSet<String>) -> bool {
    e.match_indices(prefix).any(|(i, _)| {
        let quotes_before = e[..i].bytes().filter(|&b| b == b'\'').count();
        if quotes_before % 2 == 1 {
            return false; // inside '…'
        }
        let name: String =
            e[i..].chars().take_while(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '.' | '"' | '$')).collect();
        e[i + name.len()..].starts_with('(') && !defined.contains(&name)
    })
}

/// Extensions that ship with PostgreSQL itself (contrib), whose package is
/// named after the server (Debian: postgresql-contrib, part of postgresql-NN
/// since 10). For any other, the install hint names no package it does not
/// know.
const CONTRIB: [&str; 46] = [
    "adminpack",
    "amcheck",
    "autoinc",
    "bloom",
    "btree_gin",
    "btree_gist",
    "citext",
    "cube",
    "dblink",
    "dict_int",
    "dict_xsyn",
    "earthdistance",
    "file_fdw",
    "fuzzystrmatch",
    "hstore",
    "insert_username",
    "intagg",
    "intarray",
    "isn",
    "lo",
    "ltree",
    "moddatetime",
    "old_snapshot",
    "pageinspect",
    "pg_buffercache",
    "pg_freespacemap",
    "pg_prewarm",
    "pg_stat_statements",
    "pg_surgery",
    "pg_trgm",
    "pg_visibility",
    "pg_walinspect",
    "pgcrypto",
    "pgrowlocks",
    "pgstattuple",
    "postgres_fdw",
    "refint",
    "seg",
    "sslinfo",
    "tablefunc",
    "tcn",
    "tsm_system_rows",
    "tsm_system_time",
    "unaccent",
    "uuid-ossp",
    "xml2",
];

fn dependents(summary: &Summary, schema: &str) -> Vec<String> {
    let prefix = format!("{}.", crate::schema::quote_ident(schema));
    let defined: BTreeSet<String> = summary
        .types
        .iter()
        .map(|t| crate::schema::QualifiedName { schema: t.schema.clone(), name: t.name.clone() }.to_string())
        .chain(
            summary
                .functions
                .iter()
                .map(|f| crate::schema::QualifiedName { schema: f.schema.clone(), name: f.name.clone() }.to_string()),
        )
        .collect();
    let mut out = Vec::new();
    for t in &summary.tables {
        let table = crate::schema::QualifiedName { schema: t.schema.clone(), name: t.name.clone() };
        for c in &t.columns {
            let ty = c.type_name.trim_end_matches("[]");
            let foreign_type = ty.starts_with(&prefix) && !defined.contains(ty);
            let in_default = [&c.default, &c.generated]
                .iter()
                .any(|e| e.as_deref().is_some_and(|e| calls_foreign(e, &prefix, &defined)));
            if foreign_type || in_default {
                out.push(format!("column {table}.{} ({})", crate::schema::quote_ident(&c.name), c.type_name));
            }
        }
    }
    // Functions whose arguments or result use one of its types.
    for f in &function_signatures(summary) {
        let (name, signature) = f;
        if signature.match_indices(&prefix).any(|(i, _)| {
            let ty: String =
                signature[i..].chars().take_while(|ch| !matches!(ch, ',' | ')' | ' ' | '[' | '(')).collect();
            !defined.contains(&ty)
        }) {
            out.push(format!("function {name}"));
        }
    }
    out
}

/// Each function's name and `arguments -> returns` text.
fn function_signatures(summary: &Summary) -> Vec<(String, String)> {
    summary
        .functions
        .iter()
        .map(|f| {
            let name = crate::schema::QualifiedName { schema: f.schema.clone(), name: f.name.clone() };
            (format!("{name}({})", f.arguments), format!("{} {}", f.arguments, f.returns.as_deref().unwrap_or("")))
        })
        .collect()
}

/// Guard 2: extensions (not available, needs superuser, installed elsewhere,
/// comments on extensions the user does not own, versions).
fn extension_guard(
    summary: &Summary,
    manifest: Option<&Manifest>,
    facts: &TargetFacts,
    opts: &RestoreOptions,
    plan: &mut RestorePlan,
) {
    for (ext, schema) in &opts.extension_schema {
        if !summary.extensions.iter().any(|e| &e.name == ext) {
            refuse(
                plan,
                Guard::Extension,
                format!("extension {ext}"),
                "--extension-schema names an extension the dump does not create",
                format!("drop --extension-schema {ext}={schema}"),
            );
        }
    }
    for ext in &summary.extensions {
        let name = &ext.name;
        if opts.skip_extension.contains(name) {
            let installed = facts.installed_extensions.iter().any(|i| &i.name == name);
            let deps = dependents(summary, ext.schema.as_deref().unwrap_or("public"));
            if !installed && !deps.is_empty() {
                // Issue 12, failure 7: "Ready", then the first column of its type failed.
                refuse(
                    plan,
                    Guard::Extension,
                    format!("extension {name}"),
                    format!(
                        "--skip-extension {name}, but the target does not have {name} and the dump's objects need it: {}",
                        deps.join(", ")
                    ),
                    format!(
                        "install {name} on the target server (then --skip-extension is not needed), or leave those objects out with --table / --schema"
                    ),
                );
                continue;
            }
            plan.notes.push(format!(
                "extension {name}: CREATE EXTENSION and COMMENT ON EXTENSION skipped (--skip-extension)"
            ));
            continue;
        }
        let recorded =
            manifest.and_then(|m| m.extensions.iter().find(|e| &e.name == name)).and_then(|e| e.version.clone());
        if let Some(inst) = facts.installed_extensions.iter().find(|i| &i.name == name) {
            installed_extension(ext, inst, recorded.as_deref(), &summary.functions, facts, opts, plan);
            continue;
        }
        let Some(avail) = facts.available_extensions.iter().find(|a| &a.name == name) else {
            let deps = dependents(summary, ext.schema.as_deref().unwrap_or("public"));
            let listed =
                if deps.is_empty() { String::new() } else { format!("; objects that use it: {}", deps.join(", ")) };
            refuse(
                plan,
                Guard::Extension,
                format!("extension {name}"),
                format!("{name} is not available on the target server{listed}"),
                if CONTRIB.contains(&name.as_str()) {
                    format!(
                        "install {name} on the target server (it ships with PostgreSQL's contrib modules: Debian's postgresql-contrib, or postgresql-NN-contrib on older releases), or --skip-extension {name} if nothing needs it"
                    )
                } else {
                    format!(
                        "install the {name} extension on the target server (it is not part of PostgreSQL itself: see its own documentation), or --skip-extension {name} if nothing needs it"
                    )
                },
            )
            // Skipping it resolves the refusal only when nothing needs it.
            .args(if deps.is_empty() { vec!["--skip-extension".to_string(), name.clone()] } else { vec![] });
            continue;
        };
        if avail.superuser && !avail.trusted && !facts.is_superuser {
            refuse(
                plan,
                Guard::Extension,
                format!("extension {name}"),
                format!(
                    "{name} is not a trusted extension and {} is not a superuser, so CREATE EXTENSION would fail",
                    facts.current_user
                ),
                format!(
                    "have a superuser run CREATE EXTENSION {name} in the target first (then use --skip-extension {name}), or restore as a superuser"
                ),
            );
        }
        if let (Some(v), Some(d)) = (&recorded, &avail.default_version)
            && v != d
        {
            plan.warnings.push(format!("extension {name}: the source had version {v}, the target will install {d}"));
        }
    }
    // COMMENT ON EXTENSION for extensions the dump does not create (plpgsql):
    // drop them too when someone else owns the installed extension.
    for inst in &facts.installed_extensions {
        if inst.owner != facts.current_user
            && !facts.is_superuser
            && !plan.filter.drop_extension_comments.contains(&inst.name)
        {
            plan.filter.drop_extension_comments.insert(inst.name.clone());
        }
    }
}

/// An extension the dump creates that the target already has: a schema
/// other than the dump's is refused unless remapped, a comment on one the
/// user does not own is dropped, a version other than the source's warned of.
/// A remapped extension's members named in function bodies the filter does
/// not rewrite (any language but SQL) are warned of, function by function.
fn installed_extension(
    ext: &crate::schema::Extension,
    inst: &InstalledExtension,
    recorded: Option<&str>,
    functions: &[crate::schema::Function],
    facts: &TargetFacts,
    opts: &RestoreOptions,
    plan: &mut RestorePlan,
) {
    let name = &ext.name;
    let wanted = ext.schema.clone().unwrap_or_else(|| inst.schema.clone());
    if wanted != inst.schema {
        match opts.extension_schema.get(name) {
            Some(to) if *to == inst.schema => {
                let members: BTreeSet<String> =
                    facts.extension_members.iter().filter(|m| &m.extension == name).map(|m| m.name.clone()).collect();
                for f in functions {
                    let named: Vec<&String> = f
                        .body_names
                        .iter()
                        .filter(|q| q.schema.as_ref() == Some(&wanted) && members.contains(&q.name))
                        .map(|q| &q.name)
                        .collect();
                    if named.is_empty() {
                        continue;
                    }
                    let in_schema = |schema: &String| {
                        let q = |n: &&String| crate::schema::QualifiedName {
                            schema: Some(schema.clone()),
                            name: (*n).clone(),
                        };
                        named.iter().map(|n| q(n).to_string()).collect::<Vec<_>>().join(", ")
                    };
                    plan.warnings.push(format!(
                        "extension {name}: {} {}({}) ({}) names {} in its body, which is not rewritten (only SQL bodies are): it will fail at its first call unless replaced after the restore to name {} instead",
                        f.kind,
                        crate::schema::QualifiedName { schema: f.schema.clone(), name: f.name.clone() },
                        f.arguments,
                        f.language.as_deref().unwrap_or("?"),
                        in_schema(&wanted),
                        in_schema(to),
                    ));
                }
                plan.filter.skip_extensions.insert(name.clone());
                plan.filter.schema_rewrites.push(SchemaRewrite {
                    extension: name.clone(),
                    from: wanted.clone(),
                    to: to.clone(),
                    members,
                });
                plan.notes.push(format!(
                        "extension {name}: already installed in schema {to}; CREATE/COMMENT ON EXTENSION skipped and references {wanted}.<member> rewritten to {to}.<member> in statements and in the bodies of SQL functions (other languages' bodies are not rewritten: any that name a member are warned of)"
                    ));
            }
            Some(to) => {
                refuse(
                    plan,
                    Guard::Extension,
                    format!("extension {name}"),
                    format!("--extension-schema says {to}, but the target has {name} in schema {}", inst.schema),
                    format!("use --extension-schema {name}={}", inst.schema),
                )
                .args(["--extension-schema".to_string(), format!("{name}={}", inst.schema)]);
            }
            None => {
                refuse(
                plan,
                Guard::Extension,
                format!("extension {name}"),
                format!(
                    "the dump installs {name} in schema {wanted}, but the target already has it in schema {}; the dump's references to {wanted}.<{name} objects> would fail",
                    inst.schema
                ),
                format!("pass --extension-schema {name}={} to rewrite them to the target's copy", inst.schema),
            )
            .args(["--extension-schema".to_string(), format!("{name}={}", inst.schema)]);
            }
        }
    }
    if inst.owner != facts.current_user && !facts.is_superuser {
        plan.filter.drop_extension_comments.insert(name.clone());
        plan.notes.push(format!(
                "extension {name}: COMMENT ON EXTENSION dropped, because {} owns it, not {} (\"must be owner of extension {name}\")",
                inst.owner, facts.current_user
            ));
    }
    if let Some(v) = recorded
        && *v != inst.version
    {
        plan.warnings
            .push(format!("extension {name}: the source had version {v}, the target has {} installed", inst.version));
    }
}

/// Guard 3: roles named by OWNER TO and GRANT must exist.
fn role_guard(summary: &Summary, facts: &TargetFacts, opts: &RestoreOptions, plan: &mut RestorePlan) {
    let have: BTreeSet<&str> = facts.roles.iter().map(String::as_str).collect();
    let missing: Vec<&str> = summary.roles.iter().map(String::as_str).filter(|r| !have.contains(r)).collect();
    if missing.is_empty() {
        return;
    }
    if opts.no_owner && opts.no_privileges {
        plan.filter.missing_roles = missing.iter().map(|r| r.to_string()).collect();
        let policies: Vec<String> = summary
            .policies
            .iter()
            .filter(|p| p.roles.iter().any(|r| missing.contains(&r.as_str())))
            .map(|p| format!("{} on {}", p.name, p.table))
            .collect();
        if !policies.is_empty() {
            plan.notes.push(format!(
                "row-security policies naming missing roles are left out (RLS then denies by default): {}",
                policies.join(", ")
            ));
        }
        return;
    }
    refuse(
        plan,
        Guard::Roles,
        format!("roles {}", missing.join(", ")),
        format!(
            "the dump makes them owners or grants them privileges, and they do not exist on the target: {}",
            missing.join(", ")
        ),
        "pass --no-owner and --no-privileges to leave ownership and grants out, or create the roles first (the package's data/globals.sql has them if it was packed with --globals)",
    )
    .args([(!opts.no_owner).then_some("--no-owner"), (!opts.no_privileges).then_some("--no-privileges")].into_iter().flatten());
}

pub use crate::pg::clients::psql_knows_restrict;

/// Statements about databases: a restore writes only to its target, so
/// `CREATE`, `DROP` and `ALTER DATABASE`, and `COMMENT`, `GRANT`, `REVOKE`,
/// `SECURITY LABEL` or `ALTER … OWNER` on a database, are always left out
/// (the filter drops them by parse tree), and the plan lists them. The
/// database a `pg_dump --create` dump creates is the one its `\connect`
/// may name besides the target: that `\connect` is dropped too, so what
/// follows goes into the target, never into the database of the dump's name
/// (issue 12: a `--create` dump restored with `--target prod_copy` used to
/// drop and recreate `prod`).
fn database_guard(
    summary: &Summary,
    databases: Option<&[DatabaseStatement]>,
    facts: &TargetFacts,
    plan: &mut RestorePlan,
) {
    let target = &facts.database;
    let created = match databases {
        Some(list) => list.iter().find(|d| d.create).map(|d| d.database.clone()),
        // --no-verify: the summary does not tell a CREATE DATABASE from a
        // \connect (pg_dumpall's, or a hostile one), so a dump that names
        // another database is restored only after a full read.
        None => {
            if let Some(db) = summary.dump.database.as_ref().filter(|d| *d != target) {
                refuse(
                    plan,
                    Guard::MetaCommand,
                    format!("database {db}"),
                    format!(
                        "the dump creates or connects to database {db} (pg_dump --create), and with --no-verify pgbag cannot tell which before it streams"
                    ),
                    "restore without --no-verify: pgbag then reads the dump first, and a pg_dump --create dump goes into the target",
                );
            }
            None
        }
    };
    if let Some(orig) = created.as_ref().filter(|o| *o != target) {
        plan.notes.push(format!(
            "the dump was made with pg_dump --create for database {orig}: it is restored into {target}, and its CREATE DATABASE, DROP DATABASE and \\connect {orig} are left out; {orig} itself is not touched"
        ));
    }
    plan.filter.dump_database = created;
    let Some(list) = databases.filter(|l| !l.is_empty()) else { return };
    let shown: Vec<String> =
        list.iter().take(LISTED).map(|d| format!("line {}: {}", d.line, d.text.trim_end_matches(';'))).collect();
    let more = if list.len() > LISTED { format!("; and {} more", list.len() - LISTED) } else { String::new() };
    plan.notes.push(format!(
        "{} statement(s) about databases left out, since a restore writes only to {target} (apply database settings to {target} by hand if you want them): {}{more}",
        list.len(),
        shown.join("; ")
    ));
}

/// Guard 4: psql meta-commands. Every restore runs inside psql's own
/// `\restrict` (run.rs), where psql refuses them all; the filter drops the
/// dump's own `\restrict`/`\unrestrict` pair and a `\connect` in pg_dump's
/// form that names the target database itself (a no-op there). Anything else
/// is refused before anything runs.
fn meta_command_guard(metas: &[MetaLine], facts: &TargetFacts, plan: &mut RestorePlan) {
    for m in metas {
        let object = format!("\\{} at line {}", m.command, m.line);
        let Some(args) = &m.args else {
            if !matches!(m.command.as_str(), "restrict" | "unrestrict" | "connect") {
                refuse_meta(plan, object, &m.command);
            }
            continue; // arguments are checked as the line streams past
        };
        match m.command.as_str() {
            "restrict" | "unrestrict" if restrict_key(args) => {}
            "connect" => match connect_target(args) {
                Some(db) if db == facts.database || plan.filter.dump_database.as_ref() == Some(&db) => {}
                Some(db) => {
                    refuse(
                        plan,
                        Guard::MetaCommand,
                        object,
                        format!(
                            "the dump switches to database {db}, which is neither the target {} nor the database the dump creates; what follows was meant for {db}",
                            facts.database
                        ),
                        "read the dump at that line: pg_dump writes one \\connect, to the database it creates (--create), or one per database (pg_dumpall), which pgbag does not restore",
                    );
                }
                None => {
                    refuse(
                        plan,
                        Guard::MetaCommand,
                        object,
                        format!("\\connect {args} is not in the form pg_dump writes"),
                        "read the dump at that line; restore it by hand only if you trust it",
                    );
                }
            },
            _ => refuse_meta(plan, object, &m.command),
        }
    }
}

fn refuse_meta(plan: &mut RestorePlan, object: String, command: &str) {
    refuse(
        plan,
        Guard::MetaCommand,
        object,
        format!(
            "the dump holds the psql meta-command \\{command} (or odd arguments to one pg_dump writes), which pg_dump never writes"
        ),
        "read the dump at that line; restore it by hand only if you trust it",
    );
}

/// A `\restrict` key as pg_dump makes them: letters and digits.
pub fn restrict_key(args: &str) -> bool {
    !args.is_empty() && args.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The database a `\connect` line names, if it is in one of the two forms
/// pg_dump writes (`appendPsqlMetaConnect`): `\connect NAME` for a plain
/// name, else `\connect -reuse-previous=on "dbname='NAME'"` with the name
/// backslash-escaped and the whole argument in SQL identifier quotes.
pub fn connect_target(args: &str) -> Option<String> {
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    if plain(args) {
        return Some(args.to_string());
    }
    let quoted = args.strip_prefix("-reuse-previous=on \"")?.strip_suffix('"')?;
    if quoted.replace("\"\"", "").contains('"') {
        return None;
    }
    let conn = quoted.replace("\"\"", "\"");
    let value = conn.strip_prefix("dbname=")?;
    if plain(value) {
        return Some(value.to_string());
    }
    let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut name = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => name.push(chars.next()?),
            '\'' => return None,
            c => name.push(c),
        }
    }
    (!name.is_empty()).then_some(name)
}

/// Which psql runs the restore is chosen before the plan (run::prepare):
/// at least as new as the pg_dump that made the dump when one is installed.
/// When none is, the restore goes ahead with the newest (an older psql
/// reads most of what a newer pg_dump writes, and what it cannot fails
/// inside the one transaction), and the plan says which to install.
fn psql_choice(facts: &TargetFacts, plan: &mut RestorePlan) {
    let Some(c) = facts.psql.as_ref().filter(|c| !c.new_enough) else { return };
    let by = c.dump_by.as_deref().unwrap_or("(unknown)");
    let m = major(by).unwrap_or(0);
    plan.notes.push(format!(
        "psql {} ({}) is older than pg_dump {by}, which made the dump ({}): an older psql may not read all a newer \
         pg_dump writes. Install PostgreSQL {m}'s client programs (Debian/Ubuntu: apt install postgresql-client-{m}; \
         RHEL: dnf install postgresql{m}; macOS: brew install postgresql@{m}), or pass --pg-bindir DIR naming them",
        c.version,
        c.path.display(),
        c.reason
    ));
}

/// Guard 5: psql must know `\restrict` (17.6, 16.10, 15.14, 14.19, 13.22 and
/// later; CVE-2025-8714), so that psql itself refuses every meta-command.
fn psql_guard(facts: &TargetFacts, opts: &RestoreOptions, plan: &mut RestorePlan) {
    if psql_knows_restrict(&facts.psql_version) {
        plan.filter.restrict = true;
        return;
    }
    if opts.allow_old_psql {
        plan.notes.push(format!(
            "psql {} does not know \\restrict: only pgbag's own reading of the dump stands between its lines and psql (--allow-old-psql)",
            facts.psql_version
        ));
        return;
    }
    refuse(
        plan,
        Guard::Psql,
        format!("psql {}", facts.psql_version),
        "this psql does not know \\restrict, so psql itself would not refuse a meta-command hidden in the dump",
        "install psql 17.6, 16.10, 15.14, 14.19, 13.22 or later (Debian: the postgresql-client package from apt.postgresql.org), or pass --allow-old-psql to rely on pgbag's checks alone",
    );
}

/// Statements a plan lists one by one before summing up the rest.
pub(super) const LISTED: usize = 20;

/// Guard 6: the input itself. Bytes and forms where psql could read the dump
/// differently from pgbag are refused, with no way around (restore by hand
/// instead); SQL that reaches outside the database is refused unless
/// `--allow-sql` names its class.
fn input_guard(hazards: Option<&Hazards>, opts: &RestoreOptions, plan: &mut RestorePlan) {
    let Some(hazards) = hazards else {
        plan.notes.push(
            "the dump was not read before the restore (--no-verify): pgbag checks it as it streams and stops at the first line psql could read differently, or SQL that reaches outside the database (in one transaction, the default, nothing is committed then)".into(),
        );
        return;
    };
    let mut lexical: BTreeMap<HazardCode, (u64, usize)> = BTreeMap::new();
    let mut allowed: BTreeMap<SqlClass, usize> = BTreeMap::new();
    let mut listed = 0;
    for h in &hazards.kept {
        match h.code {
            HazardCode::OutsideDatabase(class) if opts.allow_sql.contains(&class) => {
                *allowed.entry(class).or_default() += 1;
            }
            HazardCode::OutsideDatabase(class) => {
                listed += 1;
                if listed <= LISTED {
                    refuse(
                        plan,
                        Guard::Sql,
                        format!("line {}: {}", h.line, h.detail),
                        format!("{}; pg_dump never writes it", h.code.explain()),
                        format!("read the statement; if you trust it, pass --allow-sql {class}"),
                    );
                }
            }
            code => lexical.entry(code).or_insert((h.line, 0)).1 += 1,
        }
    }
    if listed > LISTED {
        refuse(
            plan,
            Guard::Sql,
            format!("{} more statements", listed - LISTED),
            "SQL that reaches outside the database, like the statements above",
            "run `pgbag validate` to list them",
        );
    }
    for (code, (line, n)) in lexical {
        let more = if n > 1 { format!(" (and {} more)", n - 1) } else { String::new() };
        refuse(
            plan,
            Guard::Input,
            format!("line {line}{more}"),
            format!(
                "{}: pg_dump never writes this, and psql could read the dump differently from pgbag ({code})",
                code.explain()
            ),
            "read the dump at that line; if you trust it, restore it by hand as the package's README.txt explains",
        );
    }
    for (class, n) in allowed {
        plan.notes.push(format!("--allow-sql {class}: {n} statement(s) that reach outside the database let through"));
    }
    if hazards.total > hazards.kept.len() as u64 {
        plan.notes.push(format!("{} hazards in all; `pgbag validate` lists them", hazards.total));
    }
}

fn major(v: &str) -> Option<u32> {
    v.split(|c: char| !c.is_ascii_digit()).find(|p| !p.is_empty())?.parse().ok()
}

/// Session settings pg_dump writes in its header, and the PostgreSQL major
/// version that introduced each: an older server rejects `SET` of them
/// ("unrecognized configuration parameter"), and the restore fails at its
/// first lines. From the release notes and pg_dump's `setup_connection` /
/// `_doSetFixedOutputState`: `transaction_timeout` (pg_dump 17), and before
/// that `default_table_access_method` (12), `idle_in_transaction_session_timeout`
/// (9.6), `row_security` (9.5). Leaving such a line out changes nothing: each
/// sets the server's default for the session.
pub const NEWER_SETTINGS: [(&str, u32); 4] = [
    ("transaction_timeout", 17),
    ("default_table_access_method", 12),
    ("idle_in_transaction_session_timeout", 10),
    ("row_security", 10),
];

/// Guard 5: what a newer pg_dump writes and an older target rejects is left
/// out, with a note (as `\restrict` is for an old psql); other skew is a
/// warning.
fn version_guard(summary: &Summary, manifest: Option<&Manifest>, facts: &TargetFacts, plan: &mut RestorePlan) {
    let target = facts.server_version_num / 10000;
    let from = manifest.and_then(|m| m.source.server_version.clone()).or(summary.dump.dumped_from.clone());
    let by = manifest.and_then(|m| m.source.pg_dump_version.clone()).or(summary.dump.dumped_by.clone());
    let by_major = by.as_deref().and_then(major);
    for (setting, since) in NEWER_SETTINGS {
        if target < since {
            plan.filter.unknown_settings.insert(setting.to_string());
            if by_major.is_none_or(|m| m >= since) {
                plan.notes.push(format!(
                    "SET {setting} left out: PostgreSQL {} does not know it (pg_dump {since} and later write it; the server's default applies)",
                    facts.server_version
                ));
            }
        }
    }
    if target < 18 {
        plan.filter.drop_statistics = true;
        if by_major.is_none_or(|m| m >= 18) {
            plan.notes.push(format!(
                "planner statistics (pg_restore_relation_stats, pg_restore_attribute_stats) left out: PostgreSQL {} lacks them; run ANALYZE after the restore",
                facts.server_version
            ));
        }
    }
    for (what, v) in [("server", from), ("pg_dump", by)] {
        if let Some(v) = v
            && let Some(m) = major(&v)
            && m > target
        {
            plan.warnings.push(format!(
                "the dump comes from {what} {v}, newer than the target's PostgreSQL {}; newer syntax may fail",
                facts.server_version
            ));
        }
    }
}

#[path = "plan_target.rs"]
mod target;
use target::{capacity_guard, conflict_guard, create_privilege_guard, owner_guard};

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
