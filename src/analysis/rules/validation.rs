//! CF: model validation (`analysis::check`), one runner for the family.

use super::{ALL_DIALECTS, Check, Family, Fixture, Rule, Severity, table};
use crate::analysis::check::{self, Problem};
use crate::model::*;

/// The family's runner: `check::check`.
pub(super) fn run(p: &Project, d: Dialect, out: &mut Vec<Problem>) {
    out.extend(check::check(p, d));
}

const RUN: Check = Check::Runner(run);

const TWO_TABLES: &str = "CREATE TABLE a (id integer PRIMARY KEY, x integer);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer, a_x integer);
CREATE INDEX ix_a_x ON a (x);";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "CF001",
        name: "dangling-reference",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "A key, index, view or type that refers to something that does not exist cannot be exported, and the model no longer says what it meant.",
        fires_when: "a primary key, unique constraint or index (key or INCLUDE column) names a column the table does not have, a view depends on a missing table, or a column's type is a missing enum",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql_then(TWO_TABLES, |p| {
            // The index on a.x stays, its column goes.
            table(p, "a").columns.retain(|c| c.name != "x");
        })],
        negative: &[Fixture::sql(TWO_TABLES)],
    },
    Rule {
        id: "CF002",
        name: "duplicate-name",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "Two objects of one namespace with the same name: the second CREATE fails, and references to the name are ambiguous.",
        fires_when: "two tables of a schema, two columns of a table, or two indexes of one namespace (the schema; the table in MySQL/MariaDB) have the same name",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql_then(TWO_TABLES, |p| {
            table(p, "b").columns[2].name = "a_id".into();
        })],
        negative: &[Fixture::sql(TWO_TABLES)],
    },
    Rule {
        id: "CF003",
        name: "foreign-key-column-count",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "A foreign key pairs each referencing column with a referenced one; with counts that differ the engine refuses it.",
        fires_when: "a foreign key has a different number of referencing and referenced columns",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql_then(TWO_TABLES, |p| {
            let (a, b) = (table(p, "a").clone(), table(p, "b").clone());
            let fk = ForeignKey {
                id: ForeignKeyId(p.alloc_id()),
                name: None,
                from_table: b.id,
                from_columns: vec![b.columns[1].id, b.columns[2].id],
                to_table: a.id,
                to_columns: vec![a.columns[0].id],
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
            };
            Command::AddForeignKey(Box::new(fk))
                .apply(p)
                .expect("fixture");
        })],
        negative: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));",
        )],
    },
    Rule {
        id: "CF004",
        name: "foreign-key-type-mismatch",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "A referencing column of another type than the column it references makes every join cast, and some engines refuse the key.",
        fires_when: "a referencing column's type (or one of its per-dialect type overrides) differs from the referenced column's",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (id bigint PRIMARY KEY, a_id integer REFERENCES a (id));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (id));",
        )],
    },
    Rule {
        id: "CF005",
        name: "missing-primary-key",
        family: Family::Validation,
        severity: Severity::Warning,
        rationale: "Without a primary key rows cannot be told apart: tools, replication and ORMs cannot update or delete one row.",
        fires_when: "a table has no primary key",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql("CREATE TABLE log (at timestamptz, msg text);")],
        negative: &[Fixture::sql(
            "CREATE TABLE log (id bigint PRIMARY KEY, at timestamptz, msg text);",
        )],
    },
    Rule {
        id: "CF006",
        name: "identifier-too-long",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "A name longer than the target allows is refused (MySQL/MariaDB, SQL Server) or silently cut (PostgreSQL), which can make two names one.",
        fires_when: "a table, column, index or named constraint has a longer name than the target allows: 63 bytes in PostgreSQL, 64 characters in MySQL/MariaDB, 128 in SQL Server (SQLite has no limit)",
        dialects: &[Dialect::Postgres, Dialect::MySql, Dialect::SqlServer],
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, this_column_name_is_far_longer_than_any_target_dialect_allows_for_an_identifier_which_is_why_crowfoot_reports_it_before_the_export_x integer);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a_column_name_of_sixty_three_bytes_fits_postgresql_exactly_abc integer);",
        )],
    },
    Rule {
        id: "CF007",
        name: "foreign-key-target-not-unique",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "A foreign key must reference a primary key or unique constraint: the engine refuses any other target.",
        fires_when: "a foreign key's referenced columns are neither the primary key, a unique constraint nor a unique, non-partial index on exactly those columns",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY, code text);
CREATE TABLE b (id integer PRIMARY KEY, a_code text REFERENCES a (code));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE b (id integer PRIMARY KEY, a_code text REFERENCES a (code));",
        )],
    },
    Rule {
        id: "CF008",
        name: "empty-name",
        family: Family::Validation,
        severity: Severity::Error,
        rationale: "A table or column without a name cannot be written as SQL or referred to.",
        fires_when: "a table or column name is empty or only blanks",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql_then(TWO_TABLES, |p| {
            table(p, "b").columns[2].name = " ".into();
        })],
        negative: &[Fixture::sql(TWO_TABLES)],
    },
];
