//! `crowfoot pii`: sensitive-data classification (`analysis::privacy::classify`), listed, or
//! applied to the project as one edit (tags `pii` and `pii:<category>`, data subjects).

use super::common::{fail, load, save};
use crate::{errln, outln};
use crowfoot::analysis::explore::resolve_table;
use crowfoot::analysis::privacy::{Confidence, classify, classify as c, erasure};
use crowfoot::model::{Command, TableId};
use std::path::PathBuf;
use std::process::ExitCode;

/// Find the columns that hold personal data: category (contact, identity, financial,
/// credentials, network, location, health, free_text), confidence (high, medium, low) and
/// reasons, from names in English, German, French and Spanish, types, comments, enum values and
/// foreign keys; and the tables whose rows are people (data subjects). --apply tags the columns
/// `pii` and `pii:<category>` (existing tags are kept) and marks the data subjects, as one edit
/// written to -o. Exit 0, 2 could not run.
#[derive(clap::Args)]
pub struct PiiArgs {
    #[arg(required_unless_present = "terms")]
    project: Option<PathBuf>,
    /// JSON: {"columns": [{"table", "column", "category", "confidence", "reasons"}], "subjects":
    /// [...], "subjects_suggested": bool}, sorted and deterministic.
    #[arg(long)]
    json: bool,
    /// Tag the findings at --min confidence or above, mark the data subjects, and write the
    /// project to -o (the input itself to change it in place; a .bak keeps what it replaces).
    #[arg(long, requires = "output")]
    apply: bool,
    /// With --apply: the project file to write.
    #[arg(short, long, requires = "apply")]
    output: Option<PathBuf>,
    /// The lowest confidence --apply tags (and the text output lists): low, medium or high.
    #[arg(long, default_value = "medium", value_parser = parse_confidence)]
    min: Confidence,
    /// With --apply: mark this table as a data subject (repeatable); without it the suggested
    /// subjects are marked when no table is marked yet.
    #[arg(long = "subject", requires = "apply")]
    subjects: Vec<String>,
    /// Print the term list as docs/privacy.md holds it and exit.
    #[arg(long, conflicts_with_all = ["json", "apply"])]
    terms: bool,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    Confidence::parse(s).ok_or_else(|| format!("`{s}`: expected low, medium or high"))
}

pub fn run(a: PiiArgs) -> Result<ExitCode, ExitCode> {
    if a.terms {
        outln!("{}", c::terms_markdown().trim_end());
        return Ok(ExitCode::SUCCESS);
    }
    let Some(project) = a.project.as_deref() else {
        return Err(fail("give a PROJECT"));
    };
    let mut p = load(project)?;
    let findings = classify(&p);
    let (subjects, suggested) = erasure::subjects_of(&p, &findings);
    let subject_names: Vec<String> = subjects
        .iter()
        .filter_map(|t| p.table(*t))
        .map(|t| t.qualified_name())
        .collect();
    if a.json {
        let mut v = c::to_json(&findings);
        v["subjects"] = serde_json::json!(subject_names);
        v["subjects_suggested"] = serde_json::json!(suggested);
        outln!("{v}");
    } else {
        let shown: Vec<_> = findings.iter().filter(|f| f.confidence >= a.min).collect();
        for f in &shown {
            outln!(
                "{}.{}\t{}\t{}\t{}",
                f.table,
                f.column,
                f.category.as_str(),
                f.confidence.as_str(),
                f.reasons.join("; ")
            );
        }
        let below = findings.len() - shown.len();
        outln!(
            "{} columns hold personal data ({} below --min {} not listed)",
            shown.len(),
            below,
            a.min.as_str()
        );
        outln!(
            "data subjects{}: {}",
            if suggested { " (suggested)" } else { "" },
            if subject_names.is_empty() {
                "none".to_string()
            } else {
                subject_names.join(", ")
            }
        );
    }
    if let (true, Some(out)) = (a.apply, &a.output) {
        let mut marks: Vec<TableId> = Vec::new();
        for name in &a.subjects {
            marks.push(resolve_table(&p, name).map_err(fail)?);
        }
        if a.subjects.is_empty() && suggested {
            marks = subjects.clone();
        }
        let mut cmds = c::tag_commands(&p, findings.iter().filter(|f| f.confidence >= a.min));
        let tagged = cmds.len();
        let before = cmds.len();
        cmds.extend(
            marks
                .iter()
                .filter(|t| p.table(**t).is_some_and(|t| !t.data_subject))
                .map(|t| Command::SetDataSubject {
                    table: *t,
                    on: true,
                }),
        );
        let marked = cmds.len() - before;
        Command::Batch(cmds)
            .apply(&mut p)
            .map_err(|e| fail(format!("{}: {e}", project.display())))?;
        save(&p, out)?;
        errln!(
            "saved {}: {tagged} column(s) tagged, {marked} data subject(s) marked",
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
