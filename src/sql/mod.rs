//! Reading plain-format pg_dump SQL: a streaming scanner that splits a dump
//! into statements, psql meta-commands and COPY data exactly where psql would,
//! and attributes each to the pg_dump TOC entry it belongs to.

pub mod digest;
pub mod guard;
pub mod hazard;
pub mod lexer;
pub mod scanner;
pub mod toc;

pub use digest::RowDigest;
pub use hazard::{Hazard, HazardCode, Hazards, SqlClass};
pub use scanner::{CopyData, DumpHeader, HazardError, Item, ItemKind, MetaCommand, Part, Scanner, Statement};
pub use toc::TocEntry;

#[cfg(test)]
pub(crate) mod tests;
