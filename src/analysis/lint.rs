//! Design lint (issue 8): one small function per rule (DL), and the normal forms (NF). Each
//! rule's id, name, default severity, rationale, dialects and fixtures are its entry in the one
//! catalogue, `analysis::rules` (`rules/design.rs`), which also says which function checks it;
//! `tests/rules.rs` runs every rule on its fixtures, `tests/design_lint.rs` has more cases.
//! `problems` merges them with model validation (`check`, CF
//! codes), index lint (IX codes) and the normalization verdicts (NF codes), and applies the
//! project's per-rule configuration (`Settings.lint`: a rule turned off or given another
//! severity). The studio's Problems panel, `crowfoot check` and its SARIF output all read
//! `problems`.

use super::check::{Problem, Severity, push};
use super::rules::{self, Family};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// `(id, name, default severity, rationale)` of every rule [`problems`] can report
/// (validation, design lint, normalization, index lint), from the one catalogue
/// ([`super::rules::in_problems`]).
pub fn all_rules() -> Vec<(&'static str, &'static str, Severity, &'static str)> {
    rules::in_problems()
        .map(|r| (r.id, r.name, r.severity, r.rationale))
        .collect()
}

/// Model validation, design lint, index lint and normalization for `dialect`, with the
/// project's rule configuration applied (rules turned off are left out).
pub fn problems(p: &Project, dialect: Dialect) -> Vec<Problem> {
    let mut v = Vec::new();
    for f in Family::ALL.into_iter().filter(|f| f.in_problems()) {
        f.run(p, dialect, &mut v);
    }
    apply_config(p.settings(), v)
}

/// Drop rules turned off; change severities as configured.
pub fn apply_config(s: &Settings, v: Vec<Problem>) -> Vec<Problem> {
    v.into_iter()
        .filter_map(|mut pr| match s.lint.get(pr.code) {
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::Error) => {
                pr.severity = Severity::Error;
                Some(pr)
            }
            Some(RuleLevel::Warning) => {
                pr.severity = Severity::Warning;
                Some(pr)
            }
            Some(RuleLevel::Info) => {
                pr.severity = Severity::Info;
                Some(pr)
            }
            None => Some(pr),
        })
        .collect()
}

/// The design-lint rules (DL, NF) alone, unconfigured: each rule's function for the dialects
/// the catalogue gives it, then the normal forms.
pub fn lint(p: &Project, dialect: Dialect) -> Vec<Problem> {
    let mut v = Vec::new();
    Family::Design.run(p, dialect, &mut v);
    Family::Normalization.run(p, dialect, &mut v);
    v
}

fn col_obj(t: &Table, c: &Column) -> String {
    format!("{}.{}", t.qualified_name(), c.name)
}

/// DL001
pub(crate) fn nullable_pk(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        for c in &t.columns {
            if c.nullable && t.is_pk_column(c.id) {
                push(
                    out,
                    "DL001",
                    col_obj(t, c),
                    "primary key column is nullable: declare it NOT NULL".into(),
                );
            }
        }
    }
}

/// Singular and plural spellings a table named after `stem` may have.
fn table_names_for(stem: &str) -> Vec<String> {
    let mut v = vec![stem.to_string(), format!("{stem}s"), format!("{stem}es")];
    if let Some(s) = stem.strip_suffix('y') {
        v.push(format!("{s}ies"));
    }
    v
}

/// DL002
pub(crate) fn id_without_fk(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    let names: BTreeMap<String, &Table> = p.tables().map(|t| (t.name.to_lowercase(), t)).collect();
    for t in p.tables() {
        let fk_cols = p.fk_columns_from(t.id);
        for c in &t.columns {
            let lower = c.name.to_lowercase();
            let Some(stem) = lower.strip_suffix("_id") else {
                continue;
            };
            if stem.is_empty() || fk_cols.contains(&c.id) {
                continue;
            }
            // A plain `id`-like key of its own table (`orders.order_id` as PK) is not a reference.
            let own = table_names_for(stem).contains(&t.name.to_lowercase());
            if own {
                continue;
            }
            // The last word names the thing: `billing_customer_id` → customer(s).
            let last = stem.rsplit('_').next().unwrap_or(stem);
            let target = table_names_for(stem)
                .into_iter()
                .chain(table_names_for(last))
                .find_map(|n| names.get(&n).copied());
            if let Some(target) = target {
                push(
                    out,
                    "DL002",
                    col_obj(t, c),
                    format!(
                        "looks like a reference to {} but has no foreign key",
                        target.qualified_name()
                    ),
                );
            }
        }
    }
}

/// DL003: cycles among foreign keys that cannot be satisfied one row at a time.
pub(crate) fn fk_cycles(p: &Project, dialect: Dialect, out: &mut Vec<Problem>) {
    use petgraph::graph::DiGraph;
    let mut g: DiGraph<TableId, ()> = DiGraph::new();
    let mut idx = BTreeMap::new();
    for t in p.tables() {
        idx.insert(t.id, g.add_node(t.id));
    }
    for fk in p.foreign_keys() {
        if fk.from_table == fk.to_table {
            continue; // a row may reference itself
        }
        let Some(from) = p.table(fk.from_table) else {
            continue;
        };
        let nullable = fk
            .from_columns
            .iter()
            .any(|c| from.column(*c).is_some_and(|c| c.nullable));
        let deferrable = fk.deferrable != Deferrable::NotDeferrable
            && crate::sql::dialect::rules(dialect).deferrable_constraints();
        if !nullable && !deferrable {
            g.add_edge(idx[&fk.from_table], idx[&fk.to_table], ());
        }
    }
    for scc in petgraph::algo::tarjan_scc(&g) {
        if scc.len() < 2 {
            continue;
        }
        let mut names: Vec<String> = scc
            .iter()
            .filter_map(|n| p.table(g[*n]))
            .map(|t| t.qualified_name())
            .collect();
        names.sort();
        push(
            out,
            "DL003",
            names[0].clone(),
            format!(
                "{} reference each other through NOT NULL, non-deferrable foreign keys: make one column nullable or one key DEFERRABLE",
                names.join(", ")
            ),
        );
    }
}

/// DL004
pub(crate) fn inconsistent_types(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    let mut by_name: BTreeMap<String, Vec<(&Table, &Column)>> = BTreeMap::new();
    for t in p.tables() {
        for c in &t.columns {
            let n = c.name.to_lowercase();
            let relevant = ["_id", "_at", "_date", "_code", "_on"]
                .iter()
                .any(|s| n.ends_with(s))
                || n == "email";
            if relevant {
                by_name.entry(n).or_default().push((t, c));
            }
        }
    }
    for (name, uses) in by_name {
        let types: BTreeSet<String> = uses.iter().map(|(_, c)| c.ty.describe()).collect();
        if types.len() > 1 && uses.len() > 1 {
            let list: Vec<String> = uses
                .iter()
                .map(|(t, c)| format!("{} {}", t.qualified_name(), c.ty.describe()))
                .collect();
            push(
                out,
                "DL004",
                col_obj(uses[0].0, uses[0].1),
                format!("`{name}` has different types: {}", list.join(", ")),
            );
        }
    }
}

/// DL005
pub(crate) fn reserved_words(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        if crate::sql::reserved::is_reserved(&t.name) {
            push(
                out,
                "DL005",
                t.qualified_name(),
                format!(
                    "table name `{}` is a keyword in at least one supported dialect: exports quote it, hand-written SQL may have to",
                    t.name
                ),
            );
        }
        for c in &t.columns {
            if crate::sql::reserved::is_reserved(&c.name) {
                push(
                    out,
                    "DL005",
                    col_obj(t, c),
                    format!(
                        "column name `{}` is a keyword in at least one supported dialect: exports quote it, hand-written SQL may have to",
                        c.name
                    ),
                );
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Style {
    Snake,
    Camel,
    Pascal,
    Upper,
}

impl Style {
    fn label(self) -> &'static str {
        match self {
            Style::Snake => "snake_case",
            Style::Camel => "camelCase",
            Style::Pascal => "PascalCase",
            Style::Upper => "UPPER_CASE",
        }
    }
}

/// The naming style of one name; `None` when it fits several (a single lower-case word) or
/// none.
fn style(name: &str) -> Option<Style> {
    let has_lower = name.chars().any(|c| c.is_ascii_lowercase());
    let has_upper = name.chars().any(|c| c.is_ascii_uppercase());
    let underscore = name.contains('_');
    let first_upper = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    match (has_lower, has_upper, underscore) {
        (true, false, true) => Some(Style::Snake),
        (true, false, false) => None, // one word: fits snake and camel
        (false, true, _) if name.chars().filter(|c| c.is_ascii_uppercase()).count() > 1 => {
            Some(Style::Upper)
        }
        (true, true, false) if first_upper => Some(Style::Pascal),
        (true, true, false) => Some(Style::Camel),
        _ => None,
    }
}

/// DL006: table names and column names departing from the project's majority style.
pub(crate) fn mixed_naming(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    let majority = |names: &mut dyn Iterator<Item = &str>| -> Option<(Style, usize, usize)> {
        let mut count: BTreeMap<Style, usize> = BTreeMap::new();
        for n in names {
            if let Some(s) = style(n) {
                *count.entry(s).or_default() += 1;
            }
        }
        let total: usize = count.values().sum();
        let (s, n) = count.into_iter().max_by_key(|(_, n)| *n)?;
        Some((s, n, total))
    };
    // Only when one style clearly dominates (≥ 80 % of styled names).
    let dominant = |m: Option<(Style, usize, usize)>| {
        m.filter(|(_, n, total)| *n * 5 >= *total * 4 && *n < *total)
            .map(|(s, _, _)| s)
    };
    if let Some(s) = dominant(majority(&mut p.tables().map(|t| t.name.as_str()))) {
        for t in p.tables() {
            if style(&t.name).is_some_and(|x| x != s) {
                push(
                    out,
                    "DL006",
                    t.qualified_name(),
                    format!("table name is not {} like most of the schema", s.label()),
                );
            }
        }
    }
    if let Some(s) = dominant(majority(
        &mut p
            .tables()
            .flat_map(|t| t.columns.iter().map(|c| c.name.as_str())),
    )) {
        for t in p.tables() {
            let odd: Vec<&str> = t
                .columns
                .iter()
                .filter(|c| style(&c.name).is_some_and(|x| x != s))
                .map(|c| c.name.as_str())
                .collect();
            if !odd.is_empty() {
                push(
                    out,
                    "DL006",
                    t.qualified_name(),
                    format!(
                        "column name(s) {} not {} like most of the schema",
                        odd.join(", "),
                        s.label()
                    ),
                );
            }
        }
    }
}

/// DL007
pub(crate) fn all_nullable(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        if t.primary_key.is_none()
            && t.partition_of.is_none()
            && !t.columns.is_empty()
            && t.columns.iter().all(|c| c.nullable)
        {
            push(
                out,
                "DL007",
                t.qualified_name(),
                "no primary key and every column nullable".into(),
            );
        }
    }
}

/// More columns than this make DL008 fire.
pub const WIDE_TABLE_COLUMNS: usize = 60;

/// DL008
pub(crate) fn wide_tables(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        if t.columns.len() > WIDE_TABLE_COLUMNS {
            push(
                out,
                "DL008",
                t.qualified_name(),
                format!(
                    "{} columns (more than {WIDE_TABLE_COLUMNS})",
                    t.columns.len()
                ),
            );
        }
    }
}

/// DL009
pub(crate) fn pii_without_comment(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        for c in &t.columns {
            let pii = c.tags.iter().any(|g| g.eq_ignore_ascii_case("pii"));
            if pii && c.comment.as_deref().is_none_or(|s| s.trim().is_empty()) {
                push(
                    out,
                    "DL009",
                    col_obj(t, c),
                    "tagged PII but has no comment saying what it holds".into(),
                );
            }
        }
    }
}

/// SQLite's type affinity of a declared type name (§3.1 of its datatype documentation).
pub fn sqlite_affinity(decl: &str) -> &'static str {
    let u = decl.to_uppercase();
    if u.contains("INT") {
        "INTEGER"
    } else if u.contains("CHAR") || u.contains("CLOB") || u.contains("TEXT") {
        "TEXT"
    } else if u.contains("BLOB") || u.trim().is_empty() {
        "BLOB"
    } else if u.contains("REAL") || u.contains("FLOA") || u.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// DL010 (SQLite target)
pub(crate) fn sqlite_affinity_rule(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        for c in &t.columns {
            if let LogicalType::Decimal(Some(prec), _) = c.ty
                && prec > 15
                && !c.type_overrides.contains_key(&Dialect::Sqlite)
            {
                push(
                    out,
                    "DL010",
                    col_obj(t, c),
                    format!(
                        "decimal({prec}) has NUMERIC affinity in SQLite: non-integral values are stored as 8-byte floats, rounded beyond 15 digits"
                    ),
                );
                continue;
            }
            // A verbatim type name, for SQLite or native to the project.
            let decl = c
                .type_overrides
                .get(&Dialect::Sqlite)
                .cloned()
                .or(match &c.ty {
                    LogicalType::Native(n) => Some(n.clone()),
                    _ => None,
                });
            let Some(decl) = decl else { continue };
            let aff = sqlite_affinity(&decl);
            let u = decl.to_uppercase();
            let surprising = (aff == "INTEGER"
                && ![
                    "INT",
                    "INTEGER",
                    "BIGINT",
                    "SMALLINT",
                    "TINYINT",
                    "MEDIUMINT",
                    "INT2",
                    "INT4",
                    "INT8",
                    "UNSIGNED BIG INT",
                ]
                .iter()
                .any(|k| u.starts_with(k)))
                || (aff == "NUMERIC"
                    && [
                        "STRING",
                        "JSON",
                        "UUID",
                        "XML",
                        "INET",
                        "CIDR",
                        "CITEXT",
                        "TSVECTOR",
                        "GEOMETRY",
                        "GEOGRAPHY",
                    ]
                    .iter()
                    .any(|k| u.contains(k)));
            if surprising {
                push(
                    out,
                    "DL010",
                    col_obj(t, c),
                    format!(
                        "type `{decl}` gets {aff} affinity in SQLite: values are converted accordingly"
                    ),
                );
            }
        }
    }
}

/// Words of a name: `unitPrice` / `unit_price` → ["unit", "price"].
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch == '_' || ch == '-' || ch == ' ' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        cur.push(ch.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// DL011
pub(crate) fn enum_like_text(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    const WORDS: &[&str] = &[
        "status", "state", "type", "kind", "category", "role", "level", "priority", "stage",
        "phase", "gender", "tier",
    ];
    for t in p.tables() {
        let fk_cols = p.fk_columns_from(t.id);
        for c in &t.columns {
            let texty = matches!(
                c.ty,
                LogicalType::Text | LogicalType::Varchar(_) | LogicalType::Char(_)
            );
            if !texty || fk_cols.contains(&c.id) || t.is_pk_column(c.id) {
                continue;
            }
            let w = words(&c.name);
            if !w.last().is_some_and(|l| WORDS.contains(&l.as_str())) {
                continue;
            }
            // Open vocabularies, not enums: content and MIME types, the types of events,
            // aggregates and messages (an event store's or outbox's `type`).
            let event_table = words(&t.name)
                .last()
                .is_some_and(|l| matches!(l.as_str(), "events" | "outbox" | "messages"));
            match w.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                [
                    ..,
                    "content" | "mime" | "event" | "aggregate" | "message",
                    "type",
                ] => continue,
                ["type"] if event_table => continue,
                _ => {}
            }
            let lower = c.name.to_lowercase();
            let checked = t.checks.iter().any(|ck| {
                crate::sql::dialect::util::contains_word(&ck.expr.to_lowercase(), &lower)
            });
            if !checked {
                push(
                    out,
                    "DL011",
                    col_obj(t, c),
                    "enum-like text column without an enum type, CHECK or foreign key".into(),
                );
            }
        }
    }
}

/// DL012
pub(crate) fn money_in_float(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    const WORDS: &[&str] = &[
        "price", "amount", "cost", "total", "subtotal", "balance", "fee", "salary", "wage", "tax",
        "revenue", "discount", "payment", "charge", "money", "paid", "refund",
    ];
    for t in p.tables() {
        for c in &t.columns {
            if !matches!(c.ty, LogicalType::Real | LogicalType::Double) {
                continue;
            }
            if words(&c.name).iter().any(|w| WORDS.contains(&w.as_str())) {
                push(
                    out,
                    "DL012",
                    col_obj(t, c),
                    format!(
                        "money-like column in {}: use decimal(p, s)",
                        c.ty.describe()
                    ),
                );
            }
        }
    }
}

/// DL013 (PostgreSQL target)
pub(crate) fn timestamp_without_tz(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    for t in p.tables() {
        for c in &t.columns {
            if c.ty == LogicalType::Timestamp && !c.type_overrides.contains_key(&Dialect::Postgres)
            {
                push(
                    out,
                    "DL013",
                    col_obj(t, c),
                    "timestamp without time zone: consider timestamptz".into(),
                );
            }
        }
    }
}

/// DL014: a history table (pattern history) missing columns its table gained since: the
/// triggers do not copy them.
pub(crate) fn stale_history(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    use super::patterns::history::{history_of, missing_columns};
    for t in p.tables() {
        let Some(h) = history_of(p, t) else { continue };
        let missing: Vec<&str> = missing_columns(t, h)
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        if !missing.is_empty() {
            push(
                out,
                "DL014",
                h.name.clone(),
                format!(
                    "no copy of {}.{}: its history misses {}; apply pattern history to {} again \
                     to add {} and rewrite the triggers",
                    t.name,
                    missing.join(", "),
                    if missing.len() == 1 {
                        "that column's changes"
                    } else {
                        "those columns' changes"
                    },
                    t.name,
                    if missing.len() == 1 { "it" } else { "them" }
                ),
            );
        }
    }
}

/// NF001 / NF002: tables whose declared dependencies put them below 3NF / BCNF.
pub(crate) fn normal_forms(p: &Project, _: Dialect, out: &mut Vec<Problem>) {
    use super::normalize::NormalForm;
    use super::normalize::report::{Options, table_analysis};
    for t in p.tables() {
        if t.dependencies.is_empty() || t.columns.len() > 64 {
            continue;
        }
        let Ok((a, _)) = table_analysis(t, &[], &Options::default()) else {
            continue;
        };
        let nf = a.nf.normal_form;
        let first = a.report().violations.into_iter().next();
        let why = first.map(|v| format!(": {}", v.fd)).unwrap_or_default();
        if nf < NormalForm::Third {
            push(
                out,
                "NF001",
                t.qualified_name(),
                format!("in {} only{why}", nf.label()),
            );
        } else if nf == NormalForm::Third {
            push(
                out,
                "NF002",
                t.qualified_name(),
                format!("in 3NF, not BCNF{why}"),
            );
        }
    }
}
