//! What the canvas emphasizes (everything else veiled): the presenter's highlighted tables
//! with their neighbours, else the chosen path of the Find path window, else focus mode (the
//! selection and the tables within N keys, 1–3; Esc leaves), with its banner.

use super::*;
use crate::analysis::explore::{Direction, FkGraph};

impl Studio {
    /// Set the canvas's emphasis for this frame.
    pub(super) fn update_emphasis(&mut self) {
        let presenter = self
            .presenting
            .as_ref()
            .map(|p| p.highlight.clone())
            .filter(|h| !h.is_empty())
            .map(|h| self.near(&h, 1));
        let (tables, fks) = if let Some(t) = presenter {
            (Some(t), None)
        } else if let Some(t) = self.areas.hovered.clone() {
            (Some(t), None)
        } else if let Some((t, f)) = self.paths.highlight() {
            (Some(t), Some(f))
        } else if let Some((start, hops)) = self.focus.clone() {
            (Some(self.near(&start, hops)), None)
        } else {
            (None, None)
        };
        self.canvas.emphasis = tables;
        self.canvas.emphasis_fks = fks;
        // The table list's search, highlighted on the canvas too (once per version and text).
        let key = (self.doc.version(), self.tables.filter.clone());
        if self.found_for.as_ref() != Some(&key) {
            self.canvas.found = super::super::panels::matching(self.doc.project(), &key.1);
            self.found_for = Some(key);
        }
    }

    /// `start` and the tables within `hops` keys of it, either way; computed once per project
    /// version and question (this runs every frame, the key graph is built from all tables).
    fn near(&mut self, start: &BTreeSet<TableId>, hops: usize) -> BTreeSet<TableId> {
        let key = (self.doc.version(), start.clone(), hops);
        if let Some((k, set)) = &self.near_cache
            && *k == key
        {
            return set.clone();
        }
        let ids: Vec<TableId> = start.iter().copied().collect();
        let set: BTreeSet<TableId> = FkGraph::new(self.doc.project())
            .neighbourhood(&ids, hops, Direction::Both)
            .into_iter()
            .map(|(t, _)| t)
            .chain(start.iter().copied())
            .collect();
        self.near_cache = Some((key, set.clone()));
        set
    }

    /// Focus mode's banner over the canvas: what is in focus, − / + for the distance, leave.
    pub(super) fn focus_banner(&mut self, ui: &mut Ui) {
        let Some((start, hops)) = self.focus.as_mut() else {
            return;
        };
        let names: Vec<String> = start
            .iter()
            .filter_map(|t| self.doc.project().table(*t).map(|t| t.qualified_name()))
            .take(3)
            .collect();
        let more = start.len().saturating_sub(names.len());
        let mut leave = false;
        let at = self.canvas.viewport.center_top() + egui::vec2(0.0, 8.0);
        egui::Area::new(egui::Id::new("focus-banner"))
            .fixed_pos(at)
            .pivot(egui::Align2::CENTER_TOP)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "Focus: {}{} + {} key{} away",
                            names.join(", "),
                            if more > 0 {
                                format!(" and {more} more")
                            } else {
                                String::new()
                            },
                            hops,
                            if *hops == 1 { "" } else { "s" }
                        ));
                        if ui.add_enabled(*hops > 1, egui::Button::new("−")).clicked() {
                            *hops -= 1;
                        }
                        if ui.add_enabled(*hops < 3, egui::Button::new("+")).clicked() {
                            *hops += 1;
                        }
                        if ui.button("Leave (Esc)").clicked() {
                            leave = true;
                        }
                    });
                });
            });
        if leave {
            self.focus = None;
        }
    }
}
