//! Restoring a package through psql: plan, then execute.
//!
//! [`plan::build`] runs every guard over the package's summary and facts
//! queried from the target ([`facts`]); it touches nothing. [`run`] streams
//! the dump through a [`filter`] that drops or rewrites only what the plan
//! says, into `psql -X -v ON_ERROR_STOP=1`. [`drill`] restores into a
//! scratch database and compares; [`rehearse`] does so on a temporary
//! cluster laid out like a given target.

pub mod depends;
pub mod drill;
pub mod facts;
pub mod filter;
pub mod plan;
pub mod rehearse;
mod rewrite;
pub mod run;
pub mod select;

pub use facts::TargetFacts;
pub use plan::{MetaLine, Refusal, RestoreOptions, RestorePlan};
pub use run::{Executed, Prepared, execute, prepare, replan};

/// Quotes a string as an SQL literal (`'it''s'`), for the few statements
/// pgbag writes itself.
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
