//! Functional and multivalued dependencies; attribute closure (Beeri–Bernstein), implication,
//! equivalence and the minimal cover.

use super::attrs::{AttrSet, Schema};

/// A functional dependency `lhs → rhs`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fd {
    pub lhs: AttrSet,
    pub rhs: AttrSet,
}

impl Fd {
    pub fn new(lhs: AttrSet, rhs: AttrSet) -> Self {
        Fd { lhs, rhs }
    }

    /// `rhs ⊆ lhs`: holds in every relation.
    pub fn is_trivial(&self) -> bool {
        self.rhs.is_subset(&self.lhs)
    }

    /// `A, B -> C` with the schema's names.
    pub fn display(&self, s: &Schema) -> String {
        format!("{} -> {}", s.fmt_set(&self.lhs), s.fmt_set(&self.rhs))
    }

    /// `A, B → C` (for explanations).
    pub fn pretty(&self, s: &Schema) -> String {
        format!("{} → {}", s.fmt_set(&self.lhs), s.fmt_set(&self.rhs))
    }
}

/// A multivalued dependency `lhs ↠ rhs`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mvd {
    pub lhs: AttrSet,
    pub rhs: AttrSet,
}

impl Mvd {
    pub fn new(lhs: AttrSet, rhs: AttrSet) -> Self {
        Mvd { lhs, rhs }
    }

    /// Trivial when `rhs ⊆ lhs` or `lhs ∪ rhs` is the whole relation.
    pub fn is_trivial(&self) -> bool {
        self.rhs.is_subset(&self.lhs) || self.lhs.union(&self.rhs).is_full()
    }

    pub fn display(&self, s: &Schema) -> String {
        format!("{} ->> {}", s.fmt_set(&self.lhs), s.fmt_set(&self.rhs))
    }

    pub fn pretty(&self, s: &Schema) -> String {
        format!("{} ↠ {}", s.fmt_set(&self.lhs), s.fmt_set(&self.rhs))
    }
}

/// A set of FDs over `n` attributes, indexed for the linear-time closure.
///
/// The index is the one of Beeri & Bernstein, "Computational problems related to the design
/// of normal form relational schemas", ACM TODS 4(1), 1979: for each attribute, the FDs whose
/// left side contains it, and for each FD a counter of left-side attributes not yet in the
/// closure. An FD fires when its counter reaches zero, so a closure costs
/// O(n + total size of the FDs).
#[derive(Clone, Debug)]
pub struct FdSet {
    n: usize,
    fds: Vec<Fd>,
    /// For each attribute, the FDs whose left side contains it.
    uses: Vec<Vec<u32>>,
    /// Left-side sizes.
    lhs_len: Vec<u32>,
    /// Right sides as index lists.
    rhs: Vec<Vec<u32>>,
    /// FDs with an empty left side.
    empty_lhs: Vec<u32>,
}

impl FdSet {
    /// Index `fds` (over `n` attributes).
    pub fn new(n: usize, fds: Vec<Fd>) -> Self {
        let mut uses = vec![Vec::new(); n];
        let mut lhs_len = Vec::with_capacity(fds.len());
        let mut rhs = Vec::with_capacity(fds.len());
        let mut empty_lhs = Vec::new();
        for (k, fd) in fds.iter().enumerate() {
            debug_assert_eq!(fd.lhs.universe(), n);
            debug_assert_eq!(fd.rhs.universe(), n);
            let mut len = 0;
            for a in fd.lhs.iter() {
                uses[a].push(k as u32);
                len += 1;
            }
            if len == 0 {
                empty_lhs.push(k as u32);
            }
            lhs_len.push(len);
            rhs.push(fd.rhs.iter().map(|a| a as u32).collect());
        }
        FdSet {
            n,
            fds,
            uses,
            lhs_len,
            rhs,
            empty_lhs,
        }
    }

    /// Number of attributes.
    pub fn universe(&self) -> usize {
        self.n
    }

    pub fn fds(&self) -> &[Fd] {
        &self.fds
    }

    /// `X⁺`: every attribute determined by `x`.
    pub fn closure(&self, x: &AttrSet) -> AttrSet {
        self.closure_active(x, None)
    }

    /// `X⁺` using only the FDs `k` with `active[k]` (all when `None`).
    pub fn closure_active(&self, x: &AttrSet, active: Option<&[bool]>) -> AttrSet {
        let mut result = x.clone();
        let mut count = self.lhs_len.clone();
        let mut queue: Vec<u32> = x.iter().map(|a| a as u32).collect();
        let on = |k: usize| active.is_none_or(|act| act[k]);
        // FDs with an empty left side fire at once.
        for &k in &self.empty_lhs {
            let k = k as usize;
            if on(k) {
                for &b in &self.rhs[k] {
                    if !result.contains(b as usize) {
                        result.insert(b as usize);
                        queue.push(b);
                    }
                }
            }
        }
        while let Some(a) = queue.pop() {
            for &k in &self.uses[a as usize] {
                let k = k as usize;
                count[k] -= 1;
                if count[k] == 0 && on(k) {
                    for &b in &self.rhs[k] {
                        if !result.contains(b as usize) {
                            result.insert(b as usize);
                            queue.push(b);
                        }
                    }
                }
            }
        }
        result
    }

    /// `x` determines every attribute.
    pub fn is_superkey(&self, x: &AttrSet) -> bool {
        self.closure(x).is_full()
    }

    /// `x` determines every attribute of `r` (`x ⊆ r` assumed): a superkey of the projection.
    pub fn is_superkey_of(&self, x: &AttrSet, r: &AttrSet) -> bool {
        r.is_subset(&self.closure(x))
    }

    /// The set implies `fd` (Armstrong's axioms): `fd.rhs ⊆ fd.lhs⁺`.
    pub fn implies(&self, fd: &Fd) -> bool {
        fd.rhs.is_subset(&self.closure(&fd.lhs))
    }

    /// Every FD of `other` follows from this set.
    pub fn implies_all(&self, other: &[Fd]) -> bool {
        other.iter().all(|fd| self.implies(fd))
    }

    /// Same closure `F⁺`: each set implies the other.
    pub fn equivalent(&self, other: &FdSet) -> bool {
        self.implies_all(other.fds()) && other.implies_all(self.fds())
    }

    /// A minimal (canonical) cover, deterministic for a given input set:
    /// 1. split right sides into single attributes, dropping trivial FDs and duplicates,
    ///    sorted by (left side, right side);
    /// 2. remove extraneous left-side attributes (in attribute order): `b` is extraneous in
    ///    `X → a` when `a ∈ (X − b)⁺`;
    /// 3. remove redundant FDs, trying the last in sorted order first (so the FDs with the
    ///    smallest, earliest left sides, such as a primary key's, are the ones kept): `X → a`
    ///    is redundant when the others imply it.
    ///
    /// The result is sorted by (left side, right side); every right side is one attribute.
    pub fn minimal_cover(&self) -> Vec<Fd> {
        let n = self.n;
        let mut split: Vec<Fd> = Vec::new();
        for fd in &self.fds {
            for a in fd.rhs.iter() {
                if !fd.lhs.contains(a) {
                    split.push(Fd::new(fd.lhs.clone(), AttrSet::single(n, a)));
                }
            }
        }
        split.sort();
        split.dedup();
        // Step 2: closures under the split set are the closures under the original set, and
        // every reduction keeps the set equivalent, so the original index serves throughout.
        for fd in &mut split {
            let attrs = fd.lhs.to_vec();
            for b in attrs {
                let smaller = fd.lhs.without(b);
                if fd.rhs.is_subset(&self.closure(&smaller)) {
                    fd.lhs = smaller;
                }
            }
        }
        split.sort();
        split.dedup();
        // Step 3.
        let set = FdSet::new(n, split);
        let mut active = vec![true; set.fds.len()];
        for k in (0..set.fds.len()).rev() {
            active[k] = false;
            let fd = &set.fds[k];
            if !fd
                .rhs
                .is_subset(&set.closure_active(&fd.lhs, Some(&active)))
            {
                active[k] = true;
            }
        }
        set.fds
            .into_iter()
            .zip(active)
            .filter_map(|(fd, on)| on.then_some(fd))
            .collect()
    }

    /// FDs with the same left side merged (`X → a`, `X → b` become `X → a, b`), sorted.
    pub fn merge_by_lhs(fds: &[Fd]) -> Vec<Fd> {
        let mut out: Vec<Fd> = Vec::new();
        let mut sorted = fds.to_vec();
        sorted.sort_by(|a, b| a.lhs.cmp(&b.lhs));
        for fd in sorted {
            match out.last_mut() {
                Some(last) if last.lhs == fd.lhs => last.rhs.union_with(&fd.rhs),
                _ => out.push(fd),
            }
        }
        out
    }
}

/// The closure of `x` restricted to a decomposition: the attributes `x` determines using only
/// FDs that hold within single components (`Z := Z ∪ ((Z ∩ Rᵢ)⁺ ∩ Rᵢ)` until stable). This is
/// the polynomial dependency-preservation test of Ullman (Principles of Database and
/// Knowledge-Base Systems, 1988, Algorithm 7.3): `X → A` is preserved iff `A` is in it.
pub fn restricted_closure(f: &FdSet, x: &AttrSet, components: &[AttrSet]) -> AttrSet {
    let mut z = x.clone();
    loop {
        let before = z.len();
        for r in components {
            let mut t = f.closure(&z.intersection(r));
            t.intersect_with(r);
            z.union_with(&t);
        }
        if z.len() == before {
            return z;
        }
    }
}
