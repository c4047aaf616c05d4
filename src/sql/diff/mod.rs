//! Structural diff of two projects: tables, columns, keys, checks, indexes, foreign keys,
//! enums and views.
//!
//! Objects are matched by stable id when the two projects share ids (the same project
//! edited), else by name, with rename heuristics for what is left over: a dropped and an
//! added table with (nearly) the same columns are a rename, and so are a dropped and an added
//! column of the same type at the same position. Every rename carries a confidence (1.0 when
//! matched by id). See `docs/migrations.md`.

use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod describe;
mod matching;
mod sequences;
pub use describe::*;
use matching::*;
use sequences::*;

/// How the two projects' objects were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MatchMode {
    /// The projects share ids (one is an edited copy of the other).
    Ids,
    /// No shared ids (e.g. both imported from SQL): by name, with rename heuristics.
    Names,
}

/// A rename and how sure the diff is of it (1.0 = same stable id).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rename {
    pub from: String,
    pub to: String,
    pub confidence: f32,
    pub reason: String,
}

/// One property of a column that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnChangeKind {
    Type {
        from: String,
        to: String,
    },
    Nullable {
        from: bool,
        to: bool,
    },
    Default {
        from: Option<String>,
        to: Option<String>,
    },
    Identity {
        from: Option<Identity>,
        to: Option<Identity>,
    },
    /// MySQL's `ON UPDATE` expression.
    OnUpdate {
        from: Option<String>,
        to: Option<String>,
    },
    Generated {
        from: Option<String>,
        to: Option<String>,
    },
    Comment {
        from: Option<String>,
        to: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnChange {
    /// The column's name in NEW.
    pub column: String,
    pub old_id: ColumnId,
    pub new_id: ColumnId,
    pub changes: Vec<ColumnChangeKind>,
}

/// An object named in a diff: its id in the project it comes from and a readable name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectRef<I> {
    pub id: I,
    pub name: String,
}

/// What changed in a table present in both projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableDiff {
    pub old_id: TableId,
    pub new_id: TableId,
    /// Qualified name in NEW.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<Rename>,
    pub columns_added: Vec<ObjectRef<ColumnId>>,
    pub columns_dropped: Vec<ObjectRef<ColumnId>>,
    pub column_renames: Vec<Rename>,
    pub columns_changed: Vec<ColumnChange>,
    /// The columns kept are in another relative order, or a column is added before a kept one.
    pub column_order_changed: bool,
    pub primary_key_changed: bool,
    pub uniques_added: Vec<ObjectRef<ConstraintId>>,
    pub uniques_dropped: Vec<ObjectRef<ConstraintId>>,
    pub checks_added: Vec<ObjectRef<ConstraintId>>,
    pub checks_dropped: Vec<ObjectRef<ConstraintId>>,
    pub indexes_added: Vec<ObjectRef<IndexId>>,
    pub indexes_dropped: Vec<ObjectRef<IndexId>>,
    pub comment_changed: bool,
}

impl TableDiff {
    /// No change yet between `old_id` and `new_id` (named `name` in NEW).
    pub fn unchanged(old_id: TableId, new_id: TableId, name: String) -> Self {
        TableDiff {
            old_id,
            new_id,
            name,
            rename: None,
            columns_added: Vec::new(),
            columns_dropped: Vec::new(),
            column_renames: Vec::new(),
            columns_changed: Vec::new(),
            column_order_changed: false,
            primary_key_changed: false,
            uniques_added: Vec::new(),
            uniques_dropped: Vec::new(),
            checks_added: Vec::new(),
            checks_dropped: Vec::new(),
            indexes_added: Vec::new(),
            indexes_dropped: Vec::new(),
            comment_changed: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rename.is_none()
            && self.columns_added.is_empty()
            && self.columns_dropped.is_empty()
            && self.column_renames.is_empty()
            && self.columns_changed.is_empty()
            && !self.column_order_changed
            && !self.primary_key_changed
            && self.uniques_added.is_empty()
            && self.uniques_dropped.is_empty()
            && self.checks_added.is_empty()
            && self.checks_dropped.is_empty()
            && self.indexes_added.is_empty()
            && self.indexes_dropped.is_empty()
            && !self.comment_changed
    }

    /// Something other than indexes, comments and renames changed.
    pub fn structure_changed(&self) -> bool {
        !self.columns_added.is_empty()
            || !self.columns_dropped.is_empty()
            || !self.columns_changed.is_empty()
            || self.column_order_changed
            || self.primary_key_changed
            || !self.uniques_added.is_empty()
            || !self.uniques_dropped.is_empty()
            || !self.checks_added.is_empty()
            || !self.checks_dropped.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnumChange {
    pub name: String,
    pub old_id: EnumId,
    pub new_id: EnumId,
    pub values_from: Vec<String>,
    pub values_to: Vec<String>,
}

/// A sequence in both projects whose definition, name or owner differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SequenceChange {
    /// Qualified name in NEW.
    pub name: String,
    pub old_id: SequenceId,
    pub new_id: SequenceId,
}

/// The difference between an OLD and a NEW project.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchemaDiff {
    pub mode: MatchMode,
    pub tables_added: Vec<ObjectRef<TableId>>,
    pub tables_dropped: Vec<ObjectRef<TableId>>,
    /// Tables in both whose definition differs (renamed ones included).
    pub tables_changed: Vec<TableDiff>,
    pub foreign_keys_added: Vec<ObjectRef<ForeignKeyId>>,
    pub foreign_keys_dropped: Vec<ObjectRef<ForeignKeyId>>,
    pub enums_added: Vec<ObjectRef<EnumId>>,
    pub enums_dropped: Vec<ObjectRef<EnumId>>,
    pub enums_changed: Vec<EnumChange>,
    pub sequences_added: Vec<ObjectRef<SequenceId>>,
    pub sequences_dropped: Vec<ObjectRef<SequenceId>>,
    pub sequences_changed: Vec<SequenceChange>,
    pub views_added: Vec<ObjectRef<ViewId>>,
    pub views_dropped: Vec<ObjectRef<ViewId>>,
    /// Views in both whose query, kind or name differs (dropped and created again).
    pub views_changed: Vec<ObjectRef<ViewId>>,
    /// Extra SQL statements (functions, triggers, ...) that differ: not migrated yet.
    pub extra_sql_changed: usize,
    /// OLD table id -> NEW table id, for every table in both.
    #[serde(skip)]
    pub table_map: BTreeMap<TableId, TableId>,
    /// OLD column id -> NEW column id, for every column in both.
    #[serde(skip)]
    pub column_map: BTreeMap<ColumnId, ColumnId>,
}

impl SchemaDiff {
    pub fn is_empty(&self) -> bool {
        self.tables_added.is_empty()
            && self.tables_dropped.is_empty()
            && self.tables_changed.is_empty()
            && self.foreign_keys_added.is_empty()
            && self.foreign_keys_dropped.is_empty()
            && self.enums_added.is_empty()
            && self.enums_dropped.is_empty()
            && self.enums_changed.is_empty()
            && self.sequences_added.is_empty()
            && self.sequences_dropped.is_empty()
            && self.sequences_changed.is_empty()
            && self.views_added.is_empty()
            && self.views_dropped.is_empty()
            && self.views_changed.is_empty()
    }

    /// The change for the table whose NEW id is `new`.
    pub fn table(&self, new: TableId) -> Option<&TableDiff> {
        self.tables_changed.iter().find(|t| t.new_id == new)
    }

    /// Every rename (tables and columns), for reports.
    pub fn renames(&self) -> Vec<&Rename> {
        let mut out = Vec::new();
        for t in &self.tables_changed {
            out.extend(t.rename.iter());
            out.extend(t.column_renames.iter());
        }
        out
    }

    /// A short human summary, one line per change.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in &self.tables_added {
            out.push(format!("+ table {}", t.name));
        }
        for t in &self.tables_dropped {
            out.push(format!("- table {}", t.name));
        }
        for t in &self.tables_changed {
            if let Some(r) = &t.rename {
                out.push(format!(
                    "~ table {} renamed to {} (confidence {:.2}: {})",
                    r.from, r.to, r.confidence, r.reason
                ));
            }
            for c in &t.columns_added {
                out.push(format!("+ column {}.{}", t.name, c.name));
            }
            for c in &t.columns_dropped {
                out.push(format!("- column {}.{}", t.name, c.name));
            }
            for r in &t.column_renames {
                out.push(format!(
                    "~ column {}.{} renamed to {} (confidence {:.2}: {})",
                    t.name, r.from, r.to, r.confidence, r.reason
                ));
            }
            for c in &t.columns_changed {
                let what: Vec<&str> = c
                    .changes
                    .iter()
                    .map(|k| match k {
                        ColumnChangeKind::Type { .. } => "type",
                        ColumnChangeKind::Nullable { .. } => "nullability",
                        ColumnChangeKind::Default { .. } => "default",
                        ColumnChangeKind::Identity { .. } => "identity",
                        ColumnChangeKind::OnUpdate { .. } => "on update",
                        ColumnChangeKind::Generated { .. } => "generated",
                        ColumnChangeKind::Comment { .. } => "comment",
                    })
                    .collect();
                out.push(format!(
                    "~ column {}.{}: {}",
                    t.name,
                    c.column,
                    what.join(", ")
                ));
            }
            if t.column_order_changed {
                out.push(format!("~ table {}: column order", t.name));
            }
            if t.primary_key_changed {
                out.push(format!("~ table {}: primary key", t.name));
            }
            for (sign, list, what) in [
                ("+", &t.uniques_added, "unique"),
                ("-", &t.uniques_dropped, "unique"),
                ("+", &t.checks_added, "check"),
                ("-", &t.checks_dropped, "check"),
            ] {
                for x in list {
                    out.push(format!("{sign} {what} {}.{}", t.name, x.name));
                }
            }
            for x in &t.indexes_added {
                out.push(format!("+ index {}.{}", t.name, x.name));
            }
            for x in &t.indexes_dropped {
                out.push(format!("- index {}.{}", t.name, x.name));
            }
            if t.comment_changed {
                out.push(format!("~ table {}: comment", t.name));
            }
        }
        fn names<T>(v: &[ObjectRef<T>]) -> Vec<&str> {
            v.iter().map(|x| x.name.as_str()).collect()
        }
        let enums = self.enums_changed.iter().map(|x| x.name.as_str()).collect();
        let sequences = self.sequences_changed.iter().map(|x| x.name.as_str());
        let lines: [(&str, Vec<&str>, &str); 11] = [
            ("+ foreign key", names(&self.foreign_keys_added), ""),
            ("- foreign key", names(&self.foreign_keys_dropped), ""),
            ("+ enum", names(&self.enums_added), ""),
            ("- enum", names(&self.enums_dropped), ""),
            ("~ enum", enums, ": values"),
            ("+ sequence", names(&self.sequences_added), ""),
            ("- sequence", names(&self.sequences_dropped), ""),
            ("~ sequence", sequences.collect(), ""),
            ("+ view", names(&self.views_added), ""),
            ("- view", names(&self.views_dropped), ""),
            ("~ view", names(&self.views_changed), ""),
        ];
        for (what, names, tail) in lines {
            out.extend(names.into_iter().map(|n| format!("{what} {n}{tail}")));
        }
        if self.extra_sql_changed > 0 {
            out.push(format!(
                "! {} extra SQL statement(s) (functions, triggers, ...) differ: not migrated",
                self.extra_sql_changed
            ));
        }
        out
    }
}

/// The structural difference from `old` to `new`, matching by id when the projects share
/// ids, else by name.
pub fn diff(old: &Project, new: &Project) -> SchemaDiff {
    diff_by(old, new, None)
}

/// [`diff`] with the matching mode forced (`None`: detected). Schemas imported separately
/// from SQL should be matched by name: their ids are fresh and equal only by chance.
pub fn diff_by(old: &Project, new: &Project, mode: Option<MatchMode>) -> SchemaDiff {
    let mode = mode.unwrap_or_else(|| {
        if shares_ids(old, new) {
            MatchMode::Ids
        } else {
            MatchMode::Names
        }
    });
    let pairs = match_tables(old, new, mode);
    let mut table_map = BTreeMap::new();
    let mut column_map = BTreeMap::new();
    let mut tables_changed = Vec::new();
    for (oid, nid, renamed) in &pairs {
        table_map.insert(*oid, *nid);
        let o = old.table(*oid).expect("paired tables exist");
        let n = new.table(*nid).expect("paired tables exist");
        let cols = match_columns(o, n, mode);
        let mut td = TableDiff {
            comment_changed: o.comment != n.comment,
            ..TableDiff::unchanged(*oid, *nid, n.qualified_name())
        };
        if o.qualified_name() != n.qualified_name() {
            let (confidence, reason) = renamed
                .clone()
                .unwrap_or((1.0, "same stable id".to_string()));
            td.rename = Some(Rename {
                from: o.qualified_name(),
                to: n.qualified_name(),
                confidence,
                reason,
            });
        }
        let cmap: BTreeMap<ColumnId, ColumnId> = cols.iter().map(|(a, b, _)| (*a, *b)).collect();
        for (a, b, why) in &cols {
            column_map.insert(*a, *b);
            let oc = o.column(*a).expect("paired columns exist");
            let nc = n.column(*b).expect("paired columns exist");
            if oc.name != nc.name {
                let (confidence, reason) =
                    why.clone().unwrap_or((1.0, "same stable id".to_string()));
                td.column_renames.push(Rename {
                    from: oc.name.clone(),
                    to: nc.name.clone(),
                    confidence,
                    reason,
                });
            }
            let mut changes = Vec::new();
            if oc.ty != nc.ty || oc.type_overrides != nc.type_overrides {
                changes.push(ColumnChangeKind::Type {
                    from: oc.ty.describe(),
                    to: nc.ty.describe(),
                });
            }
            if oc.nullable != nc.nullable {
                changes.push(ColumnChangeKind::Nullable {
                    from: oc.nullable,
                    to: nc.nullable,
                });
            }
            if oc.default.as_deref().map(norm_expr) != nc.default.as_deref().map(norm_expr) {
                changes.push(ColumnChangeKind::Default {
                    from: oc.default.clone(),
                    to: nc.default.clone(),
                });
            }
            if oc.on_update.as_deref().map(norm_expr) != nc.on_update.as_deref().map(norm_expr) {
                changes.push(ColumnChangeKind::OnUpdate {
                    from: oc.on_update.clone(),
                    to: nc.on_update.clone(),
                });
            }
            if oc.identity != nc.identity {
                changes.push(ColumnChangeKind::Identity {
                    from: oc.identity,
                    to: nc.identity,
                });
            }
            if oc.generated != nc.generated {
                changes.push(ColumnChangeKind::Generated {
                    from: oc.generated.as_ref().map(|g| g.expr.clone()),
                    to: nc.generated.as_ref().map(|g| g.expr.clone()),
                });
            }
            if oc.comment != nc.comment {
                changes.push(ColumnChangeKind::Comment {
                    from: oc.comment.clone(),
                    to: nc.comment.clone(),
                });
            }
            if !changes.is_empty() {
                td.columns_changed.push(ColumnChange {
                    column: nc.name.clone(),
                    old_id: *a,
                    new_id: *b,
                    changes,
                });
            }
        }
        let kept_new: BTreeSet<ColumnId> = cmap.values().copied().collect();
        for c in &o.columns {
            if !cmap.contains_key(&c.id) {
                td.columns_dropped.push(ObjectRef {
                    id: c.id,
                    name: c.name.clone(),
                });
            }
        }
        for c in &n.columns {
            if !kept_new.contains(&c.id) {
                td.columns_added.push(ObjectRef {
                    id: c.id,
                    name: c.name.clone(),
                });
            }
        }
        // Order: the kept columns in OLD's order, then the added ones, must be NEW's order.
        let appended: Vec<ColumnId> = o
            .columns
            .iter()
            .filter_map(|c| cmap.get(&c.id).copied())
            .chain(td.columns_added.iter().map(|c| c.id))
            .collect();
        td.column_order_changed = appended != n.columns.iter().map(|c| c.id).collect::<Vec<_>>();
        let map_cols = |v: &[ColumnId]| -> Option<Vec<ColumnId>> {
            v.iter().map(|c| cmap.get(c).copied()).collect()
        };
        td.primary_key_changed = match (&o.primary_key, &n.primary_key) {
            (None, None) => false,
            (Some(a), Some(b)) => {
                map_cols(&a.columns).as_ref() != Some(&b.columns) || !same_name(&a.name, &b.name)
            }
            _ => true,
        };
        let uq_eq = |a: &UniqueConstraint, b: &UniqueConstraint| {
            map_cols(&a.columns).as_ref() == Some(&b.columns) && same_name(&a.name, &b.name)
        };
        for u in &o.uniques {
            if !n.uniques.iter().any(|b| uq_eq(u, b)) {
                td.uniques_dropped.push(ObjectRef {
                    id: u.id,
                    name: unique_desc(o, u),
                });
            }
        }
        for u in &n.uniques {
            if !o.uniques.iter().any(|a| uq_eq(a, u)) {
                td.uniques_added.push(ObjectRef {
                    id: u.id,
                    name: unique_desc(n, u),
                });
            }
        }
        let ck_eq = |a: &CheckConstraint, b: &CheckConstraint| {
            norm_expr(&a.expr) == norm_expr(&b.expr) && same_name(&a.name, &b.name)
        };
        for c in &o.checks {
            if !n.checks.iter().any(|b| ck_eq(c, b)) {
                td.checks_dropped.push(ObjectRef {
                    id: c.id,
                    name: check_desc(c),
                });
            }
        }
        for c in &n.checks {
            if !o.checks.iter().any(|a| ck_eq(a, c)) {
                td.checks_added.push(ObjectRef {
                    id: c.id,
                    name: check_desc(c),
                });
            }
        }
        let ix_eq = |a: &Index, b: &Index| -> bool {
            let mapped_parts: Option<Vec<IndexPart>> = a
                .parts
                .iter()
                .map(|p| {
                    let target = match &p.target {
                        IndexTarget::Column(c) => IndexTarget::Column(*cmap.get(c)?),
                        IndexTarget::Expr(e) => IndexTarget::Expr(norm_expr(e)),
                    };
                    Some(IndexPart {
                        target,
                        ..p.clone()
                    })
                })
                .collect();
            let b_parts: Vec<IndexPart> = b
                .parts
                .iter()
                .map(|p| match &p.target {
                    IndexTarget::Expr(e) => IndexPart {
                        target: IndexTarget::Expr(norm_expr(e)),
                        ..p.clone()
                    },
                    _ => p.clone(),
                })
                .collect();
            a.name.eq_ignore_ascii_case(&b.name)
                && a.unique == b.unique
                && mapped_parts == Some(b_parts)
                && a.where_clause.as_deref().map(norm_expr)
                    == b.where_clause.as_deref().map(norm_expr)
                && map_cols(&a.include).as_ref() == Some(&b.include)
                && a.method == b.method
        };
        for ix in &o.indexes {
            if !n.indexes.iter().any(|b| ix_eq(ix, b)) {
                td.indexes_dropped.push(ObjectRef {
                    id: ix.id,
                    name: ix.name.clone(),
                });
            }
        }
        for ix in &n.indexes {
            if !o.indexes.iter().any(|a| ix_eq(a, ix)) {
                td.indexes_added.push(ObjectRef {
                    id: ix.id,
                    name: ix.name.clone(),
                });
            }
        }
        if !td.is_empty() {
            tables_changed.push(td);
        }
    }
    let matched_new: BTreeSet<TableId> = table_map.values().copied().collect();
    let tables_added = new
        .tables()
        .filter(|t| !matched_new.contains(&t.id))
        .map(|t| ObjectRef {
            id: t.id,
            name: t.qualified_name(),
        })
        .collect();
    let tables_dropped = old
        .tables()
        .filter(|t| !table_map.contains_key(&t.id))
        .map(|t| ObjectRef {
            id: t.id,
            name: t.qualified_name(),
        })
        .collect();

    // Foreign keys: an OLD key carried into NEW's ids must equal a NEW key.
    let fk_eq = |a: &ForeignKey, b: &ForeignKey| -> bool {
        let (Some(ot), Some(nt)) = (old.table(a.to_table), new.table(b.to_table)) else {
            return false;
        };
        let mc = |v: &[ColumnId]| -> Option<Vec<ColumnId>> {
            v.iter().map(|c| column_map.get(c).copied()).collect()
        };
        table_map.get(&a.from_table) == Some(&b.from_table)
            && table_map.get(&a.to_table) == Some(&b.to_table)
            && mc(&a.from_columns).as_ref() == Some(&b.from_columns)
            && mc(a.target_columns(ot)).as_deref() == Some(b.target_columns(nt))
            && a.on_delete == b.on_delete
            && a.on_update == b.on_update
            && a.deferrable == b.deferrable
            && same_name(&a.name, &b.name)
    };
    let foreign_keys_dropped = old
        .foreign_keys()
        .filter(|a| !new.foreign_keys().any(|b| fk_eq(a, b)))
        .map(|fk| ObjectRef {
            id: fk.id,
            name: fk_desc(old, fk),
        })
        .collect();
    let foreign_keys_added = new
        .foreign_keys()
        .filter(|b| !old.foreign_keys().any(|a| fk_eq(a, b)))
        .map(|fk| ObjectRef {
            id: fk.id,
            name: fk_desc(new, fk),
        })
        .collect();

    // Enums and views: by id or by name.
    let mut enums_added = Vec::new();
    let mut enums_dropped = Vec::new();
    let mut enums_changed = Vec::new();
    let find_enum = |e: &EnumType| -> Option<&EnumType> {
        match mode {
            MatchMode::Ids => new.enum_type(e.id),
            MatchMode::Names => new
                .enums()
                .find(|x| key(x.schema.as_deref(), &x.name) == key(e.schema.as_deref(), &e.name)),
        }
    };
    let mut matched_enums = BTreeSet::new();
    for e in old.enums() {
        match find_enum(e) {
            Some(n) => {
                matched_enums.insert(n.id);
                if n.values != e.values || n.name != e.name {
                    enums_changed.push(EnumChange {
                        name: n.name.clone(),
                        old_id: e.id,
                        new_id: n.id,
                        values_from: e.values.clone(),
                        values_to: n.values.clone(),
                    });
                }
            }
            None => enums_dropped.push(ObjectRef {
                id: e.id,
                name: e.name.clone(),
            }),
        }
    }
    for e in new.enums().filter(|e| !matched_enums.contains(&e.id)) {
        enums_added.push(ObjectRef {
            id: e.id,
            name: e.name.clone(),
        });
    }
    let mut views_added = Vec::new();
    let mut views_dropped = Vec::new();
    let mut views_changed = Vec::new();
    let mut matched_views = BTreeSet::new();
    for v in old.views() {
        let hit = match mode {
            MatchMode::Ids => new.views().find(|x| x.id == v.id),
            MatchMode::Names => new
                .views()
                .find(|x| key(x.schema.as_deref(), &x.name) == key(v.schema.as_deref(), &v.name)),
        };
        match hit {
            Some(n) => {
                matched_views.insert(n.id);
                if norm_expr(&n.sql) != norm_expr(&v.sql)
                    || n.materialized != v.materialized
                    || n.name != v.name
                    || n.schema != v.schema
                {
                    views_changed.push(ObjectRef {
                        id: n.id,
                        name: n.name.clone(),
                    });
                }
            }
            None => views_dropped.push(ObjectRef {
                id: v.id,
                name: v.name.clone(),
            }),
        }
    }
    for v in new.views().filter(|v| !matched_views.contains(&v.id)) {
        views_added.push(ObjectRef {
            id: v.id,
            name: v.name.clone(),
        });
    }
    let (sequences_added, sequences_dropped, sequences_changed) =
        diff_sequences(old, new, mode, &table_map, &column_map);
    let old_extra: BTreeSet<String> = old.extra_sql().map(|x| norm_expr(&x.sql)).collect();
    let new_extra: BTreeSet<String> = new.extra_sql().map(|x| norm_expr(&x.sql)).collect();
    let extra_sql_changed = old_extra.symmetric_difference(&new_extra).count();

    SchemaDiff {
        mode,
        tables_added,
        tables_dropped,
        tables_changed,
        foreign_keys_added,
        foreign_keys_dropped,
        enums_added,
        enums_dropped,
        enums_changed,
        sequences_added,
        sequences_dropped,
        sequences_changed,
        views_added,
        views_dropped,
        views_changed,
        extra_sql_changed,
        table_map,
        column_map,
    }
}
