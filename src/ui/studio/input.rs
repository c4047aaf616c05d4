//! Keyboard shortcuts (each an action's), nudges and dropped files.

use super::*;

impl Studio {
    /// A dialog that takes the keyboard is open (shortcuts stay off).
    pub(super) fn modal_open(&self) -> bool {
        self.open_error.is_some()
            || self.palette.is_open()
            || self.confirm.is_some()
            || self.editing.is_some()
            || self.import_dialog.is_some()
            || self.server_import.is_some()
            || self.normalize.preview.is_some()
            || self.revision_dialog.is_some()
    }

    pub(super) fn handle_shortcuts(&mut self, ui: &mut Ui) {
        // egui drops focus on Escape before we run: a field focused last frame still counts.
        let typing = ui.ctx().egui_wants_keyboard_input() || self.was_typing;
        // Every shortcut of every action, most specific first: Ctrl+Shift+Z before Ctrl+Z,
        // Shift+Left before Left.
        let mut order: Vec<(Action, egui::KeyboardShortcut)> = Action::all()
            .flat_map(|a| a.shortcuts().into_iter().map(move |s| (a, s)))
            .collect();
        order.sort_by_key(|(_, s)| {
            std::cmp::Reverse(
                s.modifiers.shift as u8 + s.modifiers.command as u8 + s.modifiers.alt as u8,
            )
        });
        for (a, sc) in order {
            if typing
                && (a.is_plain_key()
                    || matches!(a, Action::Undo | Action::Redo | Action::SelectAll))
            {
                continue;
            }
            if self.modal_open() {
                continue;
            }
            if ui.input_mut(|i| i.consume_shortcut(&sc)) {
                self.run(ui, a);
            }
        }
        if !typing && !self.modal_open() {
            // Ctrl+C / Ctrl+V arrive as events, not key presses.
            let (copy, paste) = ui.input(|i| {
                let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
                let paste = i.events.iter().find_map(|e| match e {
                    egui::Event::Paste(t) => Some(t.clone()),
                    _ => None,
                });
                (copy, paste)
            });
            if copy {
                self.run(ui, Action::Copy);
            }
            if let Some(text) = paste {
                self.paste(&text);
            }
        }
    }

    /// Move the selected tables by (dx, dy); repeated nudges of one selection are one undo step.
    pub(super) fn nudge(&mut self, dx: f32, dy: f32) {
        let moves: Vec<(TableId, Position)> = self
            .sel
            .tables
            .iter()
            .filter_map(|t| self.doc.project().table(*t))
            .map(|t| {
                (
                    t.id,
                    Position {
                        x: t.position.x + dx,
                        y: t.position.y + dy,
                    },
                )
            })
            .collect();
        let key = format!("nudge{:?}", self.sel.tables);
        self.apply_merging(Command::MoveTables(moves), key);
    }

    pub(super) fn handle_dropped_files(&mut self, ui: &Ui) {
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            // A project (by its name or its first bytes, as Compare and `crowfoot diff`
            // tell) is opened; anything else goes to the import dialog.
            use crate::source::{Accept, SchemaSource};
            if SchemaSource::of(&p, Accept::Files).is_project() {
                self.guard_discard(AfterDiscard::Load(p));
            } else {
                self.begin_import(p);
            }
        }
    }
}
