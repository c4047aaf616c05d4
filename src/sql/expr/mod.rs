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
use crate::model::{Dialect, LogicalType};
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, InTarget, ObjectNamePart, UnaryOperator, Value,
};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

mod tr;
use tr::*;

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
        src: super::dialect::rules(from),
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
        if !rules.zero_dates() {
            return Err(format!(
                "the zero date (MySQL's `0000-00-00`) is not a valid {} date",
                to.display_name()
            ));
        }
        return Ok((
            expr.to_string(),
            Some(
                "zero date kept: MariaDB accepts it, MySQL 5.7+ refuses it under its default \
                 sql_mode (NO_ZERO_DATE)"
                    .into(),
            ),
        ));
    }
    if let Some(bits) = bit_or_hex_value(core)
        && let Some(out) = bits_as(&bits, column_type, rules)
    {
        return Ok((out, None));
    }
    if super::dialect::rules(from).special_time_strings()
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
                src: super::dialect::rules(from),
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
    if rules.timestamps_without_offset()
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
        return Ok((rules.boolean_value(b).into(), None));
    }
    Tr {
        from,
        to,
        src: super::dialect::rules(from),
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
fn bits_as(bytes: &[u8], ty: &LogicalType, to: &dyn DialectRules) -> Option<String> {
    let number = || -> Option<u128> {
        (bytes.len() <= 16).then(|| bytes.iter().fold(0u128, |n, b| (n << 8) | u128::from(*b)))
    };
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    match ty {
        LogicalType::Boolean => {
            let n = number()?;
            (n <= 1).then(|| to.boolean_value(n == 1).to_string())
        }
        LogicalType::TinyInt
        | LogicalType::SmallInt
        | LogicalType::Integer
        | LogicalType::BigInt
        | LogicalType::Decimal(..) => number().map(|n| n.to_string()),
        LogicalType::Bytes => Some(to.bytes_literal(&hex)),
        LogicalType::Native(n) if n.trim_start().to_ascii_lowercase().starts_with("bit") => {
            to.bit_literal(number()?, n_declared(ty))
        }
        _ => None,
    }
}

fn parse(expr: &str, from: Dialect) -> Result<Expr, String> {
    let from = super::dialect::rules(from).parser();
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
    run(from, expr)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::dialect::rules;

    fn tr(e: &str, from: Dialect, to: Dialect) -> Result<String, String> {
        translate(e, from, to, rules(to))
    }
    /// `e` cannot be translated from `from` to `to`, for a reason mentioning `why`.
    fn refused(e: &str, from: Dialect, to: Dialect, why: &str) {
        let err = tr(e, from, to).expect_err(e);
        assert!(err.contains(why), "{e}: {err}");
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
        refused("'a'::regclass IS NOT NULL", Pg, Sqlite, "array/regclass");
        refused("x = ANY (y)", Pg, Sqlite, "array");
        refused("tags <> ARRAY['a']", Pg, MySql, "array");
        refused(
            "birth <= (now() - '18 years'::interval)",
            Pg,
            Sqlite,
            "interval",
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
            refused("ipi ~ E'^\\\\d{11}$'", Pg, to, "regular expression");
            assert!(tr("name ~* 'a'", Pg, to).is_err());
            assert!(tr("name !~ 'a'", Pg, to).is_err());
            refused("name SIMILAR TO 'a%'", Pg, to, "SIMILAR TO");
            refused("(data ->> 'a') IS NOT NULL", Pg, to, "JSON");
        }
        refused("x > > y", Pg, MySql, "cannot parse");
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
        refused("my_func(a) > 0", Pg, MySql, "my_func");
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
