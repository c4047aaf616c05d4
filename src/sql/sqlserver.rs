//! SQL Server rules (T-SQL; views and schemas in their own `GO` batches).

use super::ddl::{Cx, has_expr_parts, index_parts};
use super::dialect::{DialectRules, TypeUse, util};
use super::dialect_expr::{ExprRules, no};
use super::dialect_import::ImportRules;
use super::dialect_migrate::MigrationRules;
use super::import::split::SplitOptions;
use crate::model::*;

pub struct SqlServer;

impl DialectRules for SqlServer {
    fn create_table_as(&self, name: &str, query: &str) -> String {
        format!("SELECT * INTO {name} FROM (\n{query}\n) AS q")
    }

    fn refresh_procedure(&self, proc: &str, name: &str, query: &str) -> Option<String> {
        Some(format!(
            "CREATE PROCEDURE {proc} AS\nBEGIN\n  SET NOCOUNT ON;\n  DELETE FROM {name};\n  INSERT INTO {name}\n{query};\nEND"
        ))
    }

    fn default_schema(&self) -> Option<&'static str> {
        Some("dbo")
    }

    fn dialect(&self) -> Dialect {
        Dialect::SqlServer
    }

    fn quotes(&self) -> (char, char) {
        ('[', ']')
    }

    fn string_literal(&self, s: &str) -> String {
        format!("N'{}'", s.replace('\'', "''"))
    }

    fn create_schema(&self, schema: &str, _cx: &mut Cx) -> Option<String> {
        Some(format!("CREATE SCHEMA {}", self.ident(schema)))
    }

    fn enum_as_check(&self) -> bool {
        true
    }

    fn map_type(&self, ty: &LogicalType, usage: TypeUse, cx: &mut Cx) -> String {
        use LogicalType as L;
        match ty {
            // SQL Server's tinyint is unsigned (0..255); smallint holds every signed 8-bit value.
            L::TinyInt | L::SmallInt => "smallint".into(),
            L::Integer => "int".into(),
            L::BigInt => "bigint".into(),
            L::Decimal(Some(p), Some(s)) => format!("decimal({p},{s})"),
            L::Decimal(Some(p), None) => format!("decimal({p})"),
            L::Decimal(None, _) => {
                cx.warn(
                    usage.object,
                    "unconstrained numeric has no SQL Server equivalent; using decimal(38,10)",
                );
                "decimal(38,10)".into()
            }
            L::Real => "real".into(),
            L::Double => "float".into(),
            L::Boolean => "bit".into(),
            L::Text | L::Varchar(None) => {
                if usage.keyed {
                    cx.warn(
                        usage.object,
                        "nvarchar(max) cannot be a key column; using nvarchar(450)",
                    );
                    "nvarchar(450)".into()
                } else {
                    "nvarchar(max)".into()
                }
            }
            L::Varchar(Some(n)) if *n > 4000 => "nvarchar(max)".into(),
            L::Varchar(Some(n)) => format!("nvarchar({n})"),
            L::Char(n) => format!("nchar({n})"),
            L::Bytes => {
                if usage.keyed {
                    cx.warn(
                        usage.object,
                        "varbinary(max) cannot be a key column; using varbinary(900)",
                    );
                    "varbinary(900)".into()
                } else {
                    "varbinary(max)".into()
                }
            }
            L::Date => "date".into(),
            L::Time => "time".into(),
            L::Timestamp => "datetime2".into(),
            L::TimestampTz => "datetimeoffset".into(),
            L::Interval => {
                cx.warn(
                    usage.object,
                    "SQL Server has no interval type; using nvarchar(64) (ISO 8601 durations)",
                );
                "nvarchar(64)".into()
            }
            L::Uuid => "uniqueidentifier".into(),
            L::Json => "nvarchar(max)".into(),
            L::Enum(id) => {
                let len = cx
                    .project
                    .enum_type(*id)
                    .and_then(|e| e.values.iter().map(|v| v.chars().count()).max())
                    .unwrap_or(1)
                    .max(1);
                format!("nvarchar({len})")
            }
            L::Array(_) => {
                cx.warn(
                    usage.object,
                    "SQL Server has no array type; stored as JSON text",
                );
                "nvarchar(max)".into()
            }
            L::Native(s) => s.clone(),
        }
    }

    fn identity_clause(&self, t: &Table, c: &Column, cx: &mut Cx) -> Option<String> {
        if !c.ty.is_integer() && !c.type_overrides.contains_key(&Dialect::SqlServer) {
            cx.warn(
                &format!("{}.{}", t.name, c.name),
                "IDENTITY needs an integer column; identity dropped",
            );
            return None;
        }
        Some("IDENTITY(1,1)".into())
    }

    fn generated_column(&self, _obj: &str, _ty: &str, g: &Generated, _cx: &mut Cx) -> String {
        format!(
            "AS ({}){}",
            g.expr.trim(),
            if g.stored { " PERSISTED" } else { "" }
        )
    }

    fn default_expr(&self, expr: &str, c: &Column, _cx: &mut Cx) -> String {
        let e = expr.trim();
        if util::is_now(e) {
            return match c.ty {
                LogicalType::TimestampTz => "SYSDATETIMEOFFSET()".into(),
                LogicalType::Timestamp => "SYSDATETIME()".into(),
                _ => "CURRENT_TIMESTAMP".into(),
            };
        }
        if e.eq_ignore_ascii_case("true") {
            return "1".into();
        }
        if e.eq_ignore_ascii_case("false") {
            return "0".into();
        }
        if util::is_simple_literal(e) {
            e.to_string()
        } else {
            util::paren(e)
        }
    }

    fn comment_statements(&self, t: &Table) -> Vec<String> {
        let schema = t.schema.as_deref().unwrap_or("dbo");
        let prop = |value: &str, level2: Option<&str>| {
            let mut s = format!(
                "EXEC sp_addextendedproperty @name = N'MS_Description', @value = {}, \
                 @level0type = N'SCHEMA', @level0name = {}, @level1type = N'TABLE', @level1name = {}",
                self.string_literal(value),
                self.string_literal(schema),
                self.string_literal(&t.name)
            );
            if let Some(col) = level2 {
                s.push_str(&format!(
                    ", @level2type = N'COLUMN', @level2name = {}",
                    self.string_literal(col)
                ));
            }
            s
        };
        let mut v = Vec::new();
        if let Some(c) = &t.comment {
            v.push(prop(c, None));
        }
        for col in &t.columns {
            if let Some(c) = &col.comment {
                v.push(prop(c, Some(&col.name)));
            }
        }
        v
    }

    fn create_index(&self, t: &Table, ix: &Index, cx: &mut Cx) -> Result<String, String> {
        let obj = format!("{}.{}", t.name, ix.name);
        let tname = self.qualified(t.schema.as_deref(), &t.name);
        let parts = index_parts(self, t, &ix.parts, |e| format!("({})", e.trim()));
        let mut s = format!(
            "CREATE {}INDEX {} ON {tname} ({})",
            if ix.unique { "UNIQUE " } else { "" },
            self.ident(&ix.name),
            parts.join(", ")
        );
        if has_expr_parts(ix) {
            cx.warn(
                &obj,
                "SQL Server cannot index expressions (index a computed column instead); kept as a comment",
            );
            return Err(s);
        }
        match &ix.method {
            None | Some(IndexMethod::BTree) => {}
            Some(IndexMethod::FullText) => {
                cx.warn(
                    &obj,
                    "SQL Server full-text indexes need a full-text catalog; kept as a comment",
                );
                return Err(s);
            }
            Some(m) => cx.warn(
                &obj,
                format!(
                    "SQL Server has no `{}` index method; created as a b-tree",
                    m.sql_name()
                ),
            ),
        }
        if !ix.include.is_empty() {
            let inc: Vec<String> = ix
                .include
                .iter()
                .map(|c| self.ident(&t.column_name(*c)))
                .collect();
            s.push_str(&format!(" INCLUDE ({})", inc.join(", ")));
        }
        if let Some(w) = &ix.where_clause {
            s.push_str(&format!(" WHERE {}", w.trim()));
        }
        Ok(s)
    }

    fn set_null_needs_nullable(&self) -> bool {
        true
    }

    fn fk_action(&self, a: FkAction, _what: &str, _cx: &mut Cx) -> Option<String> {
        match a {
            // SQL Server checks immediately, so NO ACTION is RESTRICT (which it cannot spell).
            FkAction::NoAction | FkAction::Restrict => None,
            other => Some(other.sql().to_string()),
        }
    }

    fn deferrable_constraints(&self) -> bool {
        false
    }

    fn batch_separator(&self) -> Option<&'static str> {
        Some("GO")
    }
}

impl ExprRules for SqlServer {
    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect {
        &sqlparser::dialect::MsSqlDialect {}
    }
    fn boolean_literal(&self, b: bool) -> &'static str {
        self.boolean_value(b)
    }
    fn bytes_literal(&self, hex: &str) -> String {
        format!("0x{hex}")
    }
    fn is_true_operators(&self) -> bool {
        false
    }
    fn concat(&self, _parts: &[String]) -> Option<String> {
        None
    }
    fn substr(&self, args: &[String]) -> Result<String, String> {
        if args.len() == 2 {
            return Err(no("substring without a length", Dialect::SqlServer));
        }
        Ok(format!("SUBSTRING({})", args.join(", ")))
    }
    fn current_date(&self) -> &'static str {
        "CAST(GETDATE() AS date)"
    }
    fn length_function(&self) -> &'static str {
        "LEN"
    }
    fn greatest_least(&self, _greatest: bool) -> Option<&'static str> {
        None
    }
    fn uuid_function(&self) -> Option<&'static str> {
        Some("NEWID()")
    }
}

impl ImportRules for SqlServer {
    fn split_options(&self) -> SplitOptions {
        SplitOptions {
            brackets: true,
            ..SplitOptions::default()
        }
    }
    fn tsql_batches(&self) -> bool {
        true
    }
    fn imported_schema(&self, schema: Option<String>) -> Option<String> {
        schema.filter(|s| !s.eq_ignore_ascii_case("dbo"))
    }
    fn read_type(
        &self,
        base: &str,
        args: &[String],
        _width: Option<u32>,
        _tz: bool,
    ) -> Option<(LogicalType, bool)> {
        Some(match base {
            // tinyint is 0..255 here, -128..127 in the model.
            "tinyint" | "int1" => (LogicalType::TinyInt, true),
            "bit" if args.is_empty() => (LogicalType::Boolean, true),
            _ => return None,
        })
    }
}

impl MigrationRules for SqlServer {
    fn migrations(&self) -> bool {
        false
    }
    fn drop_index(&self, _t: &Table, table: &str, name: &str) -> String {
        format!("DROP INDEX {} ON {table}", self.ident(name))
    }
    fn rename_table(&self, _o: &Table, n: &Table, quoted: (&str, &str)) -> Vec<String> {
        // Not reached: SQL Server has no migration scripts (`migrations`).
        vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            quoted.0,
            self.ident(&n.name)
        )]
    }
}
