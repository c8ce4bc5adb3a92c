//! Streaming adapters: hashing-while-reading, copying-while-reading.
//!
//! They let one pass over a dump feed the scanner, the checksum and the
//! compressor at once, with memory bounded by the callers' buffers.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

/// Reads from `inner`, hashing and counting every byte that passes.
pub struct HashReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashReader<R> {
    pub fn new(inner: R) -> Self {
        HashReader { inner, hasher: Sha256::new(), bytes: 0 }
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The lowercase hex SHA-256 of everything read, and the byte count.
    pub fn finish(self) -> (String, u64, R) {
        (hex(&self.hasher.finalize()), self.bytes, self.inner)
    }
}

impl<R: Read> Read for HashReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Hashes a stream as it is read, on a thread of its own, and gives the
/// SHA-256 once the stream has reported its end. The reader can be handed on
/// to a decoder or to tar and the digest still collected afterwards; a
/// stream that was not read to its end (a reader stopped by damage, or an
/// error) gives no digest, so a digest is never that of a prefix.
///
/// The hashing thread keeps a validate pass at the speed of its decoder:
/// hashing the raw package inline cost up to a fifth more wall time. At most
/// [`DIGEST_QUEUE`] chunks wait for it.
pub struct DigestAtEnd<R> {
    inner: R,
    tx: Option<std::sync::mpsc::SyncSender<DigestChunk>>,
}

/// Chunks of a stream waiting to be hashed (each at most one read's worth).
pub const DIGEST_QUEUE: usize = 8;

enum DigestChunk {
    Data(Vec<u8>),
    End,
}

/// The digest of a [`DigestAtEnd`] stream, to be collected once the reader
/// has been read to its end or dropped.
pub struct PendingDigest(std::thread::JoinHandle<Option<String>>);

impl PendingDigest {
    /// The lowercase hex SHA-256, if the stream was read to its end. Call it
    /// after the reader is dropped or has reported its end: until one of
    /// those, it waits.
    pub fn wait(self) -> Option<String> {
        self.0.join().ok().flatten()
    }
}

impl<R: Read> DigestAtEnd<R> {
    pub fn new(inner: R) -> (DigestAtEnd<R>, PendingDigest) {
        let (tx, rx) = std::sync::mpsc::sync_channel(DIGEST_QUEUE);
        let worker = std::thread::spawn(move || {
            let mut h = Sha256::new();
            for chunk in rx {
                match chunk {
                    DigestChunk::Data(d) => h.update(&d),
                    DigestChunk::End => return Some(hex(&h.finalize())),
                }
            }
            None // the reader went away before the end
        });
        (DigestAtEnd { inner, tx: Some(tx) }, PendingDigest(worker))
    }
}

impl<R: Read> Read for DigestAtEnd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(tx) = &self.tx {
            let chunk = match n {
                0 if buf.is_empty() => return Ok(0),
                0 => DigestChunk::End,
                _ => DigestChunk::Data(buf[..n].to_vec()),
            };
            if tx.send(chunk).is_err() || n == 0 {
                self.tx = None;
            }
        }
        Ok(n)
    }
}

/// Reads from `inner` and writes a copy of every byte read to `copy`.
pub struct TeeReader<R, W> {
    inner: R,
    copy: W,
}

impl<R: Read, W: Write> TeeReader<R, W> {
    pub fn new(inner: R, copy: W) -> Self {
        TeeReader { inner, copy }
    }

    pub fn into_parts(self) -> (R, W) {
        (self.inner, self.copy)
    }
}

impl<R: Read, W: Write> Read for TeeReader<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}

/// A `Write` whose bytes are written to `W` on a worker thread, so that
/// (say) compression runs on a second core while this thread hashes and
/// scans. Bounded: at most `DEPTH` chunks of `CHUNK` bytes are in flight.
/// Call [`ThreadedWriter::finish`] to get `W` back and see the worker's error.
pub struct ThreadedWriter<W: Write + Send + 'static> {
    tx: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    spare: std::sync::mpsc::Receiver<Vec<u8>>,
    worker: Option<std::thread::JoinHandle<io::Result<W>>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 1 << 20;
const DEPTH: usize = 4;

impl<W: Write + Send + 'static> ThreadedWriter<W> {
    pub fn new(mut inner: W) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(DEPTH);
        let (spare_tx, spare) = std::sync::mpsc::channel::<Vec<u8>>();
        let worker = std::thread::spawn(move || {
            for mut chunk in rx {
                inner.write_all(&chunk)?;
                chunk.clear();
                let _ = spare_tx.send(chunk);
            }
            Ok(inner)
        });
        ThreadedWriter { tx: Some(tx), spare, worker: Some(worker), buf: Vec::with_capacity(CHUNK) }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self.spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let chunk = std::mem::replace(&mut self.buf, next);
        let tx = self.tx.as_ref().expect("not finished");
        if tx.send(chunk).is_err() {
            // The worker stopped: it failed. Its error is the one to report.
            return Err(self.join().err().unwrap_or_else(|| io::Error::other("writer thread stopped")));
        }
        Ok(())
    }

    fn join(&mut self) -> io::Result<W> {
        self.tx = None;
        match self.worker.take() {
            Some(h) => h.join().unwrap_or_else(|_| Err(io::Error::other("writer thread panicked"))),
            None => Err(io::Error::other("writer thread already finished")),
        }
    }

    /// Flushes what is buffered, waits for the worker and returns `W`.
    pub fn finish(mut self) -> io::Result<W> {
        self.send()?;
        self.join()
    }
}

impl<W: Write + Send + 'static> Write for ThreadedWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl<W: Write + Send + 'static> Drop for ThreadedWriter<W> {
    fn drop(&mut self) {
        // Unfinished (an error path): stop the worker; its result is moot.
        self.tx = None;
        if let Some(h) = self.worker.take() {
            let _ = h.join();
        }
    }
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// SHA-256 of a byte slice, as lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn threaded_writer_delivers_everything_in_order_and_reports_errors() {
        let data: Vec<u8> = (0..5_000_000u32).map(|i| (i % 251) as u8).collect();
        let mut w = ThreadedWriter::new(Vec::new());
        for piece in data.chunks(7777) {
            w.write_all(piece).unwrap();
        }
        assert_eq!(w.finish().unwrap(), data);

        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = ThreadedWriter::new(Full);
        let mut result = Ok(());
        for _ in 0..20 {
            result = result.and_then(|_| w.write_all(&[0u8; CHUNK]));
        }
        let err = result.and_then(|_| w.finish().map(|_| ())).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    }

    #[test]
    fn digest_at_end_is_given_only_for_a_stream_read_to_its_end() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        let (mut r, digest) = DigestAtEnd::new(crate::sql::tests::Dribble::new(&data, 777));
        let mut first = vec![0u8; 1000];
        r.read_exact(&mut first).unwrap();
        drop(r);
        assert_eq!(digest.wait(), None, "a digest of a prefix was given");

        let (mut r, digest) = DigestAtEnd::new(crate::sql::tests::Dribble::new(&data, 777));
        io::copy(&mut r, &mut io::sink()).unwrap();
        // Reads after the end change nothing, and the reader may live on.
        assert_eq!(r.read(&mut first).unwrap(), 0);
        assert_eq!(digest.wait(), Some(sha256_hex(&data)));
    }

    proptest! {
        /// Hashing while streaming, in any read sizes, equals hashing at once.
        #[test]
        fn streaming_hash_equals_one_shot(data in proptest::collection::vec(any::<u8>(), 0..4096), step in 1usize..64) {
            let mut r = HashReader::new(crate::sql::tests::Dribble::new(&data, step));
            let mut copy = Vec::new();
            let mut tee = TeeReader::new(&mut r, &mut copy);
            io::copy(&mut tee, &mut io::sink()).unwrap();
            let (sum, n, _) = r.finish();
            prop_assert_eq!(sum, sha256_hex(&data));
            prop_assert_eq!(n, data.len() as u64);
            prop_assert_eq!(copy, data);
        }
    }
}
