//! Exports beyond SQL DDL: the diagram as SVG/PNG/PDF, DBML, Mermaid `erDiagram` and a Markdown
//! data dictionary. No UI here. What each format keeps and loses: `docs/exports.md`.

pub mod dbml;
pub mod markdown;
pub mod mermaid;
pub mod pdf;
pub mod png;
pub mod review;
pub mod svg;
mod xml;

pub use crate::sql::ExportWarning;
pub use pdf::{Paper, Pdf, PdfOptions, render_pdf};
pub use png::{Png, render_png};
pub use svg::{Svg, SvgOptions, render_svg};

/// A text export and what it could not express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextOutput {
    pub text: String,
    pub warnings: Vec<ExportWarning>,
}
