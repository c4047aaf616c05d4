//! `crowfoot render`: the diagram as SVG, PNG or PDF (`crowfoot::export::render_svg`, `png`,
//! `pdf`), or the review page as one HTML file (`crowfoot::export::review`).

use super::common::{fail, load, refuse_onto_input, write_output};
use crate::errln;
use std::path::PathBuf;
use std::process::ExitCode;

/// Draw the diagram as the studio's canvas shows it (light theme): SVG, PNG or PDF, or the
/// review page (HTML: one self-contained file with the diagram, search, each table's details
/// and DDL, saved views, problems, and with --compare the changes), from the output's
/// extension. Written atomically.
#[derive(clap::Args)]
pub struct RenderArgs {
    project: PathBuf,
    /// `diagram.svg`, `diagram.png`, `diagram.pdf` or `review.html`.
    #[arg(short, long)]
    output: PathBuf,
    /// Only these tables (`name` or `schema.name`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// PNG pixels per canvas unit (scaled down when the picture would be too big).
    #[arg(long, default_value = "1.0")]
    scale: f32,
    /// HTML: show the changes from this version (a project file, SQL script or SQLite
    /// database) and the migration's safety report.
    #[arg(long)]
    compare: Option<PathBuf>,
    /// HTML: the dialect of each table's DDL and of the migration report (default: the
    /// project's).
    #[arg(long, value_enum)]
    dialect: Option<super::common::DialectArg>,
    /// Only the tables of this saved view (the presenter mode's, by name): its highlighted
    /// tables and their neighbours, or, when it highlights none, the tables its viewport
    /// shows on a 1600×1000 screen.
    #[arg(long, conflicts_with = "tables")]
    view: Option<String>,
    /// PDF: print on this paper, tiled over pages with an overview page when the diagram is
    /// larger than one (without it: one page the size of the diagram).
    #[arg(long, value_enum)]
    paper: Option<PaperArg>,
    /// PDF: turn the paper sideways.
    #[arg(long, requires = "paper")]
    landscape: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PaperArg {
    A4,
    A3,
    Letter,
}

impl From<PaperArg> for crowfoot::export::Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::A4 => Self::A4,
            PaperArg::A3 => Self::A3,
            PaperArg::Letter => Self::Letter,
        }
    }
}

pub fn run(a: RenderArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::export::{PdfOptions, SvgOptions, png, render_pdf, render_svg};
    let RenderArgs {
        project,
        output,
        tables,
        scale,
        compare,
        dialect,
        paper,
        landscape,
        view,
    } = a;
    let (project, output) = (project.as_path(), output.as_path());
    refuse_onto_input(Some(output), &[project])?;
    let p = load(project)?;
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !["svg", "png", "pdf", "html", "htm"].contains(&ext.as_str()) {
        errln!(
            "error: {}: the output must end in .svg, .png, .pdf or .html",
            output.display()
        );
        return Err(ExitCode::from(2));
    }
    if ext.starts_with("htm") {
        if paper.is_some() {
            errln!("error: --paper is for PDF output (`-o diagram.pdf`)");
            return Err(ExitCode::from(2));
        }
        return review(&p, output, compare.as_deref(), dialect.map(Into::into));
    }
    if compare.is_some() || dialect.is_some() {
        errln!("error: --compare and --dialect are for the HTML review page");
        return Err(ExitCode::from(2));
    }
    if paper.is_some() && ext != "pdf" {
        errln!("error: --paper is for PDF output (`-o diagram.pdf`)");
        return Err(ExitCode::from(2));
    }
    let mut opts = SvgOptions::default();
    if !tables.is_empty() {
        let mut ids = std::collections::BTreeSet::new();
        for name in tables.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let found = p
                .tables()
                .find(|t| t.qualified_name() == name)
                .or_else(|| p.tables().find(|t| t.name == name));
            match found {
                Some(t) => {
                    ids.insert(t.id);
                }
                None => {
                    errln!("error: no table `{name}` in {}", project.display());
                    return Err(ExitCode::from(2));
                }
            }
        }
        opts.tables = Some(ids);
    }
    if let Some(name) = &view {
        let Some(v) = p.settings().saved_views.iter().find(|v| &v.name == name) else {
            let names: Vec<&str> = p
                .settings()
                .saved_views
                .iter()
                .map(|v| v.name.as_str())
                .collect();
            errln!(
                "error: no saved view `{name}` in {} (it has: {})",
                project.display(),
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            );
            return Err(ExitCode::from(2));
        };
        opts.tables = Some(crowfoot::export::svg::view_tables(&p, v, [1600.0, 1000.0]));
    }
    if ext == "pdf" {
        let pdf_opts = PdfOptions {
            paper: paper.map(Into::into),
            landscape,
        };
        let pdf = render_pdf(&p, &opts, &pdf_opts).map_err(fail)?;
        if paper.is_none() && pdf.scale < crowfoot::export::pdf::PAGE_SCALE {
            errln!(
                "warning: the diagram is too large for one PDF page at full size; drawn at {:.0} % (--paper tiles it instead)",
                pdf.scale / crowfoot::export::pdf::PAGE_SCALE * 100.0
            );
        }
        write_output(output, &pdf.data)?;
        let grid = if pdf.rows * pdf.columns > 1 {
            format!(" ({} × {} tiles and an overview)", pdf.rows, pdf.columns)
        } else {
            String::new()
        };
        errln!(
            "{}: {} tables, {} relationships, {} page(s){grid}",
            output.display(),
            pdf.tables,
            pdf.edges,
            pdf.pages
        );
        return Ok(ExitCode::SUCCESS);
    }
    let svg = render_svg(&p, &opts);
    if ext == "svg" {
        write_output(output, svg.text.as_bytes())?;
    } else {
        if !(scale.is_finite() && scale > 0.0) {
            errln!("error: --scale must be a positive number");
            return Err(ExitCode::from(2));
        }
        let png = png::rasterize(&svg.text, scale).map_err(fail)?;
        if png.scale < scale {
            errln!(
                "warning: the diagram is too large for scale {scale}; drawn at {:.3} ({}×{} px)",
                png.scale,
                png.width,
                png.height
            );
        }
        write_output(output, &png.data)?;
    }
    errln!(
        "{}: {} tables, {} relationships",
        output.display(),
        svg.tables,
        svg.edges
    );
    Ok(ExitCode::SUCCESS)
}

/// The review page, with the changes from `compare` when given.
fn review(
    p: &crowfoot::model::Project,
    output: &std::path::Path,
    compare: Option<&std::path::Path>,
    dialect: Option<crowfoot::model::Dialect>,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::export::review::{Compare, ReviewOptions, review_page};
    let old = match compare {
        Some(path) => Some((
            path,
            crowfoot::source::load_schema(path, crowfoot::source::Accept::Files)
                .map_err(fail)?
                .project,
        )),
        None => None,
    };
    let opts = ReviewOptions {
        dialect,
        compare: old.as_ref().map(|(path, old)| Compare {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            old,
        }),
    };
    let page = review_page(p, &opts);
    write_output(output, page.html.as_bytes())?;
    errln!(
        "{}: {} tables, {} relationships, {} problems, {} KB",
        output.display(),
        page.tables,
        page.edges,
        page.problems,
        page.html.len() / 1024
    );
    Ok(ExitCode::SUCCESS)
}
