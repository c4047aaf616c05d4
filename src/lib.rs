//! Crowfoot: a data-modeling studio. The library holds the model, analysis and SQL layers;
//! the `crowfoot` binary is the CLI (and, later, the studio).

pub mod analysis;
pub mod export;
pub mod input;
pub mod merge;
pub mod model;
pub mod project_file;
pub mod samples;
pub mod source;
pub mod sql;
pub mod terminal;
pub mod ui;
