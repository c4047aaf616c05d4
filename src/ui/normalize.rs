//! The Normalize tab of the right panel: functional dependencies of the selected table
//! (implied by its keys, declared by the user), candidate keys, the normal form with every
//! violation explained, and 3NF / BCNF decomposition with a preview, applied as one undoable
//! command. All computing is in `analysis::normalize`; this is a thin view over it.

use super::studio::Studio;
use crate::analysis::normalize::apply::{self, Method, Plan};
use crate::analysis::normalize::report::{FdReport, Options, table_analysis};
use crate::analysis::normalize::{Analysis, NormalForm};
use crate::model::{Command, Table, TableId};
use egui::{Color32, RichText, Ui};

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
    fn analysis(&mut self, s: &Studio, t: &Table) -> &Result<(Analysis, FdReport), String> {
        let v = s.doc.version();
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

    pub fn ui(&mut self, s: &mut Studio, ui: &mut Ui) {
        let Some(tid) = s.sel.single() else {
            ui.label("Select one table to check its normal form.");
            return;
        };
        let Some(t) = s.doc.project.table(tid).cloned() else {
            return;
        };
        if t.columns.is_empty() {
            ui.label("The table has no columns yet.");
            return;
        }
        let (nf, report) = match self.analysis(s, &t) {
            Ok((a, r)) => (a.nf.normal_form, r.clone()),
            Err(e) => {
                ui.colored_label(Color32::RED, e.clone());
                return;
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
                self.dependencies(s, ui, &t, &report);
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
                self.decompose(s, ui, &t, &report);
                ui.add_space(6.0);
                hints(ui, &t);
            });
    }

    fn dependencies(&mut self, s: &mut Studio, ui: &mut Ui, t: &Table, r: &FdReport) {
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
            s.apply(Command::SetDependencies {
                table: t.id,
                dependencies: deps,
            });
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
        ui.horizontal(|ui| {
            let resp = ui.add(
                egui::TextEdit::singleline(&mut self.input)
                    .id(field_id)
                    .hint_text("A, B -> C   (->> for multivalued)")
                    .desired_width(ui.available_width() - 50.0)
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
                        if s.apply(Command::SetDependencies {
                            table: t.id,
                            dependencies: deps,
                        }) {
                            self.input.clear();
                            self.error = None;
                            self.preview = None;
                        }
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

    fn decompose(&mut self, s: &mut Studio, ui: &mut Ui, t: &Table, r: &FdReport) {
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
                    match apply::plan(&s.doc.project, t.id, method) {
                        Ok(p) => self.preview = Some(p),
                        Err(e) => s.status = format!("Decompose: {e}"),
                    }
                }
            }
        });
        if r.normal_form == NormalForm::Bcnf && self.preview.is_none() {
            ui.weak("Already in BCNF: nothing to decompose.");
        }
    }

    /// The preview of a planned decomposition, in its own window so Apply is always in view.
    pub fn preview_window(&mut self, s: &mut Studio, ctx: &egui::Context) {
        let Some(plan) = self.preview.clone() else {
            return;
        };
        let table = s
            .doc
            .project
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
                        match plan.command(&mut s.doc.project) {
                            Ok((cmd, new_ids)) => {
                                if s.apply(cmd) {
                                    s.sel.tables.extend(new_ids);
                                }
                            }
                            Err(e) => s.status = format!("Decompose: {e}"),
                        }
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
    let groups = repeating_groups(t);
    if groups.is_empty() {
        return;
    }
    ui.label(RichText::new("1NF hints").strong());
    for (stem, cols) in groups {
        ui.label(format!(
            "⚠ {} look like a repeating group of `{stem}`: a separate table with one row per value keeps 1NF",
            cols.join(", ")
        ));
    }
}

/// Columns named `stem1`, `stem_2`, ... (two or more with the same stem).
fn repeating_groups(t: &Table) -> Vec<(String, Vec<String>)> {
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for c in &t.columns {
        let n = c.name.as_str();
        let stem = n.trim_end_matches(|ch: char| ch.is_ascii_digit());
        if stem.len() < n.len() && stem.trim_end_matches('_').len() >= 2 {
            groups
                .entry(stem.trim_end_matches('_').to_lowercase())
                .or_default()
                .push(c.name.clone());
        }
    }
    groups.into_iter().filter(|(_, v)| v.len() >= 2).collect()
}
