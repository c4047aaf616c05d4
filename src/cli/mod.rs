//! The command line: one module per subcommand, each with its `clap::Args` and a `run` that
//! gives the exit status (`Ok` or `Err`, both printed already), and the plumbing they share
//! (`common`, `out`).
//!
//! This module belongs to the binary, not to the library: it is the command line's
//! presentation (clap arguments, messages on stdout/stderr, exit statuses). What the commands
//! compute is in the library, where the studio reaches it too (`crowfoot::source` reads any
//! schema source for `diff` and for the studio's Compare).

pub mod areas;
pub mod check;
pub mod common;
pub mod diff;
pub mod discover;
pub mod doc;
pub mod export;
pub mod fd;
pub mod import;
pub mod indexes;
pub mod info;
pub mod merge;
pub mod new;
pub mod normalize;
pub mod out;
pub mod path;
pub mod pattern;
pub mod pii;
pub mod render;
