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

/// Print or write the manual pages.
///
/// Without arguments prints pgbag(1); with a command, that command's page,
/// pgbag-COMMAND(1), which pgbag(1) refers to. With --dir, writes pgbag.1
/// and every pgbag-COMMAND.1 into DIR.
///
/// Examples:
///   pgbag man | man -l -
///   pgbag man restore | man -l -
///   pgbag man --dir /usr/local/share/man/man1
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// A command whose page to print (pack, restore, ...)
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write every page into this directory instead of printing one
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

fn render(cmd: clap::Command) -> pgbag::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).map_err(|e| pgbag::Error::io("rendering the man page", e))?;
    Ok(out)
}

/// The root command and its visible subcommands, named as their pages are.
fn pages() -> Vec<clap::Command> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut all: Vec<clap::Command> = root.get_subcommands().filter(|s| !s.is_hide_set()).cloned().collect();
    all.insert(0, root);
    all
}

pub fn man(a: ManArgs) -> pgbag::Result<u8> {
    let pages = pages();
    if let Some(dir) = &a.dir {
        for page in pages {
            let name = format!("{}.1", page.get_display_name().unwrap_or(page.get_name()));
            let bytes = render(page)?;
            let ctx = |e| pgbag::Error::io(format!("writing {}", dir.join(&name).display()), e);
            let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(ctx)?;
            std::io::Write::write_all(&mut tmp, &bytes).map_err(ctx)?;
            tmp.as_file().sync_all().map_err(ctx)?;
            tmp.persist(dir.join(&name)).map_err(|e| ctx(e.error))?;
        }
        return Ok(0);
    }
    let page = match &a.command {
        None => pages.into_iter().next().expect("the root page"),
        Some(c) => {
            let names: Vec<String> = pages.iter().skip(1).map(|p| p.get_name().to_string()).collect();
            pages.into_iter().skip(1).find(|p| p.get_name() == c).ok_or_else(|| {
                pgbag::Error::usage(format!("no command {c}; the pages are for: {}", names.join(", ")))
            })?
        }
    };
    print(&String::from_utf8_lossy(&render(page)?))?;
    Ok(0)
}
