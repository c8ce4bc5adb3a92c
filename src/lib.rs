//! pgbag: preserve PostgreSQL databases as plain SQL in self-describing
//! BagIt packages, check them, and restore them safely.
//!
//! The pipeline, one module each: [`sql`] scans a dump, [`schema`] summarises
//! it, [`package`] writes and reads packages, [`pg`] runs pg_dump and psql.
//! The command line lives in the binary (`src/cli`); this library never
//! prints, and reports progress through [`progress::Progress`].

pub mod error;
pub mod package;
pub mod pg;
pub mod progress;
pub mod restore;
pub mod schema;
pub mod sql;
pub mod store;
pub mod stream;

pub use error::{Error, ErrorKind, Result};

/// The test suite's one CI gate (skip outside CI, fail under it), shared
/// with the integration tests rather than copied.
#[cfg(test)]
#[path = "../tests/util/ci.rs"]
pub(crate) mod ci_gate;
