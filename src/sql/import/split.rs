//! Split a SQL script into statements without parsing them: quotes, comments, PostgreSQL
//! dollar-quoted bodies, MySQL `DELIMITER` blocks, SQL Server `GO` lines, psql meta-commands
//! and trigger bodies (`BEGIN ... END`) are respected, so one bad statement never takes the
//! rest of the file with it. Every chunk remembers where it starts (1-based line and column).

#[derive(Clone, Copy, Debug, Default)]
pub struct SplitOptions {
    /// `[name]` is a quoted identifier (SQL Server, SQLite).
    pub brackets: bool,
    /// `#` starts a comment and `\` escapes inside strings (MySQL).
    pub mysql: bool,
    /// `$tag$ ... $tag$` strings (PostgreSQL).
    pub dollar: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub text: String,
    /// Byte offset of the first significant character in the whole script.
    pub offset: usize,
    pub line: usize,
    pub col: usize,
    /// A psql meta-command (`\set`, `\c`) or a `DELIMITER` line.
    pub meta: bool,
}

/// 1-based line and column (in characters) of a byte offset.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text.get(start..end).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The byte offset just after a quoted run that starts at `i` (which holds `close`'s opener).
fn skip_quoted(b: &[u8], i: usize, close: u8, backslash: bool) -> usize {
    skip_quoted_closed(b, i, close, backslash).0
}

/// [`skip_quoted`], and whether the run was closed (`false`: it runs to the end of the text).
fn skip_quoted_closed(b: &[u8], i: usize, close: u8, backslash: bool) -> (usize, bool) {
    match crate::model::sql_text::quoted_end(b, i, close, backslash) {
        Some(end) => (end, true),
        None => (b.len(), false),
    }
}

/// A string, quoted name, comment or dollar-quoted body opened and never closed: it runs to
/// the end of the script, taking every statement after it along.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unterminated {
    /// `string`, `quoted name`, `comment`, `dollar-quoted body $tag$`.
    pub what: String,
    /// Byte offset of the opener.
    pub offset: usize,
    pub line: usize,
    pub col: usize,
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

/// Is the line starting at `i` a `GO` batch separator (optionally `GO 5`)?
fn is_go_line(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let end = line_end(b, i);
    let line = text.get(i..end)?.trim();
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if !first.eq_ignore_ascii_case("go") {
        return None;
    }
    match words.next() {
        None => Some(end),
        Some(n) if n.chars().all(|c| c.is_ascii_digit()) && words.next().is_none() => Some(end),
        _ => None,
    }
}

/// Upper-cased leading words of a statement (comments skipped), at most `n`.
pub fn head_words(text: &str, n: usize) -> Vec<String> {
    let cleaned = strip_comments(text);
    cleaned
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';' || c == ',')
        .filter(|w| !w.is_empty())
        .take(n)
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

/// The text with `--`, `#`-less and `/* */` comments blanked (quotes respected); MySQL
/// conditional comments (`/*!40101 ... */`) keep their content.
pub fn strip_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' | b'`' => i = skip_quoted(b, i, b[i], false),
            b'-' if b.get(i + 1) == Some(&b'-') => {
                out.push_str(&text[last..i]);
                out.push(' ');
                i = line_end(b, i);
                last = i;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                out.push_str(&text[last..i]);
                let end = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                if b.get(i + 2) == Some(&b'!') {
                    let inner = &text[(i + 3).min(end)..end.saturating_sub(2).max(i + 3)];
                    let inner = inner.trim_start_matches(|c: char| c.is_ascii_digit());
                    out.push(' ');
                    out.push_str(inner);
                }
                out.push(' ');
                i = end;
                last = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[last.min(text.len())..]);
    out
}

/// Split `text` into statements.
pub fn split(text: &str, opts: SplitOptions) -> Vec<Chunk> {
    split_checked(text, opts).0
}

/// [`split`], and the first string, name, comment or body left open at the end of the text.
pub fn split_checked(text: &str, opts: SplitOptions) -> (Vec<Chunk>, Option<Unterminated>) {
    let b = text.as_bytes();
    let mut open: Option<(String, usize)> = None;
    let mut unclosed = |what: &str, at: usize| {
        if open.is_none() {
            open = Some((what.to_string(), at));
        }
    };
    let lines = LineIndex::new(text);
    let mut chunks = Vec::new();
    let mut delimiter = ";".to_string();
    let mut start: Option<usize> = None;
    // BEGIN/CASE ... END nesting inside CREATE TRIGGER (only with the `;` delimiter).
    let mut depth: i32 = 0;
    let mut trigger: Option<bool> = None;
    let mut i = 0;
    let mut at_line_start = true;
    let push = |chunks: &mut Vec<Chunk>, s: usize, e: usize, meta: bool| {
        let body = text[s..e].trim_end();
        if !body.is_empty() {
            let (line, col) = lines.locate(text, s);
            chunks.push(Chunk {
                text: body.to_string(),
                offset: s,
                line,
                col,
                meta,
            });
        }
    };
    while i < b.len() {
        let c = b[i];
        if at_line_start {
            // `GO` ends a batch wherever we are (outside quotes).
            let ws = b[i..]
                .iter()
                .position(|&x| x != b' ' && x != b'\t')
                .map_or(b.len(), |p| i + p);
            if let Some(end) = is_go_line(text, ws) {
                if let Some(s) = start.take() {
                    push(&mut chunks, s, i, false);
                }
                depth = 0;
                trigger = None;
                i = end;
                continue;
            }
            if start.is_none() {
                let rest = &text[ws..line_end(b, ws)];
                if rest.len() >= 10 && rest.as_bytes()[..10].eq_ignore_ascii_case(b"delimiter ") {
                    let d = rest[10..].trim();
                    // The mysql client sends what follows as one multi-statement batch when
                    // the new delimiter never comes: the server then splits it on `;`.
                    let used = text[ws + rest.len()..].contains(d);
                    if !d.is_empty() && used {
                        delimiter = d.to_string();
                    }
                    push(&mut chunks, ws, ws + rest.len(), true);
                    i = ws + rest.len();
                    continue;
                }
                if rest.starts_with('\\') {
                    push(&mut chunks, ws, ws + rest.len(), true);
                    i = ws + rest.len();
                    continue;
                }
            }
            at_line_start = false;
        }
        if c == b'\n' {
            at_line_start = true;
            i += 1;
            continue;
        }
        if start.is_none() {
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if c == b'-' && b.get(i + 1) == Some(&b'-') || opts.mysql && c == b'#' {
                i = line_end(b, i);
                continue;
            }
            if c == b'/' && b.get(i + 1) == Some(&b'*') && b.get(i + 2) != Some(&b'!') {
                i = match text[i + 2..].find("*/") {
                    Some(p) => i + 2 + p + 2,
                    None => {
                        unclosed("comment", i);
                        b.len()
                    }
                };
                continue;
            }
            if b[i..].starts_with(delimiter.as_bytes()) {
                i += delimiter.len();
                continue;
            }
            start = Some(i);
            depth = 0;
            trigger = None;
        }
        let s = start.expect("set above");
        if b[i..].starts_with(delimiter.as_bytes()) && depth <= 0 {
            push(&mut chunks, s, i, false);
            start = None;
            i += delimiter.len();
            continue;
        }
        match c {
            b'\'' | b'"' | b'`' | b'[' if c != b'[' || opts.brackets => {
                let (close, backslash, what) = match c {
                    b'\'' => (b'\'', opts.mysql, "string"),
                    b'"' => (b'"', opts.mysql, "quoted name"),
                    b'`' => (b'`', false, "quoted name"),
                    _ => (b']', false, "bracketed name"),
                };
                let (end, closed) = skip_quoted_closed(b, i, close, backslash);
                if !closed {
                    unclosed(what, i);
                }
                i = end;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => i = line_end(b, i),
            b'#' if opts.mysql => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = match text[i + 2..].find("*/") {
                    Some(p) => i + 2 + p + 2,
                    None => {
                        unclosed("comment", i);
                        b.len()
                    }
                }
            }
            b'$' if opts.dollar && (i == 0 || !is_ident_byte(b[i - 1])) => {
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_'))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(t)
                        if b[t] == b'$' && !b[i + 1..t].first().is_some_and(u8::is_ascii_digit) =>
                    {
                        let tag = &text[i..=t];
                        i = match text[t + 1..].find(tag) {
                            Some(p) => t + 1 + p + tag.len(),
                            None => {
                                unclosed(&format!("dollar-quoted body {tag}"), i);
                                b.len()
                            }
                        };
                    }
                    _ => i += 1,
                }
            }
            c if c.is_ascii_alphabetic() && (i == 0 || !is_ident_byte(b[i - 1])) => {
                let end = b[i..]
                    .iter()
                    .position(|&x| !is_ident_byte(x))
                    .map_or(b.len(), |p| i + p);
                let word = &text[i..end];
                if trigger.is_none() {
                    let head = head_words(&text[s..end], 4);
                    if head.first().is_some_and(|w| w == "CREATE")
                        && head.iter().any(|w| w == "TRIGGER")
                    {
                        trigger = Some(true);
                    } else if head.len() >= 4 || head.first().is_some_and(|w| w != "CREATE") {
                        trigger = Some(false);
                    }
                }
                if trigger == Some(true) && delimiter == ";" {
                    if word.eq_ignore_ascii_case("begin") || word.eq_ignore_ascii_case("case") {
                        depth += 1;
                    } else if word.eq_ignore_ascii_case("end") {
                        depth -= 1;
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    if let Some(s) = start {
        push(&mut chunks, s, b.len(), false);
    }
    let open = open.map(|(what, offset)| {
        let (line, col) = lines.locate(text, offset);
        Unterminated {
            what,
            offset,
            line,
            col,
        }
    });
    (chunks, open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_respecting_quotes_and_blocks() {
        let sql = "CREATE TABLE a (x text default 'a;b'); -- c;\n\
                   CREATE FUNCTION f() RETURNS int AS $$ select 1; $$ LANGUAGE sql;\n\
                   DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET x=1; END;;\n\
                   DELIMITER ;\nSELECT 1";
        let opts = SplitOptions {
            dollar: true,
            mysql: false,
            brackets: false,
        };
        let c: Vec<_> = split(sql, opts).into_iter().filter(|c| !c.meta).collect();
        assert_eq!(c.len(), 4, "{c:#?}");
        assert!(c[1].text.ends_with("LANGUAGE sql"));
        assert_eq!((c[2].line, c[2].col), (4, 1));
        assert!(c[2].text.ends_with("END"));
    }

    #[test]
    fn sqlite_trigger_and_go() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 END; END;\nCREATE TABLE b (x int)\nGO\nCREATE TABLE c (y int)\n";
        let c = split(sql, SplitOptions::default());
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[1].line, 2);
    }
}
