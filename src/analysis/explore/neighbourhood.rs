//! What the relationship explorer shows: the start tables and their neighbourhood (1–3 hops,
//! keys followed outgoing, incoming or both), tables the user expanded with their
//! neighbours, optionally the views reading them, capped to a number of tables nearest
//! first; each shown table knows how many of its neighbours are left out ("+N more").

use super::path::{Direction, FkGraph};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The explorer's question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    pub start: Vec<TableId>,
    pub hops: usize,
    pub direction: Direction,
    /// Tables whose every neighbour is shown too (a click on "+N more").
    pub expanded: BTreeSet<TableId>,
    pub views: bool,
    /// At most this many tables.
    pub cap: usize,
}

/// The explorer's answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Neighbourhood {
    /// Shown tables with their distance from the start (0 for the start), nearest first.
    pub tables: Vec<(TableId, usize)>,
    /// Keys between shown tables.
    pub fks: Vec<ForeignKeyId>,
    /// Views reading a shown table (with `Focus::views`).
    pub views: Vec<ViewId>,
    /// Per shown table: its neighbours (the way keys are followed) not shown.
    pub more: BTreeMap<TableId, usize>,
    /// Tables within reach left out by the cap.
    pub left_out: usize,
}

impl FkGraph<'_> {
    /// The tables, keys and views the explorer shows for `focus`.
    pub fn explore(&self, focus: &Focus) -> Neighbourhood {
        let p = self.project();
        let mut reach: Vec<(TableId, usize)> =
            self.neighbourhood(&focus.start, focus.hops, focus.direction);
        let mut seen: HashSet<TableId> = reach.iter().map(|(t, _)| *t).collect();
        for t in &focus.expanded {
            let Some(d) = reach.iter().find(|(x, _)| x == t).map(|(_, d)| *d) else {
                continue;
            };
            for (n, _) in self.neighbourhood(&[*t], 1, focus.direction) {
                if seen.insert(n) {
                    reach.push((n, d + 1));
                }
            }
        }
        // Nearest first, the expanded ones' neighbours before others at their distance.
        reach.sort_by_key(|(_, d)| *d);
        let left_out = reach.len().saturating_sub(focus.cap);
        reach.truncate(focus.cap);
        let shown: HashSet<TableId> = reach.iter().map(|(t, _)| *t).collect();
        let mut fks: Vec<ForeignKeyId> = Vec::new();
        let mut more: BTreeMap<TableId, usize> = BTreeMap::new();
        for (t, _) in &reach {
            let mut hidden = BTreeSet::new();
            for fk in p.foreign_keys_from(*t) {
                if shown.contains(&fk.to_table) {
                    fks.push(fk.id);
                } else if focus.direction != Direction::Incoming {
                    hidden.insert(fk.to_table);
                }
            }
            if focus.direction != Direction::Outgoing {
                for fk in p.foreign_keys_to(*t) {
                    if !shown.contains(&fk.from_table) {
                        hidden.insert(fk.from_table);
                    }
                }
            }
            hidden.remove(t);
            if !hidden.is_empty() {
                more.insert(*t, hidden.len());
            }
        }
        fks.sort();
        fks.dedup();
        let views = if focus.views {
            p.views()
                .filter(|v| v.depends_on.iter().any(|t| shown.contains(t)))
                .map(|v| v.id)
                .collect()
        } else {
            Vec::new()
        };
        Neighbourhood {
            tables: reach,
            fks,
            views,
            more,
            left_out,
        }
    }
}
