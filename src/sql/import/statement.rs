//! One statement of a script: preprocessing per dialect, the statements read by hand, then
//! the parsed statement dispatched.

use super::*;

impl Importer {
    pub(super) fn statement(&mut self, chunk: &split::Chunk) {
        self.at = at_of(chunk.line, chunk.col, &chunk.text);
        if chunk.meta {
            if !chunk.text.to_ascii_lowercase().starts_with("delimiter") {
                self.note(Severity::Info, NoteKind::Noise, "client command");
            }
            return;
        }
        let text = if self.rules.strip_comments() {
            split::strip_comments(&chunk.text)
        } else {
            chunk.text.clone()
        };
        let head = split::head_words(&text, 6);
        if head.is_empty() {
            return; // only comments
        }
        if head[0] == "SET" && head.get(1).is_some_and(|w| w == "SEARCH_PATH") {
            self.search_path(&text);
        }
        if self.rules.alter_add_identity()
            && head[0] == "ALTER"
            && head.get(1).is_some_and(|w| w == "TABLE")
            && self.add_identity(&text)
        {
            return;
        }
        if head[0] == "ALTER" && head.iter().any(|w| w == "ATTACH") {
            if head.get(1).is_some_and(|w| w == "INDEX") {
                // pg_dump's ALTER INDEX parent_idx ATTACH PARTITION child_idx: the index of a
                // partition belongs to the parent's index; both are imported on their tables.
                self.note(
                    Severity::Info,
                    NoteKind::Noise,
                    "index attached to a partition",
                );
            } else {
                self.attach_partition(&text);
            }
            return;
        }
        if head.len() >= 4 && head[0] == "CREATE" && head[1] == "SCHEMA" && head[3] == "CREATE" {
            self.schema_with_elements(&text, chunk);
            return;
        }
        if head.len() >= 3 && head[0] == "CREATE" && head[1] == "DOMAIN" {
            self.domain(&text);
            return;
        }
        if self.rules.dynamic_sql() && head[0] == "SET" && self.dynamic_sql(&text, chunk) {
            return;
        }
        let text = if self.rules.tsql_batches() {
            match self.tsql_statement(text, chunk) {
                Some(t) => t,
                None => return,
            }
        } else {
            text
        };
        let mut text = self.preprocess(&head, text);
        if head[0] == "DO" && self.rules.do_blocks() {
            self.do_block(&text, chunk);
            return;
        }
        // `SELECT * INTO t FROM …` creates a table (SQL Server, PostgreSQL): not a query.
        let select_star_into = head.len() > 2
            && head[0] == "SELECT"
            && head[1] == "*"
            && head[2] == "INTO"
            && matches!(self.dialect, Dialect::SqlServer | Dialect::Postgres);
        if let Some(why) = noise(&head).filter(|_| !select_star_into) {
            self.note(Severity::Info, NoteKind::Noise, why);
            return;
        }
        if self.rules.fulltext_spatial_indexes()
            && head.len() >= 3
            && head[0] == "CREATE"
            && matches!(head[1].as_str(), "FULLTEXT" | "SPATIAL")
            && head[2] == "INDEX"
        {
            // `CREATE FULLTEXT INDEX i ON t (cols)` → `ALTER TABLE t ADD FULLTEXT INDEX i (cols)`.
            let words: Vec<&str> = text.splitn(6, char::is_whitespace).collect();
            let upper = text.to_ascii_uppercase();
            if let (Some(on), Some(name)) = (upper.find(" ON "), words.get(3)) {
                let rest = text[on + 4..].trim_start();
                if let Some(paren) = rest.find('(') {
                    let rewritten = format!(
                        "ALTER TABLE {} ADD {} INDEX {name} {}",
                        rest[..paren].trim(),
                        head[1],
                        &rest[paren..]
                    );
                    self.statement(&split::Chunk {
                        text: rewritten,
                        ..chunk.clone()
                    });
                    return;
                }
            }
        }
        if self.rules.sequences() && self.sequence_statement(&head, &text) {
            return;
        }
        if let Some(kind) = unmodelled(&head) {
            match not_kept(&kind) {
                Some(why) => self.note(Severity::Warning, NoteKind::Skipped, why),
                None => self.keep(&kind, &chunk.text),
            }
            return;
        }
        let parsed = Parser::parse_sql(self.rules.parser(), &text);
        // PostgreSQL 18's virtual generated columns: sqlparser's PostgreSQL dialect only takes
        // STORED. Read them as STORED (same length, so error positions hold) and mark the
        // columns virtual in the parsed statement.
        let (parsed, virtual_cols) = match parsed {
            Err(e)
                if self.rules.virtual_generated_retry()
                    && e.to_string().contains("found: VIRTUAL") =>
            {
                let (fixed, cols) = pg_virtual_generated(&text);
                let r = Parser::parse_sql(self.rules.parser(), &fixed);
                // Report a remaining error on the rewritten text (same positions).
                text = fixed;
                (r, cols)
            }
            other => (other, Vec::new()),
        };
        match parsed {
            Ok(stmts) => {
                for mut s in stmts {
                    if !virtual_cols.is_empty()
                        && let Statement::CreateTable(ct) = &mut s
                    {
                        for col in &mut ct.columns {
                            if virtual_cols
                                .iter()
                                .any(|n| n.eq_ignore_ascii_case(&col.name.value))
                            {
                                for o in &mut col.options {
                                    if let ColumnOption::Generated {
                                        generation_expr_mode,
                                        ..
                                    } = &mut o.option
                                    {
                                        *generation_expr_mode =
                                            Some(GeneratedExpressionMode::Virtual);
                                    }
                                }
                            }
                        }
                    }
                    self.apply(s, &text);
                }
            }
            Err(_) if self.rules.tsql_batches() && !chunk.meta => {
                // T-SQL batches need no `;` between statements: retry line-started pieces.
                let pieces = tsql_pieces(&text);
                if pieces.len() > 1 {
                    let lines = split::LineIndex::new(&text);
                    for (a, b) in pieces
                        .iter()
                        .zip(pieces.iter().skip(1).chain([&text.len()]))
                    {
                        let (line, col) = lines.locate(&text, *a);
                        self.statement(&split::Chunk {
                            text: text[*a..*b].to_string(),
                            offset: chunk.offset + a,
                            line: chunk.line + line - 1,
                            col: if line == 1 { chunk.col + col - 1 } else { col },
                            meta: false,
                        });
                    }
                } else {
                    self.parse_error(&text, chunk);
                }
            }
            Err(_) => self.parse_error(&text, chunk),
        }
    }

    pub(super) fn parse_error(&mut self, text: &str, chunk: &split::Chunk) {
        let parsed = Parser::parse_sql(self.rules.parser(), text);
        match parsed {
            Ok(_) => {}
            Err(e) => {
                let msg = self.relocate(&e.to_string(), chunk);
                self.note(
                    Severity::Error,
                    NoteKind::Skipped,
                    format!("parse error: {msg}"),
                );
            }
        }
    }

    /// `SET search_path = app, public`: unqualified names now live in `app`.
    pub(super) fn search_path(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        let Some(p) = lower.find("search_path") else {
            return;
        };
        let rest = text[p + 11..].trim_start();
        let rest = rest
            .strip_prefix('=')
            .or_else(|| {
                rest.get(..3)
                    .filter(|w| w.eq_ignore_ascii_case("to "))
                    .map(|_| &rest[3..])
            })
            .unwrap_or(rest)
            .trim_start();
        let first = rest
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches(';');
        let first = if first.starts_with('"') {
            first.trim_matches('"').to_string()
        } else {
            first.to_lowercase()
        };
        self.default_schema =
            (!first.is_empty() && first != "public" && !first.starts_with('\'')).then_some(first);
    }

    /// `ALTER TABLE [ONLY] parent ATTACH PARTITION child FOR VALUES ...`: the child becomes a
    /// partition of the parent, with the bound as written.
    pub(super) fn attach_partition(&mut self, text: &str) {
        let upper = text.to_ascii_uppercase();
        let Some(pos) = upper.find("ATTACH PARTITION") else {
            return;
        };
        let name_of = |s: &str| -> ObjectName {
            ObjectName::from(
                s.split('.')
                    .map(
                        |p| match p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                            Some(q) => Ident::with_quote('"', q),
                            None => Ident::new(p),
                        },
                    )
                    .collect::<Vec<Ident>>(),
            )
        };
        let rest = text[pos + 16..].trim_start();
        let child_text = rest.split_whitespace().next().unwrap_or("");
        let bound = rest[child_text.len()..]
            .trim()
            .trim_end_matches(';')
            .trim()
            .to_string();
        let parent_text = text[..pos]
            .split_whitespace()
            .skip(2)
            .find(|w| !matches!(w.to_ascii_uppercase().as_str(), "ONLY" | "IF" | "EXISTS"))
            .unwrap_or("");
        let (schema, child) = self.qualified(&name_of(child_text));
        let (pschema, parent) = self.qualified(&name_of(parent_text));
        let (Some(ti), Some(pi)) = (
            self.find_table(&schema, &child),
            self.find_table(&pschema, &parent),
        ) else {
            self.partial(format!(
                "partition `{child}` of `{parent}` not attached: unknown table"
            ));
            return;
        };
        if ti == pi || bound.is_empty() {
            self.partial(format!("partition `{child}` not attached: no bound"));
            return;
        }
        let parent_id = self.tables[pi].id;
        self.tables[ti].partition_of = Some(PartitionOf {
            parent: parent_id,
            bound,
        });
    }

    /// `CREATE SCHEMA s CREATE TABLE ... CREATE VIEW ...` (schema elements).
    pub(super) fn schema_with_elements(&mut self, text: &str, chunk: &split::Chunk) {
        let b = text.as_bytes();
        let mut starts = Vec::new();
        let mut depth = 0i32;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b'\'' | b'"' => {
                    let q = b[i];
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                }
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                _ if depth == 0
                    && b.len() >= i + 6
                    && b[i..i + 6].eq_ignore_ascii_case(b"create")
                    && (i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'_') =>
                {
                    starts.push(i);
                }
                _ => {}
            }
            i += 1;
        }
        starts.push(b.len());
        let schema_stmt = &text[starts[0]..starts.get(1).copied().unwrap_or(b.len())];
        let schema = split::head_words(schema_stmt, 3)
            .get(2)
            .cloned()
            .unwrap_or_default();
        let raw = schema_stmt.split_whitespace().nth(2).unwrap_or("");
        let schema = if raw.starts_with('"') {
            raw.trim_matches('"').to_string()
        } else if self.rules.folds_unquoted_identifiers() {
            schema.to_lowercase()
        } else {
            raw.to_string()
        };
        let saved = self.default_schema.replace(schema);
        for w in starts[1..].windows(2) {
            let (line, col) = split::LineIndex::new(text).locate(text, w[0]);
            let sub = split::Chunk {
                text: text[w[0]..w[1]].to_string(),
                offset: chunk.offset + w[0],
                line: chunk.line + line - 1,
                col: if line == 1 { chunk.col + col - 1 } else { col },
                meta: false,
            };
            self.statement(&sub);
        }
        self.default_schema = saved;
    }

    /// `CREATE DOMAIN name [AS] type [NULL | NOT NULL | DEFAULT ... | CHECK ...]`: the domain
    /// becomes its base type wherever it is used (sqlparser takes only part of this syntax).
    pub(super) fn domain(&mut self, text: &str) {
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some(raw) = words.get(2) else {
            return;
        };
        let name = if raw.starts_with('"') {
            raw.trim_matches('"').to_string()
        } else if self.rules.folds_unquoted_identifiers() {
            raw.to_lowercase()
        } else {
            raw.to_string()
        };
        let name = name.rsplit('.').next().unwrap_or(&name).to_string();
        let mut ty = Vec::new();
        for w in words.iter().skip(3) {
            let u = w.to_ascii_uppercase();
            if ty.is_empty() && u == "AS" {
                continue;
            }
            let u = u.trim_end_matches(';');
            if ["NOT", "NULL", "DEFAULT", "CHECK", "CONSTRAINT", "COLLATE"].contains(&u)
                || u.starts_with("CHECK(")
            {
                break;
            }
            ty.push(w.trim_end_matches(';'));
        }
        let m = types::map_type(&ty.join(" "), self.dialect);
        self.domains.insert(name.clone(), m.ty);
        self.note(
            Severity::Warning,
            NoteKind::Partial,
            format!("domain `{name}` imported as its base type; its constraints are dropped"),
        );
    }

    /// MySQL install scripts build DDL in a variable (`SET @s = IF(..., 'ALTER TABLE ...',
    /// ...)`, then PREPARE/EXECUTE): import the DDL literal.
    pub(super) fn dynamic_sql(&mut self, text: &str, chunk: &split::Chunk) -> bool {
        let upper = text.to_ascii_uppercase();
        let Some(p) = ["'ALTER TABLE", "'CREATE "]
            .iter()
            .filter_map(|pat| upper.find(pat))
            .min()
        else {
            return false;
        };
        let b = text.as_bytes();
        let mut i = p + 1;
        let mut lit = String::new();
        let mut last = i;
        while i < b.len() {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == b'\'' {
                if b.get(i + 1) == Some(&b'\'') {
                    lit.push_str(&text[last..=i]);
                    i += 2;
                    last = i;
                    continue;
                }
                break;
            }
            i += 1;
        }
        lit.push_str(&text[last..i.min(b.len())]);
        self.note(
            Severity::Info,
            NoteKind::Partial,
            "DDL built in a variable: the literal is imported",
        );
        self.statement(&split::Chunk {
            text: lit,
            offset: chunk.offset + p + 1,
            line: chunk.line,
            col: chunk.col,
            meta: false,
        });
        true
    }

    /// A PostgreSQL `DO` block: its embedded `CREATE INDEX` / `ALTER TABLE` statements (the
    /// "create if missing" idiom) are imported; the rest is procedural.
    /// pg_dump's `ALTER TABLE [ONLY] t ALTER COLUMN c ADD GENERATED {ALWAYS | BY DEFAULT} AS
    /// IDENTITY (SEQUENCE NAME ... )`, which sqlparser does not take: the column becomes an
    /// identity column (the sequence options are its defaults). False when it is not that.
    pub(super) fn add_identity(&mut self, text: &str) -> bool {
        let upper = text.to_ascii_uppercase();
        let (Some(alter_col), Some(gen_at)) =
            (upper.find(" ALTER COLUMN "), upper.find(" ADD GENERATED "))
        else {
            return false;
        };
        if gen_at < alter_col || !upper[gen_at..].contains("AS IDENTITY") {
            return false;
        }
        let mut name_text = text["ALTER TABLE".len()..alter_col].trim();
        if name_text.len() >= 5 && name_text[..5].eq_ignore_ascii_case("ONLY ") {
            name_text = name_text[5..].trim();
        }
        let col_text = text[alter_col + " ALTER COLUMN ".len()..gen_at].trim();
        let parse_name = |s: &str| {
            Parser::new(&PostgreSqlDialect {})
                .try_with_sql(s)
                .and_then(|mut p| p.parse_object_name(false))
                .ok()
        };
        let (Some(table), Some(col)) = (parse_name(name_text), parse_name(col_text)) else {
            return false;
        };
        let (schema, name) = self.qualified(&table);
        let col = self.name_parts(&col).pop().unwrap_or_default();
        let Some(ti) = self.find_table(&schema, &name) else {
            self.partial(format!("identity on unknown table `{name}`"));
            return true;
        };
        let Some(ci) = Self::column_by_name(&self.tables[ti], &col) else {
            self.partial(format!("identity on unknown column `{name}`.`{col}`"));
            return true;
        };
        let always = upper[gen_at..].contains("GENERATED ALWAYS");
        self.tables[ti].columns[ci].identity = Some(if always {
            Identity::Always
        } else {
            Identity::ByDefault
        });
        true
    }

    pub(super) fn do_block(&mut self, text: &str, chunk: &split::Chunk) {
        let upper = text.to_ascii_uppercase();
        let lines = split::LineIndex::new(text);
        let mut found = 0;
        for pat in ["CREATE INDEX", "CREATE UNIQUE INDEX", "ALTER TABLE"] {
            let mut from = 0;
            while let Some(p) = upper[from..].find(pat).map(|p| p + from) {
                let end = text[p..].find(';').map_or(text.len(), |e| p + e);
                from = end;
                let (line, col) = lines.locate(text, p);
                found += 1;
                self.statement(&split::Chunk {
                    text: text[p..end].to_string(),
                    offset: chunk.offset + p,
                    line: chunk.line + line - 1,
                    col: if line == 1 { chunk.col + col - 1 } else { col },
                    meta: false,
                });
            }
        }
        self.at = at_of(chunk.line, chunk.col, &chunk.text);
        if found == 0 && (upper.contains("CREATE ") || upper.contains("COMMENT ON")) {
            // Defines schema (a function, a type, ...) the model does not hold: keep it.
            self.keep("do block", &chunk.text);
        } else if found == 0 {
            self.note(Severity::Info, NoteKind::Noise, "procedural block");
        } else {
            self.note(
                Severity::Info,
                NoteKind::Partial,
                format!(
                    "DO block: {found} embedded DDL statement(s) imported, the procedure itself is not"
                ),
            );
        }
    }

    /// Textual fixes for what sqlparser does not take (the dialect's
    /// `ImportRules::rewrite_statement`), each reported as a partial import.
    pub(super) fn preprocess(&mut self, head: &[String], text: String) -> String {
        let mut notes = Vec::new();
        let text = self.rules.rewrite_statement(head, text, &mut notes);
        for n in notes {
            self.partial(n);
        }
        text
    }

    /// sqlparser reports positions inside the statement; make them file positions.
    pub(super) fn relocate(&self, msg: &str, chunk: &split::Chunk) -> String {
        let Some(p) = msg.find(" at Line: ") else {
            return msg.to_string();
        };
        let rest = &msg[p + 10..];
        let mut it = rest.split(", Column: ");
        let line: Option<usize> = it.next().and_then(|l| l.trim().parse().ok());
        let col: Option<usize> = it.next().and_then(|c| {
            c.trim()
                .trim_end_matches(|x: char| !x.is_ascii_digit())
                .parse()
                .ok()
        });
        match (line, col) {
            (Some(l), Some(c)) => {
                let abs_line = chunk.line + l - 1;
                let abs_col = if l == 1 { chunk.col + c - 1 } else { c };
                format!("{} at {abs_line}:{abs_col}", &msg[..p])
            }
            _ => msg.to_string(),
        }
    }

    pub(super) fn apply(&mut self, s: Statement, text: &str) {
        match s {
            Statement::CreateTable(ct) => self.create_table(ct),
            Statement::CreateIndex(ci) => {
                let (schema, table) = self.qualified(&ci.table_name);
                if self.find_table(&schema, &table).is_none() && self.has_view_ci(&table) {
                    // On a materialized view (a read model): kept verbatim.
                    self.keep("index", text);
                } else {
                    self.create_index(ci);
                }
            }
            Statement::AlterTable(at) => self.alter_table(at),
            Statement::CreateType {
                name,
                representation,
            } => match representation {
                Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                    let (schema, name) = self.qualified(&name);
                    let id = self.id();
                    self.push_enum(EnumType {
                        id: crate::model::EnumId(id),
                        schema,
                        name,
                        values: labels.iter().map(|l| l.value.clone()).collect(),
                        comment: None,
                    });
                }
                _ => self.keep("type", text),
            },
            Statement::CreateDomain(d) => {
                let (_, name) = self.qualified(&d.name);
                let m = types::map_type(&d.data_type.to_string(), self.dialect);
                self.domains.insert(name.clone(), m.ty);
                self.note(
                    Severity::Warning,
                    NoteKind::Partial,
                    format!(
                        "domain `{name}` imported as its base type; its constraints are dropped"
                    ),
                );
            }
            Statement::CreateSchema { .. } => {}
            Statement::CreateView(v) => {
                let (schema, name) = self.qualified(&v.name);
                let comment = v.comment.clone();
                self.push_view(PendingView {
                    schema,
                    name,
                    sql: v.query.to_string(),
                    materialized: v.materialized,
                    comment,
                });
            }
            Statement::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => self.comment(object_type, &object_name, comment),
            Statement::CreateVirtualTable { .. } => self.keep("virtual table", text),
            Statement::Query(q) if select_into(&q).is_some() => {
                let (target, query) = select_into(&q).expect("checked");
                let (schema, name) = self.qualified(&target);
                self.table_from_query(schema, name, query);
            }
            other => {
                let _ = text;
                let kind = format!("{other}");
                let kind: String = kind
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                self.note(
                    Severity::Warning,
                    NoteKind::Skipped,
                    format!("`{kind}` statements are not modelled"),
                );
            }
        }
    }

    pub(super) fn comment(
        &mut self,
        object: CommentObject,
        name: &ObjectName,
        comment: Option<String>,
    ) {
        let mut parts = self.name_parts(name);
        match object {
            CommentObject::Table | CommentObject::Column => {
                let column = (object == CommentObject::Column)
                    .then(|| parts.pop())
                    .flatten();
                let tname = parts.pop().unwrap_or_default();
                let schema = self.rules.imported_schema(parts.pop());
                let Some(ti) = self.find_table(&schema, &tname) else {
                    self.note(
                        Severity::Warning,
                        NoteKind::Skipped,
                        format!("comment on unknown table `{tname}`"),
                    );
                    return;
                };
                match column {
                    None => self.tables[ti].comment = comment,
                    Some(c) => match Self::column_by_name(&self.tables[ti], &c) {
                        Some(ci) => self.tables[ti].columns[ci].comment = comment,
                        None => self.note(
                            Severity::Warning,
                            NoteKind::Skipped,
                            format!("comment on unknown column `{tname}.{c}`"),
                        ),
                    },
                }
            }
            CommentObject::Type => {
                let n = parts.pop().unwrap_or_default();
                if let Some(i) = self.find_enum(&n) {
                    self.enums[i].comment = comment;
                }
            }
            CommentObject::View | CommentObject::MaterializedView => {
                let n = parts.pop().unwrap_or_default();
                if let Some(&i) = self.view_by_name.get(&n) {
                    self.views[i].comment = comment;
                }
            }
            other => self.note(
                Severity::Info,
                NoteKind::Skipped,
                format!("comments on {other:?} objects are not modelled"),
            ),
        }
    }

    // -- columns ---------------------------------------------------------------------------
}

/// `SELECT … INTO t FROM …` (SQL Server, PostgreSQL): the table `t` and the query that fills it
/// (`SELECT * INTO t FROM (q) AS x` gives `q`, as Crowfoot writes a materialized view there).
fn select_into(q: &ast::Query) -> Option<(ast::ObjectName, String)> {
    let ast::SetExpr::Select(sel) = q.body.as_ref() else {
        return None;
    };
    let into = sel.into.as_ref()?;
    let target = match into.targets.as_slice() {
        [ast::Expr::Identifier(i)] => ast::ObjectName::from(vec![i.clone()]),
        [ast::Expr::CompoundIdentifier(parts)] => ast::ObjectName::from(parts.clone()),
        _ => return None,
    };
    if into.temporary {
        return None;
    }
    let star = matches!(sel.projection.as_slice(), [ast::SelectItem::Wildcard(_)]);
    if star
        && sel.selection.is_none()
        && let [from] = sel.from.as_slice()
        && from.joins.is_empty()
        && let ast::TableFactor::Derived { subquery, .. } = &from.relation
    {
        return Some((target, subquery.to_string()));
    }
    let mut without = q.clone();
    if let ast::SetExpr::Select(s) = without.body.as_mut() {
        s.into = None;
    }
    Some((target, without.to_string()))
}
