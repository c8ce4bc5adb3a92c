//! Where packages live: a local path or an object in an S3-compatible store
//! (spec/storage.md).
//!
//! The rest of the library reads packages through [`Input`], which hides
//! whether the bytes come from a file or from ranged and streaming GETs.
//! This module moves bytes and knows nothing of bags: listing, pushing,
//! pulling and pruning packages, which must read them, is
//! `package::stored`, on top of it. The
//! async runtime that the AWS SDK needs is owned by [`s3::S3`] and never
//! leaks out: every function here is synchronous and streaming.

pub mod retention;
pub mod s3;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, IoContext, Result};

pub use s3::{S3, S3Config, S3Url};

/// A place named on the command line: a local path or `s3://bucket/key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Local(PathBuf),
    S3(S3Url),
}

impl Location {
    /// `s3://bucket/key` (or `s3://bucket/prefix/`) is remote; anything else
    /// is a local path. Other URL schemes are refused rather than taken for
    /// odd file names.
    pub fn parse(s: &str) -> Result<Location> {
        if let Some(u) = S3Url::parse(s)? {
            return Ok(Location::S3(u));
        }
        if let Some((scheme, _)) = s.split_once("://")
            && !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
        {
            return Err(Error::usage(format!(
                "{s}: {scheme}:// locations are not supported; use a local path or s3://bucket/key"
            )));
        }
        Ok(Location::Local(PathBuf::from(s)))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Local(p) => write!(f, "{}", p.display()),
            Location::S3(u) => write!(f, "{u}"),
        }
    }
}

/// A package (or bare dump) to read: a local file or directory, or an S3
/// object whose size and ETag were fixed when it was opened.
#[derive(Clone)]
pub enum Input {
    Local(PathBuf),
    Remote(Arc<s3::RemoteObject>),
}

impl Input {
    pub fn local(p: impl Into<PathBuf>) -> Input {
        Input::Local(p.into())
    }

    /// Opens a location for reading; for S3 this is one HEAD request.
    pub fn open_location(loc: &Location, s3: impl FnOnce() -> Result<Arc<S3>>) -> Result<Input> {
        match loc {
            Location::Local(p) => Ok(Input::Local(p.clone())),
            Location::S3(u) => Ok(Input::Remote(Arc::new(s3()?.object(u)?))),
        }
    }

    /// The local path, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Local(p) => Some(p),
            Input::Remote(_) => None,
        }
    }

    /// The file name part, for messages and defaults.
    pub fn file_name(&self) -> Option<String> {
        match self {
            Input::Local(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
            Input::Remote(o) => o.url().key.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_string),
        }
    }

    /// Size in bytes of a file or object (0 for a directory).
    pub fn len(&self) -> u64 {
        match self {
            Input::Local(p) => std::fs::metadata(p).map(|m| if m.is_dir() { 0 } else { m.len() }).unwrap_or(0),
            Input::Remote(o) => o.size(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// When a file was last modified, or an object last written (its
    /// `Last-Modified`), when known.
    pub fn modified(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        match self {
            Input::Local(p) => std::fs::metadata(p).and_then(|m| m.modified()).ok().map(chrono::DateTime::from),
            Input::Remote(o) => o.info().last_modified,
        }
    }

    /// Streams the whole file or object once.
    pub fn open(&self) -> Result<Box<dyn Read + Send>> {
        match self {
            Input::Local(p) => Ok(Box::new(File::open(p).context(|| format!("opening {}", p.display()))?)),
            Input::Remote(o) => Ok(Box::new(o.open()?)),
        }
    }

    /// Opens for reading only the first bytes (the head): a remote object is
    /// fetched with growing ranged GETs, so reading a few kilobytes costs a
    /// few kilobytes whatever the object's size.
    pub fn open_head(&self) -> Result<Box<dyn Read + Send>> {
        match self {
            Input::Local(_) => self.open(),
            Input::Remote(o) => Ok(Box::new(s3::HeadReader::new(o.clone()))),
        }
    }

    /// Bytes fetched from the store so far (0 for local input).
    pub fn bytes_fetched(&self) -> u64 {
        match self {
            Input::Local(_) => 0,
            Input::Remote(o) => o.bytes_fetched(),
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, Input::Local(p) if p.is_dir())
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Local(p) => write!(f, "{}", p.display()),
            Input::Remote(o) => write!(f, "{}", o.url()),
        }
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Input({self})")
    }
}

/// A failure to talk to the store while reading, carried inside an
/// `io::Error` through decoders and tar, so that it can be told apart from
/// damage in the bytes: a network failure is exit 2, never a verdict.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

pub(crate) fn to_io(e: Error) -> io::Error {
    io::Error::other(StoreError(e.to_string()))
}

/// True when an I/O error came from the store rather than from the bytes.
pub fn is_store_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|i| i.is::<StoreError>())
}

/// Passes reads through and remembers the first store failure, so that a
/// caller that turns read errors into findings can tell afterwards that the
/// findings mean nothing.
pub struct Tripwire<R> {
    inner: R,
    tripped: Arc<std::sync::Mutex<Option<String>>>,
}

impl<R: Read> Tripwire<R> {
    pub fn new(inner: R) -> (Tripwire<R>, Arc<std::sync::Mutex<Option<String>>>) {
        let tripped = Arc::new(std::sync::Mutex::new(None));
        (Tripwire { inner, tripped: tripped.clone() }, tripped)
    }
}

impl<R: Read> Read for Tripwire<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let r = self.inner.read(buf);
        if let Err(e) = &r
            && is_store_error(e)
        {
            self.tripped.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(|| e.to_string());
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse() {
        assert_eq!(Location::parse("x.tar.zst").unwrap(), Location::Local("x.tar.zst".into()));
        assert_eq!(Location::parse("/a/b/").unwrap(), Location::Local("/a/b/".into()));
        let Location::S3(u) = Location::parse("s3://bkt/a/b.tar.zst").unwrap() else { panic!() };
        assert_eq!((u.bucket.as_str(), u.key.as_str()), ("bkt", "a/b.tar.zst"));
        let Location::S3(u) = Location::parse("s3://bkt").unwrap() else { panic!() };
        assert_eq!((u.bucket.as_str(), u.key.as_str(), u.is_prefix()), ("bkt", "", true));
        assert!(Location::parse("s3://").is_err());
        assert!(Location::parse("s3:///key").is_err());
        assert!(Location::parse("gs://bucket/key").is_err());
        assert!(Location::parse("S3://Bad_Bucket/key").is_err());
    }
}
