//! Compression: detection by magic bytes (never by file name), and the
//! encoders and decoders pgbag uses.
//!
//! Decoders read concatenated zstd frames and gzip members as one stream;
//! pgbag's packages are written that way (spec §4). Encoders are
//! deterministic: zstd single-threaded with frame checksums, gzip with a zero
//! mtime and no file name.

use std::io::{self, BufRead, BufReader, Read, Write};

/// How a stream is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    Zstd,
    Gzip,
    None,
}

impl Compression {
    /// The archive suffix for this compression.
    pub fn tar_suffix(self) -> &'static str {
        match self {
            Compression::Zstd => ".tar.zst",
            Compression::Gzip => ".tar.gz",
            Compression::None => ".tar",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::Zstd => "zstd",
            Compression::Gzip => "gzip",
            Compression::None => "none",
        }
    }

    /// Detects compression from the first bytes of a stream. A zstd stream
    /// may begin with a skippable frame (magic `0x184D2A50..=0x184D2A5F`,
    /// RFC 8878 §3.1.2), which decoders skip.
    pub fn detect(head: &[u8]) -> Compression {
        let skippable = head.get(..4).is_some_and(|m| {
            let m = u32::from_le_bytes([m[0], m[1], m[2], m[3]]);
            (0x184D_2A50..=0x184D_2A5F).contains(&m)
        });
        if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) || skippable {
            Compression::Zstd
        } else if head.starts_with(&[0x1F, 0x8B]) {
            Compression::Gzip
        } else {
            Compression::None
        }
    }

    pub fn default_level(self) -> i32 {
        match self {
            Compression::Zstd => 3,
            Compression::Gzip => 6,
            Compression::None => 0,
        }
    }

    /// Wraps `w` in an encoder. Call [`Encoder::finish`]: dropping an encoder
    /// would lose its trailer error.
    pub fn encoder<W: Write>(self, w: W, level: i32) -> io::Result<Encoder<W>> {
        Ok(match self {
            Compression::Zstd => {
                let mut e = zstd::stream::write::Encoder::new(w, level)?;
                e.include_checksum(true)?;
                Encoder::Zstd(e)
            }
            Compression::Gzip => {
                let level = flate2::Compression::new(level.clamp(0, 9) as u32);
                Encoder::Gzip(flate2::GzBuilder::new().mtime(0).write(w, level))
            }
            Compression::None => Encoder::Plain(w),
        })
    }

    /// Wraps `r` in a decoder that reads every frame or member.
    pub fn decoder<'a, R: BufRead + 'a>(self, r: R) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(r)?),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(r)),
            Compression::None => Box::new(r),
        })
    }
}

/// Reads the first bytes of `r` and returns the decoded stream plus the
/// compression found. The magic is read whole even from a reader that gives
/// a byte at a time (a pipe may): one buffer fill could end inside it, and a
/// gzip stream would then be taken for plain text.
pub fn open_decoded<'a, R: Read + 'a>(mut r: R) -> io::Result<(Box<dyn Read + 'a>, Compression)> {
    let mut magic = [0u8; 4];
    let mut n = 0;
    while n < magic.len() {
        match r.read(&mut magic[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let c = Compression::detect(&magic[..n]);
    let r = BufReader::with_capacity(256 * 1024, io::Cursor::new(magic[..n].to_vec()).chain(r));
    Ok((c.decoder(r)?, c))
}

/// An encoder that must be finished explicitly.
pub enum Encoder<W: Write> {
    Zstd(zstd::stream::write::Encoder<'static, W>),
    Gzip(flate2::write::GzEncoder<W>),
    Plain(W),
}

impl<W: Write> Encoder<W> {
    /// Writes the trailer and returns the inner writer (not yet synced).
    pub fn finish(self) -> io::Result<W> {
        match self {
            Encoder::Zstd(e) => e.finish(),
            Encoder::Gzip(e) => e.finish(),
            Encoder::Plain(mut w) => {
                w.flush()?;
                Ok(w)
            }
        }
    }

    pub fn get_mut(&mut self) -> &mut W {
        match self {
            Encoder::Zstd(e) => e.get_mut(),
            Encoder::Gzip(e) => e.get_mut(),
            Encoder::Plain(w) => w,
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Zstd(e) => e.write(buf),
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Plain(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Zstd(e) => e.write_all(buf),
            Encoder::Gzip(e) => e.write_all(buf),
            Encoder::Plain(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Zstd(e) => e.flush(),
            Encoder::Gzip(e) => e.flush(),
            Encoder::Plain(w) => w.flush(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Gives one byte per read, as a pipe may.
    pub(crate) struct OneByte<'a>(pub &'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_zstd_stream_that_begins_with_a_skippable_frame_is_zstd() {
        let mut e = Compression::Zstd.encoder(Vec::new(), 3).unwrap();
        e.write_all(b"hello").unwrap();
        let frame = e.finish().unwrap();
        for magic in [0x184D_2A50u32, 0x184D_2A5F] {
            let mut stream = magic.to_le_bytes().to_vec();
            stream.extend(4u32.to_le_bytes());
            stream.extend(b"skip");
            stream.extend(&frame);
            let (mut d, found) = open_decoded(&stream[..]).unwrap();
            let mut s = String::new();
            d.read_to_string(&mut s).unwrap();
            assert_eq!((s.as_str(), found), ("hello", Compression::Zstd));
        }
        assert_eq!(Compression::detect(&0x184D_2A60u32.to_le_bytes()), Compression::None);
    }

    /// A pipe may give one byte per read: detection once looked at a single
    /// buffer fill, and took `0x1f` alone for plain text.
    #[test]
    fn the_magic_is_read_whole_from_a_reader_that_gives_one_byte_at_a_time() {
        for c in [Compression::Zstd, Compression::Gzip, Compression::None] {
            let mut e = c.encoder(Vec::new(), c.default_level()).unwrap();
            e.write_all(b"hello").unwrap();
            let stream = e.finish().unwrap();
            let (mut d, found) = open_decoded(OneByte(&stream)).unwrap();
            let mut s = String::new();
            d.read_to_string(&mut s).unwrap();
            assert_eq!((s.as_str(), found), ("hello", c));
        }
        let (mut d, found) = open_decoded(OneByte(b"x")).unwrap();
        let mut s = String::new();
        d.read_to_string(&mut s).unwrap();
        assert_eq!((s.as_str(), found), ("x", Compression::None));
    }

    #[test]
    fn concatenated_frames_decode_as_one_stream() {
        for c in [Compression::Zstd, Compression::Gzip, Compression::None] {
            let mut out = Vec::new();
            for part in [&b"hello "[..], &b"world"[..]] {
                let mut e = c.encoder(Vec::new(), c.default_level()).unwrap();
                e.write_all(part).unwrap();
                out.extend(e.finish().unwrap());
            }
            let (mut d, found) = open_decoded(&out[..]).unwrap();
            let mut s = String::new();
            d.read_to_string(&mut s).unwrap();
            assert_eq!((s.as_str(), found), ("hello world", c));
        }
    }
}
