//! A throwaway S3-protocol server (moto) for integration tests.
//!
//! Each [`S3Server`] is its own `moto_server` process, listening on 127.0.0.1
//! only, on a port picked for it, with its log in a private temp dir. Its state
//! lives in memory, so every server starts empty and tests never share
//! buckets. Nothing here ever talks to an address other than 127.0.0.1, and
//! [`S3Server::env`] / [`S3Server::apply_env`] keep a developer's `~/.aws` and
//! `AWS_*` variables from redirecting a child process to real AWS.
//!
//! The helpers (`put`, `get`, `keys`, ...) are synchronous: they drive a
//! private current-thread tokio runtime, so call them from plain `#[test]`s,
//! not from inside an async runtime.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::operation::get_object::GetObjectError;
use aws_sdk_s3::operation::head_object::HeadObjectError;
use aws_sdk_s3::primitives::ByteStream;

/// Credentials and region the server (and [`S3Server::env`]) use. moto
/// accepts any credentials unless authentication is enforced.
pub const ACCESS_KEY_ID: &str = "testing";
pub const SECRET_ACCESS_KEY: &str = "testing";
pub const REGION: &str = "us-east-1";

/// How long a freshly spawned moto_server may take to answer HTTP; importing
/// moto alone takes a couple of seconds on a cold machine.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

/// Fresh ports (and processes) to try when moto_server dies during startup,
/// e.g. because another process took the port between picking and binding.
const START_ATTEMPTS: usize = 3;

/// Variables that would make an AWS SDK in a child process ignore or override
/// [`S3Server::env`]: another profile or credential source, a session token
/// that does not belong to our key, a service-specific endpoint (which wins
/// over `AWS_ENDPOINT_URL`), or the switch that ignores configured endpoints.
const AWS_ENV_TO_CLEAR: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL_S3",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_S3_USE_ARN_REGION",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// Ports already handed to a server by this test process. The kernel may give
/// a just-released port out again, and parallel tests must not race each
/// other for one: a second moto_server would fail to bind while the first one
/// answered our readiness probe on its behalf.
static PORTS_USED: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

pub struct S3Server {
    /// `None` once [`S3Server::stop`] has killed and reaped it.
    child: Option<Child>,
    port: u16,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    client: aws_sdk_s3::Client,
    runtime: tokio::runtime::Runtime,
    /// Holds the server log and the (nonexistent) AWS config paths of
    /// [`S3Server::env`]. Declared last so it outlives `Drop::drop`.
    dir: tempfile::TempDir,
}

impl S3Server {
    /// Starts `moto_server -H 127.0.0.1 -p PORT` and waits until it answers.
    ///
    /// Returns `None` (after explaining why on stderr) when moto_server is not
    /// installed, so `cargo test` still works on a laptop without it; under
    /// CI it panics instead ([`crate::util::unavailable`]).
    /// Any failure *after* the binary was found panics: that is a real bug.
    pub fn start() -> Option<S3Server> {
        Self::start_inner(false)
    }

    /// Like [`S3Server::start`], but with moto's IAM authentication enforced
    /// from the first request (`INITIAL_NO_AUTH_ACTION_COUNT=0`). No IAM user
    /// exists, so every request is refused with `InvalidAccessKeyId`
    /// whatever its credentials: for tests of the wrong-credentials path.
    pub fn start_with_auth() -> Option<S3Server> {
        Self::start_inner(true)
    }

    fn start_inner(enforce_auth: bool) -> Option<S3Server> {
        let dir = tempfile::Builder::new().prefix("pgbag-s3-").tempdir().expect("create temp dir for moto_server");
        let log_path = dir.path().join("moto.log");
        let mut last_log = String::new();
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let log = fs::File::create(&log_path).expect("create moto_server log file");
            let mut cmd = Command::new("moto_server");
            cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("clone log file handle"))
                .stderr(log);
            if enforce_auth {
                cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", "0");
            } else {
                // A developer's shell must not turn authentication on for
                // tests that expect moto's default of accepting anything.
                cmd.env_remove("INITIAL_NO_AUTH_ACTION_COUNT");
            }
            let mut child = match cmd.spawn() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    super::unavailable("moto_server", "it is not on PATH (pip install 'moto[server]')");
                    return None;
                }
                Err(e) => panic!("spawn moto_server: {e}"),
            };
            match wait_until_answering(&mut child, port) {
                Ok(()) => return Some(Self::new(child, port, dir)),
                Err(Startup::Exited(status)) => {
                    // Most likely the port was taken meanwhile: try another.
                    last_log = fs::read_to_string(&log_path).unwrap_or_default();
                    eprintln!("moto_server on port {port} exited during startup ({status}); retrying");
                }
                Err(Startup::TimedOut) => {
                    kill_and_reap(&mut child);
                    let log = fs::read_to_string(&log_path).unwrap_or_default();
                    panic!(
                        "moto_server on 127.0.0.1:{port} did not answer HTTP within {STARTUP_TIMEOUT:?}\n\
                         --- moto_server log ---\n{log}"
                    );
                }
            }
        }
        panic!("moto_server exited during startup {START_ATTEMPTS} times\n--- last moto_server log ---\n{last_log}");
    }

    fn new(child: Child, port: u16, dir: tempfile::TempDir) -> S3Server {
        let endpoint = format!("http://127.0.0.1:{port}");
        // Built directly rather than through aws-config's loader, so no
        // environment variable or profile file can change where it points.
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&endpoint)
            .credentials_provider(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "pgbag-tests"))
            // moto serves every bucket from one host: no virtual-host DNS.
            .force_path_style(true)
            .build();
        let client = aws_sdk_s3::Client::from_conf(config);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("build tokio runtime for the S3 test client");
        S3Server { child: Some(child), port, endpoint, client, runtime, dir }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Environment for a child process (e.g. the pgbag binary under test)
    /// that points any AWS SDK at this server with the test credentials.
    /// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name files that do not
    /// exist, so the user's ~/.aws cannot leak in; the IMDS lookup is off so
    /// a miss cannot hang on 169.254.169.254.
    pub fn env(&self) -> Vec<(String, String)> {
        let missing = |name: &str| self.dir.path().join(name).to_str().expect("temp dir path is UTF-8").to_string();
        [
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID.to_string()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.to_string()),
            ("AWS_REGION", REGION.to_string()),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
            ("AWS_CONFIG_FILE", missing("no-aws-config")),
            ("AWS_SHARED_CREDENTIALS_FILE", missing("no-aws-credentials")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// Applies [`S3Server::env`] to any command (e.g. an `assert_cmd`
    /// invocation of the pgbag binary) after removing the AWS variables that
    /// would override it.
    pub fn apply_env(&self, cmd: &mut Command) {
        for var in AWS_ENV_TO_CLEAR {
            cmd.env_remove(var);
        }
        cmd.envs(self.env());
    }

    /// The server's log so far, for assertion messages.
    pub fn log(&self) -> String {
        fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("moto.log")
    }

    pub fn client(&self) -> &aws_sdk_s3::Client {
        &self.client
    }

    pub fn create_bucket(&self, name: &str) {
        self.runtime
            .block_on(self.client.create_bucket().bucket(name).send())
            .unwrap_or_else(|e| panic!("create bucket {name}: {}", DisplayErrorContext(&e)));
    }

    /// Uploads `bytes` with user `metadata` (sent as `x-amz-meta-*`); panics on failure.
    pub fn put(&self, bucket: &str, key: &str, bytes: &[u8], metadata: &[(&str, &str)]) {
        self.try_put(bucket, key, bytes, metadata).unwrap_or_else(|e| panic!("put s3://{bucket}/{key}: {e}"));
    }

    /// Like [`S3Server::put`], but returns the SDK's error (with its whole
    /// source chain) instead of panicking.
    pub fn try_put(&self, bucket: &str, key: &str, bytes: &[u8], metadata: &[(&str, &str)]) -> Result<(), String> {
        let mut req = self.client.put_object().bucket(bucket).key(key).body(ByteStream::from(bytes.to_vec()));
        for (k, v) in metadata {
            req = req.metadata(*k, *v);
        }
        self.runtime.block_on(req.send()).map(|_| ()).map_err(|e| DisplayErrorContext(&e).to_string())
    }

    /// The object's bytes, or `None` if the key does not exist.
    pub fn get(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        self.runtime.block_on(async {
            let out = match self.client.get_object().bucket(bucket).key(key).send().await {
                Ok(out) => out,
                Err(e) => match e.into_service_error() {
                    GetObjectError::NoSuchKey(_) => return None,
                    e => panic!("get s3://{bucket}/{key}: {}", DisplayErrorContext(&e)),
                },
            };
            let body = out.body.collect().await.unwrap_or_else(|e| panic!("read body of s3://{bucket}/{key}: {e}"));
            Some(body.into_bytes().to_vec())
        })
    }

    /// The object's user metadata (keys without `x-amz-meta-`), or `None` if
    /// the key does not exist.
    pub fn head_metadata(&self, bucket: &str, key: &str) -> Option<HashMap<String, String>> {
        match self.runtime.block_on(self.client.head_object().bucket(bucket).key(key).send()) {
            Ok(out) => Some(out.metadata().cloned().unwrap_or_default()),
            Err(e) => match e.into_service_error() {
                HeadObjectError::NotFound(_) => None,
                e => panic!("head s3://{bucket}/{key}: {}", DisplayErrorContext(&e)),
            },
        }
    }

    /// All keys under `prefix`, in S3's (byte-wise) order.
    pub fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let pages = self
            .runtime
            .block_on(self.client.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send().try_collect())
            .unwrap_or_else(|e| panic!("list s3://{bucket}/{prefix}: {}", DisplayErrorContext(&e)));
        pages.iter().flat_map(|p| p.contents()).filter_map(|o| o.key().map(str::to_string)).collect()
    }

    /// Keys of multipart uploads begun but neither completed nor aborted:
    /// what an interrupted upload must not leave behind.
    pub fn open_multipart_uploads(&self, bucket: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let (mut key_marker, mut upload_id_marker) = (None::<String>, None::<String>);
        loop {
            let req = self
                .client
                .list_multipart_uploads()
                .bucket(bucket)
                .set_key_marker(key_marker.take())
                .set_upload_id_marker(upload_id_marker.take());
            let out = self
                .runtime
                .block_on(req.send())
                .unwrap_or_else(|e| panic!("list multipart uploads in {bucket}: {}", DisplayErrorContext(&e)));
            keys.extend(out.uploads().iter().filter_map(|u| u.key().map(str::to_string)));
            if out.is_truncated() != Some(true) {
                return keys;
            }
            key_marker = out.next_key_marker().map(str::to_string);
            upload_id_marker = out.next_upload_id_marker().map(str::to_string);
        }
    }

    /// Kills the server (SIGKILL, no goodbye), e.g. to make an upload in
    /// flight fail. Idempotent; its state is gone for good.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_and_reap(&mut child);
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}

enum Startup {
    Exited(std::process::ExitStatus),
    TimedOut,
}

/// Polls until something on 127.0.0.1:`port` answers an HTTP request while
/// `child` is still running. Any status counts: with authentication enforced
/// moto answers `GET /` with an error, and that is still "up".
fn wait_until_answering(child: &mut Child, port: u16) -> Result<(), Startup> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().expect("poll moto_server") {
            return Err(Startup::Exited(status));
        }
        if answers_http(&addr, port) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Startup::TimedOut);
        }
        thread::sleep(Duration::from_millis(100));
    }
}

fn answers_http(addr: &SocketAddr, port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

fn kill_and_reap(child: &mut Child) {
    // Fails only if it already exited; wait() reaps it either way, so no zombie.
    let _ = child.kill();
    let _ = child.wait();
}

/// A port on 127.0.0.1 that was free a moment ago and that no other server in
/// this process has been given.
fn free_port() -> u16 {
    let mut used = PORTS_USED.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("bind 127.0.0.1:0 to pick a port number");
        if used.insert(port) {
            return port;
        }
    }
}
