//! Exact discovery of the functional dependencies that hold on a sample (TANE).
//!
//! Huhtala, Kärkkäinen, Porkka & Toivonen, "TANE: An efficient algorithm for discovering
//! functional and approximate dependencies", The Computer Journal 42(2), 1999. The lattice of
//! attribute sets is walked level by level (level `l` holds sets of `l` attributes); each set
//! `X` carries its *stripped partition* `π(X)` (the classes of rows equal on `X`, singleton
//! classes dropped) and its error `e(X) = ‖π(X)‖ − |π(X)|` (rows in classes minus classes).
//! `X − a → a` holds iff `e(X − a) = e(X)`. The candidate sets `C⁺(X)` prune the search to
//! minimal dependencies, sets with an empty `C⁺` are dropped, and a set that is a key of the
//! sample (`e(X) = 0`) is dropped after its minimal dependencies are emitted (key pruning,
//! here checked directly on the partitions of its subsets).
//!
//! **NULL** is an ordinary value, equal to itself (as in TANE): two rows with NULL in `a`
//! agree on `a`. So a dependency found here is the one SQL would see if NULLs compared equal,
//! which is what `GROUP BY` and `UNIQUE NULLS NOT DISTINCT` do.
//!
//! The result is exact: every minimal non-trivial `X → a` (no proper subset of `X` determines
//! `a`) that holds on every row of the sample, and nothing else (property-tested against brute
//! force in `tests/discover.rs`). A constant column `a` gives `∅ → a` (empty left side), and
//! is then left out of every other left side and right side. With `max_lhs`, dependencies
//! with a longer left side are not searched for and [`Discovery::lhs_limited`] says whether
//! any might exist.
//!
//! The lattice grows as 2ⁿ in the columns, so callers limit it: [`default_max_lhs`] (left
//! sides of at most [`DEFAULT_MAX_LHS`] columns on samples wider than [`WIDE_COLUMNS`]), and
//! a memory budget ([`DiscoverOptions::memory_budget`], [`DEFAULT_MEMORY_MB`] by default): the
//! bytes of the partitions, candidate sets and indexes held are counted, and when a new set
//! would take them over the budget the search stops with what it has found
//! ([`Discovery::memory_limited`], [`Discovery::complete_lhs`]).

use super::attrs::{AttrSet, Schema};
use super::fd::{Fd, FdSet};
use super::keys;
use super::sample::Sample;
use std::collections::HashMap;

/// Samples with more columns than this get a left-side limit by default
/// ([`default_max_lhs`]). Up to 12 columns the whole lattice is at most 4,095 sets, searched
/// exactly.
pub const WIDE_COLUMNS: usize = 12;

/// The left-side limit of a wide sample when the caller gives none: the minimal dependencies
/// with at most 4 columns on the left are found exactly.
pub const DEFAULT_MAX_LHS: usize = 4;

/// The default memory budget, in MiB (2²⁰ bytes).
pub const DEFAULT_MEMORY_MB: usize = 1024;

/// The left-side limit used when none is given: none up to [`WIDE_COLUMNS`] columns (so a
/// small relation's result is exact), [`DEFAULT_MAX_LHS`] above.
pub fn default_max_lhs(columns: usize) -> Option<usize> {
    (columns > WIDE_COLUMNS).then_some(DEFAULT_MAX_LHS)
}

/// Discovery options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscoverOptions {
    /// Only dependencies whose left side has at most this many attributes (`None`: all; see
    /// [`default_max_lhs`] for the limit the CLI and the studio apply when none is given).
    pub max_lhs: Option<usize>,
    /// At most this many minimal keys of the sample are listed.
    pub key_cap: usize,
    /// Stop when the partitions and candidate sets held would exceed this many bytes
    /// (`None`: no limit). Default [`DEFAULT_MEMORY_MB`] MiB.
    pub memory_budget: Option<usize>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            max_lhs: None,
            key_cap: 100,
            memory_budget: Some(DEFAULT_MEMORY_MB << 20),
        }
    }
}

/// Where a running discovery is, for a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Lattice level being processed (1-based: sets of `level` attributes).
    pub level: usize,
    /// The last level the search can reach (columns, or `max_lhs + 1`). The lattice usually
    /// empties well before, so [`Progress::fraction`] jumps to 1 at the end.
    pub max_level: usize,
    /// Sets of this level done so far.
    pub done: usize,
    /// Sets in this level.
    pub in_level: usize,
    /// Dependencies found so far.
    pub fds: usize,
    /// Attribute sets whose partition was computed so far.
    pub sets: usize,
    /// Bytes of partitions, candidate sets and indexes held now (what the memory budget
    /// counts).
    pub bytes: usize,
}

impl Progress {
    /// A rough completion estimate in `0..=1`.
    pub fn fraction(&self) -> f32 {
        if self.max_level == 0 {
            return 1.0;
        }
        let within = if self.in_level == 0 {
            0.0
        } else {
            self.done as f32 / self.in_level as f32
        };
        ((self.level.saturating_sub(1) as f32 + within) / self.max_level as f32).clamp(0.0, 1.0)
    }
}

/// The progress callback asked to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dependency discovery cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// What holds on a sample.
#[derive(Clone, Debug)]
pub struct Discovery {
    /// The sample's columns.
    pub schema: Schema,
    /// Every minimal non-trivial FD holding on the sample, one attribute per right side,
    /// sorted (smaller left sides first). `∅ → a` for a constant column.
    pub fds: Vec<Fd>,
    /// Minimal unique column combinations (minimal keys of the sample): smaller first. Empty
    /// when the sample has duplicate rows (no set of columns is unique then).
    pub keys: Vec<AttrSet>,
    /// `keys` is the complete list of minimal keys: false when it stopped at the cap or when
    /// `max_lhs` cut the search (the listed sets are then unique but perhaps not minimal).
    pub keys_exact: bool,
    /// Rows of the sample.
    pub rows: usize,
    /// Rows equal on every column to an earlier row.
    pub duplicate_rows: usize,
    /// The sample stopped at its row limit (dependencies may fail on the rest of the data).
    pub rows_truncated: bool,
    /// `max_lhs` stopped the search while sets remained: dependencies with longer left sides
    /// may hold and are not listed.
    pub lhs_limited: bool,
    /// The memory budget stopped the search: the result is partial (see `complete_lhs`).
    pub memory_limited: bool,
    /// When a limit stopped the search: every minimal dependency with at most this many
    /// columns on the left is listed (longer ones may be missing). `None`: the search was
    /// complete.
    pub complete_lhs: Option<usize>,
    /// Attribute sets whose partition was computed.
    pub sets_visited: usize,
    /// The most bytes held at once (partitions, candidate sets, indexes), as the memory
    /// budget counts them.
    pub peak_bytes: usize,
}

impl Discovery {
    /// Columns with one value on the whole sample (`∅ → a`).
    pub fn constant_columns(&self) -> Vec<usize> {
        self.fds
            .iter()
            .filter(|fd| fd.lhs.is_empty())
            .flat_map(|fd| fd.rhs.iter())
            .collect()
    }

    /// The dependencies with a non-empty left side as `A, B -> C` text (names quoted when
    /// needed), parseable by `parse::parse_fd`.
    pub fn fd_texts(&self) -> Vec<String> {
        self.fds
            .iter()
            .filter(|fd| !fd.lhs.is_empty())
            .map(|fd| fd.display(&self.schema))
            .collect()
    }
}

/// A stripped partition: classes of ≥ 2 rows, stored flat.
#[derive(Clone, Debug, Default)]
struct Partition {
    rows: Vec<u32>,
    /// Class `i` is `rows[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
}

impl Partition {
    /// Heap bytes held.
    fn bytes(&self) -> usize {
        (self.rows.capacity() + self.starts.capacity()) * 4 + 2 * ALLOC_OVERHEAD
    }

    fn classes(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.starts
            .windows(2)
            .map(|w| &self.rows[w[0] as usize..w[1] as usize])
    }

    fn class_count(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// `e = ‖π‖ − |π|`: rows that would have to go for the set to be unique.
    fn error(&self) -> usize {
        self.rows.len() - self.class_count()
    }

    /// The partition of one column (counting sort by code).
    fn of_column(codes: &[u32], distinct: usize) -> Partition {
        let mut count = vec![0u32; distinct];
        for &c in codes {
            count[c as usize] += 1;
        }
        let mut pos = vec![u32::MAX; distinct];
        let mut starts = vec![0u32];
        let mut total = 0u32;
        for (c, &n) in count.iter().enumerate() {
            if n >= 2 {
                pos[c] = total;
                total += n;
                starts.push(total);
            }
        }
        let mut rows = vec![0u32; total as usize];
        for (r, &c) in codes.iter().enumerate() {
            let p = &mut pos[c as usize];
            if *p != u32::MAX {
                rows[*p as usize] = r as u32;
                *p += 1;
            }
        }
        Partition { rows, starts }
    }

    /// Does every class agree on `codes` (the partition's set determines that column)?
    fn determines(&self, codes: &[u32]) -> bool {
        self.classes().all(|cl| {
            let first = codes[cl[0] as usize];
            cl[1..].iter().all(|&r| codes[r as usize] == first)
        })
    }
}

/// Scratch space for refining partitions, reused across calls.
struct Refiner {
    /// Code → epoch of the class that last saw it.
    stamp: Vec<u32>,
    /// Code → bucket within the current class.
    slot: Vec<u32>,
    epoch: u32,
    buckets: Vec<Vec<u32>>,
}

impl Refiner {
    fn new(max_distinct: usize) -> Self {
        Refiner {
            stamp: vec![0; max_distinct],
            slot: vec![0; max_distinct],
            epoch: 0,
            buckets: Vec::new(),
        }
    }

    /// `π(Y) · π(a)`: split each class of `p` by the column's codes.
    fn refine(&mut self, p: &Partition, codes: &[u32]) -> Partition {
        let mut out = Partition {
            rows: Vec::with_capacity(p.rows.len()),
            starts: vec![0],
        };
        for cl in p.classes() {
            if cl.len() == 2 {
                if codes[cl[0] as usize] == codes[cl[1] as usize] {
                    out.rows.extend_from_slice(cl);
                    out.starts.push(out.rows.len() as u32);
                }
                continue;
            }
            if self.epoch == u32::MAX {
                self.stamp.iter_mut().for_each(|s| *s = 0);
                self.epoch = 0;
            }
            self.epoch += 1;
            let mut used = 0usize;
            for &r in cl {
                let c = codes[r as usize] as usize;
                if self.stamp[c] != self.epoch {
                    self.stamp[c] = self.epoch;
                    self.slot[c] = used as u32;
                    if self.buckets.len() <= used {
                        self.buckets.push(Vec::new());
                    } else {
                        self.buckets[used].clear();
                    }
                    used += 1;
                }
                self.buckets[self.slot[c] as usize].push(r);
            }
            for b in &self.buckets[..used] {
                if b.len() >= 2 {
                    out.rows.extend_from_slice(b);
                    out.starts.push(out.rows.len() as u32);
                }
            }
        }
        out.rows.shrink_to_fit();
        out
    }
}

/// What the allocator adds to each heap block, roughly.
const ALLOC_OVERHEAD: usize = 16;

/// Heap bytes of an `AttrSet` over `n` attributes (fixedbitset stores 128-bit blocks).
fn set_bytes(n: usize) -> usize {
    n.div_ceil(128) * 16 + ALLOC_OVERHEAD
}

/// Bytes of an entry of a level's `AttrSet → index` map.
fn index_entry_bytes(n: usize) -> usize {
    std::mem::size_of::<(AttrSet, usize)>() + 1 + set_bytes(n)
}

struct Node {
    set: AttrSet,
    /// Attributes ascending (the prefix for next-level generation).
    attrs: Vec<usize>,
    cplus: AttrSet,
    /// Freed once the next level no longer needs it.
    part: Partition,
    err: usize,
    /// For a key of the sample whose left side may be reported: the columns `a ∉ X` that
    /// no `X − b` determines (so `X → a` is minimal). Computed when the node is made, while
    /// the partitions of its subsets are still there.
    key_rhs: Option<AttrSet>,
}

impl Node {
    /// Bytes held apart from the partition.
    fn bytes(&self, n: usize) -> usize {
        std::mem::size_of::<Node>()
            + 2 * set_bytes(n)
            + self.key_rhs.as_ref().map_or(0, |_| set_bytes(n))
            + self.attrs.capacity() * std::mem::size_of::<usize>()
            + ALLOC_OVERHEAD
    }
}

/// Find every minimal non-trivial FD holding on `sample`. `progress` is called often (after
/// each attribute set); returning false stops the search with [`Cancelled`].
///
/// To run it on a background thread with a cancel button, capture an
/// `Arc<AtomicBool>` and a shared progress cell in the closure:
/// ```
/// use crowfoot::analysis::normalize::discover::{discover, DiscoverOptions};
/// use crowfoot::analysis::normalize::sample::Sample;
/// use std::sync::{Arc, Mutex, atomic::{AtomicBool, Ordering}};
/// let sample = Sample::from_rows(
///     &["zip", "city"],
///     &[vec![Some("10115"), Some("Berlin")], vec![Some("10115"), Some("Berlin")],
///       vec![Some("80331"), Some("Munich")]],
/// ).unwrap();
/// let cancel = Arc::new(AtomicBool::new(false));
/// let shown = Arc::new(Mutex::new(0.0f32));
/// let (c, s) = (cancel.clone(), shown.clone());
/// let found = std::thread::spawn(move || {
///     discover(&sample, &DiscoverOptions::default(), &mut |p| {
///         *s.lock().unwrap() = p.fraction();
///         !c.load(Ordering::Relaxed)
///     })
/// })
/// .join()
/// .unwrap()
/// .unwrap();
/// assert_eq!(found.fd_texts(), ["zip -> city", "city -> zip"]);
/// ```
pub fn discover(
    sample: &Sample,
    opts: &DiscoverOptions,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> Result<Discovery, Cancelled> {
    let schema = sample.schema().clone();
    let n = schema.len();
    let rows = sample.rows();
    let codes: Vec<&[u32]> = sample.columns().iter().map(|c| c.codes()).collect();
    let distinct: Vec<usize> = sample.columns().iter().map(|c| c.distinct()).collect();
    let full = AttrSet::full(n);
    let max_level = match opts.max_lhs {
        Some(k) => (k + 1).min(n),
        None => n,
    };
    let mut prog = Progress {
        level: 1,
        max_level,
        ..Progress::default()
    };
    let mut fds: Vec<Fd> = Vec::new();
    let mut refiner = Refiner::new(distinct.iter().copied().max().unwrap_or(0));
    // e(∅): all rows in one class.
    let e_empty = rows.saturating_sub(1);
    let mut sets_visited = 0usize;
    let mut lhs_limited = false;
    let mut memory_limited = false;
    let lhs_allowed = |len: usize| opts.max_lhs.is_none_or(|k| len <= k);
    // Bytes held by the nodes of the levels in memory (partitions included) and their
    // indexes; the most at once.
    let mut held = 0usize;
    let mut peak = 0usize;
    let budget = opts.memory_budget.unwrap_or(usize::MAX);

    // Level 1.
    let mut current: Vec<Node> = Vec::with_capacity(n);
    for a in 0..n {
        let part = Partition::of_column(codes[a], distinct[a]);
        sets_visited += 1;
        let err = part.error();
        // `∅ → b` holds only for a constant `b`.
        let key_rhs = (err == 0 && lhs_allowed(1))
            .then(|| AttrSet::from_indices(n, (0..n).filter(|&b| b != a && distinct[b] > 1)));
        let node = Node {
            set: AttrSet::single(n, a),
            attrs: vec![a],
            cplus: full.clone(),
            err,
            part,
            key_rhs,
        };
        held += node.bytes(n) + node.part.bytes();
        current.push(node);
    }
    peak = peak.max(held);
    let mut prev: Vec<Node> = Vec::new();
    let mut prev_index: HashMap<AttrSet, usize> = HashMap::new();
    let mut level = 1usize;
    while !current.is_empty() {
        prog.level = level;
        prog.in_level = current.len();
        prog.done = 0;
        prog.sets = sets_visited;
        // COMPUTE_DEPENDENCIES
        for x in current.iter_mut() {
            let mut cplus = full.clone();
            if level > 1 {
                for &a in &x.attrs {
                    cplus.intersect_with(&prev[prev_index[&x.set.without(a)]].cplus);
                }
            }
            for a in x.set.intersection(&cplus).to_vec() {
                let sub = x.set.without(a);
                let e_sub = if level == 1 {
                    e_empty
                } else {
                    prev[prev_index[&sub]].err
                };
                if e_sub == x.err {
                    fds.push(Fd::new(sub, AttrSet::single(n, a)));
                    cplus.remove(a);
                    cplus.intersect_with(&x.set);
                }
            }
            x.cplus = cplus;
        }
        // The previous level is no longer needed.
        held -= prev
            .iter()
            .map(|x| x.bytes(n) + x.part.bytes())
            .sum::<usize>()
            + prev_index.len() * index_entry_bytes(n);
        drop(std::mem::take(&mut prev));
        drop(std::mem::take(&mut prev_index));
        // PRUNE
        let mut keep: Vec<Node> = Vec::with_capacity(current.len());
        for x in current {
            if x.cplus.is_empty() {
                held -= x.bytes(n) + x.part.bytes();
                continue;
            }
            if x.err == 0 {
                // A key of the sample: X → a for every a, minimal when no X − b → a.
                let rhs = x.cplus.difference(&x.set);
                match &x.key_rhs {
                    Some(minimal) => {
                        for a in rhs.intersection(minimal).iter() {
                            fds.push(Fd::new(x.set.clone(), AttrSet::single(n, a)));
                        }
                    }
                    None => lhs_limited |= !rhs.is_empty(),
                }
                held -= x.bytes(n) + x.part.bytes();
                continue;
            }
            keep.push(x);
        }
        prog.fds = fds.len();
        prog.done = 0;
        prog.in_level = keep.len();
        prog.bytes = held;
        if !progress(&prog) {
            return Err(Cancelled);
        }
        if level >= max_level {
            if !keep.is_empty() && level < n {
                lhs_limited = true;
            }
            break;
        }
        // GENERATE_NEXT_LEVEL: join sets sharing all but their last attribute. A block's
        // partitions are freed once the block is joined (the subsets a new set's key check
        // reads lie in its own block or later ones), so level l keeps only its C⁺ sets and
        // errors for the next round and at most one level of partitions is held.
        let keep_index: HashMap<AttrSet, usize> = keep
            .iter()
            .enumerate()
            .map(|(i, x)| (x.set.clone(), i))
            .collect();
        held += keep_index.len() * index_entry_bytes(n);
        let mut next: Vec<Node> = Vec::new();
        let mut i = 0;
        'blocks: while i < keep.len() {
            let prefix = &keep[i].attrs[..level - 1];
            let mut j = i + 1;
            while j < keep.len() && keep[j].attrs[..level - 1] == *prefix {
                j += 1;
            }
            for y in i..j {
                for z in y + 1..j {
                    let last = keep[z].attrs[level - 1];
                    let set = keep[y].set.with(last);
                    let all_subsets = keep[y]
                        .attrs
                        .iter()
                        .all(|&a| keep_index.contains_key(&set.without(a)));
                    if !all_subsets {
                        continue;
                    }
                    let part = refiner.refine(&keep[y].part, codes[last]);
                    sets_visited += 1;
                    let mut attrs = keep[y].attrs.clone();
                    attrs.push(last);
                    let err = part.error();
                    let key_rhs = (err == 0 && lhs_allowed(level + 1)).then(|| {
                        AttrSet::from_indices(
                            n,
                            (0..n).filter(|&a| {
                                !set.contains(a)
                                    && attrs.iter().all(|&b| {
                                        !keep[keep_index[&set.without(b)]].part.determines(codes[a])
                                    })
                            }),
                        )
                    });
                    let node = Node {
                        set,
                        attrs,
                        cplus: AttrSet::empty(n),
                        err,
                        part,
                        key_rhs,
                    };
                    let bytes = node.bytes(n) + node.part.bytes();
                    if held + bytes > budget {
                        // Over the budget: stop here, with what levels 1..=level found.
                        memory_limited = true;
                        break 'blocks;
                    }
                    held += bytes;
                    peak = peak.max(held);
                    next.push(node);
                    prog.done = y + 1;
                    prog.sets = sets_visited;
                    prog.bytes = held;
                    if !progress(&prog) {
                        return Err(Cancelled);
                    }
                }
            }
            for x in &mut keep[i..j] {
                held -= x.part.bytes();
                x.part = Partition::default();
                held += x.part.bytes();
            }
            i = j;
        }
        if memory_limited {
            break;
        }
        prev = keep;
        prev_index = keep_index;
        current = next;
        level += 1;
    }
    drop(prev);
    fds.sort();

    // Keys: with no duplicate rows, X is unique iff X → every column, so the minimal keys
    // are the candidate keys of the (complete) discovered FDs.
    let mut dup = Partition::of_column(&vec![0; rows], 1);
    for c in &codes {
        dup = refiner.refine(&dup, c);
    }
    let duplicate_rows = if rows == 0 { 0 } else { dup.error() };
    let limited = lhs_limited || memory_limited;
    let (keys, keys_exact) = if duplicate_rows > 0 {
        (Vec::new(), !limited)
    } else {
        let k = keys::candidate_keys(&FdSet::new(n, fds.clone()), opts.key_cap.max(1));
        (k.keys, !k.truncated && !limited)
    };
    // Levels 1..=level were processed: left sides of up to level − 1 columns are complete
    // (those of `max_lhs` when it cut the search at its last level).
    let complete_lhs = if memory_limited {
        Some(level - 1)
    } else if lhs_limited {
        opts.max_lhs
    } else {
        None
    };
    Ok(Discovery {
        schema,
        fds,
        keys,
        keys_exact,
        rows,
        duplicate_rows,
        rows_truncated: sample.truncated(),
        lhs_limited,
        memory_limited,
        complete_lhs,
        sets_visited,
        peak_bytes: peak,
    })
}
