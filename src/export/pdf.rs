//! The diagram as a vector PDF: the SVG of [`super::svg`], parsed by usvg with the bundled
//! fonts of the PNG export ([`super::png::usvg_options`]) and drawn by `krilla-svg`. Text stays
//! text: the fonts are embedded as subsets with their Unicode mapping, so names can be selected,
//! searched and extracted (`pdftotext`). Names cut with `…` on a card are also written in full,
//! transparent, so search finds them too ([`SvgOptions::searchable_cut_names`]).
//!
//! Without a paper size the PDF is one page the size of the diagram. With one, the diagram is
//! printed at [`PRINT_SCALE`] and, when larger than a page, tiled over a grid of pages (rows
//! `A, B, …`, columns `1, 2, …`, neighbours overlapping by [`OVERLAP`]), preceded by an
//! overview page with the whole diagram and the grid. Each tile draws only what lies on it
//! ([`SvgOptions::window`]), so a big diagram's file grows with its content, not with the
//! number of pages times the content.

use super::png::usvg_options;
use super::svg::{Bounds, SvgOptions, render_svg};
use super::xml::text;
use crate::model::Project;
use krilla::Document;
use krilla::geom::{Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::{PageLabel, PageSettings};
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;

/// Points (1/72 in) per canvas unit on tiled paper: the smallest card text (markers, 10
/// units) prints at 7 pt, card names and columns (13 units) at 9.1 pt.
pub const PRINT_SCALE: f32 = 0.7;
/// Points per canvas unit of a one-page PDF: a CSS pixel (1/96 in), as a browser prints SVG.
pub const PAGE_SCALE: f32 = 0.75;
/// Largest page side in points that PDF viewers must support (200 in, PDF 1.7 annex C);
/// a one-page PDF of a larger diagram is scaled down to it.
pub const MAX_PAGE_SIDE: f32 = 14_400.0;
/// Paper margin around the printed part, in points (10 mm).
pub const PAPER_MARGIN: f32 = 28.35;
/// Height of the label line above the printed part, in points.
const LABEL_H: f32 = 16.0;
/// How much neighbouring tiles share, in points (about 7 mm): a card cut at one page's edge
/// is seen whole enough on the next to follow a line across.
pub const OVERLAP: f32 = 20.0;

/// Paper sizes for tiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
    Letter,
}

impl Paper {
    /// Portrait width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::A3 => (841.89, 1190.55),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// How to lay the diagram out on pages.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PdfOptions {
    /// Tile over pages of this paper; `None` = one page the size of the diagram.
    pub paper: Option<Paper>,
    /// Paper turned sideways.
    pub landscape: bool,
}

/// A rendered PDF.
#[derive(Clone, Debug)]
pub struct Pdf {
    pub data: Vec<u8>,
    /// Pages written (the overview included).
    pub pages: usize,
    /// The grid of tiles: 1 × 1 when the diagram fits one page (and then no overview).
    pub rows: usize,
    pub columns: usize,
    /// Points per canvas unit on the diagram's pages.
    pub scale: f32,
    /// Cards and relationships in the diagram.
    pub tables: usize,
    pub edges: usize,
}

/// The grid of tiles: how many `step`-sized steps, each showing `page` points, cover a
/// `length`-point diagram. Tiles overlap by `page - step`.
pub fn tiles(length: f32, page: f32, step: f32) -> usize {
    if length <= page || step <= 0.0 {
        1
    } else {
        1 + ((length - page) / step).ceil() as usize
    }
}

/// A tile row's name: `A`…`Z`, then `AA`, `AB`, … as spreadsheets count.
pub fn row_name(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A tile's name: its row letter and column number, `B2`.
pub fn tile_name(row: usize, column: usize) -> String {
    format!("{}{}", row_name(row), column + 1)
}

/// Render the project's diagram (or the tables of `opts`) as PDF.
pub fn render_pdf(p: &Project, opts: &SvgOptions, pdf: &PdfOptions) -> Result<Pdf, String> {
    let opts = SvgOptions {
        searchable_cut_names: true,
        window: None,
        ..opts.clone()
    };
    let usvg_opts = usvg_options();
    let parse = |svg: &str| usvg::Tree::from_str(svg, &usvg_opts).map_err(|e| format!("SVG: {e}"));
    let whole = render_svg(p, &opts);
    let view = whole.view;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(p.name().to_string())
            .creator("Crowfoot".to_string()),
    );
    // krilla writes no Unicode mapping for a font's `.notdef` glyph and gives the text of the
    // first glyph drawn with it to that (unwritten) mapping; later `.notdef`s with other text
    // get an `/ActualText`. So a character no bundled font has (CJK: 表) would be lost from
    // the text the first time only. A transparent private-use character drawn first takes
    // that loss instead.
    let primer = parse(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="0" y="5" font-family="Ubuntu" font-size="1" fill-opacity="0">&#x10FFFD;</text></svg>"#,
    )?;
    let mut out = Pdf {
        data: Vec::new(),
        pages: 0,
        rows: 1,
        columns: 1,
        scale: PAGE_SCALE,
        tables: whole.tables,
        edges: whole.edges,
    };
    let Some(paper) = pdf.paper else {
        let s = PAGE_SCALE
            .min(MAX_PAGE_SIDE / whole.width.max(1.0))
            .min(MAX_PAGE_SIDE / whole.height.max(1.0));
        let (pw, ph) = (whole.width * s, whole.height * s);
        let tree = parse(&whole.text)?;
        let mut page = doc.start_page_with(PageSettings::new(page_size(pw, ph)?));
        let mut surface = page.surface();
        surface.draw_svg(&primer, page_size(10.0, 10.0)?, SvgSettings::default());
        surface.draw_svg(&tree, page_size(pw, ph)?, SvgSettings::default());
        surface.finish();
        page.finish();
        out.scale = s;
        out.pages = 1;
        out.data = finish(doc)?;
        return Ok(out);
    };

    let (mut pw, mut ph) = paper.size();
    if pdf.landscape {
        (pw, ph) = (ph, pw);
    }
    // The printed part of a page, and the diagram in points.
    let (cw, ch) = (pw - 2.0 * PAPER_MARGIN, ph - 2.0 * PAPER_MARGIN - LABEL_H);
    let s = PRINT_SCALE;
    let (dw, dh) = (view.width() * s, view.height() * s);
    let (step_w, step_h) = (cw - OVERLAP, ch - OVERLAP);
    let (columns, rows) = (tiles(dw, cw, step_w), tiles(dh, ch, step_h));
    let (ox, oy) = (PAPER_MARGIN, PAPER_MARGIN + LABEL_H);
    // The grid covers a little more than the diagram: centre the diagram in it, so the
    // slack is shared by the outer pages instead of all falling on the last ones.
    let (gw, gh) = (
        (cw + (columns - 1) as f32 * step_w) / s,
        (ch + (rows - 1) as f32 * step_h) / s,
    );
    let (gx0, gy0) = (
        view.x0 - (gw - view.width()).max(0.0) * 0.5,
        view.y0 - (gh - view.height()).max(0.0) * 0.5,
    );
    let name = p.name();
    out.scale = s;
    out.rows = rows;
    out.columns = columns;
    let grid = format!("rows A..{}, columns 1..{}", row_name(rows - 1), columns);

    if rows * columns > 1 {
        // Overview: the whole grid fitted to the printed part, the diagram under it.
        let so = (cw / gw).min(ch / gh);
        let tree = parse(&whole.text)?;
        let mut page = doc.start_page_with(
            PageSettings::new(page_size(pw, ph)?).with_page_label(PageLabel::new(
                None,
                Some("Overview".into()),
                None,
            )),
        );
        let mut surface = page.surface();
        surface.draw_svg(&primer, page_size(10.0, 10.0)?, SvgSettings::default());
        surface.push_transform(&Transform::from_translate(
            ox + (view.x0 - gx0) * so,
            oy + (view.y0 - gy0) * so,
        ));
        surface.draw_svg(
            &tree,
            page_size(view.width() * so, view.height() * so)?,
            SvgSettings::default(),
        );
        surface.pop();
        let mut marks = String::new();
        let (tw, th) = (cw / s * so, ch / s * so);
        let font = (th * 0.3).clamp(4.0, 28.0);
        for r in 0..rows {
            for c in 0..columns {
                let x = ox + c as f32 * step_w / s * so;
                let y = oy + r as f32 * step_h / s * so;
                marks.push_str(&format!(
                    r##"<rect x="{x:.2}" y="{y:.2}" width="{tw:.2}" height="{th:.2}" fill="none" stroke="#c0392b" stroke-width="0.6" stroke-opacity="0.8"/><text x="{:.2}" y="{:.2}" font-size="{font:.1}" fill="#c0392b" fill-opacity="0.55" text-anchor="middle" dominant-baseline="central">{}</text>"##,
                    x + tw * 0.5,
                    y + th * 0.5,
                    tile_name(r, c)
                ));
            }
        }
        let label = format!(
            "{} — overview of {} pages, {grid}",
            text(name),
            rows * columns
        );
        draw_overlay(&mut surface, &parse, pw, ph, &label, "", &marks)?;
        surface.finish();
        page.finish();
        out.pages += 1;
    }

    for r in 0..rows {
        for c in 0..columns {
            let window = Bounds::new(
                gx0 + c as f32 * step_w / s,
                gy0 + r as f32 * step_h / s,
                cw / s,
                ch / s,
            );
            let tile = render_svg(
                p,
                &SvgOptions {
                    window: Some(window),
                    ..opts.clone()
                },
            );
            let tree = parse(&tile.text)?;
            let here = tile_name(r, c);
            let mut page = doc.start_page_with(
                PageSettings::new(page_size(pw, ph)?).with_page_label(PageLabel::new(
                    None,
                    Some(here.clone()),
                    None,
                )),
            );
            let mut surface = page.surface();
            if out.pages == 0 {
                surface.draw_svg(&primer, page_size(10.0, 10.0)?, SvgSettings::default());
            }
            surface.push_transform(&Transform::from_translate(ox, oy));
            surface.draw_svg(&tree, page_size(cw, ch)?, SvgSettings::default());
            surface.pop();
            let right = if rows * columns > 1 {
                format!("{here} — {grid}")
            } else {
                String::new()
            };
            let frame = format!(
                r##"<rect x="{ox:.2}" y="{oy:.2}" width="{cw:.2}" height="{ch:.2}" fill="none" stroke="#b0b0b0" stroke-width="0.4"/>"##
            );
            draw_overlay(&mut surface, &parse, pw, ph, &text(name), &right, &frame)?;
            surface.finish();
            page.finish();
            out.pages += 1;
        }
    }
    out.data = finish(doc)?;
    Ok(out)
}

fn page_size(w: f32, h: f32) -> Result<Size, String> {
    Size::from_wh(w.max(1.0), h.max(1.0)).ok_or_else(|| format!("bad page size {w}×{h}"))
}

/// The page's label line (`left`, `right`: escaped text) and `extra` SVG marks, drawn in page
/// points over what is already there.
fn draw_overlay(
    surface: &mut krilla::surface::Surface,
    parse: &dyn Fn(&str) -> Result<usvg::Tree, String>,
    pw: f32,
    ph: f32,
    left: &str,
    right: &str,
    extra: &str,
) -> Result<(), String> {
    let y = PAPER_MARGIN + LABEL_H * 0.5;
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{pw:.2}" height="{ph:.2}" font-family="Ubuntu">{extra}<text x="{:.2}" y="{y:.2}" font-size="9" fill="#303030" dominant-baseline="central">{left}</text><text x="{:.2}" y="{y:.2}" font-size="9" fill="#303030" text-anchor="end" dominant-baseline="central">{right}</text></svg>"##,
        PAPER_MARGIN,
        pw - PAPER_MARGIN,
    );
    let tree = parse(&svg)?;
    surface.draw_svg(&tree, page_size(pw, ph)?, SvgSettings::default());
    Ok(())
}

fn finish(doc: Document) -> Result<Vec<u8>, String> {
    doc.finish().map_err(|e| format!("PDF: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_as_spreadsheets_do() {
        assert_eq!(row_name(0), "A");
        assert_eq!(row_name(25), "Z");
        assert_eq!(row_name(26), "AA");
        assert_eq!(row_name(27), "AB");
        assert_eq!(row_name(26 + 26 * 26), "AAA");
        assert_eq!(tile_name(1, 1), "B2");
    }

    #[test]
    fn tiles_cover_the_length_with_overlap() {
        assert_eq!(tiles(100.0, 500.0, 480.0), 1);
        assert_eq!(tiles(500.0, 500.0, 480.0), 1);
        assert_eq!(tiles(501.0, 500.0, 480.0), 2);
        // n tiles reach page + (n - 1) * step.
        for len in [900.0_f32, 1460.0, 1461.0, 10_000.0] {
            let n = tiles(len, 500.0, 480.0);
            assert!(500.0 + (n - 1) as f32 * 480.0 >= len);
            assert!(500.0 + (n - 2) as f32 * 480.0 < len);
        }
    }
}
