//! The Normalize tab of the right panel: functional dependencies of the selected table
//! (implied by its keys, declared by the user), candidate keys, the normal form with every
//! violation explained, and 3NF / BCNF decomposition with a preview, applied as one undoable
//! command. All computing is in `analysis::normalize`; this is a thin view over it.

use super::discovery::{Found, Job, Source};
use super::request::{Done, Request, View};
use crate::analysis::normalize::AttrSet;
use crate::analysis::normalize::apply::{self, Method, Plan};
use crate::analysis::normalize::report::{FdReport, Options, table_analysis};
use crate::analysis::normalize::{Analysis, NormalForm};
use crate::model::{Command, Dependency, Project, Table, TableId};
use egui::{Color32, RichText, Ui};
use std::path::PathBuf;

/// One analysis of one table at one document version.
struct Cached {
    version: u64,
    table: TableId,
    result: Result<(Analysis, FdReport), String>,
}

#[derive(Default)]
pub struct NormalizePanel {
    /// The dependency being typed (`A, B -> C`).
    pub input: String,
    /// Why the last Add failed, with the column.
    pub error: Option<String>,
    /// A decomposition shown for review before it is applied.
    pub preview: Option<Plan>,
    cache: Option<Cached>,
    /// Dependency discovery running on sample data.
    pub job: Option<Job>,
    /// The last discovery's result for a table, with the candidates ticked for acceptance.
    pub found: Option<(TableId, Found, Vec<bool>)>,
    /// An SQLite database was picked: which of its tables to read.
    pub pick_table: Option<(TableId, PathBuf, Vec<String>, usize)>,
    pub discovery_error: Option<String>,
}

/// Colour of a normal-form verdict (green for BCNF and above).
fn nf_color(nf: NormalForm) -> Color32 {
    match nf {
        NormalForm::Bcnf | NormalForm::Fourth => Color32::from_rgb(0x2e, 0x9d, 0x42),
        NormalForm::Third => Color32::from_rgb(0xd0, 0x8a, 0x00),
        _ => Color32::from_rgb(0xd0, 0x50, 0x30),
    }
}

/// The word being typed at the end of a dependency text, and where it starts.
fn current_word(text: &str) -> (usize, &str) {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| *c == ',' || *c == '>' || c.is_whitespace())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    (start, &text[start..])
}

/// Column names completing `word` (prefix matches first, then substring matches).
pub fn completions(t: &Table, text: &str) -> Vec<String> {
    let (_, word) = current_word(text);
    let w = word.trim_start_matches('"').to_lowercase();
    if w.is_empty() {
        return Vec::new();
    }
    let mut prefix: Vec<String> = Vec::new();
    let mut inner: Vec<String> = Vec::new();
    for c in &t.columns {
        let n = c.name.to_lowercase();
        if n == w {
            continue;
        } else if n.starts_with(&w) {
            prefix.push(c.name.clone());
        } else if n.contains(&w) {
            inner.push(c.name.clone());
        }
    }
    prefix.extend(inner);
    prefix.truncate(8);
    prefix
}

/// `text` with its last word replaced by `name` (quoted when needed).
fn complete(text: &str, name: &str) -> String {
    let (start, _) = current_word(text);
    format!(
        "{}{}",
        &text[..start],
        crate::analysis::normalize::parse::quote_name(name)
    )
}

impl NormalizePanel {
    fn analysis(&mut self, view: &View, t: &Table) -> &Result<(Analysis, FdReport), String> {
        let v = view.doc.version();
        if self
            .cache
            .as_ref()
            .is_none_or(|c| c.version != v || c.table != t.id)
        {
            let result = table_analysis(t, &[], &Options::default())
                .map(|(a, sources)| {
                    let mut r = a.report();
                    r.fd_sources = sources;
                    (a, r)
                })
                .map_err(|e| e.to_string());
            self.cache = Some(Cached {
                version: v,
                table: t.id,
                result,
            });
            if self.preview.as_ref().is_some_and(|p| p.table != t.id) {
                self.preview = None;
            }
        }
        &self.cache.as_ref().expect("computed").result
    }

    pub fn ui(&mut self, v: &View, ui: &mut Ui) -> Vec<Request> {
        let mut out = Vec::new();
        let p = v.doc.project();
        let Some(tid) = v.sel.single() else {
            ui.label("Select one table to check its normal form.");
            return out;
        };
        let Some(t) = p.table(tid) else {
            return out;
        };
        if t.columns.is_empty() {
            ui.label("The table has no columns yet.");
            return out;
        }
        let (nf, report) = match self.analysis(v, t) {
            Ok((a, r)) => (a.nf.normal_form, r.clone()),
            Err(e) => {
                ui.colored_label(Color32::RED, e.clone());
                return out;
            }
        };
        egui::ScrollArea::vertical()
            .id_salt("normalize-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(t.qualified_name());
                    ui.label(
                        RichText::new(nf.label())
                            .strong()
                            .color(Color32::WHITE)
                            .background_color(nf_color(nf)),
                    )
                    .on_hover_text("Highest normal form under the dependencies below");
                    if let Some(four) = report.fourth_nf {
                        ui.label(if four { "4NF ✔" } else { "not 4NF" });
                    }
                });
                if !report.normal_form_exact {
                    ui.weak("The verdict rests on the first candidate keys only (many keys).");
                }
                ui.add_space(4.0);
                self.dependencies(ui, t, &report, &mut out);
                ui.add_space(6.0);
                keys(ui, &report);
                ui.add_space(6.0);
                violations(ui, &report);
                ui.add_space(6.0);
                egui::CollapsingHeader::new(format!(
                    "Minimal cover ({})",
                    report.minimal_cover.len()
                ))
                .id_salt("nf-cover")
                .show(ui, |ui| {
                    for fd in &report.minimal_cover {
                        ui.monospace(format!("{} -> {}", fd.lhs.join(", "), fd.rhs.join(", ")));
                    }
                });
                ui.add_space(6.0);
                self.decompose(p, ui, t, &report, &mut out);
                ui.add_space(6.0);
                hints(ui, t);
                ui.add_space(6.0);
                self.discover_ui(ui, t, &mut out);
            });
        out
    }

    fn dependencies(&mut self, ui: &mut Ui, t: &Table, r: &FdReport, out: &mut Vec<Request>) {
        ui.label(RichText::new("Dependencies").strong());
        let derived: Vec<(usize, &String)> = r
            .fd_sources
            .iter()
            .enumerate()
            .filter(|(_, src)| *src != "declared")
            .collect();
        for (i, src) in derived {
            if let Some(fd) = r.functional_dependencies.get(i) {
                ui.horizontal_wrapped(|ui| {
                    ui.monospace(fd);
                    ui.weak(format!("({src})"));
                });
            }
        }
        let mut remove = None;
        for (i, d) in t.dependencies.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .small_button("✖")
                    .on_hover_text("Remove this dependency")
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.monospace(apply::format_declared(t, d));
                if let Some(n) = &d.note {
                    ui.weak(n);
                }
            });
        }
        if let Some(i) = remove {
            let mut deps = t.dependencies.clone();
            deps.remove(i);
            out.push(Request::Apply(Command::SetDependencies {
                table: t.id,
                dependencies: deps,
            }));
        }
        let field_id = egui::Id::new(("nf-input", t.id.0));
        let suggestions = completions(t, &self.input);
        // Tab completes with the first suggestion while the field has focus.
        let focused = ui.memory(|m| m.has_focus(field_id));
        if focused
            && !suggestions.is_empty()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Tab))
        {
            self.input = complete(&self.input, &suggestions[0]);
            cursor_to_end(ui, field_id, &self.input);
        }
        let mut add = false;
        // Room for the button: a field as wide as the row would widen the panel every frame.
        let w = (ui.available_width() - 70.0).max(80.0);
        ui.horizontal(|ui| {
            let resp = ui.add(
                egui::TextEdit::singleline(&mut self.input)
                    .id(field_id)
                    .hint_text("A, B -> C   (->> for multivalued)")
                    .desired_width(w)
                    .lock_focus(true),
            );
            if resp.changed() {
                self.error = None;
            }
            if resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                add = true;
                resp.request_focus();
            }
            if ui
                .button("Add")
                .on_hover_text("Declare this dependency on the table (undoable)")
                .clicked()
            {
                add = true;
            }
        });
        if !suggestions.is_empty() && !self.input.trim().is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.weak("Tab:");
                for name in &suggestions {
                    if ui.small_button(name).clicked() {
                        self.input = complete(&self.input, name);
                        cursor_to_end(ui, field_id, &self.input);
                        ui.memory_mut(|m| m.request_focus(field_id));
                    }
                }
            });
        }
        if add && !self.input.trim().is_empty() {
            match apply::parse_declared(t, &self.input) {
                Ok(d) => {
                    if t.dependencies
                        .iter()
                        .any(|x| x.lhs == d.lhs && x.rhs == d.rhs && x.multivalued == d.multivalued)
                    {
                        self.error = Some("already declared".into());
                    } else {
                        let mut deps = t.dependencies.clone();
                        deps.push(d);
                        out.push(Request::ApplyThen(
                            Command::SetDependencies {
                                table: t.id,
                                dependencies: deps,
                            },
                            vec![Request::Done(Done::DependencyDeclared)],
                        ));
                    }
                }
                Err(e) => {
                    self.error = Some(format!(
                        "column {}: {}\n{}",
                        e.column,
                        e.message,
                        e.pointer(&self.input)
                    ));
                }
            }
        }
        if let Some(e) = &self.error {
            let e = &plain(e);
            ui.label(
                RichText::new(e)
                    .monospace()
                    .color(Color32::from_rgb(0xe0, 0x40, 0x40)),
            );
        }
    }

    fn decompose(
        &mut self,
        p: &Project,
        ui: &mut Ui,
        t: &Table,
        r: &FdReport,
        out: &mut Vec<Request>,
    ) {
        ui.label(RichText::new("Decompose").strong());
        ui.horizontal(|ui| {
            for (method, tip) in [
                (
                    Method::Synthesis3nf,
                    "Bernstein 3NF synthesis: lossless and keeps every dependency",
                ),
                (
                    Method::Bcnf,
                    "BCNF decomposition: lossless; may lose dependencies (listed in the preview)",
                ),
            ] {
                if ui
                    .button(format!("Decompose ({})", method.label()))
                    .on_hover_text(tip)
                    .clicked()
                {
                    match apply::plan(p, t.id, method) {
                        Ok(plan) => self.preview = Some(plan),
                        Err(e) => out.push(Request::Status(format!("Decompose: {e}"))),
                    }
                }
            }
        });
        if r.normal_form == NormalForm::Bcnf && self.preview.is_none() {
            ui.weak("Already in BCNF: nothing to decompose.");
        }
    }

    /// The preview of a planned decomposition, in its own window so Apply is always in view.
    pub fn preview_window(&mut self, v: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        let Some(plan) = self.preview.clone() else {
            return out;
        };
        let table = v
            .doc
            .project()
            .table(plan.table)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let mut open = true;
        let mut close = false;
        egui::Window::new(format!("Decompose {table} ({})", plan.method.label()))
            .id(egui::Id::new("nf-preview"))
            .collapsible(false)
            .resizable(true)
            .open(&mut open)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                if plan.is_noop() {
                    ui.label(format!(
                        "Already in {}: nothing to decompose.",
                        plan.method.label()
                    ));
                    close = ui.button("Close").clicked();
                    return;
                }
                ui.label(RichText::new("New tables").strong());
                for line in plan.describe() {
                    ui.monospace(line);
                }
                if !plan.links.is_empty() {
                    ui.label(RichText::new("Foreign keys").strong());
                    for l in plan.describe_links() {
                        ui.monospace(plain(&l));
                    }
                }
                ui.separator();
                ui.label(if plan.lossless {
                    "✔ lossless join"
                } else {
                    "⚠ not lossless"
                });
                if plan.lost.is_empty() {
                    ui.label("✔ every dependency preserved");
                } else {
                    ui.label(format!(
                        "⚠ no longer enforced by a key: {}",
                        plan.lost.join("; ")
                    ));
                }
                for n in &plan.notes {
                    ui.weak(format!("• {}", plain(n)));
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui
                        .button("Apply")
                        .on_hover_text("Split the table as shown (one undoable step)")
                        .clicked()
                    {
                        out.push(match plan.command(v.doc.project()) {
                            Ok((cmd, new_ids)) => {
                                Request::ApplyThen(cmd, vec![Request::AddToSelection(new_ids)])
                            }
                            Err(e) => Request::Status(format!("Decompose: {e}")),
                        });
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close || !open || ui_escape(ctx) {
            self.preview = None;
        }
        out
    }
}

fn ui_escape(ctx: &egui::Context) -> bool {
    ctx.input(|i| i.key_pressed(egui::Key::Escape))
}

/// Put the text cursor of field `id` after the last character of `text` (after a completion
/// replaced the word being typed).
fn cursor_to_end(ui: &Ui, id: egui::Id, text: &str) {
    let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
    let end = egui::text::CCursor::new(text.chars().count());
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::one(end)));
    state.store(ui.ctx(), id);
}

fn keys(ui: &mut Ui, r: &FdReport) {
    ui.label(
        RichText::new(format!(
            "Candidate keys ({}{})",
            r.candidate_keys.len(),
            if r.keys_truncated {
                ", showing first"
            } else {
                ""
            }
        ))
        .strong(),
    );
    for k in r.candidate_keys.iter().take(50) {
        ui.monospace(format!("{{{}}}", k.join(", ")));
    }
    if !r.prime_attributes.is_empty() {
        ui.weak(format!("Prime: {}", r.prime_attributes.join(", ")));
    }
}

/// Arrows as the default fonts can draw them (they have no `→`).
fn plain(s: &str) -> String {
    s.replace('→', "->").replace('↠', "->>")
}

/// Violations grouped by (form, left side): `2NF order_no -> order_date, customer_no` with
/// the first one's explanation; every single one on hover.
fn violations(ui: &mut Ui, r: &FdReport) {
    if r.violations.is_empty() {
        ui.label("No violations.");
        return;
    }
    ui.label(RichText::new(format!("Violations ({})", r.violations.len())).strong());
    let mut groups: Vec<(
        NormalForm,
        &Vec<String>,
        Vec<&crate::analysis::normalize::report::ViolationJson>,
    )> = Vec::new();
    for v in &r.violations {
        match groups
            .iter_mut()
            .find(|(f, lhs, _)| *f == v.violates && **lhs == v.lhs)
        {
            Some(g) => g.2.push(v),
            None => groups.push((v.violates, &v.lhs, vec![v])),
        }
    }
    for (form, lhs, list) in groups {
        let rhs: Vec<&str> = list
            .iter()
            .flat_map(|v| v.rhs.iter().map(String::as_str))
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(form.label())
                    .color(Color32::WHITE)
                    .background_color(nf_color(form.below())),
            );
            ui.monospace(format!("{} -> {}", lhs.join(", "), rhs.join(", ")));
        });
        let details: Vec<String> = list.iter().map(|v| plain(&v.why)).collect();
        ui.weak(&details[0]).on_hover_text(details.join("\n\n"));
    }
}

/// 1NF hints from column names alone (repeating groups such as phone1, phone2).
fn hints(ui: &mut Ui, t: &Table) {
    let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let hs = crate::analysis::normalize::hints::hints_for_columns(&names);
    if hs.is_empty() {
        return;
    }
    ui.label(RichText::new("1NF hints").strong());
    for h in hs {
        ui.label(format!("⚠ {}", h.message));
    }
}

impl NormalizePanel {
    /// The dependency typed in the field was declared.
    pub fn dependency_declared(&mut self) {
        self.input.clear();
        self.error = None;
        self.preview = None;
    }

    /// The ticked discoveries were declared.
    pub fn discoveries_accepted(&mut self) {
        if let Some((_, _, ticks)) = &mut self.found {
            ticks.iter_mut().for_each(|x| *x = false);
        }
    }

    /// A file was picked for discovery on the selected table: a CSV file starts at once; an
    /// SQLite database asks which table to read (the one named like the selected table
    /// first).
    pub fn sample_picked(&mut self, v: &View, path: PathBuf, ctx: &egui::Context) -> Vec<Request> {
        let Some(tid) = v.sel.single() else {
            return vec![Request::Status(
                "Select one table to discover its dependencies".into(),
            )];
        };
        self.discovery_error = None;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
            self.start(tid, Source::Csv(path), Some(ctx.clone()));
            return Vec::new();
        }
        match crate::analysis::normalize::sample::sqlite_tables(&path) {
            Ok(tables) if !tables.is_empty() => {
                let name = v
                    .doc
                    .project()
                    .table(tid)
                    .map(|t| t.name.to_lowercase())
                    .unwrap_or_default();
                let i = tables
                    .iter()
                    .position(|t| t.to_lowercase() == name)
                    .unwrap_or(0);
                self.pick_table = Some((tid, path, tables, i));
            }
            Ok(_) => self.discovery_error = Some("the database has no tables".into()),
            // Not an SQLite database: read it as CSV.
            Err(_) => self.start(tid, Source::Csv(path), Some(ctx.clone())),
        }
        Vec::new()
    }

    /// Start discovery on `source` for `table` (replacing any running one).
    pub fn start(&mut self, table: TableId, source: Source, ctx: Option<egui::Context>) {
        if let Some(j) = &self.job {
            j.cancel();
        }
        self.found = None;
        self.discovery_error = None;
        self.job = Some(Job::start(table, source, ctx));
    }

    /// Collect a finished job (called every frame while one runs).
    pub fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        if let Some(r) = job.poll() {
            let table = job.table;
            self.job = None;
            match r {
                Ok(f) => {
                    let n = f.fds.len();
                    self.found = Some((table, f, vec![false; n]));
                }
                Err(e) => self.discovery_error = Some(e),
            }
        }
    }

    fn discover_ui(&mut self, ui: &mut Ui, t: &Table, out: &mut Vec<Request>) {
        self.poll_job();
        ui.label(RichText::new("Discover from sample data").strong());
        if let Some(job) = &self.job {
            let (text, f) = job.progress.lock().map(|p| p.clone()).unwrap_or_default();
            ui.label(format!("{}: {text}", job.source.describe()));
            ui.horizontal(|ui| {
                let bar = egui::ProgressBar::new(f.unwrap_or(0.0)).desired_width(160.0);
                ui.add(if f.is_some() {
                    bar.show_percentage()
                } else {
                    bar.animate(true)
                });
                if ui.button("Cancel").clicked() {
                    job.cancel();
                }
            });
            return;
        }
        if let Some((tid, path, tables, chosen)) = &mut self.pick_table {
            let (tid, path) = (*tid, path.clone());
            let mut go = None;
            let mut close = false;
            ui.horizontal(|ui| {
                ui.label("Table");
                egui::ComboBox::from_id_salt("nf-sample-table")
                    .selected_text(tables[*chosen].clone())
                    .show_ui(ui, |ui| {
                        for (i, name) in tables.iter().enumerate() {
                            ui.selectable_value(chosen, i, name);
                        }
                    });
                if ui.button("Discover").clicked() {
                    go = Some(tables[*chosen].clone());
                }
                close = ui.button("Cancel").clicked();
            });
            if let Some(table) = go {
                self.pick_table = None;
                self.start(
                    tid,
                    Source::Sqlite { db: path, table },
                    Some(ui.ctx().clone()),
                );
            } else if close {
                self.pick_table = None;
            }
            return;
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Sample file…")
                .on_hover_text(
                    "Find the dependencies that hold on sample data: a CSV file with a header row, or a table of an SQLite database",
                )
                .clicked()
            {
                out.push(Request::PickSample);
            }
            ui.weak("CSV or SQLite; columns matched by name");
        });
        if let Some(e) = &self.discovery_error {
            ui.colored_label(Color32::from_rgb(0xe0, 0x40, 0x40), e);
        }
        let Some((ftable, found, ticks)) = &mut self.found else {
            return;
        };
        if *ftable != t.id {
            return;
        }
        // Match sample columns to the table's by name (case-insensitively).
        let col = |name: &str| {
            t.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
                .map(|c| c.id)
        };
        let fdset = self
            .cache
            .as_ref()
            .and_then(|c| c.result.as_ref().ok())
            .map(|(a, _)| a.fds.clone());
        let n = t.columns.len();
        let mut shown = 0;
        let mut implied = 0;
        let mut unmatched = 0;
        ui.label(format!(
            "{} dependencies hold on {} rows of {}{} ({} ms)",
            found.fds.len(),
            found.rows,
            found.source,
            if found.rows_truncated {
                " (first rows only)"
            } else {
                ""
            },
            found.millis
        ));
        if found.lhs_limited {
            ui.weak(format!(
                "Wide sample: left sides limited to {} columns.",
                found.max_lhs.unwrap_or(0)
            ));
        }
        if found.memory_limited {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "Memory budget of {} MB reached after {} column sets: the results are \
                     partial (the dependencies with at most {} column(s) on the left are \
                     complete).",
                    crate::analysis::normalize::discover::DEFAULT_MEMORY_MB,
                    found.sets,
                    found.complete_lhs.unwrap_or(0)
                ),
            );
        }
        for (i, (lhs, rhs)) in found.fds.iter().enumerate() {
            let ids: Option<Vec<_>> = lhs.iter().map(|l| col(l)).collect();
            let (Some(lhs_ids), Some(rhs_id)) = (ids, col(rhs)) else {
                unmatched += 1;
                continue;
            };
            if let Some(f) = &fdset {
                let l = AttrSet::from_indices(n, lhs_ids.iter().filter_map(|c| t.column_index(*c)));
                let mut closure = f.closure(&l);
                closure.intersect_with(&AttrSet::full(n));
                if t.column_index(rhs_id).is_some_and(|r| closure.contains(r)) {
                    implied += 1;
                    continue;
                }
            }
            shown += 1;
            ui.checkbox(&mut ticks[i], format!("{} -> {rhs}", lhs.join(", ")));
        }
        if implied > 0 {
            ui.weak(format!(
                "{implied} already follow from the keys and declared dependencies"
            ));
        }
        if unmatched > 0 {
            ui.weak(format!("{unmatched} use columns this table does not have"));
        }
        if !found.keys.is_empty() {
            let keys: Vec<String> = found
                .keys
                .iter()
                .take(5)
                .map(|k| format!("{{{}}}", k.join(", ")))
                .collect();
            ui.weak(format!("Unique in the sample: {}", keys.join(" ")));
        }
        for h in &found.hints {
            ui.label(format!("⚠ {}", h.message));
        }
        let chosen = ticks.iter().filter(|x| **x).count();
        let mut dismiss = false;
        ui.horizontal(|ui| {
            if shown > 0
                && ui
                    .add_enabled(
                        chosen > 0,
                        egui::Button::new(format!("Accept selected ({chosen})")),
                    )
                    .on_hover_text("Declare the ticked dependencies on the table (undoable)")
                    .clicked()
            {
                let note = format!("holds on {} ({} rows)", found.source, found.rows);
                let mut deps = t.dependencies.clone();
                // One dependency per left side, right sides merged.
                for (i, (lhs, rhs)) in found.fds.iter().enumerate() {
                    if !ticks[i] {
                        continue;
                    }
                    let (Some(l), Some(r)) = (
                        lhs.iter().map(|x| col(x)).collect::<Option<Vec<_>>>(),
                        col(rhs),
                    ) else {
                        continue;
                    };
                    match deps.iter_mut().find(|d| {
                        !d.multivalued && d.lhs == l && d.note.as_deref() == Some(note.as_str())
                    }) {
                        Some(d) if !d.rhs.contains(&r) => d.rhs.push(r),
                        Some(_) => {}
                        None => deps.push(Dependency {
                            lhs: l,
                            rhs: vec![r],
                            multivalued: false,
                            note: Some(note.clone()),
                        }),
                    }
                }
                out.push(Request::ApplyThen(
                    Command::SetDependencies {
                        table: t.id,
                        dependencies: deps,
                    },
                    vec![Request::Done(Done::DiscoveriesAccepted)],
                ));
            }
            dismiss = ui.button("Dismiss").clicked();
        });
        if dismiss {
            self.found = None;
        }
    }
}
