//! Words of the published files in Spanish (the default: the ministry, the
//! fund and the hospitals work in Spanish) or English.

use chrono::{Datelike, NaiveDate, Weekday};
use std::str::FromStr;

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
}
