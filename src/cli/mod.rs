//! The command line's plumbing shared by every subcommand (the subcommands themselves are still
//! in `main.rs`).

pub mod out;
