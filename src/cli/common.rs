//! What the subcommands share: reading a project, writing an output file (atomically, never
//! onto an input), the `--dialect` value of a SQL dialect, and the "could not run" exit.

use crate::{errln, out};
use clap::ValueEnum;
use crowfoot::model::{Dialect, Project};
use crowfoot::project_file;
use crowfoot::source::{Accept, load_schema};
use std::path::Path;
use std::process::ExitCode;

/// A SQL dialect on the command line (`--dialect`, `--to`, `--from`).
#[derive(Clone, Copy, ValueEnum)]
pub enum DialectArg {
    Postgres,
    Mysql,
    Sqlite,
    Sqlserver,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Mysql => Dialect::MySql,
            DialectArg::Sqlite => Dialect::Sqlite,
            DialectArg::Sqlserver => Dialect::SqlServer,
        }
    }
}

/// Print `error: {e}` on stderr and give the "could not run" exit status, 2.
pub fn fail(e: impl std::fmt::Display) -> ExitCode {
    errln!("error: {e}");
    ExitCode::from(2)
}

/// Read a project file. Commands that save the project back or match by stable id read
/// nothing else (`diff` reads any schema source: `diff::load_schema`).
pub fn load(path: &Path) -> Result<Project, ExitCode> {
    load_schema(path, Accept::Projects)
        .map(|s| s.project)
        .map_err(fail)
}

/// Write an output file atomically (keeping a `.bak` of what it replaces), unless it is a
/// project file of a newer format version.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), ExitCode> {
    project_file::refuse_newer(path)
        .and_then(|()| project_file::write_atomic_bytes(path, bytes))
        .map_err(fail)
}

/// Save a project (atomically, keeping a `.bak`).
pub fn save(p: &Project, path: &Path) -> Result<(), ExitCode> {
    project_file::save(p, path).map_err(fail)
}

/// Are `a` and `b` the same file (through symlinks and hard links too)?
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuse an output that is one of the command's inputs: writing it would replace the source.
pub fn refuse_onto_input(output: Option<&Path>, inputs: &[&Path]) -> Result<(), ExitCode> {
    let Some(output) = output else {
        return Ok(());
    };
    if let Some(input) = inputs.iter().find(|i| same_file(output, i)) {
        errln!(
            "error: {}: the output is the input {} (it would be replaced); choose another output",
            output.display(),
            input.display()
        );
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// Write `text` atomically to `path`, or print it.
pub fn write_or_print(path: Option<&Path>, text: &str) -> Result<(), ExitCode> {
    match path {
        Some(path) => write_output(path, text.as_bytes()),
        None => {
            out!("{text}");
            Ok(())
        }
    }
}
