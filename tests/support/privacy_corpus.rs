//! The classification over every schema of the shared corpus (`../shared/corpus`): one row per
//! dataset with its findings per category, as docs/privacy.md holds it (checked by
//! tests/privacy.rs, printed by `cargo run --example privacy_corpus`).

use crowfoot::analysis::privacy::{Category, Confidence, classify};
use crowfoot::model::Dialect;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use strum::IntoEnumIterator;

/// One dataset's classification.
pub struct Row {
    pub dataset: String,
    pub dialect: String,
    pub tables: usize,
    pub columns: usize,
    /// Per category: (high, medium, low).
    pub per_category: BTreeMap<Category, (usize, usize, usize)>,
    /// Every finding: (table, column, category, confidence, reasons).
    pub findings: Vec<(String, String, Category, Confidence, String)>,
}

const PREFERENCE: [&str; 5] = ["postgres", "mysql", "sqlite", "sqlserver", "oracle"];

fn dialect(s: &str) -> Option<Dialect> {
    Some(match s {
        "postgres" => Dialect::Postgres,
        "mysql" => Dialect::MySql,
        "sqlite" => Dialect::Sqlite,
        "sqlserver" => Dialect::SqlServer,
        _ => return None,
    })
}

/// Classify every dataset in its preferred dialect (PostgreSQL, else MySQL, SQLite, SQL
/// Server; Oracle-only datasets are left out: Crowfoot does not import Oracle). Each file is
/// imported after its `load_after` chain; a file some other file loads after is not imported
/// alone; the findings of a dataset's files are merged by table and column name.
pub fn run(dir: &Path) -> Vec<Row> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let rows = v.as_array().unwrap();
    let mut datasets: Vec<String> = Vec::new();
    for r in rows {
        let d = r["dataset"].as_str().unwrap().to_string();
        if !datasets.contains(&d) {
            datasets.push(d);
        }
    }
    let mut out = Vec::new();
    for ds in datasets {
        let files: Vec<&serde_json::Value> = rows
            .iter()
            .filter(|r| r["dataset"] == ds.as_str())
            .collect();
        let Some(pref) = PREFERENCE
            .iter()
            .find(|p| files.iter().any(|f| f["dialect"] == **p))
        else {
            continue;
        };
        let Some(d) = dialect(pref) else { continue };
        let chosen: Vec<&&serde_json::Value> = files
            .iter()
            .filter(|f| f["dialect"] == *pref && f["loads"].as_bool() != Some(false))
            .collect();
        let loaded_after: BTreeSet<String> = chosen
            .iter()
            .flat_map(|f| f["load_after"].as_array().cloned().unwrap_or_default())
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        let by_file: BTreeMap<String, &serde_json::Value> = rows
            .iter()
            .map(|r| (r["file"].as_str().unwrap().to_string(), r))
            .collect();
        let mut merged: BTreeMap<(String, String), (Category, Confidence, String)> =
            BTreeMap::new();
        let mut tables: BTreeSet<String> = BTreeSet::new();
        let mut columns: BTreeSet<(String, String)> = BTreeSet::new();
        for f in &chosen {
            let name = f["file"].as_str().unwrap();
            if loaded_after.contains(name) {
                continue;
            }
            // The chain, deepest first.
            let mut chain: Vec<String> = Vec::new();
            let mut todo = vec![name.to_string()];
            while let Some(x) = todo.pop() {
                if chain.contains(&x) {
                    continue;
                }
                chain.insert(0, x.clone());
                if let Some(r) = by_file.get(&x) {
                    for a in r["load_after"].as_array().cloned().unwrap_or_default() {
                        todo.push(a.as_str().unwrap().to_string());
                    }
                }
            }
            let mut text = String::new();
            for x in &chain {
                let bytes = std::fs::read(dir.join(x)).unwrap();
                text.push_str(&String::from_utf8_lossy(&bytes));
                text.push_str("\n;\n");
            }
            let p = crowfoot::sql::import::import_sql(&text, Some(d)).project;
            for t in p.tables() {
                tables.insert(t.qualified_name().to_lowercase());
                for c in &t.columns {
                    columns.insert((t.qualified_name().to_lowercase(), c.name.to_lowercase()));
                }
            }
            for x in classify(&p) {
                let key = (x.table.clone(), x.column.clone());
                let better = merged.get(&key).is_none_or(|(_, c, _)| x.confidence > *c);
                if better {
                    merged.insert(key, (x.category, x.confidence, x.reasons.join("; ")));
                }
            }
        }
        let mut per_category: BTreeMap<Category, (usize, usize, usize)> =
            Category::iter().map(|c| (c, (0, 0, 0))).collect();
        let mut findings = Vec::new();
        for ((t, c), (cat, conf, why)) in merged {
            let e = per_category.get_mut(&cat).unwrap();
            match conf {
                Confidence::High => e.0 += 1,
                Confidence::Medium => e.1 += 1,
                Confidence::Low => e.2 += 1,
            }
            findings.push((t, c, cat, conf, why));
        }
        out.push(Row {
            dataset: ds,
            dialect: pref.to_string(),
            tables: tables.len(),
            columns: columns.len(),
            per_category,
            findings,
        });
    }
    out
}

/// The table docs/privacy.md holds between `<!-- corpus -->` and `<!-- /corpus -->`: per
/// dataset and category, high / medium findings (low ones are counted in the last column).
pub fn markdown(rows: &[Row]) -> String {
    let mut s = String::from(
        "<!-- corpus (generated: `cargo run --example privacy_corpus`; checked by tests/privacy.rs) -->\n",
    );
    s.push_str("| dataset | dialect | tables | columns |");
    for c in Category::iter() {
        s.push_str(&format!(" {} |", c.as_str()));
    }
    s.push_str(" high | medium | low |\n|---|---|---|---|");
    for _ in Category::iter() {
        s.push_str("---|");
    }
    s.push_str("---|---|---|\n");
    let mut total: BTreeMap<Category, (usize, usize, usize)> =
        Category::iter().map(|c| (c, (0, 0, 0))).collect();
    let (mut tt, mut tc) = (0, 0);
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} |",
            r.dataset, r.dialect, r.tables, r.columns
        ));
        tt += r.tables;
        tc += r.columns;
        for (c, (h, m, l)) in &r.per_category {
            s.push_str(&format!(" {h} / {m} |"));
            let e = total.get_mut(c).unwrap();
            e.0 += h;
            e.1 += m;
            e.2 += l;
        }
        let sum =
            |f: fn(&(usize, usize, usize)) -> usize| r.per_category.values().map(f).sum::<usize>();
        s.push_str(&format!(
            " {} | {} | {} |\n",
            sum(|x| x.0),
            sum(|x| x.1),
            sum(|x| x.2)
        ));
    }
    s.push_str(&format!("| **all {}** | | {tt} | {tc} |", rows.len()));
    for (h, m, _) in total.values() {
        s.push_str(&format!(" {h} / {m} |"));
    }
    let sum = |f: fn(&(usize, usize, usize)) -> usize| total.values().map(f).sum::<usize>();
    s.push_str(&format!(
        " {} | {} | {} |\n",
        sum(|x| x.0),
        sum(|x| x.1),
        sum(|x| x.2)
    ));
    s.push_str("<!-- /corpus -->\n");
    s
}
