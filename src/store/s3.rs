//! S3-compatible object storage (spec/storage.md), behind a synchronous API.
//!
//! [`S3`] owns a small tokio runtime and an `aws-sdk-s3` client; every public
//! function blocks on it. Reading is either ranged (the head, for `inspect`
//! and `list`) or one streaming GET fed through a bounded channel (validate,
//! restore). Writing is [`Upload`]: a multipart upload whose first part is
//! held back and sent last, so that a package's head, known only when the
//! dump ends, can still come first in the object (spec/storage.md §3).
//! Nothing here keeps more than a few parts in memory.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::Client;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart, MetadataDirective};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tokio::runtime::Runtime;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::to_io;
use crate::error::{Error, Result};

/// Smallest part S3 accepts, except for the last.
pub const MIN_PART: usize = 5 << 20;
/// Largest part S3 accepts.
pub const MAX_PART: usize = 5 << 30;
/// Parts per multipart upload.
pub const MAX_PARTS: i32 = 10_000;
/// Default part size: 10,000 parts of 16 MiB is a 156 GiB package.
pub const DEFAULT_PART: usize = 16 << 20;
/// Parts uploading at once; with the held-back first part and the part being
/// filled, peak memory is about (IN_FLIGHT + 1) × part size + 5 MiB.
pub const IN_FLIGHT: usize = 2;
/// Largest object CopyObject copies in one request.
const SINGLE_COPY_LIMIT: u64 = 5 << 30;
/// Range size when a larger object must be copied part by part.
const COPY_RANGE: u64 = 1 << 30;
/// The head reader caches at most this much of an object's start.
const HEAD_CACHE_MAX: usize = 8 << 20;
/// First ranged read of a head; later ones double.
const HEAD_FIRST_RANGE: usize = 64 << 10;
/// Connect timeout, and how long a read may wait for bytes.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(60);
const ATTEMPTS: u32 = 3;

/// `s3://bucket/key`. A key that is empty or ends in `/` is a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    pub key: String,
}

impl S3Url {
    /// `Ok(None)` when `s` is not an `s3://` URL.
    pub fn parse(s: &str) -> Result<Option<S3Url>> {
        let Some(rest) = s.get(..5).filter(|p| p.eq_ignore_ascii_case("s3://")).map(|_| &s[5..]) else {
            return Ok(None);
        };
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let ok = (3..=63).contains(&bucket.len())
            && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && !bucket.starts_with(['.', '-'])
            && !bucket.ends_with(['.', '-']);
        if !ok {
            return Err(Error::usage(format!(
                "{s}: `{bucket}` is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-'); \
                 expected s3://bucket/key"
            )));
        }
        Ok(Some(S3Url { bucket: bucket.to_string(), key: key.to_string() }))
    }

    /// True when the URL names a prefix (a "folder") rather than an object.
    pub fn is_prefix(&self) -> bool {
        self.key.is_empty() || self.key.ends_with('/')
    }

    /// The same bucket, another key.
    pub fn with_key(&self, key: impl Into<String>) -> S3Url {
        S3Url { bucket: self.bucket.clone(), key: key.into() }
    }
}

impl std::fmt::Display for S3Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// How to reach the store; everything else comes from the AWS SDK's own
/// configuration chain (environment, profile, instance role).
#[derive(Debug, Clone, Default)]
pub struct S3Config {
    /// `--endpoint-url`; otherwise `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`.
    pub endpoint_url: Option<String>,
    /// `--s3-force-path-style`; also `AWS_S3_FORCE_PATH_STYLE=true`, and
    /// automatic for IP-address and `localhost` endpoints.
    pub force_path_style: bool,
    /// Multipart part size in bytes (default [`DEFAULT_PART`]).
    pub part_size: Option<usize>,
}

/// Object facts from a HEAD or a listing.
#[derive(Debug, Clone)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub etag: Option<String>,
    pub last_modified: Option<DateTime<Utc>>,
    /// User metadata (`x-amz-meta-*`), keys lower-case, values decoded.
    pub metadata: HashMap<String, String>,
}

/// A connection to an S3-compatible store.
pub struct S3 {
    client: Client,
    endpoint: String,
    part_size: usize,
    // Declared last: dropped after the client.
    rt: Runtime,
}

fn env_true(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
}

/// Whether an endpoint needs path-style addressing by itself: virtual-host
/// style cannot work for an IP address or `localhost`.
pub fn auto_path_style(endpoint: &str) -> bool {
    let host = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let host = host.split(['/', '?']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next().is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::Ipv4Addr>().is_ok()
}

impl S3 {
    /// Loads the AWS configuration and builds a client. No request is made.
    pub fn connect(cfg: &S3Config) -> Result<Arc<S3>> {
        let part_size = cfg.part_size.unwrap_or(DEFAULT_PART);
        if !(MIN_PART..=MAX_PART).contains(&part_size) {
            return Err(Error::usage(format!("--s3-part-size {part_size}: S3 parts must be between 5 MiB and 5 GiB")));
        }
        let endpoint = cfg
            .endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL_S3").ok())
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .filter(|e| !e.is_empty());
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pgbag-s3")
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting the S3 client's runtime", e))?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .timeout_config(
                TimeoutConfig::builder().connect_timeout(CONNECT_TIMEOUT).read_timeout(READ_TIMEOUT).build(),
            )
            .retry_config(RetryConfig::standard().with_max_attempts(ATTEMPTS));
        if let Some(e) = &endpoint {
            loader = loader.endpoint_url(e);
        }
        let sdk = rt.block_on(loader.load());
        let mut conf = aws_sdk_s3::config::Builder::from(&sdk);
        if sdk.region().is_none() {
            // Other S3-compatible stores ignore the region, but SigV4 needs one.
            conf = conf.region(Region::new("us-east-1"));
        }
        let path_style = cfg.force_path_style
            || env_true("AWS_S3_FORCE_PATH_STYLE")
            || endpoint.as_deref().is_some_and(auto_path_style);
        conf = conf.force_path_style(path_style);
        let client = Client::from_conf(conf.build());
        let endpoint = endpoint.unwrap_or_else(|| "AWS S3".to_string());
        Ok(Arc::new(S3 { client, endpoint, part_size, rt }))
    }

    /// The endpoint, for messages.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn part_size(&self) -> usize {
        self.part_size
    }

    /// HEAD; `None` when there is no such object.
    pub fn head(&self, url: &S3Url) -> Result<Option<ObjectInfo>> {
        let r = self.rt.block_on(self.client.head_object().bucket(&url.bucket).key(&url.key).send());
        match r {
            Ok(o) => Ok(Some(ObjectInfo {
                key: url.key.clone(),
                size: o.content_length().unwrap_or(0).max(0) as u64,
                etag: o.e_tag().map(str::to_string),
                last_modified: o.last_modified().and_then(to_chrono),
                metadata: decode_metadata(o.metadata()),
            })),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
            Err(e) => Err(self.error(&format!("reading {url}"), e)),
        }
    }

    /// HEADs many keys, a few at a time.
    pub fn head_many(&self, bucket: &str, keys: &[String]) -> Vec<Result<Option<ObjectInfo>>> {
        let sem = Arc::new(tokio::sync::Semaphore::new(8));
        let tasks: Vec<_> = keys
            .iter()
            .map(|k| {
                let (client, sem, bucket, key) = (self.client.clone(), sem.clone(), bucket.to_string(), k.clone());
                self.rt.spawn(async move {
                    let _permit = sem.acquire().await;
                    client.head_object().bucket(bucket).key(key).send().await
                })
            })
            .collect();
        tasks
            .into_iter()
            .zip(keys)
            .map(|(t, key)| {
                let url = S3Url { bucket: bucket.to_string(), key: key.clone() };
                match self.rt.block_on(t) {
                    Ok(Ok(o)) => Ok(Some(ObjectInfo {
                        key: key.clone(),
                        size: o.content_length().unwrap_or(0).max(0) as u64,
                        etag: o.e_tag().map(str::to_string),
                        last_modified: o.last_modified().and_then(to_chrono),
                        metadata: decode_metadata(o.metadata()),
                    })),
                    Ok(Err(e)) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
                    Ok(Err(e)) => Err(self.error(&format!("reading {url}"), e)),
                    Err(e) => Err(Error::operational(format!("reading {url}: {e}"))),
                }
            })
            .collect()
    }

    /// Opens an object for reading, fixing its size and ETag.
    pub fn object(self: &Arc<Self>, url: &S3Url) -> Result<RemoteObject> {
        if url.is_prefix() {
            return Err(Error::usage(format!("{url} names a prefix, not a package; give the object's full key")));
        }
        let info = self.head(url)?.ok_or_else(|| {
            Error::operational(format!("{url}: no such object at {} (check the bucket and key)", self.endpoint))
        })?;
        Ok(RemoteObject::with_info(self.clone(), url.clone(), info))
    }

    /// Every object under a prefix, in key order.
    pub fn list(&self, prefix: &S3Url) -> Result<Vec<ObjectInfo>> {
        let mut out = Vec::new();
        let mut pages =
            self.client.list_objects_v2().bucket(&prefix.bucket).prefix(&prefix.key).into_paginator().send();
        while let Some(page) = self.rt.block_on(pages.next()) {
            let page = page.map_err(|e| self.error(&format!("listing {prefix}"), e))?;
            for o in page.contents() {
                out.push(ObjectInfo {
                    key: o.key().unwrap_or_default().to_string(),
                    size: o.size().unwrap_or(0).max(0) as u64,
                    etag: o.e_tag().map(str::to_string),
                    last_modified: o.last_modified().and_then(to_chrono),
                    metadata: HashMap::new(),
                });
            }
        }
        Ok(out)
    }

    /// Deletes one object.
    pub fn delete(&self, url: &S3Url) -> Result<()> {
        self.rt
            .block_on(self.client.delete_object().bucket(&url.bucket).key(&url.key).send())
            .map(|_| ())
            .map_err(|e| self.error(&format!("deleting {url}"), e))
    }

    /// Starts writing an object. Nothing is visible until
    /// [`Upload::finish`]; dropping the upload unfinished aborts it.
    pub fn upload(self: &Arc<Self>, url: &S3Url, metadata: Vec<(String, String)>) -> Upload {
        Upload {
            s3: self.clone(),
            url: url.clone(),
            metadata,
            part_size: self.part_size,
            held: Vec::new(),
            cur: Vec::new(),
            upload_id: None,
            checksum: true,
            next_part: 2,
            in_flight: VecDeque::new(),
            parts: Vec::new(),
            done: false,
            bytes: 0,
        }
    }

    /// Replaces an object's metadata in place (server-side copy onto itself),
    /// only if it still has `etag`. Objects over `single_limit` bytes are
    /// copied range by range. Returns the new ETag and version ID.
    #[doc(hidden)]
    pub fn replace_metadata(
        &self,
        url: &S3Url,
        size: u64,
        etag: &str,
        metadata: &[(String, String)],
        single_limit: u64,
    ) -> Result<(Option<String>, Option<String>)> {
        let c = &self.client;
        let source = format!("{}/{}", url.bucket, utf8_percent_encode(&url.key, KEY_SET));
        let meta = encode_metadata(metadata);
        let ctx = || format!("recording metadata on {url}");
        if size <= single_limit {
            let r = self.rt.block_on(
                c.copy_object()
                    .bucket(&url.bucket)
                    .key(&url.key)
                    .copy_source(&source)
                    .copy_source_if_match(etag)
                    .metadata_directive(MetadataDirective::Replace)
                    .set_metadata(Some(meta))
                    .content_type(CONTENT_TYPE)
                    .send(),
            );
            let out = r.map_err(|e| self.error(&ctx(), e))?;
            let etag = out.copy_object_result().and_then(|r| r.e_tag()).map(str::to_string);
            return Ok((etag, out.version_id().map(str::to_string)));
        }
        self.rt.block_on(async {
            let created = c
                .create_multipart_upload()
                .bucket(&url.bucket)
                .key(&url.key)
                .set_metadata(Some(meta))
                .content_type(CONTENT_TYPE)
                .send()
                .await
                .map_err(|e| self.error(&ctx(), e))?;
            let id = created.upload_id().unwrap_or_default().to_string();
            let copy = async {
                let mut parts = Vec::new();
                let mut start = 0u64;
                let mut n = 1;
                while start < size {
                    let end = (start + COPY_RANGE).min(size) - 1;
                    let out = c
                        .upload_part_copy()
                        .bucket(&url.bucket)
                        .key(&url.key)
                        .upload_id(&id)
                        .part_number(n)
                        .copy_source(&source)
                        .copy_source_if_match(etag)
                        .copy_source_range(format!("bytes={start}-{end}"))
                        .send()
                        .await
                        .map_err(|e| self.error(&ctx(), e))?;
                    let etag = out.copy_part_result().and_then(|r| r.e_tag()).map(str::to_string);
                    parts.push(CompletedPart::builder().part_number(n).set_e_tag(etag).build());
                    start = end + 1;
                    n += 1;
                }
                let done = c
                    .complete_multipart_upload()
                    .bucket(&url.bucket)
                    .key(&url.key)
                    .upload_id(&id)
                    .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
                    .send()
                    .await
                    .map_err(|e| self.error(&ctx(), e))?;
                Ok((done.e_tag().map(str::to_string), done.version_id().map(str::to_string)))
            };
            let r = copy.await;
            if r.is_err() {
                let _ = c.abort_multipart_upload().bucket(&url.bucket).key(&url.key).upload_id(&id).send().await;
            }
            r
        })
    }

    /// Turns an SDK error into a pgbag error that says what failed and why,
    /// in terms a user can act on. All are operational (exit 2).
    fn error<E, R>(&self, what: &str, e: SdkError<E, R>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug,
    {
        let endpoint = &self.endpoint;
        let msg = match &e {
            SdkError::DispatchFailure(d) if d.is_timeout() => {
                format!("the S3 endpoint {endpoint} did not answer in time")
            }
            SdkError::DispatchFailure(d) if d.is_io() => format!(
                "cannot reach the S3 endpoint {endpoint} ({}); check --endpoint-url / AWS_ENDPOINT_URL and the network",
                DisplayErrorContext(&e)
            ),
            SdkError::TimeoutError(_) => format!("the S3 endpoint {endpoint} did not answer in time"),
            SdkError::ServiceError(_) => {
                let code = e.code().unwrap_or("");
                let detail = e.message().map(|m| format!(": {m}")).unwrap_or_default();
                match code {
                    "InvalidAccessKeyId"
                    | "SignatureDoesNotMatch"
                    | "AccessDenied"
                    | "ExpiredToken"
                    | "InvalidToken"
                    | "Forbidden" => format!(
                        "{endpoint} refused the request ({code}{detail}); check the credentials \
                         (AWS_ACCESS_KEY_ID, AWS_PROFILE) and their permissions"
                    ),
                    "NoSuchBucket" => format!("the bucket does not exist at {endpoint}{detail}"),
                    "" => format!("{endpoint} answered with an error: {}", DisplayErrorContext(&e)),
                    _ => format!("{endpoint} answered {code}{detail}"),
                }
            }
            _ => format!("{}", DisplayErrorContext(&e)),
        };
        Error::operational(format!("{what}: {msg}"))
    }
}

/// The Content-Type pgbag gives packages.
const CONTENT_TYPE: &str = "application/x-tar";

/// Characters escaped in a CopySource key (RFC 3986 unreserved and `/` pass).
const KEY_SET: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// Characters escaped in metadata values: S3 metadata travels in HTTP headers,
/// which carry only printable ASCII; database names may not be.
const META_SET: &AsciiSet = &CONTROLS.add(b'%');

fn encode_metadata(m: &[(String, String)]) -> HashMap<String, String> {
    m.iter().map(|(k, v)| (k.to_ascii_lowercase(), utf8_percent_encode(v, META_SET).to_string())).collect()
}

fn decode_metadata(m: Option<&HashMap<String, String>>) -> HashMap<String, String> {
    m.into_iter()
        .flatten()
        .map(|(k, v)| (k.to_ascii_lowercase(), percent_decode_str(v).decode_utf8_lossy().into_owned()))
        .collect()
}

fn to_chrono(t: &aws_sdk_s3::primitives::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// An object opened for reading: size and ETag fixed at open, so that every
/// later request (`If-Match`) reads the same bytes or fails.
pub struct RemoteObject {
    s3: Arc<S3>,
    url: S3Url,
    info: ObjectInfo,
    /// The object's first bytes, as far as they were read (ranged GETs).
    prefix: Mutex<Vec<u8>>,
    fetched: Arc<AtomicU64>,
}

impl RemoteObject {
    /// An object whose HEAD is already known.
    pub fn with_info(s3: Arc<S3>, url: S3Url, info: ObjectInfo) -> RemoteObject {
        RemoteObject { s3, url, info, prefix: Mutex::new(Vec::new()), fetched: Arc::new(AtomicU64::new(0)) }
    }

    pub fn url(&self) -> &S3Url {
        &self.url
    }

    pub fn size(&self) -> u64 {
        self.info.size
    }

    pub fn info(&self) -> &ObjectInfo {
        &self.info
    }

    /// Body bytes received from the store so far.
    pub fn bytes_fetched(&self) -> u64 {
        self.fetched.load(Ordering::Relaxed)
    }

    /// One ranged GET of `[start, end)`.
    fn get_range(&self, start: u64, end: u64) -> Result<Vec<u8>> {
        let s3 = &self.s3;
        let mut req = s3
            .client
            .get_object()
            .bucket(&self.url.bucket)
            .key(&self.url.key)
            .range(format!("bytes={start}-{}", end - 1));
        if let Some(e) = &self.info.etag {
            req = req.if_match(e);
        }
        let ctx = || format!("reading {}", self.url);
        let bytes = s3.rt.block_on(async {
            let out = req.send().await.map_err(|e| s3.error(&ctx(), e))?;
            out.body.collect().await.map(|b| b.into_bytes()).map_err(|e| Error::operational(format!("{}: {e}", ctx())))
        })?;
        self.fetched.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if bytes.len() as u64 != end - start {
            return Err(Error::operational(format!(
                "{}: asked for bytes {start}-{} and got {} bytes; the object changed or the store misbehaved",
                self.url,
                end - 1,
                bytes.len()
            )));
        }
        Ok(bytes.to_vec())
    }

    /// Streams the whole object: what the head reads already fetched, then
    /// one GET for the rest.
    pub fn open(self: &Arc<Self>) -> Result<io::Chain<io::Cursor<Vec<u8>>, StreamReader>> {
        let prefix = self.prefix.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let stream = StreamReader::start(self, prefix.len() as u64);
        Ok(io::Cursor::new(prefix).chain(stream))
    }
}

/// Reads an object's first bytes with ranged GETs of growing size, caching
/// them in the object so that a later full read does not fetch them again.
pub struct HeadReader {
    obj: Arc<RemoteObject>,
    pos: u64,
    /// A chunk past the cache, for heads longer than [`HEAD_CACHE_MAX`].
    spill: Vec<u8>,
    spill_start: u64,
}

impl HeadReader {
    pub fn new(obj: Arc<RemoteObject>) -> HeadReader {
        HeadReader { obj, pos: 0, spill: Vec::new(), spill_start: 0 }
    }
}

impl Read for HeadReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.obj.size();
        if self.pos >= size || buf.is_empty() {
            return Ok(0);
        }
        let mut prefix = self.obj.prefix.lock().unwrap_or_else(|p| p.into_inner());
        let have = prefix.len() as u64;
        if self.pos >= have && prefix.len() < HEAD_CACHE_MAX && self.pos == have {
            let want = prefix.len().max(HEAD_FIRST_RANGE).min(HEAD_CACHE_MAX - prefix.len()) as u64;
            let more = self.obj.get_range(have, (have + want).min(size)).map_err(to_io)?;
            prefix.extend_from_slice(&more);
        }
        let (src, at) = if self.pos < prefix.len() as u64 {
            (&prefix[..], self.pos)
        } else {
            drop(prefix);
            let spill_end = self.spill_start + self.spill.len() as u64;
            if self.pos < self.spill_start || self.pos >= spill_end {
                let end = (self.pos + (1 << 20)).min(size);
                self.spill = self.obj.get_range(self.pos, end).map_err(to_io)?;
                self.spill_start = self.pos;
            }
            let n = copy_at(&self.spill, self.pos - self.spill_start, buf);
            self.pos += n as u64;
            return Ok(n);
        };
        let n = copy_at(src, at, buf);
        self.pos += n as u64;
        Ok(n)
    }
}

fn copy_at(src: &[u8], at: u64, buf: &mut [u8]) -> usize {
    let s = &src[at as usize..];
    let n = s.len().min(buf.len());
    buf[..n].copy_from_slice(&s[..n]);
    n
}

/// One streaming GET, from a background task through a bounded channel. A
/// connection that breaks mid-body is resumed with a ranged GET (`If-Match`
/// keeps it the same object), up to three times.
pub struct StreamReader {
    rx: Option<mpsc::Receiver<Result<Bytes, String>>>,
    cur: Bytes,
    task: Option<JoinHandle<()>>,
    url: S3Url,
}

impl StreamReader {
    fn start(obj: &Arc<RemoteObject>, from: u64) -> StreamReader {
        let size = obj.size();
        if from >= size {
            return StreamReader { rx: None, cur: Bytes::new(), task: None, url: obj.url.clone() };
        }
        let (tx, rx) = mpsc::channel(4);
        let client = obj.s3.client.clone();
        let (url, etag, fetched) = (obj.url.clone(), obj.info.etag.clone(), obj.fetched.clone());
        let endpoint = obj.s3.endpoint.clone();
        let task = obj.s3.rt.spawn(async move {
            let mut pos = from;
            let mut failures = 0;
            while pos < size {
                let mut req = client.get_object().bucket(&url.bucket).key(&url.key).range(format!("bytes={pos}-"));
                if let Some(e) = &etag {
                    req = req.if_match(e);
                }
                let mut body = match req.send().await {
                    Ok(o) => o.body,
                    Err(e) => {
                        let why = match e.code() {
                            Some("PreconditionFailed") => "the object changed while it was being read".to_string(),
                            _ => DisplayErrorContext(&e).to_string(),
                        };
                        let _ = tx.send(Err(format!("reading {url} from {endpoint}: {why}"))).await;
                        return;
                    }
                };
                loop {
                    match body.next().await {
                        Some(Ok(b)) => {
                            pos += b.len() as u64;
                            fetched.fetch_add(b.len() as u64, Ordering::Relaxed);
                            if tx.send(Ok(b)).await.is_err() {
                                return; // the reader is gone
                            }
                        }
                        Some(Err(e)) => {
                            failures += 1;
                            if failures >= ATTEMPTS {
                                let _ = tx.send(Err(format!("reading {url} from {endpoint}: {e}"))).await;
                                return;
                            }
                            break; // resume from `pos`
                        }
                        None => break,
                    }
                }
                if pos < size && failures == 0 {
                    // The body ended early without an error: resume once more.
                    failures += 1;
                }
            }
        });
        StreamReader { rx: Some(rx), cur: Bytes::new(), task: Some(task), url: obj.url.clone() }
    }
}

impl Read for StreamReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.cur.is_empty() {
            let Some(rx) = self.rx.as_mut() else { return Ok(0) };
            match rx.blocking_recv() {
                Some(Ok(b)) => self.cur = b,
                Some(Err(msg)) => return Err(io::Error::other(super::StoreError(msg))),
                None => {
                    self.rx = None;
                    return Ok(0);
                }
            }
        }
        let n = self.cur.len().min(buf.len());
        buf[..n].copy_from_slice(&self.cur[..n]);
        let _ = self.cur.split_to(n);
        Ok(n)
    }
}

impl Drop for StreamReader {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
        let _ = &self.url;
    }
}

/// What a finished upload produced.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub bytes: u64,
    pub etag: Option<String>,
    /// Parts used (1 for a single PUT).
    pub parts: i32,
    /// A warning for the user, if recording late metadata failed (the object
    /// itself is complete).
    pub warning: Option<String>,
}

type PartTask = JoinHandle<std::result::Result<CompletedPart, String>>;

/// Writes an object as a multipart upload, or as one PUT if it turns out to
/// be small.
///
/// The first [`MIN_PART`] bytes written are held back; [`Upload::finish`]
/// sends `head + held` as part 1, after the other parts. So a caller can
/// stream the body first and decide what goes in front of it at the end.
/// Peak memory: the held bytes, the part being filled, and [`IN_FLIGHT`]
/// parts being sent.
pub struct Upload {
    s3: Arc<S3>,
    url: S3Url,
    metadata: Vec<(String, String)>,
    part_size: usize,
    held: Vec<u8>,
    cur: Vec<u8>,
    upload_id: Option<String>,
    checksum: bool,
    next_part: i32,
    in_flight: VecDeque<(i32, PartTask)>,
    parts: Vec<CompletedPart>,
    done: bool,
    bytes: u64,
}

impl Upload {
    pub fn url(&self) -> &S3Url {
        &self.url
    }

    fn ensure_created(&mut self) -> Result<String> {
        if let Some(id) = &self.upload_id {
            return Ok(id.clone());
        }
        let s3 = self.s3.clone();
        let create = |checksum: bool| {
            let mut req = s3
                .client
                .create_multipart_upload()
                .bucket(&self.url.bucket)
                .key(&self.url.key)
                .content_type(CONTENT_TYPE)
                .set_metadata(Some(encode_metadata(&self.metadata)));
            if checksum {
                req = req.checksum_algorithm(ChecksumAlgorithm::Crc32C);
            }
            s3.rt.block_on(req.send()).map_err(Box::new)
        };
        let out = match create(true) {
            // Stores without additional checksums reject the header.
            Err(e) if matches!(e.code(), Some("InvalidArgument" | "NotImplemented" | "InvalidRequest")) => {
                self.checksum = false;
                create(false)
            }
            r => r,
        };
        let out = out.map_err(|e| s3.error(&format!("starting the upload of {}", self.url), *e))?;
        let id = out.upload_id().unwrap_or_default().to_string();
        self.upload_id = Some(id.clone());
        Ok(id)
    }

    /// Waits for the oldest part in flight.
    fn wait_one(&mut self) -> Result<()> {
        if let Some((n, t)) = self.in_flight.pop_front() {
            let part = self
                .s3
                .rt
                .block_on(t)
                .map_err(|e| e.to_string())
                .and_then(|r| r)
                .map_err(|e| Error::operational(format!("uploading part {n} of {}: {e}", self.url)))?;
            self.parts.push(part);
        }
        Ok(())
    }

    fn send_part(&mut self, n: i32, data: Vec<u8>) -> Result<()> {
        if n > MAX_PARTS {
            return Err(Error::operational(format!(
                "{}: the package needs more than {MAX_PARTS} parts of {} MiB, S3's limit; \
                 raise --s3-part-size",
                self.url,
                self.part_size >> 20
            )));
        }
        let id = self.ensure_created()?;
        while self.in_flight.len() >= IN_FLIGHT {
            self.wait_one()?;
        }
        let client = self.s3.client.clone();
        let (bucket, key, checksum, endpoint) =
            (self.url.bucket.clone(), self.url.key.clone(), self.checksum, self.s3.endpoint.clone());
        let task = self.s3.rt.spawn(async move {
            let mut req = client
                .upload_part()
                .bucket(bucket)
                .key(key)
                .upload_id(id)
                .part_number(n)
                .body(ByteStream::from(Bytes::from(data)));
            if checksum {
                req = req.checksum_algorithm(ChecksumAlgorithm::Crc32C);
            }
            let out = req.send().await.map_err(|e| format!("{endpoint}: {}", DisplayErrorContext(&e)))?;
            Ok(CompletedPart::builder()
                .part_number(n)
                .set_e_tag(out.e_tag().map(str::to_string))
                .set_checksum_crc32_c(out.checksum_crc32_c().map(str::to_string))
                .build())
        });
        self.in_flight.push_back((n, task));
        Ok(())
    }

    /// Finishes the object: `head` goes in front of everything written.
    /// `late` metadata, known only now, is added with a server-side copy
    /// when the object went up in parts (spec/storage.md §3).
    pub fn finish(mut self, head: Vec<u8>, late: Vec<(String, String)>) -> Result<Uploaded> {
        let s3 = self.s3.clone();
        let url = self.url.clone();
        if self.upload_id.is_none() {
            // Small: everything is in memory; one PUT with all metadata.
            let mut body = head;
            body.append(&mut self.held);
            body.append(&mut self.cur);
            let bytes = body.len() as u64;
            let mut meta = self.metadata.clone();
            meta.extend(late);
            let out = s3
                .rt
                .block_on(
                    s3.client
                        .put_object()
                        .bucket(&url.bucket)
                        .key(&url.key)
                        .content_type(CONTENT_TYPE)
                        .set_metadata(Some(encode_metadata(&meta)))
                        .checksum_algorithm(ChecksumAlgorithm::Crc32C)
                        .body(ByteStream::from(body))
                        .send(),
                )
                .map_err(|e| s3.error(&format!("uploading {url}"), e))?;
            self.done = true;
            return Ok(Uploaded { bytes, etag: out.e_tag().map(str::to_string), parts: 1, warning: None });
        }
        let last = std::mem::take(&mut self.cur);
        if !last.is_empty() {
            let n = self.next_part;
            self.next_part += 1;
            self.send_part(n, last)?;
        }
        let bytes = self.bytes + head.len() as u64;
        let mut first = head;
        first.append(&mut self.held);
        self.send_part(1, first)?;
        while !self.in_flight.is_empty() {
            self.wait_one()?;
        }
        let mut parts = std::mem::take(&mut self.parts);
        parts.sort_by_key(|p| p.part_number());
        let count = parts.len() as i32;
        let id = self.upload_id.clone().unwrap_or_default();
        let done = s3
            .rt
            .block_on(
                s3.client
                    .complete_multipart_upload()
                    .bucket(&url.bucket)
                    .key(&url.key)
                    .upload_id(&id)
                    .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
                    .send(),
            )
            .map_err(|e| s3.error(&format!("completing the upload of {url}"), e))?;
        self.done = true;
        let mut etag = done.e_tag().map(str::to_string);
        let mut warning = None;
        if !late.is_empty() {
            let mut meta = self.metadata.clone();
            meta.extend(late);
            match s3.replace_metadata(&url, bytes, etag.as_deref().unwrap_or(""), &meta, SINGLE_COPY_LIMIT) {
                Ok((e, new_version)) => {
                    etag = e.or(etag);
                    // In a versioned bucket the copy made a second version;
                    // the first one, without the metadata, is redundant.
                    // Unversioned buckets answer "null" for both: then there
                    // is only one object, and it must stay.
                    if let (Some(v), Some(new)) = (done.version_id(), new_version.as_deref())
                        && v != "null"
                        && v != new
                    {
                        let _ = s3
                            .rt
                            .block_on(s3.client.delete_object().bucket(&url.bucket).key(&url.key).version_id(v).send());
                    }
                }
                Err(e) => warning = Some(format!("the package is complete, but {e}")),
            }
        }
        Ok(Uploaded { bytes, etag, parts: count, warning })
    }
}

impl Write for Upload {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len();
        self.bytes += n as u64;
        let mut rest = buf;
        if self.held.len() < MIN_PART {
            let take = (MIN_PART - self.held.len()).min(rest.len());
            self.held.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
        }
        while !rest.is_empty() {
            let take = (self.part_size - self.cur.len()).min(rest.len());
            self.cur.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.cur.len() == self.part_size {
                let data = std::mem::replace(&mut self.cur, Vec::with_capacity(self.part_size));
                let n = self.next_part;
                self.next_part += 1;
                self.send_part(n, data).map_err(to_io)?;
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Upload {
    /// An unfinished upload is aborted, so that no partial object is ever
    /// visible and no parts are left to bill.
    fn drop(&mut self) {
        if self.done {
            return;
        }
        for (_, t) in self.in_flight.drain(..) {
            t.abort();
        }
        if let Some(id) = self.upload_id.take() {
            let req = self.s3.client.abort_multipart_upload().bucket(&self.url.bucket).key(&self.url.key).upload_id(id);
            let _ = self.s3.rt.block_on(async { tokio::time::timeout(Duration::from_secs(30), req.send()).await });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_style_is_automatic_for_ip_and_localhost() {
        for e in ["http://127.0.0.1:9000", "http://localhost:9000/", "https://10.1.2.3", "http://[::1]:9000"] {
            assert!(auto_path_style(e), "{e}");
        }
        for e in
            ["https://s3.eu-west-1.amazonaws.com", "https://minio.internal:9000", "https://x.r2.cloudflarestorage.com"]
        {
            assert!(!auto_path_style(e), "{e}");
        }
    }

    #[test]
    fn metadata_survives_non_ascii() {
        let m = vec![("Pgbag-Database".to_string(), "café 100%\n".to_string())];
        let enc = encode_metadata(&m);
        assert_eq!(enc["pgbag-database"], "caf%C3%A9 100%25%0A");
        let dec = decode_metadata(Some(&enc));
        assert_eq!(dec["pgbag-database"], "café 100%\n");
    }
}
