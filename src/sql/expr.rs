//! Translation of SQL expression text (defaults, CHECK constraints, generated columns, index
//! expressions and partial-index predicates) from the dialect it was written in to another.
//!
//! The expression is parsed with the source dialect's parser and written back by a printer
//! that knows only a portable subset of SQL: anything outside it (PostgreSQL regular
//! expressions, arrays, JSON operators, functions not known to exist in the target, ...) is
//! an `Err` naming the construct, so the caller can leave the object out with a warning
//! instead of writing DDL the target engine rejects. The same dialect is never translated:
//! the text is returned unchanged.

use super::dialect::DialectRules;
use super::import::types::map_type;
use crate::model::{Dialect, LogicalType, Project};
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, InTarget, ObjectNamePart, UnaryOperator, Value,
};
use sqlparser::dialect::{MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// Where an expression is used; the rules for functions differ (MariaDB allows only built-in
/// functions in DEFAULT, generated columns must be deterministic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Check,
    Default,
    Generated,
    Index,
}

/// What the translator knows about the table the expression belongs to.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub place: Place,
    /// Column names of the table, as the DDL writes them (identifiers that name a column
    /// case-insensitively are written with the column's exact name).
    pub columns: &'a [&'a str],
}

impl Scope<'_> {
    pub const CHECK: Scope<'static> = Scope {
        place: Place::Check,
        columns: &[],
    };
}

/// Translate an expression (a CHECK predicate or any boolean/scalar expression) from `from`
/// to `to`. `Err` is a one-line reason it cannot be written in `to`.
pub fn translate(
    expr: &str,
    from: Dialect,
    to: Dialect,
    rules: &dyn DialectRules,
) -> Result<String, String> {
    translate_in(expr, from, to, rules, &Scope::CHECK)
}

/// [`translate`] with knowledge of the table and of where the expression is used.
pub fn translate_in(
    expr: &str,
    from: Dialect,
    to: Dialect,
    rules: &dyn DialectRules,
    scope: &Scope,
) -> Result<String, String> {
    if from == to {
        return Ok(expr.to_string());
    }
    let e = parse(expr, from)?;
    Tr {
        from,
        to,
        rules,
        scope,
    }
    .expr(&e)
}

/// Translate a column default; `column_type` decides how booleans are written.
pub fn translate_default(
    expr: &str,
    column_type: &LogicalType,
    from: Dialect,
    to: Dialect,
    rules: &dyn DialectRules,
) -> Result<String, String> {
    translate_default_in(
        expr,
        column_type,
        from,
        to,
        rules,
        &Scope {
            place: Place::Default,
            columns: &[],
        },
    )
}

/// [`translate_default`] with knowledge of the table.
pub fn translate_default_in(
    expr: &str,
    column_type: &LogicalType,
    from: Dialect,
    to: Dialect,
    rules: &dyn DialectRules,
    scope: &Scope,
) -> Result<String, String> {
    translate_default_noted(expr, column_type, from, to, rules, scope).map(|(e, _)| e)
}

/// [`translate_default_in`], and a note when the default was kept or translated with a change
/// of meaning the user should know about (the caller turns it into an export warning).
pub fn translate_default_noted(
    expr: &str,
    column_type: &LogicalType,
    from: Dialect,
    to: Dialect,
    rules: &dyn DialectRules,
    scope: &Scope,
) -> Result<(String, Option<String>), String> {
    if from == to {
        return Ok((expr.to_string(), None));
    }
    let e = parse(expr, from)?;
    let core = strip_parens(&e);
    if is_zero_date(core) {
        // MySQL's zero dates travel in scripts of other dialects too (SQLite dumps of MySQL
        // schemas); no other engine has them.
        return match to {
            Dialect::MySql => Ok((
                expr.to_string(),
                Some(
                    "zero date kept: MariaDB accepts it, MySQL 5.7+ refuses it under its default \
                     sql_mode (NO_ZERO_DATE)"
                        .into(),
                ),
            )),
            _ => Err(format!(
                "the zero date (MySQL's `0000-00-00`) is not a valid {} date",
                to.display_name()
            )),
        };
    }
    if let Some(bits) = bit_or_hex_value(core)
        && let Some(out) = bits_as(&bits, column_type, to)
    {
        return Ok((out, None));
    }
    if from == Dialect::Postgres
        && matches!(
            column_type,
            LogicalType::Timestamp
                | LogicalType::TimestampTz
                | LogicalType::Date
                | LogicalType::Time
        )
        && let Some(text) = string_value(core)
    {
        let now = match text.trim().to_ascii_lowercase().as_str() {
            "now" => Some("CURRENT_TIMESTAMP"),
            "today" => Some("CURRENT_DATE"),
            _ => None,
        };
        if let Some(now) = now {
            let e = parse(now, from)?;
            let out = Tr {
                from,
                to,
                rules,
                scope,
            }
            .expr(&e)?;
            return Ok((
                out,
                Some(format!(
                    "PostgreSQL's `{}` default is fixed when the table is created; written as \
                     {now}, evaluated for each row",
                    expr.trim()
                )),
            ));
        }
    }
    if to == Dialect::MySql
        && matches!(
            column_type,
            LogicalType::Timestamp | LogicalType::TimestampTz
        )
        && let Some(text) = string_value(core)
        && let Some(local) = without_utc_offset(text)?
    {
        return Ok((rules.string_literal(local), None));
    }
    if matches!(column_type, LogicalType::Array(_))
        && let Some(text) = string_value(core)
        && let Some(json) = array_literal_as_json(text)
    {
        // Arrays are JSON text outside PostgreSQL.
        return Ok((rules.string_literal(&json), None));
    }
    if *column_type == LogicalType::Boolean
        && let Some(b) = boolean_value(core)
    {
        let v = match (to, b) {
            (Dialect::Postgres, true) => "true",
            (Dialect::Postgres, false) => "false",
            (_, true) => "1",
            (_, false) => "0",
        };
        return Ok((v.into(), None));
    }
    Tr {
        from,
        to,
        rules,
        scope,
    }
    .expr(&e)
    .map(|e| (e, None))
}

/// The `n` of a native `bit(n)` type (`None` for `bit varying` or no length).
fn n_declared(ty: &LogicalType) -> Option<usize> {
    let LogicalType::Native(n) = ty else {
        return None;
    };
    let n = n.to_ascii_lowercase();
    if n.contains("varying") {
        return None;
    }
    let inner = n.split_once('(')?.1.split_once(')')?.0;
    inner.trim().parse().ok()
}

/// A MySQL bit-value (`b'101'`) or hexadecimal (`0x0A`, `X'0A'`) literal: its bytes, big-endian
/// (bits padded on the left to whole bytes).
fn bit_or_hex_value(e: &Expr) -> Option<Vec<u8>> {
    let Expr::Value(v) = e else { return None };
    match &v.value {
        Value::HexStringLiteral(h) => {
            let h = if h.len() % 2 == 1 {
                format!("0{h}")
            } else {
                h.clone()
            };
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
                .collect()
        }
        Value::SingleQuotedByteStringLiteral(b)
            if !b.is_empty() && b.len() <= 64 && b.chars().all(|c| c == '0' || c == '1') =>
        {
            let pad = (8 - b.len() % 8) % 8;
            let bits: String = "0".repeat(pad) + b;
            (0..bits.len())
                .step_by(8)
                .map(|i| u8::from_str_radix(&bits[i..i + 8], 2).ok())
                .collect()
        }
        _ => None,
    }
}

/// Bytes of a bit or hex literal written for a column of `ty` in `to`: a number for numeric
/// and bit columns, `true`/`false` (or 1/0) for booleans, a binary literal for byte columns.
fn bits_as(bytes: &[u8], ty: &LogicalType, to: Dialect) -> Option<String> {
    let number = || -> Option<u128> {
        (bytes.len() <= 16).then(|| bytes.iter().fold(0u128, |n, b| (n << 8) | u128::from(*b)))
    };
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    match ty {
        LogicalType::Boolean => {
            let n = number()?;
            (n <= 1).then(|| match (to, n) {
                (Dialect::Postgres, 1) => "true".to_string(),
                (Dialect::Postgres, _) => "false".to_string(),
                (_, n) => n.to_string(),
            })
        }
        LogicalType::TinyInt
        | LogicalType::SmallInt
        | LogicalType::Integer
        | LogicalType::BigInt
        | LogicalType::Decimal(..) => number().map(|n| n.to_string()),
        LogicalType::Bytes => Some(match to {
            Dialect::Postgres => format!("'\\x{}'::bytea", hex.to_lowercase()),
            Dialect::SqlServer => format!("0x{hex}"),
            Dialect::MySql | Dialect::Sqlite => format!("X'{hex}'"),
        }),
        LogicalType::Native(n) if n.trim_start().to_ascii_lowercase().starts_with("bit") => {
            let n = number()?;
            Some(match to {
                Dialect::Postgres => {
                    // `bit(n)` takes exactly n bits; `bit varying` as many as the value has.
                    let declared = n_declared(ty);
                    let needed = n.max(1).ilog2() as usize + 1;
                    let width = declared.unwrap_or(needed);
                    if needed > width {
                        return None;
                    }
                    format!("B'{n:0width$b}'")
                }
                _ => n.to_string(),
            })
        }
        _ => None,
    }
}

fn parse(expr: &str, from: Dialect) -> Result<Expr, String> {
    fn run(d: &dyn sqlparser::dialect::Dialect, s: &str) -> Result<Expr, String> {
        let mut p = Parser::new(d)
            .try_with_sql(s)
            .map_err(|e| format!("cannot parse `{}`: {e}", one_line(s)))?;
        let e = p
            .parse_expr()
            .map_err(|e| format!("cannot parse `{}`: {e}", one_line(s)))?;
        if p.peek_token().token != Token::EOF {
            return Err(format!(
                "cannot parse `{}`: text after the expression",
                one_line(s)
            ));
        }
        Ok(e)
    }
    match from {
        Dialect::Postgres => run(&PostgreSqlDialect {}, expr),
        Dialect::MySql => run(&MySqlDialect {}, expr),
        Dialect::Sqlite => run(&SQLiteDialect {}, expr),
        Dialect::SqlServer => run(&MsSqlDialect {}, expr),
    }
}

fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn strip_parens(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip_parens(inner),
        other => other,
    }
}

fn is_zero_date(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                s.starts_with("0000-00-00")
            }
            _ => false,
        },
        _ => false,
    }
}

/// The text of a string literal, through casts.
fn string_value(e: &Expr) -> Option<&str> {
    match strip_parens(e) {
        Expr::Cast { expr, .. } => string_value(expr),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::DoubleQuotedString(s)
            | Value::NationalStringLiteral(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// A PostgreSQL array literal of plain words (`{}`, `{a,b}`) as a JSON array of strings.
fn array_literal_as_json(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix('{')?.strip_suffix('}')?;
    if inner.trim().is_empty() {
        return Some("[]".into());
    }
    let items: Option<Vec<String>> = inner
        .split(',')
        .map(|w| {
            let w = w.trim();
            (!w.is_empty()
                && !w.eq_ignore_ascii_case("null")
                && w.chars()
                    .all(|c| c.is_alphanumeric() || "_-.@ ".contains(c)))
            .then(|| format!("\"{w}\""))
        })
        .collect();
    Some(format!("[{}]", items?.join(",")))
}

/// A timestamp literal with a UTC offset (`1970-01-01 00:00:01+00:00`) without it, for MySQL,
/// whose DATETIME takes none (its columns hold UTC); `Ok(None)` for a literal without an
/// offset, `Err` for another offset.
fn without_utc_offset(s: &str) -> Result<Option<&str>, String> {
    let t = s.trim();
    let Some(time_at) = t.find([' ', 'T']) else {
        return Ok(None);
    };
    let time = &t[time_at + 1..];
    let Some(off) = time.rfind(['+', '-', 'Z']) else {
        return Ok(None);
    };
    let zone = &time[off..];
    let utc = matches!(zone, "Z" | "+00" | "+00:00" | "-00" | "-00:00" | "+0000");
    if !utc {
        return Err("timestamp literal with a time zone offset has no MySQL equivalent".into());
    }
    Ok(Some(&t[..time_at + 1 + off]))
}

/// A literal meaning true or false (`true`, `1`, `'0'`, `b'1'`, `'t'`, `0::boolean`, ...).
fn boolean_value(e: &Expr) -> Option<bool> {
    let e = strip_parens(e);
    match e {
        Expr::Cast { expr, .. } => boolean_value(expr),
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => Some(*b),
            Value::Number(n, _) => match n.to_string().as_str() {
                "0" => Some(false),
                "1" => Some(true),
                _ => None,
            },
            Value::SingleQuotedString(s)
            | Value::DoubleQuotedString(s)
            | Value::NationalStringLiteral(s)
            | Value::SingleQuotedByteStringLiteral(s)
            | Value::HexStringLiteral(s) => match s.to_ascii_lowercase().as_str() {
                "0" | "f" | "false" | "n" | "no" | "\0" => Some(false),
                "1" | "t" | "true" | "y" | "yes" | "\u{1}" => Some(true),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

struct Tr<'a> {
    from: Dialect,
    to: Dialect,
    rules: &'a dyn DialectRules,
    scope: &'a Scope<'a>,
}

fn no(what: impl std::fmt::Display, to: Dialect) -> String {
    format!("{what} has no {} equivalent", to.display_name())
}

impl Tr<'_> {
    fn list(&self, es: &[Expr]) -> Result<String, String> {
        let v: Result<Vec<String>, String> = es.iter().map(|e| self.expr(e)).collect();
        Ok(v?.join(", "))
    }

    fn ident(&self, id: &Ident) -> String {
        let raw = id.value.as_str();
        let cols = self.scope.columns;
        if let Some(c) = cols.iter().find(|c| **c == raw) {
            return self.rules.ident(c);
        }
        let case_sensitive = self.from == Dialect::Postgres && id.quote_style.is_some();
        if !case_sensitive && let Some(c) = cols.iter().find(|c| c.eq_ignore_ascii_case(raw)) {
            return self.rules.ident(c);
        }
        if self.from == Dialect::Postgres && id.quote_style.is_none() {
            self.rules.ident(&raw.to_lowercase())
        } else {
            self.rules.ident(raw)
        }
    }

    fn string(&self, s: &str) -> String {
        self.rules.string_literal(s)
    }

    fn value(&self, v: &Value) -> Result<String, String> {
        Ok(match v {
            Value::Number(n, _) => n.to_string(),
            Value::SingleQuotedString(s) | Value::NationalStringLiteral(s) => self.string(s),
            // MySQL reads "..." as a string.
            Value::DoubleQuotedString(s) => self.string(s),
            Value::EscapedStringLiteral(s) => {
                if s.contains('\\') || s.chars().any(|c| c.is_control()) {
                    return Err(no("PostgreSQL escape string E'…'", self.to));
                }
                self.string(s)
            }
            Value::Boolean(b) => match (self.to, b) {
                (Dialect::SqlServer, true) => "1".into(),
                (Dialect::SqlServer, false) => "0".into(),
                (Dialect::Postgres, true) => "true".into(),
                (Dialect::Postgres, false) => "false".into(),
                (_, true) => "TRUE".into(),
                (_, false) => "FALSE".into(),
            },
            Value::Null => "NULL".into(),
            other => return Err(no(format!("literal `{other}`"), self.to)),
        })
    }

    fn expr(&self, e: &Expr) -> Result<String, String> {
        let to = self.to;
        Ok(match e {
            Expr::Identifier(id) => {
                // SQLite reads a double-quoted word that names no column as a string; a JSON
                // path ("$.a") is never a column.
                if self.from == Dialect::Sqlite
                    && id.quote_style == Some('"')
                    && id.value.starts_with('$')
                {
                    self.string(&id.value)
                } else {
                    self.ident(id)
                }
            }
            Expr::CompoundIdentifier(ids) => ids
                .iter()
                .map(|i| self.ident(i))
                .collect::<Vec<_>>()
                .join("."),
            Expr::Value(v) => self.value(&v.value)?,
            Expr::Nested(inner) => format!("({})", self.expr(inner)?),
            Expr::IsNull(x) => format!("{} IS NULL", self.expr(x)?),
            Expr::IsNotNull(x) => format!("{} IS NOT NULL", self.expr(x)?),
            Expr::IsTrue(x) | Expr::IsFalse(x) | Expr::IsNotTrue(x) | Expr::IsNotFalse(x)
                if to == Dialect::SqlServer =>
            {
                let _ = x;
                return Err(no("IS TRUE / IS FALSE", to));
            }
            Expr::IsTrue(x) => format!("{} IS TRUE", self.expr(x)?),
            Expr::IsFalse(x) => format!("{} IS FALSE", self.expr(x)?),
            Expr::IsNotTrue(x) => format!("{} IS NOT TRUE", self.expr(x)?),
            Expr::IsNotFalse(x) => format!("{} IS NOT FALSE", self.expr(x)?),
            Expr::In {
                expr,
                target: InTarget::List(items),
                negated,
                ..
            } => format!(
                "{} {}IN ({})",
                self.expr(expr)?,
                if *negated { "NOT " } else { "" },
                self.list(items)?
            ),
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => format!(
                "{} {}BETWEEN {} AND {}",
                self.expr(expr)?,
                if *negated { "NOT " } else { "" },
                self.expr(low)?,
                self.expr(high)?
            ),
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right)?,
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            } => {
                let mut s = format!(
                    "{} {}LIKE {}",
                    self.expr(expr)?,
                    if *negated { "NOT " } else { "" },
                    self.expr(pattern)?
                );
                if let Some(esc) = escape_char {
                    s.push_str(&format!(" ESCAPE {}", self.expr(esc)?));
                }
                s
            }
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                if to == Dialect::Postgres {
                    format!(
                        "{} {}ILIKE {}",
                        self.expr(expr)?,
                        if *negated { "NOT " } else { "" },
                        self.expr(pattern)?
                    )
                } else {
                    format!(
                        "lower({}) {}LIKE lower({})",
                        self.expr(expr)?,
                        if *negated { "NOT " } else { "" },
                        self.expr(pattern)?
                    )
                }
            }
            Expr::SimilarTo { .. } => return Err(no("SIMILAR TO", to)),
            Expr::RLike { .. } => return Err(no("MySQL REGEXP", to)),
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => self.array_comparison(left, compare_op, right, true)?,
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => self.array_comparison(left, compare_op, right, false)?,
            Expr::UnaryOp { op, expr } => match op {
                UnaryOperator::Not => format!("NOT {}", self.expr(expr)?),
                UnaryOperator::Minus => format!("-{}", self.expr(expr)?),
                UnaryOperator::Plus => format!("+{}", self.expr(expr)?),
                other => return Err(no(format!("operator `{other}`"), to)),
            },
            Expr::Cast {
                kind: CastKind::Cast | CastKind::DoubleColon,
                expr,
                data_type,
                format: None,
            } => self.cast(expr, data_type)?,
            Expr::TypedString(ts) => {
                let ty = map_type(&ts.data_type.to_string(), self.from).ty;
                match ty {
                    LogicalType::Date
                    | LogicalType::Time
                    | LogicalType::Timestamp
                    | LogicalType::TimestampTz => self.value(&ts.value.value)?,
                    _ => return Err(no(format!("typed literal `{e}`"), to)),
                }
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let mut s = "CASE".to_string();
                if let Some(o) = operand {
                    s.push_str(&format!(" {}", self.expr(o)?));
                }
                for w in conditions {
                    s.push_str(&format!(
                        " WHEN {} THEN {}",
                        self.expr(&w.condition)?,
                        self.expr(&w.result)?
                    ));
                }
                if let Some(x) = else_result {
                    s.push_str(&format!(" ELSE {}", self.expr(x)?));
                }
                s.push_str(" END");
                s
            }
            Expr::Function(f) => self.function(f)?,
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.expr(expr)?];
                match substring_from {
                    Some(f) => args.push(self.expr(f)?),
                    None => args.push("1".into()),
                }
                if let Some(n) = substring_for {
                    args.push(self.expr(n)?);
                }
                self.substr(args)?
            }
            Expr::Trim {
                trim_where: None,
                trim_what: None,
                expr,
                trim_characters: None,
            } => format!("TRIM({})", self.expr(expr)?),
            Expr::Array(_) => return Err("PostgreSQL array/regclass expression".into()),
            Expr::Interval(_) if to != Dialect::Postgres => {
                return Err(no("PostgreSQL interval", to));
            }
            Expr::JsonAccess { .. } | Expr::CompoundFieldAccess { .. } => {
                return Err(no("JSON/field access", to));
            }
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::In { .. } => {
                return Err(no("subquery", to));
            }
            other => return Err(no(format!("`{}`", one_line(&other.to_string())), to)),
        })
    }

    fn binary(&self, left: &Expr, op: &BinaryOperator, right: &Expr) -> Result<String, String> {
        use BinaryOperator as B;
        let to = self.to;
        let sym = match op {
            B::Plus => "+",
            B::Minus => "-",
            B::Multiply => "*",
            B::Divide => "/",
            B::Modulo => "%",
            B::Gt => ">",
            B::Lt => "<",
            B::GtEq => ">=",
            B::LtEq => "<=",
            B::Eq => "=",
            B::NotEq => "<>",
            B::And => "AND",
            B::Or => "OR",
            B::BitwiseAnd => "&",
            B::BitwiseOr => "|",
            B::StringConcat => {
                return match to {
                    Dialect::Postgres | Dialect::Sqlite => {
                        Ok(format!("{} || {}", self.expr(left)?, self.expr(right)?))
                    }
                    Dialect::MySql => {
                        let mut parts = Vec::new();
                        concat_parts(left, &mut parts);
                        concat_parts(right, &mut parts);
                        let v: Result<Vec<String>, String> =
                            parts.into_iter().map(|p| self.expr(p)).collect();
                        Ok(format!("CONCAT({})", v?.join(", ")))
                    }
                    Dialect::SqlServer => Err(no("string concatenation `||`", to)),
                };
            }
            B::PGRegexMatch | B::PGRegexIMatch | B::PGRegexNotMatch | B::PGRegexNotIMatch => {
                return Err(no(
                    format!("PostgreSQL regular expression operator `{op}`"),
                    to,
                ));
            }
            B::Arrow | B::LongArrow | B::HashArrow | B::HashLongArrow => {
                return Err(no(format!("JSON operator `{op}`"), to));
            }
            other => return Err(no(format!("operator `{other}`"), to)),
        };
        Ok(format!("{} {sym} {}", self.expr(left)?, self.expr(right)?))
    }

    /// `x = ANY (ARRAY[a, b])` is `x IN (a, b)`; `x <> ALL (ARRAY[a, b])` is `x NOT IN (a, b)`.
    fn array_comparison(
        &self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        any: bool,
    ) -> Result<String, String> {
        let mut r = right;
        loop {
            match r {
                Expr::Nested(x) => r = x,
                Expr::Cast { expr, .. } => r = expr,
                _ => break,
            }
        }
        let negated = match (op, any) {
            (BinaryOperator::Eq, true) => false,
            (BinaryOperator::NotEq, false) => true,
            _ => return Err("PostgreSQL array/regclass expression".into()),
        };
        let Expr::Array(arr) = r else {
            return Err("PostgreSQL array/regclass expression".into());
        };
        if arr.elem.is_empty() {
            return Err("PostgreSQL array/regclass expression".into());
        }
        Ok(format!(
            "{} {}IN ({})",
            self.expr(left)?,
            if negated { "NOT " } else { "" },
            self.list(&arr.elem)?
        ))
    }

    fn cast(&self, inner: &Expr, dt: &DataType) -> Result<String, String> {
        let to = self.to;
        let text = dt.to_string();
        let lower = text.to_ascii_lowercase();
        if lower.ends_with(']') || lower.starts_with("reg") || lower.contains(".reg") {
            return Err("PostgreSQL array/regclass expression".into());
        }
        let ty = map_type(&text, self.from).ty;
        let core = strip_parens(inner);
        let literal = matches!(core, Expr::Value(_))
            || matches!(core, Expr::UnaryOp { op: UnaryOperator::Minus, expr } if matches!(**expr, Expr::Value(_)));
        let column = matches!(core, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
        use LogicalType as L;
        match &ty {
            L::Interval if to != Dialect::Postgres => Err(no("PostgreSQL interval", to)),
            L::Array(_) => Err("PostgreSQL array/regclass expression".into()),
            // The value is already of the column's type: the cast only names it.
            L::Text | L::Varchar(_) | L::Char(_) | L::Enum(_) | L::Native(_)
                if literal || column =>
            {
                self.expr(inner)
            }
            L::TinyInt
            | L::SmallInt
            | L::Integer
            | L::BigInt
            | L::Decimal(..)
            | L::Real
            | L::Double
            | L::Date
            | L::Time
            | L::Timestamp
            | L::TimestampTz
            | L::Uuid
            | L::Json
                if literal =>
            {
                self.expr(inner)
            }
            L::Boolean if literal => match boolean_value(core) {
                Some(b) => self.value(&Value::Boolean(b)),
                None => Err(no(format!("cast `{}`", one_line(&core.to_string())), to)),
            },
            L::Native(n) => Err(no(format!("type {n}"), to)),
            _ => Ok(format!(
                "CAST({} AS {})",
                self.expr(inner)?,
                self.cast_type(&ty)?
            )),
        }
    }

    fn cast_type(&self, ty: &LogicalType) -> Result<String, String> {
        use LogicalType as L;
        if self.to == Dialect::MySql {
            return Ok(match ty {
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
                other => return Err(no(format!("cast to {other:?}"), self.to)),
            });
        }
        if matches!(ty, L::Enum(_)) {
            return Err(no("cast to an enum type", self.to));
        }
        let p = Project::new("");
        let mut cx = super::ddl::Cx::scratch(&p);
        Ok(self.rules.map_type(
            ty,
            super::dialect::TypeUse {
                keyed: false,
                object: "",
            },
            &mut cx,
        ))
    }

    fn substr(&self, args: Vec<String>) -> Result<String, String> {
        if !(2..=3).contains(&args.len()) {
            return Err(no("substring with these arguments", self.to));
        }
        Ok(match self.to {
            Dialect::SqlServer if args.len() == 2 => {
                return Err(no("substring without a length", self.to));
            }
            Dialect::SqlServer => format!("SUBSTRING({})", args.join(", ")),
            _ => format!("substr({})", args.join(", ")),
        })
    }

    fn now(&self) -> Result<String, String> {
        if self.scope.place == Place::Generated {
            return Err("the current time is not allowed in a generated column".into());
        }
        Ok("CURRENT_TIMESTAMP".into())
    }

    fn function(&self, f: &Function) -> Result<String, String> {
        let to = self.to;
        let name = match f.name.0.last() {
            Some(ObjectNamePart::Identifier(i)) => i.value.to_ascii_lowercase(),
            _ => return Err(no(format!("function `{}`", f.name), to)),
        };
        if f.name.0.len() > 1 {
            let schema = f.name.0[0].to_string().to_ascii_lowercase();
            if !matches!(schema.as_str(), "public" | "pg_catalog" | "dbo" | "main") {
                return Err(no(format!("function {}()", f.name), to));
            }
        }
        if f.over.is_some()
            || f.filter.is_some()
            || !f.within_group.is_empty()
            || f.null_treatment.is_some()
            || !matches!(f.parameters, FunctionArguments::None)
        {
            return Err(no(
                format!("function call `{}`", one_line(&f.to_string())),
                to,
            ));
        }
        let (bare, args): (bool, Vec<&Expr>) = match &f.args {
            FunctionArguments::None => (true, Vec::new()),
            FunctionArguments::List(l) => {
                if l.duplicate_treatment.is_some() || !l.clauses.is_empty() {
                    return Err(no(
                        format!("function call `{}`", one_line(&f.to_string())),
                        to,
                    ));
                }
                let mut v = Vec::new();
                for a in &l.args {
                    match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => v.push(e),
                        _ => {
                            return Err(no(
                                format!("function call `{}`", one_line(&f.to_string())),
                                to,
                            ));
                        }
                    }
                }
                (false, v)
            }
            FunctionArguments::Subquery(_) => return Err(no("subquery", to)),
        };
        let n = args.len();
        let a = |i: usize| self.expr(args[i]);
        let all = || -> Result<String, String> {
            let v: Result<Vec<String>, String> = args.iter().map(|e| self.expr(e)).collect();
            Ok(v?.join(", "))
        };
        let is_now_arg = |e: &Expr| {
            matches!(strip_parens(e), Expr::Value(v)
                if matches!(&v.value, Value::SingleQuotedString(s) if s.eq_ignore_ascii_case("now")))
        };
        let unknown = || {
            Err(format!(
                "function {name}() is not known to exist in {}",
                to.display_name()
            ))
        };
        let deterministic_only = self.scope.place == Place::Generated;
        Ok(match name.as_str() {
            "current_timestamp" | "now" | "localtimestamp" | "getdate" | "sysdatetime"
            | "getutcdate" | "sysutcdatetime" | "utc_timestamp"
                if n <= 1 =>
            {
                self.now()?
            }
            "current_date" | "curdate" if n == 0 => {
                if deterministic_only {
                    return Err("the current date is not allowed in a generated column".into());
                }
                match to {
                    Dialect::SqlServer => "CAST(GETDATE() AS date)".into(),
                    _ => "CURRENT_DATE".into(),
                }
            }
            "datetime" | "strftime"
                if self.from == Dialect::Sqlite && args.iter().any(|e| is_now_arg(e)) =>
            {
                if self.scope.place != Place::Default {
                    return unknown();
                }
                self.now()?
            }
            "date" if self.from == Dialect::Sqlite && n == 1 && is_now_arg(args[0]) => {
                if self.scope.place != Place::Default {
                    return unknown();
                }
                match to {
                    Dialect::SqlServer => "CAST(GETDATE() AS date)".into(),
                    _ => "CURRENT_DATE".into(),
                }
            }
            _ if bare => return unknown(),
            "lower" | "lcase" if n == 1 => format!("lower({})", a(0)?),
            "upper" | "ucase" if n == 1 => format!("upper({})", a(0)?),
            "coalesce" if n >= 1 => format!("COALESCE({})", all()?),
            "ifnull" | "nvl" | "isnull" if n == 2 => format!("COALESCE({})", all()?),
            "nullif" if n == 2 => format!("NULLIF({})", all()?),
            "abs" if n == 1 => format!("abs({})", a(0)?),
            "round" if n == 1 || n == 2 => format!("round({})", all()?),
            "length" | "char_length" | "character_length" | "len" if n == 1 => match to {
                Dialect::Postgres => format!("length({})", a(0)?),
                Dialect::MySql => format!("CHAR_LENGTH({})", a(0)?),
                Dialect::Sqlite => format!("length({})", a(0)?),
                Dialect::SqlServer => format!("LEN({})", a(0)?),
            },
            "substr" | "substring" => {
                let v: Result<Vec<String>, String> = args.iter().map(|e| self.expr(e)).collect();
                self.substr(v?)?
            }
            "trim" | "ltrim" | "rtrim" if n == 1 => format!("{}({})", name.to_uppercase(), a(0)?),
            "replace" if n == 3 => format!("REPLACE({})", all()?),
            "concat" if n >= 1 && to != Dialect::Sqlite => format!("CONCAT({})", all()?),
            "greatest" | "least" if n >= 2 => match to {
                Dialect::Postgres | Dialect::MySql => {
                    format!("{}({})", name.to_uppercase(), all()?)
                }
                Dialect::Sqlite => format!(
                    "{}({})",
                    if name == "greatest" { "max" } else { "min" },
                    all()?
                ),
                Dialect::SqlServer => return unknown(),
            },
            "mod" if n == 2 => match to {
                Dialect::Postgres | Dialect::MySql => format!("mod({})", all()?),
                _ => format!("({} % {})", a(0)?, a(1)?),
            },
            "uuid" | "gen_random_uuid" | "uuid_generate_v4" | "uuid_generate_v1"
            | "uuid_generate_v1mc" | "newid" | "newsequentialid"
                if n == 0 && !deterministic_only =>
            {
                match to {
                    Dialect::Postgres => "gen_random_uuid()".into(),
                    Dialect::MySql => "uuid()".into(),
                    Dialect::SqlServer => "NEWID()".into(),
                    Dialect::Sqlite => return Err(no("a UUID generator", to)),
                }
            }
            "json_extract"
                if n == 2
                    && matches!(self.from, Dialect::MySql | Dialect::Sqlite)
                    && matches!(to, Dialect::MySql | Dialect::Sqlite) =>
            {
                format!("JSON_EXTRACT({})", all()?)
            }
            _ => return unknown(),
        })
    }
}

/// The operands of a chain of `||`, left to right.
fn concat_parts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::StringConcat,
            right,
        } => {
            concat_parts(left, out);
            concat_parts(right, out);
        }
        other => out.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::dialect::rules;

    fn tr(e: &str, from: Dialect, to: Dialect) -> Result<String, String> {
        translate(e, from, to, rules(to))
    }
    fn def(e: &str, ty: LogicalType, from: Dialect, to: Dialect) -> Result<String, String> {
        translate_default(e, &ty, from, to, rules(to))
    }
    use Dialect::{MySql, Postgres as Pg, SqlServer as Ms, Sqlite};

    #[test]
    fn engine_specific_default_forms() {
        use LogicalType as L;
        // Zero dates from any source: dropped where no date can be zero, kept for MySQL.
        assert!(def("'0000-00-00'", L::Date, Sqlite, Pg).is_err());
        assert!(def("'0000-00-00 00:00:00'", L::Timestamp, MySql, Ms).is_err());
        assert_eq!(
            def("'0000-00-00'", L::Date, Sqlite, MySql).unwrap(),
            "'0000-00-00'"
        );
        assert!(def("'0000-00-00'", L::Date, MySql, Sqlite).is_err());
        // Bit and hex literals by column type.
        assert_eq!(def("b'1'", L::Boolean, MySql, Pg).unwrap(), "true");
        assert_eq!(def("b'101'", L::Integer, MySql, Sqlite).unwrap(), "5");
        assert_eq!(def("0x10", L::Integer, MySql, Pg).unwrap(), "16");
        assert_eq!(
            def("0x0A0B", L::Bytes, MySql, Pg).unwrap(),
            "'\\x0a0b'::bytea"
        );
        assert_eq!(def("0x0A0B", L::Bytes, MySql, Sqlite).unwrap(), "X'0A0B'");
        assert_eq!(def("0x0A0B", L::Bytes, MySql, Ms).unwrap(), "0x0A0B");
        assert_eq!(
            def("b'0'", L::Native("bit(4)".into()), MySql, Pg).unwrap(),
            "B'0000'"
        );
        // PostgreSQL's 'now': the current time elsewhere, with a note.
        let scope = Scope {
            place: Place::Default,
            columns: &[],
        };
        let (e, note) =
            translate_default_noted("'now'", &L::Timestamp, Pg, MySql, rules(MySql), &scope)
                .unwrap();
        assert!(e.starts_with("CURRENT_TIMESTAMP"), "{e}");
        assert!(note.is_some_and(|n| n.contains("fixed when the table is created")));
    }

    #[test]
    fn same_dialect_is_untouched() {
        for d in Dialect::ALL {
            assert_eq!(
                tr("x ~ E'^\\\\d$'  ::: junk", d, d).unwrap(),
                "x ~ E'^\\\\d$'  ::: junk"
            );
            assert_eq!(def("'0'", LogicalType::Boolean, d, d).unwrap(), "'0'");
        }
    }

    #[test]
    fn postgres_casts() {
        let enum_ty = LogicalType::Native("mpaa_rating".into());
        assert_eq!(
            def("'G'::mpaa_rating", enum_ty.clone(), Pg, Sqlite).unwrap(),
            "'G'"
        );
        assert_eq!(
            def("'G'::public.mpaa_rating", enum_ty, Pg, MySql).unwrap(),
            "'G'"
        );
        assert_eq!(
            def("'x'::character varying", LogicalType::Text, Pg, MySql).unwrap(),
            "'x'"
        );
        assert_eq!(
            def("'x'::bpchar", LogicalType::Char(1), Pg, Sqlite).unwrap(),
            "'x'"
        );
        assert_eq!(
            def("0::numeric", LogicalType::Decimal(None, None), Pg, Ms).unwrap(),
            "0"
        );
        assert_eq!(
            tr("(code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])", Pg, MySql)
                .unwrap(),
            "(code) IN ('a', 'b')"
        );
        assert_eq!(
            tr("(price)::integer > 0", Pg, Sqlite).unwrap(),
            "CAST((price) AS INTEGER) > 0"
        );
        assert_eq!(
            tr("(price)::integer > 0", Pg, MySql).unwrap(),
            "CAST((price) AS SIGNED) > 0"
        );
        assert!(
            tr("'a'::regclass IS NOT NULL", Pg, Sqlite)
                .unwrap_err()
                .contains("array/regclass")
        );
        assert!(tr("x = ANY (y)", Pg, Sqlite).unwrap_err().contains("array"));
        assert!(
            tr("tags <> ARRAY['a']", Pg, MySql)
                .unwrap_err()
                .contains("array")
        );
        assert!(
            tr("birth <= (now() - '18 years'::interval)", Pg, Sqlite)
                .unwrap_err()
                .contains("interval")
        );
    }

    #[test]
    fn identifiers_are_quoted_for_the_target() {
        assert_eq!(
            tr("[UnitPrice] >= (0)", Sqlite, Pg).unwrap(),
            "\"UnitPrice\" >= (0)"
        );
        assert_eq!(
            tr("[UnitPrice] >= (0)", Ms, MySql).unwrap(),
            "`UnitPrice` >= (0)"
        );
        assert_eq!(tr("Lock = 'X'", Sqlite, MySql).unwrap(), "`Lock` = 'X'");
        let cols = ["lock"];
        let scope = Scope {
            place: Place::Check,
            columns: &cols,
        };
        assert_eq!(
            translate_in("Lock = 'X'", Sqlite, Pg, rules(Pg), &scope).unwrap(),
            "\"lock\" = 'X'"
        );
        assert_eq!(tr("\"order\" <> ''", Pg, MySql).unwrap(), "`order` <> ''");
        assert_eq!(
            tr("`order` > 0 AND qty > 0", MySql, Pg).unwrap(),
            "\"order\" > 0 AND qty > 0"
        );
        assert_eq!(tr("`order` > 0", MySql, Sqlite).unwrap(), "\"order\" > 0");
        // Unquoted PostgreSQL names are folded to lower case.
        assert_eq!(tr("Qty > 0", Pg, Sqlite).unwrap(), "qty > 0");
    }

    #[test]
    fn string_literals() {
        assert_eq!(
            tr("JSON_EXTRACT(attrs, \"$.a\") IS NOT NULL", MySql, Sqlite).unwrap(),
            "JSON_EXTRACT(attrs, '$.a') IS NOT NULL"
        );
        assert_eq!(
            tr("JSON_EXTRACT(attrs, \"$.a\")", Sqlite, MySql).unwrap(),
            "JSON_EXTRACT(attrs, '$.a')"
        );
        assert!(tr("JSON_EXTRACT(attrs, \"$.a\")", Sqlite, Pg).is_err());
        assert_eq!(tr("name <> E'x'", Pg, MySql).unwrap(), "name <> 'x'");
        assert!(tr("name <> E'a\\nb'", Pg, MySql).is_err());
        assert_eq!(tr("note <> N'x'", Ms, Pg).unwrap(), "note <> 'x'");
        assert_eq!(tr("note <> 'x'", Pg, Ms).unwrap(), "note <> N'x'");
        assert_eq!(tr("p <> 'a\\b'", Pg, MySql).unwrap(), "p <> 'a\\\\b'");
    }

    #[test]
    fn boolean_defaults() {
        let b = LogicalType::Boolean;
        assert_eq!(def("0", b.clone(), MySql, Pg).unwrap(), "false");
        assert_eq!(def("'1'", b.clone(), Sqlite, Pg).unwrap(), "true");
        assert_eq!(def("((1))", b.clone(), Ms, Pg).unwrap(), "true");
        assert_eq!(def("b'0'", b.clone(), MySql, Pg).unwrap(), "false");
        assert_eq!(def("true", b.clone(), Pg, MySql).unwrap(), "1");
        assert_eq!(def("false", b.clone(), Pg, Sqlite).unwrap(), "0");
        assert_eq!(def("false", b.clone(), Pg, Ms).unwrap(), "0");
        assert_eq!(def("0", LogicalType::Integer, MySql, Pg).unwrap(), "0");
    }

    #[test]
    fn utc_offsets_for_mysql() {
        let ts = LogicalType::Timestamp;
        assert_eq!(
            def("'1970-01-01 00:00:01+00:00'", ts.clone(), Pg, MySql).unwrap(),
            "'1970-01-01 00:00:01'"
        );
        assert_eq!(
            def(
                "'1970-01-01 00:00:01+00'::timestamp with time zone",
                LogicalType::TimestampTz,
                Pg,
                MySql
            )
            .unwrap(),
            "'1970-01-01 00:00:01'"
        );
        assert!(def("'1970-01-01 00:00:01+02:00'", ts.clone(), Pg, MySql).is_err());
        assert_eq!(
            def("'1970-01-01 00:00:01'", ts.clone(), Pg, MySql).unwrap(),
            "'1970-01-01 00:00:01'"
        );
        assert_eq!(
            def("'1970-01-01 00:00:01+00:00'", ts, Pg, Sqlite).unwrap(),
            "'1970-01-01 00:00:01+00:00'"
        );
    }

    #[test]
    fn array_defaults_become_json() {
        let arr = LogicalType::Array(Box::new(LogicalType::Varchar(None)));
        assert_eq!(
            def("'{}'::CHARACTER VARYING[]", arr.clone(), Pg, MySql).unwrap(),
            "'[]'"
        );
        assert_eq!(
            def(
                "'{email_password,google_oauth}'::varchar[]",
                arr.clone(),
                Pg,
                Sqlite
            )
            .unwrap(),
            "'[\"email_password\",\"google_oauth\"]'"
        );
        assert!(def("'{\"a,b\"}'::text[]", arr, Pg, Sqlite).is_err());
    }

    #[test]
    fn zero_dates() {
        assert!(
            def("'0000-00-00 00:00:00'", LogicalType::Timestamp, MySql, Pg)
                .unwrap_err()
                .contains("zero date")
        );
        assert!(def("'0000-00-00'", LogicalType::Date, MySql, Sqlite).is_err());
        assert_eq!(
            def("'2000-01-01 00:00:00'", LogicalType::Timestamp, MySql, Pg).unwrap(),
            "'2000-01-01 00:00:00'"
        );
    }

    #[test]
    fn postgres_only_constructs() {
        for to in [MySql, Sqlite, Ms] {
            assert!(
                tr("ipi ~ E'^\\\\d{11}$'", Pg, to)
                    .unwrap_err()
                    .contains("regular expression")
            );
            assert!(tr("name ~* 'a'", Pg, to).is_err());
            assert!(tr("name !~ 'a'", Pg, to).is_err());
            assert!(
                tr("name SIMILAR TO 'a%'", Pg, to)
                    .unwrap_err()
                    .contains("SIMILAR TO")
            );
            assert!(
                tr("(data ->> 'a') IS NOT NULL", Pg, to)
                    .unwrap_err()
                    .contains("JSON")
            );
        }
        assert!(
            tr("x > > y", Pg, MySql)
                .unwrap_err()
                .contains("cannot parse")
        );
    }

    #[test]
    fn functions() {
        assert!(def("uuid_generate_v1()", LogicalType::Uuid, Pg, Sqlite).is_err());
        assert_eq!(
            def("uuid_generate_v1()", LogicalType::Uuid, Pg, MySql).unwrap(),
            "uuid()"
        );
        assert_eq!(
            def("newid()", LogicalType::Uuid, Ms, Pg).unwrap(),
            "gen_random_uuid()"
        );
        assert_eq!(
            def("now()", LogicalType::Timestamp, Pg, MySql).unwrap(),
            "CURRENT_TIMESTAMP"
        );
        assert_eq!(
            def("(getdate())", LogicalType::Timestamp, Ms, Pg).unwrap(),
            "(CURRENT_TIMESTAMP)"
        );
        assert_eq!(
            def("datetime('now')", LogicalType::Timestamp, Sqlite, Pg).unwrap(),
            "CURRENT_TIMESTAMP"
        );
        assert_eq!(
            def("CURRENT_TIMESTAMP", LogicalType::Timestamp, Sqlite, MySql).unwrap(),
            "CURRENT_TIMESTAMP"
        );
        let generated = Scope {
            place: Place::Generated,
            columns: &[],
        };
        assert!(
            translate_in(
                "STRFTIME('%s', started)",
                Sqlite,
                MySql,
                rules(MySql),
                &generated
            )
            .unwrap_err()
            .contains("strftime")
        );
        assert!(translate_in("now()", Pg, MySql, rules(MySql), &generated).is_err());
        assert_eq!(
            tr("length(name) > 2", Pg, MySql).unwrap(),
            "CHAR_LENGTH(name) > 2"
        );
        assert_eq!(tr("len(name) > 2", Ms, Pg).unwrap(), "length(name) > 2");
        assert_eq!(
            tr("lower(email) = email", MySql, Pg).unwrap(),
            "lower(email) = email"
        );
        assert_eq!(tr("a || b <> ''", Pg, MySql).unwrap(), "CONCAT(a, b) <> ''");
        assert_eq!(
            tr("coalesce(a, 0) + abs(b) >= round(c, 2)", Pg, Ms).unwrap(),
            "COALESCE(a, 0) + abs(b) >= round(c, 2)"
        );
        assert_eq!(
            tr("substring(code from 1 for 2) = 'ab'", Pg, Sqlite).unwrap(),
            "substr(code, 1, 2) = 'ab'"
        );
        assert!(
            tr("my_func(a) > 0", Pg, MySql)
                .unwrap_err()
                .contains("my_func")
        );
        assert!(tr("HANDLER_CFG_(255)", MySql, Pg).is_err());
    }

    #[test]
    fn portable_expressions_keep_their_meaning() {
        assert_eq!(
            tr("status IN ('a', 'b') AND qty BETWEEN 1 AND 10", Pg, Ms).unwrap(),
            "status IN (N'a', N'b') AND qty BETWEEN 1 AND 10"
        );
        assert_eq!(
            tr("CASE WHEN a IS NULL THEN 0 ELSE 1 END = 1", MySql, Pg).unwrap(),
            "CASE WHEN a IS NULL THEN 0 ELSE 1 END = 1"
        );
        assert_eq!(
            tr("name ILIKE 'a%'", Pg, MySql).unwrap(),
            "lower(name) LIKE lower('a%')"
        );
        assert_eq!(tr("NOT (a <> -1)", Sqlite, Pg).unwrap(), "NOT (a <> -1)");
        assert_eq!(tr("flag = TRUE", Pg, Ms).unwrap(), "flag = 1");
        assert!(tr("", Pg, MySql).unwrap_err().starts_with("cannot parse"));
        assert!(
            tr("a > 0 b", Pg, MySql)
                .unwrap_err()
                .starts_with("cannot parse")
        );
    }
}
