//! `crowfoot import`: a SQL script, an SQLite database file or a live server into a project
//! (`sql::import::source`).

use super::common::{DialectArg, fail, refuse_onto_input, save};
use crate::{errln, out};
use crowfoot::model::Dialect;
use crowfoot::project_file;
use std::path::PathBuf;
use std::process::ExitCode;

/// Import a SQL script, an SQLite database file, or a live PostgreSQL / MySQL / MariaDB
/// server into a project. The dialect and a report of skipped statements go to stderr; the
/// project RON to stdout unless -o.
#[derive(clap::Args)]
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
pub struct ImportArgs {
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
}

pub fn run(a: ImportArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::sql::import::NoteKind;
    use crowfoot::sql::import::source::{ImportSource, LiveOptions, classify};
    let ImportArgs {
        source: arg,
        from,
        output,
        verbose,
        timeout,
        password_stdin,
    } = a;
    let (from, output) = (from.map(Dialect::from), output.as_deref());
    let source = classify(&arg);
    if let ImportSource::Script(p) | ImportSource::SqliteFile(p) = &source {
        refuse_onto_input(output, &[p])?;
    }
    // A path, or the URL with its password replaced by `***`.
    let label = source.label();
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
    let r = source.import_with(from, &live).map_err(fail)?;
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
        Some(path) => save(p, path)?,
        None => out!("{}", project_file::to_ron_string(p)),
    }
    Ok(ExitCode::SUCCESS)
}
