//! Reading the CSV files staff and gateways hand to itinera's commands
//! (responses, requests, attendance): the header must be exactly the
//! documented one, and every bad cell is reported at once with its line
//! and column.

use crate::lang::Text;
use crate::scenario::{Code, Diagnostic};
use crate::tr;
use std::path::{Path, PathBuf};

/// The problems found in one file.
pub struct Problems {
    path: PathBuf,
    columns: &'static [&'static str],
    /// Each problem, in the order found.
    pub list: Vec<Diagnostic>,
}

impl Problems {
    /// Record a problem at `line` in column number `column` (0-based).
    pub fn push(&mut self, line: u64, column: usize, code: Code, message: Text, fix: Text) {
        self.list.push(Diagnostic {
            code,
            file: self.path.clone(),
            line: Some(line),
            column: Some(column as u64 + 1),
            field: self.columns.get(column).copied().unwrap_or("").to_string(),
            message,
            fix,
        });
    }

    /// How many so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Open `path` (a `what` file, named in the fix; its format in `doc`) and
/// check its header. The reader, or the problem that makes the file unusable.
pub fn open(
    path: &Path,
    columns: &'static [&'static str],
    what: Text,
    doc: &str,
) -> (Problems, Option<csv::Reader<std::fs::File>>) {
    let mut problems = Problems {
        path: path.to_path_buf(),
        columns,
        list: Vec::new(),
    };
    let mut reader = match csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
    {
        Ok(r) => r,
        Err(e) => {
            let reason = match e.kind() {
                csv::ErrorKind::Io(io) => crate::scenario::io_reason(io),
                _ => Text::same(e.to_string()),
            };
            problems.push(
                1,
                0,
                Code::FileUnreadable,
                reason.around("no se puede leer: {}", "cannot read it: {}"),
                what.around("dé el archivo de {} (CSV)", "give the {} file (CSV)"),
            );
            return (problems, None);
        }
    };
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    if header != columns {
        let want = columns.join(",");
        problems.push(
            1,
            0,
            Code::CsvHeader,
            tr!(
                "el encabezado debe ser exactamente: {want}",
                "the header must be exactly: {want}"
            ),
            tr!(
                "corrija la primera línea (vea {doc})",
                "fix the first line (see {doc})"
            ),
        );
        return (problems, None);
    }
    (problems, Some(reader))
}

/// Record an unreadable row.
pub fn unreadable(problems: &mut Problems, e: &csv::Error) {
    let line = e.position().map_or(0, |p| p.line());
    let n = problems.columns.len();
    problems.push(
        line,
        0,
        Code::CsvValue,
        tr!("fila ilegible", "unreadable row"),
        tr!(
            "cada fila necesita {n} celdas; ponga entre comillas las que tengan comas",
            "every row needs {n} cells; quote cells that contain commas"
        ),
    );
}

/// One row's cells.
pub struct Cells<'a>(&'a csv::StringRecord);

impl Cells<'_> {
    /// The trimmed text of column `i` (empty when missing).
    pub fn get(&self, i: usize) -> String {
        self.0.get(i).unwrap_or("").to_string()
    }
}

/// Read every row of `path` (see [`open`]) through `row`, which records
/// its problems and returns the row's value when it has none; every
/// problem of the file at once, or the values.
pub fn read<T>(
    path: &Path,
    columns: &'static [&'static str],
    what: Text,
    doc: &str,
    mut row: impl FnMut(&mut Problems, u64, &Cells<'_>) -> Option<T>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let (mut problems, reader) = open(path, columns, what, doc);
    let Some(mut reader) = reader else {
        return Err(problems.list);
    };
    let mut out = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                let before = problems.len();
                let value = row(&mut problems, line, &Cells(&r));
                if let (Some(v), true) = (value, problems.len() == before) {
                    out.push(v);
                }
            }
            Err(e) => unreadable(&mut problems, &e),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems.list)
    }
}
