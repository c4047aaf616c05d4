//! `crowfoot render`: the diagram as SVG or PNG (`crowfoot::export::render_svg`, `png`).

use super::common::{fail, load, refuse_onto_input, write_output};
use crate::errln;
use std::path::PathBuf;
use std::process::ExitCode;

/// Draw the diagram as the studio's canvas shows it (light theme): SVG or PNG, from the
/// output's extension. Written atomically.
#[derive(clap::Args)]
pub struct RenderArgs {
    project: PathBuf,
    /// `diagram.svg` or `diagram.png`.
    #[arg(short, long)]
    output: PathBuf,
    /// Only these tables (`name` or `schema.name`, comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// PNG pixels per canvas unit (scaled down when the picture would be too big).
    #[arg(long, default_value = "1.0")]
    scale: f32,
}

pub fn run(a: RenderArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::export::{SvgOptions, png, render_svg};
    let RenderArgs {
        project,
        output,
        tables,
        scale,
    } = a;
    let (project, output) = (project.as_path(), output.as_path());
    refuse_onto_input(Some(output), &[project])?;
    let p = load(project)?;
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext != "svg" && ext != "png" {
        errln!(
            "error: {}: the output must end in .svg or .png",
            output.display()
        );
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
