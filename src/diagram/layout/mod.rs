//! Auto-layout: pure functions from a [`Project`] to one undoable [`Command::MoveTables`].
//!
//! Nothing here touches a UI. Card sizes come from [`geometry::card_size`](super::geometry),
//! so the result is free of overlaps for the cards the canvas actually draws.
//!
//! # Layered ([`layered`])
//!
//! A Sugiyama-style layout of the foreign-key hierarchy:
//!
//! 1. **Cycle breaking.** Foreign keys point from the referencing (child) table to the
//!    referenced (parent) one; the layout wants parents first. Cycles are broken with the
//!    greedy heuristic of Eades, Lin & Smyth (sinks and sources peeled off, otherwise the
//!    table with the largest out-minus-in degree goes first, ties by id). The foreign keys
//!    it reverses are [`feedback_arcs`]. Self-references are ignored.
//! 2. **Layering.** Longest path from the roots, then a compaction pass that moves a table
//!    with more children than parents down next to its nearest child (so a lookup table
//!    used only deep in the hierarchy sits beside its users instead of in the first layer).
//! 3. **Wrapping.** A layer that would be far longer than the layout is wide is split into
//!    several consecutive sub-layers (leaf tables first, next to their parents), with the
//!    split chosen so the component comes out near [`LayeredOptions::aspect`] (a 16:10
//!    screen): a bisection on the longest allowed layer against an estimate of the shape,
//!    corrected by the measured shape of the finished layout (at most four attempts, the
//!    closest kept). Tables of one layer have no foreign keys between them, so this keeps
//!    every parent strictly before its children.
//! 4. **Crossing reduction.** Long edges get dummy nodes (within a budget, shortest edges
//!    first); an initial depth-first order is improved by barycenter sweeps down and up,
//!    keeping the order with the fewest crossings (counted exactly with a Fenwick tree).
//! 5. **Coordinates.** Along a layer, positions minimize the squared length of the edges
//!    between the foreign-key column rows (edges are straightened through their dummies)
//!    subject to the real card sizes plus [`LayeredOptions::node_gap`]: a few Gauss–Seidel
//!    sweeps, each layer solved exactly by weighted isotonic regression (pool adjacent
//!    violators). Layers are [`LayeredOptions::layer_gap`] apart, measured from the widest
//!    card. Cards cannot overlap by construction.
//! 6. **Packing.** Connected components (isolated tables are components of one) are packed
//!    into shelves, tallest first, wrapping at a width chosen for the target aspect ratio.
//!
//! The default direction is [`Direction::LeftToRight`]: referenced tables on the left. The
//! canvas draws relationships as horizontal curves between the sides of the cards, at the
//! rows of the key columns, so columns of cards side by side read best; the column rows are
//! aligned across the gap where possible.
//!
//! # Force-directed ([`force`])
//!
//! Fruchterman–Reingold on card centres, one component at a time: repulsion (scaled by card
//! size) only within a cutoff of twice the ideal edge length, found with a uniform grid
//! (linear work per iteration), attraction along foreign keys, a weak pull to the component
//! centre and a temperature that cools linearly over a fixed number of iterations. It starts
//! from the layered result (default) or the current positions, with a tiny deterministic
//! jitter (tables piled on one spot start on a sunflower spiral). In the last 60 % of the
//! iterations overlapping cards (real rectangles plus [`ForceOptions::gap`]) are also pushed
//! apart, so crowded areas grow while the springs keep the shape. Remaining overlaps are
//! removed by a uniform spread (only when many remain), rounds of pushes along the axis of
//! least penetration, and a final greedy pass that guarantees no two cards overlap (a card
//! that still collides moves to the nearest free spot on a spiral). Components are then
//! packed as in the layered layout.
//!
//! # Grouped ([`grouped`])
//!
//! Tables in given groups (subject areas, `analysis::explore::areas`): the layered layout of
//! each group's tables and the keys among them, each group in a box with room for its name,
//! the boxes packed like components. Import lays out a new project this way.
//!
//! Both layouts are deterministic: the same project gives the same positions. The layout
//! keeps the top-left corner of the tables' current bounding box, and positions are whole
//! canvas units. The command moves only tables whose position changes, so running the
//! layered layout (or the force layout from its default start) twice leaves an empty second
//! command. `*_selection` variants lay out only the given tables: the block goes where the
//! selection was if that is free of other cards, else to the nearest free spot around it.
//!
//! Performance (release build, generated projects of 10 columns per table, see
//! `examples/layout_bench.rs`): 5,000 tables take about 0.2 s layered and 0.8 s force.

use super::geometry::{card_size, row_center_y};
use crate::model::command::Command;
use crate::model::ids::{ForeignKeyId, TableId};
use crate::model::project::Project;
use crate::model::table::{Position, Table};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

mod areas;
mod force;
mod layered;
mod overlap;
pub use areas::{AreaBox, GroupedLayout, GroupedOptions, box_around, grouped};
use force::*;
use layered::*;
use overlap::*;

// =============================================================================================
// Options

/// Where referenced tables go relative to the tables referencing them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Referenced tables left, referencing tables to their right (the default: relationship
    /// lines leave cards sideways).
    #[default]
    LeftToRight,
    /// Referenced tables above, referencing tables below.
    TopToBottom,
}

/// Options of [`layered`].
#[derive(Clone, Debug, PartialEq)]
pub struct LayeredOptions {
    pub direction: Direction,
    /// Gap between neighbouring cards of one layer.
    pub node_gap: f32,
    /// Gap between layers (from the largest card of a layer to the next layer).
    pub layer_gap: f32,
    /// Gap between packed components.
    pub component_gap: f32,
    /// Target width / height of the result (16:10 by default).
    pub aspect: f32,
    /// Split over-long layers into sub-layers to approach `aspect`.
    pub wrap_layers: bool,
    /// Move tables with more children than parents down next to their children.
    pub compact_layers: bool,
    /// Crossing-reduction iterations (each one sweep down and one up).
    pub crossing_sweeps: usize,
    /// Coordinate-assignment iterations (each one sweep down and one up).
    pub align_sweeps: usize,
}

impl Default for LayeredOptions {
    fn default() -> Self {
        LayeredOptions {
            direction: Direction::LeftToRight,
            node_gap: 60.0,
            layer_gap: 120.0,
            component_gap: 120.0,
            aspect: 16.0 / 10.0,
            wrap_layers: true,
            compact_layers: true,
            crossing_sweeps: 4,
            align_sweeps: 8,
        }
    }
}

/// Where the force-directed layout starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ForceStart {
    /// From the layered layout (the default: the result does not depend on where the tables
    /// happen to be, so running it twice changes nothing).
    #[default]
    Layered,
    /// From the tables' current positions (relaxes the user's arrangement).
    Current,
}

/// Options of [`force`].
#[derive(Clone, Debug, PartialEq)]
pub struct ForceOptions {
    pub start: ForceStart,
    /// Number of simulation steps.
    pub iterations: usize,
    /// Ideal distance between the centres of related cards; `0` picks one from card sizes.
    pub edge_length: f32,
    /// Pull towards the component centre, relative to the spring force.
    pub gravity: f32,
    /// Smallest gap between two cards after overlap removal.
    pub gap: f32,
    /// Gap between packed components.
    pub component_gap: f32,
    /// Target width / height of the result.
    pub aspect: f32,
}

impl Default for ForceOptions {
    fn default() -> Self {
        ForceOptions {
            start: ForceStart::Layered,
            iterations: 200,
            edge_length: 0.0,
            gravity: 0.01,
            gap: 40.0,
            component_gap: 120.0,
            aspect: 16.0 / 10.0,
        }
    }
}

// =============================================================================================
// Public entry points

/// How far a running layout has got, readable from another thread (the studio shows it
/// while a big project is laid out in the background), and a way to ask it to stop.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// Between 0 and 1: the share of the work done (components laid out, weighted by their
    /// tables, and the attempts at each component's shape).
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f32 / total as f32).min(1.0)
    }

    /// Ask the layout to stop soon (the `_with_progress` functions then return `None`).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn expect(&self, work: usize) {
        self.total.fetch_add(work, Ordering::Relaxed);
    }

    fn advance(&self, work: usize) {
        self.done.fetch_add(work, Ordering::Relaxed);
    }
}

/// Units of work per table of a component: one per attempt at its shape (at most four).
const WORK_PER_TABLE: usize = 4;

/// Layered (Sugiyama-style) layout of the whole project; see the module docs.
pub fn layered(p: &Project, opts: &LayeredOptions) -> Command {
    run(p, None, Algo::Layered(opts), &Progress::default())
}

/// [`layered`], reporting to `progress`; `None` when it was cancelled (it then stops soon).
pub fn layered_with_progress(
    p: &Project,
    opts: &LayeredOptions,
    progress: &Progress,
) -> Option<Command> {
    let cmd = run(p, None, Algo::Layered(opts), progress);
    (!progress.is_cancelled()).then_some(cmd)
}

/// [`force`], reporting to `progress` as [`layered_with_progress`] does.
pub fn force_with_progress(
    p: &Project,
    opts: &ForceOptions,
    progress: &Progress,
) -> Option<Command> {
    let cmd = run(p, None, Algo::Force(opts), progress);
    (!progress.is_cancelled()).then_some(cmd)
}

/// Layered layout of the tables in `selection` only (foreign keys to other tables are
/// ignored; the other tables stay where they are and are not overlapped).
pub fn layered_selection(
    p: &Project,
    opts: &LayeredOptions,
    selection: &BTreeSet<TableId>,
) -> Command {
    run(
        p,
        Some(selection),
        Algo::Layered(opts),
        &Progress::default(),
    )
}

/// Force-directed layout of the whole project; see the module docs.
pub fn force(p: &Project, opts: &ForceOptions) -> Command {
    run(p, None, Algo::Force(opts), &Progress::default())
}

/// Force-directed layout of the tables in `selection` only.
pub fn force_selection(p: &Project, opts: &ForceOptions, selection: &BTreeSet<TableId>) -> Command {
    run(p, Some(selection), Algo::Force(opts), &Progress::default())
}

/// The foreign keys the layered layout reverses to break cycles (self-references are not
/// included: they are ignored). Every other foreign key has its referenced table in an
/// earlier layer.
pub fn feedback_arcs(p: &Project) -> BTreeSet<ForeignKeyId> {
    let g = Graph::build(p, None);
    let arcs: Vec<(usize, usize)> = g.links.iter().map(|l| (l.parent, l.child)).collect();
    let rev = feedback_set(g.ids.len(), &arcs);
    g.links
        .iter()
        .zip(rev)
        .filter(|(_, r)| *r)
        .map(|(l, _)| l.fk)
        .collect()
}

// =============================================================================================
// Input graph

/// A foreign key between two distinct laid-out tables (indices into [`Graph::ids`]).
#[derive(Clone, Copy, Debug)]
struct Link {
    fk: ForeignKeyId,
    child: usize,
    parent: usize,
    /// Row of the first key column on the child / parent card.
    child_row: usize,
    parent_row: usize,
}

struct Graph {
    ids: Vec<TableId>,
    /// Card width and height.
    size: Vec<[f64; 2]>,
    /// Current top-left corners.
    pos: Vec<[f64; 2]>,
    links: Vec<Link>,
}

fn key_row(t: &Table, cols: &[crate::model::ids::ColumnId]) -> usize {
    cols.first().and_then(|c| t.column_index(*c)).unwrap_or(0)
}

/// Largest coordinate magnitude taken from a project; beyond it positions are clamped (and
/// non-finite ones read as 0), so the arithmetic keeps whole-unit precision.
const COORD_LIMIT: f64 = 1.0e7;

/// A gap option as a usable number: finite, at least `min`, at most 10,000.
fn gap_value(v: f32, min: f64) -> f64 {
    if v.is_finite() {
        (v as f64).clamp(min, 1.0e4)
    } else {
        min
    }
}

fn finite(v: f32) -> f64 {
    if v.is_finite() {
        (v as f64).clamp(-COORD_LIMIT, COORD_LIMIT)
    } else {
        0.0
    }
}

impl Graph {
    fn build(p: &Project, selection: Option<&BTreeSet<TableId>>) -> Graph {
        let tables: Vec<&Table> = p
            .tables()
            .filter(|t| selection.is_none_or(|s| s.contains(&t.id)))
            .collect();
        let ids: Vec<TableId> = tables.iter().map(|t| t.id).collect();
        let size = tables
            .iter()
            .map(|t| {
                let [w, h] = card_size(t, p);
                [w as f64, h as f64]
            })
            .collect();
        let pos = tables
            .iter()
            .map(|t| [finite(t.position.x), finite(t.position.y)])
            .collect();
        let index = |id: TableId| ids.binary_search(&id).ok();
        let mut links = Vec::new();
        for fk in p.foreign_keys() {
            if fk.from_table == fk.to_table {
                continue;
            }
            let (Some(child), Some(parent)) = (index(fk.from_table), index(fk.to_table)) else {
                continue;
            };
            let (ct, pt) = (tables[child], tables[parent]);
            let to_cols = fk.target_columns(pt);
            links.push(Link {
                fk: fk.id,
                child,
                parent,
                child_row: key_row(ct, &fk.from_columns),
                parent_row: key_row(pt, to_cols),
            });
        }
        Graph {
            ids,
            size,
            pos,
            links,
        }
    }

    /// Connected components of the subgraph of `nodes` (ascending) and `links` (between
    /// them): local node lists (indices into `nodes`, ascending) and lists of indices into
    /// `links`, ordered by first node.
    fn components(&self, nodes: &[usize], links: &[usize], local: &[usize]) -> Components {
        let n = nodes.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &li in links {
            let l = &self.links[li];
            let (a, b) = (
                find(&mut parent, local[l.child]),
                find(&mut parent, local[l.parent]),
            );
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi] = lo;
            }
        }
        let mut comp_of = vec![usize::MAX; n];
        let mut comps: Components = Vec::new();
        for v in 0..n {
            let r = find(&mut parent, v);
            if comp_of[r] == usize::MAX {
                comp_of[r] = comps.len();
                comps.push((Vec::new(), Vec::new()));
            }
            comp_of[v] = comp_of[r];
            comps[comp_of[v]].0.push(v);
        }
        for (k, &li) in links.iter().enumerate() {
            comps[comp_of[local[self.links[li].child]]].1.push(k);
        }
        comps
    }

    /// Lay out the tables `nodes` (ascending indices) with the `links` between them: each
    /// connected component by `algo`, the components packed. Returns top-left corners
    /// (parallel to `nodes`) starting at (0, 0), and the block's size. `local` is scratch of
    /// one entry per table, all `usize::MAX`, and is left so.
    fn block(
        &self,
        nodes: &[usize],
        links: &[usize],
        algo: Algo,
        local: &mut [usize],
        progress: &Progress,
    ) -> (Vec<[f64; 2]>, [f64; 2]) {
        progress.expect(nodes.len() * WORK_PER_TABLE);
        for (i, &v) in nodes.iter().enumerate() {
            local[v] = i;
        }
        let arcs: Vec<(usize, usize)> = links
            .iter()
            .map(|&li| (local[self.links[li].parent], local[self.links[li].child]))
            .collect();
        let reversed = feedback_set(nodes.len(), &arcs);
        let lopts_default = LayeredOptions::default();
        let lopts = match algo {
            Algo::Layered(o) => o,
            Algo::Force(_) => &lopts_default,
        };
        let ltr = lopts.direction == Direction::LeftToRight;

        // Index of each local node within its component.
        let mut in_comp = vec![usize::MAX; nodes.len()];
        // Per component: its local nodes, their positions relative to it, and its size.
        type Block = (Vec<usize>, Vec<[f64; 2]>, [f64; 2]);
        let mut blocks: Vec<Block> = Vec::new();
        for (comp, link_ks) in self.components(nodes, links, local) {
            if progress.is_cancelled() {
                break;
            }
            let done_before = progress.done.load(Ordering::Relaxed);
            for (i, &v) in comp.iter().enumerate() {
                in_comp[v] = i;
            }
            let sizes: Vec<[f64; 2]> = comp.iter().map(|&v| self.size[nodes[v]]).collect();
            let comp_arcs: Vec<Arc> = link_ks
                .iter()
                .map(|&k| {
                    let l = self.links[links[k]];
                    let port = |v: usize, row: usize| {
                        if ltr {
                            row_center_y(row) as f64
                        } else {
                            self.size[v][0] / 2.0
                        }
                    };
                    let (pa, pb) = (port(l.parent, l.parent_row), port(l.child, l.child_row));
                    let (a, b) = (in_comp[local[l.parent]], in_comp[local[l.child]]);
                    if reversed[k] {
                        Arc {
                            a: b,
                            b: a,
                            port_a: pb,
                            port_b: pa,
                        }
                    } else {
                        Arc {
                            a,
                            b,
                            port_a: pa,
                            port_b: pb,
                        }
                    }
                })
                .collect();
            let mut pos = match algo {
                Algo::Layered(o) => layered_component(&sizes, &comp_arcs, o, progress),
                Algo::Force(o) => {
                    let start = match o.start {
                        ForceStart::Layered => {
                            layered_component(&sizes, &comp_arcs, lopts, progress)
                        }
                        ForceStart::Current => comp.iter().map(|&v| self.pos[nodes[v]]).collect(),
                    };
                    let edges: Vec<(usize, usize)> = comp_arcs.iter().map(|a| (a.a, a.b)).collect();
                    force_component(&sizes, &edges, start, o)
                }
            };
            let bbox = normalize(&mut pos, &sizes);
            progress
                .done
                .store(done_before + comp.len() * WORK_PER_TABLE, Ordering::Relaxed);
            blocks.push((comp, pos, bbox));
        }
        for &v in nodes {
            local[v] = usize::MAX;
        }

        let (gap, aspect) = match algo {
            Algo::Layered(o) => (gap_value(o.component_gap, 0.0), o.aspect as f64),
            Algo::Force(o) => (gap_value(o.component_gap, 0.0), o.aspect as f64),
        };
        let dims: Vec<[f64; 2]> = blocks.iter().map(|b| b.2).collect();
        let offsets = pack(&dims, gap, aspect);
        let mut out = vec![[0.0; 2]; nodes.len()];
        let mut extent = [0.0_f64; 2];
        for ((comp, pos, dim), off) in blocks.iter().zip(&offsets) {
            for (&v, q) in comp.iter().zip(pos) {
                out[v] = [q[0] + off[0], q[1] + off[1]];
            }
            extent = [
                extent[0].max(off[0] + dim[0]),
                extent[1].max(off[1] + dim[1]),
            ];
        }
        (out, extent)
    }
}

/// Connected components: local node lists and link lists.
type Components = Vec<(Vec<usize>, Vec<usize>)>;

// =============================================================================================
// Driver

#[derive(Clone, Copy)]
enum Algo<'a> {
    Layered(&'a LayeredOptions),
    Force(&'a ForceOptions),
}

/// A directed arc of a component in layout orientation (`a` before `b`), local indices,
/// with the cross-axis offsets of its ends from the cards' starts.
#[derive(Clone, Copy, Debug)]
struct Arc {
    a: usize,
    b: usize,
    port_a: f64,
    port_b: f64,
}

fn run(
    p: &Project,
    selection: Option<&BTreeSet<TableId>>,
    algo: Algo,
    progress: &Progress,
) -> Command {
    let g = Graph::build(p, selection);
    let n = g.ids.len();
    if n == 0 {
        return Command::MoveTables(Vec::new());
    }
    let all: Vec<usize> = (0..n).collect();
    let links: Vec<usize> = (0..g.links.len()).collect();
    let (out, _) = g.block(&all, &links, algo, &mut vec![usize::MAX; n], progress);
    if progress.is_cancelled() {
        return Command::MoveTables(Vec::new());
    }
    let gap = match algo {
        Algo::Layered(o) => gap_value(o.component_gap, 0.0),
        Algo::Force(o) => gap_value(o.component_gap, 0.0),
    };

    // Keep the top-left corner of the current arrangement.
    let origin = g
        .pos
        .iter()
        .fold([f64::INFINITY; 2], |m, q| [m[0].min(q[0]), m[1].min(q[1])]);
    let mut origin = [origin[0].round(), origin[1].round()];
    // Gap kept by the final safety pass: the smallest configured gap, less what rounding to
    // whole units can take, at most 8.
    let min_gap = match algo {
        Algo::Layered(o) => gap_value(o.node_gap, 0.0)
            .min(gap_value(o.layer_gap, 1.0))
            .min(gap_value(o.component_gap, 0.0)),
        Algo::Force(o) => gap_value(o.gap, 0.0).min(gap_value(o.component_gap, 0.0)),
    };
    let rounding_safe = min_gap >= 2.0;
    let min_gap = (min_gap - 2.0).clamp(0.0, 8.0);

    // Fixed obstacles when laying out a selection.
    let fixed: Vec<Rect> = match selection {
        Some(sel) => p
            .tables()
            .filter(|t| !sel.contains(&t.id))
            .map(|t| {
                let [w, h] = card_size(t, p);
                Rect {
                    x: finite(t.position.x),
                    y: finite(t.position.y),
                    w: w as f64,
                    h: h as f64,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    if !fixed.is_empty() {
        let extent = out.iter().zip(&g.size).fold([0.0_f64; 2], |m, (q, s)| {
            [m[0].max(q[0] + s[0]), m[1].max(q[1] + s[1])]
        });
        origin = place_block(origin, extent, &fixed, gap);
    }

    let mut rects: Vec<Rect> = out
        .iter()
        .zip(&g.size)
        .map(|(q, s)| Rect {
            x: (q[0] + origin[0]).round(),
            y: (q[1] + origin[1]).round(),
            w: s[0],
            h: s[1],
        })
        .collect();
    // A safety net: by construction nothing overlaps, but this guarantees it (and keeps
    // clear of fixed cards for selections).
    let moved = settle(&mut rects, &fixed, min_gap, true);
    debug_assert!(
        moved == 0 || !fixed.is_empty() || !rounding_safe || !matches!(algo, Algo::Layered(_)),
        "layered layout produced {moved} overlapping cards"
    );

    Command::MoveTables(moves_to(p, &g.ids, &rects))
}

/// The moves that put each table of `ids` at its rectangle's corner (tables already there
/// are left out).
fn moves_to(p: &Project, ids: &[TableId], rects: &[Rect]) -> Vec<(TableId, Position)> {
    ids.iter()
        .zip(rects)
        .filter_map(|(&id, r)| {
            let new = Position {
                x: r.x as f32,
                y: r.y as f32,
            };
            let old = p.table(id).map(|t| t.position);
            (old != Some(new)).then_some((id, new))
        })
        .collect()
}
