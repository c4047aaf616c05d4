//! `hostile`: a project whose identifiers stress quoting in every dialect. Names contain
//! spaces, single and double quotes, backticks, brackets, non-ASCII letters, mixed case and
//! reserved words; one table name is exactly 63 ASCII characters, one column name exactly 64
//! and one index name exactly 63. The schema also has a self-referencing foreign key, a
//! two-table cycle, a composite foreign key and every referential action except SET DEFAULT.
//!
//! Every name is still valid in PostgreSQL, MariaDB and SQLite (no empty names, no trailing
//! spaces, at most 64 characters, no two names equal ignoring case where a dialect folds case).
//! Expressions (checks, defaults) only use names that need no quoting, because they are emitted
//! verbatim in every dialect.

use super::social::layout;
use crate::model::FkAction::{Cascade, NoAction, Restrict, SetNull};
use crate::model::builder::ProjectBuilder;
use crate::model::{FkAction, LogicalType as T, Project, TableId};

/// A table name of exactly 63 ASCII characters (PostgreSQL's limit).
pub const LONG_TABLE: &str = "table_with_a_name_of_exactly_sixty_three_ascii_characters_xxxxx";
/// A column name of exactly 64 ASCII characters (MySQL's limit; PostgreSQL truncates to 63).
pub const LONG_COLUMN: &str = "column_with_a_name_of_exactly_sixty_four_ascii_characters_yyyyyy";
/// An index name of exactly 63 ASCII characters.
pub const LONG_INDEX: &str = "ix_index_with_a_name_of_exactly_sixty_three_ascii_characters_zz";

/// Reserved words used as table names.
pub const RESERVED_TABLES: [&str; 5] = ["order", "user", "group", "select", "table"];

#[allow(clippy::too_many_arguments)]
fn fk(
    b: &mut ProjectBuilder,
    name: &str,
    from: TableId,
    cols: &[&str],
    to: TableId,
    to_cols: &[&str],
    on_delete: FkAction,
    on_update: FkAction,
) {
    b.fk_with(from, cols, to, to_cols, |f| {
        f.name = Some(name.into());
        f.on_delete = on_delete;
        f.on_update = on_update;
    });
}

pub fn build() -> Project {
    let mut b = ProjectBuilder::new("Hostile \"identifiers\" — it's `quoted`");

    let user = b.table("user", |t| {
        t.table_comment("it's the \"user\" table; `backticks` and [brackets] too");
        t.col("id", T::BigInt).identity().pk();
        t.col("CamelCase", T::Varchar(Some(40))).not_null();
        t.col("it's", T::Varchar(Some(20)))
            .comment("a column named it's");
        t.col("say \"hi\"", T::Varchar(Some(100)))
            .default("'it''s \"quoted\"'")
            .comment("default holds both quote kinds");
        t.col("boss id", T::BigInt)
            .comment("self reference:\nthe user's boss (second line)");
        t.col("favourite order", T::Integer);
        t.col("select", T::Boolean).not_null().default("FALSE");
        t.unique_on(Some("uq_user_it's"), &["it's"]);
    });

    let order = b.table("order", |t| {
        t.table_comment("Reserved word as a table name.");
        t.col("id", T::Integer).pk();
        t.col("user id", T::BigInt).not_null();
        t.col("group", T::Integer);
        t.col("select", T::Varchar(Some(50)));
        t.col("qty", T::Integer).not_null().default("1");
        t.col("placed at", T::TimestampTz)
            .not_null()
            .default("CURRENT_TIMESTAMP");
        t.check(Some("ck \"order\" qty"), "qty > 0");
        t.index("ix_order_select", &["select"]);
        t.index("ix_order_user id_group", &["user id", "group DESC"]);
    });

    let order_line = b.table("order line", |t| {
        t.table_comment("A space in the name; composite primary key.");
        t.col("order", T::Integer).pk();
        t.col("line no", T::SmallInt).pk();
        t.col("price", T::Decimal(Some(10), Some(2)))
            .not_null()
            .default("0");
        t.col("qty", T::Integer).not_null().default("1");
        t.col("note", T::Text);
        t.check(Some("ck_order line_price"), "price >= 0");
        t.check(Some("ck_order line_qty"), "qty > 0");
    });

    let ticktock = b.table("tick`tock", |t| {
        t.col("id", T::Integer).pk();
        t.col("order ref", T::Integer);
        t.col("line ref", T::SmallInt);
        t.col("arr]ay", T::Varchar(Some(30)));
        t.index("ix_tick`tock_ref", &["order ref", "line ref"]);
    });

    let array = b.table("arr]ay", |t| {
        t.col("[id]", T::Integer).pk();
        t.col("a]b", T::Varchar(Some(30))).not_null();
        t.col("x[y", T::Text);
        t.index("ix_arr]ay_a]b", &["a]b"]);
    });

    let its = b.table("it's", |t| {
        t.col("id", T::Integer).pk();
        t.col("it's", T::Varchar(Some(20)));
        t.col("O'Brien", T::Varchar(Some(40))).default("'O''Brien'");
        t.col("done", T::Boolean).not_null().default("FALSE");
    });

    let say_hi = b.table("say \"hi\"", |t| {
        t.col("id", T::Integer).pk();
        t.col("say \"hi\"", T::Varchar(Some(50)));
        t.col("he said \"it's\"", T::Varchar(Some(50)));
        t.col("amount", T::Decimal(Some(12), Some(2)))
            .not_null()
            .default("0");
        t.check(Some("ck_say \"hi\"_amount"), "amount >= 0");
    });

    let table_u = b.table("表", |t| {
        t.table_comment("CJK table name.");
        t.col("列", T::Integer).pk();
        t.col("名前", T::Varchar(Some(50))).not_null().unique();
    });

    let cafe = b.table("café", |t| {
        t.col("id", T::Integer).pk();
        t.col("Größe", T::Varchar(Some(10)));
        t.col("naïve", T::Boolean).not_null().default("FALSE");
        t.col("表 id", T::Integer);
        t.col("opened", T::Date);
        t.index("ix_café_Größe", &["Größe"]);
    });

    let camel = b.table("CamelCase", |t| {
        t.col("Id", T::Integer).pk();
        t.col("MixedCase", T::Varchar(Some(30)));
        t.col("UPPER", T::Integer);
    });

    let mixed = b.table("MixedCase Table", |t| {
        t.col("Key Column", T::Integer).pk();
        t.col("CamelCase Id", T::Integer).not_null();
        t.col("Value", T::Decimal(Some(10), Some(2)));
        t.index("ix_MixedCase Table_CamelCase Id", &["CamelCase Id"]);
    });

    let group = b.table("group", |t| {
        t.col("id", T::Integer).pk();
        t.col("order", T::Integer).not_null();
        t.col("by", T::Varchar(Some(20)));
        t.col("having", T::Boolean).not_null().default("TRUE");
        t.index("ix_group_order", &["order"]);
    });

    let select = b.table("select", |t| {
        t.col("from", T::Integer).pk();
        t.col("where", T::Varchar(Some(20)));
        t.col("distinct", T::Boolean).not_null().default("TRUE");
        t.col("group id", T::Integer).not_null();
        t.unique_on(Some("uq_select_where"), &["where"]);
    });

    let table = b.table("table", |t| {
        t.col("column", T::Integer).pk();
        t.col("index", T::Varchar(Some(20)));
        t.col("primary", T::Boolean).not_null().default("FALSE");
        t.col("key", T::Integer);
        t.col("default", T::Varchar(Some(10))).default("'default'");
        t.col("check", T::Date);
        t.index("ix_table_key_index", &["key", "index"]);
    });

    let long = b.table(LONG_TABLE, |t| {
        t.col("id", T::Integer).pk();
        t.col(LONG_COLUMN, T::Varchar(Some(20))).not_null();
        t.col("user id", T::BigInt);
        t.index(LONG_INDEX, &[LONG_COLUMN]);
    });

    // Self reference and the cycle user <-> order (the user -> order edge is nullable).
    fk(
        &mut b,
        "fk_user_boss id",
        user,
        &["boss id"],
        user,
        &["id"],
        SetNull,
        NoAction,
    );
    fk(
        &mut b,
        "fk_user_favourite \"order\"",
        user,
        &["favourite order"],
        order,
        &["id"],
        SetNull,
        NoAction,
    );
    fk(
        &mut b,
        "fk_order_user's",
        order,
        &["user id"],
        user,
        &["id"],
        Restrict,
        Cascade,
    );
    fk(
        &mut b,
        "fk_order line_order",
        order_line,
        &["order"],
        order,
        &["id"],
        Cascade,
        Restrict,
    );
    // The composite foreign key.
    fk(
        &mut b,
        "fk_tick`tock_order line",
        ticktock,
        &["order ref", "line ref"],
        order_line,
        &["order", "line no"],
        Cascade,
        SetNull,
    );
    fk(
        &mut b,
        "fk_café_表",
        cafe,
        &["表 id"],
        table_u,
        &["列"],
        NoAction,
        NoAction,
    );
    fk(
        &mut b,
        "fk_MixedCase Table_CamelCase",
        mixed,
        &["CamelCase Id"],
        camel,
        &["Id"],
        NoAction,
        Cascade,
    );
    fk(
        &mut b,
        "fk_group_order",
        group,
        &["order"],
        order,
        &["id"],
        NoAction,
        NoAction,
    );
    fk(
        &mut b,
        "fk_select_group",
        select,
        &["group id"],
        group,
        &["id"],
        Restrict,
        Restrict,
    );
    fk(
        &mut b,
        "fk_long_user",
        long,
        &["user id"],
        user,
        &["id"],
        SetNull,
        NoAction,
    );

    let [w, h] = layout::stack(
        &mut b,
        [0.0, 0.0],
        &[
            &[user, its],
            &[order, order_line],
            &[ticktock, array, say_hi],
            &[group, select, long],
            &[table, camel, mixed],
            &[cafe, table_u],
        ],
    );
    b.note(
        "Every name here must survive quoting in PostgreSQL, MySQL/MariaDB, SQLite and \
         SQL Server: it's \"hostile\" on purpose — `ticks`, [brackets], café, 表.",
        0.0,
        h + 40.0,
    );
    b.area(
        "it's \"all\" `reserved`",
        [0xd9, 0x53, 0x4f],
        [-30.0, -60.0],
        [w + 60.0, h + 90.0],
    );

    b.build()
}
