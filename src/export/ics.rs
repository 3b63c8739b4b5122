//! iCalendar (RFC 5545) files: one per facility and one per specialist
//! (person, both institutions' records together), one event per
//! consultation day.

use super::events::DayEvent;
use super::lookup::Names;
use super::{ExportOptions, Lang, OutFile, timezone};
use crate::model::Scenario;
use chrono::Duration;
use icalendar::{CalendarDateTime, Component, Event, EventLike, EventStatus, Property};
use std::collections::BTreeMap;

/// Every ICS file of the publication.
pub fn calendars(
    s: &Scenario,
    names: &Names,
    events: &[DayEvent],
    opts: &ExportOptions,
) -> Vec<OutFile> {
    let tz = timezone::vtimezone(s.horizon.time_zone, s.horizon.start, s.horizon.end());
    let mut by_facility: BTreeMap<&str, Vec<&DayEvent>> = BTreeMap::new();
    let mut by_person: BTreeMap<&str, Vec<&DayEvent>> = BTreeMap::new();
    for e in events {
        by_facility.entry(&e.data.facility).or_default().push(e);
        by_person.entry(&e.data.person).or_default().push(e);
    }
    let lang = opts.lang;
    let mut out = Vec::new();
    for (code, list) in by_facility {
        let title = format!(
            "{} — {}",
            lang.pick("Especialistas itinerantes", "Itinerant specialists"),
            names.facility_name(code)
        );
        out.push(OutFile::new(
            format!("calendars/ics/facilities/{}.ics", names.facility_file(code)),
            calendar(s, names, &title, &tz, &list, opts),
        ));
    }
    for (code, list) in by_person {
        let title = format!(
            "{} — {}",
            lang.pick("Agenda itinerante", "Itinerant calendar"),
            names.person_name(code)
        );
        out.push(OutFile::new(
            // The person key: safe, unique, and not the national id.
            format!("calendars/ics/specialists/{code}.ics"),
            calendar(s, names, &title, &tz, &list, opts),
        ));
    }
    out
}

/// One calendar. The VTIMEZONE is written by [`timezone::vtimezone`]: the
/// icalendar crate has no time-zone component of its own.
fn calendar(
    s: &Scenario,
    names: &Names,
    title: &str,
    vtimezone: &str,
    events: &[&DayEvent],
    opts: &ExportOptions,
) -> String {
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for p in [
        Property::new("VERSION", "2.0"),
        Property::new(
            "PRODID",
            format!("-//itinera//itinera {}//ES", env!("CARGO_PKG_VERSION")),
        ),
        Property::new("CALSCALE", "GREGORIAN"),
        Property::new("METHOD", "PUBLISH"),
        Property::new("X-WR-CALNAME", clean(title)),
        Property::new("X-WR-TIMEZONE", s.horizon.time_zone.name()),
    ] {
        text.push_str(&property_line(&p));
    }
    text.push_str(vtimezone);
    for e in events {
        text.push_str(&event(s, names, e, opts).to_string());
    }
    text.push_str("END:VCALENDAR\r\n");
    refold(&text)
}

/// Content lines folded at 75 octets (RFC 5545 §3.1), on character
/// boundaries. The icalendar crate folds too, but counts characters where
/// the limit is in octets, so accented text gave 76-octet lines: unfold
/// its output and fold it again here.
fn refold(text: &str) -> String {
    const LIMIT: usize = 75;
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = LIMIT;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            // A continuation line starts with the space that marks it.
            limit = LIMIT - 1;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// A property as one folded content line (through a throwaway calendar, the
/// crate's only public serializer for properties).
fn property_line(p: &Property) -> String {
    let mut c = icalendar::Calendar::empty();
    c.append_property(p.clone());
    let full = c.to_string();
    full.trim_start_matches("BEGIN:VCALENDAR\r\n")
        .trim_end_matches("END:VCALENDAR\r\n")
        .to_string()
}

fn event(s: &Scenario, names: &Names, e: &DayEvent, opts: &ExportOptions) -> Event {
    let d = &e.data;
    let lang = opts.lang;
    let specialty = names.specialty_name(&d.specialty);
    let person = names.person_name(&d.person);
    let mut summary = format!("{specialty} — {person}");
    if d.cancelled {
        // Calendar programs that ignore STATUS still show the word.
        summary = format!("{}: {summary}", lang.pick("CANCELADA", "CANCELLED"));
    }
    let mut ev = Event::new();
    ev.uid(&e.uid)
        .sequence(e.sequence)
        .timestamp(opts.published_at)
        .summary(&clean(&summary))
        .location(&clean(&format!(
            "{}, {}",
            names.facility_name(&d.facility),
            names.locality_name(&d.locality)
        )))
        .description(&clean(&description(s, names, e, lang)))
        // A list property: the crate writes it as given, so escape it here.
        .add_property("CATEGORIES", escape_list_item(&clean(&specialty)))
        .add_property("TRANSP", "OPAQUE")
        .add_property("X-ITINERA-VISIT", &d.visit);
    if let Some(l) = names.locality(&d.locality) {
        ev.add_property("GEO", format!("{:.6};{:.6}", l.lat, l.lon));
    }
    match d.hours {
        Some((from, to)) => {
            let tzid = s.horizon.time_zone.name().to_string();
            ev.starts(CalendarDateTime::WithTimezone {
                date_time: d.date.and_time(from),
                tzid: tzid.clone(),
            })
            .ends(CalendarDateTime::WithTimezone {
                date_time: d.date.and_time(to),
                tzid,
            });
        }
        None => {
            ev.starts(d.date).ends(d.date + Duration::days(1));
        }
    }
    ev.status(if d.cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    ev.done()
}

/// Text as RFC 5545 allows it: line breaks as LF (written `\n` by the
/// crate, which also escapes `\ ; ,`), no other control characters.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// One item of a list-valued property (CATEGORIES): its commas and
/// semicolons escaped, so the item stays one.
fn escape_list_item(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

fn description(s: &Scenario, names: &Names, e: &DayEvent, lang: Lang) -> String {
    let d = &e.data;
    let mut lines = Vec::new();
    if d.cancelled {
        lines.push(
            lang.pick(
                "CANCELADA: esta visita ya no forma parte del plan unificado.",
                "CANCELLED: this visit is no longer part of the unified plan.",
            )
            .to_string(),
        );
    }
    lines.push(format!(
        "{} {} ({}).",
        lang.pick("Consultorio itinerante de", "Itinerant clinic of"),
        names.specialty_name(&d.specialty),
        names.locality_name(&d.locality)
    ));
    lines.push(format!(
        "{}: {} — {}.",
        lang.pick("Especialista", "Specialist"),
        names.person_name(&d.person),
        names.institution_name(&d.institution)
    ));
    lines.push(match lang {
        Lang::Es => format!(
            "Día {} de {} de la visita; hasta {} pacientes por día.",
            d.day, d.days, d.patients_per_day
        ),
        Lang::En => format!(
            "Day {} of {} of the visit; up to {} patients a day.",
            d.day, d.days, d.patients_per_day
        ),
    });
    if !s.publishing.patient_note.is_empty() {
        lines.push(s.publishing.patient_note.clone());
    }
    lines.join("\n")
}
