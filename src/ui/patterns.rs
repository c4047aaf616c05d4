//! Model ▸ Apply pattern… (issue 20): choose a design pattern (and its table, the selected one
//! by default), see what it adds (`analysis::patterns::plan`), and apply it, or take it out
//! again, as one undoable edit.

use super::request::{Request, View};
use crate::analysis::patterns::{self, Options, Pattern, PatternPlan};
use crate::model::TableId;
use strum::IntoEnumIterator;

#[derive(Default)]
pub struct PatternPanel {
    pub open: bool,
    /// `None`: history, the first pattern.
    pattern: Option<Pattern>,
    /// `None`: the selected table.
    table: Option<TableId>,
    remove: bool,
    /// The tables a read model joins (empty: the ones its table references).
    join: Vec<TableId>,
    /// The columns of a temporal key (empty: the primary key), for the table they were chosen on.
    key: (Option<TableId>, Vec<crate::model::ColumnId>),
    /// The tables offered for `join` (within two keys of the table), per table and version.
    near: Option<((u64, TableId), Vec<TableId>)>,
    /// The plan of the document version and choices it was made for (planning hands out
    /// ids, so it is not redone every frame).
    cache: Option<(Key, Result<PatternPlan, String>)>,
}

type Key = (
    u64,
    Pattern,
    Option<TableId>,
    bool,
    Vec<TableId>,
    Vec<crate::model::ColumnId>,
);

impl PatternPanel {
    pub fn ui(&mut self, view: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        let mut open = self.open;
        super::widgets::closable_window(ctx, "Apply pattern", &mut open, [480.0, 560.0], |ui| {
            self.contents(view, ui, &mut out)
        });
        self.open = open && self.open;
        out
    }

    fn contents(&mut self, view: &View, ui: &mut egui::Ui, out: &mut Vec<Request>) {
        let p = view.doc.project();
        let pattern = self.pattern.unwrap_or(Pattern::History);
        egui::ComboBox::from_label("Pattern")
            .selected_text(pattern.name())
            .show_ui(ui, |ui| {
                for x in Pattern::iter() {
                    ui.selectable_value(&mut self.pattern, Some(x), x.name());
                }
            });
        ui.weak(pattern.summary());
        let table = if pattern.needs_table() {
            let table = self
                .table
                .or_else(|| view.sel.single())
                .filter(|t| p.table(*t).is_some());
            let shown = table
                .and_then(|t| p.table(t))
                .map_or("(choose a table)".to_string(), |t| t.qualified_name());
            egui::ComboBox::from_label("Table")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for t in p.tables() {
                        ui.selectable_value(&mut self.table, Some(t.id), t.qualified_name());
                    }
                });
            table
        } else {
            None
        };
        match (pattern, table, self.remove) {
            (Pattern::ReadModel, Some(t), false) => self.join_choice(view, t, ui),
            (Pattern::Temporal, Some(t), false) => self.key_choice(view, t, ui),
            _ => {}
        }
        ui.checkbox(&mut self.remove, "Remove it instead (found by its names)");
        ui.separator();
        if pattern.needs_table() && table.is_none() {
            ui.label("Choose a table.");
            return;
        }
        let join = if pattern == Pattern::ReadModel {
            self.join.clone()
        } else {
            Vec::new()
        };
        let key_cols = match (pattern, table) {
            (Pattern::Temporal, Some(t)) if self.key.0 == Some(t) => self.key.1.clone(),
            _ => Vec::new(),
        };
        let key = (
            view.doc.version(),
            pattern,
            table,
            self.remove,
            join.clone(),
            key_cols.clone(),
        );
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let opts = Options {
                table: table.and_then(|t| p.table(t)).map(|t| t.qualified_name()),
                join: join
                    .iter()
                    .filter_map(|t| p.table(*t))
                    .map(|t| t.qualified_name())
                    .collect(),
                key: table
                    .and_then(|t| p.table(t))
                    .map(|t| {
                        key_cols
                            .iter()
                            .filter_map(|c| t.column(*c))
                            .map(|c| c.name.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
                ..Options::default()
            };
            let plan = if self.remove {
                patterns::remove_plan(p, pattern, &opts)
            } else {
                patterns::plan(p, pattern, &opts)
            };
            self.cache = Some((key, plan));
        }
        let Some((_, plan)) = &self.cache else {
            return;
        };
        match plan {
            Ok(plan) => {
                // The button first: it stays in the window however long the preview is.
                let text = if self.remove { "Remove" } else { "Apply" };
                if ui.button(text).on_hover_text(&plan.label).clicked() {
                    out.push(Request::Apply(plan.command.clone()));
                    self.open = false;
                }
                egui::ScrollArea::vertical()
                    .id_salt("pattern preview")
                    .max_height(ui.available_height().clamp(120.0, 320.0))
                    .show(ui, |ui| {
                        for c in &plan.changes {
                            ui.label(c);
                        }
                        for n in &plan.notes {
                            ui.weak(format!("note: {n}"));
                        }
                    });
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
    }

    /// Read model: the tables to join, chosen among those within two keys of `table`.
    fn join_choice(&mut self, view: &View, table: TableId, ui: &mut egui::Ui) {
        let p = view.doc.project();
        let key = (view.doc.version(), table);
        if self.near.as_ref().is_none_or(|(k, _)| *k != key) {
            let near = crate::analysis::explore::FkGraph::new(p)
                .neighbourhood(&[table], 2, crate::analysis::explore::Direction::Both)
                .into_iter()
                .filter(|(t, _)| *t != table)
                .map(|(t, _)| t)
                .collect();
            self.join.retain(|t| *t != table && p.table(*t).is_some());
            self.near = Some((key, near));
        }
        let Some((_, near)) = &self.near else {
            return;
        };
        ui.label("Join with (none ticked: the tables it references)");
        egui::ScrollArea::vertical()
            .id_salt("read model joins")
            .max_height(120.0)
            .show(ui, |ui| {
                for t in near {
                    let Some(tt) = p.table(*t) else { continue };
                    let mut on = self.join.contains(t);
                    if ui.checkbox(&mut on, tt.qualified_name()).changed() {
                        if on {
                            self.join.push(*t);
                        } else {
                            self.join.retain(|x| x != t);
                        }
                    }
                }
            });
    }

    /// Temporal: the key whose periods may not overlap, among `table`'s columns.
    fn key_choice(&mut self, view: &View, table: TableId, ui: &mut egui::Ui) {
        let Some(t) = view.doc.project().table(table) else {
            return;
        };
        if self.key.0 != Some(table) {
            self.key = (Some(table), Vec::new());
        }
        ui.label("Key whose periods may not overlap (none ticked: the primary key)");
        egui::ScrollArea::vertical()
            .id_salt("temporal key")
            .max_height(120.0)
            .show(ui, |ui| {
                for c in &t.columns {
                    let mut on = self.key.1.contains(&c.id);
                    if ui.checkbox(&mut on, &c.name).changed() {
                        if on {
                            self.key.1.push(c.id);
                        } else {
                            self.key.1.retain(|x| *x != c.id);
                        }
                    }
                }
            });
    }
}
