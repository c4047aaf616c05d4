//! The migration dialog (Changes tab ▸ Migration script…): the script that takes the compared
//! version to the open project, for a chosen dialect, with its safety report. Like Django's
//! makemigrations, it asks for a one-off value for each NOT NULL column added without a
//! default to a table that may hold rows (`crowfoot diff --fill`), and shows what still fails.

use super::request::{Request, View};
use crate::model::{Dialect, Project};
use crate::sql::dialect::rules;
use crate::sql::migrate::{Fills, MigrationOptions, MigrationPlan, plan_with_fills};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the plan was computed from (recomputed when any of it changes).
#[derive(Clone, PartialEq)]
struct Key {
    version: u64,
    dialect: Dialect,
    fills: Fills,
    opts: (bool, bool, bool),
}

pub struct MigrationDialog {
    pub dialect: Dialect,
    /// One-off values typed so far, by (table, column) as NEW names them.
    pub fills: BTreeMap<(String, String), String>,
    pub concurrent_indexes: bool,
    pub fk_not_valid: bool,
    pub exact_column_order: bool,
    /// Show `down` instead of `up`.
    pub show_down: bool,
    cached: Option<(Key, Arc<MigrationPlan>)>,
}

impl MigrationDialog {
    pub fn new(dialect: Dialect) -> Self {
        MigrationDialog {
            // Not every dialect has migration scripts (see docs/migrations.md).
            dialect: if rules(dialect).migrations() {
                dialect
            } else {
                Dialect::Postgres
            },
            fills: BTreeMap::new(),
            concurrent_indexes: false,
            fk_not_valid: false,
            exact_column_order: false,
            show_down: false,
            cached: None,
        }
    }

    fn options(&self) -> MigrationOptions {
        MigrationOptions {
            concurrent_indexes: self.concurrent_indexes,
            fk_not_valid: self.fk_not_valid,
            exact_column_order: self.exact_column_order,
            ..Default::default()
        }
    }

    /// The plan (with the columns that ask for a fill), computed once per change of input.
    pub fn plan(&mut self, base: &Project, current: &Project, version: u64) -> Arc<MigrationPlan> {
        let fills: Fills = self
            .fills
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
        let key = Key {
            version,
            dialect: self.dialect,
            fills,
            opts: (
                self.concurrent_indexes,
                self.fk_not_valid,
                self.exact_column_order,
            ),
        };
        if let Some((k, plan)) = &self.cached
            && *k == key
        {
            return plan.clone();
        }
        let plan = Arc::new(plan_with_fills(
            base,
            current,
            self.dialect,
            self.options(),
            &key.fills,
        ));
        self.cached = Some((key, plan.clone()));
        plan
    }

    /// The window (`Request::CloseMigration` when it was closed).
    pub fn ui(&mut self, v: &View, ctx: &egui::Context) -> Vec<Request> {
        let Some(c) = v.comparison else {
            return vec![Request::CloseMigration];
        };
        let mut out = Vec::new();
        let mut open = true;
        let mut save = None;
        egui::Window::new(format!("Migration from {}", c.other))
            .id(egui::Id::new("migration-dialog"))
            .open(&mut open)
            .default_size([760.0, 560.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label("Dialect");
                    for d in Dialect::ALL.into_iter().filter(|d| rules(*d).migrations()) {
                        ui.selectable_value(&mut self.dialect, d, d.display_name());
                    }
                });
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.concurrent_indexes, "indexes CONCURRENTLY")
                        .on_hover_text("PostgreSQL: build indexes on existing tables without blocking writes (the script is not one transaction)");
                    ui.checkbox(&mut self.fk_not_valid, "foreign keys NOT VALID")
                        .on_hover_text("PostgreSQL: add foreign keys NOT VALID, then VALIDATE CONSTRAINT");
                    ui.checkbox(&mut self.exact_column_order, "exact column order")
                        .on_hover_text("Rebuild or reorder tables so columns are in the model's order (default: new columns are appended)");
                });
                let plan = self.plan(&c.base, v.doc.project(), v.doc.version());
                let asks = &plan.fill_candidates;
                if !asks.is_empty() {
                    ui.separator();
                    ui.strong("Values for existing rows");
                    ui.label(
                        "These NOT NULL columns are added without a default to tables that may \
                         hold rows. Give the value existing rows get (SQL of the chosen dialect, \
                         used once; the column keeps the model's default):",
                    );
                    egui::Grid::new("migration-fills").num_columns(2).show(ui, |ui| {
                        for a in asks {
                            ui.label(format!("{}.{} ({})", a.table, a.column, a.ty));
                            let v = self
                                .fills
                                .entry((a.table.clone(), a.column.clone()))
                                .or_default();
                            ui.add(
                                egui::TextEdit::singleline(v)
                                    .id_salt(("fill", a.table.as_str(), a.column.as_str()))
                                    .hint_text("e.g. 0, '', CURRENT_TIMESTAMP")
                                    .desired_width(220.0),
                            );
                            ui.end_row();
                        }
                    });
                }
                ui.separator();
                let m = if self.show_down { &plan.down } else { &plan.up };
                if m.safety.is_empty() {
                    ui.label("Safety: nothing to report.");
                } else {
                    for issue in &m.safety {
                        let color = if issue.code == "MG004" {
                            egui::Color32::from_rgb(0xe0, 0x50, 0x50)
                        } else {
                            super::compare::CHANGED
                        };
                        ui.colored_label(color, issue.to_string());
                    }
                }
                for w in &m.warnings {
                    ui.weak(w.to_string());
                }
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.show_down, false, "up.sql");
                    ui.selectable_value(&mut self.show_down, true, "down.sql");
                    if ui.button("Copy").clicked() {
                        ui.ctx().copy_text(m.sql.clone());
                        out.push(Request::Status("Migration script copied".into()));
                    }
                    if ui.button("Save…").clicked() {
                        save = Some(m.sql.clone());
                    }
                });
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(&mut m.sql.as_str())
                                .font(egui::TextStyle::Monospace)
                                .desired_width(f32::INFINITY)
                                .id_salt("migration-sql"),
                        );
                    });
            });
        if let Some(sql) = save {
            let what = if self.show_down {
                "Migration (down)"
            } else {
                "Migration (up)"
            };
            out.push(Request::Export {
                what,
                ext: "sql",
                bytes: sql.into_bytes(),
            });
        }
        if !open {
            out.push(Request::CloseMigration);
        }
        out
    }
}
