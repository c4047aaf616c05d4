//! MG: the zero-downtime safety report of a migration (`sql::migrate`), one runner for the
//! family. Default severities: `error` where the migration loses data or fails on a table
//! with rows (MG001..MG004), `warning` where it locks, rewrites or breaks code still running
//! against the old schema (MG005..MG009). `crowfoot diff` prints the findings by code; the
//! severity is the catalogue's, for `crowfoot check --rules` and the docs.

use super::{ALL_DIALECTS, Check, Family, Fixture, Rule, Severity};
use crate::analysis::check::Problem;
use crate::model::*;
use crate::sql::migrate::{MigrationOptions, plan};

/// The family's runner: the safety report of `up` from `migrate::plan` with default options.
pub(super) fn run(old: &Project, new: &Project, d: Dialect, out: &mut Vec<Problem>) {
    let up = plan(old, new, d, MigrationOptions::default()).up;
    out.extend(
        up.safety
            .into_iter()
            .map(|s| Problem::of_rule(s.code, s.object, s.message)),
    );
}

const RUN: Check = Check::Migration(run);
const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

const T: &str = "CREATE TABLE t (id integer PRIMARY KEY);";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "MG001",
        name: "table-drop",
        family: Family::Migration,
        severity: E,
        rationale: "Dropping a table loses its rows, and code of the release still running breaks; drop it in a later release than the one that stops using it.",
        fires_when: "a table of OLD is not in NEW",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY);",
            "CREATE TABLE a (id integer PRIMARY KEY);",
        )],
        negative: &[Fixture::migration(
            "CREATE TABLE a (id integer PRIMARY KEY);",
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY);",
        )],
    },
    Rule {
        id: "MG002",
        name: "column-drop",
        family: Family::Migration,
        severity: E,
        rationale: "Dropping a column loses its values, and code still reading it breaks; stop using it in one release, drop it in the next.",
        fires_when: "a column of a kept table goes",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, note text);",
            T,
        )],
        negative: &[Fixture::migration(
            T,
            "CREATE TABLE t (id integer PRIMARY KEY, note text);",
        )],
    },
    Rule {
        id: "MG003",
        name: "type-narrowing",
        family: Family::Migration,
        severity: E,
        rationale: "A narrower type fails the migration on values that do not fit, or silently cuts them.",
        fires_when: "integer to a smaller integer, shorter varchar/char, text to varchar(n), smaller decimal precision or scale, double to real, or a change between type families",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, code varchar(20));",
            "CREATE TABLE t (id integer PRIMARY KEY, code varchar(10));",
        )],
        negative: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, code varchar(20));",
            "CREATE TABLE t (id integer PRIMARY KEY, code varchar(40));",
        )],
    },
    Rule {
        id: "MG004",
        name: "not-null-without-default",
        family: Family::Migration,
        severity: E,
        rationale: "A NOT NULL column without a value for the rows a table already has fails the migration (give a one-off --fill value, or add it nullable, backfill, then SET NOT NULL).",
        fires_when: "a NOT NULL column added without default/identity/generation (and no `--fill`), or a column set NOT NULL without a default (fails on rows holding NULL)",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::migration(
            T,
            "CREATE TABLE t (id integer PRIMARY KEY, status text NOT NULL);",
        )],
        negative: &[Fixture::migration(
            T,
            "CREATE TABLE t (id integer PRIMARY KEY, status text NOT NULL DEFAULT 'new');",
        )],
    },
    Rule {
        id: "MG005",
        name: "index-build-without-concurrently",
        family: Family::Migration,
        severity: W,
        rationale: "Building an index on an existing table blocks its writes for the whole build; CREATE INDEX CONCURRENTLY does not (and cannot run inside a transaction).",
        fires_when: "an index created on an existing table; `--concurrently` writes `CREATE INDEX CONCURRENTLY` and the script is not wrapped in a transaction (it cannot run in one)",
        dialects: &[Dialect::Postgres],
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, a integer);",
            "CREATE TABLE t (id integer PRIMARY KEY, a integer);
CREATE INDEX ix_t_a ON t (a);",
        )],
        negative: &[Fixture::migration(
            T,
            "CREATE TABLE t (id integer PRIMARY KEY);
CREATE TABLE u (id integer PRIMARY KEY, a integer);
CREATE INDEX ix_u_a ON u (a);",
        )],
    },
    Rule {
        id: "MG006",
        name: "table-rewrite",
        family: Family::Migration,
        severity: W,
        rationale: "Rewriting or rebuilding a table holds an exclusive lock while every row is copied: reads and writes wait.",
        fires_when: "PostgreSQL type change other than widening a varchar (or to text), MySQL type change or column reorder (`--exact-column-order`), any table rebuild (SQLite; PostgreSQL column order with `--exact-column-order`)",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, n integer);",
            "CREATE TABLE t (id integer PRIMARY KEY, n bigint);",
        )],
        negative: &[Fixture::migration(
            T,
            "CREATE TABLE t (id integer PRIMARY KEY, note text);",
        )],
    },
    Rule {
        id: "MG007",
        name: "foreign-key-without-not-valid",
        family: Family::Migration,
        severity: W,
        rationale: "Adding a foreign key to an existing table validates every row under a lock that blocks writes; add it NOT VALID, then VALIDATE CONSTRAINT.",
        fires_when: "a foreign key added to an existing table; `--fk-not-valid` writes `... NOT VALID` then `ALTER TABLE ... VALIDATE CONSTRAINT`",
        dialects: &[Dialect::Postgres],
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer);",
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));",
        )],
        negative: &[Fixture::migration(
            "CREATE TABLE a (id integer PRIMARY KEY);",
            "CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));",
        )],
    },
    Rule {
        id: "MG008",
        name: "rename-breaking-old-code",
        family: Family::Migration,
        severity: W,
        rationale: "Code of the release still running uses the old name and breaks; expand/contract instead: add the new name, dual-write, switch readers, then drop the old one.",
        fires_when: "a table or column rename (with its confidence): suggests expand/contract",
        dialects: ALL_DIALECTS,
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, bio text);",
            "CREATE TABLE t (id integer PRIMARY KEY, about text);",
        )],
        negative: &[Fixture::migration(
            "CREATE TABLE t (id integer PRIMARY KEY, bio text);",
            "CREATE TABLE t (id integer PRIMARY KEY, bio text, about text);",
        )],
    },
    Rule {
        id: "MG009",
        name: "sequence-drop-or-rename",
        family: Family::Migration,
        severity: W,
        rationale: "A dropped sequence loses its position, and code calling nextval('name') by name breaks when it is dropped or renamed.",
        fires_when: "a sequence of OLD is dropped (its position is lost) or renamed: code calling `nextval('name')` by name breaks",
        dialects: &[Dialect::Postgres],
        check: RUN,
        positive: &[Fixture::migration(
            "CREATE SEQUENCE order_numbers;
CREATE TABLE t (id integer PRIMARY KEY);",
            T,
        )],
        negative: &[Fixture::migration(
            T,
            "CREATE SEQUENCE order_numbers;
CREATE TABLE t (id integer PRIMARY KEY);",
        )],
    },
];
