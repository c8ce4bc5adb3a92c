//! Progress reporting without a terminal dependency: the library calls this
//! small trait, the CLI implements it with a progress bar. The default
//! methods do nothing, so [`NoProgress`] is free.

/// Receives progress from long operations. Implementations must be cheap:
/// `bytes` is called once per scanned item.
pub trait Progress {
    /// A phase begins (`"dumping"`, `"validating"`); `total` bytes if known.
    fn start(&self, _phase: &str, _total: Option<u64>) {}
    /// Bytes of input processed so far.
    fn bytes(&self, _done: u64) {}
    /// The object being processed changed (`TABLE DATA public.works`).
    fn object(&self, _what: &str) {}
    /// The phase ended.
    fn finish(&self) {}
    /// Something the user should know that does not stop the work.
    fn warn(&self, _message: &str) {}
    /// True when the user asked to stop (Ctrl-C); long loops check it and
    /// return an error, so temporary files are removed on the way out.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}
