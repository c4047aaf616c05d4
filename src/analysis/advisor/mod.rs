//! The workload index advisor (issue 7).
//!
//! Given a project and a workload (SELECT/INSERT/UPDATE/DELETE statements, optional
//! `-- weight: N` comments), the advisor
//!
//! 1. builds an in-memory SQLite database from the project (the SQLite export), writes
//!    `sqlite_stat1` rows from the table estimates and runs `ANALYZE sqlite_schema`;
//! 2. records `EXPLAIN QUERY PLAN` of every statement (the *before* plans);
//! 3. derives candidate indexes from each statement's equality and range predicates, join
//!    conditions, ORDER BY and GROUP BY, plus covering variants, skipping any that equals or
//!    is a left prefix of an existing key (primary key, unique constraint, non-partial index);
//! 4. creates each candidate, re-plans the statements on its table, and keeps it only when
//!    the planner uses it for a table the statement fully scanned before;
//! 5. picks a set greedily by weighted benefit minus write cost, re-evaluating the rest with
//!    the chosen ones created, and reports plans before and after the final set.
//!
//! See `docs/index-advisor.md` for the statistics written, the benefit formula and limits.

mod db;
mod facts;
pub mod pg;
mod workload;

pub use db::{Access, DEFAULT_ROWS, is_full_scan, parse_access, plan, sandbox};
pub use workload::{
    StatementKind, Workload, WorkloadError, WorkloadStatement, parse_pg_stat_statements_csv,
    parse_workload, parse_workload_in,
};

use crate::model::{
    ColumnId, Command, Index, IndexId, IndexPart, IndexTarget, Project, SortOrder, Table, TableId,
};
use db::{Db, quote, rows, rows_per_key};
use facts::Facts;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Plans of one workload statement.
#[derive(Clone, Debug, Serialize)]
pub struct QueryAdvice {
    pub sql: String,
    /// `EXPLAIN QUERY PLAN` lines with the project's indexes only.
    pub plan_before: Vec<String>,
    /// The same with the suggested indexes created too.
    pub plan_after: Vec<String>,
    /// 1-based line of the statement in the workload.
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    pub weight: f64,
    #[serde(skip)]
    pub kind: StatementKind,
}

/// A suggested index.
#[derive(Clone, Debug, Serialize)]
pub struct Suggestion {
    /// The table (`schema.name` when it has a schema).
    pub table: String,
    /// Key columns by name (an expression part as its SQL text); `DESC` appended for
    /// descending parts.
    pub columns: Vec<String>,
    pub unique: bool,
    /// Weighted estimated rows saved per workload run, minus the write cost (see the
    /// module docs and `docs/index-advisor.md`).
    pub benefit: f64,
    #[serde(skip)]
    pub table_id: TableId,
    /// The index to add (id 0 until accepted; name unique in the project as it was).
    #[serde(skip)]
    pub index: Index,
    /// Indexes (into `Advice::queries`) of the statements whose plans use it.
    #[serde(skip)]
    pub serves: Vec<usize>,
    /// The write cost already subtracted from `benefit`.
    #[serde(skip)]
    pub write_cost: f64,
}

/// The advisor's result.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Advice {
    pub queries: Vec<QueryAdvice>,
    /// Best first.
    pub suggested: Vec<Suggestion>,
    /// Workload statements that could not be parsed or planned (the rest were analysed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<WorkloadError>,
    /// Export warnings and tables that could not be created in SQLite.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Parse `workload` and advise on it. Errors only when SQLite itself cannot be used;
/// problems with single statements are in `Advice::errors`.
pub fn advise(p: &Project, workload: &str) -> Result<Advice, String> {
    advise_workload(p, &parse_workload(workload))
}

/// One key part of a candidate: a column, or an expression's SQL text (unqualified).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Col(ColumnId),
    Expr(String),
}

impl Key {
    /// Same part, expressions compared without case, spaces or identifier quotes.
    fn same(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::Col(a), Key::Col(b)) => a == b,
            (Key::Expr(a), Key::Expr(b)) => norm_expr(a) == norm_expr(b),
            _ => false,
        }
    }

    /// The part as the model and the CLI show it: column name or expression text.
    fn text(&self, t: &Table) -> String {
        match self {
            Key::Col(c) => t.column_name(*c),
            Key::Expr(e) => e.clone(),
        }
    }

    /// The part in `CREATE INDEX`.
    fn sql(&self, t: &Table) -> String {
        match self {
            Key::Col(c) => quote(&t.column_name(*c)),
            Key::Expr(e) => e.clone(),
        }
    }
}

fn norm_expr(e: &str) -> String {
    e.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '`' | '[' | ']'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A candidate index: table and key parts (with descending flags).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Cand {
    table: TableId,
    cols: Vec<(Key, bool)>,
}

impl Cand {
    fn keys(&self) -> Vec<Key> {
        self.cols.iter().map(|(k, _)| k.clone()).collect()
    }
}

struct Stmt<'a> {
    ws: &'a WorkloadStatement,
    facts: Facts,
    before: Vec<String>,
    current: Vec<String>,
    /// Plan names fully scanned in the before plan, with their tables.
    scanned: HashMap<String, TableId>,
    /// Estimated rows read per plan name, with the current plan.
    cost: HashMap<String, f64>,
}

/// Estimated cost of one table access, in rows read (see `docs/index-advisor.md`): a full
/// scan reads the table (half when it walks an index, which spares a sort or reads a
/// narrower index); a rowid lookup reads 1; a search reads the rows per key of its equality
/// terms (a quarter of that with a range term), three times that when each row must then
/// be fetched from the table (not covering).
fn access_rows(t: &Table, a: &Access) -> f64 {
    let n = rows(t);
    if a.automatic {
        return n;
    }
    if a.scan {
        return if a.index.is_some() || a.covering {
            n * 0.5
        } else {
            n
        };
    }
    if a.primary_key && a.terms.iter().any(|(c, eq)| *eq && c == "rowid") {
        return 1.0;
    }
    let eqs: Vec<Option<&str>> = a
        .terms
        .iter()
        .filter(|(_, eq)| *eq)
        .map(|(c, _)| Some(c.as_str()))
        .collect();
    let mut r = if eqs.is_empty() {
        n
    } else {
        rows_per_key(t, &eqs)
    };
    if a.terms.iter().any(|(_, eq)| !eq) {
        r *= 0.25;
    }
    if !a.covering {
        r *= 3.0;
    }
    r.max(1.0)
}

fn plan_costs(p: &Project, f: &Facts, plan: &[String]) -> HashMap<String, f64> {
    let mut m: HashMap<String, f64> = HashMap::new();
    for line in plan {
        if let Some(a) = parse_access(line)
            && let Some(t) = f.names.get(&a.name).and_then(|t| p.table(*t))
        {
            *m.entry(a.name.clone()).or_default() += access_rows(t, &a);
        }
    }
    m
}

/// Keys the table already has: primary key (or rowid), unique constraints, indexes. A partial
/// index only serves statements that imply its predicate, so it does not make a plain
/// candidate redundant and is left out.
fn existing_keys(t: &Table) -> Vec<Vec<Key>> {
    let cols = |v: &[ColumnId]| v.iter().map(|c| Key::Col(*c)).collect::<Vec<_>>();
    let mut v = Vec::new();
    if let Some(pk) = &t.primary_key {
        v.push(cols(&pk.columns));
    }
    for u in &t.uniques {
        v.push(cols(&u.columns));
    }
    for i in t.indexes.iter().filter(|i| i.where_clause.is_none()) {
        v.push(
            i.parts
                .iter()
                .map(|p| match &p.target {
                    IndexTarget::Column(c) => Key::Col(*c),
                    IndexTarget::Expr(e) => Key::Expr(e.clone()),
                })
                .collect(),
        );
    }
    v
}

/// Whether `cols` equals or is a left prefix of one of `keys`.
fn covered_by(cols: &[Key], keys: &[Vec<Key>]) -> bool {
    keys.iter()
        .any(|k| k.len() >= cols.len() && k.iter().zip(cols).all(|(a, b)| a.same(b)))
}

/// Candidates from the facts of one statement.
fn candidates(p: &Project, f: &Facts, out: &mut BTreeSet<Cand>) {
    for u in &f.usages {
        let Some(t) = u.table.and_then(|t| p.table(t)) else {
            continue;
        };
        let keys = existing_keys(t);
        let mut eq = u.eq.clone();
        // Most selective first (stable: ties keep the order met).
        eq.sort_by(|a, b| {
            let da = db::distinct(t, Some(&t.column_name(*a)));
            let db_ = db::distinct(t, Some(&t.column_name(*b)));
            db_.partial_cmp(&da).unwrap_or(std::cmp::Ordering::Equal)
        });
        let asc = |v: &[ColumnId]| v.iter().map(|c| (*c, false)).collect::<Vec<_>>();
        let mut keys_new: Vec<Vec<(ColumnId, bool)>> = Vec::new();
        for e in &eq {
            keys_new.push(vec![(*e, false)]);
        }
        if eq.len() > 1 {
            keys_new.push(asc(&eq));
        }
        for r in &u.range {
            if !eq.contains(r) {
                let mut k = asc(&eq);
                k.push((*r, false));
                keys_new.push(k);
            }
        }
        if !u.order.is_empty() {
            let all_desc = u.order.iter().all(|(_, d)| *d);
            let mut k = asc(&eq);
            for (c, d) in &u.order {
                if !eq.contains(c) {
                    k.push((*c, *d && !all_desc));
                }
            }
            keys_new.push(k);
        }
        if !u.group.is_empty() {
            let mut k = asc(&eq);
            for c in &u.group {
                if !eq.contains(c) {
                    k.push((*c, false));
                }
            }
            keys_new.push(k);
        }
        // Covering variants: the other referenced columns appended, when few.
        let mut covering = Vec::new();
        if !u.star {
            for k in &keys_new {
                let extra: Vec<ColumnId> = t
                    .columns
                    .iter()
                    .map(|c| c.id)
                    .filter(|c| u.refs.contains(c) && !k.iter().any(|(kc, _)| kc == c))
                    .collect();
                if !extra.is_empty() && extra.len() <= 3 && k.len() + extra.len() <= 6 {
                    let mut kk = k.clone();
                    kk.extend(extra.into_iter().map(|c| (c, false)));
                    covering.push(kk);
                }
            }
        }
        keys_new.extend(covering);
        let mut parts: Vec<Vec<(Key, bool)>> = keys_new
            .into_iter()
            .map(|k| k.into_iter().map(|(c, d)| (Key::Col(c), d)).collect())
            .collect();
        // Expressions compared for equality (`lower(email) = ?`), each alone.
        for e in &u.eq_exprs {
            parts.push(vec![(Key::Expr(e.clone()), false)]);
        }
        for k in parts {
            if k.is_empty() {
                continue;
            }
            let ids: Vec<Key> = k.iter().map(|(c, _)| c.clone()).collect();
            let distinct_ids: HashSet<&Key> = ids.iter().collect();
            if distinct_ids.len() != ids.len() || covered_by(&ids, &keys) {
                continue;
            }
            out.insert(Cand {
                table: t.id,
                cols: k,
            });
        }
    }
}

/// Write cost of an index on `t` over `cols` (see `docs/index-advisor.md`): every weighted
/// INSERT or DELETE on the table, and every UPDATE assigning one of the columns (any UPDATE
/// for an expression part), pays a
/// B-tree descent in the index (1 + log2 rows). A write-heavy table is assumed to take ten
/// writes per weighted statement reading it, on top of the workload's own writes.
fn write_cost(t: &Table, cols: &[Key], stmts: &[Stmt]) -> f64 {
    let mut w = 0.0;
    let mut reads = 0.0;
    for s in stmts {
        if let Some((tid, assigned)) = &s.facts.written
            && *tid == t.id
        {
            let counts = match (s.ws.kind, assigned) {
                // An expression may read any column: every UPDATE counts.
                (StatementKind::Update, Some(a)) => cols.iter().any(|k| match k {
                    Key::Col(c) => a.contains(c),
                    Key::Expr(_) => true,
                }),
                _ => true,
            };
            if counts {
                w += s.ws.weight;
            }
        } else if s.facts.usages.iter().any(|u| u.table == Some(t.id)) {
            reads += s.ws.weight;
        }
    }
    if t.stats.as_ref().is_some_and(|s| s.write_heavy) {
        w += 10.0 * reads;
    }
    w * (1.0 + (rows(t) + 1.0).log2())
}

fn create_sql(p: &Project, name: &str, c: &Cand) -> Option<String> {
    let t = p.table(c.table)?;
    let cols: Vec<String> = c
        .cols
        .iter()
        .map(|(k, desc)| {
            let q = k.sql(t);
            if *desc { format!("{q} DESC") } else { q }
        })
        .collect();
    Some(format!(
        "CREATE INDEX {} ON {} ({})",
        quote(name),
        quote(&t.name),
        cols.join(", ")
    ))
}

/// Result of trying one candidate.
#[derive(Clone, Debug, Default)]
struct Eval {
    benefit: f64,
    served: Vec<usize>,
}

struct Advisor<'a> {
    p: &'a Project,
    db: Db,
    stmts: Vec<Stmt<'a>>,
    /// Statements reading or writing each table.
    by_table: HashMap<TableId, Vec<usize>>,
}

impl<'a> Advisor<'a> {
    fn create(&self, name: &str, c: &Cand) -> Result<(), String> {
        let t = self.p.table(c.table).ok_or("table gone")?;
        let sql = create_sql(self.p, name, c).ok_or("table gone")?;
        self.db
            .conn
            .execute_batch(&sql)
            .map_err(|e| e.to_string())?;
        if t.stats.as_ref().and_then(|s| s.rows).is_some() {
            self.db.write_index_stat(t, name, false)?;
            self.db.reload()?;
        }
        Ok(())
    }

    fn drop_index(&self, name: &str) {
        let _ = self.db.conn.execute_batch(&format!(
            "DROP INDEX IF EXISTS {q}; DELETE FROM sqlite_stat1 WHERE idx = '{}';",
            name.replace('\'', "''"),
            q = quote(name)
        ));
    }

    /// Improvement of `plan` over the current one for statement `q`, through index `name`
    /// on `table`: weighted rows saved on accesses that use it and were full scans before.
    fn gain(&self, q: usize, plan: &[String], name: &str, table: TableId) -> f64 {
        let s = &self.stmts[q];
        let Some(t) = self.p.table(table) else {
            return 0.0;
        };
        let mut g = 0.0;
        for line in plan {
            if let Some(a) = parse_access(line)
                && a.index.as_deref() == Some(name)
                && s.scanned.get(&a.name) == Some(&table)
            {
                let now = s.cost.get(&a.name).copied().unwrap_or(rows(t));
                g += s.ws.weight * (now - access_rows(t, &a)).max(0.0);
            }
        }
        g
    }

    fn uses(plan: &[String], name: &str) -> bool {
        plan.iter()
            .filter_map(|l| parse_access(l))
            .any(|a| a.index.as_deref() == Some(name))
    }

    fn evaluate(&self, c: &Cand) -> Eval {
        let name = "crowfoot_advisor_candidate";
        if self.create(name, c).is_err() {
            self.drop_index(name);
            return Eval::default();
        }
        let mut e = Eval::default();
        for &q in self.by_table.get(&c.table).into_iter().flatten() {
            if !self.stmts[q].scanned.values().any(|t| *t == c.table) {
                continue;
            }
            let Ok(plan) = self.db.plan(&self.stmts[q].ws.sql) else {
                continue;
            };
            let g = self.gain(q, &plan, name, c.table);
            if Self::uses(&plan, name) && g > 0.0 {
                e.benefit += g;
                e.served.push(q);
            }
        }
        self.drop_index(name);
        e
    }

    fn replan(&mut self, table: TableId) {
        for &q in self.by_table.get(&table).into_iter().flatten() {
            if let Ok(plan) = self.db.plan(&self.stmts[q].ws.sql) {
                let s = &mut self.stmts[q];
                s.cost = plan_costs(self.p, &s.facts, &plan);
                s.current = plan;
            }
        }
    }
}

/// Advise on an already parsed workload.
pub fn advise_workload(p: &Project, w: &Workload) -> Result<Advice, String> {
    let db = db::build(p)?;
    let mut errors = w.errors.clone();
    let by_name = facts::table_index(p);
    let mut stmts: Vec<Stmt> = Vec::new();
    for ws in &w.statements {
        let f = facts::facts(p, &by_name, &ws.ast);
        match db.plan(&ws.sql) {
            Ok(plan) => {
                let mut scanned = HashMap::new();
                for line in &plan {
                    if let Some(a) = parse_access(line)
                        && is_full_scan(&a)
                        && let Some(t) = f.names.get(&a.name)
                    {
                        scanned.insert(a.name.clone(), *t);
                    }
                }
                let cost = plan_costs(p, &f, &plan);
                stmts.push(Stmt {
                    ws,
                    facts: f,
                    before: plan.clone(),
                    current: plan,
                    scanned,
                    cost,
                });
            }
            Err(e) => errors.push(WorkloadError {
                line: ws.line,
                message: format!("SQLite cannot plan this statement: {e}"),
            }),
        }
    }
    errors.sort_by_key(|e| e.line);
    let by_table = by_table(stmts.iter().map(|s| &s.facts));
    let mut pool = BTreeSet::new();
    for s in &stmts {
        candidates(p, &s.facts, &mut pool);
    }
    pool.retain(|c| !db.missing.contains(&c.table));
    let mut adv = Advisor {
        p,
        db,
        stmts,
        by_table,
    };

    // Greedy choice: best net benefit first, the rest re-evaluated with it created.
    let mut pool: Vec<Cand> = pool.into_iter().collect();
    let mut cache: HashMap<usize, Eval> = HashMap::new();
    let mut chosen: Vec<(Cand, String)> = Vec::new();
    let mut taken_names: HashSet<String> = HashSet::new();
    loop {
        let mut best: Option<(usize, f64)> = None;
        for (i, c) in pool.iter().enumerate() {
            let e = cache.entry(i).or_insert_with(|| adv.evaluate(c));
            if e.served.is_empty() {
                continue;
            }
            let t = p.table(c.table).expect("candidate table");
            let net = e.benefit - write_cost(t, &c.keys(), &adv.stmts);
            if net <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((j, b)) => {
                    net > b * (1.0 + 1e-9)
                        || (net >= b * (1.0 - 1e-9) && c.cols.len() < pool[j].cols.len())
                }
            };
            if better {
                best = Some((i, net));
            }
        }
        let Some((i, _)) = best else {
            break;
        };
        let c = pool[i].clone();
        let t = p.table(c.table).expect("candidate table");
        let name = index_name(p, t, &c.cols, &taken_names);
        taken_names.insert(name.to_lowercase());
        if adv.create(&name, &c).is_err() {
            adv.drop_index(&name);
            cache.insert(i, Eval::default());
            continue;
        }
        adv.replan(c.table);
        let touched: HashSet<usize> = adv
            .by_table
            .get(&c.table)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let ids = c.keys();
        chosen.push((c.clone(), name));
        // Drop the chosen one and its left prefixes; re-evaluate candidates sharing statements.
        let mut next_pool = Vec::new();
        let mut next_cache = HashMap::new();
        for (j, d) in pool.iter().enumerate() {
            let dids = d.keys();
            if j == i || (d.table == c.table && covered_by(&dids, std::slice::from_ref(&ids))) {
                continue;
            }
            let shares = adv
                .by_table
                .get(&d.table)
                .into_iter()
                .flatten()
                .any(|q| touched.contains(q));
            if !shares && let Some(e) = cache.remove(&j) {
                next_cache.insert(next_pool.len(), e);
            }
            next_pool.push(d.clone());
        }
        pool = next_pool;
        cache = next_cache;
    }

    // Keep only indexes the final plans use where a full scan was before.
    loop {
        let unused = chosen.iter().position(|(c, name)| {
            !adv.by_table.get(&c.table).into_iter().flatten().any(|&q| {
                let s = &adv.stmts[q];
                s.current.iter().filter_map(|l| parse_access(l)).any(|a| {
                    a.index.as_deref() == Some(name.as_str())
                        && s.scanned.get(&a.name) == Some(&c.table)
                })
            })
        });
        let Some(k) = unused else { break };
        let (c, name) = chosen.remove(k);
        adv.drop_index(&name);
        let _ = adv.db.reload();
        adv.replan(c.table);
    }

    // Final benefits from the final plans, against the before plans.
    let mut suggested = Vec::new();
    for (c, name) in &chosen {
        let t = p.table(c.table).expect("candidate table");
        let mut benefit = 0.0;
        let mut serves = Vec::new();
        for &q in adv.by_table.get(&c.table).into_iter().flatten() {
            let s = &adv.stmts[q];
            let before = plan_costs(p, &s.facts, &s.before);
            let mut used = false;
            for a in s.current.iter().filter_map(|l| parse_access(l)) {
                if a.index.as_deref() == Some(name.as_str())
                    && s.scanned.get(&a.name) == Some(&c.table)
                {
                    used = true;
                    let b = before.get(&a.name).copied().unwrap_or(rows(t));
                    benefit += s.ws.weight * (b - access_rows(t, &a)).max(0.0);
                }
            }
            if used {
                serves.push(q);
            }
        }
        let wc = write_cost(t, &c.keys(), &adv.stmts);
        let index = Index {
            id: IndexId(0),
            name: name.clone(),
            unique: false,
            parts: index_parts(&c.cols),
            where_clause: None,
            include: Vec::new(),
            method: None,
        };
        suggested.push(Suggestion {
            table: t.qualified_name(),
            columns: c
                .cols
                .iter()
                .map(|(k, desc)| {
                    let n = k.text(t);
                    if *desc { format!("{n} DESC") } else { n }
                })
                .collect(),
            unique: false,
            benefit: ((benefit - wc) * 10.0).round() / 10.0,
            table_id: c.table,
            index,
            serves,
            write_cost: wc,
        });
    }
    suggested.sort_by(|a, b| {
        b.benefit
            .partial_cmp(&a.benefit)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.table.cmp(&b.table))
            .then_with(|| a.columns.cmp(&b.columns))
    });
    let queries = adv
        .stmts
        .iter()
        .map(|s| QueryAdvice {
            sql: s.ws.sql.clone(),
            plan_before: s.before.clone(),
            plan_after: s.current.clone(),
            line: s.ws.line,
            weight: s.ws.weight,
            kind: s.ws.kind,
        })
        .collect();
    let mut warnings = adv.db.warnings.clone();
    for t in &adv.db.missing {
        if let Some(t) = p.table(*t) {
            warnings.push(format!("table {} is not analysed", t.qualified_name()));
        }
    }
    Ok(Advice {
        queries,
        suggested,
        errors,
        warnings,
    })
}

/// For each table, the statements (indexes into the list of `facts`) that read or write it.
fn by_table<'f>(facts: impl Iterator<Item = &'f Facts>) -> HashMap<TableId, Vec<usize>> {
    let mut out: HashMap<TableId, Vec<usize>> = HashMap::new();
    for (i, f) in facts.enumerate() {
        let mut ts = f.tables();
        if let Some((t, _)) = &f.written {
            ts.insert(*t);
        }
        for t in ts {
            out.entry(t).or_default().push(i);
        }
    }
    out
}

/// The name from the project's index pattern (`index_design::index_name_avoiding`), unique
/// among the project's names and `taken` (names chosen earlier in this run).
fn index_name(p: &Project, t: &Table, cols: &[(Key, bool)], taken: &HashSet<String>) -> String {
    crate::analysis::index_design::index_name_avoiding(p, t, &index_parts(cols), false, taken)
}

/// Key parts (with descending flags) as the model's index parts.
fn index_parts(cols: &[(Key, bool)]) -> Vec<IndexPart> {
    cols.iter()
        .map(|(k, desc)| IndexPart {
            target: match k {
                Key::Col(c) => IndexTarget::Column(*c),
                Key::Expr(e) => IndexTarget::Expr(e.clone()),
            },
            order: desc.then_some(SortOrder::Desc),
            prefix: None,
            opclass: None,
        })
        .collect()
}

/// The undoable command adding suggestion `s` to the project (the caller applies it):
/// an `AddIndex` with a fresh id and a name unique among the project's index names.
/// Fails when the table or a column is gone, or the table already has these key columns.
pub fn accept(p: &Project, s: &Suggestion) -> Result<Command, String> {
    accept_index(p, s.table_id, &s.table, &s.columns, &s.index)
}

/// [`accept`] for any advisor's suggested index (`shown`: the table and key parts as the
/// advice printed them).
fn accept_index(
    p: &Project,
    table_id: TableId,
    shown: &str,
    columns: &[String],
    suggested: &Index,
) -> Result<Command, String> {
    let t = p
        .table(table_id)
        .ok_or_else(|| format!("table {shown} no longer exists"))?;
    let mut cols = Vec::new();
    for part in &suggested.parts {
        let k = match &part.target {
            IndexTarget::Column(c) => {
                if t.column(*c).is_none() {
                    return Err(format!(
                        "a column of the suggestion no longer exists in {shown}"
                    ));
                }
                Key::Col(*c)
            }
            IndexTarget::Expr(e) => Key::Expr(e.clone()),
        };
        cols.push((k, part.order == Some(SortOrder::Desc)));
    }
    if cols.is_empty() {
        return Err("the suggestion has no columns".into());
    }
    let ids: Vec<Key> = cols.iter().map(|(k, _)| k.clone()).collect();
    if existing_keys(t)
        .iter()
        .any(|k| k.len() == ids.len() && k.iter().zip(&ids).all(|(a, b)| a.same(b)))
    {
        return Err(format!(
            "{shown} already has a key on ({})",
            columns.join(", ")
        ));
    }
    let name = index_name(p, t, &cols, &HashSet::new());
    let table = t.id;
    let id = IndexId(p.alloc_id());
    if suggested.include.iter().any(|c| t.column(*c).is_none()) {
        return Err(format!(
            "an INCLUDE column of the suggestion no longer exists in {shown}"
        ));
    }
    let index = Index {
        id,
        name,
        ..suggested.clone()
    };
    Ok(Command::AddIndex {
        table,
        index: Box::new(index),
        at: None,
    })
}
