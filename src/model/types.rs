//! Logical column types shared by the four dialects, plus a raw native-type escape hatch.

use super::ids::EnumId;
use serde::{Deserialize, Serialize};

/// A SQL dialect Crowfoot can render to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dialect {
    Postgres,
    MySql,
    Sqlite,
    SqlServer,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [
        Dialect::Postgres,
        Dialect::MySql,
        Dialect::Sqlite,
        Dialect::SqlServer,
    ];

    /// Short name used on the command line.
    pub fn cli_name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
            Dialect::Sqlite => "sqlite",
            Dialect::SqlServer => "sqlserver",
        }
    }

    /// Human name.
    pub fn display_name(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::MySql => "MySQL/MariaDB",
            Dialect::Sqlite => "SQLite",
            Dialect::SqlServer => "SQL Server",
        }
    }

    /// Longest identifier the dialect accepts (in bytes for PostgreSQL, characters elsewhere);
    /// `None` when there is no practical limit (SQLite).
    pub fn max_identifier_len(self) -> Option<usize> {
        match self {
            Dialect::Postgres => Some(63),
            Dialect::MySql => Some(64),
            Dialect::SqlServer => Some(128),
            Dialect::Sqlite => None,
        }
    }

    /// Length of `name` as the dialect counts it for `max_identifier_len`.
    pub fn identifier_len(self, name: &str) -> usize {
        match self {
            Dialect::Postgres => name.len(),
            _ => name.chars().count(),
        }
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "mysql" | "mariadb" => Ok(Dialect::MySql),
            "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
            "sqlserver" | "mssql" | "tsql" => Ok(Dialect::SqlServer),
            other => Err(format!(
                "unknown dialect `{other}` (expected postgres, mysql, sqlite or sqlserver)"
            )),
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// A column type expressed once for all dialects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LogicalType {
    /// 8-bit integer where the dialect has one, else the smallest integer type.
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    /// Exact numeric. `Decimal(None, None)` is unconstrained where the dialect allows it.
    Decimal(Option<u32>, Option<u32>),
    /// 4-byte floating point.
    Real,
    /// 8-byte floating point.
    Double,
    Boolean,
    /// Unbounded text.
    Text,
    /// Variable-length text with an optional maximum length in characters.
    Varchar(Option<u32>),
    /// Fixed-length text.
    Char(u32),
    /// Binary data.
    Bytes,
    Date,
    Time,
    /// Timestamp without time zone.
    Timestamp,
    /// Timestamp with time zone.
    TimestampTz,
    Interval,
    Uuid,
    Json,
    /// A value of one of the project's enum types.
    Enum(EnumId),
    /// Array of another type (PostgreSQL natively; JSON text elsewhere).
    Array(Box<LogicalType>),
    /// A dialect-specific type written verbatim, e.g. `tsvector` or `geometry(Point,4326)`.
    Native(String),
}

impl LogicalType {
    /// True for the integer family (used for FK type compatibility and identity columns).
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            LogicalType::TinyInt
                | LogicalType::SmallInt
                | LogicalType::Integer
                | LogicalType::BigInt
        )
    }

    /// Short, dialect-neutral text for diagnostics and the canvas.
    pub fn describe(&self) -> String {
        match self {
            LogicalType::TinyInt => "tinyint".into(),
            LogicalType::SmallInt => "smallint".into(),
            LogicalType::Integer => "integer".into(),
            LogicalType::BigInt => "bigint".into(),
            LogicalType::Decimal(Some(p), Some(s)) => format!("decimal({p},{s})"),
            LogicalType::Decimal(Some(p), None) => format!("decimal({p})"),
            LogicalType::Decimal(..) => "decimal".into(),
            LogicalType::Real => "real".into(),
            LogicalType::Double => "double".into(),
            LogicalType::Boolean => "boolean".into(),
            LogicalType::Text => "text".into(),
            LogicalType::Varchar(Some(n)) => format!("varchar({n})"),
            LogicalType::Varchar(None) => "varchar".into(),
            LogicalType::Char(n) => format!("char({n})"),
            LogicalType::Bytes => "bytes".into(),
            LogicalType::Date => "date".into(),
            LogicalType::Time => "time".into(),
            LogicalType::Timestamp => "timestamp".into(),
            LogicalType::TimestampTz => "timestamptz".into(),
            LogicalType::Interval => "interval".into(),
            LogicalType::Uuid => "uuid".into(),
            LogicalType::Json => "json".into(),
            LogicalType::Enum(id) => format!("enum#{id}"),
            LogicalType::Array(inner) => format!("{}[]", inner.describe()),
            LogicalType::Native(s) => s.clone(),
        }
    }
}
