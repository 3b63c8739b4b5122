//! Trip shape: consultation days at a locality only on a route stopping
//! there, within the specialty's days per visit, and the whole trip (travel
//! and consultation days) within the person's longest free run of the week.
//! Also prices the trips.

use super::parts::{Group, Parts};
use super::vars::WeekVars;
use crate::model::Scenario;
use good_lp::Expression;

pub fn add(s: &Scenario, weeks: &[WeekVars], p: &mut Parts) {
    for wv in weeks {
        let sp = s.specialty(s.specialist(wv.record).specialty);
        let (lo, hi) = (f64::from(sp.min_days), f64::from(sp.max_days));
        for (commute, map) in [(false, &wv.stay_days), (true, &wv.commute_days)] {
            for (l, (days, _)) in map {
                let mut on = Expression::default();
                for rv in wv.routes.iter().filter(|rv| rv.route.commute == commute) {
                    if rv.route.stops.iter().any(|(x, _)| x == l) {
                        on.add_mul(1.0, rv.z);
                    }
                }
                p.row(Group::TripShape, (lo * on.clone()).leq(*days));
                p.row(Group::TripShape, Expression::from(*days).leq(hi * on));
            }
        }
        p.row(Group::TripShape, wv.away_days().leq(f64::from(wv.budget)));
        for rv in &wv.routes {
            p.objective.add_mul(rv.route.fixed_cost(s), rv.z);
        }
        let per_day = |commute: bool, l| {
            wv.routes
                .iter()
                .find(|rv| {
                    rv.route.commute == commute && rv.route.stops.iter().any(|(x, _)| *x == l)
                })
                .map_or(0.0, |rv| rv.route.cost_per_day(s))
        };
        for (l, (v, _)) in &wv.stay_days {
            p.objective.add_mul(per_day(false, *l), *v);
        }
        for (l, (v, _)) in &wv.commute_days {
            p.objective.add_mul(per_day(true, *l), *v);
        }
    }
}
