//! Design lint (`analysis::lint`): each rule with positive and negative cases, per-project
//! configuration, `crowfoot check` exit codes and formats, and SARIF output validated against
//! the official SARIF 2.1.0 JSON schema (shipped in the `serde-sarif` crate's sources) and
//! read back by serde-sarif's typed model.

#[path = "support/run.rs"]
mod run;
use run::crowfoot_in_repo as crowfoot;

use crowfoot::analysis::check::Severity;
use crowfoot::analysis::lint;
use crowfoot::analysis::rules::{self, Family};
use crowfoot::model::builder::{ProjectBuilder, TableBuilder};
use crowfoot::model::*;

fn codes(p: &Project, d: Dialect) -> Vec<(String, String)> {
    lint::lint(p, d)
        .into_iter()
        .map(|x| (x.code.to_string(), x.object))
        .collect()
}

fn has(p: &Project, d: Dialect, code: &str, object: &str) -> bool {
    codes(p, d).iter().any(|(c, o)| c == code && o == object)
}

fn count(p: &Project, d: Dialect, code: &str) -> usize {
    codes(p, d).iter().filter(|(c, _)| c == code).count()
}

fn one(f: impl FnOnce(&mut TableBuilder)) -> Project {
    let mut b = ProjectBuilder::new("x");
    b.table("t", |t| {
        t.col("id", LogicalType::BigInt).pk();
        f(t);
    });
    b.build()
}

const PG: Dialect = Dialect::Postgres;

#[test]
fn rule_catalogue_is_well_formed() {
    let all = lint::all_rules();
    let mut ids: Vec<&str> = all.iter().map(|r| r.0).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "unique ids");
    for r in Family::Design.rules().chain(Family::Normalization.rules()) {
        assert!(r.rationale.len() > 30 && !r.name.is_empty(), "{}", r.id);
    }
    assert!(n >= 8 + 15 + 7);
}

#[test]
fn dl001_nullable_pk_column() {
    let mut p = one(|t| {
        t.col("x", LogicalType::Integer);
    });
    assert_eq!(count(&p, PG, "DL001"), 0);
    let mut t = p.tables().next().unwrap().clone();
    t.columns[0].nullable = true;
    Command::ReplaceTable(Box::new(t)).apply(&mut p).unwrap();
    assert!(has(&p, PG, "DL001", "t.id"));
}

#[test]
fn dl002_id_column_without_fk() {
    let mut b = ProjectBuilder::new("x");
    let customers = b.table("customers", |t| {
        t.col("id", LogicalType::BigInt).pk();
    });
    b.table("categories", |t| {
        t.col("id", LogicalType::BigInt).pk();
    });
    let orders = b.table("orders", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("customer_id", LogicalType::BigInt);
        t.col("billing_customer_id", LogicalType::BigInt);
        t.col("category_id", LogicalType::BigInt);
        t.col("session_id", LogicalType::Text); // no sessions table: not a claim
    });
    b.fk(orders, &["customer_id"], customers, &["id"]);
    let p = b.build();
    assert!(!has(&p, PG, "DL002", "orders.customer_id"), "has its FK");
    assert!(has(&p, PG, "DL002", "orders.billing_customer_id"));
    assert!(
        has(&p, PG, "DL002", "orders.category_id"),
        "categories ← category"
    );
    assert!(!has(&p, PG, "DL002", "orders.session_id"));
    // A table's own key named after it is not a reference.
    let q = one(|t| {
        t.col("t_id", LogicalType::BigInt);
    });
    assert_eq!(count(&q, PG, "DL002"), 0);
}

fn cycle(nullable: bool, deferrable: bool) -> Project {
    let mut b = ProjectBuilder::new("x");
    let a = b.table("a", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("b_id", LogicalType::BigInt).not_null();
    });
    let bt = b.table("b", |t| {
        t.col("id", LogicalType::BigInt).pk();
        if nullable {
            t.col("a_id", LogicalType::BigInt);
        } else {
            t.col("a_id", LogicalType::BigInt).not_null();
        }
    });
    b.fk(a, &["b_id"], bt, &["id"]);
    b.fk_with(bt, &["a_id"], a, &["id"], |fk| {
        if deferrable {
            fk.deferrable = Deferrable::InitiallyDeferred;
        }
    });
    b.build()
}

#[test]
fn dl003_fk_cycle_not_deferrable() {
    assert!(has(&cycle(false, false), PG, "DL003", "a"));
    assert_eq!(
        count(&cycle(true, false), PG, "DL003"),
        0,
        "a nullable key breaks it"
    );
    assert_eq!(
        count(&cycle(false, true), PG, "DL003"),
        0,
        "a deferrable key breaks it"
    );
    // MySQL has no deferrable constraints.
    assert_eq!(count(&cycle(false, true), Dialect::MySql, "DL003"), 1);
    // A self-reference is fine (a row may reference itself).
    let mut b = ProjectBuilder::new("x");
    let e = b.table("employees", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("manager_id", LogicalType::BigInt).not_null();
    });
    b.fk(e, &["manager_id"], e, &["id"]);
    assert_eq!(count(&b.build(), PG, "DL003"), 0);
}

#[test]
fn dl004_inconsistent_column_types() {
    let mut b = ProjectBuilder::new("x");
    b.table("a", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("customer_id", LogicalType::BigInt);
        t.col("created_at", LogicalType::TimestampTz);
        t.col("name", LogicalType::Text);
    });
    b.table("b", |t| {
        t.col("id", LogicalType::Integer).pk();
        t.col("customer_id", LogicalType::Integer);
        t.col("created_at", LogicalType::TimestampTz);
        t.col("name", LogicalType::Varchar(Some(20)));
    });
    let p = b.build();
    let found: Vec<String> = lint::lint(&p, PG)
        .into_iter()
        .filter(|x| x.code == "DL004")
        .map(|x| x.message)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("`customer_id`"));
}

#[test]
fn dl005_reserved_words() {
    let p = one(|t| {
        t.col("order", LogicalType::Integer);
        t.col("ordinal", LogicalType::Integer);
    });
    assert!(has(&p, PG, "DL005", "t.order"));
    assert!(!has(&p, PG, "DL005", "t.ordinal"));
}

#[test]
fn dl006_mixed_naming() {
    let mut b = ProjectBuilder::new("x");
    for n in [
        "customer_orders",
        "order_lines",
        "line_items",
        "price_lists",
        "OrderNotes",
    ] {
        b.table(n, |t| {
            t.col("id", LogicalType::BigInt).pk();
            t.col("created_at", LogicalType::Date);
            t.col("updated_at", LogicalType::Date);
        });
    }
    let p = b.build();
    assert!(has(&p, PG, "DL006", "OrderNotes"));
    assert!(!has(&p, PG, "DL006", "order_lines"));
    // A consistently PascalCase schema (Chinook) is not mixed.
    let mut b = ProjectBuilder::new("x");
    for n in ["Album", "Artist", "InvoiceLine", "MediaType"] {
        b.table(n, |t| {
            t.col("AlbumId", LogicalType::BigInt).pk();
            t.col("Name", LogicalType::Text);
        });
    }
    assert_eq!(count(&b.build(), PG, "DL006"), 0);
}

#[test]
fn dl007_all_nullable_table() {
    let mut b = ProjectBuilder::new("x");
    b.table("loose", |t| {
        t.col("a", LogicalType::Text);
        t.col("b", LogicalType::Text);
    });
    b.table("keyed", |t| {
        t.col("a", LogicalType::Text).pk();
    });
    b.table("half", |t| {
        t.col("a", LogicalType::Text).not_null();
        t.col("b", LogicalType::Text);
    });
    let p = b.build();
    assert!(has(&p, PG, "DL007", "loose"));
    assert_eq!(count(&p, PG, "DL007"), 1);
}

#[test]
fn dl008_very_wide_table() {
    let wide = one(|t| {
        for i in 0..61 {
            t.col(&format!("c{i}"), LogicalType::Integer);
        }
    });
    assert!(has(&wide, PG, "DL008", "t"));
    let ok = one(|t| {
        for i in 0..58 {
            t.col(&format!("c{i}"), LogicalType::Integer);
        }
    });
    assert_eq!(count(&ok, PG, "DL008"), 0);
}

#[test]
fn dl009_pii_without_comment() {
    let p = one(|t| {
        t.col("email", LogicalType::Text).tag("pii");
        t.col("phone", LogicalType::Text)
            .tag("pii")
            .comment("Contact number for deliveries.");
        t.col("note", LogicalType::Text);
    });
    assert!(has(&p, PG, "DL009", "t.email"));
    assert_eq!(count(&p, PG, "DL009"), 1);
}

#[test]
fn dl010_sqlite_affinity() {
    let p = one(|t| {
        t.col("amount", LogicalType::Decimal(Some(20), Some(4)));
        t.col("price", LogicalType::Decimal(Some(12), Some(2)));
        t.col("label", LogicalType::Native("string".into()));
        t.col("spot", LogicalType::Native("point".into()));
        t.col("n", LogicalType::Native("int8".into()));
        t.col("doc", LogicalType::Native("varchar2(20)".into()));
    });
    let d = Dialect::Sqlite;
    assert!(has(&p, d, "DL010", "t.amount"));
    assert!(!has(&p, d, "DL010", "t.price"), "15 digits fit a double");
    assert!(has(&p, d, "DL010", "t.label"), "STRING → NUMERIC");
    assert!(has(&p, d, "DL010", "t.spot"), "POINT → INTEGER");
    assert!(!has(&p, d, "DL010", "t.n"));
    assert!(!has(&p, d, "DL010", "t.doc"));
    assert_eq!(count(&p, PG, "DL010"), 0, "SQLite target only");
    assert_eq!(lint::sqlite_affinity("FLOATING POINT"), "INTEGER");
    assert_eq!(lint::sqlite_affinity("DATETIME"), "NUMERIC");
}

#[test]
fn dl011_enum_like_text() {
    let p = one(|t| {
        t.col("status", LogicalType::Varchar(Some(20)));
        t.col("order_status", LogicalType::Text);
        t.col("kind", LogicalType::Text);
        t.col("content_type", LogicalType::Text);
        t.col("statusText", LogicalType::Text);
        t.col("priority", LogicalType::Integer);
        t.check(Some("ck_kind"), "kind IN ('a', 'b')");
    });
    assert!(has(&p, PG, "DL011", "t.status"));
    assert!(has(&p, PG, "DL011", "t.order_status"));
    assert!(!has(&p, PG, "DL011", "t.kind"), "has a CHECK");
    assert!(
        !has(&p, PG, "DL011", "t.content_type"),
        "MIME types are open"
    );
    assert!(!has(&p, PG, "DL011", "t.statusText"), "ends in text");
    assert!(!has(&p, PG, "DL011", "t.priority"), "not text");
}

#[test]
fn dl012_money_in_float() {
    let p = one(|t| {
        t.col("unit_price", LogicalType::Double);
        t.col("totalAmount", LogicalType::Real);
        t.col("weight", LogicalType::Double);
        t.col("price_exact", LogicalType::Decimal(Some(12), Some(2)));
    });
    assert!(has(&p, PG, "DL012", "t.unit_price"));
    assert!(has(&p, PG, "DL012", "t.totalAmount"));
    assert_eq!(count(&p, PG, "DL012"), 2);
}

#[test]
fn dl013_timestamp_without_tz() {
    let p = one(|t| {
        t.col("created_at", LogicalType::Timestamp);
        t.col("updated_at", LogicalType::TimestampTz);
    });
    assert!(has(&p, PG, "DL013", "t.created_at"));
    assert_eq!(count(&p, PG, "DL013"), 1);
    assert_eq!(
        count(&p, Dialect::MySql, "DL013"),
        0,
        "PostgreSQL target only"
    );
}

#[test]
fn nf_rules_from_declared_dependencies() {
    let p = crowfoot::samples::legacy::build();
    assert!(has(&p, PG, "NF001", "order_lines"));
    let shop = crowfoot::samples::shop::build();
    assert_eq!(count(&shop, PG, "NF001") + count(&shop, PG, "NF002"), 0);
    // 3NF but not BCNF: (street, city) -> zip, zip -> city.
    let mut b = ProjectBuilder::new("x");
    let t = b.table("addr", |t| {
        t.col("street", LogicalType::Text).pk();
        t.col("city", LogicalType::Text).pk();
        t.col("zip", LogicalType::Text).not_null();
    });
    let mut p = b.build();
    let tab = p.table(t).unwrap().clone();
    let dep = crowfoot::analysis::normalize::apply::parse_declared(&tab, "zip -> city").unwrap();
    Command::SetDependencies {
        table: t,
        dependencies: vec![dep],
    }
    .apply(&mut p)
    .unwrap();
    assert!(has(&p, PG, "NF002", "addr"));
}

#[test]
fn project_configuration_turns_rules_off_or_changes_severity() {
    let mut p = one(|t| {
        t.col("created_at", LogicalType::Timestamp);
        t.col("email", LogicalType::Text).tag("pii");
    });
    let all = lint::problems(&p, PG);
    assert!(all.iter().any(|x| x.code == "DL013"));
    let mut s = p.settings().clone();
    s.lint.insert("DL013".into(), RuleLevel::Off);
    s.lint.insert("DL009".into(), RuleLevel::Error);
    let mut h = History::default();
    h.apply(&mut p, Command::SetSettings(Box::new(s))).unwrap();
    let now = lint::problems(&p, PG);
    assert!(now.iter().all(|x| x.code != "DL013"));
    let pii = now.iter().find(|x| x.code == "DL009").unwrap();
    assert_eq!(pii.severity, Severity::Error);
    // Saved and loaded with the project.
    let text = crowfoot::project_file::to_ron_string(&p);
    assert!(text.contains("\"DL013\": Off"), "{text}");
    assert_eq!(
        crowfoot::project_file::from_ron_str(&text, "x.ron").unwrap(),
        p
    );
    h.undo(&mut p).unwrap();
    assert!(lint::problems(&p, PG).iter().any(|x| x.code == "DL013"));
}

// ----- CLI and SARIF -----

/// The official SARIF 2.1.0 schema as shipped in the serde-sarif crate's sources.
fn sarif_schema() -> serde_json::Value {
    let home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo")
        });
    let src = home.join("registry/src");
    for index in std::fs::read_dir(&src).unwrap().flatten() {
        let f = index.path().join("serde-sarif-0.8.0/src/schema.json");
        if f.is_file() {
            return serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        }
    }
    panic!(
        "serde-sarif's schema.json not found under {}",
        src.display()
    );
}

#[test]
fn check_sarif_validates_against_the_sarif_schema() {
    let schema = sarif_schema();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    // The published schema's `language` patterns (run, toolComponent) have a stray `]`
    // (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) that a strict regex engine rejects when the
    // schema itself is checked; Crowfoot never writes `language`, so the corrected form
    // changes nothing for these documents.
    let mut schema = schema;
    let mut fixed = 0;
    for def in ["run", "toolComponent"] {
        let lang = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        if *lang == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
            *lang = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
            fixed += 1;
        }
    }
    assert_eq!(fixed, 2);
    let validator = jsonschema::validator_for(&schema).unwrap();
    for project in [
        "projects/shop.ron",
        "projects/saas.ron",
        "projects/legacy.ron",
        "tests/fixtures/hostile.ron",
    ] {
        let out = crowfoot(&["check", project, "--format", "sarif"]);
        assert_eq!(out.status.code(), Some(1), "{project}: warnings found");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{project}: {errors:#?}");
        // serde-sarif's typed model reads it too.
        let typed: serde_sarif::sarif::Sarif = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(typed.runs.len(), 1);
        // One result per problem of the JSON format, each located on a line of the file.
        let json = crowfoot(&["check", project, "--format", "json"]);
        let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), j["problems"].as_array().unwrap().len());
        let text = std::fs::read_to_string(project).unwrap();
        for r in results {
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap() as usize;
            let object = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap();
            let l = text.lines().nth(line - 1).unwrap();
            let last = object.rsplit('.').next().unwrap();
            assert!(
                l.contains("name:") && (l.contains(last) || line > 1),
                "{project}: {object} at line {line}: {l}"
            );
            let rule = r["ruleId"].as_str().unwrap();
            let idx = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(v["runs"][0]["tool"]["driver"]["rules"][idx]["id"], rule);
        }
    }
}

#[test]
fn check_levels_rules_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let p = one(|t| {
        t.col("created_at", LogicalType::Timestamp);
    });
    crowfoot::project_file::save(&p, &path).unwrap();
    let path_s = path.to_str().unwrap();
    // Info only → exit 0.
    let out = crowfoot(&["check", path_s]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("info[DL013]"));
    // Raised to error for this run → exit 1.
    let out = crowfoot(&["check", path_s, "--level", "DL013=error"]);
    assert_eq!(out.status.code(), Some(1));
    // Unknown rule or level → exit 2.
    assert_eq!(
        crowfoot(&["check", path_s, "--level", "XX999=off"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        crowfoot(&["check", path_s, "--level", "DL013=loud"])
            .status
            .code(),
        Some(2)
    );
    // Saved in the project: off from now on.
    let out = crowfoot(&["check", path_s, "--level", "dl013=off", "--save"]);
    assert_eq!(out.status.code(), Some(0));
    let out = crowfoot(&["check", path_s]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("DL013"));
    let rules = crowfoot(&["check", "--rules", path_s]);
    let text = String::from_utf8_lossy(&rules.stdout);
    for id in ["CF001", "DL013", "IX004", "NF001"] {
        assert!(text.contains(id), "{id}");
    }
}

/// `crowfoot check --rules` lists the one catalogue, every family (MG included), with no project
/// needed: as text, as JSON (id, name, family, severity, dialects, rationale, fires_when) and as
/// the docs' markdown tables. `--level` accepts the rules `check` reports, not MG codes.
#[test]
fn check_rules_lists_the_one_catalogue() {
    let text = crowfoot(&["check", "--rules"]);
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8_lossy(&text.stdout);
    for r in rules::all() {
        let head = format!("{}  {}  [{}]", r.id, r.name, r.severity.as_str());
        assert!(text.contains(&head), "{head}");
        assert!(text.contains(r.rationale), "{}", r.id);
    }
    assert!(text.contains("(migration safety; PostgreSQL)"), "{text}");
    let json = crowfoot(&["check", "--rules", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let listed = v["rules"].as_array().unwrap();
    assert_eq!(listed.len(), rules::all().count());
    for (j, r) in listed.iter().zip(rules::all()) {
        assert_eq!(j["id"], r.id);
        assert_eq!(j["name"], r.name);
        assert_eq!(j["severity"], r.severity.as_str());
        assert_eq!(j["rationale"], r.rationale);
        assert_eq!(j["fires_when"], r.fires_when);
        assert_eq!(j["dialects"].as_array().unwrap().len(), r.dialects.len());
    }
    assert_eq!(listed[0]["family"], "validation");
    let md = crowfoot(&["check", "--rules", "--format", "markdown"]);
    let md = String::from_utf8_lossy(&md.stdout);
    for (_, families) in rules::DOC_TABLES {
        assert!(md.contains(&rules::markdown(families)));
    }
    // No project, no --rules: could not run. Markdown is for --rules only.
    assert_eq!(crowfoot(&["check"]).status.code(), Some(2));
    assert_eq!(
        crowfoot(&["check", "projects/shop.ron", "--format", "markdown"])
            .status
            .code(),
        Some(2)
    );
    let mg = crowfoot(&["check", "projects/shop.ron", "--level", "MG001=off"]);
    assert_eq!(mg.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mg.stderr).contains("migration safety"));
    assert_eq!(
        crowfoot(&["check", "projects/shop.ron", "--level", "ix004=info"])
            .status
            .code(),
        Some(1),
        "an IX rule is configurable (shop still has warnings)"
    );
}

/// Issue 15: the rule docs cannot drift from the one catalogue (`analysis::rules`). Each rule
/// table of docs/design-lint.md (CF; DL and NF), docs/index-lint.md (IX) and
/// docs/migrations.md (MG) is exactly what `rules::markdown` renders, between its marker lines
/// (id, name, default severity, dialects, when it fires, rationale), and no other line of those
/// docs is a table row of a rule. (That every code the sources report is catalogued is
/// `tests/rules.rs`'s `every_reported_code_is_catalogued`.)
#[test]
fn rule_docs_list_exactly_the_catalogue() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |doc: &str| std::fs::read_to_string(root.join(doc)).unwrap();
    let mut bad = Vec::new();
    let mut rows_per_doc: std::collections::BTreeMap<&str, usize> = Default::default();
    for (doc, families) in rules::DOC_TABLES {
        let text = read(doc);
        let want = rules::markdown(families);
        let begin = want.lines().next().unwrap();
        let end = "<!-- /rules -->\n";
        let found = text.find(begin).and_then(|start| {
            let len = text[start..].find(end)? + end.len();
            Some(&text[start..start + len])
        });
        if found != Some(want.as_str()) {
            bad.push(format!(
                "{doc}: the rule table of {families:?} is not the catalogue's. Regenerate the \
                 tables with `cargo run -- check --rules --format markdown`, or replace it \
                 (marker lines included) by:\n\n{want}"
            ));
        }
        *rows_per_doc.entry(doc).or_default() += want.lines().count() - 4;
    }
    for (doc, n) in rows_per_doc {
        let rows = read(doc)
            .lines()
            .filter(|l| {
                Family::ALL
                    .iter()
                    .any(|f| l.starts_with(&format!("| {}", f.prefix())))
            })
            .count();
        if rows != n {
            bad.push(format!(
                "{doc}: {rows} table rows name a rule, the catalogue's tables have {n}"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    // Validation codes: the design-lint doc's range names the last one.
    let n = Family::Validation.rules().count();
    assert!(
        read("docs/design-lint.md").contains(&format!("`CF001`–`CF{n:03}`")),
        "CF range in docs/design-lint.md"
    );
}
