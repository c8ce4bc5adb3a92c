//! Content digests (spec/content-digest.md): what pack records in
//! schema.json and validate re-derives, checked against an independent
//! implementation (Python's hashlib and big integers), with row order,
//! one changed value and packages made before digests.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

/// `schema.name` → digest (or null) of a bag directory's schema.json.
fn recorded(bag: &Path) -> BTreeMap<String, Value> {
    let v: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/schema.json")).unwrap()).unwrap();
    v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (format!("{}.{}", t["schema"].as_str().unwrap_or("-"), t["name"].as_str().unwrap()), t["digest"].clone())
        })
        .collect()
}

/// The digests of every COPY block's rows in `dump`, by the block's table
/// name as the COPY line writes it, computed by Python.
fn python_digests(dump: &Path) -> BTreeMap<String, String> {
    const SCRIPT: &str = r#"
import hashlib, json, re, sys
sums = {}
table = None
for line in open(sys.argv[1], 'rb').read().split(b'\n'):
    if table is None:
        m = re.match(rb'COPY (.+?) (\(.*\) )?FROM stdin;$', line)
        if m:
            table = m.group(1).decode()
            sums.setdefault(table, 0)
    elif line == b'\\.':
        table = None
    else:
        h = int.from_bytes(hashlib.sha256(line).digest(), 'big')
        sums[table] = (sums[table] + h) % (1 << 256)
print(json.dumps({t: format(s, '064x') for t, s in sums.items()}))
"#;
    let out = Command::new("python3").arg("-c").arg(SCRIPT).arg(dump).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The identifier as a COPY line writes it: quoted when needed.
fn copy_name(key: &str, bag: &Path) -> String {
    let v: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/schema.json")).unwrap()).unwrap();
    let t = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| format!("{}.{}", t["schema"].as_str().unwrap_or("-"), t["name"].as_str().unwrap()) == key)
        .unwrap();
    let q = |s: &str| {
        if s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            s.to_string()
        } else {
            format!("\"{}\"", s.replace('"', "\"\""))
        }
    };
    format!("{}.{}", q(t["schema"].as_str().unwrap()), q(t["name"].as_str().unwrap()))
}

#[test]
fn every_table_digest_is_the_sum_of_its_rows_sha256_as_python_computes_it() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    let ours = recorded(&bag);
    let theirs = python_digests(&fixture_dump());
    assert!(theirs.len() >= 10, "the fixture has COPY blocks: {theirs:?}");
    for (key, digest) in &ours {
        let name = copy_name(key, &bag);
        let expected = theirs.get(&name).cloned().unwrap_or_else(|| "0".repeat(64)); // no data: no rows
        assert_eq!(digest.as_str(), Some(expected.as_str()), "table {key} (COPY {name})");
    }
    assert_eq!(validate(&bag).0, 0);
}

#[test]
fn row_order_does_not_change_a_digest_and_one_changed_value_changes_only_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let dump = fs::read_to_string(fixture_dump()).unwrap();
    fs::create_dir_all(dir.path().join("a")).unwrap();
    let original = recorded(&pack_sql(&fixture_dump(), &dir.path().join("a"), &["--dir"]));

    // public.books' rows in reverse order.
    let start = dump.find("COPY public.books ").unwrap();
    let body = start + dump[start..].find('\n').unwrap() + 1;
    let end = body + dump[body..].find("\\.\n").unwrap();
    let mut rows: Vec<&str> = dump[body..end].lines().collect();
    assert!(rows.len() > 100);
    rows.reverse();
    let reversed = format!("{}{}\n{}", &dump[..body], rows.join("\n"), &dump[end..]);
    let path = dir.path().join("reversed.sql");
    fs::write(&path, &reversed).unwrap();
    fs::create_dir_all(dir.path().join("b")).unwrap();
    let shuffled = recorded(&pack_sql(&path, &dir.path().join("b"), &["--dir"]));
    assert_eq!(shuffled, original, "reordering rows changed a digest");

    // One character of one row changed, same length and row count.
    let row = rows[7];
    let changed_row: String = row
        .char_indices()
        .map(|(i, c)| if i == row.len() - 1 { if c == '0' { '1' } else { '0' } } else { c })
        .collect();
    assert_ne!(row, changed_row);
    let changed = reversed.replacen(&format!("\n{row}\n"), &format!("\n{changed_row}\n"), 1);
    let path = dir.path().join("changed.sql");
    fs::write(&path, changed).unwrap();
    fs::create_dir_all(dir.path().join("c")).unwrap();
    let after = recorded(&pack_sql(&path, &dir.path().join("c"), &["--dir"]));
    let differing: Vec<&String> = after.keys().filter(|k| after[*k] != original[*k]).collect();
    assert_eq!(differing, ["public.books"], "only the changed table's digest differs");
}

#[test]
fn validate_names_the_table_whose_recorded_digest_differs() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    let digest = recorded(&bag)["public.books"].as_str().unwrap().to_string();
    let wrong = format!("{}{}", &digest[..63], if digest.ends_with('0') { '1' } else { '0' });
    edit_tag_file(&bag, "pgbag/schema.json", &digest, &wrong);

    let v = assert_invalid_with(&bag, "digest-mismatch");
    assert_eq!(codes(&v), ["digest-mismatch"]);
    let message = v["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("public.books") && message.contains(&wrong), "{message}");
}

#[test]
fn packages_made_before_digests_and_insert_dumps_validate_without_them() {
    // A sample package made before digests, kept as it was.
    let old = repo("samples/packages/before-digests.tar.zst");
    let dir = tempfile::tempdir().unwrap();
    pgbag().args(["unpack", "-q", "-o"]).arg(dir.path()).arg(&old).assert().success();
    let bag = dir.path().join(&listing(dir.path())[0]);
    let schema = fs::read_to_string(bag.join("pgbag/schema.json")).unwrap();
    assert!(!schema.contains("\"digest\""), "before-digests.tar.zst has digests");
    assert_eq!(validate(&old).0, 0);
    // inspect reads it: its tables have no digest.
    let v = inspect_json(&old);
    assert!(v["tables"].as_array().unwrap().iter().all(|t| t["digest"].is_null()));

    // Rows carried by INSERTs get no digest (spec/content-digest.md §1);
    // a table without data gets that of no rows.
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&repo("samples/dumps/fixture-inserts.sql"), dir.path(), &["--dir"]);
    let digests = recorded(&bag);
    assert_eq!(digests["public.books"], Value::Null);
    assert_eq!(digests["public.empty_table"], Value::String("0".repeat(64)));
    assert_eq!(validate(&bag).0, 0);

    // A bare dump has nothing to compare them with: its scan derives none.
    let v = inspect_json(&fixture_dump());
    assert!(v["tables"].as_array().unwrap().iter().all(|t| t["digest"].is_null()), "a bare dump's scan made digests");
}
