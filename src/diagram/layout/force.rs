//! The force-directed (Fruchterman-Reingold) layout of one component.

use super::*;

/// Deterministic pseudo-random value in [-0.5, 0.5) from an index.
pub(super) fn jitter(i: usize, salt: u64) -> f64 {
    let mut z = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

pub(super) fn force_component(
    sizes: &[[f64; 2]],
    edges: &[(usize, usize)],
    start: Vec<[f64; 2]>,
    o: &ForceOptions,
) -> Vec<[f64; 2]> {
    let n = sizes.len();
    let gap = gap_value(o.gap, 0.0);
    if n <= 1 {
        return vec![[0.0, 0.0]; n];
    }
    let radius: Vec<f64> = sizes.iter().map(|s| 0.5 * s[0].hypot(s[1])).collect();
    let r_mean = radius.iter().sum::<f64>() / n as f64;
    let k = if o.edge_length > 0.0 && o.edge_length.is_finite() {
        (o.edge_length as f64).min(1.0e5)
    } else {
        1.3 * r_mean + gap
    };
    let scale: Vec<f64> = radius
        .iter()
        .map(|r| (r / r_mean).clamp(0.6, 1.6))
        .collect();
    let cutoff = 2.0 * k;

    // Centres, with a tiny deterministic jitter so no two coincide.
    let mut c: Vec<[f64; 2]> = start
        .iter()
        .zip(sizes)
        .enumerate()
        .map(|(i, (q, s))| {
            [
                q[0] + s[0] / 2.0 + jitter(i, 1) * k * 0.01,
                q[1] + s[1] / 2.0 + jitter(i, 2) * k * 0.01,
            ]
        })
        .collect();
    let (lo, hi) = bounds(&c);
    if (hi[0] - lo[0]).max(hi[1] - lo[1]) < k {
        // Everything in one spot: start from a sunflower spiral.
        for (i, q) in c.iter_mut().enumerate() {
            let r = k * (i as f64 + 0.5).sqrt();
            let a = i as f64 * 2.399_963_229_728_653;
            *q = [r * a.cos(), r * a.sin()];
        }
    }

    let iterations = o.iterations;
    let gravity = if o.gravity.is_finite() {
        (o.gravity as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut disp = vec![[0.0_f64; 2]; n];
    let mut cell_of = vec![0usize; n];
    let mut cell_start: Vec<usize> = Vec::new();
    let mut cell_items = vec![0usize; n];
    for it in 0..iterations {
        let t = k * (0.02 + 0.98 * (1.0 - it as f64 / iterations as f64));
        for d in disp.iter_mut() {
            *d = [0.0, 0.0];
        }
        // Grid of cells at least `cutoff` wide (wider when the layout is very spread out).
        let (lo, hi) = bounds(&c);
        let span = [hi[0] - lo[0], hi[1] - lo[1]];
        let mut cell = cutoff;
        while (span[0] / cell + 1.0) * (span[1] / cell + 1.0) > 4.0 * n as f64 + 16.0 {
            cell *= 1.5;
        }
        let gx = (span[0] / cell) as usize + 1;
        let gy = (span[1] / cell) as usize + 1;
        cell_start.clear();
        cell_start.resize(gx * gy + 1, 0);
        for (i, q) in c.iter().enumerate() {
            let cx = (((q[0] - lo[0]) / cell) as usize).min(gx - 1);
            let cy = (((q[1] - lo[1]) / cell) as usize).min(gy - 1);
            cell_of[i] = cy * gx + cx;
            cell_start[cell_of[i] + 1] += 1;
        }
        for i in 0..gx * gy {
            cell_start[i + 1] += cell_start[i];
        }
        {
            let mut fill = cell_start.clone();
            for (i, &ci) in cell_of.iter().enumerate() {
                cell_items[fill[ci]] = i;
                fill[ci] += 1;
            }
        }
        // Repulsion within the cutoff.
        for i in 0..n {
            let (cx, cy) = ((cell_of[i] % gx) as isize, (cell_of[i] / gx) as isize);
            let ki = k * scale[i];
            let mut f = [0.0_f64; 2];
            for ny in (cy - 1).max(0)..=(cy + 1).min(gy as isize - 1) {
                for nx in (cx - 1).max(0)..=(cx + 1).min(gx as isize - 1) {
                    let ci = ny as usize * gx + nx as usize;
                    for &j in &cell_items[cell_start[ci]..cell_start[ci + 1]] {
                        if j == i {
                            continue;
                        }
                        let dx = c[i][0] - c[j][0];
                        let dy = c[i][1] - c[j][1];
                        let d2 = dx * dx + dy * dy;
                        if d2 >= cutoff * cutoff {
                            continue;
                        }
                        let kk = ki * k * scale[j];
                        if d2 < 1e-6 {
                            f[0] += kk * jitter(i * 31 + j, 3);
                            f[1] += kk * jitter(i * 31 + j, 4);
                        } else {
                            // (dx / d) * kk / d
                            f[0] += dx * kk / d2;
                            f[1] += dy * kk / d2;
                        }
                    }
                }
            }
            disp[i] = f;
        }
        // Attraction along foreign keys.
        for &(a, b) in edges {
            let dx = c[a][0] - c[b][0];
            let dy = c[a][1] - c[b][1];
            let d = (dx * dx + dy * dy).sqrt();
            // (dx / d) * d^2 / k
            let fx = dx * d / k;
            let fy = dy * d / k;
            disp[a][0] -= fx;
            disp[a][1] -= fy;
            disp[b][0] += fx;
            disp[b][1] += fy;
        }
        // Gravity towards the centroid.
        let mut m = [0.0_f64; 2];
        for q in &c {
            m[0] += q[0];
            m[1] += q[1];
        }
        m = [m[0] / n as f64, m[1] / n as f64];
        for (d, q) in disp.iter_mut().zip(&c) {
            d[0] -= gravity * (q[0] - m[0]);
            d[1] -= gravity * (q[1] - m[1]);
        }
        for (q, d) in c.iter_mut().zip(&disp) {
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len > 1e-9 {
                let s = len.min(t) / len;
                q[0] += d[0] * s;
                q[1] += d[1] * s;
            }
        }
        // Later on, cards also collide: overlapping neighbours (by their real rectangles)
        // are pushed apart along the axis of least overlap, so the drawing grows where it
        // is crowded while the springs keep its shape.
        if it * 5 >= iterations * 2 {
            for i in 0..n {
                let (cx, cy) = ((cell_of[i] % gx) as isize, (cell_of[i] / gx) as isize);
                for ny in (cy - 1).max(0)..=(cy + 1).min(gy as isize - 1) {
                    for nx in (cx - 1).max(0)..=(cx + 1).min(gx as isize - 1) {
                        let ci = ny as usize * gx + nx as usize;
                        for &j in &cell_items[cell_start[ci]..cell_start[ci + 1]] {
                            if j <= i {
                                continue;
                            }
                            let dx = c[j][0] - c[i][0];
                            let dy = c[j][1] - c[i][1];
                            let ox = (sizes[i][0] + sizes[j][0]) / 2.0 + gap - dx.abs();
                            let oy = (sizes[i][1] + sizes[j][1]) / 2.0 + gap - dy.abs();
                            if ox <= 0.0 || oy <= 0.0 {
                                continue;
                            }
                            if ox <= oy {
                                let s = if dx >= 0.0 { 0.5 } else { -0.5 } * ox;
                                c[i][0] -= s;
                                c[j][0] += s;
                            } else {
                                let s = if dy >= 0.0 { 0.5 } else { -0.5 } * oy;
                                c[i][1] -= s;
                                c[j][1] += s;
                            }
                        }
                    }
                }
            }
        }
    }

    let mut rects: Vec<Rect> = c
        .iter()
        .zip(sizes)
        .map(|(q, s)| Rect {
            x: q[0] - s[0] / 2.0,
            y: q[1] - s[1] / 2.0,
            w: s[0],
            h: s[1],
        })
        .collect();
    remove_overlaps(&mut rects, gap);
    rects.iter().map(|r| [r.x, r.y]).collect()
}

pub(super) fn bounds(c: &[[f64; 2]]) -> ([f64; 2], [f64; 2]) {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for q in c {
        for k in 0..2 {
            lo[k] = lo[k].min(q[k]);
            hi[k] = hi[k].max(q[k]);
        }
    }
    (lo, hi)
}

// =============================================================================================
// Overlap removal
