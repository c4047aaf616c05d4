//! What is selected on the canvas.

use crate::model::{ColumnId, Project, TableId};
use std::collections::BTreeSet;

#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub tables: BTreeSet<TableId>,
    /// A column selected in a card or the inspector.
    pub column: Option<(TableId, ColumnId)>,
}

impl Selection {
    pub fn clear(&mut self) {
        self.tables.clear();
        self.column = None;
    }

    /// Plain click selects only `t`; shift/ctrl-click toggles it.
    pub fn click_table(&mut self, t: TableId, additive: bool) {
        if additive {
            if !self.tables.remove(&t) {
                self.tables.insert(t);
            }
        } else {
            self.tables.clear();
            self.tables.insert(t);
        }
        if self
            .column
            .is_some_and(|(ct, _)| !self.tables.contains(&ct))
        {
            self.column = None;
        }
    }

    pub fn select_column(&mut self, t: TableId, c: ColumnId) {
        self.tables.clear();
        self.tables.insert(t);
        self.column = Some((t, c));
    }

    /// The one selected table, if exactly one is selected.
    pub fn single(&self) -> Option<TableId> {
        (self.tables.len() == 1).then(|| *self.tables.first().expect("len is 1"))
    }

    /// Drop what no longer exists (after undo, delete...).
    pub fn retain_existing(&mut self, p: &Project) {
        self.tables.retain(|t| p.table(*t).is_some());
        if let Some((t, c)) = self.column
            && p.table(t).and_then(|t| t.column(c)).is_none()
        {
            self.column = None;
        }
    }
}
