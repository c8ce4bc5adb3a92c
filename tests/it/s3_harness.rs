//! Self-test of `util::s3::S3Server`: the S3 store tests trust its helpers to
//! report what the server really holds, so check them against known values.

use std::collections::HashMap;
use std::path::Path;

use crate::util::s3::S3Server;

#[test]
fn put_get_head_list_round_trip() {
    let Some(s3) = S3Server::start() else { return };
    assert!(s3.endpoint.starts_with("http://127.0.0.1:"), "{}", s3.endpoint);
    s3.create_bucket("bags");

    s3.put("bags", "daily/one.pgbag", b"first object", &[("sha256", "abc123"), ("pgbag-format", "1")]);
    s3.put("bags", "daily/two.pgbag", b"second", &[]);
    s3.put("bags", "weekly/three.pgbag", b"", &[]);

    assert_eq!(s3.get("bags", "daily/one.pgbag").as_deref(), Some(&b"first object"[..]));
    assert_eq!(s3.get("bags", "weekly/three.pgbag").as_deref(), Some(&b""[..]));
    assert_eq!(s3.get("bags", "daily/missing.pgbag"), None);

    let expected: HashMap<String, String> =
        [("sha256", "abc123"), ("pgbag-format", "1")].into_iter().map(|(k, v)| (k.into(), v.into())).collect();
    assert_eq!(s3.head_metadata("bags", "daily/one.pgbag"), Some(expected));
    assert_eq!(s3.head_metadata("bags", "daily/two.pgbag"), Some(HashMap::new()));
    assert_eq!(s3.head_metadata("bags", "daily/missing.pgbag"), None);

    assert_eq!(s3.keys("bags", "daily/"), ["daily/one.pgbag", "daily/two.pgbag"]);
    assert_eq!(s3.keys("bags", ""), ["daily/one.pgbag", "daily/two.pgbag", "weekly/three.pgbag"]);
    assert!(s3.keys("bags", "monthly/").is_empty());
}

#[test]
fn open_multipart_uploads_lists_unfinished_uploads() {
    let Some(s3) = S3Server::start() else { return };
    s3.create_bucket("bags");
    assert!(s3.open_multipart_uploads("bags").is_empty());

    // Begun and never completed: exactly what an interrupted upload leaves.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(s3.client().create_multipart_upload().bucket("bags").key("half.pgbag").send()).unwrap();
    assert_eq!(s3.open_multipart_uploads("bags"), ["half.pgbag"]);
}

#[test]
fn env_points_only_at_the_test_server() {
    let Some(s3) = S3Server::start() else { return };
    let env: HashMap<String, String> = s3.env().into_iter().collect();
    assert_eq!(env["AWS_ENDPOINT_URL"], s3.endpoint);
    assert_eq!(env["AWS_ACCESS_KEY_ID"], "testing");
    assert_eq!(env["AWS_REGION"], "us-east-1");
    assert_eq!(env["AWS_EC2_METADATA_DISABLED"], "true");
    for file in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        assert!(!Path::new(&env[file]).exists(), "{file}={} must not exist", env[file]);
    }
}

#[test]
fn auth_enforced_server_rejects_any_credentials() {
    let Some(s3) = S3Server::start_with_auth() else { return };
    let err = s3.try_put("bags", "k", b"x", &[]).expect_err("put must be refused with authentication enforced");
    assert!(err.contains("InvalidAccessKeyId"), "unexpected error: {err}\n--- log ---\n{}", s3.log());
}

#[test]
fn stop_makes_requests_fail() {
    let Some(mut s3) = S3Server::start() else { return };
    s3.create_bucket("bags");
    s3.put("bags", "before", b"x", &[]);
    s3.stop();
    s3.stop(); // idempotent
    assert!(s3.try_put("bags", "after", b"x", &[]).is_err(), "put succeeded against a stopped server");
}
