//! IX: index lint (`analysis::index_lint`), one runner for the family.

use super::{ALL_DIALECTS, Check, Family, Fixture, Rule, Severity, edit};
use crate::analysis::check::Problem;
use crate::analysis::index_lint;
use crate::model::*;

/// The family's runner: `index_lint::lint`, its findings as problems (`table.index` or
/// `table` as the object).
pub(super) fn run(p: &Project, d: Dialect, out: &mut Vec<Problem>) {
    out.extend(index_lint::lint(p, d).into_iter().map(|f| Problem {
        code: f.rule,
        severity: f.level,
        object: match &f.index {
            Some(i) => format!("{}.{i}", f.table),
            None => f.table.clone(),
        },
        message: f.message,
    }));
}

const RUN: Check = Check::Runner(run);
const W: Severity = Severity::Warning;
const I: Severity = Severity::Info;

/// Estimates for table `t`: rows, write-heavy, distinct values per column.
fn estimates(p: &mut Project, rows: u64, write_heavy: bool, distinct: &[(&str, u64)]) {
    edit(p, "t", |t, _| {
        let columns = distinct
            .iter()
            .map(|(n, d)| ColumnStats {
                column: t.column_by_name(n).expect("fixture column").id,
                distinct: Some(*d),
                null_fraction: None,
                most_common: None,
            })
            .collect();
        t.stats = Some(TableStats {
            rows: Some(rows),
            avg_row_bytes: None,
            write_heavy,
            columns,
        });
    });
}

const SIX_INDEXES: &str = "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer, d integer, e integer, f integer);
CREATE INDEX ix_a ON t (a);
CREATE INDEX ix_b ON t (b);
CREATE INDEX ix_c ON t (c);
CREATE INDEX ix_d ON t (d);
CREATE INDEX ix_e ON t (e);
CREATE INDEX ix_f ON t (f);";

const LEAD_D: &str = "CREATE TABLE t (id integer PRIMARY KEY, d integer, b integer);
CREATE INDEX ix_d_b ON t (d, b);";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "IX001",
        name: "duplicate-index",
        family: Family::Index,
        severity: W,
        rationale: "Two indexes with the same definition cost twice the writes and space and serve the same queries; keep one.",
        fires_when: "another index, unique constraint or the PK has the same key (same parts; a single-column key in either direction, or every direction flipped), predicate, method and at least its INCLUDE columns, and is unique if this one is; of two identical indexes the later is reported. Fix: drop it",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);
CREATE INDEX ix_a ON t (a);
CREATE INDEX ix_a_again ON t (a DESC);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);
CREATE INDEX ix_a ON t (a);
CREATE INDEX ix_a_partial ON t (a) WHERE b > 0;",
        )],
    },
    Rule {
        id: "IX002",
        name: "redundant-prefix-index",
        family: Family::Index,
        severity: W,
        rationale: "A B-tree index whose key is the leading part of a longer index (same directions, same predicate) is served by the longer one, unless it is unique or partial.",
        fires_when: "a non-unique B-tree index whose key is a strict left prefix of another B-tree structure's key with the same predicate, whose INCLUDE columns the longer one covers. Fix: drop it",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);
CREATE INDEX ix_a ON t (a);
CREATE INDEX ix_a_b ON t (a, b);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);
CREATE UNIQUE INDEX ux_a ON t (a);
CREATE INDEX ix_b ON t (b);
CREATE INDEX ix_a_b ON t (a, b);",
        )],
    },
    Rule {
        id: "IX003",
        name: "index-duplicates-primary-key",
        family: Family::Index,
        severity: W,
        rationale: "The primary key already has a unique index on the same columns.",
        fires_when: "as IX001, the twin being the primary key. Fix: drop it",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer);
CREATE INDEX ix_id ON t (id);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer);
CREATE INDEX ix_id_a ON t (id, a);",
        )],
    },
    Rule {
        id: "IX004",
        name: "foreign-key-without-index",
        family: Family::Index,
        severity: W,
        rationale: "Deleting or updating a referenced row scans the referencing table when its foreign key columns lead no index; joins along the key need one too. (MySQL/MariaDB create one implicitly, so the rule is off for that target.)",
        fires_when: "no non-partial B-tree structure (PK, unique, index) has the FK columns, in any order, as its leading columns (MySQL/MariaDB create such an index implicitly). Fix: add an index on the FK columns",
        dialects: &[Dialect::Postgres, Dialect::Sqlite, Dialect::SqlServer],
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));
CREATE INDEX ix_b_a ON b (a_id, id);",
        )],
    },
    Rule {
        id: "IX005",
        name: "too-many-indexes",
        family: Family::Index,
        severity: I,
        rationale: "Every index is written on every insert and on updates of its columns; a table marked write-heavy pays for each one.",
        fires_when: "the table is marked write-heavy (estimates) and has more than 5 secondary indexes (indexes + unique constraints). Fix: drop the non-unique index with the least selective leading column that no foreign key needs",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql_then(SIX_INDEXES, |p| {
            estimates(p, 1000, true, &[])
        })],
        negative: &[Fixture::sql_then(SIX_INDEXES, |p| {
            estimates(p, 1000, false, &[])
        })],
    },
    Rule {
        id: "IX006",
        name: "unique-index-as-constraint",
        family: Family::Index,
        severity: I,
        rationale: "A plain unique index is better declared as a UNIQUE constraint: it shows in information_schema, can be DEFERRABLE (PostgreSQL) and documents intent. (Same thing in MySQL and SQLite, so the rule is off there.)",
        fires_when: "a unique, non-partial B-tree index on plain ascending columns without INCLUDE (in MySQL and SQLite both are the same object). Fix: replace it by a UNIQUE constraint of the same name",
        dialects: &[Dialect::Postgres, Dialect::SqlServer],
        check: RUN,
        positive: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, code text);
CREATE UNIQUE INDEX ux_code ON t (code);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, code text, UNIQUE (code));
CREATE UNIQUE INDEX ux_lower_code ON t (code) WHERE code <> '';",
        )],
    },
    Rule {
        id: "IX007",
        name: "low-selectivity-leading-column",
        family: Family::Index,
        severity: I,
        rationale: "An index led by a column with few distinct values (by the table's estimates) narrows a search little; lead with a selective column or make it a partial index.",
        fires_when: "from estimates only: ≥ 10,000 rows and the leading column has ≤ 0.1 % distinct values per row, for a non-unique, non-partial index. Fix: reorder a composite key most selective first; drop a single-column one",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::sql_then(LEAD_D, |p| {
            estimates(p, 1_000_000, false, &[("d", 3), ("b", 900_000)])
        })],
        negative: &[Fixture::sql_then(LEAD_D, |p| {
            estimates(p, 500, false, &[("d", 3)])
        })],
    },
];
