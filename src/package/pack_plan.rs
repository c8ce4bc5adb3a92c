//! What `pack` decides before it writes anything: the bag's name, and where
//! the package goes (spec/package-format.md §5). Nothing here writes.
//!
//! Invariant: a name that leaves here is a valid bag name ([`check_bag_name`]):
//! one folder name, which the tar builder, every file system pgbag writes to
//! and the README's shell recipes take as it is. A name the user gives is
//! checked; a name pgbag makes (from a database or file name) is made safe
//! ([`super::format::sanitize_name`]).

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::compress::Compression;
use super::format::sanitize_name;
use crate::error::{Error, Result};
use crate::store::{Location, S3Url};

/// The longest bag name, in bytes: the file name adds `.tar.zst`, and file
/// systems stop at 255 bytes.
pub const MAX_NAME_BYTES: usize = 200;

/// What the destination depends on.
#[derive(Debug, Clone, Copy)]
pub struct DestinationOptions<'a> {
    /// `-o`: a file, a directory (or a path ending in `/`), an existing bag
    /// directory, `s3://bucket/key` or `s3://bucket/prefix/`.
    pub output: Option<&'a str>,
    /// `--name`, which must be valid.
    pub name: Option<&'a str>,
    /// `--dir`: an unpacked bag directory.
    pub dir: bool,
    pub compression: Compression,
}

/// Where the package goes and what the bag is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub location: Location,
    pub name: String,
}

/// Why `name` is not a valid bag name, or `None` when it is.
pub fn bag_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.len() > MAX_NAME_BYTES {
        return Some("it is longer than 200 bytes");
    }
    if name.contains(['/', '\\']) {
        return Some("it holds a / or \\, and a bag is one folder");
    }
    if name.chars().any(char::is_control) {
        return Some("it holds a control character (a NUL, a newline, ...)");
    }
    if name.starts_with('.') {
        return Some("it starts with a dot (., .., a hidden folder, or pgbag's own .pgbag-* temporary files)");
    }
    if name.starts_with('-') {
        return Some("it starts with -, which tar, zstd and sha256sum would read as an option");
    }
    if name.starts_with(' ') || name.ends_with(' ') || name.ends_with('.') {
        return Some("it starts or ends with a space, or ends with a dot (which Windows drops)");
    }
    None
}

/// [`bag_name_problem`] as a usage error.
pub fn check_bag_name(name: &str) -> Result<()> {
    match bag_name_problem(name) {
        None => Ok(()),
        Some(why) => Err(Error::usage(format!(
            "--name {name:?} is not a valid bag name: {why}. A bag name is one folder name of 1-200 bytes, \
             without / or control characters, not starting with . or - (spec/package-format.md §5)"
        ))),
    }
}

/// The database-like stem of a `--sql` input's file name: `nightly.sql.gz`
/// gives `nightly`; stdin (`None`) gives `dump`.
pub fn sql_stem(file: Option<&str>) -> &str {
    let stem = file.unwrap_or("dump");
    [".sql.gz", ".sql.zst", ".sql", ".gz", ".zst"].iter().find_map(|s| stem.strip_suffix(s)).unwrap_or(stem)
}

/// Where the package goes and what the bag is called, for a dump of
/// `database` (or a `--sql` stem) made at `created`.
pub fn destination(o: &DestinationOptions, database: &str, created: DateTime<Utc>) -> Result<Destination> {
    if let Some(n) = o.name {
        check_bag_name(n)?;
    }
    let default_name = o
        .name
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}-{}", sanitize_name(database), created.format("%Y%m%dT%H%M%SZ")));
    let suffix = if o.dir { "" } else { o.compression.tar_suffix() };
    let name_from = |file: &str| {
        let stem = [".tar.zst", ".tar.gz", ".tgz", ".tar"].iter().find_map(|s| file.strip_suffix(s)).unwrap_or(file);
        match o.name {
            Some(n) => n.to_string(),
            None if stem.is_empty() => default_name.clone(),
            None => sanitize_name(stem),
        }
    };
    let output = o.output.map(Location::parse).transpose()?;
    let (location, name) = match output {
        Some(Location::S3(u)) if u.is_prefix() => {
            let key = format!("{}{default_name}{suffix}", u.key);
            (Location::S3(S3Url { key, ..u }), default_name)
        }
        Some(Location::S3(u)) => {
            let file = u.key.rsplit('/').next().unwrap_or_default().to_string();
            let name = name_from(&file);
            (Location::S3(u), name)
        }
        // A bag directory is itself the destination, never a folder to pack
        // into: a second bag inside the first would spoil both.
        Some(Location::Local(o_path)) if o_path.join("bagit.txt").is_file() => {
            if !o.dir {
                return Err(Error::usage(format!(
                    "{} is a bag directory; pass --dir --force to replace it, or choose another -o",
                    o_path.display()
                )));
            }
            let file = o_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let name = name_from(&file);
            (Location::Local(o_path), name)
        }
        Some(Location::Local(o_path)) if o_path.is_dir() || o_path.to_string_lossy().ends_with('/') => {
            (Location::Local(o_path.join(format!("{default_name}{suffix}"))), default_name)
        }
        Some(Location::Local(o_path)) => {
            let file = o_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let name = name_from(&file);
            (Location::Local(o_path), name)
        }
        None => (Location::Local(PathBuf::from(format!("{default_name}{suffix}"))), default_name),
    };
    // Made-up names are safe by construction; this keeps it so.
    check_bag_name(&name)?;
    Ok(Destination { location, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T03:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn opts<'a>(output: Option<&'a str>, name: Option<&'a str>) -> DestinationOptions<'a> {
        DestinationOptions { output, name, dir: false, compression: Compression::Zstd }
    }

    #[test]
    fn valid_bag_names() {
        for ok in ["catalog-20261125T030000Z", "a", "my catalog", "Katalog_ü", "x.y", &"n".repeat(200)] {
            assert_eq!(bag_name_problem(ok), None, "{ok:?}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "-rf",
            "a/b",
            "a\\b",
            "a\0b",
            "a\nb",
            "tab\there",
            " lead",
            "trail ",
            "dot.",
            &"n".repeat(201),
            &"é".repeat(101),
        ] {
            assert!(bag_name_problem(bad).is_some(), "{bad:?} should be refused");
        }
    }

    /// `--name ..` passed until the tar builder refused the path after the
    /// whole dump had streamed, and an `expect` then panicked.
    #[test]
    fn an_invalid_name_is_a_usage_error_before_anything() {
        for bad in ["..", "a/b", ""] {
            let e = destination(&opts(Some("/nonexistent/out.tar.zst"), Some(bad)), "db", created()).unwrap_err();
            assert_eq!(e.kind(), crate::error::ErrorKind::Usage, "{e}");
            assert!(e.to_string().contains("not a valid bag name"), "{e}");
        }
    }

    #[test]
    fn names_come_from_name_output_or_database() {
        let d = destination(&opts(None, None), "my db", created()).unwrap();
        assert_eq!(d.name, "my_db-20261125T030000Z");
        assert_eq!(d.location, Location::Local(PathBuf::from("my_db-20261125T030000Z.tar.zst")));
        let d = destination(&opts(Some("/nonexistent/x.tar.zst"), None), "db", created()).unwrap();
        assert_eq!(d.name, "x");
        let d = destination(&opts(Some("/nonexistent/..tar.zst"), None), "db", created()).unwrap();
        assert_eq!(d.name, "dump", "a stem of dots is made safe");
        let d = destination(&opts(Some("/nonexistent/"), Some("mine")), "db", created()).unwrap();
        assert_eq!(d.location, Location::Local(PathBuf::from("/nonexistent/mine.tar.zst")));
        let d = destination(&opts(Some("s3://backups/p/"), None), "db", created()).unwrap();
        assert_eq!(d.location.to_string(), "s3://backups/p/db-20261125T030000Z.tar.zst");
    }

    #[test]
    fn sql_stems() {
        assert_eq!(sql_stem(Some("nightly.sql.gz")), "nightly");
        assert_eq!(sql_stem(Some("a.zst")), "a");
        assert_eq!(sql_stem(None), "dump");
    }
}
