//! MySQL 8 / MariaDB 10.6+ rules. Output must run on both, so only their common ground is used
//! (no functional indexes, no UUID type).

use super::ddl::{Cx, has_expr_parts, index_parts};
use super::dialect::{DialectRules, TypeUse, util};
use crate::model::*;

pub struct MySql;

fn is_fractional_time(c: &Column) -> bool {
    matches!(
        c.ty,
        LogicalType::Timestamp | LogicalType::TimestampTz | LogicalType::Time
    ) && !c.type_overrides.contains_key(&Dialect::MySql)
}

/// Types that MySQL only lets have an expression default, written in parentheses.
fn is_blob_like(c: &Column) -> bool {
    matches!(
        c.ty,
        LogicalType::Text
            | LogicalType::Varchar(None)
            | LogicalType::Bytes
            | LogicalType::Json
            | LogicalType::Array(_)
    )
}

impl DialectRules for MySql {
    fn extra_statement(&self, sql: &str) -> String {
        if sql.contains(';') {
            format!("DELIMITER ;;\n{sql};;\nDELIMITER ;")
        } else {
            format!("{sql};")
        }
    }

    fn dialect(&self) -> Dialect {
        Dialect::MySql
    }

    fn quotes(&self) -> (char, char) {
        ('`', '`')
    }

    fn string_literal(&self, s: &str) -> String {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
    }

    fn create_schema(&self, schema: &str, _cx: &mut Cx) -> Option<String> {
        Some(format!(
            "CREATE DATABASE IF NOT EXISTS {}",
            self.ident(schema)
        ))
    }

    fn map_type(&self, ty: &LogicalType, usage: TypeUse, cx: &mut Cx) -> String {
        use LogicalType as L;
        match ty {
            L::TinyInt => "tinyint".into(),
            L::SmallInt => "smallint".into(),
            L::Integer => "int".into(),
            L::BigInt => "bigint".into(),
            L::Decimal(Some(p), Some(s)) => format!("decimal({p},{s})"),
            L::Decimal(Some(p), None) => format!("decimal({p})"),
            L::Decimal(None, _) => {
                cx.warn(
                    usage.object,
                    "unconstrained numeric has no MySQL equivalent; using decimal(65,30)",
                );
                "decimal(65,30)".into()
            }
            L::Real => "float".into(),
            L::Double => "double".into(),
            L::Boolean => "boolean".into(),
            L::Text | L::Varchar(None) => {
                if usage.keyed {
                    cx.warn(
                        usage.object,
                        "MySQL cannot index TEXT without a prefix length; using varchar(255) for this key column",
                    );
                    "varchar(255)".into()
                } else {
                    "text".into()
                }
            }
            L::Varchar(Some(n)) => format!("varchar({n})"),
            L::Char(n) => format!("char({n})"),
            L::Bytes => {
                if usage.keyed {
                    cx.warn(
                        usage.object,
                        "MySQL cannot index BLOB without a prefix length; using varbinary(255) for this key column",
                    );
                    "varbinary(255)".into()
                } else {
                    "longblob".into()
                }
            }
            L::Date => "date".into(),
            L::Time => "time(6)".into(),
            L::Timestamp => "datetime(6)".into(),
            L::TimestampTz => {
                cx.warn(
                    usage.object,
                    "MySQL has no time-zone-aware timestamp; using datetime(6) (store UTC)",
                );
                "datetime(6)".into()
            }
            L::Interval => {
                cx.warn(
                    usage.object,
                    "MySQL has no interval type; using varchar(64) (ISO 8601 durations)",
                );
                "varchar(64)".into()
            }
            L::Uuid => "char(36)".into(),
            L::Json => "json".into(),
            L::Enum(id) => match cx.project.enum_type(*id) {
                Some(e) => format!(
                    "enum({})",
                    e.values
                        .iter()
                        .map(|v| self.string_literal(v))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                None => {
                    cx.warn(usage.object, "enum type does not exist; using text");
                    "text".into()
                }
            },
            L::Array(_) => {
                cx.warn(usage.object, "MySQL has no array type; using json");
                "json".into()
            }
            L::Native(s) => s.clone(),
        }
    }

    fn identity_clause(&self, t: &Table, c: &Column, cx: &mut Cx) -> Option<String> {
        let obj = format!("{}.{}", t.name, c.name);
        if !c.ty.is_integer() && !c.type_overrides.contains_key(&Dialect::MySql) {
            cx.warn(
                &obj,
                "AUTO_INCREMENT needs an integer column; identity dropped",
            );
            return None;
        }
        let leads_key = t
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.first() == Some(&c.id))
            || t.uniques.iter().any(|u| u.columns.first() == Some(&c.id))
            || t.indexes
                .iter()
                .any(|i| i.parts.first().map(|p| &p.target) == Some(&IndexTarget::Column(c.id)));
        if !leads_key {
            cx.warn(
                &obj,
                "MySQL needs an AUTO_INCREMENT column to lead a key; identity dropped",
            );
            return None;
        }
        if c.identity == Some(Identity::Always) {
            cx.warn(
                &obj,
                "MySQL has no GENERATED ALWAYS identity; AUTO_INCREMENT accepts explicit values",
            );
        }
        Some("AUTO_INCREMENT".into())
    }

    fn generated_column(&self, _obj: &str, ty: &str, g: &Generated, _cx: &mut Cx) -> String {
        format!(
            "{ty} GENERATED ALWAYS AS ({}) {}",
            g.expr.trim(),
            if g.stored { "STORED" } else { "VIRTUAL" }
        )
    }

    fn default_expr(&self, expr: &str, c: &Column, _cx: &mut Cx) -> String {
        if util::is_now(expr) {
            return if is_fractional_time(c) {
                "CURRENT_TIMESTAMP(6)".into()
            } else {
                "CURRENT_TIMESTAMP".into()
            };
        }
        if util::is_simple_literal(expr) && !is_blob_like(c) {
            expr.trim().to_string()
        } else {
            util::paren(expr)
        }
    }

    fn inline_column_comment(&self, comment: &str) -> Option<String> {
        Some(format!("COMMENT {}", self.string_literal(comment)))
    }

    fn table_options(&self, t: &Table) -> String {
        let mut s = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4".to_string();
        if let Some(c) = &t.comment {
            s.push_str(&format!(" COMMENT={}", self.string_literal(c)));
        }
        s
    }

    fn create_index(&self, t: &Table, ix: &Index, cx: &mut Cx) -> Result<String, String> {
        let obj = format!("{}.{}", t.name, ix.name);
        let tname = self.qualified(t.schema.as_deref(), &t.name);
        let mut parts = index_parts(self, t, ix, |e| format!("({})", e.trim()));
        let draft = || {
            format!(
                "CREATE INDEX {} ON {tname} ({})",
                self.ident(&ix.name),
                parts.join(", ")
            )
        };
        if has_expr_parts(ix) {
            cx.warn(
                &obj,
                "MariaDB has no expression indexes (MySQL 8 has); index not created, kept as a comment",
            );
            return Err(draft());
        }
        if ix.where_clause.is_some() {
            if ix.unique {
                cx.warn(
                    &obj,
                    "MySQL has no partial indexes; a unique index without its WHERE would reject valid rows, so it is not created (kept as a comment)",
                );
                return Err(format!(
                    "{} WHERE {}",
                    draft(),
                    ix.where_clause.as_deref().unwrap_or("")
                ));
            }
            cx.warn(
                &obj,
                "MySQL has no partial indexes; created without its WHERE clause",
            );
        }
        if !ix.include.is_empty() {
            if ix.unique {
                cx.warn(
                    &obj,
                    "MySQL has no INCLUDE columns; unique index created without them",
                );
            } else {
                cx.warn(
                    &obj,
                    "MySQL has no INCLUDE columns; appended as trailing key columns",
                );
                parts.extend(ix.include.iter().map(|c| self.ident(&t.column_name(*c))));
            }
        }
        let kind = match &ix.method {
            Some(IndexMethod::FullText) => "FULLTEXT ",
            Some(IndexMethod::Spatial) => "SPATIAL ",
            _ if ix.unique => "UNIQUE ",
            _ => "",
        };
        let using = match &ix.method {
            None | Some(IndexMethod::FullText) | Some(IndexMethod::Spatial) => "",
            Some(IndexMethod::BTree) => " USING BTREE",
            Some(IndexMethod::Hash) => {
                cx.warn(&obj, "InnoDB builds HASH indexes as BTREE");
                " USING BTREE"
            }
            Some(m) => {
                cx.warn(
                    &obj,
                    format!(
                        "MySQL has no `{}` index method; created as BTREE",
                        m.sql_name()
                    ),
                );
                ""
            }
        };
        Ok(format!(
            "CREATE {kind}INDEX {} ON {tname} ({}){using}",
            self.ident(&ix.name),
            parts.join(", ")
        ))
    }

    fn inline_index(&self, t: &Table, ix: &Index, cx: &mut Cx) -> Option<String> {
        // InnoDB rejects a table whose AUTO_INCREMENT column leads no key, so when an index is
        // that key it must exist as the table is created.
        let IndexTarget::Column(first) = ix.parts.first()?.target else {
            return None;
        };
        let col = t.column(first)?;
        if col.identity.is_none() || col.generated.is_some() {
            return None;
        }
        let led_elsewhere = t
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.first() == Some(&first))
            || t.uniques.iter().any(|u| u.columns.first() == Some(&first));
        let earlier = t
            .indexes
            .iter()
            .take_while(|i| i.id != ix.id)
            .any(|i| i.parts.first().map(|p| &p.target) == Some(&IndexTarget::Column(first)));
        if led_elsewhere || earlier {
            return None;
        }
        if has_expr_parts(ix)
            || ix.where_clause.is_some()
            || ix.method.is_some()
            || !ix.include.is_empty()
        {
            return None; // unusual shapes keep the general path (and its warnings)
        }
        let _ = cx;
        let parts = index_parts(self, t, ix, |e| e.to_string());
        Some(format!(
            "{}KEY {} ({})",
            if ix.unique { "UNIQUE " } else { "" },
            self.ident(&ix.name),
            parts.join(", ")
        ))
    }

    fn fk_action(&self, a: FkAction, what: &str, cx: &mut Cx) -> Option<String> {
        match a {
            FkAction::NoAction => None,
            FkAction::SetDefault => {
                cx.warn(
                    what,
                    "InnoDB rejects SET DEFAULT foreign key actions; using NO ACTION",
                );
                None
            }
            other => Some(other.sql().to_string()),
        }
    }

    fn deferrable_clause(&self, d: Deferrable, what: &str, cx: &mut Cx) -> Option<String> {
        if d != Deferrable::NotDeferrable {
            cx.warn(
                what,
                "MySQL cannot defer foreign key checks; key is checked immediately",
            );
        }
        None
    }
}
