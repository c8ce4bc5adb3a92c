//! `validate`, `inspect` and restore's dump reader over structure-aware
//! mutations of real packages (fuzz/bases/ and samples/packages/).
//!
//! Each base package is decompressed once; the fuzz input is a list of
//! operations on its uncompressed tar: header fields rewritten (with or
//! without a correct checksum), entries deleted, duplicated, swapped,
//! added or given new contents, raw bytes flipped, inserted or cut, then the
//! stream compressed (zstd, gzip or none) and perhaps damaged again. A
//! `Reseal` operation recomputes the checksum manifests, `Payload-Oxum` and
//! `manifest.json`'s payload list, as a forger (or a careless tool) would,
//! so that the fuzzer can reach packages that are valid but odd.
//!
//! Checks: nothing panics; a report is valid exactly when it has no error;
//! the package SHA-256 it reports, if any, is that of the file; and when
//! validate says valid, restore's path over the same `OpenPackage`
//! (`head`, then `with_dump`, which holds the dump to the digest validate
//! recorded) reads the head and a dump byte for byte the one last sealed,
//! and `inspect` succeeds. A package that validates but restores other bytes would be
//! silent corruption; one that validates but cannot be restored or
//! inspected is a verdict restore and inspect contradict.

#![no_main]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pgbag::package::format::{self, BagInfo};
use pgbag::package::{Compression, InputKind, OpenPackage, Severity, inspect};
use pgbag::progress::NoProgress;
use pgbag::store::Input;
use pgbag::stream::sha256_hex;

/// Base packages: a small valid one (fuzz/bases/, cheap to validate, so
/// most executions go to the mutations) and samples/packages/.
const BASES: [&[u8]; 5] = [
    include_bytes!("../bases/small.tar.zst"),
    include_bytes!("../../samples/packages/good.tar.zst"),
    include_bytes!("../../samples/packages/broken-unterminated-copy.tar.zst"),
    include_bytes!("../../samples/packages/broken-extra-file.tar.gz"),
    include_bytes!("../../samples/packages/broken-path-traversal.tar.gz"),
];

/// A tar as header blocks and their data, unparsed beyond the size field.
#[derive(Clone)]
struct Tar {
    entries: Vec<Entry>,
    /// Blocks after the last entry (the end-of-archive zeros).
    trailer: Vec<u8>,
}

#[derive(Clone)]
struct Entry {
    header: [u8; 512],
    data: Vec<u8>,
}

/// ustar header fields: (offset, length).
const FIELDS: [(usize, usize); 17] = [
    (0, 100),   // name
    (100, 8),   // mode
    (108, 8),   // uid
    (116, 8),   // gid
    (124, 12),  // size
    (136, 12),  // mtime
    (148, 8),   // chksum
    (156, 1),   // typeflag
    (157, 100), // linkname
    (257, 6),   // magic
    (263, 2),   // version
    (265, 32),  // uname
    (297, 32),  // gname
    (329, 8),   // devmajor
    (337, 8),   // devminor
    (345, 155), // prefix
    (500, 12),  // padding
];

fn octal(field: &[u8]) -> u64 {
    field
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(b))
        .fold(0u64, |n, b| n.wrapping_mul(8).wrapping_add(u64::from(b - b'0')))
}

impl Tar {
    fn parse(raw: &[u8]) -> Tar {
        let mut entries = Vec::new();
        let mut at = 0;
        while at + 512 <= raw.len() && raw[at..at + 512].iter().any(|b| *b != 0) {
            let header: [u8; 512] = raw[at..at + 512].try_into().unwrap();
            let size = octal(&header[124..136]) as usize;
            let data = raw[at + 512..(at + 512 + size).min(raw.len())].to_vec();
            entries.push(Entry { header, data });
            at += 512 + size.div_ceil(512) * 512;
        }
        Tar { entries, trailer: raw[at.min(raw.len())..].to_vec() }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for e in &self.entries {
            out.extend_from_slice(&e.header);
            out.extend_from_slice(&e.data);
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
        out.extend_from_slice(&self.trailer);
        out
    }

    /// The entry `i` picks, if there are any.
    fn pick(&self, i: u8) -> Option<usize> {
        (!self.entries.is_empty()).then(|| usize::from(i) % self.entries.len())
    }

    fn find(&self, rel: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.rel() == rel && e.is_file())
    }
}

impl Entry {
    fn name(&self) -> String {
        let n = &self.header[..100];
        let n = &n[..n.iter().position(|b| *b == 0).unwrap_or(100)];
        String::from_utf8_lossy(n).into_owned()
    }

    /// The path below the top-level folder.
    fn rel(&self) -> String {
        self.name().split_once('/').map(|(_, r)| r.to_string()).unwrap_or_default()
    }

    /// A regular file as tar readers take it: `0`, old tar's NUL, and `7`
    /// (contiguous file, which GNU tar extracts as a regular file).
    fn is_file(&self) -> bool {
        matches!(self.header[156], b'0' | 0 | b'7')
    }

    fn set_field(&mut self, field: usize, value: &[u8]) {
        let (at, len) = FIELDS[field % FIELDS.len()];
        let slot = &mut self.header[at..at + len];
        slot.fill(0);
        let n = value.len().min(len);
        slot[..n].copy_from_slice(&value[..n]);
    }

    fn set_size(&mut self, size: u64) {
        let s = format!("{size:011o}");
        if s.len() == 11 {
            self.header[124..135].copy_from_slice(s.as_bytes());
            self.header[135] = 0;
        } else {
            // GNU base-256 for sizes beyond 8 GiB.
            self.header[124..136].fill(0);
            self.header[124] = 0x80;
            self.header[128..136].copy_from_slice(&size.to_be_bytes());
        }
    }

    fn fix_checksum(&mut self) {
        self.header[148..156].fill(b' ');
        let sum: u32 = self.header.iter().map(|b| u32::from(*b)).sum();
        let s = format!("{sum:06o}\0 ");
        self.header[148..156].copy_from_slice(&s.as_bytes()[s.len() - 8..]);
    }

    fn set_data(&mut self, data: Vec<u8>) {
        self.data = data;
        self.set_size(self.data.len() as u64);
        self.fix_checksum();
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    /// Rewrites a header field (NUL-padded), keeping or breaking its checksum.
    Field {
        entry: u8,
        field: u8,
        value: Vec<u8>,
        fix_checksum: bool,
    },
    /// A header size that disagrees with the data that follows.
    Size {
        entry: u8,
        size: u64,
    },
    /// A new entry type (`2` symlink, `1` hardlink, `3` device, `L` GNU long
    /// name, `x` PAX…).
    Kind {
        entry: u8,
        kind: u8,
    },
    /// A new path for an entry (e.g. `../x`, `/etc/x`, another root).
    Path {
        entry: u8,
        path: String,
    },
    Contents {
        entry: u8,
        data: Vec<u8>,
    },
    Splice {
        entry: u8,
        at: u32,
        cut: u16,
        insert: Vec<u8>,
    },
    Delete {
        entry: u8,
    },
    Duplicate {
        entry: u8,
    },
    Swap {
        a: u8,
        b: u8,
    },
    Add {
        after: u8,
        path: String,
        kind: u8,
        data: Vec<u8>,
    },
    /// Recomputes manifests, Payload-Oxum and manifest.json's payload.
    Reseal,
    /// Byte damage to the serialized tar.
    Flip {
        at: u32,
        xor: u8,
    },
    Cut {
        at: u32,
    },
    Insert {
        at: u32,
        bytes: Vec<u8>,
    },
    /// Byte damage to the compressed stream.
    FlipCompressed {
        at: u32,
        xor: u8,
    },
    CutCompressed {
        at: u32,
    },
}

#[derive(Arbitrary, Debug)]
enum Packing {
    Zstd,
    Gzip,
    None,
}

#[derive(Arbitrary, Debug)]
struct Case {
    base: u8,
    packing: Packing,
    ops: Vec<Op>,
}

struct Base {
    tar: Tar,
    dump: Option<Vec<u8>>,
}

fn bases() -> &'static [Base] {
    static BASES_DECODED: OnceLock<Vec<Base>> = OnceLock::new();
    BASES_DECODED.get_or_init(|| {
        BASES
            .iter()
            .map(|b| {
                let (mut d, _) = pgbag::package::compress::open_decoded(*b).expect("sample packages decode");
                let mut raw = Vec::new();
                // broken-* samples may be cut short; take what decodes.
                let _ = d.read_to_end(&mut raw);
                let tar = Tar::parse(&raw);
                let dump = tar.find(format::DUMP_SQL).map(|i| tar.entries[i].data.clone());
                Base { tar, dump }
            })
            .collect()
    })
}

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("creating a temporary directory");
        let path = dir.path().join("mutated.tar.zst");
        (dir, path)
    })
    .1
}

/// Recomputes what a checksum-aware forger would: the payload manifest,
/// Payload-Oxum, manifest.json's payload list, and last the tag manifest.
fn reseal(tar: &mut Tar) {
    let payload: Vec<(String, Vec<u8>)> = tar
        .entries
        .iter()
        .filter(|e| e.is_file() && e.rel().starts_with("data/"))
        .map(|e| (e.rel(), e.data.clone()))
        .collect();
    let sums: Vec<(String, String)> = payload.iter().map(|(p, d)| (p.clone(), sha256_hex(d))).collect();
    if let Some(i) = tar.find(format::MANIFEST_TXT) {
        tar.entries[i].set_data(format::render_manifest(&sums).into_bytes());
    }
    if let Some(i) = tar.find(format::BAG_INFO_TXT)
        && let Ok(mut info) = BagInfo::parse(&String::from_utf8_lossy(&tar.entries[i].data))
    {
        let total: u64 = payload.iter().map(|(_, d)| d.len() as u64).sum();
        let oxum = format::payload_oxum(total, payload.len());
        match info.0.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case("Payload-Oxum")) {
            Some((_, v)) => *v = oxum,
            None => info.0.push(("Payload-Oxum".into(), oxum)),
        }
        tar.entries[i].set_data(info.render().into_bytes());
    }
    if let Some(i) = tar.find(format::MANIFEST_JSON)
        && let Ok(mut m) = serde_json::from_slice::<serde_json::Value>(&tar.entries[i].data)
        && m.is_object()
    {
        let list: Vec<serde_json::Value> = payload
            .iter()
            .map(|(p, d)| serde_json::json!({ "path": p, "bytes": d.len(), "sha256": sha256_hex(d) }))
            .collect();
        m["payload"] = serde_json::Value::Array(list);
        tar.entries[i].set_data(format::to_json_bytes(&m));
    }
    let tags: Vec<(String, String)> = tar
        .entries
        .iter()
        .filter(|e| e.is_file() && !e.rel().is_empty() && !e.rel().starts_with("data/"))
        .filter(|e| e.rel() != format::TAGMANIFEST_TXT)
        .map(|e| (e.rel(), sha256_hex(&e.data)))
        .collect();
    if let Some(i) = tar.find(format::TAGMANIFEST_TXT) {
        tar.entries[i].set_data(format::render_manifest(&tags).into_bytes());
    }
}

/// `PGBAG_FUZZ_VERBOSE=1` prints each verdict (to see which findings the
/// corpus reaches: `cargo fuzz run package_mutate corpus/package_mutate -- -runs=0`).
static VERBOSE: OnceLock<bool> = OnceLock::new();

fn clamp(at: u32, len: usize) -> usize {
    if len == 0 { 0 } else { at as usize % (len + 1) }
}

fuzz_target!(|case: Case| {
    // Half the runs on the small base: it validates ~4 times faster.
    let base = &bases()[if case.base < 128 { 0 } else { 1 + usize::from(case.base) % (BASES.len() - 1) }];
    let mut tar = base.tar.clone();
    let mut sealed_dump = base.dump.clone();
    let mut raw: Option<Vec<u8>> = None;
    let mut compressed_ops = Vec::new();
    for op in case.ops.into_iter().take(16) {
        match op {
            Op::Flip { .. } | Op::Cut { .. } | Op::Insert { .. } => {
                let bytes = raw.get_or_insert_with(|| tar.to_bytes());
                match op {
                    Op::Flip { at, xor } if !bytes.is_empty() => {
                        let n = bytes.len();
                        bytes[at as usize % n] ^= xor;
                    }
                    Op::Cut { at } => bytes.truncate(clamp(at, bytes.len())),
                    Op::Insert { at, bytes: ins } => {
                        let at = clamp(at, bytes.len());
                        bytes.splice(at..at, ins);
                    }
                    _ => {}
                }
            }
            Op::FlipCompressed { .. } | Op::CutCompressed { .. } => compressed_ops.push(op),
            // Once the tar is bytes, the entries are gone.
            _ if raw.is_some() => {}
            Op::Field { entry, field, value, fix_checksum } => {
                if let Some(i) = tar.pick(entry) {
                    tar.entries[i].set_field(usize::from(field), &value);
                    if fix_checksum {
                        tar.entries[i].fix_checksum();
                    }
                }
            }
            Op::Size { entry, size } => {
                if let Some(i) = tar.pick(entry) {
                    tar.entries[i].set_size(size);
                    tar.entries[i].fix_checksum();
                }
            }
            Op::Kind { entry, kind } => {
                if let Some(i) = tar.pick(entry) {
                    tar.entries[i].header[156] = kind;
                    tar.entries[i].fix_checksum();
                }
            }
            Op::Path { entry, path } => {
                if let Some(i) = tar.pick(entry) {
                    tar.entries[i].set_field(0, path.as_bytes());
                    tar.entries[i].fix_checksum();
                }
            }
            Op::Contents { entry, data } => {
                if let Some(i) = tar.pick(entry) {
                    tar.entries[i].set_data(data);
                }
            }
            Op::Splice { entry, at, cut, insert } => {
                if let Some(i) = tar.pick(entry) {
                    let mut data = std::mem::take(&mut tar.entries[i].data);
                    let at = clamp(at, data.len());
                    let end = (at + usize::from(cut)).min(data.len());
                    data.splice(at..end, insert);
                    tar.entries[i].set_data(data);
                }
            }
            Op::Delete { entry } => {
                if let Some(i) = tar.pick(entry) {
                    tar.entries.remove(i);
                }
            }
            Op::Duplicate { entry } => {
                if let Some(i) = tar.pick(entry) {
                    let e = tar.entries[i].clone();
                    tar.entries.insert(i + 1, e);
                }
            }
            Op::Swap { a, b } => {
                if let (Some(a), Some(b)) = (tar.pick(a), tar.pick(b)) {
                    tar.entries.swap(a, b);
                }
            }
            Op::Add { after, path, kind, data } => {
                let mut e = Entry { header: tar.entries.first().map_or([0; 512], |e| e.header), data: Vec::new() };
                e.set_field(0, path.as_bytes());
                e.header[156] = kind;
                e.set_data(data);
                let at = tar.pick(after).map_or(0, |i| i + 1);
                tar.entries.insert(at, e);
            }
            Op::Reseal => {
                reseal(&mut tar);
                sealed_dump = tar.find(format::DUMP_SQL).map(|i| tar.entries[i].data.clone());
            }
        }
    }
    let raw = raw.unwrap_or_else(|| tar.to_bytes());
    let (compression, level) = match case.packing {
        Packing::Zstd => (Compression::Zstd, 1),
        Packing::Gzip => (Compression::Gzip, 1),
        Packing::None => (Compression::None, 0),
    };
    let mut enc = compression.encoder(Vec::new(), level).expect("in-memory encoder");
    enc.write_all(&raw).expect("in-memory write");
    let mut file = enc.finish().expect("in-memory encoder");
    for op in compressed_ops {
        match op {
            Op::FlipCompressed { at, xor } if !file.is_empty() => {
                let n = file.len();
                file[at as usize % n] ^= xor;
            }
            Op::CutCompressed { at } => file.truncate(clamp(at, file.len())),
            _ => {}
        }
    }

    let path = scratch();
    std::fs::write(path, &file).expect("writing the scratch file");
    let input = Input::local(path);
    // Restore's path (src/restore/run.rs): open once, validate that handle,
    // read its head, then stream the dump through the same handle, which
    // holds it to the digest validate recorded.
    let report = OpenPackage::open(&input).and_then(|pkg| pkg.validate(&NoProgress).map(|(r, _)| (pkg, r)));
    if let Ok((pkg, report)) = &report {
        let errors = report.findings.iter().any(|f| f.severity == Severity::Error);
        assert_eq!(report.valid, !errors, "{:?}", report.findings);
        if *VERBOSE.get_or_init(|| std::env::var_os("PGBAG_FUZZ_VERBOSE").is_some()) {
            let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
            eprintln!("pgbag-fuzz: valid={} findings={codes:?}", report.valid);
        }
        if let Some(sha) = &report.sha256 {
            assert_eq!(*sha, sha256_hex(&file), "the reported SHA-256 is not that of the file");
        }
        if report.valid {
            assert!(report.sha256.is_some(), "a valid package file without its SHA-256");
            let kind = pkg.kind().expect("a valid package is detected");
            assert!(matches!(kind, InputKind::Tar(_)), "a valid package is a tar: {kind:?}");
            assert!(pkg.validated_digest().is_some(), "validate passed but recorded no dump digest");
            let head = pkg.head().expect("restore reads the head of a valid package");
            head.summary().expect("restore reads schema.json of a valid package");
            head.manifest().expect("restore reads manifest.json of a valid package");
            // What restore would read must be exactly what was sealed.
            let read = pkg.with_dump(|r| {
                let mut v = Vec::new();
                r.read_to_end(&mut v).map_err(|e| pgbag::Error::io("reading the dump", e))?;
                Ok(v)
            });
            let read = read.expect("restore can read the dump of a valid package");
            let sealed = sealed_dump.as_deref().expect("a valid package had a dump when sealed");
            assert!(read == sealed, "validate passed but restore reads a different dump ({:?})", report.findings);
        }
    }
    let inspected = inspect(&input, &NoProgress);
    if let Ok((_, report)) = &report
        && report.valid
    {
        // inspect reads only the head, but of the same entries validate read.
        inspected.expect("inspect reads a valid package");
    }
});
