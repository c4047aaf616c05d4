//! Candidate keys (Lucchesi–Osborn) and prime attributes.

use super::attrs::AttrSet;
use super::fd::FdSet;

/// Default cap on enumerated candidate keys.
pub const DEFAULT_KEY_CAP: usize = 1000;

/// The candidate keys found, and whether the enumeration stopped at the cap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    /// Sorted: smaller keys first, then by attribute order.
    pub keys: Vec<AttrSet>,
    /// More keys exist than `keys` holds ("showing first N").
    pub truncated: bool,
}

impl Keys {
    /// Attributes in some candidate key (a lower bound when `truncated`).
    pub fn prime(&self, n: usize) -> AttrSet {
        let mut p = AttrSet::empty(n);
        for k in &self.keys {
            p.union_with(k);
        }
        p
    }
}

/// Shrink a superkey `s` of `r` to a candidate key of `r` by dropping attributes (in index
/// order) whose removal leaves a superkey.
pub fn minimize_key(f: &FdSet, s: &AttrSet, r: &AttrSet) -> AttrSet {
    let mut k = s.clone();
    for a in s.iter() {
        let smaller = k.without(a);
        if f.is_superkey_of(&smaller, r) {
            k = smaller;
        }
    }
    k
}

/// All candidate keys of the relation over all of `f`'s attributes, at most `cap` of them.
///
/// Lucchesi & Osborn, "Candidate keys for relations", JCSS 17(2), 1978: start from one key;
/// for every key `K` found and every FD `X → Y`, the set `X ∪ (K − Y)` is a superkey; when it
/// contains no key found so far, minimizing it gives a new key. Every key is reached, and the
/// cost is polynomial in the number of keys (a relation can have exponentially many).
pub fn candidate_keys(f: &FdSet, cap: usize) -> Keys {
    let n = f.universe();
    candidate_keys_of(f, &AttrSet::full(n), cap)
}

/// Candidate keys of the projection onto `r` (keys are subsets of `r` determining `r`).
/// Uses the FDs `X → (X⁺ ∩ r)` for the left sides `X ⊆ r` found by the algorithm; exact for
/// `r` = all attributes. For a proper subset the projected FDs are needed: see
/// [`candidate_keys_projected`].
fn candidate_keys_of(f: &FdSet, r: &AttrSet, cap: usize) -> Keys {
    let first = minimize_key(f, r, r);
    let mut keys = vec![first];
    let mut truncated = false;
    let mut i = 0;
    'outer: while i < keys.len() {
        let k = keys[i].clone();
        for fd in f.fds() {
            let mut s = k.difference(&fd.rhs);
            s.union_with(&fd.lhs);
            if keys.iter().any(|key| key.is_subset(&s)) {
                continue;
            }
            if keys.len() >= cap {
                truncated = true;
                break 'outer;
            }
            keys.push(minimize_key(f, &s, r));
        }
        i += 1;
    }
    keys.sort();
    Keys { keys, truncated }
}

/// Candidate keys of the projection of `f` onto `r`, by Lucchesi–Osborn over the projected
/// FDs `X → (X⁺ ∩ r)` for every `X ⊆ r`. Exponential in `|r|`: meant for small projections
/// (tests, components of a decomposition).
pub fn candidate_keys_projected(f: &FdSet, r: &AttrSet, cap: usize) -> Keys {
    let n = f.universe();
    let attrs = r.to_vec();
    assert!(attrs.len() <= 24, "projection too large to enumerate");
    let mut fds = Vec::new();
    for mask in 0u32..(1u32 << attrs.len()) {
        let x = AttrSet::from_indices(
            n,
            attrs
                .iter()
                .enumerate()
                .filter(|(j, _)| mask >> j & 1 == 1)
                .map(|(_, &a)| a),
        );
        let mut c = f.closure(&x);
        c.intersect_with(r);
        if c != x {
            fds.push(super::fd::Fd::new(x, c));
        }
    }
    // Attributes outside r never appear in these FDs: treat them as determined by nothing,
    // and test superkeys against r only.
    let proj = FdSet::new(n, fds);
    candidate_keys_of(&proj, r, cap)
}
