//! Model ▸ Classify sensitive data… (issue 18): the classification of every column
//! (`analysis::privacy::classify`) as a review list with a checkbox per finding (medium and high
//! ones checked, low ones shown on request), the data subjects (marked or suggested) with a
//! checkbox each, and Accept applying the tags `pii` + `pii:<category>` and the marks as one
//! undoable edit. The privacy report is one click away.

use super::actions::Action;
use super::request::{Request, View};
use crate::analysis::privacy::{Confidence, Finding, classify, classify as cl, erasure};
use crate::model::{ColumnId, Command, TableId};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct PrivacyPanel {
    pub open: bool,
    /// Show the low-confidence findings (references to people, free text elsewhere).
    show_low: bool,
    /// The findings of the document version they were made for, and the data subjects
    /// (`true`: suggested, none being marked).
    cache: Option<Cached>,
    /// The user's choices, kept across edits while the column still has a finding.
    checked: BTreeMap<(TableId, ColumnId), bool>,
    subjects: BTreeMap<TableId, bool>,
}

struct Cached {
    version: u64,
    findings: Vec<Finding>,
    subjects: Vec<TableId>,
    suggested: bool,
}

impl PrivacyPanel {
    pub fn ui(&mut self, view: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        let mut open = self.open;
        super::widgets::closable_window(
            ctx,
            "Classify sensitive data",
            &mut open,
            [560.0, 0.0],
            |ui| self.contents(view, ui, &mut out),
        );
        self.open = open && self.open;
        out
    }

    fn refresh(&mut self, view: &View) {
        let version = view.doc.version();
        if self.cache.as_ref().is_some_and(|c| c.version == version) {
            return;
        }
        let p = view.doc.project();
        let findings = classify(p);
        let (subjects, suggested) = erasure::subjects_of(p, &findings);
        // Keep the user's choices for columns that still have a finding; new ones start
        // checked when medium or high and not yet tagged.
        let mut checked = BTreeMap::new();
        for f in &findings {
            let key = (f.table_id, f.column_id);
            let tagged = p
                .table(f.table_id)
                .and_then(|t| t.column(f.column_id))
                .is_some_and(|c| cl::tags_of(f).iter().all(|g| c.tags.contains(g)));
            let default = f.confidence >= Confidence::Medium && !tagged;
            checked.insert(key, self.checked.get(&key).copied().unwrap_or(default));
        }
        self.checked = checked;
        self.subjects = subjects
            .iter()
            .map(|t| (*t, self.subjects.get(t).copied().unwrap_or(true)))
            .collect();
        self.cache = Some(Cached {
            version,
            findings,
            subjects,
            suggested,
        });
    }

    fn contents(&mut self, view: &View, ui: &mut egui::Ui, out: &mut Vec<Request>) {
        self.refresh(view);
        let p = view.doc.project();
        let Some(c) = &self.cache else { return };
        let shown: Vec<&Finding> = c
            .findings
            .iter()
            .filter(|f| self.show_low || f.confidence >= Confidence::Medium)
            .collect();
        let low = c.findings.len()
            - c.findings
                .iter()
                .filter(|f| f.confidence >= Confidence::Medium)
                .count();
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} columns hold personal data ({} low)",
                c.findings.len(),
                low
            ));
            ui.checkbox(&mut self.show_low, "Show low")
                .on_hover_text("References to people and free text in other tables: reviewed, not tagged by default");
        });
        if shown.is_empty() {
            ui.label("No column looks like personal data.");
        }
        egui::ScrollArea::vertical()
            .id_salt("privacy findings")
            .max_height(340.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("privacy grid")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for f in &shown {
                            let key = (f.table_id, f.column_id);
                            let mut on = self.checked.get(&key).copied().unwrap_or(false);
                            let name = format!("{}.{}", f.table, f.column);
                            if ui
                                .checkbox(&mut on, &name)
                                .on_hover_text(f.reasons.join("\n"))
                                .changed()
                            {
                                self.checked.insert(key, on);
                            }
                            ui.label(f.category.as_str());
                            ui.label(confidence_text(f.confidence));
                            if ui
                                .small_button("Show")
                                .on_hover_text("Select the column on the canvas")
                                .clicked()
                            {
                                out.push(Request::Reveal(f.table_id, Some(f.column_id)));
                            }
                            ui.end_row();
                        }
                    });
            });
        ui.separator();
        ui.label(if c.subjects.is_empty() {
            "Data subjects: none suggested (mark a table of people in the inspector)".to_string()
        } else if c.suggested {
            "Data subjects (suggested: tables whose rows are people)".to_string()
        } else {
            "Data subjects (marked)".to_string()
        });
        ui.horizontal_wrapped(|ui| {
            for t in &c.subjects {
                let name = p.table(*t).map(|t| t.qualified_name()).unwrap_or_default();
                let mut on = self.subjects.get(t).copied().unwrap_or(true);
                if ui.checkbox(&mut on, name).changed() {
                    self.subjects.insert(*t, on);
                }
            }
        });
        let chosen: Vec<&Finding> = c
            .findings
            .iter()
            .filter(|f| self.checked.get(&(f.table_id, f.column_id)) == Some(&true))
            .collect();
        let mut cmds = cl::tag_commands(p, chosen.iter().copied());
        let tagged = cmds.len();
        cmds.extend(
            c.subjects
                .iter()
                .filter(|t| self.subjects.get(t) == Some(&true))
                .filter(|t| p.table(**t).is_some_and(|t| !t.data_subject))
                .map(|t| Command::SetDataSubject {
                    table: *t,
                    on: true,
                }),
        );
        let marked = cmds.len() - tagged;
        ui.horizontal(|ui| {
            let accept = ui
                .add_enabled(!cmds.is_empty(), egui::Button::new("Accept"))
                .on_hover_text(format!(
                    "Tag {tagged} column(s) pii and pii:<category> and mark {marked} data \
                     subject(s): one undoable edit"
                ));
            if accept.clicked() {
                out.push(Request::ApplyThen(
                    Command::Named {
                        label: format!("Classify sensitive data ({tagged} columns)"),
                        command: Box::new(Command::Batch(cmds)),
                    },
                    vec![Request::Status(format!(
                        "Tagged {tagged} column(s), marked {marked} data subject(s)"
                    ))],
                ));
            }
            if ui
                .button("Privacy report…")
                .on_hover_text(Action::ExportPrivacy.text().1)
                .clicked()
            {
                out.push(Request::Run(Action::ExportPrivacy));
            }
        });
    }
}

fn confidence_text(c: Confidence) -> egui::RichText {
    let t = egui::RichText::new(c.as_str());
    match c {
        Confidence::High => t.strong(),
        Confidence::Medium => t,
        Confidence::Low => t.weak(),
    }
}
