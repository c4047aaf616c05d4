//! The table list (left) and the Problems / DDL tabs (bottom).

use super::studio::{BottomTab, Studio};
use crate::analysis::check::Severity;
use crate::model::{Dialect, TableId};
use egui::Ui;

/// Left panel: every table, filtered by a search box; click to select and reveal.
pub fn table_list(s: &mut Studio, ui: &mut Ui) {
    ui.heading("Tables");
    ui.add(
        egui::TextEdit::singleline(&mut s.tree_filter)
            .hint_text("filter tables and columns")
            .id_salt("tree-filter"),
    );
    let needle = s.tree_filter.to_lowercase();
    let rows: Vec<(TableId, String, usize, bool)> = s
        .doc
        .project()
        .tables()
        .filter(|t| {
            needle.is_empty()
                || t.qualified_name().to_lowercase().contains(&needle)
                || t.columns
                    .iter()
                    .any(|c| c.name.to_lowercase().contains(&needle))
        })
        .map(|t| {
            (
                t.id,
                t.qualified_name(),
                t.columns.len(),
                t.primary_key.is_some(),
            )
        })
        .collect();
    let mut rows = rows;
    rows.sort_by_key(|r| r.1.to_lowercase());
    ui.weak(format!(
        "{} of {}",
        rows.len(),
        s.doc.project().table_count()
    ));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for (id, name, cols, has_pk) in &rows[range] {
                let selected = s.sel.tables.contains(id);
                let text = format!("{name}  ·{cols}{}", if *has_pk { "" } else { "  (no PK)" });
                if ui.selectable_label(selected, text).clicked() {
                    s.reveal(*id, None);
                }
            }
        });
}

/// Bottom panel: Problems (from `check`) and the live DDL preview.
pub fn bottom_panel(s: &mut Studio, ui: &mut Ui) {
    ui.horizontal(|ui| {
        let n = s.problems().len();
        ui.selectable_value(
            &mut s.prefs.bottom_tab,
            BottomTab::Problems,
            format!("Problems ({n})"),
        );
        ui.selectable_value(&mut s.prefs.bottom_tab, BottomTab::Ddl, "DDL preview");
        if let Some(c) = &s.comparison {
            ui.selectable_value(
                &mut s.prefs.bottom_tab,
                BottomTab::Changes,
                format!("Changes ({})", c.count()),
            )
            .on_hover_text(format!("Changes since {}", c.other));
        }
        if s.prefs.bottom_tab == BottomTab::Ddl {
            ui.separator();
            for d in Dialect::ALL {
                ui.selectable_value(&mut s.prefs.ddl_dialect, d, d.display_name());
            }
            ui.separator();
            if ui.button("Copy").clicked() {
                s.run(ui, super::actions::Action::CopyDdl);
            }
        }
        // The last import's report stays one click away until another document is loaded.
        if let Some(r) = &mut s.import_report {
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
                r.open = !r.open;
            }
        }
    });
    ui.separator();
    match s.prefs.bottom_tab {
        BottomTab::Problems => problems(s, ui),
        BottomTab::Ddl => ddl(s, ui),
        BottomTab::Changes => changes(s, ui),
    }
}

fn problems(s: &mut Studio, ui: &mut Ui) {
    let list: Vec<_> = s.problems().to_vec();
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
                    let target = s
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
                        s.reveal(t, None);
                    }
                }
            }
        });
    if let Some(code) = turn_off {
        let mut settings = s.doc.project().settings().clone();
        settings
            .lint
            .insert(code.to_string(), crate::model::RuleLevel::Off);
        s.apply(crate::model::Command::SetSettings(Box::new(settings)));
    }
}

/// The comparison's change list: click a line to go to its table.
fn changes(s: &mut Studio, ui: &mut Ui) {
    let Some(c) = s.comparison.clone() else {
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
            s.migration = Some(super::migration::MigrationDialog::new(
                s.doc.project().settings().target_dialect,
            ));
        }
        if ui.button("Clear").clicked() {
            s.comparison = None;
            s.canvas.marks.clear();
            s.prefs.bottom_tab = BottomTab::Problems;
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
                    s.reveal(*t, None);
                }
            }
        });
}

fn ddl(s: &mut Studio, ui: &mut Ui) {
    let large = s.sel.tables.is_empty() && s.doc.project().table_count() > 300;
    if large {
        ui.label("Select tables to preview their DDL (the whole project is large; use Export > Export DDL).");
        return;
    }
    let text = s.ddl_preview().to_string();
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut text.as_str())
                    .font(egui::TextStyle::Monospace)
                    .desired_width(f32::INFINITY)
                    .id_salt("ddl-preview"),
            );
        });
}
