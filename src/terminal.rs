//! Text for terminals.

use std::borrow::Cow;

/// `text` with every control character other than newline and tab escaped (`\x1b`, `\u{9b}`),
/// so that names and SQL excerpts from untrusted files cannot move the cursor, retitle the
/// window or hide text when printed. Unchanged (borrowed) when there is nothing to escape.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            let n = c as u32;
            if n < 0x100 {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_but_not_newlines_tabs_or_unicode() {
        assert_eq!(escape_controls("a\tb\nc é 🦀"), "a\tb\nc é 🦀");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("x\x1b]0;pwned\x07y\rz\u{9b}2J\x7f"),
            "x\\x1b]0;pwned\\x07y\\x0dz\\x9b2J\\x7f"
        );
    }
}
