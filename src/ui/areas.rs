//! Model ▸ Suggest subject areas (issue 16): the communities of the foreign-key graph
//! (`analysis::explore::areas`) previewed in a window (name, tables, the partition's
//! modularity; pointing at an area veils the rest of the canvas), applied as one undoable edit,
//! optionally with a layout that keeps each area together.

use super::request::{Request, View};
use crate::analysis::explore::areas::{self, ApplyOptions, AreaOptions, AreaSuggestion};
use crate::diagram::layout::GroupedOptions;
use crate::model::TableId;
use std::collections::BTreeSet;

pub struct AreasPanel {
    pub open: bool,
    /// Move the tables so each area holds its own (a layered layout inside each).
    pub layout: bool,
    /// Remove the project's areas first.
    pub replace: bool,
    /// Larger gives more, smaller areas.
    pub resolution: f64,
    suggestion: Option<((u64, u64), AreaSuggestion)>,
    /// The area under the pointer, shown on the canvas.
    pub hovered: Option<BTreeSet<TableId>>,
}

impl Default for AreasPanel {
    fn default() -> Self {
        AreasPanel {
            open: false,
            layout: true,
            replace: false,
            resolution: 1.0,
            suggestion: None,
            hovered: None,
        }
    }
}

impl AreasPanel {
    pub fn ui(&mut self, view: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        self.hovered = None;
        let mut open = self.open;
        let title = "Suggested subject areas";
        super::widgets::closable_window(ctx, title, &mut open, [420.0, 0.0], |ui| {
            self.contents(view, ui, &mut out)
        });
        self.open = open && self.open;
        out
    }

    fn contents(&mut self, view: &View, ui: &mut egui::Ui, out: &mut Vec<Request>) {
        let p = view.doc.project();
        ui.horizontal(|ui| {
            ui.label("Granularity");
            ui.add(egui::Slider::new(&mut self.resolution, 0.3..=3.0).logarithmic(true))
                .on_hover_text("Modularity resolution: larger gives more, smaller areas");
        });
        let key = (view.doc.version(), self.resolution.to_bits());
        if self.suggestion.as_ref().is_none_or(|(k, _)| *k != key) {
            let o = AreaOptions {
                resolution: self.resolution,
                ..AreaOptions::default()
            };
            self.suggestion = Some((key, areas::suggest_areas(p, &o)));
        }
        let Some((_, s)) = &self.suggestion else {
            return;
        };
        if s.areas.is_empty() {
            ui.label("No subject areas: the schema has too few foreign keys to group.");
            return;
        }
        ui.label(format!(
            "{} areas, modularity {:.2} (0 is no structure, above 0.3 clear groups)",
            s.areas.len(),
            s.modularity
        ));
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for a in &s.areas {
                    let names: Vec<String> = a
                        .tables
                        .iter()
                        .filter_map(|t| p.table(*t).map(|t| t.qualified_name()))
                        .collect();
                    let r = ui
                        .collapsing(format!("{} ({} tables)", a.name, a.tables.len()), |ui| {
                            ui.label(names.join(", "));
                        })
                        .header_response;
                    if r.hovered() {
                        self.hovered = Some(a.tables.iter().copied().collect());
                    }
                }
            });
        ui.checkbox(&mut self.layout, "Lay the tables out by area")
            .on_hover_text("A layered layout inside each area, the areas packed together");
        ui.checkbox(&mut self.replace, "Replace the existing areas");
        if ui
            .button("Apply")
            .on_hover_text("Create these areas (one undoable edit)")
            .clicked()
        {
            let o = ApplyOptions {
                layout: self.layout.then(GroupedOptions::default),
                replace: self.replace,
            };
            out.push(Request::ApplyThen(
                areas::apply_command(p, s, &o),
                vec![Request::Run(super::actions::Action::Fit)],
            ));
            self.open = false;
        }
    }
}
