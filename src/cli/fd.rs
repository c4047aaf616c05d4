//! `crowfoot fd`: the analysis lives in `analysis::normalize::report`.

use super::common::fail;
use crate::{out, outln};
use std::process::ExitCode;

/// Analyze functional dependencies of one relation: candidate keys, normal form, minimal
/// cover, violations explained, 3NF synthesis and BCNF decomposition. Exit 2 on bad input.
#[derive(clap::Args)]
pub struct FdArgs {
    /// Attributes, comma-separated (default: the names the dependencies use).
    #[arg(long, allow_hyphen_values = true)]
    attrs: Option<String>,
    /// A dependency, `A, B -> C` or `A ->> B` (multivalued); repeatable.
    #[arg(long = "fd", allow_hyphen_values = true)]
    fds: Vec<String>,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

pub fn run(a: FdArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::normalize::report;
    let r =
        report::fd_report(a.attrs.as_deref(), &a.fds, &report::Options::default()).map_err(fail)?;
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&r).expect("json values serialize")
        );
    } else {
        out!("{}", r.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
