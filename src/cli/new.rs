//! `crowfoot new`: an empty project file with a target dialect.

use super::common::{DialectArg, save};
use crate::errln;
use crowfoot::model::{Project, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

/// Create a new, empty project file.
#[derive(clap::Args)]
pub struct NewArgs {
    path: PathBuf,
    /// Target dialect stored in the project settings.
    #[arg(long, default_value = "postgres")]
    dialect: DialectArg,
    /// Overwrite an existing file (a .bak of it is kept).
    #[arg(long)]
    force: bool,
}

pub fn run(a: NewArgs) -> Result<ExitCode, ExitCode> {
    let NewArgs {
        path,
        dialect,
        force,
    } = a;
    if path.exists() && !force {
        errln!(
            "error: {} already exists (use --force to overwrite; a .bak is kept)",
            path.display()
        );
        return Err(ExitCode::from(2));
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Untitled".into());
    let mut p = Project::new(name);
    let settings = Settings {
        target_dialect: dialect.into(),
        ..Settings::default()
    };
    crowfoot::model::Command::SetSettings(Box::new(settings))
        .apply(&mut p)
        .expect("settings always apply");
    save(&p, &path)?;
    errln!("created {}", path.display());
    Ok(ExitCode::SUCCESS)
}
