//! Writing objects: a multipart upload whose first part is held back and
//! sent last, so a caller can stream the body and put the head in front at
//! the end (spec/storage.md §3). Dropping an unfinished upload aborts it.
//! Metadata known only at the end is recorded after completion, by
//! [`Completed::record`], so that a caller can read the object back first.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart};
use bytes::Bytes;
use tokio::task::JoinHandle;

use super::{CONTENT_TYPE, IN_FLIGHT, MAX_PARTS, MIN_PART, S3, S3Url, SINGLE_COPY_LIMIT, encode_metadata, meta};
use crate::error::{Error, Result};
use crate::store::to_io;
use crate::stream::sha256_hex;

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
    pub(super) fn new(s3: Arc<S3>, url: S3Url, metadata: Vec<(String, String)>, part_size: usize) -> Upload {
        Upload {
            s3,
            url,
            metadata,
            part_size,
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

    /// Finishes the object: `head` goes in front of everything written, and
    /// `late` metadata, known only now, is recorded (see [`Completed::record`]).
    pub fn finish(self, head: Vec<u8>, late: Vec<(String, String)>) -> Result<Uploaded> {
        Ok(self.complete(head, late)?.record(Vec::new()))
    }

    /// Makes the object whole in the store: `head` goes in front of
    /// everything written. A small object goes up in one PUT that carries
    /// all its metadata, `late` and the object's own SHA-256 included; an
    /// object sent in parts gets `late` only when [`Completed::record`] is
    /// called, so that a caller can add what it learns by reading the
    /// object back.
    pub fn complete(mut self, head: Vec<u8>, late: Vec<(String, String)>) -> Result<Completed> {
        let s3 = self.s3.clone();
        let url = self.url.clone();
        let start = std::mem::take(&mut self.metadata);
        if self.upload_id.is_none() {
            // Small: everything is in memory; one PUT with all metadata.
            let mut body = head;
            body.append(&mut self.held);
            body.append(&mut self.cur);
            let bytes = body.len() as u64;
            let mut meta = start;
            meta.extend(late);
            if !meta.iter().any(|(k, _)| k == meta::SHA256) {
                meta.push((meta::SHA256.to_string(), sha256_hex(&body)));
            }
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
            let uploaded = Uploaded { bytes, etag: out.e_tag().map(str::to_string), parts: 1, warning: None };
            return Ok(Completed { s3, url, uploaded, start: Vec::new(), late: None, version_id: None });
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
        let uploaded = Uploaded { bytes, etag: done.e_tag().map(str::to_string), parts: count, warning: None };
        let version_id = done.version_id().map(str::to_string);
        Ok(Completed { s3, url, uploaded, start, late: Some(late), version_id })
    }
}

/// An object whole in the store, whose late metadata may still be due.
pub struct Completed {
    s3: Arc<S3>,
    url: S3Url,
    uploaded: Uploaded,
    /// The metadata sent when the upload started.
    start: Vec<(String, String)>,
    /// The metadata still to record, when the object went up in parts.
    late: Option<Vec<(String, String)>>,
    version_id: Option<String>,
}

impl Completed {
    pub fn url(&self) -> &S3Url {
        &self.url
    }

    /// Records the metadata that S3 could not take when the upload started,
    /// plus `more`, with one server-side copy of the object onto itself
    /// (spec/storage.md §4). Nothing to do for a single PUT, which carried
    /// it all. A failure leaves the object complete without those keys, and
    /// is returned as a warning.
    pub fn record(self, more: Vec<(String, String)>) -> Uploaded {
        let Completed { s3, url, mut uploaded, start, late, version_id } = self;
        let Some(mut late) = late else { return uploaded };
        late.extend(more);
        if late.is_empty() {
            return uploaded;
        }
        let mut meta = start;
        meta.extend(late);
        let etag = uploaded.etag.clone().unwrap_or_default();
        match s3.replace_metadata(&url, uploaded.bytes, &etag, &meta, SINGLE_COPY_LIMIT) {
            Ok((e, new_version)) => {
                uploaded.etag = e.or(uploaded.etag);
                // In a versioned bucket the copy made a second version; the
                // first one, without the metadata, is redundant. Unversioned
                // buckets answer "null" for both: then there is only one
                // object, and it must stay.
                if let (Some(v), Some(new)) = (version_id.as_deref(), new_version.as_deref())
                    && v != "null"
                    && v != new
                {
                    let _ = s3
                        .rt
                        .block_on(s3.client.delete_object().bucket(&url.bucket).key(&url.key).version_id(v).send());
                }
            }
            Err(e) => uploaded.warning = Some(format!("the package is complete, but {e}")),
        }
        uploaded
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
