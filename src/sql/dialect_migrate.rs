//! What the migration writer (`sql::migrate`) needs to know of each dialect: which changes
//! `ALTER TABLE` can make in place, how constraints and tables are dropped and renamed, the
//! names the engine gives unnamed constraints, and how the script is framed. Every
//! [`DialectRules`](super::dialect::DialectRules) is also a `MigrationRules`; the defaults
//! are the standard SQL forms, each dialect file overrides what differs.

use crate::model::{ForeignKeyId, Project, Table};
use crate::sql::diff::TableDiff;
use std::collections::BTreeSet;

/// A constraint being dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
}

/// How a migration script is wrapped around its statements.
#[derive(Clone, Debug, Default)]
pub struct ScriptFrame {
    /// The statements run in one transaction (`BEGIN` … `COMMIT`).
    pub transaction: bool,
    /// A comment line explaining the framing.
    pub note: Option<&'static str>,
    /// Before the transaction.
    pub before: Vec<&'static str>,
    /// Inside the transaction, after the statements.
    pub check: Vec<&'static str>,
    /// After the transaction.
    pub after: Vec<&'static str>,
}

pub trait MigrationRules {
    /// Migration scripts can be written for this dialect.
    fn migrations(&self) -> bool {
        true
    }

    /// How the script is framed; `concurrent_indexes`: indexes are built without blocking
    /// writes, which some engines cannot do inside a transaction.
    fn script_frame(&self, concurrent_indexes: bool) -> ScriptFrame {
        let _ = concurrent_indexes;
        ScriptFrame::default()
    }

    /// Indexes can be built on existing tables without blocking writes
    /// (`CREATE INDEX CONCURRENTLY`).
    fn concurrent_index_builds(&self) -> bool {
        false
    }

    /// Foreign keys can be added `NOT VALID` and validated later under a weaker lock.
    fn fk_not_valid(&self) -> bool {
        false
    }

    /// `ALTER TABLE` changes existing columns (type, nullability, default); SQLite only adds,
    /// renames and drops, and rebuilds the table for the rest.
    fn alters_columns(&self) -> bool {
        true
    }

    /// A changed column is written whole (`MODIFY COLUMN` with its full definition, MySQL)
    /// rather than one `ALTER COLUMN` per property.
    fn modify_column_whole(&self) -> bool {
        false
    }

    /// New columns can be placed (`AFTER x` / `FIRST`, MySQL).
    fn column_positions(&self) -> bool {
        false
    }

    /// Foreign keys exist only inside `CREATE TABLE` (SQLite): adding or dropping one
    /// rebuilds the table.
    fn fks_only_in_create_table(&self) -> bool {
        false
    }

    /// The engine makes an index for a foreign key none leads with, and keeps it when the
    /// key goes (InnoDB).
    fn implicit_fk_indexes(&self) -> bool {
        false
    }

    /// A column referenced by (or referencing through) a foreign key cannot change type while
    /// the key exists (InnoDB): the keys go first and come back after.
    fn retype_drops_fks(&self) -> bool {
        false
    }

    /// Constraint names live in the schema's namespace (PostgreSQL), so a rebuilt table
    /// creates its keys under temporary names.
    fn schema_scoped_constraint_names(&self) -> bool {
        false
    }

    /// The names the engine gave unnamed keys stay when their table or columns are renamed
    /// (PostgreSQL): the migration renames them as NEW's would be named.
    fn renames_engine_names(&self) -> bool {
        false
    }

    /// A kept table that `ALTER TABLE` cannot migrate, so it is rebuilt (new table, rows
    /// copied, old one dropped); `exact_order`: the model's column order must be reproduced.
    fn needs_rebuild(
        &self,
        old: &Project,
        new: &Project,
        td: &TableDiff,
        fks: (&BTreeSet<ForeignKeyId>, &BTreeSet<ForeignKeyId>),
        exact_order: bool,
    ) -> bool {
        let _ = (old, new, td, fks, exact_order);
        false
    }

    /// Why a table is rebuilt (the MG006 message).
    fn rebuild_reason(&self) -> &'static str {
        "ALTER TABLE cannot make this change"
    }

    /// A type change `ALTER TABLE` makes without rewriting the table.
    fn type_change_in_place(
        &self,
        from: &crate::model::LogicalType,
        to: &crate::model::LogicalType,
    ) -> bool {
        let _ = (from, to);
        false
    }

    /// The name the engine gives an unnamed constraint of `kind` (`pkey`, `key`, `fkey`) on
    /// `cols` of `table`, for dropping it.
    fn guessed_name(&self, table: &str, cols: &[String], kind: &str) -> String {
        let _ = (table, kind);
        cols.first().cloned().unwrap_or_default()
    }

    /// The name of an unnamed foreign key (InnoDB numbers them per table).
    fn unnamed_fk_name(&self, p: &Project, t: &Table, fk: &crate::model::ForeignKey) -> String {
        let _ = p;
        let cols: Vec<String> = fk.from_columns.iter().map(|c| t.column_name(*c)).collect();
        self.guessed_name(&t.name, &cols, "fkey")
    }

    /// `ALTER TABLE` clause dropping a constraint named `name` (already quoted).
    fn drop_constraint(&self, kind: ConstraintKind, name: &str) -> String {
        let _ = kind;
        format!("DROP CONSTRAINT {name}")
    }

    /// Statement dropping index `name` (unquoted) of table `t` (`table`: its quoted name).
    fn drop_index(&self, t: &Table, table: &str, name: &str) -> String;

    /// Statements renaming (and moving) table `o` to `n`'s name and schema; `quoted`: the
    /// quoted names of both.
    fn rename_table(&self, o: &Table, n: &Table, quoted: (&str, &str)) -> Vec<String>;

    /// Statement setting a table's comment (`None`: the comment is part of the table's
    /// definition, or the dialect has none).
    fn table_comment(&self, table: &str, comment: Option<&str>) -> Option<String> {
        let _ = (table, comment);
        None
    }

    /// Enum types are schema objects (`CREATE TYPE … AS ENUM`) altered and dropped on their
    /// own.
    fn enum_types(&self) -> bool {
        false
    }
}
