//! The in-memory SQLite database the advisor plans against: the project exported as
//! SQLite DDL, `sqlite_stat1` rows written from the estimates, `EXPLAIN QUERY PLAN`.

use super::workload::split;
use crate::model::{Dialect, LogicalType, Project, Table, TableId};
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};

/// Rows assumed for a table without a row estimate: SQLite's own assumption when
/// `sqlite_stat1` has nothing for a table (2^20).
pub const DEFAULT_ROWS: f64 = 1_048_576.0;

pub(crate) struct Db {
    pub conn: Connection,
    pub warnings: Vec<String>,
    /// Tables that could not be created.
    pub missing: BTreeSet<TableId>,
}

/// Quote an SQLite identifier.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An in-memory SQLite database that cannot reach anything else, for DDL generated from an
/// untrusted project: no ATTACH (limit 0 and the authorizer), no extension loading, no
/// functions that touch files, no PRAGMA that changes anything (the read-only schema pragmas
/// the advisor uses are allowed), defensive mode on, no trust in schema functions. The model
/// already refuses SQL text that could start a second statement
/// ([`crate::model::sql_text`]); this is the second wall.
pub fn sandbox() -> Result<Connection, String> {
    use rusqlite::config::DbConfig;
    use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
    use rusqlite::limits::Limit;
    let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)
        .map_err(|e| e.to_string())?;
    for (flag, on) in [
        (DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false),
    ] {
        conn.set_db_config(flag, on).map_err(|e| e.to_string())?;
    }
    conn.authorizer(Some(|ctx: AuthContext<'_>| match ctx.action {
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => Authorization::Deny,
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            const READ: &[&str] = &[
                "index_list",
                "index_info",
                "index_xinfo",
                "table_info",
                "table_xinfo",
                "foreign_key_list",
                // Written by the SQLite export's header; changes nothing outside.
                "foreign_keys",
            ];
            if pragma_value.is_none() || READ.contains(&pragma_name.to_ascii_lowercase().as_str()) {
                Authorization::Allow
            } else {
                Authorization::Deny
            }
        }
        AuthAction::Function { function_name } => {
            const DENY: &[&str] = &[
                "load_extension",
                "readfile",
                "writefile",
                "edit",
                "fts3_tokenizer",
            ];
            if DENY.contains(&function_name.to_ascii_lowercase().as_str()) {
                Authorization::Deny
            } else {
                Authorization::Allow
            }
        }
        _ => Authorization::Allow,
    }))
    .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Open an in-memory database holding the project's tables and indexes.
pub(crate) fn build(p: &Project) -> Result<Db, String> {
    let conn = sandbox()?;
    let mut warnings = Vec::new();
    let mut missing = BTreeSet::new();
    let all: BTreeSet<TableId> = p.tables().map(|t| t.id).collect();
    // Tables only (no views, triggers or other verbatim SQL: the planner needs none).
    let out = crate::sql::export_tables(p, Dialect::Sqlite, &all);
    for w in &out.warnings {
        warnings.push(format!("SQLite export: {w}"));
    }
    if conn.execute_batch(&out.sql).is_err() {
        // Statement by statement, table by table: a bad one costs only itself.
        drop(conn);
        let conn = sandbox()?;
        let mut stripped: Option<Project> = None;
        for t in p.tables() {
            let one: BTreeSet<TableId> = [t.id].into();
            let ddl = crate::sql::export_tables(p, Dialect::Sqlite, &one).sql;
            for (k, piece) in split(&ddl).into_iter().enumerate() {
                let Err(e) = conn.execute_batch(&piece.text) else {
                    continue;
                };
                if k == 0 || piece.text.to_ascii_uppercase().starts_with("CREATE TABLE") {
                    // Retry without defaults, checks and generated expressions.
                    let sp = stripped.get_or_insert_with(|| strip(p));
                    let ddl2 = crate::sql::export_tables(sp, Dialect::Sqlite, &one).sql;
                    let create = split(&ddl2)
                        .into_iter()
                        .find(|s| s.text.to_ascii_uppercase().starts_with("CREATE TABLE"));
                    match create.map(|c| conn.execute_batch(&c.text)) {
                        Some(Ok(())) => warnings.push(format!(
                            "table {}: created without defaults, checks and generated \
                             expressions ({e})",
                            t.qualified_name()
                        )),
                        _ => {
                            warnings.push(format!(
                                "table {} could not be created in SQLite ({e}); queries on \
                                 it are not analysed",
                                t.qualified_name()
                            ));
                            missing.insert(t.id);
                        }
                    }
                } else {
                    warnings.push(format!(
                        "table {}: statement skipped in SQLite ({e}): {}",
                        t.qualified_name(),
                        piece.text.chars().take(80).collect::<String>()
                    ));
                }
            }
        }
        let mut db = Db {
            conn,
            warnings,
            missing,
        };
        db.write_stats(p)?;
        return Ok(db);
    }
    let mut db = Db {
        conn,
        warnings,
        missing,
    };
    db.write_stats(p)?;
    Ok(db)
}

fn strip(p: &Project) -> Project {
    let mut c = p.clone();
    let ids: Vec<TableId> = c.tables().map(|t| t.id).collect();
    for id in ids {
        if let Ok(t) = c.table_mut(id) {
            t.checks.clear();
            for col in &mut t.columns {
                col.default = None;
                col.generated = None;
            }
        }
    }
    c
}

/// Estimated rows of a table (the estimate, or [`DEFAULT_ROWS`]).
pub(crate) fn rows(t: &Table) -> f64 {
    t.stats
        .as_ref()
        .and_then(|s| s.rows)
        .map(|r| r.max(1) as f64)
        .unwrap_or(DEFAULT_ROWS)
}

/// Estimated distinct values of a column (by name; `None` for an expression):
/// the estimate; else the table's rows for a single-column primary key or unique
/// constraint; 2 for a boolean; else a tenth of the rows (SQLite's own default of ten
/// rows per key value).
pub(crate) fn distinct(t: &Table, column: Option<&str>) -> f64 {
    let rows = rows(t);
    let Some(col) = column.and_then(|n| {
        t.column_by_name(n)
            .or_else(|| t.columns.iter().find(|c| c.name.eq_ignore_ascii_case(n)))
    }) else {
        return (rows / 10.0).max(1.0);
    };
    if let Some(d) = t
        .stats
        .as_ref()
        .and_then(|s| s.column(col.id))
        .and_then(|c| c.distinct)
    {
        return (d.max(1) as f64).min(rows);
    }
    let single_key = t
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns == [col.id])
        || t.uniques.iter().any(|u| u.columns == [col.id])
        || t.indexes.iter().any(|i| {
            i.unique
                && i.where_clause.is_none()
                && i.parts.len() == 1
                && i.parts[0].target == crate::model::IndexTarget::Column(col.id)
        });
    if single_key {
        rows
    } else if col.ty == LogicalType::Boolean {
        2.0_f64.min(rows)
    } else {
        (rows / 10.0).max(1.0)
    }
}

/// Rows matched per value of the first `k` columns: rows without NULLs in the first
/// column (null_fraction) over the product of distinct counts (capped at the rows).
pub(crate) fn rows_per_key(t: &Table, cols: &[Option<&str>]) -> f64 {
    let rows = rows(t);
    let Some(first) = cols.first() else {
        return rows;
    };
    let nulls = first
        .and_then(|n| t.column_by_name(n))
        .and_then(|c| t.stats.as_ref()?.column(c.id)?.null_fraction)
        .unwrap_or(0.0)
        .clamp(0.0, 1.0) as f64;
    let mut d = 1.0;
    for c in cols {
        d *= distinct(t, *c);
    }
    let d = d.min(rows).max(1.0);
    ((rows * (1.0 - nulls)) / d).max(1.0)
}

impl Db {
    /// `sqlite_stat1` rows for every table with a row estimate and its indexes, then
    /// `ANALYZE sqlite_schema` so the planner reads them. Tables without a row estimate get
    /// no rows: SQLite then assumes about a million rows and ten rows per index key.
    fn write_stats(&mut self, p: &Project) -> Result<(), String> {
        let c = &self.conn;
        c.execute_batch("ANALYZE; DELETE FROM sqlite_stat1;")
            .map_err(|e| format!("ANALYZE: {e}"))?;
        for t in p.tables() {
            if self.missing.contains(&t.id) || t.stats.as_ref().and_then(|s| s.rows).is_none() {
                continue;
            }
            c.execute(
                "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (?1, NULL, ?2)",
                rusqlite::params![t.name, format!("{}", rows(t) as u64)],
            )
            .map_err(|e| e.to_string())?;
            for (name, unique) in index_list(c, &t.name) {
                self.write_index_stat(t, &name, unique)?;
            }
        }
        self.reload()
    }

    /// Write the `sqlite_stat1` row of index `name` on `t` (nothing when the table has no
    /// row estimate).
    pub(crate) fn write_index_stat(
        &self,
        t: &Table,
        name: &str,
        unique: bool,
    ) -> Result<(), String> {
        if t.stats.as_ref().and_then(|s| s.rows).is_none() {
            return Ok(());
        }
        let cols = index_columns(&self.conn, name);
        let mut stat = format!("{}", rows(t) as u64);
        for k in 1..=cols.len() {
            let prefix: Vec<Option<&str>> = cols[..k].iter().map(|c| c.as_deref()).collect();
            let avg = if unique && k == cols.len() {
                1.0
            } else {
                rows_per_key(t, &prefix)
            };
            stat.push_str(&format!(" {}", avg.ceil().max(1.0) as u64));
        }
        self.conn
            .execute(
                "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (?1, ?2, ?3)",
                rusqlite::params![t.name, name, stat],
            )
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    pub(crate) fn reload(&self) -> Result<(), String> {
        self.conn
            .execute_batch("ANALYZE sqlite_schema;")
            .map_err(|e| format!("ANALYZE sqlite_schema: {e}"))
    }

    /// `EXPLAIN QUERY PLAN` of `sql` as indented lines.
    pub(crate) fn plan(&self, sql: &str) -> Result<Vec<String>, String> {
        plan(&self.conn, sql)
    }
}

/// `(name, unique)` of a table's indexes (`PRAGMA index_list`).
fn index_list(c: &Connection, table: &str) -> Vec<(String, bool)> {
    let Ok(mut st) = c.prepare(&format!("PRAGMA index_list({})", quote(table))) else {
        return Vec::new();
    };
    st.query_map([], |r| {
        Ok((r.get::<_, String>(1)?, r.get::<_, i64>(2)? != 0))
    })
    .map(|it| it.filter_map(Result::ok).collect())
    .unwrap_or_default()
}

/// Key columns of an index by name (`None` for an expression).
fn index_columns(c: &Connection, index: &str) -> Vec<Option<String>> {
    let Ok(mut st) = c.prepare(&format!("PRAGMA index_info({})", quote(index))) else {
        return Vec::new();
    };
    st.query_map([], |r| r.get::<_, Option<String>>(2))
        .map(|it| it.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

/// `EXPLAIN QUERY PLAN` rows of `sql` on `c`, each `detail` indented two spaces per level.
pub fn plan(c: &Connection, sql: &str) -> Result<Vec<String>, String> {
    let mut st = c
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .map_err(|e| e.to_string())?;
    let mut rows = st.raw_query();
    let mut depth: HashMap<i64, usize> = HashMap::new();
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(|e| e.to_string())? {
        let id: i64 = r.get(0).map_err(|e| e.to_string())?;
        let parent: i64 = r.get(1).map_err(|e| e.to_string())?;
        let detail: String = r.get(3).map_err(|e| e.to_string())?;
        let d = if parent == 0 {
            0
        } else {
            depth.get(&parent).map(|d| d + 1).unwrap_or(1)
        };
        depth.insert(id, d);
        out.push(format!("{}{detail}", "  ".repeat(d)));
    }
    Ok(out)
}

/// One table access of a plan line.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    /// The name the plan shows (alias or table name), lower case.
    pub name: String,
    /// `SCAN` (true) or `SEARCH` (false).
    pub scan: bool,
    /// Index used, when one is named (`USING [COVERING] INDEX name`).
    pub index: Option<String>,
    pub covering: bool,
    /// `USING AUTOMATIC ... INDEX`: an index SQLite builds for the statement (a full scan).
    pub automatic: bool,
    /// `USING INTEGER PRIMARY KEY` / `USING PRIMARY KEY`.
    pub primary_key: bool,
    /// Constraint terms between the parentheses: `(column, is_equality)`.
    pub terms: Vec<(String, bool)>,
}

/// Parse a plan line such as `SEARCH t AS x USING COVERING INDEX ix (a=? AND b>?)`.
pub fn parse_access(line: &str) -> Option<Access> {
    let line = line.trim_start();
    let (scan, rest) = if let Some(r) = line.strip_prefix("SCAN ") {
        (true, r)
    } else if let Some(r) = line.strip_prefix("SEARCH ") {
        (false, r)
    } else {
        return None;
    };
    let mut words = rest.split(' ').peekable();
    let mut name = words.next()?.to_lowercase();
    if name.starts_with('(') || name == "constant" {
        return None;
    }
    let rest_words: Vec<&str> = words.collect();
    let mut i = 0;
    if rest_words.first() == Some(&"AS") && rest_words.len() > 1 {
        name = rest_words[1].to_lowercase();
        i = 2;
    }
    let tail = rest_words[i..].join(" ");
    let mut a = Access {
        name,
        scan,
        index: None,
        covering: false,
        automatic: false,
        primary_key: false,
        terms: Vec::new(),
    };
    if let Some(u) = tail.strip_prefix("USING ") {
        a.automatic = u.starts_with("AUTOMATIC");
        a.covering = u.contains("COVERING INDEX");
        a.primary_key = u.starts_with("INTEGER PRIMARY KEY") || u.starts_with("PRIMARY KEY");
        if !a.automatic && !a.primary_key {
            let after = u
                .strip_prefix("COVERING INDEX ")
                .or_else(|| u.strip_prefix("INDEX "));
            if let Some(after) = after {
                a.index = after.split(' ').next().map(str::to_string);
            }
        }
        if let (Some(o), Some(c)) = (tail.find('('), tail.rfind(')')) {
            for term in tail[o + 1..c].split(" AND ") {
                let t = term.trim();
                // An expression index term reads `<expr>=?`.
                let (col, op) = match t.strip_prefix("<expr>") {
                    Some(op) => ("<expr>".to_string(), op),
                    None => {
                        let end = t.find(['=', '<', '>']).unwrap_or(t.len());
                        (t[..end].trim().to_string(), &t[end..])
                    }
                };
                let eq = !op.contains('<') && !op.contains('>') && op.contains('=');
                if !col.is_empty() {
                    a.terms.push((col, eq));
                }
            }
        }
    }
    Some(a)
}

/// Whether the access reads the whole table (a `SCAN`, or an automatic index built by
/// scanning it).
pub fn is_full_scan(a: &Access) -> bool {
    a.scan || a.automatic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builder::ProjectBuilder;
    use crate::model::{ColumnStats, Command, TableStats};

    #[test]
    fn stat1_rows_follow_the_estimates() {
        let mut b = ProjectBuilder::new("t");
        let t = b.table("t", |t| {
            t.col("id", LogicalType::BigInt).pk();
            t.col("a", LogicalType::Integer);
            t.col("b", LogicalType::Integer);
            t.col("c", LogicalType::Boolean);
            t.index("ix_ab", &["a", "b"]);
            t.index("ix_c", &["c"]);
        });
        b.table("u", |t| {
            t.col("id", LogicalType::BigInt).pk();
            t.col("x", LogicalType::Integer);
            t.index("ix_x", &["x"]);
        });
        let mut p = b.build();
        let a = p.table(t).unwrap().column_by_name("a").unwrap().id;
        Command::SetTableStats {
            table: t,
            stats: Some(TableStats {
                rows: Some(1000),
                columns: vec![ColumnStats {
                    column: a,
                    distinct: Some(10),
                    null_fraction: Some(0.1),
                    most_common: None,
                }],
                ..Default::default()
            }),
        }
        .apply(&mut p)
        .unwrap();
        let db = build(&p).unwrap();
        let stat = |idx: Option<&str>| -> Option<String> {
            db.conn
                .query_row(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = ?1 AND idx IS ?2",
                    rusqlite::params![if idx == Some("ix_x") { "u" } else { "t" }, idx],
                    |r| r.get(0),
                )
                .ok()
        };
        assert_eq!(stat(None).as_deref(), Some("1000"));
        // a: 10 distinct, 10% NULL -> 90 rows per value; b guessed at rows/10 = 100
        // distinct, so (a, b) is about unique.
        assert_eq!(stat(Some("ix_ab")).as_deref(), Some("1000 90 1"));
        // A boolean: two values.
        assert_eq!(stat(Some("ix_c")).as_deref(), Some("1000 500"));
        // No row estimate: no rows, SQLite's defaults apply.
        assert_eq!(stat(Some("ix_x")), None);
        // The planner reads them: the (a, b) index serves equality on a.
        let plan = db.plan("SELECT * FROM t WHERE a = 1").unwrap();
        assert_eq!(plan, ["SEARCH t USING INDEX ix_ab (a=?)"]);
    }

    #[test]
    fn tables_sqlite_cannot_create_are_reported_and_the_rest_loaded() {
        // Same name in two schemas: SQLite has one namespace, so the batch fails and the
        // tables are created one by one.
        let mut b = ProjectBuilder::new("t");
        b.table("good", |t| {
            t.col("id", LogicalType::BigInt).pk();
            t.col("a", LogicalType::Integer);
            t.index("ix_good_a", &["a"]);
        });
        b.table("items", |t| {
            t.schema("sales");
            t.col("id", LogicalType::BigInt).pk();
        });
        let second = b.table("items", |t| {
            t.schema("stock");
            t.col("id", LogicalType::BigInt).pk();
            t.col("qty", LogicalType::Integer);
        });
        let p = b.build();
        let db = build(&p).unwrap();
        assert_eq!(db.missing, [second].into());
        assert!(
            db.warnings
                .iter()
                .any(|w| w.contains("stock.items") && w.contains("could not be created")),
            "{:?}",
            db.warnings
        );
        assert_eq!(
            db.plan("SELECT * FROM good WHERE a = 1").unwrap(),
            ["SEARCH good USING INDEX ix_good_a (a=?)"]
        );
        assert_eq!(db.plan("SELECT * FROM items").unwrap(), ["SCAN items"]);
    }

    #[test]
    fn plan_lines_parse() {
        let a = parse_access("  SEARCH t AS x USING COVERING INDEX ix (a=? AND b>?)").unwrap();
        assert_eq!(a.name, "x");
        assert!(!a.scan && a.covering);
        assert_eq!(a.index.as_deref(), Some("ix"));
        assert_eq!(a.terms, [("a".to_string(), true), ("b".to_string(), false)]);
        let s = parse_access("SCAN Track").unwrap();
        assert!(s.scan && s.index.is_none() && is_full_scan(&s));
        let k = parse_access("SEARCH g USING INTEGER PRIMARY KEY (rowid=?)").unwrap();
        assert!(k.primary_key && k.index.is_none());
        let au = parse_access("SEARCH u USING AUTOMATIC COVERING INDEX (x=?)").unwrap();
        assert!(au.automatic && is_full_scan(&au) && au.index.is_none());
        let ex = parse_access("SEARCH c USING INDEX ix (<expr>=? AND b<?)").unwrap();
        assert_eq!(
            ex.terms,
            [("<expr>".to_string(), true), ("b".to_string(), false)]
        );
        assert!(parse_access("USE TEMP B-TREE FOR ORDER BY").is_none());
        assert!(parse_access("SCAN CONSTANT ROW").is_none());
    }
}
