//! `scenario.yaml` as written by the planner: raw serde structs that mirror the
//! file, with source positions kept for validation messages.

use super::diagnostic::{Code, Diagnostics, Position};
use crate::lang::Text;
use crate::tr;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::Path;

/// A value with the place where it was written.
pub type S<T> = Spanned<T>;

/// Position of a spanned value, for diagnostics.
pub fn pos<T>(s: &S<T>) -> Position {
    let loc = &s.referenced;
    if loc.line() == 0 {
        Position::default()
    } else {
        Position::at(loc.line(), loc.column())
    }
}

/// Top level of `scenario.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    pub horizon: S<RawHorizon>,
    pub institutions: Vec<S<RawInstitution>>,
    pub specialties: Vec<S<RawSpecialty>>,
    #[serde(default)]
    pub travel: Option<S<RawTravel>>,
    pub costs: S<RawCosts>,
    pub weights: S<RawWeights>,
    #[serde(default)]
    pub files: Option<RawFiles>,
    #[serde(default)]
    pub publish: Option<S<RawPublish>>,
    #[serde(default)]
    pub logistics: Option<S<RawLogistics>>,
}

/// Supply logistics (see docs/scenario.md).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogistics {
    #[serde(default)]
    pub lead_days: Option<S<i64>>,
    #[serde(default)]
    pub unload_minutes: Option<S<i64>>,
    #[serde(default)]
    pub driving_hours_per_day: Option<S<f64>>,
    #[serde(default)]
    pub departure_time: Option<S<String>>,
    #[serde(default)]
    pub search_iterations: Option<S<i64>>,
    #[serde(default)]
    pub kit_with_specialist: Option<S<RawCarry>>,
    pub depots: Vec<S<RawDepot>>,
    pub vehicles: Vec<S<RawVehicle>>,
    #[serde(default)]
    pub kits: Vec<S<RawKit>>,
    #[serde(default)]
    pub routine: Vec<S<RawRoutine>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCarry {
    pub max_kg: S<f64>,
    #[serde(default)]
    pub max_m3: Option<S<f64>>,
    #[serde(default)]
    pub cold_chain: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepot {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub locality: S<String>,
    #[serde(default)]
    pub open: Option<S<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVehicle {
    pub id: String,
    pub depot: S<String>,
    pub capacity_kg: S<f64>,
    #[serde(default)]
    pub capacity_m3: Option<S<f64>>,
    #[serde(default)]
    pub refrigerated: bool,
    #[serde(default)]
    pub cost_per_km: Option<S<f64>>,
    #[serde(default)]
    pub max_km_per_day: Option<S<f64>>,
    pub runs: S<Vec<String>>,
    #[serde(default)]
    pub max_days: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKit {
    pub specialty: S<String>,
    pub kg_per_day: S<f64>,
    #[serde(default)]
    pub m3_per_day: Option<S<f64>>,
    #[serde(default)]
    pub cold_chain: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoutine {
    pub locality: S<String>,
    pub kg: S<f64>,
    #[serde(default)]
    pub m3: Option<S<f64>>,
    #[serde(default)]
    pub cold_chain: bool,
}

/// How calendars are published.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPublish {
    /// `HH:MM-HH:MM`, local time.
    #[serde(default)]
    pub consultation_hours: Option<S<String>>,
    #[serde(default)]
    pub all_day: Option<bool>,
    #[serde(default)]
    pub patient_note: Option<String>,
    /// `key` (default) or `dni`.
    #[serde(default)]
    pub person_identifier: Option<S<String>>,
    /// FHIR identifier system of the DNI, with `person_identifier: dni`.
    #[serde(default)]
    pub person_identifier_system: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHorizon {
    pub start: S<chrono::NaiveDate>,
    pub weeks: S<i64>,
    pub working_days: S<Vec<String>>,
    /// Absent or empty (`holidays:`) both mean no holidays.
    #[serde(default)]
    pub holidays: Option<Vec<S<RawHoliday>>>,
    pub time_zone: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHoliday {
    pub date: chrono::NaiveDate,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstitution {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpecialty {
    pub id: String,
    pub name: String,
    pub patients_per_day: S<i64>,
    pub min_days: S<i64>,
    pub max_days: S<i64>,
    pub min_spacing_weeks: S<i64>,
    pub max_gap_weeks: S<i64>,
    #[serde(default)]
    pub waiting_weight: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTravel {
    #[serde(default)]
    pub speed_kmh: Option<S<RawSpeeds>>,
    #[serde(default)]
    pub max_driving_hours_per_day: Option<S<f64>>,
    #[serde(default)]
    pub same_day_drive_hours: Option<S<f64>>,
    #[serde(default)]
    pub max_stops_per_trip: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpeeds {
    pub paved: f64,
    pub gravel: f64,
    pub mixed: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    pub currency: String,
    pub per_km: S<f64>,
    pub per_night: S<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeights {
    pub patient_week: S<f64>,
    pub change_confirmed: S<f64>,
    /// Absent: the same as `change_confirmed`.
    #[serde(default)]
    pub change_published: Option<S<f64>>,
    pub coverage_gap_week: S<f64>,
}

/// Where the tables are, relative to the scenario folder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFiles {
    pub localities: Option<String>,
    pub roads: Option<String>,
    pub facilities: Option<String>,
    pub specialists: Option<String>,
    pub demand: Option<String>,
    pub calendars: Option<Vec<RawCalendarFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendarFile {
    pub institution: String,
    pub file: String,
}

/// Parse `scenario.yaml`. Syntax, type and unknown-field errors become
/// diagnostics with the line and column the parser reports.
pub fn read(path: &Path, diags: &mut Diagnostics) -> Option<RawScenario> {
    parse(
        path,
        tr!(
            "un escenario es una carpeta con un archivo scenario.yaml (vea docs/scenario.md)",
            "a scenario is a folder with a scenario.yaml file (see docs/scenario.md)"
        ),
        diags,
    )
}

/// Any YAML file of the formats in docs/ into its raw structs; problems are
/// recorded with their position, `unreadable` is the fix for a missing file.
pub fn parse<T: serde::de::DeserializeOwned>(
    path: &Path,
    unreadable: Text,
    diags: &mut Diagnostics,
) -> Option<T> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            diags.push(
                Code::FileUnreadable,
                path,
                &Position::default(),
                "",
                tr!("el archivo no es texto UTF-8", "the file is not UTF-8 text"),
                tr!(
                    "guárdelo con codificación UTF-8 (en el editor: Guardar como… → Codificación UTF-8)",
                    "save it as UTF-8 (in the editor: Save as… → Encoding UTF-8)"
                ),
            );
            return None;
        }
        Err(e) => {
            diags.push(
                Code::FileUnreadable,
                path,
                &Position::default(),
                "",
                super::table::io_reason(&e)
                    .around("no se puede leer el archivo: {}", "cannot read file: {}"),
                unreadable,
            );
            return None;
        }
    };
    match serde_saphyr::from_str::<T>(&text) {
        Ok(raw) => Some(raw),
        Err(err) => {
            let position = err
                .location()
                .filter(|l| l.line() > 0)
                .map(|l| Position::at(l.line(), l.column()))
                .unwrap_or_default();
            let message = friendly(&first_line(&err.to_string()));
            let (code, fix) = classify(&message);
            let mut field = quoted(&message.en);
            if field.is_empty() {
                field = key_on_line(&text, position.line);
            }
            diags.push(code, path, &position, field, message, fix);
            None
        }
    }
}

/// The parser's own message without the source snippet it may append and
/// without its `error: line N column M:` prefix (the position is reported apart).
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, msg)) => msg.to_string(),
        None => line.to_string(),
    }
}

/// Plain words for the parser's messages, in both languages, without its
/// advice to programmers (options of the library that reads YAML).
fn friendly(message: &str) -> Text {
    if let Some(key) = message.strip_prefix("duplicate mapping key") {
        let key = key
            .split(',')
            .next()
            .unwrap_or("")
            .trim_start_matches(':')
            .trim();
        return if key.is_empty() {
            tr!(
                "una clave aparece dos veces en el mismo bloque",
                "a key appears twice in the same mapping"
            )
        } else {
            tr!(
                "`{key}` aparece dos veces en el mismo bloque",
                "`{key}` appears twice in the same mapping"
            )
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let name = name.trim_end_matches(", there are no fields");
        return if expected.is_empty() {
            tr!("campo desconocido {name}", "unknown field {name}")
        } else {
            let expected = expected.trim_start_matches("one of ");
            tr!(
                "campo desconocido {name}; se esperaba uno de {expected}",
                "unknown field {name}, expected one of {expected}"
            )
        };
    }
    if let Some(name) = message.strip_prefix("missing field ") {
        return tr!("falta el campo {name}", "missing field {name}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return tr!(
            "tipo de valor inválido: {found}, se esperaba {expected}",
            "invalid type: {found}, expected {expected}"
        );
    }
    match message {
        "invalid i64" | "invalid u64" => {
            tr!("se esperaba un número entero", "expected a whole number")
        }
        "invalid f64" => tr!("se esperaba un número", "expected a number"),
        m => Text {
            es: format!("YAML inválido: {}", syntax_es(m)),
            en: m.to_string(),
        },
    }
}

/// The YAML reader's syntax errors in Spanish, by what they say; one it
/// has never been seen to say gets a general sentence (the position is
/// reported apart, and `--lang en` gives the reader's own words).
fn syntax_es(m: &str) -> &'static str {
    const KNOWN: [(&str, &str); 16] = [
        (
            "expected '-' indicator",
            "falta el `-` de un elemento de lista (revise la sangría)",
        ),
        (
            "did not find expected key",
            "se esperaba una clave `nombre:` (revise la sangría)",
        ),
        (
            "mapping values are not allowed",
            "aquí no puede ir un `clave: valor` (revise la sangría, o ponga el texto entre comillas)",
        ),
        (
            "mapping keys are not allowed",
            "aquí no puede ir una clave (revise la sangría)",
        ),
        (
            "block sequence entries are not allowed",
            "aquí no puede ir un elemento de lista `-` (revise la sangría)",
        ),
        (
            "expected ',' or '}'",
            "falta una `,` o la `}` que cierra el bloque",
        ),
        (
            "expected ',' or ']'",
            "falta una `,` o el `]` que cierra la lista",
        ),
        ("expected node content", "falta un valor"),
        ("unclosed quote", "unas comillas sin cerrar"),
        ("unclosed bracket", "un corchete o una llave sin cerrar"),
        ("tab", "un tabulador: la sangría de YAML va con espacios"),
        ("indentation", "sangría inválida"),
        (
            "unexpected EOF",
            "el archivo termina antes de cerrar un bloque o una lista",
        ),
        ("unexpected eof", "el archivo termina antes de tiempo"),
        ("unknown anchor", "un alias `*` de un ancla que no existe"),
        (
            "simple key expected ':'",
            "falta el `:` después de una clave",
        ),
    ];
    KNOWN.iter().find(|(en, _)| m.contains(en)).map_or(
        "la sintaxis no es YAML válido en esta posición",
        |(_, es)| es,
    )
}

/// The mapping key written on `line`, e.g. `weeks` for `  weeks: eight`.
fn key_on_line(text: &str, line: Option<u64>) -> String {
    let Some(n) = line.and_then(|l| usize::try_from(l).ok()) else {
        return String::new();
    };
    let l = text.lines().nth(n.saturating_sub(1)).unwrap_or("");
    let l = l.trim_start().trim_start_matches("- ");
    match l.split_once(':') {
        Some((key, _)) if !key.contains([' ', '{', '[']) => key.to_string(),
        _ => String::new(),
    }
}

/// The first back-quoted name in a parser message (the field it is about).
fn quoted(message: &str) -> String {
    message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field"))
        .unwrap_or("")
        .to_string()
}

fn classify(message: &Text) -> (Code, Text) {
    let message = &message.en;
    if message.contains("appears twice") {
        (
            Code::YamlSyntax,
            tr!(
                "deje una de las dos: una clave puede aparecer una vez en cada bloque",
                "keep one of the two: a key may appear once in each mapping"
            ),
        )
    } else if message.contains("unknown field") {
        (
            Code::UnknownField,
            tr!(
                "quite el campo o corrija cómo está escrito; docs/scenario.md lista todos los campos",
                "remove the field or fix its spelling; docs/scenario.md lists every field"
            ),
        )
    } else if message.contains("missing field") {
        (
            Code::MissingField,
            tr!(
                "agregue el campo; docs/scenario.md lista los campos obligatorios con un ejemplo",
                "add the field; docs/scenario.md lists the required fields with an example"
            ),
        )
    } else {
        (
            Code::YamlSyntax,
            tr!(
                "corrija el YAML en esta posición (sangría, comillas o el tipo del valor)",
                "fix the YAML at this position (indentation, quoting, or the value's type)"
            ),
        )
    }
}
