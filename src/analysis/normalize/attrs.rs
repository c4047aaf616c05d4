//! Attribute sets (bitsets over a relation's attributes) and the relation schema that names
//! them.

use fixedbitset::FixedBitSet;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A set of attributes of one relation, as a bitset over attribute indices `0..n`.
///
/// Backed by [`FixedBitSet`], so there is no cap on the number of attributes. Two sets are
/// only meaningfully compared when they belong to the same relation (same `n`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AttrSet(FixedBitSet);

impl AttrSet {
    /// The empty set over `n` attributes.
    pub fn empty(n: usize) -> Self {
        AttrSet(FixedBitSet::with_capacity(n))
    }

    /// All `n` attributes.
    pub fn full(n: usize) -> Self {
        let mut b = FixedBitSet::with_capacity(n);
        b.insert_range(..);
        AttrSet(b)
    }

    /// The set of the given indices (each must be `< n`).
    pub fn from_indices(n: usize, indices: impl IntoIterator<Item = usize>) -> Self {
        let mut s = AttrSet::empty(n);
        for i in indices {
            s.insert(i);
        }
        s
    }

    /// The singleton `{i}`.
    pub fn single(n: usize, i: usize) -> Self {
        AttrSet::from_indices(n, [i])
    }

    /// Size of the universe (number of attributes of the relation).
    pub fn universe(&self) -> usize {
        self.0.len()
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.contains(i)
    }

    pub fn insert(&mut self, i: usize) {
        self.0.insert(i)
    }

    pub fn remove(&mut self, i: usize) {
        self.0.remove(i)
    }

    /// Number of attributes in the set.
    pub fn len(&self) -> usize {
        self.0.count_ones(..)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_clear()
    }

    /// Every attribute of the universe is in the set.
    pub fn is_full(&self) -> bool {
        self.0.is_full()
    }

    pub fn is_subset(&self, other: &AttrSet) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn is_disjoint(&self, other: &AttrSet) -> bool {
        self.0.is_disjoint(&other.0)
    }

    pub fn union_with(&mut self, other: &AttrSet) {
        self.0.union_with(&other.0)
    }

    pub fn intersect_with(&mut self, other: &AttrSet) {
        self.0.intersect_with(&other.0)
    }

    pub fn difference_with(&mut self, other: &AttrSet) {
        self.0.difference_with(&other.0)
    }

    pub fn union(&self, other: &AttrSet) -> AttrSet {
        let mut s = self.clone();
        s.union_with(other);
        s
    }

    pub fn intersection(&self, other: &AttrSet) -> AttrSet {
        let mut s = self.clone();
        s.intersect_with(other);
        s
    }

    pub fn difference(&self, other: &AttrSet) -> AttrSet {
        let mut s = self.clone();
        s.difference_with(other);
        s
    }

    /// This set without attribute `i`.
    pub fn without(&self, i: usize) -> AttrSet {
        let mut s = self.clone();
        s.remove(i);
        s
    }

    /// This set with attribute `i`.
    pub fn with(&self, i: usize) -> AttrSet {
        let mut s = self.clone();
        s.insert(i);
        s
    }

    /// The attribute indices, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.ones()
    }

    /// The attribute indices, ascending, collected.
    pub fn to_vec(&self) -> Vec<usize> {
        self.iter().collect()
    }
}

/// Deterministic display order: smaller sets first, then lexicographic by attribute index
/// (so `{A} < {B} < {A,B} < {A,C}` for attributes declared `A, B, C`).
impl Ord for AttrSet {
    fn cmp(&self, other: &Self) -> Ordering {
        self.len()
            .cmp(&other.len())
            .then_with(|| self.iter().cmp(other.iter()))
    }
}

impl PartialOrd for AttrSet {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Debug for AttrSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The attributes of a relation: names in declaration order, looked up by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Schema {
    /// A schema with these attribute names (declaration order is kept and used for display).
    /// Fails on an empty or duplicate name.
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Result<Self, String> {
        let mut s = Schema {
            names: Vec::new(),
            index: HashMap::new(),
        };
        for n in names {
            let n: String = n.into();
            if n.is_empty() {
                return Err("empty attribute name".into());
            }
            if s.index.contains_key(&n) {
                return Err(format!("attribute {n} is declared twice"));
            }
            s.index.insert(n.clone(), s.names.len());
            s.names.push(n);
        }
        Ok(s)
    }

    /// Number of attributes.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The whole relation as a set.
    pub fn all(&self) -> AttrSet {
        AttrSet::full(self.len())
    }

    /// The set of the named attributes (`None` when one is unknown).
    pub fn set_of<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<AttrSet> {
        let mut s = AttrSet::empty(self.len());
        for n in names {
            s.insert(self.index_of(n)?);
        }
        Some(s)
    }

    /// Names of the attributes of `s`, in declaration order.
    pub fn names_of(&self, s: &AttrSet) -> Vec<String> {
        s.iter().map(|i| self.names[i].clone()).collect()
    }

    /// `A` for one attribute, `{A, B}` for several (for explanations).
    pub fn fmt_group(&self, s: &AttrSet) -> String {
        if s.len() == 1 {
            self.fmt_set(s)
        } else {
            format!("{{{}}}", self.fmt_set(s))
        }
    }

    /// `A, B, C` (names quoted when they would not parse back bare); `∅` for the empty set.
    pub fn fmt_set(&self, s: &AttrSet) -> String {
        if s.is_empty() {
            return "∅".into();
        }
        s.iter()
            .map(|i| super::parse::quote_name(&self.names[i]))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
