//! Presenter mode for design meetings: full screen, no editing chrome, larger text, the saved
//! views stepped through with the arrow keys, a table highlighted with its neighbours (click
//! it), and a laser pointer. Nothing here edits the project except "Save view", which is an
//! undoable settings command.

use super::studio::Studio;
use crate::model::{Command, Position, SavedView, TableId};
use egui::{Color32, Key, Ui};
use std::collections::BTreeSet;

/// UI scale while presenting.
pub const PRESENT_ZOOM: f32 = 1.3;

#[derive(Clone, Debug, Default)]
pub struct Presenter {
    /// Index of the saved view shown, when one is.
    pub view: Option<usize>,
    pub laser: bool,
    /// Highlighted tables (the emphasis is them and their neighbours).
    pub highlight: BTreeSet<TableId>,
}

impl Studio {
    /// Enter presenter mode (full screen, larger text), on the first saved view if any.
    pub fn start_presenting(&mut self, ui: &Ui) {
        let mut p = Presenter {
            highlight: self.sel.tables.clone(),
            ..Presenter::default()
        };
        if !self.doc.project().settings().saved_views.is_empty() {
            p.view = Some(0);
        }
        self.presenting = Some(p);
        ui.ctx().set_zoom_factor(PRESENT_ZOOM);
        ui.ctx()
            .send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        if let Some(0) = self.presenting.as_ref().and_then(|p| p.view) {
            self.show_view(0);
        }
        self.status =
            "Presenting: Left/Right views, click a table to highlight it, L laser, Esc to leave"
                .into();
    }

    pub fn stop_presenting(&mut self, ui: &Ui) {
        self.presenting = None;
        self.canvas.emphasis = None;
        ui.ctx().set_zoom_factor(1.0);
        ui.ctx()
            .send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// Show saved view `i`: its centre and zoom, its highlighted tables.
    pub fn show_view(&mut self, i: usize) {
        let Some(v) = self.doc.project().settings().saved_views.get(i).cloned() else {
            return;
        };
        self.canvas.zoom = v
            .zoom
            .clamp(self.canvas.min_zoom(), crate::ui::canvas::MAX_ZOOM);
        let c = egui::vec2(v.center.x, v.center.y);
        self.canvas.pan = self.canvas.viewport.size() * 0.5 - c * self.canvas.zoom;
        if let Some(p) = &mut self.presenting {
            p.view = Some(i);
            p.highlight = v
                .highlight
                .iter()
                .copied()
                .filter(|t| self.doc.project().table(*t).is_some())
                .collect();
        }
    }

    /// Save the current viewport (and the selected tables as its highlight) as a named view.
    pub fn save_view(&mut self) {
        let mut settings = self.doc.project().settings().clone();
        let n = settings.saved_views.len() + 1;
        let center = self.canvas.to_canvas(self.canvas.viewport.center());
        settings.saved_views.push(SavedView {
            name: format!("View {n}"),
            center: Position {
                x: center.x,
                y: center.y,
            },
            zoom: self.canvas.zoom,
            highlight: self.sel.tables.iter().copied().collect(),
        });
        self.apply(Command::SetSettings(Box::new(settings)));
    }

    /// Presenter keys, consumed before the canvas sees them; returns false when presenting
    /// ended.
    pub(crate) fn presenter_keys(&mut self, ui: &mut Ui) -> bool {
        let views = self.doc.project().settings().saved_views.len();
        let (next, prev, esc, laser, clear) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::ArrowRight)
                    || i.consume_key(egui::Modifiers::NONE, Key::PageDown)
                    || i.consume_key(egui::Modifiers::NONE, Key::Space),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowLeft)
                    || i.consume_key(egui::Modifiers::NONE, Key::PageUp),
                i.consume_key(egui::Modifiers::NONE, Key::Escape)
                    || i.consume_key(egui::Modifiers::NONE, Key::F5),
                i.consume_key(egui::Modifiers::NONE, Key::L),
                i.consume_key(egui::Modifiers::NONE, Key::H),
            )
        });
        if esc {
            self.stop_presenting(ui);
            return false;
        }
        let current = self.presenting.as_ref().and_then(|p| p.view);
        if next && views > 0 {
            self.show_view(current.map(|c| (c + 1).min(views - 1)).unwrap_or(0));
        }
        if prev && views > 0 {
            self.show_view(current.map(|c| c.saturating_sub(1)).unwrap_or(0));
        }
        if let Some(p) = &mut self.presenting {
            if laser {
                p.laser = !p.laser;
            }
            if clear {
                p.highlight.clear();
                self.sel.clear();
            }
        }
        true
    }

    /// Presenter overlay and highlight, after the canvas.
    pub(crate) fn presenter_ui(&mut self, ui: &mut Ui) {
        let views = self.doc.project().settings().saved_views.len();
        // A click on a card toggles its highlight (the selection follows it).
        if let Some(p) = &mut self.presenting {
            let clicked: BTreeSet<TableId> = self.sel.tables.clone();
            if clicked != p.highlight && !clicked.is_empty() {
                p.highlight = clicked;
            }
        }
        // Overlay: the view's name and position, and the laser dot.
        let (name, laser_on) = match &self.presenting {
            Some(p) => (
                p.view
                    .and_then(|i| {
                        self.doc
                            .project()
                            .settings()
                            .saved_views
                            .get(i)
                            .map(|v| format!("{} ({}/{views})", v.name, i + 1))
                    })
                    .unwrap_or_else(|| self.doc.project().name().to_string()),
                p.laser,
            ),
            None => return,
        };
        egui::Area::new(egui::Id::new("present-caption"))
            .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -16.0])
            .interactable(false)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new(name).size(20.0).strong());
                });
            });
        if laser_on && let Some(pos) = ui.ctx().pointer_hover_pos() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::None);
            let painter = ui.ctx().layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::new("laser"),
            ));
            painter.circle_filled(pos, 9.0, Color32::from_rgba_unmultiplied(255, 30, 30, 90));
            painter.circle_filled(pos, 4.5, Color32::from_rgb(255, 40, 40));
        }
    }
}
