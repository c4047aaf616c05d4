//! `crowfoot pattern`: apply a design pattern (history, soft-delete, outbox, event-store,
//! read-model, temporal) in one step, or take it out again (`--remove`); `analysis::patterns` does the work.

use super::common::{DialectArg, fail, load, save};
use crate::{errln, outln};
use crowfoot::analysis::patterns::{self, Options, Pattern};
use std::path::PathBuf;
use std::process::ExitCode;
use strum::IntoEnumIterator;

/// Apply a design pattern (history, soft-delete, outbox, event-store, read-model, temporal) to
/// a project in one step, or remove it (--remove); prints what it adds.
#[derive(clap::Args)]
pub struct PatternArgs {
    project: PathBuf,
    /// history, soft-delete, outbox, event-store, read-model or temporal.
    name: String,
    /// The table (`name` or `schema.name`) of history, soft-delete, read-model and temporal.
    #[arg(long)]
    table: Option<String>,
    /// read-model: a table to join (by the shortest foreign-key path); repeatable; default:
    /// every table --table references.
    #[arg(long)]
    join: Vec<String>,
    /// temporal: a column of the key whose periods may not overlap; repeatable; default: the
    /// primary key (which then gets valid_from).
    #[arg(long)]
    key: Vec<String>,
    /// Dialect to write triggers and constraints for (history, temporal); repeatable; default:
    /// all four.
    #[arg(long = "dialect", value_enum)]
    dialects: Vec<DialectArg>,
    /// Take out what the pattern added (found by its names).
    #[arg(long)]
    remove: bool,
    /// Print the preview as JSON.
    #[arg(long)]
    json: bool,
    /// Show what would change, save nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the project here (default: in place, keeping a .bak).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(a: PatternArgs) -> Result<ExitCode, ExitCode> {
    let pattern: Pattern = a.name.parse().map_err(|_| {
        let names: Vec<&str> = Pattern::iter().map(|p| p.name()).collect();
        fail(format!(
            "no pattern `{}`; the patterns are {}",
            a.name,
            names.join(", ")
        ))
    })?;
    let mut p = load(&a.project)?;
    let opts = Options {
        table: a.table,
        dialects: if a.dialects.is_empty() {
            Options::default().dialects
        } else {
            a.dialects.into_iter().map(Into::into).collect()
        },
        join: a.join,
        key: a.key,
    };
    let plan = if a.remove {
        patterns::remove_plan(&p, pattern, &opts)
    } else {
        patterns::plan(&p, pattern, &opts)
    }
    .map_err(|e| fail(format!("{}: {e}", a.project.display())))?;
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("json values serialize")
        );
    } else {
        outln!("{}", plan.label);
        for c in &plan.changes {
            outln!("  {c}");
        }
        for n in &plan.notes {
            outln!("  note: {n}");
        }
    }
    if a.dry_run {
        errln!("dry run: nothing saved");
        return Ok(ExitCode::SUCCESS);
    }
    plan.command
        .apply(&mut p)
        .map_err(|e| fail(format!("{}: {e}", a.project.display())))?;
    let out = a.output.as_deref().unwrap_or(&a.project);
    save(&p, out)?;
    errln!("saved {}", out.display());
    Ok(ExitCode::SUCCESS)
}
