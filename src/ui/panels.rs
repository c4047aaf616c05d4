//! The table list (left) and the Problems / DDL / Changes tabs (bottom), panels by the
//! convention of `ui::request` (they read a `View` and return `Request`s).

use super::actions::Action;
use super::request::{Request, View};
use super::studio::BottomTab;
use crate::analysis::check::Severity;
use crate::model::{Dialect, TableId};
use egui::Ui;
use std::collections::BTreeSet;

/// Left panel: every table, filtered by a search box; click to select and reveal.
#[derive(Default)]
pub struct TableList {
    /// The filter typed in the search box.
    pub filter: String,
    /// The rows shown, sorted by name, for (document version, filter): building them takes
    /// tens of milliseconds at 50,000 tables, so not every frame.
    rows: Option<((u64, String), Vec<Row>)>,
}

/// One line of the table list: id, name, column count, has a primary key.
type Row = (TableId, String, usize, bool);

impl TableList {
    pub fn ui(&mut self, v: &View, ui: &mut Ui) -> Vec<Request> {
        let mut out = Vec::new();
        ui.heading("Tables");
        ui.add(
            egui::TextEdit::singleline(&mut self.filter)
                .hint_text("filter tables and columns")
                .id_salt("tree-filter"),
        );
        let key = (v.doc.version(), self.filter.clone());
        if self.rows.as_ref().is_none_or(|(k, _)| *k != key) {
            self.rows = Some((key, rows(v, &self.filter)));
        }
        let rows = &self.rows.as_ref().expect("just built").1;
        table_list(rows, v, ui, &mut out);
        out
    }
}

/// A table matches the search when its name or a column's contains `needle` (lower case).
fn matches_search(t: &crate::model::Table, needle: &str) -> bool {
    t.qualified_name().to_lowercase().contains(needle)
        || t.columns
            .iter()
            .any(|c| c.name.to_lowercase().contains(needle))
}

/// The tables the search `filter` finds (none for an empty filter).
pub fn matching(p: &crate::model::Project, filter: &str) -> BTreeSet<TableId> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return BTreeSet::new();
    }
    p.tables()
        .filter(|t| matches_search(t, &needle))
        .map(|t| t.id)
        .collect()
}

/// The tables the filter finds, sorted by name (case-insensitively).
fn rows(v: &View, filter: &str) -> Vec<Row> {
    let needle = filter.to_lowercase();
    let mut rows: Vec<Row> = v
        .doc
        .project()
        .tables()
        .filter(|t| needle.is_empty() || matches_search(t, &needle))
        .map(|t| {
            (
                t.id,
                t.qualified_name(),
                t.columns.len(),
                t.primary_key.is_some(),
            )
        })
        .collect();
    rows.sort_by_cached_key(|r| r.1.to_lowercase());
    rows
}

fn table_list(rows: &[Row], v: &View, ui: &mut Ui, out: &mut Vec<Request>) {
    ui.weak(format!(
        "{} of {}",
        rows.len(),
        v.doc.project().table_count()
    ));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for (id, name, cols, has_pk) in &rows[range] {
                let selected = v.sel.tables.contains(id);
                let text = format!("{name}  ·{cols}{}", if *has_pk { "" } else { "  (no PK)" });
                if ui.selectable_label(selected, text).clicked() {
                    out.push(Request::Reveal(*id, None));
                }
            }
        });
}

/// Bottom panel: Problems (from `check`), the live DDL preview and, while comparing, the
/// changes. The studio computes the problems and the DDL before drawing it (`View`).
#[derive(Default)]
pub struct BottomPanel;

impl BottomPanel {
    pub fn ui(&mut self, v: &View, ui: &mut Ui) -> Vec<Request> {
        let mut out = Vec::new();
        bottom_panel(v, ui, &mut out);
        out
    }
}

/// The DDL preview is not computed for the whole of a project this large.
pub fn ddl_too_large(v: &View) -> bool {
    v.sel.tables.is_empty() && v.doc.project().table_count() > 300
}

fn bottom_panel(v: &View, ui: &mut Ui, out: &mut Vec<Request>) {
    ui.horizontal(|ui| {
        let tab = v.prefs.bottom_tab;
        let mut tab_button = |ui: &mut Ui, t: BottomTab, text: String| {
            let r = ui.selectable_label(tab == t, text);
            if r.clicked() {
                out.push(Request::BottomTab(t));
            }
            r
        };
        let n = v.problems.len();
        tab_button(ui, BottomTab::Problems, format!("Problems ({n})"));
        tab_button(ui, BottomTab::Ddl, "DDL preview".into());
        if let Some(c) = v.comparison {
            tab_button(ui, BottomTab::Changes, format!("Changes ({})", c.count()))
                .on_hover_text(format!("Changes since {}", c.other));
        }
        if tab == BottomTab::Ddl {
            ui.separator();
            for d in Dialect::ALL {
                if ui
                    .selectable_label(v.prefs.ddl_dialect == d, d.display_name())
                    .clicked()
                {
                    out.push(Request::DdlDialect(d));
                }
            }
            ui.separator();
            if ui.button("Copy").clicked() {
                out.push(Request::Run(Action::CopyDdl));
            }
        }
        // The last import's report stays one click away until another document is loaded.
        if let Some(r) = v.import_report {
            ui.separator();
            let notes = r.attention();
            if ui
                .selectable_label(r.open, format!("Import report ({notes})"))
                .on_hover_text(format!(
                    "{}: {}; {notes} note(s) on skipped or partly imported statements",
                    r.file_name(),
                    r.dialect_text()
                ))
                .clicked()
            {
                out.push(Request::ShowImportReport(!r.open));
            }
        }
    });
    ui.separator();
    match v.prefs.bottom_tab {
        BottomTab::Problems => problems(v, ui, out),
        BottomTab::Ddl => ddl(v, ui),
        BottomTab::Changes => changes(v, ui, out),
    }
}

fn problems(v: &View, ui: &mut Ui, out: &mut Vec<Request>) {
    let list = v.problems;
    if list.is_empty() {
        ui.label("No problems: the model is consistent and the design lint is clean for the target dialect.");
        return;
    }
    let rules = crate::analysis::lint::all_rules();
    let mut turn_off: Option<&'static str> = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for p in list {
                let icon = match p.severity {
                    Severity::Error => "⛔",
                    Severity::Warning => "⚠",
                    Severity::Info => "ℹ",
                };
                let text = format!("{icon} {} {}: {}", p.code, p.object, p.message);
                let why = rules
                    .iter()
                    .find(|r| r.0 == p.code)
                    .map(|r| {
                        format!(
                            "{} {}: {}\nRight-click to turn the rule off for this project.",
                            r.0, r.1, r.3
                        )
                    })
                    .unwrap_or_default();
                let r = ui.selectable_label(false, text).on_hover_text(why);
                r.context_menu(|ui| {
                    if ui
                        .button(format!("Turn off {} for this project", p.code))
                        .clicked()
                    {
                        turn_off = Some(p.code);
                        ui.close();
                    }
                });
                if r.clicked() {
                    // The object starts with the table's qualified name.
                    let target = v
                        .doc
                        .project()
                        .tables()
                        .filter(|t| {
                            p.object == t.qualified_name()
                                || p.object.starts_with(&format!("{}.", t.qualified_name()))
                        })
                        .map(|t| t.id)
                        .next();
                    if let Some(t) = target {
                        out.push(Request::Reveal(t, None));
                    }
                }
            }
        });
    if let Some(code) = turn_off {
        let mut settings = v.doc.project().settings().clone();
        settings
            .lint
            .insert(code.to_string(), crate::model::RuleLevel::Off);
        out.push(Request::Apply(crate::model::Command::SetSettings(
            Box::new(settings),
        )));
    }
}

/// The comparison's change list: click a line to go to its table.
fn changes(v: &View, ui: &mut Ui, out: &mut Vec<Request>) {
    let Some(c) = v.comparison else {
        ui.label("No comparison: File ▸ Compare with file… compares with another version.");
        return;
    };
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} change(s) since {}: added tables outlined green, changed ones amber",
            c.count(),
            c.other
        ));
        if ui
            .button("Migration script…")
            .on_hover_text("The script from that version to this project, with its safety report")
            .clicked()
        {
            out.push(Request::OpenMigration);
        }
        if ui.button("Clear").clicked() {
            out.push(Request::Run(Action::ClearComparison));
            out.push(Request::BottomTab(BottomTab::Problems));
        }
    });
    if c.lines.is_empty() {
        ui.label("No differences.");
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (line, table) in &c.lines {
                let color = match line.chars().next() {
                    Some('+') => super::compare::ADDED,
                    Some('-') => egui::Color32::from_rgb(0xe0, 0x50, 0x50),
                    _ => super::compare::CHANGED,
                };
                let r =
                    ui.selectable_label(false, egui::RichText::new(line).monospace().color(color));
                if r.clicked()
                    && let Some(t) = table
                {
                    out.push(Request::Reveal(*t, None));
                }
            }
        });
}

fn ddl(v: &View, ui: &mut Ui) {
    if ddl_too_large(v) {
        ui.label("Select tables to preview their DDL (the whole project is large; use Export > Export DDL).");
        return;
    }
    let mut text = v.ddl.unwrap_or_default();
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut text)
                    .font(egui::TextStyle::Monospace)
                    .desired_width(f32::INFINITY)
                    .id_salt("ddl-preview"),
            );
        });
}
