//! Model ▸ Find path (issue 16): the shortest foreign-key paths between two tables
//! (`analysis::explore`), listed in a window; the chosen one is highlighted on the canvas
//! (everything else veiled) and "Copy as JOIN" copies the SELECT … JOIN that follows it, in the
//! project's target dialect.

use super::request::{Request, View};
use crate::analysis::explore::{self, FkPath};
use crate::model::{ForeignKeyId, Project, TableId};
use std::collections::BTreeSet;

#[derive(Default)]
pub struct PathPanel {
    pub open: bool,
    pub from: String,
    pub to: String,
    /// Tables a path may not cross, comma-separated.
    pub ignore: String,
    /// Paths for (version, from, to, ignore), or why there are none.
    result: Option<(Key, Result<Vec<FkPath>, String>)>,
    /// The path shown on the canvas.
    pub chosen: usize,
}

type Key = (u64, String, String, String);

impl PathPanel {
    /// Open between `a` and `b` (the two selected tables, in the order given).
    pub fn open_between(&mut self, p: &Project, a: Option<TableId>, b: Option<TableId>) {
        self.open = true;
        let name = |t: Option<TableId>| t.and_then(|t| p.table(t)).map(|t| t.qualified_name());
        if let Some(a) = name(a) {
            self.from = a;
        }
        if let Some(b) = name(b) {
            self.to = b;
        }
        self.chosen = 0;
    }

    /// The paths of the current question, computed once per project version and question.
    pub fn paths(&mut self, p: &Project, version: u64) -> &Result<Vec<FkPath>, String> {
        let key = (
            version,
            self.from.clone(),
            self.to.clone(),
            self.ignore.clone(),
        );
        if self.result.as_ref().is_none_or(|(k, _)| *k != key) {
            let r = find(p, &self.from, &self.to, &self.ignore);
            self.result = Some((key, r));
        }
        &self.result.as_ref().expect("just computed").1
    }

    /// The chosen path's tables and keys, to highlight on the canvas (when open).
    pub fn highlight(&self) -> Option<(BTreeSet<TableId>, BTreeSet<ForeignKeyId>)> {
        if !self.open {
            return None;
        }
        let (_, Ok(paths)) = self.result.as_ref()? else {
            return None;
        };
        let path = paths.get(self.chosen)?;
        Some((
            path.tables.iter().copied().collect(),
            path.steps.iter().map(|s| s.fk).collect(),
        ))
    }

    pub fn ui(&mut self, view: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        let mut open = self.open;
        super::widgets::closable_window(ctx, "Find path", &mut open, [460.0, 0.0], |ui| {
            self.contents(view, ui, &mut out)
        });
        self.open = open;
        out
    }

    fn contents(&mut self, view: &View, ui: &mut egui::Ui, out: &mut Vec<Request>) {
        let p = view.doc.project();
        egui::Grid::new("paths-grid").num_columns(2).show(ui, |ui| {
            ui.label("From");
            ui.add(egui::TextEdit::singleline(&mut self.from).id_salt("path-from"));
            ui.end_row();
            ui.label("To");
            ui.add(egui::TextEdit::singleline(&mut self.to).id_salt("path-to"));
            ui.end_row();
            ui.label("Avoid");
            ui.add(
                egui::TextEdit::singleline(&mut self.ignore)
                    .id_salt("path-ignore")
                    .hint_text("hub tables, e.g. users, tenants"),
            )
            .on_hover_text("Tables no path may go through (comma-separated)");
            ui.end_row();
        });
        if ui.button("⇄ Swap").clicked() {
            std::mem::swap(&mut self.from, &mut self.to);
        }
        ui.separator();
        let dialect = p.settings().target_dialect;
        let chosen = self.chosen;
        let paths = match self.paths(p, view.doc.version()) {
            Ok(paths) => paths.clone(),
            Err(e) => {
                ui.colored_label(ui.visuals().warn_fg_color, e);
                return;
            }
        };
        if paths.is_empty() {
            ui.label("No foreign-key path between these tables.");
            return;
        }
        let mut pick = None;
        for (i, path) in paths.iter().enumerate() {
            let text = describe(p, path);
            if ui
                .selectable_label(i == chosen, format!("{}. {text}", i + 1))
                .clicked()
            {
                pick = Some(i);
            }
        }
        if let Some(i) = pick {
            self.chosen = i;
        }
        let Some(path) = paths.get(self.chosen) else {
            return;
        };
        ui.horizontal(|ui| {
            if ui
                .button("Copy as JOIN")
                .on_hover_text(format!(
                    "SELECT … FROM … JOIN … ON … with the keys' columns, in {}",
                    dialect.display_name()
                ))
                .clicked()
            {
                ui.ctx().copy_text(explore::join_sql(p, path, dialect));
                out.push(Request::Status(format!(
                    "JOIN of {} tables copied ({})",
                    path.tables.len(),
                    dialect.display_name()
                )));
            }
            if ui.button("Select these tables").clicked() {
                out.push(Request::SelectOnly(path.tables.clone()));
            }
        });
    }
}

/// `a -> b <- c`: arrows point at the referenced table (ASCII: the studio's fonts have no
/// `→`).
pub fn describe(p: &Project, path: &FkPath) -> String {
    let name = |t: TableId| p.table(t).map_or_else(String::new, |t| t.qualified_name());
    let mut s = name(path.tables[0]);
    for (i, step) in path.steps.iter().enumerate() {
        s.push_str(if step.forward { " -> " } else { " <- " });
        s.push_str(&name(path.tables[i + 1]));
    }
    s
}

fn find(p: &Project, from: &str, to: &str, ignore: &str) -> Result<Vec<FkPath>, String> {
    if from.trim().is_empty() || to.trim().is_empty() {
        return Err("Name two tables (or select two and press P).".into());
    }
    let avoid: Vec<&str> = ignore.split(',').collect();
    explore::paths_between(p, from.trim(), to.trim(), &avoid, 5)
}
