//! Packages: the BagIt format pgbag writes (spec/package-format.md), the
//! writer that streams a dump into one, and the readers behind `inspect`,
//! `validate` and `unpack`.

pub(crate) mod bare;
pub mod classify;
pub mod compress;
pub mod entries;
pub mod findings;
pub mod format;
pub(crate) mod guard;
mod inspect;
pub mod open;
pub mod pack_plan;
mod pgbag_checks;
pub mod reader;
mod readme;
pub mod scan;
mod sql_checks;
pub mod sql_input;
pub mod stored;
pub mod unpack;
mod upload;
pub mod validate;
pub mod writer;

pub use classify::{NotADump, open_plain_dump, refuse_dir};
pub use compress::Compression;
pub use findings::{Code, Finding, Findings, Severity};
pub use format::Manifest;
pub use inspect::{InspectReport, inspect};
pub use open::{DigestMismatch, DumpDigest, OpenPackage};
pub use pgbag_checks::{PG_DUMP_META_COMMANDS, dump_findings};
pub use reader::InputKind;
pub use unpack::{Unpacked, unpack};
pub use upload::pack_to_s3;
pub(crate) use upload::package_metadata;
pub use validate::{Report, validate};
pub use writer::{PackInput, PackOptions, PackOutcome, pack};
