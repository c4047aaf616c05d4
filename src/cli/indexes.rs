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
    /// Whose planner advises on the workload: SQLite's (in memory, the default) or a
    /// PostgreSQL server's with hypothetical indexes (hypopg; needs --db).
    #[arg(long, value_enum, default_value = "sqlite")]
    engine: Engine,
    /// The PostgreSQL server for --engine postgres (the workload may then also be
    /// pg_stat_statements exported as CSV with a header: query, calls, …). postgres://user@host:port/db?scratch=1:
    /// a temporary database is created there, filled with synthetic rows from the project's
    /// estimates, and dropped at the end. Without scratch=1: that database (a staging copy
    /// with real rows, hypopg installed) is only read, in a read-only session.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// With --engine postgres: add every suggested index to the project (as Accept in the
    /// studio) and write it to --output.
    #[arg(long, requires = "output")]
    apply: bool,
    /// With --apply: the project file to write (the input itself to change it in place; a
    /// backup is kept).
    #[arg(short, long, requires = "apply")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Engine {
    Sqlite,
    Postgres,
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
        engine,
        db,
        apply,
        output,
    } = a;
    if engine == Engine::Postgres {
        let out = output.as_deref().filter(|_| apply);
        return postgres(&project, workload.as_deref(), db.as_deref(), json, out);
    }
    if apply {
        errln!("error: --apply is for --engine postgres");
        return Err(ExitCode::from(2));
    }
    if db.is_some() {
        errln!("error: --db is for --engine postgres");
        return Err(ExitCode::from(2));
    }
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

/// `--engine postgres`: the PostgreSQL planner's advice (`analysis::advisor::pg`).
fn postgres(
    project: &std::path::Path,
    workload: Option<&std::path::Path>,
    db: Option<&str>,
    json: bool,
    apply_to: Option<&std::path::Path>,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::advisor::{self, pg};
    let (Some(w), Some(db)) = (workload, db) else {
        errln!("error: --engine postgres needs --workload FILE.sql and --db URL");
        return Err(ExitCode::from(2));
    };
    let p = load(project)?;
    let text = std::fs::read_to_string(w).map_err(|e| {
        errln!("error: {}: {e}", w.display());
        ExitCode::from(2)
    })?;
    let target = pg::PgTarget::parse(db).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })?;
    // pg_stat_statements exported as CSV (query, calls, …), or SQL statements.
    let csv = w.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let workload = if csv {
        advisor::parse_pg_stat_statements_csv(&text).map_err(|e| {
            errln!("error: {}: {e}", w.display());
            ExitCode::from(2)
        })?
    } else {
        pg::parse_workload(&text)
    };
    let a = pg::advise_postgres_workload(&p, &workload, &target, &pg::PgOptions::default())
        .map_err(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        })?;
    for e in &a.errors {
        errln!("{}:{e}", w.display());
    }
    for warning in &a.warnings {
        errln!("warning: {warning}");
    }
    if json {
        let mut v = serde_json::to_value(&a).expect("json values serialize");
        v["project"] = serde_json::json!(project.display().to_string());
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
    } else {
        outln!("PostgreSQL {} (hypothetical indexes)", a.server_version);
        for q in &a.queries {
            outln!(
                "line {}: cost {:.1} -> {:.1}  {}",
                q.line,
                q.cost_before,
                q.cost_after,
                q.sql.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        outln!();
        for s in &a.suggested {
            let include = if s.include.is_empty() {
                String::new()
            } else {
                format!(" INCLUDE ({})", s.include.join(", "))
            };
            outln!(
                "suggested: CREATE INDEX {} ON {} ({}){include}  -- saves {:.1} (weighted cost), {} statement(s)",
                s.index.name,
                s.table,
                s.columns.join(", "),
                s.benefit,
                s.queries.len()
            );
        }
    }
    if let Some(out) = apply_to {
        let mut p = p;
        for s in &a.suggested {
            let cmd = pg::accept(&p, s).map_err(|e| {
                errln!("error: {e}");
                ExitCode::from(2)
            })?;
            cmd.apply(&mut p).map_err(|e| {
                errln!("error: {e}");
                ExitCode::from(2)
            })?;
        }
        super::common::save(&p, out)?;
        errln!(
            "added {} index(es); saved {}",
            a.suggested.len(),
            out.display()
        );
    }
    Ok(if a.suggested.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
