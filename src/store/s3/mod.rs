//! S3-compatible object storage (spec/storage.md), behind a synchronous API.
//!
//! [`S3`] owns a small tokio runtime and an `aws-sdk-s3` client; every public
//! function blocks on it. Reading is either ranged (the head, for `inspect`
//! and `list`) or one streaming GET fed through a bounded channel (validate,
//! restore). Writing is [`Upload`]: a multipart upload whose first part is
//! held back and sent last, so that a package's head, known only when the
//! dump ends, can still come first in the object (spec/storage.md §3).
//! Nothing here keeps more than a few parts in memory.

mod read;
mod upload;

pub use read::{HeadReader, RemoteObject, StreamReader};
pub use upload::{Completed, Upload, Uploaded};

/// Object metadata keys (`x-amz-meta-…`), spec/storage.md §4.
pub mod meta {
    pub const FORMAT_VERSION: &str = "pgbag-format-version";
    pub const CREATED_AT: &str = "pgbag-created-at";
    pub const NAME: &str = "pgbag-name";
    pub const DATABASE: &str = "pgbag-database";
    pub const PGBAG_VERSION: &str = "pgbag-version";
    pub const COMPRESSION: &str = "pgbag-compression";
    pub const DUMP_SHA256: &str = "pgbag-dump-sha256";
    pub const DUMP_BYTES: &str = "pgbag-dump-bytes";
    /// The SHA-256 of the object's own bytes (`sha256sum` of the package).
    pub const SHA256: &str = "pgbag-sha256";
    /// Set by `pgbag pin`: `<RFC 3339 time>[ <reason>]`.
    pub const PINNED: &str = "pgbag-pinned";
}

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, MetadataDirective};
use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tokio::runtime::Runtime;

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
pub(super) const SINGLE_COPY_LIMIT: u64 = 5 << 30;
/// Range size when a larger object must be copied part by part.
const COPY_RANGE: u64 = 1 << 30;
/// The head reader caches at most this much of an object's start.
pub(super) const HEAD_CACHE_MAX: usize = 8 << 20;
/// First ranged read of a head; later ones double.
pub(super) const HEAD_FIRST_RANGE: usize = 64 << 10;
/// Connect timeout, and how long a read may wait for bytes.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(30);
pub(super) const ATTEMPTS: u32 = 3;

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
    /// An access key and secret for programs that embed pgbag, instead of
    /// the AWS chain. The command line never sets this: secrets do not
    /// belong in argv.
    pub static_credentials: Option<(String, String)>,
    /// The region, instead of the AWS chain (`AWS_REGION`, profile, IMDS).
    pub region: Option<String>,
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
    pub(super) client: Client,
    pub(super) endpoint: String,
    part_size: usize,
    // Declared last: dropped after the client.
    pub(super) rt: Runtime,
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
        if let Some(r) = &cfg.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some((id, secret)) = &cfg.static_credentials {
            loader = loader.credentials_provider(aws_sdk_s3::config::Credentials::new(id, secret, None, None, "pgbag"));
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
        match self.head(url)? {
            Some(info) => Ok(RemoteObject::with_info(self.clone(), url.clone(), info)),
            None if !self.bucket_exists(&url.bucket)? => {
                Err(Error::operational(format!("{url}: the bucket {} does not exist at {}", url.bucket, self.endpoint)))
            }
            None => Err(Error::operational(format!("{url}: no such object at {} (check the key)", self.endpoint))),
        }
    }

    /// HEAD on the bucket: false when it does not exist.
    pub fn bucket_exists(&self, bucket: &str) -> Result<bool> {
        match self.rt.block_on(self.client.head_bucket().bucket(bucket).send()) {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => Err(self.error(&format!("reading bucket {bucket}"), e)),
        }
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
        Upload::new(self.clone(), url.clone(), metadata, self.part_size)
    }

    /// Replaces the metadata of the object `info` describes with `metadata`
    /// (see [`S3::replace_metadata`]), only if it is still that object.
    pub fn set_metadata(&self, url: &S3Url, info: &ObjectInfo, metadata: &[(String, String)]) -> Result<()> {
        let etag = info.etag.as_deref().ok_or_else(|| {
            crate::error::Error::operational(format!(
                "{url}: the store gave no ETag, so its metadata cannot be changed safely"
            ))
        })?;
        self.replace_metadata(url, info.size, etag, metadata, SINGLE_COPY_LIMIT).map(|_| ())
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
    pub(super) fn error<E>(&self, what: &str, e: SdkError<E, HttpResponse>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let endpoint = &self.endpoint;
        let msg = match &e {
            SdkError::DispatchFailure(d) if d.is_timeout() => {
                format!("the S3 endpoint {endpoint} did not answer in time")
            }
            SdkError::DispatchFailure(d) if d.is_io() => format!(
                "cannot reach the S3 endpoint {endpoint} ({}); check --endpoint-url / AWS_ENDPOINT_URL and the network",
                root_cause(&e)
            ),
            SdkError::DispatchFailure(_)
                if root_cause(&e).contains("credentials") || e.to_string().contains("credentials") =>
            {
                format!(
                    "no usable AWS credentials ({}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE",
                    root_cause(&e)
                )
            }
            SdkError::TimeoutError(_) => format!("the S3 endpoint {endpoint} did not answer in time"),
            SdkError::ServiceError(_) => {
                // HEAD answers carry no body, so no error code: use the status.
                let status = e.raw_response().map(|r| r.status().as_u16());
                let code = match (e.code(), status) {
                    (Some(c), _) => c,
                    (None, Some(401 | 403)) => "Forbidden",
                    (None, Some(404)) => "NotFound",
                    _ => "",
                };
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
                    "NotFound" | "NoSuchKey" => format!("not found at {endpoint}{detail}"),
                    "" => format!("{endpoint} answered with an error: {}", DisplayErrorContext(&e)),
                    _ => format!("{endpoint} answered {code}{detail}"),
                }
            }
            _ => format!("{}", DisplayErrorContext(&e)),
        };
        Error::operational(format!("{what}: {msg}"))
    }
}

/// The innermost error's message (`Connection refused (os error 111)`),
/// without the SDK's debug dump.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    let mut msgs = vec![cur.to_string()];
    while let Some(next) = cur.source() {
        msgs.push(next.to_string());
        cur = next;
    }
    // The last two levels name the operation and the OS error.
    let n = msgs.len();
    msgs[n.saturating_sub(2)..].join(": ")
}

/// The Content-Type pgbag gives packages.
pub(super) const CONTENT_TYPE: &str = "application/x-tar";

/// Characters escaped in a CopySource key (RFC 3986 unreserved and `/` pass).
const KEY_SET: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// Characters escaped in metadata values: S3 metadata travels in HTTP headers,
/// which carry only printable ASCII; database names may not be.
const META_SET: &AsciiSet = &CONTROLS.add(b'%');

pub(super) fn encode_metadata(m: &[(String, String)]) -> HashMap<String, String> {
    m.iter().map(|(k, v)| (k.to_ascii_lowercase(), utf8_percent_encode(v, META_SET).to_string())).collect()
}

pub(super) fn decode_metadata(m: Option<&HashMap<String, String>>) -> HashMap<String, String> {
    m.into_iter()
        .flatten()
        .map(|(k, v)| (k.to_ascii_lowercase(), percent_decode_str(v).decode_utf8_lossy().into_owned()))
        .collect()
}

pub(super) fn to_chrono(t: &aws_sdk_s3::primitives::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
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
