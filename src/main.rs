//! The `pgbag` binary: parse arguments, run, map the outcome to an exit code
//! (spec/exit-codes.md). Everything else lives in the library and `cli`.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use pgbag::ErrorKind;

/// Exit codes, as spec/exit-codes.md defines them.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INVALID: u8 = 1;
    pub const OPERATIONAL: u8 = 2;
    pub const REFUSED: u8 = 3;
    pub const PARTIAL: u8 = 4;
}

/// The one place where error kinds become exit codes.
fn exit_code_for(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Invalid => exit::INVALID,
        ErrorKind::Usage | ErrorKind::Operational => exit::OPERATIONAL,
        ErrorKind::Refused => exit::REFUSED,
        ErrorKind::Partial => exit::PARTIAL,
        _ => exit::OPERATIONAL,
    }
}

fn is_broken_pipe(e: &pgbag::Error) -> bool {
    e.io_error().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

/// A file-size limit (`ulimit -f`) would kill pgbag with SIGXFSZ in the
/// middle of a write, leaving its temporary files behind. Ignored, the write
/// fails with EFBIG ("File too large") and the error path cleans up.
fn ignore_file_size_signal() {
    // SAFETY: runs first in main, before any other thread exists; SIG_IGN
    // installs no handler, so no code of ours ever runs in signal context.
    // (libc, not rustix: rustix sets signal dispositions only in its
    // `runtime` module, which is meant for libc implementations.)
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
}

fn main() -> ExitCode {
    ignore_file_size_signal();
    let code = match cli::run() {
        Ok(code) => code,
        // `pgbag inspect x | head`: the reader went away; that is fine.
        Err(e) if is_broken_pipe(&e) => exit::OK,
        Err(e) => {
            let _ = writeln!(io::stderr(), "pgbag: error: {e}");
            exit_code_for(e.kind())
        }
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_spec_table() {
        assert_eq!(exit_code_for(ErrorKind::Invalid), 1);
        assert_eq!(exit_code_for(ErrorKind::Usage), 2);
        assert_eq!(exit_code_for(ErrorKind::Operational), 2);
        assert_eq!(exit_code_for(ErrorKind::Refused), 3);
        assert_eq!(exit_code_for(ErrorKind::Partial), 4);
        let spec = include_str!("../spec/exit-codes.md");
        for (code, name) in [(0, "OK"), (1, "INVALID"), (2, "OPERATIONAL"), (3, "REFUSED"), (4, "PARTIAL")] {
            assert!(spec.contains(&format!("| {code} | `{name}` |")), "spec/exit-codes.md lacks {code} {name}");
        }
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let e = pgbag::Error::io("writing to stdout", io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&e));
    }
}
