//! What a statement is, from its first words: noise, an object the model does not hold, its name.

use super::*;

pub(super) fn head_of(text: &str) -> String {
    let words = split::head_words(text, 4);
    let mut h = words.join(" ");
    if h.len() > 60 {
        h.truncate(floor_boundary(&h, 60));
    }
    h
}

pub(super) fn action(a: &Option<ReferentialAction>) -> FkAction {
    match a {
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

pub(super) fn deferrable(c: &Option<ast::ConstraintCharacteristics>) -> Deferrable {
    match c {
        Some(c) if c.deferrable == Some(true) => match c.initially {
            Some(ast::DeferrableInitial::Deferred) => Deferrable::InitiallyDeferred,
            _ => Deferrable::InitiallyImmediate,
        },
        _ => Deferrable::NotDeferrable,
    }
}

/// Statements that are dump noise, by their leading words.
pub(super) fn noise(head: &[String]) -> Option<&'static str> {
    let w = |i: usize| head.get(i).map(String::as_str).unwrap_or("");
    Some(match w(0) {
        "SET" | "RESET" => "session setting",
        "GRANT" | "REVOKE" | "DENY" => "privileges",
        "LOCK" | "UNLOCK" => "table locks",
        "INSERT" | "REPLACE" | "COPY" | "UPDATE" | "DELETE" | "MERGE" | "TRUNCATE" => "data",
        "BEGIN" | "COMMIT" | "START" | "ROLLBACK" | "END" | "SAVEPOINT" => "transaction control",
        "USE" | "CONNECT" => "database switch",
        "DROP" => "drop statement",
        "SELECT" | "VALUES" | "WITH" => "query",
        "ANALYZE" | "VACUUM" | "FLUSH" | "OPTIMIZE" | "CHECKPOINT" | "REINDEX" | "CLUSTER" => {
            "maintenance"
        }
        "PRAGMA" => "SQLite pragma",
        "PRINT" | "EXEC" | "EXECUTE" | "DECLARE" | "IF" | "RAISERROR" | "WHILE" => {
            "procedural batch statement"
        }
        "SOURCE" | "CALL" | "DO" | "PREPARE" | "DEALLOCATE" => "script command",
        "CREATE" if matches!(w(1), "DATABASE") => "database creation",
        "ALTER" if matches!(w(1), "DATABASE") => "database setting",
        "ALTER" if head.iter().any(|x| x == "OWNER") => "ownership",
        "CREATE" if matches!(w(1), "ROLE" | "USER" | "LOGIN") => "role",
        "ALTER" if matches!(w(1), "ROLE" | "USER" | "LOGIN" | "DEFAULT") => "role",
        s if s.starts_with(':') || s.starts_with('\\') => "client command",
        _ => return None,
    })
}

/// Why an unmodelled statement is not kept verbatim (`None`: kept as extra SQL).
pub(super) fn not_kept(kind: &str) -> Option<&'static str> {
    match kind {
        "partition" => Some("partition functions and schemes are not modelled"),
        "index" => Some("index settings are not modelled"),
        "tablespace" => Some("tablespaces are not modelled (they name server paths)"),
        "default" => Some("default privileges are not modelled"),
        _ => None,
    }
}

/// Schema objects the model does not hold (their kind, lower case): kept as extra SQL or
/// reported as skipped, without parsing.
pub(super) fn unmodelled(head: &[String]) -> Option<String> {
    let w = |i: usize| head.get(i).map(String::as_str).unwrap_or("");
    let (verb, mut rest) = (w(0), 1);
    if !matches!(verb, "CREATE" | "ALTER") {
        return None;
    }
    while matches!(
        w(rest),
        "OR" | "REPLACE"
            | "TEMP"
            | "TEMPORARY"
            | "UNIQUE"
            | "DEFINER"
            | "ALGORITHM"
            | "CONSTRAINT"
            | "TRUSTED"
            | "PROCEDURAL"
            | "AGGREGATE"
    ) || w(rest).starts_with("DEFINER=")
        || w(rest).starts_with("ALGORITHM=")
    {
        if w(rest) == "AGGREGATE" {
            return Some("aggregate".into());
        }
        rest += 1;
    }
    let kind = w(rest);
    let what = match kind {
        "FUNCTION" | "PROCEDURE" | "PROC" | "TRIGGER" | "SEQUENCE" | "POLICY" | "EXTENSION"
        | "COLLATION" | "OPERATOR" | "RULE" | "EVENT" | "TEXT" | "CAST" | "CONVERSION"
        | "LANGUAGE" | "PUBLICATION" | "SUBSCRIPTION" | "SERVER" | "STATISTICS" | "ASSEMBLY"
        | "SYNONYM" | "XML" | "FULLTEXT" | "PARTITION" | "TABLESPACE" | "ACCESS" | "FOREIGN"
        | "MESSAGE" | "QUEUE" | "SERVICE" | "CONTRACT" | "DEFAULT" => kind.to_ascii_lowercase(),
        "INDEX" if verb == "ALTER" => "index".into(),
        "VIEW" | "MATERIALIZED" if verb == "ALTER" => "view".into(),
        "TYPE" if verb == "ALTER" => "type".into(),
        "DOMAIN" if verb == "ALTER" => "domain".into(),
        "SCHEMA" if verb == "ALTER" => "schema".into(),
        _ => return None,
    };
    Some(match what.as_str() {
        "text" => "text search".to_string(),
        "foreign" => "foreign data wrapper".to_string(),
        "proc" => "procedure".to_string(),
        _ => what,
    })
}

/// The name of the object a statement defines: the word after its kind keyword
/// (`CREATE OR REPLACE FUNCTION public.f(...)` → `public.f`), for messages.
pub(super) fn object_name_after(sql: &str, kind: &str) -> Option<String> {
    let cleaned = split::strip_comments(sql);
    let last_kind_word = kind.split_whitespace().last()?.to_ascii_uppercase();
    let words: Vec<&str> = cleaned
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(16)
        .collect();
    let at = words.iter().position(|w| {
        let u = w.to_ascii_uppercase();
        u == last_kind_word || (last_kind_word == "PROCEDURE" && u == "PROC")
    })?;
    words[at + 1..]
        .iter()
        .find(|w| {
            !matches!(
                w.to_ascii_uppercase().as_str(),
                "IF" | "NOT"
                    | "EXISTS"
                    | "SEARCH"
                    | "CONFIGURATION"
                    | "DICTIONARY"
                    | "PARSER"
                    | "TEMPLATE"
                    | "DATA"
                    | "WRAPPER"
            )
        })
        .map(|w| w.trim_end_matches([';', ',']).to_string())
}
