//! The head guard: bounds on what a reader decodes outside payload contents,
//! against decompression bombs and oversized tag files.
//!
//! A package's tag files, tar headers and padding are small and compress a
//! few times at most, while a bomb (gigabytes of zeros in a few kilobytes)
//! expands thousands of times. [`open_guarded`] decodes a package and counts
//! compressed bytes *consumed by the decoder* (not merely buffered) and
//! decoded bytes handed out. While the guard is armed, which is everywhere
//! except inside a payload file's contents, a read fails once the decoded
//! bytes exceed [`MAX_HEAD`] or exceed [`EXPANSION_FLOOR`] and
//! [`MAX_EXPANSION`] times the compressed bytes. The trip is sticky: every
//! later read fails too, so a tar reader cannot skip past it.
//!
//! Payload files are exempt: a dump may legitimately compress well, and it
//! is streamed, never held. Callers disarm the guard while they stream one.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use super::compress::Compression;
use super::findings::Code;
use super::format::{EXPANSION_FLOOR, MAX_EXPANSION, MAX_HEAD, binary_size};

/// Why the guard stopped a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trip {
    /// Decoded bytes outgrew [`MAX_EXPANSION`] times the compressed bytes.
    Bomb { decoded: u64, compressed: u64 },
    /// Decoded bytes outside payload contents outgrew [`MAX_HEAD`].
    TooLarge { decoded: u64 },
}

impl Trip {
    /// The validate finding code (spec/findings.md).
    pub fn code(self) -> Code {
        match self {
            Trip::Bomb { .. } => Code::DecompressionBomb,
            Trip::TooLarge { .. } => Code::TagFileTooLarge,
        }
    }
}

impl fmt::Display for Trip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Trip::Bomb { decoded, compressed } => write!(
                f,
                "the package's head (tag files and tar headers) expands more than {MAX_EXPANSION}:1 ({decoded} bytes \
                 from {compressed} compressed bytes): a decompression bomb? refusing to read further"
            ),
            Trip::TooLarge { decoded } => write!(
                f,
                "the package's head (tag files and tar headers) is larger than {} ({decoded} bytes so far): \
                 refusing to read further",
                binary_size(MAX_HEAD)
            ),
        }
    }
}

#[derive(Debug, Default)]
struct State {
    armed: AtomicBool,
    /// Compressed bytes consumed by the decoder, in all.
    consumed: AtomicU64,
    /// Compressed bytes consumed, and decoded bytes read, while armed.
    consumed_armed: AtomicU64,
    decoded_armed: AtomicU64,
    trip: Mutex<Option<Trip>>,
}

/// A handle on the guard of one decoded stream.
#[derive(Debug, Clone)]
pub struct HeadGuard(Arc<State>);

impl HeadGuard {
    /// Guards reads from now on (the initial state).
    pub fn arm(&self) {
        self.0.armed.store(true, Relaxed);
    }

    /// Lets a payload file's contents through unguarded.
    pub fn disarm(&self) {
        self.0.armed.store(false, Relaxed);
    }

    /// Why reads were stopped, if they were.
    pub fn tripped(&self) -> Option<Trip> {
        *self.0.trip.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Compressed bytes consumed so far (for progress).
    pub fn consumed(&self) -> u64 {
        self.0.consumed.load(Relaxed)
    }
}

/// Detects the compression of `raw` and decodes it, guarded (armed).
pub fn open_guarded<'a, R: Read + 'a>(raw: R) -> io::Result<(Box<dyn Read + 'a>, Compression, HeadGuard)> {
    let state = Arc::new(State { armed: AtomicBool::new(true), ..State::default() });
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let compression = Compression::detect(buffered.fill_buf()?);
    let decoded = compression.decoder(Consumed { inner: buffered, state: state.clone() })?;
    Ok((Box::new(Guarded { inner: decoded, state: state.clone() }), compression, HeadGuard(state)))
}

/// Counts the compressed bytes the decoder consumes.
struct Consumed<B> {
    inner: B,
    state: Arc<State>,
}

impl<B> Consumed<B> {
    fn count(&self, n: usize) {
        self.state.consumed.fetch_add(n as u64, Relaxed);
        if self.state.armed.load(Relaxed) {
            self.state.consumed_armed.fetch_add(n as u64, Relaxed);
        }
    }
}

impl<B: BufRead> Read for Consumed<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(n);
        Ok(n)
    }
}

impl<B: BufRead> BufRead for Consumed<B> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.count(amt);
    }
}

/// Counts decoded bytes and stops reads once the guard trips.
struct Guarded<R> {
    inner: R,
    state: Arc<State>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let s = &self.state;
        if let Some(trip) = *s.trip.lock().unwrap_or_else(|p| p.into_inner()) {
            return Err(io::Error::other(trip.to_string()));
        }
        let n = self.inner.read(buf)?;
        if !s.armed.load(Relaxed) {
            return Ok(n);
        }
        let decoded = s.decoded_armed.fetch_add(n as u64, Relaxed) + n as u64;
        let compressed = s.consumed_armed.load(Relaxed);
        let trip = if decoded > EXPANSION_FLOOR && decoded > compressed.saturating_mul(MAX_EXPANSION) {
            Trip::Bomb { decoded, compressed }
        } else if decoded > MAX_HEAD {
            Trip::TooLarge { decoded }
        } else {
            return Ok(n);
        };
        *s.trip.lock().unwrap_or_else(|p| p.into_inner()) = Some(trip);
        Err(io::Error::other(trip.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zstd_zeros(n: u64) -> Vec<u8> {
        let mut e = Compression::Zstd.encoder(Vec::new(), 3).unwrap();
        io::copy(&mut io::repeat(0).take(n), &mut e).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn zeros_trip_as_a_bomb_just_past_the_floor() {
        let bomb = zstd_zeros(64 << 20);
        let (mut r, _, guard) = open_guarded(&bomb[..]).unwrap();
        let err = io::copy(&mut r, &mut io::sink()).unwrap_err();
        let Some(Trip::Bomb { decoded, .. }) = guard.tripped() else { panic!("no bomb: {err}") };
        assert!(decoded < EXPANSION_FLOOR + (1 << 20), "read {decoded} bytes before stopping");
        assert!(err.to_string().contains("decompression bomb"));
        // Sticky: a reader that retries still fails.
        assert!(r.read(&mut [0; 512]).is_err());
    }

    #[test]
    fn disarmed_reads_pass_and_uncompressed_heads_are_capped() {
        let zeros = zstd_zeros(8 << 20);
        let (mut r, _, guard) = open_guarded(&zeros[..]).unwrap();
        guard.disarm();
        assert_eq!(io::copy(&mut r, &mut io::sink()).unwrap(), 8 << 20);
        assert_eq!(guard.tripped(), None);

        let big = vec![b'x'; (MAX_HEAD + 1) as usize];
        let (mut r, c, guard) = open_guarded(&big[..]).unwrap();
        assert_eq!(c, Compression::None);
        io::copy(&mut r, &mut io::sink()).unwrap_err();
        assert!(matches!(guard.tripped(), Some(Trip::TooLarge { .. })));
    }

    #[test]
    fn ordinary_text_passes() {
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| format!("{i:08}  data/file-{i}\n").into_bytes()).collect();
        let mut e = Compression::Gzip.encoder(Vec::new(), 6).unwrap();
        e.write_all(&text).unwrap();
        let gz = e.finish().unwrap();
        let (mut r, _, guard) = open_guarded(&gz[..]).unwrap();
        assert_eq!(io::copy(&mut r, &mut io::sink()).unwrap(), text.len() as u64);
        assert_eq!(guard.tripped(), None);
        assert_eq!(guard.consumed(), gz.len() as u64);
    }
}
