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
