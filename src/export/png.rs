//! The SVG diagram rasterized to PNG with resvg, using fonts bundled in the binary (egui's
//! Ubuntu Light and Hack), so no system font is needed and every machine gets the same pixels.
//! The PDF export ([`super::pdf`]) reads the SVG with the same fonts ([`usvg_options`]).

use super::svg::{SvgOptions, render_svg};
use crate::model::Project;

/// Largest number of pixels a PNG may have; bigger diagrams are scaled down to fit.
pub const MAX_PIXELS: f64 = 50_000_000.0;
/// Largest width or height in pixels.
pub const MAX_SIDE: f64 = 30_000.0;

/// A rendered PNG.
#[derive(Clone, Debug)]
pub struct Png {
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The scale used (smaller than asked when the picture would be too big).
    pub scale: f32,
}

fn fontdb() -> resvg::usvg::fontdb::Database {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    db.load_font_data(epaint_default_fonts::HACK_REGULAR.to_vec());
    db.load_font_data(epaint_default_fonts::NOTO_EMOJI_REGULAR.to_vec());
    db.set_sans_serif_family("Ubuntu");
    db.set_monospace_family("Hack");
    db.set_serif_family("Ubuntu");
    db
}

/// `scale`, or less so that a `w`×`h` picture stays within [`MAX_SIDE`] and [`MAX_PIXELS`].
pub fn fit_scale(w: f64, h: f64, scale: f32) -> f64 {
    (scale.max(0.01) as f64)
        .min(MAX_SIDE / w.max(1.0))
        .min(MAX_SIDE / h.max(1.0))
        .min((MAX_PIXELS / (w * h).max(1.0)).sqrt())
}

/// How the PNG and the PDF export read the diagram's SVG: with the bundled fonts only.
pub(crate) fn usvg_options() -> resvg::usvg::Options<'static> {
    let mut opt = resvg::usvg::Options {
        font_family: "Ubuntu".into(),
        ..Default::default()
    };
    *opt.fontdb_mut() = fontdb();
    opt
}

/// Rasterize an SVG document at `scale` (1 = one pixel per canvas unit).
pub fn rasterize(svg: &str, scale: f32) -> Result<Png, String> {
    let tree =
        resvg::usvg::Tree::from_str(svg, &usvg_options()).map_err(|e| format!("SVG: {e}"))?;
    let size = tree.size();
    let (w, h) = (size.width() as f64, size.height() as f64);
    let s = fit_scale(w, h, scale);
    let pw = ((w * s).ceil() as u32).max(1);
    let ph = ((h * s).ceil() as u32).max(1);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(pw, ph)
        .ok_or_else(|| format!("cannot allocate a {pw}×{ph} picture"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(s as f32, s as f32),
        &mut pixmap.as_mut(),
    );
    let data = pixmap.encode_png().map_err(|e| format!("PNG: {e}"))?;
    Ok(Png {
        data,
        width: pw,
        height: ph,
        scale: s as f32,
    })
}

/// Render the project's diagram as PNG.
pub fn render_png(p: &Project, opts: &SvgOptions, scale: f32) -> Result<Png, String> {
    rasterize(&render_svg(p, opts).text, scale)
}
