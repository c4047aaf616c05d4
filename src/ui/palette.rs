//! The command palette (Ctrl+K / Ctrl+F): every action from `Action::all()` that can run now, plus jumping to
//! any table or column, filtered as you type.

use super::actions::Action;
use super::request::{Request, View};
use crate::model::{ColumnId, TableId};
use egui::Ui;

#[derive(Default)]
pub struct Palette {
    open: bool,
    query: String,
    selected: usize,
    focused: bool,
}

#[derive(Clone)]
enum Item {
    Action(Action),
    Table(TableId, String),
    Column(TableId, ColumnId, String),
}

impl Item {
    fn text(&self) -> String {
        match self {
            Item::Action(a) => a.text().0.to_string(),
            Item::Table(_, n) => format!("Table {n}"),
            Item::Column(_, _, n) => format!("Column {n}"),
        }
    }
}

/// Case-insensitive subsequence match; lower scores are better, `None` when no match.
pub fn fuzzy_score(needle: &str, hay: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let h = hay.to_lowercase();
    let n = needle.to_lowercase();
    if let Some(pos) = h.find(&n) {
        return Some(pos);
    }
    let mut chars = h.char_indices();
    let mut last = 0;
    for c in n.chars() {
        let (i, _) = chars.find(|(_, hc)| *hc == c)?;
        last = i;
    }
    Some(1000 + last)
}

impl Palette {
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.selected = 0;
        self.focused = false;
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    fn items(v: &View, query: &str) -> Vec<Item> {
        let mut scored: Vec<(usize, Item)> = Vec::new();
        for a in Action::all() {
            // Only what can run now (the same question the menus ask).
            if matches!(a, Action::CommandPalette | Action::Find) || !v.is_enabled(a) {
                continue;
            }
            if let Some(sc) = fuzzy_score(query, a.text().0) {
                scored.push((sc, Item::Action(a)));
            }
        }
        if !query.is_empty() {
            for t in v.doc.project().tables() {
                let name = t.qualified_name();
                if let Some(sc) = fuzzy_score(query, &name) {
                    scored.push((sc, Item::Table(t.id, name.clone())));
                }
                for c in &t.columns {
                    let full = format!("{name}.{}", c.name);
                    if let Some(sc) = fuzzy_score(query, &c.name) {
                        scored.push((sc + 5, Item::Column(t.id, c.id, full)));
                    }
                }
            }
        }
        scored.sort_by_key(|(sc, it)| (*sc, it.text()));
        scored.truncate(60);
        scored.into_iter().map(|(_, i)| i).collect()
    }

    pub fn ui(&mut self, v: &View, ui: &mut Ui) -> Vec<Request> {
        if !self.open {
            return Vec::new();
        }
        let items = Self::items(v, &self.query);
        let mut run: Option<Item> = None;
        let (up, down, enter, escape) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
            )
        });
        if escape {
            self.open = false;
            return Vec::new();
        }
        if down {
            self.selected = (self.selected + 1).min(items.len().saturating_sub(1));
        }
        if up {
            self.selected = self.selected.saturating_sub(1);
        }
        if enter {
            run = items.get(self.selected).cloned();
        }
        egui::Window::new("Command palette")
            .id(egui::Id::new("crowfoot-palette"))
            .title_bar(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .fixed_size([460.0, 360.0])
            .show(ui.ctx(), |ui| {
                let r = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .id_salt("palette-query")
                        .hint_text("Type an action, a table or a column…")
                        .desired_width(f32::INFINITY),
                );
                if !self.focused {
                    r.request_focus();
                    self.focused = true;
                }
                if r.changed() {
                    self.selected = 0;
                }
                ui.separator();
                // Fixed size: a list shrinking under a pressed scroll bar panics in egui 0.36.
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for (i, it) in items.iter().enumerate() {
                            let mut text = it.text();
                            if let Item::Action(a) = it
                                && let Some(sc) = a.shortcut()
                            {
                                text = format!("{text}    {}", ui.ctx().format_shortcut(&sc));
                            }
                            if ui.selectable_label(i == self.selected, text).clicked() {
                                run = Some(it.clone());
                            }
                        }
                    });
            });
        let Some(it) = run else {
            return Vec::new();
        };
        self.open = false;
        vec![match it {
            Item::Action(a) => Request::Run(a),
            Item::Table(t, _) => Request::Reveal(t, None),
            Item::Column(t, c, _) => Request::Reveal(t, Some(c)),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::fuzzy_score;

    #[test]
    fn substring_beats_subsequence() {
        assert!(fuzzy_score("ord", "orders").unwrap() < fuzzy_score("ord", "o_r_d").unwrap());
        assert_eq!(fuzzy_score("xyz", "orders"), None);
        assert_eq!(fuzzy_score("", "x"), Some(0));
        assert!(fuzzy_score("ORD", "customer_orders").is_some());
    }
}
