//! First-normal-form hints: columns that seem to hold lists (from sample values) and
//! repeating groups of columns (from names alone). Hints are deliberately conservative:
//! a hint that fires should be worth reading, so ambiguous shapes (decimal commas, `City, ST`,
//! prose, timestamps) are left alone.

use super::sample::Sample;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a hint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// Values of one column look like lists.
    ListValues,
    /// Several columns look like numbered copies of one attribute.
    RepeatingGroup,
}

/// One 1NF hint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hint {
    /// Stable id: `1nf-list:<column>` or `1nf-repeating:<stem>#<rest>` (lowercase stem and
    /// the text after the number).
    pub id: String,
    pub kind: HintKind,
    /// The column(s) concerned, in schema order.
    pub columns: Vec<String>,
    /// Plain-language explanation.
    pub message: String,
    /// `ListValues`: share of non-null values that look like lists (`0..=1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// `ListValues`: one such value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// A value-based hint fires when at least this share of non-null values look like lists...
pub const LIST_SHARE: f64 = 0.5;
/// ...and at least this many rows hold one.
pub const LIST_MIN_ROWS: usize = 3;

/// Shape of one list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Int,
    Decimal,
    Word,
    Email,
    /// Letters and digits mixed, with `-`/`_`/`.`: SKUs, codes.
    Code,
    /// Digits with phone punctuation.
    Phone,
}

fn shape(item: &str) -> Option<Shape> {
    if item.is_empty() || item.chars().count() > 40 || item.chars().any(char::is_whitespace) {
        return None;
    }
    let digits = item.chars().filter(char::is_ascii_digit).count();
    let letters = item.chars().filter(|c| c.is_alphabetic()).count();
    let body = item.strip_prefix(['-', '+']).unwrap_or(item);
    if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) {
        return Some(Shape::Int);
    }
    if let Some((a, b)) = body.split_once('.')
        && !a.is_empty()
        && !b.is_empty()
        && a.chars().all(|c| c.is_ascii_digit())
        && b.chars().all(|c| c.is_ascii_digit())
    {
        return Some(Shape::Decimal);
    }
    if let Some((local, domain)) = item.split_once('@')
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
    {
        return Some(Shape::Email);
    }
    if letters == 0
        && digits >= 5
        && item
            .chars()
            .all(|c| c.is_ascii_digit() || "+-().".contains(c))
    {
        return Some(Shape::Phone);
    }
    if letters > 0
        && digits == 0
        && item
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    {
        return Some(Shape::Word);
    }
    if letters > 0
        && digits > 0
        && item
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./#".contains(c))
    {
        return Some(Shape::Code);
    }
    None
}

/// `1,234` / `12,345,678.9`: a number with thousands separators, not a list.
fn is_grouped_number(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    let int = v.split_once('.').map_or(v, |(i, f)| {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            ""
        } else {
            i
        }
    });
    let groups: Vec<&str> = int.split(',').collect();
    groups.len() >= 2
        && (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// How a value looks like a list: `Some((separator, items))` (`'['` for a JSON array).
fn list_shape(v: &str) -> Option<(char, usize)> {
    let t = v.trim();
    if t.starts_with('[') && t.ends_with(']') {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(t) {
            return Some(('[', items.len()));
        }
        return None;
    }
    if is_grouped_number(t) {
        return None;
    }
    for sep in [',', ';', '|'] {
        if !t.contains(sep) {
            continue;
        }
        let items: Vec<&str> = t.split(sep).map(str::trim).collect();
        if items.len() < 2 {
            continue;
        }
        let first = shape(items[0])?;
        if items.iter().all(|i| shape(i) == Some(first)) {
            return Some((sep, items.len()));
        }
        return None;
    }
    None
}

/// The list hint for one column, from its distinct values and their row counts (`None` is
/// NULL). Fires when at least [`LIST_SHARE`] of the non-blank, non-null rows (and [`LIST_MIN_ROWS`] rows)
/// hold a JSON array, or a list with one separator (`,` `;` `|`) of ≥ 2 items of one shape
/// (integers, decimals, single words, e-mail addresses, codes, phone numbers), and the lists
/// are not all of exactly two items (so `Springfield, IL` or `Smith, John` columns stay quiet;
/// JSON arrays are lists whatever their length).
pub fn list_hint<'a>(
    column: &str,
    values: impl IntoIterator<Item = (Option<&'a str>, usize)>,
) -> Option<Hint> {
    let mut non_null = 0usize;
    // Per separator: rows, whether some list has ≠ 2 items, an example.
    let mut by_sep: BTreeMap<char, (usize, bool, &str)> = BTreeMap::new();
    for (v, count) in values {
        // NULL and blank values are neither lists nor evidence against them.
        let Some(v) = v.filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        non_null += count;
        if let Some((sep, items)) = list_shape(v) {
            let e = by_sep.entry(sep).or_insert((0, false, v));
            e.0 += count;
            e.1 |= items != 2;
        }
    }
    let (&sep, &(rows, varied, example)) = by_sep.iter().max_by_key(|(_, (rows, _, _))| *rows)?;
    let share = rows as f64 / non_null as f64;
    // `non_null` counts non-blank values only.
    if share < LIST_SHARE || rows < LIST_MIN_ROWS || (sep != '[' && !varied) {
        return None;
    }
    let what = match sep {
        '[' => "JSON arrays".to_string(),
        s => format!("{s:?}-separated lists"),
    };
    Some(Hint {
        id: format!("1nf-list:{column}"),
        kind: HintKind::ListValues,
        columns: vec![column.to_string()],
        message: format!(
            "{column}: {:.0}% of the non-null values are {what} (e.g. {example:?}); a column \
             holding several values breaks first normal form. Move the items to a child table \
             with one row per item, keyed by this table's key.",
            share * 100.0
        ),
        share: Some(share),
        example: Some(example.to_string()),
    })
}

/// List hints for every column of a sample (in column order).
pub fn hints_for_sample(sample: &Sample) -> Vec<Hint> {
    let s = sample.schema();
    (0..s.len())
        .filter_map(|i| list_hint(s.name(i), sample.column(i).values()))
        .collect()
}

/// Name stems of ordered parts of one value rather than repeated facts.
const NOT_GROUPS: &[&str] = &[
    "address",
    "addr",
    "address_line",
    "addressline",
    "street",
    "line",
    "street_line",
];

/// Split `phone_2_type` into (`phone`, 2, `_type`): the last run of digits, with separators
/// before it dropped from the stem.
fn split_number(name: &str) -> Option<(String, u64, String)> {
    let bytes = name.as_bytes();
    let end = bytes.iter().rposition(u8::is_ascii_digit)? + 1;
    let start = bytes[..end]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |p| p + 1);
    let num: u64 = name[start..end].parse().ok()?;
    let stem = name[..start].trim_end_matches(['_', '-', ' ', '.']);
    if stem.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    Some((stem.to_lowercase(), num, name[end..].to_lowercase()))
}

/// Repeating groups from column names alone (works on any table): at least two columns whose
/// names differ only in a number (`phone1`, `phone2`; `phone_1`, `phone_2`; `item1_qty`,
/// `item2_qty`), with at least two consecutive numbers among them (so `sha1`/`sha256` or
/// `ipv4`/`ipv6` are not a group), and a stem of at least two letters (`x1`/`x2` coordinates
/// are not flagged). Address lines (`address_line1`, `address_line2`, `street1`...) are not
/// flagged: they are ordered parts of one postal address, not repeated facts.
pub fn hints_for_columns(names: &[String]) -> Vec<Hint> {
    // (stem, rest) → (numbers, column indices)
    let mut groups: BTreeMap<(String, String), (Vec<u64>, Vec<usize>)> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        if let Some((stem, num, rest)) = split_number(n) {
            let g = groups.entry((stem, rest)).or_default();
            g.0.push(num);
            g.1.push(i);
        }
    }
    let mut hints: Vec<(usize, Hint)> = Vec::new();
    for ((stem, rest), (mut nums, cols)) in groups {
        if cols.len() < 2 || NOT_GROUPS.contains(&stem.as_str()) {
            continue;
        }
        nums.sort_unstable();
        nums.dedup();
        if nums.len() < 2 || !nums.windows(2).any(|w| w[1] == w[0] + 1) {
            continue;
        }
        let columns: Vec<String> = cols.iter().map(|&i| names[i].clone()).collect();
        let message = format!(
            "{} look like a repeating group: {} columns numbered {}–{} hold the same \
             attribute ({stem}{rest}) several times, which breaks first normal form. Move \
             them to a child table with one row per {stem}, keyed by this table's key and a \
             sequence number.",
            columns.join(", "),
            columns.len(),
            nums[0],
            nums[nums.len() - 1],
        );
        hints.push((
            cols[0],
            Hint {
                id: format!("1nf-repeating:{stem}#{rest}"),
                kind: HintKind::RepeatingGroup,
                columns,
                message,
                share: None,
                example: None,
            },
        ));
    }
    hints.sort_by_key(|(first, _)| *first);
    hints.into_iter().map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(list_shape("red,green,blue"), Some((',', 3)));
        assert_eq!(list_shape("a@x.org; b@y.org"), Some((';', 2)));
        assert_eq!(list_shape("[1, 2, 3]"), Some(('[', 3)));
        assert_eq!(list_shape("1,234,567.50"), None);
        assert_eq!(list_shape("12 Main St, Springfield"), None);
        assert_eq!(list_shape("Mon, 02 Jan 2024 10:00:00 GMT"), None);
        assert_eq!(list_shape("[citation needed]"), None);
        assert_eq!(list_shape("Hello, world. How are you?"), None);
        assert_eq!(
            split_number("phone_2_type"),
            Some(("phone".into(), 2, "_type".into()))
        );
        assert_eq!(split_number("x1"), None);
    }
}
