//! The whole analysis of one relation, as a serializable report (the JSON of `crowfoot fd`
//! and `crowfoot normalize`) and as readable text.

use super::attrs::{AttrSet, Schema};
use super::decompose::{self, Decomposition};
use super::fd::{Fd, FdSet, Mvd};
use super::keys::{self, Keys};
use super::nf::{self, NfResult, NormalForm};
use super::parse::{self, Dependency, ParseError};
use crate::model::{Project, Table};
use serde::Serialize;
use std::fmt::Write as _;

/// Caps of the exponential parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// At most this many candidate keys are enumerated ("showing first N").
    pub key_cap: usize,
    /// BCNF decomposition searches a component for violations exhaustively up to this many
    /// attributes (2^n closures); wider components are searched heuristically.
    pub bcnf_exhaustive_up_to: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            key_cap: keys::DEFAULT_KEY_CAP,
            bcnf_exhaustive_up_to: decompose::DEFAULT_BCNF_EXHAUSTIVE,
        }
    }
}

/// Everything computed for one relation.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub schema: Schema,
    /// The given FDs.
    pub fds: FdSet,
    pub mvds: Vec<Mvd>,
    /// Minimal cover (singleton right sides, sorted).
    pub cover: Vec<Fd>,
    pub keys: Keys,
    pub nf: NfResult,
    pub synthesis: Decomposition,
    pub bcnf: Decomposition,
}

/// Analyze the relation `schema` under `fds` (and `mvds`, used for 4NF only).
pub fn analyze(schema: Schema, fds: Vec<Fd>, mvds: Vec<Mvd>, opts: &Options) -> Analysis {
    let n = schema.len();
    let f = FdSet::new(n, fds);
    let cover = f.minimal_cover();
    let keys = keys::candidate_keys(&f, opts.key_cap.max(1));
    let nf = nf::normal_form(&f, &cover, &keys, &mvds);
    let synthesis = decompose::synthesize_3nf(&f, &cover, &keys);
    let bcnf = decompose::decompose_bcnf(&f, &cover, opts.bcnf_exhaustive_up_to);
    Analysis {
        schema,
        fds: f,
        mvds,
        cover,
        keys,
        nf,
        synthesis,
        bcnf,
    }
}

/// An FD in JSON: `{"lhs": [...], "rhs": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FdJson {
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
}

/// A violation in JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ViolationJson {
    /// `A, B -> C`.
    pub fd: String,
    /// The lowest normal form it breaks: `2NF`, `3NF`, `BCNF` or `4NF`.
    pub violates: NormalForm,
    /// Plain-language explanation.
    pub why: String,
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
    pub kind: nf::ViolationKind,
    /// Not among the given dependencies, but implied by them.
    pub implied: bool,
}

/// The report of `crowfoot fd` (one relation) and of each table in `crowfoot normalize`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FdReport {
    /// The table, for `crowfoot normalize`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    pub attributes: Vec<String>,
    /// The given FDs, as text.
    pub functional_dependencies: Vec<String>,
    /// Where each given FD comes from (`crowfoot normalize`: primary key, unique...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fd_sources: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub multivalued_dependencies: Vec<String>,
    pub candidate_keys: Vec<Vec<String>>,
    /// More candidate keys exist than listed (the enumeration stopped at its cap).
    pub keys_truncated: bool,
    pub prime_attributes: Vec<String>,
    /// Highest of `1NF`, `2NF`, `3NF`, `BCNF`.
    pub normal_form: NormalForm,
    /// Only with multivalued dependencies: whether the relation is in 4NF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fourth_nf: Option<bool>,
    /// False when the verdict rests on a truncated key list.
    pub normal_form_exact: bool,
    /// Minimal cover, one attribute per right side, sorted.
    pub minimal_cover: Vec<FdJson>,
    /// The minimal cover with equal left sides merged (canonical cover).
    pub canonical_cover: Vec<FdJson>,
    pub violations: Vec<ViolationJson>,
    pub synthesis_3nf: Vec<Vec<String>>,
    pub synthesis_3nf_lossless: bool,
    pub synthesis_3nf_lost_dependencies: Vec<String>,
    pub bcnf_decomposition: Vec<Vec<String>>,
    pub bcnf_lossless: bool,
    /// FDs of the minimal cover the BCNF decomposition does not preserve.
    pub bcnf_lost_dependencies: Vec<String>,
    /// Every BCNF component was verified exhaustively (false: a wide component was searched
    /// heuristically, see docs/normalization.md).
    pub bcnf_exhaustive: bool,
}

impl Analysis {
    /// The serializable report.
    pub fn report(&self) -> FdReport {
        let s = &self.schema;
        let fdj = |fd: &Fd| FdJson {
            lhs: s.names_of(&fd.lhs),
            rhs: s.names_of(&fd.rhs),
        };
        let sets = |v: &[AttrSet]| v.iter().map(|x| s.names_of(x)).collect::<Vec<_>>();
        FdReport {
            table: None,
            attributes: s.names().to_vec(),
            functional_dependencies: self.fds.fds().iter().map(|f| f.display(s)).collect(),
            fd_sources: Vec::new(),
            multivalued_dependencies: self.mvds.iter().map(|m| m.display(s)).collect(),
            candidate_keys: sets(&self.keys.keys),
            keys_truncated: self.keys.truncated,
            prime_attributes: s.names_of(&self.keys.prime(s.len())),
            normal_form: self.nf.normal_form,
            fourth_nf: self.nf.fourth_nf,
            normal_form_exact: self.nf.exact,
            minimal_cover: self.cover.iter().map(fdj).collect(),
            canonical_cover: FdSet::merge_by_lhs(&self.cover).iter().map(fdj).collect(),
            violations: self
                .nf
                .violations
                .iter()
                .map(|v| ViolationJson {
                    fd: v.fd_text(s),
                    violates: v.violates,
                    why: v.explain(s, &self.fds),
                    lhs: s.names_of(&v.lhs),
                    rhs: s.names_of(&v.rhs),
                    kind: v.kind,
                    implied: v.implied,
                })
                .collect(),
            synthesis_3nf: sets(&self.synthesis.components),
            synthesis_3nf_lossless: self.synthesis.lossless,
            synthesis_3nf_lost_dependencies: self
                .synthesis
                .lost
                .iter()
                .map(|f| f.display(s))
                .collect(),
            bcnf_decomposition: sets(&self.bcnf.components),
            bcnf_lossless: self.bcnf.lossless,
            bcnf_lost_dependencies: self.bcnf.lost.iter().map(|f| f.display(s)).collect(),
            bcnf_exhaustive: self.bcnf.exhaustive,
        }
    }
}

fn list(v: &[String]) -> String {
    v.iter()
        .map(|n| parse::quote_name(n))
        .collect::<Vec<_>>()
        .join(", ")
}

impl FdReport {
    /// Readable text report.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        if let Some(t) = &self.table {
            let _ = writeln!(o, "table {t}");
        }
        let _ = writeln!(o, "attributes: {}", list(&self.attributes));
        if self.functional_dependencies.is_empty() {
            let _ = writeln!(o, "functional dependencies: none");
        } else {
            let _ = writeln!(o, "functional dependencies:");
            for (i, fd) in self.functional_dependencies.iter().enumerate() {
                match self.fd_sources.get(i) {
                    Some(src) => {
                        let _ = writeln!(o, "  {fd}    ({src})");
                    }
                    None => {
                        let _ = writeln!(o, "  {fd}");
                    }
                }
            }
        }
        if !self.multivalued_dependencies.is_empty() {
            let _ = writeln!(o, "multivalued dependencies:");
            for m in &self.multivalued_dependencies {
                let _ = writeln!(o, "  {m}");
            }
        }
        let _ = writeln!(
            o,
            "candidate keys ({}{}):",
            if self.keys_truncated {
                "showing first "
            } else {
                ""
            },
            self.candidate_keys.len()
        );
        for k in &self.candidate_keys {
            let _ = writeln!(o, "  {{{}}}", list(k));
        }
        let _ = writeln!(o, "prime attributes: {}", list(&self.prime_attributes));
        let _ = writeln!(o, "minimal cover:");
        for fd in &self.minimal_cover {
            let _ = writeln!(o, "  {} -> {}", list(&fd.lhs), list(&fd.rhs));
        }
        let _ = write!(o, "normal form: {}", self.normal_form);
        if let Some(f) = self.fourth_nf {
            let _ = write!(o, " ({}in 4NF)", if f { "" } else { "not " });
        }
        if !self.normal_form_exact {
            let _ = write!(o, " (key list truncated: prime attributes may be missing)");
        }
        let _ = writeln!(o);
        for v in &self.violations {
            let _ = writeln!(o, "  violates {}: {}", v.violates, v.fd);
            let _ = writeln!(o, "    {}", v.why);
        }
        let mut decomposition = |title: &str,
                                 comps: &[Vec<String>],
                                 lossless: bool,
                                 lost: &[String],
                                 note: Option<&str>| {
            let _ = writeln!(o, "{title}:");
            for c in comps {
                let _ = writeln!(o, "  ({})", list(c));
            }
            let _ = writeln!(
                o,
                "  lossless join: {}; dependencies {}",
                if lossless { "yes" } else { "NO" },
                if lost.is_empty() {
                    "all preserved".to_string()
                } else {
                    format!("lost: {}", lost.join("; "))
                }
            );
            if let Some(n) = note {
                let _ = writeln!(o, "  {n}");
            }
        };
        decomposition(
            "3NF synthesis",
            &self.synthesis_3nf,
            self.synthesis_3nf_lossless,
            &self.synthesis_3nf_lost_dependencies,
            None,
        );
        decomposition(
            "BCNF decomposition",
            &self.bcnf_decomposition,
            self.bcnf_lossless,
            &self.bcnf_lost_dependencies,
            (!self.bcnf_exhaustive)
                .then_some("(a wide component was searched for violations heuristically)"),
        );
        o
    }
}

/// Bad input: which argument, its text, and the located error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// e.g. `--fd #2` or `--attrs`.
    pub what: String,
    pub input: String,
    pub error: ParseError,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} '{}', {}\n{}",
            self.what,
            self.input,
            self.error,
            self.error.pointer(&self.input)
        )
    }
}

impl std::error::Error for InputError {}

fn input_err(what: impl Into<String>, input: &str, error: ParseError) -> InputError {
    InputError {
        what: what.into(),
        input: input.to_string(),
        error,
    }
}

/// Parse dependency texts against `schema` into FDs and MVDs.
fn parse_all(schema: &Schema, deps: &[String]) -> Result<(Vec<Fd>, Vec<Mvd>), InputError> {
    let mut fds = Vec::new();
    let mut mvds = Vec::new();
    for (i, d) in deps.iter().enumerate() {
        match parse::parse_dependency(schema, d)
            .map_err(|e| input_err(format!("--fd #{}", i + 1), d, e))?
        {
            Dependency::Fd(f) => fds.push(f),
            Dependency::Mvd(m) => mvds.push(m),
        }
    }
    Ok((fds, mvds))
}

/// `crowfoot fd`: attributes (`A, B, C`; when `None`, the names used by the dependencies in
/// order of appearance) and dependency texts (`A -> B`, `A ->> B`).
pub fn fd_report(
    attrs: Option<&str>,
    deps: &[String],
    opts: &Options,
) -> Result<FdReport, InputError> {
    let names = match attrs {
        Some(a) => parse::parse_attr_list(a).map_err(|e| input_err("--attrs", a, e))?,
        None => {
            let mut names: Vec<String> = Vec::new();
            for (i, d) in deps.iter().enumerate() {
                let t = parse::parse_dependency_text(d)
                    .map_err(|e| input_err(format!("--fd #{}", i + 1), d, e))?;
                for l in t.lhs.iter().chain(&t.rhs) {
                    if !names.contains(&l.name) {
                        names.push(l.name.clone());
                    }
                }
            }
            names
        }
    };
    if names.is_empty() {
        return Err(input_err(
            "--attrs",
            attrs.unwrap_or(""),
            ParseError {
                column: 1,
                message: "no attributes: give --attrs A,B,... or at least one --fd".into(),
            },
        ));
    }
    let schema = Schema::new(names).expect("names are non-empty and distinct");
    let (fds, mvds) = parse_all(&schema, deps)?;
    Ok(analyze(schema, fds, mvds, opts).report())
}

/// FDs implied by a table's own constraints: primary key, unique constraints and unique
/// indexes over plain columns without a `WHERE` each determine every column. Returns the FDs
/// with a description of their source.
pub fn model_fds(t: &Table, schema: &Schema) -> Vec<(Fd, String)> {
    let n = schema.len();
    let all = AttrSet::full(n);
    let set = |ids: &mut dyn Iterator<Item = crate::model::ColumnId>| -> Option<AttrSet> {
        let mut s = AttrSet::empty(n);
        for id in ids {
            s.insert(t.column_index(id)?);
        }
        Some(s)
    };
    let mut out: Vec<(Fd, String)> = Vec::new();
    let mut push = |lhs: AttrSet, src: String| {
        if !lhs.is_empty() && !out.iter().any(|(f, _)| f.lhs == lhs) {
            out.push((Fd::new(lhs, all.difference(&AttrSet::empty(n))), src));
        }
    };
    if let Some(pk) = &t.primary_key
        && let Some(s) = set(&mut pk.columns.iter().copied())
    {
        push(s, "primary key".into());
    }
    for u in &t.uniques {
        if let Some(s) = set(&mut u.columns.iter().copied()) {
            let name = u
                .name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            push(s, format!("unique constraint{name}"));
        }
    }
    for ix in t
        .indexes
        .iter()
        .filter(|i| i.unique && i.where_clause.is_none())
    {
        let cols: Option<Vec<_>> = ix.parts.iter().map(|p| p.target.column()).collect();
        if let Some(cols) = cols
            && let Some(s) = set(&mut cols.into_iter())
        {
            push(s, format!("unique index {}", ix.name));
        }
    }
    for (fd, _) in &mut out {
        fd.rhs.difference_with(&fd.lhs);
    }
    out.retain(|(fd, _)| !fd.rhs.is_empty());
    out
}

/// The dependencies a table declares (stored on the project), as FDs and MVDs over `schema`
/// (the table's columns in order). A dependency naming a column the table no longer has is
/// skipped (the model commands keep them consistent, so this is only defensive).
pub fn declared_dependencies(t: &Table, schema: &Schema) -> (Vec<Fd>, Vec<Mvd>) {
    let n = schema.len();
    let set = |ids: &[crate::model::ColumnId]| -> Option<AttrSet> {
        let mut s = AttrSet::empty(n);
        for id in ids {
            s.insert(t.column_index(*id)?);
        }
        Some(s)
    };
    let mut fds = Vec::new();
    let mut mvds = Vec::new();
    for d in &t.dependencies {
        let (Some(l), Some(r)) = (set(&d.lhs), set(&d.rhs)) else {
            continue;
        };
        if d.multivalued {
            mvds.push(Mvd::new(l, r));
        } else {
            fds.push(Fd::new(l, r));
        }
    }
    (fds, mvds)
}

/// The full analysis of one table: FDs its keys imply, the dependencies declared on it, plus
/// `extra` dependency texts over its column names. Also returns where each FD comes from.
pub fn table_analysis(
    t: &Table,
    extra: &[String],
    opts: &Options,
) -> Result<(Analysis, Vec<String>), InputError> {
    let schema = Schema::new(t.columns.iter().map(|c| c.name.clone())).map_err(|m| {
        input_err(
            format!("table {}", t.qualified_name()),
            "",
            ParseError {
                column: 1,
                message: m,
            },
        )
    })?;
    let derived = model_fds(t, &schema);
    let (declared_fds, mut mvds) = declared_dependencies(t, &schema);
    let (extra_fds, extra_mvds) = parse_all(&schema, extra)?;
    mvds.extend(extra_mvds);
    let mut sources: Vec<String> = derived.iter().map(|(_, s)| s.clone()).collect();
    sources.extend(declared_fds.iter().map(|_| "declared".to_string()));
    sources.extend(extra_fds.iter().map(|_| "declared (--fd)".to_string()));
    let fds: Vec<Fd> = derived
        .into_iter()
        .map(|(f, _)| f)
        .chain(declared_fds)
        .chain(extra_fds)
        .collect();
    Ok((analyze(schema, fds, mvds, opts), sources))
}

/// `crowfoot normalize` for one table: model-derived FDs, the table's declared dependencies
/// and `extra` dependency texts over the table's column names.
pub fn table_report(t: &Table, extra: &[String], opts: &Options) -> Result<FdReport, InputError> {
    let (a, sources) = table_analysis(t, extra, opts)?;
    let mut r = a.report();
    r.table = Some(t.qualified_name());
    r.fd_sources = sources;
    Ok(r)
}

/// `crowfoot normalize` over a project: every table with columns, or the one named
/// `table` (`name` or `schema.name`). `extra` dependencies need a single table.
pub fn project_report(
    p: &Project,
    table: Option<&str>,
    extra: &[String],
    opts: &Options,
) -> Result<Vec<FdReport>, InputError> {
    let tables: Vec<&Table> = match table {
        Some(name) => {
            let found = p
                .tables()
                .find(|t| t.qualified_name() == name)
                .or_else(|| p.tables().find(|t| t.name == name));
            match found {
                Some(t) => vec![t],
                None => {
                    return Err(input_err(
                        "--table",
                        name,
                        ParseError {
                            column: 1,
                            message: "no such table in the project".into(),
                        },
                    ));
                }
            }
        }
        None => {
            if !extra.is_empty() {
                return Err(input_err(
                    "--fd",
                    &extra[0],
                    ParseError {
                        column: 1,
                        message: "--fd needs --table (dependencies are per table)".into(),
                    },
                ));
            }
            p.tables().filter(|t| !t.columns.is_empty()).collect()
        }
    };
    tables
        .into_iter()
        .map(|t| table_report(t, extra, opts))
        .collect()
}
