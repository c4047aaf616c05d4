//! Migration DDL from a [`SchemaDiff`]: `up` (OLD -> NEW) and `down` (NEW -> OLD) scripts for
//! PostgreSQL, MySQL/MariaDB and SQLite, in dependency order, rendered through the same
//! dialect rules as exports, plus a zero-downtime safety report (codes MG001..MG009).
//!
//! Order: views that go or depend on a changed table are dropped; foreign keys that go are
//! dropped; indexes and constraints that go are dropped; dropped tables go; enums and
//! sequences are created; tables are renamed and created; kept tables are altered (SQLite: rebuilt with the 12-step
//! procedure where ALTER TABLE cannot, copying every row first); indexes, foreign keys and
//! views are created; sequence owners are set, sequences and enums that go are dropped. See
//! `docs/migrations.md`.

use super::ddl::{
    Cx, ExportWarning, ExprScope, column_definition, column_list, column_type, constraint_prefix,
    create_table, fk_clause, keyed_columns, table_order, translate_index,
};
use super::dialect::{DialectRules, rules};
use super::diff::{ColumnChangeKind, MatchMode, SchemaDiff, TableDiff, diff_by, fk_desc};
use super::expr::Place;
use super::sequences as seqs;
use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Choices for the generated DDL.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MigrationOptions {
    /// PostgreSQL: build indexes on existing tables with `CREATE INDEX CONCURRENTLY` (the
    /// script is then not wrapped in a transaction, which CONCURRENTLY cannot run in).
    pub concurrent_indexes: bool,
    /// PostgreSQL: add foreign keys to existing tables `NOT VALID`, then `VALIDATE CONSTRAINT`
    /// (a weaker lock than a validating ADD).
    pub fk_not_valid: bool,
    /// How objects are matched (`None`: by id when the projects share ids, else by name).
    pub match_mode: Option<MatchMode>,
    /// Reproduce the model's column order exactly: PostgreSQL rebuilds a table whose new
    /// columns are not at the end, MySQL places them with `AFTER`/`FIRST` (MG006 either way).
    /// Off by default: new columns are appended and the difference in order is a warning.
    pub exact_column_order: bool,
}

/// Every safety code with its name (the catalogue docs/migrations.md is checked against).
pub const SAFETY_CODES: &[(&str, &str)] = &[
    ("MG001", "table drop"),
    ("MG002", "column drop"),
    ("MG003", "type narrowing"),
    ("MG004", "NOT NULL without default"),
    ("MG005", "index build without CONCURRENTLY"),
    ("MG006", "table rewrite"),
    ("MG007", "foreign key without NOT VALID"),
    ("MG008", "rename breaking old code"),
    ("MG009", "sequence drop or rename"),
];

/// One finding of the zero-downtime safety report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SafetyIssue {
    /// Stable code: MG001 table drop, MG002 column drop, MG003 type narrowing, MG004 NOT NULL
    /// without default, MG005 non-concurrent index build (PostgreSQL), MG006 table rewrite,
    /// MG007 foreign key without NOT VALID (PostgreSQL), MG008 rename breaking old code, MG009
    /// sequence dropped or renamed (PostgreSQL).
    pub code: &'static str,
    pub object: String,
    pub message: String,
}

impl std::fmt::Display for SafetyIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.code, self.object, self.message)
    }
}

/// A migration script.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Migration {
    pub dialect: Dialect,
    pub sql: String,
    /// Statements in `sql` (comments not counted).
    pub statements: usize,
    pub warnings: Vec<ExportWarning>,
    pub safety: Vec<SafetyIssue>,
}

/// The diff and both scripts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MigrationPlan {
    pub diff: SchemaDiff,
    pub up: Migration,
    pub down: Migration,
}

/// One-off fill values for NOT NULL columns added without a default, by (table, column) as
/// NEW names them (`schema.table` or `table`): SQL in the target dialect, used for the rows
/// the table already has only (the column keeps the model's default, or none).
pub type Fills = BTreeMap<(String, String), String>;

/// The fill for column `c` of NEW's table `t`, if one was given.
fn fill_for<'f>(fills: &'f Fills, t: &Table, c: &Column) -> Option<&'f str> {
    fills
        .get(&(t.qualified_name(), c.name.clone()))
        .or_else(|| fills.get(&(t.name.clone(), c.name.clone())))
        .map(String::as_str)
}

/// Diff `old` and `new` and render `up` and `down` (the reverse diff) for `dialect`.
pub fn plan(
    old: &Project,
    new: &Project,
    dialect: Dialect,
    opts: MigrationOptions,
) -> MigrationPlan {
    plan_with_fills(old, new, dialect, opts, &Fills::new())
}

/// [`plan`] with one-off fill values for added NOT NULL columns (`up` only).
pub fn plan_with_fills(
    old: &Project,
    new: &Project,
    dialect: Dialect,
    opts: MigrationOptions,
    fills: &Fills,
) -> MigrationPlan {
    let mut notes = Vec::new();
    let old = as_exported(old, dialect, &mut Vec::new());
    let new = as_exported(new, dialect, &mut notes);
    let (old, new) = (old.as_ref(), new.as_ref());
    let d = diff_by(old, new, opts.match_mode);
    let mut up = migration_with_fills(old, new, &d, dialect, opts, fills);
    up.warnings.extend(notes);
    let back = diff_by(new, old, opts.match_mode);
    let down = migration(new, old, &back, dialect, opts);
    MigrationPlan { diff: d, up, down }
}

/// `p` as the export writes it for `dialect`, which is what a migration compares: partitions
/// flattened into ordinary tables and sequences folded into auto-increment where the dialect
/// has neither, constraint names made unique where they must be (MySQL). What changed is
/// added to `notes`.
fn as_exported<'p>(
    p: &'p Project,
    dialect: Dialect,
    notes: &mut Vec<ExportWarning>,
) -> std::borrow::Cow<'p, Project> {
    use std::borrow::Cow;
    let r = rules(dialect);
    let mut cur = Cow::Borrowed(p);
    if !r.partitions()
        && let Some(x) = crate::sql::ddl::flatten_partitions(&cur, dialect, notes)
    {
        cur = Cow::Owned(x);
    }
    if !r.sequences()
        && let Some(x) = crate::sql::sequences::fold(&cur, dialect, notes)
    {
        cur = Cow::Owned(x);
    }
    if !r.on_update()
        && let Some(x) = crate::sql::ddl::without_on_update(&cur, dialect, notes)
    {
        cur = Cow::Owned(x);
    }
    if let Some(x) = crate::sql::ddl::unique_constraint_names(&cur, dialect, notes) {
        cur = Cow::Owned(x);
    }
    cur
}

/// A column NEW adds to a table that may have rows, which those rows cannot get a value for:
/// NOT NULL without a default, identity or generation.
fn needs_fill(c: &Column) -> bool {
    !c.nullable && c.default.is_none() && c.identity.is_none() && c.generated.is_none()
}

/// A column a migration adds to an existing table without a value for its rows (MG004).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FillCandidate {
    /// NEW's qualified table name (the `--fill TABLE.COLUMN` key).
    pub table: String,
    pub column: String,
    /// The column's type, for the prompt.
    pub ty: String,
}

/// The columns a migration from `old` to `new` in `dialect` adds to existing tables without a
/// value for their rows (MG004): the ones `--fill` (or the studio's migration dialog) asks a
/// one-off value for.
pub fn fill_candidates(
    old: &Project,
    new: &Project,
    dialect: Dialect,
    opts: MigrationOptions,
) -> Vec<FillCandidate> {
    let old = as_exported(old, dialect, &mut Vec::new());
    let new = as_exported(new, dialect, &mut Vec::new());
    let d = diff_by(&old, &new, opts.match_mode);
    let mut out = Vec::new();
    for td in &d.tables_changed {
        let Some(t) = new.table(td.new_id) else {
            continue;
        };
        for c in &td.columns_added {
            if let Some(col) = t.column(c.id).filter(|c| needs_fill(c)) {
                out.push(FillCandidate {
                    table: t.qualified_name(),
                    column: col.name.clone(),
                    ty: col.ty.describe(),
                });
            }
        }
    }
    out
}

struct Out {
    stmts: Vec<String>,
    safety: Vec<SafetyIssue>,
}

/// Marks a statement written as it is (it carries its own terminator).
const RAW: char = '\u{1}';

impl Out {
    fn extend(&mut self, stmts: impl IntoIterator<Item = String>) {
        for s in stmts {
            self.push(s);
        }
    }
    fn push(&mut self, s: impl Into<String>) {
        self.stmts.push(s.into());
    }
    fn raw(&mut self, s: impl Into<String>) {
        self.stmts.push(format!("{RAW}{}", s.into()));
    }
    /// An extra SQL statement, under its search path when it has one.
    fn extra(&mut self, r: &dyn DialectRules, x: &ExtraSql) {
        let path = x
            .search_path
            .as_deref()
            .and_then(|p| r.set_search_path(Some(p)));
        if let Some(p) = &path {
            self.raw(p.clone());
        }
        self.raw(r.extra_statement(&x.sql));
        if path.is_some()
            && let Some(reset) = r.set_search_path(None)
        {
            self.raw(reset);
        }
    }
    fn issue(&mut self, code: &'static str, object: impl Into<String>, message: impl Into<String>) {
        self.safety.push(SafetyIssue {
            code,
            object: object.into(),
            message: message.into(),
        });
    }
}

fn qn(r: &dyn DialectRules, t: &Table) -> String {
    r.qualified(t.schema.as_deref(), &t.name)
}

/// The name an engine gives an unnamed constraint, for dropping it.
fn guessed_name(d: Dialect, t: &Table, cols: &[ColumnId], kind: &str) -> String {
    let cols: Vec<String> = cols.iter().map(|c| t.column_name(*c)).collect();
    match (d, kind) {
        (Dialect::Postgres, "pkey") => pg_object_name(&t.name, None, "pkey"),
        (Dialect::Postgres, _) => pg_object_name(&t.name, Some(&cols.join("_")), kind),
        // MySQL names a unique key after its first column.
        _ => cols.first().cloned().unwrap_or_default(),
    }
}

/// PostgreSQL's `makeObjectName`: `name1_name2_label`, the longer of name1 and name2 cut
/// one byte at a time until the whole fits in 63 bytes.
fn pg_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = 63usize.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let a = super::ddl::truncate_bytes(name1, n1);
    match name2 {
        Some(b) => format!("{a}_{}_{label}", super::ddl::truncate_bytes(b, n2)),
        None => format!("{a}_{label}"),
    }
}

/// The name InnoDB gives an unnamed foreign key of a table created by Crowfoot's export:
/// `table_ibfk_N`, the unnamed keys numbered in the order they were created (inline in
/// CREATE TABLE, then the ones added by ALTER TABLE, by id).
fn mysql_fk_name(p: &Project, fk: &ForeignKey) -> String {
    let rank: BTreeMap<TableId, usize> = table_order(p)
        .into_iter()
        .enumerate()
        .map(|(i, t)| (t, i))
        .collect();
    let t = fk.from_table;
    let here = rank.get(&t).copied().unwrap_or(0);
    let all = p.foreign_keys_from(t);
    let inline =
        |f: &&ForeignKey| f.to_table == t || rank.get(&f.to_table).is_some_and(|r| *r < here);
    let mut deferred: Vec<&ForeignKey> = all.iter().filter(|f| !inline(f)).copied().collect();
    deferred.sort_by_key(|f| f.id);
    let n = all
        .iter()
        .filter(|f| inline(f))
        .copied()
        .chain(deferred)
        .filter(|f| f.name.is_none())
        .position(|f| f.id == fk.id)
        .map_or(1, |i| i + 1);
    let name = p.table(t).map(|t| t.name.as_str()).unwrap_or("");
    format!("{name}_ibfk_{n}")
}

/// MySQL/MariaDB: the kept foreign keys (OLD's key, NEW's key) over a column, on either side,
/// whose type changes. InnoDB refuses to change the type of a column a foreign key uses
/// (error 1833, "Cannot change column ...: used in a foreign key constraint"), so these keys
/// are dropped before the tables are altered and added again after.
fn mysql_retyped_fks<'a>(
    old: &'a Project,
    new: &'a Project,
    d: &SchemaDiff,
    dropped: &BTreeSet<ForeignKeyId>,
    added: &BTreeSet<ForeignKeyId>,
) -> Vec<(&'a ForeignKey, &'a ForeignKey)> {
    let retyped: BTreeSet<ColumnId> = d
        .tables_changed
        .iter()
        .flat_map(|td| &td.columns_changed)
        .filter(|c| {
            c.changes
                .iter()
                .any(|k| matches!(k, ColumnChangeKind::Type { .. }))
        })
        .map(|c| c.old_id)
        .collect();
    let mut out = Vec::new();
    for a in old.foreign_keys().filter(|a| !dropped.contains(&a.id)) {
        let Some(to) = old.table(a.to_table) else {
            continue;
        };
        if !a
            .from_columns
            .iter()
            .chain(a.target_columns(to))
            .any(|c| retyped.contains(c))
        {
            continue;
        }
        let from_columns: Option<Vec<ColumnId>> = a
            .from_columns
            .iter()
            .map(|c| d.column_map.get(c).copied())
            .collect();
        let kept = new.foreign_keys().find(|b| {
            !added.contains(&b.id)
                && d.table_map.get(&a.from_table) == Some(&b.from_table)
                && d.table_map.get(&a.to_table) == Some(&b.to_table)
                && from_columns.as_ref() == Some(&b.from_columns)
        });
        if let Some(b) = kept {
            out.push((a, b));
        }
    }
    out
}

/// The name of the index InnoDB makes for foreign key `fk` of `t` when no index leads with its
/// columns: the constraint's, or for an unnamed key its first column's.
fn mysql_fk_index_name(t: &Table, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| t.column_name(fk.from_columns[0]))
}

/// Does a key or index of `t` start with `cols`?
fn leads_an_index(t: &Table, cols: &[ColumnId]) -> bool {
    let leads = |v: &[ColumnId]| v.len() >= cols.len() && v[..cols.len()] == *cols;
    t.primary_key.as_ref().is_some_and(|k| leads(&k.columns))
        || t.uniques.iter().any(|u| leads(&u.columns))
        || t.indexes.iter().any(|ix| {
            let v: Vec<ColumnId> = ix
                .parts
                .iter()
                .map_while(|p| match p.target {
                    IndexTarget::Column(c) => Some(c),
                    IndexTarget::Expr(_) => None,
                })
                .collect();
            leads(&v)
        })
}

/// Does changing `from` to `to` possibly lose values?
pub fn narrows(from: &LogicalType, to: &LogicalType) -> bool {
    use LogicalType as L;
    let int_rank = |t: &L| match t {
        L::TinyInt => Some(1),
        L::SmallInt => Some(2),
        L::Integer => Some(3),
        L::BigInt => Some(4),
        _ => None,
    };
    let text_len = |t: &L| match t {
        L::Text => Some(u32::MAX),
        L::Varchar(None) => Some(u32::MAX),
        L::Varchar(Some(n)) => Some(*n),
        L::Char(n) => Some(*n),
        _ => None,
    };
    if from == to {
        return false;
    }
    if let (Some(a), Some(b)) = (int_rank(from), int_rank(to)) {
        return b < a;
    }
    if let (Some(a), Some(b)) = (text_len(from), text_len(to)) {
        return b < a;
    }
    match (from, to) {
        (L::Real, L::Double) => false,
        (f, L::Decimal(None, _)) if int_rank(f).is_some() => false,
        (f, L::Double) if int_rank(f).is_some_and(|r| r <= 3) => false,
        (f, L::BigInt) if int_rank(f).is_some() => false,
        (L::Decimal(Some(p1), s1), L::Decimal(p2, s2)) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            match p2 {
                None => false,
                Some(p2) => *p2 < *p1 || s2 < s1 || (p2 - s2) < (p1 - s1),
            }
        }
        (L::Timestamp, L::TimestampTz) | (L::TimestampTz, L::Timestamp) => false,
        (L::Json, L::Text) | (L::Uuid, L::Text) => false,
        (_, L::Text) => false,
        _ => true,
    }
}

/// PostgreSQL changes the type without rewriting the table (binary-coercible widening).
fn pg_type_change_in_place(from: &LogicalType, to: &LogicalType) -> bool {
    use LogicalType as L;
    matches!(
        (from, to),
        (L::Varchar(_), L::Text)
            | (L::Varchar(Some(_)), L::Varchar(None))
            | (L::Text, L::Varchar(None))
    ) || matches!((from, to), (L::Varchar(Some(a)), L::Varchar(Some(b))) if b >= a)
}

/// `d` plus the columns whose logical type is the same but whose type in the dialect differs
/// (MySQL writes TEXT as varchar(255) once a key uses it; foreign key columns take the
/// referenced column's integer type): altered like a type change.
fn with_rendered_type_changes(
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    r: &dyn DialectRules,
) -> SchemaDiff {
    let mut out = d.clone();
    if r.dialect() == Dialect::Sqlite {
        let mut touched = BTreeSet::new();
        for f in &d.foreign_keys_added {
            if let Some(fk) = new.foreign_key(f.id) {
                touched.insert(fk.from_table);
            }
        }
        for f in &d.foreign_keys_dropped {
            if let Some(fk) = old.foreign_key(f.id)
                && let Some(n) = d.table_map.get(&fk.from_table)
            {
                touched.insert(*n);
            }
        }
        for (oid, nid) in &d.table_map {
            if touched.contains(nid)
                && let Some(nt) = new.table(*nid)
            {
                ensure_table_diff(&mut out, *oid, *nid, nt);
            }
        }
    }
    let back: BTreeMap<ColumnId, ColumnId> = d.column_map.iter().map(|(a, b)| (*b, *a)).collect();
    for (oid, nid) in &d.table_map {
        let (Some(ot), Some(nt)) = (old.table(*oid), new.table(*nid)) else {
            continue;
        };
        let ko = keyed_columns(old, ot);
        let kn = keyed_columns(new, nt);
        for nc in &nt.columns {
            let Some(oc) = back.get(&nc.id).and_then(|o| ot.column(*o)) else {
                continue;
            };
            let from = column_type(r, ot, oc, ko.contains(&oc.id), &mut Cx::new(old));
            let to = column_type(r, nt, nc, kn.contains(&nc.id), &mut Cx::new(new));
            if from == to {
                continue;
            }
            let pos = ensure_table_diff(&mut out, *oid, *nid, nt);
            let td = &mut out.tables_changed[pos];
            let change = ColumnChangeKind::Type { from, to };
            match td.columns_changed.iter_mut().find(|c| c.new_id == nc.id) {
                Some(c) => {
                    if !c
                        .changes
                        .iter()
                        .any(|k| matches!(k, ColumnChangeKind::Type { .. }))
                    {
                        c.changes.push(change);
                    }
                }
                None => td.columns_changed.push(super::diff::ColumnChange {
                    column: nc.name.clone(),
                    old_id: oc.id,
                    new_id: nc.id,
                    changes: vec![change],
                }),
            }
        }
    }
    out
}

/// The index of the TableDiff for the pair, added (empty) when missing.
fn ensure_table_diff(d: &mut SchemaDiff, oid: TableId, nid: TableId, nt: &Table) -> usize {
    if let Some(i) = d.tables_changed.iter().position(|t| t.new_id == nid) {
        return i;
    }
    d.tables_changed
        .push(TableDiff::unchanged(oid, nid, nt.qualified_name()));
    d.tables_changed.len() - 1
}

/// Render the migration from `old` to `new` described by `d` (from `diff(old, new)`).
pub fn migration(
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    dialect: Dialect,
    opts: MigrationOptions,
) -> Migration {
    migration_with_fills(old, new, d, dialect, opts, &Fills::new())
}

fn migration_with_fills(
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    dialect: Dialect,
    opts: MigrationOptions,
    fills: &Fills,
) -> Migration {
    let r = rules(dialect);
    let d = &with_rendered_type_changes(old, new, d, r);
    let mut cx = Cx::new(new);
    let mut out = Out {
        stmts: Vec::new(),
        safety: Vec::new(),
    };
    let sqlite = dialect == Dialect::Sqlite;
    let pg = dialect == Dialect::Postgres;
    let mysql = dialect == Dialect::MySql;

    let old_of: BTreeMap<TableId, TableId> = d.table_map.iter().map(|(o, n)| (*n, *o)).collect();
    let dropped_tables: BTreeSet<TableId> = d.tables_dropped.iter().map(|t| t.id).collect();
    let added_tables: BTreeSet<TableId> = d.tables_added.iter().map(|t| t.id).collect();
    let added_fks: BTreeSet<ForeignKeyId> = d.foreign_keys_added.iter().map(|f| f.id).collect();
    let dropped_fks: BTreeSet<ForeignKeyId> = d.foreign_keys_dropped.iter().map(|f| f.id).collect();
    let retyped_fks = if mysql {
        mysql_retyped_fks(old, new, d, &dropped_fks, &added_fks)
    } else {
        Vec::new()
    };

    // SQLite: which kept tables ALTER TABLE cannot migrate (rebuilt instead).
    let mut rebuild: BTreeSet<TableId> = BTreeSet::new();
    for td in &d.tables_changed {
        let needed = match dialect {
            Dialect::Sqlite => sqlite_needs_rebuild(old, new, td, &added_fks, &dropped_fks),
            // PostgreSQL only appends columns: a new column order needs a new table, which
            // only --exact-column-order asks for.
            Dialect::Postgres => td.column_order_changed && opts.exact_column_order,
            _ => false,
        };
        if needed {
            rebuild.insert(td.new_id);
        }
    }
    // Tables whose structure changes (views over them are dropped and created again).
    let touched_old: BTreeSet<TableId> = d
        .tables_changed
        .iter()
        .filter(|td| td.structure_changed() || td.rename.is_some() || !td.column_renames.is_empty())
        .map(|td| td.old_id)
        .chain(dropped_tables.iter().copied())
        .collect();

    // 1. Views that go, change, or read a changed table.
    let changed_views: BTreeSet<ViewId> = d.views_changed.iter().map(|v| v.id).collect();
    let dropped_views: BTreeSet<ViewId> = d.views_dropped.iter().map(|v| v.id).collect();
    let mut recreate_views: BTreeSet<String> = BTreeSet::new();
    for v in old.views() {
        let reads_touched = v.depends_on.iter().any(|t| touched_old.contains(t));
        let matched_changed = new
            .views()
            .any(|n| changed_views.contains(&n.id) && n.name.eq_ignore_ascii_case(&v.name));
        if dropped_views.contains(&v.id) || matched_changed || reads_touched {
            let kw = if v.materialized {
                "DROP MATERIALIZED VIEW"
            } else {
                "DROP VIEW"
            };
            out.push(format!(
                "{kw} {}",
                r.qualified(v.schema.as_deref(), &v.name)
            ));
            if !dropped_views.contains(&v.id) {
                recreate_views.insert(v.name.to_lowercase());
            }
        }
    }

    // Sequences whose owner changes are released first: dropping the old owner column or
    // table would drop them.
    let seq_pairs: Vec<(&Sequence, &Sequence)> = d
        .sequences_changed
        .iter()
        .filter_map(|c| Some((old.sequence(c.old_id)?, new.sequence(c.new_id)?)))
        .collect();
    if r.sequences() {
        for (o, n) in &seq_pairs {
            if o.owned_by.is_some() && seqs::owner_moves(d, o, n) {
                out.push(seqs::disown(r, o));
            }
        }
    }

    // 2. Foreign keys that go (SQLite: part of the table, rebuilt or dropped with it).
    if !sqlite {
        // MySQL: kept keys over a column whose type changes go too, with the index InnoDB
        // made for them; both are added again in step 9.
        for (fk, _) in &retyped_fks {
            let t = old.table(fk.from_table).expect("fk source exists");
            let name = fk.name.clone().unwrap_or_else(|| {
                let g = mysql_fk_name(old, fk);
                cx.warn(
                    &fk_desc(old, fk),
                    format!("unnamed foreign key dropped (its columns change type) by the name the engine gives it by default, `{g}`, and added again; check it"),
                );
                g
            });
            out.push(format!(
                "ALTER TABLE {} DROP FOREIGN KEY {}",
                qn(r, t),
                r.ident(&name)
            ));
            if !leads_an_index(t, &fk.from_columns) {
                let ix = mysql_fk_index_name(t, fk);
                out.push(format!("DROP INDEX {} ON {}", r.ident(&ix), qn(r, t)));
            }
        }
        for f in &d.foreign_keys_dropped {
            let Some(fk) = old.foreign_key(f.id) else {
                continue;
            };
            let Some(t) = old.table(fk.from_table) else {
                continue;
            };
            let name = match &fk.name {
                Some(n) => n.clone(),
                None => {
                    let g = if pg {
                        guessed_name(dialect, t, &fk.from_columns, "fkey")
                    } else {
                        mysql_fk_name(old, fk)
                    };
                    cx.warn(
                        &f.name,
                        format!("unnamed foreign key dropped by the name the engine gives it by default, `{g}`; check it"),
                    );
                    g
                }
            };
            let kw = if mysql {
                "DROP FOREIGN KEY"
            } else {
                "DROP CONSTRAINT"
            };
            out.push(format!("ALTER TABLE {} {kw} {}", qn(r, t), r.ident(&name)));
            // InnoDB made an index for the key when none led with its columns, named after
            // the constraint (or its first column), and keeps it when the key goes.
            if mysql && !dropped_tables.contains(&t.id) && !leads_an_index(t, &fk.from_columns) {
                let ix = mysql_fk_index_name(t, fk);
                out.push(format!("DROP INDEX {} ON {}", r.ident(&ix), qn(r, t)));
            }
        }
    }

    // 3. Indexes and constraints that go, on kept tables altered in place.
    for td in &d.tables_changed {
        if rebuild.contains(&td.new_id) {
            continue;
        }
        let o = old.table(td.old_id).expect("diffed table exists");
        for ix in &td.indexes_dropped {
            let name = r.ident(&ix.name);
            out.push(match dialect {
                Dialect::MySql => format!("DROP INDEX {name} ON {}", qn(r, o)),
                Dialect::Postgres => {
                    format!("DROP INDEX {}", r.qualified(o.schema.as_deref(), &ix.name))
                }
                _ => format!("DROP INDEX {name}"),
            });
        }
        for u in &td.uniques_dropped {
            let uq = o
                .uniques
                .iter()
                .find(|x| x.id == u.id)
                .expect("dropped unique exists");
            let name = uq
                .name
                .clone()
                .unwrap_or_else(|| guessed_name(dialect, o, &uq.columns, "key"));
            out.push(if mysql {
                format!("ALTER TABLE {} DROP INDEX {}", qn(r, o), r.ident(&name))
            } else {
                format!(
                    "ALTER TABLE {} DROP CONSTRAINT {}",
                    qn(r, o),
                    r.ident(&name)
                )
            });
        }
        for c in &td.checks_dropped {
            let ck = o
                .checks
                .iter()
                .find(|x| x.id == c.id)
                .expect("dropped check exists");
            let name = ck
                .name
                .clone()
                .unwrap_or_else(|| format!("{}_check", o.name));
            if ck.name.is_none() {
                cx.warn(
                    &format!("{}.{}", o.name, c.name),
                    format!("unnamed check dropped as `{name}`; check the name the engine gave it"),
                );
            }
            out.push(if mysql {
                format!("ALTER TABLE {} DROP CHECK {}", qn(r, o), r.ident(&name))
            } else {
                format!(
                    "ALTER TABLE {} DROP CONSTRAINT {}",
                    qn(r, o),
                    r.ident(&name)
                )
            });
        }
        if td.primary_key_changed
            && let Some(pk) = &o.primary_key
        {
            out.push(if mysql {
                format!("ALTER TABLE {} DROP PRIMARY KEY", qn(r, o))
            } else {
                let name = pk
                    .name
                    .clone()
                    .unwrap_or_else(|| guessed_name(dialect, o, &pk.columns, "pkey"));
                format!(
                    "ALTER TABLE {} DROP CONSTRAINT {}",
                    qn(r, o),
                    r.ident(&name)
                )
            });
        }
    }

    // Partitions that leave their parent (or change bound) are detached first: dropping the
    // parent would drop them, and a new bound needs a new ATTACH.
    let attached = |o: &Table, n: &Table| match (o.partition_of.as_ref(), n.partition_of.as_ref()) {
        (Some(a), Some(b)) => d.table_map.get(&a.parent) == Some(&b.parent) && a.bound == b.bound,
        _ => false,
    };
    if r.partitions() {
        for (oid, nid) in &d.table_map {
            let (o, n) = (old.table(*oid), new.table(*nid));
            if let (Some(o), Some(n)) = (o, n)
                && let Some(of) = &o.partition_of
                && !attached(o, n)
                && let Some(parent) = old.table(of.parent)
            {
                out.push(format!(
                    "ALTER TABLE {} DETACH PARTITION {}",
                    qn(r, parent),
                    qn(r, o)
                ));
            }
        }
    }

    // 4. Tables that go (a partition whose parent goes too goes with it).
    for t in &d.tables_dropped {
        let o = old.table(t.id).expect("dropped table exists");
        out.issue(
            "MG001",
            &t.name,
            "table dropped: its rows are lost, and code still reading it breaks (drop it in a later release)",
        );
        let with_parent = r.partitions()
            && o.partition_of
                .as_ref()
                .is_some_and(|of| dropped_tables.contains(&of.parent));
        if !with_parent {
            out.push(format!("DROP TABLE {}", qn(r, o)));
        }
    }

    // New schemas.
    let old_schemas: BTreeSet<String> = old
        .tables()
        .filter_map(|t| t.schema.as_deref())
        .chain(old.enums().filter_map(|e| e.schema.as_deref()))
        .chain(old.views().filter_map(|v| v.schema.as_deref()))
        .map(str::to_lowercase)
        .collect();
    let new_schemas: BTreeSet<&str> = new
        .tables()
        .filter_map(|t| t.schema.as_deref())
        .chain(new.enums().filter_map(|e| e.schema.as_deref()))
        .chain(new.views().filter_map(|v| v.schema.as_deref()))
        .collect();
    for sname in new_schemas {
        if !old_schemas.contains(&sname.to_lowercase())
            && let Some(stmt) = r.create_schema(sname, &mut cx)
        {
            out.push(stmt);
        }
    }

    // Extra SQL of NEW (in this dialect) that OLD does not have: before the tables or at the end.
    let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let old_extra: BTreeSet<String> = old
        .extra_sql()
        .filter(|x| x.dialect == dialect)
        .map(|x| norm(&x.sql))
        .collect();
    let new_extra: BTreeSet<String> = new
        .extra_sql()
        .filter(|x| x.dialect == dialect)
        .map(|x| norm(&x.sql))
        .collect();
    let added_extra: Vec<&ExtraSql> = new
        .extra_sql()
        .filter(|x| x.dialect == dialect && !old_extra.contains(&norm(&x.sql)))
        .collect();
    let gone_extra = old_extra.difference(&new_extra).count();
    for x in added_extra
        .iter()
        .filter(|x| x.placement == Placement::BeforeTables)
    {
        out.extra(r, x);
    }

    // 5. Enums (PostgreSQL types).
    for e in &d.enums_added {
        if let Some(e) = new.enum_type(e.id)
            && let Some(s) = r.create_enum(e, &mut cx)
        {
            out.push(s);
        }
    }
    for e in &d.enums_changed {
        if pg {
            let ne = new.enum_type(e.new_id).expect("changed enum exists");
            if e.values_to.starts_with(&e.values_from) {
                for v in &e.values_to[e.values_from.len()..] {
                    out.push(format!(
                        "ALTER TYPE {} ADD VALUE {}",
                        r.qualified(ne.schema.as_deref(), &ne.name),
                        r.string_literal(v)
                    ));
                }
            } else {
                cx.warn(
                    &e.name,
                    "enum values removed or reordered: PostgreSQL cannot ALTER that; recreate the type by hand",
                );
            }
        }
    }

    // Sequences: new ones, and changes to kept ones (their owners come after the tables).
    if r.sequences() {
        for a in &d.sequences_added {
            let s = new.sequence(a.id).expect("added sequence exists");
            out.push(seqs::create(r, s));
            out.extend(seqs::comment(r, s));
        }
        for (o, n) in &seq_pairs {
            if o.name != n.name || o.schema != n.schema {
                out.issue(
                    "MG009",
                    o.qualified_name(),
                    format!(
                        "sequence renamed to {}: code calling nextval('{}') by name breaks",
                        n.qualified_name(),
                        o.name
                    ),
                );
            }
            for stmt in seqs::alter(r, o, n) {
                out.push(stmt);
            }
        }
    }

    // 6. Renames and new tables.
    let order = table_order(new);
    for td in &d.tables_changed {
        if let Some(rn) = &td.rename {
            let o = old.table(td.old_id).expect("diffed table exists");
            let n = new.table(td.new_id).expect("diffed table exists");
            out.issue(
                "MG008",
                &rn.from,
                format!(
                    "table renamed to {} (confidence {:.2}): code using the old name breaks; expand/contract: create the new table (or a view with the old name), dual-write, switch readers, then drop the old one",
                    rn.to, rn.confidence
                ),
            );
            if mysql {
                out.push(format!("RENAME TABLE {} TO {}", qn(r, o), qn(r, n)));
                continue;
            }
            let mut at = qn(r, o);
            if pg && o.schema != n.schema {
                let to = n.schema.as_deref().unwrap_or("public");
                out.push(format!("ALTER TABLE {at} SET SCHEMA {}", r.ident(to)));
                at = r.qualified(n.schema.as_deref(), &o.name);
            }
            if o.name != n.name {
                out.push(format!("ALTER TABLE {at} RENAME TO {}", r.ident(&n.name)));
            }
        }
    }
    for tid in &order {
        if !added_tables.contains(tid) {
            continue;
        }
        let t = new.table(*tid).expect("ordered table exists");
        let fks: Vec<&ForeignKey> = if sqlite {
            new.foreign_keys_from(*tid)
        } else {
            Vec::new()
        };
        out.push(create_table(r, t, &fks, &mut cx));
        for c in r.comment_statements(t) {
            out.push(c);
        }
    }

    // 7. Kept tables: ALTER, or the SQLite rebuild.
    for tid in &order {
        let Some(td) = d.table(*tid) else {
            continue;
        };
        let o = old.table(td.old_id).expect("diffed table exists");
        let n = new.table(td.new_id).expect("diffed table exists");
        safety_for_table(
            &mut out,
            old,
            new,
            d,
            td,
            dialect,
            opts.exact_column_order,
            fills,
        );
        if rebuild.contains(tid) {
            rebuild_issue(&mut out, n, dialect);
            rebuild_table(&mut out, r, old, new, d, td, &added_fks, fills, &mut cx);
            // Dropping the old table dropped its triggers: create NEW's again (the added
            // ones come at the end with the other new extra SQL).
            let lname = n.name.to_lowercase();
            for x in new.extra_sql().filter(|x| {
                x.dialect == dialect
                    && x.kind == "trigger"
                    && old_extra.contains(&norm(&x.sql))
                    && super::dialect::util::contains_word(&x.sql.to_lowercase(), &lname)
            }) {
                out.extra(r, x);
            }
            continue;
        }
        let inherited;
        let td = match partition_parent_diff(d, o, n).filter(|_| pg) {
            Some(parent) => {
                inherited = without_inherited(td, parent);
                &inherited
            }
            None => td,
        };
        if td.column_order_changed && !opts.exact_column_order && dialect != Dialect::Sqlite {
            cx.warn(
                &n.name,
                "the model's column order differs from the table's: new columns are appended \
                 at the end (--exact-column-order rebuilds or reorders the table to match)",
            );
        }
        alter_table(
            &mut out,
            r,
            o,
            n,
            d,
            td,
            opts.exact_column_order,
            fills,
            &mut cx,
        );
    }

    // Partitions: new ones and kept tables that became one (or changed bound) are attached,
    // before the indexes (the parent's partitioned indexes then cover them, as in the export).
    if r.partitions() {
        for t in new.tables() {
            let Some(of) = &t.partition_of else { continue };
            let Some(parent) = new.table(of.parent).filter(|p| p.partition_by.is_some()) else {
                continue;
            };
            let kept = old_of
                .get(&t.id)
                .and_then(|o| old.table(*o))
                .is_some_and(|o| attached(o, t));
            if !kept {
                out.push(format!(
                    "ALTER TABLE {} ATTACH PARTITION {} {}",
                    qn(r, parent),
                    qn(r, t),
                    of.bound
                ));
            }
        }
    }

    // Sequence owners, now that every column exists.
    if r.sequences() {
        for a in &d.sequences_added {
            let s = new.sequence(a.id).expect("added sequence exists");
            out.extend(seqs::owned_by(r, new, s));
        }
        for (o, n) in &seq_pairs {
            if n.owned_by.is_some() && seqs::owner_moves(d, o, n) {
                out.extend(seqs::owned_by(r, new, n));
            }
        }
    }

    // 8. Indexes: on new tables, and added ones on kept tables altered in place.
    for tid in &order {
        let t = new.table(*tid).expect("ordered table exists");
        let existed = old_of.contains_key(tid);
        if rebuild.contains(tid) {
            continue;
        }
        let list: Vec<&Index> = if added_tables.contains(tid) {
            t.indexes.iter().collect()
        } else if let Some(td) = d.table(*tid) {
            t.indexes
                .iter()
                .filter(|ix| td.indexes_added.iter().any(|a| a.id == ix.id))
                .collect()
        } else {
            Vec::new()
        };
        for ix in list {
            if let Some(clause) = r.inline_index(t, ix, &mut Cx::new(new)) {
                if existed {
                    out.push(format!("ALTER TABLE {} ADD {clause}", qn(r, t)));
                }
                continue;
            }
            create_index(&mut out, r, t, ix, existed, opts, &mut cx);
        }
    }

    // 9. Foreign keys (SQLite: inline in CREATE TABLE).
    if !sqlite {
        // MySQL: the kept keys dropped in step 2, with the names a fresh CREATE of NEW gives
        // them and their index, before new unnamed keys take the next numbers: an unnamed key
        // is named `_ibfk_N` as it was. InnoDB would name the index it makes after a named
        // constraint, so the index comes first, in the same statement, under the name InnoDB
        // gives it when the key is created unnamed (its first column).
        for (_, fk) in &retyped_fks {
            let t = new.table(fk.from_table).expect("fk source exists");
            let mut named = (*fk).clone();
            named.name = Some(fk.name.clone().unwrap_or_else(|| mysql_fk_name(new, fk)));
            let index = if leads_an_index(t, &fk.from_columns) {
                String::new()
            } else {
                format!(
                    "INDEX {} ({}), ADD ",
                    r.ident(&mysql_fk_index_name(t, fk)),
                    column_list(r, t, &fk.from_columns)
                )
            };
            out.push(format!(
                "ALTER TABLE {} ADD {index}{}",
                qn(r, t),
                fk_clause(r, &named, &mut cx)
            ));
        }
        let mut validate = Vec::new();
        for f in &d.foreign_keys_added {
            let fk = new.foreign_key(f.id).expect("added fk exists");
            let t = new.table(fk.from_table).expect("fk source exists");
            let existed = old_of.contains_key(&fk.from_table);
            let mut s = format!("ALTER TABLE {} ADD {}", qn(r, t), fk_clause(r, fk, &mut cx));
            if pg && existed {
                if opts.fk_not_valid {
                    s.push_str(" NOT VALID");
                    let name = fk
                        .name
                        .clone()
                        .unwrap_or_else(|| guessed_name(dialect, t, &fk.from_columns, "fkey"));
                    validate.push(format!(
                        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                        qn(r, t),
                        r.ident(&name)
                    ));
                } else {
                    out.issue(
                        "MG007",
                        &f.name,
                        "foreign key added to an existing table validates every row under a lock that blocks writes; add it NOT VALID, then VALIDATE CONSTRAINT (--fk-not-valid)",
                    );
                }
            }
            out.push(s);
        }
        out.stmts.extend(validate);
    }

    // 10. Views.
    let added_views: BTreeSet<ViewId> = d.views_added.iter().map(|v| v.id).collect();
    for v in new.views() {
        if added_views.contains(&v.id)
            || changed_views.contains(&v.id)
            || recreate_views.contains(&v.name.to_lowercase())
        {
            if let Err(e) = super::ddl::writable(&v.sql, dialect) {
                cx.warn(&v.name, format!("view not created: its query {e}"));
                continue;
            }
            out.push(r.create_view(v, &mut cx));
        }
    }

    // Sequences that go (after the defaults reading them). One owned by a dropped table or
    // column went with it.
    if r.sequences() {
        for x in &d.sequences_dropped {
            let Some(s) = old.sequence(x.id) else {
                continue;
            };
            out.issue(
                "MG009",
                s.qualified_name(),
                format!(
                    "sequence dropped: its position is lost, and code calling nextval('{}') by name breaks",
                    s.name
                ),
            );
            let gone_with_owner = s.owned_by.is_some_and(|w| {
                !d.table_map.contains_key(&w.table) || !d.column_map.contains_key(&w.column)
            });
            out.push(format!(
                "DROP SEQUENCE {}{}",
                if gone_with_owner { "IF EXISTS " } else { "" },
                r.qualified(s.schema.as_deref(), &s.name)
            ));
        }
    }

    // 11. Enums that go (after the columns using them).
    if pg {
        for e in &d.enums_dropped {
            if let Some(e) = old.enum_type(e.id) {
                out.push(format!(
                    "DROP TYPE {}",
                    r.qualified(e.schema.as_deref(), &e.name)
                ));
            }
        }
    }
    for x in added_extra
        .iter()
        .filter(|x| x.placement == Placement::AfterTables)
    {
        out.extra(r, x);
    }
    if gone_extra > 0 {
        cx.warn(
            "extra SQL",
            format!(
                "{gone_extra} function/trigger/other statement(s) of OLD are not in NEW; not dropped (write the DROP by hand)"
            ),
        );
    }

    let warnings = cx.into_warnings();
    render(dialect, old, new, out, warnings, opts)
}

fn render(
    dialect: Dialect,
    old: &Project,
    new: &Project,
    out: Out,
    warnings: Vec<ExportWarning>,
    opts: MigrationOptions,
) -> Migration {
    let mut sql = String::new();
    sql.push_str(&format!(
        "-- Migration generated by Crowfoot {} for {}: {:?} -> {:?}\n",
        env!("CARGO_PKG_VERSION"),
        dialect.display_name(),
        old.name(),
        new.name()
    ));
    if out.stmts.is_empty() {
        sql.push_str("-- No changes.\n");
    }
    for w in &warnings {
        super::ddl::push_comment(&mut sql, &format!("warning: {w}"));
    }
    for s in &out.safety {
        super::ddl::push_comment(&mut sql, &format!("safety: {s}"));
    }
    let n = out.stmts.len();
    let transaction = n > 0
        && match dialect {
            Dialect::Postgres => !opts.concurrent_indexes,
            Dialect::Sqlite => true,
            _ => false,
        };
    if dialect == Dialect::Postgres && opts.concurrent_indexes && n > 0 {
        sql.push_str(
            "-- Not wrapped in a transaction: CREATE INDEX CONCURRENTLY cannot run inside one.\n",
        );
    }
    if dialect == Dialect::Sqlite && n > 0 {
        sql.push_str("\nPRAGMA foreign_keys = OFF;\n");
    }
    if transaction {
        sql.push_str("\nBEGIN;\n");
    }
    for s in out.stmts {
        sql.push('\n');
        match s.strip_prefix(RAW) {
            Some(raw) => {
                sql.push_str(raw);
                sql.push('\n');
            }
            None => {
                sql.push_str(&s);
                sql.push_str(";\n");
            }
        }
    }
    if dialect == Dialect::Sqlite && n > 0 {
        sql.push_str("\nPRAGMA foreign_key_check;\n");
    }
    if transaction {
        sql.push_str("\nCOMMIT;\n");
    }
    if dialect == Dialect::Sqlite && n > 0 {
        sql.push_str("\nPRAGMA foreign_keys = ON;\n");
    }
    Migration {
        dialect,
        sql,
        statements: n,
        warnings,
        safety: out.safety,
    }
}

fn create_index(
    out: &mut Out,
    r: &dyn DialectRules,
    t: &Table,
    ix: &Index,
    existed: bool,
    opts: MigrationOptions,
    cx: &mut Cx,
) {
    super::ddl::index_part_warnings(r, t, ix, cx);
    let ix = match translate_index(r, t, ix, cx) {
        Ok(ix) => ix,
        Err(_) => return,
    };
    let Ok(mut s) = r.create_index(t, &ix, cx) else {
        return;
    };
    if r.dialect() == Dialect::Postgres && existed {
        if opts.concurrent_indexes {
            for head in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
                if let Some(rest) = s.strip_prefix(head) {
                    s = format!("{head}CONCURRENTLY {rest}");
                    break;
                }
            }
        } else {
            out.issue(
                "MG005",
                format!("{}.{}", t.name, ix.name),
                "index built on an existing table without CONCURRENTLY blocks writes for the whole build (--concurrently; it cannot run inside a transaction)",
            );
        }
    }
    out.push(s);
}

/// Columns an old table's keys, indexes, checks and foreign keys use.
fn constrained_columns(p: &Project, t: &Table) -> BTreeSet<ColumnId> {
    let mut s = keyed_columns(p, t);
    for ck in &t.checks {
        for c in &t.columns {
            if super::dialect::util::contains_word(&ck.expr.to_lowercase(), &c.name.to_lowercase())
            {
                s.insert(c.id);
            }
        }
    }
    s
}

fn sqlite_needs_rebuild(
    old: &Project,
    new: &Project,
    td: &TableDiff,
    added_fks: &BTreeSet<ForeignKeyId>,
    dropped_fks: &BTreeSet<ForeignKeyId>,
) -> bool {
    let o = old.table(td.old_id).expect("diffed table exists");
    let n = new.table(td.new_id).expect("diffed table exists");
    if td.column_order_changed
        || td.primary_key_changed
        || !td.uniques_added.is_empty()
        || !td.uniques_dropped.is_empty()
        || !td.checks_added.is_empty()
        || !td.checks_dropped.is_empty()
        || td.columns_changed.iter().any(|c| {
            c.changes
                .iter()
                .any(|k| !matches!(k, ColumnChangeKind::Comment { .. }))
        })
    {
        return true;
    }
    if new
        .foreign_keys_from(n.id)
        .iter()
        .any(|f| added_fks.contains(&f.id))
        || old
            .foreign_keys_from(o.id)
            .iter()
            .any(|f| dropped_fks.contains(&f.id))
    {
        return true;
    }
    let used = constrained_columns(old, o);
    if td.columns_dropped.iter().any(|c| used.contains(&c.id)) {
        return true;
    }
    let keyed_new = keyed_columns(new, n);
    td.columns_added.iter().any(|c| {
        let col = n.column(c.id).expect("added column exists");
        keyed_new.contains(&col.id)
            || (!col.nullable && col.default.is_none())
            || col.identity.is_some()
            || col.generated.as_ref().is_some_and(|g| g.stored)
            || col.default.as_deref().is_some_and(|x| {
                let x = x.trim().to_uppercase();
                x.starts_with("CURRENT_") || x.contains('(')
            })
    })
}

/// The table rebuild (SQLite's 12-step procedure; PostgreSQL for a new column order):
/// create the new shape under a temporary name, copy every row, drop the old table, rename,
/// re-index (PostgreSQL: re-add the foreign keys from and to it, reset identity sequences).
#[allow(clippy::too_many_arguments)]
fn rebuild_table(
    out: &mut Out,
    r: &dyn DialectRules,
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    td: &TableDiff,
    added_fks: &BTreeSet<ForeignKeyId>,
    fills: &Fills,
    cx: &mut Cx,
) {
    let pg = r.dialect() == Dialect::Postgres;
    let o = old.table(td.old_id).expect("diffed table exists");
    let n = new.table(td.new_id).expect("diffed table exists");
    let tmp = format!("_crowfoot_new_{}", n.name);
    let tmp_q = r.qualified(n.schema.as_deref(), &tmp);
    let mut shape = n.clone();
    let mut key_renames: Vec<(String, String)> = Vec::new();
    let fks = if pg {
        // Key names live in the schema's namespace, next to the old table's: create them
        // under temporary names and rename them once the old table is gone (unnamed keys
        // get the names PostgreSQL gives NEW's).
        if let Some(pk) = shape.primary_key.as_mut() {
            let fin = pk
                .name
                .clone()
                .unwrap_or_else(|| pg_object_name(&n.name, None, "pkey"));
            let t = format!("_crowfoot_{}_pk", n.id);
            key_renames.push((t.clone(), fin));
            pk.name = Some(t);
        }
        for (i, u) in shape.uniques.iter_mut().enumerate() {
            let cols: Vec<String> = u.columns.iter().map(|c| n.column_name(*c)).collect();
            let fin = u
                .name
                .clone()
                .unwrap_or_else(|| pg_object_name(&n.name, Some(&cols.join("_")), "key"));
            let t = format!("_crowfoot_{}_uq{i}", n.id);
            key_renames.push((t.clone(), fin));
            u.name = Some(t);
        }
        Vec::new()
    } else {
        new.foreign_keys_from(n.id)
    };
    let create = create_table(r, &shape, &fks, cx);
    let head = format!("CREATE TABLE {} (", qn(r, n));
    let create = create.replacen(&head, &format!("CREATE TABLE {tmp_q} ("), 1);
    out.push(create);
    // A renamed table already carries its new name here.
    let src = if td.rename.is_some() {
        qn(r, n)
    } else {
        qn(r, o)
    };
    let mut into = Vec::new();
    let mut from = Vec::new();
    for c in &n.columns {
        if c.generated.is_some() {
            continue;
        }
        if let Some((oc, _)) = d.column_map.iter().find(|(_, nc)| **nc == c.id)
            && let Some(ocol) = o.column(*oc)
            && ocol.generated.is_none()
        {
            into.push(r.ident(&c.name));
            from.push(r.ident(&ocol.name));
        } else if let Some(f) = fill_for(fills, n, c) {
            // A new column: the rows copied get the one-off fill.
            into.push(r.ident(&c.name));
            from.push(f.to_string());
        }
    }
    if !into.is_empty() {
        let overriding = if pg
            && n.columns
                .iter()
                .any(|c| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        out.push(format!(
            "INSERT INTO {tmp_q} ({}){overriding} SELECT {} FROM {}",
            into.join(", "),
            from.join(", "),
            src
        ));
    }
    // PostgreSQL: CASCADE drops the foreign keys into it (re-added below).
    out.push(format!(
        "DROP TABLE {src}{}",
        if pg { " CASCADE" } else { "" }
    ));
    out.push(format!(
        "ALTER TABLE {tmp_q} RENAME TO {}",
        r.ident(&n.name)
    ));
    if pg {
        for (from, to) in &key_renames {
            out.push(format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                qn(r, n),
                r.ident(from),
                r.ident(to)
            ));
        }
        for c in n.columns.iter().filter(|c| c.identity.is_some()) {
            let cn = r.ident(&c.name);
            out.push(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({cn}), 0) + 1, false) FROM {}",
                r.string_literal(&qn(r, n)),
                r.string_literal(&c.name),
                qn(r, n)
            ));
        }
        let mut seen = BTreeSet::new();
        for fk in new
            .foreign_keys_from(n.id)
            .into_iter()
            .chain(new.foreign_keys_to(n.id))
        {
            if added_fks.contains(&fk.id) || !seen.insert(fk.id) {
                continue;
            }
            let from = new.table(fk.from_table).expect("fk source exists");
            out.push(format!(
                "ALTER TABLE {} ADD {}",
                qn(r, from),
                fk_clause(r, fk, cx)
            ));
        }
    }
    for ix in &n.indexes {
        let ix = match translate_index(r, n, ix, cx) {
            Ok(ix) => ix,
            Err(_) => continue,
        };
        if let Ok(s) = r.create_index(n, &ix, cx) {
            out.push(s);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn safety_for_table(
    out: &mut Out,
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    td: &TableDiff,
    dialect: Dialect,
    exact_order: bool,
    fills: &Fills,
) {
    let o = old.table(td.old_id).expect("diffed table exists");
    let n = new.table(td.new_id).expect("diffed table exists");
    let _ = d;
    for c in &td.columns_dropped {
        out.issue(
            "MG002",
            format!("{}.{}", o.name, c.name),
            "column dropped: its values are lost, and code still reading it breaks (stop using it in one release, drop it in the next)",
        );
    }
    for rn in &td.column_renames {
        out.issue(
            "MG008",
            format!("{}.{}", n.name, rn.from),
            format!(
                "column renamed to {} (confidence {:.2}): code using the old name breaks; expand/contract: add the new column, dual-write, backfill, switch readers, then drop the old one",
                rn.to, rn.confidence
            ),
        );
    }
    for c in &td.columns_added {
        let col = n.column(c.id).expect("added column exists");
        if needs_fill(col) && fill_for(fills, n, col).is_none() {
            out.issue(
                "MG004",
                format!("{}.{}", n.name, col.name),
                format!(
                    "NOT NULL column added without a default: fails on a table with rows; give the \
                     value existing rows get with --fill '{}.{}=SQL' (or add it nullable, backfill, \
                     then SET NOT NULL; or give it a default)",
                    n.qualified_name(),
                    col.name
                ),
            );
        }
    }
    let mut rewrite = Vec::new();
    for ch in &td.columns_changed {
        let oc = o.column(ch.old_id).expect("changed column exists");
        let nc = n.column(ch.new_id).expect("changed column exists");
        let obj = format!("{}.{}", n.name, nc.name);
        for k in &ch.changes {
            match k {
                ColumnChangeKind::Type { from, to } => {
                    if narrows(&oc.ty, &nc.ty) {
                        out.issue(
                            "MG003",
                            &obj,
                            format!("type narrowed from {from} to {to}: values that do not fit fail the migration or are cut"),
                        );
                    }
                    let in_place = match dialect {
                        Dialect::Postgres => pg_type_change_in_place(&oc.ty, &nc.ty),
                        _ => false,
                    };
                    if !in_place && dialect != Dialect::Sqlite {
                        rewrite.push(format!("type of {} ({from} -> {to})", nc.name));
                    }
                }
                ColumnChangeKind::Nullable {
                    from: true,
                    to: false,
                } if nc.default.is_none() => {
                    out.issue(
                        "MG004",
                        &obj,
                        "NOT NULL added without a default: fails if any row holds NULL, and scans the table under an exclusive lock (PostgreSQL: add a CHECK (col IS NOT NULL) NOT VALID, validate it, then SET NOT NULL)",
                    );
                }
                _ => {}
            }
        }
    }
    if dialect == Dialect::MySql && td.column_order_changed && exact_order {
        rewrite.push(
            "column order (kept columns are not moved; new ones go AFTER their neighbour)".into(),
        );
    }
    if !rewrite.is_empty() {
        out.issue(
            "MG006",
            &n.name,
            format!(
                "the table is rewritten under an exclusive lock: {}",
                rewrite.join("; ")
            ),
        );
    }
}

fn rebuild_issue(out: &mut Out, n: &Table, d: Dialect) {
    let why = match d {
        Dialect::Sqlite => "SQLite cannot ALTER this change",
        _ => "PostgreSQL cannot reorder columns",
    };
    out.issue(
        "MG006",
        &n.name,
        format!("{why}: the table is rebuilt (new table, rows copied with INSERT ... SELECT, old table dropped, new one renamed, indexes recreated), locking it for the copy"),
    );
}

/// PostgreSQL names unnamed keys after their table and columns when they are created, and
/// keeps the names through renames: rename them as NEW's would be named.
fn pg_rename_engine_names(
    out: &mut Out,
    r: &dyn DialectRules,
    o: &Table,
    n: &Table,
    d: &SchemaDiff,
    td: &TableDiff,
) {
    let tn = qn(r, n);
    let map = |v: &[ColumnId]| -> Vec<ColumnId> {
        v.iter()
            .filter_map(|c| d.column_map.get(c).copied())
            .collect()
    };
    let mut renames = Vec::new();
    if !td.primary_key_changed
        && let (Some(op), Some(np)) = (&o.primary_key, &n.primary_key)
        && op.name.is_none()
        && np.name.is_none()
    {
        renames.push((
            guessed_name(Dialect::Postgres, o, &op.columns, "pkey"),
            guessed_name(Dialect::Postgres, n, &np.columns, "pkey"),
        ));
    }
    for nu in n.uniques.iter().filter(|u| u.name.is_none()) {
        if td.uniques_added.iter().any(|a| a.id == nu.id) {
            continue;
        }
        if let Some(ou) = o
            .uniques
            .iter()
            .find(|u| u.name.is_none() && map(&u.columns) == nu.columns)
        {
            renames.push((
                guessed_name(Dialect::Postgres, o, &ou.columns, "key"),
                guessed_name(Dialect::Postgres, n, &nu.columns, "key"),
            ));
        }
    }
    for (from, to) in renames {
        if from != to {
            out.push(format!(
                "ALTER TABLE {tn} RENAME CONSTRAINT {} TO {}",
                r.ident(&from),
                r.ident(&to)
            ));
        }
    }
}

/// The diff of the partitioned table `n` is a partition of, when `n` was already a partition of
/// it in OLD (PostgreSQL then applies column changes made on the parent to its partitions).
fn partition_parent_diff<'d>(d: &'d SchemaDiff, o: &Table, n: &Table) -> Option<&'d TableDiff> {
    let parent = n.partition_of.as_ref()?.parent;
    let was = o.partition_of.as_ref()?.parent;
    (d.table_map.get(&was) == Some(&parent))
        .then(|| d.table(parent))
        .flatten()
}

/// `td` without the column changes its partitioned `parent` makes too: PostgreSQL adds, drops,
/// renames and retypes a partition's columns with its parent's (`ALTER TABLE partition ADD
/// COLUMN` is refused: "cannot add column to a partition"), and sets their defaults and NOT
/// NULL along.
fn without_inherited(td: &TableDiff, parent: &TableDiff) -> TableDiff {
    let named = |v: &[super::diff::ObjectRef<ColumnId>], name: &str| {
        v.iter().any(|c| c.name.eq_ignore_ascii_case(name))
    };
    let mut out = td.clone();
    out.columns_added
        .retain(|c| !named(&parent.columns_added, &c.name));
    out.columns_dropped
        .retain(|c| !named(&parent.columns_dropped, &c.name));
    out.column_renames.retain(|r| {
        !parent
            .column_renames
            .iter()
            .any(|p| p.from == r.from && p.to == r.to)
    });
    for c in &mut out.columns_changed {
        if let Some(pc) = parent.columns_changed.iter().find(|p| p.column == c.column) {
            c.changes.retain(|k| !pc.changes.contains(k));
        }
    }
    out.columns_changed.retain(|c| !c.changes.is_empty());
    // New columns come at the parent's place in the partition: not an order change of its own.
    if out.columns_added.is_empty() {
        out.column_order_changed = false;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn alter_table(
    out: &mut Out,
    r: &dyn DialectRules,
    o: &Table,
    n: &Table,
    d: &SchemaDiff,
    td: &TableDiff,
    exact_order: bool,
    fills: &Fills,
    cx: &mut Cx,
) {
    let dialect = r.dialect();
    let tn = qn(r, n);
    let p = cx.project;
    let keyed = keyed_columns(p, n);
    let xs = ExprScope::new(r, n, p);
    for rn in &td.column_renames {
        out.push(format!(
            "ALTER TABLE {tn} RENAME COLUMN {} TO {}",
            r.ident(&rn.from),
            r.ident(&rn.to)
        ));
    }
    if dialect == Dialect::Postgres && (td.rename.is_some() || !td.column_renames.is_empty()) {
        pg_rename_engine_names(out, r, o, n, d, td);
    }
    for c in &td.columns_dropped {
        out.push(format!("ALTER TABLE {tn} DROP COLUMN {}", r.ident(&c.name)));
    }
    for c in &td.columns_added {
        let col = n.column(c.id).expect("added column exists");
        // A one-off fill (SQL of the target dialect): the column is added with it as its
        // default, so existing rows get it, then the default goes (the model has none).
        let fill = fill_for(fills, n, col).filter(|_| col.default.is_none() && !col.nullable);
        let (mut def, _, _) = column_definition(r, n, col, keyed.contains(&col.id), &xs, cx);
        if let Some(f) = fill {
            def.push_str(&format!(" DEFAULT {f}"));
        }
        let mut s = format!("ALTER TABLE {tn} ADD COLUMN {def}");
        if dialect == Dialect::MySql && exact_order {
            let i = n.column_index(col.id).expect("column exists");
            if i == 0 {
                s.push_str(" FIRST");
            } else {
                s.push_str(&format!(" AFTER {}", r.ident(&n.columns[i - 1].name)));
            }
        }
        out.push(s);
        if fill.is_some() && dialect != Dialect::Sqlite {
            out.push(format!(
                "ALTER TABLE {tn} ALTER COLUMN {} DROP DEFAULT",
                r.ident(&col.name)
            ));
        }
    }
    if dialect == Dialect::Sqlite {
        // Only comment changes remain for SQLite here (the rest forces a rebuild).
        return;
    }
    for ch in &td.columns_changed {
        let nc = n.column(ch.new_id).expect("changed column exists");
        let cn = r.ident(&nc.name);
        if dialect == Dialect::MySql {
            let (def, _, _) = column_definition(r, n, nc, keyed.contains(&nc.id), &xs, cx);
            out.push(format!("ALTER TABLE {tn} MODIFY COLUMN {def}"));
            continue;
        }
        let type_and_default = ch
            .changes
            .iter()
            .any(|k| matches!(k, ColumnChangeKind::Type { .. }))
            && ch
                .changes
                .iter()
                .any(|k| matches!(k, ColumnChangeKind::Default { .. }));
        for k in &ch.changes {
            match k {
                ColumnChangeKind::Type { .. } => {
                    let ty = column_type(r, n, nc, keyed.contains(&nc.id), cx);
                    // PostgreSQL casts the old default to the new type: it keeps the old
                    // type's cast (`''::character varying` on a text column) or refuses when
                    // no cast exists. Drop it first and set the new model's default after.
                    // The new default (changed or not) is set here; the Default arm skips.
                    let had_default = o.column(ch.old_id).is_some_and(|oc| oc.default.is_some());
                    if had_default {
                        out.push(format!("ALTER TABLE {tn} ALTER COLUMN {cn} DROP DEFAULT"));
                    }
                    out.push(format!(
                        "ALTER TABLE {tn} ALTER COLUMN {cn} TYPE {ty} USING {cn}::{ty}"
                    ));
                    if (had_default || type_and_default)
                        && nc.identity.is_none()
                        && nc.generated.is_none()
                        && let Some(e) = &nc.default
                    {
                        match xs.translate_default(e, &nc.ty) {
                            Ok((d, _)) => out.push(format!(
                                "ALTER TABLE {tn} ALTER COLUMN {cn} SET DEFAULT {}",
                                r.default_expr(&d, nc, cx)
                            )),
                            Err(why) => cx.warn(
                                &format!("{}.{}", n.name, nc.name),
                                format!("default `{}` not set again: {why}", e.trim()),
                            ),
                        }
                    }
                }
                ColumnChangeKind::Nullable { to, .. } => out.push(format!(
                    "ALTER TABLE {tn} ALTER COLUMN {cn} {} NOT NULL",
                    if *to { "DROP" } else { "SET" }
                )),
                ColumnChangeKind::Default { .. } if type_and_default => {}
                ColumnChangeKind::Default { to, .. } => match to {
                    Some(e) if nc.identity.is_none() && nc.generated.is_none() => {
                        match xs.translate_default(e, &nc.ty) {
                            Ok((d, note)) => {
                                if let Some(note) = note {
                                    cx.warn(
                                        &format!("{}.{}", n.name, nc.name),
                                        format!("default `{}`: {note}", e.trim()),
                                    );
                                }
                                out.push(format!(
                                    "ALTER TABLE {tn} ALTER COLUMN {cn} SET DEFAULT {}",
                                    r.default_expr(&d, nc, cx)
                                ))
                            }
                            Err(why) => cx.warn(
                                &format!("{}.{}", n.name, nc.name),
                                format!("default `{}` not set: {why}", e.trim()),
                            ),
                        }
                    }
                    _ => out.push(format!("ALTER TABLE {tn} ALTER COLUMN {cn} DROP DEFAULT")),
                },
                ColumnChangeKind::Identity { from, to } => {
                    if from.is_some() {
                        out.push(format!(
                            "ALTER TABLE {tn} ALTER COLUMN {cn} DROP IDENTITY IF EXISTS"
                        ));
                    }
                    if let Some(i) = to {
                        let kind = match i {
                            Identity::Always => "ALWAYS",
                            Identity::ByDefault => "BY DEFAULT",
                        };
                        out.push(format!(
                            "ALTER TABLE {tn} ALTER COLUMN {cn} ADD GENERATED {kind} AS IDENTITY"
                        ));
                    }
                }
                ColumnChangeKind::Generated { .. } => {
                    cx.warn(
                        &format!("{}.{}", n.name, nc.name),
                        "generation expression changed: the column is dropped and added again",
                    );
                    let (def, _, _) = column_definition(r, n, nc, keyed.contains(&nc.id), &xs, cx);
                    out.push(format!("ALTER TABLE {tn} DROP COLUMN {cn}"));
                    out.push(format!("ALTER TABLE {tn} ADD COLUMN {def}"));
                }
                // Only MySQL has ON UPDATE (its MODIFY COLUMN above restates it); the projects
                // were compared without it elsewhere (`as_exported`).
                ColumnChangeKind::OnUpdate { .. } => {}
                ColumnChangeKind::Comment { to, .. } => out.push(format!(
                    "COMMENT ON COLUMN {tn}.{cn} IS {}",
                    to.as_deref()
                        .map(|c| r.string_literal(c))
                        .unwrap_or_else(|| "NULL".into())
                )),
            }
        }
    }
    if td.comment_changed && dialect == Dialect::Postgres {
        out.push(format!(
            "COMMENT ON TABLE {tn} IS {}",
            n.comment
                .as_deref()
                .map(|c| r.string_literal(c))
                .unwrap_or_else(|| "NULL".into())
        ));
    }
    if td.primary_key_changed
        && let Some(pk) = &n.primary_key
    {
        out.push(format!(
            "ALTER TABLE {tn} ADD {}PRIMARY KEY ({})",
            constraint_prefix(r, pk.name.as_deref()),
            r.key_column_list(n, &pk.columns, "primary key", cx)
        ));
    }
    for u in &td.uniques_added {
        let uq = n
            .uniques
            .iter()
            .find(|x| x.id == u.id)
            .expect("added unique exists");
        out.push(format!(
            "ALTER TABLE {tn} ADD {}UNIQUE ({})",
            constraint_prefix(r, uq.name.as_deref()),
            r.key_column_list(n, &uq.columns, uq.name.as_deref().unwrap_or("unique"), cx)
        ));
    }
    for c in &td.checks_added {
        let ck = n
            .checks
            .iter()
            .find(|x| x.id == c.id)
            .expect("added check exists");
        match xs.translate(&ck.expr, Place::Check) {
            Ok(e) => out.push(format!(
                "ALTER TABLE {tn} ADD {}CHECK ({})",
                constraint_prefix(r, ck.name.as_deref()),
                e.trim()
            )),
            Err(why) => cx.warn(
                &format!("{}.{}", n.name, c.name),
                format!("CHECK not created: {why}"),
            ),
        }
    }
    let _ = (o, d);
}
