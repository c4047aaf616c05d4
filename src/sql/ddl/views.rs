//! Views in exported DDL and migrations. A view's query is SQL text in the dialect the
//! project's expressions are written in; exported to another dialect its quoted identifiers
//! are quoted the target's way (`"full name"` → `` `full name` ``), the rest is written as it
//! is (with a warning). A materialized view on an engine without them (everything but
//! PostgreSQL) is a table filled by the query, and a procedure `V_refresh` fills it again where
//! the engine has procedures (MySQL/MariaDB, SQL Server); [`refresh_sql`] says how to refresh
//! one on each dialect.

use super::Cx;
use crate::model::{Dialect, Project, View};
use crate::sql::dialect::{DialectRules, rules};
use sqlparser::tokenizer::{Token, Tokenizer};

/// A statement of a view.
pub(crate) enum ViewStmt {
    /// Terminated like any other statement.
    Stmt(String),
    /// A routine with a body, written as extra statements are (`DELIMITER` on MySQL).
    Routine(String),
}

/// `v`'s query for `r`'s dialect: identifiers quoted again when the project's queries are
/// written in another dialect.
pub(crate) fn query_for(p: &Project, v: &View, r: &dyn DialectRules) -> String {
    let from = p.settings().expression_dialect.unwrap_or(Dialect::Postgres);
    let sql = v.sql.trim().trim_end_matches(';').trim_end();
    if from == r.dialect() {
        sql.to_string()
    } else {
        requote(sql, from, r)
    }
}

/// `sql` (in `from`'s dialect) with every quoted identifier quoted as `to` quotes it. The text
/// is kept as it is when it does not tokenize.
pub(crate) fn requote(sql: &str, from: Dialect, to: &dyn DialectRules) -> String {
    let Ok(tokens) = Tokenizer::new(rules(from).parser(), sql).tokenize_with_location() else {
        return sql.to_string();
    };
    // Byte offset of each line start; columns count characters from 1.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(sql.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |line: u64, col: u64| -> Option<usize> {
        let start = *starts.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let skip = usize::try_from(col).ok()?.checked_sub(1)?;
        let rest = &sql[start..];
        Some(start + rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i))
    };
    let mut out = String::with_capacity(sql.len());
    let mut at = 0;
    for t in tokens {
        let Token::Word(w) = &t.token else { continue };
        if w.quote_style.is_none() {
            continue;
        }
        let (Some(a), Some(b)) = (
            offset(t.span.start.line, t.span.start.column),
            offset(t.span.end.line, t.span.end.column),
        ) else {
            return sql.to_string();
        };
        if a < at || b < a || b > sql.len() {
            return sql.to_string();
        }
        out.push_str(&sql[at..a]);
        out.push_str(&to.ident(&w.value));
        at = b;
    }
    out.push_str(&sql[at..]);
    out
}

/// The statements creating `v` on `r`'s dialect.
pub(crate) fn create(p: &Project, v: &View, r: &dyn DialectRules, cx: &mut Cx) -> Vec<ViewStmt> {
    let query = query_for(p, v, r);
    if !v.materialized || r.materialized_views() {
        return vec![ViewStmt::Stmt(r.create_view(v, &query, cx))];
    }
    let name = r.qualified(v.schema.as_deref(), &v.name);
    let routine = r.refresh_procedure(&refresh_name(r, v), &name, &query);
    cx.warn(
        &v.name,
        format!(
            "{} has no materialized views: created as a table filled by the query; {}",
            r.dialect().display_name(),
            if routine.is_some() {
                format!("refresh it with {}", refresh_sql(v, r.dialect()))
            } else {
                "refresh it by deleting its rows and inserting the query's again".into()
            }
        ),
    );
    // A project imported from such an export has the procedure as extra SQL already.
    let proc = refresh_proc(r, v);
    let has_own = p.extra_sql().any(|x| {
        x.dialect == r.dialect()
            && x.name.as_deref().is_some_and(|n| {
                let last = n.rsplit('.').next().unwrap_or(n);
                last.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']')) == proc
            })
    });
    let routine = routine.filter(|_| !has_own);
    let mut out = vec![ViewStmt::Stmt(r.create_table_as(&name, &query))];
    out.extend(routine.map(ViewStmt::Routine));
    out
}

/// The statements dropping `v` on `r`'s dialect (its refresh procedure too).
pub(crate) fn drop(v: &View, r: &dyn DialectRules) -> Vec<String> {
    let name = r.qualified(v.schema.as_deref(), &v.name);
    if !v.materialized {
        return vec![format!("DROP VIEW {name}")];
    }
    if r.materialized_views() {
        return vec![format!("DROP MATERIALIZED VIEW {name}")];
    }
    let mut out = vec![format!("DROP TABLE {name}")];
    if r.refresh_procedure("p", &name, "SELECT 1").is_some() {
        out.push(format!("DROP PROCEDURE {}", refresh_name(r, v)));
    }
    out
}

/// The refresh procedure of a materialized view written as a table, unqualified.
fn refresh_proc(r: &dyn DialectRules, v: &View) -> String {
    super::table::fit_name(r.dialect(), &format!("{}_refresh", v.name)).into_owned()
}

/// The same, qualified and quoted.
fn refresh_name(r: &dyn DialectRules, v: &View) -> String {
    r.qualified(v.schema.as_deref(), &refresh_proc(r, v))
}

/// How to refresh the materialized view `v` exported to `dialect`, as one script:
/// `REFRESH MATERIALIZED VIEW` (PostgreSQL), the refresh procedure's call (MySQL/MariaDB,
/// SQL Server), or (SQLite) deleting the table's rows and inserting the query's again. The
/// query is the view's text as it is (the project's expression dialect).
pub fn refresh_sql(v: &View, dialect: Dialect) -> String {
    let r = rules(dialect);
    let name = r.qualified(v.schema.as_deref(), &v.name);
    match dialect {
        Dialect::Postgres => format!("REFRESH MATERIALIZED VIEW {name}"),
        Dialect::MySql => format!("CALL {}()", refresh_name(r, v)),
        Dialect::SqlServer => format!("EXEC {}", refresh_name(r, v)),
        Dialect::Sqlite => format!(
            "BEGIN; DELETE FROM {name}; INSERT INTO {name} {}; COMMIT",
            v.sql.trim().trim_end_matches(';').trim_end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_identifiers_are_quoted_the_targets_way() {
        let sql = "SELECT \"full name\", id, 'it''s \"x\"' FROM \"Süß \"\"client\"\" list\" AS c \
                   WHERE \"deleted_at\" IS NULL";
        let my = requote(sql, Dialect::Postgres, rules(Dialect::MySql));
        assert_eq!(
            my,
            "SELECT `full name`, id, 'it''s \"x\"' FROM `Süß \"client\" list` AS c \
             WHERE deleted_at IS NULL"
        );
        let ms = requote(sql, Dialect::Postgres, rules(Dialect::SqlServer));
        assert!(ms.contains("[Süß \"client\" list]"), "{ms}");
        // And back.
        let pg = requote(&my, Dialect::MySql, rules(Dialect::Postgres));
        assert!(pg.contains("\"Süß \"\"client\"\" list\""), "{pg}");
        // Multi-line text with non-ASCII before a quoted name keeps its place.
        let two = "SELECT 'é'\n, \"a b\" FROM t";
        assert_eq!(
            requote(two, Dialect::Postgres, rules(Dialect::MySql)),
            "SELECT 'é'\n, `a b` FROM t"
        );
        // Text that does not tokenize is kept.
        assert_eq!(
            requote("SELECT 'open", Dialect::Postgres, rules(Dialect::MySql)),
            "SELECT 'open"
        );
    }
}
