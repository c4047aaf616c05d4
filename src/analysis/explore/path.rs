//! Find path (issue 16): the shortest foreign-key paths between two tables, each key walkable
//! in either direction, and the JOIN that follows one.
//!
//! Paths are simple (no table twice) and distinct by the keys they use, so two keys between
//! the same tables (billing and shipping address) give two paths. They come shortest first:
//! Yen's k-shortest loopless paths over breadth-first searches, deterministic (neighbours in
//! key-id order). Hub tables can be ignored as intermediate steps (`users`, `tenants`, which
//! connect everything to everything); the two ends are always allowed.

use crate::model::*;
use crate::sql::dialect::rules;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// One foreign key walked from `tables[i]` to `tables[i + 1]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Step {
    pub fk: ForeignKeyId,
    /// The key is walked from its referencing table to the referenced one.
    pub forward: bool,
}

/// A path: its tables in order, and the key between each pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FkPath {
    pub tables: Vec<TableId>,
    pub steps: Vec<Step>,
}

/// The project's foreign-key graph as adjacency lists (tables by position, keys in id order).
pub struct FkGraph<'p> {
    p: &'p Project,
    ids: Vec<TableId>,
    index: HashMap<TableId, usize>,
    /// Per table: (neighbour, step).
    adj: Vec<Vec<(usize, Step)>>,
    /// Reused by every search: `seen[v] == epoch` marks a visited table, `prev[v]` how it was
    /// reached (so a search allocates nothing per table).
    scratch: std::cell::RefCell<Scratch>,
}

struct Scratch {
    epoch: u32,
    seen: Vec<u32>,
    prev: Vec<(usize, Step)>,
}

impl<'p> FkGraph<'p> {
    pub fn new(p: &'p Project) -> Self {
        let ids: Vec<TableId> = p.tables().map(|t| t.id).collect();
        let index: HashMap<TableId, usize> = ids.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let mut adj: Vec<Vec<(usize, Step)>> = vec![Vec::new(); ids.len()];
        let mut fks: Vec<&ForeignKey> = p.foreign_keys().collect();
        fks.sort_by_key(|f| f.id);
        for fk in fks {
            let (Some(&a), Some(&b)) = (index.get(&fk.from_table), index.get(&fk.to_table)) else {
                continue;
            };
            if a == b {
                continue; // a self-reference leads nowhere
            }
            adj[a].push((
                b,
                Step {
                    fk: fk.id,
                    forward: true,
                },
            ));
            adj[b].push((
                a,
                Step {
                    fk: fk.id,
                    forward: false,
                },
            ));
        }
        let n = ids.len();
        let scratch = std::cell::RefCell::new(Scratch {
            epoch: 0,
            seen: vec![0; n],
            prev: vec![
                (
                    0,
                    Step {
                        fk: ForeignKeyId(0),
                        forward: true
                    }
                );
                n
            ],
        });
        FkGraph {
            p,
            ids,
            index,
            adj,
            scratch,
        }
    }

    pub fn project(&self) -> &'p Project {
        self.p
    }

    /// Up to `max` shortest simple paths from `from` to `to`, shortest first, avoiding the
    /// `ignore`d tables between the ends. Empty when there is none (or `from == to`).
    pub fn paths(
        &self,
        from: TableId,
        to: TableId,
        max: usize,
        ignore: &BTreeSet<TableId>,
    ) -> Vec<FkPath> {
        let (Some(&s), Some(&t)) = (self.index.get(&from), self.index.get(&to)) else {
            return Vec::new();
        };
        if s == t || max == 0 {
            return Vec::new();
        }
        let mut blocked = vec![false; self.ids.len()];
        for i in ignore.iter().filter_map(|t| self.index.get(t)) {
            blocked[*i] = *i != s && *i != t;
        }
        let none = BTreeSet::new();
        let Some(first) = self.bfs(s, t, &blocked, &[], &none) else {
            return Vec::new();
        };
        let mut found: Vec<Route> = vec![first];
        // Candidates by (length, keys): shortest first, ties in a stable order.
        // (length, keys, tables, spur index where the candidate leaves its parent).
        let mut candidates: BTreeSet<(usize, Vec<Step>, Vec<usize>, usize)> = BTreeSet::new();
        while found.len() < max {
            let prev = found.last().expect("one path found").clone();
            // Lawler: spurs before where `prev` left its parent were searched for the parent.
            for i in prev.from..prev.steps.len() {
                let spur = prev.nodes[i];
                let root_nodes = &prev.nodes[..=i];
                let root_steps = &prev.steps[..i];
                let mut banned_steps = BTreeSet::new();
                for p in &found {
                    if p.steps.len() > i
                        && p.nodes[..=i] == *root_nodes
                        && p.steps[..i] == *root_steps
                    {
                        banned_steps.insert(p.steps[i]);
                    }
                }
                if let Some(spur_path) =
                    self.bfs(spur, t, &blocked, &root_nodes[..i], &banned_steps)
                {
                    let mut nodes = root_nodes[..i].to_vec();
                    nodes.extend(&spur_path.nodes);
                    let mut steps = root_steps.to_vec();
                    steps.extend(&spur_path.steps);
                    if !found.iter().any(|f| f.steps == steps) {
                        candidates.insert((steps.len(), steps, nodes, i));
                    }
                }
            }
            let Some((_, steps, nodes, from)) = candidates.pop_first() else {
                break;
            };
            found.push(Route { nodes, steps, from });
        }
        found
            .into_iter()
            .map(|r| FkPath {
                tables: r.nodes.iter().map(|&i| self.ids[i]).collect(),
                steps: r.steps,
            })
            .collect()
    }

    /// The tables within `hops` keys of `start` (walking keys the ways `dir` allows), each with
    /// its distance, nearest first (then in project order).
    pub fn neighbourhood(
        &self,
        start: &[TableId],
        hops: usize,
        dir: Direction,
    ) -> Vec<(TableId, usize)> {
        let mut dist: Vec<Option<usize>> = vec![None; self.ids.len()];
        let mut queue = VecDeque::new();
        for i in start.iter().filter_map(|t| self.index.get(t)) {
            if dist[*i].is_none() {
                dist[*i] = Some(0);
                queue.push_back(*i);
            }
        }
        while let Some(v) = queue.pop_front() {
            let d = dist[v].expect("queued nodes have a distance");
            if d == hops {
                continue;
            }
            for &(w, step) in &self.adj[v] {
                let allowed = match dir {
                    Direction::Both => true,
                    Direction::Outgoing => step.forward,
                    Direction::Incoming => !step.forward,
                };
                if allowed && dist[w].is_none() {
                    dist[w] = Some(d + 1);
                    queue.push_back(w);
                }
            }
        }
        let mut out: Vec<(usize, TableId)> = dist
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.map(|d| (d, i)))
            .map(|(d, i)| (d, self.ids[i]))
            .collect();
        out.sort_by_key(|(d, _)| *d);
        out.into_iter().map(|(d, t)| (t, d)).collect()
    }

    /// Breadth-first shortest path from `s` to `t` avoiding `blocked` tables, the `root`
    /// tables (a few) and `steps`.
    fn bfs(
        &self,
        s: usize,
        t: usize,
        blocked: &[bool],
        root: &[usize],
        steps: &BTreeSet<Step>,
    ) -> Option<Route> {
        let mut sc = self.scratch.borrow_mut();
        sc.epoch = sc.epoch.wrapping_add(1);
        if sc.epoch == 0 {
            sc.seen.iter_mut().for_each(|x| *x = 0);
            sc.epoch = 1;
        }
        let epoch = sc.epoch;
        sc.seen[s] = epoch;
        let mut queue = VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            if v == t {
                break;
            }
            for &(w, step) in &self.adj[v] {
                if sc.seen[w] == epoch || blocked[w] || root.contains(&w) || steps.contains(&step) {
                    continue;
                }
                sc.seen[w] = epoch;
                sc.prev[w] = (v, step);
                queue.push_back(w);
            }
        }
        if sc.seen[t] != epoch {
            return None;
        }
        let (mut nodes, mut steps) = (vec![t], Vec::new());
        let mut at = t;
        while at != s {
            let (p, step) = sc.prev[at];
            nodes.push(p);
            steps.push(step);
            at = p;
        }
        nodes.reverse();
        steps.reverse();
        Some(Route {
            nodes,
            steps,
            from: 0,
        })
    }
}

/// Which way keys are followed from a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, strum::EnumIter, strum::Display)]
pub enum Direction {
    /// To the tables it references.
    #[strum(to_string = "outgoing")]
    Outgoing,
    /// To the tables referencing it.
    #[strum(to_string = "incoming")]
    Incoming,
    #[default]
    #[strum(to_string = "both")]
    Both,
}

#[derive(Clone, Debug)]
struct Route {
    nodes: Vec<usize>,
    steps: Vec<Step>,
    /// The spur index at which this path leaves the one it was found from.
    from: usize,
}

/// `SELECT * FROM a JOIN b ON … JOIN c ON …` following `path` with the keys' real columns
/// (every pair of a composite key), in `dialect`. Tables are aliased by their name (or `t1`,
/// `t2`, … when two tables on the path share a name).
pub fn join_sql(p: &Project, path: &FkPath, dialect: Dialect) -> String {
    let r = rules(dialect);
    let tables: Vec<&Table> = path.tables.iter().filter_map(|t| p.table(*t)).collect();
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let unique = names.len() == tables.len();
    let alias = |i: usize| {
        if unique {
            r.ident(&tables[i].name)
        } else {
            format!("t{}", i + 1)
        }
    };
    let table_ref = |i: usize| {
        let q = r.qualified(tables[i].schema.as_deref(), &tables[i].name);
        if q == alias(i) {
            q
        } else {
            format!("{q} AS {}", alias(i))
        }
    };
    let mut sql = format!("SELECT *\nFROM {}", table_ref(0));
    for (i, step) in path.steps.iter().enumerate() {
        let Some(fk) = p.foreign_key(step.fk) else {
            continue;
        };
        let (here, next) = (i, i + 1);
        let (Some(a), Some(b)) = (tables.get(here), tables.get(next)) else {
            continue;
        };
        // Each pair: the column of `next`, then the one of `here` it equals.
        let (ta, tb) = (*a, *b);
        let on: Vec<String> = fk
            .from_columns
            .iter()
            .zip(&fk.to_columns)
            .map(|(fc, tc)| {
                let (nc, hc) = if step.forward {
                    (tb.column_name(*tc), ta.column_name(*fc))
                } else {
                    (tb.column_name(*fc), ta.column_name(*tc))
                };
                format!(
                    "{}.{} = {}.{}",
                    alias(next),
                    r.ident(&nc),
                    alias(here),
                    r.ident(&hc)
                )
            })
            .collect();
        sql.push_str(&format!(
            "\nJOIN {} ON {}",
            table_ref(next),
            on.join(" AND ")
        ));
    }
    sql
}
