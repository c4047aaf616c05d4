//! The menu bar, generated from the actions.

use super::*;

impl Studio {
    pub(super) fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            let item = |ui: &mut Ui, s: &mut Studio, a: Action| {
                let (text, tip) = a.text();
                let mut b = egui::Button::new(text);
                if let Some(sc) = a.shortcut() {
                    b = b.shortcut_text(ui.ctx().format_shortcut(&sc));
                }
                let enabled = s.is_enabled(a);
                if let Some(mut on) = s.is_checked(a) {
                    if ui.checkbox(&mut on, text).on_hover_text(tip).clicked() {
                        s.run(ui, a);
                    }
                    return;
                }
                let tip = match a {
                    Action::Undo => s.doc.undo_label().map(|l| format!("Undo: {l}")),
                    Action::Redo => s.doc.redo_label().map(|l| format!("Redo: {l}")),
                    _ => None,
                }
                .unwrap_or_else(|| tip.to_string());
                if ui.add_enabled(enabled, b).on_hover_text(tip).clicked() {
                    s.run(ui, a);
                    ui.close();
                }
            };
            ui.menu_button("File", |ui| {
                for a in [
                    Action::NewProject,
                    Action::Open,
                    Action::ImportSql,
                    Action::ImportServer,
                    Action::CompareWithFile,
                    Action::CompareWithRevision,
                    Action::ClearComparison,
                    Action::Save,
                    Action::SaveAs,
                ] {
                    item(ui, self, a);
                }
                ui.menu_button("Open recent", |ui| {
                    let recent = self.prefs.recent.clone();
                    if recent.is_empty() {
                        ui.label("(none)");
                    }
                    for p in recent {
                        if ui.button(p.display().to_string()).clicked() {
                            self.guard_discard(AfterDiscard::Load(p));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                item(ui, self, Action::Quit);
            });
            ui.menu_button("Edit", |ui| {
                for a in [
                    Action::Undo,
                    Action::Redo,
                    Action::Copy,
                    Action::Paste,
                    Action::Delete,
                    Action::SelectAll,
                    Action::ClearSelection,
                    Action::CommandPalette,
                    Action::Find,
                ] {
                    item(ui, self, a);
                }
            });
            ui.menu_button("View", |ui| {
                for a in [
                    Action::Present,
                    Action::SaveView,
                    Action::Fit,
                    Action::ZoomToSelection,
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                    Action::ExploreRelations,
                    Action::FindPath,
                    Action::Focus,
                ] {
                    item(ui, self, a);
                }
                ui.separator();
                for a in [
                    Action::ToggleLeftPanel,
                    Action::ToggleInspector,
                    Action::ToggleBottomPanel,
                ] {
                    item(ui, self, a);
                }
                item(ui, self, Action::ImportReport);
                item(ui, self, Action::ToggleTheme);
            });
            ui.menu_button("Model", |ui| {
                for a in [
                    Action::NewTable,
                    Action::AddColumn,
                    Action::Rename,
                    Action::ManyToMany,
                    Action::Normalize,
                    Action::Indexes,
                    Action::ClassifySensitive,
                    Action::ApplyPattern,
                    Action::AddNote,
                    Action::AddArea,
                    Action::LayoutLayered,
                    Action::LayoutForce,
                    Action::SuggestAreas,
                    Action::PlanDistribution,
                ] {
                    item(ui, self, a);
                }
            });
            ui.menu_button("Export", |ui| {
                for d in Dialect::ALL {
                    ui.radio_value(&mut self.prefs.ddl_dialect, d, d.display_name());
                }
                ui.separator();
                item(ui, self, Action::CopyDdl);
                item(ui, self, Action::ExportDdl);
                ui.separator();
                for a in [
                    Action::ExportSvg,
                    Action::ExportPng,
                    Action::ExportPdf,
                    Action::ExportDbml,
                    Action::ExportMermaid,
                    Action::ExportDoc,
                    Action::ExportPrivacy,
                    Action::ExportReviewPage,
                ] {
                    item(ui, self, a);
                }
            });
        });
    }
}
