//! Schema diff and migrations: unit tests per change kind and per safety code, and the
//! acceptance on real engines: for real version pairs of public applications' schemas
//! (tests/fixtures/migrations), OLD is created in a fresh database and filled with rows,
//! `up.sql` is applied, the catalog must equal NEW's (loaded in another fresh database) and
//! every table present in both must still hold all its rows.
//!
//! Without `CROWFOOT_PG` / `CROWFOOT_MYSQL` the server parts are skipped (with a message),
//! unless `CROWFOOT_REQUIRE_DBS=1`.

mod support {
    pub mod catalog;
    pub mod dbs;
    pub mod run;
}

use crowfoot::model::LogicalType as L;
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
use crowfoot::sql::diff::{ColumnChangeKind, MatchMode, diff, diff_by};
use crowfoot::sql::import::import_sql;
use crowfoot::sql::migrate::{
    Fills, Migration, MigrationOptions, MigrationPlan, narrows, plan, plan_with_fills,
};
use crowfoot::sql::{ddl::table_order, export};
use std::collections::BTreeMap;
use std::path::PathBuf;
use support::catalog::{self, Catalog};
use support::dbs::{self, Engine, TestDb};

fn fixture(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/migrations")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn import(text: &str, d: Dialect) -> Project {
    import_sql(text, Some(d)).project
}

// ---------------------------------------------------------------------------------------------
// Rows: a value for every column that satisfies its type; FK columns get the value the
// referenced row has (values depend only on the type family and the row number).

const ROWS: usize = 3;

fn literal(p: &Project, c: &Column, i: usize, d: Dialect) -> Option<String> {
    use LogicalType as L;
    if c.generated.is_some() || (d == Dialect::Postgres && c.identity == Some(Identity::Always)) {
        return None;
    }
    let n = i + 1;
    Some(match &c.ty {
        L::TinyInt | L::SmallInt | L::Integer | L::BigInt => n.to_string(),
        L::Decimal(..) | L::Real | L::Double => n.to_string(),
        L::Boolean => match d {
            Dialect::Postgres => (if i.is_multiple_of(2) { "true" } else { "false" }).into(),
            _ => (if i.is_multiple_of(2) { "1" } else { "0" }).into(),
        },
        L::Text | L::Varchar(_) | L::Char(_) => format!("'{n}'"),
        L::Bytes => match d {
            Dialect::Postgres => format!("decode('0{n}', 'hex')"),
            _ => format!("X'0{n}'"),
        },
        L::Date => format!("'2020-01-0{n}'"),
        L::Time => format!("'10:00:0{n}'"),
        L::Timestamp | L::TimestampTz => format!("'2020-01-0{n} 10:00:00'"),
        L::Interval => "'1 day'".into(),
        L::Uuid => format!("'00000000-0000-0000-0000-00000000000{n}'"),
        L::Json => format!("'{{\"n\": {n}}}'"),
        L::Enum(e) => {
            let v = &p.enum_type(*e)?.values;
            format!("'{}'", v.get(i % v.len().max(1))?.replace('\'', "''"))
        }
        L::Array(_) => "'{}'".into(),
        L::Native(_) => format!("'{n}'"),
    })
}

/// A name quoted for SQL on `d`, always (a column may be named like a keyword: `fulltext`).
fn quote(d: Dialect, name: &str) -> String {
    match d {
        Dialect::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// How SQL on `d` names table `t`: with its schema on PostgreSQL and MySQL/MariaDB (where a
/// schema is a database), bare on SQLite (whose export leaves schemas out).
fn table_ref(d: Dialect, t: &Table) -> String {
    let r = |s: &str| quote(d, s);
    match (&t.schema, d) {
        (Some(s), Dialect::Postgres | Dialect::MySql) => format!("{}.{}", r(s), r(&t.name)),
        _ => r(&t.name),
    }
}

/// INSERT statements per table (OLD's table order): each row with every column, or, when
/// that is refused, without the columns that have a default.
fn row_inserts(p: &Project, d: Dialect) -> Vec<(String, Vec<[String; 2]>)> {
    let r = |s: &str| quote(d, s);
    let mut out = Vec::new();
    for tid in table_order(p) {
        let t = p.table(tid).unwrap();
        let qn = table_ref(d, t);
        let part_key = (d == Dialect::Postgres)
            .then(|| partition_key_value(p, t))
            .flatten();
        let mut rows = Vec::new();
        for i in 0..ROWS {
            let mut stmts = [String::new(), String::new()];
            for (k, skip_defaults) in [false, true].into_iter().enumerate() {
                let (cols, vals): (Vec<String>, Vec<String>) = t
                    .columns
                    .iter()
                    .filter(|c| !(skip_defaults && (c.default.is_some() || c.identity.is_some())))
                    .filter_map(|c| {
                        let v = match &part_key {
                            Some((k, v)) if *k == c.name => Some(v.clone()),
                            _ => literal(p, c, i, d),
                        };
                        v.map(|v| (r(&c.name), v))
                    })
                    .unzip();
                stmts[k] = if cols.is_empty() {
                    format!("INSERT INTO {qn} DEFAULT VALUES")
                } else {
                    format!(
                        "INSERT INTO {qn} ({}) VALUES ({})",
                        cols.join(", "),
                        vals.join(", ")
                    )
                };
            }
            rows.push(stmts);
        }
        out.push((t.name.clone(), rows));
    }
    out
}

/// PostgreSQL range partitions accept only rows inside their bound: the partition key column
/// of a partition (or of a partitioned table: its first partition's) gets the bound's lower
/// value, `FOR VALUES FROM ('2022-01-01 00:00:00+00') TO (...)`.
fn partition_key_value(p: &Project, t: &Table) -> Option<(String, String)> {
    let (parent, bound) = match &t.partition_of {
        Some(of) => (p.table(of.parent)?, of.bound.clone()),
        None => {
            t.partition_by.as_ref()?;
            let child = p
                .tables()
                .find(|c| c.partition_of.as_ref().is_some_and(|o| o.parent == t.id))?;
            (t, child.partition_of.as_ref()?.bound.clone())
        }
    };
    let by = parent.partition_by.as_deref()?;
    let column = by[by.find('(')? + 1..by.rfind(')')?]
        .trim()
        .trim_matches('"');
    let from = bound.find('\'')?;
    let to = from + 1 + bound[from + 1..].find('\'')?;
    Some((column.to_string(), bound[from..=to].to_string()))
}

fn count_sql(d: Dialect, t: &Table) -> String {
    format!("SELECT count(*) FROM {}", table_ref(d, t))
}

/// A table that exists before and after is never dropped unless its rows were copied first
/// (`INSERT ... SELECT ... FROM it` earlier in the script).
fn assert_no_drop_before_copy(what: &str, old: &Project, new: &Project, plan: &MigrationPlan) {
    let mut kept = std::collections::BTreeSet::new();
    for (o, n) in &plan.diff.table_map {
        kept.insert(old.table(*o).unwrap().name.to_lowercase());
        kept.insert(new.table(*n).unwrap().name.to_lowercase());
    }
    for (sql, label) in [(&plan.up.sql, "up"), (&plan.down.sql, "down")] {
        let mut at = 0;
        for line in sql.lines() {
            if let Some(rest) = line.strip_prefix("DROP TABLE ") {
                let token = rest.trim_end_matches(';').trim_end_matches(" CASCADE");
                let bare = token.rsplit('.').next().unwrap().trim_matches(['"', '`']);
                if kept.contains(&bare.to_lowercase()) {
                    assert!(
                        sql[..at].contains(&format!("FROM {token}\n"))
                            || sql[..at].contains(&format!("FROM {token};")),
                        "{what} ({label}): kept table {bare} dropped without its rows copied first"
                    );
                }
            }
            at += line.len() + 1;
        }
    }
}

/// One engine under test: run scripts, count rows, read the catalog.
enum Db {
    Sqlite(rusqlite::Connection),
    Server(TestDb),
}

impl Db {
    fn new(d: Dialect, what: &str) -> Option<Db> {
        match d {
            Dialect::Sqlite => Some(Db::Sqlite(dbs::sqlite())),
            Dialect::Postgres => TestDb::create(Engine::Postgres, what).map(Db::Server),
            Dialect::MySql => TestDb::create(Engine::MariaDb, what).map(Db::Server),
            Dialect::SqlServer => None,
        }
    }
    fn exec(&self, sql: &str) -> Result<(), String> {
        match self {
            Db::Sqlite(c) => dbs::sqlite_exec(c, sql),
            Db::Server(db) => db.exec(sql),
        }
    }
    fn count(&self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(c) => c
                .query_row(sql, [], |r| r.get(0))
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            Db::Server(db) => db.query(sql)[0][0].parse().unwrap(),
        }
    }
    /// Every column's default as the engine shows it, by (table, column): compared between
    /// the migrated database and NEW loaded fresh on the same engine (issue 14, item 7).
    fn defaults(&self) -> BTreeMap<(String, String), Option<String>> {
        let rows: Vec<Vec<Option<String>>> = match self {
            Db::Sqlite(c) => {
                let mut st = c
                    .prepare(
                        "SELECT m.name, p.name, p.dflt_value FROM sqlite_schema m, \
                         pragma_table_info(m.name) p WHERE m.type = 'table' \
                         AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                    )
                    .unwrap();
                st.query_map([], |r| Ok(vec![r.get(0)?, r.get(1)?, r.get(2)?]))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            }
            Db::Server(db) => {
                let schema = if db.engine() == Engine::Postgres {
                    "table_schema NOT IN ('pg_catalog', 'information_schema')"
                } else {
                    "table_schema = DATABASE()"
                };
                db.query(&format!(
                    "SELECT table_name, column_name, COALESCE(column_default, '<none>') \
                     FROM information_schema.columns WHERE {schema}"
                ))
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|x| Some(x).filter(|x| x != "<none>" && x != "NULL"))
                        .collect()
                })
                .collect()
            }
        };
        rows.into_iter()
            .map(|r| {
                (
                    (
                        r[0].clone().unwrap_or_default(),
                        r[1].clone().unwrap_or_default(),
                    ),
                    r[2].clone(),
                )
            })
            .collect()
    }
    /// PostgreSQL's sequences (see `catalog::read_pg_sequences`); none elsewhere.
    fn sequences(&self) -> BTreeMap<String, Vec<String>> {
        match self {
            Db::Server(db) if db.engine() == Engine::Postgres => catalog::read_pg_sequences(db),
            _ => BTreeMap::new(),
        }
    }
    fn catalog(&self) -> Catalog {
        match self {
            Db::Sqlite(c) => catalog::read_sqlite(c),
            Db::Server(db) if db.engine() == Engine::Postgres => catalog::read_postgres(db),
            Db::Server(db) => catalog::read_mariadb(db),
        }
    }
}

/// Differences between two catalogs read from engines (both sides read the same way, so
/// they must be equal table by table).
fn compare(expected: &Catalog, actual: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for (name, e) in &expected.tables {
        match actual.tables.get(name) {
            None => out.push(format!("missing table `{name}`")),
            Some(a) if a != e => out.push(format!(
                "table `{name}`:\n    expected {e:?}\n    found    {a:?}"
            )),
            Some(_) => {}
        }
    }
    for name in actual.tables.keys() {
        if !expected.tables.contains_key(name) {
            out.push(format!("unexpected table `{name}`"));
        }
    }
    out
}

struct Outcome {
    filled: usize,
    tables: usize,
    rows_checked: usize,
}

/// MySQL/MariaDB has no schemas inside a database: Crowfoot exports a table of schema `s` as
/// `s.t` after `CREATE DATABASE IF NOT EXISTS s`, into a database beside the test's own. That
/// database is not the test's: every test and every run on the server shares it, so two tests
/// loading the same schema collide, and one left behind by an earlier run (up.sql moves the
/// tables out, a failed run does not) makes OLD's `CREATE TABLE s.t` fail. So each schema the
/// projects use is renamed to a database made for this test alone
/// (`crowfoot_<what>_<schema>_<pid>_<n>`, named like the test databases), the same name in
/// every project given (OLD and NEW together, as up.sql runs where OLD was loaded). The
/// returned guards drop those databases when they go out of scope, on a panic too (or keep
/// them with `CROWFOOT_KEEP_DBS=1`). View SQL text naming `s.` is not rewritten. Empty when
/// no server is configured (the acceptance then skips).
fn isolate_schemas(what: &str, projects: &mut [&mut Project]) -> Vec<TestDb> {
    let mut schemas = std::collections::BTreeSet::new();
    for p in projects.iter() {
        schemas.extend(p.tables().filter_map(|t| t.schema.clone()));
        schemas.extend(p.views().filter_map(|v| v.schema.clone()));
    }
    let mut guards = Vec::new();
    for s in schemas {
        let Some(db) = TestDb::create(Engine::MariaDb, &format!("{what}_{s}")) else {
            return Vec::new();
        };
        for p in projects.iter_mut() {
            let tables: Vec<(TableId, String)> = p
                .tables()
                .filter(|t| t.schema.as_deref() == Some(s.as_str()))
                .map(|t| (t.id, t.name.clone()))
                .collect();
            for (table, name) in tables {
                let schema = Some(db.name.clone());
                Command::RenameTable {
                    table,
                    schema,
                    name,
                }
                .apply(p)
                .unwrap();
            }
            let views: Vec<View> = p
                .views()
                .filter(|v| v.schema.as_deref() == Some(s.as_str()))
                .cloned()
                .collect();
            for mut v in views {
                v.schema = Some(db.name.clone());
                Command::PutView(v).apply(p).unwrap();
            }
        }
        guards.push(db);
    }
    guards
}

/// The acceptance for one pair on one engine: OLD and NEW as Crowfoot exports them to `d`.
/// `fills` are the `--fill` values a user would give for NOT NULL columns added without a
/// default (MG004), keyed by (table, column) as in [`plan_with_fills`].
fn acceptance(
    what: &str,
    old: &Project,
    new: &Project,
    d: Dialect,
    fills: &Fills,
) -> Option<Outcome> {
    let (mut old, mut new) = (old.clone(), new.clone());
    let mut new_fresh = new.clone();
    // Declared before the test databases, so dropped after them (nothing in a test database
    // still refers to a table of theirs by then).
    let _schema_dbs = match d {
        Dialect::MySql => [
            isolate_schemas(&format!("{what}_old"), &mut [&mut old, &mut new]),
            isolate_schemas(&format!("{what}_new"), &mut [&mut new_fresh]),
        ],
        _ => Default::default(),
    };
    let (old, new) = (&old, &new);
    // The catalogs are compared column by column in order, so the model's order is asked for
    // (by default new columns are appended: see add_nullable_column_everywhere).
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        exact_column_order: true,
        ..Default::default()
    };
    let plan: MigrationPlan = plan_with_fills(old, new, d, opts, fills);
    assert_no_drop_before_copy(what, old, new, &plan);
    // OLD is filled with rows: a NOT NULL column added without a default needs a fill.
    let unfilled: Vec<&str> = plan
        .up
        .safety
        .iter()
        .filter(|s| s.code == "MG004" && s.message.contains("--fill"))
        .map(|s| s.object.as_str())
        .collect();
    assert!(
        unfilled.is_empty(),
        "{what} on {d}: no fill given for {unfilled:?}"
    );
    let old_sql = export(old, d).sql;
    let new_sql = export(&new_fresh, d).sql;
    let db = Db::new(d, &format!("{what}_old"))?;
    db.exec(&old_sql)
        .unwrap_or_else(|e| panic!("{what}: OLD does not load in {d}: {e}"));
    // Fill OLD. A table counts as filled when it holds rows afterwards (a partitioned table
    // holds its partitions' rows; a row of its own would collide with theirs).
    for (_, rows) in row_inserts(old, d) {
        for [full, lean] in rows {
            if db.exec(&full).is_err() {
                let _ = db.exec(&lean);
            }
        }
    }
    let mut before = BTreeMap::new();
    for t in old.tables() {
        before.insert(t.id, db.count(&count_sql(d, t)));
    }
    let filled = before.values().filter(|n| **n > 0).count();
    if let Err(e) = db.exec(&plan.up.sql) {
        panic!(
            "{what}: up.sql fails on {d}: {e}\n{}",
            dbs::numbered(&plan.up.sql)
        );
    }
    // Catalog equals NEW's.
    let fresh = Db::new(d, &format!("{what}_new"))?;
    fresh
        .exec(&new_sql)
        .unwrap_or_else(|e| panic!("{what}: NEW does not load in {d}: {e}"));
    let expected = fresh.catalog();
    let actual = db.catalog();
    let problems = compare(&expected, &actual);
    assert!(
        problems.is_empty(),
        "{what} on {d}: catalog after up.sql differs from NEW's:\n  {}\nup.sql:\n{}",
        problems.join("\n  "),
        plan.up.sql
    );
    // PostgreSQL sequences (options and owners) too.
    assert_eq!(
        db.sequences(),
        fresh.sequences(),
        "{what} on {d}: sequences after up.sql differ from NEW's\nup.sql:\n{}",
        plan.up.sql
    );
    // Defaults too, as the engine shows them.
    let (want, got) = (fresh.defaults(), db.defaults());
    let wrong: Vec<String> = want
        .iter()
        .filter(|(k, v)| got.get(*k) != Some(*v))
        .map(|((t, c), v)| {
            format!(
                "{t}.{c}: expected {v:?}, found {:?}",
                got.get(&(t.clone(), c.clone()))
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{what} on {d}: defaults after up.sql differ from NEW's:\n  {}\nup.sql:\n{}",
        wrong.join("\n  "),
        plan.up.sql
    );
    // Rows kept.
    let mut rows_checked = 0;
    for (o, n) in &plan.diff.table_map {
        let ot = old.table(*o).unwrap();
        let nt = new.table(*n).unwrap();
        let after = db.count(&count_sql(d, nt));
        assert_eq!(
            after, before[o],
            "{what} on {d}: table {} (now {}) had {} rows before up.sql, {after} after",
            ot.name, nt.name, before[o]
        );
        rows_checked += after as usize;
    }
    Some(Outcome {
        filled,
        tables: old.table_count(),
        rows_checked,
    })
}

fn synapse() -> (Project, Project) {
    (
        import(&fixture("synapse/main-54.sqlite.sql"), Dialect::Sqlite),
        import(&fixture("synapse/main-72.sqlite.sql"), Dialect::Sqlite),
    )
}

fn check_synapse(d: Dialect) {
    let (old, new) = synapse();
    // No fills: no column is added NOT NULL without a default. The diff's MG004s are on
    // existing columns made NOT NULL (user_filters.user_id, .filter_id, .filter_json,
    // event_push_summary_last_receipt_stream_id.stream_id), which a fill does not cover and
    // which OLD's rows hold values in.
    let Some(o) = acceptance("synapse_54_72", &old, &new, d, &Fills::new()) else {
        eprintln!("skipped: no {d} server configured");
        return;
    };
    assert!(
        o.filled * 10 >= o.tables * 9,
        "only {} of {} tables could be filled",
        o.filled,
        o.tables
    );
    assert!(o.rows_checked > 0);
    eprintln!(
        "synapse 54 -> 72 on {d}: {} of {} tables filled, {} rows kept",
        o.filled, o.tables, o.rows_checked
    );
}

#[test]
fn acceptance_synapse_sqlite() {
    check_synapse(Dialect::Sqlite);
}

#[test]
fn acceptance_synapse_postgres() {
    check_synapse(Dialect::Postgres);
}

#[test]
fn acceptance_synapse_mariadb() {
    check_synapse(Dialect::MySql);
}

// ---------------------------------------------------------------------------------------------
// Unit tests: one per change kind and per safety code (positive and negative).

fn base() -> Project {
    let mut b = ProjectBuilder::new("shop");
    b.table("users", |t| {
        t.col("id", L::BigInt).pk();
        t.col("email", L::Varchar(Some(100))).not_null();
        t.col("age", L::Integer);
        t.col("bio", L::Text);
        t.index("ix_users_email", &["email"]);
    });
    b.table("orders", |t| {
        t.col("id", L::BigInt).pk();
        t.col("user_id", L::BigInt);
        t.col("note", L::Text);
    });
    b.build()
}

/// `p` with table `table` edited by `f` (which may allocate ids from the project).
fn edit(p: &Project, table: &str, f: impl FnOnce(&mut Table, &mut Project)) -> Project {
    let mut n = p.clone();
    let mut t = n.table_by_name(None, table).unwrap().clone();
    f(&mut t, &mut n);
    Command::ReplaceTable(Box::new(t)).apply(&mut n).unwrap();
    n
}

fn new_col(p: &mut Project, name: &str, ty: LogicalType) -> Column {
    Column::new(ColumnId(p.alloc_id()), name, ty)
}

fn cid(p: &Project, table: &str, col: &str) -> ColumnId {
    p.table_by_name(None, table)
        .unwrap()
        .column_by_name(col)
        .unwrap()
        .id
}

fn tid(p: &Project, table: &str) -> TableId {
    p.table_by_name(None, table).unwrap().id
}

fn up(old: &Project, new: &Project, d: Dialect) -> Migration {
    plan(old, new, d, MigrationOptions::default()).up
}

fn codes(m: &Migration) -> Vec<&'static str> {
    m.safety.iter().map(|s| s.code).collect()
}

/// OLD exported to SQLite, filled with rows, then `sql` applied.
fn sqlite_after(old: &Project, sql: &str) -> rusqlite::Connection {
    let conn = dbs::sqlite();
    dbs::sqlite_exec(&conn, &export(old, Dialect::Sqlite).sql).unwrap();
    for (_, rows) in row_inserts(old, Dialect::Sqlite) {
        for [full, lean] in rows {
            if dbs::sqlite_exec(&conn, &full).is_err() {
                let _ = dbs::sqlite_exec(&conn, &lean);
            }
        }
    }
    dbs::sqlite_exec(&conn, sql).unwrap_or_else(|e| panic!("{e}\n{}", dbs::numbered(sql)));
    conn
}

fn sqlite_catalog_of(p: &Project) -> Catalog {
    let conn = dbs::sqlite();
    dbs::sqlite_exec(&conn, &export(p, Dialect::Sqlite).sql).unwrap();
    catalog::read_sqlite(&conn)
}

fn rows(conn: &rusqlite::Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })
    .unwrap()
}

#[test]
fn no_changes() {
    let p = base();
    let pl = plan(&p, &p, Dialect::Postgres, MigrationOptions::default());
    assert!(pl.diff.is_empty());
    assert_eq!(pl.diff.mode, MatchMode::Ids);
    assert_eq!(pl.up.statements, 0);
    assert!(pl.up.sql.contains("No changes"));
    assert!(pl.up.safety.is_empty());
}

#[test]
fn add_nullable_column_everywhere() {
    let old = base();
    let new = edit(&old, "users", |t, p| {
        let c = new_col(p, "nickname", L::Varchar(Some(30)));
        t.columns.insert(2, c);
    });
    let d = diff(&old, &new);
    assert_eq!(d.tables_changed.len(), 1);
    assert_eq!(d.tables_changed[0].columns_added[0].name, "nickname");
    // By default the new column is appended (no rebuild), with a warning (issue 14, item 5).
    let plain = up(&old, &new, Dialect::Postgres);
    assert!(!codes(&plain).contains(&"MG006"), "{}", plain.sql);
    assert!(!plain.sql.contains("_crowfoot_new_users"), "{}", plain.sql);
    assert!(plain.sql.contains("ADD COLUMN nickname"), "{}", plain.sql);
    assert!(
        plain
            .warnings
            .iter()
            .any(|w| w.to_string().contains("appended")),
        "{:?}",
        plain.warnings
    );
    let my_plain = up(&old, &new, Dialect::MySql);
    assert!(!my_plain.sql.contains("AFTER"), "{}", my_plain.sql);
    let exact = MigrationOptions {
        exact_column_order: true,
        ..Default::default()
    };
    let pg = plan(&old, &new, Dialect::Postgres, exact).up;
    assert!(!codes(&pg).contains(&"MG004"));
    // --exact-column-order: PostgreSQL appends, so a column in the middle means a rebuild.
    assert!(codes(&pg).contains(&"MG006"));
    assert!(pg.sql.contains(
        "INSERT INTO _crowfoot_new_users (id, email, age, bio) SELECT id, email, age, bio FROM users"
    ));
    assert!(
        pg.sql
            .contains("RENAME CONSTRAINT _crowfoot_1_pk TO users_pkey")
    );
    let my = plan(&old, &new, Dialect::MySql, exact).up;
    assert!(my.sql.contains("AFTER email"), "{}", my.sql);
    let lite = up(&old, &new, Dialect::Sqlite);
    assert!(lite.sql.contains("_crowfoot_new_users"), "{}", lite.sql);
    let conn = sqlite_after(&old, &lite.sql);
    assert_eq!(rows(&conn, "users"), ROWS as i64);
    assert!(compare(&sqlite_catalog_of(&new), &catalog::read_sqlite(&conn)).is_empty());

    // At the end: plain ALTER TABLE everywhere, no rebuild.
    let new = edit(&old, "users", |t, p| {
        let c = new_col(p, "nickname", L::Varchar(Some(30)));
        t.columns.push(c);
    });
    let lite = up(&old, &new, Dialect::Sqlite);
    assert!(
        lite.sql.contains("ALTER TABLE users ADD COLUMN nickname"),
        "{}",
        lite.sql
    );
    assert!(!lite.sql.contains("_crowfoot_new_"));
    assert!(!codes(&up(&old, &new, Dialect::Postgres)).contains(&"MG006"));
}

#[test]
fn mg004_not_null_without_default() {
    let old = base();
    let new = edit(&old, "orders", |t, p| {
        let mut c = new_col(p, "status", L::Text);
        c.nullable = false;
        t.columns.push(c);
    });
    let m = up(&old, &new, Dialect::Postgres);
    assert!(codes(&m).contains(&"MG004"), "{:?}", m.safety);
    let new = edit(&old, "orders", |t, p| {
        let mut c = new_col(p, "status", L::Text);
        c.nullable = false;
        c.default = Some("'new'".into());
        t.columns.push(c);
    });
    let m = up(&old, &new, Dialect::Postgres);
    assert!(!codes(&m).contains(&"MG004"));
    assert!(
        m.sql
            .contains("ADD COLUMN status text NOT NULL DEFAULT 'new'"),
        "{}",
        m.sql
    );
    // nullable -> NOT NULL on an existing column.
    let new = edit(&old, "users", |t, _| t.columns[2].nullable = false);
    let m = up(&old, &new, Dialect::Postgres);
    assert!(codes(&m).contains(&"MG004"));
    assert!(m.sql.contains("ALTER COLUMN age SET NOT NULL"), "{}", m.sql);
}

#[test]
fn mg002_column_drop() {
    let old = base();
    let new = edit(&old, "users", |t, _| {
        t.columns.retain(|c| c.name != "bio");
    });
    let m = up(&old, &new, Dialect::Postgres);
    assert_eq!(codes(&m), ["MG002"]);
    assert!(m.sql.contains("ALTER TABLE users DROP COLUMN bio"));
    let lite = up(&old, &new, Dialect::Sqlite);
    assert!(
        lite.sql.contains("ALTER TABLE users DROP COLUMN bio"),
        "{}",
        lite.sql
    );
    let conn = sqlite_after(&old, &lite.sql);
    assert_eq!(rows(&conn, "users"), ROWS as i64);
    // An indexed column: SQLite cannot DROP COLUMN it, so the table is rebuilt.
    let new = edit(&old, "users", |t, _| {
        t.indexes.clear();
        t.columns.retain(|c| c.name != "email");
    });
    let lite = up(&old, &new, Dialect::Sqlite);
    assert!(
        lite.sql.contains(
            "INSERT INTO _crowfoot_new_users (id, age, bio) SELECT id, age, bio FROM users"
        ),
        "{}",
        lite.sql
    );
    let conn = sqlite_after(&old, &lite.sql);
    assert_eq!(rows(&conn, "users"), ROWS as i64);
    assert!(compare(&sqlite_catalog_of(&new), &catalog::read_sqlite(&conn)).is_empty());
    // Negative: nothing dropped, no MG002.
    assert!(!codes(&up(&old, &old, Dialect::Postgres)).contains(&"MG002"));
}

#[test]
fn mg001_table_drop_after_its_foreign_keys() {
    let mut b = ProjectBuilder::from_project(base());
    let (u, o) = (tid(b.project(), "users"), tid(b.project(), "orders"));
    b.fk_with(o, &["user_id"], u, &["id"], |f| {
        f.name = Some("fk_orders_users".into())
    });
    let old = b.build();
    let mut new = old.clone();
    let fk = new.foreign_keys().next().unwrap().id;
    Command::RemoveForeignKey(fk).apply(&mut new).unwrap();
    Command::RemoveTable(u).apply(&mut new).unwrap();
    let m = up(&old, &new, Dialect::Postgres);
    assert!(codes(&m).contains(&"MG001"));
    let drop_fk = m
        .sql
        .find("ALTER TABLE orders DROP CONSTRAINT fk_orders_users")
        .unwrap();
    let drop_t = m.sql.find("DROP TABLE users").unwrap();
    assert!(drop_fk < drop_t, "{}", m.sql);
    let lite = up(&old, &new, Dialect::Sqlite);
    let conn = sqlite_after(&old, &lite.sql);
    assert_eq!(rows(&conn, "orders"), ROWS as i64);
    assert!(compare(&sqlite_catalog_of(&new), &catalog::read_sqlite(&conn)).is_empty());
    assert!(!codes(&up(&old, &old, Dialect::Postgres)).contains(&"MG001"));
}

#[test]
fn mg003_type_narrowing_and_mg006_rewrite() {
    let old = base();
    let new = edit(&old, "users", |t, _| t.columns[2].ty = L::SmallInt);
    let m = up(&old, &new, Dialect::Postgres);
    assert!(codes(&m).contains(&"MG003"));
    assert!(codes(&m).contains(&"MG006"));
    assert!(
        m.sql
            .contains("ALTER COLUMN age TYPE smallint USING age::smallint"),
        "{}",
        m.sql
    );
    // Widening varchar: neither narrowing nor a rewrite on PostgreSQL.
    let new = edit(&old, "users", |t, _| {
        t.columns[1].ty = L::Varchar(Some(200))
    });
    let m = up(&old, &new, Dialect::Postgres);
    assert!(m.safety.is_empty(), "{:?}", m.safety);
    let my = up(&old, &new, Dialect::MySql);
    assert!(
        my.sql.contains("MODIFY COLUMN email varchar(200) NOT NULL"),
        "{}",
        my.sql
    );
    assert!(narrows(&L::BigInt, &L::Integer));
    assert!(narrows(&L::Text, &L::Varchar(Some(10))));
    assert!(!narrows(&L::Integer, &L::BigInt));
    assert!(!narrows(&L::Varchar(Some(10)), &L::Text));
    assert!(narrows(
        &L::Decimal(Some(10), Some(2)),
        &L::Decimal(Some(8), Some(2))
    ));
}

#[test]
fn mg005_index_build_and_concurrently() {
    let old = base();
    let new = edit(&old, "orders", |t, p| {
        t.indexes.push(Index {
            id: IndexId(p.alloc_id()),
            name: "ix_orders_user".into(),
            unique: false,
            parts: vec![IndexPart::column(t.columns[1].id)],
            where_clause: None,
            include: Vec::new(),
            method: None,
        });
    });
    let m = up(&old, &new, Dialect::Postgres);
    assert_eq!(codes(&m), ["MG005"]);
    assert!(m.sql.contains("BEGIN;"));
    let opts = MigrationOptions {
        concurrent_indexes: true,
        ..Default::default()
    };
    let c = plan(&old, &new, Dialect::Postgres, opts).up;
    assert!(c.safety.is_empty());
    assert!(
        c.sql.contains("CREATE INDEX CONCURRENTLY ix_orders_user"),
        "{}",
        c.sql
    );
    assert!(!c.sql.contains("BEGIN;"));
    assert!(up(&old, &new, Dialect::MySql).safety.is_empty());
    // An index on a new table is no risk.
    let mut b = ProjectBuilder::from_project(old.clone());
    b.table("tags", |t| {
        t.col("id", L::Integer).pk();
        t.col("label", L::Text);
        t.index("ix_tags_label", &["label"]);
    });
    let m = up(&old, &b.build(), Dialect::Postgres);
    assert!(!codes(&m).contains(&"MG005"), "{:?}", m.safety);
}

#[test]
fn mg007_foreign_key_and_not_valid() {
    let old = base();
    let mut b = ProjectBuilder::from_project(old.clone());
    let (u, o) = (tid(&old, "users"), tid(&old, "orders"));
    b.fk_with(o, &["user_id"], u, &["id"], |f| {
        f.name = Some("fk_orders_users".into())
    });
    let new = b.build();
    let m = up(&old, &new, Dialect::Postgres);
    assert_eq!(codes(&m), ["MG007"]);
    let opts = MigrationOptions {
        fk_not_valid: true,
        ..Default::default()
    };
    let v = plan(&old, &new, Dialect::Postgres, opts).up;
    assert!(v.safety.is_empty());
    assert!(v.sql.contains("NOT VALID"), "{}", v.sql);
    assert!(
        v.sql
            .contains("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_users")
    );
    // SQLite: foreign keys live in the table, which is rebuilt with its rows.
    let lite = up(&old, &new, Dialect::Sqlite);
    assert!(
        lite.sql.contains("PRAGMA foreign_keys = OFF"),
        "{}",
        lite.sql
    );
    assert!(lite.sql.contains("PRAGMA foreign_key_check"));
    let conn = sqlite_after(&old, &lite.sql);
    assert_eq!(rows(&conn, "orders"), ROWS as i64);
    assert!(compare(&sqlite_catalog_of(&new), &catalog::read_sqlite(&conn)).is_empty());
    // A foreign key of a new table is no risk.
    let mut b = ProjectBuilder::from_project(old.clone());
    let t = b.table("payments", |t| {
        t.col("id", L::Integer).pk();
        t.col("order_id", L::BigInt);
    });
    b.fk(t, &["order_id"], o, &["id"]);
    let m = up(&old, &b.build(), Dialect::Postgres);
    assert!(m.safety.is_empty(), "{:?}", m.safety);
    let create = m.sql.find("CREATE TABLE payments").unwrap();
    let fk = m.sql.find("ALTER TABLE payments ADD FOREIGN KEY").unwrap();
    assert!(create < fk);
}

#[test]
fn mg008_renames_by_id() {
    let old = base();
    let mut new = edit(&old, "users", |t, _| t.columns[3].name = "about".into());
    Command::RenameTable {
        table: tid(&old, "users"),
        schema: None,
        name: "customers".into(),
    }
    .apply(&mut new)
    .unwrap();
    let d = diff(&old, &new);
    assert_eq!(d.mode, MatchMode::Ids);
    let renames = d.renames();
    assert_eq!(renames.len(), 2);
    assert!(renames.iter().all(|r| r.confidence == 1.0));
    let m = up(&old, &new, Dialect::Postgres);
    assert_eq!(codes(&m), ["MG008", "MG008"]);
    assert!(
        m.sql.contains("ALTER TABLE users RENAME TO customers"),
        "{}",
        m.sql
    );
    assert!(
        m.sql
            .contains("ALTER TABLE customers RENAME COLUMN bio TO about")
    );
    let lite = up(&old, &new, Dialect::Sqlite);
    let conn = sqlite_after(&old, &lite.sql);
    assert_eq!(rows(&conn, "customers"), ROWS as i64);
    assert!(compare(&sqlite_catalog_of(&new), &catalog::read_sqlite(&conn)).is_empty());
    let _ = cid(&old, "users", "bio");
}

#[test]
fn rename_heuristics_for_imported_schemas() {
    let old = import(
        "CREATE TABLE person (id integer PRIMARY KEY, nm text NOT NULL, born date);\n\
         CREATE TABLE tag (id integer PRIMARY KEY, label text, color text);",
        Dialect::Postgres,
    );
    let new = import(
        "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL, born date);\n\
         CREATE TABLE label (id integer PRIMARY KEY, label text, color text);",
        Dialect::Postgres,
    );
    let d = diff_by(&old, &new, Some(MatchMode::Names));
    assert_eq!(d.mode, MatchMode::Names);
    let t = d.tables_changed.iter().find(|t| t.name == "label").unwrap();
    let r = t.rename.as_ref().unwrap();
    assert_eq!((r.from.as_str(), r.confidence), ("tag", 1.0));
    let p = d
        .tables_changed
        .iter()
        .find(|t| t.name == "person")
        .unwrap();
    assert_eq!(p.column_renames[0].from, "nm");
    assert!(p.column_renames[0].confidence < 1.0);
    assert!(d.tables_added.is_empty() && d.tables_dropped.is_empty());
    // Different columns: a drop and an add, not a rename.
    let other = import(
        "CREATE TABLE person (id integer PRIMARY KEY, nm text NOT NULL, born date);\n\
         CREATE TABLE invoice (no bigint PRIMARY KEY, total numeric(10,2));",
        Dialect::Postgres,
    );
    let d = diff_by(&old, &other, Some(MatchMode::Names));
    assert_eq!(d.tables_added.len(), 1);
    assert_eq!(d.tables_dropped.len(), 1);
}

#[test]
fn column_change_kinds_are_reported() {
    let old = base();
    let new = edit(&old, "users", |t, _| {
        t.columns[2].default = Some("18".into());
        t.columns[2].comment = Some("years".into());
    });
    let d = diff(&old, &new);
    let kinds = &d.tables_changed[0].columns_changed[0].changes;
    assert!(matches!(kinds[0], ColumnChangeKind::Default { .. }));
    assert!(matches!(kinds[1], ColumnChangeKind::Comment { .. }));
    let m = up(&old, &new, Dialect::Postgres);
    assert!(
        m.sql.contains("ALTER COLUMN age SET DEFAULT 18"),
        "{}",
        m.sql
    );
    assert!(m.sql.contains("COMMENT ON COLUMN users.age IS 'years'"));
}

#[test]
fn down_reverses_up_on_sqlite() {
    let old = base();
    let new = edit(&old, "users", |t, p| {
        t.columns[1].nullable = true;
        let c = new_col(p, "country", L::Char(2));
        t.columns.insert(1, c);
    });
    let pl = plan(&old, &new, Dialect::Sqlite, MigrationOptions::default());
    let conn = sqlite_after(&old, &pl.up.sql);
    dbs::sqlite_exec(&conn, &pl.down.sql).unwrap();
    assert!(compare(&sqlite_catalog_of(&old), &catalog::read_sqlite(&conn)).is_empty());
    assert_eq!(rows(&conn, "users"), ROWS as i64);
}

#[test]
fn plan_serializes_with_codes() {
    let old = base();
    let new = edit(&old, "users", |t, _| t.columns.retain(|c| c.name != "bio"));
    let pl = plan(&old, &new, Dialect::Postgres, MigrationOptions::default());
    let v = serde_json::to_value(&pl).unwrap();
    assert_eq!(v["up"]["safety"][0]["code"], "MG002");
    assert_eq!(
        v["diff"]["tables_changed"][0]["columns_dropped"][0]["name"],
        "bio"
    );
    assert!(
        v["down"]["sql"]
            .as_str()
            .unwrap()
            .contains("ADD COLUMN bio")
    );
}

#[test]
fn cli_diff_exit_codes_and_outputs() {
    let dir = std::env::temp_dir().join(format!("crowfoot-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let old = dir.join("old.sql");
    let new = dir.join("new.sql");
    std::fs::write(&old, "CREATE TABLE t (id integer PRIMARY KEY, a text);").unwrap();
    std::fs::write(
        &new,
        "CREATE TABLE t (id integer PRIMARY KEY, a text, b integer);",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_crowfoot");
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(bin)
            .arg("diff")
            .args(args)
            .output()
            .unwrap()
    };
    let same = run(&[old.as_os_str(), old.as_os_str()]);
    assert_eq!(same.status.code(), Some(0));
    let up_path = dir.join("up.sql");
    let down_path = dir.join("down.sql");
    let changed = run(&[
        old.as_os_str(),
        new.as_os_str(),
        "--to".as_ref(),
        "sqlite".as_ref(),
        "-o".as_ref(),
        up_path.as_os_str(),
        "--down".as_ref(),
        down_path.as_os_str(),
    ]);
    assert_eq!(
        changed.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert!(
        std::fs::read_to_string(&up_path)
            .unwrap()
            .contains("ADD COLUMN b")
    );
    assert!(
        std::fs::read_to_string(&down_path)
            .unwrap()
            .contains("DROP COLUMN b")
    );
    let json = run(&[old.as_os_str(), new.as_os_str(), "--json".as_ref()]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        v["diff"]["tables_changed"][0]["columns_added"][0]["name"],
        "b"
    );
    let missing = run(&[dir.join("nope.ron").as_os_str(), new.as_os_str()]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

fn pagila() -> (Project, Project) {
    (
        import(
            &fixture("pagila/pagila-2022.postgres.sql"),
            Dialect::Postgres,
        ),
        import(
            &fixture("pagila/pagila-2025.postgres.sql"),
            Dialect::Postgres,
        ),
    )
}

/// Pagila 2022 -> 2025 (PostgreSQL) as it is: NEW needs PostgreSQL 18 (`uuidv7()`, a VIRTUAL
/// generated column) and pgvector, so the whole diff is checked here, `film`'s new virtual
/// generated column included; the engines run the PostgreSQL 15 form (`check_pagila`).
#[test]
fn pagila_2022_2025_diff() {
    let (old, new) = pagila();
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        ..Default::default()
    };
    let pl = plan(&old, &new, Dialect::Postgres, opts);
    let s = pl.diff.summary();
    for want in [
        "+ table film_embedding",
        "+ column customer.uuid",
        "+ column payment.uuid",
        "+ column rental.uuid",
        "+ index customer.customer_uuid_key",
        "~ column language.name: type",
        "+ column film.length_hours",
    ] {
        assert!(s.iter().any(|l| l == want), "{want} not in {s:#?}");
    }
    let codes = codes(&pl.up);
    assert!(codes.contains(&"MG005"));
    assert!(codes.contains(&"MG006"));
    assert!(
        pl.up
            .sql
            .contains("ALTER TABLE customer ADD COLUMN uuid uuid"),
        "{}",
        pl.up.sql
    );
    assert!(
        pl.down
            .sql
            .contains("ALTER TABLE customer DROP COLUMN uuid")
    );
}

/// Quartz's PostgreSQL tables: the quartz-core layout (TEXT columns in a `QRTZ` schema) to
/// the current one (VARCHAR(n) in `public`): 11 tables moved between schemas, 47 narrowed
/// (key and foreign key) columns. On MariaDB the `QRTZ` schema is a database of its own, beside
/// the test's: the tables are filled and counted there, and it is made unique to the run (see
/// isolate_schemas); up.sql moves the tables into the test's database (`RENAME TABLE`).
fn check_quartz(d: Dialect) {
    let old = import(
        &fixture("quartz/quartz-core.postgres.sql"),
        Dialect::Postgres,
    );
    let new = import(
        &fixture("quartz/quartz-2.5.postgres.sql"),
        Dialect::Postgres,
    );
    // No fills: no MG004 (no column is added, only types narrowed and tables moved).
    let Some(o) = acceptance("quartz", &old, &new, d, &Fills::new()) else {
        eprintln!("skipped: no {d} server configured");
        return;
    };
    eprintln!(
        "quartz on {d}: {} of {} tables filled, {} rows kept",
        o.filled, o.tables, o.rows_checked
    );
    assert_eq!(o.filled, o.tables);
}

/// Pagila 2022 -> 2025 as PostgreSQL 15 can hold it: NEW without pgvector (`film_embedding`
/// and the `vector` extension go) and with `gen_random_uuid()` where it says `uuidv7()`
/// (PostgreSQL 18); its VIRTUAL generated column is written STORED by the export (warned).
/// Everything else is the real upgrade: sequences feeding every key (kept as sequences on
/// PostgreSQL, auto-increment elsewhere), payment's partitions, new NOT NULL uuid columns with
/// a volatile default, a retyped column, new indexes and a generated column.
fn pagila_for_pg15() -> (Project, Project) {
    let (old, mut new) = pagila();
    let film_embedding = new
        .tables()
        .find(|t| t.name == "film_embedding")
        .expect("2025 has film_embedding")
        .id;
    let mut cmds = vec![command::remove_table(&new, film_embedding)];
    for x in new.extra_sql() {
        let lower = x.sql.to_lowercase();
        if lower.contains("vector") || lower.contains("film_embedding") {
            cmds.push(Command::RemoveExtraSql(x.id));
        }
    }
    for t in new.tables() {
        for c in &t.columns {
            if c.default.as_deref() == Some("uuidv7()") {
                let mut nc = c.clone();
                nc.default = Some("gen_random_uuid()".into());
                cmds.push(Command::UpdateColumn {
                    table: t.id,
                    column: Box::new(nc),
                });
            }
        }
    }
    Command::Batch(cmds)
        .apply(&mut new)
        .expect("the PostgreSQL 15 edits apply");
    (old, new)
}

fn check_pagila(d: Dialect) {
    let (mut old, mut new) = pagila_for_pg15();
    if d != Dialect::Postgres {
        // Views are PostgreSQL queries, which the export writes as they are (warned): another
        // engine gets the tables only.
        for p in [&mut old, &mut new] {
            let views: Vec<Command> = p.views().map(|v| Command::RemoveView(v.id)).collect();
            Command::Batch(views).apply(p).unwrap();
        }
    }
    assert!(old.sequences().count() == 13 && new.sequences().count() == 13);
    // The uuid columns NOT NULL DEFAULT gen_random_uuid() (payment's partitions included):
    // SQLite has no UUID generator, so its rebuilds copy the rows with the value a user would
    // give (MG004 asks for it).
    let mut fills = Fills::new();
    if d == Dialect::Sqlite {
        for t in new.tables() {
            let had = old
                .table_by_name(t.schema.as_deref(), &t.name)
                .is_some_and(|o| o.columns.iter().any(|c| c.name == "uuid"));
            if t.columns.iter().any(|c| c.name == "uuid") && !had {
                fills.insert(
                    (t.name.clone(), "uuid".into()),
                    "lower(hex(randomblob(16)))".into(),
                );
            }
        }
    }
    let Some(o) = acceptance("pagila", &old, &new, d, &fills) else {
        eprintln!("skipped: no {d} server configured");
        return;
    };
    eprintln!(
        "pagila 2022 -> 2025 on {d}: {} of {} tables filled, {} rows kept",
        o.filled, o.tables, o.rows_checked
    );
    assert_eq!(o.filled, o.tables);
}

#[test]
fn acceptance_pagila_postgres() {
    check_pagila(Dialect::Postgres);
}

#[test]
fn acceptance_pagila_sqlite() {
    check_pagila(Dialect::Sqlite);
}

#[test]
fn acceptance_pagila_mariadb() {
    check_pagila(Dialect::MySql);
}

#[test]
fn acceptance_quartz_sqlite() {
    check_quartz(Dialect::Sqlite);
}

#[test]
fn acceptance_quartz_postgres() {
    check_quartz(Dialect::Postgres);
}

#[test]
fn acceptance_quartz_mariadb() {
    check_quartz(Dialect::MySql);
}

/// An unnamed foreign key dropped by the name each engine gave it, and a view over a rebuilt
/// table dropped and created again, on every engine.
#[test]
fn unnamed_foreign_key_and_view_on_engines() {
    let mut b = ProjectBuilder::from_project(base());
    let (u, o) = (tid(b.project(), "users"), tid(b.project(), "orders"));
    b.fk(o, &["user_id"], u, &["id"]);
    b.view(
        "user_orders",
        "SELECT u.id, o.note FROM users u JOIN orders o ON o.user_id = u.id",
        &[u, o],
    );
    let old = b.build();
    let mut new = old.clone();
    let fk = new.foreign_keys().next().unwrap().id;
    Command::RemoveForeignKey(fk).apply(&mut new).unwrap();
    let new = edit(&new, "users", |t, p| {
        let c = new_col(p, "country", L::Char(2));
        t.columns.insert(1, c);
    });
    for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
        match acceptance("unnamed_fk_view", &old, &new, d, &Fills::new()) {
            Some(o) => assert_eq!(o.filled, 2),
            None => eprintln!("skipped: no {d} server configured"),
        }
    }
}

/// Synapse 54 -> 72 on SQLite from the original files (not Crowfoot's exports of them).
/// Known gap: 6 tables differ only in declared-type spelling (`BOOL` / `INT` in Synapse's
/// file, `BOOLEAN` / `INTEGER` where Crowfoot wrote the table: added columns and rebuilt or
/// new tables), because the model keeps logical types, not the original spelling.
#[test]
#[ignore = "declared-type spelling of rebuilt tables differs from the original file (BOOL vs BOOLEAN, INT vs INTEGER)"]
fn synapse_original_files_sqlite() {
    let (old_sql, new_sql) = (
        fixture("synapse/main-54.sqlite.sql"),
        fixture("synapse/main-72.sqlite.sql"),
    );
    let (old, new) = synapse();
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        ..Default::default()
    };
    let pl = plan(&old, &new, Dialect::Sqlite, opts);
    let db = dbs::sqlite();
    dbs::sqlite_exec(&db, &old_sql).unwrap();
    for (_, rows) in row_inserts(&old, Dialect::Sqlite) {
        for [full, lean] in rows {
            if dbs::sqlite_exec(&db, &full).is_err() {
                let _ = dbs::sqlite_exec(&db, &lean);
            }
        }
    }
    let before: Vec<(TableId, i64)> = old.tables().map(|t| (t.id, rows(&db, &t.name))).collect();
    dbs::sqlite_exec(&db, &pl.up.sql).unwrap();
    let fresh = dbs::sqlite();
    dbs::sqlite_exec(&fresh, &new_sql).unwrap();
    // SQLite keeps a non-INTEGER primary key column nullable unless NOT NULL is written; the
    // model (and so a rebuilt table) makes key columns NOT NULL.
    let pk_not_null = |mut c: Catalog| {
        for t in c.tables.values_mut() {
            for col in &mut t.columns {
                if t.primary_key.contains(&col.name) {
                    col.nullable = false;
                }
            }
        }
        c
    };
    let problems = compare(
        &pk_not_null(catalog::read_sqlite(&fresh)),
        &pk_not_null(catalog::read_sqlite(&db)),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (o, n) in before {
        if let Some(nt) = pl.diff.table_map.get(&o).and_then(|t| new.table(*t)) {
            assert_eq!(rows(&db, &nt.name), n);
        }
    }
}

/// SQLite: a rebuilt table's triggers are created again (dropping the table dropped them).
#[test]
fn sqlite_rebuild_keeps_triggers() {
    let mut old = base();
    Command::PutExtraSql(ExtraSql {
        id: ExtraSqlId(old.alloc_id()),
        dialect: Dialect::Sqlite,
        kind: "trigger".into(),
        name: Some("users_touch".into()),
        placement: Placement::AfterTables,
        search_path: None,
        sql: "CREATE TRIGGER users_touch AFTER INSERT ON users BEGIN UPDATE users SET age = 0 WHERE id = NEW.id AND age IS NULL; END".into(),
    })
    .apply(&mut old)
    .unwrap();
    let new = edit(&old, "users", |t, _| t.columns[1].nullable = true);
    let pl = plan(&old, &new, Dialect::Sqlite, MigrationOptions::default());
    assert!(pl.up.sql.contains("_crowfoot_new_users"));
    let conn = sqlite_after(&old, &pl.up.sql);
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'users_touch'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1, "{}", pl.up.sql);
    assert_eq!(rows(&conn, "users"), ROWS as i64);
}

/// Issue 14, item 6: after `ALTER COLUMN … TYPE`, PostgreSQL keeps the old default with the old
/// type's cast (or refuses when it cannot cast it): the migration drops the default first and
/// sets the new model's default after the type change. Checked on real PostgreSQL.
#[test]
fn a_type_change_sets_the_default_again() {
    let old = import(
        "CREATE TABLE t (id integer PRIMARY KEY, name varchar(20) NOT NULL DEFAULT '', code varchar(10) DEFAULT 'x');",
        Dialect::Postgres,
    );
    let new = import(
        "CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL DEFAULT '', code integer DEFAULT 0);",
        Dialect::Postgres,
    );
    let p = plan(
        &old,
        &new,
        Dialect::Postgres,
        MigrationOptions {
            match_mode: Some(MatchMode::Names),
            ..Default::default()
        },
    );
    let up = &p.up.sql;
    let drop = up
        .find("ALTER COLUMN name DROP DEFAULT")
        .unwrap_or_else(|| panic!("{up}"));
    let ty = up.find("ALTER COLUMN name TYPE").unwrap();
    let set = up.find("ALTER COLUMN name SET DEFAULT").unwrap();
    assert!(drop < ty && ty < set, "{up}");
    assert!(up.contains("ALTER COLUMN code SET DEFAULT 0"), "{up}");
    let Some(db) = TestDb::create(Engine::Postgres, "type_default") else {
        return;
    };
    db.exec(&export(&old, Dialect::Postgres).sql).unwrap();
    db.exec("INSERT INTO t (id, code) VALUES (1, '7');")
        .unwrap();
    db.exec(up).unwrap_or_else(|e| panic!("{e}\n{up}"));
    let rows = db.query(
        "SELECT column_name, column_default FROM information_schema.columns \
         WHERE table_name = 't' AND column_name IN ('name', 'code') ORDER BY column_name",
    );
    assert_eq!(
        rows[0],
        vec!["code".to_string(), "0".to_string()],
        "{rows:?}"
    );
    assert_eq!(
        rows[1],
        vec!["name".to_string(), "''::text".to_string()],
        "{rows:?}"
    );
}

/// Issue 14, item 4: a NOT NULL column added without a default gets a one-off fill for the rows
/// the table has (`--fill TABLE.COLUMN=SQL`), on real PostgreSQL, MariaDB and SQLite; the
/// column keeps no default. Without a fill MG004 says how to give one.
#[test]
fn one_off_fill_values_for_new_not_null_columns() {
    let old_sql = "CREATE TABLE orders (id integer PRIMARY KEY, total integer);";
    let new_sql =
        "CREATE TABLE orders (id integer PRIMARY KEY, total integer, status varchar(10) NOT NULL);";
    let old = import(old_sql, Dialect::Sqlite);
    let new = import(new_sql, Dialect::Sqlite);
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        ..Default::default()
    };
    let mut fills = crowfoot::sql::migrate::Fills::new();
    fills.insert(("orders".into(), "status".into()), "'new'".into());
    let bare = plan(&old, &new, Dialect::Postgres, opts).up;
    assert!(
        bare.safety
            .iter()
            .any(|s| s.code == "MG004" && s.message.contains("--fill")),
        "{:?}",
        bare.safety
    );
    let inserts = "INSERT INTO orders (id, total) VALUES (1, 10); INSERT INTO orders (id, total) VALUES (2, 20);";
    for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
        let up = crowfoot::sql::migrate::plan_with_fills(&old, &new, d, opts, &fills).up;
        assert!(
            !up.safety.iter().any(|s| s.code == "MG004"),
            "{d:?}: {:?}",
            up.safety
        );
        let check = |values: Vec<String>, default: Option<String>| {
            assert_eq!(
                values,
                vec!["new".to_string(), "new".to_string()],
                "{d:?}\n{}",
                up.sql
            );
            assert!(
                default.is_none(),
                "{d:?}: default {default:?} left\n{}",
                up.sql
            );
        };
        match d {
            Dialect::Sqlite => {
                let c = dbs::sqlite();
                dbs::sqlite_exec(&c, &export(&old, d).sql).unwrap();
                dbs::sqlite_exec(&c, inserts).unwrap();
                dbs::sqlite_exec(&c, &up.sql).unwrap_or_else(|e| panic!("{e}\n{}", up.sql));
                let mut st = c.prepare("SELECT status FROM orders ORDER BY id").unwrap();
                let v: Vec<String> = st
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                let default: Option<String> = c
                    .query_row(
                        "SELECT dflt_value FROM pragma_table_info('orders') WHERE name = 'status'",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                check(v, default);
            }
            _ => {
                let engine = if d == Dialect::Postgres {
                    Engine::Postgres
                } else {
                    Engine::MariaDb
                };
                let Some(db) = TestDb::create(engine, "one_off_fill") else {
                    continue;
                };
                db.exec(&export(&old, d).sql).unwrap();
                db.exec(inserts).unwrap();
                db.exec(&up.sql)
                    .unwrap_or_else(|e| panic!("{e}\n{}", up.sql));
                let v: Vec<String> = db
                    .query("SELECT status FROM orders ORDER BY id")
                    .into_iter()
                    .map(|r| r[0].clone())
                    .collect();
                let default = db
                    .query("SELECT column_default FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status'")
                    .into_iter()
                    .next()
                    .and_then(|r| r.into_iter().next())
                    .filter(|x| !x.is_empty() && x != "NULL");
                check(v, default);
            }
        }
    }
    // The CLI: --fill is checked against what the migration adds.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.sql"), old_sql).unwrap();
    std::fs::write(dir.path().join("new.sql"), new_sql).unwrap();
    let diff_filling = |fill: &str| {
        let args = [
            "diff", "old.sql", "new.sql", "--to", "postgres", "--fill", fill,
        ];
        support::run::crowfoot(&args, dir.path())
    };
    let ok = diff_filling("orders.status='new'");
    assert!(support::run::text(&ok.stdout).contains("DEFAULT 'new'"));
    assert!(!support::run::text(&ok.stderr).contains("MG004"));
    // A column the migration does not add NOT NULL without a default, and a second statement.
    assert_eq!(diff_filling("orders.total=0").status.code(), Some(2));
    let inject = diff_filling("orders.status='x'); DROP TABLE orders; --");
    assert_eq!(inject.status.code(), Some(2));
}

/// MySQL/MariaDB refuse to change the type of a column a foreign key uses, on either side
/// (error 1833): such kept keys are dropped before the ALTERs and added again after, under
/// the name they had (an unnamed one keeps its `_ibfk_N`; `child`'s key to `other` is left
/// alone). Both directions, on every engine.
#[test]
fn kept_foreign_keys_over_a_retyped_column() {
    let sql = |n: u32| {
        format!(
            "CREATE TABLE parent (code varchar({n}) PRIMARY KEY, name varchar(50));
             CREATE TABLE other (id integer PRIMARY KEY);
             CREATE TABLE child (id integer PRIMARY KEY, other_id integer REFERENCES other (id),
               parent_code varchar({n}) REFERENCES parent (code));
             CREATE TABLE named_child (id integer PRIMARY KEY, parent_code varchar({n}),
               CONSTRAINT fk_named FOREIGN KEY (parent_code) REFERENCES parent (code));"
        )
    };
    let old = import(&sql(50), Dialect::Postgres);
    let new = import(&sql(20), Dialect::Postgres);
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        ..Default::default()
    };
    let up = plan(&old, &new, Dialect::MySql, opts).up.sql;
    let at = |s: &str| up.find(s).unwrap_or_else(|| panic!("no `{s}` in\n{up}"));
    let modify = at("ALTER TABLE parent MODIFY COLUMN code varchar(20)");
    for (drop, add) in [
        (
            "ALTER TABLE child DROP FOREIGN KEY child_ibfk_2;\n\nDROP INDEX parent_code ON child;",
            "ALTER TABLE child ADD INDEX parent_code (parent_code), ADD CONSTRAINT child_ibfk_2 \
             FOREIGN KEY (parent_code) REFERENCES parent (code);",
        ),
        (
            "ALTER TABLE named_child DROP FOREIGN KEY fk_named;\n\nDROP INDEX fk_named ON named_child;",
            "ALTER TABLE named_child ADD INDEX fk_named (parent_code), ADD CONSTRAINT fk_named \
             FOREIGN KEY (parent_code) REFERENCES parent (code);",
        ),
    ] {
        assert!(at(drop) < modify && modify < at(add), "{up}");
    }
    assert!(!up.contains("child_ibfk_1"), "{up}");
    // Types only: PostgreSQL and SQLite never drop a kept key for that.
    for d in [Dialect::Postgres, Dialect::Sqlite] {
        let up = plan(&old, &new, d, opts).up.sql;
        assert!(
            !up.contains("DROP FOREIGN KEY") && !up.contains("DROP CONSTRAINT"),
            "{d}: {up}"
        );
    }
    for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
        for (what, a, b) in [("fk_retype_up", &old, &new), ("fk_retype_down", &new, &old)] {
            match acceptance(what, a, b, d, &Fills::new()) {
                Some(o) => assert_eq!((o.filled, o.tables), (4, 4), "{what} on {d}"),
                None => eprintln!("skipped: no {d} server configured"),
            }
        }
    }
}
