//! Community detection on a weighted undirected graph: the Louvain method (Blondel, Guillaume,
//! Lambiotte & Lefebvre 2008) and Newman's modularity of a partition.
//!
//! Deterministic: nodes are visited in index order, a node moves only for a strictly better
//! gain (ties keep it where it is, then go to the first neighbouring community met in index
//! order), and communities are renumbered by their first node. Each level is linear in the
//! number of edges per pass, and the passes and levels are few, so the whole is near-linear.
//!
//! Written here rather than taken from a crate: the Louvain crates found (graphrs, rust-igraph,
//! fa-leiden-cd) either bring a thread pool, random-number and XML crates into the library,
//! use `f32` weights and hash-set results (order-dependent), carry a GPL licence, or are a
//! single early release; this is 200 lines with the determinism the studio needs.

/// A weighted edge `(u, v, w)`: `u != v`, `w > 0`. Parallel edges add up.
pub type Edge = (usize, usize, f64);

/// Newman's modularity of `community` (one community index per node) over `edges`:
/// `Q = Σ_c [L_c / m − γ (d_c / 2m)²]`, where `m` is the total edge weight, `L_c` the weight
/// of the edges inside community `c` and `d_c` the sum of its nodes' weighted degrees.
/// `resolution` is γ (1 for Newman's definition). 0 for a graph without edges.
pub fn modularity(community: &[usize], edges: &[Edge], resolution: f64) -> f64 {
    let m: f64 = edges.iter().map(|e| e.2).sum();
    if m <= 0.0 {
        return 0.0;
    }
    let k = community.iter().max().map_or(0, |c| c + 1);
    let mut inside = vec![0.0_f64; k];
    let mut degree = vec![0.0_f64; k];
    for &(u, v, w) in edges {
        let (cu, cv) = (community[u], community[v]);
        degree[cu] += w;
        degree[cv] += w;
        if cu == cv {
            inside[cu] += w;
        }
    }
    inside
        .iter()
        .zip(&degree)
        .map(|(l, d)| l / m - resolution * (d / (2.0 * m)).powi(2))
        .sum()
}

/// Louvain communities of the `n` nodes: one community index per node, numbered from 0 in
/// order of each community's first node. Nodes without edges stay alone.
pub fn louvain(n: usize, edges: &[Edge], resolution: f64) -> Vec<usize> {
    let mut g = Level::from_edges(n, edges);
    // Community of each original node, as a node of the current level.
    let mut of: Vec<usize> = (0..n).collect();
    if g.two_m <= 0.0 {
        return of;
    }
    for _ in 0..64 {
        let (comm, moved) = g.local_moving(resolution);
        if !moved {
            break;
        }
        let (renumbered, count) = renumber(&comm);
        for c in of.iter_mut() {
            *c = renumbered[*c];
        }
        if count == g.len() {
            break; // nodes only traded places: nothing to aggregate
        }
        g = g.aggregate(&renumbered, count);
    }
    renumber(&of).0
}

/// Renumber community labels 0.. in order of first occurrence; also returns the count.
fn renumber(comm: &[usize]) -> (Vec<usize>, usize) {
    let mut map = vec![usize::MAX; comm.len().max(comm.iter().max().map_or(0, |m| m + 1))];
    let mut next = 0;
    let out = comm
        .iter()
        .map(|&c| {
            if map[c] == usize::MAX {
                map[c] = next;
                next += 1;
            }
            map[c]
        })
        .collect();
    (out, next)
}

/// One level of the Louvain hierarchy: a graph in compressed adjacency lists (neighbours in
/// index order, no self-loops) with each node's self-loop weight kept apart.
struct Level {
    start: Vec<usize>,
    adj: Vec<(usize, f64)>,
    /// `A_ii`: twice the weight of the edges inside the node (a community of the level below).
    self_w: Vec<f64>,
    /// Weighted degree `k_i = Σ_j A_ij` (self-loop included).
    degree: Vec<f64>,
    two_m: f64,
}

impl Level {
    fn from_edges(n: usize, edges: &[Edge]) -> Level {
        let mut pairs: Vec<(usize, usize, f64)> = Vec::with_capacity(edges.len() * 2);
        for &(u, v, w) in edges {
            if u != v && w > 0.0 {
                pairs.push((u, v, w));
                pairs.push((v, u, w));
            }
        }
        pairs.sort_by_key(|a| (a.0, a.1));
        let mut start = vec![0usize; n + 1];
        let mut adj: Vec<(usize, f64)> = Vec::with_capacity(pairs.len());
        let mut degree = vec![0.0_f64; n];
        for (u, v, w) in pairs {
            degree[u] += w;
            match adj.last_mut() {
                Some(last) if start[u + 1] > 0 && last.0 == v => last.1 += w,
                _ => {
                    adj.push((v, w));
                    start[u + 1] += 1;
                }
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let two_m = degree.iter().sum();
        Level {
            start,
            adj,
            self_w: vec![0.0; n],
            degree,
            two_m,
        }
    }

    fn len(&self) -> usize {
        self.degree.len()
    }

    fn neighbours(&self, i: usize) -> &[(usize, f64)] {
        &self.adj[self.start[i]..self.start[i + 1]]
    }

    /// Move nodes between communities while modularity grows; returns each node's community
    /// (labelled by a node index) and whether any node moved.
    fn local_moving(&self, resolution: f64) -> (Vec<usize>, bool) {
        let n = self.len();
        let mut comm: Vec<usize> = (0..n).collect();
        let mut tot: Vec<f64> = self.degree.clone();
        let mut weight_to = vec![0.0_f64; n];
        let mut touched: Vec<usize> = Vec::new();
        let scale = resolution / self.two_m;
        let mut any = false;
        for _ in 0..100 {
            let mut moves = 0usize;
            for i in 0..n {
                let (ci, ki) = (comm[i], self.degree[i]);
                for &(j, w) in self.neighbours(i) {
                    let c = comm[j];
                    if weight_to[c] == 0.0 {
                        touched.push(c);
                    }
                    weight_to[c] += w;
                }
                tot[ci] -= ki;
                let mut best = ci;
                let mut best_gain = weight_to[ci] - tot[ci] * ki * scale;
                for &c in &touched {
                    let gain = weight_to[c] - tot[c] * ki * scale;
                    if gain > best_gain + 1e-9 * (1.0 + best_gain.abs()) {
                        best = c;
                        best_gain = gain;
                    }
                }
                tot[best] += ki;
                if best != ci {
                    comm[i] = best;
                    moves += 1;
                }
                for &c in &touched {
                    weight_to[c] = 0.0;
                }
                touched.clear();
            }
            if moves == 0 {
                break;
            }
            any = true;
        }
        (comm, any)
    }

    /// The graph of the communities (`comm[i]` in `0..count`).
    fn aggregate(&self, comm: &[usize], count: usize) -> Level {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, &c) in comm.iter().enumerate() {
            members[c].push(i);
        }
        let mut start = vec![0usize; count + 1];
        let mut adj: Vec<(usize, f64)> = Vec::new();
        let mut self_w = vec![0.0_f64; count];
        let mut degree = vec![0.0_f64; count];
        let mut weight_to = vec![0.0_f64; count];
        let mut touched: Vec<usize> = Vec::new();
        for (c, nodes) in members.iter().enumerate() {
            for &i in nodes {
                self_w[c] += self.self_w[i];
                degree[c] += self.degree[i];
                for &(j, w) in self.neighbours(i) {
                    let d = comm[j];
                    if d == c {
                        self_w[c] += w;
                    } else {
                        if weight_to[d] == 0.0 {
                            touched.push(d);
                        }
                        weight_to[d] += w;
                    }
                }
            }
            touched.sort_unstable();
            for &d in &touched {
                adj.push((d, weight_to[d]));
                weight_to[d] = 0.0;
            }
            start[c + 1] = adj.len();
            touched.clear();
        }
        Level {
            start,
            adj,
            self_w,
            degree,
            two_m: self.two_m,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two triangles joined by one edge: m = 7, each triangle holds L = 3 and degree 7, so
    /// Q = 2 · (3/7 − (7/14)²) = 6/7 − 1/2 = 5/14.
    #[test]
    fn modularity_of_two_triangles() {
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (0, 2, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (3, 5, 1.0),
            (2, 3, 1.0),
        ];
        let q = modularity(&[0, 0, 0, 1, 1, 1], &edges, 1.0);
        assert!((q - 5.0 / 14.0).abs() < 1e-12, "{q}");
        // Everything in one community: L = m, d = 2m, Q = 0.
        assert!(modularity(&[0; 6], &edges, 1.0).abs() < 1e-12);
        assert_eq!(louvain(6, &edges, 1.0), vec![0, 0, 0, 1, 1, 1]);
    }

    /// Weighted: a path a-b (weight 3), b-c (weight 1). m = 4; {a,b}: L = 3, d = 3+4 = 7;
    /// {c}: L = 0, d = 1. Q = 3/4 − (7/8)² − (1/8)² = 0.75 − 0.765625 − 0.015625 = −0.03125.
    #[test]
    fn weighted_modularity_by_hand() {
        let edges = [(0, 1, 3.0), (1, 2, 1.0)];
        let q = modularity(&[0, 0, 1], &edges, 1.0);
        assert!((q + 0.03125).abs() < 1e-12, "{q}");
    }

    #[test]
    fn parallel_edges_add_up_and_isolated_nodes_stay_alone() {
        let edges = [(0, 1, 1.0), (1, 0, 1.0), (2, 3, 1.0)];
        let c = louvain(5, &edges, 1.0);
        assert_eq!(c, vec![0, 0, 1, 1, 2]);
        let g = Level::from_edges(5, &edges);
        assert_eq!(g.neighbours(0), &[(1, 2.0)]);
        assert_eq!(g.two_m, 6.0);
    }
}
