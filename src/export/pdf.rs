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
use krilla::surface::Surface;
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;
use std::fmt::Write;

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

/// Where a tiled diagram goes on paper: the page, its printed part, the grid of tiles and the
/// canvas point at the grid's top-left corner. Pure arithmetic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sheet {
    /// Page width and height in points.
    pub page: (f32, f32),
    /// The printed part of a page (inside the margin, under the label line), in points.
    pub print: (f32, f32),
    pub rows: usize,
    pub columns: usize,
    /// The canvas point at the top-left of tile `A1`.
    pub origin: (f32, f32),
}

impl Sheet {
    /// The grid covering `view` (canvas units) at [`PRINT_SCALE`] on `paper`.
    pub fn new(view: Bounds, paper: Paper, landscape: bool) -> Sheet {
        let (mut pw, mut ph) = paper.size();
        if landscape {
            (pw, ph) = (ph, pw);
        }
        let print = (pw - 2.0 * PAPER_MARGIN, ph - 2.0 * PAPER_MARGIN - LABEL_H);
        let (dw, dh) = (view.width() * PRINT_SCALE, view.height() * PRINT_SCALE);
        let mut sheet = Sheet {
            page: (pw, ph),
            print,
            columns: tiles(dw, print.0, print.0 - OVERLAP),
            rows: tiles(dh, print.1, print.1 - OVERLAP),
            origin: (view.x0, view.y0),
        };
        // The grid covers a little more than the diagram: centre the diagram in it, so the
        // slack is shared by the outer pages instead of all falling on the last ones.
        let grid = sheet.extent();
        sheet.origin = (
            view.x0 - (grid.width() - view.width()).max(0.0) * 0.5,
            view.y0 - (grid.height() - view.height()).max(0.0) * 0.5,
        );
        sheet
    }

    /// Canvas units from one tile to the next (a page less the overlap).
    fn step(&self) -> (f32, f32) {
        (
            (self.print.0 - OVERLAP) / PRINT_SCALE,
            (self.print.1 - OVERLAP) / PRINT_SCALE,
        )
    }

    /// The part of the canvas that tile (`row`, `column`) prints.
    pub fn window(&self, row: usize, column: usize) -> Bounds {
        let (sx, sy) = self.step();
        Bounds::new(
            self.origin.0 + column as f32 * sx,
            self.origin.1 + row as f32 * sy,
            self.print.0 / PRINT_SCALE,
            self.print.1 / PRINT_SCALE,
        )
    }

    /// The canvas the whole grid covers.
    pub fn extent(&self) -> Bounds {
        let first = self.window(0, 0);
        let last = self.window(self.rows - 1, self.columns - 1);
        Bounds::new(first.x0, first.y0, last.x1 - first.x0, last.y1 - first.y0)
    }

    /// `rows A..C, columns 1..4`.
    fn grid_text(&self) -> String {
        format!(
            "rows A..{}, columns 1..{}",
            row_name(self.rows - 1),
            self.columns
        )
    }
}

/// The project name for a label line: cut with `…` past 60 characters, so it leaves room
/// for the tile's name on the right.
fn label_name(name: &str) -> String {
    if name.chars().count() <= 60 {
        text(name)
    } else {
        let cut: String = name.chars().take(59).collect();
        text(&format!("{cut}…"))
    }
}

/// A usvg reader with the bundled fonts.
type Parse<'a> = dyn Fn(&str) -> Result<usvg::Tree, String> + 'a;

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
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(p.name().to_string())
            .creator("Crowfoot".to_string()),
    );
    let mut out = Pdf {
        data: Vec::new(),
        pages: 0,
        rows: 1,
        columns: 1,
        scale: PAGE_SCALE,
        tables: whole.tables,
        edges: whole.edges,
    };
    match pdf.paper {
        None => {
            out.scale = one_page(&mut doc, &parse, &whole.text, whole.width, whole.height)?;
            out.pages = 1;
        }
        Some(paper) => {
            let sheet = Sheet::new(whole.view, paper, pdf.landscape);
            (out.rows, out.columns, out.scale) = (sheet.rows, sheet.columns, PRINT_SCALE);
            if sheet.rows * sheet.columns > 1 {
                overview_page(&mut doc, &parse, &sheet, &whole, p.name())?;
                out.pages += 1;
            }
            for row in 0..sheet.rows {
                for column in 0..sheet.columns {
                    let tile = SvgOptions {
                        window: Some(sheet.window(row, column)),
                        ..opts.clone()
                    };
                    let svg = render_svg(p, &tile).text;
                    let first = out.pages == 0;
                    tile_page(
                        &mut doc,
                        &parse,
                        &sheet,
                        (row, column),
                        &svg,
                        p.name(),
                        first,
                    )?;
                    out.pages += 1;
                }
            }
        }
    }
    out.data = doc.finish().map_err(|e| format!("PDF: {e}"))?;
    Ok(out)
}

/// krilla writes no Unicode mapping for a font's `.notdef` glyph and gives the text of the
/// first glyph drawn with it to that (unwritten) mapping; later `.notdef`s with other text get
/// an `/ActualText`. So a character no bundled font has (CJK: 表) would be lost from the text
/// the first time only. A transparent private-use character drawn first in the document takes
/// that loss instead.
fn draw_primer(surface: &mut Surface, parse: &Parse) -> Result<(), String> {
    let primer = parse(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="0" y="5" font-family="Ubuntu" font-size="1" fill-opacity="0">&#x10FFFD;</text></svg>"#,
    )?;
    surface.draw_svg(&primer, page_size(10.0, 10.0)?, SvgSettings::default());
    Ok(())
}

/// The whole diagram on one page of its own size, scaled down to [`MAX_PAGE_SIDE`] when
/// larger. Returns the scale used.
fn one_page(
    doc: &mut Document,
    parse: &Parse,
    svg: &str,
    width: f32,
    height: f32,
) -> Result<f32, String> {
    let s = PAGE_SCALE
        .min(MAX_PAGE_SIDE / width.max(1.0))
        .min(MAX_PAGE_SIDE / height.max(1.0));
    let size = page_size(width * s, height * s)?;
    let tree = parse(svg)?;
    let mut page = doc.start_page_with(PageSettings::new(size));
    let mut surface = page.surface();
    draw_primer(&mut surface, parse)?;
    surface.draw_svg(&tree, size, SvgSettings::default());
    surface.finish();
    page.finish();
    Ok(s)
}

/// The first page of a tiled PDF: the whole grid fitted to the printed part, the diagram
/// under it, each tile outlined and named.
fn overview_page(
    doc: &mut Document,
    parse: &Parse,
    sheet: &Sheet,
    whole: &super::svg::Svg,
    name: &str,
) -> Result<(), String> {
    let (pw, ph) = sheet.page;
    let (ox, oy) = (PAPER_MARGIN, PAPER_MARGIN + LABEL_H);
    let grid = sheet.extent();
    let view = whole.view;
    let so = (sheet.print.0 / grid.width()).min(sheet.print.1 / grid.height());
    let tree = parse(&whole.text)?;
    let label = PageLabel::new(None, Some("Overview".into()), None);
    let mut page =
        doc.start_page_with(PageSettings::new(page_size(pw, ph)?).with_page_label(label));
    let mut surface = page.surface();
    draw_primer(&mut surface, parse)?;
    surface.push_transform(&Transform::from_translate(
        ox + (view.x0 - grid.x0) * so,
        oy + (view.y0 - grid.y0) * so,
    ));
    let size = page_size(view.width() * so, view.height() * so)?;
    surface.draw_svg(&tree, size, SvgSettings::default());
    surface.pop();
    let mut marks = String::new();
    for r in 0..sheet.rows {
        for c in 0..sheet.columns {
            let w = sheet.window(r, c);
            let (x, y) = (ox + (w.x0 - grid.x0) * so, oy + (w.y0 - grid.y0) * so);
            let (tw, th) = (w.width() * so, w.height() * so);
            let font = (th * 0.3).clamp(4.0, 28.0);
            let _ = write!(
                marks,
                r##"<rect x="{x:.2}" y="{y:.2}" width="{tw:.2}" height="{th:.2}" fill="none" stroke="#c0392b" stroke-width="0.6" stroke-opacity="0.8"/><text x="{:.2}" y="{:.2}" font-size="{font:.1}" fill="#c0392b" fill-opacity="0.55" text-anchor="middle" dominant-baseline="central">{}</text>"##,
                x + tw * 0.5,
                y + th * 0.5,
                tile_name(r, c)
            );
        }
    }
    let label = format!(
        "{} — overview of {} pages, {}",
        label_name(name),
        sheet.rows * sheet.columns,
        sheet.grid_text()
    );
    draw_overlay(&mut surface, parse, sheet.page, &label, "", &marks)?;
    surface.finish();
    page.finish();
    Ok(())
}

/// One tile: its part of the diagram (`svg`, drawn for that window) in the printed part,
/// framed, under the label line.
fn tile_page(
    doc: &mut Document,
    parse: &Parse,
    sheet: &Sheet,
    (row, column): (usize, usize),
    svg: &str,
    name: &str,
    first: bool,
) -> Result<(), String> {
    let (pw, ph) = sheet.page;
    let (cw, ch) = sheet.print;
    let (ox, oy) = (PAPER_MARGIN, PAPER_MARGIN + LABEL_H);
    let tree = parse(svg)?;
    let here = tile_name(row, column);
    let label = PageLabel::new(None, Some(here.clone()), None);
    let mut page =
        doc.start_page_with(PageSettings::new(page_size(pw, ph)?).with_page_label(label));
    let mut surface = page.surface();
    if first {
        draw_primer(&mut surface, parse)?;
    }
    surface.push_transform(&Transform::from_translate(ox, oy));
    surface.draw_svg(&tree, page_size(cw, ch)?, SvgSettings::default());
    surface.pop();
    let right = if sheet.rows * sheet.columns > 1 {
        format!("{here} — {}", sheet.grid_text())
    } else {
        String::new()
    };
    let frame = format!(
        r##"<rect x="{ox:.2}" y="{oy:.2}" width="{cw:.2}" height="{ch:.2}" fill="none" stroke="#b0b0b0" stroke-width="0.4"/>"##
    );
    draw_overlay(
        &mut surface,
        parse,
        sheet.page,
        &label_name(name),
        &right,
        &frame,
    )?;
    surface.finish();
    page.finish();
    Ok(())
}

fn page_size(w: f32, h: f32) -> Result<Size, String> {
    Size::from_wh(w.max(1.0), h.max(1.0)).ok_or_else(|| format!("bad page size {w}×{h}"))
}

/// The page's label line (`left`, `right`: escaped text) and `extra` SVG marks, drawn in page
/// points over what is already there.
fn draw_overlay(
    surface: &mut Surface,
    parse: &Parse,
    (pw, ph): (f32, f32),
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
    fn the_sheet_centres_the_diagram_in_a_grid_that_covers_it() {
        let view = Bounds::new(-100.0, 50.0, 3000.0, 1000.0);
        let sheet = Sheet::new(view, Paper::A4, true);
        // A4 landscape prints 785.2 × 522.6 pt; 3000 × 1000 units are 2100 × 700 pt: 3 × 2
        // tiles (a step is a page less the 20 pt overlap).
        assert_eq!((sheet.rows, sheet.columns), (2, 3));
        let grid = sheet.extent();
        assert!(grid.x0 <= view.x0 && grid.x1 >= view.x1);
        assert!(grid.y0 <= view.y0 && grid.y1 >= view.y1);
        assert!(((view.x0 - grid.x0) - (grid.x1 - view.x1)).abs() < 0.01);
        // Neighbours share the overlap.
        let (a, b) = (sheet.window(0, 0), sheet.window(0, 1));
        assert!((a.x1 - b.x0 - OVERLAP / PRINT_SCALE).abs() < 0.01);
        let small = Sheet::new(Bounds::new(0.0, 0.0, 300.0, 200.0), Paper::A4, false);
        assert_eq!((small.rows, small.columns), (1, 1));
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
