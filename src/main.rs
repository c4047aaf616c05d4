//! The `crowfoot` command line. Everything the studio does to a schema is reachable here.

use clap::{Parser, Subcommand, ValueEnum};
use crowfoot::analysis::check::Severity;
use crowfoot::model::{Dialect, Project, Settings};
use crowfoot::project_file;
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

#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    Postgres,
    Mysql,
    Sqlite,
    Sqlserver,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Mysql => Dialect::MySql,
            DialectArg::Sqlite => Dialect::Sqlite,
            DialectArg::Sqlserver => Dialect::SqlServer,
        }
    }
}

/// What `crowfoot export --to` writes: DDL for a SQL dialect, or a diagram-as-code format.
#[derive(Clone, Copy, ValueEnum)]
enum ExportTo {
    Postgres,
    Mysql,
    Sqlite,
    Sqlserver,
    /// DBML (dbdiagram.io), checked with @dbml/core.
    Dbml,
    /// Mermaid `erDiagram`.
    Mermaid,
}

impl ExportTo {
    /// The SQL dialect, for the DDL targets.
    fn dialect(self) -> Option<Dialect> {
        match self {
            ExportTo::Postgres => Some(Dialect::Postgres),
            ExportTo::Mysql => Some(Dialect::MySql),
            ExportTo::Sqlite => Some(Dialect::Sqlite),
            ExportTo::Sqlserver => Some(Dialect::SqlServer),
            ExportTo::Dbml | ExportTo::Mermaid => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DecomposeArg {
    #[value(name = "3nf")]
    ThirdNf,
    Bcnf,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0 (CI code scanning).
    Sarif,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write the project's DDL for a dialect, or DBML / Mermaid (stdout unless -o). Warnings
    /// go to stderr.
    Export {
        project: PathBuf,
        /// Target: a SQL dialect, `dbml` or `mermaid`.
        #[arg(long, value_enum)]
        to: ExportTo,
        /// Output file (written atomically).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Export DDL although the model has error-level problems (the DDL would fail): the
        /// foreign keys at fault are commented out, other problems listed at the top.
        #[arg(long)]
        force: bool,
    },
    /// Draw the diagram as the studio's canvas shows it (light theme): SVG or PNG, from the
    /// output's extension. Written atomically.
    Render {
        project: PathBuf,
        /// `diagram.svg` or `diagram.png`.
        #[arg(short, long)]
        output: PathBuf,
        /// Only these tables (`name` or `schema.name`, comma-separated).
        #[arg(long, value_delimiter = ',')]
        tables: Vec<String>,
        /// PNG pixels per canvas unit (scaled down when the picture would be too big).
        #[arg(long, default_value = "1.0")]
        scale: f32,
    },
    /// Write a Markdown data dictionary (tables, columns, keys, comments, tags, Mermaid ER
    /// diagram). Written atomically; stdout unless -o.
    Doc {
        project: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Validate a project. Exit 0 clean, 1 problems found, 2 could not run.
    Check {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Target dialect of the rules (default: the project's target dialect).
        #[arg(long)]
        dialect: Option<DialectArg>,
        /// Rule configuration for this run, `RULE=off|info|warning|error` (e.g. `DL013=off`);
        /// repeatable. With --save, stored in the project.
        #[arg(long = "level", value_name = "RULE=LEVEL")]
        levels: Vec<String>,
        /// Store the --level settings in the project file (atomically) and exit.
        #[arg(long, requires = "levels")]
        save: bool,
        /// List every rule with its id, default severity and rationale, and exit.
        #[arg(long)]
        rules: bool,
    },
    /// Create a new, empty project file.
    New {
        path: PathBuf,
        /// Target dialect stored in the project settings.
        #[arg(long, default_value = "postgres")]
        dialect: DialectArg,
        /// Overwrite an existing file (a .bak of it is kept).
        #[arg(long)]
        force: bool,
    },
    /// Summarize a project: tables, columns, keys, indexes.
    Info { project: PathBuf },
    /// Analyze functional dependencies of one relation: candidate keys, normal form, minimal
    /// cover, violations explained, 3NF synthesis and BCNF decomposition. Exit 2 on bad input.
    Fd {
        /// Attributes, comma-separated (default: the names the dependencies use).
        #[arg(long, allow_hyphen_values = true)]
        attrs: Option<String>,
        /// A dependency, `A, B -> C` or `A ->> B` (multivalued); repeatable.
        #[arg(long = "fd", allow_hyphen_values = true)]
        fds: Vec<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Normalization report per table, from primary keys and unique constraints (plus
    /// `--fd` dependencies with `--table`).
    Normalize {
        project: PathBuf,
        /// Only this table (`name` or `schema.name`).
        #[arg(long)]
        table: Option<String>,
        /// An extra dependency over the table's columns (needs --table); repeatable.
        #[arg(long = "fd", allow_hyphen_values = true)]
        fds: Vec<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
        /// Declare a dependency on the table and save it in the project (needs --table);
        /// repeatable.
        #[arg(long, allow_hyphen_values = true)]
        declare: Vec<String>,
        /// Remove a declared dependency from the table (needs --table); repeatable.
        #[arg(long, allow_hyphen_values = true)]
        undeclare: Vec<String>,
        /// Split the table into 3NF (Bernstein synthesis) or BCNF tables joined by foreign
        /// keys, and save (needs --table).
        #[arg(long, value_enum)]
        decompose: Option<DecomposeArg>,
        /// With --declare/--undeclare/--decompose: show what would change, save nothing.
        #[arg(long)]
        dry_run: bool,
        /// With --declare/--undeclare/--decompose: write the project here instead of in place.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Discover the functional dependencies that hold on sample data (a CSV file with a
    /// header row, or a table of an SQLite database), with minimal keys and first-normal-form
    /// hints. Exit 2 on bad input.
    Discover(DiscoverArgs),
    /// Three-way merge of project files by stable id (a git merge driver: see
    /// docs/merge.md). Exit 0 merged cleanly, 1 conflicts (resolved to OURS and listed), 2 error.
    Merge {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        /// Output file (written atomically, the file it replaces kept as OUTPUT.bak; git
        /// passes OURS' path as %A).
        #[arg(short, long)]
        output: PathBuf,
        /// Keep no OUTPUT.bak (for git's merge driver, whose %A is a temporary file).
        #[arg(long)]
        no_backup: bool,
    },
    /// Index lint (and, with --workload, index advice from the SQLite planner). Exit 0 clean,
    /// 1 findings, 2 could not run.
    Indexes {
        project: PathBuf,
        /// Dialect whose rules apply (default: the project's target dialect).
        #[arg(long)]
        dialect: Option<DialectArg>,
        /// A workload (.sql file of SELECT/UPDATE/DELETE/INSERT statements, optional
        /// `-- weight: N` comments): plans before/after and suggested indexes, checked by
        /// SQLite's query planner.
        #[arg(long, value_name = "FILE.sql")]
        workload: Option<PathBuf>,
        /// JSON output: {"lint": [{rule, table, index, message}], "queries": [{sql,
        /// plan_before, plan_after}], "suggested": [{table, columns, unique, benefit}]}.
        #[arg(long)]
        json: bool,
    },
    /// Structural diff of two schemas and the migration between them: up.sql (OLD -> NEW),
    /// down.sql (NEW -> OLD) and a zero-downtime safety report (MG001..MG009) on stderr.
    /// Exit 0: no changes; 1: changes; 2: error.
    #[command(
        after_help = "OLD and NEW are .ron projects, .sql scripts or SQLite database files \
                      (imported on the fly; their dialect is detected; objects a skipped statement \
                      names are left out of the migration unless --allow-incomplete). Objects are matched by stable id when both come from \
                      the same project, else by name with rename heuristics (reported with a \
                      confidence). Safety codes: MG001 table drop, MG002 column drop, MG003 type \
                      narrowing, MG004 NOT NULL without default, MG005 index build without \
                      CONCURRENTLY (PostgreSQL), MG006 table rewrite, MG007 foreign key without \
                      NOT VALID (PostgreSQL), MG008 rename breaking old code, MG009 sequence \
                      dropped or renamed (PostgreSQL)."
    )]
    Diff(DiffArgs),
    /// Import a SQL script, an SQLite database file, or a live PostgreSQL / MySQL / MariaDB
    /// server into a project. The dialect and a report of skipped statements go to stderr; the
    /// project RON to stdout unless -o.
    #[command(
        after_help = "SOURCE is a .sql file, an SQLite database file, or a server URL:\n  \
                      postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=S&sslmode=M]\n  \
                      mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE   (or mariadb://)\n\
                      Servers are read with pg_dump or mariadb-dump/mysqldump, which must be \
                      installed. A password in the URL shows in `ps` and the shell history: \
                      prefer PGPASSWORD / MYSQL_PWD, ~/.pgpass or --password-stdin (in a URL, \
                      percent-encode its special characters). The URL and password are never \
                      written to the project (it is named after the database)."
    )]
    Import {
        /// A .sql file, an SQLite database file, or a postgres:// / mysql:// URL.
        source: String,
        /// Dialect of a script (detected when absent; files and servers bring their own).
        #[arg(long)]
        from: Option<DialectArg>,
        /// Project file to write.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// List every report note, noise included.
        #[arg(long)]
        verbose: bool,
        /// Server: seconds it may stay silent (connecting or dumping) before the import stops.
        #[arg(long, value_name = "SECS", default_value_t = 10,
              value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Server: read the password from the first line of stdin (not with one in the URL).
        #[arg(long)]
        password_stdin: bool,
    },
}

fn load(path: &std::path::Path) -> Result<Project, ExitCode> {
    project_file::load(path).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match crowfoot::ui::run(cli.project) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                errln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Some(cmd) => {
            let code = match run(cmd) {
                Ok(code) | Err(code) => code,
            };
            cli::out::flush();
            code
        }
    }
}

#[derive(clap::Args)]
struct DiffArgs {
    old: PathBuf,
    new: PathBuf,
    /// Dialect of the migration (default: NEW's target dialect, or the dialect of a .sql NEW).
    #[arg(long)]
    to: Option<DialectArg>,
    /// Write up.sql here (default: stdout, unless --json).
    #[arg(short, long, value_name = "UP.sql")]
    output: Option<PathBuf>,
    /// Write down.sql (the reverse migration) here.
    #[arg(long, value_name = "DOWN.sql")]
    down: Option<PathBuf>,
    /// PostgreSQL: CREATE INDEX CONCURRENTLY on existing tables (the script is then not
    /// wrapped in a transaction).
    #[arg(long)]
    concurrently: bool,
    /// PostgreSQL: add foreign keys to existing tables NOT VALID, then VALIDATE CONSTRAINT.
    #[arg(long)]
    fk_not_valid: bool,
    /// JSON on stdout: {"diff": {...}, "up": {sql, safety, warnings}, "down": {...}}.
    #[arg(long)]
    json: bool,
    /// The value existing rows get in a NOT NULL column added without a default, as SQL of
    /// the target dialect: `--fill 'orders.status='\''new'\'''` (repeatable; the column keeps
    /// no default afterwards).
    #[arg(long = "fill", value_name = "TABLE.COLUMN=SQL")]
    fills: Vec<String>,
    /// Reproduce the model's column order: PostgreSQL rebuilds a table whose new columns are
    /// not last, MySQL places them with AFTER/FIRST (MG006). By default new columns are
    /// appended and the difference is a warning.
    #[arg(long)]
    exact_column_order: bool,
    /// Diff scripts whose import skipped statements as they were imported: what a skipped
    /// statement defines may then be dropped (by default it is left out of the migration).
    #[arg(long)]
    allow_incomplete: bool,
}

/// A schema to diff: a project file, or a .sql script or SQLite database file imported on the
/// fly (with its dialect and its import report, whose skipped and partial statements are
/// printed on stderr).
struct Schema {
    project: Project,
    dialect: Option<Dialect>,
    report: Vec<crowfoot::sql::import::ImportNote>,
}

/// A project from a .ron file, or a .sql script or SQLite database imported on the fly.
fn load_schema(path: &std::path::Path) -> Result<Schema, ExitCode> {
    use crowfoot::sql::import::source::{ImportSource, classify_path};
    let is_sql = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sql"));
    let source = classify_path(path);
    if !is_sql && !matches!(source, ImportSource::SqliteFile(_)) {
        return load(path).map(|project| Schema {
            project,
            dialect: None,
            report: Vec::new(),
        });
    }
    let im = source.import(None).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })?;
    for n in crowfoot::sql::incomplete::incomplete_notes(&im.report) {
        errln!("{}:{n}", path.display());
    }
    Ok(Schema {
        project: im.project,
        dialect: Some(im.dialect),
        report: im.report,
    })
}

fn diff_cmd(a: DiffArgs) -> Result<ExitCode, ExitCode> {
    refuse_onto_input(a.output.as_deref(), &[&a.old, &a.new])?;
    refuse_onto_input(a.down.as_deref(), &[&a.old, &a.new])?;
    if let (Some(up), Some(down)) = (&a.output, &a.down)
        && (up == down || same_file(up, down))
    {
        errln!(
            "error: {}: up.sql and down.sql are the same file",
            up.display()
        );
        return Err(ExitCode::from(2));
    }
    let Schema {
        project: mut o,
        dialect: od,
        report: old_report,
    } = load_schema(&a.old)?;
    let Schema {
        project: mut n,
        dialect: nd,
        report: new_report,
    } = load_schema(&a.new)?;
    let skipped = |r: &[crowfoot::sql::import::ImportNote]| {
        crowfoot::sql::incomplete::incomplete_notes(r).count()
    };
    let (old_skipped, new_skipped) = (skipped(&old_report), skipped(&new_report));
    if old_skipped + new_skipped > 0 {
        let sides: Vec<String> = [(&a.old, old_skipped), (&a.new, new_skipped)]
            .iter()
            .filter(|(_, k)| *k > 0)
            .map(|(p, k)| format!("{}: {k}", p.display()))
            .collect();
        errln!(
            "warning: the import is incomplete (statements skipped or partly imported: {})",
            sides.join(", ")
        );
        if a.allow_incomplete {
            errln!(
                "warning: --allow-incomplete: what those statements define may be dropped or \
                 altered by this migration"
            );
        } else {
            let aside =
                crowfoot::sql::incomplete::set_aside(&mut o, &mut n, &old_report, &new_report);
            if !aside.is_empty() {
                errln!(
                    "warning: left out of the migration (named by those statements, so never \
                     dropped or altered; --allow-incomplete to diff them as imported): {}",
                    aside.join(", ")
                );
            }
        }
    }
    let mut opts = crowfoot::sql::migrate::MigrationOptions {
        concurrent_indexes: a.concurrently,
        fk_not_valid: a.fk_not_valid,
        match_mode: None,
        exact_column_order: a.exact_column_order,
    };
    if od.is_some() || nd.is_some() {
        // Imported on the fly: fresh ids, equal only by chance.
        opts.match_mode = Some(crowfoot::sql::diff::MatchMode::Names);
    }
    let d =
        a.to.map(Dialect::from)
            .or(nd)
            .unwrap_or(n.settings().target_dialect);
    if d == Dialect::SqlServer {
        errln!("error: migrations are rendered for postgres, mysql and sqlite (not sqlserver yet)");
        return Err(ExitCode::from(2));
    }
    let mut fills = crowfoot::sql::migrate::Fills::new();
    for f in &a.fills {
        let parsed = f.split_once('=').and_then(|(target, sql)| {
            let (table, column) = target.rsplit_once('.')?;
            Some((table.trim(), column.trim(), sql.trim()))
        });
        let Some((table, column, sql)) =
            parsed.filter(|(t, c, e)| !t.is_empty() && !c.is_empty() && !e.is_empty())
        else {
            errln!("error: --fill {f}: expected TABLE.COLUMN=SQL");
            return Err(ExitCode::from(2));
        };
        if let Err(e) = crowfoot::model::sql_text::check_expression(sql) {
            errln!("error: --fill {f}: {e}");
            return Err(ExitCode::from(2));
        }
        fills.insert((table.to_string(), column.to_string()), sql.to_string());
    }
    let plan = crowfoot::sql::migrate::plan_with_fills(&o, &n, d, opts, &fills);
    // Every fill must name a NOT NULL column the migration adds.
    for (table, column) in fills.keys() {
        let used = plan.diff.tables_changed.iter().any(|td| {
            n.table(td.new_id).is_some_and(|t| {
                (t.qualified_name() == *table || t.name == *table)
                    && td.columns_added.iter().any(|c| {
                        c.name == *column
                            && t.column(c.id)
                                .is_some_and(|col| !col.nullable && col.default.is_none())
                    })
            })
        });
        if !used {
            errln!(
                "error: --fill {table}.{column}: the migration adds no NOT NULL column {column} \
                 without a default to an existing table {table}"
            );
            return Err(ExitCode::from(2));
        }
    }
    let write = |path: &std::path::Path, text: &str| write_output(path, text.as_bytes());
    if let Some(p) = &a.output {
        write(p, &plan.up.sql)?;
    }
    if let Some(p) = &a.down {
        write(p, &plan.down.sql)?;
    }
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("plans serialize")
        );
    } else {
        for line in plan.diff.summary() {
            errln!("{line}");
        }
        if a.output.is_none() {
            out!("{}", plan.up.sql);
        }
    }
    for w in &plan.up.warnings {
        errln!("warning: {w}");
    }
    for s in &plan.up.safety {
        errln!("{s}");
    }
    Ok(if plan.diff.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run(cmd: Cmd) -> Result<ExitCode, ExitCode> {
    match cmd {
        Cmd::Diff(args) => diff_cmd(args),
        Cmd::Export {
            project,
            to,
            output,
            force,
        } => {
            refuse_onto_input(output.as_deref(), &[&project])?;
            let p = load(&project)?;
            let (text, warnings) = match (to.dialect(), to) {
                (Some(d), _) => export_ddl(&project, &p, d, force)?,
                (None, ExportTo::Dbml) => {
                    let out = crowfoot::export::dbml::export(&p);
                    (out.text, out.warnings)
                }
                (None, _) => {
                    let out = crowfoot::export::mermaid::export(&p);
                    (out.text, out.warnings)
                }
            };
            for w in &warnings {
                errln!("warning: {w}");
            }
            write_or_print(output.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Doc { project, output } => {
            refuse_onto_input(output.as_deref(), &[&project])?;
            let p = load(&project)?;
            let text = crowfoot::export::markdown::data_dictionary(&p);
            write_or_print(output.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Render {
            project,
            output,
            tables,
            scale,
        } => render_cmd(&project, &output, &tables, scale),
        Cmd::Check {
            project,
            format,
            dialect,
            levels,
            save,
            rules,
        } => check_cmd(
            &project,
            format,
            dialect.map(Dialect::from),
            &levels,
            save,
            rules,
        ),
        Cmd::New {
            path,
            dialect,
            force,
        } => {
            if path.exists() && !force {
                errln!(
                    "error: {} already exists (use --force to overwrite; a .bak is kept)",
                    path.display()
                );
                return Err(ExitCode::from(2));
            }
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Untitled".into());
            let mut p = Project::new(name);
            let settings = Settings {
                target_dialect: dialect.into(),
                ..Settings::default()
            };
            crowfoot::model::Command::SetSettings(Box::new(settings))
                .apply(&mut p)
                .expect("settings always apply");
            project_file::save(&p, &path).map_err(|e| {
                errln!("error: {e}");
                ExitCode::from(2)
            })?;
            errln!("created {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Import {
            source,
            from,
            output,
            verbose,
            timeout,
            password_stdin,
        } => import(
            &source,
            from.map(Dialect::from),
            output.as_deref(),
            verbose,
            timeout,
            password_stdin,
        ),
        Cmd::Fd { attrs, fds, json } => fd_cmd(attrs.as_deref(), &fds, json),
        Cmd::Normalize {
            project,
            table,
            fds,
            json,
            declare,
            undeclare,
            decompose,
            dry_run,
            output,
        } => {
            if declare.is_empty() && undeclare.is_empty() && decompose.is_none() {
                normalize_cmd(&project, table.as_deref(), &fds, json)
            } else {
                use crowfoot::analysis::normalize::apply::{Edit, Method};
                let edit = Edit {
                    table: table.unwrap_or_default(),
                    declare,
                    undeclare,
                    decompose: decompose.map(|d| match d {
                        DecomposeArg::ThirdNf => Method::Synthesis3nf,
                        DecomposeArg::Bcnf => Method::Bcnf,
                    }),
                };
                normalize_edit(&project, &edit, dry_run, output.as_deref())
            }
        }
        Cmd::Discover(args) => discover_cmd(args),
        Cmd::Merge {
            base,
            ours,
            theirs,
            output,
            no_backup,
        } => {
            // OURS is the output when git calls the driver; BASE and THEIRS never are.
            refuse_onto_input(Some(&output), &[&base, &theirs])?;
            let (b, o, t) = (load(&base)?, load(&ours)?, load(&theirs)?);
            let m = crowfoot::merge::merge(&b, &o, &t);
            let saved = if no_backup {
                project_file::save_no_backup(&m.project, &output)
            } else {
                project_file::save(&m.project, &output)
            };
            saved.map_err(|e| {
                errln!("error: {e}");
                ExitCode::from(2)
            })?;
            for c in &m.conflicts {
                errln!("conflict: {c}");
            }
            errln!(
                "merged into {}: {} conflict(s)",
                output.display(),
                m.conflicts.len()
            );
            Ok(if m.conflicts.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Indexes {
            project,
            dialect,
            workload,
            json,
        } => indexes_cmd(
            &project,
            dialect.map(Dialect::from),
            workload.as_deref(),
            json,
        ),
        Cmd::Info { project } => {
            let p = load(&project)?;
            outln!("{} ({})", p.name(), project.display());
            outln!(
                "{} tables, {} columns, {} foreign keys, {} enums, {} views, {} sequences; target {}",
                p.table_count(),
                p.column_count(),
                p.foreign_key_count(),
                p.enums().count(),
                p.views().count(),
                p.sequences().count(),
                p.settings().target_dialect.display_name()
            );
            for t in p.tables() {
                outln!(
                    "  {:<32} {:>3} columns  {:>2} indexes  {:>2} fks{}",
                    t.qualified_name(),
                    t.columns.len(),
                    t.indexes.len(),
                    p.foreign_keys_from(t.id).len(),
                    if t.primary_key.is_some() {
                        ""
                    } else {
                        "  (no primary key)"
                    }
                );
            }
            if p.sequences().next().is_some() {
                outln!("sequences:");
            }
            for s in p.sequences() {
                outln!(
                    "  {:<32} {}",
                    s.qualified_name(),
                    crowfoot::model::sequence::describe(&p, s)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `crowfoot export --to DIALECT`: refuse a model with error-level problems (the DDL would
/// fail on the engine) unless `force`; then the foreign keys at fault are left out of the
/// script and appended commented out, and every problem is listed at the top.
fn export_ddl(
    path: &std::path::Path,
    p: &Project,
    d: Dialect,
    force: bool,
) -> Result<(String, Vec<crowfoot::sql::ExportWarning>), ExitCode> {
    use crowfoot::analysis::{check, lint};
    let errors: Vec<_> = lint::problems(p, d)
        .into_iter()
        .filter(|x| x.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        let out = crowfoot::sql::export(p, d);
        return Ok((out.sql, out.warnings));
    }
    if !force {
        for e in &errors {
            errln!("{}: {e}", path.display());
        }
        errln!(
            "error: {}: {} error-level problem(s): the DDL would fail on {}; fix them, or \
             --force to export anyway (the foreign keys at fault commented out)",
            path.display(),
            errors.len(),
            d.display_name()
        );
        return Err(ExitCode::from(2));
    }
    let failing = check::failing_foreign_keys(p);
    let mut without = p.clone();
    for id in &failing {
        // Removing an existing key cannot fail.
        let _ = crowfoot::model::Command::RemoveForeignKey(*id).apply(&mut without);
    }
    let out = crowfoot::sql::export(&without, d);
    let mut text = String::from("-- Exported with --force despite these error-level problems:\n");
    for e in &errors {
        text.push_str(&format!("--   {}\n", e.to_string().replace('\n', " ")));
    }
    text.push_str(&out.sql);
    if !failing.is_empty() {
        text.push_str("\n-- Left out: the foreign keys at fault (these statements would fail):\n");
        let left: String = if d == Dialect::SqlServer {
            failing
                .iter()
                .filter_map(|id| p.foreign_key(*id))
                .map(|fk| {
                    format!(
                        "foreign key {}\n",
                        fk.name.as_deref().unwrap_or("(unnamed)")
                    )
                })
                .collect()
        } else {
            let opts = crowfoot::sql::migrate::MigrationOptions {
                match_mode: Some(crowfoot::sql::diff::MatchMode::Ids),
                ..Default::default()
            };
            crowfoot::sql::migrate::plan(&without, p, d, opts).up.sql
        };
        for line in left.lines() {
            text.push_str("-- ");
            text.push_str(line);
            text.push('\n');
        }
    }
    for e in &errors {
        errln!("{}: {e}", path.display());
    }
    errln!(
        "warning: exported with {} error-level problem(s) (--force); {} foreign key(s) commented \
         out",
        errors.len(),
        failing.len()
    );
    Ok((text, out.warnings))
}

/// Write an output file atomically (keeping a `.bak` of what it replaces), unless it is a
/// project file of a newer format version.
fn write_output(path: &std::path::Path, bytes: &[u8]) -> Result<(), ExitCode> {
    project_file::refuse_newer(path)
        .and_then(|()| project_file::write_atomic_bytes(path, bytes))
        .map_err(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        })
}

/// Are `a` and `b` the same file (through symlinks and hard links too)?
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuse an output that is one of the command's inputs: writing it would replace the source.
fn refuse_onto_input(
    output: Option<&std::path::Path>,
    inputs: &[&std::path::Path],
) -> Result<(), ExitCode> {
    let Some(output) = output else {
        return Ok(());
    };
    if let Some(input) = inputs.iter().find(|i| same_file(output, i)) {
        errln!(
            "error: {}: the output is the input {} (it would be replaced); choose another output",
            output.display(),
            input.display()
        );
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// Write `text` atomically to `path`, or print it.
fn write_or_print(path: Option<&std::path::Path>, text: &str) -> Result<(), ExitCode> {
    match path {
        Some(path) => write_output(path, text.as_bytes()),
        None => {
            out!("{text}");
            Ok(())
        }
    }
}

fn render_cmd(
    project: &std::path::Path,
    output: &std::path::Path,
    tables: &[String],
    scale: f32,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::export::{SvgOptions, png, render_svg};
    refuse_onto_input(Some(output), &[project])?;
    let p = load(project)?;
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext != "svg" && ext != "png" {
        errln!(
            "error: {}: the output must end in .svg or .png",
            output.display()
        );
        return Err(ExitCode::from(2));
    }
    let mut opts = SvgOptions::default();
    if !tables.is_empty() {
        let mut ids = std::collections::BTreeSet::new();
        for name in tables.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let found = p
                .tables()
                .find(|t| t.qualified_name() == name)
                .or_else(|| p.tables().find(|t| t.name == name));
            match found {
                Some(t) => {
                    ids.insert(t.id);
                }
                None => {
                    errln!("error: no table `{name}` in {}", project.display());
                    return Err(ExitCode::from(2));
                }
            }
        }
        opts.tables = Some(ids);
    }
    let svg = render_svg(&p, &opts);
    if ext == "svg" {
        write_output(output, svg.text.as_bytes())?;
    } else {
        if !(scale.is_finite() && scale > 0.0) {
            errln!("error: --scale must be a positive number");
            return Err(ExitCode::from(2));
        }
        let png = png::rasterize(&svg.text, scale).map_err(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        })?;
        if png.scale < scale {
            errln!(
                "warning: the diagram is too large for scale {scale}; drawn at {:.3} ({}×{} px)",
                png.scale,
                png.width,
                png.height
            );
        }
        write_output(output, &png.data)?;
    }
    errln!(
        "{}: {} tables, {} relationships",
        output.display(),
        svg.tables,
        svg.edges
    );
    Ok(ExitCode::SUCCESS)
}

fn import(
    arg: &str,
    from: Option<Dialect>,
    output: Option<&std::path::Path>,
    verbose: bool,
    timeout: u64,
    password_stdin: bool,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::sql::import::NoteKind;
    use crowfoot::sql::import::source::{ImportSource, LiveOptions, classify};
    let source = classify(arg);
    if let ImportSource::Script(p) | ImportSource::SqliteFile(p) = &source {
        refuse_onto_input(output, &[p])?;
    }
    // A path, or the URL with its password replaced by `***`.
    let label = source.label();
    let fail = |message: String| {
        errln!("error: {message}");
        ExitCode::from(2)
    };
    let mut live = LiveOptions {
        timeout: std::time::Duration::from_secs(timeout),
        password: None,
    };
    if password_stdin {
        if !matches!(source, ImportSource::Live(_)) {
            return Err(fail(format!(
                "{label}: --password-stdin is for a server URL"
            )));
        }
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| fail(format!("reading the password from stdin: {e}")))?;
        let line = line.strip_suffix('\n').unwrap_or(&line);
        live.password = Some(line.strip_suffix('\r').unwrap_or(line).to_string());
    }
    let r = source.import_with(from, &live).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })?;
    let how = match &source {
        ImportSource::Script(_) if from.is_some() => "given",
        ImportSource::Script(_) => "detected",
        ImportSource::SqliteFile(_) => "SQLite database file",
        ImportSource::Live(_) => "live server",
    };
    errln!("{label}: {} ({how})", r.dialect.display_name());
    let p = &r.project;
    errln!(
        "imported {} tables, {} columns, {} foreign keys, {} indexes, {} enums, {} views, {} sequences",
        p.table_count(),
        p.column_count(),
        p.foreign_key_count(),
        p.tables().map(|t| t.indexes.len()).sum::<usize>(),
        p.enums().count(),
        p.views().count(),
        p.sequences().count()
    );
    errln!(
        "{} statements skipped, {} partly imported, {} noise statements ignored",
        r.count(NoteKind::Skipped),
        r.count(NoteKind::Partial),
        r.count(NoteKind::Noise)
    );
    for n in &r.report {
        if verbose || n.kind != NoteKind::Noise {
            errln!("{label}:{n}");
        }
    }
    if p.table_count() == 0
        && p.views().count() == 0
        && p.enums().count() == 0
        && p.extra_sql().count() == 0
        && r.count(NoteKind::Skipped) > 0
    {
        errln!(
            "error: {label}: nothing could be imported ({} statement(s) skipped, listed above); \
             is it a SQL script?",
            r.count(NoteKind::Skipped)
        );
        return Err(ExitCode::from(2));
    }
    match output {
        Some(path) => project_file::save(p, path).map_err(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        })?,
        None => out!("{}", project_file::to_ron_string(p)),
    }
    Ok(ExitCode::SUCCESS)
}

/// `crowfoot fd`: the analysis lives in `analysis::normalize::report`.
fn fd_cmd(attrs: Option<&str>, fds: &[String], json: bool) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::normalize::report;
    let r = report::fd_report(attrs, fds, &report::Options::default()).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })?;
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&r).expect("json values serialize")
        );
    } else {
        out!("{}", r.to_text());
    }
    Ok(ExitCode::SUCCESS)
}

/// `crowfoot normalize`: one report per table.
fn normalize_cmd(
    project: &std::path::Path,
    table: Option<&str>,
    fds: &[String],
    json: bool,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::normalize::report;
    let p = load(project)?;
    let reports =
        report::project_report(&p, table, fds, &report::Options::default()).map_err(|e| {
            errln!("error: {}: {e}", project.display());
            ExitCode::from(2)
        })?;
    if json {
        let v = serde_json::json!({
            "project": project.display().to_string(),
            "tables": reports,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
    } else {
        for (i, r) in reports.iter().enumerate() {
            if i > 0 {
                outln!();
            }
            out!("{}", r.to_text());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `crowfoot normalize --declare/--undeclare/--decompose`: edit the project and save it
/// (atomically, keeping a .bak), or with --dry-run only say what would change.
fn normalize_edit(
    project: &std::path::Path,
    edit: &crowfoot::analysis::normalize::apply::Edit,
    dry_run: bool,
    output: Option<&std::path::Path>,
) -> Result<ExitCode, ExitCode> {
    let mut p = load(project)?;
    let lines = crowfoot::analysis::normalize::apply::edit_project(&mut p, edit).map_err(|e| {
        errln!("error: {}: {e}", project.display());
        ExitCode::from(2)
    })?;
    for l in &lines {
        outln!("{l}");
    }
    if dry_run {
        errln!("dry run: nothing saved");
        return Ok(ExitCode::SUCCESS);
    }
    let out = output.unwrap_or(project);
    project_file::save(&p, out).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })?;
    errln!("saved {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `crowfoot indexes`: index lint findings and, with a workload, the advisor's plans and
/// suggestions (text or JSON). Exit 0 clean, 1 findings or suggestions, 2 could not run.
fn indexes_cmd(
    project: &std::path::Path,
    dialect: Option<Dialect>,
    workload: Option<&std::path::Path>,
    json: bool,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::{advisor, index_lint};
    let p = load(project)?;
    let d = dialect.unwrap_or(p.settings().target_dialect);
    let lint = index_lint::lint(&p, d);
    let advice = match workload {
        Some(w) => {
            let text = std::fs::read_to_string(w).map_err(|e| {
                errln!("error: {}: {e}", w.display());
                ExitCode::from(2)
            })?;
            let a = advisor::advise(&p, &text).map_err(|e| {
                errln!("error: {}: {e}", w.display());
                ExitCode::from(2)
            })?;
            for e in &a.errors {
                errln!("{}:{e}", w.display());
            }
            Some(a)
        }
        None => None,
    };
    if json {
        let mut v = serde_json::json!({
            "project": project.display().to_string(),
            "dialect": d.display_name(),
            "lint": lint,
        });
        if let Some(a) = &advice {
            let av = serde_json::to_value(a).expect("json values serialize");
            for k in ["queries", "suggested", "errors", "warnings"] {
                if let Some(x) = av.get(k) {
                    v[k] = x.clone();
                }
            }
        }
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
    } else {
        for f in &lint {
            let fix = f
                .fix
                .as_ref()
                .map(|x| format!(" [fix: {}]", x.label(&p)))
                .unwrap_or_default();
            outln!(
                "{}[{}] {}: {}{fix}",
                match f.level {
                    index_lint::Level::Warning => "warning",
                    index_lint::Level::Info => "info",
                },
                f.rule,
                f.table,
                f.message
            );
        }
        errln!("{} finding(s) for {}", lint.len(), d.display_name());
        if let Some(a) = &advice {
            for q in &a.queries {
                outln!("\nline {}: {}", q.line, q.sql.trim());
                outln!("  before: {}", q.plan_before.join(" | "));
                if q.plan_after != q.plan_before {
                    outln!("  after:  {}", q.plan_after.join(" | "));
                }
            }
            outln!();
            for sug in &a.suggested {
                outln!(
                    "suggested: CREATE INDEX {} ON {} ({})  -- benefit {:.1}",
                    sug.index.name,
                    sug.table,
                    sug.columns.join(", "),
                    sug.benefit
                );
            }
            for w in &a.warnings {
                errln!("warning: {w}");
            }
        }
    }
    let found = !lint.is_empty() || advice.as_ref().is_some_and(|a| !a.suggested.is_empty());
    Ok(if found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Args)]
struct DiscoverArgs {
    /// A CSV file with a header row.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["sqlite", "table"],
        required_unless_present = "sqlite"
    )]
    csv: Option<PathBuf>,
    /// An SQLite database file (with --table).
    #[arg(long, value_name = "DB", requires = "table")]
    sqlite: Option<PathBuf>,
    /// The table (or view) to read from --sqlite.
    #[arg(long, value_name = "T")]
    table: Option<String>,
    /// Only dependencies with at most N attributes on the left side; `all` for no limit.
    /// Default: no limit up to 12 columns, 4 above.
    #[arg(long, value_name = "N|all", value_parser = parse_max_lhs)]
    max_lhs: Option<MaxLhs>,
    /// Stop the search when the partitions it holds would exceed this many MiB (the results
    /// so far are then reported as partial).
    #[arg(long, value_name = "MB", default_value_t = crowfoot::analysis::normalize::discover::DEFAULT_MEMORY_MB)]
    memory_mb: usize,
    /// Read at most this many rows.
    #[arg(long, value_name = "ROWS")]
    limit: Option<usize>,
    /// CSV: an empty field is NULL (default: the empty string).
    #[arg(long)]
    empty_as_null: bool,
    /// CSV field delimiter (one ASCII character; `tab` for a tab).
    #[arg(long, value_name = "C", default_value = ",")]
    delimiter: String,
    /// Also analyze the relation under the discovered dependencies (normal form,
    /// decompositions), as `crowfoot fd` does.
    #[arg(long)]
    analyze: bool,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

/// `--max-lhs`: a number, or `all` for no limit.
#[derive(Clone, Copy, Debug)]
enum MaxLhs {
    All,
    Max(usize),
}

fn parse_max_lhs(s: &str) -> Result<MaxLhs, String> {
    match s {
        "all" | "none" => Ok(MaxLhs::All),
        n => n
            .parse()
            .map(MaxLhs::Max)
            .map_err(|_| format!("expected a number or `all`, not `{n}`")),
    }
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`), if known.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `crowfoot discover`: read the sample, run `analysis::normalize::discover`, add 1NF hints.
fn discover_cmd(a: DiscoverArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::normalize::discover::{DiscoverOptions, default_max_lhs, discover};
    use crowfoot::analysis::normalize::sample::{self, ReadOptions, SampleError};
    use crowfoot::analysis::normalize::{hints, report};
    use std::time::Instant;
    let fail = |msg: String| {
        errln!("error: {msg}");
        ExitCode::from(2)
    };
    let delimiter = match a.delimiter.as_str() {
        "tab" | "\\t" => b'\t',
        d if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        d => {
            return Err(fail(format!(
                "--delimiter {d:?}: expected one ASCII character or `tab`"
            )));
        }
    };
    let opts = ReadOptions {
        limit: a.limit,
        empty_as_null: a.empty_as_null,
        delimiter,
    };
    let started = Instant::now();
    let (path, read) = match (&a.csv, &a.sqlite, &a.table) {
        (Some(p), None, None) => (p, sample::read_csv(p, &opts, &mut |_| true)),
        (None, Some(p), Some(t)) => (p, sample::read_sqlite(p, t, &opts, &mut |_| true)),
        _ => {
            return Err(fail(
                "give --csv FILE, or --sqlite DB --table T".to_string(),
            ));
        }
    };
    let sample = read.map_err(|e| match e {
        SampleError::Invalid {
            line: Some(l),
            message,
        } => fail(format!("{}:{l}: {message}", path.display())),
        e => fail(format!("{}: {e}", path.display())),
    })?;
    let read_ms = started.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let max_lhs = match a.max_lhs {
        None => default_max_lhs(sample.schema().len()),
        Some(MaxLhs::All) => None,
        Some(MaxLhs::Max(k)) => Some(k),
    };
    let dopts = DiscoverOptions {
        max_lhs,
        memory_budget: Some(a.memory_mb.saturating_mul(1 << 20)),
        ..DiscoverOptions::default()
    };
    // Progress on stderr once a second after the first second.
    let mut next_report = 1u64;
    let d = discover(&sample, &dopts, &mut |p| {
        let secs = t.elapsed().as_secs();
        if secs >= next_report {
            next_report = secs + 1;
            errln!(
                "discover: {secs} s, lattice level {} of at most {}: {} sets visited, \
                 {} dependencies, {} MiB held",
                p.level,
                p.max_level,
                p.sets,
                p.fds,
                p.bytes >> 20
            );
        }
        true
    })
    .map_err(|e| fail(e.to_string()))?;
    let discover_ms = t.elapsed().as_secs_f64() * 1e3;
    let budget_note = d.memory_limited.then(|| {
        let k = d.complete_lhs.unwrap_or(0);
        format!(
            "memory budget of {} MB reached after {} sets; results so far are partial: \
             the dependencies with at most {k} column{} on the left are complete \
             (--memory-mb raises the budget, --max-lhs lowers the search)",
            a.memory_mb,
            d.sets_visited,
            if k == 1 { "" } else { "s" }
        )
    });
    if let Some(m) = &budget_note {
        errln!("warning: {m}");
    }
    let mut hs = hints::hints_for_columns(sample.schema().names());
    hs.extend(hints::hints_for_sample(&sample));
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    let s = &d.schema;
    let analysis = a.analyze.then(|| {
        report::analyze(
            s.clone(),
            d.fds.clone(),
            vec![],
            &report::Options::default(),
        )
        .report()
    });
    let constants: Vec<String> = d
        .constant_columns()
        .into_iter()
        .map(|i| s.name(i).to_string())
        .collect();
    let keys: Vec<Vec<String>> = d.keys.iter().map(|k| s.names_of(k)).collect();
    let source = path.display().to_string();
    if a.json {
        let fds: Vec<_> = d
            .fds
            .iter()
            .map(|fd| serde_json::json!({"lhs": s.names_of(&fd.lhs), "rhs": s.names_of(&fd.rhs)}))
            .collect();
        let mut v = serde_json::json!({
            "source": source,
            "format": if a.csv.is_some() { "csv" } else { "sqlite" },
            "table": a.table,
            "columns": s.names(),
            "rows": d.rows,
            "rows_truncated": d.rows_truncated,
            "limit": a.limit,
            "max_lhs": max_lhs,
            "max_lhs_default": a.max_lhs.is_none() && max_lhs.is_some(),
            "lhs_limited": d.lhs_limited,
            "memory_budget_mb": a.memory_mb,
            "memory_limited": d.memory_limited,
            "memory_peak_mb": d.peak_bytes as f64 / (1u64 << 20) as f64,
            "peak_rss_mb": peak_rss_mb(),
            "complete_lhs": d.complete_lhs,
            "partial": budget_note,
            "duplicate_rows": d.duplicate_rows,
            "functional_dependencies": fds,
            "fd_text": d.fd_texts(),
            "constant_columns": constants,
            "minimal_keys": keys,
            "keys_exact": d.keys_exact,
            "hints": hs,
            "sets_visited": d.sets_visited,
            "read_ms": read_ms,
            "discover_ms": discover_ms,
            "elapsed_ms": elapsed_ms,
        });
        if let Some(r) = &analysis {
            v["analysis"] = serde_json::to_value(r).expect("json values serialize");
        }
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
        return Ok(ExitCode::SUCCESS);
    }
    match &a.table {
        Some(t) => outln!("source: {source}, table {t}"),
        None => outln!("source: {source}"),
    }
    outln!(
        "rows read: {}{}",
        d.rows,
        if d.rows_truncated {
            " (limit reached)"
        } else {
            ""
        }
    );
    outln!("columns: {}", s.fmt_set(&s.all()));
    let texts = d.fd_texts();
    if texts.is_empty() {
        outln!("functional dependencies: none");
    } else {
        outln!(
            "functional dependencies holding on the sample ({}, minimal):",
            texts.len()
        );
        for t in &texts {
            outln!("  {t}");
        }
    }
    if !constants.is_empty() {
        outln!("constant: {}", constants.join(", "));
    }
    if d.duplicate_rows > 0 {
        outln!("minimal keys: none ({} duplicate row(s))", d.duplicate_rows);
    } else {
        let shown: Vec<String> = d.keys.iter().map(|k| s.fmt_group(k)).collect();
        outln!(
            "minimal keys{}: {}",
            if d.keys_exact {
                ""
            } else {
                " (not exhaustive)"
            },
            if shown.is_empty() {
                "none".to_string()
            } else {
                shown.join(", ")
            }
        );
    }
    if hs.is_empty() {
        outln!("1NF hints: none");
    } else {
        outln!("1NF hints:");
        for h in &hs {
            outln!("  [{}] {}", h.id, h.message);
        }
    }
    if d.rows == 0 {
        outln!("note: no rows, so every dependency holds vacuously");
    }
    if d.lhs_limited {
        let k = max_lhs.unwrap_or(0);
        if a.max_lhs.is_some() {
            outln!("note: --max-lhs {k} stopped the search; longer left sides may hold");
        } else {
            outln!(
                "note: left sides limited to {k} columns (the default above 12 columns; \
                 --max-lhs N or all changes it); longer left sides may hold"
            );
        }
    }
    if let Some(m) = &budget_note {
        outln!("note: {m}");
    }
    outln!(
        "elapsed: {elapsed_ms:.1} ms (read {read_ms:.1} ms, discovery {discover_ms:.1} ms, {} sets)",
        d.sets_visited
    );
    if let Some(r) = &analysis {
        outln!();
        out!("{}", r.to_text());
    }
    Ok(ExitCode::SUCCESS)
}

/// `crowfoot check`: validation, design lint, index lint and normalization, as text, JSON or
/// SARIF. Exit 0 when nothing at warning or error level is found, 1 otherwise, 2 could not run.
fn check_cmd(
    project: &std::path::Path,
    format: Format,
    dialect: Option<Dialect>,
    levels: &[String],
    save: bool,
    rules: bool,
) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::{lint, sarif};
    use crowfoot::model::RuleLevel;
    if rules {
        for (id, name, sev, why) in lint::all_rules() {
            outln!(
                "{id}  {name}  [{}]\n      {why}",
                format!("{sev:?}").to_lowercase()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut p = load(project)?;
    let known: Vec<&str> = lint::all_rules().iter().map(|r| r.0).collect();
    let mut settings = p.settings().clone();
    for l in levels {
        let (rule, level) = l.split_once('=').ok_or_else(|| {
            errln!("error: --level {l}: expected RULE=off|info|warning|error");
            ExitCode::from(2)
        })?;
        let rule = rule.trim().to_uppercase();
        if !known.contains(&rule.as_str()) {
            errln!("error: --level {l}: unknown rule {rule} (see crowfoot check --rules)");
            return Err(ExitCode::from(2));
        }
        let level = match level.trim().to_lowercase().as_str() {
            "off" => RuleLevel::Off,
            "info" | "note" => RuleLevel::Info,
            "warning" | "warn" => RuleLevel::Warning,
            "error" => RuleLevel::Error,
            other => {
                errln!("error: --level {l}: unknown level {other:?} (off, info, warning, error)");
                return Err(ExitCode::from(2));
            }
        };
        settings.lint.insert(rule, level);
    }
    if save {
        crowfoot::model::Command::SetSettings(Box::new(settings))
            .apply(&mut p)
            .map_err(|e| {
                errln!("error: {e}");
                ExitCode::from(2)
            })?;
        project_file::save(&p, project).map_err(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        })?;
        errln!("saved rule levels in {}", project.display());
        return Ok(ExitCode::SUCCESS);
    }
    let d = dialect.unwrap_or(settings.target_dialect);
    let mut run = p.clone();
    let _ = crowfoot::model::Command::SetSettings(Box::new(settings)).apply(&mut run);
    let problems = lint::problems(&run, d);
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "project": project.display().to_string(),
                "dialect": d.cli_name(),
                "problems": problems,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).expect("json values serialize")
            );
        }
        Format::Sarif => {
            let text = std::fs::read_to_string(project).ok();
            let v = sarif::to_sarif(&problems, &project.display().to_string(), text.as_deref());
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).expect("json values serialize")
            );
        }
        Format::Text => {
            for pr in &problems {
                outln!("{}: {pr}", project.display());
            }
            let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
            errln!(
                "{}: {} problem(s) ({} error(s), {} warning(s), {} info) for {}",
                project.display(),
                problems.len(),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
                d.display_name()
            );
        }
    }
    let failing = problems.iter().any(|p| p.severity != Severity::Info);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
