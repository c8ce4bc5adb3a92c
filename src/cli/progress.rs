//! The terminal progress bar: bytes, rate and the current object, on
//! stderr, only when stderr is a terminal and `-q` was not given.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the SIGINT/SIGTERM handler installed in [`install_interrupt_handler`].
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// On Ctrl-C or SIGTERM, ask running work to stop instead of dying on the
/// spot, so temporary files are cleaned up and no child is orphaned.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        // A child blocked on a lock would otherwise keep us waiting on its pipe.
        pgbag::pg::command::stop_children();
    });
}

use indicatif::{ProgressBar, ProgressStyle};

pub struct Bar(Option<ProgressBar>);

impl Bar {
    pub fn new(quiet: bool) -> Bar {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {prefix} {bytes} ({bytes_per_sec}) {wide_msg}")
                .expect("valid template"),
        );
        Bar(Some(pb))
    }
}

impl pgbag::progress::Progress for Bar {
    fn start(&self, phase: &str, total: Option<u64>) {
        if let Some(pb) = &self.0 {
            pb.set_prefix(phase.to_string());
            if let Some(t) = total {
                pb.set_length(t);
                pb.set_style(
                    ProgressStyle::with_template(
                        "{prefix} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {wide_msg}",
                    )
                    .expect("valid template")
                    .progress_chars("=> "),
                );
            }
        }
    }
    fn bytes(&self, done: u64) {
        if let Some(pb) = &self.0 {
            pb.set_position(done);
        }
    }
    fn object(&self, what: &str) {
        if let Some(pb) = &self.0 {
            pb.set_message(what.to_string());
        }
    }
    fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
    fn warn(&self, message: &str) {
        match &self.0 {
            Some(pb) => pb.suspend(|| eprintln!("pgbag: warning: {message}")),
            None => eprintln!("pgbag: warning: {message}"),
        }
    }
    fn cancelled(&self) -> bool {
        INTERRUPTED.load(Ordering::Relaxed)
    }
}
