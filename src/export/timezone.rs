//! VTIMEZONE components from the IANA database (chrono-tz), so calendar
//! clients show consultation hours in the scenario's local time whatever
//! their own zone or their copy of the database.

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// One observance: from `start` (UTC) the zone is `offset` seconds east of UTC.
#[derive(Clone, Debug, PartialEq)]
struct Observance {
    start: DateTime<Utc>,
    from: i32,
    to: i32,
    daylight: bool,
    name: String,
}

fn at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (
        o.fix().local_minus_utc(),
        o.dst_offset() != Duration::zero(),
        o.abbreviation().unwrap_or("").to_string(),
    )
}

/// Offset changes of `tz` between two dates, found to the quarter hour.
fn observances(tz: Tz, from: NaiveDate, to: NaiveDate) -> Vec<Observance> {
    let step = Duration::minutes(15);
    let mut t = Utc.from_utc_datetime(&from.and_hms_opt(0, 0, 0).expect("midnight"));
    let end = Utc.from_utc_datetime(&to.and_hms_opt(0, 0, 0).expect("midnight"));
    let (off, dst, name) = at(tz, t);
    let mut out = vec![Observance {
        start: t,
        from: off,
        to: off,
        daylight: dst,
        name,
    }];
    let mut current = off;
    while t < end {
        t += step;
        let (off, dst, name) = at(tz, t);
        if off != current {
            out.push(Observance {
                start: t,
                from: current,
                to: off,
                daylight: dst,
                name,
            });
            current = off;
        }
    }
    out
}

fn hhmm(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let m = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", m / 60, m % 60)
}

/// The VTIMEZONE text (CRLF line ends) of `tz`, covering `from`..`to` with
/// a year of margin before.
pub fn vtimezone(tz: Tz, from: NaiveDate, to: NaiveDate) -> String {
    let start = from - Duration::days(366);
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    for (i, o) in observances(tz, start, to + Duration::days(1))
        .into_iter()
        .enumerate()
    {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        // DTSTART of an observance is the local time before the change; the
        // first one simply starts at local midnight of the covered period.
        let local = if i == 0 {
            start.and_hms_opt(0, 0, 0).expect("midnight").and_utc()
        } else {
            o.start + Duration::seconds(i64::from(o.from))
        };
        out.push_str(&format!("BEGIN:{kind}\r\n"));
        out.push_str(&format!("DTSTART:{}\r\n", local.format("%Y%m%dT%H%M%S")));
        out.push_str(&format!("TZOFFSETFROM:{}\r\n", hhmm(o.from)));
        out.push_str(&format!("TZOFFSETTO:{}\r\n", hhmm(o.to)));
        if !o.name.is_empty() {
            out.push_str(&format!("TZNAME:{}\r\n", o.name));
        }
        out.push_str(&format!("END:{kind}\r\n"));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn argentina_has_one_fixed_offset() {
        let tz: Tz = "America/Argentina/Rio_Gallegos".parse().unwrap();
        let text = vtimezone(tz, d(2027, 3, 1), d(2028, 2, 27));
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(!text.contains("DAYLIGHT"));
        assert!(text.contains("TZOFFSETFROM:-0300\r\nTZOFFSETTO:-0300"));
    }

    #[test]
    fn madrid_switches_in_march_and_october() {
        let tz: Tz = "Europe/Madrid".parse().unwrap();
        let text = vtimezone(tz, d(2027, 1, 4), d(2027, 12, 27));
        // 2027: summer time from 28 March 02:00 (+0100 → +0200), back on 31 October 03:00.
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"
        ));
        assert!(text.contains(
            "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"
        ));
    }
}
