//! `read-model --table T [--join U]…`: a query-side copy of T joined with related tables,
//! kept as the materialized view `T_read`. The join follows foreign keys: to each `--join`
//! table the shortest foreign-key path (find path, `analysis::explore`), by default every
//! table T references. Each row is a row of T (LEFT JOINs) with the joined tables' columns
//! named `{prefix}_{column}` (the prefix is the foreign key's column without `_id`,
//! `customer_id` → `customer_name`, or the table's name); a joined column equal to one already
//! there (the key it joins on) is left out.
//!
//! * PostgreSQL: `CREATE MATERIALIZED VIEW`, with a unique index `T_read_key` over T's key (and
//!   the keys of tables joined one-to-many), so `REFRESH MATERIALIZED VIEW CONCURRENTLY` works;
//! * MySQL/MariaDB and SQL Server: a table filled by the query and a procedure `T_read_refresh`
//!   that fills it again (`sql::ddl` writes materialized views so on engines without them);
//! * SQLite: the table; refreshing is deleting its rows and inserting the query's again.
//!
//! The unique index is extra SQL per dialect (on the table where there are no materialized
//! views).

use super::*;
use crate::analysis::explore::{FkGraph, Step, resolve_table};
use crate::sql::dialect::rules;
use std::collections::BTreeSet;

/// The read model of `table`.
pub(crate) fn view_name(table: &str) -> String {
    derived(table, "_read")
}

/// Its unique index.
fn key_name(table: &str) -> String {
    derived(table, "_read_key")
}

/// A table in the join: the root, or one reached from node `parent` by `step`.
struct Node<'p> {
    table: &'p Table,
    via: Option<(usize, Step)>,
}

pub(super) fn apply(d: &mut Draft, t: &Table, opts: &Options) -> Result<(), String> {
    let name = view_name(&t.name);
    d.free(t.schema.as_deref(), &name)?;
    let nodes = join_tree(d.p, t, &opts.join)?;
    let written_in =
        d.p.settings()
            .expression_dialect
            .unwrap_or(Dialect::Postgres);
    let r = rules(written_in);

    // Aliases: table names when they are distinct, else t1, t2, ...
    let distinct: BTreeSet<&str> = nodes.iter().map(|n| n.table.name.as_str()).collect();
    let alias = |i: usize| {
        if distinct.len() == nodes.len() {
            r.ident(&nodes[i].table.name)
        } else {
            format!("t{}", i + 1)
        }
    };
    // Output column names per (node, column); a join column is named as the column it equals.
    let mut out_names: Vec<Vec<(ColumnId, String)>> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut select: Vec<String> = Vec::new();
    let mut joins: Vec<String> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let mut names: Vec<(ColumnId, String)> = Vec::new();
        // (column here, the parent's column it equals)
        let mut equal: Vec<(ColumnId, ColumnId)> = Vec::new();
        let mut prefix = String::new();
        if let Some((parent, step)) = n.via {
            let fk = d.p.foreign_key(step.fk).expect("a path's keys exist");
            let target = if step.forward {
                n.table
            } else {
                nodes[parent].table
            };
            let to_cols = fk.target_columns(target);
            for (f, to) in fk.from_columns.iter().zip(to_cols) {
                equal.push(if step.forward { (*to, *f) } else { (*f, *to) });
            }
            prefix = match (step.forward, &fk.from_columns[..]) {
                (true, [one]) => {
                    let c = nodes[parent].table.column_name(*one);
                    c.strip_suffix("_id")
                        .filter(|s| !s.is_empty())
                        .unwrap_or(&n.table.name)
                        .to_string()
                }
                _ => n.table.name.clone(),
            };
            let on: Vec<String> = equal
                .iter()
                .map(|(here, there)| {
                    format!(
                        "{}.{} = {}.{}",
                        alias(i),
                        r.ident(&n.table.column_name(*here)),
                        alias(parent),
                        r.ident(&nodes[parent].table.column_name(*there))
                    )
                })
                .collect();
            joins.push(format!(
                "LEFT JOIN {} ON {}",
                table_ref(r, n.table, &alias(i)),
                on.join(" AND ")
            ));
        }
        for c in &n.table.columns {
            if let Some((_, there)) = equal.iter().find(|(here, _)| *here == c.id) {
                let parent = n.via.expect("joined").0;
                let same = out_names[parent]
                    .iter()
                    .find(|(id, _)| id == there)
                    .map(|(_, s)| s.clone())
                    .unwrap_or_default();
                names.push((c.id, same));
                continue;
            }
            let wanted = if n.via.is_none() {
                c.name.clone()
            } else {
                format!("{prefix}_{}", c.name)
            };
            let mut out = wanted.clone();
            let mut k = 2;
            while taken.contains(&out.to_lowercase()) {
                out = format!("{wanted}_{k}");
                k += 1;
            }
            taken.insert(out.to_lowercase());
            let col = format!("{}.{}", alias(i), r.ident(&c.name));
            select.push(if out == c.name {
                col
            } else {
                format!("{col} AS {}", r.ident(&out))
            });
            names.push((c.id, out));
        }
        out_names.push(names);
    }
    let sql = format!(
        "SELECT {}\nFROM {}{}",
        select.join(",\n  "),
        table_ref(r, t, &alias(0)),
        joins.iter().map(|j| format!("\n{j}")).collect::<String>()
    );

    // The view's key: T's, and that of every table joined one-to-many.
    let key: Option<Vec<String>> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.via.is_none_or(|(_, s)| !s.forward))
        .map(|(i, n)| {
            let pk = n.table.primary_key.as_ref()?;
            Some(
                pk.columns
                    .iter()
                    .filter_map(|c| out_names[i].iter().find(|(id, _)| id == c))
                    .map(|(_, s)| s.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect::<Option<Vec<_>>>()
        .map(|v| {
            let mut cols: Vec<String> = Vec::new();
            for c in v.concat() {
                if !cols.contains(&c) {
                    cols.push(c);
                }
            }
            cols
        })
        .filter(|v: &Vec<String>| !v.is_empty());

    let tables: Vec<String> = nodes.iter().map(|n| n.table.name.clone()).collect();
    d.changes.push(format!(
        "+ materialized view {name} ({} columns, from {})",
        taken.len(),
        tables.join(", ")
    ));
    let view = View {
        id: ViewId(d.id()),
        schema: t.schema.clone(),
        name: name.clone(),
        sql,
        materialized: true,
        depends_on: {
            let mut ids: Vec<TableId> = nodes.iter().map(|n| n.table.id).collect();
            ids.sort();
            ids.dedup();
            ids
        },
        comment: Some(format!(
            "Read model of {} joined with {} (crowfoot pattern read-model); refresh it after \
             writes.",
            t.name,
            if tables.len() > 1 {
                tables[1..].join(", ")
            } else {
                "nothing".into()
            }
        )),
    };
    let refresh: Vec<String> = opts
        .dialects
        .iter()
        .map(|x| {
            let how = match x {
                Dialect::Sqlite => "delete its rows and insert the query's again".to_string(),
                _ => crate::sql::ddl::refresh_sql(&view, *x),
            };
            format!("{}: {how}", x.display_name())
        })
        .collect();
    d.cmds.push(Command::PutView(view));
    match &key {
        Some(cols) => {
            let ix = key_name(&t.name);
            if !opts.dialects.is_empty() {
                d.changes.push(format!(
                    "+ unique index {ix} on {name} ({}) ({})",
                    cols.join(", "),
                    opts.dialects
                        .iter()
                        .map(|x| x.display_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            for x in &opts.dialects {
                let r = rules(*x);
                d.cmds.push(Command::PutExtraSql(ExtraSql {
                    id: ExtraSqlId(d.id()),
                    dialect: *x,
                    kind: "index".into(),
                    name: Some(ix.clone()),
                    placement: Placement::AfterTables,
                    search_path: None,
                    sql: format!(
                        "CREATE UNIQUE INDEX {} ON {} ({})",
                        r.ident(&ix),
                        r.qualified(t.schema.as_deref(), &name),
                        cols.iter()
                            .map(|c| r.ident(c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }));
            }
            if opts.dialects.contains(&Dialect::Postgres) {
                d.notes.push(format!(
                    "PostgreSQL can refresh it without blocking readers (the unique index allows \
                     it): REFRESH MATERIALIZED VIEW CONCURRENTLY {}",
                    rules(Dialect::Postgres).qualified(t.schema.as_deref(), &name)
                ));
            }
        }
        None => d.notes.push(format!(
            "no unique key for {name} (a table joined one-to-many has no primary key): \
             PostgreSQL cannot refresh it CONCURRENTLY"
        )),
    }
    d.notes
        .push(format!("refresh after writes; {}", refresh.join("; ")));
    d.notes.push(
        "engines other than PostgreSQL have no materialized views: the export writes a table \
         filled by the query (and a refresh procedure on MySQL/MariaDB and SQL Server)"
            .into(),
    );
    Ok(())
}

/// `FROM`/`JOIN` item: the qualified table, with `AS alias` when that differs.
fn table_ref(r: &dyn crate::sql::dialect::DialectRules, t: &Table, alias: &str) -> String {
    let q = r.qualified(t.schema.as_deref(), &t.name);
    if q == alias {
        q
    } else {
        format!("{q} AS {alias}")
    }
}

/// T and the tables joined to it: the shortest foreign-key path to each of `join`, or (none
/// named) every table T references.
fn join_tree<'p>(p: &'p Project, t: &'p Table, join: &[String]) -> Result<Vec<Node<'p>>, String> {
    let mut nodes = vec![Node {
        table: t,
        via: None,
    }];
    if join.is_empty() {
        let mut fks: Vec<&ForeignKey> = p
            .foreign_keys_from(t.id)
            .into_iter()
            .filter(|f| f.to_table != t.id)
            .collect();
        fks.sort_by_key(|f| f.id);
        for fk in fks {
            if let Some(to) = p.table(fk.to_table) {
                nodes.push(Node {
                    table: to,
                    via: Some((
                        0,
                        Step {
                            fk: fk.id,
                            forward: true,
                        },
                    )),
                });
            }
        }
        if nodes.len() == 1 {
            return Err(format!(
                "`{}` references no other table: name the tables to join (--join)",
                t.name
            ));
        }
        return Ok(nodes);
    }
    let graph = FkGraph::new(p);
    for name in join {
        let to = resolve_table(p, name)?;
        if to == t.id {
            continue;
        }
        let Some(path) = graph.paths(t.id, to, 1, &BTreeSet::new()).pop() else {
            return Err(format!("no foreign-key path from `{}` to `{name}`", t.name));
        };
        let mut at = 0;
        for (k, step) in path.steps.iter().enumerate() {
            let next = path.tables[k + 1];
            if let Some(i) = nodes
                .iter()
                .position(|n| n.via == Some((at, *step)) && n.table.id == next)
            {
                at = i;
                continue;
            }
            nodes.push(Node {
                table: p.table(next).expect("a path's tables exist"),
                via: Some((at, *step)),
            });
            at = nodes.len() - 1;
        }
    }
    Ok(nodes)
}

pub(super) fn remove(d: &mut Draft, t: &Table) {
    let name = view_name(&t.name);
    let ix = key_name(&t.name);
    for x in d.p.extra_sql() {
        if x.kind == "index" && x.name.as_deref() == Some(ix.as_str()) {
            d.remove_extra(x);
        }
    }
    if let Some(v) = d.p.views().find(|v| v.schema == t.schema && v.name == name) {
        d.changes.push(format!("- materialized view {name}"));
        d.cmds.push(Command::RemoveView(v.id));
    }
}
