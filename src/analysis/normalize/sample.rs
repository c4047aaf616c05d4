//! Sample data for dependency discovery: a table of values read from a CSV file or a table of
//! an SQLite database, dictionary-encoded per column (each distinct value becomes a `u32`).
//!
//! NULL is a value of its own, equal to itself and to nothing else (the TANE convention, see
//! `docs/normalization.md`). In CSV, an empty field is the empty string unless
//! [`ReadOptions::empty_as_null`] is set; in SQLite, `NULL` is NULL.

use super::attrs::Schema;
use std::collections::HashMap;
use std::path::Path;

/// Why a sample could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SampleError {
    /// The progress callback asked to stop.
    Cancelled,
    /// Bad input; `line` is the 1-based line of a CSV file when known.
    Invalid { line: Option<u64>, message: String },
}

impl SampleError {
    fn at(line: Option<u64>, message: impl Into<String>) -> Self {
        SampleError::Invalid {
            line,
            message: message.into(),
        }
    }

    fn msg(message: impl Into<String>) -> Self {
        SampleError::at(None, message)
    }
}

impl std::fmt::Display for SampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SampleError::Cancelled => write!(f, "cancelled"),
            SampleError::Invalid {
                line: Some(l),
                message,
            } => write!(f, "line {l}: {message}"),
            SampleError::Invalid {
                line: None,
                message,
            } => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for SampleError {}

/// How to read a sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read at most this many data rows (the header does not count); the sample is then
    /// marked truncated when more rows were available.
    pub limit: Option<usize>,
    /// CSV only: an empty field is NULL rather than the empty string.
    pub empty_as_null: bool,
    /// CSV only: the field delimiter (default `,`).
    pub delimiter: u8,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            limit: None,
            empty_as_null: false,
            delimiter: b',',
        }
    }
}

/// One column of a sample: its rows as dictionary codes, and the dictionary.
#[derive(Clone, Debug, Default)]
pub struct Column {
    codes: Vec<u32>,
    /// Code → value (`None` is NULL).
    values: Vec<Option<String>>,
    /// Code → number of rows holding it.
    counts: Vec<u32>,
}

impl Column {
    /// The code of each row.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Number of distinct values (NULL counts as one value).
    pub fn distinct(&self) -> usize {
        self.values.len()
    }

    /// The distinct values with their row counts, in order of first appearance (`None` is
    /// NULL).
    pub fn values(&self) -> impl Iterator<Item = (Option<&str>, usize)> + '_ {
        self.values
            .iter()
            .zip(&self.counts)
            .map(|(v, &c)| (v.as_deref(), c as usize))
    }

    /// Rows holding NULL.
    pub fn nulls(&self) -> usize {
        self.values()
            .filter(|(v, _)| v.is_none())
            .map(|(_, c)| c)
            .sum()
    }
}

/// A dictionary-encoded table of sample rows.
#[derive(Clone, Debug)]
pub struct Sample {
    schema: Schema,
    columns: Vec<Column>,
    rows: usize,
    truncated: bool,
}

impl Sample {
    /// Column names (as a [`Schema`], so discovered FDs plug into `analyze`).
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn column(&self, i: usize) -> &Column {
        &self.columns[i]
    }

    /// Number of rows read.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Reading stopped at [`ReadOptions::limit`] with more rows available.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// A sample from in-memory rows (`None` is NULL); each row must have one value per name.
    pub fn from_rows<S: AsRef<str>>(
        names: &[S],
        rows: &[Vec<Option<&str>>],
    ) -> Result<Sample, SampleError> {
        let mut b = SampleBuilder::new(names.iter().map(|s| s.as_ref().to_string()))?;
        for (i, r) in rows.iter().enumerate() {
            b.push_row(r.iter().copied()).map_err(|e| match e {
                SampleError::Invalid { message, .. } => {
                    SampleError::msg(format!("row {}: {message}", i + 1))
                }
                other => other,
            })?;
        }
        Ok(b.finish(false))
    }
}

/// Builds a [`Sample`] row by row, encoding values as they come.
#[derive(Debug)]
pub struct SampleBuilder {
    schema: Schema,
    cols: Vec<ColumnBuilder>,
    rows: usize,
}

#[derive(Debug, Default)]
struct ColumnBuilder {
    map: HashMap<String, u32>,
    null: Option<u32>,
    col: Column,
}

impl ColumnBuilder {
    fn push(&mut self, v: Option<&str>) {
        let next = self.col.values.len() as u32;
        let code = match v {
            None => *self.null.get_or_insert_with(|| {
                self.col.values.push(None);
                self.col.counts.push(0);
                next
            }),
            Some(s) => match self.map.get(s) {
                Some(&c) => c,
                None => {
                    self.map.insert(s.to_string(), next);
                    self.col.values.push(Some(s.to_string()));
                    self.col.counts.push(0);
                    next
                }
            },
        };
        self.col.counts[code as usize] += 1;
        self.col.codes.push(code);
    }
}

impl SampleBuilder {
    /// Columns named `names`: at least one, no empty or duplicate name.
    pub fn new(names: impl IntoIterator<Item = String>) -> Result<Self, SampleError> {
        let names: Vec<String> = names.into_iter().collect();
        if names.is_empty() {
            return Err(SampleError::msg("no columns"));
        }
        let schema = Schema::new(names.iter().cloned()).map_err(SampleError::msg)?;
        Ok(SampleBuilder {
            cols: (0..schema.len())
                .map(|_| ColumnBuilder::default())
                .collect(),
            schema,
            rows: 0,
        })
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Append a row; it must have exactly one value per column (`None` is NULL). A row of
    /// the wrong width is refused and nothing is appended.
    pub fn push_row<'a>(
        &mut self,
        values: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Result<(), SampleError> {
        if self.rows >= u32::MAX as usize {
            return Err(SampleError::msg(
                "more than 4,294,967,295 rows: read a sample with a row limit",
            ));
        }
        let row: Vec<Option<&str>> = values.into_iter().collect();
        if row.len() != self.cols.len() {
            return Err(SampleError::msg(format!(
                "row has {} values, expected {}",
                row.len(),
                self.cols.len()
            )));
        }
        for (c, v) in self.cols.iter_mut().zip(row) {
            c.push(v);
        }
        self.rows += 1;
        Ok(())
    }

    /// The sample; `truncated` records that more rows were available than were read.
    pub fn finish(self, truncated: bool) -> Sample {
        Sample {
            schema: self.schema,
            columns: self.cols.into_iter().map(|c| c.col).collect(),
            rows: self.rows,
            truncated,
        }
    }
}

/// How far reading has got, for a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadProgress {
    /// Data rows read so far.
    pub rows: usize,
    /// CSV: bytes consumed so far.
    pub bytes: u64,
    /// CSV file: its size (unknown for other readers).
    pub total_bytes: Option<u64>,
    /// SQLite with a row limit: the limit.
    pub total_rows: Option<usize>,
}

impl ReadProgress {
    /// Completion in `0..=1` when the total is known.
    pub fn fraction(&self) -> Option<f32> {
        match (self.total_bytes, self.total_rows) {
            (Some(t), _) if t > 0 => Some((self.bytes as f64 / t as f64).min(1.0) as f32),
            (_, Some(t)) if t > 0 => Some((self.rows as f64 / t as f64).min(1.0) as f32),
            _ => None,
        }
    }
}

/// Rows between progress callbacks while reading.
const PROGRESS_EVERY: usize = 4096;

/// Read a CSV file with a header row. `progress` is called every few thousand rows and once
/// at the end (with the file size as `total_bytes`); returning false cancels
/// ([`SampleError::Cancelled`]).
///
/// Errors (never panics) with the 1-based line: a row whose field count differs from the
/// header's, a field that is not UTF-8, an empty file. Header names must be distinct; an
/// empty header name becomes `column_N` (N the 1-based position).
pub fn read_csv(
    path: &Path,
    opts: &ReadOptions,
    progress: &mut dyn FnMut(&ReadProgress) -> bool,
) -> Result<Sample, SampleError> {
    let file = std::fs::File::open(path).map_err(|e| SampleError::msg(e.to_string()))?;
    let total = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    read_csv_impl(std::io::BufReader::new(file), total, opts, progress)
}

/// [`read_csv`] from any reader (`total_bytes` unknown).
pub fn read_csv_from(
    input: impl std::io::Read,
    opts: &ReadOptions,
    progress: &mut dyn FnMut(&ReadProgress) -> bool,
) -> Result<Sample, SampleError> {
    read_csv_impl(input, None, opts, progress)
}

fn read_csv_impl(
    input: impl std::io::Read,
    total_bytes: Option<u64>,
    opts: &ReadOptions,
    progress: &mut dyn FnMut(&ReadProgress) -> bool,
) -> Result<Sample, SampleError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(opts.delimiter)
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let line_of = |rec: &csv::ByteRecord| rec.position().map(|p| p.line());
    if !rdr.read_byte_record(&mut rec).map_err(csv_error)? {
        return Err(SampleError::msg("empty file: no header row"));
    }
    let header_line = line_of(&rec);
    let mut names = Vec::with_capacity(rec.len());
    for (i, field) in rec.iter().enumerate() {
        let field = if i == 0 {
            field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
        } else {
            field
        };
        let name = std::str::from_utf8(field)
            .map_err(|_| {
                SampleError::at(
                    header_line,
                    format!("header of column {} is not valid UTF-8", i + 1),
                )
            })?
            .trim();
        let name = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name.to_string()
        };
        if let Some(j) = names.iter().position(|n| *n == name) {
            return Err(SampleError::at(
                header_line,
                format!(
                    "header names column {} and column {} both {name:?}",
                    j + 1,
                    i + 1
                ),
            ));
        }
        names.push(name);
    }
    let width = names.len();
    let mut b = SampleBuilder::new(names).map_err(|e| match e {
        SampleError::Invalid { message, .. } => SampleError::at(header_line, message),
        other => other,
    })?;
    let mut truncated = false;
    loop {
        if !rdr.read_byte_record(&mut rec).map_err(csv_error)? {
            break;
        }
        if opts.limit.is_some_and(|l| b.rows() >= l) {
            truncated = true;
            break;
        }
        let line = line_of(&rec);
        if rec.len() != width {
            // A trailing empty line is not a row.
            if rec.len() == 1 && rec.get(0) == Some(b"") {
                continue;
            }
            return Err(SampleError::at(
                line,
                format!("row has {} fields, the header has {width}", rec.len()),
            ));
        }
        let mut values: Vec<Option<&str>> = Vec::with_capacity(width);
        for (i, f) in rec.iter().enumerate() {
            let s = std::str::from_utf8(f).map_err(|e| {
                SampleError::at(
                    line,
                    format!(
                        "field {} (column {:?}) is not valid UTF-8 (byte {}); re-encode the \
                         file as UTF-8",
                        i + 1,
                        b.schema.name(i),
                        e.valid_up_to() + 1
                    ),
                )
            })?;
            values.push(if opts.empty_as_null && s.is_empty() {
                None
            } else {
                Some(s)
            });
        }
        b.push_row(values)?;
        if b.rows().is_multiple_of(PROGRESS_EVERY) {
            let p = ReadProgress {
                rows: b.rows(),
                bytes: rec.position().map_or(0, |p| p.byte()),
                total_bytes,
                total_rows: None,
            };
            if !progress(&p) {
                return Err(SampleError::Cancelled);
            }
        }
    }
    let done = ReadProgress {
        rows: b.rows(),
        bytes: total_bytes.unwrap_or(0),
        total_bytes,
        total_rows: None,
    };
    if !progress(&done) {
        return Err(SampleError::Cancelled);
    }
    Ok(b.finish(truncated))
}

fn csv_error(e: csv::Error) -> SampleError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    };
    SampleError::at(line, message)
}

fn open_sqlite(db: &Path) -> Result<rusqlite::Connection, SampleError> {
    if !db.is_file() {
        return Err(SampleError::msg(format!("{}: no such file", db.display())));
    }
    rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| SampleError::msg(e.to_string()))
}

fn tables_of(conn: &rusqlite::Connection) -> Result<Vec<String>, SampleError> {
    conn.prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') \
         AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .and_then(|mut s| {
        s.query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()
    })
    .map_err(|e| SampleError::msg(format!("not a readable SQLite database: {e}")))
}

/// The tables and views of an SQLite database file, by name (for a table picker).
pub fn sqlite_tables(db: &Path) -> Result<Vec<String>, SampleError> {
    tables_of(&open_sqlite(db)?)
}

/// Read the rows of `table` (a table or view) from the SQLite database file `db`, at most
/// `opts.limit` of them, in the table's natural order. `progress` works as in [`read_csv`].
///
/// Values are compared by their text: integers and reals as SQLite prints them, text as
/// is (invalid UTF-8 replaced), blobs as `x'<hex>'`; NULL is NULL.
pub fn read_sqlite(
    db: &Path,
    table: &str,
    opts: &ReadOptions,
    progress: &mut dyn FnMut(&ReadProgress) -> bool,
) -> Result<Sample, SampleError> {
    use rusqlite::types::ValueRef;
    let conn = open_sqlite(db)?;
    let tables = tables_of(&conn)?;
    if !tables.iter().any(|t| t == table) {
        return Err(SampleError::msg(format!(
            "no table {table:?} in the database (tables: {})",
            if tables.is_empty() {
                "none".to_string()
            } else {
                tables.join(", ")
            }
        )));
    }
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let sql = match opts.limit {
        // One more than the limit tells whether the table has more rows.
        Some(l) => format!("SELECT * FROM {quoted} LIMIT {}", l.saturating_add(1)),
        None => format!("SELECT * FROM {quoted}"),
    };
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| SampleError::msg(e.to_string()))?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let width = names.len();
    let mut b = SampleBuilder::new(names)?;
    let mut rows = stmt
        .query([])
        .map_err(|e| SampleError::msg(e.to_string()))?;
    let mut truncated = false;
    let mut texts: Vec<Option<String>> = Vec::with_capacity(width);
    while let Some(row) = rows.next().map_err(|e| SampleError::msg(e.to_string()))? {
        if opts.limit.is_some_and(|l| b.rows() >= l) {
            truncated = true;
            break;
        }
        texts.clear();
        for i in 0..width {
            let v = row
                .get_ref(i)
                .map_err(|e| SampleError::msg(e.to_string()))?;
            texts.push(match v {
                ValueRef::Null => None,
                ValueRef::Integer(x) => Some(x.to_string()),
                ValueRef::Real(x) => Some(x.to_string()),
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(bl) => {
                    let mut s = String::with_capacity(bl.len() * 2 + 3);
                    s.push_str("x'");
                    for byte in bl {
                        s.push_str(&format!("{byte:02x}"));
                    }
                    s.push('\'');
                    Some(s)
                }
            });
        }
        b.push_row(texts.iter().map(|t| t.as_deref()))?;
        if b.rows().is_multiple_of(PROGRESS_EVERY) {
            let p = ReadProgress {
                rows: b.rows(),
                total_rows: opts.limit,
                ..ReadProgress::default()
            };
            if !progress(&p) {
                return Err(SampleError::Cancelled);
            }
        }
    }
    let done = ReadProgress {
        rows: b.rows(),
        total_rows: Some(b.rows()),
        ..ReadProgress::default()
    };
    if !progress(&done) {
        return Err(SampleError::Cancelled);
    }
    Ok(b.finish(truncated))
}
