//! `pgbag inspect`: what a package or a bare dump holds, and its text form.

use std::fmt::Write as _;

use clap::Args;

use pgbag::package::InspectReport;
use pgbag::package::format::{count, human_size};
use pgbag::schema::{QualifiedName, Table, quote_ident};

use super::render::{self, pad, width};
use super::store::S3Args;
use super::{print, progress::Bar};

/// Show what a package (or a bare .sql/.sql.gz/.sql.zst dump) holds.
///
/// For a package only the head is read, so it is instant at any size; use
/// `pgbag validate` to verify checksums. A bare dump is scanned once, and
/// its findings are validate's. Exit 1 when a finding is an error, or when
/// the input is not a dump or a package (an empty file, a pg_dump custom
/// archive, binary data), as validate does.
///
/// Examples:
///   pgbag inspect catalog-20261125T030000Z.tar.zst
///   pgbag inspect --all catalog.tar.zst | less
///   pgbag inspect --json catalog.tar.zst | jq '.tables[] | {name, rows}'
///   pgbag inspect old-backup.sql.gz
///   pgbag inspect s3://backups/catalog/catalog-20261125T030000Z.tar.zst --verbose
///
/// An s3:// package is read with ranged GETs of its first bytes only;
/// --verbose reports how many bytes were fetched.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InspectArgs {
    /// Package file, bag directory, SQL dump, or s3://bucket/key
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// Also list each table's columns and keys, and the views, indexes, sequences, types, functions, policies and triggers
    #[arg(short, long)]
    pub all: bool,
    /// Print JSON (spec/inspect.schema.json) instead of text
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr
    #[arg(short, long)]
    pub quiet: bool,
    /// Also report, on stderr, the bytes read (fetched, for s3://)
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: InspectArgs) -> pgbag::Result<u8> {
    let input = a.s3.open(&a.package)?;
    let report = pgbag::package::inspect(&input, &Bar::new(a.quiet || a.json))?;
    if a.verbose {
        match input.path() {
            Some(_) => eprintln!("pgbag: {} is {} bytes; read from local disk", a.package, input.len()),
            None => eprintln!(
                "pgbag: fetched {} of {} bytes of {} (ranged GETs of the head)",
                input.bytes_fetched(),
                input.len(),
                a.package
            ),
        }
    }
    if a.json {
        print(&render::json(&report))?;
    } else {
        print(&text(&report, a.all))?;
    }
    Ok(if report.valid { 0 } else { 1 })
}

/// Table names wider than this get a line of their own.
const NAME_WIDTH: usize = 48;

/// The text form: deterministic, the same bytes for the same input.
fn text(r: &InspectReport, all: bool) -> String {
    let mut t = String::new();
    let or = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(t, "{}", r.headline);
    let _ = writeln!(t, "  name             {}", r.name);
    if let Some(v) = r.format_version {
        let _ = writeln!(t, "  format version   {v}, made by pgbag {}", or(&r.pgbag_version));
    }
    if let Some(c) = &r.created_at {
        let _ = writeln!(t, "  created          {c}");
    }
    let _ = writeln!(t, "  source database  {}", or(&r.source.database));
    let _ = writeln!(t, "  server version   {}", or(&r.source.server_version));
    let _ = writeln!(t, "  pg_dump version  {}", or(&r.source.pg_dump_version));
    if !r.source.pg_dump_options.is_empty() {
        let _ = writeln!(t, "  pg_dump options  {}", r.source.pg_dump_options.join(" "));
    }
    let _ = writeln!(
        t,
        "  size             {} on disk{}",
        human_size(r.file_bytes),
        match r.compression.as_deref() {
            Some("none") => " (uncompressed)".to_string(),
            Some(c) => format!(" ({c})"),
            None => String::new(),
        }
    );
    for p in &r.payload {
        let _ = writeln!(t, "  payload          {} {} sha256:{}", p.path, human_size(p.bytes), p.sha256);
    }
    let _ = writeln!(
        t,
        "  dump             {}{}",
        if r.dump.complete { "complete" } else { "INCOMPLETE (no completion footer)" },
        if r.dump.restrict { ", \\restrict-protected" } else { "" }
    );
    let c = &r.counts;
    let holds = [
        count(c.tables, "table"),
        count(c.rows, "row"),
        count(c.views, "view"),
        count(c.materialized_views, "materialized view"),
        count(c.functions, "function"),
        count(c.indexes, "index"),
        count(c.large_objects, "large object"),
    ];
    let _ = writeln!(t, "  holds            {}", holds.join(", "));
    if let Some(info) = r.bag_info.as_ref().filter(|i| !i.is_empty()) {
        let _ = writeln!(t, "\nBag info:");
        let w = info.iter().map(|f| width(&f.label)).max().unwrap_or(0);
        for f in info {
            let _ = writeln!(t, "  {}  {}", pad(&f.label, w), one_line(&f.value));
        }
    }
    if !r.extensions.is_empty() {
        let _ = writeln!(t, "\nExtensions:");
        for e in &r.extensions {
            let _ = writeln!(t, "  {} schema {} {}", pad(&e.name, 20), pad(&or(&e.schema), 12), or(&e.version));
        }
    }
    if !r.roles.is_empty() {
        let _ = writeln!(t, "\nRoles named (owners, grantees): {}", r.roles.join(", "));
    }
    tables(&mut t, r, all);
    if all {
        objects(&mut t, r);
    }
    if !r.meta_commands.is_empty() {
        let cmds: Vec<String> = r.meta_commands.iter().map(|m| format!("\\{} (line {})", m.command, m.line)).collect();
        let _ = writeln!(t, "\npsql meta-commands: {}", cmds.join(", "));
    }
    if !r.findings.is_empty() {
        let _ = writeln!(t, "\nFindings ({}):", render::tally(&r.findings));
        for f in &r.findings {
            render::finding_line(&mut t, f);
        }
    }
    t
}

/// The tables, one line each (a name wider than [`NAME_WIDTH`] on a line of
/// its own, so the figures stay in their columns); with `all`, their
/// columns and keys below each.
fn tables(t: &mut String, r: &InspectReport, all: bool) {
    if r.tables.is_empty() {
        return;
    }
    let _ = writeln!(t, "\nTables:");
    let w = r.tables.iter().map(|tb| width(&qualified(tb))).filter(|&w| w <= NAME_WIDTH).max().unwrap_or(0);
    for tb in &r.tables {
        let name = qualified(tb);
        let comment = tb.comment.as_deref().map(|c| format!("  {}", one_line(c))).unwrap_or_default();
        let figures = format!("{:>12} rows {:>10}{comment}", tb.rows, human_size(tb.bytes));
        if width(&name) > w {
            let _ = writeln!(t, "  {name}\n  {} {figures}", pad("", w));
        } else {
            let _ = writeln!(t, "  {} {figures}", pad(&name, w));
        }
        if all {
            columns(t, tb);
        }
    }
}

fn columns(t: &mut String, tb: &Table) {
    let w = tb.columns.iter().map(|c| width(&quote_ident(&c.name))).max().unwrap_or(0);
    for c in &tb.columns {
        let mut line = format!("    {} {}", pad(&quote_ident(&c.name), w), c.type_name);
        if c.not_null {
            line.push_str(" not null");
        }
        if let Some(d) = &c.default {
            let _ = write!(line, " default {d}");
        }
        if let Some(i) = &c.identity {
            let _ = write!(line, " generated {i} as identity");
        }
        if let Some(g) = &c.generated {
            let _ = write!(line, " generated always as ({g}) stored");
        }
        if let Some(cm) = &c.comment {
            let _ = write!(line, "  -- {}", one_line(cm));
        }
        let _ = writeln!(t, "{line}");
    }
    let named = |n: &Option<String>| n.as_deref().map(|n| format!(" {}", quote_ident(n))).unwrap_or_default();
    if let Some(pk) = &tb.primary_key {
        let _ = writeln!(t, "    primary key{} ({})", named(&pk.name), idents(&pk.columns));
    }
    for u in &tb.unique {
        let _ = writeln!(t, "    unique{} ({})", named(&u.name), idents(&u.columns));
    }
    for fk in &tb.foreign_keys {
        let _ = writeln!(
            t,
            "    foreign key{} ({}) references {} ({})",
            named(&fk.name),
            idents(&fk.columns),
            fk.references,
            idents(&fk.referenced_columns)
        );
    }
    for ck in &tb.checks {
        let _ = writeln!(t, "    check{} {}", named(&ck.name), ck.expression);
    }
}

/// The other objects of the summary, one section each, for `--all`.
fn objects(t: &mut String, r: &InspectReport) {
    let q = |schema: &Option<String>, name: &str| QualifiedName { schema: schema.clone(), name: name.to_string() };
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(t, "\n{title}:");
            for l in lines {
                let _ = writeln!(t, "  {l}");
            }
        }
    };
    let commented = |s: String, c: &Option<String>| match c {
        Some(c) => format!("{s}  -- {}", one_line(c)),
        None => s,
    };
    section("Views", r.views.iter().map(|v| commented(q(&v.schema, &v.name).to_string(), &v.comment)).collect());
    section(
        "Materialized views",
        r.materialized_views.iter().map(|v| commented(q(&v.schema, &v.name).to_string(), &v.comment)).collect(),
    );
    section(
        "Indexes",
        r.indexes
            .iter()
            .map(|i| {
                let unique = if i.unique { "unique " } else { "" };
                format!(
                    "{} {unique}on {} using {} ({})",
                    q(&i.schema, &i.name),
                    i.table,
                    i.method,
                    i.columns.join(", ")
                )
            })
            .collect(),
    );
    section(
        "Sequences",
        r.sequences
            .iter()
            .map(|s| {
                let mut l = q(&s.schema, &s.name).to_string();
                if let Some(v) = s.last_value {
                    let _ = write!(l, " last value {v}");
                }
                if let Some(o) = &s.owned_by {
                    let _ = write!(l, " owned by {o}");
                }
                l
            })
            .collect(),
    );
    section(
        "Types",
        r.types
            .iter()
            .map(|ty| {
                let detail = match ty.kind.as_str() {
                    "enum" => {
                        let labels: Vec<String> =
                            ty.values.iter().map(|v| format!("'{}'", v.replace('\'', "''"))).collect();
                        format!(" ({})", labels.join(", "))
                    }
                    "domain" => ty.base_type.as_deref().map(|b| format!(" over {b}")).unwrap_or_default(),
                    "composite" => format!(" ({})", ty.attributes.join(", ")),
                    _ => String::new(),
                };
                commented(format!("{} {}{detail}", q(&ty.schema, &ty.name), ty.kind), &ty.comment)
            })
            .collect(),
    );
    section(
        "Functions",
        r.functions
            .iter()
            .map(|f| {
                let returns = f.returns.as_deref().map(|x| format!(" returns {x}")).unwrap_or_default();
                let language = f.language.as_deref().map(|x| format!(" language {x}")).unwrap_or_default();
                let head = format!("{} {}({}){returns}{language}", f.kind, q(&f.schema, &f.name), f.arguments);
                commented(head, &f.comment)
            })
            .collect(),
    );
    section(
        "Policies",
        r.policies
            .iter()
            .map(|p| {
                let to = if p.roles.is_empty() { String::new() } else { format!(" to {}", p.roles.join(", ")) };
                format!("{} on {} for {}{to}", quote_ident(&p.name), p.table, p.command)
            })
            .collect(),
    );
    section(
        "Triggers",
        r.triggers
            .iter()
            .map(|tr| format!("{} on {} executes {}", quote_ident(&tr.name), tr.table, tr.function))
            .collect(),
    );
}

/// The table's name as SQL would spell it (`"Mixed Case"."Tab""le"`).
fn qualified(t: &Table) -> String {
    QualifiedName { schema: t.schema.clone(), name: t.name.clone() }.to_string()
}

/// Column names as SQL spells them, comma-separated.
fn idents(names: &[String]) -> String {
    names.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ")
}

/// A value on one line: newlines and other control characters as spaces.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
