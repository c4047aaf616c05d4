//! SQL text the model holds and pastes into DDL: native type names and expressions (defaults,
//! checks, generated columns, index expressions and predicates, partition clauses, view
//! queries). A project file is untrusted input: text that could close the statement it is
//! pasted into and start another (`int); ATTACH DATABASE ... ; CREATE TABLE zz (q int`) is
//! refused when a project is loaded or edited, so no export and no advisor run ever emits a
//! second statement.
//!
//! - A **native type** follows a small type grammar: words (`double precision`, `with time
//!   zone`, `unsigned`), dotted and double-quoted names (`public.citext`, `"char"`), one
//!   parenthesised list of numbers, words and string literals (`numeric(10, 2)`,
//!   `geometry(Point, 4326)`, `enum('a','b')`) possibly nested, and array brackets (`int[]`,
//!   `text[3]`).
//! - An **expression** must lex as SQL under both standard string rules and MySQL's
//!   backslash escapes (text safe under one lexing could break out under the other), with no
//!   statement separator outside literals, balanced parentheses, and no unterminated string,
//!   quoted name or comment. In that MySQL lexing `#` is not taken as a comment here:
//!   PostgreSQL's operators `#`, `#>`, `#>>`, `#-` are everyday expression text. What reaches
//!   a MySQL script is checked again under MySQL's real rules, `#` comments included
//!   ([`check_expression_for`], called by the DDL generator), and left out with a warning when
//!   it fails.

/// Longest accepted native type name, in bytes.
const MAX_TYPE_LEN: usize = 256;

/// Check a native type name (see the module docs).
pub fn check_native_type(s: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("native type `{}`: {why}", shorten(s)));
    if s.trim().is_empty() {
        return bad("empty");
    }
    if s.len() > MAX_TYPE_LEN {
        return bad("too long");
    }
    let mut chars = s.chars().peekable();
    let mut depth = 0usize;
    let mut brackets = false;
    while let Some(c) = chars.next() {
        match c {
            c if c.is_alphanumeric() || c == '_' || c == '$' => {}
            ' ' | '\t' | '.' => {}
            '(' => {
                if brackets {
                    return bad("a parenthesis after array brackets");
                }
                depth += 1;
                if depth > 3 {
                    return bad("parentheses nested too deep");
                }
            }
            ')' => {
                if depth == 0 {
                    return bad("a `)` that closes nothing");
                }
                depth -= 1;
            }
            ',' | '+' | '-' if depth > 0 => {
                if c == '-' && chars.peek() == Some(&'-') {
                    return bad("a comment");
                }
            }
            '\'' if depth > 0 => {
                // A string literal (`enum('a','b')`), '' doubles a quote; no backslashes,
                // which would read differently in MySQL and elsewhere.
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                        }
                        Some('\'') => break,
                        Some('\\') | Some('\n') | Some('\r') | Some(';') => {
                            return bad("a string with a backslash, line break or `;`");
                        }
                        Some(_) => {}
                        None => return bad("an unterminated string"),
                    }
                }
            }
            '"' => loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                    }
                    Some('"') => break,
                    Some(c) if c.is_control() || c == ';' || c == '\\' => {
                        return bad("a quoted name with a control character, `;` or backslash");
                    }
                    Some(_) => {}
                    None => return bad("an unterminated quoted name"),
                }
            },
            '[' if depth == 0 => {
                // `[]` or `[N]` (array brackets), or a SQL Server quoted name (`[nvarchar]`,
                // before any array brackets).
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some(']') => break,
                        Some(c)
                            if !(c.is_control()
                                || matches!(c, ';' | '(' | ')' | '\'' | '"' | '\\' | '[')) =>
                        {
                            inner.push(c)
                        }
                        _ => return bad("brackets hold a number or a name"),
                    }
                }
                if inner.is_empty() || inner.chars().all(|c| c.is_ascii_digit()) {
                    brackets = true;
                } else if brackets || inner.contains("--") || inner.contains("/*") {
                    return bad("brackets hold a number or a name");
                }
            }
            _ => {
                return bad(&format!(
                    "`{}` is not part of a type name",
                    c.escape_debug()
                ));
            }
        }
    }
    if depth != 0 {
        return bad("an unclosed `(`");
    }
    Ok(())
}

/// Check the native type names inside a logical type.
pub fn check_type(ty: &crate::model::LogicalType) -> Result<(), String> {
    use crate::model::LogicalType;
    match ty {
        LogicalType::Native(s) => check_native_type(s),
        LogicalType::Array(inner) => check_type(inner),
        _ => Ok(()),
    }
}

/// Check an SQL expression or a view's query (see the module docs).
///
/// Written by hand rather than with sqlparser's tokenizer: the same text must be lexed under
/// two sets of string rules at once (standard, and MySQL's backslash escapes, `#` comments and
/// `/*! executable comments */`), with PostgreSQL's dollar quotes and nested comments and SQL
/// Server's brackets in mind; a scan without allocation is also about ten times faster, and
/// every imported expression goes through it twice.
pub fn check_expression(s: &str) -> Result<(), String> {
    scan(s, Lexing::Standard)
        .and_then(|()| scan(s, Lexing::MySqlWithoutHash))
        .map_err(|why| format!("`{}`: {why}", shorten(s)))
}

/// Check an expression or query about to be written into a script for `dialect`, under that
/// engine's own lexing (MySQL: `#` starts a comment, so PostgreSQL's `#>>` cannot be written
/// there as it is).
pub fn check_expression_for(s: &str, dialect: crate::model::Dialect) -> Result<(), String> {
    let lexing = match dialect {
        crate::model::Dialect::MySql => Lexing::MySql,
        _ => Lexing::Standard,
    };
    scan(s.trim_end().strip_suffix(';').unwrap_or(s), lexing)
        .map_err(|why| format!("`{}`: {why}", shorten(s)))
}

/// How [`scan`] lexes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lexing {
    /// `''` escapes, `[brackets]`, `$tag$` strings, nested comments.
    Standard,
    /// Backslash escapes, `/*!` executable comments, and no `#` (a comment there).
    MySql,
    /// MySQL's strings with `#` read as an operator (the model's check; see the module docs).
    MySqlWithoutHash,
}

/// Lex `s` as SQL under `lexing`. Refuses a `;` outside literals and comments, unbalanced
/// parentheses, anything unterminated, nested comments (PostgreSQL nests them, MySQL does
/// not), MySQL executable comments and NUL.
fn scan(s: &str, lexing: Lexing) -> Result<(), String> {
    let mysql = lexing != Lexing::Standard;
    let b = s.as_bytes();
    let mut i = 0;
    let mut depth = 0i64;
    let quoted = |i: usize, close: u8, backslash: bool, what: &str| {
        quoted_end(b, i, close, backslash).ok_or_else(|| format!("an unterminated {what}"))
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        i = match c {
            0 => return Err("a NUL character".into()),
            b';' => return Err("a `;` (a second statement) is not allowed here".into()),
            b'(' => {
                depth += 1;
                i + 1
            }
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return Err("a `)` that closes nothing".into());
                }
                i + 1
            }
            b'\'' => quoted(i, b'\'', mysql, "string")?,
            b'"' => quoted(i, b'"', mysql, "quoted name")?,
            b'`' => quoted(i, b'`', false, "quoted name")?,
            b'[' if !mysql => quoted(i, b']', false, "bracketed name")?,
            // MySQL needs white space (or the end) after `--` for a comment: `1--1` is
            // arithmetic there.
            b'-' if b.get(i + 1) == Some(&b'-')
                && (!mysql
                    || b.get(i + 2)
                        .is_none_or(|x| x.is_ascii_whitespace() || x.is_ascii_control())) =>
            {
                b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p)
            }
            // Written into a MySQL script, a `#` would end the expression there (the rest of
            // the line is a comment): PostgreSQL's `#>>` would silently become its left side.
            b'#' if lexing == Lexing::MySql => {
                return Err("a `#`, which starts a comment in MySQL".into());
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                if mysql && b.get(i + 2) == Some(&b'!') {
                    return Err("a MySQL executable comment (`/*!`)".into());
                }
                let body = &s[i + 2..];
                let end = body.find("*/").ok_or("an unterminated comment")?;
                if body[..end].contains("/*") {
                    return Err("a nested comment".into());
                }
                i + 2 + end + 2
            }
            b'$' if !mysql && (i == 0 || !ident(b[i - 1])) => {
                let tag_len = b[i + 1..]
                    .iter()
                    .take_while(|&&x| ident(x) && x < 0x80)
                    .count();
                let t = i + 1 + tag_len;
                if b.get(t) == Some(&b'$') && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    let tag = &s[i..=t];
                    let end = s[t + 1..]
                        .find(tag)
                        .ok_or("an unterminated dollar-quoted string")?;
                    t + 1 + end + tag.len()
                } else {
                    i + 1
                }
            }
            _ => i + 1,
        };
    }
    if depth != 0 {
        return Err("an unclosed `(`".into());
    }
    Ok(())
}

/// The byte offset just after the quoted run opened at `b[i]` and closed by `close`: a doubled
/// `close` stands for itself (except `]]`: a bracketed name ends at its first `]`, which for
/// the check is the stricter reading), and with `backslash`
/// a backslash escapes the next byte (MySQL). `None` when the run is never closed. Shared by
/// this check and the script splitter (`sql::import::split`).
pub(crate) fn quoted_end(b: &[u8], i: usize, close: u8, backslash: bool) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        if backslash && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == close {
            if j + 1 < b.len() && b[j + 1] == close && close != b']' {
                j += 2;
                continue;
            }
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

/// A view's query: an expression check that tolerates one trailing `;`.
pub fn check_query(s: &str) -> Result<(), String> {
    check_expression(s.trim_end().strip_suffix(';').unwrap_or(s))
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_type_names_pass() {
        for t in [
            "int",
            "double precision",
            "character varying(255)[]",
            "timestamp(6) with time zone",
            "numeric(10, 2)",
            "decimal(10,2) unsigned zerofill",
            "geometry(Point, 4326)",
            "enum('a','it''s')",
            "set('x','y') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
            "\"char\"",
            "public.citext",
            "int[3][4]",
            "interval day to second(3)",
            "varchar(max)",
            "nvarchar(-1)",
            "tsvector",
            "Nullable(Array(String))",
            "[nvarchar](20)",
            "[dbo].[Flag]",
        ] {
            assert!(
                check_native_type(t).is_ok(),
                "{t}: {:?}",
                check_native_type(t)
            );
        }
    }

    #[test]
    fn statement_breakouts_fail() {
        for t in [
            "int); ATTACH DATABASE '/path/app.db' AS v; DROP TABLE v.users; CREATE TABLE zz (q int",
            "int)",
            "int -- x",
            "int /* x */",
            "int;",
            "enum('a\\', 'b')",
            "\"x\"\"",
            "text\n",
            "int[1); x]",
            "",
        ] {
            assert!(check_native_type(t).is_err(), "{t}");
        }
    }

    #[test]
    fn expressions_are_single_and_closed() {
        for e in [
            "0",
            "'it''s'",
            "'a;b'",
            "lower(email)",
            "(price > 0) AND (qty >= 0)",
            "CURRENT_TIMESTAMP",
            "nextval('t_seq'::regclass)",
            "`a` + `b`",
            "[x] + 1",
            "'C:\\\\dir'",
            "x -- a note\n",
        ] {
            assert!(
                check_expression(e).is_ok(),
                "{e}: {:?}",
                check_expression(e)
            );
        }
        for e in [
            "1); DROP TABLE users; --",
            "0) ; ATTACH DATABASE 'x' AS y; CREATE TABLE z (q int",
            "'\\'; DROP TABLE t; --'",
            "'open",
            "/* open",
            "(1",
            "1)",
        ] {
            assert!(check_expression(e).is_err(), "{e}");
        }
        for e in [
            "/* /* */ ; */",
            "/*!50000 1) ; DROP TABLE t */",
            "$$ ; $$",
            "[a;b]",
            "1 # ; DROP\n",
            "1--1 ; DROP TABLE t",
            "E'\\'' ; DROP TABLE t; --'",
            "x\0",
        ] {
            assert!(check_expression(e).is_err(), "{e}");
        }
        for e in ["'a''b'", "\"q\"\"q\"", "1 -- c ; d\n+ 2", "`a``b`"] {
            assert!(
                check_expression(e).is_ok(),
                "{e}: {:?}",
                check_expression(e)
            );
        }
        assert!(check_query("SELECT 1;").is_ok());
        assert!(check_query("SELECT 1; DROP TABLE t").is_err());
    }

    /// PostgreSQL's `#` operators are expressions of the model; written for MySQL, where `#`
    /// starts a comment, the same text is refused (it could hide a statement on its next line).
    #[test]
    fn hash_operators_pass_the_model_but_not_a_mysql_script() {
        use crate::model::Dialect;
        for e in [
            "array_remove(ARRAY[(data #>> '{link_type,id}')::int,\n(data #>> '{a}')::int], NULL)",
            "doc #> '{a,b}'",
            "flags # 4",
            "doc #- '{a}'",
        ] {
            assert!(
                check_expression(e).is_ok(),
                "{e}: {:?}",
                check_expression(e)
            );
            assert!(check_expression_for(e, Dialect::Postgres).is_ok(), "{e}");
        }
        let hiding = "x #> '\n) ; DROP TABLE t; -- '";
        assert!(check_expression(hiding).is_ok());
        assert!(check_expression_for(hiding, Dialect::MySql).is_err());
        assert!(check_expression_for("doc #>> '{a}'", Dialect::MySql).is_err());
        assert!(check_expression_for("`a` + 1", Dialect::MySql).is_ok());
    }
}
