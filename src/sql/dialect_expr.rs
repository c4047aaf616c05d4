//! What each dialect's expressions look like, for the translator (`sql::expr`): literals,
//! operators and functions that are written differently, and how the source dialect reads
//! what was written in it. Every [`DialectRules`](super::dialect::DialectRules) is also an
//! `ExprRules`; the defaults are the portable SQL most engines take, and each dialect file
//! overrides what differs.

use crate::model::{Dialect, LogicalType, Project};

/// `what` has no equivalent in `dialect` (the translator's one-line refusal).
pub fn no(what: impl std::fmt::Display, dialect: Dialect) -> String {
    format!("{what} has no {} equivalent", dialect.display_name())
}

pub trait ExprRules {
    // ---- reading: how the dialect an expression was written in reads it ----

    /// The sqlparser dialect that parses this dialect's SQL.
    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect;

    /// Unquoted identifiers are folded to lower case and quoted ones are case-sensitive
    /// (PostgreSQL); elsewhere names compare case-insensitively as written.
    fn folds_unquoted_identifiers(&self) -> bool {
        false
    }

    /// A double-quoted word that names no column is a string (SQLite's fallback; a JSON path
    /// such as `"$.a"` is never a column).
    fn double_quoted_strings(&self) -> bool {
        false
    }

    /// `'now'`/`'today'` string literals stand for the current time (PostgreSQL's special
    /// date/time inputs, fixed when the table is created).
    fn special_time_strings(&self) -> bool {
        false
    }

    /// `datetime('now')`, `strftime(…, 'now')`, `date('now')` read the current time
    /// (SQLite).
    fn now_as_function_argument(&self) -> bool {
        false
    }

    // ---- writing: how the target dialect writes a construct ----

    /// The zero date (`'0000-00-00'`) is a value (MariaDB/MySQL).
    fn zero_dates(&self) -> bool {
        false
    }

    /// Timestamp literals must be written without a UTC offset (MySQL's DATETIME).
    fn timestamps_without_offset(&self) -> bool {
        false
    }

    /// A boolean written as a column value (default, bit literal).
    fn boolean_value(&self, b: bool) -> &'static str {
        if b { "1" } else { "0" }
    }

    /// A boolean literal inside an expression.
    fn boolean_literal(&self, b: bool) -> &'static str {
        if b { "TRUE" } else { "FALSE" }
    }

    /// A binary string literal from its upper-case hex digits.
    fn bytes_literal(&self, hex: &str) -> String {
        format!("X'{hex}'")
    }

    /// A value `n` for a native `bit` column (`declared`: the `n` of `bit(n)`); `None` when
    /// it does not fit.
    fn bit_literal(&self, n: u128, declared: Option<usize>) -> Option<String> {
        let _ = declared;
        Some(n.to_string())
    }

    /// `IS TRUE` / `IS FALSE` exist.
    fn is_true_operators(&self) -> bool {
        true
    }

    /// `ILIKE` exists (else `lower(a) LIKE lower(b)`).
    fn ilike(&self) -> bool {
        false
    }

    /// Interval values and types exist.
    fn intervals(&self) -> bool {
        false
    }

    /// String concatenation of the operands of a `||` chain; `None` when the dialect has no
    /// way to write it in an expression.
    fn concat(&self, parts: &[String]) -> Option<String> {
        Some(parts.join(" || "))
    }

    /// The type named in `CAST(x AS …)` when it is not the column type
    /// ([`default_cast_type`]): `None` takes the default.
    fn cast_type(&self, ty: &LogicalType) -> Option<Result<String, String>> {
        let _ = ty;
        None
    }

    /// `substr` with 2 or 3 arguments.
    fn substr(&self, args: &[String]) -> Result<String, String> {
        Ok(format!("substr({})", args.join(", ")))
    }

    /// Today's date.
    fn current_date(&self) -> &'static str {
        "CURRENT_DATE"
    }

    /// The function counting the characters of a string.
    fn length_function(&self) -> &'static str {
        "length"
    }

    /// A `CONCAT(…)` function exists.
    fn concat_function(&self) -> bool {
        true
    }

    /// The function for `greatest` (or `least`), if any.
    fn greatest_least(&self, greatest: bool) -> Option<&'static str> {
        Some(if greatest { "GREATEST" } else { "LEAST" })
    }

    /// `mod(a, b)` exists (else `(a % b)`).
    fn mod_function(&self) -> bool {
        false
    }

    /// A call producing a random UUID, if the dialect has one built in.
    fn uuid_function(&self) -> Option<&'static str> {
        None
    }

    /// `json_extract(doc, path)` with MySQL/SQLite path syntax.
    fn json_extract(&self) -> bool {
        false
    }
}

/// The cast type most dialects take: the column type of `ty` (enums have no cast).
pub fn default_cast_type(
    r: &dyn super::dialect::DialectRules,
    ty: &LogicalType,
) -> Result<String, String> {
    if matches!(ty, LogicalType::Enum(_)) {
        return Err(no("cast to an enum type", r.dialect()));
    }
    let p = Project::new("");
    let mut cx = super::ddl::Cx::scratch(&p);
    Ok(r.map_type(
        ty,
        super::dialect::TypeUse {
            keyed: false,
            object: "",
        },
        &mut cx,
    ))
}
