//! The grouped layout: tables in groups (subject areas), a layered layout inside each group,
//! and the groups' boxes (with room for the area's name) packed to a target aspect ratio.

use super::*;

/// Options of [`grouped`].
#[derive(Clone, Debug, PartialEq)]
pub struct GroupedOptions {
    /// The layout inside each group (its `aspect` shapes each group).
    pub layered: LayeredOptions,
    /// Space between an area's border and its cards.
    pub padding: f32,
    /// Extra space above the cards, for the area's name.
    pub label: f32,
    /// Gap between the boxes.
    pub gap: f32,
    /// Target width / height of the whole (16:10 by default: a window).
    pub aspect: f32,
}

impl Default for GroupedOptions {
    fn default() -> Self {
        GroupedOptions {
            layered: LayeredOptions::default(),
            padding: 40.0,
            label: 36.0,
            gap: 100.0,
            aspect: 16.0 / 10.0,
        }
    }
}

/// A box on the canvas (an area's position and size).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AreaBox {
    pub position: Position,
    pub size: [f32; 2],
}

/// What [`grouped`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupedLayout {
    /// New table positions (only the tables that move): a [`Command::MoveTables`].
    pub moves: Command,
    /// The box around each group's cards, in the order of the groups (`None` for a group
    /// without tables of the project).
    pub boxes: Vec<Option<AreaBox>>,
}

/// Lay the project out by `groups` (lists of tables; a table listed twice belongs to its
/// first group): a layered layout of each group's tables and the keys between them, each
/// group in a box of [`GroupedOptions::padding`] around its cards plus
/// [`GroupedOptions::label`] above them, the boxes packed in shelves to
/// [`GroupedOptions::aspect`]. Tables in no group are laid out together as one more block,
/// without a box. The top-left corner of the tables' current bounding box is kept; no two
/// cards overlap and no box overlaps another.
pub fn grouped(p: &Project, groups: &[Vec<TableId>], o: &GroupedOptions) -> GroupedLayout {
    let g = Graph::build(p, None);
    let n = g.ids.len();
    let rest = groups.len();
    let mut group_of = vec![rest; n];
    for (k, tables) in groups.iter().enumerate() {
        for &t in tables {
            if let Ok(v) = g.ids.binary_search(&t)
                && group_of[v] == rest
            {
                group_of[v] = k;
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); rest + 1];
    for (v, &k) in group_of.iter().enumerate() {
        members[k].push(v);
    }
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); rest + 1];
    for (li, l) in g.links.iter().enumerate() {
        if group_of[l.child] == group_of[l.parent] {
            links[group_of[l.child]].push(li);
        }
    }

    let pad = gap_value(o.padding, 0.0);
    let label = gap_value(o.label, 0.0);
    let gap = gap_value(o.gap, 0.0);
    let algo = Algo::Layered(&o.layered);
    let mut local = vec![usize::MAX; n];
    // Laid-out blocks: group index, positions (parallel to members), inset, outer size.
    type Laid = (usize, Vec<[f64; 2]>, [f64; 2], [f64; 2]);
    let mut blocks: Vec<Laid> = Vec::new();
    for k in 0..=rest {
        if members[k].is_empty() {
            continue;
        }
        let (pos, ext) = g.block(
            &members[k],
            &links[k],
            algo,
            &mut local,
            &Progress::default(),
        );
        let (inset, dims) = if k < rest {
            (
                [pad, pad + label],
                [ext[0] + 2.0 * pad, ext[1] + 2.0 * pad + label],
            )
        } else {
            ([0.0, 0.0], ext)
        };
        blocks.push((k, pos, inset, dims));
    }
    let dims: Vec<[f64; 2]> = blocks.iter().map(|b| b.3).collect();
    let offsets = pack_shaped(&dims, gap, o.aspect as f64);

    let origin = g
        .pos
        .iter()
        .fold([f64::INFINITY; 2], |m, q| [m[0].min(q[0]), m[1].min(q[1])]);
    let origin = if n == 0 {
        [0.0, 0.0]
    } else {
        [origin[0].round(), origin[1].round()]
    };
    let mut at = vec![[0.0_f64; 2]; n];
    let mut boxes: Vec<Option<AreaBox>> = vec![None; rest];
    for ((k, pos, inset, dims), off) in blocks.iter().zip(&offsets) {
        for (&v, q) in members[*k].iter().zip(pos) {
            at[v] = [
                (origin[0] + off[0] + inset[0] + q[0]).round(),
                (origin[1] + off[1] + inset[1] + q[1]).round(),
            ];
        }
        if *k < rest {
            let (x, y) = ((origin[0] + off[0]).floor(), (origin[1] + off[1]).floor());
            boxes[*k] = Some(AreaBox {
                position: Position {
                    x: x as f32,
                    y: y as f32,
                },
                size: [
                    (origin[0] + off[0] + dims[0] - x).ceil() as f32,
                    (origin[1] + off[1] + dims[1] - y).ceil() as f32,
                ],
            });
        }
    }

    let mut rects: Vec<Rect> = at
        .iter()
        .zip(&g.size)
        .map(|(q, s)| Rect {
            x: q[0],
            y: q[1],
            w: s[0],
            h: s[1],
        })
        .collect();
    let min_gap = gap_value(o.layered.node_gap, 0.0)
        .min(gap_value(o.layered.layer_gap, 1.0))
        .min(gap_value(o.layered.component_gap, 0.0))
        .min(gap);
    let moved = settle(&mut rects, &[], (min_gap - 2.0).clamp(0.0, 8.0), true);
    debug_assert!(
        moved == 0 || min_gap < 2.0,
        "grouped layout produced {moved} overlapping cards"
    );
    let moves = moves_to(p, &g.ids, &rects);
    GroupedLayout {
        moves: Command::MoveTables(moves),
        boxes,
    }
}

/// Shelf packing (tallest first) at the row width, among a few dozen tried, whose result is
/// closest to `aspect` and wastes the least room: with a few large boxes the width estimated
/// from their total area alone stacks them in one column. Top-left offset of each box.
fn pack_shaped(dims: &[[f64; 2]], gap: f64, aspect: f64) -> Vec<[f64; 2]> {
    let aspect = if aspect.is_finite() && aspect > 0.0 {
        aspect
    } else {
        1.6
    };
    let mut order: Vec<usize> = (0..dims.len()).collect();
    order.sort_by(|&a, &b| {
        dims[b][1]
            .total_cmp(&dims[a][1])
            .then(dims[b][0].total_cmp(&dims[a][0]))
            .then(a.cmp(&b))
    });
    let shelves = |width: f64, out: &mut Vec<[f64; 2]>| -> [f64; 2] {
        out.clear();
        out.resize(dims.len(), [0.0; 2]);
        let (mut x, mut y, mut shelf) = (0.0_f64, 0.0_f64, 0.0_f64);
        let mut right = 0.0_f64;
        for &i in &order {
            let [w, h] = dims[i];
            if x > 0.0 && x + w > width {
                y += shelf + gap;
                x = 0.0;
                shelf = 0.0;
            }
            out[i] = [x, y];
            right = right.max(x + w);
            x += w + gap;
            shelf = shelf.max(h);
        }
        [right, y + shelf]
    };
    let widest = dims.iter().map(|d| d[0]).fold(0.0, f64::max);
    let total: f64 = dims.iter().map(|d| d[0] + gap).sum();
    let used: f64 = dims.iter().map(|d| d[0] * d[1]).sum::<f64>().max(1.0);
    let mut best: Option<(f64, Vec<[f64; 2]>)> = None;
    let mut out = Vec::new();
    const TRIES: usize = 48;
    for k in 0..=TRIES {
        let width = widest
            * (total / widest.max(1.0))
                .max(1.0)
                .powf(k as f64 / TRIES as f64);
        let [w, h] = shelves(width, &mut out);
        let off = ((w / h.max(1.0)) / aspect).ln().abs();
        let waste = (w * h / used).max(1.0).ln();
        let score = off + 0.5 * waste;
        if best.as_ref().is_none_or(|b| score < b.0 - 1e-9) {
            best = Some((score, out.clone()));
        }
    }
    best.map(|b| b.1).unwrap_or_default()
}

/// The box [`grouped`] would draw around `tables` where they are now: their cards' bounding
/// box with [`GroupedOptions::padding`] around and [`GroupedOptions::label`] above. `None`
/// when none of them is in the project.
pub fn box_around(p: &Project, tables: &[TableId], o: &GroupedOptions) -> Option<AreaBox> {
    let pad = gap_value(o.padding, 0.0);
    let label = gap_value(o.label, 0.0);
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for t in tables.iter().filter_map(|&id| p.table(id)) {
        let [w, h] = card_size(t, p);
        let (x, y) = (finite(t.position.x), finite(t.position.y));
        lo = [lo[0].min(x), lo[1].min(y)];
        hi = [hi[0].max(x + w as f64), hi[1].max(y + h as f64)];
    }
    if lo[0] > hi[0] {
        return None;
    }
    let (x, y) = ((lo[0] - pad).floor(), (lo[1] - pad - label).floor());
    Some(AreaBox {
        position: Position {
            x: x as f32,
            y: y as f32,
        },
        size: [
            (hi[0] + pad - x).ceil() as f32,
            (hi[1] + pad - y).ceil() as f32,
        ],
    })
}
