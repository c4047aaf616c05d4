//! PostgreSQL sequences as first-class objects (issue 14, item 3): import keeps them with
//! their options and owners, `nextval('seq')` defaults stay defaults, PostgreSQL export and
//! migrations write CREATE/ALTER/DROP SEQUENCE in dependency order (checked on a real server:
//! `pg_sequences`, owners from `pg_depend`, defaults from `information_schema`), other
//! dialects get an auto-increment with a warning, and the model's commands undo exactly.
//!
//! Without `CROWFOOT_PG` / `CROWFOOT_MYSQL` the server parts are skipped (with a message),
//! unless `CROWFOOT_REQUIRE_DBS=1`.

mod support {
    pub mod catalog;
    pub mod dbs;
    pub mod run;
}

use crowfoot::model::command::{remove_column, remove_sequence, remove_table, update_sequence};
use crowfoot::model::sequence::nextval_default;
use crowfoot::model::*;
use crowfoot::project_file::{from_ron_str, to_ron_string};
use crowfoot::sql::diff::MatchMode;
use crowfoot::sql::export;
use crowfoot::sql::import::import_sql;
use crowfoot::sql::migrate::{MigrationOptions, plan};
use std::collections::BTreeMap;
use std::path::PathBuf;
use support::catalog::read_pg_sequences as pg_sequences;
use support::dbs::{self, Engine, TestDb};

/// Names are data: spaces, quotes, a backslash, unicode and emoji in sequence, table and
/// column names; every option; `nextval` in its three spellings; `ALTER SEQUENCE` forms pg_dump
/// and people write; a default whose sequence is never declared.
const ODD: &str = r#"
CREATE SCHEMA "Ledger ✓";
CREATE SEQUENCE public.invoice_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE "Ledger ✓"."o'clock ""seq"" \ 🚚" AS integer INCREMENT BY -2 MINVALUE -1000 MAXVALUE 1000 START WITH 999 CACHE 5 CYCLE;
CREATE SEQUENCE shared_counter AS smallint;
CREATE SEQUENCE to_rename;
CREATE SEQUENCE temp_owner OWNED BY NONE;
CREATE TABLE public.invoice (
    id integer DEFAULT nextval('public.invoice_id_seq'::regclass) NOT NULL PRIMARY KEY,
    "номер" bigint DEFAULT nextval(('"Ledger ✓"."o''clock ""seq"" \ 🚚"'::text)::regclass),
    shared smallint DEFAULT nextval('shared_counter'),
    other bigint DEFAULT nextval('to_rename'::regclass)
);
CREATE TABLE legacy (n bigint DEFAULT nextval('never_declared_seq'::regclass));
CREATE TABLE "Ledger ✓"."line item" (
    "line no" integer NOT NULL,
    shared smallint DEFAULT nextval('public.shared_counter'::regclass)
);
ALTER SEQUENCE public.invoice_id_seq OWNED BY public.invoice.id;
ALTER SEQUENCE "Ledger ✓"."o'clock ""seq"" \ 🚚" OWNED BY "Ledger ✓"."line item"."line no";
ALTER SEQUENCE to_rename RENAME TO renamed_seq;
ALTER SEQUENCE public.invoice_id_seq OWNER TO app;
ALTER SEQUENCE shared_counter INCREMENT BY 10 MAXVALUE 30000;
SELECT pg_catalog.setval('public.invoice_id_seq', 41, true);
"#;

fn import(text: &str) -> Project {
    let r = import_sql(text, Some(Dialect::Postgres));
    r.project
}

fn seq<'p>(p: &'p Project, schema: Option<&str>, name: &str) -> &'p Sequence {
    p.sequence_by_name(schema, name)
        .unwrap_or_else(|| panic!("no sequence {name}; have {:?}", names(p)))
}

fn names(p: &Project) -> Vec<String> {
    p.sequences().map(|s| s.qualified_name()).collect()
}

fn column<'p>(p: &'p Project, table: &str, col: &str) -> &'p Column {
    p.tables()
        .find(|t| t.name == table)
        .and_then(|t| t.columns.iter().find(|c| c.name == col))
        .unwrap_or_else(|| panic!("no column {table}.{col}"))
}

const ODD_SEQ: &str = "o'clock \"seq\" \\ 🚚";

#[test]
fn import_keeps_sequences_options_owners_and_defaults() {
    let p = import(ODD);
    assert_eq!(
        names(&p),
        [
            "invoice_id_seq",
            &format!("Ledger ✓.{ODD_SEQ}"),
            "shared_counter",
            "renamed_seq",
            "temp_owner"
        ]
    );
    let inv = seq(&p, None, "invoice_id_seq");
    // pg_dump's explicit defaults are the defaults.
    assert_eq!(
        (
            inv.data_type,
            inv.increment,
            inv.start,
            inv.min,
            inv.max,
            inv.cache,
            inv.cycle
        ),
        (SequenceType::BigInt, 1, None, None, None, None, false)
    );
    let owner = inv.owned_by.expect("OWNED BY kept");
    let t = p.table(owner.table).unwrap();
    assert_eq!(
        (t.name.as_str(), t.column_name(owner.column).as_str()),
        ("invoice", "id")
    );
    let odd = seq(&p, Some("Ledger ✓"), ODD_SEQ);
    assert_eq!(
        (
            odd.data_type,
            odd.increment,
            odd.start,
            odd.min,
            odd.max,
            odd.cache,
            odd.cycle
        ),
        (
            SequenceType::Integer,
            -2,
            Some(999),
            Some(-1000),
            Some(1000),
            Some(5),
            true
        )
    );
    let shared = seq(&p, None, "shared_counter");
    assert_eq!(
        (shared.data_type, shared.increment, shared.max),
        (SequenceType::SmallInt, 10, Some(30000))
    );
    assert!(shared.owned_by.is_none());
    // Defaults stay defaults, in PostgreSQL's canonical spelling; identity only where the
    // sequence was never declared.
    let id = column(&p, "invoice", "id");
    assert_eq!(
        (id.default.as_deref(), id.identity),
        (Some("nextval('invoice_id_seq'::regclass)"), None)
    );
    assert_eq!(
        column(&p, "invoice", "номер").default.as_deref(),
        Some(nextval_default(Some("Ledger ✓"), ODD_SEQ).as_str())
    );
    assert_eq!(
        column(&p, "invoice", "other").default.as_deref(),
        Some("nextval('renamed_seq'::regclass)"),
        "a renamed sequence is followed by the default that reads it"
    );
    assert_eq!(
        column(&p, "line item", "shared").default.as_deref(),
        Some("nextval('shared_counter'::regclass)")
    );
    let legacy = column(&p, "legacy", "n");
    assert_eq!(
        (legacy.default.as_deref(), legacy.identity),
        (None, Some(Identity::ByDefault))
    );
    let users: Vec<String> = p
        .columns_using_sequence(shared.id)
        .iter()
        .map(|(t, c)| format!("{}.{}", t.name, c.name))
        .collect();
    assert_eq!(users, ["invoice.shared", "line item.shared"]);
}

#[test]
fn pg_dump_schemas_keep_every_sequence() {
    // pg_dump output (pagila: sequences without owners; kanboard: every one OWNED BY its
    // column) and Spring Batch (standalone sequences the application calls by name): every
    // CREATE SEQUENCE is a sequence of the model, and every column default reading one still
    // does.
    for (file, want_owned, want_fed) in [
        // 13 tables, and payment's 7 partitions reading payment's sequence.
        (
            "tests/fixtures/migrations/pagila/pagila-2022.postgres.sql",
            0,
            20,
        ),
        ("../shared/corpus/kanboard/kanboard.postgres.sql", 33, 33),
        (
            "../shared/corpus/spring-batch/schema-postgresql.postgres.sql",
            0,
            0,
        ),
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            panic!("{}: missing", path.display());
        };
        let declared = text
            .lines()
            .filter(|l| {
                l.trim_start()
                    .to_ascii_uppercase()
                    .starts_with("CREATE SEQUENCE")
            })
            .count();
        let p = import(&text);
        assert_eq!(p.sequences().count(), declared, "{file}: {:?}", names(&p));
        let owned = p.sequences().filter(|s| s.owned_by.is_some()).count();
        assert_eq!(owned, want_owned, "{file}");
        let fed = p
            .tables()
            .flat_map(|t| t.columns.iter())
            .filter(|c| p.sequence_of_column(c).is_some())
            .count();
        assert_eq!(fed, want_fed, "{file}");
        // No column both reads a sequence and is an identity.
        assert!(
            p.tables()
                .flat_map(|t| t.columns.iter())
                .all(|c| !(c.identity.is_some() && p.sequence_of_column(c).is_some()))
        );
    }
}

#[test]
fn postgres_export_reimports_to_the_same_sequences() {
    let p = import(ODD);
    let sql = export(&p, Dialect::Postgres).sql;
    // Created before the tables that read them, owned after.
    let create = sql.find("CREATE SEQUENCE invoice_id_seq").expect(&sql);
    let table = sql.find("CREATE TABLE invoice").expect(&sql);
    let owned = sql
        .find("ALTER SEQUENCE invoice_id_seq OWNED BY invoice.id")
        .expect(&sql);
    assert!(create < table && table < owned, "{sql}");
    let again = import(&sql);
    for s in p.sequences() {
        let t = seq(&again, s.schema.as_deref(), &s.name);
        assert_eq!(
            (
                t.data_type,
                t.increment,
                t.start,
                t.min,
                t.max,
                t.cache,
                t.cycle
            ),
            (
                s.data_type,
                s.increment,
                s.start,
                s.min,
                s.max,
                s.cache,
                s.cycle
            ),
            "{}",
            s.name
        );
        let owner = |p: &Project, s: &Sequence| {
            s.owned_by.map(|o| {
                let t = p.table(o.table).unwrap();
                (t.name.clone(), t.column_name(o.column))
            })
        };
        assert_eq!(owner(&again, t), owner(&p, s), "{}", s.name);
    }
    for t in p.tables() {
        for c in &t.columns {
            assert_eq!(
                column(&again, &t.name, &c.name).default,
                c.default,
                "{}.{}",
                t.name,
                c.name
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: what the server says.

/// What the model says `pg_sequences` must hold.
fn expected_sequences(p: &Project) -> BTreeMap<String, Vec<String>> {
    p.sequences()
        .map(|s| {
            let owner = s
                .owned_by
                .map(|o| {
                    let t = p.table(o.table).unwrap();
                    format!("{}.{}", t.name, t.column_name(o.column))
                })
                .unwrap_or_else(|| "-".into());
            (
                format!("{}.{}", s.schema.as_deref().unwrap_or("public"), s.name),
                vec![
                    s.data_type.sql().to_string(),
                    s.effective_start().to_string(),
                    s.effective_min().to_string(),
                    s.effective_max().to_string(),
                    s.increment.to_string(),
                    if s.cycle { "t" } else { "f" }.to_string(),
                    s.cache.unwrap_or(1).to_string(),
                    owner,
                ],
            )
        })
        .collect()
}

fn pg_defaults(db: &TestDb) -> BTreeMap<String, String> {
    db.query(
        "SELECT table_name || '.' || column_name, column_default FROM information_schema.columns \
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema') \
         AND column_default LIKE 'nextval%'",
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect()
}

fn model_defaults(p: &Project) -> BTreeMap<String, String> {
    p.tables()
        .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
        .filter_map(|(t, c)| {
            p.sequence_of_column(c)?;
            Some((format!("{}.{}", t.name, c.name), c.default.clone()?))
        })
        .collect()
}

#[test]
fn postgres_catalog_matches_the_model() {
    let p = import(ODD);
    let Some(db) = TestDb::create(Engine::Postgres, "sequences_catalog") else {
        eprintln!("skipped: no PostgreSQL server configured");
        return;
    };
    let sql = export(&p, Dialect::Postgres).sql;
    db.exec(&sql)
        .unwrap_or_else(|e| panic!("{e}\n{}", dbs::numbered(&sql)));
    assert_eq!(pg_sequences(&db), expected_sequences(&p));
    assert_eq!(pg_defaults(&db), model_defaults(&p));
    // Applications reach the sequences by name, and defaults take from them.
    db.exec("INSERT INTO invoice DEFAULT VALUES; INSERT INTO invoice DEFAULT VALUES;")
        .unwrap();
    let rows = db.query("SELECT id, \"номер\", shared FROM invoice ORDER BY id");
    assert_eq!(
        rows,
        [["1", "999", "1"], ["2", "997", "11"]].map(|r| r.map(String::from).to_vec())
    );
    // `other` took 1 and 2 from it.
    assert_eq!(
        db.query("SELECT nextval('renamed_seq')"),
        [["3".to_string()]]
    );
}

/// pagila 2022 exported to PostgreSQL: 13 owned sequences, as pg_dump declared them.
#[test]
fn pagila_sequences_on_postgres() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/migrations/pagila/pagila-2022.postgres.sql");
    let p = import(&std::fs::read_to_string(path).unwrap());
    let Some(db) = TestDb::create(Engine::Postgres, "sequences_pagila") else {
        eprintln!("skipped: no PostgreSQL server configured");
        return;
    };
    let sql = export(&p, Dialect::Postgres).sql;
    db.exec(&sql)
        .unwrap_or_else(|e| panic!("{e}\n{}", dbs::numbered(&sql)));
    let got = pg_sequences(&db);
    assert_eq!(got.len(), 13);
    assert_eq!(got, expected_sequences(&p));
    assert_eq!(pg_defaults(&db), model_defaults(&p));
    db.exec(
        "INSERT INTO actor (first_name, last_name) VALUES ('A', 'B');\n\
         SELECT setval('actor_actor_id_seq', 100);\n\
         INSERT INTO actor (first_name, last_name) VALUES ('C', 'D');",
    )
    .unwrap();
    assert_eq!(
        db.query("SELECT actor_id FROM actor ORDER BY actor_id"),
        [["1".to_string()], ["101".to_string()]]
    );
}

// ---------------------------------------------------------------------------------------------
// Other dialects: a column-owned sequence becomes the auto-increment, with a warning.

#[test]
fn other_dialects_map_owned_sequences_to_auto_increment() {
    let p = import(ODD);
    for d in [Dialect::MySql, Dialect::Sqlite, Dialect::SqlServer] {
        let out = export(&p, d);
        let w: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
        let has = |needle: &str| w.iter().any(|x| x.contains(needle));
        assert!(
            has("invoice.id: takes its values from sequence `invoice_id_seq`"),
            "{d}: {w:#?}"
        );
        assert!(
            has("invoice.shared: default nextval('shared_counter') dropped"),
            "{d}: {w:#?}"
        );
        assert!(has("shared_counter: sequence not written"), "{d}: {w:#?}");
        let code: String = out.sql.lines().filter(|l| !l.starts_with("--")).collect();
        assert!(!code.contains("nextval"), "{d}:\n{}", out.sql);
        assert!(!code.contains("SEQUENCE"), "{d}:\n{}", out.sql);
    }
    let sqlite = export(&p, Dialect::Sqlite).sql;
    assert!(
        sqlite.contains("id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"),
        "{sqlite}"
    );
    let conn = dbs::sqlite();
    dbs::sqlite_exec(&conn, &sqlite).unwrap();
    conn.execute_batch("INSERT INTO invoice DEFAULT VALUES; INSERT INTO invoice DEFAULT VALUES;")
        .unwrap();
    let max: i64 = conn
        .query_row("SELECT max(id) FROM invoice", [], |r| r.get(0))
        .unwrap();
    assert_eq!(max, 2);
    if let Some(db) = TestDb::create(Engine::MariaDb, "sequences_mariadb") {
        // The PostgreSQL schema is a MariaDB database of its own, outside the test's: only
        // this test uses that name; it is removed before and after.
        let drop = "DROP DATABASE IF EXISTS `Ledger ✓`;";
        db.exec(drop).unwrap();
        let sql = export(&p, Dialect::MySql).sql;
        let loaded = db.exec(&sql);
        let inserted =
            db.exec("INSERT INTO invoice () VALUES (); INSERT INTO invoice () VALUES ();");
        let max = loaded
            .as_ref()
            .ok()
            .map(|_| db.query("SELECT max(id) FROM invoice"));
        db.exec(drop).unwrap();
        loaded.unwrap_or_else(|e| panic!("{e}\n{}", dbs::numbered(&sql)));
        inserted.unwrap();
        assert_eq!(max, Some(vec![vec!["2".to_string()]]));
    } else {
        eprintln!("skipped: no MariaDB server configured");
    }
}

// ---------------------------------------------------------------------------------------------
// Migrations: CREATE / ALTER / DROP SEQUENCE in dependency order, on a real server.

const BASE: &str = r#"
CREATE SEQUENCE orders_id_seq;
CREATE SEQUENCE ticket_no AS integer START WITH 100;
CREATE SEQUENCE old_counter;
CREATE TABLE orders (
    id bigint DEFAULT nextval('orders_id_seq'::regclass) NOT NULL PRIMARY KEY,
    ticket integer DEFAULT nextval('ticket_no'::regclass),
    n bigint DEFAULT nextval('old_counter'::regclass)
);
CREATE TABLE archive (id integer NOT NULL);
CREATE SEQUENCE archive_id_seq OWNED BY archive.id;
ALTER SEQUENCE orders_id_seq OWNED BY orders.id;
"#;

const NEXT: &str = r#"
CREATE SEQUENCE orders_id_seq INCREMENT BY 5 CACHE 20;
CREATE SEQUENCE "ticket nº" AS bigint START WITH 100 MAXVALUE 99999 CYCLE;
CREATE SEQUENCE invoice_no START WITH 1000;
CREATE TABLE orders (
    id bigint DEFAULT nextval('orders_id_seq'::regclass) NOT NULL PRIMARY KEY,
    ticket integer DEFAULT nextval('"ticket nº"'::regclass),
    n bigint,
    invoice bigint DEFAULT nextval('invoice_no'::regclass) NOT NULL
);
CREATE TABLE payment (
    id integer DEFAULT nextval('payment_id_seq'::regclass) NOT NULL PRIMARY KEY
);
CREATE SEQUENCE payment_id_seq AS integer;
ALTER SEQUENCE orders_id_seq OWNED BY orders.id;
ALTER SEQUENCE payment_id_seq OWNED BY payment.id;
ALTER SEQUENCE invoice_no OWNED BY orders.invoice;
"#;

#[test]
fn diff_names_every_sequence_change() {
    let (old, new) = (import(BASE), import(NEXT));
    let pl = plan(
        &old,
        &new,
        Dialect::Postgres,
        MigrationOptions {
            match_mode: Some(MatchMode::Names),
            ..Default::default()
        },
    );
    let s = pl.diff.summary();
    for want in [
        "+ sequence ticket nº",
        "+ sequence invoice_no",
        "+ sequence payment_id_seq",
        "- sequence ticket_no",
        "- sequence old_counter",
        "- sequence archive_id_seq",
        "~ sequence orders_id_seq",
    ] {
        assert!(s.iter().any(|l| l == want), "{want} not in {s:#?}");
    }
    let up = &pl.up.sql;
    let at = |needle: &str| {
        up.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in\n{up}"))
    };
    assert!(
        at("CREATE SEQUENCE invoice_no") < at("ADD COLUMN invoice"),
        "{up}"
    );
    assert!(at("ADD COLUMN invoice") < at("ALTER SEQUENCE invoice_no OWNED BY orders.invoice"));
    assert!(at("CREATE SEQUENCE payment_id_seq") < at("CREATE TABLE payment"));
    assert!(at("ALTER COLUMN n DROP DEFAULT") < at("DROP SEQUENCE old_counter"));
    assert!(
        up.contains("ALTER SEQUENCE orders_id_seq INCREMENT BY 5 CACHE 20"),
        "{up}"
    );
    // archive (and its owned sequence) goes: the sequence went with the table.
    assert!(
        up.contains("DROP SEQUENCE IF EXISTS archive_id_seq"),
        "{up}"
    );
    let codes: Vec<&str> = pl.up.safety.iter().map(|s| s.code).collect();
    assert!(codes.contains(&"MG009"), "{codes:?}");
}

#[test]
fn migrations_on_postgres_reach_new_and_back() {
    let (old, new) = (import(BASE), import(NEXT));
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        ..Default::default()
    };
    let pl = plan(&old, &new, Dialect::Postgres, opts);
    let Some(db) = TestDb::create(Engine::Postgres, "sequences_migrate") else {
        eprintln!("skipped: no PostgreSQL server configured");
        return;
    };
    let old_sql = export(&old, Dialect::Postgres).sql;
    db.exec(&old_sql).unwrap();
    // Rows, and sequences that have moved on.
    db.exec(
        "INSERT INTO orders DEFAULT VALUES; INSERT INTO orders DEFAULT VALUES;\n\
         INSERT INTO archive VALUES (7);",
    )
    .unwrap();
    db.exec(&pl.up.sql)
        .unwrap_or_else(|e| panic!("up: {e}\n{}", dbs::numbered(&pl.up.sql)));
    assert_eq!(pg_sequences(&db), expected_sequences(&new));
    assert_eq!(pg_defaults(&db), model_defaults(&new));
    assert_eq!(db.query("SELECT count(*) FROM orders"), [["2".to_string()]]);
    // The kept sequence kept its position: the next id follows the rows (2 + 5).
    db.exec("INSERT INTO orders (invoice) VALUES (1)").unwrap();
    assert_eq!(db.query("SELECT max(id) FROM orders"), [["7".to_string()]]);
    db.exec(&pl.down.sql)
        .unwrap_or_else(|e| panic!("down: {e}\n{}", dbs::numbered(&pl.down.sql)));
    assert_eq!(pg_sequences(&db), expected_sequences(&old));
    assert_eq!(pg_defaults(&db), model_defaults(&old));
}

#[test]
fn migrations_without_sequences_fold_on_sqlite_and_mariadb() {
    let (old, new) = (import(BASE), import(NEXT));
    let opts = MigrationOptions {
        match_mode: Some(MatchMode::Names),
        ..Default::default()
    };
    for d in [Dialect::Sqlite, Dialect::MySql] {
        let pl = plan(&old, &new, d, opts);
        assert!(!pl.up.sql.contains("SEQUENCE"), "{d}:\n{}", pl.up.sql);
        assert!(!pl.up.sql.contains("nextval"), "{d}:\n{}", pl.up.sql);
        assert!(
            pl.up
                .warnings
                .iter()
                .any(|w| w.message.contains("has no sequences")),
            "{d}: {:?}",
            pl.up.warnings
        );
        let old_sql = export(&old, d).sql;
        let run = |sqls: &[&str]| -> Result<(), String> {
            match d {
                Dialect::Sqlite => {
                    let conn = dbs::sqlite();
                    sqls.iter().try_for_each(|s| dbs::sqlite_exec(&conn, s))
                }
                _ => match TestDb::create(Engine::MariaDb, "sequences_fold") {
                    Some(db) => sqls.iter().try_for_each(|s| db.exec(s)),
                    None => {
                        eprintln!("skipped: no MariaDB server configured");
                        Ok(())
                    }
                },
            }
        };
        run(&[&old_sql, &pl.up.sql, &pl.down.sql])
            .unwrap_or_else(|e| panic!("{d}: {e}\nup:\n{}\ndown:\n{}", pl.up.sql, pl.down.sql));
    }
}

// ---------------------------------------------------------------------------------------------
// The model: commands, undo, validation, files.

#[test]
fn commands_cascade_and_undo_exactly() {
    let original = import(ODD);
    let mut p = original.clone();
    let mut h = History::default();
    let invoice = p.tables().find(|t| t.name == "invoice").unwrap().id;
    let inv_seq = seq(&p, None, "invoice_id_seq").id;
    // The table owns a sequence: the plain removal refuses, the cascading one takes it along.
    let err = Command::RemoveTable(invoice)
        .apply(&mut p.clone())
        .unwrap_err();
    assert!(err.to_string().contains("invoice_id_seq"), "{err}");
    let cmd = remove_table(&p, invoice);
    h.apply(&mut p, cmd).unwrap();
    assert!(p.sequence(inv_seq).is_none());
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    // A column owning a sequence.
    let id_col = column(&p, "invoice", "id").id;
    assert!(
        Command::RemoveColumn {
            table: invoice,
            column: id_col
        }
        .apply(&mut p.clone())
        .is_err()
    );
    let cmd = remove_column(&p, invoice, id_col).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert!(p.sequence(inv_seq).is_none());
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    // A sequence read by other columns' defaults is refused; the cascade drops the defaults.
    let shared = seq(&p, None, "shared_counter").id;
    let err = Command::RemoveSequence(shared)
        .apply(&mut p.clone())
        .unwrap_err();
    assert!(err.to_string().contains("invoice.shared"), "{err}");
    let cmd = remove_sequence(&p, shared).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert_eq!(column(&p, "invoice", "shared").default, None);
    assert_eq!(column(&p, "line item", "shared").default, None);
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    // A rename rewrites the defaults that read the sequence.
    let mut renamed = seq(&p, None, "shared_counter").clone();
    renamed.name = "Compteur partagé 🚚".into();
    renamed.schema = Some("Ledger ✓".into());
    let cmd = update_sequence(&p, renamed).unwrap();
    h.apply(&mut p, cmd).unwrap();
    let want = nextval_default(Some("Ledger ✓"), "Compteur partagé 🚚");
    assert_eq!(
        column(&p, "invoice", "shared").default.as_deref(),
        Some(want.as_str())
    );
    assert_eq!(
        column(&p, "line item", "shared").default.as_deref(),
        Some(want.as_str())
    );
    assert_eq!(p.columns_using_sequence(shared).len(), 2);
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    // Invalid sequences change nothing.
    for bad in [
        Sequence {
            increment: 0,
            ..Sequence::new(SequenceId(p.next_id()), "zero")
        },
        Sequence {
            data_type: SequenceType::SmallInt,
            max: Some(70_000),
            ..Sequence::new(SequenceId(p.next_id()), "wide")
        },
        Sequence::new(SequenceId(p.next_id()), "renamed_seq"),
        Sequence::new(SequenceId(p.next_id()), "invoice"),
    ] {
        let before = p.clone();
        assert!(
            h.apply(&mut p, Command::PutSequence(Box::new(bad)))
                .is_err()
        );
        assert_eq!(p, before);
    }
}

#[test]
fn project_files_keep_sequences_and_say_version_2() {
    let p = import(ODD);
    let text = to_ron_string(&p);
    assert!(text.contains("format_version: 2"), "{text}");
    let back = from_ron_str(&text, "odd.ron").unwrap();
    assert_eq!(back, p);
    assert_eq!(to_ron_string(&back), text);
    // Without sequences a project is still version 1 (older builds keep opening it).
    let plain = import("CREATE TABLE t (id serial PRIMARY KEY);");
    assert!(to_ron_string(&plain).contains("format_version: 1"));
    // A damaged owner is a located error, not a panic.
    let broken = text.replacen("column: ", "column: 99999", 1);
    let err = from_ron_str(&broken, "odd.ron").unwrap_err().to_string();
    assert!(err.contains("odd.ron"), "{err}");
}

#[test]
fn info_lists_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("séquences 🚚.ron");
    std::fs::write(&path, to_ron_string(&import(ODD))).unwrap();
    let out = support::run::crowfoot(&["info", path.to_str().unwrap()], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("5 sequences"), "{text}");
    assert!(
        text.lines().any(|l| l.contains("invoice_id_seq")
            && l.contains("owned by invoice.id")
            && l.contains("feeds invoice.id")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains(ODD_SEQ) && l.contains("increment -2") && l.contains("cycle")),
        "{text}"
    );
}

#[test]
fn three_way_merge_keeps_sequence_edits_of_both_sides() {
    use crowfoot::merge::merge;
    let base = import(BASE);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    // Ours: ticket_no counts by 3; theirs: a new sequence feeding a new column.
    let mut t = seq(&ours, None, "ticket_no").clone();
    t.increment = 3;
    Command::PutSequence(Box::new(t)).apply(&mut ours).unwrap();
    let orders = theirs.tables().find(|t| t.name == "orders").unwrap().id;
    let sid = SequenceId(theirs.alloc_id());
    let cid = ColumnId(theirs.alloc_id());
    let mut col = Column::new(cid, "siège 🎭", LogicalType::BigInt);
    col.default = Some(nextval_default(None, "théâtre 🎭"));
    Command::Batch(vec![
        Command::PutSequence(Box::new(Sequence::new(sid, "théâtre 🎭"))),
        Command::AddColumn {
            table: orders,
            index: 3,
            column: Box::new(col),
        },
    ])
    .apply(&mut theirs)
    .unwrap();
    let m = merge(&base, &ours, &theirs);
    assert!(m.conflicts.is_empty(), "{:#?}", m.conflicts);
    assert_eq!(seq(&m.project, None, "ticket_no").increment, 3);
    let new_seq = seq(&m.project, None, "théâtre 🎭");
    let users = m.project.columns_using_sequence(new_seq.id);
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].1.name, "siège 🎭");

    // Theirs drops `archive` (its sequence goes with it); ours edits that sequence: the merge
    // stays loadable and says what happened.
    let mut ours = base.clone();
    let mut a = seq(&ours, None, "archive_id_seq").clone();
    a.cache = Some(10);
    Command::PutSequence(Box::new(a)).apply(&mut ours).unwrap();
    let mut theirs = base.clone();
    let archive = theirs.tables().find(|t| t.name == "archive").unwrap().id;
    remove_table(&theirs, archive).apply(&mut theirs).unwrap();
    let m = merge(&base, &ours, &theirs);
    assert!(m.project.tables().all(|t| t.name != "archive"));
    assert!(
        m.conflicts
            .iter()
            .all(|c| !c.resolution.contains("merged model is invalid")),
        "{:#?}",
        m.conflicts
    );
    assert!(
        m.conflicts.iter().any(|c| c.path.contains("sequences")),
        "{:#?}",
        m.conflicts
    );
    // Ours edited it, theirs deleted it: the edit wins, without the owner that is gone.
    assert_eq!(seq(&m.project, None, "archive_id_seq").owned_by, None);
    assert_eq!(seq(&m.project, None, "archive_id_seq").cache, Some(10));
}
