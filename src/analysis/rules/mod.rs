//! The one rule catalogue (issue 15, "rules as units", after ruff's `rules/` layout): every
//! model validation (CF), design lint (DL), normalization (NF), index lint (IX) and migration
//! safety (MG) rule is a [`Rule`] with the same shape: id, name, family, default [`Severity`],
//! rationale, what exactly makes it fire, the dialects it applies to, the function that checks
//! it ([`Check`]: its own, or its family's runner) and positive and negative [`Fixture`]s.
//!
//! One file per family holds its entries: `validation.rs`, `design.rs` (DL and NF),
//! `index.rs`, `migration.rs`. `crowfoot check --rules`, the SARIF rule list, the studio's
//! hover texts, `check --level` validation and the rule tables of docs/design-lint.md,
//! docs/index-lint.md and docs/migrations.md ([`markdown`], checked by
//! `tests/design_lint.rs`) all read [`all`]; `tests/rules.rs` runs every rule on its fixtures.

use super::check::Problem;
use super::distribution::{Engine, Plan};
use crate::model::{Dialect, Project};
use serde::Serialize;

mod design;
mod distribution;
mod index;
mod migration;
mod security;
mod validation;

/// How much a finding matters: the one severity of every family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// `error`, `warning`, `info` (as JSON writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The family of a rule: its id prefix and the runner that reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// CF: what makes a project wrong or unexportable (`analysis::check`).
    Validation,
    /// DL: design lint (`analysis::lint`), one function per rule.
    Design,
    /// NF: normal forms from declared dependencies (`analysis::normalize`).
    Normalization,
    /// IX: index lint (`analysis::index_lint`).
    Index,
    /// MG: the zero-downtime safety report of a migration (`sql::migrate`).
    Migration,
    /// SEC: security and privacy lint (`analysis::privacy::security`), one function per rule.
    Security,
    /// DS: readiness for a distributed database (Citus, Vitess, CockroachDB), reported by
    /// `crowfoot check --distribution ENGINE` (`analysis::distribution`).
    Distribution,
}

impl Family {
    pub const ALL: [Family; 7] = [
        Family::Validation,
        Family::Design,
        Family::Normalization,
        Family::Index,
        Family::Migration,
        Family::Security,
        Family::Distribution,
    ];

    /// The id prefix, `CF`, `DL`, `NF`, `IX`, `MG`, `SEC` or `DS`.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Validation => "CF",
            Family::Design => "DL",
            Family::Normalization => "NF",
            Family::Index => "IX",
            Family::Migration => "MG",
            Family::Security => "SEC",
            Family::Distribution => "DS",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Family::Validation => "validation",
            Family::Design => "design lint",
            Family::Normalization => "normalization",
            Family::Index => "index lint",
            Family::Migration => "migration safety",
            Family::Security => "security lint",
            Family::Distribution => "distribution readiness",
        }
    }

    /// `crowfoot check`, the Problems panel and SARIF report it (every family but the
    /// migration safety report, which `crowfoot diff` writes); its severity can be configured
    /// per project (`Settings.lint`). Distribution readiness is reported only when asked for
    /// an engine (`crowfoot check --distribution`).
    pub fn in_problems(self) -> bool {
        !matches!(self, Family::Migration | Family::Distribution)
    }

    /// The family's rules, in catalogue order.
    pub fn rules(self) -> impl Iterator<Item = &'static Rule> {
        all().filter(move |r| r.family == self)
    }

    /// Run the family over a project for `dialect` (nothing for [`Family::Migration`], which
    /// needs two): what [`super::lint::problems`] is made of.
    pub fn run(self, p: &Project, dialect: Dialect, out: &mut Vec<Problem>) {
        match self {
            Family::Validation => validation::run(p, dialect, out),
            Family::Security => super::privacy::security::run(p, dialect, out),
            Family::Design => {
                for r in self.rules().filter(|r| r.applies_to(dialect)) {
                    if let Check::Own(f) = r.check {
                        f(p, dialect, out);
                    }
                }
            }
            Family::Normalization => super::lint::normal_forms(p, dialect, out),
            Family::Index => index::run(p, dialect, out),
            Family::Migration | Family::Distribution => {}
        }
    }
}

/// A project check: problems of `p` for a target dialect, pushed onto the list.
pub type ProjectCheck = fn(&Project, Dialect, &mut Vec<Problem>);
/// A migration check: the safety findings of migrating OLD to NEW in a dialect.
pub type MigrationCheck = fn(&Project, &Project, Dialect, &mut Vec<Problem>);
/// A distribution check: the findings of `p` on a distributed engine under a plan of roles.
pub type DistributionCheck = fn(&Project, Engine, &Plan, &mut Vec<Problem>);

/// What finds a rule's problems.
#[derive(Clone, Copy)]
pub enum Check {
    /// The rule's own function (design lint), run only for the rule's dialects.
    Own(ProjectCheck),
    /// The family's runner, which reports every rule of the family in one pass and decides
    /// itself where each applies (validation, normalization, index lint).
    Runner(ProjectCheck),
    /// The family's runner over a migration (the safety report of `sql::migrate::plan`).
    Migration(MigrationCheck),
    /// The rule's own function for distributed engines (DS), run for the `engines` it
    /// applies to; a rule's `dialects` are its engines' dialects. Fixtures are judged under
    /// their suggested plan (or the roles their `then` stores).
    Distribution {
        engines: &'static [Engine],
        check: DistributionCheck,
    },
}

/// A fixture: a small schema, or a pair of them for a migration rule, as SQL of the rule's
/// first dialect (PostgreSQL unless the rule is specific to another).
#[derive(Clone, Copy)]
pub enum Fixture {
    /// A schema script, then what SQL cannot say (tags, estimates, declared dependencies, a
    /// deliberately broken model) when `then` is given.
    Schema {
        sql: &'static str,
        then: Option<fn(&mut Project)>,
    },
    /// A migration from OLD to NEW (default options).
    Migration {
        old: &'static str,
        new: &'static str,
    },
}

impl Fixture {
    pub const fn sql(sql: &'static str) -> Fixture {
        Fixture::Schema { sql, then: None }
    }
    pub const fn sql_then(sql: &'static str, then: fn(&mut Project)) -> Fixture {
        Fixture::Schema {
            sql,
            then: Some(then),
        }
    }
    pub const fn migration(old: &'static str, new: &'static str) -> Fixture {
        Fixture::Migration { old, new }
    }
}

/// One rule of the catalogue.
pub struct Rule {
    /// Stable id, e.g. `DL013`.
    pub id: &'static str,
    /// Short kebab-case name, e.g. `timestamp-without-time-zone`.
    pub name: &'static str,
    pub family: Family,
    /// Default severity (a project may configure another, `Settings.lint`).
    pub severity: Severity,
    /// Why it matters (the studio's hover text, SARIF's fullDescription).
    pub rationale: &'static str,
    /// Exactly when it fires (the docs' "fires when").
    pub fires_when: &'static str,
    /// The target dialects it applies to, the first being the one its fixtures are written
    /// in; it reports nothing for the others.
    pub dialects: &'static [Dialect],
    pub check: Check,
    /// Schemas (or migrations) it reports, in every dialect it applies to.
    pub positive: &'static [Fixture],
    /// Near misses it must not report, in any dialect.
    pub negative: &'static [Fixture],
}

/// Every dialect.
pub const ALL_DIALECTS: &[Dialect] = &Dialect::ALL;

impl Rule {
    pub fn applies_to(&self, dialect: Dialect) -> bool {
        self.dialects.contains(&dialect)
    }

    /// The dialects in words: `all`, or their names (a distribution rule's engines).
    pub fn dialects_text(&self) -> String {
        if let Check::Distribution { engines, .. } = self.check {
            let names: Vec<&str> = engines.iter().map(|e| e.display_name()).collect();
            return names.join(", ");
        }
        if Dialect::ALL.iter().all(|d| self.applies_to(*d)) {
            "all".into()
        } else {
            self.dialects
                .iter()
                .map(|d| d.display_name())
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// What this rule reports on a fixture for `dialect` (its own function, or its family's
    /// runner with the other rules' findings left out). The fixture is read in the rule's
    /// first dialect ([`Fixture::load`]).
    pub fn fixture_findings(&self, f: &Fixture, dialect: Dialect) -> Result<Vec<Problem>, String> {
        let mut out = Vec::new();
        match (f.load(self.dialects[0])?, self.check) {
            (Loaded::Project(p), Check::Own(c)) => {
                if self.applies_to(dialect) {
                    c(&p, dialect, &mut out);
                }
            }
            (Loaded::Project(p), Check::Runner(c)) => c(&p, dialect, &mut out),
            (Loaded::Migration { old, new }, Check::Migration(c)) => {
                c(&old, &new, dialect, &mut out)
            }
            (Loaded::Project(p), Check::Distribution { engines, check }) => {
                let plan = super::distribution::plan(&p, None).map_err(|e| e.to_string())?;
                for e in engines.iter().filter(|e| e.dialect() == dialect) {
                    check(&p, *e, &plan, &mut out);
                }
            }
            _ => return Err(format!("{}: a fixture of the wrong kind", self.id)),
        }
        out.retain(|p| p.code == self.id);
        Ok(out)
    }

    /// The rule as JSON (`crowfoot check --rules --format json`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "name": self.name,
            "family": self.family,
            "severity": self.severity,
            "dialects": self.dialects.iter().map(|d| d.cli_name()).collect::<Vec<_>>(),
            "engines": match self.check {
                Check::Distribution { engines, .. } => engines.iter().map(|e| e.cli_name()).collect(),
                _ => Vec::new(),
            },
            "rationale": self.rationale,
            "fires_when": self.fires_when,
        })
    }
}

/// A fixture read into projects.
pub enum Loaded {
    Project(Box<Project>),
    Migration {
        old: Box<Project>,
        new: Box<Project>,
    },
}

impl Fixture {
    /// The fixture's project(s), its SQL imported as `dialect`; a statement the import skips
    /// or only partly imports is an error (a fixture says what it means).
    pub fn load(&self, dialect: Dialect) -> Result<Loaded, String> {
        Ok(match self {
            Fixture::Schema { sql, then } => {
                let mut p = import(sql, dialect)?;
                if let Some(then) = then {
                    then(&mut p);
                }
                Loaded::Project(Box::new(p))
            }
            Fixture::Migration { old, new } => Loaded::Migration {
                old: Box::new(import(old, dialect)?),
                new: Box::new(import(new, dialect)?),
            },
        })
    }
}

fn import(sql: &str, d: Dialect) -> Result<Project, String> {
    use crate::sql::import::{NoteKind, import_sql};
    let r = import_sql(sql, Some(d));
    match r
        .report
        .iter()
        .find(|n| matches!(n.kind, NoteKind::Skipped | NoteKind::Partial))
    {
        Some(n) => Err(format!("fixture not fully imported: {n}")),
        None => Ok(r.project),
    }
}

/// The catalogue, one slice per family, in the order rules are reported and listed.
const CATALOGUE: [&[Rule]; 6] = [
    validation::RULES,
    design::RULES,
    index::RULES,
    migration::RULES,
    security::RULES,
    distribution::RULES,
];

/// Every rule of every family: CF, DL, NF, IX, MG.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    CATALOGUE.iter().flat_map(|f| f.iter())
}

/// The rules `crowfoot check` reports (every family but the migration safety report).
pub fn in_problems() -> impl Iterator<Item = &'static Rule> {
    all().filter(|r| r.family.in_problems())
}

/// The rule with this id.
pub fn get(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// The default severity of a catalogued rule (panics on an id not in the catalogue: every
/// reported id is catalogued, `tests/rules.rs`).
pub fn severity(id: &str) -> Severity {
    get(id)
        .unwrap_or_else(|| panic!("rule {id} is not in the catalogue"))
        .severity
}

/// The rule table of some families as the docs hold it, between the marker lines
/// `<!-- rules: CF DL -->` and `<!-- /rules -->` (written by `crowfoot check --rules --format
/// markdown`; `tests/design_lint.rs` compares the docs with it).
pub fn markdown(families: &[Family]) -> String {
    let prefixes: Vec<&str> = families.iter().map(|f| f.prefix()).collect();
    let mut s = format!(
        "<!-- rules: {} (generated from src/analysis/rules: `crowfoot check --rules --format markdown`) -->\n",
        prefixes.join(" ")
    );
    s.push_str("| id | name | default | dialects | fires when | rationale |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for r in all().filter(|r| families.contains(&r.family)) {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.id,
            r.name,
            r.severity.as_str(),
            r.dialects_text(),
            r.fires_when,
            r.rationale
        ));
    }
    s.push_str("<!-- /rules -->\n");
    s
}

/// The rule tables the docs hold: validation, design and normalization in
/// docs/design-lint.md, index lint in docs/index-lint.md, migration safety in
/// docs/migrations.md, distribution readiness in docs/distribution.md.
pub const DOC_TABLES: &[(&str, &[Family])] = &[
    ("docs/design-lint.md", &[Family::Validation]),
    (
        "docs/design-lint.md",
        &[Family::Design, Family::Normalization],
    ),
    ("docs/index-lint.md", &[Family::Index]),
    ("docs/migrations.md", &[Family::Migration]),
    ("docs/privacy.md", &[Family::Security]),
    ("docs/distribution.md", &[Family::Distribution]),
];

/// For fixtures' `then`: the table named `name`, changed in place with no validation (a
/// fixture may break the model on purpose).
fn table<'p>(p: &'p mut Project, name: &str) -> &'p mut crate::model::Table {
    let id = p
        .table_by_name(None, name)
        .unwrap_or_else(|| panic!("fixture has no table {name}"))
        .id;
    p.table_mut(id).expect("the table exists")
}

/// For fixtures' `then`: a valid edit of the table named `name`, as one command.
fn edit(p: &mut Project, name: &str, f: impl FnOnce(&mut crate::model::Table, &Project)) {
    let mut t = p
        .table_by_name(None, name)
        .unwrap_or_else(|| panic!("fixture has no table {name}"))
        .clone();
    f(&mut t, p);
    crate::model::Command::ReplaceTable(Box::new(t))
        .apply(p)
        .expect("a valid fixture edit");
}
