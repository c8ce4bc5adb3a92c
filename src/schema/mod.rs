//! The schema summary: tables, columns, keys, comments, row counts and the
//! rest of what a dump holds, derived by parsing each DDL statement with
//! PostgreSQL's own parser (`pg_query`).
//!
//! Feed every scanner item, in order, to a [`SummaryBuilder`]; COPY data and
//! `INSERT`s are counted without being parsed (an INSERT is attributed to its
//! `TABLE DATA` TOC entry, and parsed only when it has none), so the summary
//! costs little beyond the DDL. A statement the parser rejects becomes a
//! [`ParseError`], never a crash or a silent drop.

mod builder;
mod ddl;
pub mod model;

pub use builder::{MAX_META_COMMANDS, MAX_SUMMARY_JSON, SummaryBuilder, TooLarge, summarize};
pub(crate) use ddl::{qualified, split_qualified, strings, type_name};
pub use model::*;
