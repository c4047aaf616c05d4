//! The Indexes tab's advisor on a PostgreSQL server (issue 17): the run on another thread
//! with its stage and a Cancel button, the suggestions with Accept (one undoable command
//! each), and each served statement's plans before and after as trees with their costs, the
//! nodes that changed highlighted.

use super::request::{Request, View};
use crate::analysis::advisor::pg::{self, PgAdvice, PgControl, PgError, PgOptions, PgTarget};
use egui::{Color32, RichText, Ui};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// A run in progress.
pub struct PgJob {
    pub control: Arc<PgControl>,
    result: Receiver<Result<PgAdvice, PgError>>,
    version: u64,
    started: Instant,
}

/// The PostgreSQL side of the advisor: URL being edited, the running job, the last result.
#[derive(Default)]
pub struct PgAdvisor {
    /// The server URL as typed (saved in the preferences when it holds no password).
    pub url: String,
    url_loaded: bool,
    pub job: Option<PgJob>,
    /// The last result and the document version it was computed at.
    pub advice: Option<(u64, PgAdvice)>,
    pub error: Option<String>,
}

const NEW: Color32 = Color32::from_rgb(0x2e, 0x9d, 0x42);
const GONE: Color32 = Color32::from_rgb(0xd0, 0x80, 0x20);

impl PgAdvisor {
    /// Start a run on `workload` for the document as it is now.
    pub fn start(&mut self, v: &View, workload: &str) {
        let target = match PgTarget::parse(self.url.trim()) {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        let control = Arc::new(PgControl::default());
        let opts = PgOptions {
            control: Some(Arc::clone(&control)),
            ..Default::default()
        };
        let project = v.doc.project().clone();
        let workload = workload.to_string();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(pg::advise_postgres(&project, &workload, &target, &opts));
        });
        self.error = None;
        self.job = Some(PgJob {
            control,
            result: rx,
            version: v.doc.version(),
            started: Instant::now(),
        });
    }

    /// Take a finished run's result.
    fn poll(&mut self, ui: &Ui) {
        let Some(job) = &self.job else { return };
        match job.result.try_recv() {
            Ok(Ok(a)) => {
                self.advice = Some((job.version, a));
                self.job = None;
            }
            Ok(Err(PgError::Cancelled)) => {
                self.error = Some("Cancelled: nothing was suggested".into());
                self.job = None;
            }
            Ok(Err(e)) => {
                self.error = Some(e.to_string());
                self.job = None;
            }
            Err(TryRecvError::Empty) => {
                ui.ctx().request_repaint_after(Duration::from_millis(200));
            }
            Err(TryRecvError::Disconnected) => {
                self.error = Some("The advisor stopped without a result".into());
                self.job = None;
            }
        }
    }

    /// The URL field, Run (`run`: the button was pressed), the running job and the results.
    pub fn ui(&mut self, v: &View, ui: &mut Ui, workload: &str, out: &mut Vec<Request>) {
        if !self.url_loaded {
            self.url = v.prefs.pg_url.clone();
            self.url_loaded = true;
        }
        self.poll(ui);
        let field = ui.add(
            egui::TextEdit::singleline(&mut self.url)
                .id_salt("ix-pg-url")
                .hint_text("postgres://user@host:5432/postgres?scratch=1")
                .desired_width(f32::INFINITY),
        );
        field.on_hover_text(
            "scratch=1: a temporary database on that server, filled with synthetic rows from \
             the estimates and dropped afterwards. Without it: that database (a staging copy \
             with hypopg) is only read. Saved in the preferences unless it holds a password; \
             never in the project.",
        );
        ui.horizontal(|ui| {
            let running = self.job.is_some();
            if ui
                .add_enabled(
                    !running && !workload.trim().is_empty() && !self.url.trim().is_empty(),
                    egui::Button::new("Run advisor"),
                )
                .clicked()
            {
                if !has_password(&self.url) && self.url.trim() != v.prefs.pg_url {
                    out.push(Request::PgUrl(self.url.trim().to_string()));
                }
                self.start(v, workload);
            }
            if let Some(job) = &self.job {
                // Cancel before the stage text, which may be long.
                if ui.button("Cancel").clicked() {
                    job.control.cancel();
                }
                ui.spinner();
            } else if self
                .advice
                .as_ref()
                .is_some_and(|(av, _)| *av != v.doc.version())
            {
                ui.weak("(model changed since: run again)");
            }
        });
        if let Some(job) = &self.job {
            ui.weak(format!(
                "{} ({:.0} s)",
                job.control.stage(),
                job.started.elapsed().as_secs_f32()
            ));
        }
        if let Some(e) = &self.error {
            ui.colored_label(Color32::from_rgb(0xe0, 0x40, 0x40), e);
        }
        let Some((_, advice)) = &self.advice else {
            return;
        };
        ui.weak(format!("PostgreSQL {}", advice.server_version));
        for e in &advice.errors {
            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {e}"));
        }
        if advice.suggested.is_empty() {
            ui.label("No index lowers the workload's cost by 10 % or more.");
        }
        let mut accept = None;
        for (i, s) in advice.suggested.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                let exists = v
                    .doc
                    .project()
                    .table(s.table_id)
                    .is_some_and(|t| t.indexes.iter().any(|x| x.name == s.index.name));
                if exists {
                    ui.weak("✔ added");
                } else if ui
                    .small_button("Accept")
                    .on_hover_text("Add this index to the model (undoable)")
                    .clicked()
                {
                    accept = Some(i);
                }
                let include = if s.include.is_empty() {
                    String::new()
                } else {
                    format!(" INCLUDE ({})", s.include.join(", "))
                };
                let predicate = s
                    .predicate
                    .as_ref()
                    .map(|w| format!(" WHERE {w}"))
                    .unwrap_or_default();
                ui.monospace(format!(
                    "{} ({}){include}{predicate}",
                    s.table,
                    s.columns.join(", ")
                ));
                ui.weak(format!(
                    "saves {:.0} (weighted cost), {} statement(s)",
                    s.benefit,
                    s.queries.len()
                ));
            });
            egui::CollapsingHeader::new(format!("Plans: {}", s.index.name))
                .id_salt(("ix-pg-plans", i))
                .show(ui, |ui| {
                    for (j, q) in s.queries.iter().enumerate() {
                        ui.monospace(q.sql.split_whitespace().collect::<Vec<_>>().join(" "));
                        ui.label(format!("cost {:.1} -> {:.1}", q.cost_before, q.cost_after));
                        let before = plan_keys(&q.plan_before);
                        let after = plan_keys(&q.plan_after);
                        ui.columns(2, |cols| {
                            cols[0].weak("before");
                            plan_tree(&mut cols[0], &q.plan_before, &after, GONE, (i, j, 0));
                            cols[1].weak("after");
                            plan_tree(&mut cols[1], &q.plan_after, &before, NEW, (i, j, 1));
                        });
                        ui.separator();
                    }
                });
        }
        for d in &advice.drop {
            ui.weak(format!(
                "drop candidate: {} on {} (no plan uses it; {} covers it)",
                d.index, d.table, d.covered_by
            ));
        }
        if let Some(i) = accept {
            let s = &advice.suggested[i];
            out.push(match pg::accept(v.doc.project(), s) {
                Ok(cmd) => Request::Apply(cmd),
                Err(e) => Request::Status(format!("Accept: {e}")),
            });
        }
    }
}

/// `user:password@` in a URL.
fn has_password(url: &str) -> bool {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .is_some_and(|(auth, _)| auth.contains(':'))
}

/// What identifies a plan node across the two plans: type, relation, index.
fn node_key(n: &Value) -> String {
    let s = |k: &str| n.get(k).and_then(Value::as_str).unwrap_or("");
    format!(
        "{}|{}|{}",
        s("Node Type"),
        s("Relation Name"),
        s("Index Name")
    )
}

fn plan_keys(plan: &Value) -> HashSet<String> {
    fn walk(n: &Value, out: &mut HashSet<String>) {
        out.insert(node_key(n));
        for c in n
            .get("Plans")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(c, out);
        }
    }
    let mut out = HashSet::new();
    if let Some(root) = plan.get(0).and_then(|p| p.get("Plan")) {
        walk(root, &mut out);
    }
    out
}

/// A plan (EXPLAIN FORMAT JSON) as a tree; nodes whose key `other` lacks in `color`.
fn plan_tree(
    ui: &mut Ui,
    plan: &Value,
    other: &HashSet<String>,
    color: Color32,
    id: (usize, usize, u8),
) {
    fn node(ui: &mut Ui, n: &Value, other: &HashSet<String>, color: Color32, path: String) {
        let s = |k: &str| n.get(k).and_then(Value::as_str);
        let f = |k: &str| n.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        let mut text = s("Node Type").unwrap_or("?").to_string();
        if let Some(i) = s("Index Name") {
            text.push_str(&format!(" using {i}"));
        }
        if let Some(r) = s("Relation Name") {
            text.push_str(&format!(" on {r}"));
        }
        text.push_str(&format!(
            "  cost {:.1}..{:.1}  rows {:.0}",
            f("Startup Cost"),
            f("Total Cost"),
            f("Plan Rows")
        ));
        let changed = !other.contains(&node_key(n));
        let label = if changed {
            RichText::new(text).size(12.0).color(color).strong()
        } else {
            RichText::new(text).size(12.0)
        };
        let children: Vec<&Value> = n
            .get("Plans")
            .and_then(Value::as_array)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        if children.is_empty() {
            ui.label(label);
        } else {
            egui::CollapsingHeader::new(label)
                .id_salt(&path)
                .default_open(true)
                .show(ui, |ui| {
                    for (k, c) in children.into_iter().enumerate() {
                        node(ui, c, other, color, format!("{path}/{k}"));
                    }
                });
        }
    }
    if let Some(root) = plan.get(0).and_then(|p| p.get("Plan")) {
        node(ui, root, other, color, format!("plan-{id:?}"));
    }
}
