//! The studio (eframe/egui). A thin layer over model commands: widgets read the project and
//! turn gestures into `Command`s; nothing here is needed by the model, SQL or analysis code.

pub mod actions;
pub mod advisor_pg;
pub mod app;
pub mod areas;
pub mod background;
pub mod canvas;
pub mod compare;
pub mod discovery;
pub mod distribution;
pub mod document;
pub mod explorer;
pub mod files;
pub mod import;
pub mod indexes;
pub mod inspector;
pub mod layout_job;
pub mod migration;
pub mod normalize;
pub mod palette;
pub mod panels;
pub mod paths;
pub mod patterns;
pub mod present;
pub mod privacy;
pub mod render_job;
pub mod request;
pub mod selection;
pub mod sequences;
pub mod studio;
pub mod widgets;

pub use app::run;
pub use request::{Request, View};
pub use studio::Studio;
