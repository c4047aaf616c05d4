//! `crowfoot check`: validation, design lint, index lint and normalization, as text, JSON or
//! SARIF (`crowfoot::analysis::lint`), the rule levels stored in a project, and the one rule
//! catalogue (`--rules`, from `crowfoot::analysis::rules`).

use super::common::{DialectArg, fail, load, save};
use crate::{errln, out, outln};
use clap::ValueEnum;
use crowfoot::analysis::rules::{self, Severity};
use crowfoot::model::Dialect;
use std::path::PathBuf;
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
        Format::Text => {
            for pr in &problems {
                outln!("{}: {pr}", project.display());
            }
            let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
            errln!(
                "{}: {} problem(s) ({} error(s), {} warning(s), {} info) for {}",
                project.display(),
                problems.len(),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
                d.display_name()
            );
        }
        Format::Markdown => unreachable!("refused before the project is read"),
    }
    let failing = problems.iter().any(|p| p.severity != Severity::Info);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
