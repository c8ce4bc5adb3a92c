//! Running libpq's own tools (pg_dump, pg_dumpall, psql) as child processes.
//!
//! Follows ripgrep's `CommandReader`: stderr is drained on a thread so a
//! chatty child cannot deadlock on a full pipe; a non-zero exit becomes an
//! error carrying the tail of stderr; the child is always reaped, and killed
//! first if we stop reading early.
//!
//! Long-running children are tracked so that Ctrl-C can stop them
//! ([`stop_children`]): a pg_dump waiting on a lock, or a psql behind a full
//! pipe, would otherwise keep pgbag blocked on its pipe, deaf to the
//! interrupt. A pid leaves the list before it is reaped, so a signal never
//! reaches a pid the kernel has handed to another process.

use std::io::{self, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::thread::JoinHandle;

use crate::error::{Error, Result};

/// Keep this much of a child's stderr for error messages.
const STDERR_TAIL: usize = 8 * 1024;

/// Children that are running and not yet reaped.
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Lets an interrupt stop `pid` (see [`stop_children`]).
pub fn track(pid: u32) {
    RUNNING.lock().unwrap_or_else(|p| p.into_inner()).push(pid);
}

/// Call before reaping `pid`.
pub fn untrack(pid: u32) {
    RUNNING.lock().unwrap_or_else(|p| p.into_inner()).retain(|&p| p != pid);
}

/// Sends SIGTERM to every tracked child. pgbag's interrupt handler calls this
/// after raising its flag; the reads and writes blocked on those children
/// then end, and the interrupted command cleans up on its way out.
pub fn stop_children() {
    for &pid in RUNNING.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        // `pid` is a child not yet reaped (untrack runs first, under the
        // same lock), so it cannot name an unrelated process. One that has
        // exited already (ESRCH) needs nothing more.
        if let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
    }
}

fn drain_tail<R: Read + Send + 'static>(mut r: R) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut tail = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > 2 * STDERR_TAIL {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
        if tail.len() > STDERR_TAIL {
            tail.drain(..tail.len() - STDERR_TAIL);
        }
        tail
    })
}

fn program_name(cmd: &Command) -> String {
    cmd.get_program().to_string_lossy().into_owned()
}

fn spawn_error(program: &str, e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::NotFound && program.contains('/') {
        Error::operational(format!("{program} was not found"))
    } else if e.kind() == io::ErrorKind::NotFound {
        Error::operational(format!(
            "{program} was not found on PATH; install the PostgreSQL client tools (Debian: apt-get install postgresql-client)"
        ))
    } else {
        Error::io(format!("starting {program}"), e)
    }
}

/// A child's stdout as a `Read`; EOF also checks the exit status.
pub struct ChildReader {
    program: String,
    child: Child,
    stdout: ChildStdout,
    stderr: Option<JoinHandle<Vec<u8>>>,
    finished: bool,
}

impl ChildReader {
    pub fn spawn(mut cmd: Command) -> Result<ChildReader> {
        let program = program_name(&cmd);
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| spawn_error(&program, e))?;
        track(child.id());
        let stdout = child.stdout.take().expect("stdout was piped");
        let stderr = child.stderr.take().map(drain_tail);
        Ok(ChildReader { program, child, stdout, stderr, finished: false })
    }

    /// The child's process id (tests check its argv for secrets).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.finished = true;
        untrack(self.child.id());
        let status = self.child.wait()?;
        let tail = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        if status.success() {
            return Ok(());
        }
        let tail = String::from_utf8_lossy(&tail);
        Err(io::Error::other(format!(
            "{} failed ({status}){}{}",
            self.program,
            if tail.trim().is_empty() { "" } else { ":\n" },
            tail.trim_end()
        )))
    }
}

impl Read for ChildReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.finished {
            return Ok(0);
        }
        let n = self.stdout.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.finish()?;
        }
        Ok(n)
    }
}

impl Drop for ChildReader {
    fn drop(&mut self) {
        if !self.finished {
            untrack(self.child.id());
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs a command to completion and returns its stdout (for small outputs:
/// version strings, JSON from psql, globals).
pub fn run_capture(mut cmd: Command) -> Result<Vec<u8>> {
    let program = program_name(&cmd);
    cmd.stdin(Stdio::null());
    let out = cmd.output().map_err(|e| spawn_error(&program, e))?;
    if !out.status.success() {
        // Cut the bytes, then decode: the decoded text's byte offsets need
        // not fall on a char boundary, and slicing there panicked (issue 13).
        let tail = &out.stderr[out.stderr.len().saturating_sub(STDERR_TAIL)..];
        let tail = String::from_utf8_lossy(tail);
        return Err(Error::operational(format!("{program} failed ({}):\n{}", out.status, tail.trim_end())));
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// run_capture sliced the lossily decoded stderr at a byte offset, which
    /// panicked when the tail began inside a multibyte character (issue 13).
    #[test]
    fn a_failing_childs_multibyte_stderr_is_cut_without_panicking() {
        let mut cmd = Command::new("sh");
        // 4000 three-byte characters: 12000 bytes, so the 8 KiB tail starts
        // one byte into a character.
        cmd.args(["-c", r"i=0; while [ $i -lt 4000 ]; do printf '\342\202\254' >&2; i=$((i+1)); done; exit 1"]);
        let e = run_capture(cmd).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("sh failed") && msg.contains('€'), "{}", msg.chars().take(100).collect::<String>());
    }
}
