//! A terse way to build projects in code (examples, tests, benchmarks). Every step is applied
//! through [`Command`]s, so a built project is exactly what the same edits in the studio give.
//!
//! Builder methods panic on misuse (unknown column names): they are for code written by
//! developers, not for user input.

use super::command::Command;
use super::ids::*;
use super::project::Project;
use super::table::*;
use super::types::LogicalType;

pub struct ProjectBuilder {
    project: Project,
}

impl ProjectBuilder {
    pub fn new(name: &str) -> Self {
        ProjectBuilder {
            project: Project::new(name),
        }
    }

    pub fn from_project(project: Project) -> Self {
        ProjectBuilder { project }
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn apply(&mut self, cmd: Command) {
        let label = cmd.label();
        if let Err(e) = cmd.apply(&mut self.project) {
            panic!("builder command `{label}` failed: {e}");
        }
    }

    pub fn settings(&mut self, f: impl FnOnce(&mut super::Settings)) {
        let mut s = self.project.settings.clone();
        f(&mut s);
        self.apply(Command::SetSettings(Box::new(s)));
    }

    /// Add an enum type.
    pub fn enum_type(&mut self, name: &str, values: &[&str]) -> EnumId {
        let id = EnumId(self.project.alloc_id());
        self.apply(Command::PutEnum(EnumType {
            id,
            schema: None,
            name: name.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            comment: None,
        }));
        id
    }

    /// Add a table configured by `f`.
    pub fn table(&mut self, name: &str, f: impl FnOnce(&mut TableBuilder)) -> TableId {
        let id = TableId(self.project.alloc_id());
        let n = self.project.table_count() as f32;
        let mut tb = TableBuilder {
            project: &mut self.project,
            table: Table::new(id, name),
            last: None,
        };
        tb.table.position = Position {
            x: (n % 6.0) * 320.0,
            y: (n / 6.0).floor() * 280.0,
        };
        f(&mut tb);
        let table = tb.table;
        self.apply(Command::AddTable(Box::new(table)));
        id
    }

    fn col_ids(&self, table: TableId, names: &[&str]) -> Vec<ColumnId> {
        let t = self.project.table(table).expect("table exists");
        names
            .iter()
            .map(|n| {
                t.column_by_name(n)
                    .unwrap_or_else(|| panic!("no column `{n}` in `{}`", t.name))
                    .id
            })
            .collect()
    }

    /// Add a foreign key `from(cols) -> to(to_cols)`; `f` may set actions and the name.
    pub fn fk_with(
        &mut self,
        from: TableId,
        cols: &[&str],
        to: TableId,
        to_cols: &[&str],
        f: impl FnOnce(&mut ForeignKey),
    ) -> ForeignKeyId {
        let id = ForeignKeyId(self.project.alloc_id());
        let mut fk = ForeignKey {
            id,
            name: None,
            from_table: from,
            from_columns: self.col_ids(from, cols),
            to_table: to,
            to_columns: self.col_ids(to, to_cols),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        };
        f(&mut fk);
        self.apply(Command::AddForeignKey(Box::new(fk)));
        id
    }

    pub fn fk(
        &mut self,
        from: TableId,
        cols: &[&str],
        to: TableId,
        to_cols: &[&str],
    ) -> ForeignKeyId {
        self.fk_with(from, cols, to, to_cols, |_| {})
    }

    /// Add a view over `depends_on`.
    pub fn view(&mut self, name: &str, sql: &str, depends_on: &[TableId]) -> ViewId {
        let id = ViewId(self.project.alloc_id());
        self.apply(Command::PutView(View {
            id,
            schema: None,
            name: name.into(),
            sql: sql.into(),
            materialized: false,
            depends_on: depends_on.to_vec(),
            comment: None,
        }));
        id
    }

    pub fn note(&mut self, text: &str, x: f32, y: f32) -> NoteId {
        let id = NoteId(self.project.alloc_id());
        self.apply(Command::PutNote(Note {
            id,
            text: text.into(),
            position: Position { x, y },
        }));
        id
    }

    pub fn area(&mut self, name: &str, color: [u8; 3], pos: [f32; 2], size: [f32; 2]) -> AreaId {
        let id = AreaId(self.project.alloc_id());
        self.apply(Command::PutArea(Area {
            id,
            name: name.into(),
            color,
            position: Position {
                x: pos[0],
                y: pos[1],
            },
            size,
        }));
        id
    }

    pub fn build(self) -> Project {
        self.project
    }
}

pub struct TableBuilder<'a> {
    project: &'a mut Project,
    table: Table,
    last: Option<usize>,
}

impl TableBuilder<'_> {
    fn last(&mut self) -> &mut Column {
        let i = self.last.expect("call col() first");
        &mut self.table.columns[i]
    }

    fn ids(&self, names: &[&str]) -> Vec<ColumnId> {
        names
            .iter()
            .map(|n| {
                self.table
                    .column_by_name(n)
                    .unwrap_or_else(|| panic!("no column `{n}` in `{}`", self.table.name))
                    .id
            })
            .collect()
    }

    pub fn schema(&mut self, s: &str) -> &mut Self {
        self.table.schema = Some(s.into());
        self
    }
    pub fn comment(&mut self, c: &str) -> &mut Self {
        match self.last {
            Some(_) => self.last().comment = Some(c.into()),
            None => self.table.comment = Some(c.into()),
        }
        self
    }
    pub fn table_comment(&mut self, c: &str) -> &mut Self {
        self.table.comment = Some(c.into());
        self
    }
    pub fn at(&mut self, x: f32, y: f32) -> &mut Self {
        self.table.position = Position { x, y };
        self
    }

    /// Add a nullable column; following modifiers apply to it.
    pub fn col(&mut self, name: &str, ty: LogicalType) -> &mut Self {
        let id = ColumnId(self.project.alloc_id());
        self.table.columns.push(Column::new(id, name, ty));
        self.last = Some(self.table.columns.len() - 1);
        self
    }
    pub fn not_null(&mut self) -> &mut Self {
        self.last().nullable = false;
        self
    }
    /// Make the last column (part of) the primary key; implies NOT NULL.
    pub fn pk(&mut self) -> &mut Self {
        self.last().nullable = false;
        let id = self.last().id;
        self.table
            .primary_key
            .get_or_insert_with(|| PrimaryKey {
                name: None,
                columns: Vec::new(),
            })
            .columns
            .push(id);
        self
    }
    pub fn identity(&mut self) -> &mut Self {
        self.last().identity = Some(Identity::ByDefault);
        self.last().nullable = false;
        self
    }
    pub fn default(&mut self, expr: &str) -> &mut Self {
        self.last().default = Some(expr.into());
        self
    }
    pub fn generated(&mut self, expr: &str, stored: bool) -> &mut Self {
        self.last().generated = Some(Generated {
            expr: expr.into(),
            stored,
        });
        self
    }
    pub fn tag(&mut self, tag: &str) -> &mut Self {
        self.last().tags.insert(tag.into());
        self
    }
    pub fn override_type(&mut self, d: super::Dialect, ty: &str) -> &mut Self {
        self.last().type_overrides.insert(d, ty.into());
        self
    }
    /// A single-column unique constraint on the last column.
    pub fn unique(&mut self) -> &mut Self {
        let id = self.last().id;
        let cid = ConstraintId(self.project.alloc_id());
        self.table.uniques.push(UniqueConstraint {
            id: cid,
            name: None,
            columns: vec![id],
        });
        self
    }
    pub fn primary_key(&mut self, cols: &[&str]) -> &mut Self {
        let columns = self.ids(cols);
        for c in &columns {
            if let Some(col) = self.table.column_mut(*c) {
                col.nullable = false;
            }
        }
        self.table.primary_key = Some(PrimaryKey {
            name: None,
            columns,
        });
        self
    }
    pub fn unique_on(&mut self, name: Option<&str>, cols: &[&str]) -> &mut Self {
        let columns = self.ids(cols);
        let id = ConstraintId(self.project.alloc_id());
        self.table.uniques.push(UniqueConstraint {
            id,
            name: name.map(Into::into),
            columns,
        });
        self
    }
    pub fn check(&mut self, name: Option<&str>, expr: &str) -> &mut Self {
        let id = ConstraintId(self.project.alloc_id());
        self.table.checks.push(CheckConstraint {
            id,
            name: name.map(Into::into),
            expr: expr.into(),
        });
        self
    }
    /// A plain index on columns; a column name ending in ` DESC` sorts descending.
    pub fn index(&mut self, name: &str, cols: &[&str]) -> &mut Self {
        self.index_with(name, cols, |_| {})
    }
    pub fn unique_index(&mut self, name: &str, cols: &[&str]) -> &mut Self {
        self.index_with(name, cols, |i| i.unique = true)
    }
    /// An index on columns (optionally ` DESC`), then adjusted by `f` (WHERE, INCLUDE, method...).
    pub fn index_with(
        &mut self,
        name: &str,
        cols: &[&str],
        f: impl FnOnce(&mut Index),
    ) -> &mut Self {
        let parts = cols
            .iter()
            .map(|c| {
                let (n, order) = match c.strip_suffix(" DESC") {
                    Some(n) => (n, Some(SortOrder::Desc)),
                    None => (*c, None),
                };
                IndexPart {
                    target: IndexTarget::Column(self.ids(&[n])[0]),
                    order,
                    prefix: None,
                    opclass: None,
                }
            })
            .collect();
        let id = IndexId(self.project.alloc_id());
        let mut ix = Index {
            id,
            name: name.into(),
            unique: false,
            parts,
            where_clause: None,
            include: Vec::new(),
            method: None,
        };
        f(&mut ix);
        self.table.indexes.push(ix);
        self
    }
    /// An index on a single expression.
    pub fn expr_index(&mut self, name: &str, expr: &str, unique: bool) -> &mut Self {
        let id = IndexId(self.project.alloc_id());
        self.table.indexes.push(Index {
            id,
            name: name.into(),
            unique,
            parts: vec![IndexPart {
                target: IndexTarget::Expr(expr.into()),
                order: None,
                prefix: None,
                opclass: None,
            }],
            where_clause: None,
            include: Vec::new(),
            method: None,
        });
        self
    }
    /// Column ids by name, for use inside `index_with` closures (e.g. INCLUDE lists).
    pub fn column_ids(&self, cols: &[&str]) -> Vec<ColumnId> {
        self.ids(cols)
    }
}
