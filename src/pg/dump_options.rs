//! Which pg_dump options `pack` passes through (spec/pack.md): an
//! allow-list of the options that are safe with plain output on standard
//! output, on the connection pgbag makes, and with what pgbag does with the
//! dump afterwards. Every other argument is refused, saying why.
//!
//! Invariants:
//! - What pg_dump receives is exactly what was checked. Each option is
//!   handed over normalised, `--long-name` or `--long-name=value`, so that no
//!   abbreviation, bundle or separate value can be read another way by
//!   pg_dump's getopt.
//! - Long options must be written in full: getopt_long takes any unambiguous
//!   prefix (`--form=c` is `--format=c`), so a prefix is refused, naming the
//!   option it abbreviates.
//! - Nothing here panics, whatever the arguments: they are split by `char`
//!   and at `=`, never at a byte offset.
//! - Messages name options, never their values, which may hold a password
//!   (`--dbname=postgres://u:secret@h/db`); a positional argument is shown
//!   redacted.

use crate::error::{Error, Result};

/// Whether an option takes a value (getopt's `required_argument`). pg_dump
/// has no option with an optional value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    Value,
}

use Takes::{Nothing, Value};

/// One pg_dump option (15 to 17), by its long name.
#[derive(Debug)]
struct Opt {
    long: &'static str,
    short: Option<char>,
    takes: Takes,
    /// `None`: passed through. `Some(why)`: refused.
    refused: Option<&'static str>,
}

const fn allow(long: &'static str, short: Option<char>, takes: Takes) -> Opt {
    Opt { long, short, takes, refused: None }
}

const fn refuse(long: &'static str, short: Option<char>, takes: Takes, why: &'static str) -> Opt {
    Opt { long, short, takes, refused: Some(why) }
}

const PLAIN_STDOUT: &str = "pgbag reads plain SQL from pg_dump's standard output";
const CONNECTION: &str = "pgbag makes the connection: put it in --db CONNINFO";

/// Every option pg_dump 15 and 17 document (`pg_dump --help`); spec/pack.md
/// gives the same decisions as a table. An option is allowed only if it
/// cannot change the output's format or destination, the connection, or
/// what pgbag's scanner and restore rely on.
const OPTIONS: &[Opt] = &[
    // General options.
    refuse("file", Some('f'), Value, PLAIN_STDOUT),
    refuse("format", Some('F'), Value, PLAIN_STDOUT),
    refuse("jobs", Some('j'), Value, "it needs the directory format, and pgbag reads plain SQL from standard output"),
    refuse(
        "verbose",
        Some('v'),
        Nothing,
        "it adds -- TOC entry and -- Started on comments to the dump and floods stderr; pack shows its own progress",
    ),
    refuse("version", Some('V'), Nothing, "it makes no dump"),
    // pg_dump 15 and earlier compress even plain output with -Z: pgbag
    // would then store gzip bytes as data/dump.sql.
    refuse(
        "compress",
        Some('Z'),
        Value,
        "pg_dump 15 and earlier compress plain output with it too; pgbag compresses the package itself (--compress, --level)",
    ),
    allow("lock-wait-timeout", None, Value),
    // Both concern only files pg_dump writes itself: with stdout, nothing.
    allow("no-sync", None, Nothing),
    allow("sync-method", None, Value),
    refuse("help", Some('?'), Nothing, "it makes no dump"),
    // Options controlling the output content: selections.
    allow("data-only", Some('a'), Nothing),
    allow("schema-only", Some('s'), Nothing),
    allow("section", None, Value),
    // -b/-B are --blobs/--no-blobs in pg_dump 15, and keep those names as
    // aliases later: a short option becomes the name every version knows.
    allow("blobs", Some('b'), Nothing),
    allow("large-objects", None, Nothing),
    allow("no-blobs", Some('B'), Nothing),
    allow("no-large-objects", None, Nothing),
    allow("schema", Some('n'), Value),
    allow("exclude-schema", Some('N'), Value),
    allow("table", Some('t'), Value),
    allow("exclude-table", Some('T'), Value),
    allow("table-and-children", None, Value),
    allow("exclude-table-and-children", None, Value),
    allow("exclude-table-data", None, Value),
    allow("exclude-table-data-and-children", None, Value),
    allow("extension", Some('e'), Value),
    allow("exclude-extension", None, Value),
    allow("strict-names", None, Nothing),
    // Restore plans for --clean and --create dumps (spec/restore.md).
    allow("clean", Some('c'), Nothing),
    allow("if-exists", None, Nothing),
    allow("create", Some('C'), Nothing),
    allow("no-owner", Some('O'), Nothing),
    allow("no-privileges", Some('x'), Nothing),
    allow("no-acl", None, Nothing),
    // Data as INSERTs: the summary counts rows per row constructor.
    allow("inserts", None, Nothing),
    allow("column-inserts", None, Nothing),
    allow("rows-per-insert", None, Value),
    allow("on-conflict-do-nothing", None, Nothing),
    // How statements are written, not what is dumped. Restore lets SET
    // SESSION AUTHORIZATION through only with --allow-sql set-role.
    allow("disable-dollar-quoting", None, Nothing),
    allow("disable-triggers", None, Nothing),
    allow("superuser", Some('S'), Value),
    allow("quote-all-identifiers", None, Nothing),
    allow("use-set-session-authorization", None, Nothing),
    allow("load-via-partition-root", None, Nothing),
    allow("no-comments", None, Nothing),
    allow("no-publications", None, Nothing),
    allow("no-subscriptions", None, Nothing),
    allow("no-security-labels", None, Nothing),
    allow("no-tablespaces", None, Nothing),
    allow("no-table-access-method", None, Nothing),
    allow("no-toast-compression", None, Nothing),
    allow("no-unlogged-table-data", None, Nothing),
    // The dump then says SET row_security = on, and holds what the role sees.
    allow("enable-row-security", None, Nothing),
    // The dump declares its encoding (SET client_encoding), which pgbag
    // reads and restore follows; restore refuses the encodings psql could
    // misread (sql-encoding-unsafe).
    allow("encoding", Some('E'), Value),
    allow("serializable-deferrable", None, Nothing),
    allow("snapshot", None, Value),
    refuse(
        "binary-upgrade",
        None,
        Nothing,
        "it is for pg_upgrade only; its output is not meant to be restored with psql",
    ),
    refuse(
        "extra-float-digits",
        None,
        Value,
        "it can lower float precision below pg_dump's default, which keeps every value exactly",
    ),
    refuse(
        "filter",
        None,
        Value,
        "the patterns in the file would not be recorded in the package; give them as --table, --schema, ... instead",
    ),
    refuse(
        "include-foreign-data",
        None,
        Value,
        "restoring the dump would write the rows into the foreign servers the tables point at",
    ),
    refuse(
        "restrict-key",
        None,
        Value,
        "a fixed key defeats \\restrict's protection (CVE-2025-8714) for whoever restores the dump by hand with psql",
    ),
    // Connection options.
    refuse("dbname", Some('d'), Value, CONNECTION),
    refuse("host", Some('h'), Value, CONNECTION),
    refuse("port", Some('p'), Value, CONNECTION),
    refuse("username", Some('U'), Value, CONNECTION),
    allow("no-password", Some('w'), Nothing),
    refuse(
        "password",
        Some('W'),
        Nothing,
        "it forces a prompt; pgbag passes a password in --db through PGPASSWORD, and ~/.pgpass works",
    ),
    allow("role", None, Value),
];

/// Checks `args` (pack's own pg_dump options, then those after `--`) against
/// the allow-list and returns them normalised, `--name` or `--name=value`,
/// in order. Anything else is a usage error that says why.
pub fn pass_through(args: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            return Err(Error::usage(
                "pg_dump options: `--` would make what follows a database name; pgbag connects with --db CONNINFO",
            ));
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let opt = long_option(name)?;
            let value = match (opt.takes, inline) {
                (Nothing, Some(_)) => {
                    return Err(Error::usage(format!("pg_dump option --{} takes no value", opt.long)));
                }
                (Nothing, None) => None,
                (Value, Some(v)) => Some(v),
                (Value, None) => Some(next_value(opt, &mut rest)?),
            };
            out.push(normalised(opt, value));
            continue;
        }
        let Some(bundle) = arg.strip_prefix('-').filter(|b| !b.is_empty()) else {
            return Err(positional(arg));
        };
        // -Ox, -tfoo, -Ot foo: as getopt, the first option that takes a
        // value takes the rest of the bundle, or else the next argument.
        for (i, c) in bundle.char_indices() {
            let opt = short_option(c)?;
            if opt.takes == Nothing {
                out.push(normalised(opt, None));
                continue;
            }
            // `i + len_utf8` is the next char boundary: slicing cannot panic.
            let attached = &bundle[i + c.len_utf8()..];
            let value = if attached.is_empty() { next_value(opt, &mut rest)? } else { attached };
            out.push(normalised(opt, Some(value)));
            break;
        }
    }
    Ok(out)
}

fn normalised(opt: &Opt, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("--{}={v}", opt.long),
        None => format!("--{}", opt.long),
    }
}

fn next_value<'a>(opt: &Opt, rest: &mut std::slice::Iter<'a, String>) -> Result<&'a str> {
    rest.next()
        .map(String::as_str)
        .ok_or_else(|| Error::usage(format!("pg_dump option --{} needs a value (--{}=VALUE)", opt.long, opt.long)))
}

/// An allowed long option by its exact name; an abbreviation, an unknown
/// name or a refused option is an error.
fn long_option(name: &str) -> Result<&'static Opt> {
    if let Some(opt) = OPTIONS.iter().find(|o| o.long == name) {
        return allowed(opt, &format!("--{name}"));
    }
    let begun: Vec<&Opt> = OPTIONS.iter().filter(|o| !name.is_empty() && o.long.starts_with(name)).collect();
    match begun.as_slice() {
        [] => Err(unknown(&format!("--{name}"))),
        [one] => {
            let refused = one.refused.map(|why| format!(", which cannot be passed through: {why}")).unwrap_or_default();
            Err(Error::usage(format!(
                "pg_dump option --{name}: write pg_dump options in full; this abbreviates --{}{refused}",
                one.long
            )))
        }
        many => {
            let names: Vec<String> = many.iter().map(|o| format!("--{}", o.long)).collect();
            Err(Error::usage(format!(
                "pg_dump option --{name}: write pg_dump options in full; this begins {}",
                names.join(", ")
            )))
        }
    }
}

fn short_option(c: char) -> Result<&'static Opt> {
    let opt = OPTIONS.iter().find(|o| o.short == Some(c)).ok_or_else(|| unknown(&format!("-{c}")))?;
    allowed(opt, &format!("-{c} (--{})", opt.long))
}

fn allowed(opt: &'static Opt, shown: &str) -> Result<&'static Opt> {
    match opt.refused {
        None => Ok(opt),
        Some(why) => Err(Error::usage(format!("pg_dump option {shown} cannot be passed through: {why}"))),
    }
}

fn unknown(shown: &str) -> Error {
    Error::usage(format!(
        "{shown} is not a pg_dump option pgbag passes through (spec/pack.md lists those it does, each with its reason)"
    ))
}

fn positional(arg: &str) -> Error {
    Error::usage(format!(
        "pg_dump options: {} is not an option; pg_dump would read it as a database name, and pgbag connects with --db CONNINFO",
        super::conninfo::redact(arg)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(args: &[&str]) -> Result<Vec<String>> {
        pass_through(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn refused(args: &[&str]) -> String {
        let e = pass(args).expect_err(&format!("{args:?} should be refused"));
        assert_eq!(e.kind(), crate::error::ErrorKind::Usage, "{e}");
        e.to_string()
    }

    #[test]
    fn every_form_of_an_allowed_option_is_handed_over_normalised() {
        for form in [&["--table=foo"][..], &["--table", "foo"], &["-tfoo"], &["-t", "foo"]] {
            assert_eq!(pass(form).unwrap(), ["--table=foo"], "{form:?}");
        }
        assert_eq!(pass(&["-Ox", "--clean"]).unwrap(), ["--no-owner", "--no-privileges", "--clean"]);
        assert_eq!(pass(&["-Ot", "a b"]).unwrap(), ["--no-owner", "--table=a b"]);
        assert_eq!(pass(&["-OtA=B"]).unwrap(), ["--no-owner", "--table=A=B"]);
        // As getopt: the next argument is the value, even if it starts with -.
        assert_eq!(pass(&["--exclude-table-data", "-audit"]).unwrap(), ["--exclude-table-data=-audit"]);
        assert_eq!(
            pass(&["--rows-per-insert=100", "--section=data"]).unwrap(),
            ["--rows-per-insert=100", "--section=data"]
        );
        // -b is --blobs in pg_dump 15 and an alias from 16 on.
        assert_eq!(pass(&["-b", "-B", "--large-objects"]).unwrap(), ["--blobs", "--no-blobs", "--large-objects"]);
        assert_eq!(pass(&["--table=é"]).unwrap(), ["--table=é"]);
        assert!(pass(&[]).unwrap().is_empty());
    }

    #[test]
    fn format_file_and_connection_options_are_refused_in_every_form() {
        for args in [
            &["-Fc"][..],
            &["-F", "c"],
            &["--format=c"],
            &["--format", "c"],
            &["-Oxf", "out.sql"],
            &["--file=x"],
            &["-f", "x"],
            &["-fx"],
            &["-Z5"],
            &["--compress=9"],
            &["-h", "other"],
            &["--host=other"],
            &["-p5433"],
            &["-U", "admin"],
            &["--dbname=postgres://u:secret@h/db"],
            &["-j4"],
            &["-v"],
            &["-W"],
            &["--restrict-key=k"],
            &["--include-foreign-data=srv"],
            &["--filter=rules.txt"],
        ] {
            let msg = refused(args);
            assert!(msg.contains("cannot be passed through"), "{args:?}: {msg}");
            assert!(!msg.contains("secret"), "a value leaked: {msg}");
        }
        assert!(refused(&["-Fc"]).contains("-F (--format)"));
    }

    /// getopt_long takes any unambiguous prefix: `--form=c` is `--format=c`
    /// and `--fil=x` is `--file=x`, which the old deny-list let through.
    #[test]
    fn abbreviations_are_refused_naming_the_full_option() {
        let msg = refused(&["--form=c"]);
        assert!(msg.contains("write pg_dump options in full") && msg.contains("--format"), "{msg}");
        assert!(msg.contains("cannot be passed through"), "{msg}");
        assert!(refused(&["--fil=x"]).contains("--file, --filter"));
        assert!(refused(&["--ho", "h"]).contains("abbreviates --host"));
        let msg = refused(&["--no-ow"]);
        assert!(msg.contains("abbreviates --no-owner") && !msg.contains("cannot be passed"), "{msg}");
        assert!(refused(&["--exclude-table-d=x"]).contains("--exclude-table-data, --exclude-table-data-and-children"));
    }

    /// The deny-list sliced `&flag[..2]`: a multibyte first character panicked.
    #[test]
    fn multibyte_and_odd_arguments_are_refused_without_panicking() {
        for args in [
            &["éé"][..],
            &["-é"],
            &["-Oé"],
            &["--é=x"],
            &["—table=x"],
            &["-"],
            &["--"],
            &["--="],
            &["--=x"],
            &[""],
            &["-\u{0}"],
        ] {
            refused(args);
        }
        assert!(refused(&["-é"]).contains("-é is not a pg_dump option"));
    }

    #[test]
    fn a_positional_argument_is_refused_as_a_database_name_and_redacted() {
        let msg = refused(&["--no-owner", "catalog"]);
        assert!(msg.contains("catalog is not an option") && msg.contains("--db"), "{msg}");
        let msg = refused(&["postgres://app:s3cret@db/catalog"]);
        assert!(!msg.contains("s3cret"), "{msg}");
        let msg = refused(&["--", "catalog"]);
        assert!(msg.contains("--db"), "{msg}");
    }

    #[test]
    fn values_and_their_absence_are_checked() {
        assert!(refused(&["--no-owner=yes"]).contains("--no-owner takes no value"));
        assert!(refused(&["--table"]).contains("--table needs a value"));
        assert!(refused(&["-t"]).contains("--table needs a value"));
        assert!(refused(&["-Ot"]).contains("--table needs a value"));
        assert!(refused(&["--frobnicate"]).contains("--frobnicate is not a pg_dump option"));
    }

    #[test]
    fn every_option_is_named_once_and_every_short_letter_once() {
        let mut longs: Vec<&str> = OPTIONS.iter().map(|o| o.long).collect();
        longs.sort_unstable();
        let n = longs.len();
        longs.dedup();
        assert_eq!(longs.len(), n, "a long name appears twice");
        let mut shorts: Vec<char> = OPTIONS.iter().filter_map(|o| o.short).collect();
        shorts.sort_unstable();
        let n = shorts.len();
        shorts.dedup();
        assert_eq!(shorts.len(), n, "a short letter appears twice");
    }
}
