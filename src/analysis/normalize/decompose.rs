//! Decompositions: 3NF synthesis (Bernstein), BCNF decomposition, the lossless-join test
//! (chase) and dependency preservation.

use super::attrs::AttrSet;
use super::fd::{Fd, FdSet, restricted_closure};
use super::keys::Keys;
use super::nf::projected_bcnf_violation;
use std::collections::HashMap;

/// Default size up to which BCNF violations in a component are searched exhaustively.
pub const DEFAULT_BCNF_EXHAUSTIVE: usize = 14;

/// A decomposition with its checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decomposition {
    pub components: Vec<AttrSet>,
    /// The natural join of the components always gives back the relation (chase test).
    pub lossless: bool,
    /// FDs of the minimal cover that no longer follow from the FDs holding inside single
    /// components.
    pub lost: Vec<Fd>,
    /// Every component was certified (for BCNF: searched exhaustively or checked exactly);
    /// false when a large component was only searched heuristically.
    pub exhaustive: bool,
}

/// 3NF synthesis (Bernstein 1976, as in Silberschatz et al. §7.5.2 and Elmasri & Navathe
/// Algorithm 15.4): one schema per left side of the minimal cover (left side plus all its
/// right sides), in cover order; a key schema when no schema contains a candidate key; then
/// schemas contained in another are dropped. Lossless and dependency-preserving, each schema
/// in 3NF.
pub fn synthesize_3nf(f: &FdSet, cover: &[Fd], keys: &Keys) -> Decomposition {
    let n = f.universe();
    let mut schemas: Vec<AttrSet> = Vec::new();
    for g in FdSet::merge_by_lhs(cover) {
        schemas.push(g.lhs.union(&g.rhs));
    }
    if !schemas.iter().any(|s| f.is_superkey(s)) {
        let key = keys
            .keys
            .first()
            .cloned()
            .unwrap_or_else(|| AttrSet::full(n));
        schemas.push(key);
    }
    // Drop schemas contained in another (of equal ones, keep the first).
    finish(f, cover, maximal(&schemas), true)
}

/// BCNF decomposition (the standard algorithm: Silberschatz et al. §7.5.1, Elmasri & Navathe
/// Algorithm 15.5): while some component `R` has a violating `X` (`X ⊊ X⁺ ∩ R ⊊ R`), replace
/// it by `X⁺ ∩ R` and `X ∪ (R − X⁺)`. Violations inside components use projected FDs, found
/// by closures ([`projected_bcnf_violation`]); a component wider than `exhaustive_up_to`
/// attributes is searched heuristically and the result says so. Always lossless; it may lose
/// dependencies.
pub fn decompose_bcnf(f: &FdSet, cover: &[Fd], exhaustive_up_to: usize) -> Decomposition {
    let n = f.universe();
    let mut todo = vec![AttrSet::full(n)];
    let mut done: Vec<AttrSet> = Vec::new();
    let mut exhaustive = true;
    while let Some(r) = todo.pop() {
        let (hit, exact) = projected_bcnf_violation(f, cover, &r, exhaustive_up_to);
        match hit {
            Some(x) => {
                let mut c = f.closure(&x);
                c.intersect_with(&r);
                let rest = x.union(&r.difference(&c));
                // Depth-first, first part first: push in reverse.
                todo.push(rest);
                todo.push(c);
            }
            None => {
                exhaustive &= exact;
                done.push(r);
            }
        }
    }
    // A component contained in another adds nothing to the join.
    finish(f, cover, maximal(&done), exhaustive)
}

/// The sets not contained in another (of equal ones, the first), in their order.
fn maximal(sets: &[AttrSet]) -> Vec<AttrSet> {
    sets.iter()
        .enumerate()
        .filter(|&(i, s)| {
            !sets
                .iter()
                .enumerate()
                .any(|(j, t)| j != i && s.is_subset(t) && (s != t || j < i))
        })
        .map(|(_, s)| s.clone())
        .collect()
}

fn finish(f: &FdSet, cover: &[Fd], components: Vec<AttrSet>, exhaustive: bool) -> Decomposition {
    let lossless = lossless_join(f, &components);
    let lost = lost_dependencies(f, cover, &components);
    Decomposition {
        components,
        lossless,
        lost,
        exhaustive,
    }
}

/// The FDs of `cover` not preserved by `components` (restricted-closure test).
pub fn lost_dependencies(f: &FdSet, cover: &[Fd], components: &[AttrSet]) -> Vec<Fd> {
    cover
        .iter()
        .filter(|fd| {
            !fd.rhs
                .is_subset(&restricted_closure(f, &fd.lhs, components))
        })
        .cloned()
        .collect()
}

/// Lossless-join test by the chase (Aho, Beeri & Ullman 1979; Elmasri & Navathe
/// Algorithm 15.3; Garcia-Molina et al. §3.4): a tableau with one row per component,
/// distinguished symbols on the component's attributes, is chased with the FDs; the join is
/// lossless iff some row becomes all distinguished. Works for any number of components.
pub fn lossless_join(f: &FdSet, components: &[AttrSet]) -> bool {
    let n = f.universe();
    if components.is_empty() {
        return n == 0;
    }
    // Symbol 0 is distinguished; row i's own symbols are unique per (row, column).
    let mut t: Vec<Vec<u32>> = components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (0..n)
                .map(|a| {
                    if c.contains(a) {
                        0
                    } else {
                        1 + (i * n + a) as u32
                    }
                })
                .collect()
        })
        .collect();
    let fds: Vec<(Vec<usize>, Vec<usize>)> = f
        .fds()
        .iter()
        .map(|fd| (fd.lhs.to_vec(), fd.rhs.difference(&fd.lhs).to_vec()))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (lhs, rhs) in &fds {
            let mut groups: HashMap<Vec<u32>, Vec<usize>> = HashMap::new();
            for (i, row) in t.iter().enumerate() {
                groups
                    .entry(lhs.iter().map(|&a| row[a]).collect())
                    .or_default()
                    .push(i);
            }
            for members in groups.values() {
                if members.len() < 2 {
                    continue;
                }
                for &a in rhs {
                    // Equate column a across the group: the smallest symbol wins (0 first).
                    let target = members.iter().map(|&i| t[i][a]).min().expect("non-empty");
                    for &i in members {
                        let old = t[i][a];
                        if old != target {
                            // Renaming a symbol renames it everywhere in the column.
                            for row in t.iter_mut() {
                                if row[a] == old {
                                    row[a] = target;
                                }
                            }
                            changed = true;
                        }
                    }
                }
            }
        }
        if t.iter().any(|row| row.iter().all(|&s| s == 0)) {
            return true;
        }
    }
    t.iter().any(|row| row.iter().all(|&s| s == 0))
}
