//! `crowfoot indexes`: index lint (`analysis::index_lint`) and, with a workload, the advisor's
//! plans and suggestions (`analysis::advisor`).

use super::common::{DialectArg, load};
use crate::{errln, outln};
use crowfoot::model::Dialect;
use std::path::PathBuf;
use std::process::ExitCode;

/// Index lint (and, with --workload, index advice from the SQLite planner). Exit 0 clean,
/// 1 findings, 2 could not run.
#[derive(clap::Args)]
pub struct IndexesArgs {
    project: PathBuf,
    /// Dialect whose rules apply (default: the project's target dialect).
    #[arg(long)]
    dialect: Option<DialectArg>,
    /// A workload (.sql file of SELECT/UPDATE/DELETE/INSERT statements, optional
    /// `-- weight: N` comments): plans before/after and suggested indexes, checked by
    /// SQLite's query planner.
    #[arg(long, value_name = "FILE.sql")]
    workload: Option<PathBuf>,
    /// JSON output: {"lint": [{rule, table, index, message}], "queries": [{sql,
    /// plan_before, plan_after}], "suggested": [{table, columns, unique, benefit}]}.
    #[arg(long)]
    json: bool,
}

/// Index lint findings and, with a workload, the advisor's plans and suggestions (text or
/// JSON). Exit 0 clean, 1 findings or suggestions, 2 could not run.
pub fn run(a: IndexesArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::{advisor, index_lint};
    let IndexesArgs {
        project,
        dialect,
        workload,
        json,
    } = a;
    let (project, dialect) = (project.as_path(), dialect.map(Dialect::from));
    let workload = workload.as_deref();
    let p = load(project)?;
    let d = dialect.unwrap_or(p.settings().target_dialect);
    let lint = index_lint::lint(&p, d);
    let advice = match workload {
        Some(w) => {
            let text = std::fs::read_to_string(w).map_err(|e| {
                errln!("error: {}: {e}", w.display());
                ExitCode::from(2)
            })?;
            let a = advisor::advise(&p, &text).map_err(|e| {
                errln!("error: {}: {e}", w.display());
                ExitCode::from(2)
            })?;
            for e in &a.errors {
                errln!("{}:{e}", w.display());
            }
            Some(a)
        }
        None => None,
    };
    if json {
        let mut v = serde_json::json!({
            "project": project.display().to_string(),
            "dialect": d.display_name(),
            "lint": lint,
        });
        if let Some(a) = &advice {
            let av = serde_json::to_value(a).expect("json values serialize");
            for k in ["queries", "suggested", "errors", "warnings"] {
                if let Some(x) = av.get(k) {
                    v[k] = x.clone();
                }
            }
        }
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
    } else {
        for f in &lint {
            let fix = f
                .fix
                .as_ref()
                .map(|x| format!(" [fix: {}]", x.label(&p)))
                .unwrap_or_default();
            outln!(
                "{}[{}] {}: {}{fix}",
                f.level.as_str(),
                f.rule,
                f.table,
                f.message
            );
        }
        errln!("{} finding(s) for {}", lint.len(), d.display_name());
        if let Some(a) = &advice {
            for q in &a.queries {
                outln!("\nline {}: {}", q.line, q.sql.trim());
                outln!("  before: {}", q.plan_before.join(" | "));
                if q.plan_after != q.plan_before {
                    outln!("  after:  {}", q.plan_after.join(" | "));
                }
            }
            outln!();
            for sug in &a.suggested {
                outln!(
                    "suggested: CREATE INDEX {} ON {} ({})  -- benefit {:.1}",
                    sug.index.name,
                    sug.table,
                    sug.columns.join(", "),
                    sug.benefit
                );
            }
            for w in &a.warnings {
                errln!("warning: {w}");
            }
        }
    }
    let found = !lint.is_empty() || advice.as_ref().is_some_and(|a| !a.suggested.is_empty());
    Ok(if found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
