//! `crowfoot diff`: the structural diff of two schemas and the migration between them
//! (`sql::migrate`), with its safety report.

use super::common::{DialectArg, fail, refuse_onto_input, same_file, write_output};
use crate::{errln, out, outln};
use crowfoot::model::Dialect;
use crowfoot::source::{Accept, LoadedSchema};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Structural diff of two schemas and the migration between them: up.sql (OLD -> NEW),
/// down.sql (NEW -> OLD) and a zero-downtime safety report (MG001..MG009) on stderr.
/// Exit 0: no changes; 1: changes; 2: error.
#[derive(clap::Args)]
#[command(
    after_help = "OLD and NEW are .ron projects, .sql scripts or SQLite database files \
                  (imported on the fly; their dialect is detected; objects a skipped statement \
                  names are left out of the migration unless --allow-incomplete). Objects are matched by stable id when both come from \
                  the same project, else by name with rename heuristics (reported with a \
                  confidence). Safety codes: MG001 table drop, MG002 column drop, MG003 type \
                  narrowing, MG004 NOT NULL without default, MG005 index build without \
                  CONCURRENTLY (PostgreSQL), MG006 table rewrite, MG007 foreign key without \
                  NOT VALID (PostgreSQL), MG008 rename breaking old code, MG009 sequence \
                  dropped or renamed (PostgreSQL)."
)]
pub struct DiffArgs {
    old: PathBuf,
    new: PathBuf,
    /// Dialect of the migration (default: NEW's target dialect, or the dialect of a .sql NEW).
    #[arg(long)]
    to: Option<DialectArg>,
    /// Write up.sql here (default: stdout, unless --json).
    #[arg(short, long, value_name = "UP.sql")]
    output: Option<PathBuf>,
    /// Write down.sql (the reverse migration) here.
    #[arg(long, value_name = "DOWN.sql")]
    down: Option<PathBuf>,
    /// PostgreSQL: CREATE INDEX CONCURRENTLY on existing tables (the script is then not
    /// wrapped in a transaction).
    #[arg(long)]
    concurrently: bool,
    /// PostgreSQL: add foreign keys to existing tables NOT VALID, then VALIDATE CONSTRAINT.
    #[arg(long)]
    fk_not_valid: bool,
    /// JSON on stdout: {"diff": {...}, "up": {sql, safety, warnings}, "down": {...}}.
    #[arg(long)]
    json: bool,
    /// The value existing rows get in a NOT NULL column added without a default, as SQL of
    /// the target dialect: `--fill 'orders.status='\''new'\'''` (repeatable; the column keeps
    /// no default afterwards).
    #[arg(long = "fill", value_name = "TABLE.COLUMN=SQL")]
    fills: Vec<String>,
    /// Reproduce the model's column order: PostgreSQL rebuilds a table whose new columns are
    /// not last, MySQL places them with AFTER/FIRST (MG006). By default new columns are
    /// appended and the difference is a warning.
    #[arg(long)]
    exact_column_order: bool,
    /// Diff scripts whose import skipped statements as they were imported: what a skipped
    /// statement defines may then be dropped (by default it is left out of the migration).
    #[arg(long)]
    allow_incomplete: bool,
}

/// A schema to diff: a project file, or a script or SQLite database file imported on the fly
/// (`crowfoot::source`, which the studio's Compare reads with too), with its dialect and its
/// import report, whose skipped and partial statements are printed on stderr.
fn load_schema(path: &Path) -> Result<LoadedSchema, ExitCode> {
    let s = crowfoot::source::load_schema(path, Accept::Files).map_err(fail)?;
    for n in crowfoot::sql::incomplete::incomplete_notes(&s.report) {
        errln!("{}:{n}", path.display());
    }
    Ok(s)
}

pub fn run(a: DiffArgs) -> Result<ExitCode, ExitCode> {
    refuse_onto_input(a.output.as_deref(), &[&a.old, &a.new])?;
    refuse_onto_input(a.down.as_deref(), &[&a.old, &a.new])?;
    if let (Some(up), Some(down)) = (&a.output, &a.down)
        && (up == down || same_file(up, down))
    {
        errln!(
            "error: {}: up.sql and down.sql are the same file",
            up.display()
        );
        return Err(ExitCode::from(2));
    }
    let LoadedSchema {
        project: mut o,
        dialect: od,
        report: old_report,
    } = load_schema(&a.old)?;
    let LoadedSchema {
        project: mut n,
        dialect: nd,
        report: new_report,
    } = load_schema(&a.new)?;
    let skipped = |r: &[crowfoot::sql::import::ImportNote]| {
        crowfoot::sql::incomplete::incomplete_notes(r).count()
    };
    let (old_skipped, new_skipped) = (skipped(&old_report), skipped(&new_report));
    if old_skipped + new_skipped > 0 {
        let sides: Vec<String> = [(&a.old, old_skipped), (&a.new, new_skipped)]
            .iter()
            .filter(|(_, k)| *k > 0)
            .map(|(p, k)| format!("{}: {k}", p.display()))
            .collect();
        errln!(
            "warning: the import is incomplete (statements skipped or partly imported: {})",
            sides.join(", ")
        );
        if a.allow_incomplete {
            errln!(
                "warning: --allow-incomplete: what those statements define may be dropped or \
                 altered by this migration"
            );
        } else {
            let aside =
                crowfoot::sql::incomplete::set_aside(&mut o, &mut n, &old_report, &new_report);
            if !aside.is_empty() {
                errln!(
                    "warning: left out of the migration (named by those statements, so never \
                     dropped or altered; --allow-incomplete to diff them as imported): {}",
                    aside.join(", ")
                );
            }
        }
    }
    let mut opts = crowfoot::sql::migrate::MigrationOptions {
        concurrent_indexes: a.concurrently,
        fk_not_valid: a.fk_not_valid,
        match_mode: None,
        exact_column_order: a.exact_column_order,
    };
    if od.is_some() || nd.is_some() {
        // Imported on the fly: fresh ids, equal only by chance.
        opts.match_mode = Some(crowfoot::sql::diff::MatchMode::Names);
    }
    let d =
        a.to.map(Dialect::from)
            .or(nd)
            .unwrap_or(n.settings().target_dialect);
    if !crowfoot::sql::dialect::rules(d).migrations() {
        errln!(
            "error: migrations are rendered for postgres, mysql and sqlite (not {} yet)",
            d.cli_name()
        );
        return Err(ExitCode::from(2));
    }
    let mut fills = crowfoot::sql::migrate::Fills::new();
    for f in &a.fills {
        let parsed = f.split_once('=').and_then(|(target, sql)| {
            let (table, column) = target.rsplit_once('.')?;
            Some((table.trim(), column.trim(), sql.trim()))
        });
        let Some((table, column, sql)) =
            parsed.filter(|(t, c, e)| !t.is_empty() && !c.is_empty() && !e.is_empty())
        else {
            errln!("error: --fill {f}: expected TABLE.COLUMN=SQL");
            return Err(ExitCode::from(2));
        };
        if let Err(e) = crowfoot::model::sql_text::check_expression(sql) {
            errln!("error: --fill {f}: {e}");
            return Err(ExitCode::from(2));
        }
        fills.insert((table.to_string(), column.to_string()), sql.to_string());
    }
    let plan = crowfoot::sql::migrate::plan_with_fills(&o, &n, d, opts, &fills);
    // Every fill must name a NOT NULL column the migration adds.
    for (table, column) in fills.keys() {
        let used = plan.diff.tables_changed.iter().any(|td| {
            n.table(td.new_id).is_some_and(|t| {
                (t.qualified_name() == *table || t.name == *table)
                    && td.columns_added.iter().any(|c| {
                        c.name == *column
                            && t.column(c.id)
                                .is_some_and(|col| !col.nullable && col.default.is_none())
                    })
            })
        });
        if !used {
            errln!(
                "error: --fill {table}.{column}: the migration adds no NOT NULL column {column} \
                 without a default to an existing table {table}"
            );
            return Err(ExitCode::from(2));
        }
    }
    let write = |path: &std::path::Path, text: &str| write_output(path, text.as_bytes());
    if let Some(p) = &a.output {
        write(p, &plan.up.sql)?;
    }
    if let Some(p) = &a.down {
        write(p, &plan.down.sql)?;
    }
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("plans serialize")
        );
    } else {
        for line in plan.diff.summary() {
            errln!("{line}");
        }
        if a.output.is_none() {
            out!("{}", plan.up.sql);
        }
    }
    for w in &plan.up.warnings {
        errln!("warning: {w}");
    }
    for s in &plan.up.safety {
        errln!("{s}");
    }
    Ok(if plan.diff.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
