//! `pgbag completions SHELL` and the hidden `pgbag man`: generated from the
//! same clap definitions as the parser, so they cannot drift.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, print};

/// Print shell completions.
///
/// Example: pgbag completions bash > /etc/bash_completion.d/pgbag
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: Shell,
}

pub fn run(a: CompletionsArgs) -> pgbag::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "pgbag", &mut out);
    print(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// Prints the man page (roff) for `pgbag`: `pgbag man > pgbag.1`.
pub fn man() -> pgbag::Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| pgbag::Error::io("rendering the man page", e))?;
    print(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
