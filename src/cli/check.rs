//! `crowfoot check`: validation, design lint, index lint and normalization, as text, JSON or
//! SARIF (`crowfoot::analysis::lint`), the rule levels stored in a project, the one rule
//! catalogue (`--rules`, from `crowfoot::analysis::rules`), and distribution readiness for an
//! engine (`--distribution`, `crowfoot::analysis::distribution`: the plan of table roles it
//! assumed, then the DS findings).

use super::common::{DialectArg, fail, load, refuse_onto_input, save};
use crate::{errln, out, outln};
use clap::ValueEnum;
use crowfoot::analysis::check::Problem;
use crowfoot::analysis::distribution::{self, Engine, Plan};
use crowfoot::analysis::rules::{self, Severity};
use crowfoot::model::Dialect;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Validate a project. Exit 0 clean, 1 problems found, 2 could not run.
#[derive(clap::Args)]
pub struct CheckArgs {
    #[arg(required_unless_present = "rules")]
    project: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Target dialect of the rules (default: the project's target dialect).
    #[arg(long)]
    dialect: Option<DialectArg>,
    /// Rule configuration for this run, `RULE=off|info|warning|error` (e.g. `DL013=off`);
    /// repeatable. With --save, stored in the project.
    #[arg(long = "level", value_name = "RULE=LEVEL")]
    levels: Vec<String>,
    /// Store the --level settings in the project file (atomically) and exit.
    #[arg(long, requires = "levels")]
    save: bool,
    /// List every rule (validation, design lint, normalization, index lint, migration
    /// safety) with its id, name, default severity, dialects and rationale, and exit; with
    /// --format json as JSON, with --format markdown as the rule tables of the docs.
    #[arg(long)]
    rules: bool,
    /// Judge readiness for a distributed engine instead (the DS rules): `citus`, `vitess` or
    /// `cockroach` (CockroachDB, and YugabyteDB which shares its rules). Judged against the
    /// roles stored in the project, the suggested plan for the rest; the plan is printed.
    #[arg(long, value_name = "ENGINE", conflicts_with_all = ["rules", "save", "levels", "dialect"])]
    distribution: Option<EngineArg>,
    /// With --distribution: the distribution key column (default: the column name most
    /// tables carry and reach a root table by, e.g. `tenant_id`).
    #[arg(long, value_name = "COLUMN", requires = "distribution")]
    key: Option<String>,
    /// With --distribution: store the plan's suggested roles in a copy of the project (-o).
    #[arg(long, requires_all = ["distribution", "output"])]
    apply: bool,
    /// With --apply: the project file to write (never the input).
    #[arg(short, long, requires = "apply")]
    output: Option<PathBuf>,
}

/// A distributed engine on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum EngineArg {
    /// PostgreSQL with Citus.
    Citus,
    /// MySQL with Vitess.
    Vitess,
    /// CockroachDB and YugabyteDB.
    Cockroach,
}

impl From<EngineArg> for Engine {
    fn from(e: EngineArg) -> Engine {
        match e {
            EngineArg::Citus => Engine::Citus,
            EngineArg::Vitess => Engine::Vitess,
            EngineArg::Cockroach => Engine::Cockroach,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 (CI code scanning).
    Sarif,
    /// With --rules: the docs' rule tables.
    Markdown,
}

/// Exit 0 when nothing at warning or error level is found, 1 otherwise, 2 could not run.
pub fn run(a: CheckArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::{lint, sarif};
    use crowfoot::model::RuleLevel;
    let CheckArgs {
        project,
        format,
        dialect,
        levels,
        save: store,
        rules,
        distribution,
        key,
        apply,
        output,
    } = a;
    if rules {
        return list_rules(format);
    }
    let Some(project) = project else {
        return Err(fail("a project to check is required (or --rules)"));
    };
    if format == Format::Markdown {
        return Err(fail("--format markdown is for --rules"));
    }
    if let Some(engine) = distribution {
        let out = if apply { output.as_deref() } else { None };
        return check_distribution(&project, engine.into(), key.as_deref(), format, out);
    }
    let (project, dialect) = (project.as_path(), dialect.map(Dialect::from));
    let mut p = load(project)?;
    let mut settings = p.settings().clone();
    for l in levels {
        let (rule, level) = l.split_once('=').ok_or_else(|| {
            errln!("error: --level {l}: expected RULE=off|info|warning|error");
            ExitCode::from(2)
        })?;
        let rule = rule.trim().to_uppercase();
        match rules::get(&rule) {
            None => {
                errln!("error: --level {l}: unknown rule {rule} (see crowfoot check --rules)");
                return Err(ExitCode::from(2));
            }
            Some(r) if !r.family.in_problems() => {
                errln!(
                    "error: --level {l}: {rule} is a {} code, which crowfoot check does not report",
                    r.family.label()
                );
                return Err(ExitCode::from(2));
            }
            Some(_) => {}
        }
        let level = match level.trim().to_lowercase().as_str() {
            "off" => RuleLevel::Off,
            "info" | "note" => RuleLevel::Info,
            "warning" | "warn" => RuleLevel::Warning,
            "error" => RuleLevel::Error,
            other => {
                errln!("error: --level {l}: unknown level {other:?} (off, info, warning, error)");
                return Err(ExitCode::from(2));
            }
        };
        settings.lint.insert(rule, level);
    }
    if store {
        crowfoot::model::Command::SetSettings(Box::new(settings))
            .apply(&mut p)
            .map_err(fail)?;
        save(&p, project)?;
        errln!("saved rule levels in {}", project.display());
        return Ok(ExitCode::SUCCESS);
    }
    let d = dialect.unwrap_or(settings.target_dialect);
    let mut run = p.clone();
    let _ = crowfoot::model::Command::SetSettings(Box::new(settings)).apply(&mut run);
    let problems = lint::problems(&run, d);
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "project": project.display().to_string(),
                "dialect": d.cli_name(),
                "problems": problems,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).expect("json values serialize")
            );
        }
        Format::Sarif => {
            let text = std::fs::read_to_string(project).ok();
            let v = sarif::to_sarif(&problems, &project.display().to_string(), text.as_deref());
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).expect("json values serialize")
            );
        }
        Format::Text => print_problems(project, &problems, "problem(s)", d.display_name()),
        Format::Markdown => unreachable!("refused before the project is read"),
    }
    Ok(exit_status(&problems))
}

/// The problems one a line, then the count by severity on stderr.
fn print_problems(path: &Path, problems: &[Problem], noun: &str, target: &str) {
    for pr in problems {
        outln!("{}: {pr}", path.display());
    }
    let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
    errln!(
        "{}: {} {noun} ({} error(s), {} warning(s), {} info) for {target}",
        path.display(),
        problems.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
}

/// Exit 1 when anything above info is found, else 0.
fn exit_status(problems: &[Problem]) -> ExitCode {
    if problems.iter().any(|p| p.severity != Severity::Info) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--distribution ENGINE`: the plan assumed (stored roles, suggested ones for the rest), then
/// the DS findings of the engine; with `apply_to`, the plan's roles stored in a copy of the
/// project instead. Exit 0 clean, 1 findings at warning or error level, 2 could not run (an
/// unknown `--key` column among them).
fn check_distribution(
    path: &std::path::Path,
    engine: Engine,
    key: Option<&str>,
    format: Format,
    apply_to: Option<&std::path::Path>,
) -> Result<ExitCode, ExitCode> {
    refuse_onto_input(apply_to, &[path])?;
    let p = load(path)?;
    let plan = distribution::plan(&p, key).map_err(|e| fail(format!("--key: {e}")))?;
    if let Some(out) = apply_to {
        let mut stored = p.clone();
        let edits = distribution::apply_commands(&stored, &plan);
        let n = edits.len();
        crowfoot::model::Command::Batch(edits)
            .apply(&mut stored)
            .map_err(fail)?;
        save(&stored, out)?;
        errln!("stored {n} suggested role(s) in {}", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let problems = distribution::check(&p, engine, &plan);
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "project": path.display().to_string(),
                "engine": engine.cli_name(),
                "dialect": engine.dialect().cli_name(),
                "plan": plan.to_json(&p),
                "problems": problems,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).expect("json values serialize")
            );
        }
        Format::Sarif => {
            let text = std::fs::read_to_string(path).ok();
            let v = crowfoot::analysis::sarif::to_sarif(
                &problems,
                &path.display().to_string(),
                text.as_deref(),
            );
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).expect("json values serialize")
            );
        }
        Format::Text => {
            print_plan(&p, &plan, engine);
            print_problems(
                path,
                &problems,
                "distribution finding(s)",
                engine.display_name(),
            );
        }
        Format::Markdown => unreachable!("refused before the project is read"),
    }
    Ok(exit_status(&problems))
}

/// The plan as text: its key and root, then one line per table with its role and whether
/// it was stored or suggested (and why).
fn print_plan(p: &crowfoot::model::Project, plan: &Plan, engine: Engine) {
    let stored = plan.stored_count();
    let suggested = plan.tables.len() - stored;
    let key = match (&plan.key, plan.root.and_then(|r| p.table(r))) {
        (Some(k), Some(r)) => format!("key {k}, root {}", r.qualified_name()),
        (Some(k), None) => format!("key {k}, no root table"),
        (None, _) => "no distribution key found".into(),
    };
    outln!("plan ({key}; {stored} role(s) stored, {suggested} suggested):");
    if !engine.uses_roles() {
        outln!(
            "  ({} shard every table by its primary key: the roles are not used)",
            engine.display_name()
        );
    }
    for x in &plan.tables {
        let Some(t) = p.table(x.table) else { continue };
        let source = if x.stored {
            "stored".to_string()
        } else {
            format!("suggested: {}", x.reason)
        };
        outln!(
            "  {}: {} ({source})",
            t.qualified_name(),
            Plan::describe(x.role, t)
        );
    }
}

/// `--rules`: the one catalogue, every family, as text, JSON or the docs' markdown tables.
fn list_rules(format: Format) -> Result<ExitCode, ExitCode> {
    match format {
        Format::Text => {
            for r in rules::all() {
                let dialects = match r.dialects_text().as_str() {
                    "all" => "all dialects".to_string(),
                    some => some.to_string(),
                };
                outln!(
                    "{}  {}  [{}]  ({}; {})\n      {}",
                    r.id,
                    r.name,
                    r.severity.as_str(),
                    r.family.label(),
                    dialects,
                    r.rationale
                );
            }
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = rules::all().map(|r| r.to_json()).collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "rules": v }))
                    .expect("json values serialize")
            );
        }
        Format::Markdown => {
            let mut first = true;
            for (doc, families) in rules::DOC_TABLES {
                if !first {
                    outln!();
                }
                first = false;
                outln!("<!-- {doc} -->");
                out!("{}", rules::markdown(families));
            }
        }
        Format::Sarif => {
            return Err(fail(
                "--rules lists as text, json or markdown (SARIF lists them with the results)",
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
