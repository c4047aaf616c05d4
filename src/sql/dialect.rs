//! The per-dialect rules the DDL generator asks about. Everything that differs between
//! PostgreSQL, MySQL/MariaDB, SQLite and SQL Server is answered here, not in `if dialect ==`
//! branches in the generator.

use super::ddl::Cx;
use super::dialect_expr::ExprRules;
use super::dialect_import::ImportRules;
use super::dialect_migrate::MigrationRules;
use super::reserved::is_plain_identifier;
use crate::model::*;

/// How a column is used, which changes its type in some dialects (MySQL cannot index TEXT).
#[derive(Clone, Copy, Debug)]
pub struct TypeUse<'a> {
    /// The column is part of a key, index or foreign key.
    pub keyed: bool,
    /// `table.column`, for warnings.
    pub object: &'a str,
}

/// Every dialect's rules; [`ExprRules`] answers for its expressions, [`ImportRules`] for
/// reading its scripts, [`MigrationRules`] for altering a live schema.
pub trait DialectRules: ExprRules + ImportRules + MigrationRules {
    fn dialect(&self) -> Dialect;

    /// Opening and closing quote characters for identifiers.
    fn quotes(&self) -> (char, char);

    /// Quote an identifier when it is not a plain lower-case non-reserved name.
    fn ident(&self, name: &str) -> String {
        if is_plain_identifier(name) {
            return name.to_string();
        }
        let (open, close) = self.quotes();
        let mut s = String::with_capacity(name.len() + 2);
        s.push(open);
        for ch in name.chars() {
            if ch == close {
                s.push(close);
            }
            s.push(ch);
        }
        s.push(close);
        s
    }

    /// Why this dialect cannot store `name` as an identifier, if it cannot (characters
    /// outside what the engine accepts). Length limits are checked separately.
    fn unstorable_identifier(&self, _name: &str) -> Option<String> {
        None
    }

    /// A possibly schema-qualified object name.
    fn qualified(&self, schema: Option<&str>, name: &str) -> String {
        match schema {
            Some(s) => format!("{}.{}", self.ident(s), self.ident(name)),
            None => self.ident(name),
        }
    }

    /// A string literal.
    fn string_literal(&self, s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
    }

    /// Statements before everything else.
    fn preamble(&self) -> Vec<String> {
        Vec::new()
    }

    /// Statement creating a schema, if the dialect has schemas.
    fn create_schema(&self, schema: &str, cx: &mut Cx) -> Option<String>;

    /// Statement creating an enum type, if the dialect has enum types (else enums are inline).
    fn create_enum(&self, _e: &EnumType, _cx: &mut Cx) -> Option<String> {
        None
    }

    /// True when the dialect has sequences (`CREATE SEQUENCE`, `nextval` defaults); for the
    /// others a project is folded first (see `sequences::fold`).
    fn sequences(&self) -> bool {
        false
    }

    /// True when enum columns need `CHECK (col IN (...))` (no native enums).
    fn enum_as_check(&self) -> bool {
        false
    }

    /// The column type for a logical type.
    fn map_type(&self, ty: &LogicalType, usage: TypeUse, cx: &mut Cx) -> String;

    /// The type written for a column (without per-dialect overrides, which the generator
    /// applies first). SQLite replaces it for its rowid alias.
    fn column_type(&self, t: &Table, c: &Column, usage: TypeUse, cx: &mut Cx) -> String {
        let _ = t;
        self.map_type(&c.ty, usage, cx)
    }

    /// Clause making a column an identity / auto-increment column (after the type).
    fn identity_clause(&self, t: &Table, c: &Column, cx: &mut Cx) -> Option<String>;

    /// True when the identity clause already declares the primary key (SQLite
    /// `INTEGER PRIMARY KEY AUTOINCREMENT`), so the table-level key is omitted.
    fn identity_is_primary_key(&self, _t: &Table, _c: &Column) -> bool {
        false
    }

    /// Full definition of a generated column after its name (type included where needed).
    fn generated_column(&self, obj: &str, ty: &str, g: &Generated, cx: &mut Cx) -> String;

    /// True when columns can take `ON UPDATE expr` (MySQL); for the others a project is
    /// folded first (the clause dropped with a warning: a trigger does it there).
    fn on_update(&self) -> bool {
        false
    }

    /// A default expression as written after `DEFAULT`.
    fn default_expr(&self, expr: &str, c: &Column, cx: &mut Cx) -> String;

    /// Inline column comment clause (MySQL `COMMENT '...'`).
    fn inline_column_comment(&self, _comment: &str) -> Option<String> {
        None
    }

    /// Comments emitted as SQL `--` lines inside/before the CREATE TABLE (SQLite keeps them
    /// in `sqlite_schema`).
    fn comments_as_sql_comments(&self) -> bool {
        false
    }

    /// Text after the closing parenthesis of CREATE TABLE (engine, charset, table comment).
    fn table_options(&self, _t: &Table) -> String {
        String::new()
    }

    /// Statements attaching comments to a table and its columns (COMMENT ON, extended properties).
    fn comment_statements(&self, _t: &Table) -> Vec<String> {
        Vec::new()
    }

    /// Statements attaching a comment to an enum type.
    fn enum_comment_statement(&self, _e: &EnumType) -> Option<String> {
        None
    }

    /// `CREATE INDEX` for an index; `Err(text)` when the dialect cannot express it (the text is
    /// kept as a comment in the output so nothing disappears).
    fn create_index(&self, t: &Table, ix: &Index, cx: &mut Cx) -> Result<String, String>;

    /// An index that must be declared inside CREATE TABLE (MySQL: the only key an
    /// AUTO_INCREMENT column leads), as the clause to put there; `None` for a normal
    /// `CREATE INDEX` afterwards.
    fn inline_index(&self, _t: &Table, _ix: &Index, _cx: &mut Cx) -> Option<String> {
        None
    }

    /// How a foreign key action is written, or `None` when it is the default (NO ACTION).
    fn fk_action(&self, a: FkAction, what: &str, cx: &mut Cx) -> Option<String> {
        let _ = (what, cx);
        match a {
            FkAction::NoAction => None,
            other => Some(other.sql().to_string()),
        }
    }

    /// Deferrability clause.
    /// Foreign key checks can be deferred to the end of the transaction.
    fn deferrable_constraints(&self) -> bool {
        true
    }

    fn deferrable_clause(&self, d: Deferrable, what: &str, cx: &mut Cx) -> Option<String> {
        if !self.deferrable_constraints() {
            if d != Deferrable::NotDeferrable {
                cx.warn(
                    what,
                    format!(
                        "{} cannot defer foreign key checks; key is checked immediately",
                        self.dialect().display_name()
                    ),
                );
            }
            return None;
        }
        match d {
            Deferrable::NotDeferrable => None,
            Deferrable::InitiallyImmediate => Some("DEFERRABLE INITIALLY IMMEDIATE".into()),
            Deferrable::InitiallyDeferred => Some("DEFERRABLE INITIALLY DEFERRED".into()),
        }
    }

    /// True when a foreign key may reference a table created later (SQLite), so every key is
    /// written inline and none needs `ALTER TABLE`.
    fn allows_forward_references(&self) -> bool {
        false
    }

    /// `CREATE VIEW` statement with `query` (the view's query for this dialect).
    fn create_view(&self, v: &View, query: &str, _cx: &mut Cx) -> String {
        format!(
            "CREATE VIEW {} AS\n{query}",
            self.qualified(v.schema.as_deref(), &v.name)
        )
    }

    /// The engine has materialized views (PostgreSQL). Elsewhere one is written as a table
    /// filled by its query ([`Self::create_table_as`]), with [`Self::refresh_procedure`].
    fn materialized_views(&self) -> bool {
        false
    }

    /// A table `name` (qualified and quoted) created with the rows of `query`.
    fn create_table_as(&self, name: &str, query: &str) -> String {
        format!("CREATE TABLE {name} AS\n{query}")
    }

    /// A procedure `proc` that fills the table `name` with `query`'s rows again (a
    /// materialized view written as a table); `None` where the engine has no procedures.
    fn refresh_procedure(&self, proc: &str, name: &str, query: &str) -> Option<String> {
        let _ = (proc, name, query);
        None
    }

    /// The column list of a primary key or unique constraint (`what` names it in warnings).
    fn key_column_list(
        &self,
        t: &Table,
        cols: &[crate::model::ColumnId],
        what: &str,
        cx: &mut Cx,
    ) -> String {
        let _ = (what, cx);
        super::ddl::column_list(self, t, cols)
    }

    /// A foreign key's columns must have exactly the referenced columns' types (InnoDB), not
    /// only comparable ones (PostgreSQL lets a smallint reference an integer).
    fn fk_types_must_match(&self) -> bool {
        false
    }

    /// Declarative table partitioning (`PARTITION BY` on the parent, `ATTACH PARTITION` for
    /// each partition; PostgreSQL). Elsewhere partitions are written as ordinary tables.
    fn partitions(&self) -> bool {
        false
    }

    /// A `SET NULL` foreign key action is rejected when a referencing column is NOT NULL
    /// (InnoDB's errno 150, SQL Server's error 1761); PostgreSQL and SQLite accept it and fail
    /// only when a row would be set to NULL.
    fn set_null_needs_nullable(&self) -> bool {
        false
    }

    /// Index key parts may index a prefix of a column (`col(10)`, MySQL).
    fn index_prefixes(&self) -> bool {
        false
    }

    /// Index key parts may name an operator class (PostgreSQL).
    fn operator_classes(&self) -> bool {
        false
    }

    /// A verbatim extra statement (function, trigger, ...) with its terminator. MySQL wraps
    /// bodies that contain `;` in `DELIMITER` lines, as its client needs.
    fn extra_statement(&self, sql: &str) -> String {
        format!("{sql};")
    }

    /// Statement making `schema` the one unqualified names resolve to (`None`: back to the
    /// default), for extra statements imported under a `search_path`.
    fn set_search_path(&self, _schema: Option<&str>) -> Option<String> {
        None
    }

    /// A session setting written before extra statements that define functions or
    /// procedures (PostgreSQL checks function bodies against tables that may come later).
    fn routine_preamble(&self) -> Option<String> {
        None
    }

    /// Where index names must be unique.
    fn index_namespace(&self) -> NameScope {
        NameScope::Table
    }

    /// Foreign key and CHECK constraint names are unique per database (InnoDB: errno 121).
    fn constraint_names_database_wide(&self) -> bool {
        false
    }

    /// Names over the length limit are truncated (PostgreSQL) rather than rejected.
    fn truncates_long_names(&self) -> bool {
        false
    }

    /// The schema objects go to when none is named (`public`, `dbo`).
    fn default_schema(&self) -> Option<&'static str> {
        None
    }

    /// The index methods besides the default B-tree (`None` in the list is the default).
    fn index_methods(&self) -> &'static [IndexMethod] {
        &[]
    }

    /// Statement separator lines for dialects that need batches (SQL Server `GO`).
    fn batch_separator(&self) -> Option<&'static str> {
        None
    }
}

/// Where a kind of name must be unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    Table,
    Schema,
    Database,
}

impl NameScope {
    pub fn describe(self) -> &'static str {
        match self {
            NameScope::Table => "table",
            NameScope::Schema => "schema",
            NameScope::Database => "database",
        }
    }
}

/// The rules for a dialect.
pub fn rules(d: Dialect) -> &'static dyn DialectRules {
    match d {
        Dialect::Postgres => &super::postgres::Postgres,
        Dialect::MySql => &super::mysql::MySql,
        Dialect::Sqlite => &super::sqlite::Sqlite,
        Dialect::SqlServer => &super::sqlserver::SqlServer,
    }
}

/// Shared helpers for the dialect files.
pub(crate) mod util {
    /// `s` in double quotes with backslash escapes for `"`, `\`, newline, carriage return and
    /// tab: the string syntax of DBML, RON and MySQL option files alike.
    pub fn backslash_quoted(s: &str) -> String {
        quoted_with_backslashes(s, '"')
    }

    /// `s` between `quote`s, with backslash escapes for `quote`, `\`, newline, carriage
    /// return and tab.
    pub fn quoted_with_backslashes(s: &str, quote: char) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push(quote);
        for c in s.chars() {
            match c {
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
        out.push(quote);
        out
    }

    /// True for a literal that needs no parentheses after DEFAULT in any dialect.
    pub fn is_simple_literal(expr: &str) -> bool {
        let e = expr.trim();
        if e.eq_ignore_ascii_case("null")
            || e.eq_ignore_ascii_case("true")
            || e.eq_ignore_ascii_case("false")
        {
            return true;
        }
        if e.len() >= 2 && e.starts_with('\'') && e.ends_with('\'') {
            // One string literal: every inner quote is doubled.
            let inner = &e[1..e.len() - 1];
            return inner.replace("''", "").find('\'').is_none();
        }
        let num = e
            .strip_prefix('-')
            .or_else(|| e.strip_prefix('+'))
            .unwrap_or(e);
        !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit() || c == '.')
            && num.chars().filter(|&c| c == '.').count() <= 1
            && num != "."
    }

    /// True for the portable "now" defaults.
    /// `word` occurs in `hay` as a whole word (not inside a longer identifier).
    pub fn contains_word(hay: &str, word: &str) -> bool {
        if word.is_empty() {
            return false;
        }
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        hay.match_indices(word).any(|(i, _)| {
            let before = hay[..i].chars().next_back();
            let after = hay[i + word.len()..].chars().next();
            !before.is_some_and(ident) && !after.is_some_and(ident)
        })
    }

    pub fn is_now(expr: &str) -> bool {
        let e = expr.trim().to_ascii_lowercase();
        matches!(
            e.as_str(),
            "current_timestamp" | "now()" | "current_timestamp()" | "localtimestamp"
        )
    }

    pub fn paren(expr: &str) -> String {
        format!("({})", expr.trim())
    }
}
