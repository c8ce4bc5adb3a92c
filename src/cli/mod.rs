//! The command line: clap definitions and one small file per subcommand.
//! Subcommands parse, call the library, and render; they decide nothing.

mod completions;
mod drill;
mod inspect;
mod list;
mod pack;
mod pin;
mod progress;
mod prune;
mod pull;
mod push;
mod render;
mod restore;
mod store;
mod unpack;
mod validate;

use clap::{Parser, Subcommand};

/// Preserve PostgreSQL databases as plain SQL in self-describing BagIt
/// packages; inspect and validate them.
#[derive(Debug, Parser)]
#[command(name = "pgbag", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str = "\
Examples:
  pgbag pack --db \"$DATABASE_URL\" -o /backups/      package a live database
  pgbag pack --sql nightly.sql.gz                  package an old pg_dump | gzip backup
  pgbag inspect catalog-20261125T030000Z.tar.zst   what does it hold?
  pgbag validate catalog-20261125T030000Z.tar.zst  is it whole?
  pgbag pack --db catalog -o s3://backups/catalog/  stream a package to S3
  pgbag prune s3://backups/catalog/ --keep-daily 7 --keep-weekly 5 --apply

Exit codes: 0 ok, 1 package invalid, 2 usage or operational error,
3 refused by a guard, 4 restore failed part-way (spec/exit-codes.md).";

#[derive(Debug, Subcommand)]
pub enum Command {
    Pack(Box<pack::PackArgs>),
    Inspect(inspect::InspectArgs),
    Validate(validate::ValidateArgs),
    Unpack(unpack::UnpackArgs),
    Restore(Box<restore::RestoreArgs>),
    Drill(drill::DrillArgs),
    Push(push::PushArgs),
    Pull(pull::PullArgs),
    List(list::ListArgs),
    Prune(prune::PruneArgs),
    Pin(pin::PinArgs),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
}

/// Runs the parsed command; returns the exit code for outcomes that are not
/// errors (validate's verdict).
pub fn run() -> pgbag::Result<u8> {
    let cli = Cli::parse();
    progress::install_interrupt_handler();
    match cli.command {
        Command::Pack(a) => pack::run(*a),
        Command::Inspect(a) => inspect::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Unpack(a) => unpack::run(a),
        Command::Restore(a) => restore::run(*a),
        Command::Drill(a) => drill::run(a),
        Command::Push(a) => push::run(a),
        Command::Pull(a) => pull::run(a),
        Command::List(a) => list::run(a),
        Command::Prune(a) => prune::run(a),
        Command::Pin(a) => pin::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::man(a),
    }
}

/// Writes to stdout, turning errors (a closed pipe) into pgbag errors.
pub fn print(s: &str) -> pgbag::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes()).and_then(|_| out.flush()).map_err(|e| pgbag::Error::io("writing to stdout", e))
}
