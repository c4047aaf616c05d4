//! Subject areas from the graph (issue 16): groups of tables found by community detection on
//! the foreign-key graph, named, and applied as areas (optionally with a layout that keeps
//! each area together).
//!
//! # Algorithm
//!
//! 1. **Graph.** Tables are nodes, in (schema, name) order (then id), so the result does not
//!    depend on the order tables were created in. Two tables are joined by an undirected edge
//!    weighted by the number of foreign keys between them (either way); self-references are
//!    left out.
//! 2. **Junction tables** become edges: a table with foreign keys to exactly two other tables
//!    that nothing else references, whose primary key is made of foreign-key columns or that
//!    has at most one column outside its keys (`film_actor`), joins its two parents by an
//!    edge (the smaller of its two weights) instead of being a node.
//! 3. **Louvain** ([`super::louvain`]) on that graph (resolution [`AreaOptions::resolution`]);
//!    a community that is not connected is split into its connected parts, and one of more
//!    than [`AreaOptions::max_size`] tables (120) by Louvain on its own edges, the parts
//!    found merged back (most strongly connected first) while they stay within the limit.
//! 4. **Pulled to a parent:** a junction table goes to the community of its parent with the
//!    most keys from it (then the one its name starts with, then the more connected one); a
//!    table with a single neighbour goes to that neighbour's community.
//! 5. **Small communities** (fewer than [`AreaOptions::min_size`] tables) join the community
//!    they share the most key weight with; a small separate piece of the graph, and every
//!    table without foreign keys, goes to one area named `Other` (last), except a table
//!    without keys whose name prefix is the dominant prefix of exactly one area, which joins
//!    that area; at least three such tables sharing a prefix make an area of their own (a
//!    schema without foreign keys still groups by its names). When no area is left but
//!    `Other`, there are no areas: every table is [`AreaSuggestion::unassigned`].
//! 6. **Names:** the dominant name prefix (`auth` of `auth_user`: the text before the first
//!    `_`, or before the first capital following a small letter; a prefix nine tables in ten
//!    of the project carry, `wp_`, is skipped first) when more than half of the area's tables
//!    share it, or the table it names (`webhooks` for `webhook_*`) if there is one; else, in
//!    a project of several schemas, the schema most of them are in; else the name of the
//!    table most referenced from within the area. A name taken by an earlier (larger) area
//!    falls to the next candidate, then gets a number (`billing 2`).
//! 7. **Modularity:** Newman's `Q = Σ_c [L_c / m − (d_c / 2m)²]` of the final partition on the
//!    graph of step 1 (junction tables as nodes, `Other` as one community), computed exactly.
//!
//! Views are not cards on the canvas (they have no position), so they belong to no area.
//! Everything is near-linear in tables plus keys (sorting aside): 50,000 tables take well
//! under a second in a release build.

use super::louvain::{self, Edge};
use crate::diagram::layout::{self, GroupedOptions};
use crate::model::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Options of [`suggest_areas`].
#[derive(Clone, Debug, PartialEq)]
pub struct AreaOptions {
    /// Modularity resolution γ of the Louvain search: 1 is Newman's modularity, larger gives
    /// more and smaller areas.
    pub resolution: f64,
    /// Communities with fewer tables join a neighbour (or `Other`).
    pub min_size: usize,
    /// Communities with more tables are split by Louvain run on their own keys, again while
    /// it finds structure in them (an area of hundreds of tables is no subject area, and the
    /// layered layout inside it grows faster than linearly). 0: no limit.
    pub max_size: usize,
}

impl Default for AreaOptions {
    fn default() -> Self {
        AreaOptions {
            resolution: 1.0,
            min_size: 3,
            max_size: 120,
        }
    }
}

/// One proposed area.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestedArea {
    pub name: String,
    /// Its tables, in (schema, name) order.
    pub tables: Vec<TableId>,
    /// The `Other` area: tables without foreign keys and small separate pieces.
    pub other: bool,
}

/// What [`suggest_areas`] proposes.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaSuggestion {
    /// Largest first (then by first table name); `Other`, if any, last.
    pub areas: Vec<SuggestedArea>,
    /// Tables in no area (all of them when the graph has no community worth an area).
    pub unassigned: Vec<TableId>,
    /// Newman modularity of the partition, in [-0.5, 1).
    pub modularity: f64,
}

/// The name of the area of tables without foreign keys.
pub const OTHER: &str = "Other";

/// Subject areas of `p`; see the module docs.
pub fn suggest_areas(p: &Project, o: &AreaOptions) -> AreaSuggestion {
    let g = TableGraph::new(p);
    let n = g.tables.len();

    // Louvain on the graph with junction tables as edges.
    let mut edges: Vec<Edge> = g
        .edges
        .iter()
        .copied()
        .filter(|&(u, v, _)| g.junction[u].is_none() && g.junction[v].is_none())
        .collect();
    for (j, parents) in g.junction.iter().enumerate() {
        if let Some([a, b]) = *parents {
            let w = g.weight(j, a).min(g.weight(j, b));
            edges.push((a.min(b), a.max(b), w));
        }
    }
    let resolution = if o.resolution.is_finite() && o.resolution > 0.0 {
        o.resolution
    } else {
        1.0
    };
    let mut comm = louvain::louvain(n, &edges, resolution);
    split_disconnected(&mut comm, &edges);
    if o.max_size > 0 {
        split_large(&mut comm, &edges, o.max_size, resolution);
    }

    // Junction and single-neighbour tables with their parent.
    for j in 0..n {
        if let Some(parents) = g.junction[j] {
            comm[j] = comm[g.main_parent(j, parents)];
        }
    }
    for v in 0..n {
        if let [(u, _)] = g.adj[v][..]
            && g.adj[u].len() > 1
        {
            comm[v] = comm[u];
        }
    }

    // Small communities: into their best-connected neighbour, else `Other`.
    let other = usize::MAX;
    let k = comm.iter().max().map_or(0, |m| m + 1);
    let mut root: Vec<usize> = (0..k).collect();
    let mut size = vec![0usize; k];
    for v in 0..n {
        if !g.adj[v].is_empty() {
            size[comm[v]] += 1;
        }
    }
    let mut between: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); k];
    for &(u, v, w) in &g.edges {
        let (a, b) = (comm[u], comm[v]);
        if a != b {
            *between[a].entry(b).or_default() += w;
            *between[b].entry(a).or_default() += w;
        }
    }
    let mut small: Vec<usize> = (0..k)
        .filter(|&c| size[c] > 0 && size[c] < o.min_size)
        .collect();
    small.sort_by_key(|&c| (size[c], c));
    fn find(root: &mut [usize], mut c: usize) -> usize {
        while root[c] != c {
            root[c] = root[root[c]];
            c = root[c];
        }
        c
    }
    for c in small {
        let r = find(&mut root, c);
        if size[r] >= o.min_size {
            continue;
        }
        let mut to: BTreeMap<usize, f64> = BTreeMap::new();
        for (&d, &w) in &between[c] {
            let rd = find(&mut root, d);
            if rd != r {
                *to.entry(rd).or_default() += w;
            }
        }
        let best = to.iter().max_by(|a, b| {
            a.1.total_cmp(b.1)
                .then(size[*a.0].cmp(&size[*b.0]))
                .then(b.0.cmp(a.0))
        });
        if let Some((&d, _)) = best {
            root[r] = d;
            size[d] += size[r];
        }
    }
    let mut group: Vec<usize> = (0..n)
        .map(|v| {
            if g.adj[v].is_empty() {
                return other;
            }
            let r = find(&mut root, comm[v]);
            if size[r] < o.min_size { other } else { r }
        })
        .collect();

    // Tables without keys join the one area whose dominant prefix they carry.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (v, &c) in group.iter().enumerate() {
        if c != other {
            members.entry(c).or_default().push(v);
        }
    }
    let mut by_prefix: HashMap<String, Option<usize>> = HashMap::new();
    for (&c, vs) in &members {
        if let Some(pre) = dominant_prefix(&g, vs) {
            by_prefix
                .entry(fold(&pre).into_owned())
                .and_modify(|e| *e = None)
                .or_insert(Some(c));
        }
    }
    for (v, gv) in group.iter_mut().enumerate() {
        if *gv == other
            && g.adj[v].is_empty()
            && let Some(Some(c)) = by_prefix.get(fold(prefix(g.stem[v])).as_ref())
        {
            *gv = *c;
            members.get_mut(c).expect("an area").push(v);
        }
    }
    // The others that share a prefix, at least `min_size` (and 3) of them, make an area of
    // their own: a schema without foreign keys (MyISAM) still groups by its names.
    let mut loose: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (v, &gv) in group.iter().enumerate() {
        if gv == other && g.adj[v].is_empty() {
            loose.entry(g.prefix_key[v]).or_default().push(v);
        }
    }
    for (fresh, vs) in (k..).zip(loose.into_values()) {
        if vs.len() >= o.min_size.max(3) {
            for &v in &vs {
                group[v] = fresh;
            }
            members.insert(fresh, vs);
        }
    }

    // Areas, largest first; names; `Other` last.
    let mut areas: Vec<Vec<usize>> = members.into_values().collect();
    for a in &mut areas {
        a.sort_unstable();
    }
    areas.sort_by_key(|a| (std::cmp::Reverse(a.len()), a[0]));
    let rest: Vec<usize> = (0..n).filter(|&v| group[v] == other).collect();
    let mut result = AreaSuggestion {
        areas: Vec::new(),
        unassigned: Vec::new(),
        modularity: 0.0,
    };
    if areas.is_empty() {
        result.unassigned = rest.iter().map(|&v| g.tables[v].id).collect();
    }
    let mut taken: HashSet<String> = HashSet::new();
    for a in &areas {
        let name = unique(&g.candidates(a), &mut taken);
        result.areas.push(SuggestedArea {
            name,
            tables: a.iter().map(|&v| g.tables[v].id).collect(),
            other: false,
        });
    }
    let mut label = vec![usize::MAX; n];
    for (i, a) in areas.iter().enumerate() {
        for &v in a {
            label[v] = i;
        }
    }
    if !areas.is_empty() && !rest.is_empty() {
        result.areas.push(SuggestedArea {
            name: unique(&[OTHER.to_string()], &mut taken),
            tables: rest.iter().map(|&v| g.tables[v].id).collect(),
            other: true,
        });
        for &v in &rest {
            label[v] = areas.len();
        }
    }
    // Unassigned tables are communities of their own.
    for (l, next) in label
        .iter_mut()
        .filter(|l| **l == usize::MAX)
        .zip(areas.len() + 1..)
    {
        *l = next;
    }
    result.modularity = louvain::modularity(&label, &g.edges, 1.0);
    result
}

/// Split every community that is not connected by `edges` into its connected parts (new
/// labels after the existing ones, in node order).
fn split_disconnected(comm: &mut [usize], edges: &[Edge]) {
    let n = comm.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(u, v, _) in edges {
        if comm[u] == comm[v] {
            let (a, b) = (find(&mut parent, u), find(&mut parent, v));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    // The first part of a community keeps its label.
    let mut labelled: HashSet<usize> = HashSet::new();
    let mut relabel: HashMap<usize, usize> = HashMap::new();
    let mut next = comm.iter().max().map_or(0, |m| m + 1);
    for (v, c) in comm.iter_mut().enumerate() {
        let r = find(&mut parent, v);
        *c = *relabel.entry(r).or_insert_with(|| {
            if labelled.insert(*c) {
                *c
            } else {
                next += 1;
                next - 1
            }
        });
    }
}

/// Run Louvain again on the edges inside every community of more than `max` nodes, splitting
/// it into the communities found, merged back up to `max` nodes ([`regroup`]; the first keeps
/// the label), for a few rounds while that finds structure. Each round is linear in the edges of the communities it works on.
fn split_large(comm: &mut [usize], edges: &[Edge], max: usize, resolution: f64) {
    let n = comm.len();
    let mut next = comm.iter().max().map_or(0, |m| m + 1);
    let mut done: HashSet<usize> = HashSet::new();
    let mut local = vec![usize::MAX; n];
    for _ in 0..8 {
        let mut size = vec![0usize; next];
        for &c in comm.iter() {
            size[c] += 1;
        }
        let big = |c: usize| size[c] > max && !done.contains(&c);
        let mut members: BTreeMap<usize, (Vec<usize>, Vec<Edge>)> = BTreeMap::new();
        for v in 0..n {
            if big(comm[v]) {
                let m = &mut members.entry(comm[v]).or_default().0;
                local[v] = m.len();
                m.push(v);
            }
        }
        if members.is_empty() {
            break;
        }
        for &(u, v, w) in edges {
            if comm[u] == comm[v]
                && let Some(m) = members.get_mut(&comm[u])
            {
                m.1.push((local[u], local[v], w));
            }
        }
        for (c, (nodes, inner)) in members {
            let mut sub = louvain::louvain(nodes.len(), &inner, resolution);
            split_disconnected(&mut sub, &inner);
            regroup(&mut sub, &inner, max);
            let k = sub.iter().max().map_or(0, |m| m + 1);
            if k <= 1 {
                done.insert(c);
                continue;
            }
            for (i, &v) in nodes.iter().enumerate() {
                comm[v] = if sub[i] == 0 { c } else { next + sub[i] - 1 };
            }
            next += k - 1;
        }
    }
}

/// Merge the parts `part` of a community back together, most strongly connected pairs first,
/// while a merged part stays within `max` nodes (Louvain inside a community of a tree-like
/// schema finds many small parts). Parts are renumbered from 0 in order of first node.
fn regroup(part: &mut [usize], edges: &[Edge], max: usize) {
    let k = part.iter().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; k];
    for &c in part.iter() {
        size[c] += 1;
    }
    let mut between: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for &(u, v, w) in edges {
        let (a, b) = (part[u], part[v]);
        if a != b {
            *between.entry((a.min(b), a.max(b))).or_default() += w;
        }
    }
    let mut pairs: Vec<((usize, usize), f64)> = between.into_iter().collect();
    pairs.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut root: Vec<usize> = (0..k).collect();
    fn find(root: &mut [usize], mut c: usize) -> usize {
        while root[c] != c {
            root[c] = root[root[c]];
            c = root[c];
        }
        c
    }
    for ((a, b), _) in pairs {
        let (ra, rb) = (find(&mut root, a), find(&mut root, b));
        if ra != rb && size[ra] + size[rb] <= max {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            root[hi] = lo;
            size[lo] += size[hi];
        }
    }
    let mut label = vec![usize::MAX; k];
    let mut next = 0;
    for c in part.iter_mut() {
        let r = find(&mut root, *c);
        if label[r] == usize::MAX {
            label[r] = next;
            next += 1;
        }
        *c = label[r];
    }
}

/// The first of `candidates` not in `taken` (names in ASCII lower case), else the first one
/// numbered; recorded in `taken`.
fn unique(candidates: &[String], taken: &mut HashSet<String>) -> String {
    let free = |s: &str, taken: &HashSet<String>| !taken.contains(&s.to_ascii_lowercase());
    let name = candidates
        .iter()
        .find(|c| free(c, taken))
        .cloned()
        .unwrap_or_else(|| {
            let base = candidates.first().map_or("Area", String::as_str);
            (2..)
                .map(|i| format!("{base} {i}"))
                .find(|c| free(c, taken))
                .expect("some number is free")
        });
    taken.insert(name.to_ascii_lowercase());
    name
}

/// The naming prefix of a table name: the text before the first `_` (if not first), else
/// before the first capital that follows a small letter (`Sales` of `SalesOrder`), else the
/// whole name.
pub fn prefix(name: &str) -> &str {
    if let Some(i) = name.find('_')
        && i > 0
    {
        return &name[..i];
    }
    let mut lower = false;
    for (i, ch) in name.char_indices() {
        if ch.is_uppercase() && lower {
            return &name[..i];
        }
        lower = ch.is_lowercase();
    }
    name
}

/// `s` in lower case (borrowed when it already is).
fn fold(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The prefix that more than half of `area`'s tables (at least two) share, compared
/// case-insensitively, spelled as in the first of them.
fn dominant_prefix(g: &TableGraph, area: &[usize]) -> Option<String> {
    if area.len() < 2 {
        return None;
    }
    // (count, first) per interned prefix.
    let mut count: HashMap<u32, (usize, usize)> = HashMap::new();
    for (i, &v) in area.iter().enumerate() {
        count.entry(g.prefix_key[v]).or_insert((0, i)).0 += 1;
    }
    let (_, &(c, first)) = count
        .iter()
        .max_by_key(|(_, (c, first))| (*c, std::cmp::Reverse(*first)))?;
    (c * 2 > area.len()).then(|| prefix(g.stem[area[first]]).to_string())
}

/// The first 16 bytes of `s` as a number (zero-padded): a sort key that orders like the text
/// where it differs, read without touching the text again.
fn key16(s: &str) -> u128 {
    let b = s.as_bytes();
    let mut k = [0u8; 16];
    let l = b.len().min(16);
    k[..l].copy_from_slice(&b[..l]);
    u128::from_be_bytes(k)
}

/// The foreign-key graph of a project, tables in (schema, name, id) order, with what naming
/// needs of each table read once (a 50,000-table project does not fit in a cache, so the
/// tables are visited once, in storage order).
struct TableGraph<'p> {
    tables: Vec<&'p Table>,
    /// Undirected weighted edges `(u, v, w)`, `u < v`, sorted.
    edges: Vec<Edge>,
    /// Per table: (neighbour, weight), neighbours ascending.
    adj: Vec<Vec<(usize, f64)>>,
    /// Per table: how many keys of other tables reference it.
    referenced: Vec<usize>,
    /// Per table: keys of other tables referencing it, by referencing table.
    referrers: Vec<Vec<usize>>,
    /// Junction tables: their two parents.
    junction: Vec<Option<[usize; 2]>>,
    /// Per table: its name without a prefix (with its `_`) that nine tables in ten or more
    /// carry (`wp_`, `tbl_`).
    stem: Vec<&'p str>,
    /// Per table: its naming [`prefix`] (of the stem), interned case-insensitively.
    prefix_key: Vec<u32>,
    /// Per table: its schema, interned (`u32::MAX`: none); `None` when all tables share one.
    schema: Option<Vec<u32>>,
    schemas: Vec<&'p str>,
}

impl<'p> TableGraph<'p> {
    fn new(p: &'p Project) -> Self {
        // In storage (id) order: sort keys and a common prefix.
        let raw: Vec<&Table> = p.tables().collect();
        let ids: Vec<TableId> = raw.iter().map(|t| t.id).collect();
        let mut common_count: HashMap<&str, usize> = HashMap::new();
        let keys: Vec<(Option<u128>, u128)> = raw
            .iter()
            .map(|t| {
                if let Some(i) = t.name.find('_')
                    && i > 0
                    && i + 1 < t.name.len()
                {
                    *common_count.entry(&t.name[..=i]).or_default() += 1;
                }
                (t.schema.as_deref().map(key16), key16(&t.name))
            })
            .collect();
        let n = raw.len();
        let common: Option<&str> = common_count
            .into_iter()
            .filter(|(_, c)| c * 10 >= n * 9 && n >= 4)
            .map(|(pre, _)| pre)
            .min();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            keys[a].cmp(&keys[b]).then_with(|| {
                let (x, y) = (raw[a], raw[b]);
                (x.schema.as_deref(), x.name.as_str(), x.id).cmp(&(
                    y.schema.as_deref(),
                    y.name.as_str(),
                    y.id,
                ))
            })
        });
        // Node of each table in storage order.
        let mut node_of = vec![0usize; n];
        for (v, &i) in order.iter().enumerate() {
            node_of[i] = v;
        }
        let tables: Vec<&Table> = order.iter().map(|&i| raw[i]).collect();
        let index = |id: TableId| ids.binary_search(&id).ok().map(|i| node_of[i]);

        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut referenced = vec![0usize; n];
        let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for fk in p.foreign_keys() {
            let (Some(a), Some(b)) = (index(fk.from_table), index(fk.to_table)) else {
                continue;
            };
            if a == b {
                continue;
            }
            pairs.push((a.min(b), a.max(b)));
            referenced[b] += 1;
            referrers[b].push(a);
            parents[a].push(b);
        }
        pairs.sort_unstable();
        let mut edges: Vec<Edge> = Vec::new();
        for (u, v) in pairs {
            match edges.last_mut() {
                Some(last) if (last.0, last.1) == (u, v) => last.2 += 1.0,
                _ => edges.push((u, v, 1.0)),
            }
        }
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for &(u, v, w) in &edges {
            adj[u].push((v, w));
            adj[v].push((u, w));
        }
        for a in &mut adj {
            a.sort_by_key(|e| e.0);
        }
        let junction = (0..n)
            .map(|v| {
                let mut ps = parents[v].clone();
                ps.sort_unstable();
                ps.dedup();
                let [a, b] = ps[..] else { return None };
                if referenced[v] > 0 {
                    return None;
                }
                let t = tables[v];
                let fk_cols = p.fk_columns_from(t.id);
                let pk: &[ColumnId] = t.primary_key.as_ref().map_or(&[], |k| &k.columns);
                let pk_of_fks = !pk.is_empty() && pk.iter().all(|c| fk_cols.contains(c));
                let others = t
                    .columns
                    .iter()
                    .filter(|c| !fk_cols.contains(&c.id) && !pk.contains(&c.id))
                    .count();
                (pk_of_fks || others <= 1).then_some([a, b])
            })
            .collect();

        // Naming: stems, interned prefixes and schemas, in storage order again.
        let mut stem: Vec<&str> = vec![""; n];
        let mut prefix_key = vec![0u32; n];
        let mut schema_raw = vec![u32::MAX; n];
        let mut interned: HashMap<Cow<str>, u32> = HashMap::new();
        let mut schema_ids: HashMap<&str, u32> = HashMap::new();
        let mut schemas: Vec<&str> = Vec::new();
        for (i, t) in raw.iter().enumerate() {
            let v = node_of[i];
            let name = t.name.as_str();
            stem[v] = match common {
                Some(pre) if name.len() > pre.len() && name.starts_with(pre) => &name[pre.len()..],
                _ => name,
            };
            let next = interned.len() as u32;
            prefix_key[v] = *interned.entry(fold(prefix(stem[v]))).or_insert(next);
            if let Some(s) = t.schema.as_deref() {
                schema_raw[v] = *schema_ids.entry(s).or_insert_with(|| {
                    schemas.push(s);
                    schemas.len() as u32 - 1
                });
            }
        }
        let several = schema_raw.iter().any(|&s| Some(&s) != schema_raw.first());
        TableGraph {
            tables,
            edges,
            adj,
            referenced,
            referrers,
            junction,
            stem,
            prefix_key,
            schema: several.then_some(schema_raw),
            schemas,
        }
    }

    /// Weight of the edge between `u` and `v` (0 if none).
    fn weight(&self, u: usize, v: usize) -> f64 {
        self.adj[u]
            .binary_search_by_key(&v, |e| e.0)
            .map_or(0.0, |i| self.adj[u][i].1)
    }

    /// The parent a junction table goes with: most keys from it, then the one its name
    /// starts with, then the more connected one, then the first.
    fn main_parent(&self, j: usize, [a, b]: [usize; 2]) -> usize {
        let name = self.tables[j].name.to_lowercase();
        let key = |p: usize| {
            (
                self.weight(j, p),
                name.starts_with(&self.tables[p].name.to_lowercase()),
                self.adj[p].len(),
            )
        };
        let (ka, kb) = (key(a), key(b));
        let a_first =
            ka.0.total_cmp(&kb.0)
                .then(ka.1.cmp(&kb.1))
                .then(ka.2.cmp(&kb.2))
                .is_ge();
        if a_first { a } else { b }
    }

    /// Name candidates of an area (nodes ascending), best first.
    fn candidates(&self, area: &[usize]) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(pre) = dominant_prefix(self, area) {
            // The table the prefix names, if there is one (`webhooks` for `webhook_*`).
            let forms = [pre.clone(), format!("{pre}s"), format!("{pre}es")];
            let named = area
                .iter()
                .map(|&v| self.stem[v])
                .find(|s| forms.iter().any(|f| f.eq_ignore_ascii_case(s)));
            out.push(named.map_or(pre, str::to_string));
        }
        if let Some(schema) = &self.schema {
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for &v in area {
                if let Some(s) = self.schemas.get(schema[v] as usize) {
                    *count.entry(s).or_default() += 1;
                }
            }
            if let Some((s, c)) = count
                .iter()
                .max_by_key(|(s, c)| (**c, std::cmp::Reverse(**s)))
                && c * 2 > area.len()
            {
                out.push(s.to_string());
            }
        }
        let inside = |v: usize| {
            self.referrers[v]
                .iter()
                .filter(|r| area.binary_search(r).is_ok())
                .count()
        };
        let top = area.iter().copied().max_by_key(|&v| {
            (
                inside(v),
                self.referenced[v],
                self.adj[v].len(),
                std::cmp::Reverse(v),
            )
        });
        if let Some(v) = top {
            out.push(self.tables[v].name.clone());
        }
        out.dedup();
        out
    }
}

// =============================================================================================
// Applying

/// Options of [`apply_command`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ApplyOptions {
    /// Also move the tables: a layered layout inside each area, the areas packed to the
    /// options' aspect ratio ([`layout::grouped`]). Without it, each area is drawn around
    /// its tables where they are (areas may then overlap, and a card's area is the first one
    /// holding its centre).
    pub layout: Option<GroupedOptions>,
    /// Remove the project's existing areas first (else the new names avoid theirs; kept
    /// areas stay where they are, and since a card belongs to the first area holding its
    /// centre, one lying over the new layout takes its cards).
    pub replace: bool,
}

/// Area colours, in turn (`Other` is grey).
const PALETTE: [[u8; 3]; 10] = [
    [0x4a, 0x90, 0xd9],
    [0x50, 0xa1, 0x4f],
    [0xe0, 0x8a, 0x2e],
    [0x9b, 0x59, 0xb6],
    [0xd9, 0x4a, 0x4a],
    [0x2a, 0xa1, 0x98],
    [0xc2, 0x9b, 0x0c],
    [0xd9, 0x4a, 0x9b],
    [0x5b, 0x6e, 0xc9],
    [0x8e, 0x6c, 0x3a],
];
const GREY: [u8; 3] = [0x8a, 0x8a, 0x8a];

/// One undoable command (a [`Command::Batch`]) that creates the suggested areas (and, with
/// [`ApplyOptions::layout`], moves the tables so each area holds its own): existing areas
/// removed if asked, the moves, then one `PutArea` per area with a fresh id. Reads only.
pub fn apply_command(p: &Project, s: &AreaSuggestion, o: &ApplyOptions) -> Command {
    let mut cmds = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    if o.replace {
        cmds.extend(p.areas().map(|a| Command::RemoveArea(a.id)));
    } else {
        taken.extend(p.areas().map(|a| a.name.to_ascii_lowercase()));
    }
    let groups: Vec<Vec<TableId>> = s.areas.iter().map(|a| a.tables.clone()).collect();
    let boxes: Vec<Option<layout::AreaBox>> = match &o.layout {
        Some(lo) => {
            let laid = layout::grouped(p, &groups, lo);
            if !matches!(&laid.moves, Command::MoveTables(m) if m.is_empty()) {
                cmds.push(laid.moves);
            }
            laid.boxes
        }
        None => {
            let lo = GroupedOptions::default();
            groups
                .iter()
                .map(|g| layout::box_around(p, g, &lo))
                .collect()
        }
    };
    let mut colour = PALETTE.iter().cycle();
    for (a, b) in s.areas.iter().zip(boxes) {
        let color = if a.other {
            GREY
        } else {
            *colour.next().expect("a cycle")
        };
        let Some(b) = b else { continue };
        cmds.push(Command::PutArea(Area {
            id: AreaId(p.alloc_id()),
            name: unique(std::slice::from_ref(&a.name), &mut taken),
            color,
            position: b.position,
            size: b.size,
        }));
    }
    Command::Batch(cmds)
}

/// Lay out a project that has no positions yet (an import): suggested areas, a layered
/// layout inside each, the areas packed to 16:10 ([`GroupedOptions::default`]).
pub fn arrange(p: &mut Project) -> Result<(), ModelError> {
    let s = suggest_areas(p, &AreaOptions::default());
    let o = ApplyOptions {
        layout: Some(GroupedOptions::default()),
        replace: false,
    };
    apply_command(p, &s, &o).apply(p).map(|_| ())
}
