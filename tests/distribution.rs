//! Distribution readiness (issue 18 §4, docs/distribution.md): the planner, every DS rule per
//! engine (positive and negative), the two saas samples, `crowfoot check --distribution` and
//! `crowfoot export --distribution citus` (its calls against Citus's documented signatures,
//! and the script on a real PostgreSQL without Citus, where the block must do nothing; then
//! with stand-ins of the two Citus functions that check what Citus checks).
//!
//! No Citus, Vitess, CockroachDB or YugabyteDB server can be installed here: the rules are
//! tested against the engines' documented constraints.

#[path = "support/run.rs"]
mod run;
mod support {
    pub mod dbs;
}

use crowfoot::analysis::distribution::{self, Engine, Plan};
use crowfoot::analysis::rules::{self, Check, Family, Loaded};
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::{Dialect, Distribution, LogicalType as L, Project};
use crowfoot::samples::saas;
use run::{crowfoot, crowfoot_in_repo, text};
use std::collections::BTreeSet;
use support::dbs::{Engine as Db, TestDb};

fn codes(p: &Project, engine: Engine) -> BTreeSet<&'static str> {
    let plan = distribution::plan(p, None).unwrap();
    distribution::check(p, engine, &plan)
        .into_iter()
        .map(|x| x.code)
        .collect()
}

fn role(p: &Project, plan: &Plan, table: &str) -> String {
    let t = p.table_by_name(None, table).unwrap();
    Plan::describe(plan.role(t.id).unwrap(), t)
}

// ---------------------------------------------------------------------------------------------
// Rules

/// Each DS rule fires on its positive fixtures for exactly its engines, and on its negative
/// fixtures for none (tests/rules.rs checks the same per dialect).
#[test]
fn every_ds_rule_fires_for_its_engines_only() {
    let mut bad = Vec::new();
    for r in Family::Distribution.rules() {
        let Check::Distribution { engines, .. } = r.check else {
            bad.push(format!("{}: not a distribution check", r.id));
            continue;
        };
        for (positive, f) in r
            .positive
            .iter()
            .map(|f| (true, f))
            .chain(r.negative.iter().map(|f| (false, f)))
        {
            let Ok(Loaded::Project(p)) = f.load(r.dialects[0]) else {
                bad.push(format!("{}: fixture does not load", r.id));
                continue;
            };
            let plan = distribution::plan(&p, None).unwrap();
            for e in Engine::ALL {
                let found: Vec<_> = distribution::check(&p, e, &plan)
                    .into_iter()
                    .filter(|x| x.code == r.id)
                    .collect();
                let want = positive && engines.contains(&e);
                if want == found.is_empty() {
                    bad.push(format!("{} positive={positive} {e:?}: {found:?}", r.id));
                }
                if found.iter().any(|x| x.severity != r.severity) {
                    bad.push(format!("{}: severity", r.id));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn ds_rules_are_not_project_problems() {
    let p = saas::build_unsharded();
    assert!(
        crowfoot::analysis::lint::problems(&p, Dialect::Postgres)
            .iter()
            .all(|x| !x.code.starts_with("DS"))
    );
    assert_eq!(Family::Distribution.rules().count(), 11);
    assert_eq!(
        rules::get("DS001").unwrap().dialects_text(),
        "Citus, Vitess"
    );
}

// ---------------------------------------------------------------------------------------------
// Samples

/// saas is Citus-ready; what other engines still find on it is by design (identity ids of the
/// global tables, views, timestamp-led indexes).
#[test]
fn saas_is_citus_ready() {
    let p = saas::build();
    assert!(
        codes(&p, Engine::Citus).is_empty(),
        "{:?}",
        codes(&p, Engine::Citus)
    );
    assert_eq!(
        codes(&p, Engine::Vitess),
        BTreeSet::from(["DS007", "DS008"])
    );
    assert_eq!(
        codes(&p, Engine::Cockroach),
        BTreeSet::from(["DS009", "DS010"])
    );
}

/// saas-unsharded trips every DS rule, each for its engine.
#[test]
fn saas_unsharded_fails_every_ds_rule() {
    let p = saas::build_unsharded();
    let citus = codes(&p, Engine::Citus);
    let vitess = codes(&p, Engine::Vitess);
    let cockroach = codes(&p, Engine::Cockroach);
    assert_eq!(
        citus,
        BTreeSet::from(["DS001", "DS002", "DS003", "DS004", "DS005", "DS006"])
    );
    assert_eq!(
        vitess,
        BTreeSet::from(["DS001", "DS005", "DS006", "DS007", "DS008"])
    );
    assert_eq!(cockroach, BTreeSet::from(["DS009", "DS010", "DS011"]));
    let all: BTreeSet<&str> = citus
        .iter()
        .chain(&vitess)
        .chain(&cockroach)
        .copied()
        .collect();
    let catalogue: BTreeSet<&str> = Family::Distribution.rules().map(|r| r.id).collect();
    assert_eq!(all, catalogue);
}

// ---------------------------------------------------------------------------------------------
// Planner

#[test]
fn planner_on_saas() {
    let p = saas::build();
    let plan = distribution::plan(&p, None).unwrap();
    assert_eq!(plan.key.as_deref(), Some("tenant_id"));
    assert_eq!(
        plan.root,
        Some(p.table_by_name(None, "tenants").unwrap().id)
    );
    assert_eq!(plan.stored_count(), 0);
    assert_eq!(role(&p, &plan, "tenants"), "distributed by id");
    assert_eq!(role(&p, &plan, "tasks"), "distributed by tenant_id");
    assert_eq!(role(&p, &plan, "permissions"), "reference");
    assert_eq!(role(&p, &plan, "plans"), "reference");
    assert_eq!(role(&p, &plan, "plan_features"), "local");
    let distributed = plan
        .tables
        .iter()
        .filter(|x| matches!(x.role, Distribution::Distributed(_)))
        .count();
    assert_eq!(distributed, 37);
    assert!(plan.tables.iter().all(|x| !x.reason.is_empty()));
    // Deterministic, and the same when asked twice through the suggestion.
    assert_eq!(plan, distribution::suggest(&p, None).unwrap());
}

#[test]
fn planner_keeps_stored_roles() {
    let p = saas::build_unsharded();
    let plan = distribution::plan(&p, None).unwrap();
    assert_eq!(plan.stored_count(), 3);
    assert_eq!(role(&p, &plan, "feature_flags"), "reference");
    assert_eq!(role(&p, &plan, "permissions"), "local");
    assert_eq!(role(&p, &plan, "usage_records"), "distributed by metric");
    // The suggestion alone ignores them.
    let fresh = distribution::suggest(&p, None).unwrap();
    assert_eq!(
        role(&p, &fresh, "feature_flags"),
        "distributed by tenant_id"
    );
    // Storing the plan stores every role, and then all are stored.
    let mut stored = p.clone();
    let edits = distribution::apply_commands(&stored, &plan);
    assert_eq!(edits.len(), 37);
    crowfoot::model::Command::Batch(edits)
        .apply(&mut stored)
        .unwrap();
    let again = distribution::plan(&stored, None).unwrap();
    assert_eq!(again.stored_count(), 40);
    assert!(distribution::apply_commands(&stored, &again).is_empty());
}

/// The planner does not depend on the names of the usual multi-tenant designs: another key
/// name and a lookup table found the same way.
#[test]
fn planner_finds_any_key_name() {
    let mut b = ProjectBuilder::new("shops");
    let shops = b.table("shops", |t| {
        t.col("shop_no", L::BigInt).pk();
    });
    let currencies = b.table("currencies", |t| {
        t.col("code", L::Char(3)).pk();
    });
    let mut children = Vec::new();
    for name in ["carts", "orders", "refunds"] {
        children.push(b.table(name, |t| {
            t.col("store", L::BigInt).pk();
            t.col("id", L::BigInt).pk();
            t.col("currency", L::Char(3)).not_null();
        }));
    }
    for c in &children {
        b.fk(*c, &["store"], shops, &["shop_no"]);
        b.fk(*c, &["currency"], currencies, &["code"]);
    }
    let p = b.build();
    let plan = distribution::plan(&p, None).unwrap();
    assert_eq!(plan.key.as_deref(), Some("store"));
    assert_eq!(role(&p, &plan, "shops"), "distributed by shop_no");
    assert_eq!(role(&p, &plan, "orders"), "distributed by store");
    assert_eq!(role(&p, &plan, "currencies"), "reference");
    assert!(codes(&p, Engine::Citus).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Names are data

/// The distribution key and tables named with spaces, quotes, backslashes, unicode and emoji.
const KEY: &str = "tenant \"key\" ü🦀\\";
const ROOT: &str = "Tenants 'root' 🏢";
const ORDERS: &str = "Orders \"2024\" \\ x";
const LINES: &str = "lines ✓ $citus$";
const COUNTRIES: &str = "Country codes 'ISO'";

fn hostile() -> Project {
    let mut b = ProjectBuilder::new("hostile distribution");
    let root = b.table(ROOT, |t| {
        t.col("ID ✓", L::BigInt).pk();
        t.col("owner", L::BigInt);
    });
    let countries = b.table(COUNTRIES, |t| {
        t.col("code", L::Char(2)).pk();
    });
    let orders = b.table(ORDERS, |t| {
        t.col(KEY, L::BigInt).pk();
        t.col("id", L::BigInt).pk();
        t.col("country", L::Char(2));
    });
    let lines = b.table(LINES, |t| {
        t.col(KEY, L::BigInt).pk();
        t.col("order id", L::BigInt).pk();
        t.col("n", L::Integer).pk();
    });
    b.fk(orders, &[KEY], root, &["ID ✓"]);
    b.fk(orders, &["country"], countries, &["code"]);
    b.fk(lines, &[KEY, "order id"], orders, &[KEY, "id"]);
    // A cycle: the root's owner is one of its orders.
    b.fk(root, &["ID ✓", "owner"], orders, &[KEY, "id"]);
    b.build()
}

#[test]
fn hostile_names_plan() {
    let p = hostile();
    let plan = distribution::plan(&p, None).unwrap();
    assert_eq!(plan.key.as_deref(), Some(KEY));
    assert_eq!(role(&p, &plan, ROOT), "distributed by ID ✓");
    assert_eq!(role(&p, &plan, LINES), format!("distributed by {KEY}"));
    assert_eq!(role(&p, &plan, COUNTRIES), "reference");
    assert!(
        codes(&p, Engine::Citus).is_empty(),
        "{:?}",
        codes(&p, Engine::Citus)
    );
}

fn save_hostile(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("hostile dist.ron");
    crowfoot::project_file::save(&hostile(), &path).unwrap();
    path
}

// ---------------------------------------------------------------------------------------------
// crowfoot check --distribution

#[test]
fn check_prints_the_plan_then_the_findings() {
    let ok = crowfoot_in_repo(&["check", "projects/saas.ron", "--distribution", "citus"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let out = text(&ok.stdout);
    assert!(
        out.starts_with("plan (key tenant_id, root tenants; 0 role(s) stored, 40 suggested):"),
        "{out}"
    );
    assert!(out.contains("  permissions: reference (suggested: referenced by role_permissions"));
    assert!(out.contains("  tenants: distributed by id (suggested: root of tenant_id"));
    assert!(text(&ok.stderr).contains("0 distribution finding(s)"));

    let bad = crowfoot_in_repo(&[
        "check",
        "projects/saas-unsharded.ron",
        "--distribution",
        "citus",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let out = text(&bad.stdout);
    assert!(out.contains("  feature_flags: reference (stored)"), "{out}");
    assert!(out.contains("error[DS003] feature_flags."), "{out}");

    let cockroach =
        crowfoot_in_repo(&["check", "projects/saas.ron", "--distribution", "cockroach"]);
    assert_eq!(cockroach.status.code(), Some(1));
    assert!(text(&cockroach.stdout).contains("the roles are not used"));
}

#[test]
fn check_json_holds_the_plan() {
    let out = crowfoot_in_repo(&[
        "check",
        "projects/saas-unsharded.ron",
        "--distribution",
        "vitess",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["engine"], "vitess");
    assert_eq!(v["dialect"], "mysql");
    assert_eq!(v["plan"]["key"], "tenant_id");
    assert_eq!(v["plan"]["root"], "tenants");
    let tables = v["plan"]["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 40);
    let usage = tables
        .iter()
        .find(|t| t["table"] == "usage_records")
        .unwrap();
    assert_eq!(usage["role"], "distributed");
    assert_eq!(usage["column"], "metric");
    assert_eq!(usage["stored"], true);
    let found: BTreeSet<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        found,
        BTreeSet::from(["DS001", "DS005", "DS006", "DS007", "DS008"])
    );
}

#[test]
fn check_key_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = save_hostile(dir.path());
    let p = path.to_str().unwrap();
    // A hostile key name given on the command line.
    let out = crowfoot(
        &[
            "check",
            p,
            "--distribution",
            "citus",
            "--key",
            KEY,
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["plan"]["key"], KEY);
    assert_eq!(v["plan"]["root"], ROOT);
    // An unknown key: could not run, with the closest column.
    let out = crowfoot(
        &[
            "check",
            p,
            "--distribution",
            "citus",
            "--key",
            "tenant \"key\" u🦀",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no table has a column"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    // --key needs --distribution; --apply needs -o.
    let out = crowfoot(&["check", p, "--key", "x"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = crowfoot(
        &["check", p, "--distribution", "citus", "--apply"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_apply_stores_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/saas.ron");
    let out_path = dir.path().join("planned.ron");
    let out = crowfoot(
        &[
            "check",
            src.to_str().unwrap(),
            "--distribution",
            "citus",
            "--apply",
            "-o",
            out_path.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stored = crowfoot::project_file::load(&out_path).unwrap();
    let plan = distribution::plan(&stored, None).unwrap();
    assert_eq!(plan.stored_count(), 40);
    assert_eq!(plan, {
        let mut fresh = distribution::suggest(&saas::build(), None).unwrap();
        for x in &mut fresh.tables {
            x.stored = true;
            x.reason = plan.get(x.table).unwrap().reason.clone();
        }
        fresh
    });
    // Never onto the input.
    let out = crowfoot(
        &[
            "check",
            out_path.to_str().unwrap(),
            "--distribution",
            "citus",
            "--apply",
            "-o",
            out_path.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// crowfoot export --distribution citus

/// Citus's documented signatures (Citus Utility Functions, 11–13): the parameter names of
/// each function, positional ones first.
const SIGNATURES: &[(&str, &[&str])] = &[
    ("create_reference_table", &["table_name"]),
    (
        "create_distributed_table",
        &[
            "table_name",
            "distribution_column",
            "distribution_type",
            "colocate_with",
            "shard_count",
        ],
    ),
];

/// One call of the section: the function, its positional and its named arguments (as SQL
/// string literals, decoded).
#[derive(Debug, PartialEq)]
struct Call {
    function: String,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

/// Read a `'…'` literal with doubled quotes at the start of `s`: its value and the rest.
fn literal(s: &str) -> (String, &str) {
    let s = s.trim_start();
    assert!(s.starts_with('\''), "a string literal: {s}");
    let mut value = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if s[1 + i + 1..].starts_with('\'') {
                value.push('\'');
                chars.next();
            } else {
                return (value, &s[1 + i + 1..]);
            }
        } else {
            value.push(c);
        }
    }
    panic!("unterminated literal: {s}")
}

fn calls(section: &str) -> Vec<Call> {
    section
        .lines()
        .filter_map(|l| l.trim().strip_prefix("PERFORM "))
        .map(|l| {
            let (function, mut rest) = l.split_once('(').unwrap();
            let mut call = Call {
                function: function.to_string(),
                positional: Vec::new(),
                named: Vec::new(),
            };
            loop {
                rest = rest.trim_start();
                if let Some(r) = rest.strip_prefix(");") {
                    assert!(r.is_empty(), "one call a line: {l}");
                    break;
                }
                rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
                if rest.starts_with('\'') {
                    let (v, r) = literal(rest);
                    assert!(call.named.is_empty(), "positional after named: {l}");
                    call.positional.push(v);
                    rest = r;
                } else {
                    let (name, r) = rest.split_once("=>").unwrap();
                    let (v, r) = literal(r);
                    call.named.push((name.trim().to_string(), v));
                    rest = r;
                }
            }
            call
        })
        .collect()
}

/// A regclass text in identifier syntax back to the name (`"a ""b"""` → `a "b"`).
fn unquote_ident(s: &str) -> String {
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

#[test]
fn citus_calls_match_the_documented_signatures() {
    for p in [saas::build(), hostile()] {
        let plan = distribution::plan(&p, None).unwrap();
        let section = distribution::citus::section(&p, &plan);
        let calls = calls(&section);
        assert!(!calls.is_empty());
        let mut done: Vec<String> = Vec::new();
        let mut reference_done = true;
        for c in &calls {
            let (_, params) = SIGNATURES
                .iter()
                .find(|(f, _)| *f == c.function)
                .unwrap_or_else(|| panic!("{} is not a Citus function", c.function));
            assert!(c.positional.len() <= params.len());
            let required = if c.function == "create_reference_table" {
                1
            } else {
                2
            };
            assert_eq!(c.positional.len(), required, "{c:?}");
            for (name, _) in &c.named {
                let at = params
                    .iter()
                    .position(|p| p == name)
                    .expect("a documented parameter");
                assert!(at >= c.positional.len(), "{name} given twice");
            }
            // Reference tables first, then distributed ones.
            if c.function == "create_distributed_table" {
                reference_done = false;
            } else {
                assert!(reference_done, "reference tables come first");
            }
            let table = unquote_ident(&c.positional[0]);
            let t = p
                .table_by_name(None, &table)
                .unwrap_or_else(|| panic!("{table}"));
            if c.function == "create_distributed_table" {
                // The column as it is named, the colocation leader already distributed.
                assert_eq!(
                    t.column_by_name(&c.positional[1]).map(|c| c.id),
                    plan.column(t.id)
                );
                for (_, with) in &c.named {
                    assert!(done.contains(&unquote_ident(with)), "{with} first");
                }
            } else {
                assert_eq!(plan.role(t.id), Some(Distribution::Reference));
            }
            done.push(table);
        }
        // Every placed table once.
        let placed = plan
            .tables
            .iter()
            .filter(|x| x.role != Distribution::Local)
            .count();
        assert_eq!(done.len(), placed);
        let distinct: BTreeSet<&String> = done.iter().collect();
        assert_eq!(distinct.len(), done.len());
    }
}

#[test]
fn citus_section_text() {
    let p = saas::build();
    let plan = distribution::plan(&p, None).unwrap();
    let s = distribution::citus::section(&p, &plan);
    assert!(s.contains(
        "IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN"
    ));
    assert!(s.contains("PERFORM create_reference_table('permissions');"));
    assert!(s.contains("PERFORM create_distributed_table('tenants', 'id');"));
    assert!(s.contains(
        "PERFORM create_distributed_table('users', 'tenant_id', colocate_with => 'tenants');"
    ));
    // The tenants -> users key closes a cycle: dropped before, added back after.
    assert!(s.contains("(('tenants'::regclass::oid, 'users'::regclass::oid))"));
    // Hostile names: identifier syntax inside single-quoted literals, a free dollar tag.
    let h = hostile();
    let plan = distribution::plan(&h, None).unwrap();
    let s = distribution::citus::section(&h, &plan);
    assert!(
        s.contains(r#"PERFORM create_distributed_table('"Tenants ''root'' 🏢"', 'ID ✓');"#),
        "{s}"
    );
    assert!(s.contains(r#"'tenant "key" ü🦀\'"#), "{s}");
    assert!(s.contains("DO $citus1$"), "{s}");
    // Nothing planned: a comment only.
    let none = distribution::plan(&ProjectBuilder::new("empty").build(), None).unwrap();
    let s = distribution::citus::section(&ProjectBuilder::new("empty").build(), &none);
    assert!(s.contains("nothing to do") && !s.contains("DO "));
}

#[test]
fn export_cli_appends_the_section() {
    let out = crowfoot_in_repo(&[
        "export",
        "projects/saas.ron",
        "--to",
        "postgres",
        "--distribution",
        "citus",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sql = text(&out.stdout);
    let plain =
        text(&crowfoot_in_repo(&["export", "projects/saas.ron", "--to", "postgres"]).stdout);
    assert!(sql.starts_with(&plain));
    assert!(sql[plain.len()..].contains("create_distributed_table"));
    assert!(text(&out.stderr).contains("40 table role(s) suggested"));
    let mysql = crowfoot_in_repo(&[
        "export",
        "projects/saas.ron",
        "--to",
        "mysql",
        "--distribution",
        "citus",
    ]);
    assert_eq!(mysql.status.code(), Some(2));
}

/// Stand-ins of Citus's two functions with its documented signatures, which check what Citus
/// checks before distributing (the column exists under that exact name, the co-location
/// leader is distributed, every table referenced is already placed) and record the calls.
const CITUS_STANDINS: &str = r#"
CREATE TABLE citus_calls (n serial PRIMARY KEY, fn text, tbl regclass, col text, colocate text);
CREATE FUNCTION check_references(t regclass) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = t
             AND c.confrelid <> t
             AND NOT EXISTS (SELECT 1 FROM citus_calls k WHERE k.tbl = c.confrelid)) THEN
    RAISE EXCEPTION 'cannot place %: it references a local table', t;
  END IF;
END $f$;
CREATE FUNCTION create_reference_table(table_name regclass) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM check_references(table_name);
  INSERT INTO citus_calls (fn, tbl) VALUES ('reference', table_name);
END $f$;
CREATE FUNCTION create_distributed_table(table_name regclass, distribution_column text,
    distribution_type text DEFAULT 'hash', colocate_with text DEFAULT 'default',
    shard_count int DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = table_name
                 AND attname = distribution_column AND NOT attisdropped) THEN
    RAISE EXCEPTION 'column "%" of relation % does not exist', distribution_column, table_name;
  END IF;
  IF colocate_with NOT IN ('default', 'none') AND NOT EXISTS (
      SELECT 1 FROM citus_calls WHERE tbl = colocate_with::regclass AND fn = 'distributed') THEN
    RAISE EXCEPTION '% is not distributed', colocate_with;
  END IF;
  PERFORM check_references(table_name);
  INSERT INTO citus_calls (fn, tbl, col, colocate)
    VALUES ('distributed', table_name, distribution_column, colocate_with);
END $f$;
"#;

fn citus_export(p: &Project) -> (String, String) {
    let ddl = crowfoot::sql::export(p, Dialect::Postgres).sql;
    let plan = distribution::plan(p, None).unwrap();
    (ddl, distribution::citus::section(p, &plan))
}

#[test]
fn citus_export_runs_on_postgres() {
    for (name, p) in [("saas", saas::build()), ("hostile", hostile())] {
        let (ddl, section) = citus_export(&p);
        // Plain PostgreSQL (no Citus): the block runs and does nothing.
        let Some(db) = TestDb::create(Db::Postgres, &format!("dist_plain_{name}")) else {
            return;
        };
        db.exec(&format!("{ddl}{section}"))
            .unwrap_or_else(|e| panic!("{name}: {e}\n{section}"));
        let fks = "SELECT count(*) FROM pg_constraint WHERE contype = 'f'";
        assert_eq!(db.query(fks)[0][0], p.foreign_key_count().to_string());

        // With the stand-ins (the guard pointed at an installed extension): every call is
        // accepted in this order, and the cycle's keys are back.
        let Some(db) = TestDb::create(Db::Postgres, &format!("dist_standin_{name}")) else {
            return;
        };
        let guarded = section.replace("extname = 'citus'", "extname = 'plpgsql'");
        assert_ne!(guarded, section);
        db.exec(&format!("{ddl}{CITUS_STANDINS}{guarded}"))
            .unwrap_or_else(|e| panic!("{name}: {e}\n{guarded}"));
        let placed = p
            .tables()
            .filter(|t| {
                distribution::plan(&p, None).unwrap().role(t.id) != Some(Distribution::Local)
            })
            .count();
        let n = db.query("SELECT count(*) FROM citus_calls");
        assert_eq!(n[0][0], placed.to_string(), "{name}");
        assert_eq!(
            db.query(fks)[0][0],
            p.foreign_key_count().to_string(),
            "{name}"
        );
        let cols = db.query("SELECT col FROM citus_calls WHERE fn = 'distributed' ORDER BY n");
        if name == "hostile" {
            assert_eq!(cols[0][0], "ID ✓");
            assert_eq!(cols[1][0], KEY);
        }
    }
}
