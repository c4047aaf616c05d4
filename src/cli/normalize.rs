//! `crowfoot normalize`: a normalization report per table, or (`--declare`, `--undeclare`,
//! `--decompose`) an edit of the project (`analysis::normalize::apply`).

use super::common::{load, save};
use crate::{errln, out, outln};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Normalization report per table, from primary keys and unique constraints (plus
/// `--fd` dependencies with `--table`).
#[derive(clap::Args)]
pub struct NormalizeArgs {
    project: PathBuf,
    /// Only this table (`name` or `schema.name`).
    #[arg(long)]
    table: Option<String>,
    /// An extra dependency over the table's columns (needs --table); repeatable.
    #[arg(long = "fd", allow_hyphen_values = true)]
    fds: Vec<String>,
    /// JSON output.
    #[arg(long)]
    json: bool,
    /// Declare a dependency on the table and save it in the project (needs --table);
    /// repeatable.
    #[arg(long, allow_hyphen_values = true)]
    declare: Vec<String>,
    /// Remove a declared dependency from the table (needs --table); repeatable.
    #[arg(long, allow_hyphen_values = true)]
    undeclare: Vec<String>,
    /// Split the table into 3NF (Bernstein synthesis) or BCNF tables joined by foreign
    /// keys, and save (needs --table).
    #[arg(long, value_enum)]
    decompose: Option<DecomposeArg>,
    /// With --declare/--undeclare/--decompose: show what would change, save nothing.
    #[arg(long)]
    dry_run: bool,
    /// With --declare/--undeclare/--decompose: write the project here instead of in place.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DecomposeArg {
    #[value(name = "3nf")]
    ThirdNf,
    Bcnf,
}

pub fn run(a: NormalizeArgs) -> Result<ExitCode, ExitCode> {
    let NormalizeArgs {
        project,
        table,
        fds,
        json,
        declare,
        undeclare,
        decompose,
        dry_run,
        output,
    } = a;
    if declare.is_empty() && undeclare.is_empty() && decompose.is_none() {
        reports(&project, table.as_deref(), &fds, json)
    } else {
        use crowfoot::analysis::normalize::apply::{Edit, Method};
        let edit = Edit {
            table: table.unwrap_or_default(),
            declare,
            undeclare,
            decompose: decompose.map(|d| match d {
                DecomposeArg::ThirdNf => Method::Synthesis3nf,
                DecomposeArg::Bcnf => Method::Bcnf,
            }),
        };
        apply_edit(&project, &edit, dry_run, output.as_deref())
    }
}

/// One report per table.
fn reports(
    project: &Path,
    table: Option<&str>,
    fds: &[String],
    json: bool,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::normalize::report;
    let p = load(project)?;
    let reports =
        report::project_report(&p, table, fds, &report::Options::default()).map_err(|e| {
            errln!("error: {}: {e}", project.display());
            ExitCode::from(2)
        })?;
    if json {
        let v = serde_json::json!({
            "project": project.display().to_string(),
            "tables": reports,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
    } else {
        for (i, r) in reports.iter().enumerate() {
            if i > 0 {
                outln!();
            }
            out!("{}", r.to_text());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--declare/--undeclare/--decompose`: edit the project and save it
/// (atomically, keeping a .bak), or with --dry-run only say what would change.
fn apply_edit(
    project: &Path,
    edit: &crowfoot::analysis::normalize::apply::Edit,
    dry_run: bool,
    output: Option<&Path>,
) -> Result<ExitCode, ExitCode> {
    let mut p = load(project)?;
    let lines = crowfoot::analysis::normalize::apply::edit_project(&mut p, edit).map_err(|e| {
        errln!("error: {}: {e}", project.display());
        ExitCode::from(2)
    })?;
    for l in &lines {
        outln!("{l}");
    }
    if dry_run {
        errln!("dry run: nothing saved");
        return Ok(ExitCode::SUCCESS);
    }
    let out = output.unwrap_or(project);
    save(&p, out)?;
    errln!("saved {}", out.display());
    Ok(ExitCode::SUCCESS)
}
