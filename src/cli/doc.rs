//! `crowfoot doc`: the Markdown data dictionary (`crowfoot::export::markdown`).

use super::common::{load, refuse_onto_input, write_or_print};
use std::path::PathBuf;
use std::process::ExitCode;

/// Write a Markdown data dictionary (tables, columns, keys, comments, tags, Mermaid ER
/// diagram). Written atomically; stdout unless -o.
#[derive(clap::Args)]
pub struct DocArgs {
    project: PathBuf,
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(a: DocArgs) -> Result<ExitCode, ExitCode> {
    refuse_onto_input(a.output.as_deref(), &[&a.project])?;
    let p = load(&a.project)?;
    let text = crowfoot::export::markdown::data_dictionary(&p);
    write_or_print(a.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
