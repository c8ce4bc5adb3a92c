//! Tar differential tests (issue 11): pgbag and the tools of the README's
//! "without pgbag" route must agree on what a package holds.
//!
//! Each case is a hostile (or merely unusual) tar built from the good sample
//! package. It is read by GNU tar itself (`tar -x` into a scratch folder), and
//! the extracted bag is checked with `sha256sum -c manifest-sha256.txt` and
//! `bagit.py --validate`; then by pgbag (`validate`, restore's dump reader
//! `OpenPackage::with_dump`, and `unpack`). The properties, judged against
//! the tools and never against pgbag's own opinion:
//! - whatever pgbag accepts, GNU tar extracts and `sha256sum -c` and
//!   bagit-python accept, and all of them read the same dump bytes that
//!   restore streams and unpack writes;
//! - whenever the dump GNU tar extracts differs from the one pgbag's dump
//!   reader streams, pgbag refuses the package (validate and unpack);
//! - whatever validate refuses, unpack refuses too.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use pgbag::package::OpenPackage;
use pgbag::progress::NoProgress;
use pgbag::store::Input;
use sha2::{Digest, Sha256};

use crate::common::*;
use crate::util;

const BAG: &str = "fixture-20260101T000000Z";

/// One entry: its name, type and contents.
#[derive(Clone)]
struct E {
    name: Vec<u8>,
    kind: u8,
    data: Vec<u8>,
}

fn e(name: &str, data: &[u8]) -> E {
    E { name: name.as_bytes().to_vec(), kind: b'0', data: data.to_vec() }
}

/// The good sample package's entries.
fn good() -> Vec<E> {
    let f = fs::File::open(repo("samples/packages/good.tar.zst")).unwrap();
    let (r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut a = tar::Archive::new(r);
    let mut out = Vec::new();
    for entry in a.entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        let kind = entry.header().entry_type().as_byte();
        out.push(E { name: entry.path_bytes().into_owned(), kind, data });
    }
    out
}

fn dump_of(entries: &[E]) -> Vec<u8> {
    entries.iter().find(|e| e.name.ends_with(b"/data/dump.sql")).unwrap().data.clone()
}

/// A GNU header with `name` written byte for byte (cut at 100 bytes).
fn header(name: &[u8], kind: u8, size: u64) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    let n = name.len().min(100);
    h.as_old_mut().name[..n].copy_from_slice(&name[..n]);
    h.set_entry_type(tar::EntryType::new(kind));
    h.set_size(size);
    h.set_mode(if kind == b'5' { 0o755 } else { 0o644 });
    h.set_mtime(1_767_225_600);
    h.set_cksum();
    h.as_bytes().to_vec()
}

fn padded(mut b: Vec<u8>) -> Vec<u8> {
    b.resize(b.len().div_ceil(512) * 512, 0);
    b
}

fn entry_bytes(e: &E) -> Vec<u8> {
    let mut out = header(&e.name, e.kind, e.data.len() as u64);
    out.extend(padded(e.data.clone()));
    out
}

/// A GNU long-name entry (`L`) naming the next entry.
fn long_name(name: &str) -> Vec<u8> {
    let mut data = name.as_bytes().to_vec();
    data.push(0);
    let mut out = header(b"././@LongLink", b'L', data.len() as u64);
    out.extend(padded(data));
    out
}

/// A PAX extended header (`x`) with a `path` record for the next entry.
fn pax_path(path: &str) -> Vec<u8> {
    let body = format!(" path={path}\n");
    let mut len = body.len() + 1;
    while format!("{len}{body}").len() != len {
        len += 1;
    }
    let data = format!("{len}{body}").into_bytes();
    let mut out = header(b"././@PaxHeader", b'x', data.len() as u64);
    out.extend(padded(data));
    out
}

fn tar_of(parts: &[Vec<u8>], trailing: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = parts.concat();
    out.extend([0; 1024]);
    out.extend(trailing);
    out
}

fn sha(b: &[u8]) -> String {
    Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

/// The good entries with their manifests rewritten for `payload` (path →
/// contents, below the bag), so that the extra files are listed and sealed.
fn resealed(payload: &[(&str, &[u8])]) -> Vec<E> {
    let mut entries = good();
    let tag = |entries: &[E], rel: &str| {
        entries.iter().find(|e| e.name == format!("{BAG}/{rel}").as_bytes()).unwrap().data.clone()
    };
    let mut manifest: Vec<(String, String)> = payload.iter().map(|(p, d)| (p.to_string(), sha(d))).collect();
    manifest.sort();
    let manifest: String = manifest.iter().map(|(p, s)| format!("{s}  {p}\n")).collect();
    let octets: usize = payload.iter().map(|(_, d)| d.len()).sum();
    let info = String::from_utf8(tag(&entries, "bag-info.txt")).unwrap();
    let info: String = info
        .lines()
        .map(|l| {
            if l.starts_with("Payload-Oxum:") {
                format!("Payload-Oxum: {octets}.{}\n", payload.len())
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    for e in entries.iter_mut() {
        if e.name == format!("{BAG}/manifest-sha256.txt").as_bytes() {
            e.data = manifest.clone().into_bytes();
        }
        if e.name == format!("{BAG}/bag-info.txt").as_bytes() {
            e.data = info.clone().into_bytes();
        }
    }
    let tagmanifest: String = [
        "bag-info.txt",
        "bagit.txt",
        "manifest-sha256.txt",
        "pgbag/README.txt",
        "pgbag/manifest.json",
        "pgbag/schema.json",
    ]
    .iter()
    .map(|t| format!("{}  {t}\n", sha(&tag(&entries, t))))
    .collect();
    for e in entries.iter_mut() {
        if e.name == format!("{BAG}/tagmanifest-sha256.txt").as_bytes() {
            e.data = tagmanifest.clone().into_bytes();
        }
    }
    entries
}

/// What the README's route without pgbag makes of a tar.
#[derive(Debug)]
struct Tools {
    /// GNU tar extracted it, `sha256sum -c` and `bagit.py --validate` pass.
    accept: bool,
    /// `data/dump.sql` as GNU tar extracted it.
    dump: Option<Vec<u8>>,
    said: String,
}

fn tools(tar: &Path) -> Tools {
    let dir = tempfile::tempdir().unwrap();
    let x = Command::new("tar").arg("-xf").arg(tar).arg("-C").arg(dir.path()).output().unwrap();
    let bag = dir.path().join(BAG);
    let dump = fs::read(bag.join("data/dump.sql")).ok();
    let mut said = format!("tar: {} {}", x.status, String::from_utf8_lossy(&x.stderr).trim());
    if !x.status.success() || !bag.is_dir() {
        return Tools { accept: false, dump, said };
    }
    let sums =
        Command::new("sha256sum").args(["-c", "--quiet", "manifest-sha256.txt"]).current_dir(&bag).output().unwrap();
    said += &format!("; sha256sum: {}", sums.status);
    let bagit = match Command::new("bagit.py").arg("--validate").arg(&bag).output() {
        Ok(o) => o,
        Err(e) => {
            util::unavailable("bagit.py", format!("it is not runnable ({e}); python3 -m pip install bagit"));
            return Tools { accept: sums.status.success(), dump, said };
        }
    };
    let last = String::from_utf8_lossy(&bagit.stderr).lines().last().unwrap_or_default().to_string();
    said += &format!("; bagit.py: {} {}", bagit.status, last.split(" - ").last().unwrap_or_default());
    Tools { accept: sums.status.success() && bagit.status.success(), dump, said }
}

/// What pgbag makes of it.
#[derive(Debug)]
struct Pgbag {
    valid: bool,
    codes: Vec<String>,
    /// What restore's dump reader streams without validating first (the
    /// `--no-verify` path), if it streams anything.
    streamed: Option<Vec<u8>>,
    /// What it streams after validating through the same handle.
    streamed_validated: Option<Vec<u8>>,
    /// `data/dump.sql` as unpack wrote it, if unpack kept the bag.
    unpacked: Option<Vec<u8>>,
}

fn read_dump(pkg: &OpenPackage) -> Option<Vec<u8>> {
    pkg.with_dump(|r| {
        let mut v = Vec::new();
        r.read_to_end(&mut v).map_err(|e| pgbag::Error::io("reading", e))?;
        Ok(v)
    })
    .ok()
}

fn pgbag_reads(tar: &Path) -> Pgbag {
    let (exit, v) = validate(tar);
    let input = Input::local(tar);
    let streamed = read_dump(&OpenPackage::open(&input).unwrap());
    let pkg = OpenPackage::open(&input).unwrap();
    let (report, _) = pkg.validate(&NoProgress).unwrap();
    assert_eq!(report.valid, exit == 0, "the CLI and the library agree");
    let streamed_validated = if report.valid { read_dump(&pkg) } else { None };
    let out = tempfile::tempdir().unwrap();
    let u = pgbag().args(["unpack", "-q", "-o"]).arg(out.path()).arg(tar).output().unwrap();
    let unpacked = u.status.success().then(|| fs::read(out.path().join(BAG).join("data/dump.sql")).unwrap());
    if !u.status.success() {
        assert_eq!(listing(out.path()), Vec::<String>::new(), "a refused unpack leaves nothing");
    }
    Pgbag { valid: exit == 0, codes: codes(&v), streamed, streamed_validated, unpacked }
}

/// Runs one case; `expect` is pgbag's verdict: `None` for valid, else the
/// code it must report.
fn case(name: &str, tar: Vec<u8>, expect: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.tar");
    fs::write(&path, tar).unwrap();
    let t = tools(&path);
    let p = pgbag_reads(&path);
    eprintln!("{name}: tools accept={} ({}); pgbag valid={} {:?}", t.accept, t.said, p.valid, p.codes);
    if p.valid {
        assert!(t.accept, "{name}: pgbag accepts what the tools refuse: {}", t.said);
        assert!(
            t.dump.is_some() && t.dump == p.streamed_validated,
            "{name}: GNU tar extracts another dump than restore streams"
        );
        assert_eq!(p.streamed, p.streamed_validated, "{name}: restore reads another dump without validating");
        assert_eq!(p.unpacked, p.streamed_validated, "{name}: unpack writes another dump than restore streams");
    } else {
        assert!(p.unpacked.is_none(), "{name}: unpack kept a package validate refuses ({:?})", p.codes);
        assert!(p.streamed_validated.is_none());
    }
    if t.dump.is_some() && p.streamed.is_some() && t.dump != p.streamed {
        assert!(!p.valid, "{name}: GNU tar and restore read different dumps, yet pgbag accepts the package");
    }
    match expect {
        None => assert!(p.valid, "{name}: expected valid, got {:?}", p.codes),
        Some(code) => {
            assert!(!p.valid && p.codes.iter().any(|c| c == code), "{name}: expected {code}, got {:?}", p.codes)
        }
    }
}

fn parts(entries: &[E]) -> Vec<Vec<u8>> {
    entries.iter().map(entry_bytes).collect()
}

fn evil(dump: &[u8]) -> Vec<u8> {
    [dump, b"SELECT 'not the dump that was checked';\n"].concat()
}

#[test]
fn pgbag_and_gnu_tar_bagit_and_sha256sum_read_the_same_dump() {
    let good = good();
    let dump = dump_of(&good);
    let dump_name = format!("{BAG}/data/dump.sql");
    let is_dump = |x: &E| x.name == dump_name.as_bytes();
    let before_dump: Vec<Vec<u8>> = parts(&good.iter().filter(|x| !is_dump(x)).cloned().collect::<Vec<_>>());
    let with_dump = |dump_parts: Vec<Vec<u8>>| -> Vec<u8> { tar_of(&[before_dump.clone(), dump_parts].concat(), b"") };

    case("the good package", tar_of(&parts(&good), b""), None);

    // A second copy under `./name/`: validate used to check the last copy,
    // restore streamed the first (never checksummed), GNU tar keeps the last.
    let evil_first = vec![entry_bytes(&e(&format!("./{dump_name}"), &evil(&dump))), entry_bytes(&e(&dump_name, &dump))];
    case("an unchecked dump first, under ./name/", with_dump(evil_first), Some("tar-duplicate-entry"));
    let evil_last = vec![entry_bytes(&e(&dump_name, &dump)), entry_bytes(&e(&format!("./{dump_name}"), &evil(&dump)))];
    case("a second dump last, under ./name/", with_dump(evil_last), Some("tar-duplicate-entry"));
    let dotted =
        vec![entry_bytes(&e(&dump_name, &dump)), entry_bytes(&e(&format!("{BAG}/data/./dump.sql"), &evil(&dump)))];
    case("a second dump as name/data/./dump.sql", with_dump(dotted), Some("tar-duplicate-entry"));

    // One copy under a name that normalises to data/dump.sql: every reader
    // takes it for the dump.
    let single = vec![entry_bytes(&e(&format!("{BAG}/data/./dump.sql"), &dump))];
    case("the dump as name/data/./dump.sql", with_dump(single), None);
    let single = vec![entry_bytes(&e(&format!("./{BAG}//data/dump.sql"), &dump))];
    case("the dump as ./name//data/dump.sql", with_dump(single), None);

    // Long names: alone, each is read the same by every reader; together
    // (or twice) tar implementations pick different ones.
    let long = |prefix: Vec<u8>, name: &str, data: &[u8]| [prefix, entry_bytes(&e(name, data))].concat();
    case("the dump under a GNU long name", with_dump(vec![long(long_name(&dump_name), "truncated", &dump)]), None);
    case("the dump under a PAX path", with_dump(vec![long(pax_path(&dump_name), "truncated", &dump)]), None);
    let decoy = format!("{BAG}/data/decoy.sql");
    let conflict =
        |first: Vec<u8>, second: Vec<u8>| vec![[first, second, entry_bytes(&e("truncated", &dump))].concat()];
    case(
        "a PAX path and a GNU long name (PAX first)",
        with_dump(conflict(pax_path(&dump_name), long_name(&decoy))),
        Some("tar-conflicting-names"),
    );
    case(
        "a GNU long name and a PAX path (GNU first)",
        with_dump(conflict(long_name(&decoy), pax_path(&dump_name))),
        Some("tar-conflicting-names"),
    );
    case(
        "two GNU long names",
        with_dump(conflict(long_name(&decoy), long_name(&dump_name))),
        Some("tar-conflicting-names"),
    );
    let mixed = vec![
        entry_bytes(&e(&dump_name, &dump)),
        [pax_path(&dump_name), long_name(&decoy), entry_bytes(&e("x", &evil(&dump)))].concat(),
    ];
    case("a second dump behind conflicting names", with_dump(mixed), Some("tar-conflicting-names"));

    // What GNU tar ignores, unpack refuses as validate does.
    case("bytes after the end of the archive", tar_of(&parts(&good), b"trailing bytes"), Some("tar-trailing-garbage"));
    let mut reordered = good.clone();
    let data_dir = reordered.iter().position(|x| x.name == format!("{BAG}/data/").as_bytes()).unwrap();
    let d = reordered.remove(data_dir);
    reordered.insert(1, d);
    let bagit = reordered.iter().position(|x| x.name == format!("{BAG}/bagit.txt").as_bytes()).unwrap();
    let dump_entry = reordered.iter().position(is_dump).unwrap();
    reordered.swap(bagit, dump_entry);
    case("the dump before the tag files", tar_of(&parts(&reordered), b""), Some("tar-order"));

    // A payload file the spec does not allow, listed and sealed: BagIt
    // tools accept it, pgbag does not.
    let run = b"#!/bin/sh\necho hello\n".to_vec();
    let mut extra = resealed(&[("data/dump.sql", &dump), ("data/run.sh", &run)]);
    let at = extra.iter().position(is_dump).unwrap();
    extra.insert(at, e(&format!("{BAG}/data/run.sh"), &run));
    case("a listed data/run.sh", tar_of(&parts(&extra), b""), Some("payload-file-unexpected"));
}
