//! Escaping for SVG text and attribute values.

/// A character XML 1.0 can hold; others (most control characters) become a space.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => ' ',
        c if (c as u32) < 0x20 => ' ',
        '\u{fffe}' | '\u{ffff}' => ' ',
        c => c,
    }
}

/// `s` escaped for element content.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` escaped for a double-quoted attribute value.
pub fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;").replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::text("a<b>&c\u{1}"), "a&lt;b&gt;&amp;c ");
        assert_eq!(super::attr(r#""it's""#), "&quot;it&apos;s&quot;");
    }
}
