//! Exploring big schemas (issue 16): foreign-key paths between tables and the JOIN that
//! follows one, a table's neighbourhood as the relationship explorer shows it; subject areas
//! from the foreign-key graph ([`areas`], community detection by [`louvain`]).

pub mod areas;
pub mod louvain;
pub mod neighbourhood;
pub mod path;

pub use neighbourhood::{Focus, Neighbourhood};
pub use path::{Direction, FkGraph, FkPath, Step, join_sql};

use crate::model::{Project, TableId};

/// Up to `max` shortest paths between the tables named `from` and `to` (see [`resolve_table`]),
/// through none of the tables named in `avoid` (trimmed; blank names are skipped). `Err` says which
/// name matches no table, or several.
pub fn paths_between(
    p: &Project,
    from: &str,
    to: &str,
    avoid: &[&str],
    max: usize,
) -> Result<Vec<FkPath>, String> {
    let (a, b) = (resolve_table(p, from)?, resolve_table(p, to)?);
    let mut ignore = std::collections::BTreeSet::new();
    for name in avoid.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        ignore.insert(resolve_table(p, name)?);
    }
    Ok(FkGraph::new(p).paths(a, b, max, &ignore))
}

/// The table a user named: its qualified name (`schema.name`) or bare name exactly, else
/// case-insensitively when that is unambiguous. `Err` says why, with the closest names.
pub fn resolve_table(p: &Project, name: &str) -> Result<TableId, String> {
    let exact: Vec<TableId> = p
        .tables()
        .filter(|t| t.qualified_name() == name)
        .map(|t| t.id)
        .collect();
    if let [one] = exact[..] {
        return Ok(one);
    }
    let tiers: [&dyn Fn(&crate::model::Table) -> bool; 3] = [
        &|t| t.name == name,
        &|t| t.qualified_name().eq_ignore_ascii_case(name),
        &|t| t.name.eq_ignore_ascii_case(name),
    ];
    for tier in tiers {
        let found: Vec<&crate::model::Table> = p.tables().filter(|t| tier(t)).collect();
        match found[..] {
            [one] => return Ok(one.id),
            [] => {}
            _ => {
                let names: Vec<String> = found.iter().map(|t| t.qualified_name()).collect();
                return Err(format!(
                    "`{name}` names {} tables ({}): give the schema",
                    names.len(),
                    names.join(", ")
                ));
            }
        }
    }
    let mut close: Vec<(f64, String)> = p
        .tables()
        .map(|t| {
            let q = t.qualified_name();
            let score = strsim::jaro_winkler(&q.to_lowercase(), &name.to_lowercase()).max(
                strsim::jaro_winkler(&t.name.to_lowercase(), &name.to_lowercase()),
            );
            (score, q)
        })
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let hint = match &close[..] {
        [] => String::new(),
        some => format!(
            "; did you mean {}?",
            some.iter()
                .take(3)
                .map(|(_, n)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(format!("no table `{name}`{hint}"))
}
