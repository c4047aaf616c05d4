//! The sample projects: committed files are up to date and load back unchanged, each sample
//! has the features it exists to show, and every sample follows the portability rules the
//! exporters rely on (checked structurally, by parsing expressions in three dialects, and by
//! loading a straightforward SQLite rendering into a real SQLite database).

use crowfoot::model::*;
use crowfoot::project_file;
use crowfoot::samples::{hostile, legacy, saas, shop, social};
use petgraph::algo::tarjan_scc;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Build = fn() -> Project;

const SAMPLES: [(&str, &str, Build); 6] = [
    ("social", "projects/social.ron", social::build),
    ("legacy", "projects/legacy.ron", legacy::build),
    ("shop", "projects/shop.ron", shop::build),
    ("saas", "projects/saas.ron", saas::build),
    (
        "saas-unsharded",
        "projects/saas-unsharded.ron",
        saas::build_unsharded,
    ),
    ("hostile", "tests/fixtures/hostile.ron", hostile::build),
];

fn path(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

// ---------------------------------------------------------------------------------------------
// Files

#[test]
fn committed_files_are_up_to_date() {
    for (name, rel, build) in SAMPLES {
        let committed = std::fs::read_to_string(path(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}; run `cargo run --example make_projects`"));
        let fresh = project_file::to_ron_string(&build());
        assert!(
            committed == fresh,
            "{rel} is stale: run `cargo run --example make_projects` ({name})"
        );
        // Building twice gives the same bytes.
        assert_eq!(fresh, project_file::to_ron_string(&build()), "{name}");
    }
}

#[test]
fn committed_files_load_to_the_built_projects() {
    for (name, rel, build) in SAMPLES {
        let loaded = project_file::load(&path(rel)).unwrap_or_else(|e| panic!("{e}"));
        let built = build();
        assert!(
            loaded == built,
            "{name}: loaded project differs from build()"
        );
        assert_eq!(loaded.next_id(), built.next_id(), "{name}");
        assert_eq!(loaded.table_count(), built.table_count(), "{name}");
        assert_eq!(
            loaded.foreign_key_count(),
            built.foreign_key_count(),
            "{name}"
        );
    }
}

#[test]
fn table_counts() {
    let n = social::build().table_count();
    assert!((10..=14).contains(&n), "social has {n} tables");
    let n = shop::build().table_count();
    assert!((23..=28).contains(&n), "shop has {n} tables");
    let n = saas::build().table_count();
    assert!((38..=45).contains(&n), "saas has {n} tables");
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn table<'a>(p: &'a Project, name: &str) -> &'a Table {
    p.table_by_name(None, name)
        .unwrap_or_else(|| panic!("no table `{name}` in {}", p.name()))
}

fn col_names(t: &Table, ids: &[ColumnId]) -> Vec<String> {
    ids.iter().map(|c| t.column_name(*c)).collect()
}

fn fk_cols(p: &Project, fk: &ForeignKey) -> (Vec<String>, Vec<String>) {
    let from = p.table(fk.from_table).unwrap();
    let to = p.table(fk.to_table).unwrap();
    (
        col_names(from, &fk.from_columns),
        col_names(to, &fk.to_columns),
    )
}

fn self_fks(p: &Project) -> Vec<&ForeignKey> {
    p.foreign_keys()
        .filter(|fk| fk.from_table == fk.to_table)
        .collect()
}

/// Strongly connected components of the FK graph with at least two tables (cycles of length
/// two or more; self-loops alone never make such a component).
fn cycles(p: &Project) -> Vec<BTreeSet<String>> {
    tarjan_scc(p.graph())
        .into_iter()
        .filter(|c| c.len() >= 2)
        .map(|c| c.iter().map(|n| p.graph()[*n].name.clone()).collect())
        .collect()
}

fn all_indexes(p: &Project) -> impl Iterator<Item = (&Table, &Index)> {
    p.tables()
        .flat_map(|t| t.indexes.iter().map(move |i| (t, i)))
}

// ---------------------------------------------------------------------------------------------
// Features of each sample

#[test]
fn social_features() {
    let p = social::build();
    let follows = table(&p, "follows");
    let pk = follows
        .primary_key
        .as_ref()
        .expect("follows has a primary key");
    assert_eq!(
        col_names(follows, &pk.columns),
        ["follower_id", "followee_id"]
    );
    let users = table(&p, "users");
    let to_users: BTreeSet<Vec<String>> = p
        .foreign_keys_from(follows.id)
        .into_iter()
        .filter(|fk| fk.to_table == users.id)
        .map(|fk| fk_cols(&p, fk).0)
        .collect();
    assert_eq!(
        to_users,
        BTreeSet::from([
            vec!["followee_id".to_string()],
            vec!["follower_id".to_string()]
        ])
    );
    let pii = p
        .tables()
        .flat_map(|t| &t.columns)
        .filter(|c| c.tags.contains("pii"))
        .count();
    assert!(pii >= 3, "social has {pii} pii columns");
    assert!(p.notes().count() >= 2);
    assert!(p.areas().count() >= 2);
    assert!(p.tables().any(|t| t.comment.is_some()));
    assert!(
        p.tables()
            .flat_map(|t| &t.columns)
            .any(|c| c.comment.is_some())
    );
    // Realistic types and defaults.
    let created = users.column_by_name("created_at").unwrap();
    assert_eq!(created.ty, LogicalType::TimestampTz);
    assert_eq!(created.default.as_deref(), Some("CURRENT_TIMESTAMP"));
    let id = users.column_by_name("id").unwrap();
    assert_eq!(id.ty, LogicalType::BigInt);
    assert!(id.identity.is_some());
    assert!(
        users
            .columns
            .iter()
            .any(|c| c.ty == LogicalType::Boolean && c.default.as_deref() == Some("FALSE"))
    );
    assert!(p.tables().map(|t| t.indexes.len()).sum::<usize>() >= 5);
}

#[test]
fn shop_features() {
    let p = shop::build();
    assert!(p.enums().count() >= 2);
    // Enum-typed columns with defaults that are values of the enum.
    let orders = table(&p, "orders");
    let status = orders.column_by_name("status").unwrap();
    let LogicalType::Enum(e) = status.ty else {
        panic!("orders.status is not an enum")
    };
    assert_eq!(p.enum_type(e).unwrap().name, "order_status");
    assert_eq!(status.default.as_deref(), Some("'pending'"));
    let payments = table(&p, "payments");
    let LogicalType::Enum(e) = payments.column_by_name("method").unwrap().ty else {
        panic!("payments.method is not an enum")
    };
    assert_eq!(p.enum_type(e).unwrap().name, "payment_method");

    let partial: Vec<_> = all_indexes(&p)
        .filter(|(_, i)| i.where_clause.is_some())
        .collect();
    assert!(!partial.is_empty());
    let pending = orders
        .indexes
        .iter()
        .find(|i| i.name == "ix_orders_customer_pending")
        .expect("partial index on orders");
    assert_eq!(pending.where_clause.as_deref(), Some("status = 'pending'"));

    let expr = all_indexes(&p)
        .find(|(_, i)| {
            i.parts
                .iter()
                .any(|part| matches!(&part.target, IndexTarget::Expr(e) if e == "lower(email)"))
        })
        .expect("expression index on lower(email)");
    assert_eq!(expr.0.name, "customers");
    assert!(expr.1.unique);

    assert!(all_indexes(&p).any(|(_, i)| i.parts.iter().any(|x| x.order == Some(SortOrder::Desc))));
    let (inv, covering) = all_indexes(&p)
        .find(|(_, i)| !i.include.is_empty())
        .expect("index with INCLUDE columns");
    assert_eq!(col_names(inv, &covering.include), ["on_hand", "reserved"]);

    let checks: Vec<&str> = p
        .tables()
        .flat_map(|t| &t.checks)
        .map(|c| c.expr.as_str())
        .collect();
    assert!(checks.len() >= 3, "{checks:?}");
    assert!(checks.contains(&"quantity > 0"));
    assert!(checks.contains(&"unit_price >= 0"));

    let composite_pks: Vec<&str> = p
        .tables()
        .filter(|t| t.primary_key.as_ref().is_some_and(|k| k.columns.len() >= 2))
        .map(|t| t.name.as_str())
        .collect();
    assert!(composite_pks.contains(&"order_items"));
    assert!(composite_pks.contains(&"product_categories"));
    let items = table(&p, "order_items");
    assert_eq!(
        col_names(items, &items.primary_key.as_ref().unwrap().columns),
        ["order_id", "line_no"]
    );

    let composite_fk = p
        .foreign_keys()
        .find(|fk| fk.from_columns.len() >= 2)
        .expect("a composite foreign key");
    assert_eq!(p.table(composite_fk.to_table).unwrap().name, "order_items");
    assert_eq!(
        fk_cols(&p, composite_fk),
        (
            vec!["order_id".to_string(), "line_no".to_string()],
            vec!["order_id".to_string(), "line_no".to_string()]
        )
    );

    let cats = table(&p, "categories");
    assert!(self_fks(&p).iter().any(|fk| fk.from_table == cats.id));

    let cols: Vec<&Column> = p.tables().flat_map(|t| &t.columns).collect();
    let money = LogicalType::Decimal(Some(12), Some(2));
    assert!(cols.iter().filter(|c| c.ty == money).count() >= 5);
    assert!(cols.iter().any(|c| c.ty == LogicalType::Uuid));
    assert!(cols.iter().any(|c| c.ty == LogicalType::Json));
    let line_total = items.column_by_name("line_total").unwrap();
    let generated = line_total.generated.as_ref().expect("generated line_total");
    assert_eq!(generated.expr, "quantity * unit_price");
    assert!(generated.stored);
}

#[test]
fn saas_features() {
    let p = saas::build();

    let selfs = self_fks(&p);
    assert!(!selfs.is_empty(), "no self-referencing foreign key");
    let tasks = table(&p, "tasks");
    assert!(selfs.iter().any(
        |fk| fk.from_table == tasks.id && fk_cols(&p, fk).0 == ["tenant_id", "parent_task_id"]
    ));

    let cycles = cycles(&p);
    assert!(
        cycles
            .iter()
            .any(|c| c.contains("tenants") && c.contains("users")),
        "{cycles:?}"
    );
    // The cycle-closing edge is deferred, its owner column nullable, and it pairs the tenant
    // ((id, owner_user_id) -> users (tenant_id, id)), as Citus needs.
    let tenants = table(&p, "tenants");
    let owner = p
        .foreign_keys_from(tenants.id)
        .into_iter()
        .find(|fk| table(&p, "users").id == fk.to_table)
        .expect("tenants -> users");
    assert_eq!(owner.deferrable, Deferrable::InitiallyDeferred);
    assert_eq!(fk_cols(&p, owner).0, ["id", "owner_user_id"]);
    assert!(tenants.column_by_name("owner_user_id").unwrap().nullable);

    let tenant_fks: Vec<_> = p
        .foreign_keys()
        .filter(|fk| fk.from_columns.len() >= 2 && fk_cols(&p, fk).0.contains(&"tenant_id".into()))
        .collect();
    assert!(tenant_fks.len() >= 20, "{} tenant fks", tenant_fks.len());
    for fk in &tenant_fks {
        let (from, to) = fk_cols(&p, fk);
        assert_eq!(from[0], "tenant_id");
        assert_eq!(to[0], "tenant_id");
    }

    // Every tenant-owned table is keyed by tenant.
    for t in p
        .tables()
        .filter(|t| t.column_by_name("tenant_id").is_some())
    {
        let tenant = t.column_by_name("tenant_id").unwrap().id;
        let keyed = t
            .primary_key
            .iter()
            .map(|k| &k.columns)
            .chain(t.uniques.iter().map(|u| &u.columns))
            .any(|cols| cols.len() >= 2 && cols[0] == tenant);
        assert!(keyed, "{} has no (tenant_id, ...) key", t.name);
        assert!(!t.column_by_name("tenant_id").unwrap().nullable);
    }
    let owned = p
        .tables()
        .filter(|t| t.column_by_name("tenant_id").is_some())
        .count();
    assert!(owned >= 30, "{owned} tenant-owned tables");

    let pii: Vec<&Column> = p
        .tables()
        .flat_map(|t| &t.columns)
        .filter(|c| c.tags.contains("pii"))
        .collect();
    assert!(pii.len() >= 4, "{} pii columns", pii.len());
    assert!(pii.iter().all(|c| c.comment.is_some()));
    let pii_names: BTreeSet<&str> = pii.iter().map(|c| c.name.as_str()).collect();
    for n in ["email", "phone", "full_name", "ip_address"] {
        assert!(pii_names.contains(n), "{n} is not tagged pii");
    }

    assert!(p.views().count() >= 2);
    for v in p.views() {
        assert!(v.sql.starts_with("SELECT "), "{}", v.name);
        assert!(!v.depends_on.is_empty(), "{}", v.name);
    }
    assert!(p.tables().all(|t| t.schema.is_none()));
}

#[test]
fn hostile_features() {
    let p = hostile::build();
    let names: BTreeSet<&str> = p.tables().map(|t| t.name.as_str()).collect();

    let long_table = p
        .tables()
        .find(|t| t.name.len() == 63)
        .expect("a 63-character table name");
    assert!(long_table.name.is_ascii());
    assert_eq!(long_table.name, hostile::LONG_TABLE);
    let long_col = p
        .tables()
        .flat_map(|t| &t.columns)
        .find(|c| c.name.len() == 64)
        .expect("a 64-character column name");
    assert!(long_col.name.is_ascii());
    let long_ix = all_indexes(&p)
        .find(|(_, i)| i.name.len() == 63)
        .expect("a 63-character index name");
    assert!(long_ix.1.name.is_ascii());

    for r in hostile::RESERVED_TABLES {
        assert!(names.contains(r), "no table named {r}");
    }
    for n in [
        "order line",
        "it's",
        "say \"hi\"",
        "tick`tock",
        "arr]ay",
        "café",
        "表",
        "CamelCase",
        "MixedCase Table",
    ] {
        assert!(names.contains(n), "no table named {n}");
    }
    let col_names: BTreeSet<&str> = p
        .tables()
        .flat_map(|t| &t.columns)
        .map(|c| c.name.as_str())
        .collect();
    for n in [
        "Größe",
        "it's",
        "say \"hi\"",
        "a]b",
        "order",
        "select",
        "group",
    ] {
        assert!(col_names.contains(n), "no column named {n}");
    }

    assert!(!self_fks(&p).is_empty(), "no self-referencing foreign key");
    assert!(
        cycles(&p)
            .iter()
            .any(|c| c.contains("user") && c.contains("order")),
        "no user <-> order cycle"
    );
    let composite = p
        .foreign_keys()
        .find(|fk| fk.from_columns.len() == 2)
        .expect("a two-column foreign key");
    assert_eq!(composite.on_delete, FkAction::Cascade);
    assert_eq!(composite.on_update, FkAction::SetNull);
    let actions: BTreeSet<String> = p
        .foreign_keys()
        .flat_map(|fk| [fk.on_delete, fk.on_update])
        .map(|a| a.sql().to_string())
        .collect();
    for a in ["CASCADE", "SET NULL", "RESTRICT", "NO ACTION"] {
        assert!(actions.contains(a), "no {a} action");
    }

    // An index on a reserved-word column, a unique constraint with a quote in its name and a
    // check constraint on a table with a reserved name.
    let order = table(&p, "order");
    assert!(order.indexes.iter().any(|i| matches!(i.parts[0].target,
        IndexTarget::Column(c) if order.column_name(c) == "select")));
    assert!(
        p.tables()
            .flat_map(|t| &t.uniques)
            .any(|u| u.name.as_deref().is_some_and(|n| n.contains('\'')))
    );
    assert!(!order.checks.is_empty());

    // Only the simple types.
    for c in p.tables().flat_map(|t| &t.columns) {
        assert!(
            matches!(
                c.ty,
                LogicalType::Integer
                    | LogicalType::SmallInt
                    | LogicalType::BigInt
                    | LogicalType::Varchar(Some(_))
                    | LogicalType::Text
                    | LogicalType::Boolean
                    | LogicalType::Decimal(..)
                    | LogicalType::Date
                    | LogicalType::TimestampTz
            ),
            "{}: {:?}",
            c.name,
            c.ty
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Portability rules, for every sample

/// `'...'` with `''` escapes.
fn is_string_literal(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) else {
        return false;
    };
    inner.replace("''", "").find('\'').is_none()
}

fn is_numeric_literal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn is_portable_default(s: &str) -> bool {
    matches!(s, "TRUE" | "FALSE" | "CURRENT_TIMESTAMP")
        || is_numeric_literal(s)
        || is_string_literal(s)
}

fn indexable(ty: &LogicalType) -> bool {
    !matches!(
        ty,
        LogicalType::Text
            | LogicalType::Json
            | LogicalType::Bytes
            | LogicalType::Varchar(None)
            | LogicalType::Array(_)
            | LogicalType::Native(_)
    ) && !matches!(ty, LogicalType::Varchar(Some(n)) if *n > 255)
}

/// Parse `sql` (a whole statement) with the PostgreSQL, MySQL and SQLite dialects.
fn parses_everywhere(sql: &str) -> Result<(), String> {
    use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};
    use sqlparser::parser::Parser;
    let dialects: [(&str, &dyn sqlparser::dialect::Dialect); 3] = [
        ("postgres", &PostgreSqlDialect {}),
        ("mysql", &MySqlDialect {}),
        ("sqlite", &SQLiteDialect {}),
    ];
    for (name, d) in dialects {
        Parser::parse_sql(d, sql).map_err(|e| format!("{name}: {e}: {sql}"))?;
    }
    Ok(())
}

/// Unquoted identifiers in an expression that are not keywords or function names.
fn expr_identifiers(expr: &str) -> Vec<String> {
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let dialect = sqlparser::dialect::GenericDialect {};
    let tokens: Vec<Token> = Tokenizer::new(&dialect, expr)
        .tokenize()
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if let Token::Word(w) = t {
            assert!(w.quote_style.is_none(), "quoted identifier in `{expr}`");
            let call = matches!(tokens.get(i + 1), Some(Token::LParen));
            if w.keyword == Keyword::NoKeyword && !call {
                out.push(w.value.clone());
            }
        }
    }
    out
}

/// Every rule the exporters and the engine tests rely on; returns the violations.
fn portability_problems(p: &Project) -> Vec<String> {
    let mut errs = Vec::new();
    let mut err = |s: String| errs.push(s);

    let ident_ok = |what: &str, name: &str, err: &mut dyn FnMut(String)| {
        if name.is_empty() || name.ends_with(' ') || name.contains('\0') {
            err(format!("{what} `{name}`: empty, trailing space or NUL"));
        }
        if name.chars().count() > 64 {
            err(format!("{what} `{name}`: longer than 64 characters"));
        }
        if name.len() > 63 && name != hostile::LONG_COLUMN {
            err(format!("{what} `{name}`: longer than 63 bytes"));
        }
    };

    // Schema-global names (PostgreSQL relations, SQLite objects, MySQL FK names), compared
    // case-insensitively because SQLite and MySQL fold case.
    let mut global: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |kind: &str, name: &str, err: &mut dyn FnMut(String)| {
        if let Some(prev) = global.insert(name.to_lowercase(), format!("{kind} {name}")) {
            err(format!("{kind} `{name}` clashes with {prev}"));
        }
    };

    for e in p.enums() {
        ident_ok("enum", &e.name, &mut err);
        if e.schema.is_some() {
            err(format!("enum {} has a schema", e.name));
        }
    }
    for v in p.views() {
        ident_ok("view", &v.name, &mut err);
        claim("view", &v.name, &mut err);
        if let Err(e) = parses_everywhere(&v.sql) {
            err(format!("view {}: {e}", v.name));
        }
    }

    for t in p.tables() {
        let tn = &t.name;
        ident_ok("table", tn, &mut err);
        claim("table", tn, &mut err);
        if t.schema.is_some() {
            err(format!("{tn}: has a schema"));
        }
        let mut cols = BTreeSet::new();
        for c in &t.columns {
            ident_ok("column", &c.name, &mut err);
            if !cols.insert(c.name.to_lowercase()) {
                err(format!("{tn}.{}: duplicate column (ignoring case)", c.name));
            }
            if let Some(d) = &c.default {
                if !is_portable_default(d) {
                    err(format!("{tn}.{}: default `{d}` is not portable", c.name));
                }
                if let LogicalType::Enum(e) = &c.ty {
                    let values = &p.enum_type(*e).unwrap().values;
                    if !values.iter().any(|v| format!("'{v}'") == *d) {
                        err(format!("{tn}.{}: default {d} is not an enum value", c.name));
                    }
                }
                if matches!(c.ty, LogicalType::Text | LogicalType::Json) {
                    err(format!(
                        "{tn}.{}: MySQL rejects defaults on TEXT/JSON",
                        c.name
                    ));
                }
            }
            if c.identity.is_some()
                && t.primary_key.as_ref().map(|k| k.columns.as_slice()) != Some(&[c.id])
            {
                err(format!(
                    "{tn}.{}: identity column is not the whole PK",
                    c.name
                ));
            }
            if let Some(g) = &c.generated {
                if c.default.is_some() || c.identity.is_some() {
                    err(format!("{tn}.{}: generated with default/identity", c.name));
                }
                if let Err(e) = parses_everywhere(&format!("SELECT {}", g.expr)) {
                    err(format!("{tn}.{}: {e}", c.name));
                }
                for id in expr_identifiers(&g.expr) {
                    if t.column_by_name(&id).is_none() {
                        err(format!("{tn}.{}: unknown column {id}", c.name));
                    }
                }
            }
        }
        // Keys and indexes must be indexable in MySQL.
        let key_cols = t
            .primary_key
            .iter()
            .flat_map(|k| &k.columns)
            .chain(t.uniques.iter().flat_map(|u| &u.columns))
            .chain(t.indexes.iter().flat_map(|i| {
                i.parts.iter().filter_map(|part| match &part.target {
                    IndexTarget::Column(c) => Some(c),
                    IndexTarget::Expr(_) => None,
                })
            }));
        for c in key_cols {
            let col = t.column(*c).unwrap();
            if !indexable(&col.ty) {
                err(format!("{tn}.{}: {:?} in a key or index", col.name, col.ty));
            }
        }
        match &t.primary_key {
            None => err(format!("{tn}: no primary key")),
            Some(k) => {
                if let Some(n) = &k.name {
                    claim("primary key", n, &mut err);
                }
                for c in &k.columns {
                    if t.column(*c).unwrap().nullable {
                        err(format!("{tn}: nullable primary key column"));
                    }
                }
            }
        }
        for u in &t.uniques {
            if let Some(n) = &u.name {
                ident_ok("unique", n, &mut err);
                claim("unique", n, &mut err);
            }
        }
        for ck in &t.checks {
            if let Some(n) = &ck.name {
                ident_ok("check", n, &mut err);
                claim("check", n, &mut err);
            }
            if let Err(e) = parses_everywhere(&format!("SELECT 1 WHERE {}", ck.expr)) {
                err(format!("{tn}: check {e}"));
            }
            for id in expr_identifiers(&ck.expr) {
                if t.column_by_name(&id).is_none() || id != id.to_lowercase() {
                    err(format!("{tn}: check `{}` uses `{id}`", ck.expr));
                }
            }
        }
        for i in &t.indexes {
            ident_ok("index", &i.name, &mut err);
            claim("index", &i.name, &mut err);
            for part in &i.parts {
                if let IndexTarget::Expr(e) = &part.target {
                    let simple = e.starts_with("lower(") && e.ends_with(')');
                    let inner = &e["lower(".len().min(e.len())..e.len().saturating_sub(1)];
                    if !simple || t.column_by_name(inner).is_none() {
                        err(format!("{tn}: expression index `{e}` is not lower(column)"));
                    }
                }
            }
            if let Some(w) = &i.where_clause {
                if let Err(e) = parses_everywhere(&format!("SELECT 1 WHERE {w}")) {
                    err(format!("{tn}.{}: {e}", i.name));
                }
                for id in expr_identifiers(w) {
                    if t.column_by_name(&id).is_none() || id != id.to_lowercase() {
                        err(format!("{tn}.{}: WHERE uses `{id}`", i.name));
                    }
                }
            }
        }
    }

    // Foreign keys: names unique per database (MySQL), types equal, targets are keys.
    let mut pairs: BTreeMap<(TableId, TableId), usize> = BTreeMap::new();
    for fk in p.foreign_keys() {
        *pairs.entry((fk.from_table, fk.to_table)).or_default() += 1;
    }
    for fk in p.foreign_keys() {
        let from = p.table(fk.from_table).unwrap();
        let to = p.table(fk.to_table).unwrap();
        let what = format!("fk {} -> {}", from.name, to.name);
        match &fk.name {
            Some(n) => {
                ident_ok("foreign key", n, &mut err);
                claim("foreign key", n, &mut err);
            }
            None if pairs[&(fk.from_table, fk.to_table)] > 1 => {
                err(format!(
                    "{what}: several keys between the same tables need names"
                ));
            }
            None => {}
        }
        if fk.from_columns.len() != fk.to_columns.len() {
            err(format!("{what}: column counts differ"));
            continue;
        }
        for (a, b) in fk.from_columns.iter().zip(&fk.to_columns) {
            let (a, b) = (from.column(*a).unwrap(), to.column(*b).unwrap());
            if !indexable(&a.ty) {
                err(format!("{what}: {} is {:?}, not indexable", a.name, a.ty));
            }
            if a.ty != b.ty {
                err(format!(
                    "{what}: {} {:?} vs {} {:?}",
                    a.name, a.ty, b.name, b.ty
                ));
            }
        }
        let is_key = to.primary_key.as_ref().map(|k| &k.columns) == Some(&fk.to_columns)
            || to.uniques.iter().any(|u| u.columns == fk.to_columns);
        if !is_key {
            err(format!(
                "{what}: target is not the PK or a unique constraint"
            ));
        }
        let nullable = fk
            .from_columns
            .iter()
            .all(|c| from.column(*c).unwrap().nullable);
        for action in [fk.on_delete, fk.on_update] {
            match action {
                FkAction::SetNull if !nullable => {
                    err(format!("{what}: SET NULL on a NOT NULL column"));
                }
                FkAction::SetDefault => err(format!("{what}: SET DEFAULT is not portable")),
                _ => {}
            }
        }
    }

    // Canvas: no two table cards overlap.
    let cards: Vec<(&str, [f32; 4])> = p
        .tables()
        .map(|t| {
            let h = 40.0 + 30.0 * t.columns.len() as f32;
            let (x, y) = (t.position.x, t.position.y);
            (t.name.as_str(), [x, y, x + 260.0, y + h])
        })
        .collect();
    for (i, (a, ra)) in cards.iter().enumerate() {
        for (b, rb) in &cards[i + 1..] {
            if ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3] {
                err(format!("cards {a} and {b} overlap"));
            }
        }
    }
    errs
}

#[test]
fn samples_are_portable() {
    for (name, _, build) in SAMPLES {
        let mut problems = portability_problems(&build());
        if name == "saas-unsharded" {
            // Deliberate: its audit log has no key, for DS011 (every engine accepts it).
            problems.retain(|p| p != "audit_log: no primary key");
        }
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn portability_checks_catch_problems() {
    // The checker itself must not be vacuous.
    let mut p = social::build();
    let users = table(&p, "users").id;
    let posts = table(&p, "posts").clone();
    let mut bad = posts.clone();
    bad.primary_key = None;
    bad.columns[3].default = Some("now()".into());
    Command::ReplaceTable(Box::new(bad)).apply(&mut p).unwrap();
    let body = posts.column_by_name("body").unwrap().id;
    Command::AddForeignKey(Box::new(ForeignKey {
        id: ForeignKeyId(p.alloc_id()),
        name: None,
        from_table: posts.id,
        from_columns: vec![body],
        to_table: users,
        to_columns: vec![table(&p, "users").column_by_name("id").unwrap().id],
        on_delete: FkAction::SetNull,
        on_update: FkAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
    }))
    .apply(&mut p)
    .unwrap();
    let problems = portability_problems(&p).join("\n");
    assert!(problems.contains("posts: no primary key"), "{problems}");
    assert!(problems.contains("now()"), "{problems}");
    assert!(problems.contains("Text"), "{problems}");
    assert!(problems.contains("SET NULL on a NOT NULL"), "{problems}");
    assert!(problems.contains("need names"), "{problems}");
    assert!(is_string_literal("'it''s'") && !is_string_literal("'a'b'"));
    assert!(is_numeric_literal("-1.50") && !is_numeric_literal("1e5"));
}

// ---------------------------------------------------------------------------------------------
// A plain SQLite rendering, loaded into a real database

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sqlite_type(ty: &LogicalType) -> &'static str {
    match ty {
        LogicalType::TinyInt
        | LogicalType::SmallInt
        | LogicalType::Integer
        | LogicalType::BigInt
        | LogicalType::Boolean => "INTEGER",
        LogicalType::Decimal(..) => "NUMERIC",
        LogicalType::Real | LogicalType::Double => "REAL",
        LogicalType::Bytes => "BLOB",
        _ => "TEXT",
    }
}

fn sqlite_ddl(p: &Project) -> Vec<String> {
    let mut out = Vec::new();
    for t in p.tables() {
        let cols = |ids: &[ColumnId]| {
            ids.iter()
                .map(|c| q(&t.column_name(*c)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut lines: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut s = format!("{} {}", q(&c.name), sqlite_type(&c.ty));
                if !c.nullable {
                    s += " NOT NULL";
                }
                if let Some(d) = &c.default {
                    s += &format!(" DEFAULT {d}");
                }
                if let Some(g) = &c.generated {
                    let kind = if g.stored { "STORED" } else { "VIRTUAL" };
                    s += &format!(" GENERATED ALWAYS AS ({}) {kind}", g.expr);
                }
                s
            })
            .collect();
        if let Some(k) = &t.primary_key {
            lines.push(format!("PRIMARY KEY ({})", cols(&k.columns)));
        }
        for u in &t.uniques {
            let name = u.name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n)));
            lines.push(format!(
                "{}UNIQUE ({})",
                name.unwrap_or_default(),
                cols(&u.columns)
            ));
        }
        for c in &t.checks {
            let name = c.name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n)));
            lines.push(format!("{}CHECK ({})", name.unwrap_or_default(), c.expr));
        }
        for fk in p.foreign_keys_from(t.id) {
            let to = p.table(fk.to_table).unwrap();
            let to_cols: Vec<String> = fk
                .to_columns
                .iter()
                .map(|c| q(&to.column_name(*c)))
                .collect();
            let deferred = match fk.deferrable {
                Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
                _ => "",
            };
            lines.push(format!(
                "FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}{deferred}",
                cols(&fk.from_columns),
                q(&to.name),
                to_cols.join(", "),
                fk.on_delete.sql(),
                fk.on_update.sql()
            ));
        }
        out.push(format!(
            "CREATE TABLE {} (\n  {}\n)",
            q(&t.name),
            lines.join(",\n  ")
        ));
        for i in &t.indexes {
            let parts: Vec<String> = i
                .parts
                .iter()
                .map(|part| {
                    let target = match &part.target {
                        IndexTarget::Column(c) => q(&t.column_name(*c)),
                        IndexTarget::Expr(e) => format!("({e})"),
                    };
                    match part.order {
                        Some(SortOrder::Desc) => format!("{target} DESC"),
                        _ => target,
                    }
                })
                .collect();
            let mut s = format!(
                "CREATE {}INDEX {} ON {} ({})",
                if i.unique { "UNIQUE " } else { "" },
                q(&i.name),
                q(&t.name),
                parts.join(", ")
            );
            if let Some(w) = &i.where_clause {
                s += &format!(" WHERE {w}");
            }
            out.push(s);
        }
    }
    for v in p.views() {
        out.push(format!("CREATE VIEW {} AS {}", q(&v.name), v.sql));
    }
    out
}

#[test]
fn samples_load_into_sqlite() {
    for (name, _, build) in SAMPLES {
        let p = build();
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        for stmt in sqlite_ddl(&p) {
            db.execute_batch(&stmt)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{stmt}"));
        }
        let count = |kind: &str| -> usize {
            db.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = ?1 AND name NOT LIKE 'sqlite_%'",
                [kind],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as usize
        };
        assert_eq!(count("table"), p.table_count(), "{name}");
        assert_eq!(count("view"), p.views().count(), "{name}");
        let indexes = p.tables().map(|t| t.indexes.len()).sum::<usize>();
        assert_eq!(count("index"), indexes, "{name}");
        // Touching every table makes SQLite resolve every foreign key ("foreign key mismatch"
        // when a target is not a key), and every view compiles when queried.
        for t in p.tables() {
            db.execute(&format!("DELETE FROM {}", q(&t.name)), [])
                .unwrap_or_else(|e| panic!("{name}.{}: {e}", t.name));
        }
        for v in p.views() {
            db.prepare(&format!("SELECT * FROM {}", q(&v.name)))
                .unwrap_or_else(|e| panic!("{name}.{}: {e}", v.name));
        }
        let problems: i64 = db
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(problems, 0, "{name}");
    }
}
