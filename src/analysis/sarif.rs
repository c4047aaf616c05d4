//! SARIF 2.1.0 output of `crowfoot check --format sarif`, for CI code scanning: one run, the
//! full rule catalogue (validation, design lint, index lint) as `tool.driver.rules`, one result
//! per problem located in the project file (the line of the table, column or index it names)
//! and logically (`orders.customer_id`).

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

/// 1-based line of the object `table[.part]` in the project file text: the table's `name:`
/// line, then the first `name:` of the part (column, index, constraint) after it.
pub fn object_line(text: &str, object: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let table_line = |name: &str| {
        let want = format!("    name: {},", ron_str(name));
        lines.iter().position(|l| *l == want)
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
        let found = lines[tl + 1..]
            .iter()
            .take_while(|l| !l.starts_with("    name: ") && **l != "  )],")
            .position(|l| l.trim_start() == want);
        return Some(found.map(|k| tl + 1 + k + 1).unwrap_or(tl + 1));
    }
    None
}

/// The SARIF log for `problems` found in the project file `uri` (its text locates lines).
pub fn to_sarif(problems: &[Problem], uri: &str, text: Option<&str>) -> Value {
    let rules = super::lint::all_rules();
    let rule_index = |id: &str| rules.iter().position(|r| r.0 == id);
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|(id, name, sev, why)| {
            json!({
                "id": id,
                "name": name,
                "shortDescription": { "text": name },
                "fullDescription": { "text": why },
                "defaultConfiguration": { "level": level(*sev) },
            })
        })
        .collect();
    let results: Vec<Value> = problems
        .iter()
        .map(|p| {
            let line = text.and_then(|t| object_line(t, &p.object)).unwrap_or(1);
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
