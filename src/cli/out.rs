//! Output of the command line: standard output and standard error that never panic.
//!
//! `println!` panics when standard output is a closed pipe (`crowfoot info p.ron | head -1`)
//! or a full disk (`> /dev/full`). Everything the CLI prints goes through [`out`] and [`err`]
//! instead: a closed pipe ends the process quietly (exit 0: the reader has what it wanted), any
//! other write error (ENOSPC, EIO) is reported on stderr and exits 2. Text bound for a terminal
//! has its control characters escaped (names and SQL excerpts come from untrusted files and can
//! carry escape sequences); redirected standard output is written byte for byte, so exported
//! SQL stays exact.

use std::io::{IsTerminal, Write};

/// Exit status for "could not run".
const FAILED: i32 = 2;

fn stdout_is_terminal() -> bool {
    use std::sync::OnceLock;
    static TTY: OnceLock<bool> = OnceLock::new();
    *TTY.get_or_init(|| std::io::stdout().is_terminal())
}

/// React to a failed write on standard output: a closed pipe exits quietly, anything else is
/// an error (exit 2).
fn failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    err(&format!("error: cannot write to standard output: {e}\n"));
    std::process::exit(FAILED);
}

/// Write `text` to standard output (escaped when it is a terminal).
pub fn out(text: &str) {
    let text = if stdout_is_terminal() {
        crowfoot::terminal::escape_controls(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_all(text.as_bytes()) {
        failed(e);
    }
}

/// Flush standard output; called before the process exits, so a full disk is an error and not
/// a silently cut file.
pub fn flush() {
    if let Err(e) = std::io::stdout().lock().flush() {
        failed(e);
    }
}

/// Write `text` to standard error, control characters escaped. Errors are ignored (there is no
/// one left to tell).
pub fn err(text: &str) {
    let text = crowfoot::terminal::escape_controls(text);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `println!` to standard output through [`out`].
#[macro_export]
macro_rules! outln {
    () => { $crate::cli::out::out("\n") };
    ($($arg:tt)*) => {{
        let mut s = format!($($arg)*);
        s.push('\n');
        $crate::cli::out::out(&s)
    }};
}

/// `print!` to standard output through [`out`].
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::out(&format!($($arg)*)) };
}

/// `eprintln!` through [`err`].
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        let mut s = format!($($arg)*);
        s.push('\n');
        $crate::cli::out::err(&s)
    }};
}
