//! Helpers shared by the integration tests: the pgbag binary, sample paths,
//! and JSON results.

use std::path::{Path, PathBuf};

use serde_json::Value;

pub const CREATED: &str = "2026-01-01T00:00:00Z";

pub fn pgbag() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("pgbag").expect("the pgbag binary is built for tests")
}

pub fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

pub fn fixture_dump() -> PathBuf {
    repo("samples/dumps/fixture.sql")
}

/// Runs a `pgbag pack`, which must succeed, and returns the path it printed.
pub fn printed_path(pack: &mut assert_cmd::Command) -> PathBuf {
    let out = pack.assert().success().get_output().stdout.clone();
    PathBuf::from(String::from_utf8(out).unwrap().trim())
}

/// Packs `sql` into `dir` with a fixed creation time and extra args; returns
/// the printed output path.
pub fn pack_sql(sql: &Path, dir: &Path, extra: &[&str]) -> PathBuf {
    printed_path(
        pgbag()
            .args(["pack", "--created-at", CREATED, "-o"])
            .arg(format!("{}/", dir.display()))
            .arg("--sql")
            .arg(sql)
            .args(extra),
    )
}

/// Runs `validate --json`; returns the exit code and the parsed report.
pub fn validate(path: &Path) -> (i32, Value) {
    let out = pgbag().args(["validate", "--json"]).arg(path).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("validate --json gave no JSON ({e}); stderr: {}", String::from_utf8_lossy(&out.stderr))
    });
    (out.status.code().unwrap(), v)
}

/// The finding codes of a validate report.
pub fn codes(v: &Value) -> Vec<String> {
    v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

/// Asserts the package is invalid (exit 1) with `code` among its findings.
pub fn assert_invalid_with(path: &Path, code: &str) -> Value {
    let (exit, v) = validate(path);
    assert_eq!(exit, 1, "{} should be invalid: {v:#}", path.display());
    assert_eq!(v["valid"], false);
    assert!(codes(&v).iter().any(|c| c == code), "{}: expected finding {code}, got {:?}", path.display(), codes(&v));
    v
}

pub fn inspect_json(path: &Path) -> Value {
    let out = pgbag().args(["inspect", "--json"]).arg(path).assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// Names of the entries in a tar package (any compression).
pub fn tar_entries(path: &Path) -> Vec<String> {
    let f = std::fs::File::open(path).unwrap();
    let (r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut a = tar::Archive::new(r);
    a.entries().unwrap().map(|e| e.unwrap().path().unwrap().display().to_string()).collect()
}

/// Files in `dir` (non-recursive), for "nothing left behind" checks.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Edits a tag file of a bag directory and fixes up the tag manifest, as a
/// careless tool would, so that only the edited fact is wrong.
pub fn edit_tag_file(bag: &Path, file: &str, from: &str, to: &str) {
    let p = bag.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} lacks {from}");
    let new = text.replacen(from, to, 1);
    std::fs::write(&p, &new).unwrap();
    let tm = bag.join("tagmanifest-sha256.txt");
    let t = std::fs::read_to_string(&tm)
        .unwrap()
        .replace(&pgbag::stream::sha256_hex(text.as_bytes()), &pgbag::stream::sha256_hex(new.as_bytes()));
    std::fs::write(tm, t).unwrap();
}
