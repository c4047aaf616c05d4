//! Model-aware merge (`crowfoot merge`, `merge::merge`): independent edits merge cleanly by
//! stable id, ids both branches allocated do not collide, true conflicts are reported per
//! object and field and resolved to OURS in a valid file, and the command works as a real git
//! merge driver.

#[path = "support/run.rs"]
mod run;

use crowfoot::merge::merge;
use crowfoot::model::*;

fn base() -> Project {
    crowfoot::samples::shop::build()
}

fn tid(p: &Project, name: &str) -> TableId {
    p.table_by_name(None, name).unwrap().id
}

fn add_table(p: &mut Project, name: &str) -> TableId {
    let id = TableId(p.alloc_id());
    let mut t = Table::new(id, name);
    let c = ColumnId(p.alloc_id());
    t.columns.push(Column::new(c, "id", LogicalType::BigInt));
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec![c],
    });
    Command::AddTable(Box::new(t)).apply(p).unwrap();
    id
}

fn rename(p: &mut Project, table: TableId, name: &str) {
    Command::RenameTable {
        table,
        schema: None,
        name: name.into(),
    }
    .apply(p)
    .unwrap();
}

fn add_column(p: &mut Project, table: TableId, name: &str) {
    let c = Column::new(ColumnId(p.alloc_id()), name, LogicalType::Text);
    let n = p.table(table).unwrap().columns.len();
    Command::AddColumn {
        table,
        index: n,
        column: Box::new(c),
    }
    .apply(p)
    .unwrap();
}

#[test]
fn independent_edits_merge_cleanly_and_new_ids_do_not_collide() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    // Ours: rename customers, add a table. Theirs: add a column to orders, add a table
    // (same fresh ids as ours' table would get: they must not collide).
    let customers = tid(&b, "customers");
    rename(&mut ours, customers, "clients");
    let gift = add_table(&mut ours, "gift_cards");
    let orders = tid(&b, "orders");
    add_column(&mut theirs, orders, "gift_note");
    let wish = add_table(&mut theirs, "wishes");
    // Both branches counted on from BASE's next id: their new ids overlap.
    assert_eq!(gift.0, b.next_id());
    assert!(wish.0 < ours.next_id(), "theirs' ids fall in ours' range");

    let m = merge(&b, &ours, &theirs);
    assert!(m.conflicts.is_empty(), "{:#?}", m.conflicts);
    let p = &m.project;
    assert_eq!(p.table(customers).unwrap().name, "clients");
    assert!(
        p.table(orders)
            .unwrap()
            .column_by_name("gift_note")
            .is_some()
    );
    assert!(p.table_by_name(None, "gift_cards").is_some());
    assert!(p.table_by_name(None, "wishes").is_some());
    assert_eq!(p.table_count(), b.table_count() + 2);
    assert_ne!(
        p.table_by_name(None, "gift_cards").unwrap().id,
        p.table_by_name(None, "wishes").unwrap().id
    );
    // Every id below next_id: new objects on either side stay allocatable.
    assert!(p.next_id() > p.tables().map(|t| t.id.0).max().unwrap());
    assert!(
        crowfoot::analysis::check::check(p, Dialect::Postgres)
            .iter()
            .all(|x| x.code != "CF001")
    );
    // Merging is symmetric in content here.
    let back = merge(&b, &theirs, &ours);
    assert!(back.conflicts.is_empty());
    assert_eq!(back.project.table_count(), p.table_count());
}

#[test]
fn same_field_changed_differently_is_a_conflict_resolved_to_ours() {
    let b = base();
    let orders = tid(&b, "orders");
    let mut ours = b.clone();
    let mut theirs = b.clone();
    let set_comment = |p: &mut Project, c: &str| {
        Command::SetTableComment {
            table: orders,
            comment: Some(c.into()),
        }
        .apply(p)
        .unwrap();
    };
    set_comment(&mut ours, "Orders placed by customers.");
    set_comment(&mut theirs, "One row per checkout.");
    // A non-conflicting edit on the same table, other field.
    let mut t = theirs.table(orders).unwrap().clone();
    t.position.x += 500.0;
    Command::ReplaceTable(Box::new(t))
        .apply(&mut theirs)
        .unwrap();
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.conflicts.len(), 1, "{:#?}", m.conflicts);
    let c = &m.conflicts[0];
    assert_eq!(c.path, format!("project.tables[id={}].comment", orders.0));
    let t = m.project.table(orders).unwrap();
    assert_eq!(t.comment.as_deref(), Some("Orders placed by customers."));
    assert_eq!(t.position.x, b.table(orders).unwrap().position.x + 500.0);
}

#[test]
fn delete_versus_edit_is_a_conflict() {
    let b = base();
    let reviews = tid(&b, "reviews");
    let mut ours = b.clone();
    let cmd = crowfoot::model::command::remove_table(&ours, reviews);
    cmd.apply(&mut ours).unwrap();
    let mut theirs = b.clone();
    add_column(&mut theirs, reviews, "helpful_votes");
    let m = merge(&b, &ours, &theirs);
    assert!(
        m.conflicts
            .iter()
            .any(|c| c.path == format!("project.tables[id={}]", reviews.0)),
        "{:#?}",
        m.conflicts
    );
    assert!(
        m.project.table(reviews).is_none(),
        "resolved to ours (deleted)"
    );
}

/// `crowfoot merge` as git's merge driver: two branches edit the same project file; git calls
/// the driver; the result loads and has both edits.
#[test]
fn works_as_a_git_merge_driver() {
    let exe = env!("CARGO_BIN_EXE_crowfoot");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let git = |args: &[&str]| {
        let out = run::git(d, args);
        (out.status.success(), run::text(&out.stderr))
    };
    assert!(git(&["init", "-q", "-b", "main"]).0);
    assert!(
        git(&[
            "config",
            "merge.crowfoot.driver",
            &format!("{exe} merge %O %A %B -o %A --no-backup")
        ])
        .0
    );
    std::fs::write(d.join(".gitattributes"), "*.ron merge=crowfoot\n").unwrap();
    let path = d.join("shop.ron");
    let b = base();
    crowfoot::project_file::save(&b, &path).unwrap();
    let _ = std::fs::remove_file(crowfoot::project_file::backup_path(&path));
    assert!(git(&["add", "."]).0);
    assert!(git(&["commit", "-qm", "base"]).0);
    assert!(git(&["checkout", "-qb", "feature"]).0);
    let mut theirs = b.clone();
    add_table(&mut theirs, "wishes");
    crowfoot::project_file::save(&theirs, &path).unwrap();
    let _ = std::fs::remove_file(crowfoot::project_file::backup_path(&path));
    assert!(git(&["commit", "-qam", "wishes"]).0);
    assert!(git(&["checkout", "-q", "main"]).0);
    let mut ours = b.clone();
    add_table(&mut ours, "gift_cards");
    crowfoot::project_file::save(&ours, &path).unwrap();
    let _ = std::fs::remove_file(crowfoot::project_file::backup_path(&path));
    assert!(git(&["commit", "-qam", "gift cards"]).0);
    let (ok, err) = git(&["merge", "-q", "--no-edit", "feature"]);
    assert!(ok, "git merge: {err}");
    let merged = crowfoot::project_file::load(&path).unwrap();
    assert!(merged.table_by_name(None, "wishes").is_some());
    assert!(merged.table_by_name(None, "gift_cards").is_some());
    assert_eq!(merged.table_count(), b.table_count() + 2);
    // The driver leaves nothing behind in the work tree (--no-backup).
    let status = run::git(d, &["status", "--porcelain", "--untracked-files=all"]);
    let listed = run::text(&status.stdout);
    assert!(
        status.status.success() && listed.trim().is_empty(),
        "{listed}"
    );
}

/// Issue 13, item 2: OURS deletes a table; THEIRS adds a foreign key to it and renames an
/// unrelated table. Only the key that cannot stand goes, listed; the rename is merged.
#[test]
fn an_invalid_combination_loses_only_what_cannot_stand_and_lists_it() {
    let b = base();
    let reviews = tid(&b, "reviews");
    let customers = tid(&b, "customers");
    let orders = tid(&b, "orders");
    let mut ours = b.clone();
    crowfoot::model::command::remove_table(&ours, reviews)
        .apply(&mut ours)
        .unwrap();
    let mut theirs = b.clone();
    let rt = theirs.table(reviews).unwrap().clone();
    let ot = theirs.table(orders).unwrap().clone();
    let fk = ForeignKey {
        id: ForeignKeyId(theirs.alloc_id()),
        name: Some("fk_orders_review".into()),
        from_table: orders,
        from_columns: vec![ot.columns[0].id],
        to_table: reviews,
        to_columns: vec![rt.primary_key.as_ref().unwrap().columns[0]],
        on_delete: FkAction::default(),
        on_update: FkAction::default(),
        deferrable: Deferrable::default(),
    };
    Command::AddForeignKey(Box::new(fk))
        .apply(&mut theirs)
        .unwrap();
    rename(&mut theirs, customers, "clients");

    let m = merge(&b, &ours, &theirs);
    let p = &m.project;
    assert_eq!(
        p.table(customers).unwrap().name,
        "clients",
        "theirs' rename is merged"
    );
    assert!(p.table(reviews).is_none(), "ours' delete is merged");
    assert!(
        m.conflicts
            .iter()
            .any(|c| c.path.starts_with("project.foreign_keys[id=")
                && c.resolution.contains("dropped")),
        "the dropped key is listed: {:#?}",
        m.conflicts
    );
    assert_eq!(m.conflicts.len(), 1, "{:#?}", m.conflicts);
}

/// Issue 13, item 2: OURS renames a table THEIRS deleted. The conflict keeps the table (ours),
/// and the foreign keys THEIRS removed with it come back instead of vanishing unlisted.
#[test]
fn keys_removed_with_a_table_the_merge_kept_come_back() {
    let b = base();
    let customers = tid(&b, "customers");
    let fks_before = b.foreign_key_count();
    let touching = b.foreign_keys_to(customers).len() + b.foreign_keys_from(customers).len();
    assert!(touching > 0);
    let mut ours = b.clone();
    rename(&mut ours, customers, "clients");
    let mut theirs = b.clone();
    crowfoot::model::command::remove_table(&theirs, customers)
        .apply(&mut theirs)
        .unwrap();
    let m = merge(&b, &ours, &theirs);
    assert_eq!(m.project.table(customers).unwrap().name, "clients");
    assert_eq!(
        m.project.foreign_key_count(),
        fks_before,
        "{:#?}",
        m.conflicts
    );
    // The table conflict, and each key that came back, are listed.
    assert!(
        m.conflicts
            .iter()
            .any(|c| c.path == format!("project.tables[id={}]", customers.0))
    );
    assert_eq!(
        m.conflicts
            .iter()
            .filter(|c| c.path.starts_with("project.foreign_keys"))
            .count(),
        touching,
        "{:#?}",
        m.conflicts
    );
}

/// Issue 13, item 3: `merge -o X` keeps the previous X as X.bak and never deletes a .bak.
#[test]
fn merge_output_keeps_a_backup_of_what_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = base();
    let mut theirs = b.clone();
    add_table(&mut theirs, "wishes");
    for (name, p) in [("base.ron", &b), ("ours.ron", &b), ("theirs.ron", &theirs)] {
        crowfoot::project_file::save(p, &d.join(name)).unwrap();
    }
    std::fs::write(d.join("out.ron"), "previous out").unwrap();
    std::fs::write(d.join("out.ron.bak"), "the user's backup").unwrap();
    let out = run::crowfoot(
        &[
            "merge",
            "base.ron",
            "ours.ron",
            "theirs.ron",
            "-o",
            "out.ron",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(0), "{}", run::text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(d.join("out.ron.bak")).unwrap(),
        "previous out"
    );
    let merged = crowfoot::project_file::load(&d.join("out.ron")).unwrap();
    assert!(merged.table_by_name(None, "wishes").is_some());
    // The output may not be BASE or THEIRS.
    let out = run::crowfoot(
        &[
            "merge",
            "base.ron",
            "ours.ron",
            "theirs.ron",
            "-o",
            "theirs.ron",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(run::text(&out.stderr).contains("the output is the input"));
}
