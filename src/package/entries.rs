//! The one reader of a bag's tar: every reader of a serialized package
//! (`validate`, `inspect`, restore's dump reader, `drill`, `unpack`) walks
//! its entries through [`BagReader`], which classifies each entry once, with
//! one set of rules.
//!
//! The tar headers are parsed here, not by a tar library, so that pgbag reads
//! a header exactly as GNU tar does or refuses it (spec/package-format.md
//! §2): a name is the PAX `path` record, else the GNU long name, else the
//! ustar prefix and name; an entry carrying two of the first two (or two of
//! either) is refused (`tar-conflicting-names`), since tar implementations
//! disagree on which wins. A PAX `size` record gives the size, as in GNU tar.
//! Names are normalised (`./`, empty and `.` components dropped) and no two
//! entries may have the same normalised name: GNU tar would let the later one
//! overwrite the earlier. Only regular files (`0`, NUL, `7`) and directories
//! are accepted; of payload files only `data/dump.sql` and
//! `data/globals.sql`.
//!
//! A refused entry is reported as [`Class::Refused`] with its finding code
//! and the walk goes on (validate wants every finding). What stops the walk is
//! a [`Fault`]: the archive cannot be read further (damage, truncation, the
//! head guard). Faults are typed from how the read failed, never from an
//! error's text.
//!
//! Everything outside payload contents is read through the head guard
//! (`guard.rs`); the guard is disarmed only while a payload file's contents
//! are read or skipped.

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, Read};

use super::compress::Compression;
use super::findings::Code;
use super::format;
use super::guard::{HeadGuard, Trip, open_guarded};

const BLOCK: usize = 512;
/// Longest GNU long name or PAX extended header pgbag reads (GNU tar's
/// names are bounded by PATH_MAX, 4096, on Linux).
const MAX_EXTENDED: u64 = 64 << 10;
/// Largest read passed down to the decoder.
const READ_CHUNK: usize = 256 << 10;

/// A tar entry, classified.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The name as stored (lossy UTF-8), for messages.
    pub stored: String,
    /// The path below the bag's top-level folder, normalised
    /// (`data/dump.sql`); empty for the folder itself.
    pub rel: String,
    /// The bag's top-level folder (the first entry's), once known.
    pub root: String,
    /// Size of the contents in bytes.
    pub size: u64,
    /// Offset of the entry's header in the decoded tar.
    pub offset: u64,
    pub class: Class,
    /// Why the entry is out of the order of spec §2, if it is (`tar-order`).
    /// The entry is still read.
    pub misplaced: Option<String>,
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// The bag's top-level folder.
    Root,
    /// A folder inside the bag.
    Folder,
    /// A tag file (anything outside `data/`).
    Tag,
    /// A file in `data/`; `allowed` is false for anything but the payload
    /// files of spec §1 (`payload-file-unexpected`).
    Payload { allowed: bool },
    /// Not part of the bag: its contents are skipped.
    Refused(Refusal),
}

/// Why an entry was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: Code,
    pub why: String,
}

impl Refusal {
    /// The class of an entry refused for `why`.
    fn class(code: Code, why: impl Into<String>) -> Class {
        Class::Refused(Refusal { code, why: why.into() })
    }
}

/// Why the archive cannot be read further.
#[derive(Debug)]
pub enum Fault {
    /// The head guard stopped reading (a bomb, or too much outside payloads).
    Guard(Trip),
    /// The stream ends early, `what` says where.
    Truncated { at: u64, what: &'static str },
    /// A header fails its checksum.
    HeaderChecksum { at: u64 },
    /// A header that cannot be read (a size that is not a number).
    Corrupt { at: u64, why: String },
    /// The decoder or the file failed.
    Decode { at: u64, error: io::Error },
    /// The store failed: not damage in the package.
    Store(io::Error),
}

impl Fault {
    /// The finding code, or `None` for a store failure (an operational error).
    pub fn code(&self, compression: Compression) -> Option<Code> {
        Some(match self {
            Fault::Guard(t) => t.code(),
            Fault::Truncated { .. } => Code::TarTruncated,
            Fault::HeaderChecksum { .. } => Code::TarHeaderChecksumMismatch,
            Fault::Corrupt { .. } => Code::TarCorrupt,
            Fault::Decode { error, .. } if error.kind() == io::ErrorKind::UnexpectedEof => Code::TarTruncated,
            Fault::Decode { .. } if compression == Compression::None => Code::TarCorrupt,
            Fault::Decode { .. } => Code::CompressedStreamCorrupt,
            Fault::Store(_) => return None,
        })
    }

    pub fn hint(&self) -> &'static str {
        match self {
            Fault::Guard(_) => "pgbag did not write this; do not extract it with ordinary tools",
            _ => "restore the package from another copy",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Guard(t) => write!(f, "{t}"),
            Fault::Truncated { at, what } => write!(f, "the archive ends {what}, near byte {at}: it was cut short"),
            Fault::HeaderChecksum { at } => {
                write!(f, "the tar header at byte {at} fails its checksum; the entries after it cannot be read")
            }
            Fault::Corrupt { at, why } => write!(f, "the archive is damaged at byte {at}: {why}"),
            Fault::Decode { at, error } => write!(f, "the archive cannot be read after {at} bytes: {error}"),
            Fault::Store(e) => write!(f, "{e}"),
        }
    }
}

/// A header block's facts, extended headers applied.
struct Header {
    offset: u64,
    name: Vec<u8>,
    kind: u8,
    size: u64,
    refusal: Option<Class>,
}

/// What the extended headers before an entry said.
#[derive(Default)]
struct Extended {
    long_name: Option<Vec<u8>>,
    pax: Option<Pax>,
    refusal: Option<Class>,
}

impl Extended {
    fn conflict(&mut self, what: &str) {
        let why = format!("carries {what}, which tar readers resolve differently");
        self.refusal = Some(Refusal::class(Code::TarConflictingNames, why));
    }
}

/// The rules that need what came before: one root, no duplicates, order.
#[derive(Default)]
struct Rules {
    root: Option<String>,
    seen: BTreeSet<String>,
    files: BTreeSet<String>,
    in_data: bool,
    last_tag: usize,
}

/// Reads a package's tar entries, classified; see the module docs.
pub struct BagReader<'a> {
    decoded: Box<dyn Read + 'a>,
    guard: HeadGuard,
    compression: Compression,
    /// Decoded bytes read so far.
    pos: u64,
    /// Contents and padding of the current entry still unread.
    remaining: u64,
    padding: u64,
    current_payload: bool,
    rules: Rules,
    /// The end-of-archive block was reached.
    ended: bool,
    fault: Option<Fault>,
}

impl<'a> BagReader<'a> {
    /// Detects the compression of `raw` and opens it, guarded.
    pub fn new(raw: impl Read + 'a) -> io::Result<BagReader<'a>> {
        let (decoded, compression, guard) = open_guarded(raw)?;
        Ok(BagReader {
            decoded,
            guard,
            compression,
            pos: 0,
            remaining: 0,
            padding: 0,
            current_payload: false,
            rules: Rules::default(),
            ended: false,
            fault: None,
        })
    }

    pub fn compression(&self) -> Compression {
        self.compression
    }

    pub fn guard(&self) -> &HeadGuard {
        &self.guard
    }

    /// The bag's name (its top-level folder), once an entry has named it.
    pub fn root(&self) -> Option<&str> {
        self.rules.root.as_deref()
    }

    /// Why reading stopped, if it did; taken once.
    pub fn take_fault(&mut self) -> Option<Fault> {
        self.fault.take()
    }

    /// The next entry, or `None` at the end-of-archive block. The contents
    /// of the previous entry, if not read, are skipped.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, Fault> {
        if let Some(f) = self.fault.take() {
            return Err(f);
        }
        if self.ended {
            return Ok(None);
        }
        self.skip_current()?;
        let Some(h) = self.header()? else { return Ok(None) };
        self.remaining = h.size;
        self.padding = h.size.next_multiple_of(BLOCK as u64) - h.size;
        let (rel, class, misplaced) = self.classify(&h);
        self.current_payload = matches!(class, Class::Payload { .. });
        Ok(Some(Entry {
            stored: String::from_utf8_lossy(&h.name).into_owned(),
            rel,
            root: self.rules.root.clone().unwrap_or_default(),
            size: h.size,
            offset: h.offset,
            class,
            misplaced,
        }))
    }

    /// Reads the current entry's contents. Payload contents are read with
    /// the guard disarmed. A read that fails sets the fault
    /// ([`take_fault`](Self::take_fault)); contents that end early fail with
    /// `UnexpectedEof`.
    pub fn data(&mut self) -> EntryData<'_, 'a> {
        EntryData { reader: self }
    }

    /// After the last entry: reads to the very end. The end-of-archive
    /// blocks must be whole and nothing but zeros may follow; the decoder
    /// checks its trailers (zstd frame checksum, gzip CRC) only when it
    /// reaches them. Returns whether non-zero bytes follow the end.
    pub fn finish(&mut self) -> Result<bool, Fault> {
        if let Some(f) = self.fault.take() {
            return Err(f);
        }
        let mut after = 0u64;
        let mut nonzero = false;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = self.read_raw(&mut buf)?;
            if n == 0 {
                break;
            }
            after += n as u64;
            nonzero |= buf[..n].iter().any(|&b| b != 0);
        }
        // The first zero block was read by `header`; the second must follow.
        if after < BLOCK as u64 && !nonzero {
            return Err(Fault::Truncated { at: self.pos, what: "without tar's end-of-archive blocks" });
        }
        Ok(nonzero)
    }

    /// Decodes the rest of the stream unguarded (as a payload is read),
    /// after a damaged header: a damaged compressed stream may decode into a
    /// damaged header before the decoder can tell, since zstd and gzip check
    /// their data only at a frame's end. Returns the decoder's failure.
    pub fn drain(&mut self) -> Option<Fault> {
        self.guard.disarm();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match self.read_raw(&mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(f) => return Some(f),
            }
        }
    }

    fn skip_current(&mut self) -> Result<(), Fault> {
        if self.current_payload {
            self.guard.disarm(); // payload contents are streamed, never held
        }
        let mut buf = [0u8; 8192];
        while self.remaining > 0 {
            let want = self.remaining.min(buf.len() as u64) as usize;
            let n = self.read_raw(&mut buf[..want])?;
            if n == 0 {
                return Err(self.truncated("inside an entry"));
            }
            self.remaining -= n as u64;
        }
        self.guard.arm();
        self.current_payload = false;
        while self.padding > 0 {
            let want = self.padding.min(buf.len() as u64) as usize;
            let n = self.read_raw(&mut buf[..want])?;
            if n == 0 {
                return Err(self.truncated("inside the padding after an entry"));
            }
            self.padding -= n as u64;
        }
        Ok(())
    }

    fn truncated(&self, what: &'static str) -> Fault {
        Fault::Truncated { at: self.pos, what }
    }

    /// One read of the decoded stream, its failure typed.
    fn read_raw(&mut self, buf: &mut [u8]) -> Result<usize, Fault> {
        loop {
            match self.decoded.read(buf) {
                Ok(n) => {
                    self.pos += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(match self.guard.tripped() {
                        Some(trip) => Fault::Guard(trip),
                        None if crate::store::is_store_error(&e) => Fault::Store(e),
                        None => Fault::Decode { at: self.pos, error: e },
                    });
                }
            }
        }
    }

    /// Reads exactly one block; `Ok(false)` if the stream ends before it.
    fn block(&mut self, block: &mut [u8; BLOCK], what: &'static str) -> Result<bool, Fault> {
        let mut n = 0;
        while n < BLOCK {
            let k = self.read_raw(&mut block[n..])?;
            if k == 0 {
                return if n == 0 { Ok(false) } else { Err(self.truncated(what)) };
            }
            n += k;
        }
        Ok(true)
    }

    /// Reads an entry's header, and the extended headers before it.
    fn header(&mut self) -> Result<Option<Header>, Fault> {
        let mut ext = Extended::default();
        loop {
            let offset = self.pos;
            let mut b = [0u8; BLOCK];
            if !self.block(&mut b, "inside a tar header")? {
                return Err(self.truncated("without tar's end-of-archive blocks"));
            }
            if b.iter().all(|&x| x == 0) {
                if ext.long_name.is_some() || ext.pax.is_some() {
                    return Err(Fault::Corrupt { at: offset, why: "an extended header describes no entry".into() });
                }
                self.ended = true;
                return Ok(None);
            }
            if !checksum_ok(&b) {
                return Err(Fault::HeaderChecksum { at: offset });
            }
            let kind = b[156];
            let size = parse_size(&b[124..136])
                .ok_or_else(|| Fault::Corrupt { at: offset, why: "a tar header's size is not a number".into() })?;
            let posix = &b[257..263] == b"ustar\0";
            if !posix && &b[257..265] != b"ustar  \0" {
                let old = Refusal::class(Code::TarHeaderUnsupported, "has an old (pre-ustar) tar header");
                ext.refusal.get_or_insert(old);
            }
            self.remaining = size;
            self.padding = size.next_multiple_of(BLOCK as u64) - size;
            match kind {
                b'L' | b'x' | b'K' => {
                    self.extended(kind, size, &mut ext)?;
                    continue;
                }
                b'g' => {
                    // A global header applies to every later entry; pgbag
                    // never writes one, and readers differ on its records.
                    let refusal = Some(Refusal::class(Code::TarHeaderUnsupported, "is a PAX global header"));
                    let name = b"(PAX global header)".to_vec();
                    return Ok(Some(Header { offset, name, kind, size, refusal }));
                }
                _ => {}
            }
            let mut name = field(&b[0..100]).to_vec();
            let prefix = field(&b[345..500]);
            if posix && !prefix.is_empty() {
                name = [prefix, b"/", &name].concat();
            }
            let mut size = size;
            if let Some(p) = ext.pax {
                size = p.size.unwrap_or(size);
                name = p.path.unwrap_or(name);
            }
            if let Some(l) = ext.long_name {
                name = l;
            }
            return Ok(Some(Header { offset, name, kind, size, refusal: ext.refusal }));
        }
    }

    /// Reads a GNU long name (`L`), long link name (`K`) or PAX extended
    /// header (`x`) for the entry that follows.
    fn extended(&mut self, kind: u8, size: u64, ext: &mut Extended) -> Result<(), Fault> {
        if size > MAX_EXTENDED {
            // Skipped through the guard, which stops a bomb.
            self.skip_current()?;
            let why = format!("has an extended header (a long name) of {size} bytes");
            ext.refusal = Some(Refusal::class(Code::TarHeaderUnsupported, why));
            return Ok(());
        }
        let mut data = Vec::with_capacity(size as usize);
        let read = self.data().read_to_end(&mut data);
        if read.is_err() {
            return Err(self.fault_or_truncated());
        }
        self.skip_current()?;
        let has_pax_path = ext.pax.as_ref().is_some_and(|p| p.path.is_some());
        let conflict = match kind {
            b'L' if ext.long_name.is_some() => Some("two GNU long names"),
            b'L' if has_pax_path => Some("both a PAX path and a GNU long name"),
            b'x' if ext.pax.is_some() => Some("two PAX extended headers"),
            _ => None,
        };
        match kind {
            b'L' => ext.long_name = Some(field(&data).to_vec()),
            b'x' => {
                let p = Pax::parse(&data);
                if let Some(why) = &p.unsupported {
                    ext.refusal.get_or_insert(Refusal::class(Code::TarHeaderUnsupported, why.clone()));
                }
                let conflicts = p.path.is_some() && ext.long_name.is_some();
                ext.pax = Some(p);
                if conflicts {
                    ext.conflict("both a GNU long name and a PAX path");
                    return Ok(());
                }
            }
            _ => ext.refusal = Some(Refusal::class(Code::TarLink, "carries a GNU long link name")),
        }
        if let Some(c) = conflict {
            ext.conflict(c);
        }
        Ok(())
    }

    fn fault_or_truncated(&mut self) -> Fault {
        self.fault.take().unwrap_or_else(|| self.truncated("inside an extended header"))
    }

    /// Applies the rules to one header: its normalised path, its class and
    /// whether it is out of order.
    fn classify(&mut self, h: &Header) -> (String, Class, Option<String>) {
        let parts = match normalise(&h.name) {
            Ok(p) => p,
            Err(why) => return (String::new(), Refusal::class(Code::TarUnsafePath, why), None),
        };
        if let Some(r) = &h.refusal {
            return (parts.join("/"), r.clone(), None);
        }
        let dir = match h.kind {
            b'5' => true,
            b'0' | 0 | b'7' => false,
            b'1' => return (parts.join("/"), Refusal::class(Code::TarLink, "is a hard link"), None),
            b'2' => return (parts.join("/"), Refusal::class(Code::TarLink, "is a symbolic link"), None),
            b'3' | b'4' => return (parts.join("/"), Refusal::class(Code::TarSpecialFile, "is a device file"), None),
            b'6' => return (parts.join("/"), Refusal::class(Code::TarSpecialFile, "is a FIFO"), None),
            k => {
                let why = format!("is a tar entry of type `{}`", k.escape_ascii());
                return (parts.join("/"), Refusal::class(Code::TarSpecialFile, why), None);
            }
        };
        if !dir && h.name.ends_with(b"/") {
            // GNU tar extracts a file whose name ends in `/` as a folder.
            return (parts.join("/"), Refusal::class(Code::TarUnsafePath, "is a file whose name ends in `/`"), None);
        }
        let (root, rest) = parts.split_first().expect("normalise gives at least one component");
        let rel = rest.join("/");
        let r = &mut self.rules;
        match &r.root {
            None => r.root = Some(root.clone()),
            Some(first) if first != root => {
                let why = format!("is outside the top-level folder `{first}`");
                return (rel, Refusal::class(Code::TarMultipleRoots, why), None);
            }
            Some(_) => {}
        }
        if rel.is_empty() && !dir {
            let why = "is a file at the top level, not the bag's folder";
            return (rel, Refusal::class(Code::TarSpecialFile, why), None);
        }
        // A second entry of the same name would replace the first when
        // extracted; a name below a file cannot be extracted at all.
        let clash = (1..rest.len()).map(|i| rest[..i].join("/")).find(|p| r.files.contains(p));
        if let Some(p) = clash {
            return (rel, Refusal::class(Code::TarDuplicateEntry, format!("is below the file `{p}`")), None);
        }
        if !r.seen.insert(rel.clone()) {
            return (rel, Refusal::class(Code::TarDuplicateEntry, "appears twice (after normalising its name)"), None);
        }
        if dir {
            let class = if rel.is_empty() { Class::Root } else { Class::Folder };
            return (rel, class, None);
        }
        r.files.insert(rel.clone());
        if rel.starts_with("data/") {
            r.in_data = true;
            let allowed = format::PAYLOAD_FILES.contains(&rel.as_str());
            return (rel, Class::Payload { allowed }, None);
        }
        let mut misplaced = r.in_data.then(|| format!("tag file {rel} comes after the payload"));
        if let Some(i) = format::TAG_FILES.iter().position(|t| *t == rel) {
            if i < r.last_tag {
                misplaced.get_or_insert_with(|| format!("tag file {rel} is out of order"));
            }
            r.last_tag = i;
        }
        (rel, Class::Tag, misplaced)
    }
}

/// The current entry's contents.
pub struct EntryData<'r, 'a> {
    reader: &'r mut BagReader<'a>,
}

impl Read for EntryData<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let r = &mut *self.reader;
        if r.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        if r.current_payload {
            r.guard.disarm();
        }
        // At most READ_CHUNK per read: a caller reading a whole tag file
        // into one buffer must not turn into one read of that size below
        // (the package's hashing thread copies each read it sees).
        let want = r.remaining.min(buf.len().min(READ_CHUNK) as u64) as usize;
        let got = r.read_raw(&mut buf[..want]);
        r.guard.arm();
        match got {
            Ok(0) => {
                let f = r.truncated("inside an entry");
                let msg = f.to_string();
                r.fault = Some(f);
                Err(io::Error::new(io::ErrorKind::UnexpectedEof, msg))
            }
            Ok(n) => {
                r.remaining -= n as u64;
                Ok(n)
            }
            Err(f) => {
                // A store failure stays recognisable as one (`is_store_error`).
                let e = match &f {
                    Fault::Store(e) => io::Error::other(crate::store::StoreError(e.to_string())),
                    other => io::Error::other(other.to_string()),
                };
                r.fault = Some(f);
                Err(e)
            }
        }
    }
}

/// A tar name field: up to its first NUL.
fn field(b: &[u8]) -> &[u8] {
    b.split(|&x| x == 0).next().unwrap_or_default()
}

/// GNU tar accepts the unsigned sum of the header (checksum field as
/// spaces), and the signed sum old tars wrote.
fn checksum_ok(b: &[u8; BLOCK]) -> bool {
    let Some(want) = parse_octal(&b[148..156]) else { return false };
    let (mut unsigned, mut signed) = (0u64, 0i64);
    for (i, &x) in b.iter().enumerate() {
        let x = if (148..156).contains(&i) { b' ' } else { x };
        unsigned += u64::from(x);
        signed += i64::from(x as i8);
    }
    want == unsigned || i64::try_from(want).is_ok_and(|w| w == signed)
}

fn parse_octal(b: &[u8]) -> Option<u64> {
    let s = field(b);
    let s = std::str::from_utf8(s).ok()?.trim_matches(' ');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

/// A size field: octal, or GNU's base-256 for sizes of 8 GiB and more.
fn parse_size(b: &[u8]) -> Option<u64> {
    if b[0] & 0x80 != 0 {
        if b[0] & 0x40 != 0 {
            return None; // negative
        }
        let mut v: u64 = u64::from(b[0] & 0x3f);
        for &x in &b[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(x))?;
        }
        return Some(v);
    }
    parse_octal(b)
}

/// The records of a PAX extended header that pgbag reads.
#[derive(Debug, Default)]
struct Pax {
    path: Option<Vec<u8>>,
    size: Option<u64>,
    /// Why the header is refused, if it is.
    unsupported: Option<String>,
}

impl Pax {
    /// `<length> <key>=<value>\n` records (POSIX pax). Times and owners are
    /// ignored, as pgbag ignores them in ustar headers; any other key could
    /// change how another reader takes the entry, so it is refused.
    fn parse(mut data: &[u8]) -> Pax {
        let mut p = Pax::default();
        let bad = |why: &str| Pax { unsupported: Some(why.to_string()), ..Pax::default() };
        while !data.is_empty() {
            let Some(sp) = data.iter().position(|&x| x == b' ') else { return bad("has a malformed PAX record") };
            let Some(len) = std::str::from_utf8(&data[..sp]).ok().and_then(|s| s.parse::<usize>().ok()) else {
                return bad("has a malformed PAX record");
            };
            if len <= sp + 1 || len > data.len() || data[len - 1] != b'\n' {
                return bad("has a malformed PAX record");
            }
            let record = &data[sp + 1..len - 1];
            data = &data[len..];
            let Some(eq) = record.iter().position(|&x| x == b'=') else { return bad("has a malformed PAX record") };
            let (key, value) = (&record[..eq], &record[eq + 1..]);
            match key {
                b"path" => p.path = Some(value.to_vec()),
                b"size" => match std::str::from_utf8(value).ok().and_then(|s| s.parse().ok()) {
                    Some(s) => p.size = Some(s),
                    None => return bad("has a PAX size that is not a number"),
                },
                b"mtime" | b"atime" | b"ctime" | b"uid" | b"gid" | b"uname" | b"gname" => {}
                other => {
                    let why = format!("has a PAX record `{}` pgbag does not read", other.escape_ascii());
                    p.unsupported.get_or_insert(why);
                }
            }
        }
        p
    }
}

/// Splits a stored name into its components as GNU tar extracts it (empty
/// and `.` components dropped), refusing what would land outside the
/// folder or is not a plain UTF-8 name.
fn normalise(name: &[u8]) -> Result<Vec<String>, String> {
    if name.contains(&0) {
        return Err("has a NUL byte in its name".into());
    }
    let s = std::str::from_utf8(name).map_err(|_| "has a name that is not UTF-8".to_string())?;
    if s.starts_with('/') {
        return Err("has an absolute path".into());
    }
    let mut parts = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err("has a `..` component".into()),
            c => parts.push(c.to_string()),
        }
    }
    if parts.is_empty() {
        return Err("has an empty name".into());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_gnu_tar_extracts_them() {
        assert_eq!(normalise(b"./bag//data/./dump.sql").unwrap(), ["bag", "data", "dump.sql"]);
        for (name, why) in [
            (&b"/etc/passwd"[..], "absolute"),
            (b"bag/../x", "`..`"),
            (b"./", "empty"),
            (b"", "empty"),
            (b"bag/\xff", "UTF-8"),
            (b"bag/a\0b", "NUL"),
        ] {
            assert!(normalise(name).unwrap_err().contains(why), "{name:?}");
        }
    }

    #[test]
    fn pax_records_parse_and_unknown_keys_are_refused() {
        let p = Pax::parse(b"20 path=bag/x/y.sql\n11 size=42\n");
        assert_eq!((p.path.as_deref(), p.size, p.unsupported), (Some(&b"bag/x/y.sql"[..]), Some(42), None));
        assert!(Pax::parse(b"25 linkpath=/etc/shadow\n").unsupported.is_some());
        assert!(Pax::parse(b"99 path=x\n").unsupported.is_some());
    }

    #[test]
    fn sizes_octal_and_base_256() {
        assert_eq!(parse_size(b"00000001750\0"), Some(1000));
        let mut big = [0u8; 12];
        big[0] = 0x80;
        big[11] = 1;
        big[10] = 2; // 0x0201
        assert_eq!(parse_size(&big), Some(513));
        assert_eq!(parse_size(b"0000000175x\0"), None);
    }
}
