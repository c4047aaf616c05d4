//! DS: distribution readiness (`analysis::distribution`), judged for one engine under a plan
//! of table roles (`crowfoot check --distribution ENGINE`). Each rule's function is in
//! `analysis::distribution::checks`; its engines are in its [`Check::Distribution`], its
//! dialects the engines' (Citus and CockroachDB speak PostgreSQL, Vitess MySQL). Fixtures are
//! judged under their suggested plan unless their `then` stores roles.

use super::{Check, Family, Fixture, Rule, Severity, table};
use crate::analysis::distribution::{Engine, checks};
use crate::model::{Dialect, Distribution, Project};

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

const CITUS: &[Engine] = &[Engine::Citus];
const CITUS_VITESS: &[Engine] = &[Engine::Citus, Engine::Vitess];
const VITESS: &[Engine] = &[Engine::Vitess];
const COCKROACH: &[Engine] = &[Engine::Cockroach];
const PG: &[Dialect] = &[Dialect::Postgres];
const PG_MY: &[Dialect] = &[Dialect::Postgres, Dialect::MySql];
const MY: &[Dialect] = &[Dialect::MySql];

/// For fixtures' `then`: store a role on the table named `name`.
fn role(p: &mut Project, name: &str, role: Distribution) {
    table(p, name).distribution = Some(role);
}

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "DS001",
        name: "unique-without-distribution-column",
        family: Family::Distribution,
        severity: E,
        rationale: "A shard checks uniqueness only among its own rows: Citus refuses a primary key or unique constraint of a distributed table without the distribution column, and Vitess enforces it per shard only.",
        fires_when: "a primary key, unique constraint or unique index of a distributed table does not include its distribution column",
        dialects: PG_MY,
        check: Check::Distribution {
            engines: CITUS_VITESS,
            check: checks::unique_without_distribution_column,
        },
        positive: &[
            Fixture::sql(
                "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint PRIMARY KEY, email text);",
            ),
            Fixture::sql(
                "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, email text UNIQUE, PRIMARY KEY (tenant_id, id));",
            ),
        ],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY, slug text);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, email text, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, email));
CREATE TABLE countries (code char(2) PRIMARY KEY, name text UNIQUE);",
        )],
    },
    Rule {
        id: "DS002",
        name: "foreign-key-without-distribution-column",
        family: Family::Distribution,
        severity: E,
        rationale: "Citus supports a foreign key between distributed tables only when it includes the distribution column of both (each key's rows then live on one node).",
        fires_when: "a foreign key between two distributed tables does not pair the referencing table's distribution column with the referenced table's",
        dialects: PG,
        check: Check::Distribution {
            engines: CITUS,
            check: checks::foreign_key_without_distribution_column,
        },
        positive: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, PRIMARY KEY (tenant_id, id), UNIQUE (id));
CREATE TABLE posts (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, user_id bigint REFERENCES users (id), PRIMARY KEY (tenant_id, id));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, PRIMARY KEY (tenant_id, id));
CREATE TABLE posts (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, user_id bigint, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id));",
        )],
    },
    Rule {
        id: "DS003",
        name: "reference-table-references-distributed",
        family: Family::Distribution,
        severity: E,
        rationale: "Every node holds a copy of a reference table, so a key from it to a distributed table would point at rows on other nodes: Citus does not support it.",
        fires_when: "a reference table has a foreign key to a distributed table",
        dialects: PG,
        check: Check::Distribution {
            engines: CITUS,
            check: checks::reference_table_references_distributed,
        },
        positive: &[Fixture::sql_then(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, PRIMARY KEY (tenant_id, id));
CREATE TABLE templates (id bigint PRIMARY KEY, owner_tenant bigint REFERENCES tenants (id));",
            |p| role(p, "templates", Distribution::Reference),
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, PRIMARY KEY (tenant_id, id));
CREATE TABLE templates (id bigint PRIMARY KEY, owner_tenant bigint REFERENCES tenants (id));",
        )],
    },
    Rule {
        id: "DS004",
        name: "foreign-key-to-local-table",
        family: Family::Distribution,
        severity: E,
        rationale: "A local table lives on the coordinator only, so the shards of a distributed table cannot check a key to it: Citus does not support foreign keys from distributed to local tables.",
        fires_when: "a distributed table has a foreign key to a local table",
        dialects: PG,
        check: Check::Distribution {
            engines: CITUS,
            check: checks::foreign_key_to_local_table,
        },
        positive: &[Fixture::sql_then(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE products (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, product_id bigint REFERENCES products (id), PRIMARY KEY (tenant_id, id));",
            |p| role(p, "products", Distribution::Local),
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE products (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, product_id bigint REFERENCES products (id), PRIMARY KEY (tenant_id, id));
CREATE TABLE settings (name text PRIMARY KEY, product_id bigint REFERENCES products (id));",
        )],
    },
    Rule {
        id: "DS005",
        name: "distribution-column-types-differ",
        family: Family::Distribution,
        severity: E,
        rationale: "Rows are placed by a hash of the distribution value's type, so tables distributed by columns of different types cannot be co-located: their joins and keys cross nodes.",
        fires_when: "a foreign key joins two distributed tables whose distribution columns differ in type (varchar and decimal lengths aside)",
        dialects: PG_MY,
        check: Check::Distribution {
            engines: CITUS_VITESS,
            check: checks::distribution_column_types_differ,
        },
        positive: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id integer NOT NULL REFERENCES tenants (id), id bigint, PRIMARY KEY (tenant_id, id));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY, kind integer);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, PRIMARY KEY (tenant_id, id));",
        )],
    },
    Rule {
        id: "DS006",
        name: "nullable-distribution-column",
        family: Family::Distribution,
        severity: W,
        rationale: "A row must name its shard: Citus refuses NULL in the distribution column and Vitess cannot map NULL to a keyspace id, so such inserts fail at run time.",
        fires_when: "the distribution column of a distributed table is nullable",
        dialects: PG_MY,
        check: Check::Distribution {
            engines: CITUS_VITESS,
            check: checks::nullable_distribution_column,
        },
        positive: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint REFERENCES tenants (id), id bigint, email text, UNIQUE (tenant_id, id));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, email text, UNIQUE (tenant_id, id));",
        )],
    },
    Rule {
        id: "DS007",
        name: "auto-increment-in-sharded-keyspace",
        family: Family::Distribution,
        severity: E,
        rationale: "Each shard of a Vitess keyspace is its own MySQL, whose AUTO_INCREMENT counts on its own: values repeat across shards unless a Vitess sequence gives them.",
        fires_when: "a column of a distributed table is AUTO_INCREMENT (identity)",
        dialects: MY,
        check: Check::Distribution {
            engines: VITESS,
            check: checks::auto_increment_in_sharded_keyspace,
        },
        positive: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL, id bigint AUTO_INCREMENT, PRIMARY KEY (tenant_id, id), KEY ix_users_id (id), FOREIGN KEY (tenant_id) REFERENCES tenants (id));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL, id bigint, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id) REFERENCES tenants (id));
CREATE TABLE settings (id bigint AUTO_INCREMENT PRIMARY KEY, value text);",
        )],
    },
    Rule {
        id: "DS008",
        name: "view-in-sharded-keyspace",
        family: Family::Distribution,
        severity: W,
        rationale: "Vitess lists views in sharded keyspaces among its unsupported features (experimental and off by default): a view over sharded tables may not be served.",
        fires_when: "a view reads a distributed table",
        dialects: MY,
        check: Check::Distribution {
            engines: VITESS,
            check: checks::view_in_sharded_keyspace,
        },
        positive: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL, id bigint, active boolean, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id) REFERENCES tenants (id));
CREATE VIEW active_users AS SELECT tenant_id, id FROM users WHERE active;",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE users (tenant_id bigint NOT NULL, id bigint, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id) REFERENCES tenants (id));
CREATE TABLE settings (name varchar(50) PRIMARY KEY, value text);
CREATE VIEW all_settings AS SELECT name, value FROM settings;",
        )],
    },
    Rule {
        id: "DS009",
        name: "monotonic-primary-key",
        family: Family::Distribution,
        severity: W,
        rationale: "CockroachDB and YugabyteDB keep rows in key order split into ranges: a key led by an ever-growing value (serial, identity, sequence, timestamp, UUIDv7) sends every insert to the last range, one node.",
        fires_when: "the first primary key column is an identity, serial or sequence value, a date or timestamp, or defaults to a UUIDv7, `unique_rowid()` or the current time",
        dialects: PG,
        check: Check::Distribution {
            engines: COCKROACH,
            check: checks::monotonic_primary_key,
        },
        positive: &[
            Fixture::sql(
                "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);",
            ),
            Fixture::sql(
                "CREATE TABLE readings (taken_at timestamptz, sensor integer, PRIMARY KEY (taken_at, sensor));",
            ),
            Fixture::sql("CREATE TABLE orders (id uuid DEFAULT uuidv7() PRIMARY KEY);"),
        ],
        negative: &[Fixture::sql(
            "CREATE TABLE events (id uuid DEFAULT gen_random_uuid() PRIMARY KEY, created_at timestamptz DEFAULT now());
CREATE TABLE readings (sensor integer, taken_at timestamptz, PRIMARY KEY (sensor, taken_at));",
        )],
    },
    Rule {
        id: "DS010",
        name: "timestamp-leading-index",
        family: Family::Distribution,
        severity: W,
        rationale: "A secondary index is a table in key order too: led by a timestamp, every new entry goes to its last range, one node (a write hot spot on CockroachDB and YugabyteDB).",
        fires_when: "a secondary index or unique constraint's first column is a timestamp",
        dialects: PG,
        check: Check::Distribution {
            engines: COCKROACH,
            check: checks::timestamp_leading_index,
        },
        positive: &[Fixture::sql(
            "CREATE TABLE events (id uuid PRIMARY KEY, created_at timestamptz NOT NULL);
CREATE INDEX ix_events_created ON events (created_at);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE events (id uuid PRIMARY KEY, kind text, created_at timestamptz NOT NULL);
CREATE INDEX ix_events_kind_created ON events (kind, created_at);",
        )],
    },
    Rule {
        id: "DS011",
        name: "table-without-primary-key",
        family: Family::Distribution,
        severity: W,
        rationale: "YugabyteDB and CockroachDB shard a table by its primary key; without one they add a hidden row id (sharded by an invisible value) and YugabyteDB cannot add a key later without rebuilding the table.",
        fires_when: "a table (not a partition) has no primary key",
        dialects: PG,
        check: Check::Distribution {
            engines: COCKROACH,
            check: checks::table_without_primary_key,
        },
        positive: &[Fixture::sql("CREATE TABLE log (at_ms bigint, line text);")],
        negative: &[Fixture::sql(
            "CREATE TABLE log (id uuid PRIMARY KEY, at_ms bigint, line text);",
        )],
    },
];
