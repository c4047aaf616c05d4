//! Applying a decomposition to the model: one table becomes several, joined by foreign keys,
//! as one undoable [`Command`]. The studio's "Decompose (3NF)" / "Decompose (BCNF)" buttons
//! show a [`Plan`] as a preview and apply [`Plan::command`].
//!
//! What a decomposition keeps:
//! - The component holding the primary key (else a candidate key of the whole table) stays the
//!   original table: same id, name, position, comment, so foreign keys pointing at its key keep
//!   working. Its columns outside that component are removed.
//! - Every other component becomes a new table named after its key (`customer_id` →
//!   `customers`), with copies of its columns (type, nullability, default, comment, tags) and
//!   its key as primary key; a foreign key joins a component that holds that key (the original
//!   table first) to it. Shared key columns lose identity and generated expressions in the new
//!   table: they now hold copies of values.
//! - Unique constraints, indexes, checks and declared dependencies follow the component that
//!   holds all their columns; foreign keys from or to the table follow their columns. Whatever
//!   no single component holds is dropped and listed in [`Plan::notes`].
//! - New tables are placed to the right of the original, below one another, clear of other
//!   cards.

use super::attrs::AttrSet;
use super::fd::FdSet;
use super::report::{Options, table_analysis};
use crate::diagram::geometry::card_size;
use crate::model::{
    CheckConstraint, Column, ColumnId, Command, ConstraintId, Dependency, ForeignKey, ForeignKeyId,
    IndexId, IndexTarget, Position, PrimaryKey, Project, Table, TableId,
};
use std::collections::{BTreeMap, BTreeSet};

/// Which decomposition to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Bernstein's 3NF synthesis: lossless and dependency-preserving.
    Synthesis3nf,
    /// BCNF decomposition: lossless, may lose dependencies.
    Bcnf,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::Synthesis3nf => "3NF",
            Method::Bcnf => "BCNF",
        }
    }
}

/// One table of the result.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedTable {
    /// The original table (kept, shrunk) or a new one.
    pub existing: Option<TableId>,
    pub name: String,
    /// Column positions in the original table, in its order.
    pub columns: Vec<usize>,
    /// Key (primary key of the result), positions in the original table.
    pub key: Vec<usize>,
}

/// A decomposition of one table, ready to preview and apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub table: TableId,
    pub method: Method,
    /// Column names of the original table (for display).
    pub column_names: Vec<String>,
    /// The kept table first, then the new ones.
    pub tables: Vec<PlannedTable>,
    /// Foreign keys between the results: (from result index, to result index, key positions).
    pub links: Vec<(usize, usize, Vec<usize>)>,
    pub lossless: bool,
    /// Dependencies no longer enforced by the keys of single tables (`A -> B` texts).
    pub lost: Vec<String>,
    /// What else changes: constraints dropped, foreign keys moved or dropped, ...
    pub notes: Vec<String>,
}

impl Plan {
    /// Nothing to do: the table is already in the form asked for.
    pub fn is_noop(&self) -> bool {
        self.tables.len() < 2
    }

    /// One line per result table: `customers(customer_id PK, customer_email)`.
    pub fn describe(&self) -> Vec<String> {
        self.tables
            .iter()
            .map(|t| {
                let cols: Vec<String> = t
                    .columns
                    .iter()
                    .map(|&c| {
                        let n = &self.column_names[c];
                        if t.key.contains(&c) {
                            format!("{n} PK")
                        } else {
                            n.clone()
                        }
                    })
                    .collect();
                let tag = if t.existing.is_some() { " (kept)" } else { "" };
                format!("{}({}){tag}", t.name, cols.join(", "))
            })
            .collect()
    }

    /// The foreign keys the decomposition adds, as text.
    pub fn describe_links(&self) -> Vec<String> {
        self.links
            .iter()
            .map(|(from, to, key)| {
                let cols: Vec<&str> = key.iter().map(|&c| self.column_names[c].as_str()).collect();
                format!(
                    "{}({}) → {}({})",
                    self.tables[*from].name,
                    cols.join(", "),
                    self.tables[*to].name,
                    cols.join(", ")
                )
            })
            .collect()
    }

    /// Build the command (allocating ids in `p`). Returns it with the ids of the new tables.
    pub fn command(&self, p: &Project) -> Result<(Command, Vec<TableId>), String> {
        build_command(self, p)
    }
}

/// Plan the 3NF or BCNF decomposition of `table` from its keys and declared dependencies.
pub fn plan(p: &Project, table: TableId, method: Method) -> Result<Plan, String> {
    let t = p.table(table).ok_or("no such table")?;
    let (a, _) = table_analysis(t, &[], &Options::default()).map_err(|e| e.to_string())?;
    let d = match method {
        Method::Synthesis3nf => &a.synthesis,
        Method::Bcnf => &a.bcnf,
    };
    let n = t.columns.len();
    let f = &a.fds;
    let pk: Option<AttrSet> = t.primary_key.as_ref().and_then(|k| {
        let idx: Option<Vec<usize>> = k.columns.iter().map(|c| t.column_index(*c)).collect();
        idx.map(|i| AttrSet::from_indices(n, i))
    });
    // The component that stays the original table.
    let kept = d
        .components
        .iter()
        .position(|c| pk.as_ref().is_some_and(|k| !k.is_empty() && k.is_subset(c)))
        .or_else(|| d.components.iter().position(|c| f.is_superkey(c)))
        .unwrap_or(0);
    let mut order: Vec<usize> = vec![kept];
    order.extend((0..d.components.len()).filter(|&i| i != kept));
    let mut names: BTreeSet<String> = p
        .tables()
        .filter(|x| x.schema == t.schema && x.id != t.id)
        .map(|x| x.name.to_lowercase())
        .collect();
    names.insert(t.name.to_lowercase());
    let mut tables = Vec::new();
    for (k, &ci) in order.iter().enumerate() {
        let comp = &d.components[ci];
        let key = match (&pk, k) {
            (Some(pk), 0) if pk.is_subset(comp) && !pk.is_empty() => pk.clone(),
            _ => component_key(f, comp),
        };
        let name = if k == 0 {
            t.name.clone()
        } else {
            let cols: Vec<&str> = key.iter().map(|c| t.columns[c].name.as_str()).collect();
            unique_name(&table_name_for(&t.name, &cols), &mut names)
        };
        tables.push(PlannedTable {
            existing: (k == 0).then_some(t.id),
            name,
            columns: comp.to_vec(),
            key: key.to_vec(),
        });
    }
    // Join each new table to a result that holds its key, the kept table first.
    let mut links = Vec::new();
    let mut notes = Vec::new();
    for i in 1..tables.len() {
        let key: BTreeSet<usize> = tables[i].key.iter().copied().collect();
        let holder = (0..tables.len())
            .filter(|&j| j != i)
            .find(|&j| key.iter().all(|c| tables[j].columns.contains(c)));
        match holder {
            Some(j) => links.push((j, i, tables[i].key.clone())),
            None => notes.push(format!(
                "{} is not referenced: no other table holds its key",
                tables[i].name
            )),
        }
    }
    let lost = d.lost.iter().map(|fd| fd.display(&a.schema)).collect();
    let mut plan = Plan {
        table,
        method,
        column_names: t.columns.iter().map(|c| c.name.clone()).collect(),
        tables,
        links,
        lossless: d.lossless,
        lost,
        notes,
    };
    if !plan.is_noop() {
        // Dry run for the notes about constraints and foreign keys (ids from a scratch copy).
        let scratch = p.clone();
        let (notes, _) = distribute(&plan, &scratch)?;
        plan.notes.extend(notes.notes);
    }
    Ok(plan)
}

/// A candidate key of the component `r` (under `f` projected onto it), keeping the earliest
/// columns: attributes are dropped from the last one backwards while the rest still
/// determines `r`.
fn component_key(f: &FdSet, r: &AttrSet) -> AttrSet {
    let mut k = r.clone();
    let attrs = r.to_vec();
    for &a in attrs.iter().rev() {
        let smaller = k.without(a);
        if !smaller.is_empty() && f.is_superkey_of(&smaller, r) {
            k = smaller;
        }
    }
    k
}

/// `customer_id` → `customers`; `country_code` → `countries`... else `orders_a_b`.
fn table_name_for(table: &str, key: &[&str]) -> String {
    if let [one] = key {
        let lower = one.to_lowercase();
        for suffix in ["_id", "_code", "_no", "_key", "id"] {
            if let Some(stem) = lower.strip_suffix(suffix)
                && stem.len() > 1
            {
                let stem = &one[..stem.len()];
                let stem = stem.trim_end_matches('_');
                return plural(stem);
            }
        }
        return plural(one);
    }
    format!("{table}_{}", key.join("_"))
}

fn plural(s: &str) -> String {
    let lower = s.to_lowercase();
    if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{s}es")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
    {
        format!("{}ies", &s[..s.len() - 1])
    } else {
        format!("{s}s")
    }
}

fn unique_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// Column names an expression mentions (word match, case-insensitive).
fn mentioned(expr: &str, t: &Table) -> Vec<usize> {
    let lower = expr.to_lowercase();
    t.columns
        .iter()
        .enumerate()
        .filter(|(_, c)| crate::sql::dialect::util::contains_word(&lower, &c.name.to_lowercase()))
        .map(|(i, _)| i)
        .collect()
}

struct Distributed {
    notes: Vec<String>,
}

/// The new tables (with constraints moved in), the shrunk original, and the foreign key
/// changes. Allocates ids in `p`.
fn distribute(plan: &Plan, p: &Project) -> Result<(Distributed, Vec<Command>), String> {
    let t = p.table(plan.table).ok_or("no such table")?.clone();
    let mut notes = Vec::new();
    // Column ids per result: the kept table keeps its ids; new tables get fresh ones.
    let mut col_ids: Vec<BTreeMap<usize, ColumnId>> = Vec::new();
    let mut results: Vec<Table> = Vec::new();
    let kept_cols: BTreeSet<usize> = plan.tables[0].columns.iter().copied().collect();
    let mut next_pos = new_table_positions(p, &t, plan);
    for (ri, pt) in plan.tables.iter().enumerate() {
        let mut ids = BTreeMap::new();
        let mut nt = if ri == 0 {
            let mut k = t.clone();
            k.columns = pt.columns.iter().map(|&c| t.columns[c].clone()).collect();
            for &c in &pt.columns {
                ids.insert(c, t.columns[c].id);
            }
            k.uniques.clear();
            k.indexes.clear();
            k.checks.clear();
            k.dependencies.clear();
            if let Some(s) = &mut k.stats {
                s.columns.retain(|cs| {
                    t.column_index(cs.column)
                        .is_some_and(|i| kept_cols.contains(&i))
                });
            }
            k
        } else {
            let mut nt = Table::new(TableId(p.alloc_id()), pt.name.clone());
            nt.schema = t.schema.clone();
            nt.position = next_pos.remove(0);
            for &c in &pt.columns {
                let mut col: Column = t.columns[c].clone();
                col.id = ColumnId(p.alloc_id());
                if kept_cols.contains(&c)
                    || plan
                        .tables
                        .iter()
                        .skip(1)
                        .filter(|x| x.columns.contains(&c))
                        .count()
                        > 1
                {
                    // A copy of values held elsewhere: no identity, no generated expression.
                    col.identity = None;
                    col.generated = None;
                }
                ids.insert(c, col.id);
                nt.columns.push(col);
            }
            nt
        };
        nt.primary_key = if ri == 0
            && t.primary_key.as_ref().is_some_and(|k| {
                k.columns
                    .iter()
                    .all(|c| t.column_index(*c).is_some_and(|i| pt.columns.contains(&i)))
            }) {
            t.primary_key.clone()
        } else {
            let cols: Vec<ColumnId> = pt.key.iter().map(|c| ids[c]).collect();
            Some(PrimaryKey {
                name: None,
                columns: cols,
            })
        };
        if let Some(pk) = &nt.primary_key {
            for c in &mut nt.columns {
                if pk.columns.contains(&c.id) {
                    c.nullable = false;
                }
            }
        }
        col_ids.push(ids);
        results.push(nt);
    }
    // Which result holds all of these original column positions (the kept table first)?
    let holder = |cols: &[usize]| -> Option<usize> {
        (0..plan.tables.len()).find(|&ri| cols.iter().all(|c| col_ids[ri].contains_key(c)))
    };
    let pos_of = |id: &ColumnId| t.column_index(*id);
    for u in &t.uniques {
        let cols: Option<Vec<usize>> = u.columns.iter().map(pos_of).collect();
        match cols.as_deref().and_then(holder) {
            Some(ri) => {
                let mut u = u.clone();
                if ri > 0 {
                    u.id = ConstraintId(p.alloc_id());
                    notes.push(format!(
                        "unique constraint {} moves to {}",
                        u.name.as_deref().unwrap_or("(unnamed)"),
                        results[ri].name
                    ));
                }
                u.columns = cols.unwrap().iter().map(|c| col_ids[ri][c]).collect();
                results[ri].uniques.push(u);
            }
            None => notes.push(format!(
                "unique constraint {} dropped: its columns end up in different tables",
                u.name.as_deref().unwrap_or("(unnamed)")
            )),
        }
    }
    for ix in &t.indexes {
        let mut cols: Vec<usize> = Vec::new();
        let mut exprs = Vec::new();
        for part in &ix.parts {
            match &part.target {
                IndexTarget::Column(c) => cols.extend(pos_of(c)),
                IndexTarget::Expr(e) => exprs.push(e.clone()),
            }
        }
        cols.extend(ix.include.iter().filter_map(pos_of));
        for e in exprs.iter().chain(ix.where_clause.iter()) {
            cols.extend(mentioned(e, &t));
        }
        match holder(&cols) {
            Some(ri) => {
                let mut ix = ix.clone();
                if ri > 0 {
                    ix.id = IndexId(p.alloc_id());
                    notes.push(format!("index {} moves to {}", ix.name, results[ri].name));
                }
                for part in &mut ix.parts {
                    if let IndexTarget::Column(c) = &mut part.target {
                        *c = col_ids[ri][&pos_of(c).expect("checked")];
                    }
                }
                for c in &mut ix.include {
                    *c = col_ids[ri][&pos_of(c).expect("checked")];
                }
                results[ri].indexes.push(ix);
            }
            None => notes.push(format!(
                "index {} dropped: its columns end up in different tables",
                ix.name
            )),
        }
    }
    for ck in &t.checks {
        let cols = mentioned(&ck.expr, &t);
        match holder(&cols) {
            Some(ri) => {
                let mut ck: CheckConstraint = ck.clone();
                if ri > 0 {
                    ck.id = ConstraintId(p.alloc_id());
                    notes.push(format!(
                        "check {} moves to {}",
                        ck.name.as_deref().unwrap_or(&ck.expr),
                        results[ri].name
                    ));
                }
                results[ri].checks.push(ck);
            }
            None => notes.push(format!(
                "check {} dropped: it uses columns that end up in different tables",
                ck.name.as_deref().unwrap_or(&ck.expr)
            )),
        }
    }
    for dep in &t.dependencies {
        let cols: Option<Vec<usize>> = dep.lhs.iter().chain(&dep.rhs).map(pos_of).collect();
        match cols.as_deref().and_then(holder) {
            Some(ri) => {
                let m = |c: &ColumnId| col_ids[ri][&pos_of(c).expect("checked")];
                results[ri].dependencies.push(Dependency {
                    lhs: dep.lhs.iter().map(m).collect(),
                    rhs: dep.rhs.iter().map(m).collect(),
                    multivalued: dep.multivalued,
                    note: dep.note.clone(),
                });
            }
            None => {
                let names = |v: &[ColumnId]| {
                    v.iter()
                        .map(|c| t.column_name(*c).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                notes.push(format!(
                    "declared dependency {} {} {} spans tables: kept as a note only",
                    names(&dep.lhs),
                    if dep.multivalued { "->>" } else { "->" },
                    names(&dep.rhs)
                ));
            }
        }
    }
    // Foreign keys from and to the table follow their columns.
    let mut fk_cmds = Vec::new();
    let fks: Vec<ForeignKey> = p
        .foreign_keys()
        .filter(|fk| fk.from_table == t.id || fk.to_table == t.id)
        .cloned()
        .collect();
    for fk in fks {
        let mut nfk = fk.clone();
        let mut ok = true;
        if fk.from_table == t.id {
            let cols: Option<Vec<usize>> = fk.from_columns.iter().map(pos_of).collect();
            match cols.as_deref().and_then(holder) {
                Some(ri) => {
                    nfk.from_table = results[ri].id;
                    nfk.from_columns = cols.unwrap().iter().map(|c| col_ids[ri][c]).collect();
                }
                None => ok = false,
            }
        }
        if fk.to_table == t.id {
            let target: Vec<ColumnId> = fk.target_columns(&t).to_vec();
            let cols: Option<Vec<usize>> = target.iter().map(pos_of).collect();
            // The referenced columns must stay a key of the table they end up in.
            let found = cols.as_deref().and_then(|cols| {
                (0..plan.tables.len()).find(|&ri| {
                    let mut a: Vec<usize> = cols.to_vec();
                    let mut b = plan.tables[ri].key.clone();
                    a.sort_unstable();
                    b.sort_unstable();
                    a == b || (ri == 0 && cols.iter().all(|c| col_ids[0].contains_key(c)))
                })
            });
            match found {
                Some(ri) => {
                    nfk.to_table = results[ri].id;
                    if ri > 0 || !fk.to_columns.is_empty() {
                        nfk.to_columns = cols.unwrap().iter().map(|c| col_ids[ri][c]).collect();
                    }
                }
                None => ok = false,
            }
        }
        let label = fk.name.clone().unwrap_or_else(|| {
            let from = p
                .table(fk.from_table)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            let to = p
                .table(fk.to_table)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            format!("{from} → {to}")
        });
        if !ok {
            notes.push(format!(
                "foreign key {label} dropped: its columns end up in different tables"
            ));
            fk_cmds.push(Command::RemoveForeignKey(fk.id));
        } else if nfk != fk {
            let moved_to = if nfk.from_table != fk.from_table {
                &results[results.iter().position(|r| r.id == nfk.from_table).unwrap()].name
            } else {
                &results[results.iter().position(|r| r.id == nfk.to_table).unwrap()].name
            };
            notes.push(format!("foreign key {label} moves to {moved_to}"));
            fk_cmds.push(Command::UpdateForeignKey(Box::new(nfk)));
        }
    }
    // Assemble: new tables, foreign key moves, the shrunk original, then the joining keys.
    let mut cmds: Vec<Command> = Vec::new();
    let mut results = results.into_iter();
    let kept = results.next().expect("the kept table");
    let new: Vec<Table> = results.collect();
    for nt in &new {
        cmds.push(Command::AddTable(Box::new(nt.clone())));
    }
    cmds.extend(fk_cmds);
    cmds.push(Command::ReplaceTable(Box::new(kept.clone())));
    let id_of = |ri: usize| if ri == 0 { kept.id } else { new[ri - 1].id };
    for (from, to, key) in &plan.links {
        cmds.push(Command::AddForeignKey(Box::new(ForeignKey {
            id: ForeignKeyId(p.alloc_id()),
            name: None,
            from_table: id_of(*from),
            from_columns: key.iter().map(|c| col_ids[*from][c]).collect(),
            to_table: id_of(*to),
            to_columns: key.iter().map(|c| col_ids[*to][c]).collect(),
            on_delete: Default::default(),
            on_update: Default::default(),
            deferrable: Default::default(),
        })));
    }
    Ok((Distributed { notes }, cmds))
}

/// Positions for the new tables: a column to the right of the original, top-aligned with it,
/// each below the previous, moved down past any other card they would overlap.
fn new_table_positions(p: &Project, t: &Table, plan: &Plan) -> Vec<Position> {
    const GAP: f32 = 40.0;
    let [w, _] = card_size(t, p);
    let x = t.position.x + w + 2.0 * GAP;
    let mut y = t.position.y;
    let others: Vec<([f32; 2], [f32; 2])> = p
        .tables()
        .filter(|o| o.id != t.id)
        .map(|o| {
            let [ow, oh] = card_size(o, p);
            (
                [o.position.x, o.position.y],
                [o.position.x + ow, o.position.y + oh],
            )
        })
        .collect();
    let mut out = Vec::new();
    for pt in plan.tables.iter().skip(1) {
        let h = crate::diagram::geometry::card_height(pt.columns.len());
        let cw = crate::diagram::geometry::MAX_W;
        // Move down until clear (bounded, so a crowded canvas still terminates).
        for _ in 0..1000 {
            let hit = others.iter().find(|(a, b)| {
                x < b[0] + GAP && x + cw + GAP > a[0] && y < b[1] + GAP && y + h + GAP > a[1]
            });
            match hit {
                Some((_, b)) => y = b[1] + GAP,
                None => break,
            }
        }
        out.push(Position { x, y });
        y += h + GAP;
    }
    out
}

fn build_command(plan: &Plan, p: &Project) -> Result<(Command, Vec<TableId>), String> {
    if plan.is_noop() {
        return Err(format!(
            "the table is already in {}: nothing to decompose",
            plan.method.label()
        ));
    }
    let (_, cmds) = distribute(plan, p)?;
    let new_ids = cmds
        .iter()
        .filter_map(|c| match c {
            Command::AddTable(t) => Some(t.id),
            _ => None,
        })
        .collect();
    let name = p
        .table(plan.table)
        .map(|t| t.name.clone())
        .unwrap_or_default();
    Ok((
        Command::Named {
            label: format!("Decompose {name} ({})", plan.method.label()),
            command: Box::new(Command::Batch(cmds)),
        },
        new_ids,
    ))
}

/// Parse `A, B -> C` (or `->>`) over a table's column names into a declared [`Dependency`].
/// Errors carry the 1-based character column of the problem.
pub fn parse_declared(t: &Table, text: &str) -> Result<Dependency, super::parse::ParseError> {
    let schema = super::Schema::new(t.columns.iter().map(|c| c.name.clone())).map_err(|m| {
        super::parse::ParseError {
            column: 1,
            message: m,
        }
    })?;
    let (lhs, rhs, multivalued) = match super::parse::parse_dependency(&schema, text)? {
        super::parse::Dependency::Fd(f) => (f.lhs, f.rhs, false),
        super::parse::Dependency::Mvd(m) => (m.lhs, m.rhs, true),
    };
    let ids = |s: &AttrSet| s.iter().map(|i| t.columns[i].id).collect::<Vec<_>>();
    let rhs_only: AttrSet = rhs.difference(&lhs);
    if rhs_only.is_empty() {
        return Err(super::parse::ParseError {
            column: text.find("->").map(|i| i + 1).unwrap_or(1),
            message: "trivial dependency: the right side is contained in the left side".into(),
        });
    }
    Ok(Dependency {
        lhs: ids(&lhs),
        rhs: ids(&rhs_only),
        multivalued,
        note: None,
    })
}

/// A declared dependency as text over the table's column names (`customer_id -> email`),
/// names quoted where needed, so [`parse_declared`] reads it back.
pub fn format_declared(t: &Table, d: &Dependency) -> String {
    let side = |v: &[ColumnId]| {
        v.iter()
            .map(|c| super::parse::quote_name(&t.column_name(*c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{} {} {}",
        side(&d.lhs),
        if d.multivalued { "->>" } else { "->" },
        side(&d.rhs)
    )
}

/// A scripted normalization edit (`crowfoot normalize --declare/--undeclare/--decompose`).
#[derive(Clone, Debug, Default)]
pub struct Edit {
    /// `name` or `schema.name`.
    pub table: String,
    pub declare: Vec<String>,
    pub undeclare: Vec<String>,
    pub decompose: Option<Method>,
}

/// Apply `edit` to `p` through model commands; returns what changed, one line each. On error
/// `p` may hold the edits before the failing one (the CLI then saves nothing).
pub fn edit_project(p: &mut Project, edit: &Edit) -> Result<Vec<String>, String> {
    if edit.table.is_empty() {
        return Err("--declare, --undeclare and --decompose need --table".into());
    }
    let id = p
        .tables()
        .find(|t| t.qualified_name() == edit.table)
        .or_else(|| p.tables().find(|t| t.name == edit.table))
        .map(|t| t.id)
        .ok_or_else(|| format!("--table {}: no such table in the project", edit.table))?;
    let mut out = Vec::new();
    let located = |what: &str, text: &str, e: super::parse::ParseError| {
        format!(
            "{what} '{text}', column {}: {}\n  {text}\n  {}",
            e.column,
            e.message,
            " ".repeat(e.column.saturating_sub(1)) + "^"
        )
    };
    let t = p.table(id).expect("found").clone();
    let mut deps = t.dependencies.clone();
    for text in &edit.undeclare {
        let d = parse_declared(&t, text).map_err(|e| located("--undeclare", text, e))?;
        let before = deps.len();
        deps.retain(|x| !(x.lhs == d.lhs && x.rhs == d.rhs && x.multivalued == d.multivalued));
        if deps.len() == before {
            return Err(format!("--undeclare '{text}': not declared on {}", t.name));
        }
        out.push(format!("undeclared {}", format_declared(&t, &d)));
    }
    for text in &edit.declare {
        let d = parse_declared(&t, text).map_err(|e| located("--declare", text, e))?;
        if deps
            .iter()
            .any(|x| x.lhs == d.lhs && x.rhs == d.rhs && x.multivalued == d.multivalued)
        {
            out.push(format!("already declared: {}", format_declared(&t, &d)));
            continue;
        }
        out.push(format!("declared {}", format_declared(&t, &d)));
        deps.push(d);
    }
    if deps != t.dependencies {
        Command::SetDependencies {
            table: id,
            dependencies: deps,
        }
        .apply(p)
        .map_err(|e| e.to_string())?;
    }
    if let Some(method) = edit.decompose {
        let plan = plan(p, id, method)?;
        if plan.is_noop() {
            out.push(format!(
                "{} is already in {}: nothing to decompose",
                t.name,
                method.label()
            ));
        } else {
            out.push(format!("{} decomposition of {}:", method.label(), t.name));
            out.extend(plan.describe().into_iter().map(|l| format!("  table {l}")));
            out.extend(
                plan.describe_links()
                    .into_iter()
                    .map(|l| format!("  foreign key {l}")),
            );
            out.push(format!(
                "  lossless join: {}",
                if plan.lossless { "yes" } else { "NO" }
            ));
            if !plan.lost.is_empty() {
                out.push(format!("  dependencies lost: {}", plan.lost.join("; ")));
            }
            out.extend(plan.notes.iter().map(|n| format!("  note: {n}")));
            let (cmd, _) = plan.command(p)?;
            cmd.apply(p).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}
