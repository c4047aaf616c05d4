//! The Indexes tab of the right panel: the selected table's primary key, unique constraints
//! and indexes with their size estimates and what each target dialect cannot express; an
//! editor for indexes (columns or expressions, ASC/DESC, unique, partial WHERE, INCLUDE,
//! method; name from the project's pattern); the table's estimates; index lint with fixes;
//! the workload advisor. Every change is a model command.

use super::request::{Done, Request, View};
use crate::analysis::index_design::{self, dialect_limits, human_bytes, index_bytes};
use crate::analysis::index_lint::{self, Finding, Level};
use crate::model::*;
use egui::{Color32, RichText, Ui};
use std::collections::BTreeSet;

/// A key part being edited.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftTarget {
    Column(ColumnId),
    Expr(String),
}

/// The index being created or edited (applied on Save).
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub table: TableId,
    /// `None` for a new index.
    pub editing: Option<IndexId>,
    pub name: String,
    /// Keep the name in step with the columns (the project's naming pattern).
    pub auto_name: bool,
    pub parts: Vec<(DraftTarget, bool)>,
    pub unique: bool,
    pub method: Option<IndexMethod>,
    pub where_clause: String,
    pub include: BTreeSet<ColumnId>,
    pub error: Option<String>,
}

impl Draft {
    fn new(t: &Table) -> Self {
        Draft {
            table: t.id,
            editing: None,
            name: String::new(),
            auto_name: true,
            parts: t
                .columns
                .first()
                .map(|c| vec![(DraftTarget::Column(c.id), false)])
                .unwrap_or_default(),
            unique: false,
            method: None,
            where_clause: String::new(),
            include: BTreeSet::new(),
            error: None,
        }
    }

    fn from_index(t: &Table, ix: &Index) -> Self {
        Draft {
            table: t.id,
            editing: Some(ix.id),
            name: ix.name.clone(),
            auto_name: false,
            parts: ix
                .parts
                .iter()
                .map(|p| {
                    (
                        match &p.target {
                            IndexTarget::Column(c) => DraftTarget::Column(*c),
                            IndexTarget::Expr(e) => DraftTarget::Expr(e.clone()),
                        },
                        p.order == Some(SortOrder::Desc),
                    )
                })
                .collect(),
            unique: ix.unique,
            method: ix.method.clone(),
            where_clause: ix.where_clause.clone().unwrap_or_default(),
            include: ix.include.iter().copied().collect(),
            error: None,
        }
    }

    fn index_parts(&self, old: Option<&Index>) -> Vec<IndexPart> {
        self.parts
            .iter()
            .enumerate()
            .map(|(i, (t, desc))| {
                // Keep prefix lengths and operator classes of unchanged parts.
                let kept = old
                    .and_then(|o| o.parts.get(i))
                    .filter(|p| match (&p.target, t) {
                        (IndexTarget::Column(a), DraftTarget::Column(b)) => a == b,
                        (IndexTarget::Expr(a), DraftTarget::Expr(b)) => a == b,
                        _ => false,
                    });
                IndexPart {
                    target: match t {
                        DraftTarget::Column(c) => IndexTarget::Column(*c),
                        DraftTarget::Expr(e) => IndexTarget::Expr(e.clone()),
                    },
                    order: desc.then_some(SortOrder::Desc),
                    prefix: kept.and_then(|k| k.prefix),
                    opclass: kept.and_then(|k| k.opclass.clone()),
                }
            })
            .collect()
    }
}

/// Whose planner the workload advisor asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AdvisorEngine {
    /// SQLite's, in memory, on a database built from the model with the estimates.
    #[default]
    Sqlite,
    /// A PostgreSQL server's, with hypothetical indexes (hypopg).
    Postgres,
}

/// What each dialect cannot express, per index.
type Limits = Vec<(IndexId, Vec<(Dialect, String)>)>;

#[derive(Default)]
pub struct IndexPanel {
    pub draft: Option<Draft>,
    /// The workload being edited (SELECT/UPDATE/DELETE statements, `-- weight: N`).
    pub workload: String,
    /// The advisor's last result and the document version it was computed at.
    pub advice: Option<(u64, crate::analysis::advisor::Advice)>,
    pub advice_error: Option<String>,
    /// Whose planner the advisor asks.
    pub engine: AdvisorEngine,
    /// The PostgreSQL side (server URL, running job, result).
    pub pg: super::advisor_pg::PgAdvisor,
    /// Lint findings and per-index dialect limits for (version, table).
    cache: Option<(u64, TableId, Vec<Finding>, Limits)>,
}

fn method_choices(d: Dialect) -> Vec<Option<IndexMethod>> {
    let methods = crate::sql::dialect::rules(d).index_methods();
    std::iter::once(None)
        .chain(methods.iter().cloned().map(Some))
        .collect()
}

fn method_label(m: &Option<IndexMethod>) -> String {
    m.as_ref()
        .map(|m| m.sql_name().to_string())
        .unwrap_or_else(|| "btree (default)".into())
}

impl IndexPanel {
    fn cached(&mut self, view: &View, t: &Table) -> (Vec<Finding>, Limits) {
        let v = view.doc.version();
        let p = view.doc.project();
        if self
            .cache
            .as_ref()
            .is_none_or(|(cv, ct, _, _)| *cv != v || *ct != t.id)
        {
            let mut lint = Vec::new();
            index_lint::lint_table(p, t, p.settings().target_dialect, &mut lint);
            let limits = t
                .indexes
                .iter()
                .map(|ix| (ix.id, dialect_limits(p, t, &ix.name)))
                .collect();
            self.cache = Some((v, t.id, lint, limits));
        }
        let c = self.cache.as_ref().expect("computed");
        (c.2.clone(), c.3.clone())
    }

    pub fn ui(&mut self, v: &View, ui: &mut Ui) -> Vec<Request> {
        let mut out = Vec::new();
        let p = v.doc.project();
        let Some(tid) = v.sel.single() else {
            ui.label("Select one table to design its indexes.");
            return out;
        };
        let Some(t) = p.table(tid) else {
            return out;
        };
        if self.draft.as_ref().is_some_and(|d| d.table != tid) {
            self.draft = None;
        }
        let (lint, limits) = self.cached(v, t);
        egui::ScrollArea::vertical()
            .id_salt("indexes-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong(t.qualified_name());
                self.list(ui, t, &limits, &mut out);
                if let Some(mut d) = self.draft.take() {
                    let keep = editor(p, ui, t, &mut d, &mut out);
                    if keep {
                        self.draft = Some(d);
                    }
                } else if ui
                    .button("+ New index")
                    .on_hover_text("Design a new index on this table")
                    .clicked()
                {
                    self.draft = Some(Draft::new(t));
                }
                ui.add_space(8.0);
                estimates(ui, t, &mut out);
                ui.add_space(8.0);
                lint_ui(p, ui, &lint, &mut out);
                ui.add_space(8.0);
                self.advisor_ui(v, ui, &mut out);
            });
        out
    }

    fn list(&mut self, ui: &mut Ui, t: &Table, limits: &Limits, out: &mut Vec<Request>) {
        let cols = |ids: &[ColumnId]| {
            ids.iter()
                .map(|c| t.column_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(pk) = &t.primary_key {
            ui.monospace(format!("PK ({})", cols(&pk.columns)));
        }
        for u in &t.uniques {
            ui.monospace(format!(
                "UNIQUE {}({})",
                u.name
                    .as_deref()
                    .map(|n| format!("{n} "))
                    .unwrap_or_default(),
                cols(&u.columns)
            ));
        }
        let mut remove = None;
        for ix in &t.indexes {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .small_button("✖")
                    .on_hover_text("Drop this index")
                    .clicked()
                {
                    remove = Some(ix.id);
                }
                if ui.small_button("Edit").clicked() {
                    self.draft = Some(Draft::from_index(t, ix));
                }
                let parts: Vec<String> = ix
                    .parts
                    .iter()
                    .map(|p| {
                        let mut s = match &p.target {
                            IndexTarget::Column(c) => t.column_name(*c),
                            IndexTarget::Expr(e) => format!("({e})"),
                        };
                        if let Some(n) = p.prefix {
                            s.push_str(&format!("({n})"));
                        }
                        if p.order == Some(SortOrder::Desc) {
                            s.push_str(" DESC");
                        }
                        s
                    })
                    .collect();
                ui.monospace(format!(
                    "{}{} ({})",
                    if ix.unique { "UNIQUE " } else { "" },
                    ix.name,
                    parts.join(", ")
                ));
                let mut extra = Vec::new();
                if let Some(w) = &ix.where_clause {
                    extra.push(format!("WHERE {w}"));
                }
                if !ix.include.is_empty() {
                    extra.push(format!("INCLUDE ({})", cols(&ix.include)));
                }
                if let Some(m) = &ix.method {
                    extra.push(format!("USING {}", m.sql_name()));
                }
                if let Some(b) = index_bytes(t, ix) {
                    extra.push(format!("≈ {}", human_bytes(b)));
                }
                if !extra.is_empty() {
                    ui.weak(extra.join(" · "));
                }
            });
            if let Some((_, l)) = limits.iter().find(|(id, _)| *id == ix.id) {
                for (d, msg) in l {
                    ui.label(
                        RichText::new(format!("⚠ {}: {msg}", d.display_name()))
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            }
        }
        if let Some(id) = remove {
            out.push(Request::Apply(Command::RemoveIndex { table: t.id, id }));
        }
    }
}

/// The index editor. Returns false when the draft is cancelled; a saved one closes when the
/// studio applied it (`Done::IndexSaved`).
fn editor(p: &Project, ui: &mut Ui, t: &Table, d: &mut Draft, out: &mut Vec<Request>) -> bool {
    let mut keep = true;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(if d.editing.is_some() {
                "Edit index"
            } else {
                "New index"
            })
            .strong(),
        );
        // Key parts.
        let mut remove = None;
        let mut swap = None;
        let n = d.parts.len();
        for (i, (target, desc)) in d.parts.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                match target {
                    DraftTarget::Column(c) => {
                        egui::ComboBox::from_id_salt(("ix-part", i))
                            .selected_text(t.column_name(*c))
                            .show_ui(ui, |ui| {
                                for col in &t.columns {
                                    ui.selectable_value(c, col.id, &col.name);
                                }
                            });
                    }
                    DraftTarget::Expr(e) => {
                        ui.add(
                            egui::TextEdit::singleline(e)
                                .hint_text("expression, e.g. lower(email)")
                                .desired_width(150.0)
                                .id_salt(("ix-expr", i)),
                        );
                    }
                }
                ui.selectable_value(desc, false, "ASC");
                ui.selectable_value(desc, true, "DESC");
                if i > 0 && ui.small_button("⏶").on_hover_text("Move up").clicked() {
                    swap = Some(i);
                }
                if n > 1 && ui.small_button("✖").clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            d.parts.remove(i);
        }
        if let Some(i) = swap {
            d.parts.swap(i - 1, i);
        }
        ui.horizontal(|ui| {
            if ui.small_button("+ column").clicked()
                && let Some(c) = t
                    .columns
                    .iter()
                    .find(|c| !d.parts.iter().any(|(p, _)| *p == DraftTarget::Column(c.id)))
            {
                d.parts.push((DraftTarget::Column(c.id), false));
            }
            if ui.small_button("+ expression").clicked() {
                d.parts.push((DraftTarget::Expr(String::new()), false));
            }
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut d.unique, "Unique");
            ui.label("Method");
            let dialect = p.settings().target_dialect;
            egui::ComboBox::from_id_salt("ix-method")
                .selected_text(method_label(&d.method))
                .show_ui(ui, |ui| {
                    let mut choices = method_choices(dialect);
                    if !choices.contains(&d.method) {
                        choices.push(d.method.clone());
                    }
                    for m in choices {
                        let label = method_label(&m);
                        ui.selectable_value(&mut d.method, m, label);
                    }
                });
        });
        ui.horizontal(|ui| {
            ui.label("WHERE");
            ui.add(
                egui::TextEdit::singleline(&mut d.where_clause)
                    .hint_text("partial index predicate (optional)")
                    .id_salt("ix-where"),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("INCLUDE");
            for c in &t.columns {
                let mut on = d.include.contains(&c.id);
                if ui.checkbox(&mut on, &c.name).changed() {
                    if on {
                        d.include.insert(c.id);
                    } else {
                        d.include.remove(&c.id);
                    }
                }
            }
        });
        let old = d
            .editing
            .and_then(|id| t.indexes.iter().find(|i| i.id == id));
        let parts = d.index_parts(old);
        if d.auto_name {
            d.name = index_design::index_name(p, t, &parts, d.unique);
            if let Some(o) = old {
                d.name = index_design::unique_name(p, &d.name, Some(o.id));
            }
        }
        ui.horizontal(|ui| {
            ui.label("Name");
            if ui
                .add(egui::TextEdit::singleline(&mut d.name).id_salt("ix-name"))
                .changed()
            {
                d.auto_name = false;
            }
            ui.checkbox(&mut d.auto_name, "from pattern")
                .on_hover_text(format!(
                    "Name from the project's pattern {}",
                    p.settings().naming.index_pattern
                ));
        });
        if let Some(e) = &d.error {
            ui.colored_label(Color32::from_rgb(0xe0, 0x40, 0x40), e);
        }
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                let ix = Index {
                    id: d.editing.unwrap_or(IndexId(0)),
                    name: d.name.trim().to_string(),
                    unique: d.unique,
                    parts: parts.clone(),
                    where_clause: Some(d.where_clause.trim().to_string()).filter(|w| !w.is_empty()),
                    include: t
                        .columns
                        .iter()
                        .filter(|c| d.include.contains(&c.id))
                        .map(|c| c.id)
                        .collect(),
                    method: d.method.clone(),
                };
                match save(p, t, ix) {
                    Ok(cmd) => {
                        d.error = None;
                        out.push(Request::ApplyThen(
                            cmd,
                            vec![Request::Done(Done::IndexSaved)],
                        ));
                    }
                    Err(e) => d.error = Some(e),
                }
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
    });
    keep
}

/// The command that saves index `ix` of table `t`, or why it cannot be saved.
fn save(p: &Project, t: &Table, mut ix: Index) -> Result<Command, String> {
    if ix.name.is_empty() {
        return Err("the index needs a name".into());
    }
    if ix
        .parts
        .iter()
        .any(|p| matches!(&p.target, IndexTarget::Expr(e) if e.trim().is_empty()))
    {
        return Err("an expression part is empty".into());
    }
    let clash = p.tables().any(|x| {
        x.indexes
            .iter()
            .any(|i| i.id != ix.id && i.name.eq_ignore_ascii_case(&ix.name))
    });
    if clash {
        return Err(format!("another index is already named {}", ix.name));
    }
    let cmd = if t.indexes.iter().any(|i| i.id == ix.id) {
        Command::UpdateIndex {
            table: t.id,
            index: Box::new(ix),
        }
    } else {
        ix.id = IndexId(p.alloc_id());
        Command::AddIndex {
            table: t.id,
            index: Box::new(ix),
            at: None,
        }
    };
    Ok(cmd)
}

/// The table's estimates: rows, average row width, write-heavy, per-column distinct values,
/// NULL fraction and the most common value's share (skew). Typing in one field is one undo step.
fn estimates(ui: &mut Ui, t: &Table, out: &mut Vec<Request>) {
    egui::CollapsingHeader::new("Estimates")
        .id_salt(("ix-estimates", t.id.0))
        .default_open(t.stats.is_some())
        .show(ui, |ui| {
            let mut st = t.stats.clone().unwrap_or_default();
            let before = st.clone();
            let mut key = String::new();
            egui::Grid::new(("ix-est-grid", t.id.0))
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Rows");
                    if number_field(ui, ("rows", t.id.0), &mut st.rows) {
                        key = "rows".into();
                    }
                    ui.end_row();
                    ui.label("Avg row bytes");
                    let mut w = st.avg_row_bytes.map(u64::from);
                    if number_field(ui, ("width", t.id.0), &mut w) {
                        st.avg_row_bytes = w.map(|x| x.min(u32::MAX as u64) as u32);
                        key = "width".into();
                    }
                    ui.end_row();
                    ui.label("Write-heavy");
                    ui.checkbox(&mut st.write_heavy, "")
                        .on_hover_text("Many more writes than reads: more indexes cost more");
                    ui.end_row();
                });
            egui::Grid::new(("ix-est-cols", t.id.0))
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    ui.weak("column");
                    ui.weak("distinct");
                    ui.weak("null %");
                    ui.weak("top value %").on_hover_text(
                        "Skew: the share of rows holding the most common value (a status \
                         that is 'done' in 80 % of rows: 80)",
                    );
                    ui.end_row();
                    for c in &t.columns {
                        ui.label(&c.name);
                        let mut cs = st.column(c.id).cloned().unwrap_or(ColumnStats {
                            column: c.id,
                            distinct: None,
                            null_fraction: None,
                            most_common: None,
                        });
                        let mut changed = number_field(ui, ("distinct", c.id.0), &mut cs.distinct);
                        let mut pct = cs.null_fraction.map(|f| (f * 100.0).round() as u64);
                        if number_field(ui, ("null", c.id.0), &mut pct) {
                            cs.null_fraction = pct.map(|p| (p.min(100) as f32) / 100.0);
                            changed = true;
                        }
                        let mut top = cs.most_common.map(|f| (f * 100.0).round() as u64);
                        if number_field(ui, ("top", c.id.0), &mut top) {
                            cs.most_common = top.map(|p| (p.min(100) as f32) / 100.0);
                            changed = true;
                        }
                        if changed {
                            key = format!("col{}", c.id.0);
                            st.columns.retain(|x| x.column != c.id);
                            if cs.distinct.is_some()
                                || cs.null_fraction.is_some()
                                || cs.most_common.is_some()
                            {
                                st.columns.push(cs);
                                st.columns.sort_by_key(|x| {
                                    t.column_index(x.column).unwrap_or(usize::MAX)
                                });
                            }
                        }
                        ui.end_row();
                    }
                });
            if st != before {
                let stats = (st != TableStats::default()).then_some(st);
                let cmd = Command::SetTableStats { table: t.id, stats };
                out.push(Request::ApplyMerging(
                    cmd,
                    format!("stats-{}-{key}", t.id.0),
                ));
            }
        });
}

/// A text field holding an optional whole number. Returns true when the value changed.
fn number_field(
    ui: &mut Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    v: &mut Option<u64>,
) -> bool {
    let mut text = v.map(|x| x.to_string()).unwrap_or_default();
    let r = ui.add(
        egui::TextEdit::singleline(&mut text)
            .desired_width(90.0)
            .id_salt(id),
    );
    if r.changed() {
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        let new = digits.parse::<u64>().ok();
        if new != *v {
            *v = new;
            return true;
        }
    }
    false
}

fn lint_ui(p: &Project, ui: &mut Ui, lint: &[Finding], out: &mut Vec<Request>) {
    ui.label(RichText::new(format!("Index lint ({})", lint.len())).strong());
    if lint.is_empty() {
        ui.weak("No findings.");
        return;
    }
    let mut apply = None;
    for f in lint {
        ui.horizontal_wrapped(|ui| {
            let (icon, color) = match f.level {
                Level::Error | Level::Warning => ("⚠", ui.visuals().warn_fg_color),
                Level::Info => ("ℹ", ui.visuals().weak_text_color()),
            };
            ui.label(RichText::new(format!("{icon} {}", f.rule)).color(color))
                .on_hover_text(
                    index_lint::rule(f.rule)
                        .map(|r| format!("{}: {}", r.name, r.rationale))
                        .unwrap_or_default(),
                );
            ui.label(&f.message);
            if let Some(fix) = &f.fix
                && ui.small_button(fix.label(p)).clicked()
            {
                apply = Some(fix.clone());
            }
        });
    }
    if let Some(fix) = apply {
        out.push(match fix.command(p) {
            Ok(cmd) => Request::Apply(cmd),
            Err(e) => Request::Status(format!("Fix: {e}")),
        });
    }
}

impl IndexPanel {
    /// Run the advisor on the current project and workload (synchronously: the whole run is
    /// tens of milliseconds for hundreds of tables).
    pub fn run_advisor(&mut self, v: &View) {
        match crate::analysis::advisor::advise(v.doc.project(), &self.workload) {
            Ok(a) => {
                self.advice = Some((v.doc.version(), a));
                self.advice_error = None;
            }
            Err(e) => {
                self.advice = None;
                self.advice_error = Some(e);
            }
        }
    }

    /// The workload advisor: paste or load statements, run, read plans before/after, accept
    /// suggestions (each one undoable).
    fn advisor_ui(&mut self, v: &View, ui: &mut Ui, out: &mut Vec<Request>) {
        ui.label(RichText::new("Workload advisor").strong())
            .on_hover_text(
                "Suggests indexes for a workload and keeps only those SQLite's query planner \
                 uses, on a database built from the model with the table estimates",
            );
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.engine, AdvisorEngine::Sqlite, "SQLite")
                .on_hover_text("SQLite's planner, in memory (instant)");
            ui.selectable_value(
                &mut self.engine,
                AdvisorEngine::Postgres,
                "PostgreSQL server",
            )
            .on_hover_text(
                "A PostgreSQL server's planner with hypothetical indexes (hypopg): \
                     plans and costs as PostgreSQL sees them",
            );
        });
        ui.add(
            egui::TextEdit::multiline(&mut self.workload)
                .id_salt("ix-workload")
                .hint_text("-- weight: 10\nSELECT ... FROM ... WHERE ...;")
                .font(egui::TextStyle::Monospace)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
        if self.engine == AdvisorEngine::Postgres {
            let workload = self.workload.clone();
            self.pg.ui(v, ui, &workload, out);
            return;
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !self.workload.trim().is_empty(),
                    egui::Button::new("Run advisor"),
                )
                .clicked()
            {
                self.run_advisor(v);
            }
            if self
                .advice
                .as_ref()
                .is_some_and(|(av, _)| *av != v.doc.version())
            {
                ui.weak("(model changed since: run again)");
            }
        });
        if let Some(e) = &self.advice_error {
            ui.colored_label(Color32::from_rgb(0xe0, 0x40, 0x40), e);
        }
        let Some((_, advice)) = &self.advice else {
            return;
        };
        for e in &advice.errors {
            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {e}"));
        }
        let mut accept = None;
        if advice.suggested.is_empty() {
            ui.label("No index would change a plan that scans a whole table.");
        }
        for (i, sug) in advice.suggested.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                let exists = v
                    .doc
                    .project()
                    .table(sug.table_id)
                    .is_some_and(|t| t.indexes.iter().any(|x| x.name == sug.index.name));
                if exists {
                    ui.weak("✔ added");
                } else if ui
                    .small_button("Accept")
                    .on_hover_text("Add this index to the model (undoable)")
                    .clicked()
                {
                    accept = Some(i);
                }
                ui.monospace(format!("{} ({})", sug.table, sug.columns.join(", ")));
                ui.weak(format!(
                    "benefit {:.0}, serves {} statement(s)",
                    sug.benefit,
                    sug.serves.len()
                ));
            });
        }
        egui::CollapsingHeader::new(format!("Plans ({} statements)", advice.queries.len()))
            .id_salt("ix-plans")
            .show(ui, |ui| {
                for q in &advice.queries {
                    ui.monospace(format!("line {}: {}", q.line, q.sql.trim()));
                    ui.label(
                        RichText::new(format!("before: {}", q.plan_before.join(" | "))).small(),
                    );
                    if q.plan_after != q.plan_before {
                        ui.label(
                            RichText::new(format!("after:  {}", q.plan_after.join(" | ")))
                                .small()
                                .color(Color32::from_rgb(0x2e, 0x9d, 0x42)),
                        );
                    }
                    ui.add_space(3.0);
                }
            });
        if let Some(i) = accept {
            let sug = advice.suggested[i].clone();
            out.push(
                match crate::analysis::advisor::accept(v.doc.project(), &sug) {
                    Ok(cmd) => Request::Apply(cmd),
                    Err(e) => Request::Status(format!("Accept: {e}")),
                },
            );
        }
    }
}
