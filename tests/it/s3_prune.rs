//! prune's judgement of validity, pins and quiet runs (issue 13), against a
//! real S3-protocol server (moto) on 127.0.0.1.

use std::collections::{BTreeMap, BTreeSet};

use crate::s3::{BUCKET, decisions, get_unverified, pack_history, pgbag_s3, run_json, s3_url, strings};
use crate::util::s3::S3Server;

fn reasons(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

/// Another tool's copy of a package, dropped into the prefix as the newest
/// object: a tar whose manifest parses (so it is listed, by its head) but
/// whose payload was damaged on the way. It must not take the night's slot.
#[test]
fn only_valid_packages_take_slots_pins_are_kept_and_q_is_silent() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let times = ["2026-11-23T03:00:00Z", "2026-11-24T03:00:00Z", "2026-11-25T03:00:00Z"];
    let keys = pack_history(&s3, "db/", &times);
    let mut bytes = get_unverified(&s3, &keys[2]);
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    let other = "db/zz-other-tool.tar.zst".to_string();
    s3.put(BUCKET, &other, &bytes, &[]);
    let mut created: BTreeMap<String, &str> = keys.iter().cloned().zip(times.iter().copied()).collect();
    created.insert(other.clone(), times[2]);

    // pin: the oldest, with a reason; not a foreign object.
    let (code, _, stderr) =
        run_json(pgbag_s3(&s3, None).args(["pin", "-q", &s3_url(&keys[0]), "--reason", "before the upgrade"]));
    assert_eq!(code, 0, "{stderr}");
    s3.put(BUCKET, "db/notes.txt", b"drill on Friday\n", &[]);
    let (code, _, stderr) = run_json(pgbag_s3(&s3, None).args(["pin", &s3_url("db/notes.txt")]));
    assert_eq!(code, 2, "pinned a foreign object: {stderr}");
    assert!(stderr.contains("not a pgbag package"), "{stderr}");

    // list --json: the full URL, pgbag-sha256 (none for the other tool's
    // object), the pin; oldest first, as the text.
    let (code, listed, stderr) = run_json(pgbag_s3(&s3, None).args(["list", "--json", &s3_url("db/")]));
    assert_eq!(code, 0, "{stderr}");
    let rows = listed.as_array().unwrap();
    let order: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(order, [keys[0].as_str(), &keys[1], &keys[2], &other]);
    for r in rows {
        assert_eq!(r["url"], s3_url(r["key"].as_str().unwrap()));
    }
    let sha = |i: usize| rows[i]["sha256"].as_str().map(str::to_string);
    assert!((0..3).all(|i| sha(i).is_some_and(|s| s.len() == 64)), "{listed:#}");
    assert_eq!(rows[3]["sha256"], serde_json::Value::Null);
    assert_eq!(rows[0]["pinned"]["reason"], "before the upgrade");
    assert!(rows[1..].iter().all(|r| r["pinned"].is_null()), "{listed:#}");
    let text = String::from_utf8(pgbag_s3(&s3, None).args(["list", &s3_url("db/")]).output().unwrap().stdout).unwrap();
    let text_order: Vec<&str> =
        text.lines().skip(1).filter_map(|l| l.split_whitespace().find(|w| w.starts_with("db/"))).collect();
    assert_eq!(text_order, order, "{text}");
    assert!(text.lines().nth(1).unwrap().ends_with("pinned: before the upgrade"), "{text}");

    // The pin changed metadata only: the package still validates against
    // the pgbag-sha256 it was stored with.
    let (code, v, stderr) = run_json(pgbag_s3(&s3, None).args(["validate", "--json", &s3_url(&keys[0])]));
    assert_eq!((code, v["sha256"].as_str().map(str::to_string)), (0, sha(0)), "{stderr}");

    let expected: BTreeMap<String, (bool, Vec<String>)> = [
        (other.clone(), (true, reasons(&["invalid, not counted"]))),
        (keys[2].clone(), (true, reasons(&["last 1", "newest valid package"]))),
        (keys[1].clone(), (false, vec![])),
        (keys[0].clone(), (true, reasons(&["pinned"]))),
    ]
    .into();
    let (code, report, stderr) =
        run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--keep-last", "1", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(decisions(&report, &created), expected, "{report:#}");
    assert_eq!(strings(&report["invalid"]), BTreeSet::from([other.clone()]));
    let json_order: Vec<&str> =
        report["decisions"].as_array().unwrap().iter().map(|d| d["key"].as_str().unwrap()).collect();
    assert_eq!(json_order, order, "prune --json is oldest first, as list");

    // --apply -q: nothing on stdout; on stderr only the invalid package.
    let out =
        pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--keep-last", "1", "--apply", "-q"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(out.stdout.is_empty(), "prune -q printed {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&other) && stderr.contains("invalid"), "{stderr}");
    let mut left = vec![keys[0].clone(), keys[2].clone(), "db/notes.txt".to_string(), other.clone()];
    left.sort();
    assert_eq!(s3.keys(BUCKET, ""), left);

    // Unpinned, the oldest is the rules' again.
    pgbag_s3(&s3, None).args(["pin", "--remove", &s3_url(&keys[0])]).assert().success();
    let (_, report, _) = run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--keep-last", "1", "--json"]));
    let d = decisions(&report, &created);
    assert_eq!(d[&keys[0]], (false, vec![]), "{report:#}");
}

/// A valid package without pgbag-sha256 (uploaded by another tool) takes a
/// slot only after it has been validated; with --deep every package that
/// would take a slot is validated, so a damaged one that kept its metadata
/// is found too.
#[test]
fn packages_without_a_recorded_sha256_are_validated_before_they_take_a_slot() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket(BUCKET);
    let times = ["2026-11-22T03:00:00Z", "2026-11-23T03:00:00Z", "2026-11-24T03:00:00Z", "2026-11-25T03:00:00Z"];
    let keys = pack_history(&s3, "db/", &times);
    let created: BTreeMap<String, &str> = keys.iter().cloned().zip(times.iter().copied()).collect();
    // keys[1]: damaged, metadata kept (bit rot). keys[2]: sound, metadata lost.
    let mut rotten = get_unverified(&s3, &keys[1]);
    let meta = s3.head_metadata(BUCKET, &keys[1]).unwrap();
    let mid = rotten.len() / 2;
    rotten[mid] ^= 0xff;
    let meta: Vec<(&str, &str)> = meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    s3.put(BUCKET, &keys[1], &rotten, &meta);
    let sound = get_unverified(&s3, &keys[2]);
    s3.put(BUCKET, &keys[2], &sound, &[]);

    let policy = ["--keep-daily", "3", "--json"];
    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/")]).args(policy));
    assert_eq!(code, 0, "{stderr}");
    // Without --deep keys[1]'s recorded SHA-256 is trusted; keys[2] was read.
    let d = decisions(&report, &created);
    assert_eq!(d[&keys[3]].1, reasons(&["daily 2026-11-25", "newest valid package"]));
    assert_eq!(d[&keys[2]].1, reasons(&["daily 2026-11-24"]));
    assert_eq!(d[&keys[1]].1, reasons(&["daily 2026-11-23"]));
    assert!(!d[&keys[0]].0);

    let (code, report, stderr) = run_json(pgbag_s3(&s3, None).args(["prune", &s3_url("db/"), "--deep"]).args(policy));
    assert_eq!(code, 0, "{stderr}");
    let d = decisions(&report, &created);
    assert_eq!(d[&keys[1]], (true, reasons(&["invalid, not counted"])), "{report:#}");
    assert_eq!(d[&keys[0]].1, reasons(&["daily 2026-11-22"]), "the slot went to the next valid day: {report:#}");
    assert_eq!(strings(&report["invalid"]), BTreeSet::from([keys[1].clone()]));
}
