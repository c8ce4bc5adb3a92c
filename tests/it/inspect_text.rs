//! `inspect`'s text output (issue 13): counts with their plurals, bag-info
//! fields, `--all`, columns that stay aligned, and the same bytes every run
//! (snapshots of it are to follow).

use std::fs;

use crate::common::*;

fn inspect(args: &[&str], path: &std::path::Path) -> String {
    let out = pgbag().arg("inspect").args(args).arg(path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_default_is_short_counts_read_as_english_and_bag_info_is_shown() {
    let pkg = repo("samples/packages/good.tar.zst");
    let text = inspect(&[], &pkg);
    assert_eq!(text, inspect(&[], &pkg), "the same package prints the same bytes");
    assert!(
        text.starts_with(&format!("{}: a package (tar, zstd)\n  name             fixture-", pkg.display())),
        "{text}"
    );
    assert!(
        text.contains("holds            12 tables, 1120 rows, 1 view, 1 materialized view, 3 functions, 4 indexes, 1 large object\n"),
        "{text}"
    );
    assert!(text.contains("\nBag info:\n  External-Description   Plain-SQL pg_dump"), "{text}");
    assert!(text.contains("\n  Payload-Oxum           55390.1\n"), "{text}");
    assert!(!text.contains("Functions:") && !text.contains("    id "), "the default lists no columns or functions");
    let v = inspect_json(&pkg);
    assert_eq!(v["valid"], true);
    assert!(v["bag_info"].as_array().unwrap().iter().any(|f| f["label"] == "Payload-Oxum" && f["value"] == "55390.1"));
    assert_eq!(v["views"][0]["name"], "expensive_books");
    assert_eq!(v["functions"].as_array().unwrap().len(), 3);
}

#[test]
fn all_lists_columns_keys_and_every_kind_of_object() {
    let text = inspect(&["--all"], &repo("samples/dumps/fixture.sql"));
    for want in [
        "\n    id    integer not null generated always as identity\n",
        "\n    primary key authors_pkey (id)\n",
        "\n    foreign key books_author_id_fkey (author_id) references public.authors (id)\n",
        "\nViews:\n  public.expensive_books",
        "\nIndexes:\n",
        "\nSequences:\n",
        "\nTypes:\n",
        "\nFunctions:\n  function ",
        "\nPolicies:\n",
        "\nTriggers:\n  authors_audit on public.authors",
    ] {
        assert!(text.contains(want), "--all lacks {want:?}:\n{text}");
    }
}

/// Issue 13: past the name column's width the figures moved right, and
/// `"café"."données"` (two-byte characters) was one column off.
#[test]
fn table_figures_stay_in_their_columns_whatever_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("t_{}", "x".repeat(60));
    let tables: String =
        ["a", "\"café\"", &long].iter().map(|t| format!("CREATE TABLE public.{t} (id integer);\n\n")).collect();
    let dump = format!(
        "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
         SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n{tables}\
         --\n-- PostgreSQL database dump complete\n--\n\n"
    );
    let path = dir.path().join("wide.sql");
    fs::write(&path, dump).unwrap();
    let text = inspect(&[], &path);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" rows ")).collect();
    assert_eq!(rows.len(), 3, "{text}");
    // Characters, not bytes: each of these takes one column.
    let columns: Vec<_> = rows.iter().map(|l| l.find(" rows ").map(|b| l[..b].chars().count())).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "the rows column moved: {columns:?}\n{text}");
    assert!(text.contains(&format!("\n  public.{long}\n")), "a long name gets its own line:\n{text}");
}
