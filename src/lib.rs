//! Crowfoot: a data-modeling studio. The library holds the model, analysis, SQL and export
//! layers, and with the cargo feature `ui` (on by default) the studio; the `crowfoot` binary is
//! the CLI, and opens the studio when given no command.

pub mod analysis;
pub mod diagram;
pub mod export;
pub mod input;
pub mod merge;
pub mod model;
pub mod project_file;
pub mod samples;
pub mod source;
pub mod sql;
pub mod terminal;
/// The studio (cargo feature `ui`, on by default).
#[cfg(feature = "ui")]
pub mod ui;
