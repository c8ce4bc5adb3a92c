//! Hostile archives (issue 5): entries that would escape or subvert the
//! target folder, decompression bombs and oversized tag files.
//!
//! Every hostile case is refused by `validate` (exit 1, its tar-* code) and
//! by `unpack` (exit 1); afterwards the test walks the filesystem to prove
//! that nothing was written: the target folder is empty, it is the only
//! thing in its parent, no `escape*` file exists anywhere, and the victims
//! that links point at are untouched. Bombs end with a clear error while the
//! process's peak memory (GNU time's maximum RSS) stays under 100 MiB.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use pgbag::package::Compression;
use tar::{EntryType, Header};

use crate::common::*;
use crate::util;

const BAG: &str = "fixture-20260101T000000Z";
const MIB: u64 = 1 << 20;

/// One raw tar entry: a GNU header whose name is written byte for byte
/// (tar-rs's `set_path` refuses `..` and absolute paths), then the padded data.
fn raw_entry(name: &[u8], kind: EntryType, data: &[u8], link: Option<&[u8]>) -> Vec<u8> {
    let mut h = Header::new_gnu();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    if let Some(link) = link {
        h.as_old_mut().linkname[..link.len()].copy_from_slice(link);
    }
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(if kind == EntryType::Directory { 0o755 } else { 0o644 });
    h.set_mtime(1_767_225_600);
    if matches!(kind, EntryType::Char | EntryType::Block) {
        h.set_device_major(1).unwrap();
        h.set_device_minor(3).unwrap();
    }
    h.set_cksum();
    let mut out = h.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

/// The good sample package's entries, as (name, raw header + padded data).
fn good_entries() -> Vec<(String, Vec<u8>)> {
    let f = fs::File::open(repo("samples/packages/good.tar.zst")).unwrap();
    let (r, _) = pgbag::package::compress::open_decoded(f).unwrap();
    let mut a = tar::Archive::new(r);
    let mut out = Vec::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = String::from_utf8(e.path_bytes().into_owned()).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.push((name.clone(), raw_entry(name.as_bytes(), e.header().entry_type(), &data, None)));
    }
    out
}

/// The good package with `extra` entries appended after data/dump.sql (so
/// that unpack has already written every file when it meets them), zstd.
fn package_with(extra: &[Vec<u8>]) -> Vec<u8> {
    let mut tar: Vec<u8> = good_entries().into_iter().flat_map(|(_, b)| b).collect();
    extra.iter().for_each(|e| tar.extend_from_slice(e));
    tar.extend_from_slice(&[0; 1024]);
    compress(Compression::Zstd, &tar)
}

fn compress(c: Compression, bytes: &[u8]) -> Vec<u8> {
    let mut e = c.encoder(Vec::new(), 3).unwrap();
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A scratch root holding only `out/` (unpack's target and working
/// directory), plus elsewhere the package and the victims links point at.
struct Scene {
    root: tempfile::TempDir,
    elsewhere: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let s = Scene { root: tempfile::tempdir().unwrap(), elsewhere: tempfile::tempdir().unwrap() };
        fs::create_dir(s.out()).unwrap();
        fs::create_dir(s.victims()).unwrap();
        fs::write(s.victims().join("passwd"), "root:x:0:0\n").unwrap();
        s
    }

    fn out(&self) -> PathBuf {
        self.root.path().join("out")
    }

    fn victims(&self) -> PathBuf {
        self.elsewhere.path().join("victims")
    }

    fn write_package(&self, bytes: &[u8]) -> PathBuf {
        let p = self.elsewhere.path().join("hostile.tar.zst");
        fs::write(&p, bytes).unwrap();
        p
    }

    fn unpack(&self, pkg: &Path) -> std::process::Output {
        pgbag().current_dir(self.out()).args(["unpack", "-o"]).arg(self.out()).arg(pkg).output().unwrap()
    }

    /// Nothing was written: `out/` is empty and alone, no `escape*` file
    /// exists under either scratch root, the victims are as they were.
    fn assert_untouched(&self, case: &str) {
        assert_eq!(listing(self.root.path()), ["out"], "{case}: something appeared beside the target");
        assert!(listing(&self.out()).is_empty(), "{case}: the target holds {:?}", listing(&self.out()));
        for top in [self.root.path(), self.elsewhere.path()] {
            let escaped = walk(top).into_iter().filter(|p| p.file_name().unwrap().to_string_lossy().contains("escape"));
            assert_eq!(escaped.collect::<Vec<_>>(), Vec::<PathBuf>::new(), "{case}: an entry escaped");
        }
        assert_eq!(listing(&self.victims()), ["passwd"], "{case}: a file appeared among the victims");
        assert_eq!(fs::read_to_string(self.victims().join("passwd")).unwrap(), "root:x:0:0\n", "{case}");
    }
}

/// Every path below `dir`, not following links.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if fs::symlink_metadata(&p).unwrap().is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn hostile_entries_are_refused_and_nothing_is_written() {
    let scene = Scene::new();
    let abs = scene.root.path().join("escape-absolute");
    let victim_file = scene.victims().join("passwd");
    let abs = abs.to_str().unwrap().as_bytes();
    let victim_file = victim_file.to_str().unwrap().as_bytes();
    let victim_dir = scene.victims();
    let victim_dir = victim_dir.to_str().unwrap().as_bytes();
    let file = |name: &str| raw_entry(name.as_bytes(), EntryType::Regular, b"pwned\n", None);
    let cases: Vec<(&str, Vec<Vec<u8>>, &str)> = vec![
        ("absolute path", vec![raw_entry(abs, EntryType::Regular, b"pwned\n", None)], "tar-unsafe-path"),
        ("../escape", vec![file("../escape")], "tar-unsafe-path"),
        ("bag/../../escape", vec![file(&format!("{BAG}/../../escape"))], "tar-unsafe-path"),
        (
            "symlink to a file, then a file written through it",
            vec![
                raw_entry(format!("{BAG}/data/link").as_bytes(), EntryType::Symlink, b"", Some(victim_file)),
                file(&format!("{BAG}/data/link")),
            ],
            "tar-link",
        ),
        (
            "symlink to a folder, then a file below it",
            vec![
                raw_entry(format!("{BAG}/data/dirlink").as_bytes(), EntryType::Symlink, b"", Some(victim_dir)),
                file(&format!("{BAG}/data/dirlink/escape")),
            ],
            "tar-link",
        ),
        (
            "hard link to a file outside, then a file written through it",
            vec![
                raw_entry(format!("{BAG}/data/hard").as_bytes(), EntryType::Link, b"", Some(victim_file)),
                file(&format!("{BAG}/data/hard")),
            ],
            "tar-link",
        ),
        (
            "character device",
            vec![raw_entry(format!("{BAG}/data/escape-tty").as_bytes(), EntryType::Char, b"", None)],
            "tar-special-file",
        ),
        (
            "FIFO",
            vec![raw_entry(format!("{BAG}/data/escape-pipe").as_bytes(), EntryType::Fifo, b"", None)],
            "tar-special-file",
        ),
        ("second top-level folder", vec![file("escape-root/escape")], "tar-multiple-roots"),
        ("duplicate entry", vec![file(&format!("{BAG}/data/dump.sql"))], "tar-duplicate-entry"),
    ];
    let tried = cases.len();
    for (case, extra, code) in cases {
        let pkg = scene.write_package(&package_with(&extra));
        let (exit, v) = validate(&pkg);
        assert_eq!(exit, 1, "{case}: validate should refuse: {v:#}");
        assert!(codes(&v).iter().any(|c| c == code), "{case}: expected {code}, got {:?}", codes(&v));

        let out = scene.unpack(&pkg);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{case}: unpack should refuse; stderr: {stderr}");
        assert!(stderr.contains("refusing to unpack"), "{case}: {stderr}");
        assert!(out.stdout.is_empty(), "{case}: printed a path");
        scene.assert_untouched(case);
    }
    assert_eq!(tried, 10);
}

#[test]
fn a_good_package_unpacks_into_a_valid_bag() {
    let scene = Scene::new();
    let work = tempfile::tempdir().unwrap();
    for (pkg, name) in [
        (repo("samples/packages/good.tar.zst"), BAG.to_string()),
        (pack_sql(&fixture_dump(), work.path(), &["--compress", "gzip"]), BAG.to_string()),
    ] {
        let out = scene.unpack(&pkg);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let bag = scene.out().join(&name);
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), bag.display().to_string());
        assert_eq!(listing(&scene.out()), [name.as_str()], "no temporary folder is left");
        assert_eq!(listing(&bag.join("data")), ["dump.sql"]);
        let (exit, v) = validate(&bag);
        assert_eq!(exit, 0, "{v:#}");
        match Command::new("bagit.py").arg("--validate").arg(&bag).output() {
            Ok(o) => assert!(o.status.success(), "bagit.py: {}", String::from_utf8_lossy(&o.stderr)),
            Err(e) => util::unavailable("bagit.py", format!("it is not runnable ({e}); python3 -m pip install bagit")),
        }
        // Never over an existing bag: exit 2, and the bag is left alone.
        let again = scene.unpack(&pkg);
        assert_eq!(again.status.code(), Some(2), "{}", String::from_utf8_lossy(&again.stderr));
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
        assert_eq!(listing(&scene.out()), [name.as_str()]);
        fs::remove_dir_all(&bag).unwrap();
    }
}

/// Where a bomb sits: as a tag file's contents, or as a GNU long-name entry
/// before `bagit.txt` (which tar readers hold in memory, whatever its size).
#[derive(Clone, Copy)]
enum Bomb {
    Tag(&'static str),
    LongName,
}

/// A package holding `size` zero bytes as `bomb`, streamed into the encoder
/// (never held): 2 GiB of zeros is ~64 KiB of zstd.
fn bomb_package(path: &Path, c: Compression, bomb: Bomb, size: u64) {
    let level = if c == Compression::Gzip { 9 } else { 3 };
    let mut e = c.encoder(io::BufWriter::new(fs::File::create(path).unwrap()), level).unwrap();
    let zeros = |e: &mut dyn Write, name: &str, kind: EntryType| {
        let mut h = Header::new_gnu();
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        e.write_all(h.as_bytes()).unwrap();
        io::copy(&mut io::repeat(0).take(size), e).unwrap();
        e.write_all(&vec![0; (size.div_ceil(512) * 512 - size) as usize]).unwrap();
    };
    for (name, bytes) in good_entries() {
        match bomb {
            Bomb::Tag(tag) if name == format!("{BAG}/{tag}") => zeros(&mut e, &name, EntryType::Regular),
            Bomb::LongName if name == format!("{BAG}/bagit.txt") => {
                zeros(&mut e, "././@LongLink", EntryType::GNULongName);
                e.write_all(&bytes).unwrap();
            }
            _ => e.write_all(&bytes).unwrap(),
        }
    }
    e.write_all(&[0; 1024]).unwrap();
    e.finish().unwrap().into_inner().unwrap().sync_all().unwrap();
}

/// Runs pgbag under GNU time; returns the exit code, stdout, stderr (without
/// time's line) and the peak resident memory in MiB.
fn measured(args: &[&str], pkg: &Path, cwd: &Path) -> (i32, String, String, f64) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "pgbag-max-rss-kib=%M"])
        .arg(assert_cmd::cargo::cargo_bin("pgbag"))
        .args(args)
        .arg(pkg)
        .current_dir(cwd)
        .output()
        .expect("GNU time (/usr/bin/time) is installed");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let (rest, rss) = stderr.trim_end().rsplit_once('\n').unwrap_or(("", stderr.trim_end()));
    let kib: f64 = rss.strip_prefix("pgbag-max-rss-kib=").expect("time's line").parse().unwrap();
    let code = out.status.code().unwrap();
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), rest.to_string(), kib / 1024.0)
}

#[test]
fn decompression_bombs_end_with_a_clear_error_in_little_memory() {
    let scene = Scene::new();
    // inspect refuses an oversized tag file by its declared size before
    // reading it; a long name has no cap but the guard's. Deflate cannot
    // expand more than ~1032:1 (this one is 952:1); over 500:1 the guard
    // stops it after 8 MiB. At 512 MiB it is also over schema.json's
    // 16 MiB cap, which inspect sees in the tar header.
    let cases = [
        (
            Bomb::Tag("bag-info.txt"),
            Compression::Zstd,
            2 << 30,
            "bag-info.txt (2147483648 bytes)",
            "decompression-bomb",
        ),
        (
            Bomb::Tag("pgbag/schema.json"),
            Compression::Zstd,
            2 << 30,
            "schema.json (2147483648 bytes)",
            "decompression-bomb",
        ),
        (
            Bomb::Tag("pgbag/schema.json"),
            Compression::Gzip,
            512 * MIB,
            "schema.json (536870912 bytes)",
            "decompression-bomb",
        ),
        (Bomb::LongName, Compression::Zstd, 2 << 30, "a decompression bomb? refusing", "decompression-bomb"),
    ];
    for (bomb, c, size, inspect_says, validate_code) in cases {
        let pkg = scene.elsewhere.path().join(format!("bomb{}", c.tar_suffix()));
        bomb_package(&pkg, c, bomb, size);
        let packed = fs::metadata(&pkg).unwrap().len();
        let what = match bomb {
            Bomb::Tag(tag) => tag,
            Bomb::LongName => "a GNU long name",
        };
        let case = format!("{} MiB of zeros as {what} ({}, {packed} bytes)", size / MIB, c.name());

        let (code, _, stderr, mib) = measured(&["inspect", "-q"], &pkg, &scene.out());
        eprintln!("{case}: inspect exit {code}, peak {mib:.1} MiB");
        assert_eq!(code, 1, "{case}: inspect: {stderr}");
        assert!(stderr.contains(inspect_says) && stderr.contains("refusing"), "{case}: inspect says: {stderr}");
        assert!(mib < 100.0, "{case}: inspect peaked at {mib:.1} MiB");

        let (code, stdout, stderr, mib) = measured(&["validate", "-q", "--json"], &pkg, &scene.out());
        assert_eq!(code, 1, "{case}: validate: {stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        eprintln!("{case}: validate exit {code} {:?}, peak {mib:.1} MiB", codes(&v));
        assert!(codes(&v).iter().any(|c| c == validate_code), "{case}: {:?}", codes(&v));
        assert!(mib < 100.0, "{case}: validate peaked at {mib:.1} MiB");

        let (code, _, stderr, mib) = measured(&["unpack", "-q", "-o", "."], &pkg, &scene.out());
        eprintln!("{case}: unpack exit {code}, peak {mib:.1} MiB");
        assert_eq!(code, 1, "{case}: unpack: {stderr}");
        assert!(stderr.contains("refusing"), "{case}: unpack says: {stderr}");
        assert!(mib < 100.0, "{case}: unpack peaked at {mib:.1} MiB");
        scene.assert_untouched(&case);
    }
}

/// Hex text, which compresses a few times, not a thousand.
fn text(len: usize) -> Vec<u8> {
    text_from(len, 0)
}

/// [`text`] starting at line `start`: files made with different starts do
/// not repeat each other (zstd would find a repeat within its window).
fn text_from(len: usize, start: u64) -> Vec<u8> {
    let mut out: Vec<u8> = (start..)
        .flat_map(|i| format!("{:016x}\n", i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).into_bytes())
        .take(len)
        .collect();
    out[len - 1] = b'\n';
    out
}

/// The good package with tag file `tag` replaced by `data` and `extra`
/// entries added before the payload, zstd.
fn package_replacing(tag: Option<&str>, data: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
    let mut tar = Vec::new();
    for (name, bytes) in good_entries() {
        if name == format!("{BAG}/data/") {
            extra.iter().for_each(|e| tar.extend_from_slice(e));
        }
        if tag.is_some_and(|t| name == format!("{BAG}/{t}")) {
            tar.extend(raw_entry(name.as_bytes(), EntryType::Regular, data, None));
        } else {
            tar.extend(bytes);
        }
    }
    tar.extend_from_slice(&[0; 1024]);
    compress(Compression::Zstd, &tar)
}

#[test]
fn tag_files_just_over_their_caps_are_refused() {
    let scene = Scene::new();
    for (tag, cap, cap_text) in [
        ("bagit.txt", 4 << 10, "4 KiB"),
        ("bag-info.txt", MIB, "1 MiB"),
        ("pgbag/README.txt", 4 * MIB, "4 MiB"),
        ("pgbag/schema.json", 16 * MIB, "16 MiB"),
    ] {
        let pkg = scene.write_package(&package_replacing(Some(tag), &text(cap as usize + 1), &[]));
        let v = assert_invalid_with(&pkg, "tag-file-too-large");
        assert!(!codes(&v).iter().any(|c| c == "decompression-bomb"), "{tag}: {:?}", codes(&v));
        let out = pgbag().args(["inspect", "-q"]).arg(&pkg).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{tag}: {stderr}");
        assert!(stderr.contains(tag) && stderr.contains(cap_text), "{tag}: {stderr}");
        let out = scene.unpack(&pkg);
        assert_eq!(out.status.code(), Some(1), "{tag}: {}", String::from_utf8_lossy(&out.stderr));
        scene.assert_untouched(tag);

        // At the cap exactly, the size is not what validate complains about.
        let pkg = scene.write_package(&package_replacing(Some(tag), &text(cap as usize), &[]));
        let (_, v) = validate(&pkg);
        assert!(!codes(&v).iter().any(|c| c == "tag-file-too-large"), "{tag}: {:?}", codes(&v));
    }
}

#[test]
fn the_head_as_a_whole_is_capped_at_32_mib() {
    // 33 extra tag files of 1 MiB each: every one within its cap, together
    // over the head's 32 MiB. Not a bomb (hex text compresses a few times),
    // so memory is bounded by the cap rather than kept small.
    let scene = Scene::new();
    let extra: Vec<Vec<u8>> = (0..33)
        .map(|i| {
            raw_entry(
                format!("{BAG}/extra-{i:03}.txt").as_bytes(),
                EntryType::Regular,
                &text_from(MIB as usize, i << 20),
                None,
            )
        })
        .collect();
    let pkg = scene.write_package(&package_replacing(None, b"", &extra));
    let (code, stdout, stderr, mib) = measured(&["validate", "-q", "--json"], &pkg, &scene.out());
    eprintln!("33 MiB of tag files: validate exit {code}, peak {mib:.1} MiB");
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("tag-file-too-large") && stdout.contains("larger than 32 MiB"), "{stdout}");
    assert!(mib < 100.0, "validate peaked at {mib:.1} MiB");
    let out = scene.unpack(&pkg);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    scene.assert_untouched("head cap");
}
