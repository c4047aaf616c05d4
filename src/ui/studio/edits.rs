//! Edits built from gestures: new tables and columns, links from drags, deletes, layout,
//! paste.

use super::*;

impl Studio {
    pub fn new_table_at(&mut self, at: Pos2) {
        let p = self.doc.project();
        let existing: BTreeSet<String> = p.tables().map(|t| t.name.clone()).collect();
        let name = (1..)
            .map(|i| format!("table_{i}"))
            .find(|n| !existing.contains(n))
            .expect("some name is free");
        let id = TableId(p.alloc_id());
        let mut t = Table::new(id, name);
        let col = Column {
            nullable: false,
            identity: Some(Identity::ByDefault),
            ..Column::new(ColumnId(p.alloc_id()), "id", LogicalType::BigInt)
        };
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec![col.id],
        });
        t.columns.push(col);
        t.position = Position {
            x: at.x.round(),
            y: at.y.round(),
        };
        if self.apply(Command::AddTable(Box::new(t))) {
            self.sel.clear();
            self.sel.tables.insert(id);
            self.canvas.start_rename(&self.doc, id);
        }
    }

    pub fn add_column(&mut self, t: TableId) {
        let Some(table) = self.doc.project().table(t) else {
            return;
        };
        let existing: BTreeSet<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        let name = (1..)
            .map(|i| format!("column_{i}"))
            .find(|n| !existing.contains(n.as_str()))
            .expect("some name is free");
        let index = table.columns.len();
        let id = ColumnId(self.doc.project().alloc_id());
        let col = Column::new(id, name, LogicalType::Varchar(Some(255)));
        if self.apply(Command::AddColumn {
            table: t,
            index,
            column: Box::new(col),
        }) {
            self.sel.select_column(t, id);
            self.inspector.focus_column = Some(id);
        }
    }

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

    /// Create a foreign key from a dragged column to another table's key.
    pub(super) fn link(
        &mut self,
        from: TableId,
        column: ColumnId,
        to: TableId,
        to_column: Option<ColumnId>,
    ) {
        let p = &self.doc.project();
        let (Some(child), Some(parent)) = (p.table(from), p.table(to)) else {
            return;
        };
        // From a table's own single-column primary key onto another table's header: the other
        // table gets a new column referencing this key.
        if to_column.is_none()
            && from != to
            && child
                .primary_key
                .as_ref()
                .is_some_and(|k| k.columns == [column])
            && let Some(key) = child.column(column)
        {
            let name = format!(
                "{}_{}",
                crate::model::clipboard::singular(&child.name),
                key.name
            );
            if parent.column_by_name(&name).is_none() {
                let mut col = Column::new(ColumnId(0), name.clone(), key.ty.clone());
                col.type_overrides = key.type_overrides.clone();
                let message = format!(
                    "Add column {}.{} ({}) referencing {} ({})?",
                    parent.name,
                    name,
                    key.ty.describe(),
                    child.name,
                    key.name
                );
                let fk = ForeignKey {
                    id: ForeignKeyId(0),
                    name: None,
                    from_table: to,
                    from_columns: Vec::new(),
                    to_table: from,
                    to_columns: vec![column],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: Deferrable::NotDeferrable,
                };
                self.confirm = Some(Confirm::CreateColumnAndLink {
                    table: to,
                    column: Box::new(col),
                    fk: Box::new(fk),
                    message,
                });
                return;
            }
        }
        // Target: the row dropped on when it is a single-column key, else the primary key.
        let key: Vec<ColumnId> = match to_column {
            Some(c)
                if parent
                    .primary_key
                    .as_ref()
                    .is_some_and(|k| k.columns == [c])
                    || parent.uniques.iter().any(|u| u.columns == [c]) =>
            {
                vec![c]
            }
            _ => parent
                .primary_key
                .as_ref()
                .map(|k| k.columns.clone())
                .unwrap_or_default(),
        };
        if key.len() != 1 {
            self.status = format!(
                "{} needs a single-column primary key (or drop on a unique column) to link to",
                parent.qualified_name()
            );
            return;
        }
        let (Some(src), Some(dst)) = (child.column(column), parent.column(key[0])) else {
            return;
        };
        let fk = ForeignKey {
            id: ForeignKeyId(0),
            name: None,
            from_table: from,
            from_columns: vec![column],
            to_table: to,
            to_columns: key.clone(),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        };
        if src.ty != dst.ty {
            let mut retyped = src.clone();
            retyped.ty = dst.ty.clone();
            retyped.identity = None;
            self.confirm = Some(Confirm::RetypeAndLink {
                message: format!(
                    "{}.{} is {} but {}.{} is {}. Change {} to {} and create the foreign key?",
                    child.name,
                    src.name,
                    src.ty.describe(),
                    parent.name,
                    dst.name,
                    dst.ty.describe(),
                    src.name,
                    dst.ty.describe()
                ),
                fk: Box::new(fk),
                column: Box::new(retyped),
            });
            return;
        }
        self.create_fk(fk, None);
    }

    pub(super) fn create_fk(&mut self, mut fk: ForeignKey, retype: Option<Column>) {
        fk.id = ForeignKeyId(self.doc.project().alloc_id());
        let mut cmds = Vec::new();
        if let Some(c) = retype {
            cmds.push(Command::UpdateColumn {
                table: fk.from_table,
                column: Box::new(c),
            });
        }
        cmds.push(Command::AddForeignKey(Box::new(fk)));
        if self.apply(Command::Batch(cmds)) {
            self.status = "Foreign key created".into();
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
