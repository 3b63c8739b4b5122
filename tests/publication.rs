//! What hospitals receive: no national id, distinct file names, calendar
//! text that calendar programs read as text, spreadsheet cells that never
//! run, counts that match what was written.

mod common;

use chrono::{TimeZone, Utc};
use itinera::export::{self, ExportOptions, Lang, Publication};
use itinera::model::{PersonIdentifier, Scenario};
use itinera::network::RoadNetwork;
use itinera::plan::format::{Origin, Plan};
use std::fs;

/// Tiny with national-id-like person codes, and its existing calendars as
/// a plan (deterministic, no solver).
fn tiny_with_dnis() -> (Scenario, Plan) {
    let dir = common::tiny_copy();
    let p = dir.path().join("specialists.csv");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace(",P1,", ",21001744,")
        .replace(",P2,", ",30111222,")
        .replace(",P3,", ",27333444,");
    fs::write(&p, text).unwrap();
    let s = itinera::scenario::load(dir.path()).expect("valid");
    let net = RoadNetwork::new(&s);
    let plan = itinera::plan::status_quo::as_plan(&s, &net);
    (s, plan)
}

fn publish(s: &Scenario, plan: &Plan) -> Publication {
    let opts = ExportOptions {
        lang: Lang::Es,
        published_at: Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
    };
    export::publish(s, plan, None, &opts).expect("publishes")
}

/// The province's CSV calendar of a publication of tiny.
fn province_csv(p: &Publication) -> String {
    let csv = p
        .files
        .iter()
        .find(|f| f.path.to_str() == Some("calendars/csv/tiny.csv"))
        .expect("the province's calendar");
    String::from_utf8_lossy(&csv.bytes).into_owned()
}

const DNIS: [&str; 3] = ["21001744", "30111222", "27333444"];

#[test]
fn no_national_id_is_published_unless_the_scenario_opts_in() {
    let (mut s, plan) = tiny_with_dnis();
    let p = publish(&s, &plan);
    for f in &p.files {
        let name = f.path.display().to_string();
        let body = String::from_utf8_lossy(&f.bytes);
        for dni in DNIS {
            assert!(!name.contains(dni), "{name} names a DNI");
            assert!(!body.contains(dni), "{name} holds DNI {dni}");
        }
    }
    assert!(
        p.files
            .iter()
            .any(|f| f.path.to_str() == Some("calendars/ics/specialists/ana-ruiz.ics")),
        "specialists' calendars are named by their pseudonymous key"
    );
    s.publishing.person_identifier = PersonIdentifier::Dni {
        system: "http://www.renaper.gob.ar/dni".to_string(),
    };
    let p = publish(&s, &plan);
    let fhir: String = p
        .files
        .iter()
        .filter(|f| f.path.starts_with("fhir"))
        .map(|f| String::from_utf8_lossy(&f.bytes).to_string())
        .collect();
    assert!(fhir.contains("21001744") && fhir.contains("renaper"));
    let ics: Vec<_> = p
        .files
        .iter()
        .filter(|f| f.path.starts_with("calendars"))
        .collect();
    assert!(
        ics.iter()
            .all(|f| !String::from_utf8_lossy(&f.bytes).contains("21001744")),
        "the opt-in is for FHIR identifiers only"
    );
}

#[test]
fn codes_that_read_alike_never_share_a_file() {
    let names = export::events::unique_slugs([
        "Gamma_CSS",
        "gamma-css",
        "P2",
        "p2",
        "Ωμέγα",
        "Δέλτα",
        "beta",
    ]);
    let mut files: Vec<&String> = names.values().collect();
    files.sort();
    files.dedup();
    assert_eq!(files.len(), 7, "{names:?}");
    assert_eq!(names["beta"], "beta", "a code alone keeps its plain name");
    // A name depends on its code alone, not on which other codes exist.
    let again = export::events::unique_slugs(["gamma-css", "Gamma_CSS"]);
    assert_eq!(again["gamma-css"], names["gamma-css"]);
    // Two persons of one name get two calendars.
    let (mut s, plan) = tiny_with_dnis();
    for p in &mut s.persons {
        p.name = "Ana Ruiz".to_string();
    }
    let keys = export::lookup::person_keys(&s);
    let mut distinct: Vec<&String> = keys.values().collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{keys:?}");
    let p = publish(&s, &plan);
    let specialists = p
        .files
        .iter()
        .filter(|f| f.path.starts_with("calendars/ics/specialists"))
        .count();
    assert_eq!(specialists, 3);
}

#[test]
fn calendar_text_is_escaped_folded_and_free_of_control_characters() {
    let (mut s, mut plan) = tiny_with_dnis();
    let long =
        "Hospital Distrital \"Dr. José Formenti\", consultorios externos; ala norte, planta baja";
    for f in &mut s.facilities {
        f.name = format!("{long}\r\nBEGIN:VEVENT\0");
    }
    for sp in &mut s.specialties {
        sp.name = format!("{}, adultos; niños", sp.name);
    }
    plan.visits[0].origin = Origin::Dropped;
    let p = publish(&s, &plan);
    for f in p
        .files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "ics"))
    {
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        assert!(!text.contains('\0'), "{}: NUL", f.path.display());
        for line in text.split("\r\n") {
            assert!(
                line.len() <= 75,
                "{}: {} octets: {line}",
                f.path.display(),
                line.len()
            );
            assert!(
                !line.contains('\r') && !line.contains('\n'),
                "bare line break: {line:?}"
            );
        }
        // The injected text stays inside its property.
        let lines: Vec<&str> = text.split("\r\n").collect();
        let events = lines.iter().filter(|l| **l == "END:VEVENT").count();
        assert_eq!(
            lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
            events
        );
        let unfolded = text.replace("\r\n ", "");
        for l in unfolded.lines().filter(|l| l.starts_with("CATEGORIES:")) {
            assert!(l.contains("\\, adultos\\; niños"), "one category: {l}");
        }
        if unfolded.contains("STATUS:CANCELLED") {
            assert!(
                unfolded.contains("SUMMARY:CANCELADA: "),
                "{}",
                f.path.display()
            );
        }
    }
}

#[test]
fn spreadsheet_cells_never_start_a_formula() {
    let (mut s, plan) = tiny_with_dnis();
    for p in &mut s.persons {
        p.name = "=HYPERLINK(\"http://x\",\"y\")".to_string();
    }
    for l in &mut s.localities {
        l.name = format!("+{}", l.name);
    }
    let p = publish(&s, &plan);
    for f in p
        .files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "csv"))
    {
        let text = String::from_utf8_lossy(&f.bytes);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        for row in reader.records() {
            for cell in row.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '@']),
                    "{}: {cell}",
                    f.path.display()
                );
            }
        }
    }
}

#[test]
fn the_first_publication_counts_the_cancellations_it_writes() {
    let (s, mut plan) = tiny_with_dnis();
    // Visits of an institution's calendar that the plan drops.
    plan.visits[1].origin = Origin::Dropped;
    plan.visits[2].origin = Origin::Dropped;
    let dropped_days: usize = plan
        .visits
        .iter()
        .filter(|v| v.origin == Origin::Dropped)
        .map(|v| v.dates.len())
        .sum();
    let p = publish(&s, &plan);
    let written = p
        .manifest
        .events
        .values()
        .filter(|e| e.data.cancelled)
        .count();
    assert_eq!(p.changes.cancelled, written);
    assert_eq!(written, dropped_days);
}

/// Tiny planned by the optimizer, with its network and status quo.
fn solved_tiny() -> (
    Scenario,
    RoadNetwork,
    Plan,
    itinera::calendar::status_quo::StatusQuo,
) {
    let s = itinera::scenario::load(&common::repo("scenarios/tiny")).unwrap();
    let net = RoadNetwork::new(&s);
    let opts = itinera::optimize::Options {
        time_limit: 10.0,
        threads: 1,
        ..Default::default()
    };
    let sol = itinera::plan::solve(&s, &net, &opts, None).unwrap();
    let plan = itinera::plan::assemble(&s, &net, &sol, Default::default()).unwrap();
    let visits = itinera::calendar::merge(&s);
    let found = itinera::calendar::conflicts::find(&s, &net, &visits);
    let sq = itinera::calendar::status_quo::evaluate(&s, &net, &visits, &found);
    (s, net, plan, sq)
}

/// Words that give away an English text (as whole words, case-insensitive).
const ENGLISH: [&str; 24] = [
    "the",
    "and",
    "of",
    "kept",
    "moved",
    "dropped",
    "visits",
    "waiting",
    "person",
    "persons",
    "duplicate",
    "double",
    "booked",
    "conflict",
    "conflicts",
    "resolution",
    "optimal",
    "time_limit",
    "feasible",
    "bound",
    "gap",
    "plan's",
    "weeks",
    "specialty",
];

fn english_words(text: &str) -> Vec<String> {
    // Visible text only: tags, styles and scripts out.
    let mut visible = String::new();
    let mut depth = 0;
    let mut skip = false;
    let lower = text.to_lowercase();
    let mut i = 0;
    let bytes = lower.as_bytes();
    while i < bytes.len() {
        if lower[i..].starts_with("<style") || lower[i..].starts_with("<script") {
            skip = true;
        }
        if lower[i..].starts_with("</style") || lower[i..].starts_with("</script") {
            skip = false;
        }
        let c = lower[i..].chars().next().unwrap();
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                visible.push(' ');
            }
            _ if depth == 0 && !skip => visible.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    let mut found: Vec<String> = visible
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '\'')
        .filter(|w| ENGLISH.contains(w))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_spanish_report_has_no_english_and_the_english_one_has() {
    let (s, _, plan, sq) = solved_tiny();
    assert!(!plan.conflicts.is_empty(), "tiny's calendars collide");
    let es = export::report::html(&s, &plan, &sq, Lang::Es, &[]).unwrap();
    assert_eq!(
        english_words(&es),
        Vec::<String>::new(),
        "English in the Spanish report"
    );
    let en = export::report::html(&s, &plan, &sq, Lang::En, &[]).unwrap();
    assert!(
        english_words(&en).len() > 10,
        "the check finds English when it is there"
    );
}

/// The summary, the report and `compare` count kept and moved visits the
/// same way (issue 16: "4 kept, 4 moved" beside "nothing kept").
#[test]
fn kept_and_moved_mean_the_same_everywhere() {
    use itinera::plan::diff::ChangeKind;
    let (s, net, plan, sq) = solved_tiny();
    let counts = itinera::plan::diff::against_existing(&s, &net, &plan);
    let n = |k| counts.get(&k).copied().unwrap_or(0);
    let sq_plan = itinera::plan::status_quo::as_plan(&s, &net);
    let cols = export::compare::compare(&[("sq".into(), sq_plan), ("plan".into(), plan.clone())]);
    assert_eq!(
        cols[1].changed_vs_first,
        n(ChangeKind::Moved) + n(ChangeKind::Reassigned) + n(ChangeKind::Cancelled)
    );
    assert_eq!(cols[1].added_vs_first, n(ChangeKind::New));
    let html = export::report::html(&s, &plan, &sq, Lang::Es, &[]).unwrap();
    assert!(
        html.contains(&format!("mantenidas: {}", n(ChangeKind::Kept))),
        "the report's count"
    );
    // The calendars' column says the same of each visit.
    let text = province_csv(&publish(&s, &plan));
    let column = |word: &str| {
        text.lines()
            .filter(|l| l.contains(&format!(";{word};")))
            .count()
    };
    assert_eq!(column("se mantiene"), n(ChangeKind::Kept), "{text}");
    assert_eq!(column("reprogramada"), n(ChangeKind::Moved), "{text}");
    assert_eq!(column("nueva"), n(ChangeKind::New), "{text}");
}

#[test]
fn spreadsheets_open_in_columns_in_spanish_excel_and_as_a_workbook() {
    let (s, plan) = tiny_with_dnis();
    let p = publish(&s, &plan);
    let text = province_csv(&p);
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert!(header.starts_with("fecha;fecha_iso;dia;"), "{header}");
    let book = p
        .files
        .iter()
        .find(|f| f.path.to_str() == Some("calendars/tiny.xlsx"))
        .expect("a workbook");
    assert!(book.bytes.starts_with(b"PK"), "an .xlsx is a zip");
    let facilities: std::collections::HashSet<_> =
        plan.made_visits().map(|v| v.facility.clone()).collect();
    let sheets = (1..=facilities.len() + 2)
        .filter(|n| {
            let name = format!("xl/worksheets/sheet{n}.xml");
            book.bytes.windows(name.len()).any(|w| w == name.as_bytes())
        })
        .count();
    assert_eq!(
        sheets,
        facilities.len() + 1,
        "the province and one per facility"
    );
}

#[test]
fn the_front_page_lists_every_calendar_and_links_only_files_that_exist() {
    let (s, plan) = tiny_with_dnis();
    let p = publish(&s, &plan);
    let index = p
        .files
        .iter()
        .find(|f| f.path.to_str() == Some("index.html"))
        .expect("index.html");
    let html = String::from_utf8_lossy(&index.bytes);
    let paths: std::collections::HashSet<String> = p
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let links: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .map(|x| x.split('"').next().unwrap())
        .collect();
    for f in p
        .files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "ics"))
    {
        let path = f.path.display().to_string();
        assert!(links.contains(&path.as_str()), "{path} not listed");
    }
    for l in &links {
        assert!(paths.contains(*l) || *l == "report.html", "dead link {l}");
    }
    assert!(html.contains("Suscribirse") && html.contains("Beta"));
    assert!(p.files.iter().any(|f| f.path.to_str() == Some("LEEME.txt")));
}
