//! Plans from PostgreSQL: `EXPLAIN (FORMAT JSON)` of a workload statement, its total cost
//! and the indexes it uses. A statement with parameters (`$1`, or `?` as other engines write
//! them) is explained with `EXPLAIN (GENERIC_PLAN)` on PostgreSQL 16 and later; on 15, which
//! has no `GENERIC_PLAN`, it is prepared once and explained with a representative value of
//! each parameter's type under `plan_cache_mode = force_custom_plan` (a value that is not
//! one of the column's most common ones, so the planner estimates a typical lookup from the
//! column's distinct count), so each EXPLAIN plans it again and sees the hypothetical indexes
//! of the moment.

use super::server::{cause, literal};
use postgres::Client;
use serde_json::Value;

/// How a statement is explained.
pub enum Explain {
    /// `EXPLAIN (FORMAT JSON) <sql>`.
    Plain(String),
    /// `EXPLAIN (FORMAT JSON) EXECUTE <name>(<values>)`.
    Prepared { name: String, values: Vec<String> },
    /// `EXPLAIN (GENERIC_PLAN, FORMAT JSON) <sql>` (PostgreSQL 16+: the plan for any
    /// parameter values, without inventing them).
    Generic(String),
}

/// One plan: its JSON (the array EXPLAIN returns), total cost and the indexes it uses.
#[derive(Clone, Debug)]
pub struct Plan {
    pub json: Value,
    pub cost: f64,
    pub indexes: Vec<String>,
}

/// `sql` with `?` placeholders (outside quotes and comments) numbered `$1`, `$2`, …, and
/// whether it has parameters at all.
pub fn number_placeholders(sql: &str) -> (String, bool) {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    let mut has_dollar = false;
    let b: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            '\'' | '"' => {
                // Copy the quoted text through its closing quote (doubled quotes stay inside).
                out.push(c);
                i += 1;
                while i < b.len() {
                    out.push(b[i]);
                    if b[i] == c {
                        if i + 1 < b.len() && b[i + 1] == c {
                            out.push(c);
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            '-' if b.get(i + 1) == Some(&'-') => {
                while i < b.len() && b[i] != '\n' {
                    out.push(b[i]);
                    i += 1;
                }
                continue;
            }
            '/' if b.get(i + 1) == Some(&'*') => {
                while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                    out.push(b[i]);
                    i += 1;
                }
                if i < b.len() {
                    out.push_str("*/");
                    i += 2;
                }
                continue;
            }
            '?' => {
                n += 1;
                out.push_str(&format!("${n}"));
            }
            '$' if b.get(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                has_dollar = true;
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    (out, n > 0 || has_dollar)
}

/// A value of PostgreSQL type `ty` (as `format_type` writes it) for planning, as SQL.
fn representative(ty: &str) -> String {
    let t = ty.to_ascii_lowercase();
    let v = if t.contains("int") || t.starts_with("numeric") || t == "real" || t.contains("double")
    {
        "1"
    } else if t == "boolean" {
        "true"
    } else if t == "date" {
        "2024-01-01"
    } else if t.starts_with("timestamp") {
        "2024-01-01 00:00:00"
    } else if t.starts_with("time") {
        "12:00:00"
    } else if t == "uuid" {
        "00000000-0000-0000-0000-000000000001"
    } else if t.starts_with("json") || t.ends_with("[]") {
        "{}"
    } else if t == "interval" {
        "1 hour"
    } else {
        "a"
    };
    format!("{}::{ty}", literal(v))
}

/// Prepare `sql` as `name` when it has parameters: how to explain it. Errors are the server's
/// message (the statement does not plan).
pub fn prepare(c: &mut Client, name: &str, sql: &str) -> Result<Explain, String> {
    let (numbered, params) = number_placeholders(sql);
    if !params {
        return Ok(Explain::Plain(sql.to_string()));
    }
    let version: i32 = c
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(|e| cause(&e))?
        .get(0);
    if version >= 160_000 {
        return Ok(Explain::Generic(numbered));
    }
    c.batch_execute(&format!("PREPARE {name} AS {numbered}"))
        .map_err(|e| cause(&e))?;
    let row = c
        .query_one(
            "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = $1",
            &[&name],
        )
        .map_err(|e| cause(&e))?;
    let types: Vec<String> = row.get(0);
    Ok(Explain::Prepared {
        name: name.to_string(),
        values: types.iter().map(|t| representative(t)).collect(),
    })
}

/// Explain once.
pub fn explain(c: &mut Client, e: &Explain) -> Result<Plan, String> {
    let sql = match e {
        Explain::Plain(sql) => format!("EXPLAIN (FORMAT JSON) {sql}"),
        Explain::Generic(sql) => format!("EXPLAIN (GENERIC_PLAN, FORMAT JSON) {sql}"),
        Explain::Prepared { name, values } => {
            format!(
                "EXPLAIN (FORMAT JSON) EXECUTE {name}({})",
                values.join(", ")
            )
        }
    };
    let rows = c.simple_query(&sql).map_err(|e| cause(&e))?;
    let text = rows
        .iter()
        .find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .ok_or("EXPLAIN returned nothing")?;
    let json: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let root = json
        .get(0)
        .and_then(|p| p.get("Plan"))
        .ok_or("EXPLAIN returned no plan")?;
    let cost = root
        .get("Total Cost")
        .and_then(Value::as_f64)
        .ok_or("EXPLAIN returned no cost")?;
    let mut indexes = Vec::new();
    collect_indexes(root, &mut indexes);
    Ok(Plan {
        json,
        cost,
        indexes,
    })
}

fn collect_indexes(node: &Value, out: &mut Vec<String>) {
    if let Some(n) = node.get("Index Name").and_then(Value::as_str) {
        out.push(n.to_string());
    }
    for child in node
        .get("Plans")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_indexes(child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes_and_comments() {
        let (s, p) = number_placeholders(
            "SELECT '?', \"a?\" FROM t -- what?\nWHERE a = ? AND b /* ? */ = ? AND c = 'it''s?'",
        );
        assert!(p);
        assert_eq!(
            s,
            "SELECT '?', \"a?\" FROM t -- what?\nWHERE a = $1 AND b /* ? */ = $2 AND c = 'it''s?'"
        );
        assert_eq!(
            number_placeholders("SELECT * FROM t WHERE a = $1"),
            ("SELECT * FROM t WHERE a = $1".into(), true)
        );
        assert!(!number_placeholders("SELECT '$1'").1);
    }

    #[test]
    fn representative_values_are_cast_to_their_types() {
        assert_eq!(representative("integer"), "'1'::integer");
        assert_eq!(
            representative("character varying(40)"),
            "'a'::character varying(40)"
        );
        assert_eq!(representative("date"), "'2024-01-01'::date");
    }
}
