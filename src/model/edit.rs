//! Edits the studio builds from gestures, as model logic: a free name (`table_1`,
//! `column_2`…), a new table at a point, a new column, and what a drag from a column onto
//! another table means (`plan_link`). Each returns the `Command` to apply and leaves the
//! project alone; the studio only applies it or turns a question into a confirmation.

use super::clipboard::singular;
use super::*;

/// `{base}_1`, `{base}_2`…: the first name `taken` says is free.
pub fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|i| format!("{base}_{i}"))
        .find(|n| !taken(n))
        .expect("some name is free")
}

/// A new table `table_N` (the first free N) at `at` (rounded), with a `BIGINT` identity
/// primary key `id`. Returns the command and the new table's id.
pub fn new_table_at(p: &Project, at: Position) -> (Command, TableId) {
    let name = free_name("table", |n| p.tables().any(|t| t.name == n));
    let id = TableId(p.alloc_id());
    let mut t = Table::new(id, name);
    let col = Column {
        nullable: false,
        identity: Some(Identity::ByDefault),
        ..Column::new(ColumnId(p.alloc_id()), "id", LogicalType::BigInt)
    };
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec![col.id],
    });
    t.columns.push(col);
    t.position = Position {
        x: at.x.round(),
        y: at.y.round(),
    };
    (Command::AddTable(Box::new(t)), id)
}

/// A new `VARCHAR(255)` column `column_N` (the first free N) at the end of `table`. Returns the
/// command and the new column's id; `None` when the table does not exist.
pub fn new_column(p: &Project, table: TableId) -> Option<(Command, ColumnId)> {
    let t = p.table(table)?;
    let name = free_name("column", |n| t.column_by_name(n).is_some());
    let id = ColumnId(p.alloc_id());
    let column = Column::new(id, name, LogicalType::Varchar(Some(255)));
    Some((
        Command::AddColumn {
            table,
            index: t.columns.len(),
            column: Box::new(column),
        },
        id,
    ))
}

/// The name of a new sequence owned by `column` of `table`: `{table}_{column}_seq`, or with
/// 2, 3… appended while a sequence or table of the table's schema has it.
pub fn owned_sequence_name(p: &Project, table: &Table, column: &Column) -> String {
    let base = format!("{}_{}_seq", table.name, column.name);
    let schema = table.schema.as_deref();
    let taken =
        |n: &str| p.sequence_by_name(schema, n).is_some() || p.table_by_name(schema, n).is_some();
    let mut name = base.clone();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base}{n}");
    }
    name
}

/// What a drag from a column onto another table (or one of its rows) asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkPlan {
    /// The types match: create the foreign key.
    Create(Command),
    /// The referencing column's type differs from the key's: ask whether to change it to the
    /// key's type (`command` does both).
    RetypeAndLink { message: String, command: Command },
    /// Dragged from a table's single-column primary key onto another table's header: ask
    /// whether to add a referencing column there (`command` adds it and the foreign key).
    CreateColumnAndLink { message: String, command: Command },
    /// Nothing can be linked; why.
    Refused(String),
}

fn foreign_key(
    p: &Project,
    from_table: TableId,
    from_columns: Vec<ColumnId>,
    to_table: TableId,
    to_columns: Vec<ColumnId>,
) -> ForeignKey {
    ForeignKey {
        id: ForeignKeyId(p.alloc_id()),
        name: None,
        from_table,
        from_columns,
        to_table,
        to_columns,
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
    }
}

/// What dragging `column` of table `from` onto table `to` means: dropped on a row
/// (`to_column`) that is a single-column key, a foreign key to it; otherwise to `to`'s
/// single-column primary key. From `from`'s own single-column primary key onto `to`'s header,
/// `to` gets a new column `{singular(from)}_{key}` referencing it (unless it has one so named).
pub fn plan_link(
    p: &Project,
    from: TableId,
    column: ColumnId,
    to: TableId,
    to_column: Option<ColumnId>,
) -> LinkPlan {
    let (Some(child), Some(parent)) = (p.table(from), p.table(to)) else {
        return LinkPlan::Refused("The table no longer exists".into());
    };
    if to_column.is_none()
        && from != to
        && child
            .primary_key
            .as_ref()
            .is_some_and(|k| k.columns == [column])
        && let Some(key) = child.column(column)
    {
        let name = format!("{}_{}", singular(&child.name), key.name);
        if parent.column_by_name(&name).is_none() {
            let mut col = Column::new(ColumnId(p.alloc_id()), name.clone(), key.ty.clone());
            col.type_overrides = key.type_overrides.clone();
            let message = format!(
                "Add column {}.{} ({}) referencing {} ({})?",
                parent.name,
                name,
                key.ty.describe(),
                child.name,
                key.name
            );
            let fk = foreign_key(p, to, vec![col.id], from, vec![column]);
            return LinkPlan::CreateColumnAndLink {
                message,
                command: Command::Batch(vec![
                    Command::AddColumn {
                        table: to,
                        index: parent.columns.len(),
                        column: Box::new(col),
                    },
                    Command::AddForeignKey(Box::new(fk)),
                ]),
            };
        }
    }
    // Target: the row dropped on when it is a single-column key, else the primary key.
    let key: Vec<ColumnId> = match to_column {
        Some(c)
            if parent
                .primary_key
                .as_ref()
                .is_some_and(|k| k.columns == [c])
                || parent.uniques.iter().any(|u| u.columns == [c]) =>
        {
            vec![c]
        }
        _ => parent
            .primary_key
            .as_ref()
            .map(|k| k.columns.clone())
            .unwrap_or_default(),
    };
    if key.len() != 1 {
        return LinkPlan::Refused(format!(
            "{} needs a single-column primary key (or drop on a unique column) to link to",
            parent.qualified_name()
        ));
    }
    let (Some(src), Some(dst)) = (child.column(column), parent.column(key[0])) else {
        return LinkPlan::Refused("The column no longer exists".into());
    };
    let fk = Command::AddForeignKey(Box::new(foreign_key(
        p,
        from,
        vec![column],
        to,
        key.clone(),
    )));
    if src.ty == dst.ty {
        return LinkPlan::Create(Command::Batch(vec![fk]));
    }
    let mut retyped = src.clone();
    retyped.ty = dst.ty.clone();
    retyped.identity = None;
    LinkPlan::RetypeAndLink {
        message: format!(
            "{}.{} is {} but {}.{} is {}. Change {} to {} and create the foreign key?",
            child.name,
            src.name,
            src.ty.describe(),
            parent.name,
            dst.name,
            dst.ty.describe(),
            src.name,
            dst.ty.describe()
        ),
        command: Command::Batch(vec![
            Command::UpdateColumn {
                table: from,
                column: Box::new(retyped),
            },
            fk,
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(p: &mut Project, name: &str, cols: &[(&str, LogicalType)], pk: &[usize]) -> TableId {
        let id = TableId(p.alloc_id());
        let mut t = Table::new(id, name);
        for (n, ty) in cols {
            t.columns
                .push(Column::new(ColumnId(p.alloc_id()), *n, ty.clone()));
        }
        if !pk.is_empty() {
            t.primary_key = Some(PrimaryKey {
                name: None,
                columns: pk.iter().map(|i| t.columns[*i].id).collect(),
            });
        }
        Command::AddTable(Box::new(t)).apply(p).unwrap();
        id
    }

    fn col(p: &Project, t: TableId, name: &str) -> ColumnId {
        p.table(t).unwrap().column_by_name(name).unwrap().id
    }

    fn apply(p: &mut Project, c: Command) {
        c.apply(p).unwrap();
    }

    #[test]
    fn free_names_count_from_one_past_taken_ones() {
        assert_eq!(free_name("table", |_| false), "table_1");
        assert_eq!(
            free_name("column", |n| n == "column_1" || n == "column_2"),
            "column_3"
        );
        // Only exact names are taken: spaces, quotes and emoji are other names.
        let taken = ["table 1", "\"table_1\"", "table_1 🦀", "TABLE_1"];
        assert_eq!(free_name("table", |n| taken.contains(&n)), "table_1");
    }

    #[test]
    fn a_new_table_takes_the_first_free_name_and_a_rounded_position() {
        let mut p = Project::new("t");
        table(&mut p, "table_1", &[("id", LogicalType::Integer)], &[0]);
        table(&mut p, "table 2", &[], &[]);
        table(&mut p, "🦀 table_2", &[], &[]);
        let (cmd, id) = new_table_at(&p, Position { x: 10.4, y: -3.6 });
        apply(&mut p, cmd);
        let t = p.table(id).unwrap();
        assert_eq!(t.name, "table_2");
        assert_eq!((t.position.x, t.position.y), (10.0, -4.0));
        assert_eq!(t.columns.len(), 1);
        let c = &t.columns[0];
        assert_eq!(
            (c.name.as_str(), &c.ty, c.nullable),
            ("id", &LogicalType::BigInt, false)
        );
        assert_eq!(c.identity, Some(Identity::ByDefault));
        assert_eq!(t.primary_key.as_ref().unwrap().columns, [c.id]);
        // The next one goes on counting.
        let (cmd, id) = new_table_at(&p, Position { x: 0.0, y: 0.0 });
        apply(&mut p, cmd);
        assert_eq!(p.table(id).unwrap().name, "table_3");
    }

    #[test]
    fn a_new_column_is_appended_with_the_first_free_name() {
        let mut p = Project::new("t");
        let t = table(
            &mut p,
            "my \"odd\" table 🦀",
            &[
                ("column_1", LogicalType::Integer),
                ("column 2", LogicalType::Text),
                ("\"column_2\"", LogicalType::Text),
            ],
            &[],
        );
        let (cmd, id) = new_column(&p, t).unwrap();
        apply(&mut p, cmd);
        let tb = p.table(t).unwrap();
        assert_eq!(tb.columns.len(), 4);
        let c = tb.columns.last().unwrap();
        assert_eq!(c.id, id);
        assert_eq!(c.name, "column_2");
        assert_eq!(c.ty, LogicalType::Varchar(Some(255)));
        assert!(new_column(&p, TableId(999_999)).is_none());
    }

    #[test]
    fn an_owned_sequence_name_avoids_sequences_and_tables() {
        let mut p = Project::new("t");
        let t = table(&mut p, "order items", &[("id", LogicalType::BigInt)], &[0]);
        let tb = p.table(t).unwrap().clone();
        let c = tb.columns[0].clone();
        assert_eq!(owned_sequence_name(&p, &tb, &c), "order items_id_seq");
        table(&mut p, "order items_id_seq", &[], &[]);
        assert_eq!(owned_sequence_name(&p, &tb, &c), "order items_id_seq2");
        let q = Sequence::new(SequenceId(p.alloc_id()), "order items_id_seq2");
        apply(&mut p, Command::PutSequence(Box::new(q)));
        assert_eq!(owned_sequence_name(&p, &tb, &c), "order items_id_seq3");
    }

    /// `customers (id INTEGER PK)`, `orders (id BIGINT PK, customer_id INTEGER, note TEXT)`.
    fn shop() -> (Project, TableId, TableId) {
        let mut p = Project::new("shop");
        let customers = table(&mut p, "customers", &[("id", LogicalType::Integer)], &[0]);
        let orders = table(
            &mut p,
            "orders",
            &[
                ("id", LogicalType::BigInt),
                ("customer_id", LogicalType::Integer),
                ("note", LogicalType::Text),
            ],
            &[0],
        );
        (p, customers, orders)
    }

    #[test]
    fn a_link_between_equal_types_creates_the_foreign_key() {
        let (mut p, customers, orders) = shop();
        let from = col(&p, orders, "customer_id");
        let LinkPlan::Create(cmd) = plan_link(&p, orders, from, customers, None) else {
            panic!("a plain link");
        };
        apply(&mut p, cmd);
        let fks = p.foreign_keys_from(orders);
        assert_eq!(fks.len(), 1);
        assert_eq!(fks[0].from_columns, [from]);
        assert_eq!(fks[0].to_columns, [col(&p, customers, "id")]);
        assert_eq!(fks[0].on_delete, FkAction::NoAction);
        // Names with spaces, quotes and emoji are names like any other.
        let t = table(
            &mut p,
            "order \"lines\" 📦",
            &[("customer id 🙂", LogicalType::Integer)],
            &[],
        );
        let from = col(&p, t, "customer id 🙂");
        let LinkPlan::Create(cmd) = plan_link(&p, t, from, customers, None) else {
            panic!("a plain link");
        };
        apply(&mut p, cmd);
        assert_eq!(p.foreign_keys_from(t)[0].from_columns, [from]);
    }

    #[test]
    fn a_link_between_different_types_asks_to_retype() {
        let (mut p, _, orders) = shop();
        let t = table(
            &mut p,
            "line \"items\" 🧾",
            &[
                ("id", LogicalType::Integer),
                ("order ref", LogicalType::Text),
            ],
            &[0],
        );
        let from = col(&p, t, "order ref");
        let plan = plan_link(&p, t, from, orders, None);
        let LinkPlan::RetypeAndLink { message, command } = plan else {
            panic!("a retype: {plan:?}");
        };
        assert_eq!(
            message,
            "line \"items\" 🧾.order ref is text but orders.id is bigint. Change order ref to \
             bigint and create the foreign key?"
        );
        apply(&mut p, command);
        assert_eq!(
            p.table(t).unwrap().column(from).unwrap().ty,
            LogicalType::BigInt
        );
        assert_eq!(p.foreign_keys_from(t).len(), 1);
    }

    #[test]
    fn a_retyped_column_loses_its_identity() {
        let (mut p, customers, orders) = shop();
        let from = col(&p, orders, "id");
        let mut c = p.table(orders).unwrap().column(from).unwrap().clone();
        c.identity = Some(Identity::ByDefault);
        apply(
            &mut p,
            Command::UpdateColumn {
                table: orders,
                column: Box::new(c),
            },
        );
        // orders.id (bigint) dropped on the customers.id row: a retype.
        let key = col(&p, customers, "id");
        let LinkPlan::RetypeAndLink { command, .. } =
            plan_link(&p, orders, from, customers, Some(key))
        else {
            panic!("a retype");
        };
        apply(&mut p, command);
        let c = p.table(orders).unwrap().column(from).unwrap();
        assert_eq!((c.ty.clone(), c.identity), (LogicalType::Integer, None));
    }

    #[test]
    fn a_primary_key_dropped_on_a_header_asks_for_a_new_column() {
        let (mut p, customers, orders) = shop();
        let t = table(
            &mut p,
            "gift \"cards\" 🎁",
            &[("code", LogicalType::Varchar(Some(20)))],
            &[0],
        );
        let key = col(&p, customers, "id");
        let plan = plan_link(&p, customers, key, t, None);
        let LinkPlan::CreateColumnAndLink { message, command } = plan else {
            panic!("a new column: {plan:?}");
        };
        assert_eq!(
            message,
            "Add column gift \"cards\" 🎁.customer_id (integer) referencing customers (id)?"
        );
        apply(&mut p, command);
        let tb = p.table(t).unwrap();
        let added = tb.columns.last().unwrap();
        assert_eq!(
            (added.name.as_str(), &added.ty),
            ("customer_id", &LogicalType::Integer)
        );
        let fks = p.foreign_keys_from(t);
        assert_eq!(fks.len(), 1);
        assert_eq!(
            (fks[0].from_columns.clone(), fks[0].to_columns.clone()),
            (vec![added.id], vec![key])
        );
        // orders has customer_id already: the drag links to orders' key instead (its type
        // differs, so it asks to retype customers.id).
        assert!(matches!(
            plan_link(&p, customers, key, orders, None),
            LinkPlan::RetypeAndLink { .. }
        ));
    }

    #[test]
    fn the_singular_of_a_spaced_or_quoted_name_prefixes_the_new_column() {
        let mut p = Project::new("t");
        let parents = table(
            &mut p,
            "big \"categories\"",
            &[("id", LogicalType::Uuid)],
            &[0],
        );
        let child = table(&mut p, "🦀 things", &[("id", LogicalType::Integer)], &[0]);
        let key = col(&p, parents, "id");
        let LinkPlan::CreateColumnAndLink { command, .. } =
            plan_link(&p, parents, key, child, None)
        else {
            panic!("a new column");
        };
        apply(&mut p, command);
        let added = p.table(child).unwrap().columns.last().unwrap().clone();
        assert_eq!(added.name, format!("{}_id", singular("big \"categories\"")));
        assert_eq!(added.ty, LogicalType::Uuid);
    }

    #[test]
    fn a_link_is_refused_without_a_single_column_key() {
        let mut p = Project::new("t");
        let a = table(&mut p, "a b", &[("x", LogicalType::Integer)], &[]);
        let b = table(
            &mut p,
            "\"two\" keys ✌",
            &[
                ("k1", LogicalType::Integer),
                ("k2", LogicalType::Integer),
                ("v", LogicalType::Integer),
            ],
            &[0, 1],
        );
        let x = col(&p, a, "x");
        assert_eq!(
            plan_link(&p, a, x, b, None),
            LinkPlan::Refused(
                "\"two\" keys ✌ needs a single-column primary key (or drop on a unique column) \
                 to link to"
                    .into()
            )
        );
        // Dropped on a row that is no key: the primary key is the target, still two columns.
        let v = col(&p, b, "v");
        assert!(matches!(
            plan_link(&p, a, x, b, Some(v)),
            LinkPlan::Refused(_)
        ));
        // A unique column is a target.
        let unique = UniqueConstraint {
            id: ConstraintId(p.alloc_id()),
            name: None,
            columns: vec![v],
        };
        apply(
            &mut p,
            Command::AddUnique {
                table: b,
                unique,
                at: None,
            },
        );
        assert!(matches!(
            plan_link(&p, a, x, b, Some(v)),
            LinkPlan::Create(_)
        ));
        // Tables that are gone.
        assert!(matches!(
            plan_link(&p, a, x, TableId(999_999), None),
            LinkPlan::Refused(_)
        ));
    }

    #[test]
    fn a_link_to_the_dropped_key_row_uses_it() {
        let (mut p, customers, orders) = shop();
        // A drag from orders.customer_id onto the customers.id row.
        let from = col(&p, orders, "customer_id");
        let key = col(&p, customers, "id");
        let LinkPlan::Create(cmd) = plan_link(&p, orders, from, customers, Some(key)) else {
            panic!("a plain link");
        };
        apply(&mut p, cmd);
        assert_eq!(p.foreign_keys_from(orders)[0].to_columns, [key]);
    }
}
