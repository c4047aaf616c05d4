//! SQL Server (T-SQL) pre-processing: what sqlparser's MsSqlDialect does not take is rewritten
//! (or read here) before the statement is parsed, and whatever the model cannot hold is
//! reported.
//!
//! - `CLUSTERED` / `NONCLUSTERED` are dropped; a clustering that is not SQL Server's default
//!   (primary key clustered, everything else not) is reported.
//! - Storage clauses (`ON [PRIMARY]`, `TEXTIMAGE_ON`, `WITH (PAD_INDEX = OFF, ...)`,
//!   `WITH FILLFACTOR = n`) are dropped with an info note; `WITH [NO]CHECK` in `ALTER TABLE`
//!   and `NOT FOR REPLICATION` are dropped silently (they change no schema).
//! - `ALTER TABLE t ADD a, b` (one `ADD` for several items) gets one `ADD` per item, and
//!   `ADD CONSTRAINT d DEFAULT (x) FOR col` becomes `ALTER COLUMN col SET DEFAULT (x)`.
//! - Alias types (`CREATE TYPE t FROM base [NOT NULL]`, `EXEC sp_addtype`) are replaced by
//!   their base type (and nullability) in column definitions; rules bound to them
//!   (`CREATE RULE` + `sp_bindrule`) become CHECK constraints on those columns.
//! - Computed columns (`c AS expr [PERSISTED]`) become generated columns.
//! - `CREATE FULLTEXT INDEX ON t (cols) KEY INDEX k` becomes a full-text index of the model;
//!   `sp_addextendedproperty 'MS_Description'` becomes a table or column comment.
//!
//! Removed text is blanked (replaced by spaces, newlines kept) so that parse errors still
//! point at the right line and column.

use super::{Importer, NoteKind, Severity, split};
use crate::model::{Index, IndexMethod, IndexPart, IndexTarget};
use std::collections::HashMap;

/// What earlier statements of the script declared (alias types, rules).
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    /// Alias types by lower-case name.
    types: HashMap<String, AliasType>,
    /// Rules by lower-case name: the condition, with its `@variable`.
    rules: HashMap<String, String>,
}

#[derive(Clone, Debug)]
struct AliasType {
    base: String,
    not_null: bool,
    /// The condition of the rule bound with sp_bindrule.
    rule: Option<String>,
}

// -- tokens -----------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Keyword or plain identifier (also `@var`, `#temp`).
    Word,
    /// `[name]` or `"name"`.
    Quoted,
    Str,
    Num,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// Parenthesis depth the token is at (an opening parenthesis is at the outer depth).
    depth: i32,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'#' | b'$') || !b.is_ascii()
}

fn lex(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = match c {
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'\'' | b'"' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() {
                    if b[i] == close {
                        if b.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(b.len());
                if c == b'\'' { Kind::Str } else { Kind::Quoted }
            }
            _ if c.is_ascii_digit() => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                Kind::Num
            }
            _ if is_word_byte(c) => {
                while i < b.len() && is_word_byte(b[i]) {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                i += 1;
                Kind::Punct(c)
            }
        };
        if kind == Kind::Punct(b')') {
            depth -= 1;
        }
        out.push(Tok {
            kind,
            start,
            end: i,
            depth,
        });
        if kind == Kind::Punct(b'(') {
            depth += 1;
        }
    }
    out
}

/// The upper-case text of a word token ("" for other tokens).
fn kw(text: &str, t: Option<&Tok>) -> String {
    match t {
        Some(t) if t.kind == Kind::Word => text[t.start..t.end].to_ascii_uppercase(),
        _ => String::new(),
    }
}

/// An identifier's value: brackets and quotes removed; a string literal's content.
fn unquote(text: &str, t: &Tok) -> String {
    let s = &text[t.start..t.end];
    match t.kind {
        Kind::Quoted if s.starts_with('[') => {
            s[1..s.len().saturating_sub(1).max(1)].replace("]]", "]")
        }
        Kind::Quoted => s[1..s.len().saturating_sub(1).max(1)].replace("\"\"", "\""),
        Kind::Str => s[1..s.len().saturating_sub(1).max(1)].replace("''", "'"),
        _ => s.to_string(),
    }
}

fn is_name(t: Option<&Tok>) -> bool {
    t.is_some_and(|t| matches!(t.kind, Kind::Word | Kind::Quoted))
}

/// Index of the parenthesis closing the one at `open` (or the last token).
fn closing(toks: &[Tok], open: usize) -> usize {
    let d = toks[open].depth;
    (open + 1..toks.len())
        .find(|&j| toks[j].kind == Kind::Punct(b')') && toks[j].depth == d)
        .unwrap_or(toks.len() - 1)
}

/// `a.b.c` starting at `i`: (index after the name, last part).
fn dotted_name(text: &str, toks: &[Tok], mut i: usize) -> (usize, String) {
    let mut last = String::new();
    while is_name(toks.get(i)) {
        last = unquote(text, &toks[i]);
        if toks.get(i + 1).is_some_and(|t| t.kind == Kind::Punct(b'.')) {
            i += 2;
        } else {
            i += 1;
            break;
        }
    }
    (i, last)
}

/// Text edits on the original statement.
#[derive(Default)]
struct Edits(Vec<(usize, usize, String)>);

impl Edits {
    fn replace(&mut self, start: usize, end: usize, with: impl Into<String>) {
        self.0.push((start, end, with.into()));
    }

    /// Remove, keeping line and column positions of what follows.
    fn blank(&mut self, text: &str, start: usize, end: usize) {
        let kept: String = text[start..end]
            .bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' })
            .collect();
        self.0.push((start, end, kept));
    }

    fn apply(mut self, text: &str) -> String {
        self.0.sort_by_key(|e| (e.0, e.1));
        let mut out = String::with_capacity(text.len() + 64);
        let mut last = 0;
        for (s, e, w) in self.0 {
            if s < last {
                continue; // overlaps an earlier edit
            }
            out.push_str(&text[last..s]);
            out.push_str(&w);
            last = e;
        }
        out.push_str(&text[last..]);
        out
    }
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// -- statement pieces -------------------------------------------------------------------------

/// Offsets of lines (leading blanks allowed) that start a new T-SQL statement outside
/// parentheses: a batch needs no `;` between statements.
pub(crate) fn pieces(text: &str) -> Vec<usize> {
    const STARTS: [&str; 16] = [
        "CREATE",
        "ALTER",
        "INSERT",
        "SET",
        "GRANT",
        "EXEC",
        "EXECUTE",
        "PRINT",
        "IF",
        "DROP",
        "USE",
        "DECLARE",
        "UPDATE",
        "RAISERROR",
        "CHECKPOINT",
        "DELETE",
    ];
    let toks = lex(text);
    let mut out = vec![0];
    for (k, t) in toks.iter().enumerate() {
        if k == 0 || t.depth != 0 || t.kind != Kind::Word {
            continue;
        }
        let line_start = text[..t.start]
            .bytes()
            .rev()
            .take_while(|&b| b != b'\n')
            .all(|b| b == b' ' || b == b'\t');
        let prev_line_ended = text[toks[k - 1].end..t.start].contains('\n');
        if line_start && prev_line_ended && STARTS.contains(&kw(text, Some(t)).as_str()) {
            out.push(t.start);
        }
    }
    out
}

// -- the hook ---------------------------------------------------------------------------------

impl Importer {
    /// SQL Server statement hook, run before noise filtering and parsing: `None` when the
    /// statement was handled here, else the text to parse.
    pub(super) fn tsql_statement(&mut self, text: String, chunk: &split::Chunk) -> Option<String> {
        if let Some(rest) = text.strip_prefix('\u{feff}') {
            self.statement(&split::Chunk {
                text: rest.to_string(),
                offset: chunk.offset + 3,
                ..chunk.clone()
            });
            return None;
        }
        let toks = lex(&text);
        let w = |i: usize| kw(&text, toks.get(i));
        let procedural = matches!(w(0).as_str(), "IF" | "WHILE" | "BEGIN" | "DECLARE")
            || (matches!(w(0).as_str(), "CREATE" | "ALTER")
                && (1..4).any(|i| {
                    matches!(
                        w(i).as_str(),
                        "PROCEDURE" | "PROC" | "FUNCTION" | "TRIGGER" | "VIEW" | "RULE"
                    )
                }));
        if !procedural {
            let starts = pieces(&text);
            if starts.len() > 1 {
                let lines = split::LineIndex::new(&text);
                for (k, &a) in starts.iter().enumerate() {
                    let b = starts.get(k + 1).copied().unwrap_or(text.len());
                    let (line, col) = lines.locate(&text, a);
                    self.statement(&split::Chunk {
                        text: text[a..b].to_string(),
                        offset: chunk.offset + a,
                        line: chunk.line + line - 1,
                        col: if line == 1 { chunk.col + col - 1 } else { col },
                        meta: false,
                    });
                }
                return None;
            }
        }
        match (w(0).as_str(), w(1).as_str()) {
            ("CREATE", "TYPE") => self.tsql_create_type(&text, &toks),
            ("CREATE", "RULE") => {
                self.tsql_rule(&text, &toks);
                Some(text)
            }
            ("EXEC" | "EXECUTE", _) => self.tsql_exec(&text, &toks),
            ("CREATE", "FULLTEXT") if w(2) == "INDEX" => self.tsql_fulltext(&text, &toks),
            ("CREATE", "PRIMARY") if w(2) == "XML" && w(3) == "INDEX" => {
                self.note(
                    Severity::Warning,
                    NoteKind::Skipped,
                    "XML indexes are not modelled",
                );
                None
            }
            ("CREATE", _) if (1..4).any(|i| w(i) == "INDEX") => {
                let on = toks.iter().position(|t| kw(&text, Some(t)) == "ON");
                if let Some(on) = on {
                    let (_, name) = dotted_name(&text, &toks, on + 1);
                    if self.find_table(&None, &name).is_none() && self.has_view_ci(&name) {
                        // An indexed view's (or a read model table's) index: kept verbatim.
                        self.keep("index", &text);
                        return None;
                    }
                }
                Some(self.tsql_rewrite(&text, &toks))
            }
            ("CREATE", "TABLE") => Some(self.tsql_rewrite(&text, &toks)),
            ("CREATE" | "ALTER", "VIEW") => {
                // `WITH SCHEMABINDING` (an indexed view's requirement), ENCRYPTION, VIEW_METADATA.
                let (mut k, _) = dotted_name(&text, &toks, 2);
                let mut ed = Edits::default();
                if w(k) == "WITH" {
                    let start = toks[k].start;
                    k += 1;
                    while matches!(
                        w(k).as_str(),
                        "SCHEMABINDING" | "ENCRYPTION" | "VIEW_METADATA"
                    ) {
                        ed.blank(&text, start, toks[k].end);
                        k += if toks.get(k + 1).map(|t| t.kind) == Some(Kind::Punct(b',')) {
                            2
                        } else {
                            1
                        };
                    }
                }
                if ed.0.is_empty() {
                    Some(text)
                } else {
                    self.note(
                        Severity::Info,
                        NoteKind::Partial,
                        "view options (WITH SCHEMABINDING, ...) not modelled",
                    );
                    Some(ed.apply(&text))
                }
            }
            ("ALTER", "TABLE") => {
                let (after, _) = dotted_name(&text, &toks, 2);
                let mut k = after;
                if w(k) == "WITH" && matches!(w(k + 1).as_str(), "CHECK" | "NOCHECK") {
                    k += 2;
                }
                match (w(k).as_str(), w(k + 1).as_str()) {
                    ("CHECK" | "NOCHECK", "CONSTRAINT") => {
                        self.note(
                            Severity::Info,
                            NoteKind::Noise,
                            "constraint checking switched on or off",
                        );
                        None
                    }
                    ("ENABLE" | "DISABLE", "TRIGGER") => {
                        self.note(
                            Severity::Info,
                            NoteKind::Noise,
                            "trigger switched on or off",
                        );
                        None
                    }
                    _ => Some(self.tsql_rewrite(&text, &toks)),
                }
            }
            _ => Some(text),
        }
    }

    /// `CREATE TYPE name FROM base [NULL | NOT NULL]` (alias type) or `AS TABLE (...)`.
    fn tsql_create_type(&mut self, text: &str, toks: &[Tok]) -> Option<String> {
        let (after, name) = dotted_name(text, toks, 2);
        match kw(text, toks.get(after)).as_str() {
            "FROM" => {
                let mut end = after + 1;
                while end < toks.len()
                    && !(toks[end].depth == 0
                        && (matches!(kw(text, toks.get(end)).as_str(), "NULL" | "NOT")
                            || toks[end].kind == Kind::Punct(b';')))
                {
                    end += 1;
                }
                let Some(first) = toks.get(after + 1) else {
                    return Some(text.to_string());
                };
                let last = toks[end.max(after + 2) - 1];
                let base = squeeze(&text[first.start..last.end]);
                let not_null = kw(text, toks.get(end)) == "NOT";
                self.tsql_alias_type(name, base, not_null);
                None
            }
            "AS" if kw(text, toks.get(after + 1)) == "TABLE" => {
                self.note(
                    Severity::Warning,
                    NoteKind::Skipped,
                    format!("table type `{name}` is not modelled (no table is created)"),
                );
                None
            }
            _ => Some(text.to_string()),
        }
    }

    fn tsql_alias_type(&mut self, name: String, base: String, not_null: bool) {
        self.partial(format!(
            "alias type `{name}` ({base}{}) imported as its base type in each column",
            if not_null { " NOT NULL" } else { "" }
        ));
        let rule = self
            .tsql
            .types
            .get(&name.to_lowercase())
            .and_then(|t| t.rule.clone());
        self.tsql.types.insert(
            name.to_lowercase(),
            AliasType {
                base,
                not_null,
                rule,
            },
        );
    }

    /// `CREATE RULE name AS condition`: kept for `sp_bindrule`.
    fn tsql_rule(&mut self, text: &str, toks: &[Tok]) {
        let (after, name) = dotted_name(text, toks, 2);
        if kw(text, toks.get(after)) != "AS" {
            return;
        }
        let Some(first) = toks.get(after + 1) else {
            return;
        };
        let mut end = toks.len();
        while end > after + 2 && toks[end - 1].kind == Kind::Punct(b';') {
            end -= 1;
        }
        let cond = squeeze(&text[first.start..toks[end - 1].end]);
        self.tsql.rules.insert(name.to_lowercase(), cond);
    }

    /// `EXEC sp_addtype`, `sp_bindrule`, `sp_addextendedproperty`; other procedures are noise.
    fn tsql_exec(&mut self, text: &str, toks: &[Tok]) -> Option<String> {
        let (after, proc_name) = dotted_name(text, toks, 1);
        // Arguments: top-level comma-separated values (named `@p = v` arguments keep `v`).
        let mut args: Vec<Option<String>> = Vec::new();
        let mut cur: Vec<&Tok> = Vec::new();
        let flush = |cur: &mut Vec<&Tok>, args: &mut Vec<Option<String>>| {
            let vals: Vec<&Tok> = match cur.iter().position(|t| t.kind == Kind::Punct(b'=')) {
                Some(p) => cur[p + 1..].to_vec(),
                None => cur.clone(),
            };
            let v = match vals.as_slice() {
                [] => None,
                [t] if kw(text, Some(t)) == "NULL" => None,
                [t] => Some(unquote(text, t)),
                // N'...'
                [n, t] if kw(text, Some(n)) == "N" && t.kind == Kind::Str => Some(unquote(text, t)),
                [f, .., l] => Some(squeeze(&text[f.start..l.end])),
            };
            args.push(v);
            cur.clear();
        };
        for t in &toks[after.min(toks.len())..] {
            match t.kind {
                Kind::Punct(b',') if t.depth == 0 => flush(&mut cur, &mut args),
                Kind::Punct(b';') if t.depth == 0 => break,
                _ => cur.push(t),
            }
        }
        if !cur.is_empty() {
            flush(&mut cur, &mut args);
        }
        let arg = |i: usize| args.get(i).cloned().flatten();
        match proc_name.to_ascii_lowercase().as_str() {
            "sp_addtype" => {
                let (Some(name), Some(base)) = (arg(0), arg(1)) else {
                    return Some(text.to_string());
                };
                let not_null = arg(2).is_some_and(|n| squeeze(&n).eq_ignore_ascii_case("NOT NULL"));
                self.tsql_alias_type(name, base, not_null);
                None
            }
            "sp_bindrule" => {
                let (Some(rule), Some(target)) = (arg(0), arg(1)) else {
                    return Some(text.to_string());
                };
                let rule_name = rule.rsplit('.').next().unwrap_or(&rule).to_lowercase();
                let cond = self.tsql.rules.get(&rule_name).cloned();
                match (cond, self.tsql.types.get_mut(&target.to_lowercase())) {
                    (Some(cond), Some(t)) => {
                        t.rule = Some(cond);
                        self.note(
                            Severity::Info,
                            NoteKind::Partial,
                            format!(
                                "rule `{rule}` bound to type `{target}`: imported as a CHECK \
                                 constraint on each column of that type"
                            ),
                        );
                    }
                    _ => self.partial(format!(
                        "rule `{rule}` bound to `{target}` not imported (only rules on alias \
                         types declared earlier are)"
                    )),
                }
                None
            }
            "sp_addextendedproperty" => {
                self.tsql_description(&args);
                None
            }
            _ => Some(text.to_string()),
        }
    }

    /// `sp_addextendedproperty 'MS_Description', text, 'SCHEMA', s, 'TABLE', t[, 'COLUMN', c]`.
    fn tsql_description(&mut self, args: &[Option<String>]) {
        let arg = |i: usize| args.get(i).cloned().flatten().unwrap_or_default();
        let level = |i: usize| arg(i).to_ascii_uppercase();
        if !arg(0).eq_ignore_ascii_case("MS_Description") {
            self.note(Severity::Info, NoteKind::Noise, "extended property");
            return;
        }
        if level(2) != "SCHEMA" || level(4) != "TABLE" {
            self.note(
                Severity::Info,
                NoteKind::Skipped,
                "description of an object that is not a table or column: not modelled",
            );
            return;
        }
        let schema = Some(arg(3)).filter(|s| !s.eq_ignore_ascii_case("dbo"));
        let (tname, comment) = (arg(5), arg(1));
        let Some(ti) = self.find_table(&schema, &tname) else {
            self.note(
                Severity::Info,
                NoteKind::Skipped,
                format!("description of `{tname}`, which is not a table: not modelled"),
            );
            return;
        };
        match level(6).as_str() {
            "" => self.tables[ti].comment = Some(comment),
            "COLUMN" => {
                let c = arg(7);
                match Self::column_by_name(&self.tables[ti], &c) {
                    Some(ci) => self.tables[ti].columns[ci].comment = Some(comment),
                    None => self.partial(format!("description of unknown column `{tname}.{c}`")),
                }
            }
            other => self.note(
                Severity::Info,
                NoteKind::Skipped,
                format!(
                    "description of a {} of `{tname}`: not modelled",
                    other.to_lowercase()
                ),
            ),
        }
    }

    /// `CREATE FULLTEXT INDEX ON t (cols [TYPE COLUMN x] [LANGUAGE n]) KEY INDEX k ...`.
    fn tsql_fulltext(&mut self, text: &str, toks: &[Tok]) -> Option<String> {
        let on = toks.iter().position(|t| kw(text, Some(t)) == "ON")?;
        let (open, tname) = dotted_name(text, toks, on + 1);
        let schema = {
            let names: Vec<String> = toks[on + 1..open]
                .iter()
                .filter(|t| t.kind != Kind::Punct(b'.'))
                .map(|t| unquote(text, t))
                .collect();
            (names.len() > 1)
                .then(|| names[names.len() - 2].clone())
                .filter(|s| !s.eq_ignore_ascii_case("dbo"))
        };
        let Some(ti) = self.find_table(&schema, &tname) else {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                format!("full-text index on unknown table `{tname}`"),
            );
            return None;
        };
        if toks.get(open).map(|t| t.kind) != Some(Kind::Punct(b'(')) {
            return Some(text.to_string());
        }
        let close = closing(toks, open);
        let mut cols = Vec::new();
        let mut expect_name = true;
        for t in &toks[open + 1..close] {
            if t.kind == Kind::Punct(b',') && t.depth == toks[open].depth + 1 {
                expect_name = true;
            } else if expect_name && is_name(Some(t)) {
                cols.push(unquote(text, t));
                expect_name = false;
            }
        }
        let ids = self.resolve_cols(ti, &cols, "full-text index")?;
        let parts: Vec<IndexPart> = ids
            .into_iter()
            .map(|c| IndexPart {
                target: IndexTarget::Column(c),
                order: None,
                prefix: None,
                opclass: None,
            })
            .collect();
        let name = self.index_name(ti, Some(format!("{tname}_fulltext")), &parts);
        let id = self.id();
        self.tables[ti].indexes.push(Index {
            id: crate::model::IndexId(id),
            name,
            unique: false,
            parts,
            where_clause: None,
            include: Vec::new(),
            method: Some(IndexMethod::FullText),
        });
        self.note(
            Severity::Info,
            NoteKind::Partial,
            "full-text index: KEY INDEX, catalog, TYPE COLUMN and LANGUAGE options not modelled",
        );
        None
    }

    /// The textual rewrites of CREATE TABLE / ALTER TABLE / CREATE INDEX.
    fn tsql_rewrite(&mut self, text: &str, toks: &[Tok]) -> String {
        let mut ed = Edits::default();
        let mut storage: Vec<String> = Vec::new();
        let w = |i: usize| kw(text, toks.get(i));
        let is_create_index = w(0) == "CREATE" && w(1) != "TABLE";
        let mut k = 0;
        while k < toks.len() {
            let t = toks[k];
            let prev_close = k > 0 && toks[k - 1].kind == Kind::Punct(b')');
            match w(k).as_str() {
                "CLUSTERED" | "NONCLUSTERED" => {
                    let clustered = w(k) == "CLUSTERED";
                    let pk = k >= 2 && w(k - 1) == "KEY" && w(k - 2) == "PRIMARY";
                    if pk != clustered {
                        let what = if is_create_index && k <= 3 {
                            let (_, n) = dotted_name(text, toks, k + 2);
                            format!("index `{n}`")
                        } else if pk {
                            "a primary key".to_string()
                        } else {
                            "a unique constraint".to_string()
                        };
                        self.partial(format!(
                            "{what} is {}: the model has no clustered/nonclustered flag",
                            w(k)
                        ));
                    }
                    ed.blank(text, t.start, t.end);
                }
                "ON" if prev_close
                    && is_name(toks.get(k + 1))
                    && !matches!(w(k + 1).as_str(), "DELETE" | "UPDATE")
                    && toks.get(k + 2).map(|t| t.kind) != Some(Kind::Punct(b'.')) =>
                {
                    let mut end = k + 1;
                    if toks.get(k + 2).map(|t| t.kind) == Some(Kind::Punct(b'(')) {
                        end = closing(toks, k + 2);
                    }
                    storage.push(squeeze(&text[t.start..toks[end].end]));
                    ed.blank(text, t.start, toks[end].end);
                    k = end;
                }
                "TEXTIMAGE_ON" | "FILESTREAM_ON" if is_name(toks.get(k + 1)) => {
                    storage.push(squeeze(&text[t.start..toks[k + 1].end]));
                    ed.blank(text, t.start, toks[k + 1].end);
                    k += 1;
                }
                "WITH" if matches!(w(k + 1).as_str(), "CHECK" | "NOCHECK") && w(k + 2) == "ADD" => {
                    ed.blank(text, t.start, toks[k + 1].end);
                    k += 1;
                }
                "WITH"
                    if toks.get(k + 1).map(|t| t.kind) == Some(Kind::Punct(b'('))
                        && is_name(toks.get(k + 2))
                        && toks.get(k + 3).map(|t| t.kind) == Some(Kind::Punct(b'=')) =>
                {
                    let end = closing(toks, k + 1);
                    storage.push(squeeze(&text[t.start..toks[end].end]));
                    ed.blank(text, t.start, toks[end].end);
                    k = end;
                }
                "WITH"
                    if w(k + 1) == "FILLFACTOR"
                        && toks.get(k + 2).map(|t| t.kind) == Some(Kind::Punct(b'='))
                        && toks.get(k + 3).is_some() =>
                {
                    storage.push(squeeze(&text[t.start..toks[k + 3].end]));
                    ed.blank(text, t.start, toks[k + 3].end);
                    k += 3;
                }
                "NOT" if w(k + 1) == "FOR" && w(k + 2) == "REPLICATION" => {
                    ed.blank(text, t.start, toks[k + 2].end);
                    k += 2;
                }
                _ => {}
            }
            k += 1;
        }
        if w(0) == "CREATE" && w(1) == "TABLE" {
            self.tsql_table_items(text, toks, &mut ed);
        }
        if w(0) == "ALTER" && w(1) == "TABLE" {
            self.tsql_alter_add(text, toks, &mut ed);
        }
        if !storage.is_empty() {
            storage.dedup();
            self.note(
                Severity::Info,
                NoteKind::Partial,
                format!("storage options not modelled: {}", storage.join(", ")),
            );
        }
        ed.apply(text)
    }

    /// Column definitions of CREATE TABLE: computed columns, alias types, attributes the
    /// parser does not take, a trailing comma.
    fn tsql_table_items(&mut self, text: &str, toks: &[Tok], ed: &mut Edits) {
        let (after, _) = dotted_name(text, toks, 2);
        if toks.get(after).map(|t| t.kind) != Some(Kind::Punct(b'(')) {
            return;
        }
        let close = closing(toks, after);
        let inner = toks[after].depth + 1;
        let mut items: Vec<(usize, usize)> = Vec::new(); // token ranges
        let mut from = after + 1;
        for (j, t) in toks.iter().enumerate().take(close + 1).skip(after + 1) {
            if j == close || (t.kind == Kind::Punct(b',') && t.depth == inner) {
                items.push((from, j));
                from = j + 1;
            }
        }
        if let Some(&(a, b)) = items.last()
            && a == b
            && b > after + 1
        {
            // `..., )`: SQL Server takes a trailing comma.
            ed.blank(text, toks[a - 1].start, toks[a - 1].end);
        }
        for (a, b) in items {
            if a >= b {
                continue;
            }
            let w = |i: usize| {
                if i < b {
                    kw(text, toks.get(i))
                } else {
                    String::new()
                }
            };
            if !is_name(toks.get(a))
                || matches!(
                    w(a).as_str(),
                    "CONSTRAINT" | "PRIMARY" | "UNIQUE" | "FOREIGN" | "CHECK" | "INDEX" | "PERIOD"
                )
            {
                continue;
            }
            let col = unquote(text, &toks[a]);
            if w(a + 1) == "AS" && a + 2 < b {
                // Computed column: `c AS expr [PERSISTED] [NOT NULL]`.
                let mut end = b;
                let mut persisted = None;
                for (j, t) in toks.iter().enumerate().take(b).skip(a + 2) {
                    if t.depth == inner
                        && matches!(w(j).as_str(), "PERSISTED" | "NOT" | "NULL" | "CONSTRAINT")
                    {
                        end = j;
                        persisted = (w(j) == "PERSISTED").then_some(j);
                        break;
                    }
                }
                if end <= a + 2 {
                    continue;
                }
                let expr = &text[toks[a + 2].start..toks[end - 1].end];
                ed.replace(
                    toks[a + 1].start,
                    toks[end - 1].end,
                    format!("sql_variant GENERATED ALWAYS AS ({expr})"),
                );
                if let Some(p) = persisted {
                    ed.replace(toks[p].start, toks[p].end, "STORED");
                }
                self.partial(format!(
                    "computed column `{col}`: T-SQL declares no type; imported as sql_variant"
                ));
                continue;
            }
            // The type: a (dotted) name, maybe with arguments.
            let (ty_end, ty_name) = dotted_name(text, toks, a + 1);
            if ty_end > b || ty_end == a + 1 {
                continue;
            }
            let ty_lower = ty_name.to_lowercase();
            if ty_lower == "xml" && toks.get(ty_end).map(|t| t.kind) == Some(Kind::Punct(b'(')) {
                let c = closing(toks, ty_end);
                self.partial(format!(
                    "column `{col}`: XML schema collection `{}` dropped (typed xml read as xml)",
                    squeeze(&text[toks[ty_end].end..toks[c].start])
                ));
                ed.blank(text, toks[ty_end].start, toks[c].end);
            }
            if let Some(alias) = self.tsql.types.get(&ty_lower).cloned() {
                let mut with = alias.base.clone();
                let has_null = (ty_end..b)
                    .any(|j| toks[j].depth == inner && w(j) == "NULL" && w(j - 1) != "DEFAULT");
                if alias.not_null && !has_null {
                    with.push_str(" NOT NULL");
                }
                ed.replace(toks[a + 1].start, toks[ty_end - 1].end, with);
                if let Some(rule) = &alias.rule {
                    let mut cond = rule.clone();
                    let var = rule
                        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@'))
                        .find(|s| s.starts_with('@'))
                        .map(str::to_string);
                    if let Some(var) = var {
                        cond = cond.replace(&var, &format!("[{}]", col.replace(']', "]]")));
                    }
                    ed.replace(toks[b - 1].end, toks[b - 1].end, format!(" CHECK ({cond})"));
                }
            }
            for (j, t) in toks.iter().enumerate().take(b).skip(ty_end) {
                let word = w(j);
                if t.depth == inner
                    && matches!(word.as_str(), "ROWGUIDCOL" | "SPARSE" | "FILESTREAM")
                {
                    self.partial(format!("column `{col}`: `{word}` dropped"));
                    ed.blank(text, t.start, t.end);
                }
            }
        }
    }

    /// `ALTER TABLE t ADD a, b`: one `ADD` per item; `[CONSTRAINT n] DEFAULT x FOR c` becomes
    /// `ALTER COLUMN c SET DEFAULT x`.
    fn tsql_alter_add(&mut self, text: &str, toks: &[Tok], ed: &mut Edits) {
        let (after, _) = dotted_name(text, toks, 2);
        let Some(add) = (after..toks.len()).find(|&j| kw(text, toks.get(j)) == "ADD") else {
            return;
        };
        if toks[add].depth != 0 {
            return;
        }
        let mut end = toks.len();
        while end > add + 1 && toks[end - 1].kind == Kind::Punct(b';') {
            end -= 1;
        }
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut from = add + 1;
        for (j, t) in toks.iter().enumerate().take(end).skip(add + 1) {
            if t.kind == Kind::Punct(b',') && t.depth == 0 {
                items.push((from, j));
                from = j + 1;
            }
        }
        items.push((from, end));
        let mut first = true;
        for (a, b) in items {
            if a >= b {
                continue;
            }
            let w = |i: usize| {
                if i < b {
                    kw(text, toks.get(i))
                } else {
                    String::new()
                }
            };
            let d = if w(a) == "CONSTRAINT" { a + 2 } else { a };
            let for_at = (d..b).find(|&j| toks[j].depth == 0 && w(j) == "FOR");
            if w(d) == "DEFAULT"
                && let Some(f) = for_at
                && f + 1 < b
                && f > d + 1
            {
                let expr = &text[toks[d + 1].start..toks[f - 1].end];
                let colname = &text[toks[f + 1].start..toks[b - 1].end];
                let start = if first {
                    toks[add].start
                } else {
                    toks[a].start
                };
                ed.replace(
                    start,
                    toks[b - 1].end,
                    format!("ALTER COLUMN {colname} SET DEFAULT {expr}"),
                );
            } else if !first {
                ed.replace(toks[a].start, toks[a].start, "ADD ");
            }
            first = false;
        }
    }
}
