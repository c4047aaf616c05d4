//! `crowfoot check`: validation, design lint, index lint and normalization, as text, JSON or
//! SARIF (`crowfoot::analysis::lint`), and the rule levels stored in a project.

use super::common::{DialectArg, fail, load, save};
use crate::{errln, outln};
use clap::ValueEnum;
use crowfoot::analysis::check::Severity;
use crowfoot::model::Dialect;
use std::path::PathBuf;
use std::process::ExitCode;

/// Validate a project. Exit 0 clean, 1 problems found, 2 could not run.
#[derive(clap::Args)]
pub struct CheckArgs {
    project: PathBuf,
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
    /// List every rule with its id, default severity and rationale, and exit.
    #[arg(long)]
    rules: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 (CI code scanning).
    Sarif,
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
    let (project, dialect) = (project.as_path(), dialect.map(Dialect::from));
    if rules {
        for (id, name, sev, why) in lint::all_rules() {
            outln!(
                "{id}  {name}  [{}]\n      {why}",
                format!("{sev:?}").to_lowercase()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut p = load(project)?;
    let known: Vec<&str> = lint::all_rules().iter().map(|r| r.0).collect();
    let mut settings = p.settings().clone();
    for l in levels {
        let (rule, level) = l.split_once('=').ok_or_else(|| {
            errln!("error: --level {l}: expected RULE=off|info|warning|error");
            ExitCode::from(2)
        })?;
        let rule = rule.trim().to_uppercase();
        if !known.contains(&rule.as_str()) {
            errln!("error: --level {l}: unknown rule {rule} (see crowfoot check --rules)");
            return Err(ExitCode::from(2));
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
    }
    let failing = problems.iter().any(|p| p.severity != Severity::Info);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
