//! Which dialect a script is written in.

use super::*;

/// Guess the dialect of a script from tell-tale tokens.
///
/// Each dialect scores its tell-tales; the highest score wins. Two kinds of tell-tales are
/// borrowed by SQLite, which takes other dialects' spellings: `[brackets]` without any sign
/// only SQL Server has (GO, dbo, IDENTITY, CLUSTERED, datetime2, ...), and MySQL-only type
/// words (AUTO_INCREMENT, UNSIGNED) without any sign only a MySQL script has (backticks,
/// ENGINE, DELIMITER, `datetime(6)`, CHARSET, inline KEY/INDEX). A script with no tell-tale
/// at all (portable DDL) is read as SQLite.
pub fn detect_dialect(text: &str) -> Dialect {
    /// `'...'` literals emptied (brackets in regular expressions are not identifiers).
    fn without_strings(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut in_str = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if in_str {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '\'' if chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    '\'' => {
                        in_str = false;
                        out.push(c);
                    }
                    _ => {}
                }
            } else {
                in_str = c == '\'';
                out.push(c);
            }
        }
        out
    }
    let sample = split::strip_comments(&text[..floor_boundary(text, 400_000)]);
    let lower = sample.to_ascii_lowercase();
    let count = |pat: &str| lower.matches(pat).count();
    let lines_where = |f: &dyn Fn(&str) -> bool| lower.lines().filter(|l| f(l)).count();
    let go_lines = lines_where(&|l| l.trim() == "go");
    let delimiters = lines_where(&|l| l.trim_start().starts_with("delimiter "));
    // `datetime(6)` (a MySQL type), not SQLite's `datetime('now')`.
    let datetime_n = lower
        .match_indices("datetime(")
        .filter(|(i, _)| lower[i + 9..].starts_with(|c: char| c.is_ascii_digit()))
        .count();
    let inline_keys = lines_where(&|l| {
        let l = l.trim_start();
        let l = ["unique ", "fulltext ", "spatial "]
            .iter()
            .find_map(|p| l.strip_prefix(p))
            .unwrap_or(l);
        l.starts_with("key ") || l.starts_with("index ")
    });
    let mut my = count("`") / 2
        + 3 * count("engine=")
        + 3 * count("engine =")
        + 2 * count("auto_increment")
        + count("unsigned")
        + 3 * delimiters
        + 3 * datetime_n;
    let strong_my = count("`")
        + count("engine=")
        + count("engine =")
        + delimiters
        + datetime_n
        + count("charset")
        + inline_keys;
    let brackets = without_strings(&lower).matches('[').count();
    let mut ms = count("[dbo]") * 2
        + count("dbo.") * 2
        + 3 * go_lines
        + 2 * count("identity(")
        + 2 * count("identity (")
        + 2 * count("datetime2")
        + count("nvarchar");
    let mut lite = 4 * count("autoincrement")
        + 4 * count("without rowid")
        + 2 * count("pragma ")
        + 3 * count("integer primary key")
        + 5 * count("create virtual table");
    // Trigger bodies written inline (no DELIMITER, no dollar quotes, no trigger function).
    if delimiters == 0
        && count("$$") == 0
        && count("execute procedure") + count("execute function") == 0
    {
        lite += 3 * count("create trigger");
    }
    let strong_ms = go_lines
        + count("[dbo]")
        + count("dbo.")
        + count("identity(")
        + count("identity (")
        + count("clustered")
        + count("datetime2")
        + count("uniqueidentifier")
        + count("nvarchar(max)")
        + count("getdate()");
    if strong_ms == 0 {
        lite += brackets / 2;
    } else {
        ms += brackets;
    }
    if strong_my == 0 {
        lite += my;
        my = 0;
    }
    let pg = count("::")
        + 2 * count("serial")
        + 4 * count("as enum")
        + 2 * count("comment on ")
        + 2 * count("owner to")
        + 2 * count("$$")
        + 2 * count("timestamp with")
        + 2 * count("bytea")
        + 2 * count("jsonb")
        + 2 * count("pg_catalog")
        + 2 * count("no minvalue")
        + 2 * count("no maxvalue")
        + 2 * count("owned by")
        // psql meta-commands (`\c db`, `\set`)
        + 3 * lines_where(&|l| l.trim_start().starts_with('\\'));
    let best = [
        (pg, Dialect::Postgres),
        (my, Dialect::MySql),
        (lite, Dialect::Sqlite),
        (ms, Dialect::SqlServer),
    ]
    .into_iter()
    .max_by_key(|(n, d)| (*n, matches!(d, Dialect::Postgres)))
    .expect("four candidates");
    match best {
        (0, _) if count("create table") > 0 => Dialect::Sqlite,
        (0, _) => Dialect::Postgres,
        (_, d) => d,
    }
}

pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
