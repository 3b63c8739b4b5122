//! Synthetic specialties, facilities and specialists: the Santa Cruz
//! specialties, a hospital and a social-insurance office in every hub,
//! hospitals or health posts in the towns, and specialists based in the
//! hubs, one in five holding a record in each institution.

use super::geography::Place;
use rand::{Rng, RngExt};

/// A specialty's rules and how common it is.
pub struct SpecialtySpec {
    /// Id.
    pub code: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Patients per consultation day.
    pub patients_per_day: u32,
    /// Most consultation days a visit may have.
    pub max_days: u32,
    /// Minimum spacing between visits, weeks.
    pub spacing: u32,
    /// Maximum gap between visits, weeks.
    pub max_gap: u32,
    /// Weight of a patient-week.
    pub weight: f64,
    /// Share of the specialists.
    pub share: f64,
    /// Patients waiting per 1,000 inhabitants at the start.
    pub waiting_per_1000: f64,
    /// Smallest town with a waiting list of it.
    pub min_population: u32,
}

/// The specialties of Santa Cruz, with staff shares and demand rates.
pub const SPECIALTIES: [SpecialtySpec; 14] = [
    spec(
        "cardiology",
        "Cardiología",
        12,
        3,
        3,
        8,
        1.3,
        0.10,
        2.6,
        800,
    ),
    spec("pediatrics", "Pediatría", 16, 3, 2, 6, 1.5, 0.14, 4.0, 500),
    spec(
        "gynecology",
        "Ginecología",
        14,
        3,
        3,
        8,
        1.2,
        0.10,
        2.8,
        800,
    ),
    spec(
        "traumatology",
        "Traumatología",
        14,
        3,
        3,
        8,
        1.0,
        0.10,
        2.4,
        800,
    ),
    spec(
        "ophthalmology",
        "Oftalmología",
        16,
        3,
        4,
        12,
        1.0,
        0.07,
        2.2,
        2_000,
    ),
    spec(
        "ent",
        "Otorrinolaringología",
        14,
        2,
        4,
        12,
        0.8,
        0.06,
        1.4,
        3_000,
    ),
    spec(
        "dermatology",
        "Dermatología",
        16,
        2,
        4,
        12,
        0.8,
        0.06,
        1.6,
        3_000,
    ),
    spec(
        "psychiatry",
        "Psiquiatría",
        8,
        2,
        2,
        6,
        1.4,
        0.08,
        1.2,
        1_000,
    ),
    spec(
        "child-psychiatry",
        "Psiquiatría Infantojuvenil",
        6,
        2,
        3,
        8,
        1.5,
        0.04,
        0.6,
        3_000,
    ),
    spec(
        "neurology",
        "Neurología",
        10,
        2,
        4,
        12,
        1.0,
        0.05,
        1.0,
        3_000,
    ),
    spec(
        "endocrinology",
        "Endocrinología",
        12,
        2,
        4,
        12,
        1.0,
        0.05,
        1.2,
        3_000,
    ),
    spec(
        "gastroenterology",
        "Gastroenterología",
        10,
        2,
        4,
        12,
        1.0,
        0.05,
        1.0,
        3_000,
    ),
    spec(
        "rheumatology",
        "Reumatología",
        10,
        2,
        4,
        12,
        0.8,
        0.04,
        0.8,
        5_000,
    ),
    spec("urology", "Urología", 12, 2, 4, 12, 0.9, 0.06, 1.2, 3_000),
];

#[allow(clippy::too_many_arguments)]
const fn spec(
    code: &'static str,
    name: &'static str,
    patients_per_day: u32,
    max_days: u32,
    spacing: u32,
    max_gap: u32,
    weight: f64,
    share: f64,
    waiting_per_1000: f64,
    min_population: u32,
) -> SpecialtySpec {
    SpecialtySpec {
        code,
        name,
        patients_per_day,
        max_days,
        spacing,
        max_gap,
        weight,
        share,
        waiting_per_1000,
        min_population,
    }
}

/// A generated facility.
pub struct Site {
    /// Id.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Place index.
    pub place: usize,
    /// `ministry` or `css`.
    pub institution: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Rooms per day for itinerants.
    pub rooms: u32,
}

/// Every hub: a ministry hospital with 3 rooms and a social-insurance
/// office with 2; towns from 3,000 inhabitants: a hospital with 2 rooms (and
/// an office from 8,000); smaller ones: a health post with 1 room.
pub fn sites(places: &[Place]) -> Vec<Site> {
    let mut out = Vec::new();
    for (i, p) in places.iter().enumerate() {
        let (kind, rooms) = if p.is_hub {
            ("hospital", 3)
        } else if p.population >= 3_000 {
            ("hospital", 2)
        } else {
            ("health post", 1)
        };
        let prefix = if kind == "hospital" { "hosp" } else { "post" };
        out.push(Site {
            code: format!("{prefix}-{}", p.code),
            name: format!(
                "{} {}",
                if kind == "hospital" {
                    "Hospital"
                } else {
                    "Puesto Sanitario"
                },
                p.name
            ),
            place: i,
            institution: "ministry",
            kind,
            rooms,
        });
        if p.is_hub || p.population >= 8_000 {
            out.push(Site {
                code: format!("css-{}", p.code),
                name: format!("Delegación CSS {}", p.name),
                place: i,
                institution: "css",
                kind: "office",
                rooms: if p.is_hub { 2 } else { 1 },
            });
        }
    }
    out
}

/// A generated specialist record.
pub struct Record {
    /// Record id.
    pub code: String,
    /// Person id (DNI).
    pub person: String,
    /// Name (the same on both records of a person).
    pub name: String,
    /// `ministry` or `css`.
    pub institution: &'static str,
    /// Index into [`SPECIALTIES`].
    pub specialty: usize,
    /// Place index of the base (a hub).
    pub base: usize,
    /// A leave, as (first week, weeks), if any.
    pub leave: Option<(u32, u32)>,
    /// Most trips per month.
    pub trips: u32,
    /// Most days away per month.
    pub days_away: u32,
}

const FIRST: [&str; 16] = [
    "María",
    "Juan",
    "Laura",
    "Carlos",
    "Ana",
    "Diego",
    "Lucía",
    "Martín",
    "Sofía",
    "Pablo",
    "Valeria",
    "Jorge",
    "Paula",
    "Andrés",
    "Florencia",
    "Ricardo",
];
const LAST: [&str; 16] = [
    "Flores",
    "Gómez",
    "Ramírez",
    "Fernández",
    "López",
    "Díaz",
    "Martínez",
    "Pérez",
    "Romero",
    "Sosa",
    "Álvarez",
    "Torres",
    "Ruiz",
    "Benítez",
    "Acosta",
    "Medina",
];

/// `count` records: persons get a specialty by staff share (every specialty
/// at least once in every region while records last) and a base hub
/// weighted by population; one person in five holds a record in each
/// institution (same specialty and base); two in five take a leave of one
/// to three weeks.
pub fn records(count: usize, places: &[Place], weeks: u32, rng: &mut impl Rng) -> Vec<Record> {
    let hubs: Vec<usize> = (0..places.len()).filter(|&i| places[i].is_hub).collect();
    let hub_weight: Vec<f64> = hubs
        .iter()
        .map(|&h| f64::from(places[h].population))
        .collect();
    let mut by_region: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (k, &h) in hubs.iter().enumerate() {
        by_region
            .entry(places[h].region.as_str())
            .or_default()
            .push(k);
    }
    let regions: Vec<Vec<usize>> = by_region.into_values().collect();
    let forced = SPECIALTIES.len() * regions.len();
    let mut out = Vec::with_capacity(count);
    let mut serial = [0usize; 2];
    let mut person = 0;
    while out.len() < count {
        person += 1;
        let specialty = if person <= forced {
            (person - 1) % SPECIALTIES.len()
        } else {
            pick(&SPECIALTIES.map(|s| s.share), rng)
        };
        let base = if person <= forced {
            let mine = &regions[(person - 1) / SPECIALTIES.len()];
            let weights: Vec<f64> = mine.iter().map(|k| hub_weight[*k]).collect();
            hubs[mine[pick(&weights, rng)]]
        } else {
            hubs[pick(&hub_weight, rng)]
        };
        let dni = format!("{}", 20_000_000 + person * 7_919 % 25_000_000);
        let name = format!(
            "{} {}",
            FIRST[rng.random_range(0..FIRST.len())],
            LAST[rng.random_range(0..LAST.len())]
        );
        let both = out.len() + 2 <= count && rng.random_bool(0.2);
        let first: &'static str = if rng.random_bool(0.6) {
            "ministry"
        } else {
            "css"
        };
        let institutions: Vec<&'static str> = if both {
            vec!["ministry", "css"]
        } else {
            vec![first]
        };
        let leave = (weeks >= 4 && rng.random_bool(0.4))
            .then(|| (rng.random_range(0..weeks - 3), rng.random_range(1..=3)));
        for (k, inst) in institutions.into_iter().enumerate() {
            let i = usize::from(inst == "css");
            serial[i] += 1;
            out.push(Record {
                code: format!(
                    "{}-{}-{}",
                    if i == 0 { "m" } else { "c" },
                    SPECIALTIES[specialty].code,
                    serial[i]
                ),
                person: dni.clone(),
                name: name.clone(),
                institution: inst,
                specialty,
                base,
                leave: if k == 0 { leave } else { None },
                trips: rng.random_range(2..=4),
                days_away: rng.random_range(8..=12),
            });
        }
    }
    out
}

/// An index drawn with probability proportional to `weights`.
pub fn pick(weights: &[f64], rng: &mut impl Rng) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random_range(0.0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}
