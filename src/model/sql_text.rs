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
//!   quoted name or comment.

use sqlparser::dialect::{Dialect as SqlDialect, GenericDialect, MySqlDialect};
use sqlparser::tokenizer::{Token, Tokenizer};

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
pub fn check_expression(s: &str) -> Result<(), String> {
    let dialects: [&dyn SqlDialect; 2] = [&GenericDialect {}, &MySqlDialect {}];
    for d in dialects {
        let tokens = Tokenizer::new(d, s)
            .tokenize()
            .map_err(|e| format!("`{}`: {e}", shorten(s)))?;
        let mut depth = 0i64;
        for t in &tokens {
            match t {
                Token::SemiColon => {
                    return Err(format!(
                        "`{}`: a `;` (a second statement) is not allowed here",
                        shorten(s)
                    ));
                }
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth < 0 {
                        return Err(format!("`{}`: a `)` that closes nothing", shorten(s)));
                    }
                }
                _ => {}
            }
        }
        if depth != 0 {
            return Err(format!("`{}`: an unclosed `(`", shorten(s)));
        }
    }
    Ok(())
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
        assert!(check_query("SELECT 1;").is_ok());
        assert!(check_query("SELECT 1; DROP TABLE t").is_err());
    }
}
