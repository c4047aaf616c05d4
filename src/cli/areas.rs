//! `crowfoot areas`: subject areas from the foreign-key graph (`analysis::explore::areas`),
//! listed, or applied to the project as one edit.

use super::common::{fail, load, save};
use crate::{errln, outln};
use crowfoot::analysis::explore::areas::{self, ApplyOptions, AreaOptions};
use crowfoot::diagram::layout::GroupedOptions;
use crowfoot::model::{Project, TableId};
use std::path::PathBuf;
use std::process::ExitCode;

/// Subject areas from the foreign-key graph (Louvain communities, named by their dominant name
/// prefix or most referenced table) and the modularity of the partition; --apply writes them
/// (and with --layout lays the tables out by area) to -o. Exit 0, 2 could not run.
#[derive(clap::Args)]
pub struct AreasArgs {
    project: PathBuf,
    /// Create the areas (and with --layout move the tables) and write the project to -o.
    #[arg(long, requires = "output")]
    apply: bool,
    /// With --apply: lay the tables out, a layered layout inside each area, the areas packed
    /// to 16:10.
    #[arg(long, requires = "apply")]
    layout: bool,
    /// With --apply: remove the project's existing areas first.
    #[arg(long, requires = "apply")]
    replace: bool,
    /// With --apply: the project file to write (the input itself to change it in place; a
    /// .bak keeps what it replaces).
    #[arg(short, long, requires = "apply")]
    output: Option<PathBuf>,
    /// JSON: {"areas": [{"name", "tables": [...]}], "unassigned": [...], "modularity": Q}.
    #[arg(long)]
    json: bool,
    /// Modularity resolution: above 1 gives more and smaller areas, below 1 fewer.
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
}

pub fn run(a: AreasArgs) -> Result<ExitCode, ExitCode> {
    let mut p = load(&a.project)?;
    if !(a.resolution.is_finite() && a.resolution > 0.0) {
        return Err(fail("--resolution must be a positive number"));
    }
    let opts = AreaOptions {
        resolution: a.resolution,
        ..AreaOptions::default()
    };
    let s = areas::suggest_areas(&p, &opts);
    let names = |p: &Project, ts: &[TableId]| -> Vec<String> {
        ts.iter()
            .filter_map(|t| p.table(*t))
            .map(|t| t.qualified_name())
            .collect()
    };
    if a.json {
        let list: Vec<serde_json::Value> = s
            .areas
            .iter()
            .map(|x| serde_json::json!({ "name": x.name, "tables": names(&p, &x.tables) }))
            .collect();
        outln!(
            "{}",
            serde_json::json!({
                "areas": list,
                "unassigned": names(&p, &s.unassigned),
                "modularity": s.modularity,
            })
        );
    } else {
        outln!("{} areas, modularity {:.3}", s.areas.len(), s.modularity);
        for x in &s.areas {
            outln!(
                "{} ({} tables): {}",
                x.name,
                x.tables.len(),
                names(&p, &x.tables).join(", ")
            );
        }
        if !s.unassigned.is_empty() {
            outln!(
                "no area ({} tables): {}",
                s.unassigned.len(),
                names(&p, &s.unassigned).join(", ")
            );
        }
    }
    if let (true, Some(out)) = (a.apply, &a.output) {
        let o = ApplyOptions {
            layout: a.layout.then(GroupedOptions::default),
            replace: a.replace,
        };
        areas::apply_command(&p, &s, &o)
            .apply(&mut p)
            .map_err(|e| fail(format!("{}: {e}", a.project.display())))?;
        save(&p, out)?;
        errln!("saved {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
