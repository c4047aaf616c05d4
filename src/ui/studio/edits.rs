//! Edits built from gestures: links from drags, deletes, layout, paste (new tables and
//! columns are `Request::new_table_at` / `Request::add_column`).

use super::*;

impl Studio {
    pub(super) fn delete_selection(&mut self) {
        let tables: Vec<TableId> = self.sel.tables.iter().copied().collect();
        if tables.is_empty() {
            return;
        }
        let outside: Vec<String> = tables
            .iter()
            .flat_map(|t| self.doc.project().foreign_keys_to(*t))
            .filter(|fk| !self.sel.tables.contains(&fk.from_table))
            .filter_map(|fk| self.doc.project().table(fk.from_table))
            .map(|t| t.qualified_name())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if outside.is_empty() {
            self.delete_tables(&tables);
        } else {
            self.confirm = Some(Confirm::DeleteReferenced {
                message: format!(
                    "{} referenced by {}. Delete anyway? Their foreign keys are removed too (undoable).",
                    if tables.len() == 1 {
                        "This table is".to_string()
                    } else {
                        format!("These {} tables are", tables.len())
                    },
                    outside.join(", ")
                ),
                tables,
            });
        }
    }

    pub fn delete_tables(&mut self, tables: &[TableId]) {
        let n = tables.len();
        if self.apply(remove_tables(self.doc.project(), tables)) {
            self.status = format!("Deleted {n} table(s)");
        }
    }

    pub(super) fn auto_layout(&mut self, force: bool) {
        let cmd = if force {
            crate::diagram::layout::force(self.doc.project(), &Default::default())
        } else {
            crate::diagram::layout::layered(self.doc.project(), &Default::default())
        };
        if self.apply(cmd) {
            self.canvas.fit(&self.doc);
            self.status = if force {
                "Force layout applied (undo with Ctrl+Z)".into()
            } else {
                "Layered layout applied (undo with Ctrl+Z)".into()
            };
        }
    }

    /// Create a foreign key from a dragged column to another table's key, or ask first
    /// (`model::edit::plan_link` decides which).
    pub(super) fn link(
        &mut self,
        from: TableId,
        column: ColumnId,
        to: TableId,
        to_column: Option<ColumnId>,
    ) {
        match crate::model::edit::plan_link(self.doc.project(), from, column, to, to_column) {
            LinkPlan::Create(cmd) => {
                if self.apply(cmd) {
                    self.status = "Foreign key created".into();
                }
            }
            LinkPlan::RetypeAndLink { message, command } => {
                self.confirm = Some(Confirm::RetypeAndLink {
                    message,
                    command: Box::new(command),
                });
            }
            LinkPlan::CreateColumnAndLink { message, command } => {
                self.confirm = Some(Confirm::CreateColumnAndLink {
                    message,
                    command: Box::new(command),
                });
            }
            LinkPlan::Refused(why) => self.status = why,
        }
    }

    /// Paste tables copied from this or another project, next to the originals.
    pub fn paste(&mut self, text: &str) {
        if !crate::model::clipboard::is_clip(text) {
            self.status = "The clipboard holds no Crowfoot tables".into();
            return;
        }
        match crate::model::clipboard::paste(
            self.doc.project(),
            text,
            Position { x: 40.0, y: 40.0 },
        ) {
            Ok((cmd, ids)) => {
                if self.apply(cmd) {
                    self.sel.clear();
                    self.sel.tables.extend(ids);
                    self.status = format!("Pasted {} table(s)", self.sel.tables.len());
                }
            }
            Err(e) => self.status = e,
        }
    }

    // ----- ui -----
}
