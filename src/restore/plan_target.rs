//! Guards over what the restoring role may do on this target, and over the
//! objects the target already has: pure functions of the summary and the
//! facts, like the others in [`super`].

use std::collections::BTreeSet;

use super::{Guard, LISTED, RestoreOptions, RestorePlan, refuse};
use crate::restore::facts::{ExistingObject, TargetFacts};
use crate::schema::{Summary, quote_ident};

/// `list` joined with `, `, the first [`LISTED`] and then a count.
fn listed<T: AsRef<str>>(list: &[T]) -> String {
    let shown: Vec<&str> = list.iter().take(LISTED).map(AsRef::as_ref).collect();
    let more = if list.len() > LISTED { format!(", and {} more", list.len() - LISTED) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

/// The schemas the dump creates: those it uses, but not `public`, the
/// system's, or one its extensions go into (a dump does not create
/// `heroku_ext`).
fn created_schemas(summary: &Summary) -> BTreeSet<&str> {
    let ext: BTreeSet<&str> = summary.extensions.iter().filter_map(|e| e.schema.as_deref()).collect();
    summary
        .schemas
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "public" && *s != "information_schema" && !s.starts_with("pg_") && !ext.contains(s))
        .collect()
}

/// Whether the dump creates an object of that kind and name.
fn dump_creates(summary: &Summary, o: &ExistingObject) -> bool {
    let is = |schema: &Option<String>, name: &str| schema.as_deref() == Some(o.schema.as_str()) && name == o.name;
    match o.kind.as_str() {
        "table" | "foreign table" => summary.tables.iter().any(|t| is(&t.schema, &t.name)),
        "view" => summary.views.iter().any(|v| is(&v.schema, &v.name)),
        "materialized view" => summary.materialized_views.iter().any(|v| is(&v.schema, &v.name)),
        "sequence" => summary.sequences.iter().any(|s| is(&s.schema, &s.name)),
        // By name: every overload of a routine the dump creates is
        // yesterday's version of it.
        "function" | "procedure" | "aggregate" => summary.functions.iter().any(|f| is(&f.schema, &f.name)),
        "type" | "domain" => summary.types.iter().any(|t| is(&t.schema, &t.name)),
        "schema" => created_schemas(summary).contains(o.name.as_str()),
        _ => false,
    }
}

fn describe(o: &ExistingObject) -> String {
    match o.kind.as_str() {
        "schema" => format!("schema {}", quote_ident(&o.name)),
        k => format!("{k} {}.{}", quote_ident(&o.schema), quote_ident(&o.name)),
    }
}

/// Objects the dump creates that the target already has. A dump made
/// without `--clean` then fails at the first of them ("already exists",
/// issue 12 failure 4): refused, fix `--clean`. When they will be dropped
/// (by the `--clean` dump's own `DROP … IF EXISTS`, or by `restore
/// --clean`), the restoring role must be able to drop each, and nothing
/// the restore does not drop may depend on one: the drops never cascade.
pub(super) fn conflict_guard(summary: &Summary, facts: &TargetFacts, opts: &RestoreOptions, plan: &mut RestorePlan) {
    if opts.create || opts.data_only {
        return;
    }
    let db = &facts.database;
    let selected = |o: &ExistingObject| match &plan.filter.selection {
        None => true,
        Some(sel) => {
            let qualified = format!("{}.{}", quote_ident(&o.schema), quote_ident(&o.name));
            sel.schemas.contains(&o.schema)
                || sel.tables.contains(&(o.schema.clone(), o.name.clone()))
                || sel.needed.contains(&qualified)
                || (o.kind == "sequence"
                    && summary.sequences.iter().any(|s| {
                        s.schema.as_deref() == Some(o.schema.as_str())
                            && s.name == o.name
                            && s.owned_by.as_deref().is_some_and(|t| {
                                sel.tables
                                    .iter()
                                    .any(|(ts, tn)| t.starts_with(&format!("{}.{}.", quote_ident(ts), quote_ident(tn))))
                            })
                    }))
        }
    };
    let clash: Vec<&ExistingObject> =
        facts.existing.iter().filter(|o| dump_creates(summary, o) && selected(o)).collect();
    if clash.is_empty() {
        if opts.clean {
            plan.notes.push(format!("--clean: database {db} has none of the dump's objects, so nothing is dropped"));
        }
        return;
    }
    let names: Vec<String> = clash.iter().map(|o| describe(o)).collect();
    let dropped_by_dump = summary.dump.drops_objects;
    let keys: BTreeSet<&str> = clash.iter().map(|o| o.key.as_str()).collect();
    let not_mine: Vec<String> = clash.iter().filter(|o| !o.mine).map(|o| describe(o)).collect();
    // A dependent of a kind the facts do not list (an operator, a cast)
    // may be the dump's own: a --clean dump drops it first, in pg_dump's
    // order. restore --clean drops only what the facts list.
    let known: BTreeSet<&str> = facts.existing.iter().map(|o| o.key.as_str()).collect();
    let mut blockers: Vec<String> = Vec::new();
    for o in &clash {
        let blocking = |key: &str| !keys.contains(key) && (known.contains(key) || !dropped_by_dump);
        for d in o.dependents.iter().filter(|d| blocking(&d.key)) {
            blockers.push(format!("{} depends on {}", d.describe, describe(o)));
        }
    }
    blockers.sort();
    blockers.dedup();
    // restore --clean drops relations, routines, types and schemas only:
    // an operator or collation the target has may be one the dump creates.
    let undroppable: &[String] = if dropped_by_dump { &[] } else { &facts.other_objects };
    let droppable = not_mine.is_empty() && blockers.is_empty() && undroppable.is_empty();
    if !dropped_by_dump && !opts.clean {
        let r = refuse(
            plan,
            Guard::Conflict,
            format!("{} object(s) in database {db}", clash.len()),
            format!(
                "the dump creates {} object(s) that database {db} already has, and was made without pg_dump --clean, so the restore would fail at the first (\"already exists\"): {}",
                clash.len(),
                listed(&names)
            ),
            if droppable {
                "pass --clean to drop them first, in the restore's own transaction (nothing else is dropped), or restore next to it with --create and a new database name".to_string()
            } else {
                "restore next to it with --create and a new database name: --clean could not drop them (see the refusals below)".to_string()
            },
        );
        if droppable {
            r.args(["--clean"]);
        }
    }
    let by = if dropped_by_dump { "the dump drops (pg_dump --clean)" } else { "--clean drops" };
    if !not_mine.is_empty() && (dropped_by_dump || opts.clean || !droppable) {
        refuse(
            plan,
            Guard::Privileges,
            format!("{} object(s) owned by others", not_mine.len()),
            format!(
                "{} may not drop objects that {by} before it recreates them, since another role owns them (\"must be owner of …\"): {}",
                facts.current_user,
                listed(&not_mine)
            ),
            "restore as their owner (or a member of it), or next to it with --create and a new database name",
        );
    }
    if !blockers.is_empty() && (dropped_by_dump || opts.clean || !droppable) {
        refuse(
            plan,
            Guard::Conflict,
            format!("{} dependent object(s)", blockers.len()),
            format!(
                "objects the dump does not create depend on objects {by}; the drop would fail, since pgbag never drops with CASCADE: {}",
                listed(&blockers)
            ),
            "drop those dependents yourself first if you no longer need them, or restore next to it with --create and a new database name",
        );
    }
    if !undroppable.is_empty() {
        refuse(
            plan,
            Guard::Conflict,
            format!("{} object(s) --clean cannot drop", undroppable.len()),
            format!(
                "database {db} has objects of kinds that --clean does not drop, and the dump may create them too (it would fail: \"already exists\"): {}",
                listed(undroppable)
            ),
            "restore next to it with --create and a new database name, or drop those objects yourself first",
        );
    }
    if !droppable {
        return;
    }
    if dropped_by_dump {
        if opts.clean {
            plan.notes.push("--clean: the dump drops its own objects (pg_dump --clean), so pgbag adds no drops".into());
        }
        plan.notes.push(format!(
            "the dump drops {} object(s) of database {db} before it recreates them: {}",
            clash.len(),
            listed(&names)
        ));
        return;
    }
    plan.filter.clean_first = clean_statements(&clash);
    plan.notes.push(format!(
        "--clean: {} object(s) of database {db} that the dump creates are dropped first, in the restore's transaction (their data goes with them): {}",
        clash.len(),
        listed(&names)
    ));
    if !plan.single_transaction {
        plan.warnings.push(
            "--clean with --no-single-transaction: the drops commit at once, so a failure later leaves the objects dropped and the dump part restored"
                .into(),
        );
    }
}

/// The `DROP … IF EXISTS` statements of `restore --clean`, one per kind, in
/// an order that drops dependents first: views over tables, tables whose
/// columns use sequences, routines and types, aggregates over their
/// functions, routines over the types of their arguments, schemas last.
fn clean_statements(clash: &[&ExistingObject]) -> Vec<String> {
    const ORDER: [(&str, &str); 9] = [
        ("materialized view", "MATERIALIZED VIEW"),
        ("view", "VIEW"),
        ("table", "TABLE"),
        ("foreign table", "FOREIGN TABLE"),
        ("sequence", "SEQUENCE"),
        ("aggregate", "AGGREGATE"),
        ("function", "ROUTINE"),
        ("procedure", "ROUTINE"),
        ("type", "TYPE"),
    ];
    let name = |o: &ExistingObject| match o.kind.as_str() {
        "schema" => quote_ident(&o.name),
        "aggregate" if o.arguments.is_empty() => format!("{}.{}(*)", quote_ident(&o.schema), quote_ident(&o.name)),
        "function" | "procedure" | "aggregate" => {
            format!("{}.{}({})", quote_ident(&o.schema), quote_ident(&o.name), o.arguments)
        }
        _ => format!("{}.{}", quote_ident(&o.schema), quote_ident(&o.name)),
    };
    let mut out = Vec::new();
    let mut group = |kinds: &[&str], keyword: &str| {
        let names: Vec<String> = clash.iter().filter(|o| kinds.contains(&o.kind.as_str())).map(|o| name(o)).collect();
        if !names.is_empty() {
            out.push(format!("DROP {keyword} IF EXISTS {};", names.join(", ")));
        }
    };
    for (kind, keyword) in ORDER {
        match kind {
            "function" => group(&["function", "procedure"], keyword),
            "procedure" => {}
            // A domain drops with DROP TYPE too.
            "type" => group(&["type", "domain"], keyword),
            _ => group(&[kind], keyword),
        }
    }
    group(&["schema"], "SCHEMA");
    out
}

/// `ALTER … OWNER TO` a role the restoring role cannot become fails ("must
/// be member of role"; issue 12 failure 5, the Heroku situation). Roles
/// missing from the target are the roles guard's.
pub(super) fn owner_guard(summary: &Summary, facts: &TargetFacts, opts: &RestoreOptions, plan: &mut RestorePlan) {
    if opts.no_owner || facts.is_superuser {
        return;
    }
    let mut owners: BTreeSet<&str> = summary.owners.iter().map(String::as_str).collect();
    if owners.is_empty() {
        // Summaries written before `owners` was recorded.
        owners.extend(
            summary
                .tables
                .iter()
                .filter_map(|t| t.owner.as_deref())
                .chain(summary.views.iter().chain(&summary.materialized_views).filter_map(|v| v.owner.as_deref())),
        );
    }
    let cannot: Vec<&str> = owners
        .into_iter()
        .filter(|o| facts.roles.iter().any(|r| r == o) && !facts.member_of.iter().any(|m| m == o))
        .collect();
    if cannot.is_empty() {
        return;
    }
    refuse(
        plan,
        Guard::Privileges,
        format!("OWNER TO {}", cannot.join(", ")),
        format!(
            "the dump makes {} owner of its objects (ALTER … OWNER TO), and {} is neither a superuser nor a member of {}, so the server refuses (\"must be member of role\")",
            cannot.join(", "),
            facts.current_user,
            if cannot.len() == 1 { "it" } else { "them" }
        ),
        format!(
            "pass --no-owner to leave ownership out (the objects then belong to {}), or have a superuser GRANT {} TO {}",
            facts.current_user,
            cannot.iter().map(|r| quote_ident(r)).collect::<Vec<_>>().join(", "),
            quote_ident(&facts.current_user)
        ),
    )
    .args(["--no-owner"]);
}

/// Creating needs `CREATE` on the database (for the dump's schemas) and on
/// each existing schema the dump's objects go into, and C-language routines
/// need a superuser. With `--create` the restoring role owns the new
/// database and its `public` schema.
pub(super) fn create_privilege_guard(
    summary: &Summary,
    facts: &TargetFacts,
    opts: &RestoreOptions,
    plan: &mut RestorePlan,
) {
    if facts.is_superuser {
        return;
    }
    let user = &facts.current_user;
    if !opts.create && !opts.data_only {
        let existing: BTreeSet<&str> =
            facts.existing.iter().filter(|o| o.kind == "schema").map(|o| o.name.as_str()).collect();
        let created = created_schemas(summary);
        let new_schemas: Vec<&str> = created.iter().copied().filter(|s| !existing.contains(s)).collect();
        if !new_schemas.is_empty() && !facts.can_create_schema {
            refuse(
                plan,
                Guard::Privileges,
                format!("database {}", facts.database),
                format!(
                    "the dump creates schemas ({}) and {user} may not create schemas in database {} (no CREATE on it)",
                    new_schemas.join(", "),
                    facts.database
                ),
                format!(
                    "have the database's owner run GRANT CREATE ON DATABASE {} TO {}, or restore into a database you own",
                    quote_ident(&facts.database),
                    quote_ident(user)
                ),
            );
        }
        // Schemas the dump does not create but puts objects into.
        let used: BTreeSet<&str> = summary
            .tables
            .iter()
            .filter_map(|t| t.schema.as_deref())
            .chain(summary.views.iter().chain(&summary.materialized_views).filter_map(|v| v.schema.as_deref()))
            .chain(summary.functions.iter().filter_map(|f| f.schema.as_deref()))
            .chain(summary.types.iter().filter_map(|t| t.schema.as_deref()))
            .chain(summary.sequences.iter().filter_map(|s| s.schema.as_deref()))
            .filter(|s| !created.contains(s))
            .collect();
        let denied: Vec<&str> = used.into_iter().filter(|s| !facts.creatable_schemas.iter().any(|c| c == s)).collect();
        if !denied.is_empty() {
            refuse(
                plan,
                Guard::Privileges,
                format!("schema {}", denied.join(", ")),
                format!(
                    "the dump creates objects in schema {} of database {}, where {user} may not create (no CREATE on the schema, or it does not exist)",
                    denied.join(", "),
                    facts.database
                ),
                format!(
                    "have the schema's owner run GRANT CREATE ON SCHEMA {} TO {}, or restore into a new database with --create",
                    denied.iter().map(|s| quote_ident(s)).collect::<Vec<_>>().join(", "),
                    quote_ident(user)
                ),
            );
        }
    }
    if !summary.superuser_only.is_empty() && !opts.data_only {
        refuse(
            plan,
            Guard::Privileges,
            format!("{} statement(s) only a superuser may run", summary.superuser_only.len()),
            format!("{user} is not a superuser, and the dump holds: {}", listed(&summary.superuser_only)),
            "restore as a superuser, or have one create those objects first and restore the rest with --schema or --table",
        );
    }
    let c_routines: Vec<String> = summary
        .functions
        .iter()
        .filter(|f| f.language.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("c") || l == "internal"))
        .map(|f| format!("{}.{}", quote_ident(f.schema.as_deref().unwrap_or("public")), quote_ident(&f.name)))
        .collect();
    if !c_routines.is_empty() && !opts.data_only {
        refuse(
            plan,
            Guard::Privileges,
            format!("{} C-language function(s)", c_routines.len()),
            format!(
                "only a superuser may create functions in language C or internal, and {user} is not one: {}",
                listed(&c_routines)
            ),
            "restore as a superuser, or have one install the extension or library these functions come from first",
        );
    }
}

/// One transaction holds a lock on every relation it creates or drops, and
/// the server's lock table is shared and fixed in size: a dump of very many
/// tables fails as one transaction ("out of shared memory", "You might need
/// to increase max_locks_per_transaction"). Refused before it starts.
pub(super) fn capacity_guard(summary: &Summary, opts: &RestoreOptions, facts: &TargetFacts, plan: &mut RestorePlan) {
    if !plan.single_transaction || facts.lock_capacity == 0 {
        return;
    }
    // One lock per relation (the shared lock table also has some slack
    // beyond its nominal size, so this errs on the side of going ahead).
    let created = summary.tables.len() as u64
        + summary.indexes.len() as u64
        + summary.sequences.len() as u64
        + summary.views.len() as u64
        + summary.materialized_views.len() as u64;
    let dropping = summary.dump.drops_objects || opts.clean;
    let needed = if dropping && !opts.create { created * 2 } else { created };
    if needed <= facts.lock_capacity {
        return;
    }
    refuse(
        plan,
        Guard::Capacity,
        format!("{} relations", summary.tables.len() + summary.indexes.len() + summary.sequences.len()),
        format!(
            "restored as one transaction, the dump needs about {needed} locks, and the server's lock table holds {} (max_locks_per_transaction × (max_connections + max_prepared_transactions)); it would fail with \"out of shared memory\"",
            facts.lock_capacity
        ),
        "raise max_locks_per_transaction on the server (a restart), or pass --no-single-transaction to restore statement by statement (a failure then leaves the target part restored)",
    )
    .args(["--no-single-transaction"]);
}
