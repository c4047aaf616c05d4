//! DL: design lint (`analysis::lint`), one function per rule; NF: normal forms from declared
//! dependencies, one runner for both.

use super::{ALL_DIALECTS, Check, Family, Fixture, Rule, Severity, edit, table};
use crate::analysis::lint;
use crate::model::*;

const W: Severity = Severity::Warning;
const I: Severity = Severity::Info;

/// `n` columns more on table `wide`.
fn widen(p: &mut Project, n: usize) {
    edit(p, "wide", |t, p| {
        for i in 0..n {
            let c = Column::new(
                ColumnId(p.alloc_id()),
                format!("c{i}"),
                LogicalType::Integer,
            );
            t.columns.push(c);
        }
    });
}

fn tag_pii(p: &mut Project) {
    edit(p, "users", |t, _| {
        t.columns[1].tags.insert("pii".into());
    });
}

/// Declare the dependency `dep` (`a, b -> c`) on table `t`.
fn declare(p: &mut Project, t: &str, dep: &str) {
    edit(p, t, |t, _| {
        let d = crate::analysis::normalize::apply::parse_declared(t, dep).expect("fixture");
        t.dependencies = vec![d];
    });
}

const HISTORY: &str = "CREATE TABLE accounts (id integer PRIMARY KEY, name text);";

/// Pattern history on `accounts`.
fn with_history(p: &mut Project) {
    let o = crate::analysis::patterns::Options {
        table: Some("accounts".into()),
        ..Default::default()
    };
    let plan = crate::analysis::patterns::plan(p, crate::analysis::patterns::Pattern::History, &o)
        .expect("fixture");
    plan.command.apply(p).expect("fixture");
}

const ORDER_LINES: &str = "CREATE TABLE order_lines (order_id integer, product_id integer, product_name text, qty integer, PRIMARY KEY (order_id, product_id));";
const ADDRESSES: &str =
    "CREATE TABLE addr (street text, city text, zip text NOT NULL, PRIMARY KEY (street, city));";

const NF: Check = Check::Runner(lint::normal_forms);

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "DL001",
        name: "nullable-primary-key-column",
        family: Family::Design,
        severity: W,
        rationale: "A primary key column marked nullable: PostgreSQL and MySQL force NOT NULL silently, SQLite really stores NULLs in non-integer keys.",
        fires_when: "a primary key column is marked nullable",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::nullable_pk),
        positive: &[Fixture::sql_then(
            "CREATE TABLE t (id integer PRIMARY KEY, x integer);",
            |p| table(p, "t").columns[0].nullable = true,
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, x integer NULL);",
        )],
    },
    Rule {
        id: "DL002",
        name: "id-column-without-foreign-key",
        family: Family::Design,
        severity: W,
        rationale: "A `<thing>_id` column next to a `<things>` table but with no foreign key: nothing stops orphans.",
        fires_when: "`x_id` (or `..._x_id`) has no FK while a table `x`/`xs`/`xes`/`x→ies` exists (a table's own `<table>_id` is not a reference)",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::id_without_fk),
        positive: &[Fixture::sql(
            "CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, billing_customer_id bigint);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, billing_customer_id bigint REFERENCES customers (id), order_id bigint);",
        )],
    },
    Rule {
        id: "DL003",
        name: "foreign-key-cycle-not-deferrable",
        family: Family::Design,
        severity: W,
        rationale: "Tables referencing each other through NOT NULL, non-deferrable keys: no row can be inserted first.",
        fires_when: "tables form a cycle of FKs that are all NOT NULL and non-deferrable (MySQL and SQL Server have no deferrable keys); self-references are fine",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::fk_cycles),
        positive: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY, b_id integer NOT NULL);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer NOT NULL REFERENCES a (id));
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY, b_id integer);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer NOT NULL REFERENCES a (id), parent_id integer NOT NULL REFERENCES b (id));
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);",
        )],
    },
    Rule {
        id: "DL004",
        name: "inconsistent-column-type",
        family: Family::Design,
        severity: I,
        rationale: "The same id, code, date or timestamp column name with different types across tables invites bad joins and casts.",
        fires_when: "a column name ending in `_id`, `_at`, `_date`, `_code`, `_on`, or `email`, has different types in different tables",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::inconsistent_types),
        positive: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY, created_at timestamptz);
CREATE TABLE b (id integer PRIMARY KEY, created_at date);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE a (id integer PRIMARY KEY, created_at timestamptz, note text);
CREATE TABLE b (id integer PRIMARY KEY, created_at timestamptz, note varchar(20));",
        )],
    },
    Rule {
        id: "DL005",
        name: "reserved-word",
        family: Family::Design,
        severity: I,
        rationale: "A name that is a keyword in PostgreSQL, MySQL/MariaDB, SQL Server or SQLite has to be quoted in hand-written queries there.",
        fires_when: "a table or column name is a keyword in at least one of the four dialects (exports quote it)",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::reserved_words),
        positive: &[Fixture::sql(
            "CREATE TABLE \"order\" (id integer PRIMARY KEY);",
        )],
        negative: &[Fixture::sql("CREATE TABLE orders (id integer PRIMARY KEY);")],
    },
    Rule {
        id: "DL006",
        name: "mixed-naming-convention",
        family: Family::Design,
        severity: I,
        rationale: "Names that depart from the convention most of the schema uses (snake_case, camelCase, PascalCase, UPPER_CASE).",
        fires_when: "table (or column) names depart from the style ≥ 80 % of the schema uses (snake_case, camelCase, PascalCase, UPPER_CASE; one-word lower-case names fit any)",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::mixed_naming),
        positive: &[Fixture::sql(
            "CREATE TABLE people (id integer PRIMARY KEY, first_name text, last_name text, birth_date date, zip_code text, \"phoneNumber\" text);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE people (id integer PRIMARY KEY, first_name text, last_name text, birth_date date, zip_code text, phone_number text);",
        )],
    },
    Rule {
        id: "DL007",
        name: "all-nullable-table",
        family: Family::Design,
        severity: W,
        rationale: "A table without a primary key whose every column is nullable accepts rows of nothing but NULLs.",
        fires_when: "no primary key and every column nullable (partitions excepted)",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::all_nullable),
        positive: &[Fixture::sql("CREATE TABLE notes (body text, author text);")],
        negative: &[Fixture::sql(
            "CREATE TABLE notes (body text NOT NULL, author text);",
        )],
    },
    Rule {
        id: "DL008",
        name: "very-wide-table",
        family: Family::Design,
        severity: I,
        rationale: "More than 60 columns usually hides several entities or repeating groups.",
        fires_when: "more than 60 columns",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::wide_tables),
        positive: &[Fixture::sql_then(
            "CREATE TABLE wide (id integer PRIMARY KEY);",
            |p| widen(p, 60),
        )],
        negative: &[Fixture::sql_then(
            "CREATE TABLE wide (id integer PRIMARY KEY);",
            |p| widen(p, 59),
        )],
    },
    Rule {
        id: "DL009",
        name: "pii-without-comment",
        family: Family::Design,
        severity: W,
        rationale: "A column tagged as personal data should say what it holds and why it is kept.",
        fires_when: "a column tagged `pii` has no comment",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::pii_without_comment),
        positive: &[Fixture::sql_then(
            "CREATE TABLE users (id integer PRIMARY KEY, email text);",
            tag_pii,
        )],
        negative: &[Fixture::sql_then(
            "CREATE TABLE users (id integer PRIMARY KEY, email text);
COMMENT ON COLUMN users.email IS 'Login and the address receipts go to';",
            tag_pii,
        )],
    },
    Rule {
        id: "DL010",
        name: "sqlite-type-affinity",
        family: Family::Design,
        severity: W,
        rationale: "SQLite's type affinity changes what is stored: NUMERIC decimals beyond 15 digits are rounded, names like STRING or POINT get NUMERIC or INTEGER affinity.",
        fires_when: "`decimal(p)` with p > 15 (NUMERIC affinity stores non-integral values as doubles), or a verbatim type whose SQLite affinity surprises (`STRING`, `JSON`, `UUID`... → NUMERIC; `POINT`, `INTERVAL`-like names containing INT → INTEGER)",
        dialects: &[Dialect::Sqlite],
        check: Check::Own(lint::sqlite_affinity_rule),
        positive: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, amount decimal(20, 2));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE t (id integer PRIMARY KEY, amount decimal(10, 2));",
        )],
    },
    Rule {
        id: "DL011",
        name: "enum-like-text-without-check",
        family: Family::Design,
        severity: I,
        rationale: "A status/type/kind text column with no enum type, CHECK or foreign key accepts any spelling.",
        fires_when: "a text column whose last word is status/state/type/kind/category/role/level/priority/stage/phase/gender/tier has no enum type, CHECK or FK (`content_type`, `mime_type`, `event_type`, `aggregate_type`, `message_type` and the `type` of an `events`, `outbox` or `messages` table are open vocabularies and excepted)",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::enum_like_text),
        positive: &[Fixture::sql(
            "CREATE TABLE orders (id integer PRIMARY KEY, status text);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE orders (id integer PRIMARY KEY, status text CHECK (status IN ('new', 'paid')), content_type text, event_type text);",
        ), Fixture::sql(
            "CREATE TABLE events (id integer PRIMARY KEY, type text);",
        )],
    },
    Rule {
        id: "DL012",
        name: "money-in-float",
        family: Family::Design,
        severity: W,
        rationale: "Prices and amounts in binary floating point do not add up exactly; use decimal.",
        fires_when: "a `real`/`double` column whose name has a money word (price, amount, cost, total, balance, fee, salary, tax, discount, refund...)",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::money_in_float),
        positive: &[Fixture::sql(
            "CREATE TABLE items (id integer PRIMARY KEY, unit_price double precision);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE items (id integer PRIMARY KEY, unit_price numeric(10, 2), weight double precision);",
        )],
    },
    Rule {
        id: "DL013",
        name: "timestamp-without-time-zone",
        family: Family::Design,
        severity: I,
        rationale: "PostgreSQL `timestamp` stores wall-clock time with no zone: ambiguous across zones and DST; `timestamptz` stores an instant.",
        fires_when: "a `timestamp` column (not `timestamptz`, and no PostgreSQL type override)",
        dialects: &[Dialect::Postgres],
        check: Check::Own(lint::timestamp_without_tz),
        positive: &[Fixture::sql(
            "CREATE TABLE events (id integer PRIMARY KEY, created_at timestamp);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE events (id integer PRIMARY KEY, created_at timestamptz);",
        )],
    },
    Rule {
        id: "DL014",
        name: "history-misses-columns",
        family: Family::Design,
        severity: W,
        rationale: "The history pattern's triggers copy the columns the table had when it was applied: a column added since is not in `T_history`, so its changes are lost.",
        fires_when: "a history table made by pattern history lacks a column of its table",
        dialects: ALL_DIALECTS,
        check: Check::Own(lint::stale_history),
        positive: &[Fixture::sql_then(HISTORY, |p| {
            with_history(p);
            edit(p, "accounts", |t, p| {
                let c = Column::new(ColumnId(p.alloc_id()), "plan", LogicalType::Text);
                t.columns.push(c);
            });
        })],
        negative: &[Fixture::sql_then(HISTORY, with_history)],
    },
    Rule {
        id: "NF001",
        name: "below-third-normal-form",
        family: Family::Normalization,
        severity: W,
        rationale: "Declared dependencies show a partial or transitive dependency on the key (below 3NF): update anomalies.",
        fires_when: "declared dependencies put the table in 1NF or 2NF",
        dialects: ALL_DIALECTS,
        check: NF,
        positive: &[Fixture::sql_then(ORDER_LINES, |p| {
            declare(p, "order_lines", "product_id -> product_name")
        })],
        negative: &[Fixture::sql_then(ORDER_LINES, |p| {
            declare(p, "order_lines", "order_id, product_id -> qty")
        })],
    },
    Rule {
        id: "NF002",
        name: "below-bcnf",
        family: Family::Normalization,
        severity: I,
        rationale: "Declared dependencies show a determinant that is not a key (3NF but not BCNF).",
        fires_when: "3NF but not BCNF",
        dialects: ALL_DIALECTS,
        check: NF,
        positive: &[Fixture::sql_then(ADDRESSES, |p| {
            declare(p, "addr", "zip -> city")
        })],
        negative: &[Fixture::sql_then(ADDRESSES, |p| {
            declare(p, "addr", "street, city -> zip")
        })],
    },
];
