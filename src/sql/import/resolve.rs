//! Building the project once every statement is read: tables, partitions, foreign keys,
//! sequences, views and extra SQL resolved by name.

use super::*;

impl Importer {
    // -- building the project --------------------------------------------------------------

    pub(super) fn finish(mut self) -> (Project, Vec<ImportNote>) {
        let mut p = Project::new("Imported");
        let mut settings = p.settings().clone();
        settings.target_dialect = self.dialect;
        settings.expression_dialect = Some(self.dialect);
        let _ = Command::SetSettings(Box::new(settings)).apply(&mut p);
        for e in std::mem::take(&mut self.enums) {
            let name = e.name.clone();
            if let Err(err) = Command::PutEnum(e).apply(&mut p) {
                self.at = at_named(format!("enum {name}"));
                self.partial(format!("enum dropped: {err}"));
            }
        }
        let tables = std::mem::take(&mut self.tables);
        let mut ids = Vec::new();
        let mut tables = tables;
        self.hidden_index_columns(&mut tables);
        let mut partitions = Vec::new();
        for mut t in tables {
            self.safe_text(&mut t);
            // Attached once every table is in (a parent may come after its partition).
            if let Some(of) = t.partition_of.take() {
                partitions.push((t.id, t.name.clone(), of));
            }
            // Laid out once the foreign keys are in (below).
            t.position = Position::default();
            let name = t.name.clone();
            let tid = t.id;
            match Command::AddTable(Box::new(t)).apply(&mut p) {
                Ok(_) => ids.push(Some(tid)),
                Err(err) => {
                    ids.push(None);
                    self.at = at_named(format!("table {name}"));
                    self.partial(format!("table dropped: {err}"));
                }
            }
        }
        for (table, name, of) in partitions {
            let Some(t) = p.table(table) else { continue };
            let cmd = Command::SetPartitioning {
                table,
                partition_by: t.partition_by.clone(),
                partition_of: Some(of),
            };
            if let Err(err) = cmd.apply(&mut p) {
                self.at = at_named(format!("table {name}"));
                self.partial(format!("partition not attached: {err}"));
            }
        }
        let names = TableNames::of(&p);
        for fk in std::mem::take(&mut self.fks) {
            self.at = fk.at.clone();
            let Some(from) = ids[fk.table].and_then(|id| p.table(id)) else {
                continue;
            };
            let from_name = from.name.clone();
            let Some(to) = names.resolve(&fk.ref_schema, &fk.ref_table) else {
                self.partial(format!(
                    "foreign key from `{from_name}` dropped: no table `{}`",
                    fk.ref_table
                ));
                continue;
            };
            let to_t = p.table(to).expect("resolved");
            let ref_cols: Vec<String> = if fk.ref_columns.is_empty() {
                match &to_t.primary_key {
                    Some(pk) => pk.columns.iter().map(|c| to_t.column_name(*c)).collect(),
                    None => Vec::new(),
                }
            } else {
                fk.ref_columns.clone()
            };
            let find = |t: &Table, names: &[String]| -> Option<Vec<crate::model::ColumnId>> {
                names
                    .iter()
                    .map(|n| Self::column_by_name(t, n).map(|i| t.columns[i].id))
                    .collect()
            };
            let (Some(fc), Some(tc)) = (find(from, &fk.columns), find(to_t, &ref_cols)) else {
                self.partial(format!(
                    "foreign key `{from_name}`({}) → `{}`({}) dropped: unknown column",
                    fk.columns.join(", "),
                    fk.ref_table,
                    ref_cols.join(", ")
                ));
                continue;
            };
            if fc.len() != tc.len() {
                self.partial(format!(
                    "foreign key from `{from_name}` dropped: column counts differ"
                ));
                continue;
            }
            let id = ForeignKeyId(self.id());
            let key = ForeignKey {
                id,
                name: fk.name,
                from_table: from.id,
                from_columns: fc,
                to_table: to,
                to_columns: tc,
                on_delete: fk.on_delete,
                on_update: fk.on_update,
                deferrable: fk.deferrable,
            };
            if let Err(e) = Command::AddForeignKey(Box::new(key)).apply(&mut p) {
                self.partial(format!("foreign key from `{from_name}` dropped: {e}"));
            }
        }
        self.finish_sequences(&mut p);
        let words = (!self.views.is_empty()).then(|| TableWords::of(&p));
        for v in std::mem::take(&mut self.views) {
            let depends_on = words
                .as_ref()
                .map(|w| w.named_in(&v.sql))
                .unwrap_or_default();
            let id = crate::model::ViewId(self.id());
            let name = v.name.clone();
            let view = View {
                id,
                schema: v.schema,
                name: v.name,
                sql: v.sql,
                materialized: v.materialized,
                depends_on,
                comment: v.comment,
            };
            if let Err(e) = Command::PutView(view).apply(&mut p) {
                self.at = at_named(format!("view {name}"));
                self.partial(format!("view dropped: {e}"));
            }
        }
        for x in std::mem::take(&mut self.extras) {
            self.at = x.at;
            if x.kind == "sequence"
                && x.name
                    .as_deref()
                    .is_some_and(|n| self.identity_sequences.contains(&unqualified_lower(n)))
            {
                self.note(
                    Severity::Info,
                    NoteKind::Noise,
                    "sequence feeds an identity column (imported as identity)",
                );
                continue;
            }
            let id = crate::model::ExtraSqlId(self.id());
            let what = match &x.name {
                Some(n) => format!("{} `{n}`", x.kind),
                None => x.kind.clone(),
            };
            let extra = ExtraSql {
                id,
                dialect: self.dialect,
                kind: x.kind,
                name: x.name,
                placement: x.placement,
                search_path: x.search_path,
                sql: x.sql,
            };
            match Command::PutExtraSql(extra).apply(&mut p) {
                Ok(_) => self.note(
                    Severity::Info,
                    NoteKind::Kept,
                    format!(
                        "{what} kept verbatim as extra SQL (exported to the same dialect only)"
                    ),
                ),
                Err(e) => self.partial(format!("{what} dropped: {e}")),
            }
        }
        // A script has no positions: lay the tables out by subject area (suggested from the
        // foreign keys, a layered layout inside each, the areas packed to a screen's shape).
        if let Err(e) = crate::analysis::explore::areas::arrange(&mut p) {
            self.at = at_named("layout".to_string());
            self.partial(format!("tables not laid out: {e}"));
        }
        (p, self.report)
    }
}

/// The imported project's tables by name, to resolve foreign keys in O(1) each.
pub(super) struct TableNames {
    /// `(schema, name)` → the first such table in id order.
    exact: HashMap<(Option<String>, String), crate::model::TableId>,
    /// ASCII-lower-cased name → (schema, table) in id order.
    ci: HashMap<String, Vec<(Option<String>, crate::model::TableId)>>,
}

impl TableNames {
    pub(super) fn of(p: &Project) -> Self {
        let mut exact = HashMap::new();
        let mut ci: HashMap<String, Vec<_>> = HashMap::new();
        for t in p.tables() {
            exact
                .entry((t.schema.clone(), t.name.clone()))
                .or_insert(t.id);
            ci.entry(t.name.to_ascii_lowercase())
                .or_default()
                .push((t.schema.clone(), t.id));
        }
        TableNames { exact, ci }
    }

    /// The table of that exact name in that schema, else the only one whose name differs in
    /// ASCII case only (in that schema, or in any when `schema` is `None`).
    pub(super) fn resolve(
        &self,
        schema: &Option<String>,
        name: &str,
    ) -> Option<crate::model::TableId> {
        let key = (schema.clone(), name.to_string());
        if let Some(&id) = self.exact.get(&key) {
            return Some(id);
        }
        let mut hits = self
            .ci
            .get(&name.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .filter(|(s, _)| schema.is_none() || s == schema);
        match (hits.next(), hits.next()) {
            (Some(&(_, id)), None) => Some(id),
            _ => None,
        }
    }
}

/// The imported project's tables by lower-cased name, to find the tables a view names: a
/// table is named when its name occurs in the view's SQL as a whole word (case-insensitive),
/// as `dialect::util::contains_word` decides, in time linear in the SQL.
pub(super) struct TableWords {
    /// Names made of word characters only (letters, digits, `_`): a word of the SQL.
    words: HashMap<String, Vec<crate::model::TableId>>,
    /// Other names (with spaces, dashes, ...): searched for in the SQL one by one.
    odd: Vec<(String, crate::model::TableId)>,
}

pub(super) fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl TableWords {
    pub(super) fn of(p: &Project) -> Self {
        let mut words: HashMap<String, Vec<_>> = HashMap::new();
        let mut odd = Vec::new();
        for t in p.tables() {
            let lower = t.name.to_lowercase();
            if lower.is_empty() {
                continue;
            }
            if lower.chars().all(word_char) {
                words.entry(lower).or_default().push(t.id);
            } else {
                odd.push((lower, t.id));
            }
        }
        TableWords { words, odd }
    }

    /// Tables named in `sql`, in id order.
    pub(super) fn named_in(&self, sql: &str) -> Vec<crate::model::TableId> {
        let lower = sql.to_lowercase();
        let mut ids: Vec<crate::model::TableId> = lower
            .split(|c: char| !word_char(c))
            .filter(|w| !w.is_empty())
            .collect::<std::collections::HashSet<&str>>()
            .into_iter()
            .filter_map(|w| self.words.get(w))
            .flatten()
            .copied()
            .collect();
        ids.extend(
            self.odd
                .iter()
                .filter(|(n, _)| crate::sql::dialect::util::contains_word(&lower, n))
                .map(|(_, id)| *id),
        );
        ids.sort();
        ids.dedup();
        ids
    }
}

pub(super) fn comment_text(c: &ast::CommentDef) -> String {
    match c {
        ast::CommentDef::WithEq(s) | ast::CommentDef::WithoutEq(s) => s.clone(),
    }
}

/// A default as the model keeps it: without the parentheses MySQL needs around expression
/// defaults (`DEFAULT ('')`), and the current time spelled `CURRENT_TIMESTAMP` whichever
/// synonym the script used (`now()`, `current_timestamp()`).
pub(super) fn default_text(e: &Expr) -> String {
    let s = unnested(e).to_string();
    // PostgreSQL's special input `'now'` (`('now'::text)::date`): evaluated at insert time.
    let squashed: String = s
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')'))
        .collect();
    if squashed.starts_with("'now'::") {
        return if squashed.ends_with("::date") {
            "CURRENT_DATE".into()
        } else {
            "CURRENT_TIMESTAMP".into()
        };
    }
    if crate::sql::dialect::util::is_now(&s) && !s.eq_ignore_ascii_case("localtimestamp") {
        "CURRENT_TIMESTAMP".into()
    } else {
        s
    }
}

/// The expression inside any number of enclosing parentheses.
pub(super) fn unnested(mut e: &Expr) -> &Expr {
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    e
}

/// The index method; `None` for B-tree, every dialect's default (`USING btree` in pg_dump
/// output means no more than leaving it out).
pub(super) fn method(t: &IndexType) -> Option<IndexMethod> {
    Some(match t {
        IndexType::BTree => return None,
        IndexType::Hash => IndexMethod::Hash,
        IndexType::GIN => IndexMethod::Gin,
        IndexType::GiST => IndexMethod::Gist,
        IndexType::SPGiST => IndexMethod::SpGist,
        IndexType::BRIN => IndexMethod::Brin,
        other => IndexMethod::Other(other.to_string().to_lowercase()),
    })
}

/// `) WORD` → `)`, case-insensitively, for a standalone word after a closing parenthesis.
pub(crate) fn replace_word_after_paren(text: &str, word: &str) -> String {
    let upper = text.to_ascii_uppercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(p) = upper[from..].find(word).map(|p| p + from) {
        from = p + word.len();
        let before = upper[..p].trim_end();
        let after = upper[p + word.len()..].chars().next();
        let standalone = !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '(');
        if before.ends_with(')')
            && standalone
            && p > 0
            && upper.as_bytes()[p - 1].is_ascii_whitespace()
        {
            out.push_str(&text[last..p]);
            last = p + word.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Offsets of lines that start a new T-SQL statement (outside parentheses and quotes).
pub(super) fn tsql_pieces(text: &str) -> Vec<usize> {
    const STARTS: [&str; 12] = [
        "CREATE", "ALTER", "INSERT", "SET", "GRANT", "EXEC", "PRINT", "IF", "DROP", "USE",
        "DECLARE", "UPDATE",
    ];
    let b = text.as_bytes();
    let mut out = vec![0];
    let mut depth = 0i32;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if line_start && depth == 0 && i > 0 {
            let rest = &text[i..];
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_uppercase();
            if STARTS.contains(&word.as_str()) {
                out.push(i);
            }
        }
        line_start = c == b'\n';
        match c {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'\'' | b'"' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The name PostgreSQL gives an unnamed CHECK constraint of `t`: `t_col_check` when the
/// expression names one column, else `t_check` (cut to 63 bytes).
pub(super) fn postgres_check_name(t: &Table, expr: &str) -> String {
    let lower = expr.to_lowercase();
    let cols: Vec<&str> = t
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|c| crate::sql::dialect::util::contains_word(&lower, &c.to_lowercase()))
        .collect();
    let name = match cols.as_slice() {
        [c] => format!("{}_{c}_check", t.name),
        _ => format!("{}_check", t.name),
    };
    crate::sql::ddl::truncate_bytes(&name, 63).to_string()
}

/// The sequence of a `nextval('schema.seq'::regclass)` default: unqualified, lower case.
pub(super) fn nextval_sequence(default: &str) -> Option<String> {
    let d = default.replace('"', "");
    let start = d.find('\'')? + 1;
    let end = start + d[start..].find('\'')?;
    Some(unqualified_lower(&d[start..end]))
}

/// The last part of a possibly qualified, possibly quoted name, in lower case
/// (`public."Seq"` → `seq`): how sequence names are matched.
pub(super) fn unqualified_lower(n: &str) -> String {
    n.rsplit('.')
        .next()
        .unwrap_or(n)
        .trim_matches(['"', '`', '[', ']'])
        .to_lowercase()
}

/// An `ON UPDATE` expression: `current_timestamp()` / `now()` / `CURRENT_TIMESTAMP(6)` as
/// `CURRENT_TIMESTAMP[(n)]` (what MySQL shows); anything else as written.
pub(super) fn on_update_text(e: &Expr) -> String {
    let s = e.to_string();
    let squashed: String = s
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let precision = squashed
        .split_once('(')
        .map(|(_, rest)| rest.trim_end_matches(')').to_string())
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let head = squashed.split('(').next().unwrap_or("");
    if matches!(
        head,
        "current_timestamp" | "now" | "localtimestamp" | "localtime"
    ) {
        match precision {
            Some(p) => format!("CURRENT_TIMESTAMP({p})"),
            None => "CURRENT_TIMESTAMP".into(),
        }
    } else {
        s
    }
}

/// `nextval('seq'::regclass)` (also quoted `"nextval"(...)`): a sequence-fed column.
pub(super) fn is_nextval(default: &str) -> bool {
    default
        .replace('"', "")
        .to_ascii_lowercase()
        .starts_with("nextval(")
}

/// `GENERATED ALWAYS AS (expr) VIRTUAL` (PostgreSQL 18) rewritten as `... STORED ` (same
/// length), with the names of the columns concerned.
pub(super) fn pg_virtual_generated(text: &str) -> (String, Vec<String>) {
    let upper = text.to_ascii_uppercase();
    let bytes = text.as_bytes();
    let mut out = text.to_string();
    let mut cols = Vec::new();
    let mut from = 0;
    while let Some(k) = upper[from..].find("GENERATED ALWAYS AS") {
        let at = from + k;
        from = at + 1;
        // The parenthesised expression.
        let Some(open) = upper[at..].find('(').map(|i| at + i) else {
            break;
        };
        let mut depth = 0i32;
        let mut close = None;
        let mut in_str = false;
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'\'' => in_str = !in_str,
                b'(' if !in_str => depth += 1,
                b')' if !in_str => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { break };
        let rest = &upper[close + 1..];
        let ws = rest.len() - rest.trim_start().len();
        let kw = close + 1 + ws;
        if !upper[kw..].starts_with("VIRTUAL")
            || upper[kw + 7..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        out.replace_range(kw..kw + 7, "STORED ");
        // The column: the first word after the previous top-level `,` or `(`.
        let mut depth = 0i32;
        let mut start = 0;
        for i in (0..at).rev() {
            match bytes[i] {
                b')' => depth += 1,
                b'(' if depth == 0 => {
                    start = i + 1;
                    break;
                }
                b'(' => depth -= 1,
                b',' if depth == 0 => {
                    start = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let def = text[start..at].trim_start();
        let name: String = if let Some(q) = def.strip_prefix('"') {
            q.split('"').next().unwrap_or("").to_string()
        } else {
            def.split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string()
        };
        if !name.is_empty() {
            cols.push(name);
        }
    }
    (out, cols)
}
