//! Diagram geometry: where tables go and how big their cards are. Not domain model (a table's
//! position is stored in the model, but computing it is drawing): the canvas, the SVG/PNG
//! export and the layouts share these.
//!
//! - `geometry`: card sizes and row positions, the same for the canvas and the exports;
//! - `layout`: automatic layout (layered, force-directed, overlap removal), returning model
//!   commands.

pub mod geometry;
pub mod layout;
