//! Design patterns applied in one step (issue 20, docs/patterns.md): `history`, `soft-delete`,
//! `outbox`, `event-store`, `read-model` and `temporal` add tables, columns, keys, indexes,
//! views and (as per-dialect extra SQL) triggers and constraints to a project. [`plan`] returns a preview of what a pattern adds and the one
//! undoable [`Command`] (a [`Command::Named`] batch) that adds it; [`remove_plan`] the command
//! that takes it out again.
//!
//! **How a pattern is found again for removal.** Nothing is recorded in the project (no file
//! format change): every object a pattern adds has a name derived from the pattern and its
//! table (`events`, `outbox`, `{T}_history`, the triggers `{T}_history_ai`…, the view
//! `{T}_live`, the column `deleted_at`, unique indexes partial on `deleted_at IS NULL`, the
//! materialized view `{T}_read`, the columns `valid_from`/`valid_to`, `{T}_no_overlap`), and
//! [`remove_plan`] looks those names up. Renaming such an object by hand hides it from the
//! removal (undo still takes the pattern back exactly).

mod event_store;
pub(crate) mod history;
mod outbox;
mod read_model;
mod soft_delete;
mod temporal;

use crate::model::*;
use serde::Serialize;

/// A design pattern. Its command-line name is the kebab-case form (`event-store`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Pattern {
    History,
    SoftDelete,
    Outbox,
    EventStore,
    ReadModel,
    Temporal,
}

impl Pattern {
    /// The command-line name (`soft-delete`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// One line saying what the pattern is for.
    pub fn summary(self) -> &'static str {
        match self {
            Pattern::History => {
                "every insert, update and delete of a table copied by triggers into T_history"
            }
            Pattern::SoftDelete => {
                "rows marked deleted (deleted_at) instead of removed; uniques hold among live rows"
            }
            Pattern::Outbox => "events written in the same transaction as the data, relayed later",
            Pattern::EventStore => "append-only events per stream, versioned, with snapshots",
            Pattern::ReadModel => {
                "a table joined with related ones, kept as a materialized view for queries"
            }
            Pattern::Temporal => {
                "rows valid for a period (valid_from, valid_to); periods of a key never overlap"
            }
        }
    }

    /// The pattern works on one table (`--table`).
    pub fn needs_table(self) -> bool {
        matches!(
            self,
            Pattern::History | Pattern::SoftDelete | Pattern::ReadModel | Pattern::Temporal
        )
    }
}

/// What a pattern is applied to.
#[derive(Clone, Debug)]
pub struct Options {
    /// The table (`name` or `schema.name`, resolved as `analysis::explore::resolve_table`
    /// does) for the patterns that need one.
    pub table: Option<String>,
    /// The dialects triggers and constraints are written for (history, temporal, read-model's
    /// PostgreSQL index); the others' exports go without them.
    pub dialects: Vec<Dialect>,
    /// The columns whose periods may not overlap (temporal); empty: the primary key, which
    /// then gets `valid_from`.
    pub key: Vec<String>,
    /// The tables a read model joins (by the shortest foreign-key path from its table);
    /// empty: every table it references.
    pub join: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            table: None,
            dialects: Dialect::ALL.to_vec(),
            join: Vec::new(),
            key: Vec::new(),
        }
    }
}

/// A preview and the command that carries it out.
#[derive(Clone, Debug, Serialize)]
pub struct PatternPlan {
    pub pattern: &'static str,
    /// The command's label in the undo history ("Apply pattern history to orders").
    pub label: String,
    /// One line per object added (`+ …`), changed (`~ …`) or removed (`- …`).
    pub changes: Vec<String>,
    /// What the pattern cannot do on some dialects, and similar limits.
    pub notes: Vec<String>,
    #[serde(skip)]
    pub command: Command,
}

/// The preview and command of applying `pattern` to `p`.
pub fn plan(p: &Project, pattern: Pattern, opts: &Options) -> Result<PatternPlan, String> {
    let table = target(p, pattern, opts)?;
    if !opts.join.is_empty() && pattern != Pattern::ReadModel {
        return Err(format!(
            "pattern {} joins no tables (--join is read-model's)",
            pattern.name()
        ));
    }
    if !opts.key.is_empty() && pattern != Pattern::Temporal {
        return Err(format!(
            "pattern {} takes no key (--key is temporal's)",
            pattern.name()
        ));
    }
    let mut d = Draft::new(p);
    match pattern {
        Pattern::EventStore => event_store::apply(&mut d)?,
        Pattern::Outbox => outbox::apply(&mut d)?,
        Pattern::SoftDelete => soft_delete::apply(&mut d, table.expect("needs a table"), opts)?,
        Pattern::History => history::apply(&mut d, table.expect("needs a table"), opts)?,
        Pattern::ReadModel => read_model::apply(&mut d, table.expect("needs a table"), opts)?,
        Pattern::Temporal => temporal::apply(&mut d, table.expect("needs a table"), opts)?,
    }
    let again =
        pattern == Pattern::History && table.is_some_and(|t| history::history_of(p, t).is_some());
    let label = match table {
        Some(t) if again => format!("Update pattern {} on {}", pattern.name(), t.name),
        Some(t) => format!("Apply pattern {} to {}", pattern.name(), t.name),
        None => format!("Apply pattern {}", pattern.name()),
    };
    Ok(d.finish(pattern, label))
}

/// The preview and command of taking out what `pattern` added (found by its names, see the
/// module documentation). An error when none of it is there.
pub fn remove_plan(p: &Project, pattern: Pattern, opts: &Options) -> Result<PatternPlan, String> {
    let table = target(p, pattern, opts)?;
    let mut d = Draft::new(p);
    match pattern {
        Pattern::EventStore => event_store::remove(&mut d),
        Pattern::Outbox => outbox::remove(&mut d),
        Pattern::SoftDelete => soft_delete::remove(&mut d, table.expect("needs a table")),
        Pattern::History => history::remove(&mut d, table.expect("needs a table")),
        Pattern::ReadModel => read_model::remove(&mut d, table.expect("needs a table")),
        Pattern::Temporal => temporal::remove(&mut d, table.expect("needs a table")),
    }
    if d.cmds.is_empty() {
        return Err(format!(
            "nothing of pattern {} found{}",
            pattern.name(),
            table
                .map(|t| format!(" on `{}`", t.name))
                .unwrap_or_default()
        ));
    }
    let label = match table {
        Some(t) => format!("Remove pattern {} from {}", pattern.name(), t.name),
        None => format!("Remove pattern {}", pattern.name()),
    };
    Ok(d.finish(pattern, label))
}

/// The table the pattern works on, resolved; an error when it needs one and has none, or
/// has one it does not use.
fn target<'p>(
    p: &'p Project,
    pattern: Pattern,
    opts: &Options,
) -> Result<Option<&'p Table>, String> {
    match (&opts.table, pattern.needs_table()) {
        (Some(name), true) => {
            let id = crate::analysis::explore::resolve_table(p, name)?;
            Ok(p.table(id))
        }
        (None, true) => Err(format!("pattern {} needs a table", pattern.name())),
        (Some(_), false) => Err(format!(
            "pattern {} adds its own tables; it takes no table",
            pattern.name()
        )),
        (None, false) => Ok(None),
    }
}

/// The commands and preview lines being built.
struct Draft<'p> {
    p: &'p Project,
    cmds: Vec<Command>,
    changes: Vec<String>,
    notes: Vec<String>,
}

impl<'p> Draft<'p> {
    fn new(p: &'p Project) -> Self {
        Draft {
            p,
            cmds: Vec::new(),
            changes: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn finish(self, pattern: Pattern, label: String) -> PatternPlan {
        PatternPlan {
            pattern: pattern.name(),
            command: Command::Named {
                label: label.clone(),
                command: Box::new(Command::Batch(self.cmds)),
            },
            label,
            changes: self.changes,
            notes: self.notes,
        }
    }

    fn id(&self) -> u64 {
        self.p.alloc_id()
    }

    /// A column with a fresh id.
    fn column(&self, name: &str, ty: LogicalType, nullable: bool) -> Column {
        Column {
            nullable,
            ..Column::new(ColumnId(self.id()), name, ty)
        }
    }

    /// `name` is free for a new table or view in `schema`.
    fn free(&self, schema: Option<&str>, name: &str) -> Result<(), String> {
        let taken = self.p.table_by_name(schema, name).is_some()
            || self
                .p
                .views()
                .any(|v| v.schema.as_deref() == schema && v.name == name);
        if taken {
            Err(format!(
                "`{name}` already exists: the pattern would add a table or view of that name"
            ))
        } else {
            Ok(())
        }
    }

    /// Add `t` (placed right of the project's tables), with its preview line.
    fn add_table(&mut self, mut t: Table) -> Result<(), String> {
        self.free(t.schema.as_deref(), &t.name)?;
        let right = self
            .p
            .tables()
            .map(|t| t.position.x)
            .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))));
        let top = self
            .p
            .tables()
            .map(|t| t.position.y)
            .fold(None, |m: Option<f32>, y| Some(m.map_or(y, |m| m.min(y))));
        let placed = self
            .cmds
            .iter()
            .filter(|c| matches!(c, Command::AddTable(_)))
            .count() as f32;
        t.position = Position {
            x: right.map_or(0.0, |x| x + 320.0) + 320.0 * placed,
            y: top.unwrap_or(0.0),
        };
        let mut line = format!(
            "+ table {} ({})",
            t.qualified_name(),
            t.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for u in &t.uniques {
            line += &format!(
                "; unique ({})",
                u.columns
                    .iter()
                    .map(|c| t.column_name(*c))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        self.changes.push(line);
        for ix in &t.indexes {
            self.changes.push(format!(
                "+ index {} on {}{}",
                ix.name,
                t.qualified_name(),
                ix.where_clause
                    .as_ref()
                    .map(|w| format!(" WHERE {w}"))
                    .unwrap_or_default()
            ));
        }
        self.cmds.push(Command::AddTable(Box::new(t)));
        Ok(())
    }

    /// Remove the extra SQL statement `x`, with its preview line.
    fn remove_extra(&mut self, x: &ExtraSql) {
        self.changes.push(format!(
            "- {} {} ({})",
            x.kind,
            x.name.as_deref().unwrap_or_default(),
            x.dialect.display_name()
        ));
        self.cmds.push(Command::RemoveExtraSql(x.id));
    }

    /// Remove the table `name` (unqualified, in `schema`) when it exists.
    fn remove_table(&mut self, schema: Option<&str>, name: &str) {
        if let Some(t) = self.p.table_by_name(schema, name) {
            self.changes.push(format!("- table {}", t.qualified_name()));
            self.cmds.push(Command::RemoveTable(t.id));
        }
    }
}

/// A note when `t` has a history (pattern history) that will miss the columns `added`.
fn history_note(d: &mut Draft, t: &Table, added: &[&str]) {
    if let Some(h) = history::history_of(d.p, t) {
        d.notes.push(format!(
            "{} has a history: apply pattern history to {} again so {} copies {} (lint DL014)",
            t.name,
            t.name,
            h.name,
            added.join(", ")
        ));
    }
}

/// A primary key over `cols`.
fn pk(cols: &[&Column]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: None,
        columns: cols.iter().map(|c| c.id).collect(),
    })
}

/// The name of an object a pattern derives from `base` (a table's or view's name) and
/// `suffix`: at most 63 bytes, PostgreSQL's limit (which is within MySQL's 64 characters). A
/// longer base is cut and followed by a hash of the whole name, so two long tables' objects
/// stay apart and the removal finds the same name again.
pub(crate) fn derived(base: &str, suffix: &str) -> String {
    const MAX: usize = 63;
    let whole = format!("{base}{suffix}");
    if whole.len() <= MAX {
        return whole;
    }
    let room = MAX.saturating_sub(suffix.len() + 9);
    let mut cut = room.min(base.len());
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}{}{suffix}",
        &base[..cut],
        crate::sql::ddl::cut_mark(&whole)
    )
}

/// `CURRENT_TIMESTAMP`, the default of the time columns the patterns add.
const NOW: &str = "CURRENT_TIMESTAMP";
