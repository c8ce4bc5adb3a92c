//! Reading objects: ranged GETs for heads, one streaming GET for the rest.
//! Every request after the first HEAD carries `If-Match`, so one reader
//! never mixes two versions of an object.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{ATTEMPTS, HEAD_CACHE_MAX, HEAD_FIRST_RANGE, ObjectInfo, S3, S3Url};
use crate::error::{Error, Result};
use crate::store::{StoreError, to_io};

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
                let why = loop {
                    match body.next().await {
                        Some(Ok(b)) => {
                            pos += b.len() as u64;
                            fetched.fetch_add(b.len() as u64, Ordering::Relaxed);
                            if tx.send(Ok(b)).await.is_err() {
                                return; // the reader is gone
                            }
                        }
                        Some(Err(e)) => break e.to_string(),
                        None => break format!("the body ended after {pos} of {size} bytes"),
                    }
                };
                if pos < size {
                    // Resume from `pos`, a bounded number of times in all,
                    // however the body ended early.
                    failures += 1;
                    if failures >= ATTEMPTS {
                        let _ = tx.send(Err(format!("reading {url} from {endpoint}: {why}"))).await;
                        return;
                    }
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
                Some(Err(msg)) => return Err(io::Error::other(StoreError(msg))),
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
