//! Text syntax of dependencies: `A, B -> C`, `A,B->C,D`, `A ->> B` (MVD); `→` and `↠` are
//! accepted too. Names are separated by commas and trimmed; spaces inside a name are part of it
//! (`order id, customer id -> total`), as are quotes, backslashes, `#`, `%`, `$` and any
//! unicode. A name holding a comma or an arrow, or starting with a quote or with white space,
//! is written quoted: `"a,b"` or `` `a->b` `` (a doubled quote inside: `""`, ``` `` ```).

use super::attrs::{AttrSet, Schema};
use super::fd::{Fd, Mvd};

/// A located syntax error. `column` is 1-based, in characters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

impl ParseError {
    fn at(column: usize, message: impl Into<String>) -> Self {
        ParseError {
            column,
            message: message.into(),
        }
    }

    /// The input with a caret line under the error column, for terminals.
    pub fn pointer(&self, input: &str) -> String {
        format!(
            "  {input}\n  {}^",
            " ".repeat(self.column.saturating_sub(1))
        )
    }
}

/// A name and the column where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub name: String,
    pub column: usize,
}

/// A parsed dependency, names not yet resolved against a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepText {
    pub lhs: Vec<Located>,
    pub rhs: Vec<Located>,
    /// `->>`: a multivalued dependency.
    pub multivalued: bool,
    /// Column of the arrow.
    pub arrow_column: usize,
}

/// A dependency resolved against a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dependency {
    Fd(Fd),
    Mvd(Mvd),
}

/// Characters that end a bare name.
fn ends_bare(c: char) -> bool {
    c == ',' || c == '→' || c == '↠'
}

/// `name` as written in dependency text: bare when it parses back as itself, else quoted.
pub fn quote_name(name: &str) -> String {
    let bare = !name.is_empty()
        && name.trim() == name
        && !name.starts_with(['"', '`'])
        && !name.chars().any(ends_bare)
        && !name.contains("->");
    if bare {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

enum Tok {
    Name(Located),
    Comma,
    Arrow { column: usize, multivalued: bool },
    End,
}

impl Lexer {
    fn new(src: &str) -> Self {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
        }
    }

    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn column(&self) -> usize {
        self.pos + 1
    }

    fn next(&mut self) -> Result<Tok, ParseError> {
        while self.peek(0).is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        let col = self.column();
        let Some(c) = self.peek(0) else {
            return Ok(Tok::End);
        };
        match c {
            ',' => {
                self.pos += 1;
                Ok(Tok::Comma)
            }
            '→' => {
                self.pos += 1;
                Ok(Tok::Arrow {
                    column: col,
                    multivalued: false,
                })
            }
            '↠' => {
                self.pos += 1;
                Ok(Tok::Arrow {
                    column: col,
                    multivalued: true,
                })
            }
            '-' if self.peek(1) == Some('>') => {
                let mv = self.peek(2) == Some('>');
                self.pos += if mv { 3 } else { 2 };
                Ok(Tok::Arrow {
                    column: col,
                    multivalued: mv,
                })
            }
            q @ ('"' | '`') => {
                self.pos += 1;
                let mut name = String::new();
                loop {
                    match self.peek(0) {
                        None => {
                            return Err(ParseError::at(col, "unterminated quoted name"));
                        }
                        Some(ch) if ch == q && self.peek(1) == Some(q) => {
                            name.push(q);
                            self.pos += 2;
                        }
                        Some(ch) if ch == q => {
                            self.pos += 1;
                            break;
                        }
                        Some(ch) => {
                            name.push(ch);
                            self.pos += 1;
                        }
                    }
                }
                if name.is_empty() {
                    return Err(ParseError::at(col, "empty quoted name"));
                }
                Ok(Tok::Name(Located { name, column: col }))
            }
            _ => {
                // Up to a comma or an arrow; inner white space belongs to the name, trailing
                // white space does not.
                let mut name = String::new();
                while let Some(ch) = self.peek(0) {
                    if ends_bare(ch) || (ch == '-' && self.peek(1) == Some('>')) {
                        break;
                    }
                    name.push(ch);
                    self.pos += 1;
                }
                name.truncate(name.trim_end().len());
                Ok(Tok::Name(Located { name, column: col }))
            }
        }
    }
}

/// Parse one side: names separated by commas, ending at an arrow or the end.
fn side(lx: &mut Lexer, what: &str) -> Result<(Vec<Located>, Tok), ParseError> {
    let mut names: Vec<Located> = Vec::new();
    let mut after_comma = None;
    loop {
        match lx.next()? {
            Tok::Name(n) => {
                if after_comma.is_none() && !names.is_empty() {
                    return Err(ParseError::at(
                        n.column,
                        format!(
                            "expected ',' between attribute names in the {what} (quote a name \
                             that starts with a quote: `\"a\"\"b\"`)"
                        ),
                    ));
                }
                names.push(n);
                after_comma = None;
            }
            Tok::Comma => {
                if names.is_empty() || after_comma.is_some() {
                    return Err(ParseError::at(
                        lx.column() - 1,
                        format!("expected an attribute name in the {what} before ','"),
                    ));
                }
                after_comma = Some(());
            }
            t @ (Tok::Arrow { .. } | Tok::End) => {
                if after_comma.is_some() {
                    let at = match &t {
                        Tok::Arrow { column, .. } => *column,
                        _ => lx.column(),
                    };
                    return Err(ParseError::at(
                        at,
                        format!("expected an attribute name in the {what} after ','"),
                    ));
                }
                return Ok((names, t));
            }
        }
    }
}

/// Parse `A, B -> C` / `A ->> B` without resolving names.
pub fn parse_dependency_text(src: &str) -> Result<DepText, ParseError> {
    let mut lx = Lexer::new(src);
    let (lhs, t) = side(&mut lx, "left side")?;
    let (arrow_col, multivalued) = match t {
        Tok::Arrow {
            column,
            multivalued,
        } => (column, multivalued),
        _ => {
            return Err(ParseError::at(
                lx.column(),
                "expected '->' (or '->>' for a multivalued dependency)",
            ));
        }
    };
    if lhs.is_empty() {
        return Err(ParseError::at(
            arrow_col,
            "the left side is empty: expected attribute names before the arrow",
        ));
    }
    let (rhs, t) = side(&mut lx, "right side")?;
    if let Tok::Arrow { column, .. } = t {
        return Err(ParseError::at(column, "a dependency has only one arrow"));
    }
    if rhs.is_empty() {
        return Err(ParseError::at(
            lx.column(),
            "the right side is empty: expected attribute names after the arrow",
        ));
    }
    Ok(DepText {
        lhs,
        rhs,
        multivalued,
        arrow_column: arrow_col,
    })
}

fn resolve(schema: &Schema, names: &[Located]) -> Result<AttrSet, ParseError> {
    let mut s = AttrSet::empty(schema.len());
    for l in names {
        match schema.index_of(&l.name) {
            Some(i) => s.insert(i),
            None => {
                let known = schema
                    .names()
                    .iter()
                    .map(|n| quote_name(n))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(ParseError::at(
                    l.column,
                    format!(
                        "unknown attribute {} (attributes: {known})",
                        quote_name(&l.name)
                    ),
                ));
            }
        }
    }
    Ok(s)
}

/// Parse a dependency and resolve its names against `schema`.
pub fn parse_dependency(schema: &Schema, src: &str) -> Result<Dependency, ParseError> {
    let d = parse_dependency_text(src)?;
    let lhs = resolve(schema, &d.lhs)?;
    let rhs = resolve(schema, &d.rhs)?;
    Ok(if d.multivalued {
        Dependency::Mvd(Mvd::new(lhs, rhs))
    } else {
        Dependency::Fd(Fd::new(lhs, rhs))
    })
}

/// Parse an FD (an MVD is an error here).
pub fn parse_fd(schema: &Schema, src: &str) -> Result<Fd, ParseError> {
    let d = parse_dependency_text(src)?;
    if d.multivalued {
        return Err(ParseError::at(
            d.arrow_column,
            "expected a functional dependency ('->'), found a multivalued one ('->>')",
        ));
    }
    Ok(Fd::new(resolve(schema, &d.lhs)?, resolve(schema, &d.rhs)?))
}

/// Parse an attribute list `A, B, order id, "a,b"` (comma-separated).
pub fn parse_attr_list(src: &str) -> Result<Vec<String>, ParseError> {
    let mut lx = Lexer::new(src);
    let (names, t) = side(&mut lx, "attribute list")?;
    if let Tok::Arrow { column, .. } = t {
        return Err(ParseError::at(
            column,
            "unexpected arrow in an attribute list",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if !seen.insert(n.name.as_str()) {
            return Err(ParseError::at(
                n.column,
                format!("attribute {} is listed twice", quote_name(&n.name)),
            ));
        }
    }
    Ok(names.into_iter().map(|l| l.name).collect())
}
