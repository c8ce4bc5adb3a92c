//! Human and JSON renderings of library results.

use std::fmt::Write as _;

use pgbag::package::format::{count, plural};
use pgbag::package::{Finding, Report, Severity};

pub fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("reports always serialize");
    s.push('\n');
    s
}

/// One finding: `error[code] path:line: message`, and its hint.
pub fn finding_line(t: &mut String, f: &Finding) {
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

/// `2 errors, 1 warning`.
pub fn tally(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    format!("{}, {}", count(n(Severity::Error), "error"), count(n(Severity::Warning), "warning"))
}

/// What a group of checks of `not_checked` is, in words.
fn check_group(name: &str) -> &str {
    match name {
        "archive" => "tar safety",
        "stored" => "the SHA-256 recorded in S3 metadata",
        "bagit" => "BagIt manifests and checksums",
        "pgbag-files" => "pgbag/manifest.json and schema.json",
        "dump" => "the dump's integrity",
        "sql" => "SQL hazards",
        other => other,
    }
}

pub fn validation(what: &str, r: &Report) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}", r.headline);
    if r.input == Some("dump") {
        // `stored` is in the JSON for completeness; no dump has it to check.
        let groups: Vec<&str> = r.not_checked.iter().filter(|g| **g != "stored").map(|g| check_group(g)).collect();
        let _ = writeln!(t, "  not checked: {} (a bare dump has none of these)", groups.join(", "));
    }
    for f in &r.findings {
        finding_line(&mut t, f);
    }
    let verdict = if r.valid { "valid" } else { "INVALID" };
    let warnings = r.findings.iter().filter(|f| f.severity == Severity::Warning).count();
    let _ = match r.valid {
        true => writeln!(t, "{what}: {verdict} ({})", count(warnings, "warning")),
        false => writeln!(t, "{what}: {verdict} ({})", tally(&r.findings)),
    };
    if let Some(sha) = &r.sha256 {
        let file = if r.input == Some("dump") { "the dump file" } else { "the package file" };
        let _ = writeln!(t, "  sha256 {sha} ({file}, as sha256sum gives it)");
    }
    t
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
        let _ = writeln!(t, "\n{}: {} checked, {bad} mismatched", plural(kind), rows.len());
        let width = rows.iter().map(|c| width(&c.object)).max().unwrap_or(0).min(50);
        for c in rows {
            let mark = if c.ok { "ok  " } else { "FAIL" };
            if kind == "table" {
                let _ =
                    writeln!(t, "  {mark} {} expected {:>14}  found {}", pad(&c.object, width), c.expected, c.found);
            } else if !c.ok {
                let _ = writeln!(t, "  {mark} {} {}", pad(&c.object, width), c.found);
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
            format!("FAIL: {}", count(failed, "mismatch"))
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

/// How many columns `s` takes on a terminal (wide CJK characters take two).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `width` columns; a longer `s` is left as it is.
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(self::width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_columns_not_bytes() {
        assert_eq!(pad("café", 6), "café  ");
        assert_eq!(pad("名前", 6), "名前  ");
        assert_eq!(pad("toolong", 3), "toolong");
    }
}
