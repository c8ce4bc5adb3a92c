//! `pgbag unpack`: a package extracted safely into a bag directory.

use std::path::PathBuf;

use clap::Args;

use pgbag::package::{self, Unpacked};

use super::store::S3Args;
use super::{print, progress::Bar, render};

/// Extract a package into DIR/<bag name>/, safely, and keep it only if valid.
///
/// Only the package's own folder is written. Entries with an absolute path or
/// `..`, links, devices, FIFOs, a second top-level folder or a duplicate are
/// refused (exit 1) before anything is written for them; so are oversized
/// tag files and decompression bombs. The bag is extracted into a temporary
/// `.pgbag-*` folder inside DIR, validated, and renamed into place only if
/// valid: on any refusal or error DIR is left exactly as it was. An existing
/// DIR/<bag name> is never replaced (exit 2). The bag's path is printed.
///
/// Examples:
///   pgbag unpack catalog-20261125T030000Z.tar.zst
///   pgbag unpack catalog-20261125T030000Z.tar.zst -o /archive/
///   pgbag unpack s3://backups/catalog/catalog-20261125T030000Z.tar.zst -o /restore/
///   cd "$(pgbag unpack -q catalog.tar.zst)" && sha256sum -c manifest-sha256.txt
///
/// The result is a plain BagIt bag: `pgbag validate`, `pgbag restore` and
/// any BagIt tool (`bagit.py --validate`) read it as it is.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct UnpackArgs {
    /// Package file (.tar.zst, .tar.gz, .tar) or s3://bucket/key
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    /// Folder to unpack into; the bag becomes DIR/<bag name>/
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// Print nothing when it succeeds
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub s3: S3Args,
}

pub fn run(a: UnpackArgs) -> pgbag::Result<u8> {
    let input = a.s3.open(&a.package)?;
    match package::unpack(&input, &a.output, &Bar::new(a.quiet))? {
        Unpacked::Done { path, .. } => {
            if !a.quiet {
                print(&format!("{}\n", path.display()))?;
            }
            Ok(0)
        }
        Unpacked::Invalid(report) => {
            eprint!("{}", render::validation(&a.package, &report));
            eprintln!("pgbag: the package is invalid; nothing was unpacked into {}", a.output.display());
            Ok(1)
        }
    }
}
