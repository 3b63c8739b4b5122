//! Reading the scenario's CSV tables cell by cell, so that every bad cell is
//! reported (file, line, column, field) instead of stopping at the first one.

use super::diagnostic::{Code, Diagnostics, Position};
use crate::lang::Text;
use crate::model::DateRange;
use crate::tr;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The columns a table accepts.
pub struct Columns {
    /// Columns that must be present.
    pub required: &'static [&'static str],
    /// Columns that may be present.
    pub optional: &'static [&'static str],
}

/// A CSV file read into memory with its header checked.
pub struct Table {
    path: PathBuf,
    index: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

/// Column every table may carry for the planner's remarks; never interpreted.
const NOTES: &str = "notes";

/// An I/O error in words a planner can act on, without the library's wording.
pub fn io_reason(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => tr!("no existe", "no such file"),
        K::PermissionDenied => tr!("permiso denegado", "permission denied"),
        K::IsADirectory => tr!(
            "es una carpeta, no un archivo",
            "it is a folder, not a file"
        ),
        K::StorageFull => tr!(
            "no queda espacio en el disco",
            "no space left on the device"
        ),
        K::ReadOnlyFilesystem => tr!(
            "el sistema de archivos es de solo lectura",
            "the file system is read-only"
        ),
        _ => {
            let e = e.to_string();
            tr!("error del sistema: {e}", "{e}")
        }
    }
}

/// What the CSV reader found wrong with a row, in both languages.
fn csv_reason(e: &csv::Error) -> Text {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => tr!(
            "tiene {len} celda(s) y el encabezado {expected_len}",
            "it has {len} cell(s) and the header {expected_len}"
        ),
        csv::ErrorKind::Utf8 { .. } => tr!("no es texto UTF-8", "it is not UTF-8 text"),
        _ => {
            let e = e.to_string();
            tr!("error de CSV: {e}", "{e}")
        }
    }
}

impl Table {
    /// Read `path`, checking the header against `columns`. Returns `None` when
    /// the file cannot be used at all (missing, unreadable, bad header); the
    /// reason is in `diags`.
    pub fn read(path: &Path, columns: &Columns, diags: &mut Diagnostics) -> Option<Table> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    Code::FileUnreadable,
                    path,
                    &Position::default(),
                    "",
                    io_reason(&e).around("no se puede leer el archivo: {}", "cannot read file: {}"),
                    tr!(
                        "cree el archivo (basta la línea de encabezados para una tabla vacía) o corrija la ruta en `files:` de scenario.yaml",
                        "create the file (a header line is enough for an empty table) or fix the path under `files:` in scenario.yaml"
                    ),
                );
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
                diags.push(
                    Code::FileUnreadable,
                    path,
                    &Position { line: Some(line), column: None },
                    "",
                    tr!(
                        "el archivo no es texto UTF-8 (el \"CSV\" de Excel guarda en Windows-1252, que rompe los acentos)",
                        "the file is not UTF-8 text (Excel's \"CSV\" saves Windows-1252, which breaks accents)"
                    ),
                    tr!(
                        "en Excel: Guardar como → \"CSV UTF-8 (delimitado por comas)\"; o conviértalo: iconv -f WINDOWS-1252 -t UTF-8 ARCHIVO > NUEVO",
                        "in Excel: Save As → \"CSV UTF-8 (delimitado por comas)\"; or convert it: iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW"
                    ),
                );
                return None;
            }
        };
        let first = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("");
        if first.contains(';') && !first.contains(',') {
            diags.push(
                Code::CsvHeader,
                path,
                &Position::at(1, 1),
                "",
                tr!(
                    "las columnas están separadas por `;` (así guarda Excel en español); itinera lee `,`",
                    "the columns are separated by `;` (Excel in Spanish saves so), itinera reads `,`"
                ),
                tr!(
                    "en Excel: Guardar como → \"CSV UTF-8 (delimitado por comas)\" con el separador de listas en `,` y los decimales con punto",
                    "in Excel: Save As → \"CSV UTF-8 (delimitado por comas)\" with the list separator set to `,`, and decimals with a dot"
                ),
            );
            return None;
        }
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .flexible(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                diags.push(
                    Code::CsvValue,
                    path,
                    &Position::at(1, 1),
                    "",
                    tr!(
                        "no se puede leer el encabezado: {e}",
                        "cannot read the header: {e}"
                    ),
                    tr!(
                        "la primera línea debe nombrar las columnas, separadas por comas",
                        "the first line must list the column names, separated by commas"
                    ),
                );
                return None;
            }
        };
        let mut index = HashMap::new();
        let mut header_ok = true;
        for (i, name) in header.iter().enumerate() {
            let known = columns.required.contains(&name)
                || columns.optional.contains(&name)
                || name == NOTES;
            if !known {
                header_ok = false;
                let mut allowed: Vec<&str> = columns.required.to_vec();
                allowed.extend(columns.optional);
                allowed.push(NOTES);
                diags.push(
                    Code::CsvHeader,
                    path,
                    &Position::at(1, i as u64 + 1),
                    name,
                    tr!("columna desconocida `{name}`", "unknown column `{name}`"),
                    {
                        let allowed = allowed.join(", ");
                        tr!(
                            "renómbrela o quítela; columnas admitidas: {allowed}",
                            "rename or remove it; allowed columns: {allowed}"
                        )
                    },
                );
            } else if index.insert(name.to_string(), i).is_some() {
                header_ok = false;
                diags.push(
                    Code::CsvHeader,
                    path,
                    &Position::at(1, i as u64 + 1),
                    name,
                    tr!(
                        "la columna `{name}` aparece dos veces",
                        "column `{name}` appears twice"
                    ),
                    tr!(
                        "deje una sola columna de cada nombre",
                        "keep one column of each name"
                    ),
                );
            }
        }
        for required in columns.required {
            if !index.contains_key(*required) {
                header_ok = false;
                diags.push(
                    Code::CsvHeader,
                    path,
                    &Position::at(1, 1),
                    *required,
                    tr!(
                        "falta la columna obligatoria `{required}`",
                        "missing required column `{required}`"
                    ),
                    tr!(
                        "agregue una columna `{required}` (vea docs/scenario.md)",
                        "add a `{required}` column (see docs/scenario.md)"
                    ),
                );
            }
        }
        if !header_ok {
            return None;
        }
        let mut rows = Vec::new();
        for result in reader.records() {
            match result {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    rows.push((line, record));
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    diags.push(
                        Code::CsvValue,
                        path,
                        &Position { line, column: None },
                        "",
                        csv_reason(&e).around("fila ilegible: {}", "unreadable row: {}"),
                        tr!(
                            "cada fila necesita tantas celdas como el encabezado; ponga entre comillas las celdas con comas",
                            "every row needs as many cells as the header; quote cells that contain commas"
                        ),
                    );
                }
            }
        }
        Some(Table {
            path: path.to_path_buf(),
            index,
            rows,
        })
    }

    /// Rows with their line numbers.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, record)| Row {
            table: self,
            line: *line,
            record,
        })
    }
}

/// One data row, with typed accessors that report bad cells.
pub struct Row<'a> {
    table: &'a Table,
    line: u64,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    /// Line number of this row in its file.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Position of `column` in this row.
    pub fn pos(&self, column: &str) -> Position {
        Position {
            line: Some(self.line),
            column: self.table.index.get(column).map(|i| *i as u64 + 1),
        }
    }

    /// The file this row came from.
    pub fn path(&self) -> &Path {
        &self.table.path
    }

    /// Raw text of a column (empty when the optional column is absent).
    pub fn raw(&self, column: &str) -> &str {
        self.table
            .index
            .get(column)
            .and_then(|i| self.record.get(*i))
            .unwrap_or("")
    }

    fn bad(&self, diags: &mut Diagnostics, column: &str, message: Text, fix: Text) {
        diags.push(
            Code::CsvValue,
            &self.table.path,
            &self.pos(column),
            column,
            message,
            fix,
        );
    }

    /// A non-empty text cell.
    pub fn text(&self, column: &str, diags: &mut Diagnostics) -> Option<String> {
        let v = self.raw(column);
        if v.is_empty() {
            diags.push(
                Code::EmptyId,
                &self.table.path,
                &self.pos(column),
                column,
                tr!("`{column}` está vacío", "`{column}` is empty"),
                tr!("complete `{column}`", "fill in `{column}`"),
            );
            None
        } else {
            Some(v.to_string())
        }
    }

    /// A number cell.
    pub fn number(&self, column: &str, diags: &mut Diagnostics) -> Option<f64> {
        let v = self.raw(column);
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.bad(
                    diags,
                    column,
                    tr!("`{v}` no es un número", "`{v}` is not a number"),
                    tr!(
                        "escriba un número decimal con punto, p. ej. 12.5",
                        "write a decimal number with a dot, e.g. 12.5"
                    ),
                );
                None
            }
        }
    }

    /// A whole-number cell (negative allowed here; the caller checks the range).
    pub fn integer(&self, column: &str, diags: &mut Diagnostics) -> Option<i64> {
        let v = self.raw(column);
        match v.parse::<i64>() {
            Ok(x) => Some(x),
            Err(_) => {
                self.bad(
                    diags,
                    column,
                    tr!(
                        "`{v}` no es un número entero",
                        "`{v}` is not a whole number"
                    ),
                    tr!(
                        "escriba un número entero, p. ej. 3",
                        "write a whole number, e.g. 3"
                    ),
                );
                None
            }
        }
    }

    /// A date cell in ISO format.
    pub fn date(&self, column: &str, diags: &mut Diagnostics) -> Option<NaiveDate> {
        let v = self.raw(column);
        match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.bad(
                    diags,
                    column,
                    tr!("`{v}` no es una fecha válida", "`{v}` is not a valid date"),
                    tr!(
                        "escriba las fechas como AAAA-MM-DD, p. ej. 2027-03-01",
                        "write dates as YYYY-MM-DD, e.g. 2027-03-01"
                    ),
                );
                None
            }
        }
    }

    /// A list of date ranges: `2027-07-01..2027-07-14;2027-09-03` (empty = none).
    pub fn ranges(&self, column: &str, diags: &mut Diagnostics) -> Vec<DateRange> {
        let v = self.raw(column);
        let mut out = Vec::new();
        for part in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match parse_range(part) {
                Ok(r) => out.push(r),
                Err((message, fix)) => diags.push(
                    Code::BadDateRange,
                    &self.table.path,
                    &self.pos(column),
                    column,
                    message,
                    fix,
                ),
            }
        }
        out
    }

    /// A list of ids separated by `;` (empty = none).
    pub fn list(&self, column: &str) -> Vec<String> {
        self.raw(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// A date range `FROM..TO` or a single date, or what is wrong with it and
/// how to fix it.
pub fn parse_range(part: &str) -> Result<DateRange, (Text, Text)> {
    let (from, to) = part.split_once("..").unwrap_or((part, part));
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    match (parse(from), parse(to)) {
        (Some(from), Some(to)) if from <= to => Ok(DateRange { from, to }),
        (Some(from), Some(to)) => Err((
            tr!(
                "el rango `{part}` termina ({to}) antes de empezar ({from})",
                "range `{part}` ends ({to}) before it starts ({from})"
            ),
            tr!(
                "escriba primero la fecha anterior: DESDE..HASTA",
                "write the earlier date first: FROM..TO"
            ),
        )),
        _ => Err((
            tr!(
                "`{part}` no es un rango de fechas",
                "`{part}` is not a date range"
            ),
            tr!(
                "escriba los rangos como AAAA-MM-DD..AAAA-MM-DD (varios separados por `;` en una celda CSV)",
                "write ranges as YYYY-MM-DD..YYYY-MM-DD (several separated by `;` in a CSV cell)"
            ),
        )),
    }
}
