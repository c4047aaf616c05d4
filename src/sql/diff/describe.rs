//! Short descriptions of constraints and keys, as the diff names them.

use super::*;

pub(super) fn unique_desc(t: &Table, u: &UniqueConstraint) -> String {
    u.name.clone().unwrap_or_else(|| {
        format!(
            "unique({})",
            u.columns
                .iter()
                .map(|c| t.column_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

pub(super) fn check_desc(c: &CheckConstraint) -> String {
    c.name
        .clone()
        .unwrap_or_else(|| format!("check({})", c.expr.trim()))
}

/// A foreign key's readable name: `table.name` or `table(cols) -> target`.
pub fn fk_desc(p: &Project, fk: &ForeignKey) -> String {
    let from = p.table(fk.from_table);
    let tname = from.map(|t| t.name.clone()).unwrap_or_default();
    match &fk.name {
        Some(n) => format!("{tname}.{n}"),
        None => {
            let cols = from
                .map(|t| {
                    fk.from_columns
                        .iter()
                        .map(|c| t.column_name(*c))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let to = p
                .table(fk.to_table)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            format!("{tname}({cols}) -> {to}")
        }
    }
}

pub(super) fn same_name(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    }
}

pub(super) fn norm_expr(e: &str) -> String {
    e.split_whitespace().collect::<Vec<_>>().join(" ")
}
