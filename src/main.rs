//! The `crowfoot` command line: everything the studio does to a schema, as presentation (what
//! it shares with the studio is in the library). Each subcommand is a module of `cli`
//! (arguments, `run`, output through `cli::out`); this file parses, dispatches and exits.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

mod cli;

#[derive(Parser)]
#[command(
    name = "crowfoot",
    version,
    about = "Crowfoot: data modeling studio and schema CLI",
    long_about = "Crowfoot: data modeling studio and schema CLI.\n\n\
                  Without a command, opens the studio (on PROJECT, or on projects/shop.ron when run \
                  from the repository).",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    /// Project to open in the studio.
    project: Option<PathBuf>,
}

/// The subcommands, in the order of `crowfoot --help`; their help is on their `Args`.
#[derive(Subcommand)]
enum Cmd {
    Export(cli::export::ExportArgs),
    Render(cli::render::RenderArgs),
    Doc(cli::doc::DocArgs),
    Check(cli::check::CheckArgs),
    New(cli::new::NewArgs),
    Info(cli::info::InfoArgs),
    Fd(cli::fd::FdArgs),
    Normalize(cli::normalize::NormalizeArgs),
    Discover(cli::discover::DiscoverArgs),
    Merge(cli::merge::MergeArgs),
    Indexes(cli::indexes::IndexesArgs),
    Diff(cli::diff::DiffArgs),
    Import(cli::import::ImportArgs),
    Path(cli::path::PathArgs),
    Areas(cli::areas::AreasArgs),
    Pii(cli::pii::PiiArgs),
    Pattern(cli::pattern::PatternArgs),
}

fn run(cmd: Cmd) -> Result<ExitCode, ExitCode> {
    use cli::*;
    match cmd {
        Cmd::Export(a) => export::run(a),
        Cmd::Render(a) => render::run(a),
        Cmd::Doc(a) => doc::run(a),
        Cmd::Check(a) => check::run(a),
        Cmd::New(a) => new::run(a),
        Cmd::Info(a) => info::run(a),
        Cmd::Fd(a) => fd::run(a),
        Cmd::Normalize(a) => normalize::run(a),
        Cmd::Discover(a) => discover::run(a),
        Cmd::Merge(a) => merge::run(a),
        Cmd::Indexes(a) => indexes::run(a),
        Cmd::Diff(a) => diff::run(a),
        Cmd::Import(a) => import::run(a),
        Cmd::Path(a) => path::run(a),
        Cmd::Areas(a) => areas::run(a),
        Cmd::Pii(a) => pii::run(a),
        Cmd::Pattern(a) => pattern::run(a),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => studio(cli.project),
        Some(cmd) => {
            let code = match run(cmd) {
                Ok(code) | Err(code) => code,
            };
            cli::out::flush();
            code
        }
    }
}

/// Without a command: the studio.
#[cfg(feature = "ui")]
fn studio(project: Option<PathBuf>) -> ExitCode {
    crowfoot::ui::run(project).map_or_else(cli::common::fail, |()| ExitCode::SUCCESS)
}

#[cfg(not(feature = "ui"))]
fn studio(_project: Option<PathBuf>) -> ExitCode {
    cli::common::fail(
        "this crowfoot is built without the studio (cargo feature `ui`); give a command: \
         crowfoot --help lists them",
    )
}
