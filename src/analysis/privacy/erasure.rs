//! The personal-data map and erasure impact (issue 18 §2): for each data subject (a table whose
//! rows are people), every table that holds data about that person through foreign-key paths,
//! and what `DELETE FROM subject WHERE …` does along each path.
//!
//! The prediction follows the engines' rules for one statement:
//! - rows referencing a deleted row through `ON DELETE CASCADE` are **deleted**, recursively;
//! - `SET NULL` / `SET DEFAULT` keep the referencing rows with the key **nulled** (or
//!   defaulted): the row stays, with whatever personal data it holds, now an orphan;
//! - `RESTRICT` / `NO ACTION` **block** the statement while a referencing row exists, unless
//!   that row is itself deleted by the same statement through a cascade. A `NO ACTION` check
//!   runs at the end of the statement, so a row the cascade removes does not block it
//!   (PostgreSQL and SQLite agree). `RESTRICT` is checked when the parent row goes: whether a
//!   row deleted by another cascade path is already gone depends on the engine's trigger order,
//!   so such a key is reported as blocking ("may block") — a plan should not rely on it.
//! - tables the subject (or a deleted row) **refers to** (`users.address_id → addresses`) are
//!   not touched: the person's address stays and needs its own deletion.
//! - tables reached only through a kept row (below a nulled or blocking key) stay as well.
//!
//! Columns holding personal data in tables no subject reaches are listed apart: a deletion
//! would miss them. Comments that speak of retention are quoted.

use super::classify::{Category, Confidence, Finding};
use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What erasing a subject row does to a reached table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "effect")]
pub enum Effect {
    /// The subject table itself: its row is deleted.
    Subject,
    /// Rows are deleted through `ON DELETE CASCADE`.
    Deleted,
    /// Rows are kept; these foreign-key columns are set to NULL (or their default).
    Nulled { columns: Vec<String>, default: bool },
    /// The erasure fails while such rows exist (`RESTRICT` / `NO ACTION`).
    Blocks {
        columns: Vec<String>,
        action: String,
        /// `RESTRICT` on a table also deleted by a cascade: engine-dependent.
        uncertain: bool,
    },
    /// Rows stay: reached only through rows the erasure keeps, or referred to by the subject.
    Kept { why: String },
}

impl Effect {
    pub fn word(&self) -> &'static str {
        match self {
            Effect::Subject => "subject",
            Effect::Deleted => "deleted",
            Effect::Nulled { .. } => "nulled",
            Effect::Blocks { .. } => "blocks",
            Effect::Kept { .. } => "kept",
        }
    }
}

/// One step of a path: a foreign key, walked from the subject's side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// `orders.customer_id → customers.id` as text.
    pub fk: String,
    #[serde(skip)]
    pub id: ForeignKeyId,
    /// `false` when the step follows the key from its referenced table to the referencing one
    /// (rows that belong to the person); `true` when the person's row refers to the table.
    pub outward: bool,
    /// The key's `ON DELETE` action.
    pub on_delete: String,
}

/// A table holding data about a subject's person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reached {
    #[serde(skip)]
    pub table_id: TableId,
    pub table: String,
    /// The shortest path from the subject.
    pub path: Vec<Step>,
    /// Its personal-data columns (medium or high, or tagged `pii`) and their categories.
    pub columns: Vec<(String, Category)>,
    #[serde(flatten)]
    pub effect: Effect,
}

/// Everything known about one data subject.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SubjectMap {
    #[serde(skip)]
    pub table_id: TableId,
    pub subject: String,
    pub reached: Vec<Reached>,
}

impl SubjectMap {
    /// Whether the erasure of one row can succeed (no key blocks it).
    pub fn erasure_can_succeed(&self) -> bool {
        !self
            .reached
            .iter()
            .any(|r| matches!(r.effect, Effect::Blocks { .. }))
    }
}

/// The map of a project: per subject, and the personal data no subject reaches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrivacyMap {
    pub subjects: Vec<SubjectMap>,
    /// Personal-data columns in tables no subject reaches.
    pub unreached: Vec<(String, String, Category)>,
    /// Comments on retention: `(object, text)`.
    pub retention: Vec<(String, String)>,
}

/// Personal-data columns per table: the findings at medium or above (not the pseudonymous
/// references) and columns tagged `pii` / `pii:<category>`.
pub fn personal_columns(
    p: &Project,
    findings: &[Finding],
) -> BTreeMap<TableId, Vec<(ColumnId, Category)>> {
    let mut out: BTreeMap<TableId, BTreeMap<ColumnId, Category>> = BTreeMap::new();
    let mut found: BTreeMap<(TableId, ColumnId), Category> = BTreeMap::new();
    for f in findings {
        if f.confidence >= Confidence::Medium {
            found.insert((f.table_id, f.column_id), f.category);
        }
    }
    // What the user tagged outranks the classification: a `pii:<category>` tag gives the
    // category, a bare `pii` tag the classified one (identity when there is none).
    for t in p.tables() {
        for c in &t.columns {
            let tagged = c.tags.iter().find_map(|g| Category::from_tag(g));
            let pii = c.tags.iter().any(|g| g.eq_ignore_ascii_case("pii"));
            let classified = found.get(&(t.id, c.id)).copied();
            let cat = tagged.or(classified).or(pii.then_some(Category::Identity));
            if let Some(cat) = cat {
                out.entry(t.id).or_default().insert(c.id, cat);
            }
        }
    }
    out.into_iter()
        .map(|(t, cols)| {
            let table = p.table(t);
            let mut v: Vec<(ColumnId, Category)> = cols.into_iter().collect();
            v.sort_by_key(|(c, _)| table.and_then(|t| t.column_index(*c)));
            (t, v)
        })
        .collect()
}

fn fk_text(p: &Project, fk: &ForeignKey) -> String {
    let (Some(from), Some(to)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
        return String::new();
    };
    let names = |t: &Table, cols: &[ColumnId]| {
        cols.iter()
            .map(|c| t.column_name(*c).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{}({}) → {}({})",
        from.qualified_name(),
        names(from, &fk.from_columns),
        to.qualified_name(),
        names(to, fk.target_columns(to))
    )
}

fn action_sql(a: FkAction) -> String {
    a.sql().to_string()
}

/// The erasure of one row of `subject`: which tables are deleted, nulled, blocking or kept,
/// and the personal data each holds.
pub fn subject_map(
    p: &Project,
    subject: TableId,
    personal: &BTreeMap<TableId, Vec<(ColumnId, Category)>>,
) -> Option<SubjectMap> {
    let st = p.table(subject)?;
    // Deleted tables: the subject and everything a cascade reaches from it.
    let mut deleted: BTreeSet<TableId> = BTreeSet::from([subject]);
    let mut queue = VecDeque::from([subject]);
    while let Some(t) = queue.pop_front() {
        for fk in p.foreign_keys_to(t) {
            if fk.on_delete == FkAction::Cascade && deleted.insert(fk.from_table) {
                queue.push_back(fk.from_table);
            }
        }
    }
    // Shortest paths (BFS) inward (referencing tables) then outward (referenced by the
    // subject or a deleted row).
    let mut path: BTreeMap<TableId, Vec<Step>> = BTreeMap::from([(subject, Vec::new())]);
    let mut queue = VecDeque::from([subject]);
    while let Some(t) = queue.pop_front() {
        let base = path[&t].clone();
        let mut fks = p.foreign_keys_to(t);
        fks.sort_by_key(|fk| fk.id);
        for fk in fks {
            if path.contains_key(&fk.from_table) {
                continue;
            }
            let mut steps = base.clone();
            steps.push(Step {
                fk: fk_text(p, fk),
                id: fk.id,
                outward: false,
                on_delete: action_sql(fk.on_delete),
            });
            path.insert(fk.from_table, steps);
            queue.push_back(fk.from_table);
        }
    }
    let inward: BTreeSet<TableId> = path.keys().copied().collect();
    // Outward, one step: tables the person's row or a deleted row refers to, when they hold
    // personal data (`users.address_id → addresses`). Further steps lead into shared data
    // (products, countries), not the person's.
    let mut sources: Vec<TableId> = deleted.iter().copied().collect();
    sources.sort_by_key(|t| (path[t].len(), *t));
    for t in sources {
        let base = path[&t].clone();
        let mut fks = p.foreign_keys_from(t);
        fks.sort_by_key(|fk| fk.id);
        for fk in fks {
            if path.contains_key(&fk.to_table) || !personal.contains_key(&fk.to_table) {
                continue;
            }
            let mut steps = base.clone();
            steps.push(Step {
                fk: fk_text(p, fk),
                id: fk.id,
                outward: true,
                on_delete: action_sql(fk.on_delete),
            });
            path.insert(fk.to_table, steps);
        }
    }
    let mut reached = Vec::new();
    for (t, steps) in &path {
        let Some(table) = p.table(*t) else { continue };
        let columns: Vec<(String, Category)> = personal
            .get(t)
            .map(|v| {
                v.iter()
                    .map(|(c, cat)| (table.column_name(*c).to_string(), *cat))
                    .collect()
            })
            .unwrap_or_default();
        let effect = effect_of(p, *t, subject, &deleted, inward.contains(t));
        // Outward tables without personal data are only the way to others: left out.
        if !inward.contains(t) && columns.is_empty() {
            continue;
        }
        reached.push(Reached {
            table_id: *t,
            table: table.qualified_name(),
            path: steps.clone(),
            columns,
            effect,
        });
    }
    reached.sort_by(|a, b| {
        (a.effect != Effect::Subject, a.path.len(), &a.table).cmp(&(
            b.effect != Effect::Subject,
            b.path.len(),
            &b.table,
        ))
    });
    Some(SubjectMap {
        table_id: subject,
        subject: st.qualified_name(),
        reached,
    })
}

/// What the erasure does to table `t`.
fn effect_of(
    p: &Project,
    t: TableId,
    subject: TableId,
    deleted: &BTreeSet<TableId>,
    inward: bool,
) -> Effect {
    if t == subject {
        return Effect::Subject;
    }
    if !inward {
        return Effect::Kept {
            why: "the person's rows refer to it; not deleted with them".into(),
        };
    }
    let table = p.table(t);
    let names = |cols: &[ColumnId]| -> Vec<String> {
        cols.iter()
            .map(|c| {
                table
                    .map(|x| x.column_name(*c).to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    let mut keys: Vec<&ForeignKey> = p
        .foreign_keys_from(t)
        .into_iter()
        .filter(|fk| deleted.contains(&fk.to_table))
        .collect();
    keys.sort_by_key(|fk| fk.id);
    let is_deleted = deleted.contains(&t);
    for fk in &keys {
        match fk.on_delete {
            FkAction::Restrict => {
                return Effect::Blocks {
                    columns: names(&fk.from_columns),
                    action: "RESTRICT".into(),
                    uncertain: is_deleted,
                };
            }
            FkAction::NoAction if !is_deleted => {
                return Effect::Blocks {
                    columns: names(&fk.from_columns),
                    action: "NO ACTION".into(),
                    uncertain: false,
                };
            }
            _ => {}
        }
    }
    if is_deleted {
        return Effect::Deleted;
    }
    if let Some(fk) = keys
        .iter()
        .find(|fk| matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault))
    {
        return Effect::Nulled {
            columns: names(&fk.from_columns),
            default: fk.on_delete == FkAction::SetDefault,
        };
    }
    Effect::Kept {
        why: "reached only through rows the erasure keeps".into(),
    }
}

/// Words that mark a comment as a retention note.
const RETENTION_WORDS: &[&str] = &[
    "retention",
    "retain",
    "retained",
    "kept for",
    "keep for",
    "delete after",
    "deleted after",
    "purge",
    "purged",
    "anonymi",
    "pseudonymi",
    "expire",
    "aufbewahr",
    "loeschfrist",
    "löschfrist",
    "conservation",
    "conservé",
    "conservacion",
    "conservación",
];

/// The map of every subject: the tables marked `data_subject`, or `suggested` where none is.
pub fn privacy_map(p: &Project, findings: &[Finding], subjects: &[TableId]) -> PrivacyMap {
    let personal = personal_columns(p, findings);
    let maps: Vec<SubjectMap> = subjects
        .iter()
        .filter_map(|s| subject_map(p, *s, &personal))
        .collect();
    let reached: BTreeSet<TableId> = maps
        .iter()
        .flat_map(|m| m.reached.iter().map(|r| r.table_id))
        .collect();
    let mut unreached = Vec::new();
    let mut tables: Vec<&Table> = p.tables().collect();
    tables.sort_by_key(|t| t.qualified_name());
    for t in &tables {
        if reached.contains(&t.id) {
            continue;
        }
        for (c, cat) in personal.get(&t.id).into_iter().flatten() {
            unreached.push((t.qualified_name(), t.column_name(*c).to_string(), *cat));
        }
    }
    let mut retention = Vec::new();
    for t in &tables {
        let objects = std::iter::once((t.qualified_name(), t.comment.as_deref())).chain(
            t.columns.iter().map(|c| {
                (
                    format!("{}.{}", t.qualified_name(), c.name),
                    c.comment.as_deref(),
                )
            }),
        );
        for (obj, comment) in objects {
            if let Some(text) = comment {
                let low = text.to_lowercase();
                if RETENTION_WORDS.iter().any(|w| low.contains(w)) {
                    retention.push((obj, text.to_string()));
                }
            }
        }
    }
    PrivacyMap {
        subjects: maps,
        unreached,
        retention,
    }
}

/// The subjects a report is about: those marked, else the suggested ones.
pub fn subjects_of(p: &Project, findings: &[Finding]) -> (Vec<TableId>, bool) {
    let mut marked: Vec<&Table> = p.tables().filter(|t| t.data_subject).collect();
    marked.sort_by_key(|t| t.qualified_name());
    if marked.is_empty() {
        (super::classify::suggested_subjects(p, findings), true)
    } else {
        (marked.into_iter().map(|t| t.id).collect(), false)
    }
}

/// An identifier as a Markdown code span, safe in a table cell.
fn code(s: &str) -> String {
    let s = s.replace('|', "\\|").replace('\n', " ");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "\\`")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('<', "&lt;")
        .replace('\n', " ")
}

/// The privacy report as Markdown (`crowfoot doc --privacy`, Export ▸ Privacy report).
pub fn markdown(p: &Project, findings: &[Finding]) -> String {
    let (subjects, suggested) = subjects_of(p, findings);
    let map = privacy_map(p, findings, &subjects);
    let mut s = format!("# Privacy report: {}\n\n", md_escape(p.name()));
    let n_cols = personal_columns(p, findings)
        .values()
        .map(Vec::len)
        .sum::<usize>();
    s.push_str(&format!(
        "{n_cols} columns hold personal data (tagged `pii`, or classified medium or high). "
    ));
    if subjects.is_empty() {
        s.push_str("No table is marked as a data subject and none is suggested: mark the tables whose rows are people (Model ▸ Classify sensitive data…).\n\n");
    } else if suggested {
        s.push_str(
            "No table is marked as a data subject; this report assumes the suggested ones: ",
        );
        s.push_str(
            &map.subjects
                .iter()
                .map(|m| code(&m.subject))
                .collect::<Vec<_>>()
                .join(", "),
        );
        s.push_str(".\n\n");
    } else {
        s.push('\n');
        s.push('\n');
    }
    for m in &map.subjects {
        s.push_str(&format!("## Data subject: {}\n\n", code(&m.subject)));
        let blocks: Vec<&Reached> = m
            .reached
            .iter()
            .filter(|r| matches!(r.effect, Effect::Blocks { .. }))
            .collect();
        if blocks.is_empty() {
            s.push_str(&format!(
                "{} succeeds: ",
                code(&format!("DELETE FROM {} WHERE …", m.subject))
            ));
        } else {
            s.push_str(&format!(
                "{} **fails** while {} hold rows of the person: ",
                code(&format!("DELETE FROM {} WHERE …", m.subject)),
                blocks
                    .iter()
                    .map(|r| code(&r.table))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let count = |w: &str| m.reached.iter().filter(|r| r.effect.word() == w).count();
        s.push_str(&format!(
            "{} tables deleted with it, {} nulled (rows kept as orphans), {} blocking, {} kept.\n\n",
            count("deleted"),
            count("nulled"),
            count("blocks"),
            count("kept")
        ));
        s.push_str(
            "| table | on erasure | personal data | path from the subject |\n|---|---|---|---|\n",
        );
        for r in &m.reached {
            let cols_of = |v: &[String]| v.iter().map(|c| code(c)).collect::<Vec<_>>().join(", ");
            let effect = match &r.effect {
                Effect::Subject => "the person's row is deleted".to_string(),
                Effect::Deleted => "deleted (CASCADE)".into(),
                Effect::Nulled { columns, default } => format!(
                    "**kept**, {} set to {}: an orphan with its personal data",
                    cols_of(columns),
                    if *default { "its default" } else { "NULL" }
                ),
                Effect::Blocks {
                    columns,
                    action,
                    uncertain,
                } => format!(
                    "**{}** the erasure ({action} on {})",
                    if *uncertain { "may block" } else { "blocks" },
                    cols_of(columns)
                ),
                Effect::Kept { why } => format!("kept: {}", md_escape(why)),
            };
            let cols = if r.columns.is_empty() {
                "–".to_string()
            } else {
                r.columns
                    .iter()
                    .map(|(c, cat)| format!("{} ({})", code(c), cat.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let path = if r.path.is_empty() {
                "–".to_string()
            } else {
                r.path
                    .iter()
                    .map(|st| format!("{} {}", code(&st.fk), st.on_delete))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                code(&r.table),
                effect,
                cols,
                path
            ));
        }
        s.push('\n');
    }
    s.push_str("## Personal data no subject reaches\n\n");
    if map.unreached.is_empty() {
        s.push_str("None: every personal-data column is in a table an erasure reaches.\n\n");
    } else {
        s.push_str("An erasure that starts from the subjects misses these columns:\n\n| table | column | category |\n|---|---|---|\n");
        for (t, c, cat) in &map.unreached {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                code(t),
                code(c),
                cat.as_str()
            ));
        }
        s.push('\n');
    }
    s.push_str("## Retention notes\n\n");
    if map.retention.is_empty() {
        s.push_str("No comment speaks of retention: say in the comments how long personal data is kept and when it is deleted.\n");
    } else {
        for (obj, text) in &map.retention {
            s.push_str(&format!("- {}: {}\n", code(obj), md_escape(text)));
        }
    }
    s
}
