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
}

#[allow(unused_imports)]
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
#[allow(unused_imports)]
use crowfoot::sql::diff::{ColumnChangeKind, MatchMode, diff};
use crowfoot::sql::import::import_sql;
use crowfoot::sql::migrate::{MigrationOptions, MigrationPlan, plan};
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
        L::Timestamp | L::TimestampTz => format!("'2020-01-0{n}10:00:00'"),
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

/// INSERT statements per table (OLD's table order): each row with every column, or, when
/// that is refused, without the columns that have a default.
fn row_inserts(p: &Project, d: Dialect) -> Vec<(String, Vec<[String; 2]>)> {
    let r = |s: &str| catalog::ident(d, s);
    let mut out = Vec::new();
    for tid in table_order(p) {
        let t = p.table(tid).unwrap();
        let qn = match (&t.schema, d) {
            (Some(s), Dialect::Postgres) => format!("{}.{}", r(s), r(&t.name)),
            _ => r(&t.name),
        };
        let mut rows = Vec::new();
        for i in 0..ROWS {
            let mut stmts = [String::new(), String::new()];
            for (k, skip_defaults) in [false, true].into_iter().enumerate() {
                let (cols, vals): (Vec<String>, Vec<String>) = t
                    .columns
                    .iter()
                    .filter(|c| !(skip_defaults && (c.default.is_some() || c.identity.is_some())))
                    .filter_map(|c| literal(p, c, i, d).map(|v| (r(&c.name), v)))
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

fn count_sql(d: Dialect, p: &Project, t: &Table) -> String {
    let r = |s: &str| catalog::ident(d, s);
    let qn = match (&t.schema, d) {
        (Some(s), Dialect::Postgres) => format!("{}.{}", r(s), r(&t.name)),
        _ => r(&t.name),
    };
    let _ = p;
    format!("SELECT count(*) FROM {qn}")
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

/// The acceptance for one pair on one engine: OLD and NEW as Crowfoot exports them to `d`.
fn acceptance(what: &str, old: &Project, new: &Project, d: Dialect) -> Option<Outcome> {
    let plan: MigrationPlan = plan(old, new, d, MigrationOptions::default());
    let old_sql = export(old, d).sql;
    let new_sql = export(new, d).sql;
    let db = Db::new(d, &format!("{what}_old"))?;
    db.exec(&old_sql)
        .unwrap_or_else(|e| panic!("{what}: OLD does not load in {d}: {e}"));
    // Fill OLD.
    let mut filled = 0;
    for (_, rows) in row_inserts(old, d) {
        let mut any = false;
        for [full, lean] in rows {
            if db.exec(&full).is_ok() || db.exec(&lean).is_ok() {
                any = true;
            }
        }
        filled += usize::from(any);
    }
    let mut before = BTreeMap::new();
    for t in old.tables() {
        before.insert(t.id, db.count(&count_sql(d, old, t)));
    }
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
    // Rows kept.
    let mut rows_checked = 0;
    for (o, n) in &plan.diff.table_map {
        let ot = old.table(*o).unwrap();
        let nt = new.table(*n).unwrap();
        let after = db.count(&count_sql(d, new, nt));
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
    let Some(o) = acceptance("synapse_54_72", &old, &new, d) else {
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
