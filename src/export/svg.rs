//! The diagram as SVG, with the studio canvas's look in its light theme: the same card
//! geometry ([`crate::diagram::geometry`]), header colours from the area a card sits in, key
//! markers, `?` for nullable types, crow's-foot edges (solid = identifying, dashed = not),
//! areas and sticky notes. All text is real (escaped) `<text>`, so the file is searchable.
//!
//! Output is deterministic: tables, foreign keys, areas and notes in id order, numbers with a
//! fixed format. Linear in the size of the project.

use super::xml::{attr, text};
use crate::analysis::normalize::nf_badge;
use crate::diagram::geometry::{
    self, CHAR_W, FkShape, HEADER_H, MARKER_W, NOTE_H, NOTE_W, PAD_X, ROW_H, RowMarker,
};
use crate::model::*;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// What to draw.
#[derive(Clone, Debug, Default)]
pub struct SvgOptions {
    /// Only these tables (and the foreign keys between them, and the areas and notes their
    /// cards overlap); `None` = everything.
    pub tables: Option<BTreeSet<TableId>>,
    /// Draw only this part of the canvas (the picture is exactly this rectangle), leaving out
    /// what lies wholly outside it: one page of a tiled PDF ([`super::pdf`]) then holds its
    /// own cards, not the whole diagram clipped. `None` = the whole diagram.
    pub window: Option<Bounds>,
    /// Also write each name cut with `…` in full, as transparent text in the card's footer.
    /// An SVG keeps the full name in a `<title>`; a PDF has no such place, and the name must
    /// still be found by search and text extraction.
    pub searchable_cut_names: bool,
}

/// The tables a saved view shows: its highlighted tables and their neighbours (as presenter
/// mode lights them), or, when it highlights none, the tables whose cards meet its viewport on a
/// screen of `screen` pixels (`crowfoot render --view`).
pub fn view_tables(p: &Project, v: &SavedView, screen: [f32; 2]) -> BTreeSet<TableId> {
    if !v.highlight.is_empty() {
        let mut set: BTreeSet<TableId> = v.highlight.iter().copied().collect();
        for fk in p.foreign_keys() {
            if v.highlight.contains(&fk.from_table) || v.highlight.contains(&fk.to_table) {
                set.insert(fk.from_table);
                set.insert(fk.to_table);
            }
        }
        return set;
    }
    let zoom = v.zoom.max(1e-3);
    let (hw, hh) = (screen[0] / zoom / 2.0, screen[1] / zoom / 2.0);
    let area = Bounds::new(v.center.x - hw, v.center.y - hh, hw * 2.0, hh * 2.0);
    p.tables()
        .filter(|t| {
            let [w, h] = geometry::card_size(t, p);
            let b = Bounds::new(t.position.x, t.position.y, w, h);
            b.x0 < area.x1 && area.x0 < b.x1 && b.y0 < area.y1 && area.y0 < b.y1
        })
        .map(|t| t.id)
        .collect()
}

/// Margin around the content, in canvas units.
pub const MARGIN: f32 = 20.0;
const DEFAULT_HEADER: &str = "#3d6fb6";
const BACKGROUND: &str = "#f6f6f6";
const CARD_BORDER: &str = "#bebebe";
const TEXT: &str = "#505050";
const WEAK: &str = "#969696";
const EDGE: &str = "#5a5a5a";
const SANS: &str = "Ubuntu, 'Ubuntu Light', 'DejaVu Sans', Arial, sans-serif";
const MONO: &str = "Hack, 'DejaVu Sans Mono', monospace";

/// An axis-aligned rectangle in canvas units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Bounds {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Bounds {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }
    fn union(self, o: Bounds) -> Bounds {
        Bounds {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
    /// Whether the two rectangles share a point (touching counts).
    pub fn intersects(self, o: Bounds) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }
    fn contains(self, x: f32, y: f32) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }
    pub fn width(self) -> f32 {
        self.x1 - self.x0
    }
    pub fn height(self) -> f32 {
        self.y1 - self.y0
    }
}

/// A rendered diagram.
#[derive(Clone, Debug)]
pub struct Svg {
    pub text: String,
    /// Size of the picture in canvas units (= SVG user units = pixels at scale 1).
    pub width: f32,
    pub height: f32,
    /// The whole diagram's extent on the canvas (content and margin), also when only a
    /// [`SvgOptions::window`] of it was drawn.
    pub view: Bounds,
    /// Number of cards and edges drawn.
    pub tables: usize,
    pub edges: usize,
}

/// A number for SVG: at most two decimals, no trailing zeros, no `-0`.
fn n(x: f32) -> String {
    let r = (x * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Advance widths of egui's proportional font (Ubuntu Light, bundled), at size 1, for ASCII;
/// other characters count as the average. Measured once, from the font itself.
struct Advances {
    ascii: [f32; 128],
    other: f32,
}

fn advances() -> &'static Advances {
    static A: std::sync::OnceLock<Advances> = std::sync::OnceLock::new();
    A.get_or_init(|| {
        use skrifa::MetadataProvider;
        let mut ascii = [0.55_f32; 128];
        if let Ok(font) = skrifa::FontRef::new(epaint_default_fonts::UBUNTU_LIGHT) {
            let metrics = font.glyph_metrics(
                skrifa::instance::Size::new(1.0),
                skrifa::instance::LocationRef::default(),
            );
            let cmap = font.charmap();
            for (c, w) in ascii.iter_mut().enumerate().skip(32) {
                if let Some(adv) = cmap.map(c as u32).and_then(|g| metrics.advance_width(g)) {
                    *w = adv;
                }
            }
        }
        let other = ascii[b'a' as usize..=b'z' as usize].iter().sum::<f32>() / 26.0 * 1.15;
        Advances { ascii, other }
    })
}

/// Width of `s` in the card font at `size` px.
pub fn text_width(s: &str, size: f32) -> f32 {
    let a = advances();
    s.chars()
        .map(|c| {
            if (c as u32) < 128 {
                a.ascii[c as usize]
            } else {
                a.other
            }
        })
        .sum::<f32>()
        * size
}

/// `s`, or its longest prefix plus an ellipsis that fits in `max_w` at `size` px (as the
/// canvas's `fit_text`); the flag tells whether it was cut.
fn fit_text(s: &str, size: f32, max_w: f32) -> (String, bool) {
    if text_width(s, size) <= max_w || s.is_empty() {
        return (s.to_string(), false);
    }
    let budget = max_w - text_width("…", size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), size);
        if w + cw > budget && !out.is_empty() {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// Cut `s` to about `max_chars` characters, ending with an ellipsis when cut (as the canvas).
fn ellipsize(s: &str, max_chars: f32) -> (String, bool) {
    let max = max_chars.floor().max(1.0) as usize;
    if s.chars().count() <= max {
        (s.to_string(), false)
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        (out, true)
    }
}

struct Card<'a> {
    t: &'a Table,
    b: Bounds,
    header: String,
}

/// Render the project (or the tables of `opts`) as an SVG document.
pub fn render_svg(p: &Project, opts: &SvgOptions) -> Svg {
    let included = |id: TableId| opts.tables.as_ref().is_none_or(|s| s.contains(&id));
    let areas: Vec<(&Area, Bounds)> = p
        .areas()
        .map(|a| {
            (
                a,
                Bounds::new(a.position.x, a.position.y, a.size[0], a.size[1]),
            )
        })
        .collect();
    let mut cards: Vec<Card> = Vec::new();
    let mut index: HashMap<TableId, usize> = HashMap::new();
    for t in p.tables().filter(|t| included(t.id)) {
        let [w, h] = geometry::card_size(t, p);
        let b = Bounds::new(t.position.x, t.position.y, w, h);
        let (cx, cy) = ((b.x0 + b.x1) * 0.5, (b.y0 + b.y1) * 0.5);
        // First area (id order) holding the card's centre, as on the canvas.
        let header = areas
            .iter()
            .find(|(_, ab)| ab.contains(cx, cy))
            .map(|(a, _)| hex(a.color))
            .unwrap_or_else(|| DEFAULT_HEADER.to_string());
        index.insert(t.id, cards.len());
        cards.push(Card { t, b, header });
    }
    let card_bounds = cards.iter().map(|c| c.b).reduce(Bounds::union);
    // With a table filter: the areas holding a drawn card, the notes inside the cards' extent.
    let held: BTreeSet<AreaId> = if opts.tables.is_some() {
        cards
            .iter()
            .filter_map(|c| {
                let (cx, cy) = ((c.b.x0 + c.b.x1) * 0.5, (c.b.y0 + c.b.y1) * 0.5);
                areas
                    .iter()
                    .find(|(_, ab)| ab.contains(cx, cy))
                    .map(|(a, _)| a.id)
            })
            .collect()
    } else {
        BTreeSet::new()
    };
    let notes: Vec<(&Note, Bounds)> = p
        .notes()
        .map(|n| (n, Bounds::new(n.position.x, n.position.y, NOTE_W, NOTE_H)))
        .filter(|(_, b)| opts.tables.is_none() || card_bounds.is_some_and(|c| c.union(*b) == c))
        .collect();
    let areas: Vec<(&Area, Bounds)> = areas
        .into_iter()
        .filter(|(a, _)| opts.tables.is_none() || held.contains(&a.id))
        .collect();
    let content = card_bounds
        .into_iter()
        .chain(areas.iter().map(|(_, b)| *b))
        .chain(notes.iter().map(|(_, b)| *b))
        .reduce(Bounds::union)
        .unwrap_or(Bounds::new(0.0, 0.0, 200.0, 100.0));
    let view = Bounds {
        x0: content.x0 - MARGIN,
        y0: content.y0 - MARGIN,
        x1: content.x1 + MARGIN,
        y1: content.y1 + MARGIN,
    };

    // The picture: the whole view, or the window asked for (then the background covers only
    // the part of the window inside the view, the rest of a page stays paper-white).
    let (frame, w, h) = match opts.window {
        Some(win) => (win, win.width(), win.height()),
        None => (view, view.width().ceil(), view.height().ceil()),
    };
    let shown = |b: Bounds| opts.window.is_none_or(|win| win.intersects(b));
    let mut s = String::with_capacity(4096 + cards.len() * 2048);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="{} {} {} {}" font-family="{SANS}">"#,
        n(w),
        n(h),
        n(frame.x0),
        n(frame.y0),
        n(w),
        n(h)
    );
    let _ = writeln!(s, "<title>{}</title>", text(p.name()));
    let back = if opts.window.is_some() {
        Bounds {
            x0: view.x0.max(frame.x0),
            y0: view.y0.max(frame.y0),
            x1: (view.x0 + view.width().ceil()).min(frame.x1),
            y1: (view.y0 + view.height().ceil()).min(frame.y1),
        }
    } else {
        Bounds::new(view.x0, view.y0, w, h)
    };
    if back.width() > 0.0 && back.height() > 0.0 {
        let _ = writeln!(
            s,
            r#"<rect class="background" x="{}" y="{}" width="{}" height="{}" fill="{BACKGROUND}"/>"#,
            n(back.x0),
            n(back.y0),
            n(back.width()),
            n(back.height())
        );
    }

    for (a, b) in areas.iter().filter(|(_, b)| shown(*b)) {
        let c = hex(a.color);
        let _ = writeln!(
            s,
            r#"<g class="area" data-id="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{c}" fill-opacity="0.08" stroke="{c}" stroke-opacity="0.5"/><text x="{}" y="{}" font-size="15" fill="{c}" dominant-baseline="hanging">{}</text></g>"#,
            a.id,
            n(b.x0 + 0.5),
            n(b.y0 + 0.5),
            n(b.width() - 1.0),
            n(b.height() - 1.0),
            n(b.x0 + 10.0),
            n(b.y0 + 6.0),
            text(&a.name)
        );
    }

    let mut edges = 0;
    for fk in p.foreign_keys() {
        let (Some(&from), Some(&to)) = (index.get(&fk.from_table), index.get(&fk.to_table)) else {
            continue;
        };
        let (child, parent) = (cards[from].t, cards[to].t);
        let from_row = fk
            .from_columns
            .first()
            .and_then(|c| child.column_index(*c))
            .unwrap_or(0);
        let to_row = fk
            .target_columns(parent)
            .first()
            .and_then(|c| parent.column_index(*c))
            .unwrap_or(0);
        let curve = Curve::new(from == to, cards[from].b, cards[to].b, from_row, to_row);
        if opts.window.is_some_and(|win| !curve.meets(win)) {
            continue;
        }
        let shape = geometry::fk_shape(fk, child);
        edge(&mut s, fk, from == to, &curve, shape);
        edges += 1;
    }

    let mut drawn = 0;
    for c in cards.iter().filter(|c| shown(c.b)) {
        card(&mut s, p, c, opts.searchable_cut_names);
        drawn += 1;
    }

    for (note, b) in notes.iter().filter(|(_, b)| shown(*b)) {
        note_svg(&mut s, note, *b);
    }
    s.push_str("</svg>\n");
    Svg {
        text: s,
        width: w,
        height: h,
        view,
        tables: drawn,
        edges,
    }
}

/// Where a foreign key's line runs: the canvas's Bézier (or self-loop) from the child's row
/// (`pa`, leaving in direction `da`) to the parent's (`pb`, `db`), with its control points.
#[derive(Clone, Copy)]
struct Curve {
    pa: (f32, f32),
    c1: (f32, f32),
    c2: (f32, f32),
    pb: (f32, f32),
    da: f32,
    db: f32,
}

impl Curve {
    fn new(self_loop: bool, a: Bounds, b: Bounds, from_row: usize, to_row: usize) -> Curve {
        let ya = a.y0 + geometry::row_center_y(from_row);
        let yb = b.y0 + geometry::row_center_y(to_row);
        if self_loop {
            let x = a.x1;
            return Curve {
                pa: (x, ya),
                c1: (x + 28.0, ya),
                c2: (x + 28.0, yb),
                pb: (x, yb),
                da: 1.0,
                db: 1.0,
            };
        }
        let (xa, dxa, xb, dxb) = if b.x0 > a.x1 + 40.0 {
            (a.x1, 1.0, b.x0, -1.0)
        } else if a.x0 > b.x1 + 40.0 {
            (a.x0, -1.0, b.x1, 1.0)
        } else {
            (a.x1, 1.0, b.x1, 1.0)
        };
        let reach = ((xb - xa) * 0.5_f32).abs().clamp(30.0, 160.0);
        Curve {
            pa: (xa, ya),
            c1: (xa + dxa * reach, ya),
            c2: (xb + dxb * reach, yb),
            pb: (xb, yb),
            da: dxa,
            db: dxb,
        }
    }

    /// Whether the line (with its end marks, up to 16 units across) may cross `win`: checked
    /// on 32 chords of the curve, each widened by the marks. A long foreign key across a tiled
    /// PDF is then drawn on the pages it passes, not on every page of its bounding box.
    fn meets(&self, win: Bounds) -> bool {
        let at = |t: f32| {
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            (
                a * self.pa.0 + b * self.c1.0 + c * self.c2.0 + d * self.pb.0,
                a * self.pa.1 + b * self.c1.1 + c * self.c2.1 + d * self.pb.1,
            )
        };
        const PARTS: usize = 32;
        // The chords stray from the curve by far less than the widening at these lengths.
        let pad = 16.0;
        let mut prev = at(0.0);
        (1..=PARTS).any(|i| {
            let next = at(i as f32 / PARTS as f32);
            let chord = Bounds {
                x0: prev.0.min(next.0) - pad,
                y0: prev.1.min(next.1) - pad,
                x1: prev.0.max(next.0) + pad,
                y1: prev.1.max(next.1) + pad,
            };
            prev = next;
            chord.intersects(win)
        })
    }
}

/// One foreign key along its curve, with crow's-foot ends.
fn edge(s: &mut String, fk: &ForeignKey, self_loop: bool, curve: &Curve, shape: FkShape) {
    let size = 10.0;
    let Curve {
        pa,
        c1,
        c2,
        pb,
        da,
        db,
    } = *curve;
    let path = if self_loop {
        format!(
            "M{} {}L{} {}L{} {}L{} {}",
            n(pa.0),
            n(pa.1),
            n(c1.0),
            n(c1.1),
            n(c2.0),
            n(c2.1),
            n(pb.0),
            n(pb.1)
        )
    } else {
        format!(
            "M{} {}C{} {} {} {} {} {}",
            n(pa.0),
            n(pa.1),
            n(c1.0),
            n(c1.1),
            n(c2.0),
            n(c2.1),
            n(pb.0),
            n(pb.1)
        )
    };
    let _ = write!(
        s,
        r#"<g class="edge" data-fk="{}" stroke="{EDGE}" stroke-width="1.5" fill="none"><path d="{path}"{}/>"#,
        fk.id,
        if shape.identifying {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        }
    );
    let mut ends = String::new();
    // Child end: crow's foot ("many") unless the key is unique; circle: zero allowed.
    if shape.child_unique {
        bar(&mut ends, pa, da, size * 0.8, size);
    } else {
        crow_foot(&mut ends, pa, da, size);
    }
    circle(&mut ends, pa, da, size * 1.6, size * 0.35);
    // Parent end: exactly one, or zero-or-one when the key columns are nullable.
    bar(&mut ends, pb, db, size * 0.8, size);
    if shape.optional {
        circle(&mut ends, pb, db, size * 1.6, size * 0.35);
    } else {
        bar(&mut ends, pb, db, size * 1.3, size);
    }
    s.push_str(&ends);
    s.push_str("</g>\n");
}

fn line(s: &mut String, a: (f32, f32), b: (f32, f32)) {
    let _ = write!(
        s,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
        n(a.0),
        n(a.1),
        n(b.0),
        n(b.1)
    );
}

/// A bar across the (horizontal) line at distance `at` from the card edge.
fn bar(s: &mut String, p: (f32, f32), dir: f32, at: f32, size: f32) {
    let x = p.0 + dir * at;
    line(s, (x, p.1 - size * 0.5), (x, p.1 + size * 0.5));
}

fn circle(s: &mut String, p: (f32, f32), dir: f32, at: f32, r: f32) {
    let _ = write!(
        s,
        r#"<circle cx="{}" cy="{}" r="{}"/>"#,
        n(p.0 + dir * (at + r)),
        n(p.1),
        n(r)
    );
}

/// Three prongs fanning from a point on the line to the card edge.
fn crow_foot(s: &mut String, p: (f32, f32), dir: f32, size: f32) {
    let apex = (p.0 + dir * size, p.1);
    let spread = size * 0.6;
    line(s, apex, (p.0, p.1 + spread));
    line(s, apex, p);
    line(s, apex, (p.0, p.1 - spread));
}

fn card(s: &mut String, p: &Project, c: &Card, searchable_cut_names: bool) {
    let t = c.t;
    let b = c.b;
    let w = b.width();
    let qn = t.qualified_name();
    let _ = write!(
        s,
        r#"<g class="card" data-table="{}" data-id="{}">"#,
        attr(&qn),
        t.id
    );
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#ffffff" stroke="{CARD_BORDER}"/>"##,
        n(b.x0),
        n(b.y0),
        n(w),
        n(b.height())
    );
    // Header: rounded top corners only.
    let _ = write!(
        s,
        r#"<path d="M{} {}V{}A6 6 0 0 1 {} {}H{}A6 6 0 0 1 {} {}V{}Z" fill="{}"/>"#,
        n(b.x0),
        n(b.y0 + HEADER_H),
        n(b.y0 + 6.0),
        n(b.x0 + 6.0),
        n(b.y0),
        n(b.x1 - 6.0),
        n(b.x1),
        n(b.y0 + 6.0),
        n(b.y0 + HEADER_H),
        c.header
    );
    let mut badge_w = 0.0;
    if let Some(label) = nf_badge(t) {
        let bw = label.chars().count() as f32 * 6.3 + 8.0;
        let bh = 15.0;
        let x = b.x1 - PAD_X - bw;
        let y = b.y0 + (HEADER_H - bh) * 0.5;
        let fill = if label == "BCNF" || label == "4NF" {
            "#2e7d32"
        } else {
            "#c66200"
        };
        let _ = write!(
            s,
            r##"<g class="badge"><rect x="{}" y="{}" width="{}" height="{bh}" rx="3" fill="{fill}"/><text x="{}" y="{}" font-size="10.5" fill="#ffffff" text-anchor="middle" dominant-baseline="central">{}</text></g>"##,
            n(x),
            n(y),
            n(bw),
            n(x + bw * 0.5),
            n(y + bh * 0.5),
            text(label)
        );
        badge_w = bw + PAD_X;
    }
    let (title, cut) = fit_text(&qn, 13.0, w - 2.0 * PAD_X - badge_w);
    let _ = write!(
        s,
        r##"<text class="title" x="{}" y="{}" font-size="13" fill="#ffffff" dominant-baseline="central">{}{}</text>"##,
        n(b.x0 + PAD_X),
        n(b.y0 + HEADER_H * 0.5),
        if cut {
            format!("<title>{}</title>", text(&qn))
        } else {
            String::new()
        },
        text(&title)
    );
    if cut && searchable_cut_names {
        // In the footer strip, small and transparent: found by search and `pdftotext` on a
        // line of its own, invisible on paper.
        let _ = write!(
            s,
            r#"<text class="search" x="{}" y="{}" font-size="4" fill="{TEXT}" fill-opacity="0">{}</text>"#,
            n(b.x0 + PAD_X),
            n(b.y1 - 1.5),
            text(&qn)
        );
    }
    let fk_cols = p.fk_columns_from(t.id);
    let markers = geometry::row_markers(t, &fk_cols);
    let row_w = w - (2.0 * PAD_X + MARKER_W + 6.0);
    for (i, col) in t.columns.iter().enumerate() {
        let y = b.y0 + HEADER_H + i as f32 * ROW_H + ROW_H * 0.5;
        let _ = write!(s, r#"<g class="row" data-column="{}">"#, attr(&col.name));
        if let Some(m) = markers[i] {
            let _ = write!(
                s,
                r#"<text class="marker" x="{}" y="{}" font-family="{MONO}" font-size="10" fill="{}" dominant-baseline="central">{}</text>"#,
                n(b.x0 + PAD_X),
                n(y),
                hex(m.rgb()),
                m.label()
            );
        }
        let ty = geometry::row_type_text(col, p);
        // Type right-aligned, name left; the name gives way (ellipsis) when both don't fit.
        let (ty_shown, ty_cut) = fit_text(&ty, 12.0, row_w * 0.5);
        let ty_w = text_width(&ty_shown, 12.0);
        let name_w = row_w - ty_w - geometry::NAME_TYPE_GAP * 0.6;
        let (name, name_cut) = fit_text(&col.name, 13.0, name_w);
        let pk = matches!(markers[i], Some(RowMarker::Pk | RowMarker::Pf));
        let _ = write!(
            s,
            r#"<text class="column" x="{}" y="{}" font-size="13" fill="{}"{} dominant-baseline="central">{}{}</text>"#,
            n(b.x0 + PAD_X + MARKER_W),
            n(y),
            TEXT,
            if pk { "" } else { r#" fill-opacity="0.92""# },
            if name_cut {
                format!("<title>{}</title>", text(&col.name))
            } else {
                String::new()
            },
            text(&name)
        );
        let _ = write!(
            s,
            r#"<text class="type" x="{}" y="{}" font-size="12" fill="{WEAK}" text-anchor="end" dominant-baseline="central">{}{}</text>"#,
            n(b.x1 - PAD_X - 6.0),
            n(y),
            if ty_cut {
                format!("<title>{}</title>", text(&ty))
            } else {
                String::new()
            },
            text(&ty_shown)
        );
        let _ = write!(
            s,
            r#"<circle cx="{}" cy="{}" r="2.2" fill="none" stroke="{WEAK}" stroke-opacity="0.6"/>"#,
            n(b.x1 - 5.0),
            n(y)
        );
        s.push_str("</g>");
    }
    s.push_str("</g>\n");
}

/// Greedy word wrap to `width` characters; words longer than a line are split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut cur = String::new();
        for word in para.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let cur_len = cur.chars().count();
                let sep = usize::from(cur_len > 0);
                if cur_len + sep + word.len() <= width {
                    if sep == 1 {
                        cur.push(' ');
                    }
                    cur.extend(word.iter());
                    break;
                }
                if cur_len > 0 {
                    lines.push(std::mem::take(&mut cur));
                    continue;
                }
                let rest = word.split_off(width.min(word.len()));
                lines.push(word.iter().collect());
                word = rest;
                if word.is_empty() {
                    break;
                }
            }
        }
        lines.push(cur);
    }
    lines
}

fn note_svg(s: &mut String, note: &Note, b: Bounds) {
    let _ = write!(
        s,
        r##"<g class="note" data-id="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#fff1a8"/>"##,
        note.id,
        n(b.x0),
        n(b.y0),
        n(b.width()),
        n(b.height())
    );
    let line_h = 15.0;
    let max_lines = ((NOTE_H - 12.0) / line_h).floor() as usize;
    let chars = ((NOTE_W - 12.0) / (CHAR_W * 12.0 / 13.0)).floor() as usize;
    let mut lines = wrap(&note.text, chars.max(1));
    let truncated = lines.len() > max_lines;
    if truncated {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let (mut cut, _) = ellipsize(last, chars as f32 - 1.0);
            if !cut.ends_with('…') {
                cut.push('…');
            }
            *last = cut;
        }
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" font-size="12" fill="#282828">"##,
        n(b.x0 + 6.0),
        n(b.y0 + 6.0)
    );
    if truncated {
        let _ = write!(s, "<title>{}</title>", text(&note.text));
    }
    for (i, l) in lines.iter().enumerate() {
        let _ = write!(
            s,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            n(b.x0 + 6.0),
            n(b.y0 + 6.0 + 11.0 + i as f32 * line_h),
            text(l)
        );
    }
    s.push_str("</text></g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(2.5), "2.5");
        assert_eq!(n(1.239), "1.24");
    }

    #[test]
    fn wrap_splits_words_and_long_words() {
        assert_eq!(wrap("ab cd ef", 5), vec!["ab cd", "ef"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
    }
}
