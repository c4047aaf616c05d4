//! Applying a decomposition to a project (`analysis::normalize::apply`): the plan, the one
//! undoable command, what follows the columns (comments, tags, indexes, checks, foreign keys),
//! and that the result exports and loads in SQLite.

use crowfoot::analysis::normalize::apply::{Method, format_declared, parse_declared, plan};
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;

struct Fixture {
    p: Project,
    orders: TableId,
    shipments: TableId,
}

/// `orders` holds customer data that depends on `customer_id` only (3NF violated), and
/// product data that depends on `product_code` (declared below).
fn fixture() -> Fixture {
    let mut b = ProjectBuilder::new("shop");
    let orders = b.table("orders", |t| {
        t.at(100.0, 100.0);
        t.col("order_id", LogicalType::BigInt).identity().pk();
        t.col("customer_id", LogicalType::BigInt).not_null();
        t.col("customer_email", LogicalType::Varchar(Some(255)))
            .not_null()
            .tag("pii")
            .comment("where receipts go");
        t.col("customer_name", LogicalType::Text).tag("pii");
        t.col("product_code", LogicalType::Varchar(Some(20)))
            .not_null();
        t.col("product_title", LogicalType::Text);
        t.col("quantity", LogicalType::Integer).not_null();
        t.index("ix_orders_customer_email", &["customer_email"]);
        t.index("ix_orders_customer_qty", &["customer_id", "quantity"]);
        t.check(Some("qty_positive"), "quantity > 0");
        t.check(Some("email_has_at"), "customer_email LIKE '%@%'");
    });
    let shipments = b.table("shipments", |t| {
        t.at(100.0, 500.0);
        t.col("id", LogicalType::BigInt).pk();
        t.col("order_id", LogicalType::BigInt).not_null();
    });
    b.fk(shipments, &["order_id"], orders, &["order_id"]);
    let mut p = b.build();
    let t = p.table(orders).unwrap().clone();
    let deps = [
        "customer_id -> customer_email, customer_name",
        "product_code -> product_title",
    ]
    .iter()
    .map(|d| parse_declared(&t, d).unwrap())
    .collect();
    Command::SetDependencies {
        table: orders,
        dependencies: deps,
    }
    .apply(&mut p)
    .unwrap();
    Fixture {
        p,
        orders,
        shipments,
    }
}

fn col_names(t: &Table) -> Vec<&str> {
    t.columns.iter().map(|c| c.name.as_str()).collect()
}

fn pk_names(t: &Table) -> Vec<String> {
    t.primary_key
        .as_ref()
        .unwrap()
        .columns
        .iter()
        .map(|c| t.column_name(*c))
        .collect()
}

#[test]
fn declared_dependency_text_round_trips() {
    let f = fixture();
    let t = f.p.table(f.orders).unwrap();
    assert_eq!(
        format_declared(t, &t.dependencies[0]),
        "customer_id -> customer_email, customer_name"
    );
    let e = parse_declared(t, "customer_id -> nope").unwrap_err();
    assert_eq!(e.column, 16, "{e:?}");
    assert!(parse_declared(t, "customer_id -> customer_id").is_err());
    let mvd = parse_declared(t, "customer_id ->> product_code").unwrap();
    assert!(mvd.multivalued);
}

#[test]
fn synthesis_plan_splits_customers_and_products() {
    let f = fixture();
    let plan = plan(&f.p, f.orders, Method::Synthesis3nf).unwrap();
    assert!(plan.lossless);
    assert!(plan.lost.is_empty());
    let d = plan.describe();
    assert_eq!(
        d[0],
        "orders(order_id PK, customer_id, product_code, quantity) (kept)"
    );
    assert!(
        d.contains(&"customers(customer_id PK, customer_email, customer_name)".to_string()),
        "{d:?}"
    );
    assert!(
        d.contains(&"products(product_code PK, product_title)".to_string()),
        "{d:?}"
    );
    let links = plan.describe_links();
    assert!(
        links.contains(&"orders(customer_id) → customers(customer_id)".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"orders(product_code) → products(product_code)".to_string()),
        "{links:?}"
    );
}

#[test]
fn applying_bcnf_is_one_undoable_step_that_keeps_what_follows_columns() {
    let Fixture {
        mut p,
        orders,
        shipments,
    } = fixture();
    let original = p.clone();
    let plan = plan(&p, orders, Method::Bcnf).unwrap();
    assert_eq!(plan.tables.len(), 3, "{:?}", plan.describe());
    let (cmd, new_ids) = plan.command(&p).unwrap();
    assert_eq!(cmd.label(), "Decompose orders (BCNF)");
    let mut h = History::default();
    h.apply(&mut p, cmd).unwrap();
    assert_eq!(h.undo_label(), Some("Decompose orders (BCNF)"));

    let o = p.table(orders).unwrap();
    assert_eq!(
        col_names(o),
        ["order_id", "customer_id", "product_code", "quantity"]
    );
    assert_eq!(pk_names(o), ["order_id"]);
    assert!(o.dependencies.is_empty());
    // Kept: the check on quantity and the index on (customer_id, quantity).
    assert_eq!(o.checks.len(), 1);
    assert_eq!(o.checks[0].name.as_deref(), Some("qty_positive"));
    assert_eq!(o.indexes.len(), 1);
    assert_eq!(o.indexes[0].name, "ix_orders_customer_qty");
    // The identity column stays in orders.
    assert!(o.columns[0].identity.is_some());

    let cust = new_ids
        .iter()
        .map(|id| p.table(*id).unwrap())
        .find(|t| t.name == "customers")
        .unwrap();
    assert_eq!(
        col_names(cust),
        ["customer_id", "customer_email", "customer_name"]
    );
    assert_eq!(pk_names(cust), ["customer_id"]);
    // Comments and tags moved with their columns; constraints on them too.
    let email = cust.column_by_name("customer_email").unwrap();
    assert_eq!(email.comment.as_deref(), Some("where receipts go"));
    assert!(email.tags.contains("pii"));
    assert_eq!(cust.indexes[0].name, "ix_orders_customer_email");
    assert_eq!(cust.checks[0].name.as_deref(), Some("email_has_at"));
    assert_eq!(cust.dependencies.len(), 1);
    assert_eq!(
        format_declared(cust, &cust.dependencies[0]),
        "customer_id -> customer_email, customer_name"
    );
    // Placed to the right of orders, not on top of anything.
    assert!(cust.position.x > 100.0);

    // Foreign keys: orders → customers and orders → products added, shipments → orders kept.
    let fks: Vec<(String, String)> = p
        .foreign_keys()
        .map(|fk| {
            (
                p.table(fk.from_table).unwrap().name.clone(),
                p.table(fk.to_table).unwrap().name.clone(),
            )
        })
        .collect();
    for pair in [
        ("orders", "customers"),
        ("orders", "products"),
        ("shipments", "orders"),
    ] {
        assert!(
            fks.contains(&(pair.0.to_string(), pair.1.to_string())),
            "{fks:?}"
        );
    }
    assert_eq!(p.foreign_keys_from(shipments).len(), 1);
    assert!(crowfoot::analysis::check::check(&p, Dialect::Postgres).is_empty());

    // Every resulting table is in BCNF now.
    for t in p.tables() {
        let r = crowfoot::analysis::normalize::report::table_report(t, &[], &Default::default())
            .unwrap();
        assert_eq!(r.normal_form.label(), "BCNF", "{}", t.name);
    }

    // The result loads in SQLite.
    let ddl = crowfoot::sql::ddl::export(&p, Dialect::Sqlite);
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(&ddl.sql).unwrap();
    let n: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 4);

    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    h.redo(&mut p).unwrap();
    assert_eq!(p.table_count(), 4);
}

#[test]
fn a_table_in_bcnf_has_nothing_to_decompose() {
    let Fixture { p, shipments, .. } = fixture();
    let plan = plan(&p, shipments, Method::Bcnf).unwrap();
    assert!(plan.is_noop());
    assert!(plan.command(&p).is_err());
}

#[test]
fn foreign_keys_follow_moved_columns() {
    // A foreign key from a column that moves to the new table moves with it.
    let mut b = ProjectBuilder::new("x");
    let countries = b.table("countries", |t| {
        t.col("code", LogicalType::Char(2)).pk();
    });
    let people = b.table("people", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("zip", LogicalType::Varchar(Some(10))).not_null();
        t.col("city", LogicalType::Text);
        t.col("country_code", LogicalType::Char(2));
    });
    b.fk(people, &["country_code"], countries, &["code"]);
    let mut p = b.build();
    let t = p.table(people).unwrap().clone();
    Command::SetDependencies {
        table: people,
        dependencies: vec![parse_declared(&t, "zip -> city, country_code").unwrap()],
    }
    .apply(&mut p)
    .unwrap();
    let plan = plan(&p, people, Method::Bcnf).unwrap();
    assert!(
        plan.notes.iter().any(|n| n.contains("moves to zips")),
        "{:?}",
        plan.notes
    );
    let (cmd, ids) = plan.command(&p).unwrap();
    cmd.apply(&mut p).unwrap();
    let zips = p.table(ids[0]).unwrap();
    assert_eq!(zips.name, "zips");
    assert_eq!(p.foreign_keys_from(zips.id).len(), 1);
    assert_eq!(p.foreign_keys_from(zips.id)[0].to_table, countries);
    assert!(crowfoot::analysis::check::check(&p, Dialect::Postgres).is_empty());
}

/// `crowfoot normalize --table T --declare ... --decompose bcnf`: declared dependencies are
/// saved in the project, the decomposition is applied and saved; errors are located and save
/// nothing; --dry-run saves nothing.
#[test]
fn cli_declares_and_decomposes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.ron");
    let mut b = ProjectBuilder::new("x");
    b.table("people", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("zip", LogicalType::Varchar(Some(10))).not_null();
        t.col("city", LogicalType::Text);
    });
    crowfoot::project_file::save(&b.build(), &path).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
            .arg("normalize")
            .arg(&path)
            .args(args)
            .output()
            .unwrap()
    };
    let bad = run(&["--table", "people", "--declare", "zip -> town"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("column 8"), "{err}");
    let dry = run(&["--table", "people", "--declare", "zip -> city", "--dry-run"]);
    assert!(dry.status.success());
    let p = crowfoot::project_file::load(&path).unwrap();
    assert!(p.tables().next().unwrap().dependencies.is_empty());

    let ok = run(&["--table", "people", "--declare", "zip -> city"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let p = crowfoot::project_file::load(&path).unwrap();
    let t = p.tables().next().unwrap();
    assert_eq!(format_declared(t, &t.dependencies[0]), "zip -> city");
    // The report now uses it: 2NF (city depends on the key only through zip).
    let json = run(&["--table", "people", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["tables"][0]["normal_form"], "2NF");

    let ok = run(&["--table", "people", "--decompose", "bcnf"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("table zips(zip PK, city)"), "{out}");
    let p = crowfoot::project_file::load(&path).unwrap();
    assert_eq!(p.table_count(), 2);
    assert_eq!(p.foreign_key_count(), 1);
}
