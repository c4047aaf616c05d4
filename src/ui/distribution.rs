//! Model ▸ Plan distribution… (issue 18 §4): every table with its role on a distributed
//! database (the stored one, else the planner's suggestion, `analysis::distribution`), each
//! editable, the engine to judge for, and that engine's DS findings for the roles as edited,
//! live. Accept stores the roles as one undoable edit.

use super::request::{Request, View};
use crate::analysis::check::Problem;
use crate::analysis::distribution::{self, Engine, Plan, Planned};
use crate::model::{Command, Distribution, Project, TableId};
use std::collections::BTreeMap;

/// What the findings were computed for: the document version, the engine and the roles.
type FindingsKey = (u64, Engine, Vec<(TableId, Distribution)>);

pub struct DistributionPanel {
    pub open: bool,
    /// The engine the findings are for.
    pub engine: Engine,
    /// The plan when the window opened or the project last changed: key, root, reasons.
    plan: Option<(u64, Plan)>,
    /// The roles as the user edits them.
    pub roles: BTreeMap<TableId, Distribution>,
    /// The findings for (document version, engine, roles).
    findings: Option<(FindingsKey, Vec<Problem>)>,
}

impl Default for DistributionPanel {
    fn default() -> Self {
        DistributionPanel {
            open: false,
            engine: Engine::Citus,
            plan: None,
            roles: BTreeMap::new(),
            findings: None,
        }
    }
}

impl DistributionPanel {
    /// Open on the current plan (forgetting earlier edits).
    pub fn open(&mut self) {
        self.open = true;
        self.plan = None;
    }

    pub fn ui(&mut self, view: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        let mut open = self.open;
        super::widgets::closable_window(ctx, "Plan distribution", &mut open, [560.0, 0.0], |ui| {
            self.contents(view, ui, &mut out)
        });
        self.open = open && self.open;
        out
    }

    /// The plan for this document version, the roles reset to it when the project changed.
    fn refresh(&mut self, p: &Project, version: u64) {
        if self.plan.as_ref().is_some_and(|(v, _)| *v == version) {
            return;
        }
        // The planner cannot fail without a forced key.
        let plan = distribution::plan(p, None).unwrap_or_else(|_| Plan {
            key: None,
            root: None,
            tables: Vec::new(),
        });
        self.roles = plan.tables.iter().map(|x| (x.table, x.role)).collect();
        self.plan = Some((version, plan));
    }

    /// The plan with the edited roles (a role the user changed counts as stored).
    fn edited(&self, plan: &Plan) -> Plan {
        let tables = plan
            .tables
            .iter()
            .map(|x| {
                let role = self.roles.get(&x.table).copied().unwrap_or(x.role);
                Planned {
                    role,
                    stored: x.stored || role != x.role,
                    ..x.clone()
                }
            })
            .collect();
        Plan {
            tables,
            ..plan.clone()
        }
    }

    fn contents(&mut self, view: &View, ui: &mut egui::Ui, out: &mut Vec<Request>) {
        let p = view.doc.project();
        self.refresh(p, view.doc.version());
        let Some((_, plan)) = &self.plan else { return };
        let plan = plan.clone();
        ui.horizontal(|ui| {
            ui.label("Engine");
            for e in Engine::ALL {
                ui.radio_value(&mut self.engine, e, e.display_name());
            }
        });
        let key = match (&plan.key, plan.root.and_then(|r| p.table(r))) {
            (Some(k), Some(r)) => format!("Key {k}, root {}", r.qualified_name()),
            (Some(k), None) => format!("Key {k}"),
            (None, _) => "No distribution key in the foreign-key graph".into(),
        };
        ui.label(format!(
            "{key} · {} role(s) stored, {} suggested",
            plan.stored_count(),
            plan.tables.len() - plan.stored_count()
        ));
        if !self.engine.uses_roles() {
            ui.weak("CockroachDB and YugabyteDB shard every table by its primary key: the roles are not used.");
        }
        egui::ScrollArea::vertical()
            .id_salt("distribution roles")
            .max_height(300.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("distribution grid")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for x in &plan.tables {
                            let Some(t) = p.table(x.table) else { continue };
                            let role = self.roles.entry(t.id).or_insert(x.role);
                            egui::ComboBox::from_id_salt(("distribution role", t.id))
                                .selected_text(Plan::describe(*role, t))
                                .width(220.0)
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(role, Distribution::Reference, "reference");
                                    ui.selectable_value(role, Distribution::Local, "local");
                                    for c in &t.columns {
                                        ui.selectable_value(
                                            role,
                                            Distribution::Distributed(c.id),
                                            format!("distributed by {}", c.name),
                                        );
                                    }
                                })
                                .response
                                .widget_info(|| {
                                    egui::WidgetInfo::labeled(
                                        egui::WidgetType::ComboBox,
                                        true,
                                        t.qualified_name(),
                                    )
                                });
                            let source = if x.stored { "stored" } else { "suggested" };
                            ui.label(format!("{}  ({source})", t.qualified_name()))
                                .on_hover_text(&x.reason);
                            ui.end_row();
                        }
                    });
            });
        let edited = self.edited(&plan);
        let engine = self.engine.display_name();
        let problems = self.findings_for(p, view.doc.version(), &edited);
        ui.separator();
        ui.label(format!("{} finding(s) for {engine}", problems.len()));
        egui::ScrollArea::vertical()
            .id_salt("distribution findings")
            .max_height(160.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for pr in problems {
                    ui.label(pr.to_string());
                }
            });
        let edits = distribution::set_roles(p, self.roles.iter().map(|(t, r)| (*t, *r)));
        let n = edits.len();
        if ui
            .add_enabled(n > 0, egui::Button::new(format!("Accept ({n} roles)")))
            .on_hover_text("Store these roles in the project (one undoable edit)")
            .clicked()
        {
            out.push(Request::Apply(Command::Batch(edits)));
            self.open = false;
        }
    }

    /// The engine's findings for the edited plan, computed once per change.
    fn findings_for(&mut self, p: &Project, version: u64, plan: &Plan) -> &[Problem] {
        let key: FindingsKey = (
            version,
            self.engine,
            plan.tables.iter().map(|x| (x.table, x.role)).collect(),
        );
        if self.findings.as_ref().is_none_or(|(k, _)| *k != key) {
            let found = distribution::check(p, self.engine, plan);
            self.findings = Some((key, found));
        }
        self.findings
            .as_ref()
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }
}
