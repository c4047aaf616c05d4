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

/// A window with a close button, `open` cleared when it is closed; nothing when `open` is
/// false. `size` is its default size (a height of 0 lets it fit its contents).
pub fn closable_window(
    ctx: &egui::Context,
    title: &str,
    open: &mut bool,
    size: [f32; 2],
    add_contents: impl FnOnce(&mut Ui),
) {
    if !*open {
        return;
    }
    let mut w = egui::Window::new(title)
        .id(egui::Id::new(("window", title)))
        .open(open)
        .default_width(size[0]);
    if size[1] > 0.0 {
        w = w.default_height(size[1]);
    }
    w.show(ctx, add_contents);
}
