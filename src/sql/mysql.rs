//! MySQL 8 / MariaDB 10.6+ rules. Output must run on both, so only their common ground is used
//! (no functional indexes, no UUID type).

use super::ddl::{Cx, fit_name, has_expr_parts, index_parts, keyed_columns};
use super::dialect::{DialectRules, TypeUse, util};
use super::dialect_expr::{ExprRules, no};
use super::dialect_import::ImportRules;
use super::dialect_migrate::{ConstraintKind, MigrationRules};
use super::import::split::SplitOptions;
use crate::model::*;
use std::collections::BTreeSet;

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

/// A native type name MySQL/MariaDB knows (the model keeps other dialects' own types as
/// native names: `tsvector`, `xml`, `money`, ...).
fn is_mysql_type(s: &str) -> bool {
    let base = s
        .split(|c: char| c == '(' || c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        base.as_str(),
        "tinyint"
            | "smallint"
            | "mediumint"
            | "int"
            | "integer"
            | "bigint"
            | "decimal"
            | "numeric"
            | "float"
            | "double"
            | "real"
            | "bit"
            | "bool"
            | "boolean"
            | "serial"
            | "date"
            | "datetime"
            | "timestamp"
            | "time"
            | "year"
            | "char"
            | "varchar"
            | "binary"
            | "varbinary"
            | "tinyblob"
            | "blob"
            | "mediumblob"
            | "longblob"
            | "tinytext"
            | "text"
            | "mediumtext"
            | "longtext"
            | "enum"
            | "set"
            | "json"
            | "geometry"
            | "point"
            | "linestring"
            | "polygon"
            | "multipoint"
            | "multilinestring"
            | "multipolygon"
            | "geometrycollection"
            | "uuid"
            | "inet4"
            | "inet6"
    )
}

/// MySQL's longest row, not counting TEXT/BLOB contents: 65535 bytes.
const MAX_ROW_BYTES: u32 = 65535;

/// Bytes a column takes in a row (utf8mb4 varchar: 4 per character plus its length).
fn row_bytes(ty: &LogicalType) -> u32 {
    match ty {
        LogicalType::Varchar(Some(n)) => n.saturating_mul(4).saturating_add(2),
        LogicalType::Char(n) => n.saturating_mul(4),
        // TEXT, BLOB and JSON keep a pointer in the row.
        _ => 12,
    }
}

/// Columns of `t` written as TEXT instead of varchar so that the row fits MySQL's 65535
/// bytes: the longest varchar columns that are not part of a key, until it fits.
fn row_overflow(p: &Project, t: &Table) -> BTreeSet<ColumnId> {
    let total: u32 = t.columns.iter().map(|c| row_bytes(&c.ty)).sum();
    let mut out = BTreeSet::new();
    if total <= MAX_ROW_BYTES {
        return out;
    }
    let keyed = keyed_columns(p, t);
    let mut long: Vec<&Column> = t
        .columns
        .iter()
        .filter(|c| matches!(c.ty, LogicalType::Varchar(Some(_))) && !keyed.contains(&c.id))
        .collect();
    long.sort_by_key(|c| std::cmp::Reverse(row_bytes(&c.ty)));
    let mut total = total;
    for c in long {
        if total <= MAX_ROW_BYTES {
            break;
        }
        total -= row_bytes(&c.ty) - 12;
        out.insert(c.id);
    }
    out
}

/// InnoDB's longest index key with the DYNAMIC row format: 3072 bytes.
const MAX_KEY_BYTES: u32 = 3072;

/// Characters a key part takes and bytes per character (utf8mb4: 4), for string columns;
/// TEXT key columns are written as varchar(255) (see `map_type`).
fn key_chars(ty: &LogicalType) -> Option<(u32, u32)> {
    match ty {
        LogicalType::Varchar(Some(n)) | LogicalType::Char(n) => Some((*n, 4)),
        LogicalType::Text | LogicalType::Varchar(None) => Some((255, 4)),
        LogicalType::Bytes => Some((255, 1)),
        // Types MySQL does not have are written as varchar(255) in a key (see `map_type`).
        LogicalType::Native(s) if !is_mysql_type(s) => Some((255, 4)),
        _ => None,
    }
}

/// Give string key parts prefix lengths when the key is longer than InnoDB allows, sharing the
/// 3072 bytes among them (shortest first keeps whole as many as possible); warns with the
/// prefixes chosen. Keys that fit are left as they are.
fn fit_key(t: &Table, parts: &mut [IndexPart], obj: &str, cx: &mut Cx) {
    let mut fixed = 0u32;
    let mut strings: Vec<(usize, u32, u32)> = Vec::new(); // (part, chars, bytes per char)
    for (i, p) in parts.iter().enumerate() {
        let ty = match &p.target {
            IndexTarget::Column(c) => t.column(*c).map(|c| &c.ty),
            IndexTarget::Expr(_) => None,
        };
        match ty.and_then(key_chars) {
            Some((n, bpc)) => strings.push((i, p.prefix.map_or(n, |x| x.min(n)), bpc)),
            None => fixed += 8,
        }
    }
    let total = fixed + strings.iter().map(|(_, n, b)| n * b).sum::<u32>();
    if total <= MAX_KEY_BYTES {
        return;
    }
    strings.sort_by_key(|(_, n, b)| n * b);
    let mut budget = MAX_KEY_BYTES.saturating_sub(fixed);
    let mut chosen = Vec::new();
    for (k, (i, n, bpc)) in strings.iter().enumerate() {
        let share = budget / (strings.len() - k) as u32 / bpc;
        let take = (*n).min(share).max(1);
        budget = budget.saturating_sub(take * bpc);
        if take < *n {
            parts[*i].prefix = Some(take);
            if let IndexTarget::Column(c) = parts[*i].target {
                chosen.push(format!("{}({take})", t.column_name(c)));
            }
        }
    }
    cx.warn(
        obj,
        format!(
            "the key is {total} bytes in utf8mb4, over InnoDB's {MAX_KEY_BYTES}; indexed as \
             prefixes: {} (a unique key then holds for the prefixes only)",
            chosen.join(", "),
        ),
    );
}

impl MySql {
    /// For every expression part of an index (already in MySQL's dialect): the expression, the
    /// name of an invisible virtual column computing it and its type; `None` when the type of
    /// one is not known. Known shapes: `coalesce`/`ifnull` of columns of one type and
    /// literals (a string literal beside a non-string column makes the result a string, as in
    /// MySQL), and `lower`/`upper`/`trim` of a string column.
    fn expression_columns(
        &self,
        t: &Table,
        parts: &[IndexPart],
        index: &str,
        cx: &mut Cx,
    ) -> Option<Vec<(String, String, String)>> {
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let IndexTarget::Expr(e) = &part.target else {
                continue;
            };
            let ty = self.expression_type(t, e, cx)?;
            let mut name = fit_name(Dialect::MySql, &format!("{index}_expr{i}")).into_owned();
            while t.columns.iter().any(|c| c.name.eq_ignore_ascii_case(&name)) {
                name = fit_name(Dialect::MySql, &format!("{name}_")).into_owned();
            }
            out.push((e.clone(), name, ty));
        }
        Some(out)
    }

    fn expression_type(&self, t: &Table, e: &str, cx: &mut Cx) -> Option<String> {
        let mut s = e.trim();
        while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
            s = s[1..s.len() - 1].trim();
        }
        let open = s.find('(')?;
        let func = s[..open].trim().to_ascii_lowercase();
        let args = split_args(s[open + 1..].strip_suffix(')')?)?;
        let is_string = |c: &Column| {
            matches!(
                c.ty,
                LogicalType::Varchar(_) | LogicalType::Char(_) | LogicalType::Text
            )
        };
        let mut column: Option<&Column> = None;
        let mut string_literal = 0usize;
        for a in &args {
            let a = a.trim();
            if let Some(lit) = a.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                if lit.contains('\'') {
                    return None;
                }
                string_literal = string_literal.max(lit.chars().count()).max(1);
            } else if a.eq_ignore_ascii_case("null") || a.parse::<f64>().is_ok() {
            } else {
                let name = a.trim_matches('`');
                let c = t
                    .column_by_name(name)
                    .or_else(|| t.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)))?;
                match column {
                    Some(prev) if prev.ty != c.ty => return None,
                    _ => column = Some(c),
                }
            }
        }
        let c = column?;
        let object = format!("{}.{}", t.name, c.name);
        let mut scratch = Cx::scratch(cx.project);
        let col_ty = self.column_type(
            t,
            c,
            TypeUse {
                keyed: true,
                object: &object,
            },
            &mut scratch,
        );
        match func.as_str() {
            "coalesce" | "ifnull" if args.len() >= 2 => {
                if string_literal > 0 && !is_string(c) {
                    Some(format!("varchar({})", string_literal.max(64)))
                } else {
                    Some(col_ty)
                }
            }
            "lower" | "upper" | "trim" | "ltrim" | "rtrim"
                if args.len() == 1 && is_string(c) && string_literal == 0 =>
            {
                Some(col_ty)
            }
            _ => None,
        }
    }
}

/// Parentheses and quotes in `s` are balanced (so `(a) + (b)` is not unwrapped as `a) + (b`).
fn balanced(s: &str) -> bool {
    split_args(s).is_some()
}

/// Top-level comma-separated arguments, or `None` when parentheses or quotes do not match.
fn split_args(s: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, ch) in s.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            (None, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 || quote.is_some() {
        return None;
    }
    out.push(&s[start..]);
    Some(out)
}

impl DialectRules for MySql {
    fn constraint_names_database_wide(&self) -> bool {
        true
    }

    fn index_methods(&self) -> &'static [IndexMethod] {
        use IndexMethod as M;
        &[M::Hash, M::FullText, M::Spatial]
    }

    fn on_update(&self) -> bool {
        true
    }

    /// MySQL and MariaDB identifiers hold only Basic Multilingual Plane characters (no emoji,
    /// no U+0000) and may not end with a space.
    fn unstorable_identifier(&self, name: &str) -> Option<String> {
        if let Some(c) = name.chars().find(|&c| c as u32 > 0xFFFF || c == '\0') {
            return Some(format!(
                "MySQL/MariaDB identifiers cannot hold {} (U+{:04X}): only characters of the \
                 Basic Multilingual Plane, no emoji; the statement will fail",
                if c == '\0' {
                    "NUL".to_string()
                } else {
                    format!("`{c}`")
                },
                c as u32
            ));
        }
        if name.ends_with(' ') {
            return Some(
                "MySQL/MariaDB identifiers cannot end with a space; the statement will fail".into(),
            );
        }
        None
    }

    fn column_type(&self, t: &Table, c: &Column, usage: TypeUse, cx: &mut Cx) -> String {
        if matches!(c.ty, LogicalType::Varchar(Some(_)))
            && row_overflow(cx.project, t).contains(&c.id)
        {
            cx.warn(
                usage.object,
                "the table's varchar columns add up to more than MySQL's 65535-byte row; \
                 this one is written as text (same values, stored off the row)",
            );
            return "text".into();
        }
        self.map_type(&c.ty, usage, cx)
    }

    fn key_column_list(
        &self,
        t: &Table,
        cols: &[crate::model::ColumnId],
        what: &str,
        cx: &mut Cx,
    ) -> String {
        let mut parts: Vec<IndexPart> = cols.iter().map(|c| IndexPart::column(*c)).collect();
        fit_key(t, &mut parts, &format!("{}.{what}", t.name), cx);
        index_parts(self, t, &parts, |e| e.to_string()).join(", ")
    }

    fn index_prefixes(&self) -> bool {
        true
    }

    fn fk_types_must_match(&self) -> bool {
        true
    }

    fn refresh_procedure(&self, proc: &str, name: &str, query: &str) -> Option<String> {
        Some(format!(
            "CREATE PROCEDURE {proc}()\nBEGIN\n  DELETE FROM {name};\n  INSERT INTO {name}\n{query};\nEND"
        ))
    }

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
            L::Native(s) if is_mysql_type(s) => s.clone(),
            L::Native(s) if usage.keyed => {
                cx.warn(
                    usage.object,
                    format!(
                        "MySQL has no type `{s}`; written as varchar(255) for this key column \
                         (longtext cannot be indexed without a prefix length)"
                    ),
                );
                "varchar(255)".into()
            }
            L::Native(s) => {
                cx.warn(
                    usage.object,
                    format!("MySQL has no type `{s}`; written as longtext"),
                );
                "longtext".into()
            }
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
        let mut key = ix.clone();
        if !ix.include.is_empty() && !ix.unique {
            key.parts
                .extend(ix.include.iter().map(|c| IndexPart::column(*c)));
        }
        if !matches!(
            ix.method,
            Some(IndexMethod::FullText | IndexMethod::Spatial)
        ) {
            fit_key(t, &mut key.parts, &obj, cx);
        }
        // MariaDB has no expression key parts: an expression whose type is known is indexed
        // through an invisible virtual column (which is how MySQL 8 builds them too).
        let hidden = if has_expr_parts(ix) {
            self.expression_columns(t, &key.parts, &ix.name, cx)
        } else {
            None
        };
        let parts = index_parts(self, t, &key.parts, |e| {
            match hidden
                .as_ref()
                .and_then(|h| h.iter().find(|(x, _, _)| x == e))
            {
                Some((_, name, _)) => self.ident(name),
                None => format!("({})", e.trim()),
            }
        });
        let mut pre = String::new();
        for (e, name, ty) in hidden.iter().flatten() {
            pre.push_str(&format!(
                "ALTER TABLE {tname} ADD COLUMN {} {ty} AS ({}) VIRTUAL INVISIBLE;\n",
                self.ident(name),
                e.trim()
            ));
        }
        let draft = || {
            format!(
                "CREATE INDEX {} ON {tname} ({})",
                self.ident(&fit_name(Dialect::MySql, &ix.name)),
                parts.join(", ")
            )
        };
        if has_expr_parts(ix) && hidden.is_none() {
            cx.warn(
                &obj,
                "MariaDB has no expression indexes (MySQL 8 has); index not created, kept as a comment",
            );
            return Err(draft());
        }
        let unindexable = ix.parts.iter().find_map(|p| match p.target {
            IndexTarget::Column(c) => t
                .column(c)
                .filter(|c| matches!(c.ty, LogicalType::Json | LogicalType::Array(_)))
                .map(|c| c.name.clone()),
            IndexTarget::Expr(_) => None,
        });
        if let Some(col) = unindexable {
            cx.warn(
                &obj,
                format!(
                    "MySQL cannot index the JSON column `{col}` directly; index not created, \
                     kept as a comment"
                ),
            );
            return Err(draft());
        }
        if ix.where_clause.is_some() {
            // The project's own MySQL version of it (e.g. pattern soft-delete's unique index
            // over a generated column), written with the extra SQL.
            let replaced = cx.project.extra_sql().any(|x| {
                x.dialect == Dialect::MySql
                    && x.kind == "index"
                    && x.name.as_ref() == Some(&ix.name)
            });
            if ix.unique && replaced {
                return Err(format!(
                    "{} WHERE {} (written for MySQL by the extra SQL of that name)",
                    draft(),
                    ix.where_clause.as_deref().unwrap_or("")
                ));
            }
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
        for (e, name, ty) in hidden.iter().flatten() {
            cx.warn(
                &obj,
                format!(
                    "MariaDB has no expression indexes; `{}` is indexed through the invisible \
                     virtual column `{name}` ({ty})",
                    e.trim()
                ),
            );
        }
        Ok(format!(
            "{pre}CREATE {kind}INDEX {} ON {tname} ({}){using}",
            self.ident(&fit_name(Dialect::MySql, &ix.name)),
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
        let mut key = ix.clone();
        fit_key(t, &mut key.parts, &format!("{}.{}", t.name, ix.name), cx);
        let parts = index_parts(self, t, &key.parts, |e| e.to_string());
        Some(format!(
            "{}KEY {} ({})",
            if ix.unique { "UNIQUE " } else { "" },
            self.ident(&fit_name(Dialect::MySql, &ix.name)),
            parts.join(", ")
        ))
    }

    fn set_null_needs_nullable(&self) -> bool {
        true
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

    fn deferrable_constraints(&self) -> bool {
        false
    }
}

impl ExprRules for MySql {
    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect {
        &sqlparser::dialect::MySqlDialect {}
    }
    fn zero_dates(&self) -> bool {
        true
    }
    fn timestamps_without_offset(&self) -> bool {
        true
    }
    fn concat(&self, parts: &[String]) -> Option<String> {
        Some(format!("CONCAT({})", parts.join(", ")))
    }
    fn cast_type(&self, ty: &LogicalType) -> Option<Result<String, String>> {
        use LogicalType as L;
        Some(Ok(match ty {
            L::TinyInt | L::SmallInt | L::Integer | L::BigInt | L::Boolean => "SIGNED".into(),
            L::Decimal(Some(p), Some(s)) => format!("DECIMAL({p},{s})"),
            L::Decimal(Some(p), None) => format!("DECIMAL({p})"),
            L::Decimal(None, _) => "DECIMAL(65,30)".into(),
            L::Real | L::Double => "DOUBLE".into(),
            L::Text | L::Varchar(_) | L::Char(_) | L::Uuid | L::Enum(_) => "CHAR".into(),
            L::Date => "DATE".into(),
            L::Time => "TIME(6)".into(),
            L::Timestamp | L::TimestampTz => "DATETIME(6)".into(),
            L::Json => "JSON".into(),
            L::Bytes => "BINARY".into(),
            other => return Some(Err(no(format!("cast to {other:?}"), Dialect::MySql))),
        }))
    }
    fn length_function(&self) -> &'static str {
        "CHAR_LENGTH"
    }
    fn mod_function(&self) -> bool {
        true
    }
    fn uuid_function(&self) -> Option<&'static str> {
        Some("uuid()")
    }
    fn json_extract(&self) -> bool {
        true
    }
}

impl ImportRules for MySql {
    fn split_options(&self) -> SplitOptions {
        SplitOptions {
            mysql: true,
            ..SplitOptions::default()
        }
    }
    fn strip_comments(&self) -> bool {
        true
    }
    fn dynamic_sql(&self) -> bool {
        true
    }
    fn fulltext_spatial_indexes(&self) -> bool {
        true
    }
    fn invisible_columns(&self) -> bool {
        true
    }
    fn default_index_name(&self, _table: &str, first: &str) -> String {
        first.to_string()
    }
    fn read_type(
        &self,
        base: &str,
        _args: &[String],
        width: Option<u32>,
        tz: bool,
    ) -> Option<(LogicalType, bool)> {
        Some(match base {
            "float" if width.is_none() => (LogicalType::Real, true),
            // `blob` holds 64 KiB; the model's bytes are written `longblob` here.
            "blob" => (LogicalType::Bytes, true),
            // `time` is whole seconds; the model's time is written `time(6)` here.
            "time" if !tz => (LogicalType::Time, true),
            "timestamp" if !tz => (LogicalType::Timestamp, true),
            _ => return None,
        })
    }
    fn rewrite_statement(&self, head: &[String], text: String, notes: &mut Vec<String>) -> String {
        if head.first().is_some_and(|w| w == "CREATE" || w == "ALTER") {
            // `varchar(40) BINARY`: the binary collation attribute.
            let fixed = super::import::replace_word_after_paren(&text, "BINARY");
            if fixed != text {
                notes.push("BINARY collation attribute dropped".into());
                return fixed;
            }
        }
        text
    }
}

impl MigrationRules for MySql {
    fn modify_column_whole(&self) -> bool {
        true
    }
    fn column_positions(&self) -> bool {
        true
    }
    fn implicit_fk_indexes(&self) -> bool {
        true
    }
    fn retype_drops_fks(&self) -> bool {
        true
    }
    fn unnamed_fk_name(&self, p: &Project, _t: &Table, fk: &ForeignKey) -> String {
        super::migrate::names::mysql_fk_name(p, fk)
    }
    fn drop_constraint(&self, kind: ConstraintKind, name: &str) -> String {
        match kind {
            ConstraintKind::PrimaryKey => "DROP PRIMARY KEY".into(),
            ConstraintKind::Unique => format!("DROP INDEX {name}"),
            ConstraintKind::Check => format!("DROP CHECK {name}"),
            ConstraintKind::ForeignKey => format!("DROP FOREIGN KEY {name}"),
        }
    }
    fn drop_index(&self, _t: &Table, table: &str, name: &str) -> String {
        format!("DROP INDEX {} ON {table}", self.ident(name))
    }
    fn rename_table(&self, _o: &Table, _n: &Table, quoted: (&str, &str)) -> Vec<String> {
        vec![format!("RENAME TABLE {} TO {}", quoted.0, quoted.1)]
    }
}
