//! `crowfoot render`: the diagram as SVG or PNG (`crowfoot::export::render_svg`, `png`), or
//! the review page as one HTML file (`crowfoot::export::review`).

use super::common::{fail, load, refuse_onto_input, write_output};
use crate::errln;
use std::path::PathBuf;
use std::process::ExitCode;

/// Draw the diagram as the studio's canvas shows it (light theme): SVG or PNG, or the review
/// page (HTML: one self-contained file with the diagram, search, each table's details and DDL,
/// saved views, problems, and with --compare the changes), from the output's extension.
/// Written atomically.
#[derive(clap::Args)]
pub struct RenderArgs {
    project: PathBuf,
    /// `diagram.svg`, `diagram.png` or `review.html`.
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
}

pub fn run(a: RenderArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::export::{SvgOptions, png, render_svg};
    let RenderArgs {
        project,
        output,
        tables,
        scale,
        compare,
        dialect,
    } = a;
    let (project, output) = (project.as_path(), output.as_path());
    refuse_onto_input(Some(output), &[project])?;
    let p = load(project)?;
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext != "svg" && ext != "png" && ext != "html" && ext != "htm" {
        errln!(
            "error: {}: the output must end in .svg, .png or .html",
            output.display()
        );
        return Err(ExitCode::from(2));
    }
    if ext.starts_with("htm") {
        return review(&p, output, compare.as_deref(), dialect.map(Into::into));
    }
    if compare.is_some() || dialect.is_some() {
        errln!("error: --compare and --dialect are for the HTML review page");
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
