//! The layered (Sugiyama) layout of one component: cycle breaking, layers, crossing
//! reduction and coordinate assignment.

use super::*;

/// For arcs `(u, v)` ("u before v"; no self-loops), which ones to reverse so the rest is
/// acyclic (Eades, Lin and Smyth's greedy order: sinks to the end, sources to the front, else
/// the vertex with the largest out-in degree difference). Deterministic.
pub(super) fn feedback_set(n: usize, arcs: &[(usize, usize)]) -> Vec<bool> {
    let out_adj = Csr::new(n, arcs.iter().map(|&(u, v)| (u, v)));
    let in_adj = Csr::new(n, arcs.iter().map(|&(u, v)| (v, u)));
    let indeg: Vec<i64> = (0..n).map(|v| in_adj.of(v).len() as i64).collect();
    let outdeg: Vec<i64> = (0..n).map(|v| out_adj.of(v).len() as i64).collect();
    let mut g = Greedy {
        queue: (0..n).map(|v| (indeg[v] - outdeg[v], v)).collect(),
        sinks: (0..n).rev().filter(|&v| outdeg[v] == 0).collect(),
        sources: (0..n).rev().filter(|&v| indeg[v] == 0).collect(),
        alive: vec![true; n],
        indeg,
        outdeg,
        out_adj: &out_adj,
        in_adj: &in_adj,
    };
    let mut s1: Vec<usize> = Vec::with_capacity(n);
    let mut s2: Vec<usize> = Vec::new();
    let mut remaining = n;
    while remaining > 0 {
        let mut progress = true;
        while progress {
            progress = false;
            while let Some(v) = g.sinks.pop() {
                if g.alive[v] && g.outdeg[v] == 0 {
                    g.remove(v, &mut s2, &mut remaining);
                    progress = true;
                }
            }
            while let Some(v) = g.sources.pop() {
                if g.alive[v] && g.indeg[v] == 0 {
                    g.remove(v, &mut s1, &mut remaining);
                    progress = true;
                }
            }
        }
        if let Some(&(_, v)) = g.queue.iter().next() {
            g.remove(v, &mut s1, &mut remaining);
        }
    }
    let mut rank = vec![0usize; n];
    for (i, &v) in s1.iter().chain(s2.iter().rev()).enumerate() {
        rank[v] = i;
    }
    arcs.iter().map(|&(u, v)| rank[u] > rank[v]).collect()
}

/// The state of [`feedback_set`]'s greedy order.
struct Greedy<'a> {
    alive: Vec<bool>,
    indeg: Vec<i64>,
    outdeg: Vec<i64>,
    /// Live vertices by in-out degree difference.
    queue: BTreeSet<(i64, usize)>,
    sinks: Vec<usize>,
    sources: Vec<usize>,
    out_adj: &'a Csr,
    in_adj: &'a Csr,
}

impl Greedy<'_> {
    /// Take `v` out of the graph and append it to `order`.
    fn remove(&mut self, v: usize, order: &mut Vec<usize>, remaining: &mut usize) {
        self.alive[v] = false;
        self.queue.remove(&(self.indeg[v] - self.outdeg[v], v));
        for &w in self.out_adj.of(v) {
            if self.alive[w] {
                self.queue.remove(&(self.indeg[w] - self.outdeg[w], w));
                self.indeg[w] -= 1;
                self.queue.insert((self.indeg[w] - self.outdeg[w], w));
                if self.indeg[w] == 0 {
                    self.sources.push(w);
                }
            }
        }
        for &u in self.in_adj.of(v) {
            if self.alive[u] {
                self.queue.remove(&(self.indeg[u] - self.outdeg[u], u));
                self.outdeg[u] -= 1;
                self.queue.insert((self.indeg[u] - self.outdeg[u], u));
                if self.outdeg[u] == 0 {
                    self.sinks.push(u);
                }
            }
        }
        order.push(v);
        *remaining -= 1;
    }
}

/// Compressed adjacency lists.
pub(super) struct Csr {
    pub(super) start: Vec<usize>,
    pub(super) items: Vec<usize>,
}

impl Csr {
    /// From `(from, to)` pairs; each list keeps the pairs' order.
    pub(super) fn new(n: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Csr {
        let mut start = vec![0usize; n + 1];
        for (u, _) in pairs.clone() {
            start[u + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut items = vec![0usize; start[n]];
        for (u, v) in pairs {
            items[fill[u]] = v;
            fill[u] += 1;
        }
        Csr { start, items }
    }

    pub(super) fn of(&self, v: usize) -> &[usize] {
        &self.items[self.start[v]..self.start[v + 1]]
    }
}

// =============================================================================================
// Layered layout of one connected component

/// Maximum number of dummy nodes per real node and arc (long edges beyond the budget are
/// left out of crossing reduction and alignment).
pub(super) const DUMMY_BUDGET_FACTOR: usize = 8;

/// Top-left corners of the cards of one component (local indices), acyclic `arcs`.
pub(super) fn layered_component(
    sizes: &[[f64; 2]],
    arcs: &[Arc],
    o: &LayeredOptions,
    progress: &Progress,
) -> Vec<[f64; 2]> {
    let n = sizes.len();
    if n <= 1 {
        return vec![[0.0, 0.0]; n];
    }
    let ltr = o.direction == Direction::LeftToRight;
    let (main_ax, cross_ax) = if ltr { (0, 1) } else { (1, 0) };
    let node_gap = gap_value(o.node_gap, 0.0);
    let layer_gap = gap_value(o.layer_gap, 1.0);

    // ---- layering: longest path from the roots
    let out_arcs = Csr::new(n, arcs.iter().enumerate().map(|(i, a)| (a.a, i)));
    let mut indeg = vec![0usize; n];
    for a in arcs {
        indeg[a.b] += 1;
    }
    let n_parents = indeg.clone();
    let mut topo: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut layer = vec![0usize; n];
    let mut head = 0;
    while head < topo.len() {
        let v = topo[head];
        head += 1;
        for &ai in out_arcs.of(v) {
            let b = arcs[ai].b;
            layer[b] = layer[b].max(layer[v] + 1);
            indeg[b] -= 1;
            if indeg[b] == 0 {
                topo.push(b);
            }
        }
    }
    debug_assert_eq!(topo.len(), n, "arcs must be acyclic");
    if o.compact_layers {
        for &v in topo.iter().rev() {
            let kids = out_arcs.of(v);
            if kids.len() > n_parents[v] {
                let hi = kids.iter().map(|&ai| layer[arcs[ai].b]).min().unwrap_or(1) - 1;
                layer[v] = layer[v].max(hi);
            }
        }
    }
    let layer = compress(&layer);
    let n_layers = layer.iter().max().map_or(0, |m| m + 1);

    // ---- initial order: depth first from the roots
    let dfs = {
        let mut starts: Vec<usize> = (0..n).collect();
        starts.sort_by_key(|&v| (layer[v], v));
        let mut seen = vec![false; n];
        let mut order = vec![0usize; n];
        let mut k = 0;
        let mut stack: Vec<usize> = Vec::new();
        for s in starts {
            if seen[s] {
                continue;
            }
            stack.push(s);
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                order[v] = k;
                k += 1;
                for &ai in out_arcs.of(v).iter().rev() {
                    if !seen[arcs[ai].b] {
                        stack.push(arcs[ai].b);
                    }
                }
            }
        }
        order
    };
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); n_layers];
    for v in 0..n {
        layers[layer[v]].push(v);
    }
    for l in &mut layers {
        // Leaves first: when a layer wraps, they sit next to their parents.
        l.sort_by_key(|&v| (!out_arcs.of(v).is_empty(), dfs[v]));
    }

    let ctx = Ctx {
        sizes,
        arcs,
        layers: &layers,
        dfs: &dfs,
        main_ax,
        cross_ax,
        node_gap,
        layer_gap,
        crossing_sweeps: o.crossing_sweeps,
        align_sweeps: o.align_sweeps,
    };
    if !o.wrap_layers {
        return place(&ctx, &vec![1; n_layers]);
    }

    // ---- wrapping: the estimate of the result's shape ignores dummies and the offsets
    // between layers, so correct it with the measured shape (a few attempts, best kept).
    let aspect = if o.aspect.is_finite() && o.aspect > 0.0 {
        o.aspect as f64
    } else {
        1.6
    };
    let target = if ltr { aspect } else { 1.0 / aspect };
    let mut want = target;
    let mut tried: Vec<Vec<usize>> = Vec::new();
    let mut best: Option<(f64, Vec<[f64; 2]>)> = None;
    for attempt in 0..WORK_PER_TABLE {
        if attempt > 0 {
            // The caller completes the component's share when it is done.
            progress.advance(n);
            if progress.is_cancelled() {
                break;
            }
        }
        let (chunks, est) = wrap_counts(&ctx, want);
        if tried.contains(&chunks) {
            break;
        }
        let pos = place(&ctx, &chunks);
        let mut lo = [f64::INFINITY; 2];
        let mut hi = [f64::NEG_INFINITY; 2];
        for (q, s) in pos.iter().zip(sizes) {
            for k in 0..2 {
                lo[k] = lo[k].min(q[k]);
                hi[k] = hi[k].max(q[k] + s[k]);
            }
        }
        let actual = (hi[main_ax] - lo[main_ax]) / (hi[cross_ax] - lo[cross_ax]).max(1.0);
        let off = (actual / target).ln().abs();
        if best.as_ref().is_none_or(|b| off < b.0) {
            best = Some((off, pos));
        }
        if off < 0.15 {
            break;
        }
        tried.push(chunks);
        want = (est * target / actual).clamp(1e-4, 1e4);
    }
    best.map(|b| b.1).unwrap_or_default()
}

/// What [`place`] needs of one component's layering.
pub(super) struct Ctx<'a> {
    pub(super) sizes: &'a [[f64; 2]],
    pub(super) arcs: &'a [Arc],
    pub(super) layers: &'a [Vec<usize>],
    pub(super) dfs: &'a [usize],
    pub(super) main_ax: usize,
    pub(super) cross_ax: usize,
    pub(super) node_gap: f64,
    pub(super) layer_gap: f64,
    pub(super) crossing_sweeps: usize,
    pub(super) align_sweeps: usize,
}

/// Ranks (layers split into `chunks[l]` sub-layers), dummies, crossing reduction and
/// coordinates: top-left corners of the cards.
pub(super) fn place(ctx: &Ctx, chunks: &[usize]) -> Vec<[f64; 2]> {
    let &Ctx {
        sizes,
        arcs,
        layers,
        dfs,
        main_ax,
        cross_ax,
        node_gap,
        layer_gap,
        crossing_sweeps,
        align_sweeps,
    } = ctx;
    let n = sizes.len();
    let mut rank = vec![0usize; n];
    let mut base = 0;
    for (l, nodes) in layers.iter().enumerate() {
        let k = chunks[l].max(1);
        let total: f64 = nodes.iter().map(|&v| sizes[v][cross_ax] + node_gap).sum();
        let mut cum = 0.0;
        for &v in nodes {
            let step = sizes[v][cross_ax] + node_gap;
            let c = (((cum + step / 2.0) / total) * k as f64).floor() as usize;
            rank[v] = base + c.min(k - 1);
            cum += step;
        }
        base += k;
    }
    let rank = compress(&rank);
    let n_ranks = rank.iter().max().map_or(0, |m| m + 1);

    // ---- proper graph with dummies
    let mut node_rank = rank.clone();
    let mut cross_size: Vec<f64> = sizes.iter().map(|s| s[cross_ax]).collect();
    let mut segs: Vec<Seg> = Vec::new();
    let mut by_span: Vec<usize> = (0..arcs.len()).collect();
    by_span.sort_by_key(|&i| (rank[arcs[i].b] - rank[arcs[i].a], i));
    let budget = DUMMY_BUDGET_FACTOR * (n + arcs.len());
    let mut dummies = 0;
    for i in by_span {
        let a = arcs[i];
        let span = rank[a.b] - rank[a.a];
        if span > 1 && dummies + span - 1 > budget {
            break;
        }
        let mut prev = a.a;
        let mut prev_port = a.port_a;
        for r in rank[a.a] + 1..rank[a.b] {
            let d = node_rank.len();
            node_rank.push(r);
            cross_size.push(0.0);
            dummies += 1;
            segs.push(Seg {
                up: prev,
                down: d,
                port_up: prev_port,
                port_down: 0.0,
                weight: if prev < n { 2.0 } else { 8.0 },
            });
            prev = d;
            prev_port = 0.0;
        }
        segs.push(Seg {
            up: prev,
            down: a.b,
            port_up: prev_port,
            port_down: a.port_b,
            weight: if prev < n { 1.0 } else { 2.0 },
        });
    }
    let total = node_rank.len();
    let down = Csr::new(total, segs.iter().enumerate().map(|(i, s)| (s.up, i)));
    let up = Csr::new(total, segs.iter().enumerate().map(|(i, s)| (s.down, i)));

    // ---- initial rows: depth first over the proper graph
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); n_ranks];
    {
        let mut starts: Vec<usize> = (0..n).collect();
        starts.sort_by_key(|&v| (rank[v], dfs[v]));
        let mut seen = vec![false; total];
        let mut stack: Vec<usize> = Vec::new();
        for s in starts {
            stack.push(s);
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                rows[node_rank[v]].push(v);
                for &si in down.of(v).iter().rev() {
                    if !seen[segs[si].down] {
                        stack.push(segs[si].down);
                    }
                }
            }
        }
    }

    // ---- crossing reduction
    let mut pos = vec![0usize; total];
    set_positions(&rows, &mut pos);
    let mut best = rows.clone();
    let mut best_cross = crossings(&rows, &pos, &segs, &down);
    for _ in 0..crossing_sweeps {
        if best_cross == 0 {
            break;
        }
        for row in rows.iter_mut().skip(1) {
            reorder(row, &mut pos, &segs, &up, true);
        }
        for row in rows.iter_mut().rev().skip(1) {
            reorder(row, &mut pos, &segs, &down, false);
        }
        let c = crossings(&rows, &pos, &segs, &down);
        if c < best_cross {
            best_cross = c;
            best = rows.clone();
        }
    }
    let rows = best;
    set_positions(&rows, &mut pos);

    // ---- coordinates across the layers
    let gap_between = |a: usize, b: usize| match (a < n, b < n) {
        (true, true) => node_gap,
        (false, false) => node_gap / 4.0,
        _ => node_gap / 2.0,
    };
    let mut at = vec![0.0_f64; total];
    for row in &rows {
        let mut c = 0.0;
        for (i, &v) in row.iter().enumerate() {
            at[v] = c;
            c += cross_size[v] + row.get(i + 1).map_or(0.0, |&w| gap_between(v, w));
        }
        for &v in row {
            at[v] -= c / 2.0;
        }
    }
    let mut scratch = Scratch::default();
    for _ in 0..align_sweeps {
        for row in rows.iter().skip(1) {
            align_row(
                row,
                &mut at,
                &segs,
                &up,
                &down,
                &cross_size,
                &gap_between,
                &mut scratch,
            );
        }
        for row in rows.iter().rev().skip(1) {
            align_row(
                row,
                &mut at,
                &segs,
                &up,
                &down,
                &cross_size,
                &gap_between,
                &mut scratch,
            );
        }
    }

    // ---- along the layers
    let mut thick = vec![0.0_f64; n_ranks];
    for v in 0..n {
        thick[rank[v]] = thick[rank[v]].max(sizes[v][main_ax]);
    }
    let mut start = vec![0.0_f64; n_ranks];
    for r in 1..n_ranks {
        start[r] = start[r - 1] + thick[r - 1] + layer_gap;
    }
    (0..n)
        .map(|v| {
            let mut q = [0.0; 2];
            q[main_ax] = start[rank[v]];
            q[cross_ax] = at[v];
            q
        })
        .collect()
}

/// Renumber values to 0.. keeping their order (removes gaps).
pub(super) fn compress(values: &[usize]) -> Vec<usize> {
    let mut distinct: Vec<usize> = values.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    values
        .iter()
        .map(|v| distinct.binary_search(v).unwrap_or(0))
        .collect()
}

/// How many sub-layers each layer is split into so that the estimated main-axis / cross-axis
/// ratio of the component comes out near `want`; also returns that estimate.
pub(super) fn wrap_counts(ctx: &Ctx, want: f64) -> (Vec<usize>, f64) {
    let &Ctx {
        sizes,
        layers,
        main_ax,
        cross_ax,
        node_gap,
        layer_gap,
        ..
    } = ctx;
    let info: Vec<(f64, f64, f64, usize)> = layers
        .iter()
        .map(|l| {
            let len: f64 = l.iter().map(|&v| sizes[v][cross_ax] + node_gap).sum();
            let big = l.iter().map(|&v| sizes[v][cross_ax]).fold(0.0, f64::max);
            let thick = l.iter().map(|&v| sizes[v][main_ax]).fold(0.0, f64::max);
            (len, big, thick, l.len())
        })
        .collect();
    let counts = |limit: f64| -> Vec<usize> {
        info.iter()
            .map(|&(len, _, _, count)| ((len / limit).ceil() as usize).clamp(1, count.max(1)))
            .collect()
    };
    let ratio = |k: &[usize]| -> f64 {
        let main: f64 = info
            .iter()
            .zip(k)
            .map(|(i, &k)| k as f64 * (i.2 + layer_gap))
            .sum::<f64>()
            - layer_gap;
        let cross = info
            .iter()
            .zip(k)
            .map(|(i, &k)| (i.0 / k as f64 - node_gap).max(i.1))
            .fold(1.0, f64::max);
        main / cross
    };
    let mut hi = info.iter().map(|i| i.0).fold(0.0, f64::max);
    let mut lo = info.iter().map(|i| i.1 + node_gap).fold(1.0, f64::max);
    let unwrapped = counts(hi);
    if ratio(&unwrapped) >= want || hi <= lo {
        let r = ratio(&unwrapped);
        return (unwrapped, r);
    }
    // ratio grows as the limit shrinks.
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if ratio(&counts(mid)) < want {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let (a, b) = (counts(lo), counts(hi));
    let (ra, rb) = (ratio(&a), ratio(&b));
    if (ra / want).ln().abs() <= (rb / want).ln().abs() {
        (a, ra)
    } else {
        (b, rb)
    }
}

/// A segment of the proper layered graph between adjacent ranks.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seg {
    pub(super) up: usize,
    pub(super) down: usize,
    pub(super) port_up: f64,
    pub(super) port_down: f64,
    pub(super) weight: f64,
}

pub(super) fn set_positions(rows: &[Vec<usize>], pos: &mut [usize]) {
    for row in rows {
        for (i, &v) in row.iter().enumerate() {
            pos[v] = i;
        }
    }
}

/// Sort a row by the barycenter of its neighbours in the adjacent fixed row (`from_up`: the
/// row above, via `adj` = up segments). Nodes without neighbours keep their place.
pub(super) fn reorder(
    row: &mut [usize],
    pos: &mut [usize],
    segs: &[Seg],
    adj: &Csr,
    from_up: bool,
) {
    let mut keyed: Vec<(f64, usize, usize)> = row
        .iter()
        .map(|&v| {
            let s = adj.of(v);
            let key = if s.is_empty() {
                pos[v] as f64
            } else {
                let sum: usize = s
                    .iter()
                    .map(|&si| {
                        let other = if from_up { segs[si].up } else { segs[si].down };
                        pos[other]
                    })
                    .sum();
                sum as f64 / s.len() as f64
            };
            (key, pos[v], v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (i, (_, _, v)) in keyed.into_iter().enumerate() {
        row[i] = v;
        pos[v] = i;
    }
}

/// Exact number of crossings between adjacent ranks (Fenwick-tree inversion count).
pub(super) fn crossings(rows: &[Vec<usize>], pos: &[usize], segs: &[Seg], down: &Csr) -> u64 {
    let mut total = 0u64;
    let mut seq: Vec<usize> = Vec::new();
    let mut tree: Vec<u32> = Vec::new();
    for r in 0..rows.len().saturating_sub(1) {
        seq.clear();
        for &v in &rows[r] {
            let start = seq.len();
            seq.extend(down.of(v).iter().map(|&si| pos[segs[si].down]));
            seq[start..].sort_unstable();
        }
        let m = rows[r + 1].len();
        tree.clear();
        tree.resize(m + 1, 0);
        for (seen, &x) in seq.iter().enumerate() {
            // count earlier entries <= x, crossings = earlier entries > x
            let mut i = x + 1;
            let mut le = 0u64;
            while i > 0 {
                le += tree[i] as u64;
                i &= i - 1;
            }
            total += seen as u64 - le;
            let mut i = x + 1;
            while i <= m {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

#[derive(Default)]
pub(super) struct Scratch {
    pub(super) target: Vec<f64>,
    pub(super) weight: Vec<f64>,
    pub(super) offset: Vec<f64>,
    pub(super) out: Vec<f64>,
    pub(super) blocks: Vec<(f64, f64, usize)>,
}

/// Place one row's cards exactly where the weighted squared length of their segments to the
/// neighbouring rows is smallest, keeping order and separations.
#[allow(clippy::too_many_arguments)]
pub(super) fn align_row(
    row: &[usize],
    at: &mut [f64],
    segs: &[Seg],
    up: &Csr,
    down: &Csr,
    cross_size: &[f64],
    gap_between: &dyn Fn(usize, usize) -> f64,
    s: &mut Scratch,
) {
    s.target.clear();
    s.weight.clear();
    s.offset.clear();
    let mut c = 0.0;
    for (i, &v) in row.iter().enumerate() {
        let (mut sw, mut swt) = (0.0, 0.0);
        for &si in up.of(v) {
            let g = segs[si];
            sw += g.weight;
            swt += g.weight * (at[g.up] + g.port_up - g.port_down);
        }
        for &si in down.of(v) {
            let g = segs[si];
            sw += g.weight;
            swt += g.weight * (at[g.down] + g.port_down - g.port_up);
        }
        let (t, w) = if sw > 0.0 {
            (swt / sw, sw)
        } else {
            (at[v], 1e-3)
        };
        s.offset.push(c);
        s.target.push(t - c);
        s.weight.push(w);
        c += cross_size[v] + row.get(i + 1).map_or(0.0, |&w| gap_between(v, w));
    }
    isotonic(&s.target, &s.weight, &mut s.blocks, &mut s.out);
    for (i, &v) in row.iter().enumerate() {
        at[v] = s.out[i] + s.offset[i];
    }
}

/// Weighted least-squares non-decreasing fit (pool adjacent violators).
pub(super) fn isotonic(
    target: &[f64],
    weight: &[f64],
    blocks: &mut Vec<(f64, f64, usize)>,
    out: &mut Vec<f64>,
) {
    blocks.clear();
    for (&t, &w) in target.iter().zip(weight) {
        let mut b = (t, w, 1usize);
        while let Some(&last) = blocks.last() {
            if last.0 > b.0 {
                let w = last.1 + b.1;
                b = ((last.0 * last.1 + b.0 * b.1) / w, w, last.2 + b.2);
                blocks.pop();
            } else {
                break;
            }
        }
        blocks.push(b);
    }
    out.clear();
    for &(m, _, k) in blocks.iter() {
        out.extend(std::iter::repeat_n(m, k));
    }
}

// =============================================================================================
// Force-directed layout of one component
