//! SQLite rules. Declared types keep the logical intent while choosing the right affinity
//! (e.g. uuid → CHAR(36) has TEXT affinity; `INTERVAL` would get INTEGER affinity).

use super::ddl::{Cx, index_parts};
use super::dialect::{DialectRules, NameScope, TypeUse, util};
use super::dialect_expr::ExprRules;
use super::dialect_import::ImportRules;
use super::dialect_migrate::{MigrationRules, ScriptFrame};
use super::diff::TableDiff;
use super::import::split::SplitOptions;
use crate::model::*;
use std::collections::BTreeSet;

pub struct Sqlite;

impl DialectRules for Sqlite {
    fn index_namespace(&self) -> NameScope {
        NameScope::Database
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn quotes(&self) -> (char, char) {
        ('"', '"')
    }

    /// SQLite has no schemas (attached databases are something else): names are unqualified.
    fn qualified(&self, _schema: Option<&str>, name: &str) -> String {
        self.ident(name)
    }

    fn preamble(&self) -> Vec<String> {
        vec!["PRAGMA foreign_keys = ON".into()]
    }

    fn create_schema(&self, schema: &str, cx: &mut Cx) -> Option<String> {
        cx.warn(
            schema,
            "SQLite has no schemas; objects of this schema are created unqualified",
        );
        None
    }

    fn enum_as_check(&self) -> bool {
        true
    }

    fn map_type(&self, ty: &LogicalType, usage: TypeUse, cx: &mut Cx) -> String {
        use LogicalType as L;
        match ty {
            L::TinyInt => "TINYINT".into(),
            L::SmallInt => "SMALLINT".into(),
            L::Integer => "INTEGER".into(),
            L::BigInt => "BIGINT".into(),
            L::Decimal(Some(p), Some(s)) => format!("NUMERIC({p},{s})"),
            L::Decimal(Some(p), None) => format!("NUMERIC({p})"),
            L::Decimal(None, _) => "NUMERIC".into(),
            L::Real => "REAL".into(),
            L::Double => "DOUBLE".into(),
            L::Boolean => "BOOLEAN".into(),
            L::Text | L::Varchar(None) => "TEXT".into(),
            L::Varchar(Some(n)) => format!("VARCHAR({n})"),
            L::Char(n) => format!("CHAR({n})"),
            L::Bytes => "BLOB".into(),
            L::Date => "DATE".into(),
            L::Time => "TIME".into(),
            L::Timestamp => "TIMESTAMP".into(),
            L::TimestampTz => "TIMESTAMPTZ".into(),
            L::Interval => "TEXT".into(),
            L::Uuid => "CHAR(36)".into(),
            L::Json => "TEXT".into(),
            L::Enum(_) => "TEXT".into(),
            L::Array(_) => {
                cx.warn(
                    usage.object,
                    "SQLite has no array type; stored as JSON text",
                );
                "TEXT".into()
            }
            L::Native(s) => s.clone(),
        }
    }

    fn column_type(&self, t: &Table, c: &Column, usage: TypeUse, cx: &mut Cx) -> String {
        if c.identity.is_some() && self.identity_is_primary_key(t, c) {
            // Only a column declared exactly INTEGER becomes the rowid alias.
            "INTEGER".into()
        } else {
            self.map_type(&c.ty, usage, cx)
        }
    }

    fn identity_is_primary_key(&self, t: &Table, c: &Column) -> bool {
        c.ty.is_integer()
            && c.generated.is_none()
            && t.primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns == [c.id])
    }

    fn identity_clause(&self, t: &Table, c: &Column, cx: &mut Cx) -> Option<String> {
        if self.identity_is_primary_key(t, c) {
            Some("PRIMARY KEY AUTOINCREMENT".into())
        } else {
            cx.warn(
                &format!("{}.{}", t.name, c.name),
                "SQLite auto-increments only a single-column INTEGER PRIMARY KEY; identity dropped",
            );
            None
        }
    }

    fn generated_column(&self, _obj: &str, ty: &str, g: &Generated, _cx: &mut Cx) -> String {
        format!(
            "{ty} GENERATED ALWAYS AS ({}) {}",
            g.expr.trim(),
            if g.stored { "STORED" } else { "VIRTUAL" }
        )
    }

    fn default_expr(&self, expr: &str, _c: &Column, _cx: &mut Cx) -> String {
        if util::is_now(expr) {
            "CURRENT_TIMESTAMP".into()
        } else if util::is_simple_literal(expr) {
            expr.trim().to_string()
        } else {
            util::paren(expr)
        }
    }

    fn comments_as_sql_comments(&self) -> bool {
        true
    }

    fn create_index(&self, t: &Table, ix: &Index, cx: &mut Cx) -> Result<String, String> {
        let obj = format!("{}.{}", t.name, ix.name);
        let mut parts = index_parts(self, t, &ix.parts, |e| format!("({})", e.trim()));
        if let Some(m) = &ix.method
            && *m != IndexMethod::BTree
        {
            cx.warn(
                &obj,
                format!("SQLite has only b-tree indexes; `{}` ignored", m.sql_name()),
            );
        }
        if !ix.include.is_empty() {
            if ix.unique {
                cx.warn(
                    &obj,
                    "SQLite has no INCLUDE columns; unique index created without them",
                );
            } else {
                cx.warn(
                    &obj,
                    "SQLite has no INCLUDE columns; appended as trailing key columns",
                );
                parts.extend(ix.include.iter().map(|c| self.ident(&t.column_name(*c))));
            }
        }
        let mut s = format!(
            "CREATE {}INDEX {} ON {} ({})",
            if ix.unique { "UNIQUE " } else { "" },
            self.ident(&ix.name),
            self.qualified(t.schema.as_deref(), &t.name),
            parts.join(", ")
        );
        if let Some(w) = &ix.where_clause {
            s.push_str(&format!(" WHERE {}", w.trim()));
        }
        Ok(s)
    }

    fn allows_forward_references(&self) -> bool {
        true
    }
}

impl ExprRules for Sqlite {
    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect {
        &sqlparser::dialect::SQLiteDialect {}
    }
    fn double_quoted_strings(&self) -> bool {
        true
    }
    fn now_as_function_argument(&self) -> bool {
        true
    }
    fn concat_function(&self) -> bool {
        false
    }
    fn greatest_least(&self, greatest: bool) -> Option<&'static str> {
        Some(if greatest { "max" } else { "min" })
    }
    fn json_extract(&self) -> bool {
        true
    }
}

impl ImportRules for Sqlite {
    fn split_options(&self) -> SplitOptions {
        SplitOptions {
            brackets: true,
            ..SplitOptions::default()
        }
    }
    fn rewrite_statement(&self, head: &[String], text: String, notes: &mut Vec<String>) -> String {
        let mut text = text;
        if head.first().is_some_and(|w| w == "CREATE") {
            for (from, to) in [(" SUB_TYPE TEXT", ""), ("AUTO_INCREMENT", "AUTOINCREMENT")] {
                if text.contains(from) {
                    notes.push(format!("`{}` read as `{}`", from.trim(), to));
                    text = text.replace(from, to);
                }
            }
        }
        text
    }
}

impl MigrationRules for Sqlite {
    fn script_frame(&self, _concurrent_indexes: bool) -> ScriptFrame {
        ScriptFrame {
            transaction: true,
            note: None,
            before: vec!["PRAGMA foreign_keys = OFF"],
            check: vec!["PRAGMA foreign_key_check"],
            after: vec!["PRAGMA foreign_keys = ON"],
        }
    }
    fn alters_columns(&self) -> bool {
        false
    }
    fn fks_only_in_create_table(&self) -> bool {
        true
    }
    fn needs_rebuild(
        &self,
        old: &Project,
        new: &Project,
        td: &TableDiff,
        fks: (&BTreeSet<ForeignKeyId>, &BTreeSet<ForeignKeyId>),
        _exact_order: bool,
    ) -> bool {
        super::migrate::rebuild::sqlite_needs_rebuild(old, new, td, fks.0, fks.1)
    }
    fn rebuild_reason(&self) -> &'static str {
        "SQLite cannot ALTER this change"
    }
    fn drop_index(&self, _t: &Table, _table: &str, name: &str) -> String {
        format!("DROP INDEX {}", self.ident(name))
    }
    fn rename_table(&self, o: &Table, n: &Table, quoted: (&str, &str)) -> Vec<String> {
        (o.name != n.name)
            .then(|| format!("ALTER TABLE {} RENAME TO {}", quoted.0, self.ident(&n.name)))
            .into_iter()
            .collect()
    }
}
