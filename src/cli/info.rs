//! `crowfoot info`: a project's summary.

use super::common::load;
use crate::outln;
use std::path::PathBuf;
use std::process::ExitCode;

/// Summarize a project: tables, columns, keys, indexes.
#[derive(clap::Args)]
pub struct InfoArgs {
    project: PathBuf,
}

pub fn run(a: InfoArgs) -> Result<ExitCode, ExitCode> {
    let project = a.project;
    let p = load(&project)?;
    outln!("{} ({})", p.name(), project.display());
    outln!(
        "{} tables, {} columns, {} foreign keys, {} enums, {} views, {} sequences; target {}",
        p.table_count(),
        p.column_count(),
        p.foreign_key_count(),
        p.enums().count(),
        p.views().count(),
        p.sequences().count(),
        p.settings().target_dialect.display_name()
    );
    for t in p.tables() {
        outln!(
            "  {:<32} {:>3} columns  {:>2} indexes  {:>2} fks{}",
            t.qualified_name(),
            t.columns.len(),
            t.indexes.len(),
            p.foreign_keys_from(t.id).len(),
            if t.primary_key.is_some() {
                ""
            } else {
                "  (no primary key)"
            }
        );
    }
    if p.sequences().next().is_some() {
        outln!("sequences:");
    }
    for s in p.sequences() {
        outln!(
            "  {:<32} {}",
            s.qualified_name(),
            crowfoot::model::sequence::describe(&p, s)
        );
    }
    Ok(ExitCode::SUCCESS)
}
