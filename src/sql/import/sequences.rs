//! PostgreSQL sequences: `CREATE SEQUENCE`, `ALTER SEQUENCE` (options, `OWNED BY`, `RENAME
//! TO`, `SET SCHEMA`) and the `nextval('seq'::regclass)` defaults that read them. A default
//! whose sequence the script never declares becomes an identity column, as before sequences
//! were modelled (a partial script still gives a usable key).

use super::{Importer, NoteKind, Severity, at_named};
use crate::model::sequence::{nextval_default, nextval_target};
use crate::model::{Command, Identity, Project, Sequence, SequenceId, SequenceOwner, SequenceType};
use sqlparser::ast::{Expr, SequenceOptions, Statement, UnaryOperator, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// A sequence read from the script, its owner still by name.
pub(super) struct PendingSequence {
    pub seq: Sequence,
    /// `OWNED BY [schema.]table.column`, as written.
    pub owner: Option<(Option<String>, String, String)>,
    pub at: super::At,
}

/// An integer option value (`5`, `-1`, `+3`).
fn number(e: &Expr) -> Option<i64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => number(expr).and_then(i64::checked_neg),
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => number(expr),
        Expr::Nested(e) => number(e),
        _ => None,
    }
}

impl Importer {
    /// `CREATE SEQUENCE` / `ALTER SEQUENCE` of a PostgreSQL script. False when the statement
    /// is not one this reads (the caller keeps it verbatim).
    pub(super) fn sequence_statement(&mut self, head: &[String], text: &str) -> bool {
        let w = |i: usize| head.get(i).map(String::as_str).unwrap_or("");
        match (w(0), w(1)) {
            ("CREATE", "SEQUENCE") => self.create_sequence(text),
            ("ALTER", "SEQUENCE") => self.alter_sequence(text),
            _ => false,
        }
    }

    fn create_sequence(&mut self, text: &str) -> bool {
        let Ok(stmts) = Parser::parse_sql(&PostgreSqlDialect {}, text) else {
            return false;
        };
        let [
            Statement::CreateSequence {
                if_not_exists,
                name,
                sequence_options,
                ..
            },
        ] = stmts.as_slice()
        else {
            return false;
        };
        let (schema, name) = self.qualified(name);
        if self.sequence_index(&schema, &name).is_some() {
            if !*if_not_exists {
                self.partial(format!(
                    "sequence `{name}` is created twice: the first is kept"
                ));
            }
            return true;
        }
        let mut pending = PendingSequence {
            seq: Sequence::new(SequenceId(0), name.clone()),
            owner: None,
            at: self.at.clone(),
        };
        pending.seq.schema = schema;
        self.sequence_options(&mut pending, sequence_options);
        self.sequences.push(pending);
        true
    }

    fn alter_sequence(&mut self, text: &str) -> bool {
        // sqlparser has no ALTER SEQUENCE: the subcommands are read here, and the option
        // list (the same grammar as CREATE SEQUENCE's) by parsing it as a CREATE.
        let cleaned = super::split::strip_comments(text);
        let body = cleaned.trim().trim_end_matches(';').trim_end();
        let Some(rest) = strip_words(body, &["ALTER", "SEQUENCE"]) else {
            return false;
        };
        let (rest, if_exists) = match strip_words(rest, &["IF", "EXISTS"]) {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let Ok(mut parser) = Parser::new(&PostgreSqlDialect {}).try_with_sql(rest) else {
            return false;
        };
        let Ok(obj) = parser.parse_object_name(false) else {
            return false;
        };
        let (schema, name) = self.qualified(&obj);
        let next = parser.peek_token();
        let options = match next.token {
            sqlparser::tokenizer::Token::EOF => "",
            _ => rest[offset_of(rest, next.span.start.line, next.span.start.column)..].trim(),
        };
        let Some(i) = self.sequence_index(&schema, &name) else {
            if if_exists {
                self.note(
                    Severity::Info,
                    NoteKind::Noise,
                    format!("ALTER SEQUENCE IF EXISTS of an unknown sequence `{name}`"),
                );
                return true;
            }
            return false;
        };
        let upper = options.to_ascii_uppercase();
        if upper.starts_with("OWNER TO") {
            self.note(Severity::Info, NoteKind::Noise, "ownership is not modelled");
            return true;
        }
        if upper.starts_with("RESTART") {
            self.note(
                Severity::Info,
                NoteKind::Noise,
                "sequence position (RESTART) is data, not schema",
            );
            return true;
        }
        // `RENAME TO name` / `SET SCHEMA name`: the name after the words.
        let target = |words: &[&str]| {
            let rest = strip_words(options, words)?;
            Parser::new(&PostgreSqlDialect {})
                .try_with_sql(rest)
                .and_then(|mut p| p.parse_identifier())
                .ok()
        };
        if let Some(new) = target(&["RENAME", "TO"]) {
            let to = self.ident(&new);
            self.sequence_moved(i, schema.clone(), to);
            return true;
        }
        if let Some(new) = target(&["SET", "SCHEMA"]) {
            let s = self.ident(&new);
            self.sequence_moved(i, (s != "public").then_some(s), name.clone());
            return true;
        }
        let create = format!("CREATE SEQUENCE s {options}");
        match Parser::parse_sql(&PostgreSqlDialect {}, &create) {
            Ok(stmts) => {
                let Some(Statement::CreateSequence {
                    sequence_options, ..
                }) = stmts.first()
                else {
                    return false;
                };
                let mut pending = std::mem::replace(
                    &mut self.sequences[i],
                    PendingSequence {
                        seq: Sequence::new(SequenceId(0), ""),
                        owner: None,
                        at: self.at.clone(),
                    },
                );
                self.sequence_options(&mut pending, sequence_options);
                self.sequences[i] = pending;
                true
            }
            Err(e) => {
                self.partial(format!("ALTER SEQUENCE `{name}` not read: {e}"));
                true
            }
        }
    }

    fn sequence_options(&mut self, p: &mut PendingSequence, options: &[SequenceOptions]) {
        let name = p.seq.name.clone();
        for o in options {
            let bad = |what: &str| format!("sequence `{name}`: {what} is not an integer; ignored");
            match o {
                SequenceOptions::DataType(t) => {
                    match SequenceType::from_sql(&t.to_string()) {
                        Some(ty) => p.seq.data_type = ty,
                        None => self.partial(format!(
                            "sequence `{name}`: type {t} is not smallint, integer or bigint; bigint used"
                        )),
                    }
                }
                SequenceOptions::IncrementBy(e, _) => match number(e) {
                    Some(n) => p.seq.increment = n,
                    None => self.partial(bad("INCREMENT")),
                },
                SequenceOptions::MinValue(e) => match e.as_ref().map(number) {
                    None => p.seq.min = None,
                    Some(Some(n)) => p.seq.min = Some(n),
                    Some(None) => self.partial(bad("MINVALUE")),
                },
                SequenceOptions::MaxValue(e) => match e.as_ref().map(number) {
                    None => p.seq.max = None,
                    Some(Some(n)) => p.seq.max = Some(n),
                    Some(None) => self.partial(bad("MAXVALUE")),
                },
                SequenceOptions::StartWith(e, _) => match number(e) {
                    Some(n) => p.seq.start = Some(n),
                    None => self.partial(bad("START")),
                },
                SequenceOptions::Cache(e) => match number(e) {
                    // CACHE 1 is the default: not written.
                    Some(1) => p.seq.cache = None,
                    Some(n) => p.seq.cache = Some(n),
                    None => self.partial(bad("CACHE")),
                },
                // sqlparser's flag is "NO": `Cycle(true)` is NO CYCLE.
                SequenceOptions::Cycle(no) => p.seq.cycle = !*no,
                SequenceOptions::OwnedBy(None) => p.owner = None,
                SequenceOptions::OwnedBy(Some(obj)) => {
                    let mut parts = self.name_parts(obj);
                    match parts.len() {
                        2 | 3 => {
                            let column = parts.pop().expect("length checked");
                            let table = parts.pop().expect("length checked");
                            let schema = parts
                                .pop()
                                .or_else(|| self.default_schema.clone())
                                .filter(|s| s != "public");
                            p.owner = Some((schema, table, column));
                        }
                        _ => self.partial(format!(
                            "sequence `{name}`: OWNED BY {obj} is not table.column; ignored"
                        )),
                    }
                }
            }
        }
    }

    /// Sequence `i` renamed or moved to `schema.name`: the defaults read so far follow it (a
    /// default holds the sequence's oid, not its name).
    fn sequence_moved(&mut self, i: usize, schema: Option<String>, name: String) {
        let seq = &mut self.sequences[i].seq;
        let was = (seq.schema.clone(), seq.name.clone());
        seq.schema = schema;
        seq.name = name;
        let now = nextval_default(seq.schema.as_deref(), &seq.name);
        for t in &mut self.tables {
            for c in &mut t.columns {
                let reads = c
                    .default
                    .as_deref()
                    .and_then(nextval_target)
                    .is_some_and(|(s, n)| n == was.1 && (s == was.0 || s.is_none()));
                if reads {
                    c.default = Some(now.clone());
                }
            }
        }
    }

    fn sequence_index(&self, schema: &Option<String>, name: &str) -> Option<usize> {
        self.sequences
            .iter()
            .position(|p| &p.seq.schema == schema && p.seq.name == name)
    }

    /// Put the script's sequences into `p` (after its tables), then settle every
    /// `nextval(...)` default: written in canonical form when its sequence is in the project,
    /// else turned into an identity column (the sequence was never declared).
    pub(super) fn finish_sequences(&mut self, p: &mut Project) {
        let names = super::TableNames::of(p);
        for pending in std::mem::take(&mut self.sequences) {
            self.at = pending.at;
            let mut seq = pending.seq;
            seq.id = SequenceId(self.id());
            // Options stated at their default value (pg_dump writes `START WITH 1`, `NO
            // MINVALUE`...) are the default: stored as such, so a dump and a hand-written
            // script of one sequence compare equal.
            let bare = Sequence {
                start: None,
                min: None,
                max: None,
                ..seq.clone()
            };
            if seq.min == Some(bare.effective_min()) {
                seq.min = None;
            }
            if seq.max == Some(bare.effective_max()) {
                seq.max = None;
            }
            let implied = Sequence {
                start: None,
                ..seq.clone()
            };
            if seq.start == Some(implied.effective_start()) {
                seq.start = None;
            }
            if let Some((schema, table, column)) = pending.owner {
                let owner = names.resolve(&schema, &table).and_then(|t| {
                    let tt = p.table(t)?;
                    let c = Self::column_by_name(tt, &column)?;
                    Some(SequenceOwner {
                        table: t,
                        column: tt.columns[c].id,
                    })
                });
                match owner {
                    Some(o) => seq.owned_by = Some(o),
                    None => self.partial(format!(
                        "sequence `{}`: OWNED BY {table}.{column}: no such column; kept without owner",
                        seq.name
                    )),
                }
            }
            let name = seq.name.clone();
            if let Err(e) = Command::PutSequence(Box::new(seq)).apply(p) {
                self.partial(format!("sequence `{name}` dropped: {e}"));
            }
        }
        // Defaults that read a sequence.
        let mut updates = Vec::new();
        for t in p.tables() {
            for c in &t.columns {
                let Some((schema, name)) = c.default.as_deref().and_then(nextval_target) else {
                    continue;
                };
                let found = p.sequence_by_name(schema.as_deref(), &name).or_else(|| {
                    // An unqualified name resolved through search_path: the only sequence
                    // of that name in any schema.
                    let mut all = p.sequences().filter(|s| s.name == name);
                    match (schema.is_none(), all.next(), all.next()) {
                        (true, Some(s), None) => Some(s),
                        _ => None,
                    }
                });
                let mut nc = c.clone();
                match found {
                    Some(s) => {
                        let canonical = nextval_default(s.schema.as_deref(), &s.name);
                        if c.default.as_deref() == Some(canonical.as_str()) {
                            continue;
                        }
                        nc.default = Some(canonical);
                    }
                    None => {
                        nc.default = None;
                        nc.identity = Some(Identity::ByDefault);
                        self.identity_sequences.insert(name.to_lowercase());
                    }
                }
                updates.push((t.id, t.name.clone(), nc));
            }
        }
        for (table, tname, nc) in updates {
            if nc.identity.is_some() {
                self.at = at_named(format!("table {tname}"));
                self.note(
                    Severity::Info,
                    NoteKind::Noise,
                    format!(
                        "column `{}`: its sequence is not declared in the script; imported as an identity column",
                        nc.name
                    ),
                );
            }
            let name = nc.name.clone();
            if let Err(e) = (Command::UpdateColumn {
                table,
                column: Box::new(nc),
            })
            .apply(p)
            {
                self.at = at_named(format!("table {tname}"));
                self.partial(format!(
                    "column `{name}`: its sequence default not settled: {e}"
                ));
            }
        }
    }
}

/// `text` without its leading `words` (case-insensitive, whitespace-separated), if it starts
/// with them.
fn strip_words<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let mut rest = text.trim_start();
    for w in words {
        let head = rest.get(..w.len())?;
        if !head.eq_ignore_ascii_case(w) {
            return None;
        }
        let after = &rest[w.len()..];
        if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
            return None;
        }
        rest = after.trim_start();
    }
    Some(rest)
}

/// The byte offset in `text` of a 1-based (line, column in chars) location.
fn offset_of(text: &str, line: u64, col: u64) -> usize {
    let (mut l, mut c) = (1, 1);
    for (i, ch) in text.char_indices() {
        if (l, c) >= (line, col) {
            return i;
        }
        if ch == '\n' {
            l += 1;
            c = 1;
        } else {
            c += 1;
        }
    }
    text.len()
}
