//! Human and JSON renderings of library results.

use std::fmt::Write as _;

use pgbag::package::format::human_size;
use pgbag::package::{Finding, InspectReport, Report, Severity};

pub fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("reports always serialize");
    s.push('\n');
    s
}

fn finding_line(t: &mut String, f: &Finding) {
    let sev = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let loc = match (&f.path, f.line) {
        (Some(p), Some(l)) => format!(" {p}:{l}"),
        (Some(p), None) => format!(" {p}"),
        _ => String::new(),
    };
    let _ = writeln!(t, "{sev}[{}]{loc}: {}", f.code, f.message);
    if let Some(h) = &f.hint {
        let _ = writeln!(t, "  hint: {h}");
    }
}

pub fn validation(what: &str, r: &Report) -> String {
    let mut t = String::new();
    for f in &r.findings {
        finding_line(&mut t, f);
    }
    let errors = r.findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = r.findings.iter().filter(|f| f.severity == Severity::Warning).count();
    if r.valid {
        let _ = writeln!(t, "{what}: valid ({warnings} warnings)");
    } else {
        let _ = writeln!(t, "{what}: INVALID ({errors} errors, {warnings} warnings)");
    }
    if let Some(sha) = &r.sha256 {
        let _ = writeln!(t, "  sha256 {sha} (the package file, as sha256sum gives it)");
    }
    t
}

pub fn inspect(r: &InspectReport) -> String {
    let mut t = String::new();
    let or = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(t, "{} ({})", r.name, r.input);
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
        r.compression.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
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
    let _ = writeln!(
        t,
        "  holds            {} tables, {} rows, {} views, {} materialized views, {} functions, {} indexes, {} large objects",
        c.tables, c.rows, c.views, c.materialized_views, c.functions, c.indexes, c.large_objects
    );
    if !r.extensions.is_empty() {
        let _ = writeln!(t, "\nExtensions:");
        for e in &r.extensions {
            let _ = writeln!(t, "  {:<20} schema {:<12} {}", e.name, or(&e.schema), or(&e.version));
        }
    }
    if !r.roles.is_empty() {
        let _ = writeln!(t, "\nRoles named (owners, grantees): {}", r.roles.join(", "));
    }
    if !r.tables.is_empty() {
        let _ = writeln!(t, "\nTables:");
        let width = r.tables.iter().map(|tb| qualified(tb).len()).max().unwrap_or(0).min(48);
        for tb in &r.tables {
            let comment = tb.comment.as_deref().map(|c| format!("  {}", c.replace('\n', " "))).unwrap_or_default();
            let _ =
                writeln!(t, "  {:<width$} {:>12} rows {:>10}{comment}", qualified(tb), tb.rows, human_size(tb.bytes));
        }
    }
    if !r.meta_commands.is_empty() {
        let cmds: Vec<String> = r.meta_commands.iter().map(|m| format!("\\{} (line {})", m.command, m.line)).collect();
        let _ = writeln!(t, "\npsql meta-commands: {}", cmds.join(", "));
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(t, "\nWarnings:");
        for f in &r.warnings {
            finding_line(&mut t, f);
        }
    }
    t
}

/// The table's name as SQL would spell it (`"Mixed Case"."Tab""le"`).
fn qualified(t: &pgbag::schema::Table) -> String {
    pgbag::schema::QualifiedName { schema: t.schema.clone(), name: t.name.clone() }.to_string()
}

pub fn plan(p: &pgbag::restore::RestorePlan) -> String {
    let mut t = String::new();
    let f = &p.target;
    let _ = writeln!(
        t,
        "Restore plan for database {}{} on PostgreSQL {} as {}{}",
        p.target_database,
        if p.create { " (to be created)" } else { "" },
        f.server_version,
        f.current_user,
        if f.is_superuser { " (superuser)" } else { "" }
    );
    let _ = writeln!(
        t,
        "  transaction: {}",
        if p.single_transaction { "single (all or nothing)" } else { "per statement" }
    );
    if let Some(c) = &p.psql {
        let _ = writeln!(t, "  psql: {} ({}), {}", c.version, c.path.display(), c.reason);
    }
    for r in &p.refusals {
        let _ = writeln!(t, "REFUSED [{}] {}: {}\n  fix: {}", r.guard, r.object, r.reason, r.fix);
        if !r.fix_args.is_empty() {
            let args: Vec<String> = r.fix_args.iter().map(|a| shell_word(a)).collect();
            let _ = writeln!(t, "  add: `{}`", args.join(" "));
        }
    }
    for w in &p.warnings {
        let _ = writeln!(t, "warning: {w}");
    }
    for n in &p.notes {
        let _ = writeln!(t, "note: {n}");
    }
    if p.filter.no_owner {
        let _ = writeln!(t, "note: ALTER ... OWNER TO statements are left out (--no-owner)");
    }
    if p.filter.no_privileges {
        let _ = writeln!(t, "note: GRANT/REVOKE statements are left out (--no-privileges)");
    }
    let _ = writeln!(
        t,
        "{}",
        if p.refused() { "Nothing will be changed." } else { "Ready: nothing else is changed on the way to psql." }
    );
    t
}

pub fn drill(r: &pgbag::restore::drill::DrillReport) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "Drill in {} on {}{}", r.database, r.server, if r.kept { " (kept)" } else { " (dropped)" });
    for n in &r.notes {
        let _ = writeln!(t, "note: {n}");
    }
    let mut kinds: Vec<&str> = r.checks.iter().map(|c| c.kind.as_str()).collect();
    kinds.dedup();
    for kind in kinds {
        let rows: Vec<_> = r.checks.iter().filter(|c| c.kind == kind).collect();
        let bad = rows.iter().filter(|c| !c.ok).count();
        let plural = if kind.ends_with('x') { format!("{kind}es") } else { format!("{kind}s") };
        let _ = writeln!(t, "\n{plural}: {} checked, {bad} mismatched", rows.len());
        let width = rows.iter().map(|c| c.object.len()).max().unwrap_or(0).min(50);
        for c in rows {
            let mark = if c.ok { "ok  " } else { "FAIL" };
            if kind == "table" {
                let _ = writeln!(t, "  {mark} {:<width$} expected {:>14}  found {}", c.object, c.expected, c.found);
            } else if !c.ok {
                let _ = writeln!(t, "  {mark} {:<width$} {}", c.object, c.found);
            }
        }
    }
    let failed = r.checks.iter().filter(|c| !c.ok).count();
    let _ = writeln!(
        t,
        "\n{}",
        if r.passed {
            "PASS: the package restores and matches its summary".to_string()
        } else {
            format!("FAIL: {failed} mismatches")
        }
    );
    t
}

/// `arg` as a POSIX shell word: as is when it holds only characters no
/// shell treats specially, else in single quotes.
fn shell_word(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_=.,:/@%+".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}
