//! Overlap removal and packing: cards never overlap, components are packed side by side.

use super::*;

#[derive(Clone, Copy, Debug)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

impl Rect {
    /// Closer than `gap` on both axes.
    pub(super) fn overlaps(&self, o: &Rect, gap: f64) -> bool {
        self.x < o.x + o.w + gap
            && o.x < self.x + self.w + gap
            && self.y < o.y + o.h + gap
            && o.y < self.y + self.h + gap
    }
}

/// Push overlapping cards apart (a few rounds), then guarantee separation with [`settle`].
pub(super) fn remove_overlaps(rects: &mut [Rect], gap: f64) {
    let n = rects.len();
    let cell = rects.iter().map(|r| r.w.max(r.h)).fold(1.0, f64::max) + gap;
    // First spread the whole drawing uniformly (about its centre) by the factor that
    // separates most overlapping pairs: local pushes alone jam in dense areas.
    for _ in 0..2 {
        let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, r) in rects.iter().enumerate() {
            grid.entry(cell_key(r, cell)).or_default().push(i);
        }
        let mut needed: Vec<f64> = Vec::new();
        for i in 0..n {
            let (cx, cy) = cell_key(&rects[i], cell);
            for ny in cy - 1..=cy + 1 {
                for nx in cx - 1..=cx + 1 {
                    for &j in grid.get(&(nx, ny)).map_or(&[][..], |v| v.as_slice()) {
                        let (a, b) = (rects[i], rects[j]);
                        if j <= i || !a.overlaps(&b, gap) {
                            continue;
                        }
                        let dx = ((a.x + a.w / 2.0) - (b.x + b.w / 2.0)).abs();
                        let dy = ((a.y + a.h / 2.0) - (b.y + b.h / 2.0)).abs();
                        let sx = ((a.w + b.w) / 2.0 + gap) / dx.max(1e-9);
                        let sy = ((a.h + b.h) / 2.0 + gap) / dy.max(1e-9);
                        needed.push(sx.min(sy));
                    }
                }
            }
        }
        if needed.len() * 20 < n {
            break;
        }
        needed.sort_by(f64::total_cmp);
        let s = needed[(needed.len() * 9 / 10).min(needed.len() - 1)].clamp(1.0, 1.5);
        let (lo, hi) = bounds(&rects.iter().map(|r| [r.x, r.y]).collect::<Vec<_>>());
        let m = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        for r in rects.iter_mut() {
            let c = [r.x + r.w / 2.0, r.y + r.h / 2.0];
            r.x = m[0] + (c[0] - m[0]) * s - r.w / 2.0;
            r.y = m[1] + (c[1] - m[1]) * s - r.h / 2.0;
        }
    }
    for _ in 0..30 {
        let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, r) in rects.iter().enumerate() {
            grid.entry(cell_key(r, cell)).or_default().push(i);
        }
        let mut any = false;
        for i in 0..n {
            let (cx, cy) = cell_key(&rects[i], cell);
            for ny in cy - 1..=cy + 1 {
                for nx in cx - 1..=cx + 1 {
                    let Some(items) = grid.get(&(nx, ny)) else {
                        continue;
                    };
                    for &j in items {
                        if j <= i {
                            continue;
                        }
                        let (a, b) = (rects[i], rects[j]);
                        let ox = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x) + gap;
                        let oy = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y) + gap;
                        if ox <= 0.0 || oy <= 0.0 {
                            continue;
                        }
                        any = true;
                        // Push slightly further than needed so rounds converge.
                        if ox <= oy {
                            let first = a.x + a.w / 2.0 <= b.x + b.w / 2.0;
                            let s = if first { 0.5 } else { -0.5 } * (ox + 0.5);
                            rects[i].x -= s;
                            rects[j].x += s;
                        } else {
                            let first = a.y + a.h / 2.0 <= b.y + b.h / 2.0;
                            let s = if first { 0.5 } else { -0.5 } * (oy + 0.5);
                            rects[i].y -= s;
                            rects[j].y += s;
                        }
                    }
                }
            }
        }
        if !any {
            break;
        }
    }
    settle(rects, &[], gap, false);
}

pub(super) fn cell_key(r: &Rect, cell: f64) -> (i64, i64) {
    ((r.x / cell).floor() as i64, (r.y / cell).floor() as i64)
}

/// Place cards one by one (in order) where they are, or, when that collides with a placed
/// card or a `fixed` one, at the nearest free spot on a spiral around it. Afterwards no two
/// cards are closer than `gap`. With `whole`, positions found are rounded to whole units.
/// Returns how many cards had to move.
pub(super) fn settle(rects: &mut [Rect], fixed: &[Rect], gap: f64, whole: bool) -> usize {
    let mut moved = 0;
    let cell = rects
        .iter()
        .chain(fixed)
        .map(|r| r.w.max(r.h))
        .fold(1.0, f64::max)
        + gap;
    let mut grid: HashMap<(i64, i64), Vec<Rect>> = HashMap::new();
    for r in fixed {
        grid.entry(cell_key(r, cell)).or_default().push(*r);
    }
    let free = |grid: &HashMap<(i64, i64), Vec<Rect>>, r: &Rect| {
        let (cx, cy) = cell_key(r, cell);
        for ny in cy - 1..=cy + 1 {
            for nx in cx - 1..=cx + 1 {
                if let Some(items) = grid.get(&(nx, ny))
                    && items.iter().any(|o| r.overlaps(o, gap))
                {
                    return false;
                }
            }
        }
        true
    };
    let step = (gap.max(10.0) / 2.0).max(cell / 8.0);
    // Right edge of everything placed so far: beyond it is always free.
    let mut right = fixed.iter().map(|r| r.x + r.w).fold(f64::MIN, f64::max);
    for r in rects.iter_mut() {
        if !free(&grid, r) {
            let origin = *r;
            let mut found = None;
            let mut ring = 1_i64;
            while found.is_none() && ring <= 256 {
                let mut cands: Vec<(i64, i64)> = Vec::new();
                for i in -ring..=ring {
                    cands.extend([(i, -ring), (i, ring)]);
                    if i.abs() != ring {
                        cands.extend([(-ring, i), (ring, i)]);
                    }
                }
                cands.sort_by_key(|&(i, j)| (i * i + j * j, j, i));
                for (i, j) in cands {
                    let mut c = origin;
                    c.x += i as f64 * step;
                    c.y += j as f64 * step;
                    if whole {
                        c.x = c.x.round();
                        c.y = c.y.round();
                    }
                    if free(&grid, &c) {
                        found = Some(c);
                        break;
                    }
                }
                ring += 1;
            }
            *r = found.unwrap_or(Rect {
                x: (right + gap + 1.0).ceil(),
                ..origin
            });
            moved += 1;
        }
        right = right.max(r.x + r.w);
        grid.entry(cell_key(r, cell)).or_default().push(*r);
    }
    moved
}

/// Shift positions so the bounding box starts at (0, 0); returns its size.
pub(super) fn normalize(pos: &mut [[f64; 2]], sizes: &[[f64; 2]]) -> [f64; 2] {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for (q, s) in pos.iter().zip(sizes) {
        for k in 0..2 {
            lo[k] = lo[k].min(q[k]);
            hi[k] = hi[k].max(q[k] + s[k]);
        }
    }
    for q in pos.iter_mut() {
        q[0] -= lo[0];
        q[1] -= lo[1];
    }
    [hi[0] - lo[0], hi[1] - lo[1]]
}

/// Shelf packing (next fit, tallest first) into rows wrapping at a width that gives roughly
/// `aspect`. Returns the top-left offset of each block.
pub(super) fn pack(dims: &[[f64; 2]], gap: f64, aspect: f64) -> Vec<[f64; 2]> {
    let mut order: Vec<usize> = (0..dims.len()).collect();
    order.sort_by(|&a, &b| {
        dims[b][1]
            .total_cmp(&dims[a][1])
            .then(dims[b][0].total_cmp(&dims[a][0]))
            .then(a.cmp(&b))
    });
    let area: f64 = dims.iter().map(|d| (d[0] + gap) * (d[1] + gap)).sum();
    let widest = dims.iter().map(|d| d[0]).fold(0.0, f64::max);
    let aspect = if aspect.is_finite() && aspect > 0.0 {
        aspect
    } else {
        1.6
    };
    let width = widest.max((area * aspect).sqrt());
    let mut out = vec![[0.0; 2]; dims.len()];
    let (mut x, mut y, mut shelf) = (0.0_f64, 0.0_f64, 0.0_f64);
    for i in order {
        let [w, h] = dims[i];
        if x > 0.0 && x + w > width {
            y += shelf + gap;
            x = 0.0;
            shelf = 0.0;
        }
        out[i] = [x, y];
        x += w + gap;
        shelf = shelf.max(h);
    }
    out
}

/// Top-left for a block of size `extent` near `origin` that keeps `gap` clear of `fixed`.
pub(super) fn place_block(
    origin: [f64; 2],
    extent: [f64; 2],
    fixed: &[Rect],
    gap: f64,
) -> [f64; 2] {
    let free = |o: [f64; 2]| {
        let b = Rect {
            x: o[0] - gap,
            y: o[1] - gap,
            w: extent[0] + 2.0 * gap,
            h: extent[1] + 2.0 * gap,
        };
        fixed.iter().all(|f| !b.overlaps(f, 0.0))
    };
    if free(origin) {
        return origin;
    }
    let step = (extent[0].max(extent[1]) / 4.0).max(100.0);
    for ring in 1..=12_i32 {
        let mut cands: Vec<(i32, i32)> = Vec::new();
        for i in -ring..=ring {
            cands.extend([(i, -ring), (i, ring)]);
            if i.abs() != ring {
                cands.extend([(-ring, i), (ring, i)]);
            }
        }
        cands.sort_by_key(|&(i, j)| (i * i + j * j, j, i));
        for (i, j) in cands {
            let o = [origin[0] + i as f64 * step, origin[1] + j as f64 * step];
            if free(o) {
                return o;
            }
        }
    }
    // Right of everything.
    let right = fixed.iter().map(|f| f.x + f.w).fold(f64::MIN, f64::max);
    [(right + gap).round(), origin[1]]
}

// =============================================================================================
// Cycle breaking: Eades–Lin–Smyth greedy feedback arc set
