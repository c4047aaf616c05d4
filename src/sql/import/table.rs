//! Tables, columns, constraints, indexes and ALTER TABLE.

use super::*;

impl Importer {
    /// A foreign key of table `ti` over `columns`, resolved once every table is read; `name`
    /// (a column option's `CONSTRAINT name`) before the constraint's own.
    pub(super) fn push_fk(
        &mut self,
        ti: usize,
        name: Option<String>,
        columns: Vec<String>,
        fk: &ast::ForeignKeyConstraint,
    ) {
        let (ref_schema, ref_table) = self.qualified(&fk.foreign_table);
        self.fks.push(PendingFk {
            table: ti,
            name: name.or_else(|| fk.name.as_ref().map(|i| self.ident(i))),
            columns,
            ref_schema,
            ref_table,
            ref_columns: fk.referred_columns.iter().map(|i| self.ident(i)).collect(),
            on_delete: action(&fk.on_delete),
            on_update: action(&fk.on_update),
            deferrable: deferrable(&fk.characteristics),
            at: self.at.clone(),
        });
    }

    pub(super) fn column_type(
        &mut self,
        table: &str,
        column: &str,
        dt: &DataType,
    ) -> (LogicalType, Option<String>, bool) {
        if let DataType::Enum(members, _) = dt {
            let values = members
                .iter()
                .map(|m| match m {
                    ast::EnumMember::Name(s) => s.clone(),
                    ast::EnumMember::NamedValue(s, _) => s.clone(),
                })
                .collect();
            let id = self.id();
            let base = format!("{table}_{column}");
            let mut name = base.clone();
            let mut n = 2;
            while self.find_enum(&name).is_some() {
                name = format!("{base}_{n}");
                n += 1;
            }
            self.push_enum(EnumType {
                id: crate::model::EnumId(id),
                schema: None,
                name,
                values,
                comment: None,
            });
            return (LogicalType::Enum(crate::model::EnumId(id)), None, false);
        }
        if let DataType::Custom(name, args) = dt
            && args.is_empty()
        {
            let (_, n) = self.qualified(name);
            if let Some(i) = self.find_enum(&n) {
                return (LogicalType::Enum(self.enums[i].id), None, false);
            }
            if let Some(t) = self.domains.get(&n) {
                return (t.clone(), None, false);
            }
        }
        let m = types::map_type(&dt.to_string(), self.dialect);
        (m.ty, m.override_text, m.serial)
    }

    pub(super) fn expr_text(&self, e: &Expr) -> String {
        e.to_string()
    }

    /// A column definition; constraints found inline are added to `table` / pending FKs.
    pub(super) fn column(&mut self, ti: usize, def: &ast::ColumnDef) -> Column {
        let tname = self.tables[ti].name.clone();
        let name = self.ident(&def.name);
        let (ty, over, serial) = self.column_type(&tname, &name, &def.data_type);
        let mut c = Column::new(crate::model::ColumnId(self.id()), name.clone(), ty);
        if let Some(o) = over {
            c.type_overrides.insert(self.dialect, o);
        }
        if serial {
            c.identity = Some(Identity::ByDefault);
            c.nullable = false;
        }
        // AUTO_INCREMENT / AUTOINCREMENT come as dialect-specific tokens.
        for o in &def.options {
            self.column_option(ti, &mut c, o.name.as_ref(), &o.option);
        }
        c
    }

    pub(super) fn column_option(
        &mut self,
        ti: usize,
        c: &mut Column,
        cname: Option<&Ident>,
        o: &ColumnOption,
    ) {
        let cons_name = cname.map(|i| self.ident(i));
        match o {
            ColumnOption::Null => c.nullable = true,
            ColumnOption::NotNull => c.nullable = false,
            ColumnOption::Default(e) => match self.read_default(default_text(e)) {
                ReadDefault::Sequence(d) => c.default = Some(d),
                ReadDefault::Identity => c.identity = Some(Identity::ByDefault),
                ReadDefault::Value(d) if !d.eq_ignore_ascii_case("null") => c.default = Some(d),
                ReadDefault::Value(_) => {}
            },
            ColumnOption::PrimaryKey(_) => {
                c.nullable = false;
                self.tables[ti].primary_key = Some(PrimaryKey {
                    name: cons_name,
                    columns: vec![c.id],
                });
            }
            ColumnOption::Unique(_) => {
                let id = self.id();
                self.tables[ti].uniques.push(UniqueConstraint {
                    id: crate::model::ConstraintId(id),
                    name: cons_name,
                    columns: vec![c.id],
                });
            }
            ColumnOption::ForeignKey(fk) => {
                self.push_fk(ti, cons_name, vec![c.name.clone()], fk);
            }
            ColumnOption::Check(ch) => {
                let id = self.id();
                let name = cons_name.or_else(|| ch.name.as_ref().map(|i| self.ident(i)));
                let expr = self.expr_text(&ch.expr);
                self.tables[ti].checks.push(CheckConstraint {
                    id: crate::model::ConstraintId(id),
                    name,
                    expr,
                });
            }
            ColumnOption::DialectSpecific(tokens) => {
                let t = tokens
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" ");
                let up = t.to_ascii_uppercase();
                if up == "AUTO_INCREMENT" || up == "AUTOINCREMENT" {
                    c.identity = Some(Identity::ByDefault);
                } else {
                    self.partial(format!("column `{}`: `{t}` dropped", c.name));
                }
            }
            ColumnOption::Identity(_) => {
                c.identity = Some(Identity::ByDefault);
            }
            ColumnOption::Comment(s) => c.comment = Some(s.clone()),
            ColumnOption::Generated {
                generated_as,
                generation_expr,
                generation_expr_mode,
                ..
            } => match generation_expr {
                Some(e) => {
                    c.generated = Some(Generated {
                        expr: self.expr_text(e),
                        // Without STORED/VIRTUAL: PostgreSQL (before 18) stores, the
                        // others compute on read.
                        stored: match generation_expr_mode {
                            Some(GeneratedExpressionMode::Virtual) => false,
                            Some(GeneratedExpressionMode::Stored) => true,
                            None => self.rules.generated_stored_by_default(),
                        },
                    })
                }
                None => {
                    c.identity = Some(match generated_as {
                        GeneratedAs::Always => Identity::Always,
                        _ => Identity::ByDefault,
                    })
                }
            },
            ColumnOption::CharacterSet(_) | ColumnOption::Collation(_) => {
                self.partial(format!("column `{}`: `{o}` dropped", c.name));
            }
            ColumnOption::OnUpdate(e) => c.on_update = Some(on_update_text(e)),
            ColumnOption::Invisible if self.rules.invisible_columns() => {
                // Perhaps the column of an expression index (see `hidden_index_columns`).
                self.invisible
                    .push((self.tables[ti].id, c.id, self.at.clone()));
            }
            ColumnOption::Srid(_) | ColumnOption::Invisible => {
                self.partial(format!("column `{}`: `{o}` dropped", c.name));
            }
            other => self.partial(format!("column `{}`: `{other}` dropped", c.name)),
        }
    }

    // -- tables ----------------------------------------------------------------------------

    /// A table created from a query (`CREATE TABLE t AS …`, `SELECT … INTO t`): its columns
    /// are the query's, so it is kept as a materialized view of that query (as Crowfoot
    /// writes one on engines without them), with a note.
    pub(super) fn table_from_query(&mut self, schema: Option<String>, name: String, sql: String) {
        if self.find_table(&schema, &name).is_some() || self.view_by_name.contains_key(&name) {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                format!("`{name}` is defined twice; the first definition is kept"),
            );
            return;
        }
        self.note(
            Severity::Info,
            NoteKind::Partial,
            format!(
                "table `{name}` is filled by a query: kept as a materialized view of it (a table \
                 on engines without materialized views)"
            ),
        );
        self.push_view(PendingView {
            schema,
            name,
            sql,
            materialized: true,
            comment: None,
        });
    }

    pub(super) fn create_table(&mut self, ct: ast::CreateTable) {
        let (schema, name) = self.qualified(&ct.name);
        if let Some(existing) = self.find_table(&schema, &name)
            && self.tables[existing].name == name
        {
            if !ct.if_not_exists {
                self.note(
                    Severity::Warning,
                    NoteKind::Skipped,
                    format!("table `{name}` is defined twice; the first definition is kept"),
                );
            }
            return;
        }
        if let Some(q) = &ct.query
            && ct.columns.is_empty()
            && ct.like.is_none()
            && ct.clone.is_none()
        {
            self.table_from_query(schema, name, q.to_string());
            return;
        }
        if ct.query.is_some() || ct.like.is_some() || ct.clone.is_some() {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                "CREATE TABLE ... AS / LIKE is not modelled",
            );
            return;
        }
        let parent = match &ct.partition_of {
            Some(of) => {
                let (ps, pn) = self.qualified(of);
                match self.find_table(&ps, &pn) {
                    Some(pi) => Some(pi),
                    None => {
                        self.note(
                            Severity::Warning,
                            NoteKind::Skipped,
                            format!("table `{name}`: partition of unknown table `{pn}`"),
                        );
                        return;
                    }
                }
            }
            None => None,
        };
        let id = self.id();
        let mut t = Table::new(crate::model::TableId(id), name.clone());
        t.schema = schema.clone();
        let ti = self.push_table(t);
        if let Some(pi) = parent {
            self.partition_of_parent(ti, pi, &ct);
        }
        for def in &ct.columns {
            let c = self.column(ti, def);
            if Self::column_by_name(&self.tables[ti], &c.name)
                .is_some_and(|i| self.tables[ti].columns[i].name == c.name)
            {
                self.partial(format!("column `{}` defined twice; second dropped", c.name));
                continue;
            }
            self.tables[ti].columns.push(c);
        }
        for tc in ct.constraints {
            self.table_constraint(ti, tc, false);
        }
        if let Some(c) = &ct.comment {
            self.tables[ti].comment = Some(comment_text(c));
        }
        let opts = match &ct.table_options {
            CreateTableOptions::Plain(o)
            | CreateTableOptions::With(o)
            | CreateTableOptions::Options(o) => o.clone(),
            _ => Vec::new(),
        };
        let mut dropped = Vec::new();
        for o in opts {
            match o {
                SqlOption::Comment(c) => self.tables[ti].comment = Some(comment_text(&c)),
                other => dropped.push(other.to_string()),
            }
        }
        if let Some(parents) = &ct.inherits {
            // PostgreSQL copies the parents' columns in front of the child's own.
            let mut inherited: Vec<Column> = Vec::new();
            for parent in parents {
                let (ps, pn) = self.qualified(parent);
                if let Some(pi) = self.find_table(&ps, &pn) {
                    for c in self.tables[pi].columns.clone() {
                        if Self::column_by_name(&self.tables[ti], &c.name).is_none()
                            && !inherited.iter().any(|x| x.name == c.name)
                        {
                            inherited.push(c);
                        }
                    }
                }
            }
            for c in &mut inherited {
                c.id = crate::model::ColumnId(self.id());
                c.identity = None;
            }
            let own = std::mem::take(&mut self.tables[ti].columns);
            self.tables[ti].columns = inherited.into_iter().chain(own).collect();
            self.partial(format!(
                "table `{name}`: INHERITS not modelled (inherited columns copied)"
            ));
        }

        if let Some(by) = &ct.partition_by {
            if self.rules.partitions() {
                self.tables[ti].partition_by = Some(by.to_string());
            } else {
                self.partial(format!("table `{name}`: PARTITION BY dropped"));
            }
        }
        if !ct.sqlite_table_options.options.is_empty() {
            dropped.push(format!("{:?}", ct.sqlite_table_options.options));
        }
        if !dropped.is_empty() {
            self.note(
                Severity::Info,
                NoteKind::Partial,
                format!(
                    "table `{name}`: options not modelled: {}",
                    dropped.join(", ")
                ),
            );
        }
        self.check_identity_pk(ti);
    }

    /// `CREATE TABLE child PARTITION OF parent [(constraints)] FOR VALUES ...`: the child has
    /// the parent's columns and CHECK constraints (PostgreSQL gives them to it), named as
    /// PostgreSQL names them so that the export can attach it again.
    pub(super) fn partition_of_parent(&mut self, ti: usize, pi: usize, ct: &ast::CreateTable) {
        let parent = self.tables[pi].clone();
        for c in &parent.columns {
            let mut c = c.clone();
            c.id = crate::model::ColumnId(self.id());
            self.tables[ti].columns.push(c);
        }
        for ck in &parent.checks {
            let name = ck
                .name
                .clone()
                .unwrap_or_else(|| postgres_check_name(&parent, &ck.expr));
            let id = crate::model::ConstraintId(self.id());
            self.tables[ti].checks.push(CheckConstraint {
                id,
                name: Some(name),
                expr: ck.expr.clone(),
            });
        }
        let bound = match &ct.for_values {
            Some(v) => v.to_string(),
            None => "DEFAULT".to_string(),
        };
        self.tables[ti].partition_of = Some(PartitionOf {
            parent: parent.id,
            bound,
        });
    }

    /// An invisible virtual generated column that only indexes use is how MariaDB (and
    /// Crowfoot's MySQL export) indexes an expression: its key parts become the expression and
    /// the column goes. Other invisible columns are kept, visible (a partial note).
    pub(super) fn hidden_index_columns(&mut self, tables: &mut [Table]) {
        let invisible = std::mem::take(&mut self.invisible);
        if invisible.is_empty() {
            return;
        }
        let position: HashMap<crate::model::TableId, usize> =
            tables.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        // Foreign keys by declaring table and by (ASCII-lower-cased) referenced table.
        let mut fks_from: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut fks_to: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, fk) in self.fks.iter().enumerate() {
            fks_from.entry(fk.table).or_default().push(i);
            fks_to
                .entry(fk.ref_table.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        for (tid, cid, at) in invisible {
            let Some(&ti) = position.get(&tid) else {
                continue;
            };
            let t = &mut tables[ti];
            let Some(c) = t.column(cid).cloned() else {
                continue;
            };
            // A dump writes the unique index over the column as a UNIQUE KEY: an index again.
            if c.generated.as_ref().is_some_and(|g| !g.stored) {
                let (keys, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut t.uniques)
                    .into_iter()
                    .partition(|u| u.columns.contains(&cid));
                t.uniques = rest;
                for u in keys {
                    let name = u.name.clone().unwrap_or_else(|| c.name.clone());
                    t.indexes.push(Index {
                        id: crate::model::IndexId(u.id.0),
                        name,
                        unique: true,
                        parts: u.columns.iter().map(|x| IndexPart::column(*x)).collect(),
                        where_clause: None,
                        include: Vec::new(),
                        method: None,
                    });
                }
            }
            let in_index = t.indexes.iter().any(|ix| {
                ix.parts
                    .iter()
                    .any(|p| p.target == IndexTarget::Column(cid))
            });
            let elsewhere = t.is_pk_column(cid)
                || t.uniques.iter().any(|u| u.columns.contains(&cid))
                || t.indexes.iter().any(|ix| ix.include.contains(&cid))
                || {
                    let named = |v: &[String]| v.iter().any(|n| n.eq_ignore_ascii_case(&c.name));
                    let from = fks_from.get(&ti).into_iter().flatten();
                    let to = fks_to
                        .get(&t.name.to_ascii_lowercase())
                        .into_iter()
                        .flatten();
                    from.map(|&i| &self.fks[i]).any(|fk| named(&fk.columns))
                        || to.map(|&i| &self.fks[i]).any(|fk| named(&fk.ref_columns))
                };
            match &c.generated {
                Some(g) if !g.stored && in_index && !elsewhere => {
                    for ix in &mut t.indexes {
                        for p in &mut ix.parts {
                            if p.target == IndexTarget::Column(cid) {
                                p.target = IndexTarget::Expr(g.expr.clone());
                            }
                        }
                    }
                    t.columns.retain(|x| x.id != cid);
                }
                _ => {
                    self.at = at;
                    self.partial(format!("column `{}`: `INVISIBLE` dropped", c.name));
                }
            }
        }
    }

    /// SQLite `INTEGER PRIMARY KEY AUTOINCREMENT` and MySQL keys must line up with identity.
    pub(super) fn check_identity_pk(&mut self, _ti: usize) {}

    pub(super) fn resolve_cols(
        &mut self,
        ti: usize,
        names: &[String],
        what: &str,
    ) -> Option<Vec<crate::model::ColumnId>> {
        let mut out = Vec::new();
        for n in names {
            match Self::column_by_name(&self.tables[ti], n) {
                Some(i) => out.push(self.tables[ti].columns[i].id),
                None => {
                    let tn = self.tables[ti].name.clone();
                    self.note(
                        Severity::Warning,
                        NoteKind::Partial,
                        format!("{what} on `{tn}` dropped: no column `{n}`"),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// An index declared inside CREATE TABLE (MySQL KEY / UNIQUE KEY / FULLTEXT / SPATIAL).
    pub(super) fn push_inline_index(
        &mut self,
        ti: usize,
        columns: &[IndexColumn],
        what: &str,
        name: Option<String>,
        unique: bool,
        method: Option<IndexMethod>,
    ) {
        let Some(parts) = self.index_parts(ti, columns, what) else {
            return;
        };
        let name = self.index_name(ti, name, &parts);
        let id = self.id();
        self.tables[ti].indexes.push(Index {
            id: crate::model::IndexId(id),
            name,
            unique,
            parts,
            where_clause: None,
            include: Vec::new(),
            method,
        });
    }

    pub(super) fn index_parts(
        &mut self,
        ti: usize,
        cols: &[IndexColumn],
        what: &str,
    ) -> Option<Vec<IndexPart>> {
        let mut parts = Vec::new();
        for ic in cols {
            let order = match ic.column.options.sort {
                Some(ast::OrderBySort::Desc) => Some(SortOrder::Desc),
                Some(ast::OrderBySort::Asc) => Some(SortOrder::Asc),
                _ => None,
            };
            let mut opclass = ic.operator_class.as_ref().map(|oc| oc.to_string());
            let mut prefix = None;
            let target = match &ic.column.expr {
                Expr::Identifier(i) => {
                    let n = self.ident(i);
                    let id = self.resolve_cols(ti, &[n], what)?;
                    IndexTarget::Column(id[0])
                }
                e if self.prefix_column(ti, e).is_some() => {
                    let (id, n) = self.prefix_column(ti, e).expect("checked");
                    prefix = Some(n);
                    IndexTarget::Column(id)
                }
                e => {
                    // `((a + b))`: the parentheses the index syntax needs are not part of it.
                    let s = unnested(e).to_string();
                    if !self.rules.operator_classes() && opclass.is_some() {
                        opclass = None;
                    }
                    IndexTarget::Expr(s)
                }
            };
            parts.push(IndexPart {
                target,
                order,
                prefix,
                opclass,
            });
        }
        (!parts.is_empty()).then_some(parts)
    }

    /// MySQL `KEY (col(191))`: a prefix of a column (`col` is a column of the table, the
    /// argument a number).
    pub(super) fn prefix_column(
        &self,
        ti: usize,
        e: &Expr,
    ) -> Option<(crate::model::ColumnId, u32)> {
        if !self.rules.invisible_columns() {
            return None;
        }
        let s = e.to_string();
        let (name, rest) = s.split_once('(')?;
        let n: u32 = rest.strip_suffix(')')?.trim().parse().ok()?;
        let name = name.trim().trim_matches('`');
        let t = &self.tables[ti];
        let c = &t.columns[Self::column_by_name(t, name)?];
        Some((c.id, n))
    }

    pub(super) fn index_name(
        &self,
        ti: usize,
        name: Option<String>,
        parts: &[IndexPart],
    ) -> String {
        let t = &self.tables[ti];
        let base = name.unwrap_or_else(|| {
            let first = parts
                .first()
                .map(|p| match &p.target {
                    IndexTarget::Column(c) => t.column_name(*c),
                    IndexTarget::Expr(_) => "expr".into(),
                })
                .unwrap_or_default();
            self.rules.default_index_name(&t.name, &first)
        });
        let taken = |n: &str| t.indexes.iter().any(|i| i.name == n);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}_{i}"))
            .find(|n| !taken(n))
            .expect("some suffix is free")
    }

    pub(super) fn table_constraint(&mut self, ti: usize, tc: TableConstraint, _alter: bool) {
        match tc {
            TableConstraint::PrimaryKey(pk) => {
                // MySQL `PRIMARY KEY (a, b(187))`: the model's key holds whole columns.
                let mut names = Vec::new();
                let mut prefixed = Vec::new();
                for c in &pk.columns {
                    names.push(match &c.column.expr {
                        Expr::Identifier(i) => self.ident(i),
                        e => match self.prefix_column(ti, e) {
                            Some((id, n)) => {
                                let name = self.tables[ti].column_name(id);
                                prefixed.push(format!("`{name}({n})`"));
                                name
                            }
                            None => e.to_string(),
                        },
                    });
                }
                if !prefixed.is_empty() {
                    let tn = self.tables[ti].name.clone();
                    self.partial(format!(
                        "primary key on `{tn}`: prefix {} kept as the whole column (a stricter key)",
                        prefixed.join(", ")
                    ));
                }
                if let Some(cols) = self.resolve_cols(ti, &names, "primary key") {
                    for c in &cols {
                        if let Some(col) = self.tables[ti].column_mut(*c) {
                            col.nullable = false;
                        }
                    }
                    let name = pk.name.as_ref().map(|i| self.ident(i));
                    self.tables[ti].primary_key = Some(PrimaryKey {
                        name,
                        columns: cols,
                    });
                }
            }
            TableConstraint::Unique(u) => {
                let name = u
                    .name
                    .as_ref()
                    .or(u.index_name.as_ref())
                    .map(|i| self.ident(i));
                let plain = u.columns.iter().all(|c| {
                    matches!(c.column.expr, Expr::Identifier(_)) && c.column.options.sort.is_none()
                });
                if plain {
                    let names: Vec<String> = u
                        .columns
                        .iter()
                        .map(|c| match &c.column.expr {
                            Expr::Identifier(i) => self.ident(i),
                            _ => unreachable!("checked plain"),
                        })
                        .collect();
                    if let Some(cols) = self.resolve_cols(ti, &names, "unique constraint") {
                        let distinct: std::collections::BTreeSet<_> = cols.iter().collect();
                        if distinct.len() == cols.len() {
                            let id = self.id();
                            self.tables[ti].uniques.push(UniqueConstraint {
                                id: crate::model::ConstraintId(id),
                                name,
                                columns: cols,
                            });
                        }
                    }
                } else {
                    let m = u.index_type.as_ref().and_then(method);
                    self.push_inline_index(ti, &u.columns, "unique key", name, true, m);
                }
            }
            TableConstraint::ForeignKey(fk) => {
                let columns = fk.columns.iter().map(|i| self.ident(i)).collect();
                self.push_fk(ti, None, columns, &fk);
            }
            TableConstraint::Check(ch) => {
                let id = self.id();
                let name = ch.name.as_ref().map(|i| self.ident(i));
                let expr = self.expr_text(&ch.expr);
                self.tables[ti].checks.push(CheckConstraint {
                    id: crate::model::ConstraintId(id),
                    name,
                    expr,
                });
            }
            TableConstraint::Index(ix) => {
                let name = ix.name.as_ref().map(|i| self.ident(i));
                let m = ix.index_type.as_ref().and_then(method);
                self.push_inline_index(ti, &ix.columns, "index", name, false, m);
            }
            TableConstraint::FulltextOrSpatial(f) => {
                let name = f.opt_index_name.as_ref().map(|i| self.ident(i));
                let m = Some(if f.fulltext {
                    IndexMethod::FullText
                } else {
                    IndexMethod::Spatial
                });
                self.push_inline_index(ti, &f.columns, "index", name, false, m);
            }
            other => self.partial(format!("constraint `{other}` not modelled")),
        }
    }

    pub(super) fn create_index(&mut self, ci: ast::CreateIndex) {
        let (schema, tname) = self.qualified(&ci.table_name);
        let Some(ti) = self.find_table(&schema, &tname) else {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                format!("index on unknown table `{tname}`"),
            );
            return;
        };
        let Some(parts) = self.index_parts(ti, &ci.columns, "index") else {
            return;
        };
        let name = ci.name.as_ref().and_then(|n| self.name_parts(n).pop());
        let name = self.index_name(ti, name, &parts);
        let include_names: Vec<String> = ci.include.iter().map(|i| self.ident(i)).collect();
        let include = self
            .resolve_cols(ti, &include_names, "index INCLUDE")
            .unwrap_or_default();
        let id = self.id();
        self.tables[ti].indexes.push(Index {
            id: crate::model::IndexId(id),
            name,
            unique: ci.unique,
            parts,
            where_clause: ci.predicate.as_ref().map(|e| e.to_string()),
            include,
            method: ci.using.as_ref().and_then(method),
        });
    }

    pub(super) fn alter_table(&mut self, at: ast::AlterTable) {
        let (schema, tname) = self.qualified(&at.name);
        let Some(ti) = self.find_table(&schema, &tname) else {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                format!("ALTER of unknown table `{tname}`"),
            );
            return;
        };
        for op in at.operations {
            match op {
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    self.table_constraint(ti, constraint, true)
                }
                AlterTableOperation::AddColumn { column_def, .. } => {
                    let c = self.column(ti, &column_def);
                    if Self::column_by_name(&self.tables[ti], &c.name).is_none() {
                        self.tables[ti].columns.push(c);
                    }
                }
                AlterTableOperation::AlterColumn { column_name, op } => {
                    let n = self.ident(&column_name);
                    let Some(ci) = Self::column_by_name(&self.tables[ti], &n) else {
                        self.partial(format!("ALTER COLUMN of unknown column `{n}`"));
                        continue;
                    };
                    match op {
                        AlterColumnOperation::SetNotNull => {
                            self.tables[ti].columns[ci].nullable = false
                        }
                        AlterColumnOperation::DropNotNull => {
                            self.tables[ti].columns[ci].nullable = true
                        }
                        AlterColumnOperation::SetDefault { value } => {
                            let read = self.read_default(value.to_string());
                            let col = &mut self.tables[ti].columns[ci];
                            match read {
                                ReadDefault::Sequence(d) => {
                                    col.default = Some(d);
                                    col.identity = None;
                                }
                                ReadDefault::Identity => col.identity = Some(Identity::ByDefault),
                                ReadDefault::Value(d) => col.default = Some(d),
                            }
                        }
                        AlterColumnOperation::DropDefault => {
                            self.tables[ti].columns[ci].default = None
                        }
                        AlterColumnOperation::AddGenerated { generated_as, .. } => {
                            self.tables[ti].columns[ci].identity = Some(match generated_as {
                                Some(GeneratedAs::Always) => Identity::Always,
                                _ => Identity::ByDefault,
                            })
                        }
                        other => self.partial(format!("ALTER COLUMN `{n}` {other} not modelled")),
                    }
                }
                AlterTableOperation::ModifyColumn {
                    col_name,
                    data_type,
                    options,
                    ..
                } => {
                    let n = self.ident(&col_name);
                    let Some(ci) = Self::column_by_name(&self.tables[ti], &n) else {
                        self.partial(format!("MODIFY of unknown column `{n}`"));
                        continue;
                    };
                    let def = ast::ColumnDef {
                        name: col_name.clone(),
                        data_type,
                        options: options
                            .into_iter()
                            .map(|option| ast::ColumnOptionDef { name: None, option })
                            .collect(),
                    };
                    let mut c = self.column(ti, &def);
                    c.id = self.tables[ti].columns[ci].id;
                    self.tables[ti].columns[ci] = c;
                }
                other => self.partial(format!("ALTER TABLE operation `{other}` not modelled")),
            }
        }
    }
}
