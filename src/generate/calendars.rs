//! Synthetic waiting lists and existing calendars. Waiting lists follow
//! population, in towns large enough for the specialty and within a day's
//! drive or so of one of its bases. Each institution draws its calendar on
//! its own, as before unification: every record visits one of its lists
//! every three to six weeks, so the two calendars send a specialty twice to
//! one town and book a person twice, as real ones did.

use super::geography::{Link, Place, road_km};
use super::staff::{Record, SPECIALTIES, Site, pick};
use chrono::{Days, NaiveDate};
use rand::{Rng, RngExt};
use std::collections::BTreeMap;

/// Farthest a waiting list is from the nearest base of its specialty, km.
const LIST_REACH_KM: f64 = 800.0;

/// Farthest a record's calendar sends it, km.
const VISIT_REACH_KM: f64 = 600.0;

/// A generated waiting list.
pub struct List {
    /// Place index.
    pub place: usize,
    /// Index into [`SPECIALTIES`].
    pub specialty: usize,
    /// Patients waiting at the start.
    pub waiting: u32,
    /// New referrals a week.
    pub referrals: f64,
}

/// A generated existing visit.
pub struct Visit {
    /// Calendar id.
    pub code: String,
    /// Record index.
    pub record: usize,
    /// Place index.
    pub place: usize,
    /// Site index.
    pub site: usize,
    /// First day.
    pub start: NaiveDate,
    /// Consultation days.
    pub days: u32,
    /// `confirmed` or `tentative`.
    pub status: &'static str,
}

/// Road km from each base to every place.
fn km_from_bases(
    places: &[Place],
    links: &[Link],
    records: &[Record],
) -> BTreeMap<usize, Vec<f64>> {
    let mut out = BTreeMap::new();
    for r in records {
        out.entry(r.base)
            .or_insert_with(|| road_km(places.len(), links, r.base));
    }
    out
}

/// Waiting lists: a town (or a hub without a base of the specialty) of at
/// least the specialty's population threshold, within 800 road km of one of
/// its bases, waits `population/1000 × rate × U(0.6, 1.4)` patients and gets
/// 4–8 % of that in new referrals a week.
pub fn demand(
    places: &[Place],
    links: &[Link],
    records: &[Record],
    rng: &mut impl Rng,
) -> Vec<List> {
    let km = km_from_bases(places, links, records);
    let mut out = Vec::new();
    for (i, p) in places.iter().enumerate() {
        for (s, spec) in SPECIALTIES.iter().enumerate() {
            // Specialists serve only their own region.
            let bases: Vec<usize> = records
                .iter()
                .filter(|r| r.specialty == s && places[r.base].region == p.region)
                .map(|r| r.base)
                .collect();
            if bases.is_empty() || bases.contains(&i) || p.population < spec.min_population {
                continue;
            }
            let nearest = bases.iter().map(|b| km[b][i]).fold(f64::INFINITY, f64::min);
            if nearest > LIST_REACH_KM {
                continue;
            }
            let waiting = (f64::from(p.population) / 1000.0
                * spec.waiting_per_1000
                * rng.random_range(0.6..1.4))
            .round()
            .max(1.0);
            out.push(List {
                place: i,
                specialty: s,
                waiting: waiting as u32,
                referrals: waiting * rng.random_range(0.04..0.08),
            });
        }
    }
    out
}

/// Both institutions' calendars: each record, every 3–6 weeks, visits one
/// of its specialty's lists within 600 km of its base (drawn by size),
/// starting Monday to Thursday for 1 to the specialty's most days within
/// the week, at its own institution's facility there if any; three in four
/// confirmed. Weeks of a leave are mostly avoided (one in ten is booked
/// anyway, as happens).
pub fn visits(
    weeks: u32,
    places: &[Place],
    sites: &[Site],
    records: &[Record],
    lists: &[List],
    links: &[Link],
    rng: &mut impl Rng,
) -> (Vec<Visit>, Vec<Visit>) {
    let km = km_from_bases(places, links, records);
    let start = NaiveDate::from_ymd_opt(2027, 3, 1).expect("valid date");
    let mut all: Vec<Visit> = Vec::new();
    for (ri, r) in records.iter().enumerate() {
        let mine: Vec<&List> = lists
            .iter()
            .filter(|l| l.specialty == r.specialty && km[&r.base][l.place] <= VISIT_REACH_KM)
            .filter(|l| places[l.place].region == places[r.base].region)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let weights: Vec<f64> = mine.iter().map(|l| f64::from(l.waiting)).collect();
        let every = rng.random_range(3..=6u32);
        let mut w = rng.random_range(0..every);
        while w < weeks {
            let on_leave = r.leave.is_some_and(|(f, n)| w >= f && w < f + n);
            if !on_leave || rng.random_bool(0.1) {
                let list = mine[pick(&weights, rng)];
                let offset = rng.random_range(0..4u32);
                let days = rng.random_range(1..=SPECIALTIES[r.specialty].max_days.min(5 - offset));
                let site = sites
                    .iter()
                    .position(|s| s.place == list.place && s.institution == r.institution)
                    .or_else(|| sites.iter().position(|s| s.place == list.place))
                    .expect("every place has a facility");
                all.push(Visit {
                    code: String::new(),
                    record: ri,
                    place: list.place,
                    site,
                    start: start + Days::new(u64::from(w) * 7 + u64::from(offset)),
                    days,
                    status: if rng.random_bool(0.75) {
                        "confirmed"
                    } else {
                        "tentative"
                    },
                });
            }
            w += every;
        }
    }
    all.sort_by(|a, b| (a.start, &records[a.record].code).cmp(&(b.start, &records[b.record].code)));
    let (mut ministry, mut css): (Vec<Visit>, Vec<Visit>) = all
        .into_iter()
        .partition(|v| records[v.record].institution == "ministry");
    for (prefix, list) in [("M", &mut ministry), ("C", &mut css)] {
        for (k, v) in list.iter_mut().enumerate() {
            v.code = format!("{prefix}{:05}", k + 1);
        }
    }
    (ministry, css)
}
