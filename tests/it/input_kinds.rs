//! What an input is (spec/inputs.md, issue 13): for each kind of input,
//! `inspect` and `validate` exit alike and their first lines say the same
//! thing; every other command that takes a package or a dump says what an
//! input that is neither is, with exit 1.
//!
//! Issue 13 found `inspect` exiting 0 on an empty `nightly.sql.gz` (what
//! `pg_dump | gzip` leaves when pg_dump fails), calling random bytes "a bare
//! SQL dump", listing error findings under "Warnings:", and `validate`
//! refusing bare dumps altogether.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use pgbag::package::Compression;

use crate::common::*;

/// How an input is made in a temporary directory.
type Make = fn(&Path) -> PathBuf;

/// One row: the input, the exit code both commands give, what the first
/// line of both says, and the finding codes validate must report.
struct Row {
    what: &'static str,
    make: Make,
    exit: i32,
    first_line: &'static str,
    codes: &'static [&'static str],
}

const ROWS: &[Row] = &[
    Row {
        what: "a zero-byte file",
        make: |d| write(d, "nightly.sql", b""),
        exit: 1,
        first_line: "nightly.sql is not a dump or a package: it is an empty file (0 bytes)",
        codes: &["input-empty"],
    },
    Row {
        what: "an empty gzip stream",
        make: |d| write(d, "nightly.sql.gz", &compressed(Compression::Gzip, b"")),
        exit: 1,
        first_line: "nightly.sql.gz is not a dump or a package: it is an empty gzip stream (no bytes once decompressed)",
        codes: &["input-empty"],
    },
    Row {
        what: "an empty zstd stream",
        make: |d| write(d, "nightly.sql.zst", &compressed(Compression::Zstd, b"")),
        exit: 1,
        first_line: "nightly.sql.zst is not a dump or a package: it is an empty zstd stream (no bytes once decompressed)",
        codes: &["input-empty"],
    },
    Row {
        what: "random binary data",
        make: |d| write(d, "random.sql", &noise(4096)),
        exit: 1,
        first_line: "random.sql is not a dump or a package: it is binary data",
        codes: &["input-not-a-dump"],
    },
    Row {
        what: "a pg_dump custom-format archive",
        make: |d| write(d, "catalog.dump", &[&b"PGDMP\x01\x10\x00\x04\x08\x01\x01\x01"[..], &noise(2000)].concat()),
        exit: 1,
        first_line: "catalog.dump is not a dump or a package: it is a pg_dump custom-format archive",
        codes: &["input-pg-dump-archive"],
    },
    Row {
        what: "a pg_dump tar-format archive",
        make: pg_dump_tar,
        exit: 1,
        first_line: "catalog.tar is not a dump or a package: it is a pg_dump tar-format archive",
        codes: &["input-pg-dump-archive"],
    },
    Row {
        what: "a pg_dump directory-format archive",
        make: |d| {
            let dir = d.join("catalog.dir");
            fs::create_dir(&dir).unwrap();
            fs::write(dir.join("toc.dat"), b"PGDMP\x01\x10\x00").unwrap();
            dir
        },
        exit: 1,
        first_line: "catalog.dir is not a dump or a package: it is a pg_dump directory-format archive",
        codes: &["input-pg-dump-archive"],
    },
    Row {
        what: "JSON",
        make: |d| write(d, "export.sql", b"{\"rows\": [1, 2, 3]}\n"),
        exit: 1,
        first_line: "export.sql is not a dump or a package: it is text that is not SQL",
        codes: &["input-not-a-dump"],
    },
    Row {
        what: "a dump cut short (no footer)",
        make: |d| write(d, "cut.sql", &fixture()[..20_000]),
        exit: 1,
        first_line: "cut.sql: a bare dump (plain-format SQL), not a package",
        codes: &["dump-incomplete", "restrict-unpaired", "copy-unterminated"],
    },
    Row {
        what: "a gzipped dump cut short inside its gzip stream",
        make: |d| {
            let gz = compressed(Compression::Gzip, &fixture());
            write(d, "cut.sql.gz", &gz[..gz.len() / 2])
        },
        exit: 1,
        first_line: "cut.sql.gz: a bare dump (plain-format SQL, gzip), not a package",
        codes: &["compressed-stream-corrupt", "dump-incomplete", "restrict-unpaired", "copy-unterminated"],
    },
    Row {
        what: "a complete dump with an error-severity finding (\\restrict unpaired)",
        make: |d| {
            let text = String::from_utf8(fixture()).unwrap();
            let kept: String = text.split_inclusive('\n').filter(|l| !l.starts_with("\\unrestrict ")).collect();
            write(d, "unpaired.sql", kept.as_bytes())
        },
        exit: 1,
        first_line: "unpaired.sql: a bare dump (plain-format SQL), not a package",
        codes: &["restrict-unpaired"],
    },
    Row {
        what: "SQL without pg_dump's header",
        make: |d| write(d, "script.sql", b"CREATE TABLE t (a int);\n"),
        exit: 1,
        first_line: "script.sql: a bare dump (plain-format SQL), not a package",
        codes: &["dump-header-missing", "dump-incomplete"],
    },
    Row {
        what: "a good bare dump",
        make: |d| copy(d, "samples/dumps/fixture.sql", "fixture.sql"),
        exit: 0,
        first_line: "fixture.sql: a bare dump (plain-format SQL), not a package",
        codes: &[],
    },
    Row {
        what: "a good gzipped bare dump",
        make: |d| copy(d, "samples/dumps/fixture.sql.gz", "fixture.sql.gz"),
        exit: 0,
        first_line: "fixture.sql.gz: a bare dump (plain-format SQL, gzip), not a package",
        codes: &[],
    },
    Row {
        what: "a good package",
        make: |d| copy(d, "samples/packages/good.tar.zst", "good.tar.zst"),
        exit: 0,
        first_line: "good.tar.zst: a package (tar, zstd)",
        codes: &[],
    },
    Row {
        what: "an invalid package",
        make: |d| copy(d, "samples/packages/broken-checksum.tar.gz", "broken.tar.gz"),
        exit: 0, // inspect reads only the head; see the row's own check below
        first_line: "broken.tar.gz: a package (tar, gzip)",
        codes: &["payload-checksum-mismatch"],
    },
];

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

fn copy(dir: &Path, sample: &str, name: &str) -> PathBuf {
    let p = dir.join(name);
    fs::copy(repo(sample), &p).unwrap();
    p
}

fn fixture() -> Vec<u8> {
    fs::read(fixture_dump()).unwrap()
}

fn compressed(c: Compression, bytes: &[u8]) -> Vec<u8> {
    let mut e = c.encoder(Vec::new(), c.default_level()).unwrap();
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Bytes that look like nothing (a fixed xorshift, so runs are the same).
fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// What `pg_dump -Ft` writes: a tar whose first entry is toc.dat.
fn pg_dump_tar(dir: &Path) -> PathBuf {
    let p = dir.join("catalog.tar");
    let mut b = tar::Builder::new(fs::File::create(&p).unwrap());
    for (name, data) in [("toc.dat", &b"PGDMP\x01\x10\x00"[..]), ("3001.dat", b"1\tx\n\\.\n")] {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o600);
        h.set_cksum();
        b.append_data(&mut h, name, data).unwrap();
    }
    b.into_inner().unwrap().sync_all().unwrap();
    p
}

/// Runs pgbag in `dir` with `args`, the input in place of `INPUT` (or last).
fn run(dir: &Path, args: &[&str], input: &Path) -> Output {
    let name = input.file_name().unwrap().to_str().unwrap();
    let mut args: Vec<&str> = args.iter().map(|a| if *a == "INPUT" { name } else { a }).collect();
    if !args.contains(&name) {
        args.push(name);
    }
    pgbag().current_dir(dir).args(args).output().unwrap()
}

/// The first line a command printed: stdout's, or else stderr's without
/// `pgbag: error: `.
fn first_line(out: &Output) -> String {
    let text = if out.stdout.is_empty() { &out.stderr } else { &out.stdout };
    let text = String::from_utf8_lossy(text);
    let line = text.lines().next().unwrap_or_default();
    line.strip_prefix("pgbag: error: ").unwrap_or(line).to_string()
}

fn codes_of(findings: &serde_json::Value) -> Vec<String> {
    let mut c: Vec<String> = findings.as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().into()).collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn inspect_and_validate_agree_on_every_kind_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for row in ROWS {
        let input = (row.make)(dir.path());
        let inspect = run(dir.path(), &["inspect"], &input);
        let validate = run(dir.path(), &["validate"], &input);
        let (i_line, v_line) = (first_line(&inspect), first_line(&validate));
        let (i_exit, v_exit) = (inspect.status.code(), validate.status.code());
        let v_json = run(dir.path(), &["validate", "--json"], &input);
        let report: serde_json::Value = serde_json::from_slice(&v_json.stdout).unwrap();
        let mut fail = |what: String| failures.push(format!("{}: {what}", row.what));
        // An invalid package is the one input on which inspect (the head
        // only) and validate (every byte) may differ: spec/exit-codes.md.
        let validate_exit = if row.what == "an invalid package" { 1 } else { row.exit };
        if i_exit != Some(row.exit) {
            fail(format!("inspect exit {i_exit:?}, not {}: {}", row.exit, String::from_utf8_lossy(&inspect.stderr)));
        }
        if v_exit != Some(validate_exit) || v_json.status.code() != Some(validate_exit) {
            fail(format!("validate exit {v_exit:?}, not {validate_exit}"));
        }
        if !i_line.starts_with(row.first_line) {
            fail(format!("inspect's first line is {i_line:?}, not {:?}", row.first_line));
        }
        if v_line != row.first_line {
            fail(format!("validate's first line is {v_line:?}, not {:?}", row.first_line));
        }
        let found = codes_of(&report["findings"]);
        let mut want: Vec<String> = row.codes.iter().map(|c| c.to_string()).collect();
        want.sort();
        if !want.iter().all(|c| found.contains(c)) || (row.exit == 0 && row.codes.is_empty() && !found.is_empty()) {
            fail(format!("validate found {found:?}, expected {want:?}"));
        }
        // For a bare dump inspect reads what validate reads: the same findings.
        if report["input"] == "dump" {
            let i_json = run(dir.path(), &["inspect", "--json"], &input);
            let inspected: serde_json::Value = serde_json::from_slice(&i_json.stdout).unwrap();
            if inspected["findings"] != report["findings"] {
                fail(format!(
                    "inspect's findings {} differ from validate's {}",
                    inspected["findings"], report["findings"]
                ));
            }
            if inspected["valid"] != report["valid"] {
                fail("inspect --json and validate --json disagree on valid".into());
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_command_says_what_an_input_that_is_not_a_dump_or_a_package_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // No server listens there: what the input is must be said first.
    let nowhere = "host=/nonexistent port=1 dbname=x";
    let commands: &[&[&str]] = &[
        &["inspect"],
        &["validate"],
        &["unpack", "-o", "out"],
        &["restore", "--plan", "--create", "--target", nowhere],
        &["restore", "--create", "--target", nowhere],
        &["drill", "--target", nowhere],
        &["push", "INPUT", "s3://bucket/prefix/", "--endpoint-url", "http://127.0.0.1:1"],
        &["pack", "-o", "out/", "--sql"],
    ];
    let mut failures = Vec::new();
    for row in ROWS.iter().filter(|r| r.first_line.contains("is not a dump or a package")) {
        let input = (row.make)(dir.path());
        for args in commands {
            let o = run(dir.path(), args, &input);
            let line = first_line(&o);
            if o.status.code() != Some(1) || !line.starts_with(row.first_line) {
                failures.push(format!("{} {}: exit {:?}, said {line:?}", args.join(" "), row.what, o.status.code()));
            }
        }
    }
    assert_eq!(listing(&out), Vec::<String>::new(), "something was written");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// A sound input a command does not take is a usage error (exit 2) that
/// names the command that takes it.
#[test]
fn a_sound_input_of_another_kind_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let dump = copy(dir.path(), "samples/dumps/fixture.sql.gz", "nightly.sql.gz");
    let pkg = copy(dir.path(), "samples/packages/good.tar.zst", "good.tar.zst");
    for (args, input, says) in [
        (&["unpack", "-o", "."][..], &dump, "pgbag pack --sql"),
        (&["push", "INPUT", "s3://bucket/prefix/", "--endpoint-url", "http://127.0.0.1:1"], &dump, "pgbag pack --sql"),
        (&["pack", "-o", "./", "--sql"], &pkg, "pgbag validate"),
    ] {
        let o = run(dir.path(), args, input);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

/// `validate` of a bare dump says it is one and what it did not check, in
/// text and JSON; `sha256` is the file's own.
#[test]
fn validate_of_a_bare_dump_says_which_checks_did_not_apply() {
    let dump = repo("samples/dumps/fixture.sql.gz");
    let (exit, v) = validate(&dump);
    assert_eq!(exit, 0, "{v:#}");
    assert_eq!((v["input"].as_str(), v["compression"].as_str()), (Some("dump"), Some("gzip")));
    let not: Vec<&str> = v["not_checked"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert_eq!(not, ["archive", "stored", "bagit", "pgbag-files"]);
    assert_eq!(v["sha256"], pgbag::stream::sha256_hex(&fs::read(&dump).unwrap()));
    let out = pgbag().arg("validate").arg(&dump).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("  not checked: tar safety,"), "{text}");
    assert!(lines[1].contains("BagIt manifests and checksums"), "{text}");
    assert!(text.contains("(the dump file, as sha256sum gives it)"), "{text}");
}

/// `validate s3://…` of a bare dump streams it as inspect reads one.
#[test]
fn validate_reads_a_bare_dump_from_s3() {
    let Some(s3) = crate::util::s3::S3Server::start() else { return };
    s3.create_bucket(crate::s3::BUCKET);
    let cut = &fixture()[..20_000];
    s3.put(crate::s3::BUCKET, "legacy/nightly.sql.gz", &compressed(Compression::Gzip, cut), &[]);
    s3.put(crate::s3::BUCKET, "legacy/good.sql", &fixture(), &[]);
    s3.put(crate::s3::BUCKET, "legacy/empty.sql.gz", &compressed(Compression::Gzip, b""), &[]);
    let validate = |key: &str| {
        crate::s3::run_json(crate::s3::pgbag_s3(&s3, None).args(["validate", "--json", &crate::s3::s3_url(key)]))
    };
    let (exit, v, stderr) = validate("legacy/good.sql");
    assert_eq!((exit, v["input"].as_str()), (0, Some("dump")), "{stderr}");
    let (exit, v, stderr) = validate("legacy/nightly.sql.gz");
    assert_eq!(exit, 1, "{stderr}");
    assert!(codes_of(&v["findings"]).contains(&"dump-incomplete".to_string()), "{v:#}");
    assert_eq!(v["sha256"], pgbag::stream::sha256_hex(&compressed(Compression::Gzip, cut)));
    let (exit, v, _) = validate("legacy/empty.sql.gz");
    assert_eq!((exit, v["input"].as_str()), (1, Some("empty")));
    // pull takes packages only, and says so before it downloads anything.
    let dir = tempfile::tempdir().unwrap();
    let out = crate::s3::pgbag_s3(&s3, None)
        .args(["pull", &crate::s3::s3_url("legacy/good.sql"), "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(listing(dir.path()), Vec::<String>::new());
}

/// Issue 13: `--s3-part-size` was offered by every command that reads S3;
/// only an upload has parts.
#[test]
fn only_the_commands_that_upload_offer_a_part_size() {
    for sub in ["pack", "push", "inspect", "validate", "unpack", "restore", "drill", "pull", "list", "prune"] {
        let out = pgbag().args([sub, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("--endpoint-url"), "{sub} --help: {help}");
        assert_eq!(help.contains("--s3-part-size"), matches!(sub, "pack" | "push"), "{sub} --help: {help}");
    }
}

/// A .sql.gz cut inside its gzip stream is a damaged dump for restore too
/// (exit 1, before any connection), as for inspect and validate; it was a
/// failure to read (exit 2).
#[test]
fn restore_refuses_a_dump_whose_compressed_stream_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let gz = compressed(Compression::Gzip, &fixture());
    let cut = write(dir.path(), "cut.sql.gz", &gz[..gz.len() / 2]);
    let o = run(dir.path(), &["restore", "--plan", "--create", "--target", "host=/nonexistent port=1 dbname=x"], &cut);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the gzip stream ends early") && stderr.contains("not restored"), "{stderr}");
}
