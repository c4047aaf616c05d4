//! PNG and PDF exports of a big diagram rendered on another thread (5,000 tables take about 7 s
//! as one PDF page, 20 s tiled): the studio keeps drawing, the status bar says what is being
//! rendered, and the save dialog opens when the bytes are ready. Smaller diagrams are rendered
//! at once, within the frame.

use super::background::Background;
pub use super::background::Outcome;
use crate::export::svg::SvgOptions;
use crate::model::Project;
use std::time::Duration;

/// From this many tables (drawn) the export renders in the background (a PNG of 300 tables
/// takes about 0.2 s).
pub const BACKGROUND_TABLES: usize = 300;

/// The picture formats rendered from the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    Png,
    Pdf,
}

impl Picture {
    /// What the save dialog and status bar call it, and its extension.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Picture::Png => ("PNG diagram", "png"),
            Picture::Pdf => ("PDF diagram", "pdf"),
        }
    }

    /// The file's bytes: PNG at twice the canvas's scale; PDF on A4 landscape (what a printer
    /// takes), tiled with an overview page when larger.
    pub fn render(self, p: &Project, opts: &SvgOptions) -> Result<Vec<u8>, String> {
        match self {
            Picture::Png => crate::export::png::render_png(p, opts, 2.0)
                .map(|x| x.data)
                .map_err(|e| format!("PNG: {e}")),
            Picture::Pdf => {
                let paper = crate::export::PdfOptions {
                    paper: Some(crate::export::Paper::A4),
                    landscape: true,
                };
                crate::export::render_pdf(p, opts, &paper)
                    .map(|x| x.data)
                    .map_err(|e| format!("PDF: {e}"))
            }
        }
    }
}

/// A render running on another thread.
pub struct RenderJob {
    pub picture: Picture,
    pub tables: usize,
    work: Background<Result<Vec<u8>, String>>,
}

impl RenderJob {
    /// Render `project` (a copy of the document's) on a new thread; `ctx` is woken when done.
    pub fn start(
        project: Project,
        opts: SvgOptions,
        picture: Picture,
        tables: usize,
        ctx: egui::Context,
    ) -> Self {
        RenderJob {
            picture,
            tables,
            work: Background::spawn(move || Some(picture.render(&project, &opts)), Some(ctx)),
        }
    }

    pub fn poll(&self) -> Outcome<Result<Vec<u8>, String>> {
        self.work.poll()
    }

    pub fn elapsed(&self) -> Duration {
        self.work.elapsed()
    }

    /// "Rendering PDF diagram of 5000 tables… 3 s".
    pub fn label(&self) -> String {
        format!(
            "Rendering {} of {} tables… {} s",
            self.picture.names().0,
            self.tables,
            self.elapsed().as_secs()
        )
    }
}
