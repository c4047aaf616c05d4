//! Distribution readiness (issue 18, docs/distribution.md): how a project's tables would be
//! placed on a distributed database (Citus, Vitess, CockroachDB/YugabyteDB) and what in the
//! schema the engine would refuse or serve badly.
//!
//! A table's role is stored in the model (`Table::distribution`); where none is stored the
//! [`plan`] suggests one from the foreign-key graph ([`suggest`]), so a check always judges a
//! complete plan and says which roles it assumed. The DS rules are entries of the one
//! catalogue (`rules/distribution.rs`, [`checks`]); [`check`] runs those of one [`Engine`].
//! [`citus`] writes the Citus calls that `crowfoot export --distribution citus` appends.

pub mod checks;
pub mod citus;
mod suggest;

pub use suggest::{KEY_NAMES, REFERENCE_MAX_ROWS, suggest};

use super::check::Problem;
use crate::model::{ColumnId, Command, Dialect, Distribution, Project, Table, TableId};
use serde::Serialize;

/// A distributed database the check judges a schema for. YugabyteDB shares CockroachDB's
/// rules (both split every table into ranges by primary key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// PostgreSQL with the Citus extension.
    Citus,
    /// MySQL sharded by Vitess.
    Vitess,
    /// CockroachDB, and YugabyteDB (YSQL), which share its rules.
    Cockroach,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Citus, Engine::Vitess, Engine::Cockroach];

    /// `citus`, `vitess`, `cockroach` (the command line's names).
    pub fn cli_name(self) -> &'static str {
        match self {
            Engine::Citus => "citus",
            Engine::Vitess => "vitess",
            Engine::Cockroach => "cockroach",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Engine::Citus => "Citus",
            Engine::Vitess => "Vitess",
            Engine::Cockroach => "CockroachDB/YugabyteDB",
        }
    }

    /// The SQL dialect the engine speaks (its rules' fixtures are written in it).
    pub fn dialect(self) -> Dialect {
        match self {
            Engine::Citus | Engine::Cockroach => Dialect::Postgres,
            Engine::Vitess => Dialect::MySql,
        }
    }

    /// Does the engine place tables by the roles of a plan? CockroachDB and YugabyteDB shard
    /// every table by its primary key, whatever the plan says.
    pub fn uses_roles(self) -> bool {
        !matches!(self, Engine::Cockroach)
    }

    pub fn from_cli_name(s: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.cli_name() == s)
    }
}

/// One table's role in a plan and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub table: TableId,
    pub role: Distribution,
    /// Stored in the project (`Table::distribution`) rather than suggested.
    pub stored: bool,
    /// Why the planner chose it (or "stored in the project").
    pub reason: String,
}

/// A role for every table: the stored ones, and the suggestion for the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The distribution key: the column name most tables carry and reach a root table by,
    /// such as `tenant_id` (or the one `--key` named); `None` when the graph shows none.
    pub key: Option<String>,
    /// The table the key refers to (`tenants`), distributed by the referenced column so its
    /// rows sit with the rows that point at them.
    pub root: Option<TableId>,
    /// Every table, in id order.
    pub tables: Vec<Planned>,
}

impl Plan {
    pub fn get(&self, t: TableId) -> Option<&Planned> {
        self.tables.iter().find(|x| x.table == t)
    }

    pub fn role(&self, t: TableId) -> Option<Distribution> {
        self.get(t).map(|x| x.role)
    }

    /// The distribution column of a distributed table.
    pub fn column(&self, t: TableId) -> Option<ColumnId> {
        match self.role(t) {
            Some(Distribution::Distributed(c)) => Some(c),
            _ => None,
        }
    }

    pub fn is_reference(&self, t: TableId) -> bool {
        self.role(t) == Some(Distribution::Reference)
    }

    /// How many roles are stored in the project (the rest are suggested).
    pub fn stored_count(&self) -> usize {
        self.tables.iter().filter(|x| x.stored).count()
    }

    /// `distributed by tenant_id`, `reference` or `local`.
    pub fn describe(role: Distribution, t: &Table) -> String {
        match role {
            Distribution::Distributed(c) => format!("distributed by {}", t.column_name(c)),
            other => other.kind().to_string(),
        }
    }

    /// The plan as JSON (`crowfoot check --distribution --format json`).
    pub fn to_json(&self, p: &Project) -> serde_json::Value {
        let name = |id: TableId| p.table(id).map(|t| t.qualified_name());
        let tables: Vec<serde_json::Value> = self
            .tables
            .iter()
            .filter_map(|x| {
                let t = p.table(x.table)?;
                let column = match x.role {
                    Distribution::Distributed(c) => Some(t.column_name(c)),
                    _ => None,
                };
                Some(serde_json::json!({
                    "table": t.qualified_name(),
                    "role": x.role.kind(),
                    "column": column,
                    "stored": x.stored,
                    "reason": x.reason,
                }))
            })
            .collect();
        serde_json::json!({
            "key": self.key,
            "root": self.root.and_then(name),
            "tables": tables,
        })
    }
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// `--key` names a column no table has.
    #[error("no table has a column {key:?}{}", suggestion(.close))]
    UnknownKey { key: String, close: Option<String> },
}

fn suggestion(close: &Option<String>) -> String {
    match close {
        Some(c) => format!(" (did you mean {c:?}?)"),
        None => String::new(),
    }
}

/// The plan a check judges: every stored role, and for the other tables the suggestion
/// ([`suggest`]) made around the stored ones. `key` forces the distribution key column.
pub fn plan(p: &Project, key: Option<&str>) -> Result<Plan, PlanError> {
    suggest::plan(p, key, true)
}

/// The edits storing `roles` in `p`: one `SetDistribution` per table whose stored role
/// differs (nothing for the others), for one undoable `Command::Batch`.
pub fn set_roles(
    p: &Project,
    roles: impl IntoIterator<Item = (TableId, Distribution)>,
) -> Vec<Command> {
    roles
        .into_iter()
        .filter(|(t, role)| p.table(*t).is_some_and(|t| t.distribution != Some(*role)))
        .map(|(table, role)| Command::SetDistribution {
            table,
            distribution: Some(role),
        })
        .collect()
}

/// The edits storing every role of `plan` (`crowfoot check --distribution --apply`).
pub fn apply_commands(p: &Project, plan: &Plan) -> Vec<Command> {
    set_roles(p, plan.tables.iter().map(|x| (x.table, x.role)))
}

/// The DS findings of `engine` on `p` under `plan`, in catalogue order.
pub fn check(p: &Project, engine: Engine, plan: &Plan) -> Vec<Problem> {
    use super::rules::{Check, Family};
    let mut out = Vec::new();
    for r in Family::Distribution.rules() {
        if let Check::Distribution { engines, check } = r.check
            && engines.contains(&engine)
        {
            check(p, engine, plan, &mut out);
        }
    }
    out
}
