//! Workload text: statements split on `;` (quotes, brackets and comments respected), each
//! with its line, its weight (`-- weight: N` in the comments before it, default 1) and its
//! parsed form (sqlparser, SQLite dialect).

use serde::Serialize;
use sqlparser::ast::Statement;
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

/// What a workload statement does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StatementKind {
    Select,
    Insert,
    Update,
    Delete,
}

/// One statement of the workload.
#[derive(Clone, Debug)]
pub struct WorkloadStatement {
    /// The statement text as written (without the `;`).
    pub sql: String,
    /// 1-based line of its first character in the workload text.
    pub line: usize,
    /// From `-- weight: N` before it; 1 when absent.
    pub weight: f64,
    pub kind: StatementKind,
    pub(crate) ast: Statement,
}

/// A statement that could not be used, located in the workload text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkloadError {
    /// 1-based line (of the error when the parser says where, else of the statement).
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for WorkloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Workload {
    pub statements: Vec<WorkloadStatement>,
    pub errors: Vec<WorkloadError>,
}

/// A raw piece of the text between `;`s.
pub(crate) struct Piece {
    pub text: String,
    pub line: usize,
    /// Weight from a `-- weight: N` comment before the statement.
    pub weight: Option<Result<f64, String>>,
}

/// Split `text` into statements. Comments before a statement are dropped from its text;
/// a `-- weight: N` among them sets its weight.
pub(crate) fn split(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut cur = String::new();
    let mut start_line = 0;
    let mut weight: Option<Result<f64, String>> = None;
    let n = chars.len();
    while i < n {
        let c = chars[i];
        // Comments.
        if c == '-' && i + 1 < n && chars[i + 1] == '-' {
            let s = i + 2;
            while i < n && chars[i] != '\n' {
                i += 1;
            }
            let body: String = chars[s..i].iter().collect();
            if cur.trim().is_empty()
                && let Some(w) = parse_weight(&body)
            {
                weight = Some(w.map_err(|e| format!("line {line}: {e}")));
            } else if !cur.trim().is_empty() {
                cur.push(' ');
            }
            continue;
        }
        if c == '/' && i + 1 < n && chars[i + 1] == '*' {
            i += 2;
            while i < n && !(chars[i] == '*' && i + 1 < n && chars[i + 1] == '/') {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i = (i + 2).min(n);
            if !cur.trim().is_empty() {
                cur.push(' ');
            }
            continue;
        }
        if c == ';' {
            if !cur.trim().is_empty() {
                out.push(Piece {
                    text: cur.trim().to_string(),
                    line: start_line,
                    weight: weight.take(),
                });
            }
            cur.clear();
            i += 1;
            continue;
        }
        if cur.trim().is_empty() && !c.is_whitespace() {
            cur.clear();
            start_line = line;
        }
        // Quoted text: copied as it is.
        let close = match c {
            '\'' => Some('\''),
            '"' => Some('"'),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        };
        cur.push(c);
        if c == '\n' {
            line += 1;
        }
        i += 1;
        if let Some(close) = close {
            while i < n {
                let d = chars[i];
                cur.push(d);
                if d == '\n' {
                    line += 1;
                }
                i += 1;
                if d == close {
                    // A doubled quote is an escaped one.
                    if close != ']' && i < n && chars[i] == close {
                        cur.push(close);
                        i += 1;
                        continue;
                    }
                    break;
                }
            }
        }
    }
    if !cur.trim().is_empty() {
        out.push(Piece {
            text: cur.trim().to_string(),
            line: start_line,
            weight,
        });
    }
    out
}

/// `weight: N` in a comment body (case-insensitive), or `None` when the comment is another.
fn parse_weight(body: &str) -> Option<Result<f64, String>> {
    let b = body.trim();
    let lower = b.to_ascii_lowercase();
    let rest = lower.strip_prefix("weight")?.trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
    let v = rest.trim();
    Some(match v.parse::<f64>() {
        Ok(w) if w.is_finite() && w >= 0.0 => Ok(w),
        _ => Err(format!("weight `{v}` is not a non-negative number")),
    })
}

/// Split and parse a workload. Statements that do not parse, or are not
/// SELECT/INSERT/UPDATE/DELETE, become located errors; the others are kept.
pub fn parse_workload(text: &str) -> Workload {
    parse_workload_in(text, &SQLiteDialect {})
}

/// [`parse_workload`] with another SQL dialect's parser (PostgreSQL's for a workload the
/// PostgreSQL planner reads: `::` casts, `ILIKE`, `$1`).
pub fn parse_workload_in(text: &str, dialect: &dyn sqlparser::dialect::Dialect) -> Workload {
    parse_workload_with(text, dialect, str::to_string)
}

/// [`parse_workload_in`], each statement's text rewritten first (the PostgreSQL advisor
/// numbers `?` placeholders `$1`, `$2`…, which PostgreSQL's grammar requires).
pub fn parse_workload_with(
    text: &str,
    dialect: &dyn sqlparser::dialect::Dialect,
    rewrite: impl Fn(&str) -> String,
) -> Workload {
    let mut w = Workload::default();
    for piece in split(text) {
        let weight = match piece.weight {
            None => 1.0,
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                w.errors.push(WorkloadError {
                    line: piece.line,
                    message: format!("{e}; weight 1 used"),
                });
                1.0
            }
        };
        push_statement(&mut w, rewrite(&piece.text), piece.line, weight, dialect);
    }
    w
}

/// Parse one statement's text and add it to `w` (or a located error).
fn push_statement(
    w: &mut Workload,
    text: String,
    line: usize,
    weight: f64,
    dialect: &dyn sqlparser::dialect::Dialect,
) {
    let parsed = Parser::parse_sql(dialect, &text);
    let mut stmts = match parsed {
        Ok(s) => s,
        Err(e) => {
            let (line, message) = locate(&e.to_string(), line);
            w.errors.push(WorkloadError { line, message });
            return;
        }
    };
    if stmts.len() != 1 {
        w.errors.push(WorkloadError {
            line,
            message: "expected one statement".into(),
        });
        return;
    }
    let ast = stmts.remove(0);
    let kind = match &ast {
        Statement::Query(_) => StatementKind::Select,
        Statement::Insert(_) => StatementKind::Insert,
        Statement::Update(_) => StatementKind::Update,
        Statement::Delete(_) => StatementKind::Delete,
        other => {
            let head: String = other.to_string().chars().take(40).collect();
            w.errors.push(WorkloadError {
                line,
                message: format!(
                    "not a SELECT, INSERT, UPDATE or DELETE statement (`{head}`); skipped"
                ),
            });
            return;
        }
    };
    w.statements.push(WorkloadStatement {
        sql: text,
        line,
        weight,
        kind,
        ast,
    });
}

/// A workload from pg_stat_statements exported as CSV (a header row naming at least `query`
/// and `calls`, e.g. `\copy (SELECT query, calls, total_exec_time FROM pg_stat_statements)
/// TO 'w.csv' CSV HEADER`): each query weighted by its calls, parsed as PostgreSQL.
/// Utility statements (`BEGIN`, `SET`…) are reported as skipped, located by CSV line.
pub fn parse_pg_stat_statements_csv(text: &str) -> Result<Workload, String> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = r.headers().map_err(|e| format!("not CSV: {e}"))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(q), Some(calls)) = (col("query"), col("calls")) else {
        return Err(
            "the CSV header names no `query` and `calls` columns (export pg_stat_statements \
             with CSV HEADER)"
                .into(),
        );
    };
    let pg = sqlparser::dialect::PostgreSqlDialect {};
    let mut w = Workload::default();
    for rec in r.records() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                w.errors.push(WorkloadError {
                    line,
                    message: format!("not a CSV record: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let weight = match rec.get(calls).map(|c| c.trim().parse::<f64>()) {
            Some(Ok(v)) if v.is_finite() && v >= 0.0 => v,
            _ => {
                w.errors.push(WorkloadError {
                    line,
                    message: "calls is not a non-negative number; weight 1 used".into(),
                });
                1.0
            }
        };
        let sql = rec
            .get(q)
            .unwrap_or_default()
            .trim()
            .trim_end_matches(';')
            .to_string();
        if sql.is_empty() {
            continue;
        }
        push_statement(&mut w, sql, line, weight, &pg);
    }
    Ok(w)
}

/// Turn a parser message with `Line: L, Column: C` (relative to the statement) into an
/// absolute line and a message without the parser's prefix.
fn locate(msg: &str, stmt_line: usize) -> (usize, String) {
    let msg = msg
        .strip_prefix("sql parser error: ")
        .unwrap_or(msg)
        .to_string();
    let Some(at) = msg.find(" at Line: ") else {
        return (stmt_line, msg);
    };
    let tail = &msg[at + " at Line: ".len()..];
    let num: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rel: usize = num.parse().unwrap_or(1).max(1);
    let col = tail
        .find("Column: ")
        .map(|k| {
            tail[k + 8..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .unwrap_or_default();
    let line = stmt_line + rel - 1;
    let text = msg[..at].to_string();
    if col.is_empty() {
        (line, text)
    } else {
        (line, format!("{text} (column {col})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_lines_weights_and_quotes() {
        let t = "-- hot path\n-- weight: 5\nSELECT ';' FROM t;\n\nSELECT \"a;b\"\n  FROM u; -- x\n/* c */ DELETE FROM t";
        let p = split(t);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].text, "SELECT ';' FROM t");
        assert_eq!(p[0].line, 3);
        assert_eq!(p[0].weight, Some(Ok(5.0)));
        assert_eq!(p[1].line, 5);
        assert!(p[1].weight.is_none());
        assert_eq!(p[2].line, 7);
        assert_eq!(p[2].text, "DELETE FROM t");
    }

    #[test]
    fn sqlite_parameter_styles_parse() {
        let w = parse_workload(
            "SELECT * FROM t WHERE a = ? AND b = ?2 AND c = :c AND d = @d AND e = $e;\n\
             UPDATE t SET a = 1 WHERE b IN (SELECT x FROM u);\nDELETE FROM t WHERE a > 3;\n\
             INSERT INTO t(a) VALUES (1);",
        );
        assert!(w.errors.is_empty(), "{:?}", w.errors);
        let kinds: Vec<StatementKind> = w.statements.iter().map(|s| s.kind).collect();
        use StatementKind::*;
        assert_eq!(kinds, [Select, Update, Delete, Insert]);
        assert_eq!(w.statements[1].line, 2);
    }

    #[test]
    fn parse_errors_are_located() {
        let w = parse_workload("SELECT 1;\n\nSELECT a FROM\n WHERE x = 1;\nCREATE TABLE z(a);");
        assert_eq!(w.statements.len(), 1);
        assert_eq!(w.errors.len(), 2);
        assert_eq!(w.errors[0].line, 4, "{:?}", w.errors[0]);
        assert_eq!(w.errors[1].line, 5);
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn pg_stat_statements_csv_weights_by_calls_and_locates_what_it_skips() {
        let text = "userid,query,calls,total_exec_time\n\
                    10,\"SELECT * FROM \"\"Order Lines 🧾\"\" WHERE id = $1\",1200,35.5\n\
                    10,BEGIN,99,0.1\n\
                    10,\"UPDATE t\nSET a = $1 WHERE b = $2\",7,1\n\
                    10,SELECT FROM WHERE,3,1\n\
                    10,SELECT 1,lots,1\n";
        let w = parse_pg_stat_statements_csv(text).unwrap();
        let got: Vec<(usize, f64, StatementKind)> = w
            .statements
            .iter()
            .map(|s| (s.line, s.weight, s.kind))
            .collect();
        assert_eq!(
            got,
            [
                (2, 1200.0, StatementKind::Select),
                (4, 7.0, StatementKind::Update),
                (7, 1.0, StatementKind::Select),
            ]
        );
        assert!(w.statements[0].sql.contains("\"Order Lines 🧾\""));
        let errors: Vec<usize> = w.errors.iter().map(|e| e.line).collect();
        assert_eq!(errors, [3, 6, 7], "{:?}", w.errors);
        assert!(w.errors[0].message.contains("skipped"));
        assert!(parse_pg_stat_statements_csv("a,b\n1,2\n").is_err());
    }
}
