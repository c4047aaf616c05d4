//! The zero-downtime safety report of one kept table (MG002..MG008 findings).

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn safety_for_table(
    out: &mut Out,
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    td: &TableDiff,
    dialect: Dialect,
    exact_order: bool,
    fills: &Fills,
) {
    let r = rules(dialect);
    let o = old.table(td.old_id).expect("diffed table exists");
    let n = new.table(td.new_id).expect("diffed table exists");
    let _ = d;
    for c in &td.columns_dropped {
        out.issue(
            "MG002",
            format!("{}.{}", o.name, c.name),
            "column dropped: its values are lost, and code still reading it breaks (stop using it in one release, drop it in the next)",
        );
    }
    for rn in &td.column_renames {
        out.issue(
            "MG008",
            format!("{}.{}", n.name, rn.from),
            format!(
                "column renamed to {} (confidence {:.2}): code using the old name breaks; expand/contract: add the new column, dual-write, backfill, switch readers, then drop the old one",
                rn.to, rn.confidence
            ),
        );
    }
    for c in &td.columns_added {
        let col = n.column(c.id).expect("added column exists");
        if needs_fill(col) && fill_for(fills, n, col).is_none() {
            out.issue(
                "MG004",
                format!("{}.{}", n.name, col.name),
                format!(
                    "NOT NULL column added without a default: fails on a table with rows; give the \
                     value existing rows get with --fill '{}.{}=SQL' (or add it nullable, backfill, \
                     then SET NOT NULL; or give it a default)",
                    n.qualified_name(),
                    col.name
                ),
            );
        }
    }
    let mut rewrite = Vec::new();
    for ch in &td.columns_changed {
        let oc = o.column(ch.old_id).expect("changed column exists");
        let nc = n.column(ch.new_id).expect("changed column exists");
        let obj = format!("{}.{}", n.name, nc.name);
        for k in &ch.changes {
            match k {
                ColumnChangeKind::Type { from, to } => {
                    if narrows(&oc.ty, &nc.ty) {
                        out.issue(
                            "MG003",
                            &obj,
                            format!("type narrowed from {from} to {to}: values that do not fit fail the migration or are cut"),
                        );
                    }
                    if !r.type_change_in_place(&oc.ty, &nc.ty) && r.alters_columns() {
                        rewrite.push(format!("type of {} ({from} -> {to})", nc.name));
                    }
                }
                ColumnChangeKind::Nullable {
                    from: true,
                    to: false,
                } if nc.default.is_none() => {
                    out.issue(
                        "MG004",
                        &obj,
                        "NOT NULL added without a default: fails if any row holds NULL, and scans the table under an exclusive lock (PostgreSQL: add a CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL)",
                    );
                }
                _ => {}
            }
        }
    }
    if r.column_positions() && td.column_order_changed && exact_order {
        rewrite.push(
            "column order (kept columns are not moved; new ones go AFTER their neighbour)".into(),
        );
    }
    if !rewrite.is_empty() {
        out.issue(
            "MG006",
            &n.name,
            format!(
                "the table is rewritten under an exclusive lock: {}",
                rewrite.join("; ")
            ),
        );
    }
}
