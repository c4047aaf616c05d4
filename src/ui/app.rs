//! The eframe application around [`Studio`]: window, persistence, close handling.

use super::studio::{Prefs, Studio};
use crate::model::Project;
use std::path::PathBuf;

pub struct StudioApp {
    pub studio: Studio,
}

const PREFS_KEY: &str = "crowfoot-prefs";

impl StudioApp {
    pub fn new(cc: &eframe::CreationContext<'_>, mut studio: Studio) -> Self {
        if let Some(prefs) = cc
            .storage
            .and_then(|s| eframe::get_value::<Prefs>(s, PREFS_KEY))
        {
            studio.prefs = prefs;
        }
        if let Some(p) = studio.doc.path.clone() {
            studio.prefs.recent.retain(|r| *r != p);
            studio.prefs.recent.insert(0, p);
        }
        if studio.open_error.is_none() {
            studio.offer_recovery();
        }
        StudioApp { studio }
    }
}

impl eframe::App for StudioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let s = &mut self.studio;
        if ui.ctx().input(|i| i.viewport().close_requested())
            && !s.quit_requested
            && s.doc.is_dirty()
        {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            s.run(ui, super::actions::Action::Quit);
        }
        s.ui(ui);
        if s.quit_requested {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.studio.prefs);
    }
}

/// The project the studio opens without arguments: `projects/shop.ron` when run from the
/// repository (what `cargo run --release` does), else the built-in shop example.
pub fn default_project() -> (Project, Option<PathBuf>) {
    let path = PathBuf::from("projects/shop.ron");
    if path.exists()
        && let Ok(p) = crate::project_file::load(&path)
    {
        return (p, Some(path));
    }
    (crate::samples::shop::build(), None)
}

/// The studio `crowfoot [PROJECT]` opens: on PROJECT (when it does not load, the window opens
/// anyway with the error and the choices; see [`Studio::open`]), else on [`default_project`].
pub fn initial_studio(path: Option<PathBuf>) -> Studio {
    match path {
        Some(p) => Studio::open(p),
        None => {
            let (project, path) = default_project();
            Studio::new(project, path)
        }
    }
}

/// The window icon: `assets/icon/crowfoot-256.png`, rasterized from `crowfoot.svg` by
/// `examples/make_icons.rs`, embedded so the binary needs no installed file. `None` (egui's
/// default icon) only if the embedded PNG were unreadable.
pub fn window_icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon/crowfoot-256.png")).ok()
}

/// Open the studio window.
pub fn run(path: Option<PathBuf>) -> Result<(), String> {
    let studio = initial_studio(path);
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size([1400.0, 900.0])
        .with_title("Crowfoot")
        // The Wayland app id / X11 class: desktops match it to `crowfoot.desktop`
        // (`StartupWMClass`) for the dock's icon and name.
        .with_app_id("crowfoot")
        .with_drag_and_drop(true);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "Crowfoot",
        options,
        Box::new(move |cc| Ok(Box::new(StudioApp::new(cc, studio)))),
    )
    .map_err(|e| e.to_string())
}
