//! Packages in S3 (issue 4), against a real S3-protocol server (moto) on
//! 127.0.0.1: the pgbag binary speaks real HTTP to it through the AWS SDK.
//!
//! Each test starts its own server (and, when it needs one, its own
//! PostgreSQL cluster), so tests share no buckets. Outside CI a missing
//! moto_server or PostgreSQL skips the test; under CI=true it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_s3::config::ResponseChecksumValidation;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::*;
use crate::util::s3::S3Server;
use crate::util::{self, Cluster};

pub(crate) const BUCKET: &str = "bags";

/// `pgbag` pointed at `s3` (and at `pg`, when given), with no AWS or libpq
/// setting of the developer's shell leaking in.
pub(crate) fn pgbag_s3(s3: &S3Server, pg: Option<&Cluster>) -> assert_cmd::Command {
    assert_cmd::Command::from_std(std_pgbag(s3, pg))
}

pub(crate) fn std_pgbag(s3: &S3Server, pg: Option<&Cluster>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgbag"));
    s3.apply_env(&mut cmd);
    cmd.env_remove("AWS_S3_FORCE_PATH_STYLE");
    if let Some(pg) = pg {
        pg.apply_env(&mut cmd);
        cmd.env_remove("DATABASE_URL");
    }
    cmd
}

pub(crate) fn s3_url(key: &str) -> String {
    format!("s3://{BUCKET}/{key}")
}

/// Runs a command that must succeed and returns its stdout, trimmed.
pub(crate) fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap().trim().to_string()
}

/// Runs a command; returns its exit code, stdout parsed as JSON (Null when
/// empty) and stderr.
pub(crate) fn run_json(cmd: &mut assert_cmd::Command) -> (i32, Value, String) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = if out.stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("no JSON on stdout ({e}): {}\nstderr: {stderr}", String::from_utf8_lossy(&out.stdout))
        })
    };
    (out.status.code().expect("exited, not killed"), v, stderr)
}

/// `pack --sql DUMP -o s3://BUCKET/PREFIX --created-at CREATED`; returns the
/// printed URL.
pub(crate) fn pack_sql_to_s3(s3: &S3Server, dump: &Path, prefix: &str, created: &str, extra: &[&str]) -> String {
    stdout_of(
        pgbag_s3(s3, None)
            .args(["pack", "--created-at", created, "--sql"])
            .arg(dump)
            .args(["-o", &s3_url(prefix)])
            .args(extra),
    )
}

/// The name pack gives a package of `stem` created at an RFC 3339 UTC time.
pub(crate) fn package_key(prefix: &str, stem: &str, created: &str) -> String {
    let compact: String = created.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    format!("{prefix}{stem}-{compact}.tar.zst")
}

/// Flips one byte in the middle of an object on the server, keeping its
/// metadata, as bit rot or a bad disk would.
fn corrupt_middle_byte(s3: &S3Server, key: &str) {
    let mut bytes = s3.get(BUCKET, key).expect("object to corrupt exists");
    let meta = s3.head_metadata(BUCKET, key).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    let meta: Vec<(&str, &str)> = meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    s3.put(BUCKET, key, &bytes, &meta);
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().into())
        .collect()
}

/// A plain-format dump of one table whose COPY block holds about
/// `payload_bytes` of random base64 text, which zstd can barely shrink.
/// With `complete`, it ends with pg_dump's completion footer.
pub(crate) fn synthetic_dump(payload_bytes: usize, complete: bool) -> Vec<u8> {
    let mut sql = dump_header();
    let mut rng = SplitMix(0x5eed_f00d_b16d_0e5e);
    let mut id = 0;
    while sql.len() < payload_bytes {
        id += 1;
        sql.extend_from_slice(&copy_row(&mut rng, id));
    }
    sql.extend_from_slice(b"\\.\n\n\n");
    if complete {
        sql.extend_from_slice(DUMP_FOOTER);
    }
    sql
}

/// What pg_dump writes before the data of a one-table dump (its header as
/// in samples/dumps/fixture.sql).
fn dump_header() -> Vec<u8> {
    b"--\n-- PostgreSQL database dump\n--\n\n\
      -- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n\n\
      SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n\
      --\n-- Name: blobs; Type: TABLE; Schema: public; Owner: -\n--\n\n\
      CREATE TABLE public.blobs (\n    id integer NOT NULL,\n    payload text\n);\n\n\
      --\n-- Data for Name: blobs; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\
      COPY public.blobs (id, payload) FROM stdin;\n"
        .to_vec()
}

const DUMP_FOOTER: &[u8] = b"--\n-- PostgreSQL database dump complete\n--\n\n";

/// One COPY row: an id and 1,000 random base64 characters.
fn copy_row(rng: &mut SplitMix, id: u64) -> Vec<u8> {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut row = format!("{id}\t").into_bytes();
    for _ in 0..1000 / 10 {
        let mut r = rng.next();
        for _ in 0..10 {
            row.push(B64[(r & 63) as usize]);
            r >>= 6;
        }
    }
    row.push(b'\n');
    row
}

/// splitmix64: enough randomness to defeat compression, with no dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[test]
fn round_trip_pack_db_list_inspect_validate_pull_and_restore() {
    let Some(s3) = S3Server::start() else { return };
    let Some(pg) = Cluster::start() else { return };
    // big=1: a ~3 MB value, so that the object is far larger than its head.
    pg.load_fixture("fixture", true);
    s3.create_bucket(BUCKET);
    let created = "2026-11-25T03:00:00Z";
    let url = stdout_of(pgbag_s3(&s3, Some(&pg)).args([
        "pack",
        "--db",
        &pg.conninfo("fixture"),
        "--created-at",
        created,
        "-o",
        &s3_url("nightly/"),
    ]));
    let key = "nightly/fixture-20261125T030000Z.tar.zst";
    assert_eq!(url, s3_url(key));
    assert_eq!(s3.keys(BUCKET, ""), [key]);
    let object = s3.get(BUCKET, key).unwrap();
    assert!(object.len() > 1_000_000, "the big fixture packs to {} bytes only", object.len());
    let meta = s3.head_metadata(BUCKET, key).unwrap();
    for (k, v) in [
        ("pgbag-database", "fixture"),
        ("pgbag-created-at", created),
        ("pgbag-name", "fixture-20261125T030000Z"),
        ("pgbag-format-version", "1"),
        ("pgbag-compression", "zstd"),
    ] {
        assert_eq!(meta.get(k).map(String::as_str), Some(v), "metadata {k}: {meta:?}");
    }

    // list: read from metadata, one row.
    let (code, listed, stderr) = run_json(pgbag_s3(&s3, None).args(["list", "--json", &s3_url("nightly/")]));
    assert_eq!(code, 0, "list: {stderr}");
    let rows = listed.as_array().unwrap_or_else(|| panic!("list --json is not an array: {listed}"));
    assert_eq!(rows.len(), 1, "{listed:#}");
    assert_eq!(rows[0]["key"], key);
    assert_eq!(rows[0]["created"], created);
    assert_eq!(rows[0]["database"], "fixture");
    assert_eq!(rows[0]["name"], "fixture-20261125T030000Z");
    assert_eq!(rows[0]["size"], object.len() as u64);
    assert!(rows[0]["format_version"] == 1 || rows[0]["format_version"] == "1", "{listed:#}");

    // inspect: only the head travels.
    let out = pgbag_s3(&s3, None).args(["inspect", "--json", "--verbose", &url]).assert().success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["source"]["database"], "fixture");
    assert_eq!(report["created_at"], created);
    let books = report["tables"].as_array().unwrap().iter().find(|t| t["name"] == "books").unwrap();
    assert_eq!(books["rows"], 1000);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let (fetched, total) = fetched_of(&stderr, &url);
    assert_eq!(total, object.len() as u64, "{stderr}");
    assert!(fetched > 0 && fetched * 10 < total, "inspect fetched {fetched} of {total} bytes: not just the head");

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &url]));
    assert_eq!((code, &report["valid"]), (0, &Value::Bool(true)), "{report:#}\n{stderr}");
    // pack read the object back and recorded its own SHA-256; validate
    // computed the same while streaming it.
    assert_eq!(meta.get("pgbag-sha256"), Some(&sha256_hex(&object)), "{meta:?}");
    assert_eq!(report["sha256"], sha256_hex(&object), "{report:#}");

    // pull: the same bytes, valid, and nothing else left in the directory.
    let dir = tempfile::tempdir().unwrap();
    let pulled = PathBuf::from(stdout_of(
        pgbag_s3(&s3, None).args(["pull", &url, "-o"]).arg(format!("{}/", dir.path().display())),
    ));
    assert_eq!(pulled, dir.path().join("fixture-20261125T030000Z.tar.zst"));
    assert!(fs::read(&pulled).unwrap() == object, "pulled bytes differ from the object");
    assert_eq!(listing(dir.path()), ["fixture-20261125T030000Z.tar.zst"]);
    let (code, report) = validate(&pulled);
    assert_eq!(code, 0, "{report:#}");

    // restore straight from S3 into a new database.
    pgbag_s3(&s3, Some(&pg))
        .args(["restore", &url, "-q", "--target", &pg.conninfo("restored"), "--create"])
        .assert()
        .success();
    let mut tables: Vec<(&str, &str, u64)> = util::FIXTURE_ROW_COUNTS.to_vec();
    tables.push(util::FIXTURE_BIG_TABLE);
    for (schema, table, rows) in tables {
        let counted: u64 = pg.psql("restored", &util::count_rows_sql(schema, table)).parse().unwrap();
        assert_eq!(counted, rows, "{schema}.{table} after restore from S3");
    }

    // drill straight from S3 on the same server: a scratch database, compared, dropped.
    let (code, report, stderr) =
        run_json(pgbag_s3(&s3, Some(&pg)).args(["drill", &url, "--json", "--target", &pg.conninfo("postgres")]));
    assert_eq!((code, &report["passed"]), (0, &Value::Bool(true)), "drill: {report:#}\n{stderr}");
}

/// Parses `pgbag: fetched N of M bytes of URL (...)` from inspect --verbose.
fn fetched_of(stderr: &str, url: &str) -> (u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("pgbag: fetched "))
        .unwrap_or_else(|| panic!("no 'pgbag: fetched' line on stderr:\n{stderr}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!((words[3], words[5], words[6], words[7]), ("of", "bytes", "of", url), "{line}");
    (words[2].parse().unwrap(), words[4].parse().unwrap())
}

#[test]
fn a_package_of_several_parts_equals_the_local_package() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let sql = synthetic_dump(28 << 20, true);
    let dump = dir.path().join("big.sql");
    fs::write(&dump, &sql).unwrap();
    let created = "2026-11-25T03:00:00Z";

    let url = pack_sql_to_s3(&s3, &dump, "multi/", created, &["--s3-part-size", "5"]);
    let key = package_key("multi/", "big", created);
    assert_eq!(url, s3_url(&key));
    let local = PathBuf::from(stdout_of(
        pgbag_s3(&s3, None)
            .args(["pack", "--created-at", created, "--sql"])
            .arg(&dump)
            .arg("-o")
            .arg(format!("{}/", dir.path().display())),
    ));
    assert_eq!(local.file_name().unwrap().to_string_lossy(), key.trim_start_matches("multi/"));

    // Several parts. The object's ETag cannot show it: pack adds the late
    // metadata (pgbag-dump-sha256) with an in-place CopyObject, which gives
    // the object a single-part ETag. The server's request log can.
    let parts = uploaded_parts(&s3, &key);
    assert!(parts.len() >= 4, "parts {parts:?}: expected at least 4\n--- moto log ---\n{}", s3.log());
    assert_eq!(parts, (1..=parts.len() as u32).collect::<BTreeSet<u32>>(), "part numbers are not 1..n");

    let object = get_unverified(&s3, &key);
    assert!(object.len() > 20 << 20, "random base64 should barely compress: {} bytes", object.len());
    assert!(object == fs::read(&local).unwrap(), "the S3 object differs from the local package");
    let meta = s3.head_metadata(BUCKET, &key).unwrap();
    assert_eq!(meta.get("pgbag-dump-sha256"), Some(&sha256_hex(&sql)), "{meta:?}");
    assert_eq!(meta.get("pgbag-dump-bytes"), Some(&sql.len().to_string()), "{meta:?}");
    assert_eq!(meta.get("pgbag-sha256"), Some(&sha256_hex(&object)), "{meta:?}");
    assert!(s3.open_multipart_uploads(BUCKET).is_empty());

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &url]));
    assert_eq!(code, 0, "{report:#}\n{stderr}");
}

/// The object's bytes, without the SDK's check of the response checksum.
/// moto keeps a multipart object's composite CRC32C through CopyObject but
/// drops its "-N" part count, so the SDK (whose `S3Server::get` fails with
/// "streaming error") takes it for a whole-object checksum of a sound object.
/// pgbag itself reads with ranged GETs, which carry no checksum.
pub(crate) fn get_unverified(s3: &S3Server, key: &str) -> Vec<u8> {
    let conf = s3
        .client()
        .config()
        .to_builder()
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
        .build();
    let client = aws_sdk_s3::Client::from_conf(conf);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let out = client.get_object().bucket(BUCKET).key(key).send().await.unwrap();
        out.body.collect().await.unwrap().into_bytes().to_vec()
    })
}

/// Part numbers the server accepted (HTTP 200) for `key`, from moto's
/// request log, once the upload was completed (also a 200).
pub(crate) fn uploaded_parts(s3: &S3Server, key: &str) -> BTreeSet<u32> {
    let log = s3.log();
    let path = format!("/{BUCKET}/{key}?");
    let ok = |l: &&str| l.contains(&path) && l.ends_with(" 200 -");
    let completed = log.lines().filter(ok).any(|l| l.contains("\"POST ") && l.contains("?uploadId="));
    assert!(completed, "no completed multipart upload of {key} in the log:\n{log}");
    log.lines()
        .filter(ok)
        .filter(|l| l.contains("x-id=UploadPart&"))
        .filter_map(|l| l.split("partNumber=").nth(1)?.split(['&', ' ']).next()?.parse().ok())
        .collect()
}

#[test]
fn a_byte_rewritten_on_the_server_fails_validate_and_pull_leaves_nothing() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let url = pack_sql_to_s3(&s3, &fixture_dump(), "db/", CREATED, &[]);
    let key = url.strip_prefix(&format!("s3://{BUCKET}/")).unwrap().to_string();
    // Sound before the damage, so the verdicts below are about the byte.
    assert_eq!(run_json(pgbag_s3(&s3, None).args(["validate", "--json", &url])).0, 0);
    corrupt_middle_byte(&s3, &key);

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &url]));
    assert_eq!((code, &report["valid"]), (1, &Value::Bool(false)), "{report:#}\n{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("pulled");
    fs::create_dir(&target).unwrap();
    pgbag_s3(&s3, None).args(["pull", &url, "-o"]).arg(format!("{}/", target.display())).assert().code(1);
    assert!(listing(&target).is_empty(), "pull left {:?}", listing(&target));
    assert_eq!(listing(dir.path()), ["pulled"]);
    // Also when the destination is a file name.
    let file = dir.path().join("copy.tar.zst");
    pgbag_s3(&s3, None).args(["pull", &url, "-o"]).arg(&file).assert().code(1);
    assert_eq!(listing(dir.path()), ["pulled"], "pull left files beside the destination");
}

/// Runs `pack --sql - -o s3://BUCKET/piped/` with 5 MiB parts, fed from a
/// thread with COPY rows until `stop` is set (then stdin closes without the
/// COPY terminator or pg_dump's footer) or until pgbag stops reading (the
/// pipe breaks). Returns the child and the writer thread.
fn pack_from_pipe(s3: &S3Server, dir: &Path, stop: Arc<AtomicBool>) -> (Child, thread::JoinHandle<()>) {
    let stderr = fs::File::create(dir.join("stderr")).unwrap();
    let mut child = std_pgbag(s3, None)
        .args(["pack", "--sql", "-", "--s3-part-size", "5", "--created-at", CREATED])
        .args(["-o", &s3_url("piped/")])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = thread::spawn(move || {
        let mut rng = SplitMix(42);
        if stdin.write_all(&dump_header()).is_err() {
            return;
        }
        // Capped, so that a pgbag that never opens an upload cannot make
        // the test write forever; it then waits for `stop` with stdin open.
        let (mut written, cap) = (0usize, 400 << 20);
        let mut id = 0;
        while !stop.load(Ordering::SeqCst) {
            if written >= cap {
                thread::sleep(Duration::from_millis(20));
                continue;
            }
            id += 1;
            let row = copy_row(&mut rng, id);
            written += row.len();
            if stdin.write_all(&row).is_err() {
                return; // pgbag has gone
            }
        }
        // Dropping stdin here: EOF without "\." and the footer.
    });
    (child, writer)
}

/// Polls until a multipart upload is open in the bucket; panics after 20 s.
fn wait_for_open_upload(s3: &S3Server, child: &mut Child, dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while s3.open_multipart_uploads(BUCKET).is_empty() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("pack exited ({status}) before opening an upload: {}", read_stderr(dir));
        }
        assert!(Instant::now() < deadline, "no multipart upload opened within 20 s");
        thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for the child for at most `limit`; kills it and panics on timeout.
fn wait_within(child: &mut Child, limit: Duration, dir: &Path) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pack did not exit within {limit:?}: {}", read_stderr(dir));
        }
        thread::sleep(Duration::from_millis(50));
    }
}

fn read_stderr(dir: &Path) -> String {
    fs::read_to_string(dir.join("stderr")).unwrap_or_default()
}

/// Starts `pack --sql -` to S3 from a pipe and returns once a multipart
/// upload is open (parts are on the server).
fn pack_until_an_upload_is_open(s3: &S3Server) -> (tempfile::TempDir, Arc<AtomicBool>, Child, thread::JoinHandle<()>) {
    s3.create_bucket(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (mut child, writer) = pack_from_pipe(s3, dir.path(), stop.clone());
    wait_for_open_upload(s3, &mut child, dir.path());
    (dir, stop, child, writer)
}

/// No object, and no multipart upload left open.
fn assert_nothing_stored(s3: &S3Server) {
    assert_eq!(s3.keys(BUCKET, ""), Vec::<String>::new(), "a partial object is visible");
    assert_eq!(s3.open_multipart_uploads(BUCKET), Vec::<String>::new(), "the upload was left open");
}

#[test]
fn a_dump_cut_short_mid_upload_aborts_the_upload_and_stores_nothing() {
    let Some(s3) = S3Server::start() else { return };
    let (dir, stop, mut child, writer) = pack_until_an_upload_is_open(&s3);
    // The producer dies: stdin ends without pg_dump's footer.
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let status = wait_within(&mut child, Duration::from_secs(30), dir.path());
    let stderr = read_stderr(dir.path());
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("incomplete"), "{stderr}");
    assert_nothing_stored(&s3);
}

#[test]
fn sigint_mid_upload_exits_2_and_aborts_the_upload() {
    let Some(s3) = S3Server::start() else { return };
    let (dir, stop, mut child, writer) = pack_until_an_upload_is_open(&s3);
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    // The writer keeps writing: pgbag must stop by itself, not on EOF.
    let status = wait_within(&mut child, Duration::from_secs(30), dir.path());
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let stderr = read_stderr(dir.path());
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_nothing_stored(&s3);
}

#[test]
fn the_server_stopping_mid_upload_is_exit_2_and_says_where() {
    let Some(mut s3) = S3Server::start() else { return };
    let (dir, stop, mut child, writer) = pack_until_an_upload_is_open(&s3);
    s3.stop();
    // Retries against a refused port take seconds, not minutes.
    let status = wait_within(&mut child, Duration::from_secs(60), dir.path());
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let stderr = read_stderr(dir.path());
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&s3.endpoint), "the message does not name the endpoint: {stderr}");
}

#[test]
fn an_unreachable_endpoint_is_exit_2_quickly_and_names_the_endpoint() {
    let Some(s3) = S3Server::start() else { return };
    let (_held, port) = crate::util::refused_port();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "port {port} accepts connections");
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let (code, _, stderr) =
        run_json(pgbag_s3(&s3, None).args(["validate", "--endpoint-url", &endpoint, &s3_url("db/x.tar.zst")]));
    let elapsed = started.elapsed();
    assert_eq!(code, 2, "{stderr}");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    assert!(stderr.contains(&endpoint), "the message does not name {endpoint}: {stderr}");
    // AWS_ENDPOINT_URL works as well as the flag.
    let (code, _, stderr) =
        run_json(pgbag_s3(&s3, None).env("AWS_ENDPOINT_URL", &endpoint).args(["inspect", &s3_url("db/x.tar.zst")]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&endpoint), "{stderr}");
}

#[test]
fn wrong_credentials_are_exit_2_and_say_so() {
    let Some(s3) = S3Server::start_with_auth() else { return };
    // HEAD (validate, inspect) gets a 403 without a body, so without an
    // error code; LIST gets InvalidAccessKeyId. Both must read the same.
    let mut problems = Vec::new();
    for args in [vec!["validate", "--json"], vec!["inspect"], vec!["list", "--json"]] {
        let target = if args[0] == "list" { s3_url("db/") } else { s3_url("db/x.tar.zst") };
        let started = Instant::now();
        let (code, _, stderr) = run_json(pgbag_s3(&s3, None).args(&args).arg(&target));
        let elapsed = started.elapsed();
        let ok = code == 2
            && elapsed < Duration::from_secs(30)
            && stderr.contains("credentials")
            && stderr.contains(&s3.endpoint);
        if !ok {
            problems.push(format!("{args:?} {target}: exit {code} after {elapsed:?}: {stderr}"));
        }
    }
    assert!(problems.is_empty(), "want exit 2 naming the endpoint and the credentials:\n{}", problems.join("\n"));
}

#[test]
fn push_validates_first_and_uploads_the_same_bytes() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    pgbag_s3(&s3, None)
        .arg("push")
        .arg(repo("samples/packages/broken-checksum.tar.gz"))
        .arg(s3_url("in/"))
        .assert()
        .code(1);
    assert_eq!(s3.keys(BUCKET, ""), Vec::<String>::new(), "an invalid package was uploaded");

    let good = repo("samples/packages/good.tar.zst");
    let url = stdout_of(pgbag_s3(&s3, None).arg("push").arg(&good).arg(s3_url("in/")));
    assert_eq!(url, s3_url("in/good.tar.zst"));
    assert!(s3.get(BUCKET, "in/good.tar.zst").unwrap() == fs::read(&good).unwrap());
    let meta = s3.head_metadata(BUCKET, "in/good.tar.zst").unwrap();
    assert_eq!(meta.get("pgbag-sha256"), Some(&sha256_hex(&fs::read(&good).unwrap())), "{meta:?}");
    assert_eq!(meta.get("pgbag-created-at").map(String::as_str), Some("2026-01-01T00:00:00Z"), "{meta:?}");
    let (code, listed, stderr) = run_json(pgbag_s3(&s3, None).args(["list", "--json", &s3_url("in/")]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(listed[0]["key"], "in/good.tar.zst", "{listed:#}");
    assert_eq!(listed[0]["created"], "2026-01-01T00:00:00Z", "{listed:#}");
    // Not over an existing object without --force.
    pgbag_s3(&s3, None).arg("push").arg(&good).arg(s3_url("in/")).assert().code(2);
    pgbag_s3(&s3, None).arg("push").arg(&good).arg(s3_url("in/")).arg("--force").assert().success();
}

/// Creation times of the prune test, oldest first, with their ISO weeks:
/// 2026-11-23 is a Monday (W48), so 11-16..22 is W47 and 11-09..15 W46.
const HISTORY: &[&str] = &[
    "2026-09-15T03:00:00Z", // Tue W38, September
    "2026-10-05T03:00:00Z", // Mon W41
    "2026-10-20T03:00:00Z", // Tue W43
    "2026-10-31T03:00:00Z", // Sat W44, newest of October
    "2026-11-09T03:00:00Z", // Mon W46
    "2026-11-12T03:00:00Z", // Thu W46
    "2026-11-16T03:00:00Z", // Mon W47
    "2026-11-20T03:00:00Z", // Fri W47, newest of W47
    "2026-11-23T03:00:00Z", // Mon W48
    "2026-11-24T03:00:00Z", // Tue W48
    "2026-11-25T03:00:00Z", // Wed W48
    "2026-11-25T15:00:00Z", // Wed W48, the newest
];

/// Packs the fixture dump once per creation time under `prefix`; returns
/// the keys, oldest first.
pub(crate) fn pack_history(s3: &S3Server, prefix: &str, times: &[&str]) -> Vec<String> {
    times
        .iter()
        .map(|created| {
            let url = pack_sql_to_s3(s3, &fixture_dump(), prefix, created, &[]);
            let key = package_key(prefix, "fixture", created);
            assert_eq!(url, s3_url(&key));
            key
        })
        .collect()
}

/// key → (keep, reasons) of a prune --json report, after checking each
/// decision's creation time against `created`.
pub(crate) fn decisions(report: &Value, created: &BTreeMap<String, &str>) -> BTreeMap<String, (bool, Vec<String>)> {
    let list = report["decisions"].as_array().unwrap_or_else(|| panic!("no decisions: {report:#}"));
    list.iter()
        .map(|d| {
            let key = d["key"].as_str().unwrap().to_string();
            assert_eq!(d["created"], created[&key], "{d}");
            let reasons = d["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
            (key, (d["keep"].as_bool().unwrap(), reasons))
        })
        .collect()
}

#[test]
fn prune_keeps_daily_weekly_monthly_ignores_foreign_objects_and_applies() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let keys = pack_history(&s3, "db/", HISTORY);
    let created: BTreeMap<String, &str> = keys.iter().cloned().zip(HISTORY.iter().copied()).collect();
    let foreign = ["db/notes.txt", "db/x.tar.zst"];
    s3.put(BUCKET, foreign[0], b"restore drill on Friday\n", &[]);
    let mut noise = Vec::new();
    let mut rng = SplitMix(7);
    (0..512).for_each(|_| noise.extend_from_slice(&rng.next().to_le_bytes()));
    s3.put(BUCKET, foreign[1], &noise, &[]);
    let all_before = s3.keys(BUCKET, "");

    // list: packages only, oldest first.
    let (code, listed, stderr) = run_json(pgbag_s3(&s3, None).args(["list", "--json", &s3_url("db/")]));
    assert_eq!(code, 0, "{stderr}");
    let listed_keys: Vec<&str> = listed.as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(listed_keys, keys, "{listed:#}");

    // Newest first: 11-25T15 is the day's, W48's and November's newest; the
    // next days fill the daily budget (11-24, 11-23); W47's newest is 11-20;
    // October's newest is 10-31. Everything else goes.
    let expected: BTreeMap<String, (bool, Vec<String>)> = [
        (11, vec!["daily 2026-11-25", "weekly 2026-W48", "monthly 2026-11", "newest valid package"]),
        (9, vec!["daily 2026-11-24"]),
        (8, vec!["daily 2026-11-23"]),
        (7, vec!["weekly 2026-W47"]),
        (3, vec!["monthly 2026-10"]),
    ]
    .into_iter()
    .map(|(i, reasons)| (keys[i].clone(), (true, reasons.into_iter().map(String::from).collect())))
    .chain([0, 1, 2, 4, 5, 6, 10].into_iter().map(|i| (keys[i].clone(), (false, Vec::new()))))
    .collect();
    let policy = ["--keep-daily", "3", "--keep-weekly", "2", "--keep-monthly", "2", "--json"];

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/")]).args(policy));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["apply"], false);
    assert_eq!(decisions(&report, &created), expected, "{report:#}");
    assert_eq!(strings(&report["ignored"]), foreign.iter().map(|k| k.to_string()).collect());
    assert_eq!(strings(&report["deleted"]), BTreeSet::new());
    assert_eq!(s3.keys(BUCKET, ""), all_before, "the dry run deleted something");

    // No rule at all would delete everything but one package: refused.
    pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--apply"]).assert().code(2);
    assert_eq!(s3.keys(BUCKET, ""), all_before);

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--apply"]).args(policy));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["apply"], true);
    assert_eq!(decisions(&report, &created), expected, "{report:#}");
    let deleted: BTreeSet<String> = expected.iter().filter(|(_, (keep, _))| !keep).map(|(k, _)| k.clone()).collect();
    assert_eq!(strings(&report["deleted"]), deleted);
    let mut remaining: Vec<String> = expected.iter().filter(|(_, (keep, _))| *keep).map(|(k, _)| k.clone()).collect();
    remaining.extend(foreign.iter().map(|k| k.to_string()));
    remaining.sort();
    assert_eq!(s3.keys(BUCKET, ""), remaining);
}

#[test]
fn prune_never_deletes_the_newest_valid_package_when_the_newest_is_corrupt() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let times = ["2026-11-23T03:00:00Z", "2026-11-24T03:00:00Z", "2026-11-25T03:00:00Z"];
    let keys = pack_history(&s3, "db/", &times);
    let created: BTreeMap<String, &str> = keys.iter().cloned().zip(times.iter().copied()).collect();
    // The newest keeps its pgbag metadata but no longer validates.
    corrupt_middle_byte(&s3, &keys[2]);
    assert_eq!(run_json(pgbag_s3(&s3, None).args(["validate", "--json", &s3_url(&keys[2])])).0, 1);

    // The corrupt newest takes no slot and is kept; the slot goes to the next.
    let expected: BTreeMap<String, (bool, Vec<String>)> = [
        (keys[2].clone(), (true, vec!["invalid, not counted".to_string()])),
        (keys[1].clone(), (true, vec!["last 1".to_string(), "newest valid package".to_string()])),
        (keys[0].clone(), (false, vec![])),
    ]
    .into();
    let (code, report, stderr) =
        run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--keep-last", "1", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(decisions(&report, &created), expected, "{report:#}");
    assert_eq!(s3.keys(BUCKET, ""), keys);

    let (code, report, stderr) =
        run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--keep-last", "1", "--apply", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(strings(&report["deleted"]), BTreeSet::from([keys[0].clone()]));
    assert_eq!(s3.keys(BUCKET, ""), keys[1..]);
}
