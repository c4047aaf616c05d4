//! Undo/redo: random edit sequences through `History` undo back to the original project and
//! redo forward to the edited one; invalid edits change nothing; renames, cascading removes
//! and moves undo exactly; ids are never reused.

#[path = "support/gen.rs"]
mod strategies;

use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::command::{remove_column, remove_table};
use crowfoot::model::*;
use proptest::prelude::*;
use strategies::{CmdConfig, CmdSpec};

/// Apply `specs` through a `History`, checking that failed commands change nothing, then undo
/// everything (each step must restore the state before that command) and redo everything.
fn check_undo_redo(
    original: Project,
    specs: &[CmdSpec],
    cfg: CmdConfig,
    check_invariants: bool,
) -> Result<(), TestCaseError> {
    let mut p = original.clone();
    let mut history = History::default();
    // states[k] = project before the k-th successful command.
    let mut states: Vec<Project> = Vec::new();
    for spec in specs {
        let cmd = strategies::materialize(&mut p, spec, cfg);
        let before = p.clone();
        let label_before = history.undo_label().map(str::to_owned);
        let shown = format!("{cmd:?}");
        match history.apply(&mut p, cmd) {
            Ok(()) => {
                states.push(before);
                prop_assert!(!history.can_redo());
                if check_invariants {
                    let errs = strategies::check_invariants(&p);
                    prop_assert!(errs.is_empty(), "after {shown}:\n{errs:#?}");
                }
            }
            Err(e) => {
                prop_assert!(
                    p == before,
                    "failed command ({e}) changed the project: {shown}"
                );
                prop_assert_eq!(history.undo_label().map(str::to_owned), label_before);
            }
        }
    }
    let edited = p.clone();

    for before in states.iter().rev() {
        let label = history.undo(&mut p);
        prop_assert!(matches!(label, Ok(Some(_))), "undo failed: {label:?}");
        prop_assert!(&p == before, "undo did not restore the previous state");
    }
    prop_assert!(!history.can_undo());
    prop_assert_eq!(history.undo(&mut p), Ok(None));
    prop_assert!(
        p == original,
        "undoing everything did not give the original project"
    );

    let afters: Vec<&Project> = states.iter().skip(1).chain([&edited]).collect();
    for after in afters.into_iter().take(states.len()) {
        let label = history.redo(&mut p);
        prop_assert!(matches!(label, Ok(Some(_))), "redo failed: {label:?}");
        prop_assert!(&p == after, "redo did not give the edited state");
    }
    prop_assert!(!history.can_redo());
    prop_assert_eq!(history.redo(&mut p), Ok(None));
    prop_assert!(p == edited);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn undo_redo_random_edits(
        original in strategies::project(),
        specs in strategies::cmd_specs(30),
    ) {
        check_undo_redo(original, &specs, CmdConfig::AVOID_KNOWN_BUGS, false)?;
    }

    /// Ordinary edits keep the project consistent: ids unique, every reference resolves.
    #[test]
    fn random_edits_keep_invariants(
        original in strategies::project(),
        specs in strategies::cmd_specs(30),
    ) {
        let errs = strategies::check_invariants(&original);
        prop_assert!(errs.is_empty(), "generated project: {errs:#?}");
        check_undo_redo(original, &specs, CmdConfig::AVOID_KNOWN_BUGS, true)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Same as `undo_redo_random_edits`, also removing uniques/checks/indexes that are not
    /// the last of their table.
    #[test]
    fn undo_redo_random_edits_all(
        original in strategies::project(),
        specs in strategies::cmd_specs(30),
    ) {
        check_undo_redo(original, &specs, CmdConfig::ALL, false)?;
    }

    /// With edits the model accepts although they break its invariants.
    #[test]
    fn random_edits_keep_invariants_all(
        original in strategies::project(),
        specs in strategies::cmd_specs(30),
    ) {
        check_undo_redo(original, &specs, CmdConfig { remove_any_constraint: false, probe_validation_gaps: true }, true)?;
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic cases
// ---------------------------------------------------------------------------------------

struct Shop {
    p: Project,
    customers: TableId,
    orders: TableId,
    items: TableId,
    fk_order_customer: ForeignKeyId,
    fk_item_order: ForeignKeyId,
    fk_customer_referrer: ForeignKeyId,
}

fn shop() -> Shop {
    let mut b = ProjectBuilder::new("shop");
    let customers = b.table("customers", |t| {
        t.at(10.0, 20.0);
        t.col("id", LogicalType::BigInt).identity().pk();
        t.col("email", LogicalType::Varchar(Some(255)))
            .not_null()
            .unique();
        t.col("referrer_id", LogicalType::BigInt);
        t.col("name", LogicalType::Text);
        t.index("ix_customers_name_email", &["name", "email DESC"]);
        t.check(Some("email_has_at"), "email LIKE '%@%'");
    });
    let orders = b.table("orders", |t| {
        t.at(400.0, 20.0);
        t.col("id", LogicalType::BigInt).identity().pk();
        t.col("customer_id", LogicalType::BigInt).not_null();
        t.col("placed_at", LogicalType::TimestampTz).not_null();
        t.col("total", LogicalType::Decimal(Some(12), Some(2)));
        t.index("ix_orders_customer_id", &["customer_id"]);
        t.index_with(
            "ix_orders_customer_placed",
            &["customer_id", "placed_at DESC"],
            |i| {
                i.where_clause = Some("total > 0".into());
            },
        );
        t.unique_on(
            Some("uq_orders_customer_placed"),
            &["customer_id", "placed_at"],
        );
    });
    let items = b.table("order_items", |t| {
        t.at(800.0, 20.0);
        t.col("order_id", LogicalType::BigInt).not_null();
        t.col("line", LogicalType::Integer).not_null();
        t.col("qty", LogicalType::Integer).not_null();
        t.primary_key(&["order_id", "line"]);
    });
    let fk_order_customer = b.fk(orders, &["customer_id"], customers, &["id"]);
    let fk_item_order = b.fk_with(items, &["order_id"], orders, &["id"], |fk| {
        fk.on_delete = FkAction::Cascade;
    });
    let fk_customer_referrer = b.fk(customers, &["referrer_id"], customers, &["id"]);
    b.view(
        "big_orders",
        "SELECT *\n  FROM orders\n WHERE total > 1000",
        &[orders],
    );
    Shop {
        p: b.build(),
        customers,
        orders,
        items,
        fk_order_customer,
        fk_item_order,
        fk_customer_referrer,
    }
}

fn col_id(p: &Project, t: TableId, name: &str) -> ColumnId {
    p.table(t).unwrap().column_by_name(name).unwrap().id
}

#[test]
fn rename_table_keeps_fks_indexes_and_position() {
    let Shop {
        mut p,
        customers,
        orders,
        fk_order_customer,
        fk_customer_referrer,
        ..
    } = shop();
    let original = p.clone();
    let before = p.table(customers).unwrap().clone();
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::RenameTable {
            table: customers,
            schema: Some("crm".into()),
            name: "clients".into(),
        },
    )
    .unwrap();

    let after = p.table(customers).unwrap();
    assert_eq!(after.name, "clients");
    assert_eq!(after.schema.as_deref(), Some("crm"));
    assert_eq!(after.columns, before.columns);
    assert_eq!(after.primary_key, before.primary_key);
    assert_eq!(after.uniques, before.uniques);
    assert_eq!(after.indexes, before.indexes);
    assert_eq!(after.checks, before.checks);
    assert_eq!(after.position, before.position);
    assert_eq!(
        p.table_by_name(Some("crm"), "clients").unwrap().id,
        customers
    );

    let fk = p.foreign_key(fk_order_customer).unwrap();
    assert_eq!(fk.to_table, customers);
    assert_eq!(fk.to_columns, vec![col_id(&p, customers, "id")]);
    assert_eq!(fk.from_table, orders);
    let incoming: Vec<ForeignKeyId> = p.foreign_keys_to(customers).iter().map(|f| f.id).collect();
    assert_eq!(incoming, vec![fk_order_customer, fk_customer_referrer]);
    assert_eq!(p.foreign_keys_from(customers)[0].id, fk_customer_referrer);

    assert_eq!(
        h.undo(&mut p).unwrap().as_deref(),
        Some("Rename table to clients")
    );
    assert_eq!(p, original);
}

#[test]
fn rename_column_keeps_keys_indexes_and_fks() {
    let Shop {
        mut p,
        customers,
        orders,
        fk_order_customer,
        ..
    } = shop();
    let original = p.clone();
    let cid = col_id(&p, orders, "customer_id");
    let before = p.table(orders).unwrap().clone();
    let mut renamed = before.column(cid).unwrap().clone();
    renamed.name = "client_id".into();
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::UpdateColumn {
            table: orders,
            column: Box::new(renamed),
        },
    )
    .unwrap();

    let after = p.table(orders).unwrap();
    assert_eq!(after.column_by_name("client_id").unwrap().id, cid);
    assert!(after.column_by_name("customer_id").is_none());
    assert_eq!(after.column_index(cid), before.column_index(cid));
    assert_eq!(after.indexes, before.indexes);
    assert_eq!(after.uniques, before.uniques);
    assert_eq!(after.position, before.position);
    let fk = p.foreign_key(fk_order_customer).unwrap();
    assert_eq!(fk.from_columns, vec![cid]);
    assert_eq!(fk.to_table, customers);
    assert!(after.column(fk.from_columns[0]).is_some());

    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    h.redo(&mut p).unwrap();
    assert_eq!(
        p.table(orders).unwrap().column(cid).unwrap().name,
        "client_id"
    );
}

#[test]
fn cascading_remove_table_and_undo() {
    let Shop {
        mut p,
        customers,
        orders,
        items,
        fk_order_customer,
        fk_item_order,
        fk_customer_referrer,
    } = shop();
    let original = p.clone();
    let mut h = History::default();

    // `customers` has an incoming FK, and a self FK (both incoming and outgoing).
    let cmd = remove_table(&p, customers);
    h.apply(&mut p, cmd).unwrap();
    assert!(p.table(customers).is_none());
    assert!(p.foreign_key(fk_order_customer).is_none());
    assert!(p.foreign_key(fk_customer_referrer).is_none());
    assert!(p.foreign_key(fk_item_order).is_some());
    assert_eq!(p.table_count(), 2);

    // `order_items` has an outgoing FK.
    let cmd = remove_table(&p, items);
    h.apply(&mut p, cmd).unwrap();
    assert_eq!(p.foreign_key_count(), 0);

    // `orders` is used by a view: the cascade does not remove views, so it fails cleanly.
    let snapshot = p.clone();
    let cmd = remove_table(&p, orders);
    assert!(h.apply(&mut p, cmd).is_err());
    assert_eq!(p, snapshot);

    h.undo(&mut p).unwrap();
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    for fk in [fk_order_customer, fk_item_order, fk_customer_referrer] {
        let fk = p.foreign_key(fk).unwrap();
        assert!(p.table(fk.from_table).is_some() && p.table(fk.to_table).is_some());
    }
    h.redo(&mut p).unwrap();
    h.redo(&mut p).unwrap();
    assert_eq!(p.table_count(), 1);
}

#[test]
fn cascading_remove_column_and_undo() {
    let Shop {
        mut p,
        customers,
        orders,
        items,
        fk_order_customer,
        fk_item_order,
        fk_customer_referrer,
    } = shop();
    let original = p.clone();
    let mut h = History::default();

    // orders.customer_id: FK from it, single index (emptied → removed), composite index
    // (shrinks), composite unique (shrinks).
    let cid = col_id(&p, orders, "customer_id");
    let cmd = remove_column(&p, orders, cid).unwrap();
    h.apply(&mut p, cmd).unwrap();
    let t = p.table(orders).unwrap();
    assert!(t.column(cid).is_none());
    assert!(p.foreign_key(fk_order_customer).is_none());
    let names: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["ix_orders_customer_placed"]);
    assert_eq!(t.indexes[0].parts.len(), 1);
    assert_eq!(t.uniques[0].columns, vec![col_id(&p, orders, "placed_at")]);

    // orders.id: in the PK (emptied → none), referenced by order_items.
    let oid = col_id(&p, orders, "id");
    let cmd = remove_column(&p, orders, oid).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert!(p.table(orders).unwrap().primary_key.is_none());
    assert!(p.foreign_key(fk_item_order).is_none());

    // customers.id: PK, target of a self FK.
    let kid = col_id(&p, customers, "id");
    let cmd = remove_column(&p, customers, kid).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert!(p.foreign_key(fk_customer_referrer).is_none());
    assert_eq!(p.foreign_key_count(), 0);

    // order_items.line: half of a composite PK.
    let line = col_id(&p, items, "line");
    let cmd = remove_column(&p, items, line).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert_eq!(
        p.table(items)
            .unwrap()
            .primary_key
            .as_ref()
            .unwrap()
            .columns,
        vec![col_id(&p, items, "order_id")]
    );

    while h.can_undo() {
        h.undo(&mut p).unwrap();
    }
    assert_eq!(p, original);
}

#[test]
fn move_tables_with_the_same_table_twice() {
    let Shop {
        mut p,
        customers,
        orders,
        ..
    } = shop();
    let original = p.clone();
    let start = p.table(customers).unwrap().position;
    let mut h = History::default();
    let a = Position { x: 1.0, y: 2.0 };
    let b = Position { x: -3.5, y: 4.25 };
    let c = Position { x: 99.0, y: 0.5 };
    h.apply(
        &mut p,
        Command::MoveTables(vec![(customers, a), (orders, c), (customers, b)]),
    )
    .unwrap();
    assert_eq!(p.table(customers).unwrap().position, b);
    assert_eq!(p.table(orders).unwrap().position, c);
    h.undo(&mut p).unwrap();
    assert_eq!(p.table(customers).unwrap().position, start);
    assert_eq!(p, original);
    h.redo(&mut p).unwrap();
    assert_eq!(p.table(customers).unwrap().position, b);

    // A move naming a missing table changes nothing.
    let snapshot = p.clone();
    let err = Command::MoveTables(vec![(customers, a), (TableId(123_456), a)]).apply(&mut p);
    assert!(err.is_err());
    assert_eq!(p, snapshot);
}

#[test]
fn deleted_ids_are_never_reused() {
    let Shop { mut p, orders, .. } = shop();
    let mut h = History::default();

    let tid = TableId(p.alloc_id());
    let cid = ColumnId(p.alloc_id());
    let mut t = Table::new(tid, "scratch");
    t.columns.push(Column::new(cid, "x", LogicalType::Integer));
    h.apply(&mut p, Command::AddTable(Box::new(t))).unwrap();
    h.undo(&mut p).unwrap();
    assert!(p.table(tid).is_none());
    let next = p.alloc_id();
    assert!(next > cid.0, "alloc_id after undo handed out {next} again");

    // Removing (not undoing) a column: its id stays used.
    let qty = ColumnId(p.alloc_id());
    h.apply(
        &mut p,
        Command::AddColumn {
            table: orders,
            index: 99,
            column: Box::new(Column::new(qty, "qty", LogicalType::Integer)),
        },
    )
    .unwrap();
    let cmd = remove_column(&p, orders, qty).unwrap();
    h.apply(&mut p, cmd).unwrap();
    let next2 = p.alloc_id();
    assert!(next2 > qty.0);

    // The counter survives save and load, so a reopened project does not reuse ids either.
    let text = crowfoot::project_file::to_ron_string(&p);
    let loaded = crowfoot::project_file::from_ron_str(&text, "mem.ron").unwrap();
    assert_eq!(loaded.next_id(), p.next_id());
    assert!(loaded.alloc_id() > next2);

    // Redo after undo re-adds with the same id (and nothing else took it meanwhile).
    let mut h2 = History::default();
    let vid = ViewId(p.alloc_id());
    h2.apply(
        &mut p,
        Command::PutView(View {
            id: vid,
            schema: None,
            name: "v".into(),
            sql: "SELECT 1".into(),
            materialized: false,
            depends_on: vec![],
            comment: None,
        }),
    )
    .unwrap();
    h2.undo(&mut p).unwrap();
    let other = p.alloc_id();
    assert_ne!(other, vid.0);
    h2.redo(&mut p).unwrap();
    assert!(p.views().any(|v| v.id == vid));
}

#[test]
fn failed_batch_rolls_back_everything() {
    let Shop { mut p, orders, .. } = shop();
    let original = p.clone();
    let new_col = ColumnId(p.alloc_id());
    let batch = Command::Batch(vec![
        Command::RenameTable {
            table: orders,
            schema: None,
            name: "purchases".into(),
        },
        Command::AddColumn {
            table: orders,
            index: 1,
            column: Box::new(Column::new(new_col, "note", LogicalType::Text)),
        },
        Command::Batch(vec![Command::SetProjectName("renamed".into())]),
        Command::RemoveTable(TableId(424_242)),
    ]);
    let mut h = History::default();
    assert!(h.apply(&mut p, batch).is_err());
    assert_eq!(p, original);
    assert!(!h.can_undo());
}

// ---------------------------------------------------------------------------------------
// Known model bugs (minimal reproductions)
// ---------------------------------------------------------------------------------------

#[test]

fn undo_remove_unique_keeps_order() {
    let Shop {
        mut p, customers, ..
    } = shop();
    let email = col_id(&p, customers, "email");
    let name = col_id(&p, customers, "name");
    let u2 = ConstraintId(p.alloc_id());
    Command::AddUnique {
        table: customers,
        at: None,
        unique: UniqueConstraint {
            id: u2,
            name: None,
            columns: vec![name, email],
        },
    }
    .apply(&mut p)
    .unwrap();
    let original = p.clone();
    let first = p.table(customers).unwrap().uniques[0].id;
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::RemoveUnique {
            table: customers,
            id: first,
        },
    )
    .unwrap();
    h.undo(&mut p).unwrap();
    let order: Vec<ConstraintId> = p
        .table(customers)
        .unwrap()
        .uniques
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(order, vec![first, u2]);
    assert_eq!(p, original);
}

#[test]

fn undo_remove_check_keeps_order() {
    let Shop {
        mut p, customers, ..
    } = shop();
    let c2 = ConstraintId(p.alloc_id());
    Command::AddCheck {
        table: customers,
        at: None,
        check: CheckConstraint {
            id: c2,
            name: None,
            expr: "name <> ''".into(),
        },
    }
    .apply(&mut p)
    .unwrap();
    let original = p.clone();
    let first = p.table(customers).unwrap().checks[0].id;
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::RemoveCheck {
            table: customers,
            id: first,
        },
    )
    .unwrap();
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
}

#[test]

fn undo_remove_index_keeps_order() {
    let Shop { mut p, orders, .. } = shop();
    let original = p.clone();
    let first = p.table(orders).unwrap().indexes[0].id;
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::RemoveIndex {
            table: orders,
            id: first,
        },
    )
    .unwrap();
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
}

#[test]
fn gap_array_of_missing_enum_is_rejected() {
    let Shop { mut p, orders, .. } = shop();
    let snapshot = p.clone();
    let ty = LogicalType::Array(Box::new(LogicalType::Enum(EnumId(777_777))));
    let r = Command::AddColumn {
        table: orders,
        index: 0,
        column: Box::new(Column::new(ColumnId(p.alloc_id()), "tags", ty.clone())),
    }
    .apply(&mut p);
    assert!(r.is_err(), "AddColumn accepted {ty:?}");
    assert_eq!(p, snapshot);

    let mut col = p.table(orders).unwrap().columns[1].clone();
    col.ty = ty.clone();
    let r = Command::UpdateColumn {
        table: orders,
        column: Box::new(col),
    }
    .apply(&mut p);
    assert!(r.is_err(), "UpdateColumn accepted {ty:?}");
}

#[test]
fn gap_add_table_validates_content() {
    let Shop {
        mut p, customers, ..
    } = shop();
    let existing_col = col_id(&p, customers, "email");
    let cases: Vec<(&str, Table)> = vec![
        ("column of a missing enum", {
            let mut t = Table::new(TableId(p.alloc_id()), "a");
            t.columns.push(Column::new(
                ColumnId(p.alloc_id()),
                "e",
                LogicalType::Enum(EnumId(777_777)),
            ));
            t
        }),
        ("primary key on a missing column", {
            let mut t = Table::new(TableId(p.alloc_id()), "b");
            t.primary_key = Some(PrimaryKey {
                name: None,
                columns: vec![ColumnId(777_778)],
            });
            t
        }),
        ("column id already used in another table", {
            let mut t = Table::new(TableId(p.alloc_id()), "c");
            t.columns
                .push(Column::new(existing_col, "dup", LogicalType::Text));
            t
        }),
        (
            "table id already used by a column",
            Table::new(TableId(existing_col.0), "d"),
        ),
    ];
    let mut accepted = Vec::new();
    for (what, t) in cases {
        let snapshot = p.clone();
        if Command::AddTable(Box::new(t)).apply(&mut p).is_ok() {
            accepted.push(what);
            p = snapshot;
        }
    }
    // ReplaceTable dropping a column its own primary key uses.
    let mut t = p.table(customers).unwrap().clone();
    let pk_col = t.primary_key.as_ref().unwrap().columns[0];
    let fk_free = remove_fk_uses(&mut p, customers, pk_col);
    t.columns.retain(|c| c.id != pk_col);
    if fk_free && Command::ReplaceTable(Box::new(t)).apply(&mut p).is_ok() {
        accepted.push("ReplaceTable leaving the primary key on a removed column");
    }
    assert!(accepted.is_empty(), "accepted invalid tables: {accepted:?}");
}

fn remove_fk_uses(p: &mut Project, t: TableId, c: ColumnId) -> bool {
    let fks: Vec<ForeignKeyId> = p
        .foreign_keys()
        .filter(|fk| {
            (fk.from_table == t && fk.from_columns.contains(&c))
                || (fk.to_table == t && fk.to_columns.contains(&c))
        })
        .map(|fk| fk.id)
        .collect();
    fks.into_iter()
        .all(|id| Command::RemoveForeignKey(id).apply(p).is_ok())
}

/// Declared dependencies and size estimates: set through commands (undoable), validated,
/// pruned when a column they use is removed (and restored by undo), saved and loaded, and
/// remapped to the new column ids when the table is pasted.
#[test]
fn dependencies_and_stats_follow_their_columns() {
    let Shop {
        mut p, customers, ..
    } = shop();
    let original = p.clone();
    let mut h = History::default();
    let email = col_id(&p, customers, "email");
    let name = col_id(&p, customers, "name");
    let referrer = col_id(&p, customers, "referrer_id");
    let deps = vec![
        Dependency {
            lhs: vec![email],
            rhs: vec![name],
            multivalued: false,
            note: Some("declared".into()),
        },
        Dependency {
            lhs: vec![referrer],
            rhs: vec![name],
            multivalued: true,
            note: None,
        },
    ];
    h.apply(
        &mut p,
        Command::SetDependencies {
            table: customers,
            dependencies: deps.clone(),
        },
    )
    .unwrap();
    assert_eq!(p.table(customers).unwrap().dependencies, deps);
    let stats = TableStats {
        rows: Some(1_000_000),
        avg_row_bytes: Some(120),
        write_heavy: true,
        columns: vec![ColumnStats {
            column: email,
            distinct: Some(1_000_000),
            null_fraction: Some(0.0),
            most_common: None,
        }],
    };
    h.apply(
        &mut p,
        Command::SetTableStats {
            table: customers,
            stats: Some(stats.clone()),
        },
    )
    .unwrap();

    // Invalid input changes nothing.
    let before = p.clone();
    let bad = Command::SetDependencies {
        table: customers,
        dependencies: vec![Dependency {
            lhs: vec![email],
            rhs: vec![],
            multivalued: false,
            note: None,
        }],
    };
    assert!(h.apply(&mut p, bad).is_err());
    let bad_stats = Command::SetTableStats {
        table: customers,
        stats: Some(TableStats {
            columns: vec![ColumnStats {
                column: email,
                distinct: None,
                null_fraction: Some(1.5),
                most_common: None,
            }],
            ..TableStats::default()
        }),
    };
    assert!(h.apply(&mut p, bad_stats).is_err());
    assert_eq!(p, before);

    // Save and load keep both.
    let text = crowfoot::project_file::to_ron_string(&p);
    let back = crowfoot::project_file::from_ron_str(&text, "mem.ron").unwrap();
    assert_eq!(back, p);

    // Removing `name` drops both dependencies (it is on their right side); `email`'s stats stay.
    let cmd = remove_column(&p, customers, name).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert!(p.table(customers).unwrap().dependencies.is_empty());
    assert_eq!(p.table(customers).unwrap().stats.as_ref(), Some(&stats));
    // Removing `email` drops its statistics.
    let cmd = remove_column(&p, customers, email).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert!(
        p.table(customers)
            .unwrap()
            .stats
            .as_ref()
            .unwrap()
            .columns
            .is_empty()
    );
    h.undo(&mut p).unwrap();
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);

    // Pasting the table remaps the column ids in its dependencies and statistics.
    let clip = crowfoot::model::clipboard::copy(&p, &[customers].into_iter().collect());
    let (cmd, new_ids) =
        crowfoot::model::clipboard::paste(&p, &clip, Position { x: 40.0, y: 40.0 }).unwrap();
    h.apply(&mut p, cmd).unwrap();
    let copy = p.table(new_ids[0]).unwrap();
    let col = |n: &str| copy.column_by_name(n).unwrap().id;
    assert_eq!(copy.dependencies[0].lhs, vec![col("email")]);
    assert_eq!(copy.dependencies[0].rhs, vec![col("name")]);
    assert_eq!(copy.dependencies[1].lhs, vec![col("referrer_id")]);
    assert_eq!(copy.stats.as_ref().unwrap().columns[0].column, col("email"));

    while h.can_undo() {
        h.undo(&mut p).unwrap();
    }
    assert_eq!(p, original);
}

/// Review comments: set by an undoable command, validated, dropped with their column, not
/// copied by paste, saved and loaded.
#[test]
fn review_comments_follow_their_columns() {
    let Shop {
        mut p, customers, ..
    } = shop();
    let email = col_id(&p, customers, "email");
    let mut h = History::default();
    let review = vec![
        ReviewComment {
            column: None,
            author: "ana".into(),
            text: "Split names into given/family?".into(),
            resolved: false,
        },
        ReviewComment {
            column: Some(email),
            author: "bo".into(),
            text: "Needs a case-insensitive unique index.".into(),
            resolved: true,
        },
    ];
    h.apply(
        &mut p,
        Command::SetReview {
            table: customers,
            review: review.clone(),
        },
    )
    .unwrap();
    let bad = Command::SetReview {
        table: customers,
        review: vec![ReviewComment {
            column: Some(ColumnId(999_999)),
            author: "x".into(),
            text: "x".into(),
            resolved: false,
        }],
    };
    assert!(h.apply(&mut p, bad).is_err());
    let text = crowfoot::project_file::to_ron_string(&p);
    assert!(text.contains("Needs a case-insensitive unique index."));
    assert_eq!(
        crowfoot::project_file::from_ron_str(&text, "x.ron").unwrap(),
        p
    );
    let cmd = remove_column(&p, customers, email).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert_eq!(p.table(customers).unwrap().review, review[..1]);
    h.undo(&mut p).unwrap();
    assert_eq!(p.table(customers).unwrap().review, review);
    let clip = crowfoot::model::clipboard::copy(&p, &[customers].into_iter().collect());
    let (cmd, ids) =
        crowfoot::model::clipboard::paste(&p, &clip, Position { x: 0.0, y: 0.0 }).unwrap();
    cmd.apply(&mut p).unwrap();
    assert!(p.table(ids[0]).unwrap().review.is_empty());
}
