//! SARIF 2.1.0 output of `crowfoot check --format sarif`, for CI code scanning: one run, the
//! rules `check` reports (validation, design lint, normalization, index lint, from the one
//! catalogue `analysis::rules`) as `tool.driver.rules`, one result per problem located in the
//! project file (the line of the table, column or index it names) and logically
//! (`orders.customer_id`).

use super::check::{Problem, Severity};
use serde_json::{Value, json};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// RON string literal as the project file writes it.
fn ron_str(s: &str) -> String {
    crate::sql::dialect::util::backslash_quoted(s)
}

/// The lines of a project file with its table lines indexed (`    name: "orders",`), so each
/// problem is located without scanning the whole file.
pub struct FileIndex<'a> {
    lines: Vec<&'a str>,
    tables: std::collections::HashMap<&'a str, usize>,
}

impl<'a> FileIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut tables = std::collections::HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("    name: ") {
                tables.entry(*l).or_insert(i);
            }
        }
        FileIndex { lines, tables }
    }

    /// 1-based line of the object `table[.part]`: the table's `name:` line, then the first
    /// `name:` of the part (column, index, constraint) inside that table's block.
    pub fn object_line(&self, object: &str) -> Option<usize> {
        let table_line = |name: &str| {
            let want = format!("    name: {},", ron_str(name));
            self.tables.get(want.as_str()).copied()
        };
        // Longest table-name prefix of the object that exists (names may contain dots).
        let mut cut: Vec<usize> = object.match_indices('.').map(|(i, _)| i).collect();
        cut.push(object.len());
        for &i in cut.iter().rev() {
            let (t, rest) = object.split_at(i);
            // `schema.table`: the file holds the bare name.
            let bare = t.rsplit_once('.').map(|(_, n)| n).unwrap_or(t);
            let Some(tl) = table_line(t).or_else(|| table_line(bare)) else {
                continue;
            };
            let part = rest.strip_prefix('.').unwrap_or("");
            if part.is_empty() {
                return Some(tl + 1);
            }
            let want = format!("name: {},", ron_str(part));
            let found = self.lines[tl + 1..]
                .iter()
                .take_while(|l| !l.starts_with("    name: ") && **l != "  )],")
                .position(|l| l.trim_start() == want);
            return Some(found.map(|k| tl + 1 + k + 1).unwrap_or(tl + 1));
        }
        None
    }
}

/// 1-based line of the object `table[.part]` in the project file text.
pub fn object_line(text: &str, object: &str) -> Option<usize> {
    FileIndex::new(text).object_line(object)
}

/// The SARIF log for `problems` found in the project file `uri` (its text locates lines).
pub fn to_sarif(problems: &[Problem], uri: &str, text: Option<&str>) -> Value {
    let rules: Vec<&super::rules::Rule> = super::rules::in_problems().collect();
    let rule_index = |id: &str| rules.iter().position(|r| r.id == id);
    let index = text.map(FileIndex::new);
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.name },
                "fullDescription": { "text": r.rationale },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = problems
        .iter()
        .map(|p| {
            let line = index
                .as_ref()
                .and_then(|ix| ix.object_line(&p.object))
                .unwrap_or(1);
            let mut r = json!({
                "ruleId": p.code,
                "level": level(p.severity),
                "message": { "text": format!("{}: {}", p.object, p.message) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": { "startLine": line },
                    },
                    "logicalLocations": [{ "fullyQualifiedName": p.object }],
                }],
            });
            if let Some(i) = rule_index(p.code) {
                r["ruleIndex"] = json!(i);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "crowfoot",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules_json,
                }
            },
            "results": results,
        }],
    })
}
