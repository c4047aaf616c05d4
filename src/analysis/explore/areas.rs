//! Subject areas from the graph (issue 16): groups of tables found by community detection on
//! the foreign-key graph, named, and applied as areas (optionally with a layout that keeps
//! each area together).
//!
//! # Algorithm
//!
//! 1. **Graph.** Tables are nodes, in qualified-name order (then id), so the result does not
//!    depend on the order tables were created in. Two tables are joined by an undirected edge
//!    weighted by the number of foreign keys between them (either way); self-references are
//!    left out.
//! 2. **Junction tables** become edges: a table with foreign keys to exactly two other tables
//!    that nothing else references, whose primary key is made of foreign-key columns or that
//!    has at most one column outside its keys (`film_actor`), joins its two parents by an
//!    edge (the smaller of its two weights) instead of being a node.
//! 3. **Louvain** ([`super::louvain`]) on that graph (resolution [`AreaOptions::resolution`]);
//!    a community that is not connected is split into its connected parts.
//! 4. **Pulled to a parent:** a junction table goes to the community of its parent with the
//!    most keys from it (then the one its name starts with, then the more connected one); a
//!    table with a single neighbour goes to that neighbour's community.
//! 5. **Small communities** (fewer than [`AreaOptions::min_size`] tables) join the community
//!    they share the most key weight with; a small separate piece of the graph, and every
//!    table without foreign keys, goes to one area named `Other` (last), except a table
//!    without keys whose name prefix is the dominant prefix of exactly one area, which joins
//!    that area. When no area is left but `Other`, there are no areas: every table is
//!    [`AreaSuggestion::unassigned`].
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
use std::collections::{BTreeMap, HashMap};

/// Options of [`suggest_areas`].
#[derive(Clone, Debug, PartialEq)]
pub struct AreaOptions {
    /// Modularity resolution γ of the Louvain search: 1 is Newman's modularity, larger gives
    /// more and smaller areas.
    pub resolution: f64,
    /// Communities with fewer tables join a neighbour (or `Other`).
    pub min_size: usize,
}

impl Default for AreaOptions {
    fn default() -> Self {
        AreaOptions {
            resolution: 1.0,
            min_size: 3,
        }
    }
}

/// One proposed area.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestedArea {
    pub name: String,
    /// Its tables, in qualified-name order.
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
                .entry(pre.to_lowercase())
                .and_modify(|e| *e = None)
                .or_insert(Some(c));
        }
    }
    for v in 0..n {
        if group[v] == other
            && g.adj[v].is_empty()
            && let Some(Some(c)) = by_prefix.get(&prefix(g.stem(v)).to_lowercase())
        {
            group[v] = *c;
            members.get_mut(c).expect("an area").push(v);
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
    let mut taken: Vec<String> = Vec::new();
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
    let mut next = areas.len() + 1;
    for l in label.iter_mut().filter(|l| **l == usize::MAX) {
        *l = next;
        next += 1;
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
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut relabel: HashMap<usize, usize> = HashMap::new();
    let mut next = comm.iter().max().map_or(0, |m| m + 1);
    for v in 0..n {
        let r = find(&mut parent, v);
        let c = comm[v];
        let label = *relabel.entry(r).or_insert_with(|| {
            if first.contains_key(&c) {
                next += 1;
                next - 1
            } else {
                first.insert(c, r);
                c
            }
        });
        comm[v] = label;
    }
}

/// The first of `candidates` not in `taken` (case-insensitively), else the first one
/// numbered; recorded in `taken`.
fn unique(candidates: &[String], taken: &mut Vec<String>) -> String {
    let free = |s: &str, taken: &[String]| !taken.iter().any(|t| t.eq_ignore_ascii_case(s));
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
    taken.push(name.clone());
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

/// The prefix that more than half of `area`'s tables (at least two) share, compared
/// case-insensitively, spelled as in the first of them.
fn dominant_prefix(g: &TableGraph, area: &[usize]) -> Option<String> {
    if area.len() < 2 {
        return None;
    }
    let mut count: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, &v) in area.iter().enumerate() {
        let pre = prefix(g.stem(v));
        count.entry(pre.to_lowercase()).or_insert((0, i)).0 += 1;
    }
    let (_, &(c, first)) = count
        .iter()
        .max_by_key(|(_, (c, first))| (*c, std::cmp::Reverse(*first)))?;
    (c * 2 > area.len()).then(|| prefix(g.stem(area[first])).to_string())
}

/// The foreign-key graph of a project, tables in qualified-name order.
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
    several_schemas: bool,
    /// A prefix (with its `_`) that nine tables in ten or more carry (`wp_`, `tbl_`): names
    /// are read without it.
    common: Option<String>,
}

impl<'p> TableGraph<'p> {
    fn new(p: &'p Project) -> Self {
        let mut tables: Vec<&Table> = p.tables().collect();
        tables.sort_by_cached_key(|t| (t.qualified_name(), t.id));
        let n = tables.len();
        let index: HashMap<TableId, usize> =
            tables.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut referenced = vec![0usize; n];
        let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut fk_cols: Vec<Vec<ColumnId>> = vec![Vec::new(); n];
        for fk in p.foreign_keys() {
            let (Some(&a), Some(&b)) = (index.get(&fk.from_table), index.get(&fk.to_table)) else {
                continue;
            };
            if a == b {
                continue;
            }
            pairs.push((a.min(b), a.max(b)));
            referenced[b] += 1;
            referrers[b].push(a);
            parents[a].push(b);
            fk_cols[a].extend(&fk.from_columns);
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
                let t = tables[v];
                let pk: &[ColumnId] = t.primary_key.as_ref().map_or(&[], |k| &k.columns);
                let pk_of_fks = !pk.is_empty() && pk.iter().all(|c| fk_cols[v].contains(c));
                let others = t
                    .columns
                    .iter()
                    .filter(|c| !fk_cols[v].contains(&c.id) && !pk.contains(&c.id))
                    .count();
                (referenced[v] == 0 && (pk_of_fks || others <= 1)).then_some([a, b])
            })
            .collect();
        let first_schema = tables.first().map(|t| &t.schema);
        let several_schemas = tables.iter().any(|t| Some(&t.schema) != first_schema);
        let mut count: HashMap<String, usize> = HashMap::new();
        for t in &tables {
            if let Some(i) = t.name.find('_')
                && i > 0
                && i + 1 < t.name.len()
            {
                *count.entry(t.name[..=i].to_lowercase()).or_default() += 1;
            }
        }
        let common = count
            .into_iter()
            .filter(|(_, c)| c * 10 >= n * 9 && n >= 4)
            .map(|(pre, _)| pre)
            .next();
        TableGraph {
            tables,
            edges,
            adj,
            referenced,
            referrers,
            junction,
            several_schemas,
            common,
        }
    }

    /// A table's name without the project's [`TableGraph::common`] prefix.
    fn stem(&self, v: usize) -> &str {
        let name = &self.tables[v].name;
        match &self.common {
            Some(pre)
                if name.len() > pre.len()
                    && name
                        .get(..pre.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(pre)) =>
            {
                &name[pre.len()..]
            }
            _ => name,
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
            let low = pre.to_lowercase();
            let named = area.iter().map(|&v| self.stem(v)).find(|s| {
                let s = s.to_lowercase();
                s == low || s == format!("{low}s") || s == format!("{low}es")
            });
            out.push(named.map_or(pre, str::to_string));
        }
        if self.several_schemas {
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for &v in area {
                if let Some(s) = &self.tables[v].schema {
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
    /// Remove the project's existing areas first (else the new names avoid theirs).
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
    let mut taken: Vec<String> = Vec::new();
    if o.replace {
        cmds.extend(p.areas().map(|a| Command::RemoveArea(a.id)));
    } else {
        taken.extend(p.areas().map(|a| a.name.clone()));
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
