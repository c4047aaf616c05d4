//! Index advice from the PostgreSQL planner (issue 17): hypothetical indexes (hypopg), plans
//! before and after as PostgreSQL's own `EXPLAIN (FORMAT JSON)`.
//!
//! Live mode (a URL without `scratch=1`): the database is only read, in a read-only session
//! with timeouts, hypopg already installed there ([`live_session`]). Scratch mode
//! (`postgres://…/db?scratch=1`): a temporary database is created on the server, the
//! project's PostgreSQL DDL loaded into it, every table filled with synthetic rows that
//! follow the estimates ([`fill`]) and analysed. Then, in both
//!
//! 1. every workload statement is explained (the *before* plans and costs); statements with
//!    parameters are prepared and explained with representative values ([`plan`]);
//! 2. candidates come from each statement's equality, range, ORDER BY and GROUP BY columns
//!    and join columns, ordered equality → range → sort, from expressions compared for
//!    equality (`lower(email) = …`), with covering variants both as trailing key columns and
//!    as `INCLUDE` columns; a candidate that an existing key already covers is skipped;
//! 3. each candidate is created as a hypothetical index and the statements on its table are
//!    explained again: it counts only when the planner uses it and the weighted cost of the
//!    statements it serves drops by at least the threshold (default 10 %);
//! 4. a greedy pass keeps the best candidate, leaves it in place (hypothetically) and
//!    evaluates the others again, so that suggestions do not overlap; at the end a
//!    suggestion no final plan uses is dropped.
//!
//! The scratch database is dropped at the end, also after an error, a panic or Ctrl+C.
//! See `docs/index-advisor.md`.

pub mod fill;
pub mod plan;
pub mod server;

pub use fill::FillOptions;
pub use server::{PgTarget, Scratch};

use super::facts::{self, Facts};
use super::workload::{Workload, WorkloadError, WorkloadStatement};
use super::{Cand, Key, candidates, covered_by, index_name};
use crate::model::{ColumnId, Dialect, Index, IndexId, IndexTarget, Project, TableId};
use plan::{Explain, Plan};
use postgres::Client;
use serde::Serialize;
use serde_json::Value;
use server::{cause, ident};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Why the advisor could not run at all (problems with single statements are in
/// [`PgAdvice::errors`]).
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("{0}")]
    Connect(String),
    #[error("{0}")]
    NoHypopg(String),
    #[error("the project does not export cleanly to PostgreSQL: {0}")]
    Export(String),
    #[error("{0}")]
    Server(String),
    #[error("cancelled")]
    Cancelled,
}

/// Progress of a run, readable from another thread (the studio shows it), and a way to stop
/// it: the run checks between steps and ends with [`PgError::Cancelled`] (the scratch
/// database is dropped as on any error).
#[derive(Debug, Default)]
pub struct PgControl {
    cancelled: std::sync::atomic::AtomicBool,
    stage: std::sync::Mutex<String>,
}

impl PgControl {
    pub fn cancel(&self) {
        self.cancelled
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// What the run is doing ("filling 25 tables", "trying candidates: 12 of 40").
    pub fn stage(&self) -> String {
        self.stage.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn set(&self, stage: String) {
        if let Ok(mut s) = self.stage.lock() {
            *s = stage;
        }
    }
}

/// Report `stage` and stop when cancelled.
fn step(opts: &PgOptions, stage: impl FnOnce() -> String) -> Result<(), PgError> {
    if let Some(c) = &opts.control {
        if c.is_cancelled() {
            return Err(PgError::Cancelled);
        }
        c.set(stage());
    }
    Ok(())
}

/// Options of the PostgreSQL advisor.
#[derive(Clone, Debug)]
pub struct PgOptions {
    /// A candidate must lower the weighted cost of the statements it serves by this share.
    pub threshold: f64,
    /// At most this many suggestions.
    pub max_suggestions: usize,
    pub fill: FillOptions,
    /// Only what Dexter (ankane/dexter) proposes: B-tree indexes on one or two plain columns
    /// (no INCLUDE, partial or expression indexes), for the side-by-side comparison in
    /// docs/index-advisor.md. Use with `threshold` 0.5, Dexter's `--min-cost-savings-pct`.
    pub dexter_candidates: bool,
    /// Progress and cancellation, for a run on another thread.
    pub control: Option<std::sync::Arc<PgControl>>,
}

impl PgOptions {
    /// Dexter's documented method on the same machinery: one- and two-column B-tree
    /// candidates, kept when they lower their statements' cost by at least 50 %.
    pub fn dexter() -> Self {
        PgOptions {
            threshold: 0.5,
            dexter_candidates: true,
            ..Default::default()
        }
    }
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            threshold: 0.10,
            max_suggestions: 40,
            fill: FillOptions::default(),
            dexter_candidates: false,
            control: None,
        }
    }
}

/// A workload statement's costs before and after the suggested indexes.
#[derive(Clone, Debug, Serialize)]
pub struct PgQuery {
    pub sql: String,
    pub line: usize,
    pub weight: f64,
    pub cost_before: f64,
    pub cost_after: f64,
}

/// A statement a suggestion serves, with PostgreSQL's plans without and with it.
#[derive(Clone, Debug, Serialize)]
pub struct PgServed {
    pub sql: String,
    pub cost_before: f64,
    pub cost_after: f64,
    pub plan_before: Value,
    pub plan_after: Value,
}

/// A suggested index.
#[derive(Clone, Debug, Serialize)]
pub struct PgSuggestion {
    /// `schema.name` when the table has a schema.
    pub table: String,
    /// Key parts: column names or expressions, `DESC` appended for descending ones.
    pub columns: Vec<String>,
    /// `INCLUDE` columns.
    pub include: Vec<String>,
    /// The partial index's predicate.
    #[serde(rename = "where")]
    pub predicate: Option<String>,
    pub method: String,
    pub unique: bool,
    /// Weighted cost saved per workload run (PostgreSQL cost units).
    pub benefit: f64,
    pub queries: Vec<PgServed>,
    #[serde(skip)]
    pub table_id: TableId,
    /// The index to add (id 0 until accepted).
    #[serde(skip)]
    pub index: Index,
}

/// An existing index no workload plan uses and another key covers: a candidate to drop
/// (reported only; never dropped).
#[derive(Clone, Debug, Serialize)]
pub struct PgDrop {
    pub table: String,
    pub index: String,
    /// The key or index whose leading columns include this one's.
    pub covered_by: String,
}

/// The advisor's result.
#[derive(Clone, Debug, Serialize)]
pub struct PgAdvice {
    pub engine: &'static str,
    pub server_version: String,
    pub queries: Vec<PgQuery>,
    pub suggested: Vec<PgSuggestion>,
    /// Existing indexes no plan uses, covered by another key.
    pub drop: Vec<PgDrop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<WorkloadError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Advise on `workload` (SQL text, `-- weight: N` comments) for `p` on the server of
/// `target`.
pub fn advise_postgres(
    p: &Project,
    workload: &str,
    target: &PgTarget,
    opts: &PgOptions,
) -> Result<PgAdvice, PgError> {
    advise_postgres_workload(p, &parse_workload(workload), target, opts)
}

/// A workload of SQL statements for PostgreSQL: its grammar, with `?` placeholders (as other
/// engines write them) numbered `$1`, `$2`… per statement.
pub fn parse_workload(text: &str) -> Workload {
    super::workload::parse_workload_with(text, &sqlparser::dialect::PostgreSqlDialect {}, |s| {
        plan::number_placeholders(s).0
    })
}

/// [`advise_postgres`] on a parsed workload (e.g. from
/// [`super::parse_pg_stat_statements_csv`]).
pub fn advise_postgres_workload(
    p: &Project,
    w: &Workload,
    target: &PgTarget,
    opts: &PgOptions,
) -> Result<PgAdvice, PgError> {
    let w = w.clone();
    step(opts, || format!("connecting to {}", target.shown))?;
    if !target.scratch {
        let mut c = target.connect()?;
        live_session(&mut c, target)?;
        return advise_on(&mut c, p, &w, opts);
    }
    let mut scratch = Scratch::create(target)?;
    step(opts, || "loading the PostgreSQL export".into())?;
    let mut warnings = load(&mut scratch.client, p)?;
    let seeds = constants(p, &w);
    step(opts, || {
        format!("filling {} tables with synthetic rows", p.table_count())
    })?;
    warnings
        .extend(fill::fill(&mut scratch.client, p, opts.fill, &seeds).map_err(PgError::Server)?);
    let mut advice = advise_on(&mut scratch.client, p, &w, opts)?;
    warnings.append(&mut advice.warnings);
    advice.warnings = warnings;
    Ok(advice)
}

/// The undoable command adding suggestion `s` to the project (an `AddIndex` with a fresh id
/// and a name unique in the project).
pub fn accept(p: &Project, s: &PgSuggestion) -> Result<crate::model::Command, String> {
    super::accept_index(p, s.table_id, &s.table, &s.columns, &s.index)
}

/// The constants the workload compares each column with, for the synthetic rows.
pub fn constants(p: &Project, w: &Workload) -> HashMap<ColumnId, Vec<String>> {
    let by_name = facts::table_index(p);
    let mut out: HashMap<ColumnId, Vec<String>> = HashMap::new();
    for ws in &w.statements {
        for u in facts::facts(p, &by_name, &ws.ast).usages {
            for (c, lit) in u.constants {
                let v = out.entry(c).or_default();
                if !v.contains(&lit) && v.len() < 20 {
                    v.push(lit);
                }
            }
        }
    }
    out
}

/// Make `c` a read-only session on a live database: every transaction read only, statements
/// and lock waits bounded, and hypopg already installed there (creating it would be a
/// write). Hypothetical indexes live in this session's memory only.
pub fn live_session(c: &mut Client, target: &PgTarget) -> Result<(), PgError> {
    c.batch_execute(
        "SET default_transaction_read_only = on; \
         SET statement_timeout = '30s'; \
         SET lock_timeout = '1s'; \
         SET idle_in_transaction_session_timeout = '60s'",
    )
    .map_err(|e| PgError::Server(cause(&e)))?;
    let installed = c
        .query_opt("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'", &[])
        .map_err(|e| PgError::Server(cause(&e)))?
        .is_some();
    if !installed {
        return Err(PgError::NoHypopg(format!(
            "{}: the hypopg extension is not installed in this database; Crowfoot never \
             writes to a live database, so its owner must run CREATE EXTENSION hypopg (or \
             add ?scratch=1 to advise on a scratch copy with synthetic rows)",
            target.shown
        )));
    }
    Ok(())
}

/// Create the project's tables on `c` (its PostgreSQL export); returns the export warnings.
pub fn load(c: &mut Client, p: &Project) -> Result<Vec<String>, PgError> {
    let out = crate::sql::export(p, Dialect::Postgres);
    c.batch_execute(&out.sql)
        .map_err(|e| PgError::Export(cause(&e)))?;
    Ok(out.warnings.iter().map(|w| w.to_string()).collect())
}

/// A candidate: key parts and `INCLUDE` columns.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct PgCand {
    table: TableId,
    cols: Vec<(Key, bool)>,
    include: Vec<ColumnId>,
    /// A partial index's predicate: `"status" = 'open'`.
    predicate: Option<String>,
}

impl PgCand {
    fn keys(&self) -> Vec<Key> {
        self.cols.iter().map(|(k, _)| k.clone()).collect()
    }

    fn width(&self) -> usize {
        self.cols.len() + self.include.len() + usize::from(self.predicate.is_some())
    }
}

struct Stmt<'a> {
    ws: &'a WorkloadStatement,
    facts: Facts,
    explain: Explain,
    before: Plan,
    current: Plan,
}

struct Eval {
    /// Weighted cost saved.
    gain: f64,
    served: Vec<usize>,
}

struct Run<'a, 'c> {
    p: &'a Project,
    c: &'c mut Client,
    stmts: Vec<Stmt<'a>>,
    by_table: HashMap<TableId, Vec<usize>>,
    threshold: f64,
}

/// `CREATE INDEX` text for hypopg (no name: hypopg makes one).
fn create_sql(p: &Project, c: &PgCand) -> Option<String> {
    let t = p.table(c.table)?;
    let parts: Vec<String> = c
        .cols
        .iter()
        .map(|(k, desc)| {
            let s = match k {
                Key::Col(id) => ident(&t.column_name(*id)),
                Key::Expr(e) => format!("({e})"),
            };
            if *desc { format!("{s} DESC") } else { s }
        })
        .collect();
    let include = if c.include.is_empty() {
        String::new()
    } else {
        let cols: Vec<String> = c
            .include
            .iter()
            .map(|id| ident(&t.column_name(*id)))
            .collect();
        format!(" INCLUDE ({})", cols.join(", "))
    };
    let predicate = c
        .predicate
        .as_ref()
        .map(|w| format!(" WHERE {w}"))
        .unwrap_or_default();
    Some(format!(
        "CREATE INDEX ON {} ({}){include}{predicate}",
        fill::relation(t),
        parts.join(", ")
    ))
}

impl Run<'_, '_> {
    /// Create `cand` hypothetically: (oid, the name plans show).
    fn create(&mut self, cand: &PgCand) -> Option<(i64, String)> {
        let sql = create_sql(self.p, cand)?;
        let row = self
            .c
            .query_one(
                "SELECT indexrelid::bigint, indexname::text FROM hypopg_create_index($1)",
                &[&sql],
            )
            .ok()?;
        Some((row.get(0), row.get(1)))
    }

    fn drop_hypothetical(&mut self, oid: i64) {
        let _ = self
            .c
            .execute("SELECT hypopg_drop_index($1::bigint::oid)", &[&oid]);
    }

    fn evaluate(&mut self, cand: &PgCand) -> Eval {
        let mut e = Eval {
            gain: 0.0,
            served: Vec::new(),
        };
        let Some((oid, name)) = self.create(cand) else {
            return e;
        };
        let mut base = 0.0;
        let qs = self.by_table.get(&cand.table).cloned().unwrap_or_default();
        for q in qs {
            let Ok(plan) = plan::explain(self.c, &self.stmts[q].explain) else {
                continue;
            };
            let s = &self.stmts[q];
            if plan.indexes.contains(&name) && plan.cost < s.current.cost * (1.0 - 1e-9) {
                e.gain += s.ws.weight * (s.current.cost - plan.cost);
                base += s.ws.weight * s.current.cost;
                e.served.push(q);
            }
        }
        self.drop_hypothetical(oid);
        if e.gain < self.threshold * base || e.gain <= 0.0 {
            e.served.clear();
            e.gain = 0.0;
        }
        e
    }

    fn replan(&mut self, table: TableId) {
        let qs = self.by_table.get(&table).cloned().unwrap_or_default();
        for q in qs {
            if let Ok(plan) = plan::explain(self.c, &self.stmts[q].explain) {
                self.stmts[q].current = plan;
            }
        }
    }
}

/// Candidates of one statement: the SQLite advisor's (key orders, covering columns appended,
/// expressions), plus the covering ones with the extra columns as `INCLUDE`.
fn pg_candidates(p: &Project, f: &Facts, out: &mut BTreeSet<PgCand>) {
    let mut base = BTreeSet::new();
    candidates(p, f, &mut base);
    for Cand { table, cols } in base {
        if let Some(u) = f.usages.iter().find(|u| u.table == Some(table) && !u.star) {
            let keys: BTreeSet<ColumnId> = cols
                .iter()
                .filter_map(|(k, _)| match k {
                    Key::Col(c) => Some(*c),
                    Key::Expr(_) => None,
                })
                .collect();
            let extra: Vec<ColumnId> = u.refs.difference(&keys).copied().collect();
            if (1..=3).contains(&extra.len()) && cols.len() <= 3 {
                out.insert(PgCand {
                    table,
                    cols: cols.clone(),
                    include: extra,
                    predicate: None,
                });
            }
        }
        out.insert(PgCand {
            table,
            cols,
            include: Vec::new(),
            predicate: None,
        });
    }
    partial_candidates(p, f, out);
}

/// A column name in a partial index's predicate: bare when it is a plain lower-case
/// identifier (the text is kept in the model and exported to every dialect), else quoted.
fn predicate_name(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !crate::sql::reserved::is_reserved(name);
    if plain { name.to_string() } else { ident(name) }
}

/// Partial indexes from constant predicates: `WHERE status = 'open' AND placed_at < …` gives
/// `(placed_at) WHERE status = 'open'` (the other equality, range and sort columns as the
/// key; the primary key when there are none). A partial index the table already has (same
/// key start, same predicate) is left out.
fn partial_candidates(p: &Project, f: &Facts, out: &mut BTreeSet<PgCand>) {
    for u in &f.usages {
        let Some(t) = u.table.and_then(|t| p.table(t)) else {
            continue;
        };
        for (c, lit) in &u.constants {
            // One constant per column: `IN (…)` lists are not single predicates.
            if u.constants.iter().filter(|(x, _)| x == c).count() != 1 {
                continue;
            }
            let predicate = format!("{} = {lit}", predicate_name(&t.column_name(*c)));
            let all_desc = u.order.iter().all(|(_, d)| *d);
            let mut wanted: Vec<(ColumnId, bool)> =
                u.eq.iter()
                    .chain(&u.range)
                    .map(|k| (*k, false))
                    .chain(u.order.iter().map(|(o, d)| (*o, *d && !all_desc)))
                    .collect();
            if wanted.iter().all(|(k, _)| k == c) {
                match &t.primary_key {
                    Some(pk) => wanted = pk.columns.iter().map(|k| (*k, false)).collect(),
                    None => continue,
                }
            }
            let mut key: Vec<(Key, bool)> = Vec::new();
            for (k, desc) in wanted {
                if k != *c && !key.iter().any(|(x, _)| *x == Key::Col(k)) {
                    key.push((Key::Col(k), desc));
                }
            }
            if key.is_empty() || key.len() > 4 {
                continue;
            }
            let norm = |s: &str| super::norm_expr(s);
            let ids: Vec<Key> = key.iter().map(|(k, _)| k.clone()).collect();
            let exists = t.indexes.iter().any(|i| {
                i.where_clause
                    .as_deref()
                    .is_some_and(|w| norm(w) == norm(&predicate))
                    && i.parts.len() >= ids.len()
                    && i.parts
                        .iter()
                        .zip(&ids)
                        .all(|(part, k)| match (&part.target, k) {
                            (IndexTarget::Column(a), Key::Col(b)) => a == b,
                            _ => false,
                        })
            });
            if !exists {
                out.insert(PgCand {
                    table: t.id,
                    cols: key,
                    include: Vec::new(),
                    predicate: Some(predicate),
                });
            }
        }
    }
}

/// Advise on a database already holding the project's tables and rows (`c` has hypopg).
pub fn advise_on(
    c: &mut Client,
    p: &Project,
    w: &Workload,
    opts: &PgOptions,
) -> Result<PgAdvice, PgError> {
    let server = |e: postgres::Error| PgError::Server(cause(&e));
    c.batch_execute("SET plan_cache_mode = force_custom_plan; DEALLOCATE ALL")
        .map_err(server)?;
    c.query_one("SELECT hypopg_reset()", &[]).map_err(|e| {
        PgError::NoHypopg(format!(
            "the hypopg extension is not installed: {}",
            cause(&e)
        ))
    })?;
    let version: String = c
        .query_one("SHOW server_version", &[])
        .map_err(server)?
        .get(0);
    let by_name = facts::table_index(p);
    let mut errors = w.errors.clone();
    let mut stmts: Vec<Stmt> = Vec::new();
    step(opts, || {
        format!("planning {} statements", w.statements.len())
    })?;
    for (i, ws) in w.statements.iter().enumerate() {
        let planned = plan::prepare(c, &format!("crowfoot_q{i}"), &ws.sql)
            .and_then(|e| plan::explain(c, &e).map(|p| (e, p)));
        match planned {
            Ok((explain, before)) => stmts.push(Stmt {
                ws,
                facts: facts::facts(p, &by_name, &ws.ast),
                explain,
                current: before.clone(),
                before,
            }),
            Err(e) => errors.push(WorkloadError {
                line: ws.line,
                message: format!("PostgreSQL cannot plan this statement: {e}; skipped"),
            }),
        }
    }
    errors.sort_by_key(|e| e.line);
    let by_table = super::by_table(stmts.iter().map(|s| &s.facts));
    let mut pool = BTreeSet::new();
    for s in &stmts {
        pg_candidates(p, &s.facts, &mut pool);
    }
    if opts.dexter_candidates {
        pool.retain(|c| {
            c.include.is_empty()
                && c.predicate.is_none()
                && c.cols.len() <= 2
                && c.cols
                    .iter()
                    .all(|(k, desc)| matches!(k, Key::Col(_)) && !desc)
        });
    }
    let mut run = Run {
        p,
        c,
        stmts,
        by_table,
        threshold: opts.threshold,
    };

    // Greedy: the best gain first, kept in place; candidates on its table evaluated again.
    let mut pool: Vec<PgCand> = pool.into_iter().collect();
    let mut cache: HashMap<PgCand, Eval> = HashMap::new();
    let mut chosen: Vec<(PgCand, i64, String)> = Vec::new();
    while chosen.len() < opts.max_suggestions {
        let mut best: Option<(usize, f64)> = None;
        for i in 0..pool.len() {
            if !cache.contains_key(&pool[i]) {
                let (n, kept) = (pool.len(), chosen.len());
                step(opts, || {
                    format!("trying candidates: {} of {n} ({kept} kept)", i + 1)
                })?;
                let e = run.evaluate(&pool[i]);
                cache.insert(pool[i].clone(), e);
            }
            let e = &cache[&pool[i]];
            if e.served.is_empty() {
                continue;
            }
            let better = match best {
                None => true,
                Some((j, g)) => {
                    e.gain > g * (1.0 + 1e-6)
                        || (e.gain >= g * (1.0 - 1e-6) && pool[i].width() < pool[j].width())
                }
            };
            if better {
                best = Some((i, e.gain));
            }
        }
        let Some((i, _)) = best else { break };
        let cand = pool.remove(i);
        let Some((oid, name)) = run.create(&cand) else {
            cache.remove(&cand);
            continue;
        };
        run.replan(cand.table);
        let keys = cand.keys();
        pool.retain(|d| {
            !(d.table == cand.table
                // A full index covers partial candidates on its leading columns; a partial
                // one only those with its predicate.
                && (cand.predicate.is_none() || d.predicate == cand.predicate)
                && covered_by(&d.keys(), std::slice::from_ref(&keys)))
        });
        cache.retain(|d, _| d.table != cand.table);
        chosen.push((cand, oid, name));
    }

    // Drop what no final plan uses (a later choice may have taken over its statements).
    loop {
        let unused = chosen.iter().position(|(cand, _, name)| {
            !run.by_table
                .get(&cand.table)
                .into_iter()
                .flatten()
                .any(|&q| run.stmts[q].current.indexes.contains(name))
        });
        let Some(k) = unused else { break };
        let (cand, oid, _) = chosen.remove(k);
        run.drop_hypothetical(oid);
        run.replan(cand.table);
    }

    let mut taken: HashSet<String> = HashSet::new();
    let mut suggested = Vec::new();
    for (cand, _, name) in &chosen {
        let t = p.table(cand.table).expect("candidate table");
        let mut queries = Vec::new();
        let mut benefit = 0.0;
        for &q in run.by_table.get(&cand.table).into_iter().flatten() {
            let s = &run.stmts[q];
            if s.current.indexes.contains(name) {
                benefit += s.ws.weight * (s.before.cost - s.current.cost);
                queries.push(PgServed {
                    sql: s.ws.sql.clone(),
                    cost_before: s.before.cost,
                    cost_after: s.current.cost,
                    plan_before: s.before.json.clone(),
                    plan_after: s.current.json.clone(),
                });
            }
        }
        let index_name = index_name(p, t, &cand.cols, &taken);
        taken.insert(index_name.to_lowercase());
        let index = Index {
            id: IndexId(0),
            name: index_name,
            unique: false,
            parts: super::index_parts(&cand.cols),
            where_clause: cand.predicate.clone(),
            include: cand.include.clone(),
            method: None,
        };
        suggested.push(PgSuggestion {
            table: t.qualified_name(),
            columns: cand
                .cols
                .iter()
                .map(|(k, desc)| {
                    let n = k.text(t);
                    if *desc { format!("{n} DESC") } else { n }
                })
                .collect(),
            include: cand.include.iter().map(|c| t.column_name(*c)).collect(),
            predicate: cand.predicate.clone(),
            method: "btree".into(),
            unique: false,
            benefit: (benefit * 10.0).round() / 10.0,
            queries,
            table_id: cand.table,
            index,
        });
    }
    suggested.sort_by(|a, b| {
        b.benefit
            .total_cmp(&a.benefit)
            .then_with(|| a.table.cmp(&b.table))
            .then_with(|| a.columns.cmp(&b.columns))
    });
    let queries = run
        .stmts
        .iter()
        .map(|s| PgQuery {
            sql: s.ws.sql.clone(),
            line: s.ws.line,
            weight: s.ws.weight,
            cost_before: s.before.cost,
            cost_after: s.current.cost,
        })
        .collect();
    let drop = drop_candidates(p, &run.stmts);
    let _ = run.c.batch_execute("DEALLOCATE ALL");
    let _ = run.c.query_one("SELECT hypopg_reset()", &[]);
    Ok(PgAdvice {
        engine: "postgres",
        server_version: version,
        queries,
        suggested,
        drop,
        errors,
        warnings: Vec::new(),
    })
}

/// Existing non-unique, non-partial indexes that no plan (before or after) uses and whose key
/// columns are the leading columns of another key of the table.
fn drop_candidates(p: &Project, stmts: &[Stmt]) -> Vec<PgDrop> {
    let used: HashSet<&str> = stmts
        .iter()
        .flat_map(|s| s.before.indexes.iter().chain(&s.current.indexes))
        .map(String::as_str)
        .collect();
    let mut out = Vec::new();
    for t in p.tables() {
        for i in &t.indexes {
            if i.unique || i.where_clause.is_some() || used.contains(i.name.as_str()) {
                continue;
            }
            let keys: Vec<Key> = i
                .parts
                .iter()
                .map(|part| match &part.target {
                    IndexTarget::Column(c) => Key::Col(*c),
                    IndexTarget::Expr(e) => Key::Expr(e.clone()),
                })
                .collect();
            let others: Vec<(String, Vec<Key>)> = t
                .primary_key
                .iter()
                .map(|pk| {
                    (
                        "primary key".to_string(),
                        pk.columns.iter().map(|c| Key::Col(*c)).collect(),
                    )
                })
                .chain(t.uniques.iter().map(|u| {
                    (
                        u.name
                            .clone()
                            .unwrap_or_else(|| "a unique constraint".into()),
                        u.columns.iter().map(|c| Key::Col(*c)).collect(),
                    )
                }))
                .chain(
                    t.indexes
                        .iter()
                        .filter(|o| o.id != i.id && o.where_clause.is_none())
                        .map(|o| {
                            (
                                o.name.clone(),
                                o.parts
                                    .iter()
                                    .map(|part| match &part.target {
                                        IndexTarget::Column(c) => Key::Col(*c),
                                        IndexTarget::Expr(e) => Key::Expr(e.clone()),
                                    })
                                    .collect(),
                            )
                        }),
                )
                .collect();
            if let Some((by, _)) = others
                .iter()
                .find(|(_, k)| covered_by(&keys, std::slice::from_ref(k)))
            {
                out.push(PgDrop {
                    table: t.qualified_name(),
                    index: i.name.clone(),
                    covered_by: by.clone(),
                });
            }
        }
    }
    out
}
