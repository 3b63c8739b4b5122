//! Publishing: CSV and ICS snapshots of the tiny scenario, stable UIDs and
//! SEQUENCE across re-publication, FHIR R4 rules, GeoJSON, and the report's
//! structure. Set UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an
//! intended change (and review the diff).

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use itinera::calendar::{self, conflicts, status_quo};
use itinera::export::events::slug;
use itinera::export::{self, ExportOptions, Lang, OutFile, Publication};
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::plan::format::{Origin, Plan};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

fn tiny() -> (Scenario, RoadNetwork, Plan) {
    let s = itinera::scenario::load(&common::repo("scenarios/tiny")).expect("tiny loads");
    let net = RoadNetwork::new(&s);
    // The existing calendars as a plan: deterministic, no solver involved.
    let plan = itinera::plan::status_quo::as_plan(&s, &net);
    (s, net, plan)
}

fn opts(lang: Lang) -> ExportOptions {
    ExportOptions {
        lang,
        published_at: Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
    }
}

fn file<'a>(p: &'a Publication, path: &str) -> &'a OutFile {
    p.files
        .iter()
        .find(|f| f.path.to_str() == Some(path))
        .unwrap_or_else(|| {
            let all: Vec<_> = p
                .files
                .iter()
                .map(|f| f.path.display().to_string())
                .collect();
            panic!("{path} not published; files: {all:?}")
        })
}

fn text(f: &OutFile) -> String {
    String::from_utf8(f.bytes.clone()).expect("UTF-8")
}

fn snapshot(name: &str, actual: &str) {
    let path = common::repo(&format!("tests/snapshots/{name}"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {name}: run with UPDATE_SNAPSHOTS=1"));
    assert_eq!(actual, expected, "{name} differs from its snapshot");
}

/// Values of one property of every VEVENT, in order.
fn prop(ics: &str, key: &str) -> Vec<String> {
    let unfolded = ics.replace("\r\n ", "");
    unfolded
        .split("\r\n")
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k == key || k.starts_with(&format!("{key};"))).then(|| v.to_string())
        })
        .collect()
}

#[test]
fn csv_and_ics_of_the_tiny_scenario_match_their_snapshots() {
    let (s, _, plan) = tiny();
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let csv = text(file(&p, "calendars/csv/tiny.csv"));
    assert!(
        csv.starts_with('\u{feff}'),
        "CSV starts with a BOM for spreadsheets"
    );
    snapshot("tiny.csv", &csv);
    let facility = &plan.visits[0].facility;
    snapshot(
        "tiny-facility.ics",
        &text(file(
            &p,
            &format!("calendars/ics/facilities/{}.ics", slug(facility)),
        )),
    );
}

#[test]
fn every_ics_file_parses_and_uses_its_own_time_zone() {
    let (s, _, plan) = tiny();
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let tz = s.horizon.time_zone.name();
    let mut files = 0;
    for f in p
        .files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "ics"))
    {
        files += 1;
        let t = text(f);
        let cal: icalendar::Calendar = t
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", f.path.display()));
        assert!(
            t.contains("\r\nBEGIN:VTIMEZONE\r\nTZID:"),
            "VTIMEZONE in {}",
            f.path.display()
        );
        assert!(
            t.lines().all(|l| l.len() <= 75 + 1),
            "lines folded at 75 octets"
        );
        let uids = prop(&t, "UID");
        assert_eq!(uids.len(), cal.events().count(), "one UID per event");
        assert_eq!(
            uids.iter().collect::<HashSet<_>>().len(),
            uids.len(),
            "UIDs unique in a file"
        );
        let events = &t[t.find("BEGIN:VEVENT").unwrap()..];
        for line in events
            .lines()
            .filter(|l| l.starts_with("DTSTART") || l.starts_with("DTEND"))
        {
            assert!(
                line.contains(&format!(";TZID={tz}:")),
                "local time with TZID: {line}"
            );
        }
        assert_eq!(prop(&t, "DTSTAMP").len(), uids.len());
    }
    // One calendar per facility visited and one per person.
    let facilities: HashSet<_> = plan.visits.iter().map(|v| &v.facility).collect();
    let persons: HashSet<_> = plan.visits.iter().map(|v| &v.person).collect();
    assert_eq!(files, facilities.len() + persons.len());
}

#[test]
fn consultation_hours_become_local_times_and_all_day_events_are_dates() {
    let (mut s, _, plan) = tiny();
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let person = export::lookup::person_keys(&s)[plan.visits[0].person.as_str()].clone();
    let person = &person;
    let t = text(file(
        &p,
        &format!("calendars/ics/specialists/{}.ics", slug(person)),
    ));
    let d = plan.visits[0].dates[0].format("%Y%m%d").to_string();
    assert!(prop(&t, "DTSTART").contains(&format!("{d}T080000")));
    s.publishing.all_day = true;
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let t = text(file(
        &p,
        &format!("calendars/ics/specialists/{}.ics", slug(person)),
    ));
    let next = (plan.visits[0].dates[0] + chrono::Duration::days(1))
        .format("%Y%m%d")
        .to_string();
    assert!(t.contains(&format!("DTSTART;VALUE=DATE:{d}")));
    assert!(
        t.contains(&format!("DTEND;VALUE=DATE:{next}")),
        "all-day DTEND is the next day"
    );
}

#[test]
fn republishing_a_changed_plan_keeps_uids_and_raises_sequence() {
    let (s, _, plan) = tiny();
    let first = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    // Same plan again: nothing changes.
    let again = export::publish(&s, &plan, Some(&first.manifest), &opts(Lang::Es)).unwrap();
    assert_eq!(
        again.changes.updated + again.changes.cancelled + again.changes.new,
        0
    );
    assert_eq!(again.manifest.events, first.manifest.events);

    // Move the first visit by a week, take the last one out, renumber ids.
    let mut changed = plan.clone();
    let week = chrono::Duration::days(7);
    let moved = &mut changed.visits[0];
    moved.start += week;
    moved.dates.iter_mut().for_each(|d| *d += week);
    let removed = changed.visits.pop().unwrap();
    for (i, v) in changed.visits.iter_mut().enumerate() {
        v.id = format!("X{i}");
    }
    let second = export::publish(&s, &changed, Some(&first.manifest), &opts(Lang::Es)).unwrap();
    let before: HashMap<_, _> = first.manifest.events.iter().collect();
    assert_eq!(
        second.manifest.events.keys().collect::<Vec<_>>(),
        first.manifest.events.keys().collect::<Vec<_>>(),
        "no new UID: moved and removed visits keep theirs"
    );
    for (uid, e) in &second.manifest.events {
        let old = before[uid];
        if e.data.record == plan.visits[0].specialist && old.data.date != e.data.date {
            assert_eq!(e.sequence, old.sequence + 1, "moved day raises SEQUENCE");
            assert!(!e.data.cancelled);
        } else if old.data.visit == removed.id {
            assert!(e.data.cancelled, "removed visit is cancelled");
            assert_eq!(e.sequence, old.sequence + 1);
        } else {
            assert_eq!(
                e.sequence, old.sequence,
                "unchanged day keeps SEQUENCE: {uid}"
            );
        }
    }
    assert_eq!(second.changes.updated, plan.visits[0].dates.len());
    assert_eq!(second.changes.cancelled, removed.dates.len());
    // The cancelled events are in the ICS of the facility, marked so.
    let t = text(file(
        &second,
        &format!("calendars/ics/facilities/{}.ics", slug(&removed.facility)),
    ));
    assert!(prop(&t, "STATUS").contains(&"CANCELLED".to_string()));
}

#[test]
fn dropped_visits_are_published_as_cancelled() {
    let (s, _, mut plan) = tiny();
    plan.visits[1].origin = Origin::Dropped;
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let key = &export::lookup::person_keys(&s)[plan.visits[1].person.as_str()];
    let t = text(file(&p, &format!("calendars/ics/specialists/{key}.ics")));
    assert!(t.contains("STATUS:CANCELLED"));
    // Not bookable: no FHIR slot, no CSV row.
    let csv = text(file(&p, "calendars/csv/tiny.csv"));
    assert!(!csv.contains(&format!(",{},", plan.visits[1].id)));
}

fn instant_ok(x: &str) -> bool {
    // YYYY-MM-DDThh:mm:ss with Z or ±hh:mm (FHIR instant).
    let b = x.as_bytes();
    x.len() >= 20
        && b[4] == b'-'
        && b[10] == b'T'
        && (x.ends_with('Z') || matches!(b[x.len() - 6], b'+' | b'-'))
        && chrono::DateTime::parse_from_rfc3339(x).is_ok()
}

#[test]
fn fhir_bundles_follow_the_r4_rules_they_rely_on() {
    let (s, _, plan) = tiny();
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let mut slots = 0;
    for f in p.files.iter().filter(|f| f.path.starts_with("fhir")) {
        let b: Value = serde_json::from_slice(&f.bytes).unwrap();
        assert_eq!(b["resourceType"], "Bundle");
        assert_eq!(b["type"], "collection");
        assert!(instant_ok(b["timestamp"].as_str().unwrap()));
        let entries = b["entry"].as_array().unwrap();
        let mut by_url: HashMap<&str, &Value> = HashMap::new();
        for e in entries {
            let url = e["fullUrl"].as_str().unwrap();
            let r = &e["resource"];
            let id = r["id"].as_str().unwrap();
            // id: [A-Za-z0-9\-\.]{1,64}; fullUrl urn:uuid of the id.
            assert!(
                id.len() <= 64
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            );
            assert_eq!(url, format!("urn:uuid:{id}"));
            assert!(by_url.insert(url, r).is_none(), "fullUrl unique (bdl-7)");
        }
        let kind = |url: &str| {
            by_url
                .get(url)
                .map(|r| r["resourceType"].as_str().unwrap().to_string())
        };
        for r in by_url.values() {
            match r["resourceType"].as_str().unwrap() {
                "Schedule" => {
                    let actors = r["actor"].as_array().unwrap();
                    let kinds: HashSet<_> = actors
                        .iter()
                        .map(|a| kind(a["reference"].as_str().unwrap()).unwrap())
                        .collect();
                    assert_eq!(
                        kinds,
                        HashSet::from(["Location".to_string(), "Practitioner".to_string()])
                    );
                }
                "Slot" => {
                    slots += 1;
                    assert_eq!(r["status"], "free");
                    assert_eq!(
                        kind(r["schedule"]["reference"].as_str().unwrap()).as_deref(),
                        Some("Schedule")
                    );
                    let (a, z) = (r["start"].as_str().unwrap(), r["end"].as_str().unwrap());
                    assert!(instant_ok(a) && instant_ok(z), "{a} {z}");
                    assert!(a.ends_with("-03:00"), "local offset of the scenario: {a}");
                    assert!(
                        chrono::DateTime::parse_from_rfc3339(a).unwrap()
                            < chrono::DateTime::parse_from_rfc3339(z).unwrap()
                    );
                }
                "Location" | "Practitioner" => {}
                other => panic!("unexpected resource {other}"),
            }
        }
    }
    let days: usize = plan.visits.iter().map(|v| v.dates.len()).sum();
    assert_eq!(slots, days, "a slot per consultation day");
}

#[test]
fn localities_geojson_has_a_point_per_locality() {
    let (s, _, plan) = tiny();
    let p = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap();
    let g: geojson::GeoJson = text(file(&p, "map/localities.geojson")).parse().unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = g else {
        panic!("not a collection")
    };
    assert_eq!(fc.features.len(), s.localities.len());
    let visits: u64 = fc
        .features
        .iter()
        .map(|f| f.property("visits").unwrap().as_u64().unwrap())
        .sum();
    assert_eq!(visits as usize, plan.visits.len());
}

#[test]
fn the_report_holds_every_chart_and_nothing_external() {
    let (s, net, plan) = tiny();
    let booked = calendar::merge(&s);
    let found = conflicts::find(&s, &net, &booked);
    let sq = status_quo::evaluate(&s, &net, &booked, &found);
    for (lang, words) in [
        (
            Lang::Es,
            [
                "Visitas por localidad",
                "Listas de espera semana a semana",
                "Cobertura",
                "Mapa",
                "Carga de trabajo",
                "Conflictos",
            ],
        ),
        (
            Lang::En,
            [
                "Visits per locality",
                "Waiting lists week by week",
                "Coverage",
                "Map",
                "Workload",
                "Conflicts",
            ],
        ),
    ] {
        let html = export::report::html(&s, &plan, &sq, lang, &[]).unwrap();
        for w in words {
            assert!(html.contains(&format!("<h2>{w}")), "section {w}");
        }
        // gantt + total backlog + a backlog per specialty with demand + heat map + map + workload
        let specialties: HashSet<_> = s.demand.iter().map(|d| d.specialty).collect();
        assert_eq!(html.matches("<svg").count(), 5 + specialties.len());
        assert!(!html.contains("<script") && !html.contains("<link") && !html.contains(" src="));
        let without_ns = html.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !without_ns.contains("http://") && !without_ns.contains("https://"),
            "no external reference"
        );
        // Axes and labels present: week axis, every visited locality, every specialty of the heat map.
        let week_axis = format!(">\n{}\n</text>", lang.pick("semana", "week"));
        assert_eq!(
            html.matches(&week_axis).count(),
            1 + specialties.len(),
            "every backlog chart has its week axis"
        );
        let month_axis = format!(">\n{}\n</text>", lang.pick("mes", "month"));
        assert!(html.contains(&month_axis), "Gantt month axis");
        for d in &specialties {
            // Caption of its backlog chart and column of the heat map.
            let name = &s.specialty(*d).name;
            let label = format!(">\n{name}\n</text>");
            assert!(html.matches(&label).count() >= 2, "{name} labelled");
        }
        for v in &plan.visits {
            let name = &s
                .localities
                .iter()
                .find(|l| l.code == v.locality)
                .unwrap()
                .name;
            assert!(
                html.contains(name.as_str()),
                "locality {name} on the charts"
            );
        }
    }
}

#[test]
fn a_plan_from_another_scenario_is_refused() {
    let (s, _, mut plan) = tiny();
    plan.visits[0].facility = "nowhere".into();
    let e = export::publish(&s, &plan, None, &opts(Lang::Es)).unwrap_err();
    assert!(e.to_string().contains("facility `nowhere`"), "{e}");
}

#[test]
fn comparison_counts_changes_against_the_first_plan() {
    let (_, _, plan) = tiny();
    let mut other = plan.clone();
    other.visits[0].dates[0] = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let cols = export::compare::compare(&[("a".into(), plan.clone()), ("b".into(), other)]);
    assert_eq!((cols[0].changed_vs_first, cols[0].added_vs_first), (0, 0));
    // The same visit on other dates is moved (`plan::diff`), not a
    // cancellation and a new visit.
    assert_eq!((cols[1].changed_vs_first, cols[1].added_vs_first), (1, 0));
    let table = export::compare::table(&cols, Lang::En);
    assert!(table.contains("visits changed vs the first"));
    let csv = String::from_utf8(export::compare::csv(&cols, Lang::En).unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 3);
    let html =
        export::compare::html(&cols, Some(&[("a".into(), vec![1.0, 2.0])]), Lang::Es).unwrap();
    assert_eq!(html.matches("<svg").count(), 4);
}
