//! Highest normal form (1NF–BCNF, 4NF with declared MVDs) and the violating dependencies,
//! each with a plain-language explanation.

use super::attrs::{AttrSet, Schema};
use super::fd::{Fd, FdSet, Mvd};
use super::keys::Keys;
use serde::Serialize;

/// A normal form, ordered from weakest to strongest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum NormalForm {
    #[serde(rename = "1NF")]
    First,
    #[serde(rename = "2NF")]
    Second,
    #[serde(rename = "3NF")]
    Third,
    #[serde(rename = "BCNF")]
    Bcnf,
    #[serde(rename = "4NF")]
    Fourth,
}

impl NormalForm {
    pub fn label(self) -> &'static str {
        match self {
            NormalForm::First => "1NF",
            NormalForm::Second => "2NF",
            NormalForm::Third => "3NF",
            NormalForm::Bcnf => "BCNF",
            NormalForm::Fourth => "4NF",
        }
    }

    /// The form below this one (what a relation violating this form is at most).
    pub fn below(self) -> NormalForm {
        match self {
            NormalForm::First | NormalForm::Second => NormalForm::First,
            NormalForm::Third => NormalForm::Second,
            NormalForm::Bcnf => NormalForm::Third,
            NormalForm::Fourth => NormalForm::Bcnf,
        }
    }
}

impl std::fmt::Display for NormalForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What kind of dependency breaks a normal form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// A non-prime attribute depends on a proper part of a candidate key (2NF).
    Partial,
    /// A non-prime attribute depends on a non-key set (3NF).
    Transitive,
    /// A determinant is not a superkey though the dependent is prime (BCNF).
    NonKeyDeterminant,
    /// An MVD's left side is not a superkey (4NF).
    Multivalued,
}

/// One dependency that breaks a normal form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The lowest normal form it breaks (it breaks every stronger one too).
    pub violates: NormalForm,
    pub kind: ViolationKind,
    pub lhs: AttrSet,
    pub rhs: AttrSet,
    /// For 2NF and 3NF: the candidate key the explanation starts from.
    pub key: Option<AttrSet>,
    /// The FD is not among the given ones but follows from them.
    pub implied: bool,
}

impl Violation {
    /// `A, B -> C` (`->>` for an MVD).
    pub fn fd_text(&self, s: &Schema) -> String {
        let arrow = if self.kind == ViolationKind::Multivalued {
            "->>"
        } else {
            "->"
        };
        format!("{} {arrow} {}", s.fmt_set(&self.lhs), s.fmt_set(&self.rhs))
    }

    /// The plain-language reason.
    pub fn explain(&self, s: &Schema, f: &FdSet) -> String {
        let x = s.fmt_group(&self.lhs);
        let a = s.fmt_group(&self.rhs);
        let implied = if self.implied {
            " (implied by the given dependencies)"
        } else {
            ""
        };
        let one = self.rhs.len() == 1;
        let (dep, is) = if one {
            ("depends", "is")
        } else {
            ("depend", "are")
        };
        match self.kind {
            ViolationKind::Partial => {
                let k = self
                    .key
                    .as_ref()
                    .map(|k| s.fmt_group(k))
                    .unwrap_or_default();
                format!(
                    "{x} → {a}{implied}, and {x} is only part of the candidate key {k}, so \
                     {a} {dep} on part of the key rather than the whole key: 2NF is violated \
                     ({a} {is} not part of any candidate key)"
                )
            }
            ViolationKind::Transitive => {
                let k = self
                    .key
                    .as_ref()
                    .map(|k| s.fmt_group(k))
                    .unwrap_or_default();
                format!(
                    "{k} → {x}, and {x} → {a}{implied}, so {a} {dep} on the key only \
                     transitively: 3NF is violated ({x} is not a superkey and {a} {is} not \
                     part of any candidate key)"
                )
            }
            ViolationKind::NonKeyDeterminant => {
                let c = f.closure(&self.lhs);
                let lacks = AttrSet::full(c.universe()).difference(&c);
                format!(
                    "{x} → {a}{implied}, but {x} is not a superkey (it does not determine \
                     {}): BCNF requires every determinant to be a superkey. 3NF allows it \
                     because {a} {is} part of a candidate key",
                    s.fmt_group(&lacks)
                )
            }
            ViolationKind::Multivalued => format!(
                "{x} ↠ {a}, and {x} is not a superkey, so for each {x} the {a} values are \
                 stored independently of the other attributes (redundancy): 4NF is violated"
            ),
        }
    }
}

/// The normal-form verdict for a relation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NfResult {
    /// Highest of 1NF/2NF/3NF/BCNF (first normal form is assumed: attributes are atomic).
    pub normal_form: NormalForm,
    /// With declared MVDs: in 4NF (BCNF and every nontrivial MVD has a superkey left side).
    pub fourth_nf: Option<bool>,
    /// Sorted by the form they violate, then by dependency.
    pub violations: Vec<Violation>,
    /// The verdict relies on a complete list of prime attributes; false when the key
    /// enumeration was truncated (the prime set is then a lower bound).
    pub exact: bool,
}

/// Shrink `x` (in attribute order) while it still determines `a`.
fn minimize_lhs(f: &FdSet, x: &AttrSet, a: &AttrSet) -> AttrSet {
    let mut s = x.clone();
    for b in x.iter() {
        let smaller = s.without(b);
        if a.is_subset(&f.closure(&smaller)) {
            s = smaller;
        }
    }
    s
}

/// Normal form of the relation over all of `f`'s attributes.
///
/// * 2NF: for each candidate key `K` and each `b ∈ K`, every non-prime attribute in
///   `(K − b)⁺` depends on a proper part of `K` (the closure is monotone, so these subsets
///   cover every proper subset). The reported left side is shrunk to a minimal one.
/// * 3NF: a minimal cover is checked: `X → a` with `X` not a superkey and `a` non-prime
///   (it suffices to check a cover: Silberschatz et al., Database System Concepts, 7th ed.,
///   §7.4.2).
/// * BCNF: `X → a` of the cover with `X` not a superkey (checking a cover of the relation
///   itself suffices).
/// * 4NF (only with MVDs): BCNF, and every nontrivial MVD has a superkey left side.
pub fn normal_form(f: &FdSet, cover: &[Fd], keys: &Keys, mvds: &[Mvd]) -> NfResult {
    let n = f.universe();
    let prime = keys.prime(n);
    let given: Vec<&Fd> = f.fds().iter().collect();
    let is_given =
        |lhs: &AttrSet, rhs: &AttrSet| given.iter().any(|g| g.lhs == *lhs && rhs.is_subset(&g.rhs));
    let mut v: Vec<Violation> = Vec::new();
    // 2NF
    for k in &keys.keys {
        for b in k.iter() {
            let part = k.without(b);
            let c = f.closure(&part);
            let mut dependents = c.difference(&part);
            dependents.difference_with(&prime);
            for a in dependents.iter() {
                let a_set = AttrSet::single(n, a);
                let lhs = minimize_lhs(f, &part, &a_set);
                if v.iter().any(|x| x.lhs == lhs && x.rhs == a_set) {
                    continue;
                }
                v.push(Violation {
                    violates: NormalForm::Second,
                    kind: ViolationKind::Partial,
                    implied: !is_given(&lhs, &a_set),
                    lhs,
                    rhs: a_set,
                    key: Some(k.clone()),
                });
            }
        }
    }
    // 3NF and BCNF, on the cover.
    let first_key = keys.keys.first().cloned();
    for fd in cover {
        if f.is_superkey(&fd.lhs) {
            continue;
        }
        let non_prime = !fd.rhs.is_subset(&prime);
        if non_prime {
            // A left side inside a key is a partial dependency, reported under 2NF.
            if keys.keys.iter().any(|k| fd.lhs.is_subset(k)) {
                continue;
            }
            v.push(Violation {
                violates: NormalForm::Third,
                kind: ViolationKind::Transitive,
                implied: !is_given(&fd.lhs, &fd.rhs),
                lhs: fd.lhs.clone(),
                rhs: fd.rhs.clone(),
                key: first_key.clone(),
            });
        } else {
            v.push(Violation {
                violates: NormalForm::Bcnf,
                kind: ViolationKind::NonKeyDeterminant,
                implied: !is_given(&fd.lhs, &fd.rhs),
                lhs: fd.lhs.clone(),
                rhs: fd.rhs.clone(),
                key: None,
            });
        }
    }
    let mut fourth_nf = None;
    if !mvds.is_empty() {
        for m in mvds {
            if m.is_trivial() || f.is_superkey(&m.lhs) {
                continue;
            }
            v.push(Violation {
                violates: NormalForm::Fourth,
                kind: ViolationKind::Multivalued,
                lhs: m.lhs.clone(),
                rhs: m.rhs.clone(),
                key: None,
                implied: false,
            });
        }
    }
    v.sort_by(|a, b| (a.violates, &a.lhs, &a.rhs).cmp(&(b.violates, &b.lhs, &b.rhs)));
    let lowest = v
        .iter()
        .filter(|x| x.violates != NormalForm::Fourth)
        .map(|x| x.violates)
        .min();
    let normal_form = lowest.map_or(NormalForm::Bcnf, NormalForm::below);
    if !mvds.is_empty() {
        fourth_nf = Some(v.is_empty());
    }
    NfResult {
        normal_form,
        fourth_nf,
        violations: v,
        exact: !keys.truncated,
    }
}

/// BCNF test of the projection of `f` onto `r`, looking for a violating left side `X ⊆ r`
/// (`X ⊊ X⁺ ∩ r ⊊ r`). Tried in order, first hit returned:
/// 1. left sides of `cover` inside `r`;
/// 2. if `|r| ≤ exhaustive_up_to`, every subset of `r` by increasing size (exact);
/// 3. otherwise subsets of up to 2 attributes, then `r − {a, b}` for every pair (the
///    Tsou–Fischer lemma: a relation not in BCNF has `a, b` with `r − ab → a`).
///
/// Returns the violating left side (if any) and whether the search was exhaustive (a `None`
/// from a non-exhaustive search means "no violation found", not "in BCNF").
pub fn projected_bcnf_violation(
    f: &FdSet,
    cover: &[Fd],
    r: &AttrSet,
    exhaustive_up_to: usize,
) -> (Option<AttrSet>, bool) {
    let violates = |x: &AttrSet| {
        let mut c = f.closure(x);
        c.intersect_with(r);
        c.len() > x.len() && !r.is_subset(&c)
    };
    if r.is_full() {
        // The relation itself: checking a cover is exact.
        let hit = cover
            .iter()
            .find(|fd| !f.is_superkey(&fd.lhs))
            .map(|fd| fd.lhs.clone());
        return (hit, true);
    }
    for fd in cover {
        if fd.lhs.is_subset(r) && violates(&fd.lhs) {
            return (Some(fd.lhs.clone()), true);
        }
    }
    let n = f.universe();
    let attrs = r.to_vec();
    let m = attrs.len();
    if m <= exhaustive_up_to && m < 32 {
        // Subsets by increasing size (Gosper's hack), so the first hit is a smallest one.
        for size in 1..m {
            let mut mask: u64 = (1u64 << size) - 1;
            while mask < (1u64 << m) {
                let x = AttrSet::from_indices(
                    n,
                    (0..m).filter(|j| mask >> j & 1 == 1).map(|j| attrs[j]),
                );
                if violates(&x) {
                    return (Some(x), true);
                }
                let c = mask & mask.wrapping_neg();
                let r2 = mask + c;
                mask = (((r2 ^ mask) >> 2) / c) | r2;
            }
        }
        return (None, true);
    }
    for &a in &attrs {
        let x = AttrSet::single(n, a);
        if violates(&x) {
            return (Some(x), false);
        }
    }
    for (i, &a) in attrs.iter().enumerate() {
        for &b in &attrs[i + 1..] {
            let x = AttrSet::from_indices(n, [a, b]);
            if violates(&x) {
                return (Some(x), false);
            }
        }
    }
    for (i, &a) in attrs.iter().enumerate() {
        for &b in &attrs[i + 1..] {
            let x = r.without(a).without(b);
            if violates(&x) {
                return (Some(x), false);
            }
        }
    }
    (None, false)
}
