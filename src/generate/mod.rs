//! `itinera generate`: a valid, realistic synthetic scenario of any size,
//! for benchmarks and scale tests. Localities cluster around hub cities on
//! a connected road graph; two institutions employ specialists based in the
//! hubs, some persons in both; waiting lists follow population; each
//! institution's calendar is drawn independently, so they collide as real
//! ones do (one person booked twice, a specialty sent twice). The same
//! parameters and seed give the same files, byte for byte.

mod calendars;
mod geography;
pub mod patients;
mod staff;

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use std::fmt::Write;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Localities (at least 4).
    pub localities: usize,
    /// Specialist records (at least 14, one per specialty).
    pub specialists: usize,
    /// Weeks of the horizon, from Monday 2027-03-01 (1 to 104).
    pub weeks: u32,
    /// Planning regions (provinces), each planned with its own specialists;
    /// `None`: one per 25 localities, a Santa Cruz–sized province, while
    /// there are hubs and 28 records for each.
    pub regions: Option<usize>,
    /// Random seed.
    pub seed: u64,
}

/// Parameters that cannot make a valid scenario.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GenerateError {
    /// Out of range.
    #[error("{what} must be {range} (got {got})")]
    OutOfRange {
        /// Which parameter.
        what: &'static str,
        /// The allowed range.
        range: &'static str,
        /// What was given.
        got: u64,
    },
}

/// One file of the scenario folder.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    /// Name within the folder.
    pub name: &'static str,
    /// Contents.
    pub text: String,
}

/// Argentine national holidays of 2027–28 (those inside the horizon are listed).
const HOLIDAYS: [(&str, &str); 14] = [
    (
        "2027-03-24",
        "Día Nacional de la Memoria por la Verdad y la Justicia",
    ),
    ("2027-03-26", "Viernes Santo"),
    (
        "2027-04-02",
        "Día del Veterano y de los Caídos en la Guerra de Malvinas",
    ),
    ("2027-05-01", "Día del Trabajador"),
    ("2027-05-25", "Día de la Revolución de Mayo"),
    (
        "2027-06-21",
        "Paso a la Inmortalidad del General Martín Miguel de Güemes",
    ),
    ("2027-07-09", "Día de la Independencia"),
    (
        "2027-08-16",
        "Paso a la Inmortalidad del General José de San Martín",
    ),
    ("2027-10-11", "Día del Respeto a la Diversidad Cultural"),
    ("2027-11-20", "Día de la Soberanía Nacional"),
    ("2027-12-08", "Inmaculada Concepción de María"),
    ("2027-12-25", "Navidad"),
    ("2028-01-01", "Año Nuevo"),
    ("2028-02-28", "Carnaval"),
];

/// Generate the files of a scenario folder.
pub fn generate(p: &Params) -> Result<Vec<File>, GenerateError> {
    check(p)?;
    let mut rng = Pcg64Mcg::seed_from_u64(p.seed);
    let places = geography::places(p.localities, p.region_count(), &mut rng);
    let links = geography::roads(&places, &mut rng);
    let sites = staff::sites(&places);
    let records = staff::records(p.specialists, &places, p.weeks, &mut rng);
    let lists = calendars::demand(&places, &links, &records, &mut rng);
    let (ministry, css) =
        calendars::visits(p.weeks, &places, &sites, &records, &lists, &links, &mut rng);
    let mut files = vec![
        File {
            name: "scenario.yaml",
            text: scenario_yaml(p),
        },
        File {
            name: "localities.csv",
            text: table(
                &["id", "name", "zone", "region", "lat", "lon", "population"],
                places.iter().map(|pl| {
                    let (lat, lon) = pl.lat_lon();
                    vec![
                        pl.code.clone(),
                        pl.name.clone(),
                        pl.zone.clone(),
                        pl.region.clone(),
                        format!("{lat:.4}"),
                        format!("{lon:.4}"),
                        pl.population.to_string(),
                    ]
                }),
            ),
        },
        File {
            name: "roads.csv",
            text: table(
                &["from", "to", "km", "surface", "route"],
                links.iter().map(|l| {
                    vec![
                        places[l.a].code.clone(),
                        places[l.b].code.clone(),
                        format!("{}", l.km),
                        l.surface.to_string(),
                        l.route.clone(),
                    ]
                }),
            ),
        },
        File {
            name: "facilities.csv",
            text: table(
                &[
                    "id",
                    "name",
                    "locality",
                    "institution",
                    "kind",
                    "rooms_per_day",
                ],
                sites.iter().map(|s| {
                    vec![
                        s.code.clone(),
                        s.name.clone(),
                        places[s.place].code.clone(),
                        s.institution.to_string(),
                        s.kind.to_string(),
                        s.rooms.to_string(),
                    ]
                }),
            ),
        },
    ];
    let start = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).expect("valid date");
    files.push(File {
        name: "specialists.csv",
        text: table(
            &[
                "record",
                "person",
                "name",
                "institution",
                "specialty",
                "base",
                "unavailable",
                "max_trips_per_month",
                "max_days_away_per_month",
            ],
            records.iter().map(|r| {
                let leave = r.leave.map_or(String::new(), |(w, n)| {
                    let from = start + chrono::Days::new(u64::from(w) * 7);
                    let to = from + chrono::Days::new(u64::from(n) * 7 - 1);
                    format!("{from}..{to}")
                });
                vec![
                    r.code.clone(),
                    r.person.clone(),
                    r.name.clone(),
                    r.institution.to_string(),
                    staff::SPECIALTIES[r.specialty].code.to_string(),
                    places[r.base].code.clone(),
                    leave,
                    r.trips.to_string(),
                    r.days_away.to_string(),
                ]
            }),
        ),
    });
    files.push(File {
        name: "demand.csv",
        text: table(
            &["locality", "specialty", "waiting", "weekly_referrals"],
            lists.iter().map(|d| {
                vec![
                    places[d.place].code.clone(),
                    staff::SPECIALTIES[d.specialty].code.to_string(),
                    format!("{}", d.waiting),
                    format!("{:.2}", d.referrals),
                ]
            }),
        ),
    });
    for (name, visits) in [
        ("calendar-ministry.csv", ministry),
        ("calendar-css.csv", css),
    ] {
        files.push(File {
            name,
            text: table(
                &[
                    "id",
                    "specialist",
                    "locality",
                    "facility",
                    "start",
                    "days",
                    "status",
                ],
                visits.into_iter().map(|v| {
                    vec![
                        v.code,
                        records[v.record].code.clone(),
                        places[v.place].code.clone(),
                        sites[v.site].code.clone(),
                        v.start.to_string(),
                        v.days.to_string(),
                        v.status.to_string(),
                    ]
                }),
            ),
        });
    }
    Ok(files)
}

impl Params {
    /// The regions to generate: as asked, or the default (see the `regions` field).
    pub fn region_count(&self) -> usize {
        self.regions.unwrap_or_else(|| {
            (self.localities / 25)
                .min(geography::hubs(self.localities))
                .min(self.specialists / 28)
                .max(1)
        })
    }
}

fn check(p: &Params) -> Result<(), GenerateError> {
    let out = |what, range, got: u64| Err(GenerateError::OutOfRange { what, range, got });
    if p.localities < 4 || p.localities > 20_000 {
        return out("--localities", "4 to 20000", p.localities as u64);
    }
    if p.specialists < staff::SPECIALTIES.len() || p.specialists > 100_000 {
        return out(
            "--specialists",
            "14 (one per specialty) to 100000",
            p.specialists as u64,
        );
    }
    let regions = p.region_count();
    if regions == 0 || regions > geography::hubs(p.localities) {
        return out(
            "--regions",
            "1 to the hub cities (a tenth of --localities, at least 2)",
            regions as u64,
        );
    }
    if p.specialists < staff::SPECIALTIES.len() * regions {
        return out(
            "--specialists",
            "at least 14 per region (one per specialty)",
            p.specialists as u64,
        );
    }
    if p.weeks == 0 || p.weeks > 104 {
        return out("--weeks", "1 to 104", u64::from(p.weeks));
    }
    Ok(())
}

/// The CSV text of a table (quoted where needed).
fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn scenario_yaml(p: &Params) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).expect("valid date");
    let end = start + chrono::Days::new(u64::from(p.weeks) * 7 - 1);
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Synthetic scenario: itinera generate --localities {} --specialists {} --regions {} --weeks {} --seed {}",
        p.localities,
        p.specialists,
        p.region_count(),
        p.weeks,
        p.seed
    );
    let _ = writeln!(
        y,
        "name: Synthetic {}x{}x{} seed {}",
        p.localities, p.specialists, p.weeks, p.seed
    );
    let _ = writeln!(
        y,
        "horizon:\n  start: {start}\n  weeks: {}\n  working_days: [mon, tue, wed, thu, fri]\n  time_zone: America/Argentina/Rio_Gallegos",
        p.weeks
    );
    let inside: Vec<_> = HOLIDAYS
        .iter()
        .filter(|(d, _)| {
            d.parse::<chrono::NaiveDate>()
                .is_ok_and(|d| d >= start && d <= end)
        })
        .collect();
    if inside.is_empty() {
        y += "  holidays: []\n";
    } else {
        y += "  holidays:\n";
        for (d, name) in inside {
            let _ = writeln!(y, "    - {{ date: {d}, name: \"{name}\" }}");
        }
    }
    y += "institutions:\n  - { id: ministry, name: Ministerio de Salud }\n  - { id: css, name: Caja de Servicios Sociales }\nspecialties:\n";
    for s in &staff::SPECIALTIES {
        let _ = writeln!(
            y,
            "  - {{ id: {}, name: {}, patients_per_day: {}, min_days: 1, max_days: {}, min_spacing_weeks: {}, max_gap_weeks: {}, waiting_weight: {} }}",
            s.code, s.name, s.patients_per_day, s.max_days, s.spacing, s.max_gap, s.weight
        );
    }
    y += "travel:\n  speed_kmh: { paved: 85, gravel: 50, mixed: 65 }\n  max_driving_hours_per_day: 8\n";
    y += "costs:\n  currency: ARS\n  per_km: 450\n  per_night: 75000\n";
    y += "weights:\n  patient_week: 30000\n  change_confirmed: 400000\n  coverage_gap_week: 150000\n";
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_out_of_range_are_refused() {
        let ok = Params {
            localities: 25,
            specialists: 60,
            weeks: 52,
            seed: 1,
            regions: None,
        };
        assert!(generate(&ok).is_ok());
        for bad in [
            Params {
                localities: 3,
                ..ok.clone()
            },
            Params {
                specialists: 13,
                ..ok.clone()
            },
            Params {
                regions: Some(3),
                ..ok.clone()
            },
            Params {
                localities: 250,
                specialists: 100,
                regions: Some(10),
                ..ok.clone()
            },
            Params { weeks: 0, ..ok },
        ] {
            assert!(matches!(
                generate(&bad),
                Err(GenerateError::OutOfRange { .. })
            ));
        }
    }
}
