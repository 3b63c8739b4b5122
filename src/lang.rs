//! The message catalogue: every word a planner, clerk or patient reads, in
//! Spanish (the default: the ministry, the fund and the hospitals work in
//! Spanish) or English. A message is written once, in both languages, where
//! it is raised ([`tr!`](crate::tr) builds a [`Text`]); the language is chosen where it
//! is shown.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::str::FromStr;

/// A message in both languages, chosen when it is shown. It serializes as
/// `{"es": …, "en": …}` so that JSON readers get both.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Text {
    /// Spanish.
    pub es: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.es, &self.en)
    }

    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.es.is_empty() && self.en.is_empty()
    }

    /// The same words in both languages (a name, a path, a library's text
    /// that has no translation).
    pub fn same(s: impl Into<String>) -> Self {
        let s = s.into();
        Self {
            es: s.clone(),
            en: s,
        }
    }

    /// This text inside a sentence: each language's template has one `{}`
    /// where the text goes.
    pub fn around(&self, es: &str, en: &str) -> Self {
        Self {
            es: es.replacen("{}", &self.es, 1),
            en: en.replacen("{}", &self.en, 1),
        }
    }

    /// Whether either language contains `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.es.contains(needle) || self.en.contains(needle)
    }
}

impl std::fmt::Display for Text {
    /// Spanish, the default language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.es)
    }
}

/// A [`Text`] from a Spanish and an English format string with the same
/// arguments: `tr!("{n} visitas", "{n} visits")`; or with positional
/// arguments of each language apart, Spanish first:
/// `tr!("{} y {}", "{} and {}", a.es, b.es; a.en, b.en)`.
#[macro_export]
macro_rules! tr {
    ($es:literal, $en:literal, $($ea:expr),+ ; $($na:expr),+ $(,)?) => {
        $crate::lang::Text {
            es: format!($es, $($ea),+),
            en: format!($en, $($na),+),
        }
    };
    ($es:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        $crate::lang::Text {
            es: format!($es $(, $arg)*),
            en: format!($en $(, $arg)*),
        }
    };
}

/// Language of calendars, CSV headers and the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Spanish.
    #[default]
    Es,
    /// English.
    En,
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "es" => Ok(Lang::Es),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}`: use es or en")),
        }
    }
}

impl Lang {
    /// The Spanish or the English text.
    pub fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }

    /// The message of the language, its template's `{}`s replaced by
    /// `args` in order: one call site serves a message in both languages
    /// (the arguments are the same, only the words around them differ).
    pub fn fill(self, es: &str, en: &str, args: &[&dyn std::fmt::Display]) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        let mut parts = self.pick(es, en).split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            if let Some(a) = args.next() {
                out.push_str(&a.to_string());
            }
            out.push_str(part);
        }
        out
    }

    /// A plan's status (`plan.json` `solver.status`) in words, the one
    /// catalogue entry for every place that shows it.
    pub fn status(self, status: &str) -> &'static str {
        match status {
            "optimal" => self.pick("óptimo", "optimal"),
            "feasible_with_gap" => self.pick(
                "factible dentro de la brecha pedida",
                "feasible within the requested gap",
            ),
            "time_limit" => self.pick(
                "límite de tiempo (plan factible, brecha mayor a la pedida)",
                "time limit (feasible plan, gap above the requested one)",
            ),
            "no_solution" => self.pick(
                "sin plan: el tiempo se agotó antes de hallar uno",
                "no plan: time ran out before one was found",
            ),
            "infeasible" => self.pick(
                "imposible: las reglas se contradicen",
                "infeasible: the rules contradict each other",
            ),
            "status_quo" => self.pick("calendarios existentes", "existing calendars"),
            _ => self.pick("desconocido", "unknown"),
        }
    }

    /// A conflict kind of the existing calendars (`plan.json` `conflicts[].kind`).
    pub fn conflict_kind(self, kind: &str) -> &'static str {
        match kind {
            "person_double_booked" => {
                self.pick("persona con doble reserva", "person double-booked")
            }
            "travel_time" => self.pick("sin tiempo para viajar", "no time to travel"),
            "duplicate_specialty" => self.pick("especialidad duplicada", "duplicate specialty"),
            "holiday" => self.pick("feriado", "holiday"),
            "unavailable" => self.pick("especialista no disponible", "unavailable"),
            "room_capacity" => self.pick("faltan consultorios", "room capacity"),
            "monthly_trips" => self.pick("viajes del mes excedidos", "monthly trips"),
            "monthly_days" => self.pick("días del mes excedidos", "monthly days"),
            "road_closed" => self.pick("ruta cortada", "road closed"),
            _ => self.pick("otro", "other"),
        }
    }

    /// BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.pick("es", "en")
    }

    /// Name of a weekday.
    pub fn weekday(self, d: Weekday) -> &'static str {
        let i = d.num_days_from_monday() as usize;
        match self {
            Lang::Es => [
                "lunes",
                "martes",
                "miércoles",
                "jueves",
                "viernes",
                "sábado",
                "domingo",
            ][i],
            Lang::En => [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ][i],
        }
    }

    /// A date as people write it: 01/03/2027 in Spanish, 2027-03-01 in English.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::Es => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// Short month name.
    pub fn month(self, m: u32) -> &'static str {
        let i = (m.clamp(1, 12) - 1) as usize;
        match self {
            Lang::Es => [
                "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
            ][i],
            Lang::En => [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][i],
        }
    }

    /// A number with `places` decimals, with the decimal mark of the
    /// language (a comma in Spanish, as Argentine spreadsheets expect).
    pub fn decimal(self, x: f64, places: usize) -> String {
        let text = format!("{x:.places$}");
        match self {
            Lang::Es => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A fraction as a percentage with two decimals: `12,34 %`.
    pub fn percent(self, fraction: f64) -> String {
        format!("{} %", self.decimal(fraction * 100.0, 2))
    }

    /// A number with thousands separators (1.234.567 in Spanish, 1,234,567 in English).
    pub fn int(self, x: f64) -> String {
        let neg = x < 0.0;
        let digits = format!("{:.0}", x.abs());
        let sep = self.pick(".", ",");
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(c);
        }
        if neg { format!("-{out}") } else { out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(Lang::Es.int(1234567.4), "1.234.567");
        assert_eq!(Lang::En.int(-1234.0), "-1,234");
        assert_eq!(Lang::Es.int(999.0), "999");
        let d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(Lang::Es.date(d), "01/03/2027");
        assert_eq!(Lang::Es.weekday(d.weekday()), "lunes");
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }

    #[test]
    fn each_placeholder_takes_the_next_argument() {
        let n = 3;
        let es = Lang::Es.fill("{} visitas en {}", "{} visits at {}", &[&n, &"Beta"]);
        assert_eq!(es, "3 visitas en Beta");
        let en = Lang::En.fill("{} visitas en {}", "{} visits at {}", &[&n, &"Beta"]);
        assert_eq!(en, "3 visits at Beta");
        assert_eq!(Lang::Es.fill("sin datos", "no data", &[]), "sin datos");
    }
}
