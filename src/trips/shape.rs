//! The shape of one trip: order of its stops, the day-by-day pattern of
//! travel and consultation days, km, nights and cost.

use crate::model::{LocalityId, Scenario};
use crate::network::TravelMatrix;
use serde::Serialize;

/// What a day of a trip is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUse {
    /// A whole day on the road (a long leg).
    Travel,
    /// Consulting at the stop with this index (short legs are driven that day too).
    Consult(u8),
}

/// One leg of a trip: (km, hours).
pub type Leg = (f64, f64);

/// Driving days a leg of `hours` needs: none when it fits on a consultation day.
pub fn travel_days(s: &Scenario, hours: f64) -> u32 {
    if hours <= s.travel.same_day_drive_hours {
        0
    } else {
        (hours / s.travel.max_driving_hours_per_day).ceil() as u32
    }
}

/// Legs `base → stops… → base`: (km, hours) each, or `None` if a leg is not drivable.
pub fn legs(m: &TravelMatrix, base: LocalityId, order: &[LocalityId]) -> Option<Vec<Leg>> {
    let mut out = Vec::with_capacity(order.len() + 1);
    let mut at = base;
    for &next in order.iter().chain(std::iter::once(&base)) {
        out.push((m.km(at, next)?, m.hours(at, next)?));
        at = next;
    }
    Some(out)
}

/// The best visiting order of `stops` from `base`: fewest travel days, then fewest km.
pub fn best_order(
    s: &Scenario,
    m: &TravelMatrix,
    base: LocalityId,
    stops: &[LocalityId],
) -> Option<(Vec<LocalityId>, Vec<Leg>)> {
    let mut best: Option<(u32, f64, Vec<LocalityId>, Vec<Leg>)> = None;
    let mut order = stops.to_vec();
    permutations(&mut order, 0, &mut |perm| {
        if let Some(l) = legs(m, base, perm) {
            let days: u32 = l.iter().map(|(_, h)| travel_days(s, *h)).sum();
            let km: f64 = l.iter().map(|(k, _)| k).sum();
            let better = match &best {
                None => true,
                Some((bd, bk, ..)) => (days, km) < (*bd, *bk),
            };
            if better {
                best = Some((days, km, perm.to_vec(), l));
            }
        }
    });
    best.map(|(_, _, o, l)| (o, l))
}

/// Visit every permutation of `v[k..]` in lexicographic-by-swap order.
fn permutations(v: &mut Vec<LocalityId>, k: usize, f: &mut dyn FnMut(&[LocalityId])) {
    if k == v.len() {
        f(v);
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permutations(v, k + 1, f);
        v.swap(k, i);
    }
}

/// Day pattern, km, nights and cost of a trip with `legs` and `days` per stop.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// One entry per day away, departure to return.
    pub pattern: Vec<DayUse>,
    /// Km driven.
    pub km: f64,
    /// Nights away from base.
    pub nights: u32,
    /// Whether the specialist sleeps at home and drives out each day.
    pub commute: bool,
    /// km × cost per km + nights × per-diem.
    pub cost: f64,
}

/// Build the pattern of a trip. A single-stop trip whose legs are both short
/// commutes daily instead of staying when a round trip costs less than a night
/// (the comparison does not depend on the number of days).
pub fn shape(s: &Scenario, legs: &[Leg], days: &[u32]) -> Shape {
    let mut pattern = Vec::new();
    for (i, (_, hours)) in legs.iter().enumerate() {
        for _ in 0..travel_days(s, *hours) {
            pattern.push(DayUse::Travel);
        }
        if let Some(d) = days.get(i) {
            for _ in 0..*d {
                pattern.push(DayUse::Consult(i as u8));
            }
        }
    }
    let km: f64 = legs.iter().map(|(k, _)| k).sum();
    let all_short = legs.iter().all(|(_, h)| travel_days(s, *h) == 0);
    if days.len() == 1 && all_short && km * s.costs.per_km < s.costs.per_night {
        let commute_km = km * f64::from(days[0]);
        return Shape {
            pattern,
            km: commute_km,
            nights: 0,
            commute: true,
            cost: commute_km * s.costs.per_km,
        };
    }
    let nights = pattern.len().saturating_sub(1) as u32;
    Shape {
        pattern,
        km,
        nights,
        commute: false,
        cost: km * s.costs.per_km + f64::from(nights) * s.costs.per_night,
    }
}
