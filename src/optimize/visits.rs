//! Visits per waiting list and week, whoever makes them: the quantity the
//! spacing, coverage, backlog and commitment families reason about.

use super::vars::WeekVars;
use crate::model::{LocalityId, Scenario, SpecialtyId};
use good_lp::Expression;
use std::collections::BTreeMap;

/// Visits and consultation days of one specialty at one locality, per week.
pub struct ListVars {
    /// Number of visits (0 or 1 under the spacing rule) per week.
    pub visits: Vec<Expression>,
    /// Consultation days per week.
    pub days: Vec<Expression>,
}

/// Gather, per (locality, specialty), the visit and day expressions of every record.
pub fn gather(s: &Scenario, weeks: &[WeekVars]) -> BTreeMap<(LocalityId, SpecialtyId), ListVars> {
    let n = s.horizon.weeks as usize;
    let mut out: BTreeMap<(LocalityId, SpecialtyId), ListVars> = BTreeMap::new();
    for wv in weeks {
        let spec = s.specialist(wv.record).specialty;
        let mut locs: Vec<LocalityId> = wv
            .routes
            .iter()
            .flat_map(|rv| rv.route.stops.iter().map(|(l, _)| *l))
            .collect();
        locs.sort_unstable();
        locs.dedup();
        for l in locs {
            let e = out.entry((l, spec)).or_insert_with(|| ListVars {
                visits: vec![Expression::default(); n],
                days: vec![Expression::default(); n],
            });
            e.visits[wv.week as usize] += wv.visits(l);
            e.days[wv.week as usize] += wv.days_at(l);
        }
    }
    out
}
