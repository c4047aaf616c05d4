//! `crowfoot path`: the shortest foreign-key paths between two tables and the JOIN following
//! each (`analysis::explore`).

use super::common::{DialectArg, load};
use crate::{errln, outln};
use crowfoot::analysis::explore;
use crowfoot::model::{Dialect, Project};
use std::path::PathBuf;
use std::process::ExitCode;

/// Shortest foreign-key paths between two tables, as a list, JSON or SQL joins. Exit 0 found,
/// 1 no path, 2 could not run.
#[derive(clap::Args)]
pub struct PathArgs {
    project: PathBuf,
    /// The first table (`name` or `schema.name`).
    from: String,
    /// The last table.
    to: String,
    /// How many paths at most (shortest first).
    #[arg(long, default_value_t = 5)]
    max: usize,
    /// Tables a path may not go through, comma-separated (hubs such as `users,tenants`);
    /// repeatable.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// JSON: {"paths": [{"tables": [...], "fks": [{"name", "from_table", "from_columns",
    /// "to_table", "to_columns"}], "sql": "..."}]}.
    #[arg(long)]
    json: bool,
    /// Print each path as the SELECT ... JOIN that follows it.
    #[arg(long)]
    sql: bool,
    /// Dialect of the SQL (default: the project's target dialect).
    #[arg(long)]
    dialect: Option<DialectArg>,
}

pub fn run(a: PathArgs) -> Result<ExitCode, ExitCode> {
    let p = load(&a.project)?;
    let d = a.dialect.map_or(p.settings().target_dialect, Dialect::from);
    let avoid: Vec<&str> = a.ignore.iter().map(String::as_str).collect();
    let paths = explore::paths_between(&p, &a.from, &a.to, &avoid, a.max).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })?;
    if a.json {
        let v: Vec<serde_json::Value> = paths.iter().map(|x| path_json(&p, x, d)).collect();
        outln!("{}", serde_json::json!({ "paths": v }));
    } else if paths.is_empty() {
        errln!("no foreign-key path from {} to {}", a.from, a.to);
    } else {
        for (i, x) in paths.iter().enumerate() {
            if a.sql {
                outln!("-- path {} ({} joins)", i + 1, x.steps.len());
                outln!("{};\n", explore::join_sql(&p, x, d));
            } else {
                outln!("{}", describe(&p, x));
            }
        }
    }
    Ok(if paths.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `a -[fk]-> b <-[fk]- c`: the tables and the keys between them, arrows pointing at the
/// referenced table.
fn describe(p: &Project, x: &explore::FkPath) -> String {
    let name = |t| p.table(t).map_or_else(String::new, |t| t.qualified_name());
    let mut s = name(x.tables[0]);
    for (i, step) in x.steps.iter().enumerate() {
        let fk = p
            .foreign_key(step.fk)
            .and_then(|f| f.name.clone())
            .unwrap_or_default();
        let label = if fk.is_empty() {
            String::new()
        } else {
            format!("[{fk}]")
        };
        if step.forward {
            s.push_str(&format!(" -{label}-> "));
        } else {
            s.push_str(&format!(" <-{label}- "));
        }
        s.push_str(&name(x.tables[i + 1]));
    }
    s
}

fn path_json(p: &Project, x: &explore::FkPath, d: Dialect) -> serde_json::Value {
    let name = |t| p.table(t).map_or_else(String::new, |t| t.qualified_name());
    let fks: Vec<serde_json::Value> = x
        .steps
        .iter()
        .filter_map(|s| p.foreign_key(s.fk))
        .map(|fk| {
            let cols = |t, cs: &[crowfoot::model::ColumnId]| -> Vec<String> {
                let table = p.table(t);
                cs.iter()
                    .map(|c| table.map_or_else(String::new, |t| t.column_name(*c)))
                    .collect()
            };
            serde_json::json!({
                "name": fk.name,
                "from_table": name(fk.from_table),
                "from_columns": cols(fk.from_table, &fk.from_columns),
                "to_table": name(fk.to_table),
                "to_columns": cols(fk.to_table, &fk.to_columns),
            })
        })
        .collect();
    serde_json::json!({
        "tables": x.tables.iter().map(|t| name(*t)).collect::<Vec<_>>(),
        "fks": fks,
        "sql": explore::join_sql(p, x, d),
    })
}
