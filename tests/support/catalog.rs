//! A normalized view of a database catalog (tables, columns, types, nullability, primary key,
//! foreign keys, indexes), read back from a real engine or computed from a model, and a
//! comparison that lists every difference.
//!
//! `expected_catalog` derives what each engine should report straight from the model, with its
//! own type mapping written here, independently of the exporter.
//!
//! Normalization rules (both sides go through the same rules):
//! * Types: PostgreSQL as `format_type` prints them, with quoted identifiers unquoted and
//!   nested array brackets collapsed (`int[][]` is `integer[]` in the catalog); MariaDB's
//!   `COLUMN_TYPE` lower-cased outside quotes and without integer display widths (`int(11)` is
//!   `int`, `tinyint(1)` stays); SQLite's declared type upper-cased without blanks. A column
//!   with a `Native` type or a type override is compared loosely: case-insensitively and through
//!   a small alias table (`int4` = `integer`, `bool` = `boolean`, ...).
//! * Nullability: a primary-key column is NOT NULL in every engine.
//! * Foreign keys are matched by (columns, referenced table, referenced columns) and their
//!   ON DELETE / ON UPDATE actions compared; constraint names are ignored. In MariaDB
//!   RESTRICT and NO ACTION are the same thing and compare equal.
//! * Indexes: the catalog's indexes are matched against the model's indexes (by name; then
//!   uniqueness, key parts and the partial flag are compared), its unique constraints and its
//!   primary key (both by uniqueness and columns; their names are ignored, since unnamed ones
//!   get engine-made names and SQLite does not keep constraint names at all). MariaDB's
//!   implicit indexes for foreign keys (named after the constraint or its first column, with
//!   exactly the foreign key's columns) are ignored when nothing in the model claims them.
//!   SQLite's rowid primary key (`INTEGER PRIMARY KEY`) has no index; the reader synthesizes
//!   one so the primary key is compared the same way everywhere.
//! * Expression key parts are compared by position only (an expression must be where the model
//!   has one): engines rewrite expression text (PostgreSQL adds casts such as `::text`, SQLite
//!   does not report it), so the texts are shown in messages but not compared.
//! * Identifiers: PostgreSQL truncates names longer than 63 bytes (at a UTF-8 character
//!   boundary); the expected PostgreSQL names are truncated the same way.
//! * Tables in a schema other than PostgreSQL's `public` are keyed `schema.table`.

#![allow(dead_code)]

use super::dbs::TestDb;
use crowfoot::model::{Dialect, FkAction, IndexTarget, LogicalType, Project, Table};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    pub ty: String,
    pub nullable: bool,
    /// Expected side only: compare the type loosely (native types and overrides).
    pub loose_type: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKeyInfo {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    /// `NO ACTION`, `RESTRICT`, `CASCADE`, `SET NULL` or `SET DEFAULT`.
    pub on_delete: String,
    pub on_update: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPart {
    Column(String),
    /// Expression text as the engine (or the model) writes it.
    Expr(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexInfo {
    /// `None` where the name is not compared (primary key, unique constraints).
    pub name: Option<String>,
    pub primary: bool,
    pub unique: bool,
    pub parts: Vec<KeyPart>,
    pub partial: bool,
    /// Read side only: looks like an index MariaDB made by itself for a foreign key.
    pub implicit_fk: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableInfo {
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKeyInfo>,
    pub indexes: Vec<IndexInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    pub dialect: Dialect,
    pub tables: BTreeMap<String, TableInfo>,
    /// Expected side only: `table.object` names whose expectation differs from the model
    /// because the engine cannot express them (see `expected_catalog`); the exporter must
    /// warn about each.
    pub adjusted: Vec<String>,
}

impl Catalog {
    pub fn new(dialect: Dialect) -> Self {
        Catalog {
            dialect,
            tables: BTreeMap::new(),
            adjusted: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Display

fn list(v: &[String]) -> String {
    v.join(", ")
}

impl fmt::Display for KeyPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyPart::Column(c) => write!(f, "{c}"),
            KeyPart::Expr(e) => write!(f, "<expr {e}>"),
        }
    }
}

impl fmt::Display for IndexInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.primary {
            "PRIMARY KEY"
        } else if self.unique {
            "UNIQUE INDEX"
        } else {
            "INDEX"
        };
        write!(f, "{kind}")?;
        if let Some(n) = &self.name {
            write!(f, " {n}")?;
        }
        let parts: Vec<String> = self.parts.iter().map(|p| p.to_string()).collect();
        write!(f, " ({})", parts.join(", "))?;
        if self.partial {
            write!(f, " WHERE ...")?;
        }
        Ok(())
    }
}

impl fmt::Display for ForeignKeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}) -> {}({}) ON DELETE {} ON UPDATE {}",
            list(&self.columns),
            self.ref_table,
            list(&self.ref_columns),
            self.on_delete,
            self.on_update
        )
    }
}

impl fmt::Display for ColumnInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}{}",
            self.name,
            self.ty,
            if self.nullable { "" } else { " NOT NULL" }
        )
    }
}

impl fmt::Display for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, t) in &self.tables {
            writeln!(f, "table {name}")?;
            for c in &t.columns {
                writeln!(f, "  column {c}")?;
            }
            if !t.primary_key.is_empty() {
                writeln!(f, "  primary key ({})", list(&t.primary_key))?;
            }
            for fk in &t.foreign_keys {
                writeln!(f, "  foreign key {fk}")?;
            }
            for ix in &t.indexes {
                writeln!(
                    f,
                    "  {ix}{}",
                    if ix.implicit_fk {
                        "  [implicit for a foreign key?]"
                    } else {
                        ""
                    }
                )?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/// PostgreSQL keeps at most 63 bytes of an identifier, cut at a character boundary.
pub fn pg_ident(name: &str) -> String {
    if name.len() <= 63 {
        return name.to_string();
    }
    let mut end = 63;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// A name as the engine stores it.
pub fn ident(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Postgres => pg_ident(name),
        _ => name.to_string(),
    }
}

/// The catalog key of a table: `name`, or `schema.name` for PostgreSQL tables outside `public`.
pub fn table_key(dialect: Dialect, t: &Table) -> String {
    match (dialect, t.schema.as_deref()) {
        (Dialect::Postgres, Some(s)) if s != "public" => {
            format!("{}.{}", pg_ident(s), pg_ident(&t.name))
        }
        _ => ident(dialect, &t.name),
    }
}

// ---------------------------------------------------------------------------------------------
// Expected catalog

fn quote_sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The type the engine's catalog reports for a logical type (`keyed`: the column is part of a
/// key, index or foreign key, which matters for MariaDB's TEXT/BLOB).
pub fn expected_type(
    project: &Project,
    dialect: Dialect,
    ty: &LogicalType,
    keyed: bool,
    rowid_pk: bool,
) -> String {
    use LogicalType as L;
    let enum_of = |id| {
        project
            .enum_type(id)
            .unwrap_or_else(|| panic!("model refers to missing enum #{id}"))
    };
    match dialect {
        Dialect::Postgres => match ty {
            L::TinyInt | L::SmallInt => "smallint".into(),
            L::Integer => "integer".into(),
            L::BigInt => "bigint".into(),
            L::Decimal(Some(p), Some(s)) => format!("numeric({p},{s})"),
            L::Decimal(Some(p), None) => format!("numeric({p},0)"),
            L::Decimal(..) => "numeric".into(),
            L::Real => "real".into(),
            L::Double => "double precision".into(),
            L::Boolean => "boolean".into(),
            L::Text => "text".into(),
            L::Varchar(Some(n)) => format!("character varying({n})"),
            L::Varchar(None) => "character varying".into(),
            L::Char(n) => format!("character({n})"),
            L::Bytes => "bytea".into(),
            L::Date => "date".into(),
            L::Time => "time without time zone".into(),
            L::Timestamp => "timestamp without time zone".into(),
            L::TimestampTz => "timestamp with time zone".into(),
            L::Interval => "interval".into(),
            L::Uuid => "uuid".into(),
            L::Json => "jsonb".into(),
            L::Enum(id) => {
                let e = enum_of(*id);
                match e.schema.as_deref() {
                    Some(s) if s != "public" => format!("{}.{}", pg_ident(s), pg_ident(&e.name)),
                    _ => pg_ident(&e.name),
                }
            }
            L::Array(inner) => {
                // PostgreSQL does not keep array dimensions in the type.
                let mut inner: &LogicalType = inner;
                while let L::Array(i) = inner {
                    inner = i;
                }
                format!(
                    "{}[]",
                    expected_type(project, dialect, inner, keyed, rowid_pk)
                )
            }
            L::Native(s) => s.clone(),
        },
        Dialect::MySql => match ty {
            L::TinyInt => "tinyint".into(),
            L::SmallInt => "smallint".into(),
            L::Integer => "int".into(),
            L::BigInt => "bigint".into(),
            L::Decimal(Some(p), Some(s)) => format!("decimal({p},{s})"),
            L::Decimal(Some(p), None) => format!("decimal({p},0)"),
            L::Decimal(..) => "decimal(65,30)".into(),
            L::Real => "float".into(),
            L::Double => "double".into(),
            L::Boolean => "tinyint(1)".into(),
            L::Text | L::Varchar(None) => {
                if keyed {
                    "varchar(255)".into()
                } else {
                    "text".into()
                }
            }
            L::Varchar(Some(n)) => format!("varchar({n})"),
            L::Char(n) => format!("char({n})"),
            L::Bytes => {
                if keyed {
                    "varbinary(255)".into()
                } else {
                    "longblob".into()
                }
            }
            L::Date => "date".into(),
            L::Time => "time(6)".into(),
            L::Timestamp | L::TimestampTz => "datetime(6)".into(),
            L::Interval => "varchar(64)".into(),
            L::Uuid => "char(36)".into(),
            L::Json | L::Array(_) => "longtext".into(),
            L::Enum(id) => {
                let vals: Vec<String> = enum_of(*id)
                    .values
                    .iter()
                    .map(|v| quote_sql_string(v))
                    .collect();
                format!("enum({})", vals.join(","))
            }
            L::Native(s) => s.clone(),
        },
        Dialect::Sqlite => match ty {
            // AUTOINCREMENT needs exactly `INTEGER PRIMARY KEY`, whatever the integer width.
            t if rowid_pk && t.is_integer() => "INTEGER".into(),
            L::TinyInt => "TINYINT".into(),
            L::SmallInt => "SMALLINT".into(),
            L::Integer => "INTEGER".into(),
            L::BigInt => "BIGINT".into(),
            L::Decimal(Some(p), Some(s)) => format!("NUMERIC({p},{s})"),
            L::Decimal(Some(p), None) => format!("NUMERIC({p})"),
            L::Decimal(..) => "NUMERIC".into(),
            L::Real => "REAL".into(),
            L::Double => "DOUBLE".into(),
            L::Boolean => "BOOLEAN".into(),
            L::Text | L::Varchar(None) => "TEXT".into(),
            L::Varchar(Some(n)) => format!("VARCHAR({n})"),
            L::Char(n) => format!("CHAR({n})"),
            L::Bytes => "BLOB".into(),
            L::Date => "DATE".into(),
            L::Time => "TIME".into(),
            L::Timestamp => "TIMESTAMP".into(),
            L::TimestampTz => "TIMESTAMPTZ".into(),
            L::Interval | L::Json | L::Enum(_) | L::Array(_) => "TEXT".into(),
            L::Uuid => "CHAR(36)".into(),
            L::Native(s) => s.clone(),
        },
        Dialect::SqlServer => panic!("no SQL Server engine in the tests"),
    }
}

fn fk_action(dialect: Dialect, a: FkAction) -> String {
    normalize_action(dialect, a.sql())
}

fn normalize_action(dialect: Dialect, a: &str) -> String {
    let a = a.trim().to_ascii_uppercase();
    if dialect == Dialect::MySql && a == "RESTRICT" {
        "NO ACTION".into()
    } else {
        a
    }
}

/// What `dialect`'s catalog should hold after running the export of `project`.
///
/// Besides the type mapping, a few rules follow from what the engines can express at all
/// (each such object is listed in `Catalog::adjusted`, because the exporter must warn):
/// * MariaDB has no expression indexes and no partial indexes: an index with an expression
///   part is not expected, nor is a partial unique index (without its WHERE it would reject
///   valid rows); a partial non-unique index is expected as a full index.
/// * MariaDB and SQLite have no INCLUDE columns: a non-unique index is expected with them as
///   trailing key columns, a unique one without them.
/// * InnoDB rejects SET DEFAULT foreign key actions: expected as NO ACTION.
/// * SQLite auto-increments only `INTEGER PRIMARY KEY`: an identity integer column that is
///   the whole primary key (and not generated) is expected with type INTEGER.
pub fn expected_catalog(project: &Project, dialect: Dialect) -> Catalog {
    let emulated: std::collections::HashSet<String> = if dialect == Dialect::MySql {
        crowfoot::sql::export(project, dialect)
            .warnings
            .into_iter()
            .filter(|w| w.message.contains("invisible virtual column"))
            .map(|w| w.object)
            .collect()
    } else {
        Default::default()
    };
    let mut cat = Catalog::new(dialect);
    for t in project.tables() {
        let col = |id| ident(dialect, &t.column_name(id));
        let mut keyed: BTreeSet<_> = t.referenced_column_ids().collect();
        for fk in project.foreign_keys_from(t.id) {
            keyed.extend(fk.from_columns.iter().copied());
        }
        for fk in project.foreign_keys_to(t.id) {
            keyed.extend(fk.to_columns.iter().copied());
        }
        let pk_cols = t
            .primary_key
            .as_ref()
            .map(|pk| pk.columns.clone())
            .unwrap_or_default();
        let mut info = TableInfo::default();
        for c in &t.columns {
            let rowid_pk = pk_cols.len() == 1
                && pk_cols[0] == c.id
                && c.identity.is_some()
                && c.generated.is_none();
            let (ty, loose) = match c.type_overrides.get(&dialect) {
                Some(o) => (o.clone(), true),
                None => (
                    expected_type(project, dialect, &c.ty, keyed.contains(&c.id), rowid_pk),
                    matches!(c.ty, LogicalType::Native(_)),
                ),
            };
            info.columns.push(ColumnInfo {
                name: ident(dialect, &c.name),
                ty,
                nullable: c.nullable && !pk_cols.contains(&c.id),
                loose_type: loose,
            });
        }
        info.primary_key = pk_cols.iter().map(|&c| col(c)).collect();
        if !pk_cols.is_empty() {
            info.indexes.push(IndexInfo {
                name: None,
                primary: true,
                unique: true,
                parts: info
                    .primary_key
                    .iter()
                    .map(|c| KeyPart::Column(c.clone()))
                    .collect(),
                partial: false,
                implicit_fk: false,
            });
        }
        for u in &t.uniques {
            info.indexes.push(IndexInfo {
                name: None,
                primary: false,
                unique: true,
                parts: u.columns.iter().map(|&c| KeyPart::Column(col(c))).collect(),
                partial: false,
                implicit_fk: false,
            });
        }
        let no_include = matches!(dialect, Dialect::MySql | Dialect::Sqlite);
        for ix in &t.indexes {
            let obj = format!("{}.{}", t.name, ix.name);
            let has_expr = ix
                .parts
                .iter()
                .any(|p| matches!(p.target, IndexTarget::Expr(_)));
            // MariaDB indexes an expression only through an invisible virtual column, which
            // the export makes when it knows the expression's type (and says so).
            let emulated = has_expr && emulated.contains(&obj);
            if dialect == Dialect::MySql
                && ((has_expr && !emulated) || (ix.unique && ix.where_clause.is_some()))
            {
                cat.adjusted.push(obj);
                continue;
            }
            let mut parts: Vec<KeyPart> = ix
                .parts
                .iter()
                .map(|p| match &p.target {
                    IndexTarget::Column(c) => KeyPart::Column(col(*c)),
                    IndexTarget::Expr(e) => KeyPart::Expr(e.clone()),
                })
                .collect();
            if no_include && !ix.include.is_empty() {
                cat.adjusted.push(obj.clone());
                if !ix.unique {
                    parts.extend(ix.include.iter().map(|&c| KeyPart::Column(col(c))));
                }
            }
            if dialect == Dialect::MySql && ix.where_clause.is_some() {
                cat.adjusted.push(obj.clone());
            }
            info.indexes.push(IndexInfo {
                name: Some(ident(dialect, &ix.name)),
                primary: false,
                unique: ix.unique,
                parts,
                partial: ix.where_clause.is_some() && dialect != Dialect::MySql,
                implicit_fk: false,
            });
        }
        for fk in project.foreign_keys_from(t.id) {
            let to = project
                .table(fk.to_table)
                .expect("foreign key target exists");
            // No referenced columns means the referenced table's primary key.
            let to_cols = if fk.to_columns.is_empty() {
                to.primary_key
                    .as_ref()
                    .map(|pk| pk.columns.clone())
                    .unwrap_or_default()
            } else {
                fk.to_columns.clone()
            };
            let action = |a: FkAction| {
                if dialect == Dialect::MySql && a == FkAction::SetDefault {
                    FkAction::NoAction
                } else {
                    a
                }
            };
            info.foreign_keys.push(ForeignKeyInfo {
                name: fk.name.as_ref().map(|n| ident(dialect, n)),
                columns: fk.from_columns.iter().map(|&c| col(c)).collect(),
                ref_table: table_key(dialect, to),
                ref_columns: to_cols
                    .iter()
                    .map(|&c| ident(dialect, &to.column_name(c)))
                    .collect(),
                on_delete: fk_action(dialect, action(fk.on_delete)),
                on_update: fk_action(dialect, action(fk.on_update)),
            });
        }
        cat.tables.insert(table_key(dialect, t), info);
    }
    cat
}

// ---------------------------------------------------------------------------------------------
// Type normalization

/// Remove the quotes of quoted identifiers (`"My Enum"[]` → `My Enum[]`).
fn pg_unquote(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        while let Some(q) = chars.next() {
            if q == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    out.push('"');
                } else {
                    break;
                }
            } else {
                out.push(q);
            }
        }
    }
    out
}

fn pg_alias(base: &str) -> Option<&'static str> {
    Some(match base {
        "int" | "int4" | "integer" => "integer",
        "int2" | "smallint" => "smallint",
        "int8" | "bigint" => "bigint",
        "bool" | "boolean" => "boolean",
        "float4" | "real" => "real",
        "float8" | "double precision" | "float" => "double precision",
        "varchar" | "character varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "decimal" | "numeric" => "numeric",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "time" | "time without time zone" => "time without time zone",
        _ => return None,
    })
}

/// Canonical spelling of a PostgreSQL type for loose comparison.
fn pg_loose(s: &str) -> String {
    let s = pg_unquote(s).to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = s.find(['(', '[']).unwrap_or(s.len());
    let (base, rest) = s.split_at(cut);
    let base = base.trim();
    let rest = rest.replace(' ', "");
    // `timestamp(3)` is printed `timestamp(3) without time zone`.
    for (short, long) in [
        ("timestamptz", "timestamp with time zone"),
        ("timestamp", "timestamp without time zone"),
        ("timetz", "time with time zone"),
        ("time", "time without time zone"),
    ] {
        if base == short && rest.starts_with('(') {
            let close = rest.find(')').map(|i| i + 1).unwrap_or(rest.len());
            let (prec, tail) = rest.split_at(close);
            let (b, z) = long.split_once(' ').expect("has a space");
            return format!("{b}{prec} {z}{tail}");
        }
    }
    match pg_alias(base) {
        Some(a) => format!("{a}{rest}"),
        None => format!("{base}{rest}"),
    }
}

fn collapse_brackets(s: &str) -> String {
    let mut s = s.to_string();
    while s.contains("[][]") {
        s = s.replace("[][]", "[]");
    }
    s
}

/// Lower-case outside single-quoted strings.
fn lower_outside_quotes(s: &str) -> String {
    let mut out = String::new();
    let mut in_q = false;
    for c in s.chars() {
        if c == '\'' {
            in_q = !in_q;
        }
        if in_q {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// MariaDB COLUMN_TYPE without integer display widths (`int(11)` → `int`, except `tinyint(1)`).
fn mysql_norm(s: &str) -> String {
    let s = lower_outside_quotes(s.trim());
    for base in [
        "tinyint",
        "smallint",
        "mediumint",
        "bigint",
        "int",
        "integer",
    ] {
        if let Some(rest) = s.strip_prefix(base)
            && let Some(inner) = rest.strip_prefix('(')
            && let Some(close) = inner.find(')')
            && inner[..close].chars().all(|c| c.is_ascii_digit())
        {
            if base == "tinyint" && &inner[..close] == "1" {
                return s;
            }
            return format!("{base}{}", &inner[close + 1..]);
        }
    }
    s
}

fn mysql_loose(s: &str) -> String {
    let s = mysql_norm(s);
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = s.find('(').unwrap_or(s.len());
    let (base, rest) = s.split_at(cut);
    let base = match base.trim() {
        "integer" => "int",
        "bool" | "boolean" => return format!("tinyint(1){rest}"),
        "numeric" | "dec" | "fixed" => "decimal",
        "json" => "longtext",
        "real" | "double precision" => "double",
        other => other,
    };
    let rest = rest.replace(' ', "");
    if base == "decimal" && rest.is_empty() {
        return "decimal(10,0)".into();
    }
    format!("{base}{rest}")
}

fn sqlite_norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

fn norm_type(dialect: Dialect, s: &str) -> String {
    match dialect {
        Dialect::Postgres => collapse_brackets(&pg_unquote(s.trim())),
        Dialect::MySql => mysql_norm(s),
        _ => sqlite_norm(s),
    }
}

fn types_match(dialect: Dialect, expected: &ColumnInfo, actual: &str) -> bool {
    if norm_type(dialect, &expected.ty) == norm_type(dialect, actual) {
        return true;
    }
    if !expected.loose_type {
        return false;
    }
    match dialect {
        Dialect::Postgres => pg_loose(&expected.ty) == pg_loose(actual),
        Dialect::MySql => mysql_loose(&expected.ty) == mysql_loose(actual),
        _ => sqlite_norm(&expected.ty) == sqlite_norm(actual),
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison

fn parts_match(expected: &[KeyPart], actual: &[KeyPart]) -> bool {
    expected.len() == actual.len()
        && expected.iter().zip(actual).all(|(e, a)| match (e, a) {
            (KeyPart::Column(x), KeyPart::Column(y)) => x == y,
            (KeyPart::Expr(_), KeyPart::Expr(_)) => true,
            _ => false,
        })
}

fn fmt_parts(p: &[KeyPart]) -> String {
    let v: Vec<String> = p.iter().map(|p| p.to_string()).collect();
    format!("({})", v.join(", "))
}

/// Every difference between the expected and the actual catalog, one line each (empty when
/// they agree).
pub fn diff(expected: &Catalog, actual: &Catalog) -> Vec<String> {
    let d = expected.dialect;
    let mut out = Vec::new();
    for name in expected.tables.keys() {
        if !actual.tables.contains_key(name) {
            out.push(format!("missing table `{name}`"));
        }
    }
    for name in actual.tables.keys() {
        if !expected.tables.contains_key(name) {
            out.push(format!("unexpected table `{name}`"));
        }
    }
    for (name, e) in &expected.tables {
        let Some(a) = actual.tables.get(name) else {
            continue;
        };
        diff_table(d, name, e, a, &mut out);
    }
    out
}

fn diff_table(d: Dialect, t: &str, e: &TableInfo, a: &TableInfo, out: &mut Vec<String>) {
    // Columns: order, then each column present on both sides.
    let en: Vec<String> = e.columns.iter().map(|c| c.name.clone()).collect();
    let an: Vec<String> = a.columns.iter().map(|c| c.name.clone()).collect();
    if en != an {
        out.push(format!(
            "table `{t}`: columns differ:\n      expected [{}]\n      found    [{}]",
            list(&en),
            list(&an)
        ));
    }
    for ec in &e.columns {
        let Some(ac) = a.columns.iter().find(|c| c.name == ec.name) else {
            out.push(format!("table `{t}`: missing column `{}`", ec.name));
            continue;
        };
        if !types_match(d, ec, &ac.ty) {
            out.push(format!(
                "table `{t}`: column `{}`: type expected `{}`, found `{}`",
                ec.name, ec.ty, ac.ty
            ));
        }
        if ec.nullable != ac.nullable {
            let n = |b: bool| if b { "NULL" } else { "NOT NULL" };
            out.push(format!(
                "table `{t}`: column `{}`: expected {}, found {}",
                ec.name,
                n(ec.nullable),
                n(ac.nullable)
            ));
        }
    }
    for ac in &a.columns {
        if !e.columns.iter().any(|c| c.name == ac.name) {
            out.push(format!("table `{t}`: unexpected column `{ac}`"));
        }
    }

    if e.primary_key != a.primary_key {
        out.push(format!(
            "table `{t}`: primary key expected ({}), found ({})",
            list(&e.primary_key),
            list(&a.primary_key)
        ));
    }

    // Foreign keys: pair by columns and target, then compare actions.
    let mut afks: Vec<&ForeignKeyInfo> = a.foreign_keys.iter().collect();
    for efk in &e.foreign_keys {
        let pos = afks.iter().position(|f| {
            f.columns == efk.columns
                && f.ref_table == efk.ref_table
                && f.ref_columns == efk.ref_columns
                && normalize_action(d, &f.on_delete) == efk.on_delete
                && normalize_action(d, &f.on_update) == efk.on_update
        });
        let pos = pos.or_else(|| {
            afks.iter().position(|f| {
                f.columns == efk.columns
                    && f.ref_table == efk.ref_table
                    && f.ref_columns == efk.ref_columns
            })
        });
        match pos {
            Some(i) => {
                let f = afks.remove(i);
                let (del, upd) = (
                    normalize_action(d, &f.on_delete),
                    normalize_action(d, &f.on_update),
                );
                if del != efk.on_delete {
                    out.push(format!(
                        "table `{t}`: foreign key ({}) -> {}: ON DELETE expected {}, found {}",
                        list(&efk.columns),
                        efk.ref_table,
                        efk.on_delete,
                        del
                    ));
                }
                if upd != efk.on_update {
                    out.push(format!(
                        "table `{t}`: foreign key ({}) -> {}: ON UPDATE expected {}, found {}",
                        list(&efk.columns),
                        efk.ref_table,
                        efk.on_update,
                        upd
                    ));
                }
            }
            None => out.push(format!("table `{t}`: missing foreign key {efk}")),
        }
    }
    for f in afks {
        out.push(format!("table `{t}`: unexpected foreign key {f}"));
    }

    // Indexes: named model indexes by name, then primary key and unique constraints by shape.
    let mut aix: Vec<&IndexInfo> = a.indexes.iter().collect();
    for ei in e.indexes.iter().filter(|i| i.name.is_some()) {
        let name = ei.name.as_deref().expect("filtered");
        let Some(i) = aix.iter().position(|x| x.name.as_deref() == Some(name)) else {
            out.push(format!("table `{t}`: missing {ei}"));
            continue;
        };
        let ai = aix.remove(i);
        if ai.primary || ai.unique != ei.unique {
            out.push(format!(
                "table `{t}`: index `{name}`: expected {ei}, found {ai} (uniqueness)"
            ));
        }
        if !parts_match(&ei.parts, &ai.parts) {
            out.push(format!(
                "table `{t}`: index `{name}`: key expected {}, found {}",
                fmt_parts(&ei.parts),
                fmt_parts(&ai.parts)
            ));
        }
        if ei.partial != ai.partial {
            out.push(format!(
                "table `{t}`: index `{name}`: expected {}, found {}",
                if ei.partial { "partial" } else { "not partial" },
                if ai.partial { "partial" } else { "not partial" }
            ));
        }
    }
    for ei in e.indexes.iter().filter(|i| i.name.is_none()) {
        let found = aix.iter().position(|x| {
            x.primary == ei.primary
                && x.unique == ei.unique
                && x.partial == ei.partial
                && parts_match(&ei.parts, &x.parts)
        });
        match found {
            Some(i) => {
                aix.remove(i);
            }
            None if ei.primary => {
                out.push(format!("table `{t}`: no primary key index {ei}"));
            }
            None => out.push(format!(
                "table `{t}`: missing unique constraint {}",
                fmt_parts(&ei.parts)
            )),
        }
    }
    for ai in aix {
        if d == Dialect::MySql && ai.implicit_fk {
            continue;
        }
        out.push(format!("table `{t}`: unexpected {ai}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Readers

fn flag(s: &str) -> bool {
    matches!(s, "t" | "true" | "1" | "YES" | "yes")
}

fn split_list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('\u{1d}').map(str::to_string).collect()
    }
}

const PG_USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

fn pg_key(schema: &str, table: &str) -> String {
    if schema == "public" {
        table.to_string()
    } else {
        format!("{schema}.{table}")
    }
}

fn pg_action(c: &str) -> String {
    match c {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .to_string()
}

/// Read the catalog of a PostgreSQL test database (all user schemas; `public` tables unprefixed).
pub fn read_postgres(db: &TestDb) -> Catalog {
    let mut cat = Catalog::new(Dialect::Postgres);
    for r in db.query(&format!(
        "SELECT n.nspname, c.relname FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND {PG_USER_SCHEMAS} ORDER BY 1, 2"
    )) {
        cat.tables
            .insert(pg_key(&r[0], &r[1]), TableInfo::default());
    }
    for r in db.query(&format!(
        "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), \
                a.attnotnull \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE c.relkind IN ('r', 'p') AND {PG_USER_SCHEMAS} ORDER BY 1, 2, a.attnum"
    )) {
        let t = cat.tables.entry(pg_key(&r[0], &r[1])).or_default();
        t.columns.push(ColumnInfo {
            name: r[2].clone(),
            ty: r[3].clone(),
            nullable: !flag(&r[4]),
            loose_type: false,
        });
    }
    let cols = |arr: &str, rel: &str| {
        format!(
            "array_to_string(ARRAY(SELECT a.attname FROM unnest({arr}) WITH ORDINALITY \
             k(attnum, ord) JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.attnum \
             ORDER BY k.ord), chr(29))"
        )
    };
    for r in db.query(&format!(
        "SELECT n.nspname, c.relname, con.conname, con.contype, {}, \
                coalesce(rn.nspname, ''), coalesce(rc.relname, ''), {}, \
                con.confdeltype, con.confupdtype \
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid \
         LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace \
         WHERE con.contype IN ('p', 'f') AND c.relkind IN ('r', 'p') AND {PG_USER_SCHEMAS} \
         ORDER BY 1, 2, 3",
        cols("con.conkey", "con.conrelid"),
        cols("con.confkey", "con.confrelid"),
    )) {
        let t = cat.tables.entry(pg_key(&r[0], &r[1])).or_default();
        match r[3].as_str() {
            "p" => t.primary_key = split_list(&r[4]),
            _ => t.foreign_keys.push(ForeignKeyInfo {
                name: Some(r[2].clone()),
                columns: split_list(&r[4]),
                ref_table: pg_key(&r[5], &r[6]),
                ref_columns: split_list(&r[7]),
                on_delete: pg_action(&r[8]),
                on_update: pg_action(&r[9]),
            }),
        }
    }
    let mut current: Option<(String, String)> = None;
    for r in db.query(&format!(
        "SELECT n.nspname, c.relname, i.relname, x.indisunique, x.indisprimary, \
                x.indpred IS NOT NULL, k.ord, \
                CASE WHEN k.attnum = 0 THEN 'e' ELSE 'c' END, \
                CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true) \
                     ELSE a.attname END \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class c ON c.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord) \
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
         WHERE k.ord <= x.indnkeyatts AND c.relkind IN ('r', 'p') AND {PG_USER_SCHEMAS} \
         ORDER BY 1, 2, 3, 7"
    )) {
        let key = pg_key(&r[0], &r[1]);
        let t = cat.tables.entry(key.clone()).or_default();
        let part = if r[7] == "e" {
            KeyPart::Expr(r[8].clone())
        } else {
            KeyPart::Column(r[8].clone())
        };
        let this = (key, r[2].clone());
        if current.as_ref() != Some(&this) {
            t.indexes.push(IndexInfo {
                name: Some(r[2].clone()),
                primary: flag(&r[4]),
                unique: flag(&r[3]),
                parts: Vec::new(),
                partial: flag(&r[5]),
                implicit_fk: false,
            });
            current = Some(this);
        }
        t.indexes.last_mut().expect("pushed above").parts.push(part);
    }
    cat
}

/// Read the catalog of a MariaDB test database (the connection's current database).
pub fn read_mariadb(db: &TestDb) -> Catalog {
    let mut cat = Catalog::new(Dialect::MySql);
    for r in db.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    ) {
        cat.tables.insert(r[0].clone(), TableInfo::default());
    }
    // An invisible virtual column is how MariaDB indexes an expression (MySQL 8 builds its
    // functional key parts the same way, hidden): read its key parts as the expression.
    let mut hidden = std::collections::HashMap::new();
    for r in db.query(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, EXTRA, GENERATION_EXPRESSION \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    ) {
        if r[4].contains("VIRTUAL GENERATED") && r[4].contains("INVISIBLE") {
            hidden.insert((r[0].clone(), r[1].clone()), r[5].clone());
            continue;
        }
        if let Some(t) = cat.tables.get_mut(&r[0]) {
            t.columns.push(ColumnInfo {
                name: r[1].clone(),
                ty: r[2].clone(),
                nullable: flag(&r[3]),
                loose_type: false,
            });
        }
    }
    let mut current: Option<(String, String)> = None;
    for r in db.query(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    ) {
        let Some(t) = cat.tables.get_mut(&r[0]) else {
            continue;
        };
        let this = (r[0].clone(), r[1].clone());
        if current.as_ref() != Some(&this) {
            let primary = r[1] == "PRIMARY";
            t.indexes.push(IndexInfo {
                name: Some(r[1].clone()),
                primary,
                unique: r[2] == "0",
                parts: Vec::new(),
                partial: false,
                implicit_fk: false,
            });
            current = Some(this);
        }
        let ix = t.indexes.last_mut().expect("pushed above");
        match hidden.get(&(r[0].clone(), r[4].clone())) {
            Some(e) => ix.parts.push(KeyPart::Expr(e.clone())),
            None => ix.parts.push(KeyPart::Column(r[4].clone())),
        }
        if ix.primary {
            t.primary_key.push(r[4].clone());
        }
    }
    let mut current: Option<(String, String)> = None;
    for r in db.query(
        "SELECT rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE, \
                rc.UPDATE_RULE, k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME \
         FROM information_schema.REFERENTIAL_CONSTRAINTS rc \
         JOIN information_schema.KEY_COLUMN_USAGE k \
           ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME \
          AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL \
         WHERE rc.CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    ) {
        let Some(t) = cat.tables.get_mut(&r[0]) else {
            continue;
        };
        let this = (r[0].clone(), r[1].clone());
        if current.as_ref() != Some(&this) {
            t.foreign_keys.push(ForeignKeyInfo {
                name: Some(r[1].clone()),
                columns: Vec::new(),
                ref_table: r[2].clone(),
                ref_columns: Vec::new(),
                on_delete: r[3].clone(),
                on_update: r[4].clone(),
            });
            current = Some(this);
        }
        let fk = t.foreign_keys.last_mut().expect("pushed above");
        fk.columns.push(r[5].clone());
        fk.ref_columns.push(r[6].clone());
    }
    // InnoDB creates an index for a foreign key that has none; it is named after the
    // constraint (or, for an unnamed constraint, after its first column).
    for t in cat.tables.values_mut() {
        for ix in &mut t.indexes {
            if ix.primary || ix.unique {
                continue;
            }
            ix.implicit_fk = t.foreign_keys.iter().any(|fk| {
                let cols: Vec<KeyPart> = fk.columns.iter().cloned().map(KeyPart::Column).collect();
                ix.parts == cols
                    && (ix.name == fk.name
                        || ix.name.as_deref() == fk.columns.first().map(|s| s.as_str()))
            });
        }
    }
    cat
}

/// Read the catalog of an SQLite database (the `main` schema; `sqlite_%` tables skipped).
pub fn read_sqlite(conn: &rusqlite::Connection) -> Catalog {
    fn rows<T>(
        conn: &rusqlite::Connection,
        sql: &str,
        arg: Option<&str>,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let mut stmt = conn
            .prepare(sql)
            .unwrap_or_else(|e| panic!("SQLite catalog query `{sql}`: {e}"));
        let it = match arg {
            Some(a) => stmt.query_map([a], f),
            None => stmt.query_map([], f),
        };
        it.and_then(|r| r.collect::<rusqlite::Result<Vec<T>>>())
            .unwrap_or_else(|e| panic!("SQLite catalog query `{sql}`: {e}"))
    }
    let mut cat = Catalog::new(Dialect::Sqlite);
    let tables: Vec<String> = rows(
        conn,
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        None,
        |r| r.get(0),
    );
    for name in &tables {
        let mut t = TableInfo::default();
        // hidden: 0 normal, 2/3 generated (virtual/stored); 1 is a virtual table's hidden column.
        let cols: Vec<(String, String, bool, i64)> = rows(
            conn,
            "SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo(?1) \
             WHERE hidden IN (0, 2, 3) ORDER BY cid",
            Some(name),
            |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0, r.get(3)?)),
        );
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (cname, ty, notnull, pkpos) in cols {
            if pkpos > 0 {
                pk.push((pkpos, cname.clone()));
            }
            t.columns.push(ColumnInfo {
                name: cname,
                ty,
                nullable: !notnull,
                loose_type: false,
            });
        }
        pk.sort();
        t.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        let fks: Vec<(i64, String, String, Option<String>, String, String)> = rows(
            conn,
            "SELECT id, \"table\", \"from\", \"to\", on_delete, on_update \
             FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
            Some(name),
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        );
        let mut last_id = None;
        for (id, rt, from, to, del, upd) in fks {
            if last_id != Some(id) {
                t.foreign_keys.push(ForeignKeyInfo {
                    name: None,
                    columns: Vec::new(),
                    ref_table: rt,
                    ref_columns: Vec::new(),
                    on_delete: del,
                    on_update: upd,
                });
                last_id = Some(id);
            }
            let fk = t.foreign_keys.last_mut().expect("pushed above");
            fk.columns.push(from);
            // An empty `to` means the referenced table's primary key; filled in below.
            fk.ref_columns.push(to.unwrap_or_default());
        }
        let idx: Vec<(String, bool, String, bool)> = rows(
            conn,
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
            Some(name),
            |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? != 0,
                    r.get(2)?,
                    r.get::<_, i64>(3)? != 0,
                ))
            },
        );
        for (iname, unique, origin, partial) in idx {
            let parts: Vec<KeyPart> = rows(
                conn,
                "SELECT cid, name FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
                Some(&iname),
                |r| {
                    let cid: i64 = r.get(0)?;
                    let n: Option<String> = r.get(1)?;
                    Ok(match (cid, n) {
                        (-2, _) => KeyPart::Expr("(not reported by SQLite)".into()),
                        (-1, _) => KeyPart::Column("rowid".into()),
                        (_, n) => KeyPart::Column(n.unwrap_or_default()),
                    })
                },
            );
            t.indexes.push(IndexInfo {
                name: Some(iname),
                primary: origin == "pk",
                unique,
                parts,
                partial,
                implicit_fk: false,
            });
        }
        // A rowid primary key (`INTEGER PRIMARY KEY`) has no index of its own.
        if !t.primary_key.is_empty() && !t.indexes.iter().any(|i| i.primary) {
            t.indexes.push(IndexInfo {
                name: None,
                primary: true,
                unique: true,
                parts: t.primary_key.iter().cloned().map(KeyPart::Column).collect(),
                partial: false,
                implicit_fk: false,
            });
        }
        cat.tables.insert(name.clone(), t);
    }
    // Resolve `REFERENCES t` without columns to t's primary key.
    let pks: BTreeMap<String, Vec<String>> = cat
        .tables
        .iter()
        .map(|(n, t)| (n.clone(), t.primary_key.clone()))
        .collect();
    for t in cat.tables.values_mut() {
        for fk in &mut t.foreign_keys {
            if fk.ref_columns.iter().all(|c| c.is_empty())
                && let Some(pk) = pks.get(&fk.ref_table)
            {
                fk.ref_columns = pk.clone();
            }
        }
    }
    cat
}

/// PostgreSQL's sequences other than identity columns', by `schema.name`: type, start, min,
/// max, increment, cycle (`t`/`f`), cache and the owner column (`table.column`, or `-`).
pub fn read_pg_sequences(db: &TestDb) -> BTreeMap<String, Vec<String>> {
    db.query(
        "SELECT s.schemaname || '.' || s.sequencename, s.data_type::text, s.start_value, \
         s.min_value, s.max_value, s.increment_by, s.cycle, s.cache_size, \
         COALESCE((SELECT c.relname || '.' || a.attname FROM pg_depend d \
           JOIN pg_class c ON c.oid = d.refobjid \
           JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
           WHERE d.classid = 'pg_class'::regclass AND d.objid = q.oid AND d.deptype = 'a'), '-') \
         FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname \
         JOIN pg_class q ON q.relname = s.sequencename AND q.relnamespace = n.oid \
         WHERE NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass \
           AND i.objid = q.oid AND i.deptype = 'i')",
    )
    .into_iter()
    .map(|mut r| {
        let k = r.remove(0);
        (k, r)
    })
    .collect()
}
