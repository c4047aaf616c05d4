//! What the SQL importer (`sql::import`) needs to know of each dialect: how its scripts are
//! split into statements, which statements it reads by hand before sqlparser, how names and
//! schemas are stored, and the textual fixes for syntax sqlparser does not take. Every
//! [`DialectRules`](super::dialect::DialectRules) is also an `ImportRules`; the defaults are
//! "the dialect has no such thing", each dialect file overrides what it has.

use super::import::split::SplitOptions;
use crate::model::LogicalType;

pub trait ImportRules {
    /// How the statement splitter reads the dialect's scripts (quoting, comments).
    fn split_options(&self) -> SplitOptions {
        SplitOptions::default()
    }

    /// Comments are removed before a statement is read (MySQL: `/*!40101 … */` version
    /// comments and `#` comments would otherwise reach sqlparser).
    fn strip_comments(&self) -> bool {
        false
    }

    /// `ALTER TABLE … ALTER COLUMN … ADD GENERATED … AS IDENTITY (…)` (pg_dump's identity
    /// columns) is read by hand.
    fn alter_add_identity(&self) -> bool {
        false
    }

    /// `SET @s = '…'; PREPARE …; EXECUTE …` dynamic DDL (MySQL dumps) is read.
    fn dynamic_sql(&self) -> bool {
        false
    }

    /// Scripts are T-SQL batches (`GO`, statements without `;`, bracket names).
    fn tsql_batches(&self) -> bool {
        false
    }

    /// `DO $$ … $$` blocks run procedural code (PostgreSQL); their DDL is read when it is
    /// plain.
    fn do_blocks(&self) -> bool {
        false
    }

    /// `CREATE FULLTEXT|SPATIAL INDEX i ON t (…)` exists (read as `ALTER TABLE t ADD …`).
    fn fulltext_spatial_indexes(&self) -> bool {
        false
    }

    /// PostgreSQL 18's `GENERATED ALWAYS AS (…) VIRTUAL`, which sqlparser does not take, is
    /// read as STORED and marked virtual afterwards.
    fn virtual_generated_retry(&self) -> bool {
        false
    }

    /// A generated column without STORED/VIRTUAL is stored (PostgreSQL before 18).
    fn generated_stored_by_default(&self) -> bool {
        false
    }

    /// `INVISIBLE` columns exist (MySQL 8: also the hidden columns of expression indexes).
    fn invisible_columns(&self) -> bool {
        false
    }

    /// The schema an imported object is kept in: `None` for the default schema or for a
    /// dialect whose "schemas" are databases (MySQL) or attached files (SQLite).
    fn imported_schema(&self, schema: Option<String>) -> Option<String> {
        let _ = schema;
        None
    }

    /// The name the engine gives an unnamed index whose first key part is `first`.
    fn default_index_name(&self, table: &str, first: &str) -> String {
        format!("{table}_{first}_idx")
    }

    /// A type name read differently in this dialect than the portable reading (and whether
    /// the model's type loses something of it): `base` is the lower-case name without
    /// arguments, `width` its first numeric argument, `tz` a `with time zone` suffix.
    fn read_type(
        &self,
        base: &str,
        args: &[String],
        width: Option<u32>,
        tz: bool,
    ) -> Option<(LogicalType, bool)> {
        let _ = (base, args, width, tz);
        None
    }

    /// Textual fixes for syntax sqlparser does not take; each change is described in
    /// `notes` (reported as a partial import).
    fn rewrite_statement(&self, head: &[String], text: String, notes: &mut Vec<String>) -> String {
        let _ = (head, notes);
        text
    }
}
