//! Small widgets the panels share.

use egui::{Response, Ui};

/// A one-line field editing an optional text: `None` shows empty, and a blank entry becomes
/// `None`. Returns the field's response and, when it was edited, the new value.
pub fn optional_line(
    ui: &mut Ui,
    value: &Option<String>,
    salt: impl std::hash::Hash + std::fmt::Debug,
    hint: &str,
) -> (Response, Option<Option<String>>) {
    let mut text = value.clone().unwrap_or_default();
    let r = ui.add(
        egui::TextEdit::singleline(&mut text)
            .id_salt(salt)
            .hint_text(hint),
    );
    let edited = r
        .changed()
        .then(|| (!text.trim().is_empty()).then_some(text));
    (r, edited)
}
