//! What the existing calendars achieve as they stand, duplicates included:
//! the numbers any unified plan must beat.

use super::BookedVisit;
use super::conflicts::{Conflict, ConflictKind};
use crate::model::waiting::{WeeklyCapacity, simulate_all, totals};
use crate::model::*;
use crate::network::RoadNetwork;
use serde::Serialize;
use std::collections::BTreeMap;

/// Status-quo metrics of the merged calendars.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusQuo {
    /// Visits in both calendars.
    pub visits: usize,
    /// Visits per institution code.
    pub visits_by_institution: BTreeMap<String, usize>,
    /// Consultation days booked.
    pub consultation_days: u32,
    /// Patient slots offered (days × patients per day).
    pub capacity: f64,
    /// Patients seen (capacity meets a waiting list).
    pub patients_served: f64,
    /// Patient-weeks of waiting over the horizon.
    pub patient_weeks_waiting: f64,
    /// Patient-weeks weighted by each specialty's waiting weight.
    pub weighted_patient_weeks: f64,
    /// Patients still waiting at the end of the horizon.
    pub unmet_at_end: f64,
    /// Patients waiting at the start plus all referrals over the horizon.
    pub total_demand: f64,
    /// Km driven: one round trip base → locality per visit.
    pub km: f64,
    /// Travel cost: km × cost per km + nights × per-diem.
    pub travel_cost: f64,
    /// Pairs of visits of one specialty to one locality closer than its spacing.
    pub duplicates: usize,
    /// Pairs of visits booking one person twice on the same day.
    pub double_bookings: usize,
    /// Waiting lists left without a visit for longer than their specialty's max gap.
    pub coverage_gaps: usize,
    /// Waiting lists in the scenario.
    pub waiting_lists: usize,
    /// Per waiting list: locality, specialty, longest run of weeks without a visit.
    pub longest_without_visit: Vec<GapRow>,
    /// Per specialty totals.
    pub by_specialty: Vec<SpecialtyRow>,
}

/// The longest visit-free run of weeks of one waiting list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapRow {
    /// Locality code.
    pub locality: String,
    /// Specialty code.
    pub specialty: String,
    /// Longest run of consecutive weeks with no visit (horizon length if never visited).
    pub weeks: u32,
    /// The specialty's allowed maximum (a run of this length or more is a coverage gap).
    pub max_gap_weeks: u32,
}

/// Totals of one specialty.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecialtyRow {
    /// Specialty code.
    pub specialty: String,
    /// Visits.
    pub visits: usize,
    /// Patients seen.
    pub served: f64,
    /// Patient-weeks of waiting.
    pub patient_weeks: f64,
    /// Still waiting at the end.
    pub unmet_at_end: f64,
    /// Backlog at the end of each week, summed over localities.
    pub backlog_by_week: Vec<f64>,
}

/// Longest run of weeks without a visit, given the (sorted) visit weeks.
pub fn longest_without_visit(weeks: u32, visit_weeks: &[u32]) -> u32 {
    let mut longest = 0;
    let mut next_free = 0; // first week not yet covered by a visit
    for &w in visit_weeks {
        if w >= next_free {
            longest = longest.max(w - next_free);
            next_free = w + 1;
        }
    }
    longest.max(weeks.saturating_sub(next_free))
}

/// Km and nights of one existing visit made as its own round trip from the
/// specialist's base (none when the visit is at the base).
pub fn visit_travel(
    s: &Scenario,
    net: &RoadNetwork,
    open: &crate::network::TravelMatrix,
    v: &BookedVisit,
) -> (f64, u32) {
    let base = s.specialist(v.specialist).base;
    if base == v.locality {
        return (0.0, 0);
    }
    // Closed roads are reported as conflicts; the km are still counted on the open network.
    let km = net
        .round_trip_km(base, v.locality, v.dates[0])
        .ok()
        .or_else(|| Some(open.km(base, v.locality)? + open.km(v.locality, base)?))
        .unwrap_or(0.0);
    (km, v.dates.len() as u32)
}

/// Score the merged calendar. `conflicts` are those found by
/// [`super::conflicts::find`] on the same visits.
pub fn evaluate(
    s: &Scenario,
    net: &RoadNetwork,
    visits: &[BookedVisit],
    conflicts: &[Conflict],
) -> StatusQuo {
    let weeks = s.horizon.weeks as usize;
    let mut capacity: WeeklyCapacity = BTreeMap::new();
    let mut visit_weeks: BTreeMap<(LocalityId, SpecialtyId), Vec<u32>> = BTreeMap::new();
    let mut by_inst: BTreeMap<String, usize> = BTreeMap::new();
    let (mut km, mut nights, mut days, mut slots) = (0.0, 0u32, 0u32, 0.0);
    let open = net.open();
    for v in visits {
        let sp = s.specialty(v.specialty);
        let patients = v.dates.len() as f64 * f64::from(sp.patients_per_day);
        capacity
            .entry((v.locality, v.specialty))
            .or_insert_with(|| vec![0.0; weeks])[v.week as usize] += patients;
        visit_weeks
            .entry((v.locality, v.specialty))
            .or_default()
            .push(v.week);
        *by_inst
            .entry(s.institution(v.institution).code.clone())
            .or_default() += 1;
        days += v.dates.len() as u32;
        slots += patients;
        let (k, n) = visit_travel(s, net, &open, v);
        km += k;
        nights += n;
    }
    let outcomes = simulate_all(s, &capacity);
    let mut by_spec: Vec<SpecialtyRow> = s
        .specialties
        .iter()
        .map(|sp| SpecialtyRow {
            specialty: sp.code.clone(),
            visits: 0,
            served: 0.0,
            patient_weeks: 0.0,
            unmet_at_end: 0.0,
            backlog_by_week: vec![0.0; weeks],
        })
        .collect();
    for v in visits {
        by_spec[v.specialty.index()].visits += 1;
    }
    let sums = totals(s, &outcomes);
    let mut total = 0.0;
    let mut gaps = Vec::new();
    for (d, o) in s.demand.iter().zip(&outcomes) {
        let sp = s.specialty(d.specialty);
        total += d.waiting + d.referrals_by_week(&s.horizon).iter().sum::<f64>();
        let row = &mut by_spec[d.specialty.index()];
        row.served += o.served;
        row.patient_weeks += o.patient_weeks;
        row.unmet_at_end += o.unmet_at_end;
        for (acc, b) in row.backlog_by_week.iter_mut().zip(&o.backlog) {
            *acc += b;
        }
        let mut vw = visit_weeks
            .get(&(d.locality, d.specialty))
            .cloned()
            .unwrap_or_default();
        vw.sort_unstable();
        gaps.push(GapRow {
            locality: s.locality(d.locality).code.clone(),
            specialty: sp.code.clone(),
            weeks: longest_without_visit(s.horizon.weeks, &vw),
            max_gap_weeks: sp.max_gap_weeks,
        });
    }
    let count = |k: ConflictKind| conflicts.iter().filter(|c| c.kind == k).count();
    StatusQuo {
        visits: visits.len(),
        visits_by_institution: by_inst,
        consultation_days: days,
        capacity: slots,
        patients_served: sums.served,
        patient_weeks_waiting: sums.patient_weeks,
        weighted_patient_weeks: sums.weighted_patient_weeks,
        unmet_at_end: sums.unmet_at_end,
        total_demand: total,
        km,
        travel_cost: km * s.costs.per_km + f64::from(nights) * s.costs.per_night,
        duplicates: count(ConflictKind::DuplicateSpecialty),
        double_bookings: count(ConflictKind::PersonDoubleBooked),
        coverage_gaps: gaps.iter().filter(|g| g.weeks >= g.max_gap_weeks).count(),
        waiting_lists: s.demand.len(),
        longest_without_visit: gaps,
        by_specialty: by_spec,
    }
}

#[cfg(test)]
mod tests {
    use super::longest_without_visit;

    #[test]
    fn gaps_count_from_start_and_to_end() {
        assert_eq!(longest_without_visit(10, &[]), 10);
        assert_eq!(longest_without_visit(10, &[0, 9]), 8);
        assert_eq!(longest_without_visit(10, &[3]), 6);
        assert_eq!(longest_without_visit(10, &[3, 3, 4]), 5);
        assert_eq!(longest_without_visit(4, &[0, 1, 2, 3]), 0);
    }
}
