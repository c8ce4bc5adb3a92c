//! pgbag's integration tests: one binary, a module per area.
//!
//! Tests that need PostgreSQL use the binary's shared throwaway cluster
//! (`util::Cluster::shared`) or start their own (`util::Cluster::start`);
//! under CI a missing PostgreSQL fails loudly (`util::unavailable`).

#[path = "../util/mod.rs"]
mod util;

mod common;
mod corpus;
mod corruption;
mod corruption_matrix;
mod credentials;
mod digests;
mod drill;
mod faults;
mod fuzz_regressions;
mod hand_recipe;
mod hostile_archives;
mod hostile_dumps;
mod hostile_lexing;
mod input_kinds;
mod inspect_text;
mod live;
mod pack_options;
mod pack_sql;
mod pack_sql_input;
mod pg17;
mod pg_tools;
mod quiet;
mod rehearse;
mod restore;
mod s3;
mod s3_harness;
mod s3_prune;
mod s3_store;
mod s3_verify;
mod samples;
mod scenario;
mod snapshots;
mod spec;
mod tar_differential;
