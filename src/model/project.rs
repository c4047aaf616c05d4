//! The project: a schema graph (tables = nodes, foreign keys = edges) plus enums, views,
//! notes, areas and settings.

use super::ids::*;
use super::sequence::*;
use super::table::*;
use super::types::Dialect;
use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The project's id counter: only grows. Atomic so that ids can be handed out through a
/// shared reference (see [`Project::alloc_id`]).
#[derive(Debug, Default)]
pub(crate) struct IdCounter(std::sync::atomic::AtomicU64);

impl IdCounter {
    fn new(n: u64) -> Self {
        IdCounter(std::sync::atomic::AtomicU64::new(n))
    }
    fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
    /// The current value, and the counter moved past it (it never wraps: loaded ids are at
    /// most `MAX_ID`).
    fn alloc(&self) -> u64 {
        self.0
            .fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |n| Some(n.saturating_add(1)),
            )
            .expect("the update always succeeds")
    }
    /// Make sure the next id is above `id`.
    fn raise_above(&self, id: u64) {
        self.0
            .fetch_max(id.saturating_add(1), std::sync::atomic::Ordering::Relaxed);
    }
}

impl Clone for IdCounter {
    fn clone(&self) -> Self {
        IdCounter::new(self.get())
    }
}

/// Letter case convention for generated names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NamingCase {
    #[default]
    SnakeCase,
    CamelCase,
    PascalCase,
    /// Whatever the user typed.
    AsTyped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamingConventions {
    #[serde(default)]
    pub case: NamingCase,
    /// Pattern for generated index names: `{table}` and `{columns}` are replaced.
    #[serde(default = "default_index_pattern")]
    pub index_pattern: String,
    /// Pattern for generated foreign key names: `{table}`, `{columns}`, `{ref_table}`.
    #[serde(default = "default_fk_pattern")]
    pub fk_pattern: String,
}

fn default_index_pattern() -> String {
    "ix_{table}_{columns}".into()
}
fn default_fk_pattern() -> String {
    "fk_{table}_{ref_table}".into()
}

impl Default for NamingConventions {
    fn default() -> Self {
        NamingConventions {
            case: NamingCase::default(),
            index_pattern: default_index_pattern(),
            fk_pattern: default_fk_pattern(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub target_dialect: Dialect,
    #[serde(default)]
    pub naming: NamingConventions,
    /// Dialect that defaults, checks, generated columns, index expressions and view bodies
    /// are written in (set by the importer); `None` = written by hand in the studio, treated
    /// as PostgreSQL-compatible. Exports to another dialect translate them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression_dialect: Option<Dialect>,
    /// Per-rule configuration of `check` / the Problems panel: a rule id (`DL013`, `IX006`,
    /// `CF005`...) turned off or given another severity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lint: BTreeMap<String, RuleLevel>,
    /// Named views of the canvas (presenter mode steps through them in order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saved_views: Vec<SavedView>,
}

/// A named viewport: the canvas point at the centre of the screen, the zoom, and tables to
/// highlight (with their neighbours) while presenting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedView {
    pub name: String,
    pub center: super::table::Position,
    pub zoom: f32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlight: Vec<TableId>,
}

/// How a rule is reported in this project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            target_dialect: Dialect::Postgres,
            naming: NamingConventions::default(),
            expression_dialect: None,
            lint: BTreeMap::new(),
            saved_views: Vec::new(),
        }
    }
}

/// Errors from building or editing a project. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("no table with id {0}")]
    NoTable(TableId),
    #[error("no column with id {1} in table {0}")]
    NoColumn(TableId, ColumnId),
    #[error("no foreign key with id {0}")]
    NoForeignKey(ForeignKeyId),
    #[error("no index with id {1} in table {0}")]
    NoIndex(TableId, IndexId),
    #[error("no constraint with id {1} in table {0}")]
    NoConstraint(TableId, ConstraintId),
    #[error("{0} with id {1} does not exist")]
    Missing(&'static str, u64),
    #[error("id {0} is already used")]
    DuplicateId(u64),
    #[error("{0}")]
    Invalid(String),
}

/// Largest id a project may use; larger ids in a file are refused (so the counter can never
/// overflow and hand out a used id).
pub const MAX_ID: u64 = 1 << 53;

/// A whole Crowfoot project.
#[derive(Clone, Debug)]
pub struct Project {
    pub(crate) name: String,
    pub(crate) settings: Settings,
    pub(crate) next_id: IdCounter,
    /// The largest id inserted so far (not saved; rebuilt on load). Ids above it are free.
    pub(crate) high_water: u64,
    /// Every id in use, built on demand and kept up to date by insertions; a removal drops it
    /// (see `forget_ids`). Makes `ensure_ids_free` O(1) per id while a project is being built.
    pub(crate) id_cache: Option<std::collections::HashSet<u64>>,
    pub(crate) graph: StableGraph<Table, ForeignKey>,
    pub(crate) table_nodes: BTreeMap<TableId, NodeIndex>,
    pub(crate) fk_edges: BTreeMap<ForeignKeyId, EdgeIndex>,
    pub(crate) enums: BTreeMap<EnumId, EnumType>,
    pub(crate) sequences: BTreeMap<SequenceId, Sequence>,
    pub(crate) views: BTreeMap<ViewId, View>,
    pub(crate) notes: BTreeMap<NoteId, Note>,
    pub(crate) areas: BTreeMap<AreaId, Area>,
    /// Verbatim statements (functions, triggers, ...), exported in id order.
    pub(crate) extra_sql: BTreeMap<ExtraSqlId, ExtraSql>,
}

impl Default for Project {
    fn default() -> Self {
        Project::new("Untitled")
    }
}

/// Equality of content: same objects with the same ids. The id counter is not compared,
/// because undo deliberately never hands a used id out again.
impl PartialEq for Project {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.settings == other.settings
            && self.tables().eq(other.tables())
            && self.foreign_keys().eq(other.foreign_keys())
            && self.enums == other.enums
            && self.sequences == other.sequences
            && self.views == other.views
            && self.notes == other.notes
            && self.areas == other.areas
            && self.extra_sql == other.extra_sql
    }
}

impl Project {
    pub fn new(name: impl Into<String>) -> Self {
        Project {
            name: name.into(),
            settings: Settings::default(),
            next_id: IdCounter::new(1),
            high_water: 0,
            id_cache: None,
            graph: StableGraph::new(),
            table_nodes: BTreeMap::new(),
            fk_edges: BTreeMap::new(),
            enums: BTreeMap::new(),
            sequences: BTreeMap::new(),
            views: BTreeMap::new(),
            notes: BTreeMap::new(),
            areas: BTreeMap::new(),
            extra_sql: BTreeMap::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The next id that `alloc_id` will hand out.
    pub fn next_id(&self) -> u64 {
        self.next_id.get()
    }

    /// Hand out a fresh id. Ids are never reused, even after the object is deleted. Takes
    /// `&self`: handing out an id does not change the project's content, so code building a
    /// command (the studio, fixes, the clipboard) needs only to read the project.
    pub fn alloc_id(&self) -> u64 {
        self.next_id.alloc()
    }

    pub(crate) fn note_id_used(&mut self, id: u64) {
        self.high_water = self.high_water.max(id);
        if let Some(cache) = &mut self.id_cache {
            cache.insert(id);
        }
        self.next_id.raise_above(id);
    }

    /// Error unless none of `ids` is in use (ids of `except_table` and its contents are
    /// ignored: the table is being replaced) and all are in the valid range.
    pub(crate) fn ensure_ids_free(
        &mut self,
        ids: &[u64],
        except_table: Option<TableId>,
    ) -> Result<(), ModelError> {
        if let Some(&bad) = ids.iter().find(|&&id| id == 0 || id > MAX_ID) {
            return Err(ModelError::Invalid(format!(
                "id {bad} is out of range (1..={MAX_ID})"
            )));
        }
        // Every id in use is at most `high_water` (each insertion notes its ids), so fresh
        // ids need no search; only re-added ones (undo, hand-made ids) do.
        if ids.iter().all(|&id| id > self.high_water) {
            return Ok(());
        }
        if except_table.is_none() {
            if self.id_cache.is_none() {
                self.id_cache = Some(all_ids(self));
            }
            let cache = self.id_cache.as_ref().expect("just built");
            return match ids.iter().find(|id| cache.contains(id)) {
                Some(&id) => Err(ModelError::DuplicateId(id)),
                None => Ok(()),
            };
        }
        let hit = |id: u64| ids.contains(&id).then_some(id);
        for t in self.tables() {
            if Some(t.id) == except_table {
                continue;
            }
            let found = std::iter::once(t.id.0)
                .chain(t.columns.iter().map(|c| c.id.0))
                .chain(t.uniques.iter().map(|u| u.id.0))
                .chain(t.checks.iter().map(|c| c.id.0))
                .chain(t.indexes.iter().map(|i| i.id.0))
                .find_map(hit);
            if let Some(id) = found {
                return Err(ModelError::DuplicateId(id));
            }
        }
        let used = self
            .fk_edges
            .keys()
            .map(|k| k.0)
            .chain(self.enums.keys().map(|k| k.0))
            .chain(self.sequences.keys().map(|k| k.0))
            .chain(self.views.keys().map(|k| k.0))
            .chain(self.notes.keys().map(|k| k.0))
            .chain(self.areas.keys().map(|k| k.0))
            .chain(self.extra_sql.keys().map(|k| k.0))
            .find_map(hit);
        match used {
            Some(id) => Err(ModelError::DuplicateId(id)),
            None => Ok(()),
        }
    }

    /// Drop the id cache after a removal (the next check rebuilds it).
    pub(crate) fn forget_ids(&mut self) {
        self.id_cache = None;
    }

    /// `forget_ids`, then the map `f` picks (for removals written as one expression).
    pub(crate) fn forget_and<T>(&mut self, f: impl FnOnce(&mut Project) -> &mut T) -> &mut T {
        self.forget_ids();
        f(self)
    }

    /// The schema graph: nodes are tables, edges are foreign keys (referencing → referenced).
    /// Node and edge indices are internal; use ids to refer to objects.
    pub fn graph(&self) -> &StableGraph<Table, ForeignKey> {
        &self.graph
    }

    pub fn node_index(&self, id: TableId) -> Option<NodeIndex> {
        self.table_nodes.get(&id).copied()
    }

    /// Tables in id order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> + '_ {
        self.table_nodes.values().map(move |&n| &self.graph[n])
    }

    pub fn table_count(&self) -> usize {
        self.table_nodes.len()
    }

    pub fn table(&self, id: TableId) -> Option<&Table> {
        self.table_nodes.get(&id).map(|&n| &self.graph[n])
    }

    pub(crate) fn table_mut(&mut self, id: TableId) -> Result<&mut Table, ModelError> {
        let n = *self.table_nodes.get(&id).ok_or(ModelError::NoTable(id))?;
        Ok(&mut self.graph[n])
    }

    pub fn table_by_name(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        self.tables()
            .find(|t| t.name == name && t.schema.as_deref() == schema)
    }

    /// Foreign keys in id order.
    pub fn foreign_keys(&self) -> impl Iterator<Item = &ForeignKey> + '_ {
        self.fk_edges.values().map(move |&e| &self.graph[e])
    }

    pub fn foreign_key_count(&self) -> usize {
        self.fk_edges.len()
    }

    pub fn foreign_key(&self, id: ForeignKeyId) -> Option<&ForeignKey> {
        self.fk_edges.get(&id).map(|&e| &self.graph[e])
    }

    /// Foreign keys declared on `table` (outgoing edges), in id order.
    pub fn foreign_keys_from(&self, table: TableId) -> Vec<&ForeignKey> {
        self.fks_dir(table, Direction::Outgoing)
    }

    /// The columns of `table` that take part in one of its foreign keys.
    pub fn fk_columns_from(&self, table: TableId) -> std::collections::BTreeSet<ColumnId> {
        self.foreign_keys_from(table)
            .iter()
            .flat_map(|fk| fk.from_columns.iter().copied())
            .collect()
    }

    /// Foreign keys that reference `table` (incoming edges), in id order.
    pub fn foreign_keys_to(&self, table: TableId) -> Vec<&ForeignKey> {
        self.fks_dir(table, Direction::Incoming)
    }

    fn fks_dir(&self, table: TableId, dir: Direction) -> Vec<&ForeignKey> {
        let Some(&n) = self.table_nodes.get(&table) else {
            return Vec::new();
        };
        let mut v: Vec<&ForeignKey> = self
            .graph
            .edges_directed(n, dir)
            .map(|e| e.weight())
            .collect();
        v.sort_by_key(|fk| fk.id);
        v
    }

    pub fn enums(&self) -> impl Iterator<Item = &EnumType> + '_ {
        self.enums.values()
    }
    pub fn enum_type(&self, id: EnumId) -> Option<&EnumType> {
        self.enums.get(&id)
    }
    /// Sequences in id order.
    pub fn sequences(&self) -> impl Iterator<Item = &Sequence> + '_ {
        self.sequences.values()
    }
    pub fn sequence(&self, id: SequenceId) -> Option<&Sequence> {
        self.sequences.get(&id)
    }
    /// The sequence named `schema.name` (case-sensitive, as PostgreSQL stores names).
    pub fn sequence_by_name(&self, schema: Option<&str>, name: &str) -> Option<&Sequence> {
        self.sequences
            .values()
            .find(|s| s.name == name && s.schema.as_deref() == schema)
    }
    /// The sequence a column default (`nextval('name'::regclass)`) reads, if it is one of
    /// this project's.
    pub fn sequence_of_default(&self, default: &str) -> Option<&Sequence> {
        let (schema, name) = super::sequence::nextval_target(default)?;
        self.sequence_by_name(schema.as_deref(), &name)
    }
    /// The sequence column `c` of table `t` takes its values from, if any.
    pub fn sequence_of_column(&self, c: &Column) -> Option<&Sequence> {
        c.default
            .as_deref()
            .and_then(|d| self.sequence_of_default(d))
    }
    /// Sequences owned by a column of `table` (`OWNED BY`), in id order.
    pub fn sequences_owned_by(&self, table: TableId) -> impl Iterator<Item = &Sequence> + '_ {
        self.sequences
            .values()
            .filter(move |s| s.owned_by.is_some_and(|o| o.table == table))
    }
    /// Columns whose default reads sequence `id`, as (table, column).
    pub fn columns_using_sequence(&self, id: SequenceId) -> Vec<(&Table, &Column)> {
        self.sequence_users().remove(&id).unwrap_or_default()
    }

    /// For every sequence some column default reads, those columns as (table, column), in
    /// table and column order: one pass over the columns for all sequences.
    pub fn sequence_users(&self) -> BTreeMap<SequenceId, Vec<(&Table, &Column)>> {
        let mut out: BTreeMap<SequenceId, Vec<(&Table, &Column)>> = BTreeMap::new();
        if self.sequences.is_empty() {
            return out;
        }
        let by_name: std::collections::HashMap<(Option<&str>, &str), SequenceId> = self
            .sequences
            .values()
            .map(|s| ((s.schema.as_deref(), s.name.as_str()), s.id))
            .collect();
        for t in self.tables() {
            for c in &t.columns {
                let Some((schema, name)) = c
                    .default
                    .as_deref()
                    .and_then(super::sequence::nextval_target)
                else {
                    continue;
                };
                if let Some(id) = by_name.get(&(schema.as_deref(), name.as_str())) {
                    out.entry(*id).or_default().push((t, c));
                }
            }
        }
        out
    }
    pub fn views(&self) -> impl Iterator<Item = &View> + '_ {
        self.views.values()
    }
    pub fn notes(&self) -> impl Iterator<Item = &Note> + '_ {
        self.notes.values()
    }
    pub fn areas(&self) -> impl Iterator<Item = &Area> + '_ {
        self.areas.values()
    }
    /// Verbatim statements kept from an import, in export order.
    pub fn extra_sql(&self) -> impl Iterator<Item = &ExtraSql> + '_ {
        self.extra_sql.values()
    }

    /// Column count over all tables.
    pub fn column_count(&self) -> usize {
        self.tables().map(|t| t.columns.len()).sum()
    }

    // ----- low-level structural operations used by commands and loading -----

    pub(crate) fn insert_table(&mut self, table: Table) -> Result<(), ModelError> {
        if self.table_nodes.contains_key(&table.id) {
            return Err(ModelError::DuplicateId(table.id.0));
        }
        self.note_table_ids(&table);
        let id = table.id;
        let n = self.graph.add_node(table);
        self.table_nodes.insert(id, n);
        Ok(())
    }

    fn note_table_ids(&mut self, table: &Table) {
        self.note_id_used(table.id.0);
        for c in &table.columns {
            self.note_id_used(c.id.0);
        }
        for u in &table.uniques {
            self.note_id_used(u.id.0);
        }
        for c in &table.checks {
            self.note_id_used(c.id.0);
        }
        for i in &table.indexes {
            self.note_id_used(i.id.0);
        }
    }

    /// Remove a table that no foreign key touches.
    pub(crate) fn take_table(&mut self, id: TableId) -> Result<Table, ModelError> {
        let &n = self.table_nodes.get(&id).ok_or(ModelError::NoTable(id))?;
        if self
            .graph
            .edges_directed(n, Direction::Outgoing)
            .next()
            .is_some()
            || self
                .graph
                .edges_directed(n, Direction::Incoming)
                .next()
                .is_some()
        {
            return Err(ModelError::Invalid(format!(
                "table `{}` still has foreign keys; remove them first",
                self.graph[n].name
            )));
        }
        self.table_nodes.remove(&id);
        self.forget_ids();
        Ok(self
            .graph
            .remove_node(n)
            .expect("node index from map is live"))
    }

    /// Replace a table's content in place (same id); foreign keys touching it must still resolve.
    pub(crate) fn replace_table(&mut self, table: Table) -> Result<Table, ModelError> {
        let n = *self
            .table_nodes
            .get(&table.id)
            .ok_or(ModelError::NoTable(table.id))?;
        for fk in self
            .graph
            .edges_directed(n, Direction::Outgoing)
            .chain(self.graph.edges_directed(n, Direction::Incoming))
        {
            let fk = fk.weight();
            let from = (fk.from_table == table.id).then_some(&fk.from_columns);
            let to = (fk.to_table == table.id).then_some(&fk.to_columns);
            for c in from.into_iter().chain(to).flatten() {
                if table.column(*c).is_none() {
                    return Err(ModelError::Invalid(format!(
                        "column #{c} is used by a foreign key and cannot be removed from `{}`",
                        table.name
                    )));
                }
            }
        }
        self.forget_ids();
        self.note_table_ids(&table);
        Ok(std::mem::replace(&mut self.graph[n], table))
    }

    pub(crate) fn insert_fk(&mut self, fk: ForeignKey) -> Result<(), ModelError> {
        if self.fk_edges.contains_key(&fk.id) {
            return Err(ModelError::DuplicateId(fk.id.0));
        }
        self.check_fk_endpoints(&fk)?;
        let a = self.table_nodes[&fk.from_table];
        let b = self.table_nodes[&fk.to_table];
        self.note_id_used(fk.id.0);
        let id = fk.id;
        let e = self.graph.add_edge(a, b, fk);
        self.fk_edges.insert(id, e);
        Ok(())
    }

    fn check_fk_endpoints(&self, fk: &ForeignKey) -> Result<(), ModelError> {
        let from = self
            .table(fk.from_table)
            .ok_or(ModelError::NoTable(fk.from_table))?;
        let to = self
            .table(fk.to_table)
            .ok_or(ModelError::NoTable(fk.to_table))?;
        if fk.from_columns.is_empty() {
            return Err(ModelError::Invalid(format!(
                "foreign key {} has no columns",
                fk.id
            )));
        }
        for c in &fk.from_columns {
            from.column(*c)
                .ok_or(ModelError::NoColumn(fk.from_table, *c))?;
        }
        for c in &fk.to_columns {
            to.column(*c).ok_or(ModelError::NoColumn(fk.to_table, *c))?;
        }
        Ok(())
    }

    pub(crate) fn take_fk(&mut self, id: ForeignKeyId) -> Result<ForeignKey, ModelError> {
        let e = self
            .fk_edges
            .remove(&id)
            .ok_or(ModelError::NoForeignKey(id))?;
        self.forget_ids();
        Ok(self
            .graph
            .remove_edge(e)
            .expect("edge index from map is live"))
    }

    /// Build a project from its parts (used by the file loader). Checks ids and references.
    pub fn from_parts(parts: ProjectParts) -> Result<Project, ModelError> {
        let ProjectParts {
            name,
            settings,
            next_id,
            enums,
            sequences,
            tables,
            foreign_keys,
            views,
            notes,
            areas,
            extra_sql,
        } = parts;
        if next_id > MAX_ID + 1 {
            return Err(ModelError::Invalid(format!(
                "next_id {next_id} is out of range (at most {}); the file is damaged",
                MAX_ID + 1
            )));
        }
        let mut p = Project::new(name);
        p.settings = settings;
        p.next_id = IdCounter::new(next_id.max(1));
        let mut seen = std::collections::BTreeSet::new();
        let mut claim = |id: u64| {
            if id == 0 || id > MAX_ID {
                Err(ModelError::Invalid(format!(
                    "id {id} is out of range (1..={MAX_ID})"
                )))
            } else if seen.insert(id) {
                Ok(())
            } else {
                Err(ModelError::DuplicateId(id))
            }
        };
        for e in enums {
            claim(e.id.0)?;
            p.note_id_used(e.id.0);
            p.enums.insert(e.id, e);
        }
        for t in tables {
            claim(t.id.0)?;
            for c in &t.columns {
                claim(c.id.0)?;
            }
            for u in &t.uniques {
                claim(u.id.0)?;
            }
            for c in &t.checks {
                claim(c.id.0)?;
            }
            for i in &t.indexes {
                claim(i.id.0)?;
            }
            crate::model::command::validate_table(&p, &t)
                .map_err(|e| ModelError::Invalid(format!("table `{}`: {e}", t.name)))?;
            p.insert_table(t)?;
        }
        for t in p.tables() {
            crate::model::command::check_partition(&p, t)
                .map_err(|e| ModelError::Invalid(format!("table `{}`: {e}", t.name)))?;
        }
        for fk in foreign_keys {
            claim(fk.id.0)?;
            p.insert_fk(fk)?;
        }
        for s in sequences {
            claim(s.id.0)?;
            crate::model::command::check_sequence(&p, &s)?;
            p.note_id_used(s.id.0);
            p.sequences.insert(s.id, s);
        }
        for v in views {
            claim(v.id.0)?;
            crate::model::command::check_view_text(&v)?;
            if let Some(t) = v.depends_on.iter().find(|t| !p.table_nodes.contains_key(t)) {
                return Err(ModelError::Invalid(format!(
                    "view `{}` depends on missing table {t}",
                    v.name
                )));
            }
            p.note_id_used(v.id.0);
            p.views.insert(v.id, v);
        }
        for n in notes {
            claim(n.id.0)?;
            p.note_id_used(n.id.0);
            p.notes.insert(n.id, n);
        }
        for a in areas {
            claim(a.id.0)?;
            p.note_id_used(a.id.0);
            p.areas.insert(a.id, a);
        }
        for x in extra_sql {
            claim(x.id.0)?;
            p.note_id_used(x.id.0);
            p.extra_sql.insert(x.id, x);
        }
        Ok(p)
    }
}

/// Everything a project is made of, as a file holds it (see [`Project::from_parts`]).
#[derive(Clone, Debug, Default)]
pub struct ProjectParts {
    pub name: String,
    pub settings: Settings,
    pub next_id: u64,
    pub enums: Vec<EnumType>,
    pub sequences: Vec<Sequence>,
    pub tables: Vec<Table>,
    pub foreign_keys: Vec<ForeignKey>,
    pub views: Vec<View>,
    pub notes: Vec<Note>,
    pub areas: Vec<Area>,
    pub extra_sql: Vec<ExtraSql>,
}

/// Every id used by any object of `p`.
fn all_ids(p: &Project) -> std::collections::HashSet<u64> {
    let mut s = std::collections::HashSet::new();
    for t in p.tables() {
        s.extend(crate::model::command::table_ids(t));
    }
    s.extend(p.fk_edges.keys().map(|k| k.0));
    s.extend(p.enums.keys().map(|k| k.0));
    s.extend(p.sequences.keys().map(|k| k.0));
    s.extend(p.views.keys().map(|k| k.0));
    s.extend(p.notes.keys().map(|k| k.0));
    s.extend(p.areas.keys().map(|k| k.0));
    s.extend(p.extra_sql.keys().map(|k| k.0));
    s
}
