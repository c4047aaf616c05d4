//! `crowfoot merge`: the three-way merge by stable id (`crowfoot::merge`), git's merge driver.

use super::common::{fail, load, refuse_onto_input};
use crate::errln;
use crowfoot::project_file;
use std::path::PathBuf;
use std::process::ExitCode;

/// Three-way merge of project files by stable id (a git merge driver: see
/// docs/merge.md). Exit 0 merged cleanly, 1 conflicts (resolved to OURS and listed), 2 error.
#[derive(clap::Args)]
pub struct MergeArgs {
    base: PathBuf,
    ours: PathBuf,
    theirs: PathBuf,
    /// Output file (written atomically, the file it replaces kept as OUTPUT.bak; git
    /// passes OURS' path as %A).
    #[arg(short, long)]
    output: PathBuf,
    /// Keep no OUTPUT.bak (for git's merge driver, whose %A is a temporary file).
    #[arg(long)]
    no_backup: bool,
}

pub fn run(a: MergeArgs) -> Result<ExitCode, ExitCode> {
    let MergeArgs {
        base,
        ours,
        theirs,
        output,
        no_backup,
    } = a;
    // OURS is the output when git calls the driver; BASE and THEIRS never are.
    refuse_onto_input(Some(&output), &[&base, &theirs])?;
    let (b, o, t) = (load(&base)?, load(&ours)?, load(&theirs)?);
    let m = crowfoot::merge::merge(&b, &o, &t);
    let saved = if no_backup {
        project_file::save_no_backup(&m.project, &output)
    } else {
        project_file::save(&m.project, &output)
    };
    saved.map_err(fail)?;
    for c in &m.conflicts {
        errln!("conflict: {c}");
    }
    errln!(
        "merged into {}: {} conflict(s)",
        output.display(),
        m.conflicts.len()
    );
    Ok(if m.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
