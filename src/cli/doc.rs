//! `crowfoot doc`: the Markdown data dictionary (`crowfoot::export::markdown`), or the privacy
//! report (`analysis::privacy::erasure`).

use super::common::{load, refuse_onto_input, write_or_print};
use std::path::PathBuf;
use std::process::ExitCode;

/// Write a Markdown data dictionary (tables, columns, keys, comments, tags, Mermaid ER
/// diagram), or with --privacy the privacy report (per data subject every table holding data
/// about the person, what erasing one does along each foreign key, personal data no erasure
/// reaches, retention notes). Written atomically; stdout unless -o.
#[derive(clap::Args)]
pub struct DocArgs {
    project: PathBuf,
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The privacy report instead of the data dictionary.
    #[arg(long)]
    privacy: bool,
}

pub fn run(a: DocArgs) -> Result<ExitCode, ExitCode> {
    refuse_onto_input(a.output.as_deref(), &[&a.project])?;
    let p = load(&a.project)?;
    let text = if a.privacy {
        use crowfoot::analysis::privacy::{classify, erasure};
        erasure::markdown(&p, &classify(&p))
    } else {
        crowfoot::export::markdown::data_dictionary(&p)
    };
    write_or_print(a.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
