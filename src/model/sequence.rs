//! Standalone sequences (PostgreSQL `CREATE SEQUENCE`): a named counter that column defaults
//! read with `nextval('name')` and that applications may call by name (`nextval`, `currval`,
//! `setval`). Identity columns own an implicit sequence and are not modelled here.
//!
//! A column uses a sequence through its default text, `nextval('name'::regclass)`, exactly as
//! PostgreSQL shows it; [`nextval_target`] reads the name back and [`nextval_default`] writes it.

use super::ids::*;
use serde::{Deserialize, Serialize};

/// The integer type of a sequence's values (`AS smallint | integer | bigint`).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
pub enum SequenceType {
    #[strum(serialize = "smallint")]
    SmallInt,
    #[strum(serialize = "integer")]
    Integer,
    /// PostgreSQL's default when `AS` is not given.
    #[default]
    #[strum(serialize = "bigint")]
    BigInt,
}

impl SequenceType {
    /// The SQL name (`smallint`, `integer`, `bigint`).
    pub fn sql(self) -> &'static str {
        self.into()
    }

    /// The type of a PostgreSQL type name (`int4`, `INTEGER`, `int8`...), if an integer type.
    pub fn from_sql(name: &str) -> Option<SequenceType> {
        match name.trim().to_ascii_lowercase().as_str() {
            "smallint" | "int2" => Some(SequenceType::SmallInt),
            "integer" | "int" | "int4" => Some(SequenceType::Integer),
            "bigint" | "int8" => Some(SequenceType::BigInt),
            _ => None,
        }
    }

    /// The largest value of the type.
    pub fn max_value(self) -> i64 {
        match self {
            SequenceType::SmallInt => i16::MAX as i64,
            SequenceType::Integer => i32::MAX as i64,
            SequenceType::BigInt => i64::MAX,
        }
    }

    /// The smallest value of the type.
    pub fn min_value(self) -> i64 {
        match self {
            SequenceType::SmallInt => i16::MIN as i64,
            SequenceType::Integer => i32::MIN as i64,
            SequenceType::BigInt => i64::MIN,
        }
    }
}

/// The column a sequence belongs to (`OWNED BY table.column`): dropping the column or its
/// table drops the sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceOwner {
    pub table: TableId,
    pub column: ColumnId,
}

fn one() -> i64 {
    1
}
fn is_one(n: &i64) -> bool {
    *n == 1
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// A sequence. `None` for start, min, max and cache means the engine's default (PostgreSQL:
/// start at min for ascending sequences, 1..type max, cache 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    pub id: SequenceId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default)]
    pub data_type: SequenceType,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub increment: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<SequenceOwner>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Sequence {
    pub fn new(id: SequenceId, name: impl Into<String>) -> Self {
        Sequence {
            id,
            schema: None,
            name: name.into(),
            data_type: SequenceType::default(),
            increment: 1,
            start: None,
            min: None,
            max: None,
            cache: None,
            cycle: false,
            owned_by: None,
            comment: None,
        }
    }

    /// `schema.name`, or `name`.
    pub fn qualified_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// The lowest value, as PostgreSQL computes it when not given.
    pub fn effective_min(&self) -> i64 {
        self.min.unwrap_or(if self.increment > 0 {
            1
        } else {
            self.data_type.min_value()
        })
    }

    /// The highest value, as PostgreSQL computes it when not given.
    pub fn effective_max(&self) -> i64 {
        self.max.unwrap_or(if self.increment > 0 {
            self.data_type.max_value()
        } else {
            -1
        })
    }

    /// The first value, as PostgreSQL computes it when not given.
    pub fn effective_start(&self) -> i64 {
        self.start.unwrap_or(if self.increment > 0 {
            self.effective_min()
        } else {
            self.effective_max()
        })
    }

    /// Why PostgreSQL would refuse this sequence, if it would.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("a sequence needs a name".into());
        }
        if self.increment == 0 {
            return Err(format!(
                "sequence `{}`: INCREMENT must not be zero",
                self.name
            ));
        }
        let (lo, hi) = (self.data_type.min_value(), self.data_type.max_value());
        let ty = self.data_type.sql();
        for (what, v) in [
            ("MINVALUE", self.min),
            ("MAXVALUE", self.max),
            ("START", self.start),
        ] {
            if let Some(v) = v
                && !(lo..=hi).contains(&v)
            {
                return Err(format!(
                    "sequence `{}`: {what} {v} is out of range for {ty}",
                    self.name
                ));
            }
        }
        let (min, max, start) = (
            self.effective_min(),
            self.effective_max(),
            self.effective_start(),
        );
        if min >= max {
            return Err(format!(
                "sequence `{}`: MINVALUE ({min}) must be less than MAXVALUE ({max})",
                self.name
            ));
        }
        if !(min..=max).contains(&start) {
            return Err(format!(
                "sequence `{}`: START {start} is outside {min}..{max}",
                self.name
            ));
        }
        if self.cache.is_some_and(|c| c < 1) {
            return Err(format!(
                "sequence `{}`: CACHE must be at least 1",
                self.name
            ));
        }
        Ok(())
    }
}

/// One line about `s`: its type and options that differ from the defaults, its owner and the
/// columns whose default reads it (`bigint, increment 5, cycle; owned by t.id; feeds t.id`).
pub fn describe(p: &super::Project, s: &Sequence) -> String {
    let mut opts = vec![s.data_type.sql().to_string()];
    if s.increment != 1 {
        opts.push(format!("increment {}", s.increment));
    }
    for (what, v) in [
        ("start", s.start),
        ("min", s.min),
        ("max", s.max),
        ("cache", s.cache),
    ] {
        if let Some(v) = v {
            opts.push(format!("{what} {v}"));
        }
    }
    if s.cycle {
        opts.push("cycle".into());
    }
    let mut out = opts.join(", ");
    if let Some(o) = s.owned_by
        && let Some(t) = p.table(o.table)
    {
        out.push_str(&format!(
            "; owned by {}.{}",
            t.name,
            t.column_name(o.column)
        ));
    }
    let users: Vec<String> = p
        .columns_using_sequence(s.id)
        .iter()
        .map(|(t, c)| format!("{}.{}", t.name, c.name))
        .collect();
    if users.is_empty() {
        out.push_str("; no column default reads it");
    } else {
        out.push_str(&format!("; feeds {}", users.join(", ")));
    }
    out
}

/// The sequence a `nextval(...)` default reads: (schema, name) as PostgreSQL resolves the
/// text (unquoted parts folded to lower case, `""` undoubled). Accepts `nextval('s')`,
/// `nextval('public.s'::regclass)`, `nextval(('s'::text)::regclass)`, `"nextval"(...)` and
/// `pg_catalog.nextval(...)`. `None` when the default is anything else.
pub fn nextval_target(default: &str) -> Option<(Option<String>, String)> {
    let d = default.trim();
    let lower = d.to_ascii_lowercase();
    let rest = ["pg_catalog.nextval(", "\"nextval\"(", "nextval("]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &d[p.len()..]))?;
    // The string literal (possibly inside parentheses and casts).
    let start = rest.find('\'')?;
    let body = &rest[start + 1..];
    let mut lit = String::new();
    let mut chars = body.char_indices().peekable();
    let mut end = None;
    while let Some((i, ch)) = chars.next() {
        if ch == '\'' {
            if chars.peek().is_some_and(|(_, c)| *c == '\'') {
                chars.next();
                lit.push('\'');
                continue;
            }
            end = Some(i);
            break;
        }
        lit.push(ch);
    }
    let end = end?;
    // After the literal only casts and closing parentheses may follow.
    // (Type names may be quoted: pg_dump with --quote-all-identifiers writes `::"regclass"`.)
    let tail: String = body[end + 1..]
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect::<String>()
        .to_ascii_lowercase();
    let tail = tail
        .replace("::regclass", "")
        .replace("::text", "")
        .replace("::character varying", "")
        .replace("::varchar", "");
    if !tail.chars().all(|c| c == ')') || tail.is_empty() {
        return None;
    }
    let mut parts = split_name(&lit)?;
    let name = parts.pop()?;
    let schema = parts.pop();
    if !parts.is_empty() {
        return None;
    }
    Some((schema.filter(|s| s != "public"), name))
}

/// A PostgreSQL qualified name split into its parts (quoted parts kept, others lower-cased).
fn split_name(s: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.trim().chars().peekable();
    let mut quoted_part = false;
    while let Some(ch) = chars.next() {
        match ch {
            '"' => {
                quoted_part = true;
                loop {
                    match chars.next()? {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            cur.push('"');
                        }
                        '"' => break,
                        c => cur.push(c),
                    }
                }
            }
            '.' => {
                if cur.is_empty() {
                    return None;
                }
                parts.push(std::mem::take(&mut cur));
                quoted_part = false;
            }
            c if quoted_part => {
                // Text after a closing quote within the same part: not a valid name.
                let _ = c;
                return None;
            }
            c => cur.extend(c.to_lowercase()),
        }
    }
    if cur.is_empty() {
        return None;
    }
    parts.push(cur);
    Some(parts)
}

/// A name as PostgreSQL's `quote_ident` writes it inside a regclass literal.
fn pg_name(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The default that takes the next value of sequence `schema.name`, as PostgreSQL shows it:
/// `nextval('name'::regclass)`.
pub fn nextval_default(schema: Option<&str>, name: &str) -> String {
    let qualified = match schema {
        Some(s) => format!("{}.{}", pg_name(s), pg_name(name)),
        None => pg_name(name),
    };
    format!("nextval('{}'::regclass)", qualified.replace('\'', "''"))
}

/// `default` written in the canonical form of [`nextval_default`] when it reads a sequence
/// (so `nextval(('s'::text)::regclass)` and `nextval('public.s')` compare equal).
pub fn canonical_nextval(default: &str) -> Option<String> {
    let (schema, name) = nextval_target(default)?;
    Some(nextval_default(schema.as_deref(), &name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_nextval_form() {
        let s = |x: Option<&str>, n: &str| Some((x.map(String::from), n.to_string()));
        assert_eq!(
            nextval_target("nextval('t_seq'::regclass)"),
            s(None, "t_seq")
        );
        assert_eq!(
            nextval_target("nextval('public.t_seq'::regclass)"),
            s(None, "t_seq")
        );
        assert_eq!(
            nextval_target("nextval(('t_seq'::text)::regclass)"),
            s(None, "t_seq")
        );
        assert_eq!(nextval_target("NEXTVAL('T_Seq')"), s(None, "t_seq"));
        assert_eq!(
            nextval_target("\"nextval\"('\"public\".\"a_seq\"'::\"regclass\")"),
            s(None, "a_seq")
        );
        assert_eq!(
            nextval_target("pg_catalog.nextval('app.\"My Seq\"'::regclass)"),
            s(Some("app"), "My Seq")
        );
        assert_eq!(
            nextval_target("nextval('\"o''clock \"\"seq\"\"\"'::regclass)"),
            s(None, "o'clock \"seq\"")
        );
        assert_eq!(nextval_target("nextval('s') + 1"), None);
        assert_eq!(nextval_target("currval('s')"), None);
        assert_eq!(nextval_target("0"), None);
    }

    #[test]
    fn writes_what_it_reads() {
        for (schema, name) in [
            (None, "t_seq"),
            (Some("app"), "My Seq"),
            (None, "o'clock \"seq\""),
            (Some("Схема"), "🚚 seq"),
        ] {
            let d = nextval_default(schema, name);
            assert_eq!(
                nextval_target(&d),
                Some((schema.map(String::from), name.to_string())),
                "{d}"
            );
        }
        assert_eq!(nextval_default(None, "t_seq"), "nextval('t_seq'::regclass)");
        assert_eq!(
            canonical_nextval("nextval(('public.t_seq'::text)::regclass)").as_deref(),
            Some("nextval('t_seq'::regclass)")
        );
    }

    #[test]
    fn validation_follows_postgresql() {
        let mut s = Sequence::new(SequenceId(1), "s");
        assert!(s.validate().is_ok());
        s.increment = 0;
        assert!(s.validate().is_err());
        s.increment = -1;
        assert_eq!(s.effective_start(), -1);
        assert!(s.validate().is_ok());
        s.increment = 1;
        s.data_type = SequenceType::SmallInt;
        s.max = Some(40_000);
        assert!(s.validate().unwrap_err().contains("out of range"));
        s.max = Some(10);
        s.start = Some(11);
        assert!(s.validate().unwrap_err().contains("outside"));
        s.start = Some(10);
        s.cache = Some(0);
        assert!(s.validate().is_err());
    }
}
