//! Running the `crowfoot` binary and git from tests.
#![allow(dead_code)] // each test file uses part of it

use std::path::Path;
use std::process::{Command, Output};

/// `crowfoot ARGS` in `dir`.
pub fn crowfoot(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs")
}

/// `crowfoot ARGS` in the repository (paths like `projects/shop.ron` work).
pub fn crowfoot_in_repo(args: &[&str]) -> Output {
    crowfoot(args, Path::new(env!("CARGO_MANIFEST_DIR")))
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `git ARGS` in `dir`, with a fixed author and committer.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs")
}
