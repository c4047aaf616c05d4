//! `crowfoot export`: DDL for a SQL dialect (refused, or with `--force` commented out where it
//! would fail, when the model has error-level problems), DBML or Mermaid; for PostgreSQL with
//! `--distribution citus`, the Citus calls of the plan appended
//! (`crowfoot::analysis::distribution::citus`).

use super::common::{fail, load, refuse_onto_input, write_or_print};
use crate::errln;
use clap::ValueEnum;
use crowfoot::analysis::check::Severity;
use crowfoot::model::{Dialect, Project};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write the project's DDL for a dialect, or DBML / Mermaid (stdout unless -o). Warnings
/// go to stderr.
#[derive(clap::Args)]
pub struct ExportArgs {
    project: PathBuf,
    /// Target: a SQL dialect, `dbml` or `mermaid`.
    #[arg(long, value_enum)]
    to: ExportTo,
    /// Output file (written atomically).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Export DDL although the model has error-level problems (the DDL would fail): the
    /// foreign keys at fault are commented out, other problems listed at the top.
    #[arg(long)]
    force: bool,
    /// With --to postgres: append the Citus calls (create_reference_table,
    /// create_distributed_table) of the project's plan, stored roles and suggested ones, in a
    /// block that plain PostgreSQL skips.
    #[arg(long, value_enum, value_name = "ENGINE")]
    distribution: Option<DistributionTo>,
    /// With --distribution: the distribution key column for the suggested roles.
    #[arg(long, value_name = "COLUMN", requires = "distribution")]
    key: Option<String>,
}

/// The distributed engines `export --distribution` writes calls for.
#[derive(Clone, Copy, ValueEnum)]
enum DistributionTo {
    /// PostgreSQL with the Citus extension.
    Citus,
}

/// What `crowfoot export --to` writes: DDL for a SQL dialect, or a diagram-as-code format.
#[derive(Clone, Copy, ValueEnum)]
enum ExportTo {
    Postgres,
    Mysql,
    Sqlite,
    Sqlserver,
    /// DBML (dbdiagram.io), checked with @dbml/core.
    Dbml,
    /// Mermaid `erDiagram`.
    Mermaid,
}

impl ExportTo {
    /// The SQL dialect, for the DDL targets.
    fn dialect(self) -> Option<Dialect> {
        match self {
            ExportTo::Postgres => Some(Dialect::Postgres),
            ExportTo::Mysql => Some(Dialect::MySql),
            ExportTo::Sqlite => Some(Dialect::Sqlite),
            ExportTo::Sqlserver => Some(Dialect::SqlServer),
            ExportTo::Dbml | ExportTo::Mermaid => None,
        }
    }
}

pub fn run(a: ExportArgs) -> Result<ExitCode, ExitCode> {
    refuse_onto_input(a.output.as_deref(), &[&a.project])?;
    let p = load(&a.project)?;
    if a.distribution.is_some() && !matches!(a.to, ExportTo::Postgres) {
        return Err(fail("--distribution citus is for --to postgres"));
    }
    let (text, warnings) = match (a.to.dialect(), a.to) {
        (Some(d), _) => {
            let (mut text, warnings) = export_ddl(&a.project, &p, d, a.force)?;
            if let Some(DistributionTo::Citus) = a.distribution {
                text.push_str(&citus_section(&a.project, &p, a.key.as_deref())?);
            }
            (text, warnings)
        }
        (None, ExportTo::Dbml) => {
            let out = crowfoot::export::dbml::export(&p);
            (out.text, out.warnings)
        }
        (None, _) => {
            let out = crowfoot::export::mermaid::export(&p);
            (out.text, out.warnings)
        }
    };
    for w in &warnings {
        errln!("warning: {w}");
    }
    write_or_print(a.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The Citus section for the plan (stored roles, suggested ones for the rest); on stderr, how
/// many roles were suggested and the Citus findings (`crowfoot check --distribution citus`).
fn citus_section(path: &Path, p: &Project, key: Option<&str>) -> Result<String, ExitCode> {
    use crowfoot::analysis::distribution::{self, Engine};
    let plan = distribution::plan(p, key).map_err(|e| fail(format!("--key: {e}")))?;
    let suggested = plan.tables.len() - plan.stored_count();
    if suggested > 0 {
        errln!(
            "note: {suggested} table role(s) suggested, not stored (see crowfoot check {} \
             --distribution citus)",
            path.display()
        );
    }
    for x in distribution::check(p, Engine::Citus, &plan) {
        errln!("warning: {}: {x}", path.display());
    }
    Ok(distribution::citus::section(p, &plan))
}

/// `crowfoot export --to DIALECT`: refuse a model with error-level problems (the DDL would
/// fail on the engine) unless `force`; then the foreign keys at fault are left out of the
/// script and appended commented out, and every problem is listed at the top.
fn export_ddl(
    path: &Path,
    p: &Project,
    d: Dialect,
    force: bool,
) -> Result<(String, Vec<crowfoot::sql::ExportWarning>), ExitCode> {
    use crowfoot::analysis::{check, lint};
    let errors: Vec<_> = lint::problems(p, d)
        .into_iter()
        .filter(|x| x.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        let out = crowfoot::sql::export(p, d);
        return Ok((out.sql, out.warnings));
    }
    if !force {
        for e in &errors {
            errln!("{}: {e}", path.display());
        }
        errln!(
            "error: {}: {} error-level problem(s): the DDL would fail on {}; fix them, or \
             --force to export anyway (the foreign keys at fault commented out)",
            path.display(),
            errors.len(),
            d.display_name()
        );
        return Err(ExitCode::from(2));
    }
    let failing = check::failing_foreign_keys(p);
    let mut without = p.clone();
    for id in &failing {
        // Removing an existing key cannot fail.
        let _ = crowfoot::model::Command::RemoveForeignKey(*id).apply(&mut without);
    }
    let out = crowfoot::sql::export(&without, d);
    let mut text = String::from("-- Exported with --force despite these error-level problems:\n");
    for e in &errors {
        text.push_str(&format!("--   {}\n", e.to_string().replace('\n', " ")));
    }
    text.push_str(&out.sql);
    if !failing.is_empty() {
        text.push_str("\n-- Left out: the foreign keys at fault (these statements would fail):\n");
        let left: String = if !crowfoot::sql::dialect::rules(d).migrations() {
            failing
                .iter()
                .filter_map(|id| p.foreign_key(*id))
                .map(|fk| {
                    format!(
                        "foreign key {}\n",
                        fk.name.as_deref().unwrap_or("(unnamed)")
                    )
                })
                .collect()
        } else {
            let opts = crowfoot::sql::migrate::MigrationOptions {
                match_mode: Some(crowfoot::sql::diff::MatchMode::Ids),
                ..Default::default()
            };
            crowfoot::sql::migrate::plan(&without, p, d, opts).up.sql
        };
        for line in left.lines() {
            text.push_str("-- ");
            text.push_str(line);
            text.push('\n');
        }
    }
    for e in &errors {
        errln!("{}: {e}", path.display());
    }
    errln!(
        "warning: exported with {} error-level problem(s) (--force); {} foreign key(s) commented \
         out",
        errors.len(),
        failing.len()
    );
    Ok((text, out.warnings))
}
