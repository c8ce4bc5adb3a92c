//! Packing existing dumps (--sql), determinism, inspect, and the CLI's
//! promises about outputs. No database needed.

use std::fs;
use std::io::Write;

use serde_json::Value;

use crate::common::*;

#[test]
fn packed_fixture_validates_and_has_the_spec_entry_order() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &[]);
    assert_eq!(pkg.file_name().unwrap(), "fixture-20260101T000000Z.tar.zst");
    let (exit, v) = validate(&pkg);
    assert_eq!((exit, v["valid"].clone()), (0, Value::Bool(true)), "{v:#}");
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v:#}");
    let n = "fixture-20260101T000000Z";
    let expected: Vec<String> = [
        "",
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "pgbag/",
        "pgbag/manifest.json",
        "pgbag/schema.json",
        "pgbag/README.txt",
        "data/",
        "data/dump.sql",
    ]
    .iter()
    .map(|p| format!("{n}/{p}"))
    .collect();
    assert_eq!(tar_entries(&pkg), expected);
}

#[test]
fn same_input_and_created_at_give_identical_bytes_in_every_form() {
    for compress in ["zstd", "gzip", "none"] {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let pa = pack_sql(&fixture_dump(), a.path(), &["--compress", compress]);
        let pb = pack_sql(&fixture_dump(), b.path(), &["--compress", compress]);
        assert_eq!(fs::read(&pa).unwrap(), fs::read(&pb).unwrap(), "{compress} packages differ");
    }
}

#[test]
fn payload_is_the_untouched_dump_and_compressed_inputs_are_recognised_by_magic() {
    let plain = fs::read(fixture_dump()).unwrap();
    let sha = pgbag::stream::sha256_hex(&plain);
    let dir = tempfile::tempdir().unwrap();
    // A gzip file with a misleading name, and a zstd one.
    let gz = dir.path().join("backup.bin");
    fs::copy(repo("samples/dumps/fixture.sql.gz"), &gz).unwrap();
    let zst = dir.path().join("backup.sql.zst");
    fs::write(&zst, zstd::encode_all(&plain[..], 3).unwrap()).unwrap();
    for (input, compression) in [(&gz, "gzip"), (&zst, "zstd")] {
        let out = tempfile::tempdir().unwrap();
        let pkg = pack_sql(input, out.path(), &[]);
        let v = inspect_json(&pkg);
        assert_eq!(v["payload"][0]["sha256"], sha.as_str());
        assert_eq!(v["source"]["input_compression"], compression);
        assert_eq!(validate(&pkg).0, 0);
    }
}

#[test]
fn stdin_input_works() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("from-stdin.tar.zst");
    pgbag()
        .args(["pack", "--sql", "-", "-o"])
        .arg(&out)
        .write_stdin(fs::read(fixture_dump()).unwrap())
        .assert()
        .success()
        .stdout(format!("{}\n", out.display()));
    let v = inspect_json(&out);
    assert_eq!(v["name"], "from-stdin");
    assert_eq!(validate(&out).0, 0);
}

#[test]
fn a_dump_without_its_footer_is_refused_and_nothing_is_written() {
    let dump = fs::read(fixture_dump()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.sql");
    fs::write(&cut, &dump[..dump.len() / 2]).unwrap();
    let out = tempfile::tempdir().unwrap();
    pgbag()
        .args(["pack", "--sql"])
        .arg(&cut)
        .arg("-o")
        .arg(format!("{}/", out.path().display()))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--allow-incomplete"));
    assert!(listing(out.path()).is_empty(), "left behind: {:?}", listing(out.path()));
    // With --allow-incomplete it is packaged, and validate still says why it is bad.
    let pkg = pack_sql(&cut, out.path(), &["--allow-incomplete"]);
    assert_invalid_with(&pkg, "dump-incomplete");
}

#[test]
fn an_existing_output_is_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &[]);
    let before = fs::read(&pkg).unwrap();
    pgbag()
        .args(["pack", "--created-at", "2027-01-01T00:00:00Z", "--sql"])
        .arg(fixture_dump())
        .arg("-o")
        .arg(&pkg)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(fs::read(&pkg).unwrap(), before);
    assert_eq!(listing(dir.path()).len(), 1, "no temporary files: {:?}", listing(dir.path()));
    pgbag().args(["pack", "--force", "--sql"]).arg(fixture_dump()).arg("-o").arg(&pkg).assert().success();
}

#[test]
fn force_replaces_a_directory_bag_whole_and_leaves_no_temporary_folder() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    let pack_over = |force: bool| {
        let mut cmd = pgbag();
        cmd.args(["pack", "--dir", "--created-at", "2027-01-01T00:00:00Z", "--sql"])
            .arg(fixture_dump())
            .arg("-o")
            .arg(&bag);
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
    };
    pack_over(false).code(2).stderr(predicates::str::contains("already exists"));
    // A bag directory is the destination itself, not a folder to pack into.
    pgbag()
        .args(["pack", "--force", "--sql"])
        .arg(fixture_dump())
        .arg("-o")
        .arg(format!("{}/", bag.display()))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a bag directory"));
    assert_eq!(inspect_json(&bag)["created_at"], CREATED, "the old bag is untouched without --force");
    pack_over(true).success();
    assert_eq!(inspect_json(&bag)["created_at"], "2027-01-01T00:00:00Z");
    assert_eq!(validate(&bag).0, 0);
    assert_eq!(listing(dir.path()), [bag.file_name().unwrap().to_str().unwrap()], "only the bag is left");
}

#[test]
fn inspect_json_has_the_documented_keys_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &["--info", "Source-Organization=City Archive"]);
    let v = inspect_json(&pkg);
    for key in ["format_version", "created_at", "source", "payload", "tables", "extensions", "roles", "meta_commands"] {
        assert!(v.get(key).is_some(), "inspect --json lacks {key}");
    }
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["created_at"], CREATED);
    assert_eq!(v["source"]["server_version"], "15.18");
    let books = v["tables"].as_array().unwrap().iter().find(|t| t["name"] == "books").unwrap();
    assert_eq!(books["rows"], 1000);
    assert_eq!(books["schema"], "public");
    assert!(books["comment"].as_str().unwrap().contains("thousand"));
    let ext: Vec<&str> = v["extensions"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(ext, ["citext", "hstore", "pgcrypto"]);
    let metas: Vec<&str> =
        v["meta_commands"].as_array().unwrap().iter().map(|m| m["command"].as_str().unwrap()).collect();
    assert_eq!(metas, ["restrict", "unrestrict"]);
    assert!(v["roles"].as_array().unwrap().iter().any(|r| r == "pgbag_reader"));
    // bag-info carries the --info field.
    let dirb = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dirb.path(), &["--dir", "--info", "Source-Organization=City Archive"]);
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.starts_with("Source-Organization: City Archive\n"), "{info}");
}

#[test]
fn inspect_reads_only_the_head() {
    // Cut the package right after its head frame: inspect still answers
    // (it never reads the dump), validate does not.
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &["--compress", "none"]);
    let bytes = fs::read(&pkg).unwrap();
    let dump_at = bytes.windows(10).position(|w| w == b"--\n-- Post").unwrap();
    let cut = dir.path().join("cut.tar");
    fs::write(&cut, &bytes[..dump_at + 100]).unwrap();
    let v = inspect_json(&cut);
    assert_eq!(v["payload"][0]["bytes"], fs::metadata(fixture_dump()).unwrap().len());
    assert_invalid_with(&cut, "tar-truncated");
}

#[test]
fn inspect_summarises_a_bare_legacy_dump() {
    let v = inspect_json(&repo("samples/dumps/fixture.sql.gz"));
    assert_eq!(v["input"], "dump");
    assert_eq!(v["source"]["input_compression"], "gzip");
    let rows: u64 = v["tables"].as_array().unwrap().iter().map(|t| t["rows"].as_u64().unwrap()).sum();
    let expected: u64 = crate::util::FIXTURE_ROW_COUNTS.iter().map(|r| r.2).sum();
    assert_eq!(rows, expected);
    // The --inserts flavour counts the same rows.
    let w = inspect_json(&repo("samples/dumps/fixture-inserts.sql"));
    for (a, b) in v["tables"].as_array().unwrap().iter().zip(w["tables"].as_array().unwrap()) {
        assert_eq!((&a["name"], &a["rows"]), (&b["name"], &b["rows"]));
    }
}

#[test]
fn the_directory_form_is_a_valid_bag_and_edits_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    assert!(bag.join("data/dump.sql").is_file());
    assert_eq!(validate(&bag).0, 0);
    assert_eq!(inspect_json(&bag)["input"], "directory");
    fs::write(bag.join("data/extra.sql"), "SELECT 1;\n").unwrap();
    assert_invalid_with(&bag, "payload-unlisted");
    fs::remove_file(bag.join("data/extra.sql")).unwrap();
    fs::remove_file(bag.join("pgbag/schema.json")).unwrap();
    assert_invalid_with(&bag, "tag-file-missing");
}

#[test]
fn the_real_world_pagila_schema_packs_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let pagila = repo("samples/corpus/pagila-schema.sql");
    let pkg = pack_sql(&pagila, dir.path(), &[]);
    let (exit, v) = validate(&pkg);
    assert_eq!(exit, 0, "{v:#}");
    let i = inspect_json(&pkg);
    assert!(i["tables"].as_array().unwrap().len() >= 15);
    assert_eq!(i["source"]["pg_dump_version"], "15beta2");
}

#[test]
fn help_completions_and_man_page_come_from_one_definition() {
    for sub in ["pack", "inspect", "validate", "completions"] {
        pgbag().args([sub, "--help"]).assert().success().stdout(predicates::str::contains("pgbag"));
    }
    pgbag().args(["pack", "--help"]).assert().stdout(predicates::str::contains("Examples:"));
    pgbag().args(["completions", "bash"]).assert().success().stdout(predicates::str::contains("_pgbag"));
    pgbag().args(["completions", "zsh"]).assert().success();
    pgbag().args(["completions", "fish"]).assert().success();
    pgbag().arg("man").assert().success().stdout(predicates::str::contains(".TH pgbag"));
    pgbag().args(["pack", "--bogus"]).assert().code(2);
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    // `pgbag inspect x | head -c1`
    let dir = tempfile::tempdir().unwrap();
    let pkg = pack_sql(&fixture_dump(), dir.path(), &[]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pgbag"))
        .arg("inspect")
        .arg(&pkg)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let _ = std::io::stdout().flush();
}

#[test]
fn an_interrupted_pack_leaves_nothing_behind() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use crate::faults::{Run, signal};
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("pgbag"));
    cmd.args(["pack", "--sql", "-", "-o"]).arg(dir.path().join("x.tar.zst"));
    let mut run = Run::spawn(cmd, Stdio::piped());
    let dump = fs::read(fixture_dump()).unwrap();
    let mut stdin = run.child.stdin.take().unwrap();
    stdin.write_all(&dump[..dump.len() / 2]).unwrap();
    stdin.flush().unwrap();
    // Wait until the spool exists: pack is under way.
    let start = Instant::now();
    while listing(dir.path()).is_empty() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!listing(dir.path()).is_empty(), "pack never started its spool");
    signal("INT", run.pid().into());
    // pack sees the interrupt on its next read once its handler has run,
    // whenever that is: so it gets more input, but never the end of it,
    // until it has gone. Without the interrupt it would wait for the end
    // for ever, and wait_within fails the test.
    let feeder = std::thread::spawn(move || {
        let mut more = stdin.write_all(&dump[dump.len() / 2..]);
        while more.is_ok() {
            std::thread::sleep(Duration::from_millis(5));
            more = stdin.write_all(b"-- more to come\n");
        }
    });
    let status = run.wait_within(Duration::from_secs(30));
    feeder.join().unwrap(); // its write failed: pack closed its end
    assert_eq!(status.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("interrupted"), "{}", run.stderr());
    assert!(listing(dir.path()).is_empty(), "left behind: {:?}", listing(dir.path()));
}

/// A dump of `n` tables of forty one-letter columns: the most summary per
/// byte of dump (some 9 KB of schema.json a table).
fn wide_tables(n: usize) -> String {
    let cols: Vec<String> = (0..40).map(|c| format!("c{c} integer")).collect();
    let tables: String = (0..n).map(|i| format!("CREATE TABLE public.t{i} ({});\n\n", cols.join(", "))).collect();
    format!(
        "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
         SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n{tables}\
         --\n-- PostgreSQL database dump complete\n--\n\n"
    )
}

/// Rewrites what a checksum-aware forger would after replacing `data/dump.sql`
/// of the bag `bag`: its manifest line, Payload-Oxum, manifest.json's payload
/// entry, and the tag manifest lines of the files changed.
fn reseal_dump(bag: &std::path::Path) {
    let hex = pgbag::stream::sha256_hex;
    let dump = fs::read(bag.join("data/dump.sql")).unwrap();
    fs::write(bag.join("manifest-sha256.txt"), format!("{}  data/dump.sql\n", hex(&dump))).unwrap();
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let info: String = info
        .lines()
        .map(|l| {
            if l.starts_with("Payload-Oxum:") { format!("Payload-Oxum: {}.1\n", dump.len()) } else { format!("{l}\n") }
        })
        .collect();
    fs::write(bag.join("bag-info.txt"), info).unwrap();
    let mut m: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/manifest.json")).unwrap()).unwrap();
    m["payload"][0]["bytes"] = dump.len().into();
    m["payload"][0]["sha256"] = hex(&dump).into();
    fs::write(bag.join("pgbag/manifest.json"), serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let tags = fs::read_to_string(bag.join("tagmanifest-sha256.txt")).unwrap();
    let tags: String = tags
        .lines()
        .map(|l| {
            let (_, path) = l.split_once("  ").unwrap();
            format!("{}  {path}\n", hex(&fs::read(bag.join(path)).unwrap()))
        })
        .collect();
    fs::write(bag.join("tagmanifest-sha256.txt"), tags).unwrap();
}

/// Issue 11: pack built the summary of any dump in memory (400,000 tables
/// took 440 MB) and only then found it over schema.json's cap. The summary
/// now stops at its cap (16 MiB of JSON): pack refuses (exit 2, nothing
/// written), inspect of the bare dump warns that its summary is incomplete,
/// restore refuses before connecting anywhere (exit 3), and a package whose
/// dump was swapped for such a dump and resealed is invalid.
#[test]
fn a_dump_whose_summary_would_be_over_the_cap_is_refused_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("wide.sql");
    fs::write(&big, wide_tables(2500)).unwrap();
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();

    let out =
        pgbag().args(["pack", "-o"]).arg(format!("{}/", out_dir.display())).arg("--sql").arg(&big).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("over 16 MiB of JSON") && stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(listing(&out_dir), Vec::<String>::new(), "pack left something behind");

    let v = inspect_json(&big);
    let warnings: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert!(warnings.contains(&"summary-too-large"), "{warnings:?}");
    let tables = v["tables"].as_array().map_or(0, Vec::len);
    assert!(tables > 1000 && tables < 2500, "{tables} tables summarised");

    // No server listens there: the refusal comes before any connection.
    let out = pgbag()
        .args(["restore", "--plan", "--create", "--target", "host=/nonexistent port=1 dbname=x"])
        .arg(&big)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("over 16 MiB of JSON") && stderr.contains("nothing was done"), "{stderr}");

    let small = dir.path().join("small.sql");
    fs::write(&small, wide_tables(3)).unwrap();
    let bag = pack_sql(&small, &out_dir, &["--dir"]);
    fs::copy(&big, bag.join("data/dump.sql")).unwrap();
    reseal_dump(&bag);
    let v = assert_invalid_with(&bag, "summary-too-large");
    assert!(!codes(&v).iter().any(|c| c == "payload-checksum-mismatch" || c == "summary-mismatch"), "{:?}", codes(&v));
}
