//! SQL type text → [`LogicalType`]. Anything not understood becomes `Native(original text)`;
//! a mapping that would change the type in the source dialect (widths, `unsigned`, `longtext`,
//! `jsonb`, ...) also returns the original spelling as that dialect's override, so nothing is
//! lost when exporting back to the same engine.

use crate::model::{Dialect, LogicalType as L};

pub struct Mapped {
    pub ty: L,
    /// Original spelling to keep as the source dialect's type override.
    pub override_text: Option<String>,
    /// `serial` / `bigserial`: the column is an identity.
    pub serial: bool,
}

fn num(s: &str) -> Option<u32> {
    s.trim().parse().ok()
}

/// Map a type as written (sqlparser's rendering of it) in `dialect`.
pub fn map_type(text: &str, dialect: Dialect) -> Mapped {
    let trimmed = text.trim();
    // pg_dump may quote a built-in type name (`"text"`, `"char"` is a different type).
    if let Some(inner) = trimmed.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
        && !inner.contains('"')
        && inner != "char"
        && inner.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
    {
        return map_type(inner, dialect);
    }
    let original = trimmed.to_string();
    let lower = original.to_ascii_lowercase();
    if let Some(inner) = lower.strip_suffix("[]") {
        let m = map_type(inner, dialect);
        let ty = match m.ty {
            L::Native(_) => L::Native(original.clone()),
            t => L::Array(Box::new(t)),
        };
        return Mapped {
            ty,
            override_text: m.override_text.map(|_| original),
            serial: false,
        };
    }
    let (base, args, suffix) = match lower.find('(') {
        Some(open) => {
            let close = lower[open..].find(')').map_or(lower.len(), |p| open + p);
            (
                lower[..open].trim().to_string(),
                lower[open + 1..close]
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect::<Vec<_>>(),
                lower.get(close + 1..).unwrap_or("").trim().to_string(),
            )
        }
        None => {
            // MySQL modifiers without a width: `int unsigned`, `bigint unsigned zerofill`.
            let mut base = lower.as_str();
            let mut suffix = Vec::new();
            for m in [" zerofill", " unsigned", " signed"] {
                if let Some(b) = base.strip_suffix(m) {
                    base = b;
                    suffix.insert(0, m.trim());
                }
            }
            (base.to_string(), Vec::new(), suffix.join(" "))
        }
    };
    // Suffixes such as `with time zone` may also come before the parenthesis-less end.
    let (base, tz) = if let Some(b) = base.strip_suffix(" with time zone") {
        (b.to_string(), true)
    } else if let Some(b) = base.strip_suffix(" without time zone") {
        (b.to_string(), false)
    } else if suffix == "with time zone" {
        (base.clone(), true)
    } else {
        (base.clone(), false)
    };
    let suffix_plain =
        suffix.is_empty() || suffix == "with time zone" || suffix == "without time zone";
    let a0 = args.first().and_then(|a| num(a));
    let a1 = args.get(1).and_then(|a| num(a));
    let mut serial = false;
    // (type, lossy in the source dialect)
    let read = crate::sql::dialect::rules(dialect).read_type(&base, &args, a0, tz);
    let (ty, lossy) = if let Some(read) = read {
        read
    } else {
        match base.as_str() {
            "tinyint" | "int1" => (L::TinyInt, false),
            "smallint" | "int2" => (L::SmallInt, false),
            "int" | "integer" | "int4" => (L::Integer, false),
            "bigint" | "int8" => (L::BigInt, false),
            "mediumint" | "int3" => (L::Integer, true),
            "serial" | "serial4" => {
                serial = true;
                (L::Integer, false)
            }
            "bigserial" | "serial8" => {
                serial = true;
                (L::BigInt, false)
            }
            "smallserial" | "serial2" => {
                serial = true;
                (L::SmallInt, false)
            }
            "numeric" | "decimal" | "dec" | "number" => (L::Decimal(a0, a1), false),
            "money" | "smallmoney" => (L::Decimal(Some(19), Some(4)), true),
            "real" | "float4" => (L::Real, false),
            "double precision" | "double" | "float8" => (L::Double, false),
            "float" => match a0 {
                Some(p) if p <= 24 => (L::Real, true),
                Some(_) => (L::Double, true),
                None => (L::Double, false),
            },
            "boolean" | "bool" => (L::Boolean, false),
            "text" => (L::Text, false),
            "tinytext" | "mediumtext" | "longtext" | "ntext" | "clob" | "string" => (L::Text, true),
            "varchar" | "character varying" | "char varying" | "varchar2" => match args.first() {
                Some(a) if a == "max" => (L::Text, true),
                _ => (L::Varchar(a0), false),
            },
            "nvarchar" | "national character varying" | "nvarchar2" => match args.first() {
                Some(a) if a == "max" => (L::Text, true),
                _ => (L::Varchar(a0), true),
            },
            "char" | "character" => (L::Char(a0.unwrap_or(1)), false),
            "nchar" | "national character" => (L::Char(a0.unwrap_or(1)), true),
            "bytea" => (L::Bytes, false),
            "blob" => (L::Bytes, false),
            "binary" | "varbinary" | "longblob" | "mediumblob" | "tinyblob" | "image" => {
                (L::Bytes, true)
            }
            "date" => (L::Date, false),
            "time" if !tz => (L::Time, !args.is_empty()),
            "timestamp" if tz => (L::TimestampTz, !args.is_empty()),
            "timestamptz" => (L::TimestampTz, !args.is_empty()),
            "timestamp" => (L::Timestamp, !args.is_empty()),
            "datetime" | "datetime2" | "smalldatetime" => (L::Timestamp, true),
            "datetimeoffset" => (L::TimestampTz, true),
            "interval" if args.is_empty() && suffix.is_empty() => (L::Interval, false),
            "uuid" => (L::Uuid, false),
            "uniqueidentifier" => (L::Uuid, true),
            "json" => (L::Json, false),
            "jsonb" => (L::Json, true),
            _ => {
                return Mapped {
                    ty: L::Native(original),
                    override_text: None,
                    serial: false,
                };
            }
        }
    };
    // Integer display widths (`int(11)`) mean nothing; other dropped arguments do.
    let dropped_args = !args.is_empty()
        && !matches!(ty, L::Decimal(..) | L::Varchar(_) | L::Char(_))
        && (!ty.is_integer() || base == "tinyint");
    let tinyint_width = base == "tinyint" && !args.is_empty();
    let lossy = lossy || !suffix_plain || dropped_args || tinyint_width;
    Mapped {
        ty,
        override_text: lossy.then_some(original),
        serial,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_types() {
        let pg = |s| map_type(s, Dialect::Postgres).ty;
        assert_eq!(pg("INTEGER"), L::Integer);
        assert_eq!(pg("NUMERIC(10,2)"), L::Decimal(Some(10), Some(2)));
        assert_eq!(pg("CHARACTER VARYING(255)"), L::Varchar(Some(255)));
        assert_eq!(pg("TIMESTAMP WITH TIME ZONE"), L::TimestampTz);
        assert_eq!(pg("TIMESTAMP WITHOUT TIME ZONE"), L::Timestamp);
        assert_eq!(pg("INTEGER[]"), L::Array(Box::new(L::Integer)));
        assert_eq!(pg("tsvector"), L::Native("tsvector".into()));
        let m = map_type("INT(10) UNSIGNED", Dialect::MySql);
        assert_eq!(m.ty, L::Integer);
        assert_eq!(m.override_text.as_deref(), Some("INT(10) UNSIGNED"));
        assert!(map_type("INT(11)", Dialect::MySql).override_text.is_none());
        assert!(map_type("BIGSERIAL", Dialect::Postgres).serial);
        let m = map_type("INT UNSIGNED", Dialect::MySql);
        assert_eq!(m.ty, L::Integer);
        assert_eq!(m.override_text.as_deref(), Some("INT UNSIGNED"));
    }
}
